package pension_test

import (
	"errors"
	"testing"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/pension"
)

// rules returns the embedded rules or stops the test.
func rules(t *testing.T) *pension.Rules {
	t.Helper()
	r, err := pension.Default()
	if err != nil {
		t.Fatalf("Default() error = %v", err)
	}
	return r
}

// year returns a stored post-2003 year or stops the test.
func year(t *testing.T, y int) pension.Year {
	t.Helper()
	yr, ok := rules(t).Year(y, pension.SchemePost2003)
	if !ok {
		t.Fatalf("Year(%d) not stored", y)
	}
	return yr
}

// wantCode fails unless err is an *apperr.Error of kind k and code.
func wantCode(t *testing.T, err error, k apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != k || ae.Code != code {
		t.Fatalf("error = %v, want %v %q", err, k, code)
	}
}

func TestCountedIncome(t *testing.T) {
	// 8 % of a whole-krone wage never ends in exactly ½ krone, so only
	// ordinary rounding is visible here; half-up is tested in TestPension.
	tests := []struct {
		name         string
		gross, other int64
		want         int64
	}{
		{name: "8 % AM-bidrag", gross: 100_000, want: 92_000},
		{name: "AM-bidrag 987.60 rounds to 988", gross: 12_345, want: 11_357},
		{name: "AM-bidrag 150.48 rounds to 150", gross: 1_881, want: 1_731},
		{name: "AM-bidrag 150.96 rounds to 151", gross: 1_887, want: 1_736},
		{name: "other income added in full", gross: 100_000, other: 5_000, want: 97_000},
		{name: "no wage", other: 7_000, want: 7_000},
		{name: "nothing", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pension.CountedIncome(tt.gross, tt.other); got != tt.want {
				t.Errorf("CountedIncome(%d, %d) = %d, want %d", tt.gross, tt.other, got, tt.want)
			}
		})
	}
}

func TestPension(t *testing.T) {
	y2020, y2024, y2025 := year(t, 2020), year(t, 2024), year(t, 2025)
	tests := []struct {
		name          string
		year          pension.Year
		status        pension.Status
		base          int64
		wantReduction int64
		wantPension   int64
	}{
		// borger.dk: 191.026 − 143.000 = 48.026; 30 % = 14.408; 215.256 − 14.408 = 200.848.
		{name: "borger.dk 2025 couple example", year: y2025, status: pension.Couple, base: 191_026, wantReduction: 14_408, wantPension: 200_848},
		{name: "single below threshold: full pension", year: y2024, status: pension.Single, base: 50_000, wantReduction: 0, wantPension: 244_440},
		{name: "single at threshold: full pension", year: y2024, status: pension.Single, base: 86_900, wantReduction: 0, wantPension: 244_440},
		{name: "single 1 kr above threshold: 0.30 rounds to 0", year: y2024, status: pension.Single, base: 86_901, wantReduction: 0, wantPension: 244_440},
		{name: "single above threshold: 30 % of 13.100", year: y2024, status: pension.Single, base: 100_000, wantReduction: 3_930, wantPension: 240_510},
		{name: "reduction 3.931,5 rounds half up", year: y2024, status: pension.Single, base: 100_005, wantReduction: 3_932, wantPension: 240_508},
		{name: "reduction 3.931,2 rounds down", year: y2024, status: pension.Single, base: 100_004, wantReduction: 3_931, wantPension: 240_509},
		{name: "2024 single published cut-off", year: y2024, status: pension.Single, base: 901_700, wantReduction: 244_440, wantPension: 0},
		// 30 % × (2.000.000 − 86.900) = 573.930 is more than the pension: the reduction is the whole pension.
		{name: "far above cut-off: reduction capped at the pension, pension never negative", year: y2024, status: pension.Single, base: 2_000_000, wantReduction: 244_440, wantPension: 0},
		{name: "couple, partner not pensioner: 30 %", year: y2024, status: pension.Couple, base: 200_000, wantReduction: 18_600, wantPension: 189_180},
		{name: "couple, partner also pensioner: 15 %", year: y2024, status: pension.CoupleBothPensioners, base: 200_000, wantReduction: 9_300, wantPension: 198_480},
		// 2020 minimum payouts (bm.dk): 5.724 single, 4.872 couples.
		{name: "2020 single: 5.000 left is below minimum payout", year: y2020, status: pension.Single, base: 827_313, wantReduction: 224_104, wantPension: 0},
		{name: "2020 single: 6.000 left is paid", year: y2020, status: pension.Single, base: 823_980, wantReduction: 223_104, wantPension: 6_000},
		{name: "2020 couple: 4.000 left is below minimum payout", year: y2020, status: pension.Couple, base: 763_227, wantReduction: 190_748, wantPension: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			red, err := pension.Reduction(tt.year, tt.status, tt.base)
			if err != nil || red != tt.wantReduction {
				t.Errorf("Reduction(%d, %s, %d) = %d, %v, want %d", tt.year.Year, tt.status, tt.base, red, err, tt.wantReduction)
			}
			got, err := pension.Pension(tt.year, tt.status, tt.base)
			if err != nil || got != tt.wantPension {
				t.Errorf("Pension(%d, %s, %d) = %d, %v, want %d", tt.year.Year, tt.status, tt.base, got, err, tt.wantPension)
			}
		})
	}
}

