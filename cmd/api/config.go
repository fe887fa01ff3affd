package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// config is every setting the service reads, all from the environment.
// Defaults live here and nowhere else; .env.example documents them.
type config struct {
	// Host is the address to listen on (HOST): empty means every interface,
	// except with --demo, which listens on loopback unless HOST is set.
	Host string
	Port int // PORT
	// MetricsAddr (METRICS_ADDR), when set, serves /metrics on this
	// address alone (e.g. 127.0.0.1:9090) and not on the API port.
	MetricsAddr      string
	DataDir          string        // DATA_DIR: embedded engine files and the dev signing key
	MongoURI         string        // MONGODB_URI: unset = embedded engine
	MongoDatabase    string        // MONGODB_DATABASE
	JWTPrivateKey    []byte        // JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE (PKCS#8 PEM, Ed25519)
	JWTPreviousKeys  []byte        // JWT_PREVIOUS_PUBLIC_KEYS or JWT_PREVIOUS_PUBLIC_KEYS_FILE (PEM blocks)
	JWTIssuer        string        // JWT_ISSUER
	JWTAudience      string        // JWT_AUDIENCE
	AccessTokenTTL   time.Duration // ACCESS_TOKEN_TTL (at most 15m)
	RequestTimeout   time.Duration // REQUEST_TIMEOUT
	ShutdownGrace    time.Duration // SHUTDOWN_GRACE
	TrustedProxies   []string      // TRUSTED_PROXIES: comma-separated IPs/CIDRs whose X-Forwarded-For is believed
	LogLevel         slog.Level    // LOG_LEVEL: debug, info, warn, error
	InternshipWeeks  int           // INTERNSHIP_MAX_WEEKS: the longest internship (the counselor is warned 2 weeks before)
	Retention        time.Duration // RETENTION_DAYS: how long a leaver's data is kept (a leaving can be undone) before erasure
	HistoryRetention time.Duration // NOTIFICATION_RETENTION_DAYS: how long handled notifications and consumed outbox events are kept
	CaseloadWarning  int           // CASELOAD_WARNING: active participants per counselor above which the statistics flag the caseload

	// Push notifications (FCM). Without credentials and endpoint, push is
	// off and the in-app inbox still fills.
	FCMCredentialsFile string        // FCM_CREDENTIALS_FILE, else GOOGLE_APPLICATION_CREDENTIALS: a service-account JSON file
	FCMProjectID       string        // FCM_PROJECT_ID; default: project_id of the credentials file
	FCMEndpoint        string        // FCM_ENDPOINT: another FCM address (an emulator or a test fake); without credentials it is called unauthenticated
	NotifyInterval     time.Duration // NOTIFY_INTERVAL: how often the notification worker looks for work

	// ReminderOffsets (REMINDER_OFFSETS) are how long before a session its
	// participants are reminded, longest first.
	ReminderOffsets []time.Duration
}

// embedded reports whether the in-process engine is used.
func (c config) embedded() bool { return c.MongoURI == "" }

