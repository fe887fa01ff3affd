package handlers

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/privacy"
)

// apiContentPolicy is the Content-Security-Policy of every response but the
// docs page's: an API answer loads nothing and is framed by no one.
const apiContentPolicy = "default-src 'none'; frame-ancestors 'none'"

// secureDefaults sets the headers every response starts with: never
// sniffed, not stored (a route whose answer may be cached says so itself),
// loading nothing, framed by no one. securityHeaders sets them before
// anything else runs; ErrorHandler sets them again on every problem, also
// on those Fiber hands it before any middleware runs (request headers too
// large, a body over Fiber's own limit).
func secureDefaults(c *fiber.Ctx) {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, apiContentPolicy)
	c.Set(fiber.HeaderXFrameOptions, "DENY")
}

// securityHeaders is the one place the security headers are decided: the
// defaults on every response, the docs page's own Content-Security-Policy
// under /docs, and no-store on every answer to a request that carried a
// bearer token, whatever its route set, as such an answer is personal. A
// route that needs a token and gets none answers 401, which keeps the
// default no-store.
func securityHeaders(docsPolicy string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		secureDefaults(c)
		if p := c.Path(); p == "/docs" || strings.HasPrefix(p, "/docs/") {
			c.Set(fiber.HeaderContentSecurityPolicy, docsPolicy)
		}
		err := c.Next()
		if len(c.Request().Header.Peek(fiber.HeaderAuthorization)) > 0 {
			c.Set(fiber.HeaderCacheControl, "no-store")
		}
		return err
	}
}

type requestIDKey struct{}

// assignRequestID gives every request an ID, echoed in X-Request-ID and put
// in its log lines. A caller's own ID (a proxy's, the app's) is kept when it
// is a short plain token; anything else is replaced, so logs stay clean.
func assignRequestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !plainToken(id) {
		id = uuid.NewString()
	}
	c.Locals(requestIDKey{}, id)
	c.SetUserContext(context.WithValue(c.UserContext(), requestIDKey{}, id))
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// RequestIDFrom returns the ID of the request whose context ctx is (or
// derives from), or "" outside a request. The database command monitor of
// the query-shape tests uses it to tell which request sent a command.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func plainToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// requestID returns the request's ID.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey{}).(string)
	return id
}

// routeLabel is the matched route template ("/v1/participants/:id"), never
// the raw path: paths carry IDs, and labels must stay few.
func routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	if r == nil || r.Method == "USE" || r.Path == "/" && c.Path() != "/" {
		return "unmatched"
	}
	return r.Path
}

// metrics are the HTTP metrics exported on /metrics.
type metrics struct {
	duration *prometheus.HistogramVec
	requests *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve a request, by route template and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "Requests served, by route template, method and status.",
		}, []string{"method", "route", "status"}),
	}
	reg.MustRegister(m.duration, m.requests)
	return m
}

// observe writes the error response itself (so the status is final), then
// records metrics and one access-log line. The line has no path, query,
// body, user or address: only what is safe to keep.
func observe(log *slog.Logger, m *metrics, onError fiber.ErrorHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			if herr := onError(c, err); herr != nil {
				return herr
			}
		}
		d := time.Since(start)
		status := c.Response().StatusCode()
		route, method := routeLabel(c), c.Method()
		m.duration.WithLabelValues(method, route).Observe(d.Seconds())
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("request_id", requestID(c)),
			slog.String("method", method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		)
		return nil
	}
}

