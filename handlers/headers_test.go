package handlers

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// fakeRosters serves one roster CSV; nothing else is called here.
type fakeRosters struct{}

func (fakeRosters) RecordAttendance(context.Context, auth.Principal, string, []activity.Mark) ([]models.Attendance, error) {
	panic("not called")
}

func (fakeRosters) Figures(context.Context, auth.Principal, string) (activity.Figures, error) {
	panic("not called")
}

func (fakeRosters) RosterCSV(context.Context, auth.Principal, string, string) ([]byte, error) {
	return []byte("navn;status\r\n"), nil
}

// newHeadersApp is the real app with fakes behind a few routes of each
// kind: JSON with and without a bearer token, a CSV export, the calendar
// feed, the ops routes and the docs.
func newHeadersApp() *fiber.App {
	return NewApp(Deps{
		Log: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
		JWKS: []byte(`{"keys":[]}`), OpenAPI: []byte("openapi: 3.0.3"),
		Ready:        func(context.Context) error { return nil },
		Tokens:       adminVerifier{},
		PensionRules: &fakeRuleBook{},
		Rosters:      fakeRosters{},
		Calendar:     fakeCalendar{feeds: map[string][]byte{"tok": []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}},
	})
}

// wantAPIPolicy is the Content-Security-Policy of every response but the docs'.
const wantAPIPolicy = "default-src 'none'; frame-ancestors 'none'"

// TestSecurityHeaders checks the headers every response carries: nosniff
// always, no-store on every answer to a request that carried or needed a
// bearer token (errors included), and no framing. Routes that may be cached
// (the public keys, the calendar feed without a bearer token) keep their own
// Cache-Control; everything else is not stored either.
func TestSecurityHeaders(t *testing.T) {
	app := newHeadersApp()
	tests := []struct {
		name, method, path, token string
		status                    int
		contentType               string // the media type, without parameters
		cacheControl              string
		csp                       string // "docs": the docs page's own policy
	}{
		{name: "JSON with a bearer token", method: "GET", path: "/v1/pension-rules", token: "admin",
			status: 200, contentType: "application/json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "CSV export", method: "GET", path: "/v1/activities/a1/roster.csv", token: "admin",
			status: 200, contentType: "text/csv", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "no bearer token on a route that needs one", method: "GET", path: "/v1/pension-rules",
			status: 401, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "a bad bearer token", method: "GET", path: "/v1/pension-rules", token: "forged",
			status: 401, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "an error with a bearer token", method: "GET", path: "/v1/pension-rules/2026", token: "admin",
			status: 405, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "calendar feed", method: "GET", path: "/v1/calendar/tok.ics",
			status: 200, contentType: "text/calendar", cacheControl: "private, max-age=300", csp: wantAPIPolicy},
		{name: "calendar feed with a bearer token is not stored", method: "GET", path: "/v1/calendar/tok.ics", token: "admin",
			status: 200, contentType: "text/calendar", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "unknown calendar link", method: "GET", path: "/v1/calendar/nope.ics",
			status: 404, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "public keys", method: "GET", path: "/.well-known/jwks.json",
			status: 200, contentType: "application/json", cacheControl: "public, max-age=300", csp: wantAPIPolicy},
		{name: "health", method: "GET", path: "/healthz",
			status: 200, contentType: "application/json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "contract", method: "GET", path: "/openapi.yaml",
			status: 200, contentType: "application/yaml", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "unknown route", method: "GET", path: "/nowhere",
			status: 404, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
		{name: "docs page", method: "GET", path: "/docs/",
			status: 200, contentType: "text/html", cacheControl: "no-store", csp: "docs"},
		{name: "docs redirect", method: "GET", path: "/docs",
			status: 301, contentType: "", cacheControl: "no-store", csp: "docs"},
		{name: "docs script", method: "GET", path: "/docs/swagger-ui-bundle.js",
			status: 200, contentType: "application/javascript", cacheControl: "no-store", csp: "docs"},
		{name: "docs style", method: "GET", path: "/docs/swagger-ui.css",
			status: 200, contentType: "text/css", cacheControl: "no-store", csp: "docs"},
		{name: "unknown docs asset", method: "GET", path: "/docs/nope.js",
			status: 404, contentType: "application/problem+json", cacheControl: "no-store", csp: wantAPIPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			mediaType, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
			if mediaType != tt.contentType {
				t.Errorf("Content-Type %q, want %s", resp.Header.Get("Content-Type"), tt.contentType)
			}
			checkHeaders(t, resp.Header, map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          tt.cacheControl,
				"X-Frame-Options":        "DENY",
			})
			csp := resp.Header.Get("Content-Security-Policy")
			if tt.csp == "docs" {
				if !strings.HasPrefix(csp, "default-src 'none'; script-src 'self' 'sha256-") {
					t.Errorf("Content-Security-Policy %q, want the docs page's policy", csp)
				}
			} else if csp != tt.csp {
				t.Errorf("Content-Security-Policy %q, want %q", csp, tt.csp)
			}
		})
	}
}

// checkHeaders fails for each header that is not sent exactly once with
// the wanted value.
func checkHeaders(t *testing.T, h http.Header, want map[string]string) {
	t.Helper()
	for name, v := range want {
		if got := h.Values(name); !slices.Equal(got, []string{v}) {
			t.Errorf("%s %q, want exactly %q", name, got, v)
		}
	}
}

