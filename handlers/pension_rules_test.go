package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/work"
)

// adminVerifier accepts the token "admin" as an admin and nothing else.
type adminVerifier struct{}

func (adminVerifier) Verify(token string) (auth.Claims, error) {
	if token != "admin" {
		return auth.Claims{}, apperr.New(apperr.Unauthenticated, "auth.invalid_token", "Please log in again to continue.")
	}
	return auth.Claims{UserID: "admin-1", Role: models.RoleAdmin}, nil
}

// fakeRuleBook records what Put was called with.
type fakeRuleBook struct {
	calls       int
	year        pension.Year
	baseVersion int
	note        string
}

func (f *fakeRuleBook) List(context.Context, auth.Principal) (work.RuleList, error) {
	return work.RuleList{Years: []work.RuleYear{}, Sources: map[string]string{}}, nil
}

func (f *fakeRuleBook) Put(_ context.Context, _ auth.Principal, y pension.Year, baseVersion int, note string) (work.RuleYear, error) {
	f.calls++
	f.year, f.baseVersion, f.note = y, baseVersion, note
	return work.RuleYear{Year: y.Year, Scheme: y.Scheme, Version: baseVersion + 1, Figures: y.Figures}, nil
}

// TestPutPensionRulesRequest checks the shape checks of putPensionRules and
// that a good body reaches the rule book as the year's figures.
func TestPutPensionRulesRequest(t *testing.T) {
	tests := []struct {
		name       string
		path, body string
		wantStatus int
		wantFields []string // "field code", for a 400
		wantCode   string
	}{
		{name: "good", path: "/v1/pension-rules/2026", wantStatus: 200,
			body: `{"baseVersion":0,"note":"Satser 2026","figures":{"thresholdSingleKr":{"value":91000,"source":"https://bm.dk/"}}}`},
		{name: "missing base version and figures", path: "/v1/pension-rules/2026", body: `{"note":"x"}`, wantStatus: 400,
			wantCode: "request.invalid_fields", wantFields: []string{"baseVersion field.required", "figures field.required"}},
		{name: "year not a number", path: "/v1/pension-rules/twenty", body: `{"baseVersion":0,"figures":{}}`, wantStatus: 400,
			wantCode: "request.invalid_fields", wantFields: []string{"year field.invalid_type"}},
		{name: "unknown figure", path: "/v1/pension-rules/2026", body: `{"baseVersion":0,"figures":{"thresholdKr":{"value":1,"source":"x"}}}`, wantStatus: 400,
			wantCode: "request.invalid_fields", wantFields: []string{"thresholdKr field.unknown"}},
		{name: "value not a number", path: "/v1/pension-rules/2026", body: `{"baseVersion":0,"figures":{"rateBp":{"value":"30 %","source":"x"}}}`, wantStatus: 400,
			wantCode: "request.invalid_fields", wantFields: []string{"figures.rateBp.value field.invalid_type"}},
		{name: "the year is not a body field", path: "/v1/pension-rules/2026", body: `{"baseVersion":0,"year":2026,"figures":{}}`, wantStatus: 400,
			wantCode: "request.invalid_fields", wantFields: []string{"year field.unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := &fakeRuleBook{}
			app := NewApp(Deps{
				Log: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(), JWKS: []byte("{}"), OpenAPI: []byte("x"),
				Ready: func(context.Context) error { return nil }, Tokens: adminVerifier{}, PensionRules: book,
			})
			req := httptest.NewRequest("PUT", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer admin")
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, raw)
			}
			if tt.wantStatus != 200 {
				var p problem
				if err := json.Unmarshal(raw, &p); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range p.Errors {
					got = append(got, f.Field+" "+f.Code)
				}
				if p.Code != tt.wantCode || strings.Join(got, ", ") != strings.Join(tt.wantFields, ", ") {
					t.Errorf("problem %s %v, want %s %v", p.Code, got, tt.wantCode, tt.wantFields)
				}
				if book.calls != 0 {
					t.Errorf("the rule book was called %d times for a bad request", book.calls)
				}
				return
			}
			y := book.year
			if book.calls != 1 || y.Year != 2026 || y.Scheme != pension.SchemePost2003 || y.ThresholdSingleKr == nil ||
				y.ThresholdSingleKr.Value != 91_000 || y.ThresholdSingleKr.Source != "https://bm.dk/" || book.baseVersion != 0 || book.note != "Satser 2026" {
				t.Errorf("Put called %d times with %+v (threshold %+v), base %d, note %q", book.calls, y, y.ThresholdSingleKr, book.baseVersion, book.note)
			}
		})
	}
}
