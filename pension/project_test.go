package pension_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/pension"
)

// summary is the comparable part of a Projection; HeadroomHours is -1 when nil.
type summary struct {
	Basis          pension.Basis
	Rest           int64
	Gross          int64
	Base           int64
	Threshold      int64
	HeadroomBase   int64
	HeadroomGross  int64
	HeadroomHours  float64
	Light          pension.Light
	Reduction      int64
	Pension        int64
	CutOff         int64
	CutOffIsPublic bool
	BasedOnYear    int
}

func summarize(p pension.Projection) summary {
	h := -1.0
	if p.HeadroomHours != nil {
		h = *p.HeadroomHours
	}
	return summary{
		Basis: p.Basis, Rest: p.RestOfYearGrossWageKr, Gross: p.ProjectedGrossWageKr, Base: p.ProjectedBaseKr,
		Threshold: p.ThresholdKr, HeadroomBase: p.HeadroomBaseKr, HeadroomGross: p.HeadroomGrossKr, HeadroomHours: h,
		Light: p.Light, Reduction: p.EstimatedReductionKr, Pension: p.EstimatedPensionKr,
		CutOff: p.CutOffKr, CutOffIsPublic: p.CutOffPublished, BasedOnYear: p.EstimateBasedOnYear,
	}
}

func kr(v int64) *int64 { return &v }

func day(y int, m time.Month, d int) pension.Date { return pension.Date{Year: y, Month: m, Day: d} }