// timeout bounds the work a request may cause through its context.
func timeout(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// TokenVerifier checks access tokens; *auth.Tokens satisfies it.
type TokenVerifier interface {
	Verify(token string) (auth.Claims, error)
}

// SessionChecker tells whether a login session was ended (logout, a
// reused refresh token, a password reset, leaving the programme).
type SessionChecker interface {
	FamilyRevoked(ctx context.Context, familyID string) (bool, error)
}

// AccessRecorder writes the access log of staff reads and changes of
// participants' data; *privacy.Service satisfies it.
type AccessRecorder interface {
	Record(ctx context.Context, p auth.Principal, v privacy.Visit) error
}

// requireAuth admits requests with a valid bearer access token of a session
// that has not ended, and puts the caller's Principal in the request
// context. Checking the session on every request makes an ended session
// (logout, leaving) lose access at once rather than when its access token
// expires.
//
// Afterwards, a staff request that touched participants' data (the Trail
// Authorize filled) is written to the access log. A response is only sent
// once its access-log lines are stored: if they cannot be, the request
// fails, so no staff read goes unlogged.
func requireAuth(v TokenVerifier, sessions SessionChecker, access AccessRecorder) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return apperr.New(apperr.Unauthenticated, "auth.missing_token", "Please log in to continue.")
		}
		cl, err := v.Verify(strings.TrimSpace(token))
		if err != nil {
			return err
		}
		if sessions != nil {
			ended, err := sessions.FamilyRevoked(c.UserContext(), cl.SessionID)
			if err != nil {
				return err
			}
			if ended {
				return apperr.New(apperr.Unauthenticated, "auth.session_ended", "Please log in again.")
			}
		}
		p := auth.Principal{UserID: cl.UserID, Role: cl.Role, DeptID: cl.DeptID, SessionID: cl.SessionID, Trail: &auth.Trail{}}
		c.SetUserContext(auth.WithPrincipal(c.UserContext(), p))
		if err := c.Next(); err != nil {
			return err
		}
		if access == nil || c.Response().StatusCode() >= 400 {
			return nil
		}
		// The line is written even when the request's own deadline has
		// passed meanwhile: a change is stored by now and must be logged.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), accessLogTimeout)
		defer cancel()
		err = access.Record(ctx, p, privacy.Visit{
			Route:     c.Method() + " " + c.Route().Path,
			Change:    c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead,
			RequestID: requestID(c),
		})
		if err != nil {
			// The answer becomes the error: nothing of the data goes out.
			c.Response().Header.Del(fiber.HeaderContentDisposition)
		}
		return err
	}
}

// accessLogTimeout bounds writing a request's access-log lines.
const accessLogTimeout = 5 * time.Second

// principal returns the authenticated caller; requireAuth guarantees one on
// every /v1 route that uses it.
func principal(c *fiber.Ctx) auth.Principal {
	p, _ := auth.PrincipalFrom(c.UserContext())
	return p
}

// IdempotencyStore keeps responses to requests sent with an Idempotency-Key.
type IdempotencyStore interface {
	// BeginIdempotent claims r.ID, or returns the record already there.
	BeginIdempotent(ctx context.Context, r models.IdempotencyRecord) (*models.IdempotencyRecord, error)
	TakeOverIdempotent(ctx context.Context, abandoned, r models.IdempotencyRecord) (*models.IdempotencyRecord, error)
	CompleteIdempotent(ctx context.Context, id string, status int, contentType string, body []byte) error
	// AbortIdempotent releases the claim r, and no later claim of its key.
	AbortIdempotent(ctx context.Context, r models.IdempotencyRecord) error
}

const (
	// idempotencyTTL is how long a response is kept for replay.
	idempotencyTTL = 24 * time.Hour
	// abandonedAfter is when an unfinished claim counts as left behind by a
	// process that died; it is well above any request timeout.
	abandonedAfter = 2 * time.Minute
	// settleWait is how long an answer waits for its outcome (a stored
	// response, or a released key) to be recorded, and how often (and how
	// long) recording it is tried again when the database did not answer.
	settleWait = time.Second
)