func TestPensionMissingFigures(t *testing.T) {
	tests := []struct {
		name   string
		year   int
		status pension.Status
	}{
		{name: "2021 has no single threshold", year: 2021, status: pension.Single},
		{name: "2025 has no single amounts", year: 2025, status: pension.Single},
		{name: "2026 has no figures at all", year: 2026, status: pension.Couple},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pension.Pension(year(t, tt.year), tt.status, 100_000)
			wantCode(t, err, apperr.RuleViolation, "pension.no_figures")
		})
	}
}

func TestCutOff(t *testing.T) {
	y2022, y2024 := year(t, 2022), year(t, 2024)
	tests := []struct {
		name   string
		year   pension.Year
		status pension.Status
		want   int64
	}{
		{name: "2022 single (borger.dk)", year: y2022, status: pension.Single, want: 857_000},
		{name: "2022 couple, partner not pensioner (borger.dk; exact 789.380)", year: y2022, status: pension.Couple, want: 789_400},
		{name: "2022 couple, both pensioners (borger.dk; exact 1.447.660)", year: y2022, status: pension.CoupleBothPensioners, want: 1_447_700},
		{name: "2024 single (seniorhaandbogen)", year: y2024, status: pension.Single, want: 901_700},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pension.CutOff(tt.year, tt.status)
			if err != nil || got != tt.want {
				t.Fatalf("CutOff(%d, %s) = %d, %v, want %d", tt.year.Year, tt.status, got, err, tt.want)
			}
			if p, err := pension.Pension(tt.year, tt.status, got); err != nil || p != 0 {
				t.Errorf("Pension at cut-off %d = %d, %v, want 0", got, p, err)
			}
		})
	}
}

// TestCutOffMatchesEveryPublished checks the formula against every published
// cut-off in the embedded rules, so a new published figure is checked too.
func TestCutOffMatchesEveryPublished(t *testing.T) {
	r := rules(t)
	checked := 0
	for _, stored := range r.Years() {
		y, _ := r.Year(stored.Year, stored.Scheme)
		for _, s := range []pension.Status{pension.Single, pension.Couple, pension.CoupleBothPensioners} {
			pub, ok := y.PublishedCutOff(s)
			if !ok {
				continue
			}
			checked++
			if got, err := pension.CutOff(y, s); err != nil || got != pub.Value {
				t.Errorf("CutOff(%d, %s) = %d, %v, want published %d", y.Year, s, got, err, pub.Value)
			}
		}
	}
	if checked != 4 {
		t.Errorf("checked %d published cut-offs, want 4", checked)
	}
}

