package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
)

// secret is a cause that must never reach a client.
const secret = "secret internal detail"

// errorRoutes are the errors the test app returns from GET /err/<name>. Each
// request gets a fresh error, as real code creates them.
var errorRoutes = map[string]func() error{
	"invalid": func() error {
		return apperr.InvalidFields([]apperr.FieldError{
			{Field: "email", Code: "email.invalid", Message: "Enter a valid email address."},
			{Field: "phone", Code: "phone.invalid", Message: "Enter a Danish phone number with 8 digits."},
			{Field: "nickname", Code: "nickname.odd", Message: "Untranslated English fallback."},
		})
	},
	"unauthenticated": func() error {
		return apperr.New(apperr.Unauthenticated, "auth.missing_token", "Please log in to continue.")
	},
	"forbidden": func() error {
		return apperr.New(apperr.Forbidden, "auth.forbidden", "You do not have access to this.")
	},
	"not-found": func() error {
		return apperr.Wrap(errors.New(secret), apperr.NotFound, "participant.not_found", "No such participant.")
	},
	"conflict-wrapped": func() error {
		return fmt.Errorf("claim login: %w", apperr.New(apperr.Conflict, "login.taken", "This login is already in use."))
	},
	"rule": func() error {
		return apperr.New(apperr.RuleViolation, "income.future_month", "Income cannot be recorded for a future month.")
	},
	"throttled": func() error {
		e := apperr.New(apperr.TooManyRequests, "auth.too_many_attempts", "Too many attempts.")
		e.RetryAfterSeconds = 30
		return e
	},
	"unavailable": func() error {
		return apperr.Wrap(errors.New(secret), apperr.Unavailable, "service.unavailable", "The service is not answering.")
	},
	"plain": func() error { return errors.New(secret) },
	"internal-apperr": func() error {
		return apperr.Wrap(errors.New("cause"), apperr.Internal, "store.broken", secret)
	},
	"deadline": func() error {
		return fmt.Errorf("find participant %s: %w", secret, context.DeadlineExceeded)
	},
	"too-large": func() error { return fiber.ErrRequestEntityTooLarge },
	"database-gone": func() error {
		return fmt.Errorf("find participant %s: %w", secret, errDatabaseGone)
	},
}

// errDatabaseGone stands for a driver error the store's classifier
// (store.IsUnavailable in the service) counts as "cannot be reached".
var errDatabaseGone = errors.New("connection refused")

// newErrorApp is a tiny app whose only routes fail, plus /lang for langOf.
func newErrorApp(log *slog.Logger) *fiber.App {
	unavailable := func(err error) bool { return errors.Is(err, errDatabaseGone) }
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log, unavailable)})
	app.Get("/err/:name", func(c *fiber.Ctx) error { return errorRoutes[c.Params("name")]() })
	app.Get("/lang", func(c *fiber.Ctx) error { return c.SendString(string(langOf(c))) })
	return app
}

// problemDoc is the client's view of a problem response.
type problemDoc struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail"`
	Instance string              `json:"instance"`
	Code     string              `json:"code"`
	Errors   []apperr.FieldError `json:"errors"`
}

// problemCase is one error response in one language.
type problemCase struct {
	name        string
	path        string
	accept      string
	wantStatus  int
	wantCode    string
	wantLang    string
	wantDetail  string
	wantErrors  []apperr.FieldError
	wantHeaders map[string]string
}

// problemRow is one error with its texts in both languages.
type problemRow struct {
	name        string
	path        string
	wantStatus  int
	wantCode    string
	wantDetail  map[string]string // by language
	wantErrors  map[string][]apperr.FieldError
	wantHeaders map[string]string
}