// idempotent makes a creating POST safe to retry: the same key with the same
// body returns the stored response; the same key with another body is a 422;
// a retry while the first is still running is a 409. Keys are scoped to the
// caller and the route. Server errors are not stored, so they can be retried.
func idempotent(store IdempotencyStore, onError fiber.ErrorHandler, now func() time.Time, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get("Idempotency-Key")
		if key == "" {
			return c.Next()
		}
		if len(key) > 255 || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			return apperr.New(apperr.Invalid, "idempotency.invalid_key", "Idempotency-Key must be 1-255 visible characters.")
		}
		sum := sha256.Sum256(c.Body())
		rec := models.IdempotencyRecord{
			ID:          hashKey(principal(c).UserID, c.Method(), c.Route().Path, routeParams(c), key),
			RequestHash: hex.EncodeToString(sum[:]),
			CreatedAt:   now(),
			ExpiresAt:   now().Add(idempotencyTTL),
		}
		// The outcome is recorded even if the client left. The answer waits
		// at most settleWait for it: a database that does not answer by then
		// is most likely unreachable (often why the request failed), and the
		// outcome is recorded once it is back, so the client's retry meets
		// it then instead of idempotency.in_progress until abandonedAfter.
		ctx := context.WithoutCancel(c.UserContext())
		settle := func(op func(context.Context) error) {
			sctx, cancel := context.WithTimeout(ctx, settleWait)
			defer cancel()
			if err := op(sctx); err != nil {
				go settleLater(op, log, requestID(c))
			}
		}
		release := func(ctx context.Context) error { return store.AbortIdempotent(ctx, rec) }
		prev, err := store.BeginIdempotent(c.UserContext(), rec)
		if err != nil {
			// The claim may be stored though its answer was lost (the
			// database went away meanwhile): free the key for the retry.
			settle(release)
			return err
		}
		if prev != nil && !prev.Done && now().Sub(prev.CreatedAt) > abandonedAfter {
			// The first attempt's process died before it finished: take over.
			if prev, err = store.TakeOverIdempotent(c.UserContext(), *prev, rec); err != nil {
				settle(release)
				return err
			}
		}
		if prev != nil {
			switch {
			case prev.RequestHash != rec.RequestHash:
				return apperr.New(apperr.RuleViolation, "idempotency.key_reused", "This Idempotency-Key was used for a different request.")
			case !prev.Done:
				return apperr.New(apperr.Conflict, "idempotency.in_progress", "The same request is in progress; retry shortly.")
			}
			c.Set("Idempotent-Replayed", "true")
			c.Set(fiber.HeaderContentType, prev.ContentType)
			body, err := openBody(key, rec.ID, prev.Body)
			if err != nil {
				return err
			}
			return c.Status(prev.Status).Send(body)
		}
		defer func() {
			if r := recover(); r != nil { // free the key for a retry, then let recover answer
				_ = release(ctx)
				panic(r)
			}
		}()
		if err := c.Next(); err != nil {
			if herr := onError(c, err); herr != nil {
				return herr
			}
		}
		status := c.Response().StatusCode()
		if status >= 500 { // free the key: the retry runs again
			settle(release)
			return nil
		}
		sealed, err := sealBody(key, rec.ID, c.Response().Body())
		if err != nil {
			return err
		}
		contentType := string(c.Response().Header.ContentType())
		settle(func(ctx context.Context) error {
			return store.CompleteIdempotent(ctx, rec.ID, status, contentType, sealed)
		})
		return nil
	}
}

// settleLater keeps trying op, which records the outcome of a request
// under its Idempotency-Key, until it succeeds or the record is gone. It
// gives up after half of abandonedAfter, before a retry could take the
// claim over; the work is done either way, only its record is lost.
func settleLater(op func(context.Context) error, log *slog.Logger, reqID string) {
	giveUp := time.NewTimer(abandonedAfter / 2)
	defer giveUp.Stop()
	tick := time.NewTicker(settleWait)
	defer tick.Stop()
	for {
		select {
		case <-giveUp.C:
			log.Warn("idempotency record not settled", "request_id", reqID)
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), settleWait)
		err := op(ctx)
		cancel()
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return
		}
	}
}

// routeParams joins the route's parameter values, so one key on
// /participants/A and /participants/B does not collide.
func routeParams(c *fiber.Ctx) string {
	var b strings.Builder
	for _, name := range c.Route().Params {
		b.WriteString(c.Params(name))
		b.WriteByte(0)
	}
	return b.String()
}

func hashKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The stored response is sealed (AES-256-GCM) with a key derived from the
// client's Idempotency-Key, which is never stored: only the client can open
// it again. Some responses carry a one-time secret (an activation code), and
// a copy of the database must not reveal it.
func bodyAEAD(key string) (cipher.AEAD, error) {
	k := sha256.Sum256([]byte("jobkunde idempotent response\x00" + key))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("idempotency cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// sealBody encrypts body, bound to the record ID.
func sealBody(key, recordID string, body []byte) ([]byte, error) {
	aead, err := bodyAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("idempotency nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, body, []byte(recordID)), nil
}

// openBody decrypts a body sealed by sealBody.
func openBody(key, recordID string, sealed []byte) ([]byte, error) {
	aead, err := bodyAEAD(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("idempotency record: sealed body too short")
	}
	body, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(recordID))
	if err != nil {
		return nil, fmt.Errorf("idempotency record: %w", err)
	}
	return body, nil
}
