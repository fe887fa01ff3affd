package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/term"
	"google.golang.org/api/option"

	jobkunde "github.com/jobbanken/jobkunde"
	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/checkin"
	"github.com/jobbanken/jobkunde/handlers"
	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/stats"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/work"
)

// newID returns a UUIDv7: opaque to clients, time-ordered for paging.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// database is an open database and how to close it.
type database struct {
	db    *mongo.Database
	close func()
}

// openDB connects to MONGODB_URI, or starts the embedded engine when unset.
func openDB(ctx context.Context, cfg config, log *slog.Logger, monitor *event.CommandMonitor) (database, error) {
	uri, stopEngine := cfg.MongoURI, func() {}
	if cfg.embedded() {
		var err error
		if uri, stopEngine, err = startEmbedded(cfg.DataDir); err != nil {
			return database{}, err
		}
	}
	client, err := store.Connect(ctx, uri, store.ConnectOptions{Production: !cfg.embedded(), Timeout: cfg.RequestTimeout, Monitor: monitor})
	if err != nil {
		stopEngine()
		return database{}, fmt.Errorf("open database (%s): %w", cfg.engineLabel(), err)
	}
	log.Info("database connected", "engine", cfg.engineLabel(), "database", cfg.MongoDatabase)
	return database{
		db: client.Database(cfg.MongoDatabase),
		close: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = client.Disconnect(ctx)
			stopEngine()
		},
	}, nil
}

// openStore opens the database and makes sure its indexes exist (every
// command that touches data does, so a fresh database is always ready).
func openStore(ctx context.Context, cfg config, log *slog.Logger, monitor *event.CommandMonitor, now func() time.Time) (*store.Store, func(), error) {
	dbx, err := openDB(ctx, cfg, log, monitor)
	if err != nil {
		return nil, nil, err
	}
	st := store.New(dbx.db, now)
	if err := st.EnsureIndexes(ctx); err != nil {
		dbx.close()
		return nil, nil, err
	}
	return st, dbx.close, nil
}

// loadKeys returns the configured signing keys, or in development (embedded
// engine, no key configured) a key generated once and kept in DATA_DIR.
func loadKeys(cfg config) (*auth.KeySet, error) {
	if len(cfg.JWTPrivateKey) > 0 {
		if len(cfg.JWTPreviousKeys) > 0 {
			return auth.ParseKeySet(cfg.JWTPrivateKey, cfg.JWTPreviousKeys)
		}
		return auth.ParseKeySet(cfg.JWTPrivateKey)
	}
	return auth.LoadOrCreateDevKeySet(cfg.DataDir)
}

type serveOptions struct {
	demo    bool
	demoOut io.Writer
	// ready, if set, receives the listening address once the server accepts
	// connections (tests listen on port 0).
	ready chan<- string
	// monitor, if set, sees every database command (benchmarks count them).
	monitor *event.CommandMonitor
	// opened, if set, receives the store once it is open (tests read state
	// no route shows).
	opened chan<- *store.Store
	// jobsAfter is when the scheduled jobs first run (0: jobsFirstRun).
	jobsAfter time.Duration
	// now is the service's clock (nil: time.Now); tests run the whole
	// service as of a chosen instant.
	now func() time.Time
	// metricsReady, if set, receives the metrics address (METRICS_ADDR).
	metricsReady chan<- string
}