func TestProject(t *testing.T) {
	tests := []struct {
		name string
		in   pension.ProjectionInput
		want summary
	}{
		{
			// Plan 20 h × 150 kr from 1 July: 184 days × 3.000 kr / 7 = 78.857,14.
			name: "mid-year start: plan from 1 July",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.March, 1),
				Plans: []pension.Plan{{WeeklyHours: 20, HourlyWageOre: 15_000, From: day(2024, time.July, 1)}}},
			want: summary{Basis: pension.BasisPlan, Rest: 78_857, Gross: 78_857, Base: 72_548, Threshold: 86_900,
				HeadroomBase: 14_352, HeadroomGross: 15_600, HeadroomHours: 104, Light: pension.Amber,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// Two jobs after each other: 20 h × 150 kr 2 March – 30 June (121 days):
			// 3.000 × 121 / 7 = 51.857,14; then 10 h × 200 kr from 1 July (184 days):
			// 2.000 × 184 / 7 = 52.571,43. Headroom hours at the later job's wage.
			name: "plans with an end: one job ends, another begins",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.March, 1), Plans: []pension.Plan{
				{WeeklyHours: 20, HourlyWageOre: 15_000, To: day(2024, time.June, 30)},
				{WeeklyHours: 10, HourlyWageOre: 20_000, From: day(2024, time.July, 1)},
			}},
			want: summary{Basis: pension.BasisPlan, Rest: 104_428, Gross: 104_428, Base: 96_074, Threshold: 86_900,
				HeadroomBase: 0, HeadroomGross: 0, HeadroomHours: 0, Light: pension.Red, Reduction: 2_752,
				Pension: 241_688, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// A job that already ended (To before Today) adds nothing.
			name: "a plan that ended earlier adds nothing",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.March, 1), Plans: []pension.Plan{
				{WeeklyHours: 20, HourlyWageOre: 15_000, To: day(2024, time.February, 1)},
			}},
			want: summary{Basis: pension.BasisPlan, Rest: 0, Gross: 0, Base: 0, Threshold: 86_900,
				HeadroomBase: 86_900, HeadroomGross: 94_456, HeadroomHours: 629.7, Light: pension.Green,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// YTD 150.000 includes a 30.000 bonus; the rest at the regular 3.000/week.
			name: "one-off bonus month in YTD",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.June, 30),
				YTDGrossWageKr: 150_000, RecentWeeklyGrossKr: kr(3_000)},
			want: summary{Basis: pension.BasisRecentAverage, Rest: 78_857, Gross: 228_857, Base: 210_548, Threshold: 86_900,
				HeadroomHours: -1, Light: pension.Red, Reduction: 37_094, Pension: 207_346, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			name: "same year without the bonus",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.June, 30),
				YTDGrossWageKr: 120_000, RecentWeeklyGrossKr: kr(3_000)},
			want: summary{Basis: pension.BasisRecentAverage, Rest: 78_857, Gross: 198_857, Base: 182_948, Threshold: 86_900,
				HeadroomHours: -1, Light: pension.Red, Reduction: 28_814, Pension: 215_626, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// The whole year is earned: the plan has no day left, so the
			// estimate counts what was earned, and says so.
			name: "year boundary: 31 December leaves no rest of year",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.December, 31), YTDGrossWageKr: 100_000,
				Plans: []pension.Plan{{WeeklyHours: 37, HourlyWageOre: 20_000}}},
			want: summary{Basis: pension.BasisYTDOnly, Rest: 0, Gross: 100_000, Base: 92_000, Threshold: 86_900,
				HeadroomHours: -1, Light: pension.Red, Reduction: 1_530, Pension: 242_910, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// 2 January – 31 December 2025 = 364 days = 52 weeks; 2025 has no single figures.
			name: "year boundary: 1 January, estimate on 2024 figures",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2025, time.January, 1), YTDGrossWageKr: 1_000,
				RecentWeeklyGrossKr: kr(1_000), CurrentHourlyWageOre: 15_000},
			want: summary{Basis: pension.BasisRecentAverage, Rest: 52_000, Gross: 53_000, Base: 48_760, Threshold: 86_900,
				HeadroomBase: 38_140, HeadroomGross: 41_456, HeadroomHours: 276.3, Light: pension.Green,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true, BasedOnYear: 2024},
		},
		{
			// 1 March – 31 December 2024 = 306 days.
			name: "leap year: today 29 February",
			in:   pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.February, 29), RecentWeeklyGrossKr: kr(700)},
			want: summary{Basis: pension.BasisRecentAverage, Rest: 30_600, Gross: 30_600, Base: 28_152, Threshold: 86_900,
				HeadroomBase: 58_748, HeadroomGross: 63_856, HeadroomHours: -1, Light: pension.Green,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			name: "leap year: today 28 February counts 29 February",
			in:   pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.February, 28), RecentWeeklyGrossKr: kr(700)},
			want: summary{Basis: pension.BasisRecentAverage, Rest: 30_700, Gross: 30_700, Base: 28_244, Threshold: 86_900,
				HeadroomBase: 58_656, HeadroomGross: 63_756, HeadroomHours: -1, Light: pension.Green,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// Gross 207.637 − AM-bidrag 16.611 = 191.026, borger.dk's base; the 2025 cut-off is not published.
			name: "borger.dk 2025 couple example through Project",
			in:   pension.ProjectionInput{Status: pension.Couple, Today: day(2025, time.December, 31), YTDGrossWageKr: 207_637},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 207_637, Base: 191_026, Threshold: 143_000,
				HeadroomHours: -1, Light: pension.Red, Reduction: 14_408, Pension: 200_848, CutOff: 860_600},
		},
		{
			// 2022 has its own threshold, annual amount and cut-off but no
			// partner figures: those two alone come from 2020. The partner's
			// wage counts in 2022: min(261.000, 300.000 − 254.472) = 45.528;
			// own 100.000 − 8.000 = 92.000; base 137.528, 6.428 above
			// 131.100; 30 % = 1.928,4 → 1.928; 197.484 − 1.928 = 195.556.
			name: "2022: partner's wage counts (2020 partner figures)",
			in: pension.ProjectionInput{Status: pension.Couple, Today: day(2022, time.December, 31), YTDGrossWageKr: 100_000,
				Partner: pension.Partner{WorkIncomeKr: 300_000}},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 100_000, Base: 137_528, Threshold: 131_100,
				HeadroomHours: -1, Light: pension.Red, Reduction: 1_928, Pension: 195_556, CutOff: 789_400, CutOffIsPublic: true},
		},
		{
			name: "2023: the same partner wage is ignored",
			in: pension.ProjectionInput{Status: pension.Couple, Today: day(2023, time.December, 31), YTDGrossWageKr: 100_000,
				Partner: pension.Partner{WorkIncomeKr: 300_000}},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 100_000, Base: 92_000, Threshold: 133_700,
				HeadroomBase: 41_700, HeadroomGross: 45_326, HeadroomHours: -1, Light: pension.Green,
				Pension: 201_336, CutOff: 804_900},
		},
		{
			name: "couple, pensioner partner without income: 2024 figures, 15 %",
			in:   pension.ProjectionInput{Status: pension.CoupleBothPensioners, Today: day(2024, time.December, 31), YTDGrossWageKr: 200_000},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 200_000, Base: 184_000, Threshold: 138_000,
				HeadroomHours: -1, Light: pension.Red, Reduction: 6_900, Pension: 200_880, CutOff: 1_523_200},
		},
		{
			// 2024's own threshold 138.000, annual amount 207.780 and 15 %;
			// only the cap on a pensioner partner's income (402.700) comes
			// from 2021, the one year that has it. Partner min(402.700,
			// 10.000) = 10.000; own 50.000 − 4.000 = 46.000; base 56.000.
			// Headroom 138.000 − 56.000 = 82.000, / 0,92 = 89.130,4 → 89.130.
			// Cut-off (not published for 2024) 138.000 + 207.780 / 0,15
			// (1.385.200) = 1.523.200.
			name: "couple, pensioner partner with other income: 2024 figures, the partner cap from 2021",
			in: pension.ProjectionInput{Status: pension.CoupleBothPensioners, Today: day(2024, time.June, 30), YTDGrossWageKr: 50_000,
				Partner: pension.Partner{OtherIncomeKr: 10_000}},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 50_000, Base: 56_000, Threshold: 138_000,
				HeadroomBase: 82_000, HeadroomGross: 89_130, HeadroomHours: -1, Light: pension.Green,
				Pension: 207_780, CutOff: 1_523_200},
		},
		{
			// Gross 1.200.000 − 96.000 AM-bidrag = 1.104.000, above the
			// 901.700 cut-off: 30 % × (1.104.000 − 86.900) = 305.130 would
			// exceed the pension, so the reduction is the whole 244.440.
			name: "above the cut-off: the reduction is the whole pension, no more",
			in:   pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.December, 31), YTDGrossWageKr: 1_200_000},
			want: summary{Basis: pension.BasisYTDOnly, Gross: 1_200_000, Base: 1_104_000, Threshold: 86_900,
				HeadroomHours: -1, Light: pension.Red, Reduction: 244_440, Pension: 0, CutOff: 901_700, CutOffIsPublic: true},
		},
		{
			// 12,5 h × 150 kr for exactly one week (25–31 December).
			name: "fractional weekly hours",
			in: pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.December, 24),
				Plans: []pension.Plan{{WeeklyHours: 12.5, HourlyWageOre: 15_000}}},
			want: summary{Basis: pension.BasisPlan, Rest: 1_875, Gross: 1_875, Base: 1_725, Threshold: 86_900,
				HeadroomBase: 85_175, HeadroomGross: 92_581, HeadroomHours: 617.2, Light: pension.Green,
				Pension: 244_440, CutOff: 901_700, CutOffIsPublic: true},
		},
	}
	r := rules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Project(tt.in)
			if err != nil {
				t.Fatalf("Project() error = %v", err)
			}
			if got := summarize(p); got != tt.want {
				t.Errorf("Project() =\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestProjectBonusCostsAfterAMBidrag(t *testing.T) {
	r := rules(t)
	in := pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.June, 30), RecentWeeklyGrossKr: kr(3_000)}
	in.YTDGrossWageKr = 120_000
	without, err := r.Project(in)
	if err != nil {
		t.Fatal(err)
	}
	in.YTDGrossWageKr = 150_000
	with, err := r.Project(in)
	if err != nil {
		t.Fatal(err)
	}
	// 30 % × 92 % × 30.000 = 8.280.
	if got, want := with.EstimatedReductionKr-without.EstimatedReductionKr, int64(8_280); got != want {
		t.Errorf("extra reduction from a 30.000 bonus = %d, want %d", got, want)
	}
}

func TestProjectTrafficLightBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		other int64
		want  pension.Light
	}{
		{name: "1 kr below 80 %", other: 69_519, want: pension.Green},
		{name: "exactly 80 %", other: 69_520, want: pension.Amber},
		{name: "exactly 100 %", other: 86_900, want: pension.Amber},
		{name: "1 kr above 100 %", other: 86_901, want: pension.Red},
	}
	r := rules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Project(pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.December, 31), OtherIncomeKr: tt.other})
			if err != nil {
				t.Fatal(err)
			}
			if p.Light != tt.want {
				t.Errorf("Light for base %d of 86.900 = %s, want %s", p.ProjectedBaseKr, p.Light, tt.want)
			}
		})
	}
}

func TestWhatIf(t *testing.T) {
	base := pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.May, 1), YTDGrossWageKr: 40_000, RecentWeeklyGrossKr: kr(1_000)}
	tests := []struct {
		name      string
		hours     float64
		wageOre   int64
		from      pension.Date
		wantRest  int64
		wantHours float64
		wantLight pension.Light
	}{
		// 2 May – 31 Aug (122 days) at 1.000/week = 17.429; 1 Sep – 31 Dec (122 days) at 10 h × 160 kr = 27.886.
		{name: "10 h/week at 160 kr from 1 September", hours: 10, wageOre: 16_000, from: day(2024, time.September, 1), wantRest: 45_315, wantHours: 57.1, wantLight: pension.Amber},
		{name: "stop working from 1 September", hours: 0, wageOre: 16_000, from: day(2024, time.September, 1), wantRest: 17_429, wantHours: 231.4, wantLight: pension.Green},
		// 2 May – 31 December = 244 days × 37 h × 200 kr / 7 = 257.942,86.
		{name: "full time from tomorrow", hours: 37, wageOre: 20_000, wantRest: 257_943, wantHours: 0, wantLight: pension.Red},
		{name: "a from date already past means tomorrow", hours: 37, wageOre: 20_000, from: day(2024, time.January, 1), wantRest: 257_943, wantHours: 0, wantLight: pension.Red},
	}
	r := rules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.WhatIf(base, tt.hours, tt.wageOre, tt.from)
			if err != nil {
				t.Fatalf("WhatIf() error = %v", err)
			}
			h := -1.0
			if p.HeadroomHours != nil {
				h = *p.HeadroomHours
			}
			if p.Basis != pension.BasisPlan || p.RestOfYearGrossWageKr != tt.wantRest || h != tt.wantHours || p.Light != tt.wantLight {
				t.Errorf("WhatIf() = basis %s, rest %d, headroom %.1f h, %s; want plan, %d, %.1f h, %s",
					p.Basis, p.RestOfYearGrossWageKr, h, p.Light, tt.wantRest, tt.wantHours, tt.wantLight)
			}
		})
	}
}

