package handlers

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// decodeSeeds are bodies every decode fuzz target starts from: valid ones,
// unknown fields, wrong types, trailing data, deep nesting, bad UTF-8.
var decodeSeeds = []string{
	`{"login":"anna@example.dk","password":"en lang og rolig sætning"}`,
	`{"code":"ABCD-EFGH","login":"20 12 34 56","password":"en lang og rolig sætning"}`,
	`{}`,
	`null`,
	``,
	` `,
	`{"login":"a","extra":true}`,
	`{"":1}`,
	`{"a\"b":1}`,
	`{"LOGIN":"x","Password":"y"}`,
	`{"login":"a","login":"b"}`,
	`{"login":1}`,
	`{"password":["x"]}`,
	`{"code":{"a":1}}`,
	`"just a string"`,
	`[]`,
	`1e999`,
	`{"login":"a"} {}`,
	`{"login":"a"}]`,
	`{"login":"a"} // comment`,
	`{"login":"a"`,
	"\ufeff{}",
	"{\"login\":\"\xff\xfe\"}",
	"{\"login\":\"\xed\xa0\x80\"}",
	`{"login":"\ud800"}`,
	`{"login":"\u0000"}`,
	`{"login":` + strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100) + `}`,
	strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000),
	`{"code":` + strings.Repeat(`{"a":`, 500) + `1` + strings.Repeat(`}`, 500) + `}`,
}

// checkDecode is the property both fuzz targets assert: decodeBody never
// panics; its errors are Invalid with a code; what it accepts survives a
// marshal and decode round trip unchanged.
func checkDecode[T comparable](t *testing.T, data []byte) {
	t.Helper()
	var v T
	err := decodeBody(data, &v)
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			t.Fatalf("decodeBody(%q) error = %v (%T), want an *apperr.Error", data, err, err)
		}
		if ae.Kind != apperr.Invalid || ae.Code == "" {
			t.Fatalf("decodeBody(%q) error kind, code = %s, %q, want %s and a code", data, ae.Kind, ae.Code, apperr.Invalid)
		}
		for _, f := range ae.Fields {
			if f.Code == "" || f.Message == "" {
				t.Fatalf("decodeBody(%q) field error %+v has no code or message", data, f)
			}
		}
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("decodeBody(%q) accepted %+v, which does not marshal: %v", data, v, err)
	}
	var again T
	if err := decodeBody(b, &again); err != nil {
		t.Fatalf("decodeBody(%q) accepted %+v, but its marshalled form %s is rejected: %v", data, v, b, err)
	}
	if again != v {
		t.Fatalf("round trip of %q: got %+v, want %+v", data, again, v)
	}
}

func FuzzDecodeLogin(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode[loginRequest](t, data) })
}

func FuzzDecodeActivate(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode[activateRequest](t, data) })
}

func TestDecodeBodyAccepts(t *testing.T) {
	tests := []struct {
		name string
		body string
		want activateRequest
	}{
		{name: "all fields", body: `{"code":"ABCD-EFGH","login":"anna@example.dk","password":"pw"}`, want: activateRequest{Code: "ABCD-EFGH", Login: "anna@example.dk", Password: "pw"}},
		{name: "some fields", body: `{"login":"anna"}`, want: activateRequest{Login: "anna"}},
		{name: "empty object", body: `{}`, want: activateRequest{}},
		{name: "surrounding whitespace", body: " \n\t{\"code\":\"X\"}\r\n ", want: activateRequest{Code: "X"}},
		{name: "null value", body: `{"login":null}`, want: activateRequest{}},
		{name: "an escaped surrogate pair", body: `{"login":"\ud83d\ude00 \\ud83d"}`, want: activateRequest{Login: "😀 \\ud83d"}},
		{name: "escapes", body: `{"password":"s\u00e6tning \"quoted\""}`, want: activateRequest{Password: "sætning \"quoted\""}},
		{name: "last duplicate wins", body: `{"login":"a","login":"b"}`, want: activateRequest{Login: "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got activateRequest
			if err := decodeBody([]byte(tt.body), &got); err != nil {
				t.Fatalf("decodeBody(%q) error = %v, want nil", tt.body, err)
			}
			if got != tt.want {
				t.Errorf("decodeBody(%q) = %+v, want %+v", tt.body, got, tt.want)
			}
		})
	}
}