// serve runs the API until ctx is cancelled, then drains in-flight requests.
func serve(ctx context.Context, cfg config, log *slog.Logger, o serveOptions) error {
	if o.demo && !cfg.embedded() {
		return errors.New("--demo seeds made-up people and is refused with MONGODB_URI; use it only on the embedded engine")
	}
	started := time.Now()
	now := o.now
	if now == nil {
		now = time.Now
	}
	if cfg.embedded() { // DATA_DIR holds the engine's files and the dev key
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("create DATA_DIR: %w", err)
		}
	}
	keys, err := loadKeys(cfg)
	if err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Keys: keys, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, TTL: cfg.AccessTokenTTL, Now: now})
	if err != nil {
		return fmt.Errorf("tokens: %w", err)
	}
	jwks, err := keys.JWKS()
	if err != nil {
		return fmt.Errorf("jwks: %w", err)
	}

	st, closeDB, err := openStore(ctx, cfg, log, o.monitor, now)
	if err != nil {
		return err
	}
	defer closeDB()
	if o.opened != nil {
		o.opened <- st
	}
	acc := accounts.New(st, tokens, accounts.DefaultLimits, now, newID)
	av := availability.New(st, now, newID)
	act := activity.New(st, av, now, newID)
	baseRules, err := pension.Default()
	if err != nil {
		return fmt.Errorf("embedded pension rules: %w", err)
	}
	ruleBook := work.NewRuleBook(st, baseRules, now, newID)
	wrk := work.New(st, ruleBook, work.Config{InternshipMaxWeeks: cfg.InternshipWeeks}, now, newID)
	pl := plan.New(st, now, newID)
	msg := messaging.New(st, av, now, newID)
	sender, err := pushSender(ctx, cfg, log)
	if err != nil {
		return err
	}
	notes := notifications.New(st, sender, notifications.Config{}, now, newID)
	chk := checkin.New(st, msg, now, newID)
	prv := privacy.New(st, act, privacy.Config{Retention: cfg.Retention}, now, newID)
	sta := stats.New(st, msg, stats.Config{CaseloadWarning: cfg.CaseloadWarning}, now)
	if o.demo {
		if err := seedDemo(ctx, st, acc, act, wrk, pl, prv, o.demoOut, now(), filepath.Join(cfg.DataDir, "demo-activation-codes.json")); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}
	if err := migrateData(ctx, msg, log); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), newJobRuns(st))
	bg := newBackground(reg, now)
	app := handlers.NewApp(handlers.Deps{
		Log: log, Accounts: acc, Activities: act, Rosters: act, Calendar: act, Work: wrk, Tokens: tokens, JWKS: jwks, Idempotency: st,
		Ready: st.Ping, Unavailable: store.IsUnavailable, Metrics: reg, MetricsElsewhere: cfg.MetricsAddr != "", OpenAPI: jobkunde.OpenAPI, Now: now,
		RequestTimeout: cfg.RequestTimeout, TrustedProxies: cfg.TrustedProxies,
		PensionRules:  ruleBook,
		Plans:         pl,
		Availability:  av,
		Messaging:     msg,
		Notifications: notes,
		CheckIns:      chk,
		Celebrations:  act,
		Privacy:       prv,
		Sessions:      st,
		Statistics:    sta,
	})

	sweepCtx, stopSweep := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSweep()
	go every(sweepCtx, sweepEvery, sweepEvery, bg.track("sweep", st.Sweep), "sweep", log)
	go every(sweepCtx, 0, cfg.NotifyInterval, bg.track("notifications", notes.Tick), "notifications round", log)
	if cfg.MetricsAddr != "" {
		go func() {
			if err := serveMetrics(sweepCtx, cfg.MetricsAddr, reg, log, o.metricsReady); err != nil {
				log.Error("metrics stopped", "err", err)
			}
		}()
	}

	// Scheduled jobs stop with the sweep; serve waits for a run in progress
	// to record how it ended before the database is closed.
	runner := jobs.New(st, act, jobs.Config{ReminderOffsets: cfg.ReminderOffsets, Eraser: prv, Internships: wrk, HistoryRetention: cfg.HistoryRetention}, now, newID)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		every(sweepCtx, cmp.Or(o.jobsAfter, jobsFirstRun), runner.Every(), bg.track("scheduled_jobs", runner.Tick), "scheduled job", log)
	}()
	defer func() { stopSweep(); <-jobsDone }()

	ln, err := net.Listen("tcp", net.JoinHostPort(listenHost(cfg, o.demo), strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "startup_ms", time.Since(started).Milliseconds())
	if o.demo && o.demoOut != nil {
		fmt.Fprintf(o.demoOut, "Listening on http://%s (API docs at /docs).\n", ln.Addr())
		if cfg.Host == "" {
			fmt.Fprintln(o.demoOut, "Only this machine can reach it: the demo password is public. Set HOST=0.0.0.0 to open it to the network.")
		}
	}
	if o.ready != nil {
		o.ready <- ln.Addr().String()
	}
	return listen(ctx, app, ln, cfg.ShutdownGrace, log)
}