// TestSecurityHeadersOnServerErrors checks an answer Fiber writes before any
// middleware runs (request headers too large for the read buffer): it too
// is a problem document and carries the headers.
func TestSecurityHeadersOnServerErrors(t *testing.T) {
	app := newHeadersApp()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	big := strings.Repeat("x", 16<<10)
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "+big+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	checkHeaders(t, resp.Header, map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": wantAPIPolicy,
	})
}

// TestDocsUnknownPathsAreProblems checks that every error under /docs/ is
// a problem document like everywhere else, never a plain-text 404.
func TestDocsUnknownPathsAreProblems(t *testing.T) {
	app := newHeadersApp()
	tests := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{name: "unknown file", method: "GET", path: "/docs/nope.js", status: 404, code: "route.not_found"},
		{name: "unknown folder", method: "GET", path: "/docs/a/b/c", status: 404, code: "route.not_found"},
		{name: "index.html", method: "GET", path: "/docs/index.html", status: 404, code: "route.not_found"},
		{name: "a source map", method: "GET", path: "/docs/swagger-ui-bundle.js.map", status: 404, code: "route.not_found"},
		{name: "the compressed file's own name", method: "GET", path: "/docs/swagger-ui.css.gz", status: 404, code: "route.not_found"},
		{name: "HEAD of an unknown file", method: "HEAD", path: "/docs/nope.js", status: 404},
		{name: "POST", method: "POST", path: "/docs/swagger-ui.css", status: 405, code: "route.method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := app.Test(httptest.NewRequest(tt.method, tt.path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			if tt.code == "" {
				return // HEAD: no body
			}
			var p problemDoc
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatalf("not a problem document: %v: %s", err, raw)
			}
			if p.Code != tt.code || p.Status != tt.status {
				t.Errorf("problem code %q status %d, want %q %d", p.Code, p.Status, tt.code, tt.status)
			}
		})
	}
}

// TestDocsPageLoadsUnderItsPolicy does what a browser does with the docs
// page under its Content-Security-Policy: every file it names is served
// from this server with a media type nosniff accepts, and every inline
// script and style is allowed by hash, so the page works without
// 'unsafe-inline' or 'unsafe-eval'.
func TestDocsPageLoadsUnderItsPolicy(t *testing.T) {
	app := newHeadersApp()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(raw)
	}
	resp, page := get("/docs/")
	if resp.StatusCode != 200 {
		t.Fatalf("docs page: status %d", resp.StatusCode)
	}
	policy := map[string][]string{}
	for _, d := range strings.Split(resp.Header.Get("Content-Security-Policy"), ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			policy[f[0]] = f[1:]
		}
	}
	want := map[string][]string{
		"default-src":     {"'none'"},
		"img-src":         {"'self'", "data:"},
		"connect-src":     {"'self'"},
		"base-uri":        {"'none'"},
		"form-action":     {"'none'"},
		"frame-ancestors": {"'none'"},
	}
	for name, v := range want {
		if !slices.Equal(policy[name], v) {
			t.Errorf("policy %s %q, want %q", name, policy[name], v)
		}
	}
	for _, name := range []string{"script-src", "style-src"} {
		for _, v := range policy[name] {
			if v != "'self'" && !strings.HasPrefix(v, "'sha256-") {
				t.Errorf("policy %s allows %s; want only 'self' and hashes", name, v)
			}
		}
	}

	// Inline blocks: each needs its hash in the policy.
	inline := []struct{ directive, tag string }{{"script-src", "script"}, {"style-src", "style"}}
	for _, in := range inline {
		blocks := regexp.MustCompile(`(?s)<`+in.tag+`>(.*?)</`+in.tag+`>`).FindAllStringSubmatch(page, -1)
		if len(blocks) == 0 {
			t.Errorf("no inline <%s> found: did the page change?", in.tag)
		}
		for _, b := range blocks {
			sum := sha256.Sum256([]byte(b[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !slices.Contains(policy[in.directive], h) {
				t.Errorf("inline <%s> with hash %s is not allowed by %s %q", in.tag, h, in.directive, policy[in.directive])
			}
		}
	}
	if regexp.MustCompile(`<[^>]+\son[a-z]+=`).MatchString(page) || strings.Contains(page, "style=") {
		t.Error("the page has inline event handlers or style attributes, which hashes do not allow")
	}

	// Files: each from this server, with the media type its tag needs.
	wantType := map[string]string{"script": "application/javascript", "stylesheet": "text/css", "icon": "image/png"}
	refs := regexp.MustCompile(`<script src="([^"]+)"|<link rel="(stylesheet|icon)"[^>]* href="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("the page names %d files, want its scripts, stylesheet and icons", len(refs))
	}
	for _, r := range refs {
		kind, path := "script", r[1]
		if path == "" {
			kind, path = r[2], r[3]
		}
		if !strings.HasPrefix(path, "/docs/") {
			t.Errorf("the page loads %s from elsewhere ('self' only)", path)
			continue
		}
		resp, _ := get(path)
		mediaType, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
		if resp.StatusCode != 200 || mediaType != wantType[kind] {
			t.Errorf("%s %s: status %d, Content-Type %q; want 200, %s", kind, path, resp.StatusCode, mediaType, wantType[kind])
		}
	}
	// The contract the page fetches (connect-src 'self').
	if !strings.Contains(page, `"swaggerJsonUrl":"/openapi.yaml"`) {
		t.Error("the page does not fetch /openapi.yaml from this server")
	}
}