func TestProjectFiguresUsed(t *testing.T) {
	p, err := rules(t).Project(pension.ProjectionInput{Status: pension.Single, Today: day(2026, time.March, 15), YTDGrossWageKr: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if p.EstimateBasedOnYear != 2024 {
		t.Errorf("EstimateBasedOnYear = %d, want 2024", p.EstimateBasedOnYear)
	}
	var names []string
	for _, f := range p.FiguresUsed {
		names = append(names, f.Name)
		if f.Source == "" {
			t.Errorf("figure %s has no source", f.Name)
		}
		if f.Name != "amBidragBp" && f.Year != 2024 {
			t.Errorf("figure %s from year %d, want 2024", f.Name, f.Year)
		}
	}
	want := []string{"thresholdSingleKr", "annualSingleKr", "rateBp", "cutOffSingleKr", "amBidragBp"}
	if !slices.Equal(names, want) {
		t.Errorf("FiguresUsed names = %v, want %v", names, want)
	}
}

// A figure the year lacks is taken alone from the latest earlier year that
// has it, and FiguresUsed says which figure came from which year.
func TestProjectPartnerFigureFallsBackAlone(t *testing.T) {
	tests := []struct {
		name      string
		today     pension.Date
		wantBased int
		want      map[string]pension.UsedFigure // name → year and fallback
	}{
		{name: "2024: own figures, the cap from 2021", today: day(2024, time.June, 30), want: map[string]pension.UsedFigure{
			"thresholdCoupleKr": {Year: 2024}, "annualCoupleKr": {Year: 2024}, "rateBothPensionersBp": {Year: 2024},
			"spouseMaxPensionerKr": {Year: 2021, Fallback: true},
		}},
		{name: "2026: 2025's figures, the cap from 2021", today: day(2026, time.March, 1), wantBased: 2025, want: map[string]pension.UsedFigure{
			"thresholdCoupleKr": {Year: 2025}, "annualCoupleKr": {Year: 2025}, "rateBothPensionersBp": {Year: 2025},
			"spouseMaxPensionerKr": {Year: 2021, Fallback: true},
		}},
		{name: "2021: the cap is the year's own", today: day(2021, time.June, 30), want: map[string]pension.UsedFigure{
			"thresholdCoupleKr": {Year: 2021}, "annualCoupleKr": {Year: 2021}, "rateBothPensionersBp": {Year: 2021},
			"spouseMaxPensionerKr": {Year: 2021},
		}},
	}
	r := rules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Project(pension.ProjectionInput{Status: pension.CoupleBothPensioners, Today: tt.today,
				YTDGrossWageKr: 50_000, Partner: pension.Partner{OtherIncomeKr: 10_000}})
			if err != nil {
				t.Fatal(err)
			}
			if p.EstimateBasedOnYear != tt.wantBased {
				t.Errorf("EstimateBasedOnYear = %d, want %d", p.EstimateBasedOnYear, tt.wantBased)
			}
			got := map[string]pension.UsedFigure{}
			for _, f := range p.FiguresUsed {
				if _, ok := tt.want[f.Name]; ok {
					got[f.Name] = pension.UsedFigure{Year: f.Year, Fallback: f.Fallback}
				} else if f.Fallback {
					t.Errorf("%s marked fallback", f.Name)
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("figures used = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProjectErrors(t *testing.T) {
	ok := pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.June, 1)}
	with := func(f func(*pension.ProjectionInput)) pension.ProjectionInput {
		in := ok
		f(&in)
		return in
	}
	tests := []struct {
		name      string
		in        pension.ProjectionInput
		wantKind  apperr.Kind
		wantCode  string
		wantField string
	}{
		{name: "29 February in a common year", in: with(func(in *pension.ProjectionInput) { in.Today = day(2025, time.February, 29) }), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "today"},
		{name: "zero date", in: with(func(in *pension.ProjectionInput) { in.Today = pension.Date{} }), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "today"},
		{name: "negative YTD", in: with(func(in *pension.ProjectionInput) { in.YTDGrossWageKr = -1 }), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "ytdGrossWageKr"},
		{name: "more hours than a week has", in: with(func(in *pension.ProjectionInput) { in.Plans = []pension.Plan{{WeeklyHours: 169, HourlyWageOre: 1}} }), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "plans[0].weeklyHours"},
		{name: "plan starting next year", in: with(func(in *pension.ProjectionInput) {
			in.Plans = []pension.Plan{{WeeklyHours: 10, HourlyWageOre: 1, From: day(2025, time.January, 1)}}
		}), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "plans[0].from"},
		{name: "unknown status", in: with(func(in *pension.ProjectionInput) { in.Status = "" }), wantKind: apperr.Invalid, wantCode: "request.invalid_fields", wantField: "status"},
		{name: "no figures up to 2019", in: with(func(in *pension.ProjectionInput) { in.Today = day(2019, time.June, 1) }), wantKind: apperr.RuleViolation, wantCode: "pension.no_figures"},
		{name: "pre-2003 scheme", in: with(func(in *pension.ProjectionInput) { in.Scheme = "pre2003" }), wantKind: apperr.RuleViolation, wantCode: "pension.scheme_unsupported"},
	}
	r := rules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Project(tt.in)
			wantCode(t, err, tt.wantKind, tt.wantCode)
			if got := fieldNames(err); got != tt.wantField {
				t.Errorf("field errors = %q, want %q", got, tt.wantField)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	cph := time.FixedZone("CET", 3600)
	// 23:30 UTC on 31 December is already 1 January in Copenhagen: the caller's zone decides.
	ts := time.Date(2024, time.December, 31, 23, 30, 0, 0, time.UTC)
	if got, want := pension.DateOf(ts.In(cph)), day(2025, time.January, 1); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", ts.In(cph), got, want)
	}
}

// A what-if replaces the participant's own plans from its date on: before
// it they still work as planned.
func TestWhatIfKeepsOwnPlansUntilItsDate(t *testing.T) {
	in := pension.ProjectionInput{Status: pension.Single, Today: day(2024, time.May, 1),
		Plans: []pension.Plan{{WeeklyHours: 10, HourlyWageOre: 15_000}}}
	p, err := rules(t).WhatIf(in, 20, 15_000, day(2024, time.September, 1))
	if err != nil {
		t.Fatal(err)
	}
	// 2 May – 31 Aug (122 days) at 1.500/week = 26.142,86; 1 Sep – 31 Dec
	// (122 days) at 3.000/week = 52.285,71: 26.143 + 52.286.
	if p.Basis != pension.BasisPlan || p.RestOfYearGrossWageKr != 26_143+52_286 {
		t.Errorf("WhatIf() = basis %s, rest %d; want plan, %d", p.Basis, p.RestOfYearGrossWageKr, 26_143+52_286)
	}
}

// On 31 December (or with a payslip for December, which the caller turns
// into Today = 31 December) nothing of the year is left: the what-if is the
// plain estimate, never a field error for a plan the caller did not send.
func TestWhatIfWithNoDayLeft(t *testing.T) {
	r := rules(t)
	for _, today := range []pension.Date{day(2024, time.December, 31), day(2028, time.December, 31)} {
		in := pension.ProjectionInput{Status: pension.Single, Today: today, YTDGrossWageKr: 60_000,
			Plans: []pension.Plan{{WeeklyHours: 5, HourlyWageOre: 15_000}}}
		for _, from := range []pension.Date{{}, today, day(today.Year+1, time.January, 1)} {
			got, err := r.WhatIf(in, 10, 15_000, from)
			if err != nil {
				t.Fatalf("WhatIf(today %s, from %s) error = %v", today, from, err)
			}
			want, err := r.Project(in)
			if err != nil {
				t.Fatal(err)
			}
			if got.RestOfYearGrossWageKr != 0 || got.ProjectedGrossWageKr != want.ProjectedGrossWageKr {
				t.Errorf("WhatIf(today %s, from %s): rest %d, projected %d; want 0, %d",
					today, from, got.RestOfYearGrossWageKr, got.ProjectedGrossWageKr, want.ProjectedGrossWageKr)
			}
		}
	}
}