func problemRows() []problemRow {
	return []problemRow{
		{
			name: "invalid fields", path: "/err/invalid", wantStatus: 400, wantCode: "request.invalid_fields",
			wantDetail: map[string]string{"da": "Nogle felter skal rettes.", "en": "Some fields need a change."},
			wantErrors: map[string][]apperr.FieldError{
				"da": {
					{Field: "email", Code: "email.invalid", Message: "Skriv en gyldig e-mailadresse."},
					{Field: "phone", Code: "phone.invalid", Message: "Skriv et dansk telefonnummer med 8 cifre."},
					{Field: "nickname", Code: "nickname.odd", Message: "Untranslated English fallback."},
				},
				"en": {
					{Field: "email", Code: "email.invalid", Message: "Enter a valid email address."},
					{Field: "phone", Code: "phone.invalid", Message: "Enter a Danish phone number with 8 digits."},
					{Field: "nickname", Code: "nickname.odd", Message: "Untranslated English fallback."},
				},
			},
		},
		{
			name: "unauthenticated", path: "/err/unauthenticated", wantStatus: 401, wantCode: "auth.missing_token",
			wantDetail:  map[string]string{"da": "Log ind for at fortsætte.", "en": "Please log in to continue."},
			wantHeaders: map[string]string{"WWW-Authenticate": `Bearer realm="jobkunde"`},
		},
		{
			name: "forbidden", path: "/err/forbidden", wantStatus: 403, wantCode: "auth.forbidden",
			wantDetail: map[string]string{"da": "Du har ikke adgang til dette.", "en": "You do not have access to this."},
		},
		{
			name: "not found with a cause", path: "/err/not-found", wantStatus: 404, wantCode: "participant.not_found",
			wantDetail: map[string]string{"da": "Jobkunden findes ikke.", "en": "No such participant."},
		},
		{
			name: "wrapped conflict", path: "/err/conflict-wrapped", wantStatus: 409, wantCode: "login.taken",
			wantDetail: map[string]string{"da": "Dette login er allerede i brug. Vælg et andet.", "en": "This login is already in use. Choose another."},
		},
		{
			name: "rule violation without translation", path: "/err/rule", wantStatus: 422, wantCode: "income.future_month",
			wantDetail: map[string]string{"da": "Income cannot be recorded for a future month.", "en": "Income cannot be recorded for a future month."},
		},
		{
			name: "too many requests", path: "/err/throttled", wantStatus: 429, wantCode: "auth.too_many_attempts",
			wantDetail:  map[string]string{"da": "Der har været mange forsøg. Vent lidt, og prøv så igen.", "en": "There have been many attempts. Please wait a little and try again."},
			wantHeaders: map[string]string{"Retry-After": "30"},
		},
		{
			name: "unavailable", path: "/err/unavailable", wantStatus: 503, wantCode: "service.unavailable",
			wantDetail:  map[string]string{"da": "Tjenesten svarer ikke lige nu. Prøv igen om lidt.", "en": "The service is not answering right now. Please try again shortly."},
			wantHeaders: map[string]string{"Retry-After": "5"},
		},
		{
			name: "database unreachable", path: "/err/database-gone", wantStatus: 503, wantCode: "service.unavailable",
			wantDetail:  map[string]string{"da": "Tjenesten svarer ikke lige nu. Prøv igen om lidt.", "en": "The service is not answering right now. Please try again shortly."},
			wantHeaders: map[string]string{"Retry-After": "5"},
		},
		{
			name: "plain error", path: "/err/plain", wantStatus: 500, wantCode: "internal",
			wantDetail:  map[string]string{"da": "Noget gik galt hos os. Prøv igen om lidt.", "en": "Something went wrong on our side. Please try again shortly."},
			wantHeaders: map[string]string{"Retry-After": ""},
		},
		{
			name: "apperr of kind Internal", path: "/err/internal-apperr", wantStatus: 500, wantCode: "internal",
			wantDetail: map[string]string{"da": "Noget gik galt hos os. Prøv igen om lidt.", "en": "Something went wrong on our side. Please try again shortly."},
		},
		{
			name: "wrapped deadline", path: "/err/deadline", wantStatus: 503, wantCode: "service.unavailable",
			wantDetail:  map[string]string{"da": "Tjenesten svarer ikke lige nu. Prøv igen om lidt.", "en": "The service is not answering right now. Please try again shortly."},
			wantHeaders: map[string]string{"Retry-After": "5"},
		},
		{
			name: "fiber error", path: "/err/too-large", wantStatus: 413, wantCode: "request.too_large",
			wantDetail: map[string]string{"da": "Indholdet er for stort.", "en": "The body is too large."},
		},
		{
			name: "unknown route", path: "/no/such/route", wantStatus: 404, wantCode: "route.not_found",
			wantDetail: map[string]string{"da": "Adressen findes ikke.", "en": "There is nothing at this address."},
		},
	}
}

// acceptLanguages maps Accept-Language headers to the language chosen.
var acceptLanguages = []struct {
	header   string
	wantLang string
}{
	{header: "", wantLang: "da"},
	{header: "en-US", wantLang: "en"},
	{header: "sv, en;q=0.5", wantLang: "en"},
	{header: "de", wantLang: "da"},
	{header: "da", wantLang: "da"},
	{header: "en", wantLang: "en"},
	{header: "da-DK, en;q=0.9", wantLang: "da"},
	{header: "en;q=0.3, da;q=0.8", wantLang: "da"},
	{header: "en-GB;q=0.9, de", wantLang: "en"},
	{header: "*", wantLang: "da"},
	{header: "%%% not a header", wantLang: "da"},
}

func problemCases() []problemCase {
	var cases []problemCase
	for _, r := range problemRows() {
		for _, l := range acceptLanguages {
			cases = append(cases, problemCase{
				name:        fmt.Sprintf("%s/Accept-Language=%q", r.name, l.header),
				path:        r.path,
				accept:      l.header,
				wantStatus:  r.wantStatus,
				wantCode:    r.wantCode,
				wantLang:    l.wantLang,
				wantDetail:  r.wantDetail[l.wantLang],
				wantErrors:  r.wantErrors[l.wantLang],
				wantHeaders: r.wantHeaders,
			})
		}
	}
	return cases
}