func TestDecodeBodyRejects(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantCode   string
		wantFields []apperr.FieldError
	}{
		{name: "empty body", body: ``, wantCode: "request.invalid_json"},
		{name: "not JSON", body: `login=anna`, wantCode: "request.invalid_json"},
		{name: "truncated", body: `{"login":"a"`, wantCode: "request.invalid_json"},
		{name: "byte order mark", body: "\ufeff{}", wantCode: "request.invalid_json"},
		{name: "invalid UTF-8 in a string", body: "{\"login\":\"anna\xff\"}", wantCode: "request.invalid_utf8"},
		{name: "a lone surrogate half", body: "{\"login\":\"\xed\xa0\x80\"}", wantCode: "request.invalid_utf8"},
		{name: "an escaped lone high surrogate", body: `{"login":"a\ud83db"}`, wantCode: "request.invalid_utf8"},
		{name: "an escaped lone low surrogate", body: `{"login":"\ude00"}`, wantCode: "request.invalid_utf8"},
		{name: "an escaped high surrogate at the end", body: `{"login":"\uD83D"}`, wantCode: "request.invalid_utf8"},
		{name: "two high surrogates", body: `{"login":"\ud83d\ud83d"}`, wantCode: "request.invalid_utf8"},
		{name: "trailing object", body: `{"login":"a"} {}`, wantCode: "request.invalid_json"},
		{name: "trailing garbage", body: `{"login":"a"} x`, wantCode: "request.invalid_json"},
		{name: "trailing bracket", body: `{}]`, wantCode: "request.invalid_json"},
		{name: "too deep", body: strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000), wantCode: "request.invalid_json"},
		{
			name: "unknown field", body: `{"login":"a","admin":true}`, wantCode: "request.invalid_fields",
			wantFields: []apperr.FieldError{{Field: "admin", Code: "field.unknown", Message: "This field is not known."}},
		},
		{
			name: "wrong type", body: `{"login":42}`, wantCode: "request.invalid_fields",
			wantFields: []apperr.FieldError{{Field: "login", Code: "field.invalid_type", Message: "The value has the wrong type."}},
		},
		{
			name: "object for a string", body: `{"password":{"a":1}}`, wantCode: "request.invalid_fields",
			wantFields: []apperr.FieldError{{Field: "password", Code: "field.invalid_type", Message: "The value has the wrong type."}},
		},
		{name: "array body", body: `[{"login":"a"}]`, wantCode: "request.invalid_json"},
		{name: "string body", body: `"anna"`, wantCode: "request.invalid_json"},
		{name: "null body", body: `null`, wantCode: "request.invalid_json"},
		{name: "empty body", body: ``, wantCode: "request.invalid_json"},
		{
			name: "quoted unknown field", body: `{"a\"b":1}`, wantCode: "request.invalid_fields",
			wantFields: []apperr.FieldError{{Field: `a"b`, Code: "field.unknown", Message: "This field is not known."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v activateRequest
			err := decodeBody([]byte(tt.body), &v)
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("decodeBody(%q) error = %v (%T), want an *apperr.Error", tt.body, err, err)
			}
			if ae.Kind != apperr.Invalid || ae.Code != tt.wantCode {
				t.Errorf("decodeBody(%q) error kind, code = %s, %q, want %s, %q", tt.body, ae.Kind, ae.Code, apperr.Invalid, tt.wantCode)
			}
			if !slices.Equal(ae.Fields, tt.wantFields) {
				t.Errorf("decodeBody(%q) fields = %+v, want %+v", tt.body, ae.Fields, tt.wantFields)
			}
		})
	}
}

// pageResult is what the /page test route answers with a valid page.
type pageResult struct {
	Limit int    `json:"limit"`
	After string `json:"after"`
}

// newPageApp serves pageOf's result on GET /page.
func newPageApp() *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(slog.New(slog.DiscardHandler), nil)})
	app.Get("/page", func(c *fiber.Ctx) error {
		p, err := pageOf(c)
		if err != nil {
			return err
		}
		return c.JSON(pageResult{Limit: p.Limit, After: p.After})
	})
	return app
}

// cursorFor is the next cursor newList hands out for the last ID of a page.
func cursorFor(t *testing.T, lastID string) string {
	t.Helper()
	l := newList([]models.Department{{ID: lastID}}, lastID)
	if l.Next == nil {
		t.Fatalf("newList(…, %q).Next = nil, want a cursor", lastID)
	}
	return *l.Next
}

