package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

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
