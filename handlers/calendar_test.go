package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
)

// fakeCalendar is a hand-written fake of the calendar feed use cases.
type fakeCalendar struct {
	feeds map[string][]byte // token → document
}

func (f fakeCalendar) RotateCalendarFeed(context.Context, auth.Principal) (activity.CalendarLink, error) {
	panic("not called without a bearer token")
}

func (f fakeCalendar) RevokeCalendarFeed(context.Context, auth.Principal) error {
	panic("not called without a bearer token")
}

func (f fakeCalendar) CalendarFeed(_ context.Context, token string) ([]byte, error) {
	if doc, ok := f.feeds[token]; ok {
		return doc, nil
	}
	return nil, apperr.New(apperr.NotFound, "calendar.not_found", "This calendar link no longer works.")
}

func TestCalendarSchemaMatchesType(t *testing.T) {
	doc := loadContract(t)
	ref := doc.Components.Schemas["CalendarLink"]
	if ref == nil || ref.Value == nil {
		t.Fatal("CalendarLink is not in components/schemas")
	}
	fields, required := jsonFields(reflect.TypeOf(activity.CalendarLink{}))
	if got := sortedKeys(ref.Value.Properties); !slices.Equal(got, fields) {
		t.Errorf("CalendarLink properties %v, Go type has %v", got, fields)
	}
	got := slices.Clone(ref.Value.Required)
	sort.Strings(got)
	if !slices.Equal(got, required) {
		t.Errorf("CalendarLink required %v, Go type always sends %v", got, required)
	}
}

// TestCalendarFeedRoute checks the feed route takes no bearer token, sends
// the document with its media type and cache header, and answers an
// unknown token with the contract's problem.
func TestCalendarFeedRoute(t *testing.T) {
	doc := loadContract(t)
	const ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
	app := NewApp(Deps{
		Log: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(), JWKS: []byte("{}"), OpenAPI: []byte("x"),
		Ready:    func(context.Context) error { return nil },
		Calendar: fakeCalendar{feeds: map[string][]byte{"tok-en_1": []byte(ics)}},
	})
	tests := []struct {
		name, method, path string
		status             int
		contentType, code  string
		cacheControl, body string
	}{
		{name: "feed", method: "GET", path: "/v1/calendar/tok-en_1.ics", status: 200, contentType: "text/calendar; charset=utf-8", cacheControl: "private, max-age=300", body: ics},
		{name: "unknown token", method: "GET", path: "/v1/calendar/nope.ics", status: 404, contentType: "application/problem+json", code: "calendar.not_found"},
		{name: "no .ics suffix", method: "GET", path: "/v1/calendar/tok-en_1", status: 404, contentType: "application/problem+json", code: "route.not_found"},
		{name: "rotate needs a bearer token", method: "POST", path: "/v1/me/calendar-feed", status: 401, contentType: "application/problem+json", code: "auth.missing_token"},
		{name: "revoke needs a bearer token", method: "DELETE", path: "/v1/me/calendar-feed", status: 401, contentType: "application/problem+json", code: "auth.missing_token"},
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
				t.Fatalf("%s %s: status %d, want %d: %s", tt.method, tt.path, resp.StatusCode, tt.status, raw)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if tt.cacheControl != "" && resp.Header.Get("Cache-Control") != tt.cacheControl {
				t.Errorf("Cache-Control %q, want %q", resp.Header.Get("Cache-Control"), tt.cacheControl)
			}
			if tt.body != "" && string(raw) != tt.body {
				t.Errorf("body %q, want %q", raw, tt.body)
			}
			if tt.code == "" {
				return
			}
			var p map[string]any
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatalf("problem is not JSON: %v: %s", err, raw)
			}
			if p["code"] != tt.code {
				t.Errorf("code %v, want %s", p["code"], tt.code)
			}
			if tt.code == "calendar.not_found" {
				op := doc.Paths.Value("/v1/calendar/{token}.ics").Get
				mt := op.Responses.Status(404).Value.Content.Get("application/problem+json")
				if err := mt.Schema.Value.VisitJSON(p); err != nil {
					t.Errorf("404 does not match the contract: %v", err)
				}
			}
		})
	}
}

// TestCalendarOperations checks the contract's calendar operations: the
// feed takes no bearer token, managing the link does.
func TestCalendarOperations(t *testing.T) {
	spec := specOperations(loadContract(t))
	routed := routedOperations(t)
	for _, want := range []struct {
		method, path, id string
		authed           bool
	}{
		{"GET", "/v1/calendar/{token}.ics", "getMyCalendarFeed", false},
		{"POST", "/v1/me/calendar-feed", "rotateCalendarFeed", true},
		{"DELETE", "/v1/me/calendar-feed", "revokeCalendarFeed", true},
	} {
		k := want.method + " " + want.path
		op := spec[k]
		if op == nil || !routed[k] {
			t.Errorf("%s (%s): in contract %v, routed %v", k, want.id, op != nil, routed[k])
			continue
		}
		if op.OperationID != want.id {
			t.Errorf("%s: operationId %q, want %q", k, op.OperationID, want.id)
		}
		if got := usesBearer(op); got != want.authed {
			t.Errorf("%s: bearerAuth %v, want %v", k, got, want.authed)
		}
	}
}
