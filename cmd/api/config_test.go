package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// envOf is a getenv backed by a map.
func envOf(m map[string]string) func(string) string {
	return func(key string) string { return m[key] }
}

// defaultConfig is what loadConfig returns with an empty environment.
func defaultConfig() config {
	return config{
		Port:             8080,
		DataDir:          "./data",
		MongoDatabase:    "jobkunde",
		JWTIssuer:        "jobkunde",
		JWTAudience:      "jobkunde-app",
		AccessTokenTTL:   10 * time.Minute,
		RequestTimeout:   15 * time.Second,
		ShutdownGrace:    20 * time.Second,
		InternshipWeeks:  13,
		Retention:        90 * 24 * time.Hour,
		HistoryRetention: 90 * 24 * time.Hour,
		CaseloadWarning:  125,
		LogLevel:         slog.LevelInfo,
		NotifyInterval:   5 * time.Second,
		ReminderOffsets:  []time.Duration{24 * time.Hour, 2 * time.Hour},
	}
}

// withConfig returns the default config changed by f.
func withConfig(f func(c *config)) config {
	c := defaultConfig()
	f(&c)
	return c
}

// writeTemp writes content to a new file in a temp dir and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfig(t *testing.T) {
	keyFile := writeTemp(t, "jwt.pem", "private key from a file\n")
	previousFile := writeTemp(t, "previous.pem", "previous keys from a file\n")
	tests := []struct {
		name string
		env  map[string]string
		want config
	}{
		{name: "defaults", env: map[string]string{}, want: defaultConfig()},
		{
			name: "blank values are defaults",
			env:  map[string]string{"PORT": "  ", "DATA_DIR": " ", "MONGODB_URI": " ", "MONGODB_DATABASE": "\t", "LOG_LEVEL": " "},
			want: defaultConfig(),
		},
		{
			name: "every override",
			env: map[string]string{
				"PORT":                        "9090",
				"DATA_DIR":                    "/var/lib/jobkunde",
				"MONGODB_URI":                 "mongodb://db.example:27017/?replicaSet=rs0",
				"MONGODB_DATABASE":            "jobkunde_test",
				"JWT_PRIVATE_KEY":             "private key",
				"JWT_PREVIOUS_PUBLIC_KEYS":    "previous keys",
				"JWT_ISSUER":                  "issuer",
				"JWT_AUDIENCE":                "audience",
				"ACCESS_TOKEN_TTL":            "5m",
				"REQUEST_TIMEOUT":             "3s",
				"SHUTDOWN_GRACE":              "25s",
				"TRUSTED_PROXIES":             "10.0.0.1",
				"LOG_LEVEL":                   "debug",
				"INTERNSHIP_MAX_WEEKS":        "26",
				"RETENTION_DAYS":              "30",
				"NOTIFICATION_RETENTION_DAYS": "120",
				"CASELOAD_WARNING":            "90",
				"REMINDER_OFFSETS":            "48h",
			},
			want: config{
				Port:             9090,
				DataDir:          "/var/lib/jobkunde",
				MongoURI:         "mongodb://db.example:27017/?replicaSet=rs0",
				MongoDatabase:    "jobkunde_test",
				JWTPrivateKey:    []byte("private key"),
				JWTPreviousKeys:  []byte("previous keys"),
				JWTIssuer:        "issuer",
				JWTAudience:      "audience",
				AccessTokenTTL:   5 * time.Minute,
				RequestTimeout:   3 * time.Second,
				ShutdownGrace:    25 * time.Second,
				TrustedProxies:   []string{"10.0.0.1"},
				LogLevel:         slog.LevelDebug,
				InternshipWeeks:  26,
				Retention:        30 * 24 * time.Hour,
				HistoryRetention: 120 * 24 * time.Hour,
				CaseloadWarning:  90,
				NotifyInterval:   5 * time.Second,
				ReminderOffsets:  []time.Duration{48 * time.Hour},
			},
		},
		{
			name: "caseload warning at the small-cell limit",
			env:  map[string]string{"CASELOAD_WARNING": "5"},
			want: withConfig(func(c *config) { c.CaseloadWarning = 5 }),
		},
		{
			name: "values are trimmed",
			env:  map[string]string{"PORT": " 9090 ", "DATA_DIR": " /srv/data ", "LOG_LEVEL": " warn "},
			want: withConfig(func(c *config) { c.Port, c.DataDir, c.LogLevel = 9090, "/srv/data", slog.LevelWarn }),
		},
		{
			name: "log level is case-insensitive",
			env:  map[string]string{"LOG_LEVEL": "ERROR"},
			want: withConfig(func(c *config) { c.LogLevel = slog.LevelError }),
		},
		{
			name: "TTL of exactly 15m",
			env:  map[string]string{"ACCESS_TOKEN_TTL": "15m"},
			want: withConfig(func(c *config) { c.AccessTokenTTL = 15 * time.Minute }),
		},
		{
			name: "secrets from files",
			env:  map[string]string{"JWT_PRIVATE_KEY_FILE": keyFile, "JWT_PREVIOUS_PUBLIC_KEYS_FILE": previousFile},
			want: withConfig(func(c *config) {
				c.JWTPrivateKey, c.JWTPreviousKeys = []byte("private key from a file\n"), []byte("previous keys from a file\n")
			}),
		},
		{
			name: "MONGODB_URI with a key file",
			env:  map[string]string{"MONGODB_URI": "mongodb+srv://cluster0.example.net/", "JWT_PRIVATE_KEY_FILE": keyFile},
			want: withConfig(func(c *config) {
				c.MongoURI, c.JWTPrivateKey = "mongodb+srv://cluster0.example.net/", []byte("private key from a file\n")
			}),
		},
		{
			name: "trusted proxies split and trimmed",
			env:  map[string]string{"TRUSTED_PROXIES": " 10.0.0.1 , 192.168.0.0/16,,  ,fd00::/8 "},
			want: withConfig(func(c *config) { c.TrustedProxies = []string{"10.0.0.1", "192.168.0.0/16", "fd00::/8"} }),
		},
		{
			name: "trusted proxies only commas",
			env:  map[string]string{"TRUSTED_PROXIES": " , ,"},
			want: defaultConfig(),
		},
		{
			name: "reminder offsets sorted longest first, blanks skipped",
			env:  map[string]string{"REMINDER_OFFSETS": " 1h30m, ,72h,15m "},
			want: withConfig(func(c *config) {
				c.ReminderOffsets = []time.Duration{72 * time.Hour, 90 * time.Minute, 15 * time.Minute}
			}),
		},
		{
			name: "reminder offsets at the bounds",
			env:  map[string]string{"REMINDER_OFFSETS": "1m,336h"},
			want: withConfig(func(c *config) { c.ReminderOffsets = []time.Duration{336 * time.Hour, time.Minute} }),
		},
		{
			name: "reminder offsets only commas",
			env:  map[string]string{"REMINDER_OFFSETS": " , "},
			want: defaultConfig(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(envOf(tt.env))
			if err != nil {
				t.Fatalf("loadConfig(%v) error = %v, want nil", tt.env, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("loadConfig(%v) =\n\t%+v\nwant\n\t%+v", tt.env, got, tt.want)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	keyFile := writeTemp(t, "jwt.pem", "key")
	missing := filepath.Join(t.TempDir(), "no-such-key.pem")
	tests := []struct {
		name      string
		env       map[string]string
		wantParts []string // every one must be mentioned
		wantCount int      // errors joined
	}{
		{
			name: "all problems at once",
			env: map[string]string{
				"PORT":             "eighty",
				"REQUEST_TIMEOUT":  "soon",
				"ACCESS_TOKEN_TTL": "20m",
				"MONGODB_URI":      "mongodb://user:s3cret@db.example:27017/",
			},
			wantParts: []string{"PORT", "REQUEST_TIMEOUT", "ACCESS_TOKEN_TTL", "JWT_PRIVATE_KEY"},
			wantCount: 4,
		},
		{
			name:      "key and key file",
			env:       map[string]string{"JWT_PRIVATE_KEY": "key", "JWT_PRIVATE_KEY_FILE": keyFile},
			wantParts: []string{"JWT_PRIVATE_KEY and JWT_PRIVATE_KEY_FILE are both set"},
			wantCount: 1,
		},
		{
			name:      "previous keys and their file",
			env:       map[string]string{"JWT_PREVIOUS_PUBLIC_KEYS": "key", "JWT_PREVIOUS_PUBLIC_KEYS_FILE": keyFile},
			wantParts: []string{"JWT_PREVIOUS_PUBLIC_KEYS and JWT_PREVIOUS_PUBLIC_KEYS_FILE"},
			wantCount: 1,
		},
		{
			name:      "missing key file",
			env:       map[string]string{"JWT_PRIVATE_KEY_FILE": missing},
			wantParts: []string{"JWT_PRIVATE_KEY_FILE", "no-such-key.pem"},
			wantCount: 1,
		},
		{name: "port too high", env: map[string]string{"PORT": "70000"}, wantParts: []string{"PORT", "70000"}, wantCount: 1},
		{name: "negative port", env: map[string]string{"PORT": "-1"}, wantParts: []string{"PORT"}, wantCount: 1},
		{name: "zero duration", env: map[string]string{"SHUTDOWN_GRACE": "0s"}, wantParts: []string{"SHUTDOWN_GRACE"}, wantCount: 1},
		{name: "negative duration", env: map[string]string{"REQUEST_TIMEOUT": "-5s"}, wantParts: []string{"REQUEST_TIMEOUT"}, wantCount: 1},
		{name: "duration without unit", env: map[string]string{"ACCESS_TOKEN_TTL": "600"}, wantParts: []string{"ACCESS_TOKEN_TTL"}, wantCount: 1},
		{name: "TTL above 15m", env: map[string]string{"ACCESS_TOKEN_TTL": "1h"}, wantParts: []string{"ACCESS_TOKEN_TTL", "15m"}, wantCount: 1},
		{
			name:      "not a mongodb URI",
			env:       map[string]string{"MONGODB_URI": "postgres://user:s3cret@db.example/", "JWT_PRIVATE_KEY": "key"},
			wantParts: []string{"MONGODB_URI"},
			wantCount: 1,
		},
		{name: "internship weeks not a number", env: map[string]string{"INTERNSHIP_MAX_WEEKS": "many"}, wantParts: []string{"INTERNSHIP_MAX_WEEKS"}, wantCount: 1},
		{name: "retention days not a number", env: map[string]string{"RETENTION_DAYS": "forever"}, wantParts: []string{"RETENTION_DAYS"}, wantCount: 1},
		{name: "retention days out of range", env: map[string]string{"RETENTION_DAYS": "0"}, wantParts: []string{"RETENTION_DAYS", "1 to 3650"}, wantCount: 1},
		{name: "notification retention shorter than the jobs look back", env: map[string]string{"NOTIFICATION_RETENTION_DAYS": "30"}, wantParts: []string{"NOTIFICATION_RETENTION_DAYS", "61 to 3650"}, wantCount: 1},
		{name: "internship weeks out of range", env: map[string]string{"INTERNSHIP_MAX_WEEKS": "60"}, wantParts: []string{"INTERNSHIP_MAX_WEEKS", "3 to 52"}, wantCount: 1},
		{name: "caseload warning not a number", env: map[string]string{"CASELOAD_WARNING": "lots"}, wantParts: []string{"CASELOAD_WARNING"}, wantCount: 1},
		{name: "caseload warning zero", env: map[string]string{"CASELOAD_WARNING": "0"}, wantParts: []string{"CASELOAD_WARNING", "5 to 10000"}, wantCount: 1},
		// A warning on a caseload of 1 to 4 would reveal a figure shown as "< 5".
		{name: "caseload warning under the small-cell limit", env: map[string]string{"CASELOAD_WARNING": "4"}, wantParts: []string{"CASELOAD_WARNING", "5 to 10000"}, wantCount: 1},
		{name: "caseload warning too large", env: map[string]string{"CASELOAD_WARNING": "10001"}, wantParts: []string{"CASELOAD_WARNING", "5 to 10000"}, wantCount: 1},
		{name: "FCM endpoint without a project", env: map[string]string{"FCM_ENDPOINT": "http://127.0.0.1:9"}, wantParts: []string{"FCM_PROJECT_ID"}, wantCount: 1},
		{name: "FCM credentials file missing", env: map[string]string{"FCM_CREDENTIALS_FILE": missing}, wantParts: []string{"FCM_CREDENTIALS_FILE"}, wantCount: 1},
		{name: "unknown log level", env: map[string]string{"LOG_LEVEL": "loud"}, wantParts: []string{"LOG_LEVEL"}, wantCount: 1},
		{name: "reminder offset not a duration", env: map[string]string{"REMINDER_OFFSETS": "24h,soon"}, wantParts: []string{"REMINDER_OFFSETS", "soon"}, wantCount: 1},
		{name: "reminder offset negative", env: map[string]string{"REMINDER_OFFSETS": "-2h"}, wantParts: []string{"REMINDER_OFFSETS", "-2h"}, wantCount: 1},
		{name: "reminder offset zero", env: map[string]string{"REMINDER_OFFSETS": "0s"}, wantParts: []string{"REMINDER_OFFSETS"}, wantCount: 1},
		{name: "reminder offset in seconds", env: map[string]string{"REMINDER_OFFSETS": "90s"}, wantParts: []string{"REMINDER_OFFSETS", "whole minutes"}, wantCount: 1},
		{name: "reminder offset too long", env: map[string]string{"REMINDER_OFFSETS": "337h"}, wantParts: []string{"REMINDER_OFFSETS", "337h"}, wantCount: 1},
		{name: "reminder offset twice", env: map[string]string{"REMINDER_OFFSETS": "2h,120m"}, wantParts: []string{"REMINDER_OFFSETS", "twice"}, wantCount: 1},
		{name: "too many reminder offsets", env: map[string]string{"REMINDER_OFFSETS": "1h,2h,3h,4h,5h,6h"}, wantParts: []string{"REMINDER_OFFSETS", "at most 5"}, wantCount: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(envOf(tt.env))
			if err == nil {
				t.Fatalf("loadConfig(%v) error = nil, want one naming %v", tt.env, tt.wantParts)
			}
			msg := err.Error()
			for _, part := range tt.wantParts {
				if !strings.Contains(msg, part) {
					t.Errorf("loadConfig() error %q does not mention %q", msg, part)
				}
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("loadConfig() error %q reveals a password", msg)
			}
			var joined interface{ Unwrap() []error }
			if !errors.As(err, &joined) {
				t.Fatalf("loadConfig() error %T is not joined", err)
			}
			if got := len(joined.Unwrap()); got != tt.wantCount {
				t.Errorf("loadConfig() joined %d errors, want %d: %q", got, tt.wantCount, msg)
			}
		})
	}
}

func TestEngineLabel(t *testing.T) {
	tests := []struct {
		name     string
		cfg      config
		want     string
		mustHide string
	}{
		{
			name:     "embedded",
			cfg:      config{DataDir: "/srv/data"},
			want:     "embedded FerretDB 1.24 (SQLite) in /srv/data",
			mustHide: "s3cret",
		},
		{
			name:     "password in the URI",
			cfg:      config{MongoURI: "mongodb://user:s3cret@db.example:27017/?replicaSet=rs0"},
			want:     "mongodb at db.example:27017",
			mustHide: "s3cret",
		},
		{
			name:     "SRV URI with a password",
			cfg:      config{MongoURI: "mongodb+srv://app:s3cret@cluster0.example.net/jobkunde?retryWrites=true"},
			want:     "mongodb at cluster0.example.net",
			mustHide: "s3cret",
		},
		{
			name:     "password in the query",
			cfg:      config{MongoURI: "mongodb://db.example:27017/?authMechanism=PLAIN&password=s3cret"},
			want:     "mongodb at db.example:27017",
			mustHide: "s3cret",
		},
		{
			name:     "unparseable port",
			cfg:      config{MongoURI: "mongodb://user:s3cret@db.example:port/"},
			want:     "mongodb at db.example:port",
			mustHide: "s3cret",
		},
		{
			name:     "unescaped slash in the password",
			cfg:      config{MongoURI: "mongodb://user:12345/x@db.example/"},
			want:     "mongodb at db.example",
			mustHide: "12345",
		},
		{
			name:     "replica-set host list",
			cfg:      config{MongoURI: "mongodb://u:pw@a.example:27017,b.example:27017/?replicaSet=rs0"},
			want:     "mongodb at a.example:27017,b.example:27017",
			mustHide: "pw",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.engineLabel()
			if got != tt.want {
				t.Errorf("engineLabel() = %q, want %q", got, tt.want)
			}
			if strings.Contains(got, tt.mustHide) {
				t.Errorf("engineLabel() = %q reveals %q", got, tt.mustHide)
			}
		})
	}
}

// Every variable loadConfig reads is in the README's configuration table
// and in .env.example, and where the reader bounds a number, both state the
// same range. The reader itself says what it reads and its bounds.
func TestConfigIsDocumentedEverywhere(t *testing.T) {
	var read []string
	if _, err := loadConfig(func(k string) string {
		if !slices.Contains(read, k) {
			read = append(read, k)
		}
		return ""
	}); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table := string(readme)
	start := strings.Index(table, "## Configuration")
	if start < 0 {
		t.Fatal("README has no ## Configuration section")
	}
	table = table[start:]
	if end := strings.Index(table[3:], "\n## "); end >= 0 {
		table = table[:end+3]
	}
	example, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	bounds := regexp.MustCompile(`want (\d+) to (\d+) `)
	for _, key := range read {
		row := ""
		for _, line := range strings.Split(table, "\n") {
			if strings.HasPrefix(line, "|") && strings.Contains(line, "`"+key+"`") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("%s: not in the README's configuration table", key)
		}
		block := envExampleBlock(string(example), key)
		if block == "" {
			t.Errorf("%s: not in .env.example", key)
		}
		_, err := loadConfig(func(k string) string {
			if k == key {
				return "-999999999"
			}
			return ""
		})
		m := bounds.FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			continue
		}
		if want := m[1] + "–" + m[2]; !strings.Contains(row, want) {
			t.Errorf("%s: the reader takes %s to %s; the README row says %q", key, m[1], m[2], row)
		}
		if want := m[1] + " to " + m[2]; block != "" && !strings.Contains(block, want) {
			t.Errorf("%s: the reader takes %s to %s; .env.example says %q", key, m[1], m[2], block)
		}
	}
	// And nothing documented that the reader ignores.
	documented := regexp.MustCompile(`(?m)^#?([A-Z][A-Z0-9_]+)=`).FindAllStringSubmatch(string(example), -1)
	for _, d := range documented {
		if !slices.Contains(read, d[1]) {
			t.Errorf(".env.example documents %s, which the service does not read", d[1])
		}
	}
}

// envExampleBlock returns key's line in .env.example with the comment lines
// just above it, or "" when the key is not there.
func envExampleBlock(example, key string) string {
	lines := strings.Split(example, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+"=") || strings.HasPrefix(l, "#"+key+"=") {
			j := i
			for j > 0 && strings.HasPrefix(lines[j-1], "# ") {
				j--
			}
			return strings.Join(lines[j:i+1], "\n")
		}
	}
	return ""
}

// The demo, whose password is public, listens on loopback unless HOST says
// otherwise; the service listens where HOST says, every interface by default.
func TestListenHost(t *testing.T) {
	tests := []struct {
		host string
		demo bool
		want string
	}{
		{host: "", demo: true, want: "127.0.0.1"},
		{host: "0.0.0.0", demo: true, want: "0.0.0.0"},
		{host: "", demo: false, want: ""},
		{host: "10.0.0.5", demo: false, want: "10.0.0.5"},
	}
	for _, tt := range tests {
		if got := listenHost(config{Host: tt.host}, tt.demo); got != tt.want {
			t.Errorf("listenHost(HOST=%q, demo %v) = %q, want %q", tt.host, tt.demo, got, tt.want)
		}
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"HOST": "my laptop"}[k] }); err == nil || !strings.Contains(err.Error(), "HOST") {
		t.Errorf("HOST=my laptop: %v, want a HOST error", err)
	}
}