// listenHost is the address to listen on: HOST, else loopback for the demo
// (its password is public) and every interface otherwise.
func listenHost(cfg config, demo bool) string {
	if cfg.Host == "" && demo {
		return "127.0.0.1"
	}
	return cfg.Host
}

// listen serves on ln until ctx is cancelled, then stops accepting and waits
// up to grace for in-flight requests to finish.
func listen(ctx context.Context, app *fiber.App, ln net.Listener, grace time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace_s", grace.Seconds())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := app.ShutdownWithContext(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// pushSender connects to FCM when credentials (or a test endpoint) are
// configured; without them push is off and says so once.
func pushSender(ctx context.Context, cfg config, log *slog.Logger) (notifications.Sender, error) {
	var opts []option.ClientOption
	switch {
	case cfg.FCMCredentialsFile != "":
		opts = append(opts, option.WithCredentialsFile(cfg.FCMCredentialsFile))
	case cfg.FCMEndpoint == "":
		log.Info("push notifications are off: no FCM credentials (the in-app inbox still fills)")
		return nil, nil
	default:
		opts = append(opts, option.WithoutAuthentication())
	}
	if cfg.FCMEndpoint != "" {
		opts = append(opts, option.WithEndpoint(strings.TrimSuffix(cfg.FCMEndpoint, "/")+"/v1"))
	}
	fcm, err := notifications.NewFCM(ctx, cfg.FCMProjectID, opts...)
	if err != nil {
		return nil, err
	}
	log.Info("push notifications are on", "project", cfg.FCMProjectID)
	return fcm, nil
}

// sweepEvery is how often expired records are deleted.
const sweepEvery = 10 * time.Minute

// jobsFirstRun is how soon after start the scheduled jobs first run (then
// every jobs.Runner.Every): soon, so a restart after downtime catches up
// at once, but after startup has settled.
const jobsFirstRun = time.Minute

// every runs fn after first and then every period until ctx is cancelled;
// a failure is logged as what and waits for the next turn.
func every(ctx context.Context, first, period time.Duration, fn func(context.Context) error, what string, log *slog.Logger) {
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				log.Warn(what+" failed", "err", err)
			}
			t.Reset(period)
		}
	}
}

// migrate creates the indexes, runs the one-off data migrations and exits.
func migrate(ctx context.Context, cfg config, log *slog.Logger) error {
	st, closeDB, err := openStore(ctx, cfg, log, nil, time.Now)
	if err != nil {
		return err
	}
	defer closeDB()
	log.Info("indexes ensured")
	av := availability.New(st, time.Now, newID)
	return migrateData(ctx, messaging.New(st, av, time.Now, newID), log)
}

// migrateData runs the one-off data migrations a database has not had yet
// (each is recorded when done): today, the conversation summaries the
// inbox reads. serve runs it before it answers; so does `api migrate`.
func migrateData(ctx context.Context, msg *messaging.Service, log *slog.Logger) error {
	began := time.Now()
	n, err := msg.MigrateConversations(ctx)
	if err != nil {
		return fmt.Errorf("migrate conversation summaries: %w", err)
	}
	if n > 0 {
		log.Info("conversation summaries written", "conversations", n, "duration_ms", time.Since(began).Milliseconds())
	}
	return nil
}

// createAdmin creates the first admin. The password comes from stdin: with a
// terminal it is prompted for without echo, otherwise the first line is read.
func createAdmin(ctx context.Context, cfg config, name, email string, stdin io.Reader, stdout io.Writer) error {
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	st, closeDB, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler), nil, time.Now)
	if err != nil {
		return err
	}
	defer closeDB()
	acc := accounts.New(st, nil, accounts.DefaultLimits, time.Now, newID)
	u, err := acc.CreateAdmin(ctx, name, email, password)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "admin created: %s (id %s)\n", u.Login, u.ID)
	return nil
}

func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password (at least 10 characters): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// keygen prints a new Ed25519 private key for JWT_PRIVATE_KEY.
func keygen(stdout io.Writer) error {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("generate key: %w", err)
	}
	pem, err := auth.MarshalPrivateKeyPEM(key)
	if err != nil {
		return err
	}
	_, err = stdout.Write(pem)
	return err
}

// describe turns a use-case error into a message for the command line.
func describe(err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind == apperr.Internal {
		return err
	}
	msg := ae.Detail
	for _, f := range ae.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(msg)
}