// loadConfig reads the configuration through getenv (os.Getenv in main, a
// map in tests) and reports every problem at once.
func loadConfig(getenv func(string) string) (config, error) {
	var errs []error
	str := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	dur := func(key string, def time.Duration) time.Duration {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: want a positive duration like 15s, got %q", key, v))
			return def
		}
		return d
	}
	// num reads a whole number from lo to hi (of unit), def when unset.
	num := func(key string, def, lo, hi int, unit string) int {
		n, err := strconv.Atoi(str(key, strconv.Itoa(def)))
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s: want %d to %d %s, got %q", key, lo, hi, unit, getenv(key)))
		}
		return n
	}
	// secret reads KEY, or the file named by KEY_FILE.
	secret := func(key string) []byte {
		v, file := getenv(key), strings.TrimSpace(getenv(key+"_FILE"))
		switch {
		case v != "" && file != "":
			errs = append(errs, fmt.Errorf("%s and %s_FILE are both set; use one", key, key))
		case v != "":
			return []byte(v)
		case file != "":
			b, err := os.ReadFile(file)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", key, err))
			}
			return b
		}
		return nil
	}

	c := config{
		Host:            str("HOST", ""),
		MetricsAddr:     str("METRICS_ADDR", ""),
		DataDir:         str("DATA_DIR", "./data"),
		MongoURI:        str("MONGODB_URI", ""),
		MongoDatabase:   str("MONGODB_DATABASE", "jobkunde"),
		JWTPrivateKey:   secret("JWT_PRIVATE_KEY"),
		JWTPreviousKeys: secret("JWT_PREVIOUS_PUBLIC_KEYS"),
		JWTIssuer:       str("JWT_ISSUER", "jobkunde"),
		JWTAudience:     str("JWT_AUDIENCE", "jobkunde-app"),
		AccessTokenTTL:  dur("ACCESS_TOKEN_TTL", 10*time.Minute),
		RequestTimeout:  dur("REQUEST_TIMEOUT", 15*time.Second),
		ShutdownGrace:   dur("SHUTDOWN_GRACE", 20*time.Second),
	}
	port, err := strconv.Atoi(str("PORT", "8080"))
	if err != nil || port < 0 || port > 65535 {
		errs = append(errs, fmt.Errorf("PORT: want a port number, got %q", getenv("PORT")))
	}
	c.Port = port
	if c.MetricsAddr != "" {
		if _, p, err := net.SplitHostPort(c.MetricsAddr); err != nil || p == "" {
			errs = append(errs, fmt.Errorf("METRICS_ADDR: want host:port such as 127.0.0.1:9090, got %q", c.MetricsAddr))
		}
	}
	if c.Host != "" && net.ParseIP(c.Host) == nil && c.Host != "localhost" {
		errs = append(errs, fmt.Errorf("HOST: want an IP address such as 127.0.0.1 or 0.0.0.0, or localhost; got %q", c.Host))
	}
	c.FCMCredentialsFile = str("FCM_CREDENTIALS_FILE", str("GOOGLE_APPLICATION_CREDENTIALS", ""))
	c.FCMProjectID = str("FCM_PROJECT_ID", "")
	c.FCMEndpoint = str("FCM_ENDPOINT", "")
	c.NotifyInterval = dur("NOTIFY_INTERVAL", 5*time.Second)
	if c.FCMCredentialsFile != "" && c.FCMProjectID == "" {
		id, err := projectIDOf(c.FCMCredentialsFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("FCM_CREDENTIALS_FILE: %w", err))
		}
		c.FCMProjectID = id
	}
	if c.FCMEndpoint != "" && c.FCMProjectID == "" {
		errs = append(errs, errors.New("FCM_PROJECT_ID is required with FCM_ENDPOINT"))
	}
	c.InternshipWeeks = num("INTERNSHIP_MAX_WEEKS", 13, 3, 52, "weeks")
	c.Retention = time.Duration(num("RETENTION_DAYS", 90, 1, 3650, "days")) * 24 * time.Hour
	c.HistoryRetention = time.Duration(num("NOTIFICATION_RETENTION_DAYS", 90, 61, 3650, "days")) * 24 * time.Hour
	// At least 5 (stats.MinCell): a warning on a caseload of 1 to 4 would
	// tell a figure the statistics show as "< 5".
	c.CaseloadWarning = num("CASELOAD_WARNING", 125, 5, 10000, "participants")
	if c.RequestTimeout > time.Minute {
		// Idempotency claims older than two minutes count as abandoned.
		errs = append(errs, fmt.Errorf("REQUEST_TIMEOUT: at most 1m, got %s", c.RequestTimeout))
	}
	if c.AccessTokenTTL > 15*time.Minute {
		errs = append(errs, fmt.Errorf("ACCESS_TOKEN_TTL: at most 15m, got %s", c.AccessTokenTTL))
	}
	if c.MongoURI != "" {
		if !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
			errs = append(errs, errors.New("MONGODB_URI: want a mongodb:// or mongodb+srv:// address"))
		}
		if len(c.JWTPrivateKey) == 0 {
			errs = append(errs, errors.New("JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required with MONGODB_URI (generate one with `api keygen`)"))
		}
	}
	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if err := c.LogLevel.UnmarshalText([]byte(str("LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}
	offsets, err := reminderOffsets(getenv("REMINDER_OFFSETS"))
	if err != nil {
		errs = append(errs, err)
	}
	c.ReminderOffsets = offsets
	return c, errors.Join(errs...)
}

// Bounds of REMINDER_OFFSETS.
const (
	maxReminderOffsets = 5
	maxReminderOffset  = 14 * 24 * time.Hour
)

// reminderOffsets parses REMINDER_OFFSETS ("24h,2h"): up to five distinct
// durations in whole minutes, from 1m to 14 days, returned longest first.
// Blank means the default, 24h and 2h.
func reminderOffsets(v string) ([]time.Duration, error) {
	var out []time.Duration
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		d, err := time.ParseDuration(p)
		switch {
		case err != nil || d < time.Minute || d > maxReminderOffset || d%time.Minute != 0:
			return nil, fmt.Errorf("REMINDER_OFFSETS: want durations from 1m to 336h in whole minutes like 24h,2h; got %q", p)
		case slices.Contains(out, d):
			return nil, fmt.Errorf("REMINDER_OFFSETS: %s is listed twice", p)
		}
		out = append(out, d)
	}
	switch {
	case len(out) == 0:
		return []time.Duration{24 * time.Hour, 2 * time.Hour}, nil
	case len(out) > maxReminderOffsets:
		return nil, fmt.Errorf("REMINDER_OFFSETS: at most %d reminders, got %d", maxReminderOffsets, len(out))
	}
	slices.SortFunc(out, func(a, b time.Duration) int { return int((b - a) / time.Minute) })
	return out, nil
}

// engineLabel says which database is in use without revealing credentials.
func (c config) engineLabel() string {
	if c.embedded() {
		return "embedded FerretDB 1.24 (SQLite) in " + c.DataDir
	}
	// The hosts follow the last "@" (credentials precede it) and end at the
	// path or the options. Parsed by hand: the driver's parser resolves SRV
	// records, and url.Parse rejects replica-set host lists.
	_, rest, _ := strings.Cut(c.MongoURI, "://")
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	if end := strings.IndexAny(rest, "/?"); end >= 0 {
		rest = rest[:end]
	}
	return "mongodb at " + rest
}

// projectIDOf reads the project_id of a service-account JSON file.
func projectIDOf(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var sa struct {
		ProjectID string `json:"project_id"`
	}
	if err := json.Unmarshal(b, &sa); err != nil || sa.ProjectID == "" {
		return "", errors.New("not a service-account file with a project_id")
	}
	return sa.ProjectID, nil
}
