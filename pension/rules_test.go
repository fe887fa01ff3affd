package pension_test

import (
	"strings"
	"testing"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/pension"
)

// TestDefaultEveryFigureSourced checks the embedded file: every figure has a
// source and every source key it names is described under "sources".
func TestDefaultEveryFigureSourced(t *testing.T) {
	r := rules(t)
	years := r.Years()
	if len(years) != 7 {
		t.Fatalf("len(Years()) = %d, want 7 (2020–2026)", len(years))
	}
	c := r.Common()
	if c.RateBP.Value != 3000 || c.RateBothPensionersBP.Value != 1500 {
		t.Errorf("common rates = %d/%d bp, want 3000/1500", c.RateBP.Value, c.RateBothPensionersBP.Value)
	}
	for _, stored := range years {
		y, ok := r.Year(stored.Year, stored.Scheme)
		if !ok {
			t.Fatalf("Year(%d, %s) missing", stored.Year, stored.Scheme)
		}
		for name, f := range figureMap(y) {
			if f == nil {
				continue
			}
			if f.Source == "" {
				t.Errorf("%d %s has no source", y.Year, name)
			}
			for key := range strings.SplitSeq(f.Source, ",") {
				if _, ok := r.Source(key); !ok {
					t.Errorf("%d %s: source key %q not described", y.Year, name, key)
				}
			}
		}
	}
}

// figureMap names a year's figures for tests.
func figureMap(y pension.Year) map[string]*pension.Figure {
	return map[string]*pension.Figure{
		"thresholdSingleKr": y.ThresholdSingleKr, "thresholdCoupleKr": y.ThresholdCoupleKr,
		"annualSingleKr": y.AnnualSingleKr, "annualCoupleKr": y.AnnualCoupleKr,
		"spouseDisregardKr": y.SpouseDisregardKr, "spouseMaxNonPensionerKr": y.SpouseMaxNonPensionerKr,
		"spouseMaxPensionerKr": y.SpouseMaxPensionerKr, "rateBp": y.RateBP, "rateBothPensionersBp": y.RateBothPensionersBP,
		"minPayoutSingleKr": y.MinPayoutSingleKr, "minPayoutCoupleKr": y.MinPayoutCoupleKr,
		"cutOffSingleKr": y.CutOffSingleKr, "cutOffCoupleKr": y.CutOffCoupleKr, "cutOffBothPensionersKr": y.CutOffBothPensionersKr,
	}
}

func TestYearReturnsCopy(t *testing.T) {
	r := rules(t)
	y, _ := r.Year(2024, pension.SchemePost2003)
	y.ThresholdSingleKr.Value = 1
	y.RateBP.Value = 1
	again, _ := r.Year(2024, pension.SchemePost2003)
	if again.ThresholdSingleKr.Value != 86_900 || again.RateBP.Value != 3000 {
		t.Errorf("after changing a returned Year: threshold %d, rate %d, want 86900, 3000", again.ThresholdSingleKr.Value, again.RateBP.Value)
	}
	if _, ok := r.Year(2019, pension.SchemePost2003); ok {
		t.Errorf("Year(2019) ok = true, want false")
	}
}