func TestPageOf(t *testing.T) {
	const lastID = "0193b6f2-7c1a-7d3e-9f00-1234567890ab"
	app := newPageApp()
	tests := []struct {
		name       string
		query      url.Values
		wantStatus int
		wantPage   pageResult
		wantFields []string // field codes of a 400
	}{
		{name: "defaults", query: url.Values{}, wantStatus: 200, wantPage: pageResult{Limit: 20}},
		{name: "empty limit is the default", query: url.Values{"limit": {""}}, wantStatus: 200, wantPage: pageResult{Limit: 20}},
		{name: "limit 1", query: url.Values{"limit": {"1"}}, wantStatus: 200, wantPage: pageResult{Limit: 1}},
		{name: "limit 50", query: url.Values{"limit": {"50"}}, wantStatus: 200, wantPage: pageResult{Limit: 50}},
		{name: "limit 100", query: url.Values{"limit": {"100"}}, wantStatus: 200, wantPage: pageResult{Limit: 100}},
		{name: "limit 0", query: url.Values{"limit": {"0"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "limit 101", query: url.Values{"limit": {"101"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "negative limit", query: url.Values{"limit": {"-5"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "limit abc", query: url.Values{"limit": {"abc"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "limit 2.5", query: url.Values{"limit": {"2.5"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "huge limit", query: url.Values{"limit": {"99999999999999999999"}}, wantStatus: 400, wantFields: []string{"limit:pagination.limit"}},
		{name: "cursor round trip", query: url.Values{"cursor": {cursorFor(t, lastID)}}, wantStatus: 200, wantPage: pageResult{Limit: 20, After: lastID}},
		{name: "cursor and limit", query: url.Values{"cursor": {cursorFor(t, "x")}, "limit": {"7"}}, wantStatus: 200, wantPage: pageResult{Limit: 7, After: "x"}},
		{name: "invalid base64 cursor", query: url.Values{"cursor": {"not base64!"}}, wantStatus: 400, wantFields: []string{"cursor:pagination.cursor"}},
		{name: "padded cursor", query: url.Values{"cursor": {base64.URLEncoding.EncodeToString([]byte("ab"))}}, wantStatus: 400, wantFields: []string{"cursor:pagination.cursor"}},
		{name: "standard alphabet cursor", query: url.Values{"cursor": {"a/b+"}}, wantStatus: 400, wantFields: []string{"cursor:pagination.cursor"}},
		{
			name: "both bad", query: url.Values{"limit": {"0"}, "cursor": {"%%%"}}, wantStatus: 400,
			wantFields: []string{"limit:pagination.limit", "cursor:pagination.cursor"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, app, "/page?"+tt.query.Encode(), "")
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("GET /page?%s status = %d, want %d; body %s", tt.query.Encode(), res.StatusCode, tt.wantStatus, body)
			}
			var got struct {
				pageResult
				Errors []apperr.FieldError `json:"errors"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			if got.pageResult != tt.wantPage {
				t.Errorf("page = %+v, want %+v", got.pageResult, tt.wantPage)
			}
			var fields []string
			for _, f := range got.Errors {
				fields = append(fields, f.Field+":"+f.Code)
			}
			if !slices.Equal(fields, tt.wantFields) {
				t.Errorf("field errors = %v, want %v", fields, tt.wantFields)
			}
		})
	}
}

func TestNewList(t *testing.T) {
	tests := []struct {
		name     string
		items    []string
		next     string
		wantJSON string
	}{
		{name: "nil items, last page", items: nil, next: "", wantJSON: `{"items":[],"next":null}`},
		{name: "items and a next page", items: []string{"a"}, next: "a", wantJSON: `{"items":["a"],"next":"YQ"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(newList(tt.items, tt.next))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b); got != tt.wantJSON {
				t.Errorf("newList(%q, %q) = %s, want %s", tt.items, tt.next, got, tt.wantJSON)
			}
		})
	}
}

// TestPageOfRejectsWithProblem checks the 400 is a problem document.
func TestPageOfRejectsWithProblem(t *testing.T) {
	res, body := do(t, newPageApp(), "/page?limit=0", "en")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", res.StatusCode)
	}
	var p problemDoc
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	want := []apperr.FieldError{{Field: "limit", Code: "pagination.limit", Message: "limit must be a number from 1 to 100."}}
	if p.Code != "request.invalid_fields" || !slices.Equal(p.Errors, want) {
		t.Errorf("problem code, errors = %q, %+v, want %q, %+v", p.Code, p.Errors, "request.invalid_fields", want)
	}
}