// do sends a GET to app and returns the response and its body.
func do(t *testing.T, app *fiber.App, path, acceptLanguage string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body of GET %s: %v", path, err)
	}
	return res, body
}

func TestErrorHandler(t *testing.T) {
	app := newErrorApp(slog.New(slog.DiscardHandler))
	for _, tt := range problemCases() {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, app, tt.path, tt.accept)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if got := res.Header.Get("Content-Language"); got != tt.wantLang {
				t.Errorf("Content-Language = %q, want %q", got, tt.wantLang)
			}
			for h, want := range tt.wantHeaders {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if strings.Contains(string(body), secret) {
				t.Errorf("body leaks the cause %q: %s", secret, body)
			}
			var p problemDoc
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body is not a problem document: %v\n%s", err, body)
			}
			if p.Status != res.StatusCode {
				t.Errorf("problem status = %d, want the HTTP status %d", p.Status, res.StatusCode)
			}
			if p.Code != tt.wantCode {
				t.Errorf("problem code = %q, want %q", p.Code, tt.wantCode)
			}
			if want := "/" + tt.wantCode; !strings.HasPrefix(p.Type, "https://") || !strings.HasSuffix(p.Type, want) {
				t.Errorf("problem type = %q, want an https URL ending in %q", p.Type, want)
			}
			if p.Title == "" {
				t.Error("problem title is empty")
			}
			if p.Detail != tt.wantDetail {
				t.Errorf("problem detail = %q, want %q", p.Detail, tt.wantDetail)
			}
			if p.Instance != tt.path {
				t.Errorf("problem instance = %q, want %q", p.Instance, tt.path)
			}
			if !slices.Equal(p.Errors, tt.wantErrors) {
				t.Errorf("problem errors = %+v, want %+v", p.Errors, tt.wantErrors)
			}
		})
	}
}

func TestErrorHandlerTitles(t *testing.T) {
	app := newErrorApp(slog.New(slog.DiscardHandler))
	tests := []struct {
		path   string
		accept string
		want   string
	}{
		{path: "/err/invalid", accept: "da", want: "Forespørgslen kan ikke bruges"},
		{path: "/err/invalid", accept: "en", want: "Bad request"},
		{path: "/err/forbidden", accept: "", want: "Ingen adgang"},
		{path: "/err/plain", accept: "en-US", want: "Internal server error"},
		{path: "/err/plain", accept: "de", want: "Der skete en fejl hos os"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.accept, func(t *testing.T) {
			_, body := do(t, app, tt.path, tt.accept)
			var p problemDoc
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body is not a problem document: %v\n%s", err, body)
			}
			if p.Title != tt.want {
				t.Errorf("title = %q, want %q", p.Title, tt.want)
			}
		})
	}
}

func TestLangOf(t *testing.T) {
	app := newErrorApp(slog.New(slog.DiscardHandler))
	for _, tt := range acceptLanguages {
		t.Run(tt.header, func(t *testing.T) {
			_, body := do(t, app, "/lang", tt.header)
			if got := string(body); got != tt.wantLang {
				t.Errorf("langOf(Accept-Language: %q) = %q, want %q", tt.header, got, tt.wantLang)
			}
		})
	}
}

// syncBuffer is a log sink safe for the handler goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestErrorHandlerLogsOnlyServerErrors: the cause of a 5xx is logged (and
// only logged); client errors are not.
func TestErrorHandlerLogsOnlyServerErrors(t *testing.T) {
	tests := []struct {
		path    string
		wantLog bool
	}{
		{path: "/err/plain", wantLog: true},
		{path: "/err/deadline", wantLog: true},
		{path: "/err/internal-apperr", wantLog: true},
		{path: "/err/forbidden", wantLog: false},
		{path: "/err/not-found", wantLog: false},
		{path: "/no/such/route", wantLog: false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var logs syncBuffer
			app := newErrorApp(slog.New(slog.NewJSONHandler(&logs, nil)))
			do(t, app, tt.path, "")
			if got := strings.Contains(logs.String(), `"msg":"request failed"`); got != tt.wantLog {
				t.Errorf("logged = %v, want %v; log:\n%s", got, tt.wantLog, logs.String())
			}
		})
	}
}

// TestErrorHandlerLeavesErrorUnchanged: translating field messages must not
// write into the error the handler returned, which its creator may share.
func TestErrorHandlerLeavesErrorUnchanged(t *testing.T) {
	shared := apperr.InvalidFields([]apperr.FieldError{{Field: "email", Code: "email.invalid", Message: "Enter a valid email address."}})
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(slog.New(slog.DiscardHandler), nil)})
	app.Get("/shared", func(c *fiber.Ctx) error { return shared })
	do(t, app, "/shared", "da")
	if got, want := shared.Fields[0].Message, "Enter a valid email address."; got != want {
		t.Errorf("after a Danish response the error's field message = %q, want %q", got, want)
	}
}