func TestEffective(t *testing.T) {
	r := rules(t)
	tests := []struct {
		name          string
		year          int
		status        pension.Status
		wantUsed      int
		wantThreshold int64
		wantAnnual    int64
	}{
		{name: "2025 couple has its own figures", year: 2025, status: pension.Couple, wantUsed: 2025, wantThreshold: 143_000, wantAnnual: 215_256},
		{name: "2025 single falls back to 2024", year: 2025, status: pension.Single, wantUsed: 2024, wantThreshold: 86_900, wantAnnual: 244_440},
		{name: "2026 single falls back to 2024", year: 2026, status: pension.Single, wantUsed: 2024, wantThreshold: 86_900, wantAnnual: 244_440},
		{name: "2026 couple falls back to 2025", year: 2026, status: pension.Couple, wantUsed: 2025, wantThreshold: 143_000, wantAnnual: 215_256},
		{name: "2030 couple, both pensioners, falls back to 2025", year: 2030, status: pension.CoupleBothPensioners, wantUsed: 2025, wantThreshold: 143_000, wantAnnual: 215_256},
		{name: "2023 single falls back to 2022", year: 2023, status: pension.Single, wantUsed: 2022, wantThreshold: 82_600, wantAnnual: 232_320},
		{name: "2021 single falls back to 2020", year: 2021, status: pension.Single, wantUsed: 2020, wantThreshold: 80_300, wantAnnual: 229_104},
		{name: "2022 couple", year: 2022, status: pension.Couple, wantUsed: 2022, wantThreshold: 131_100, wantAnnual: 197_484},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, used, err := r.Effective(tt.year, pension.SchemePost2003, tt.status)
			if err != nil {
				t.Fatalf("Effective(%d, %s) error = %v", tt.year, tt.status, err)
			}
			th, an := y.ThresholdSingleKr, y.AnnualSingleKr
			if tt.status != pension.Single {
				th, an = y.ThresholdCoupleKr, y.AnnualCoupleKr
			}
			if used != tt.wantUsed || y.Year != tt.wantUsed || th.Value != tt.wantThreshold || an.Value != tt.wantAnnual {
				t.Errorf("Effective(%d, %s) = year %d (used %d), threshold %d, annual %d; want %d, %d, %d",
					tt.year, tt.status, y.Year, used, th.Value, an.Value, tt.wantUsed, tt.wantThreshold, tt.wantAnnual)
			}
		})
	}
}

func TestEffectiveErrors(t *testing.T) {
	r := rules(t)
	tests := []struct {
		name     string
		year     int
		scheme   string
		status   pension.Status
		wantKind apperr.Kind
		wantCode string
	}{
		{name: "no year up to 2019 has figures", year: 2019, scheme: pension.SchemePost2003, status: pension.Single, wantKind: apperr.RuleViolation, wantCode: "pension.no_figures"},
		{name: "pre-2003 scheme not calculated", year: 2024, scheme: "pre2003", status: pension.Single, wantKind: apperr.RuleViolation, wantCode: "pension.scheme_unsupported"},
		{name: "unknown status", year: 2024, scheme: pension.SchemePost2003, status: "widowed", wantKind: apperr.Invalid, wantCode: "pension.status_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := r.Effective(tt.year, tt.scheme, tt.status)
			wantCode(t, err, tt.wantKind, tt.wantCode)
		})
	}
}

func TestWith(t *testing.T) {
	r := rules(t)
	y2026 := pension.Year{
		Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{
			ThresholdSingleKr: &pension.Figure{Value: 90_000, Source: "https://example.org/satser-2026"},
			AnnualSingleKr:    &pension.Figure{Value: 250_000, Source: "https://example.org/satser-2026"},
		},
	}
	r2, err := r.With(y2026)
	if err != nil {
		t.Fatalf("With(2026) error = %v", err)
	}
	y2026.ThresholdSingleKr.Value = 1 // the caller's value must not leak into r2
	y, used, err := r2.Effective(2026, pension.SchemePost2003, pension.Single)
	if err != nil || used != 2026 || y.ThresholdSingleKr.Value != 90_000 || y.RateBP.Value != 3000 {
		t.Errorf("new rules: Effective(2026, single) = %+v, used %d, %v; want 2026 figures with the common rate", y.ThresholdSingleKr, used, err)
	}
	if _, used, _ := r.Effective(2026, pension.SchemePost2003, pension.Single); used != 2024 {
		t.Errorf("original rules: Effective(2026, single) used %d, want 2024 (With must not change r)", used)
	}

	// With replaces the whole year: an empty 2024 leaves 2024 without figures.
	r3, err := r.With(pension.Year{Year: 2024, Scheme: pension.SchemePost2003})
	if err != nil {
		t.Fatalf("With(empty 2024) error = %v", err)
	}
	if _, used, _ := r3.Effective(2024, pension.SchemePost2003, pension.Single); used != 2022 {
		t.Errorf("after emptying 2024: Effective(2024, single) used %d, want 2022", used)
	}
}