func TestBase(t *testing.T) {
	y2020, y2021, y2022, y2023 := year(t, 2020), year(t, 2021), year(t, 2022), year(t, 2023)
	const own = 100_000
	tests := []struct {
		name       string
		incomeYear int
		year       pension.Year
		status     pension.Status
		partner    pension.Partner
		want       int64
	}{
		{name: "single: partner ignored", incomeYear: 2023, year: y2023, status: pension.Single, partner: pension.Partner{OtherIncomeKr: 500_000}, want: own},
		{name: "2023: partner work income ignored", incomeYear: 2023, year: y2023, status: pension.Couple, partner: pension.Partner{WorkIncomeKr: 400_000}, want: own},
		{name: "2023: partner other income below disregard", incomeYear: 2023, year: y2023, status: pension.Couple, partner: pension.Partner{OtherIncomeKr: 267_012}, want: own},
		{name: "2023: partner other income above disregard counts", incomeYear: 2023, year: y2023, status: pension.Couple, partner: pension.Partner{WorkIncomeKr: 400_000, OtherIncomeKr: 280_000}, want: own + 12_988},
		{name: "2023: partner contribution capped", incomeYear: 2023, year: y2023, status: pension.Couple, partner: pension.Partner{OtherIncomeKr: 600_000}, want: own + 273_800},
		// 2022 has no partner figures; the rule (work income counts) follows the income year.
		{name: "2022 income: partner work income counts (2020 figures)", incomeYear: 2022, year: y2020, status: pension.Couple, partner: pension.Partner{WorkIncomeKr: 300_000}, want: own + 45_528},
		{name: "2023 income: same partner wage ignored (2020 figures)", incomeYear: 2023, year: y2020, status: pension.Couple, partner: pension.Partner{WorkIncomeKr: 300_000}, want: own},
		{name: "2022 income: pensioner partner's wage counts up to cap", incomeYear: 2022, year: y2020, status: pension.CoupleBothPensioners, partner: pension.Partner{WorkIncomeKr: 500_000}, want: own + 394_800},
		{name: "pensioner partner's other income counts in full below cap", incomeYear: 2023, year: y2021, status: pension.CoupleBothPensioners, partner: pension.Partner{OtherIncomeKr: 10_000}, want: own + 10_000},
		{name: "no partner income needs no partner figures", incomeYear: 2022, year: y2022, status: pension.Couple, want: own},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pension.Base(tt.incomeYear, tt.year, tt.status, own, tt.partner)
			if err != nil || got != tt.want {
				t.Errorf("Base(%d, %d figures, %s, %d, %+v) = %d, %v, want %d", tt.incomeYear, tt.year.Year, tt.status, own, tt.partner, got, err, tt.want)
			}
		})
	}
}

func TestBaseMissingPartnerFigures(t *testing.T) {
	tests := []struct {
		name       string
		incomeYear int
		year       int
		status     pension.Status
		partner    pension.Partner
	}{
		{name: "2022 couple: no disregard figure", incomeYear: 2022, year: 2022, status: pension.Couple, partner: pension.Partner{WorkIncomeKr: 300_000}},
		{name: "2024 pensioner partner: no cap figure", incomeYear: 2024, year: 2024, status: pension.CoupleBothPensioners, partner: pension.Partner{OtherIncomeKr: 10_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pension.Base(tt.incomeYear, year(t, tt.year), tt.status, 0, tt.partner)
			wantCode(t, err, apperr.RuleViolation, "pension.no_figures")
		})
	}
}

func TestLightFor(t *testing.T) {
	tests := []struct {
		name      string
		base      int64
		threshold int64
		want      pension.Light
	}{
		{name: "nothing earned", base: 0, threshold: 86_900, want: pension.Green},
		{name: "1 kr below 80 %", base: 69_519, threshold: 86_900, want: pension.Green},
		{name: "exactly 80 %", base: 69_520, threshold: 86_900, want: pension.Amber},
		{name: "exactly 100 %", base: 86_900, threshold: 86_900, want: pension.Amber},
		{name: "1 kr above", base: 86_901, threshold: 86_900, want: pension.Red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pension.LightFor(tt.base, tt.threshold); got != tt.want {
				t.Errorf("LightFor(%d, %d) = %s, want %s", tt.base, tt.threshold, got, tt.want)
			}
		})
	}
}

func TestEmploymentTypeCountsAsIncome(t *testing.T) {
	tests := []struct {
		typ       pension.EmploymentType
		wantValid bool
		want      bool
	}{
		{typ: pension.Internship, wantValid: true, want: false},
		{typ: pension.WageSubsidy, wantValid: true, want: true},
		{typ: pension.Ordinary, wantValid: true, want: true},
		{typ: pension.Flexjob, wantValid: true, want: true},
		{typ: "apprentice", wantValid: false, want: true},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			if got := tt.typ.Valid(); got != tt.wantValid {
				t.Errorf("%q.Valid() = %v, want %v", tt.typ, got, tt.wantValid)
			}
			if got := tt.typ.CountsAsIncome(); got != tt.want {
				t.Errorf("%q.CountsAsIncome() = %v, want %v", tt.typ, got, tt.want)
			}
		})
	}
}