func TestWithRejects(t *testing.T) {
	r := rules(t)
	tests := []struct {
		name      string
		year      pension.Year
		wantField string
	}{
		{name: "figure without source", year: pension.Year{Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{ThresholdSingleKr: &pension.Figure{Value: 90_000}}}, wantField: "thresholdSingleKr.source"},
		{name: "blank source", year: pension.Year{Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{AnnualCoupleKr: &pension.Figure{Value: 1, Source: "  "}}}, wantField: "annualCoupleKr.source"},
		{name: "negative value", year: pension.Year{Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{ThresholdCoupleKr: &pension.Figure{Value: -1, Source: "x"}}}, wantField: "thresholdCoupleKr.value"},
		{name: "rate above 100 %", year: pension.Year{Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{RateBP: &pension.Figure{Value: 10_001, Source: "x"}}}, wantField: "rateBp.value"},
		{name: "zero rate", year: pension.Year{Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{RateBothPensionersBP: &pension.Figure{Value: 0, Source: "x"}}}, wantField: "rateBothPensionersBp.value"},
		{name: "pre-2003 scheme", year: pension.Year{Year: 2026, Scheme: "pre2003"}, wantField: "scheme"},
		{name: "implausible year", year: pension.Year{Year: 26, Scheme: pension.SchemePost2003}, wantField: "year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.With(tt.year)
			wantCode(t, err, apperr.Invalid, "request.invalid_fields")
			if got := fieldNames(err); !strings.Contains(got, tt.wantField) {
				t.Errorf("With() field errors = %s, want %s", got, tt.wantField)
			}
		})
	}
}

// fieldNames lists the fields of an apperr error, space separated.
func fieldNames(err error) string {
	ae, _ := err.(*apperr.Error)
	if ae == nil {
		return ""
	}
	var names []string
	for _, f := range ae.Fields {
		names = append(names, f.Field)
	}
	return strings.Join(names, " ")
}

func TestParseRejects(t *testing.T) {
	const common = `"common": {"rateBp": {"value": 3000, "source": "S"}, "rateBothPensionersBp": {"value": 1500, "source": "S"}}`
	tests := []struct {
		name    string
		data    string
		wantErr string
	}{
		{name: "figure without source", data: `{` + common + `, "years": [{"year": 2024, "scheme": "post2003", "thresholdSingleKr": {"value": 1}}], "sources": {"S": "s"}}`, wantErr: "thresholdSingleKr.source"},
		{name: "unknown source key", data: `{` + common + `, "years": [{"year": 2024, "scheme": "post2003", "thresholdSingleKr": {"value": 1, "source": "S,T"}}], "sources": {"S": "s"}}`, wantErr: `unknown source key "T"`},
		{name: "negative value", data: `{` + common + `, "years": [{"year": 2024, "scheme": "post2003", "annualSingleKr": {"value": -5, "source": "S"}}], "sources": {"S": "s"}}`, wantErr: "annualSingleKr.value"},
		{name: "year twice", data: `{` + common + `, "years": [{"year": 2024, "scheme": "post2003"}, {"year": 2024, "scheme": "post2003"}], "sources": {"S": "s"}}`, wantErr: "twice"},
		{name: "unknown field", data: `{` + common + `, "years": [{"year": 2024, "scheme": "post2003", "thresholdKr": {"value": 1, "source": "S"}}], "sources": {"S": "s"}}`, wantErr: "unknown field"},
		{name: "common rate missing", data: `{"common": {}, "years": [], "sources": {}}`, wantErr: "common rates missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pension.Parse([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse() error = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}
