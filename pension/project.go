package pension

import (
	"fmt"
	"math"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
)

// Date is a calendar date without time or zone. Which day "today" is (in
// Europe/Copenhagen) is the caller's concern.
type Date struct {
	Year  int        `json:"year"`
	Month time.Month `json:"month"`
	Day   int        `json:"day"`
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// valid reports whether d is a real date (so 2025-02-29 is not).
func (d Date) valid() bool {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return DateOf(t) == d
}

// dayNumber counts days since 1970-01-01; differences are exact day counts,
// leap years included.
func (d Date) dayNumber() int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86_400
}

// Basis says how the rest of the year was projected.
type Basis string

// The projection bases.
const (
	BasisPlan          Basis = "plan"           // planned weekly hours × hourly wage
	BasisRecentAverage Basis = "recent_average" // recent weekly average gross wage
	BasisYTDOnly       Basis = "ytd_only"       // no further wage assumed
)

// Plan is planned work for (part of) the rest of the year: one employment,
// or a what-if.
type Plan struct {
	WeeklyHours   float64 `json:"weeklyHours"`   // 0–168; used to 1/100 hour
	HourlyWageOre int64   `json:"hourlyWageOre"` // gross hourly wage in øre
	// From is the first day of the plan (inclusive); zero means the day after
	// Today. Days after Today and before the earliest plan's From earn the
	// recent weekly average when one is given, else nothing.
	From Date `json:"from"`
	// To is the last day of the plan (inclusive), e.g. an internship's or a
	// job's agreed end; zero means 31 December.
	To Date `json:"to"`
}

// ProjectionInput is everything Project needs; the caller gathers it. Only
// wages that count (EmploymentType.CountsAsIncome) belong in the amounts.
type ProjectionInput struct {
	Scheme string // "" means SchemePost2003
	Status Status
	Today  Date // the income year is Today.Year
	// YTDGrossWageKr is gross wage from 1 January up to and including Today,
	// bonuses and other one-off pay included (they count in full in the
	// year they are taxed).
	YTDGrossWageKr int64
	// Plans, when given, project the rest of the year (Basis "plan"): each
	// from its From to its To; plans may overlap (two jobs at once).
	Plans []Plan
	// RecentWeeklyGrossKr, when set and there are no Plans, projects the
	// rest of the year at this weekly gross wage (Basis "recent_average");
	// regular pay only, without one-off bonuses. With Plans it fills the
	// days before the earliest plan begins.
	RecentWeeklyGrossKr *int64
	// CurrentHourlyWageOre converts headroom to hours when there is no plan;
	// 0 means unknown (then HeadroomHours is nil).
	CurrentHourlyWageOre int64
	// OtherIncomeKr is the pensioner's other counted income for the whole year.
	OtherIncomeKr int64
	// Partner is the partner's expected income for the whole year (couples).
	Partner Partner
}

// UsedFigure is one figure a result rests on, with where it comes from.
type UsedFigure struct {
	Name   string `json:"name"` // as in rules.json, e.g. "thresholdSingleKr", "rateBp"
	Year   int    `json:"year"` // the figures' year (0 for a year-independent rule)
	Value  int64  `json:"value"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
	// Fallback is true when this one figure comes from an earlier year than
	// the income year, and from another year than the estimate's threshold,
	// annual amount and rate, because the income year lacks it (Year says
	// which year it is from). The threshold, annual amount and rate never
	// fall back alone: they move together (Projection.EstimateBasedOnYear).
	Fallback bool `json:"fallback,omitempty"`
}

// Projection is the pension status for one income year. Every amount is an
// estimate; the official calculation comes from Udbetaling Danmark.
type Projection struct {
	Year   int    `json:"year"` // income year (Today.Year)
	Status Status `json:"status"`
	Basis  Basis  `json:"basis"`

	YTDGrossWageKr        int64 `json:"ytdGrossWageKr"`
	RestOfYearGrossWageKr int64 `json:"restOfYearGrossWageKr"` // each projected stretch rounded half up
	ProjectedGrossWageKr  int64 `json:"projectedGrossWageKr"`  // YTD + rest of year
	OwnCountedKr          int64 `json:"ownCountedKr"`          // CountedIncome(projected gross, other income)
	PartnerContributionKr int64 `json:"partnerContributionKr"`
	ProjectedBaseKr       int64 `json:"projectedBaseKr"` // own counted + partner contribution

	ThresholdKr int64 `json:"thresholdKr"`
	// HeadroomBaseKr is max(0, threshold − projected base).
	HeadroomBaseKr int64 `json:"headroomBaseKr"`
	// HeadroomGrossKr is HeadroomBaseKr / 0.92 in gross wage, rounded down.
	HeadroomGrossKr int64 `json:"headroomGrossKr"`
	// HeadroomHours is HeadroomGrossKr at the plan's (else the current)
	// hourly wage, rounded down to 0.1 hour; nil when no wage is known.
	HeadroomHours *float64 `json:"headroomHours,omitempty"`
	Light         Light    `json:"light"`

	AnnualPensionKr      int64 `json:"annualPensionKr"`      // full pension before reduction
	EstimatedReductionKr int64 `json:"estimatedReductionKr"` // 0 unless above the threshold; at most AnnualPensionKr
	EstimatedPensionKr   int64 `json:"estimatedPensionKr"`   // after reduction and minimum payout
	CutOffKr             int64 `json:"cutOffKr"`             // base where the pension reaches 0
	CutOffPublished      bool  `json:"cutOffPublished"`      // published for the figures' year; false: computed by CutOff

	// EstimateBasedOnYear is the year whose threshold, annual amount and
	// rate were used when Year lacks them ("estimate based on 2024
	// figures"); 0 otherwise. A single other figure that Year lacks is taken
	// alone from an earlier year and marked Fallback in FiguresUsed.
	EstimateBasedOnYear int          `json:"estimateBasedOnYear,omitempty"`
	FiguresUsed         []UsedFigure `json:"figuresUsed"`
}

// Project estimates the year's pension status from year-to-date wage and the
// expected rest of the year (Plan, else RecentWeeklyGrossKr, else nothing),
// counted for the days after Today up to 31 December: weekly amounts × days
// / 7, so leap years and part weeks need no special case.
//
// The threshold, annual amount and rate come together from one year
// (Rules.Effective). When the partner's counted income is positive, each
// partner figure comes from the latest year up to the income year that has
// it, so a year that lacks only, say, the cap on a pensioner partner's
// income keeps its own threshold and rate; such a figure is marked Fallback.
//
// Errors: apperr Invalid with field errors for bad input (unknown status, a
// date that does not exist, negative amounts, hours outside 0–168, a plan
// starting in a later year); RuleViolation "pension.scheme_unsupported" and
// "pension.no_figures" as in Rules.Effective, and "pension.no_figures" when
// no year up to the income year has a partner figure that is needed.
func (r *Rules) Project(in ProjectionInput) (Projection, error) {
	if err := in.validate(); err != nil {
		return Projection{}, err
	}
	scheme := in.Scheme
	if scheme == "" {
		scheme = SchemePost2003
	}
	year := in.Today.Year
	partnerCounts := in.Status != Single && PartnerCountedKr(year, in.Partner) > 0
	needs, err := in.Status.needs(partnerCounts)
	if err != nil {
		return Projection{}, err
	}
	core := needs[:3] // threshold, annual amount, rate (Status.needs lists them first)
	y, used, err := r.effective(year, scheme, core)
	if err != nil {
		return Projection{}, err
	}
	// Each partner figure alone from the latest year that has it.
	from := map[string]int{} // figure name → its year, where not y's
	for _, name := range needs[len(core):] {
		src, ok := r.latest(year, scheme, name)
		if !ok {
			return Projection{}, apperr.New(apperr.RuleViolation, "pension.no_figures",
				fmt.Sprintf("No year up to %d has a verified figure for %s.", year, name))
		}
		if src.Year != y.Year {
			*y.slot(name) = *src.slot(name)
			from[name] = src.Year
		}
	}

	p := Projection{Year: year, Status: in.Status, YTDGrossWageKr: in.YTDGrossWageKr}
	if used != year {
		p.EstimateBasedOnYear = used
	}
	var wageOre int64
	p.Basis, p.RestOfYearGrossWageKr, wageOre = in.rest()
	if wageOre == 0 {
		wageOre = in.CurrentHourlyWageOre
	}
	p.ProjectedGrossWageKr = in.YTDGrossWageKr + p.RestOfYearGrossWageKr
	p.OwnCountedKr = CountedIncome(p.ProjectedGrossWageKr, in.OtherIncomeKr)
	if p.PartnerContributionKr, err = PartnerContribution(year, y, in.Status, in.Partner); err != nil {
		return Projection{}, err
	}
	p.ProjectedBaseKr = p.OwnCountedKr + p.PartnerContributionKr

	threshold, annual, rate, err := y.core(in.Status)
	if err != nil {
		return Projection{}, err
	}
	p.ThresholdKr, p.AnnualPensionKr = threshold.Value, annual.Value
	p.HeadroomBaseKr = max(0, threshold.Value-p.ProjectedBaseKr)
	p.HeadroomGrossKr = p.HeadroomBaseKr * 10_000 / (10_000 - AMBidragBP)
	if wageOre > 0 {
		h := float64(p.HeadroomGrossKr*100*10/wageOre) / 10
		p.HeadroomHours = &h
	}
	p.Light = LightFor(p.ProjectedBaseKr, threshold.Value)
	if p.EstimatedReductionKr, err = Reduction(y, in.Status, p.ProjectedBaseKr); err != nil {
		return Projection{}, err
	}
	if p.EstimatedPensionKr, err = Pension(y, in.Status, p.ProjectedBaseKr); err != nil {
		return Projection{}, err
	}
	if f, ok := y.PublishedCutOff(in.Status); ok {
		p.CutOffKr, p.CutOffPublished = f.Value, true
	} else if p.CutOffKr, err = CutOff(y, in.Status); err != nil {
		return Projection{}, err
	}

	add := func(name string, f *Figure) {
		if f == nil {
			return
		}
		u := UsedFigure{Name: name, Year: y.Year, Value: f.Value, Source: f.Source, Note: f.Note}
		if fy, ok := from[name]; ok {
			u.Year, u.Fallback = fy, fy != year
		}
		p.FiguresUsed = append(p.FiguresUsed, u)
	}
	// needs lists the threshold, annual amount and rate first (Status.needs).
	add(needs[0], threshold)
	add(needs[1], annual)
	add(needs[2], rate)
	if in.Status == Single {
		add("minPayoutSingleKr", y.MinPayoutSingleKr)
	} else {
		add("minPayoutCoupleKr", y.MinPayoutCoupleKr)
	}
	if p.CutOffPublished {
		f, _ := y.PublishedCutOff(in.Status)
		add(map[Status]string{Single: "cutOffSingleKr", Couple: "cutOffCoupleKr", CoupleBothPensioners: "cutOffBothPensionersKr"}[in.Status], f)
	}
	if partnerCounts {
		switch in.Status {
		case Couple:
			add("spouseDisregardKr", y.SpouseDisregardKr)
			add("spouseMaxNonPensionerKr", y.SpouseMaxNonPensionerKr)
		case CoupleBothPensioners:
			add("spouseMaxPensionerKr", y.SpouseMaxPensionerKr)
		}
	}
	p.FiguresUsed = append(p.FiguresUsed, UsedFigure{Name: "amBidragBp", Value: AMBidragBP, Source: AMBidragSource})
	if in.Status != Single {
		p.FiguresUsed = append(p.FiguresUsed, UsedFigure{Name: "partnerWorkIncomeIgnoredFrom", Value: PartnerWorkIncomeIgnoredFrom, Source: PartnerRuleSource})
	}
	return p, nil
}

// WhatIf is Project with a plan of weeklyHours at hourlyWageOre from date
// from (inclusive) to 31 December, on top of in's year-to-date wage; in's
// own plans end the day before, and between Today and from (when no plan
// covers it) in's recent weekly average applies if given. When Today is 31
// December (the year is over, or covered by a payslip for December) no day
// is left for the what-if, and the result is Project's.
// Errors as Project; never a field error for the plan WhatIf makes itself.
func (r *Rules) WhatIf(in ProjectionInput, weeklyHours float64, hourlyWageOre int64, from Date) (Projection, error) {
	start := in.Today.dayNumber() + 1
	if from != (Date{}) {
		start = max(start, from.dayNumber())
	}
	if start > (Date{in.Today.Year, time.December, 31}).dayNumber() {
		return r.Project(in)
	}
	var plans []Plan
	for _, p := range in.Plans {
		end := p.To
		if end == (Date{}) || end.dayNumber() >= start {
			end = dateOf(start - 1)
		}
		p.To = end
		plans = append(plans, p)
	}
	in.Plans = append(plans, Plan{WeeklyHours: weeklyHours, HourlyWageOre: hourlyWageOre, From: dateOf(start)})
	return r.Project(in)
}

// dateOf is the inverse of Date.dayNumber.
func dateOf(n int64) Date { return DateOf(time.Unix(n*86_400, 0).UTC()) }

// rest returns the basis, the projected gross wage for the days after Today
// up to 31 December, and the hourly wage of the plan that reaches furthest
// into the year (0 without plans).
func (in ProjectionInput) rest() (Basis, int64, int64) {
	start := in.Today.dayNumber() + 1                             // first day not in YTD
	end := Date{in.Today.Year, time.December, 31}.dayNumber() + 1 // exclusive
	weekly := func(weeklyKr, days int64) int64 { return divRound(weeklyKr*days, 7) }
	if start >= end { // 31 December: the year is all earned, nothing is projected
		return BasisYTDOnly, 0, 0
	}
	if len(in.Plans) == 0 {
		if in.RecentWeeklyGrossKr == nil {
			return BasisYTDOnly, 0, 0
		}
		return BasisRecentAverage, weekly(*in.RecentWeeklyGrossKr, end-start), 0
	}
	firstPlan := end
	var planned, lastEnd, wage int64
	for _, p := range in.Plans {
		from, to := start, end
		if p.From != (Date{}) {
			from = max(start, p.From.dayNumber())
		}
		if p.To != (Date{}) {
			to = min(end, p.To.dayNumber()+1)
		}
		firstPlan = min(firstPlan, from)
		if to >= lastEnd {
			lastEnd, wage = to, p.HourlyWageOre
		}
		if to <= from {
			continue
		}
		centiHours := int64(math.Round(p.WeeklyHours * 100))
		// centi-hours/week × øre/hour × days / 7 → øre; /100 /100 → kroner.
		planned += divRound(centiHours*p.HourlyWageOre*(to-from), 7*100*100)
	}
	var gap int64
	if in.RecentWeeklyGrossKr != nil && firstPlan > start {
		gap = weekly(*in.RecentWeeklyGrossKr, min(firstPlan, end)-start)
	}
	return BasisPlan, gap + planned, wage
}

// maxWageOre bounds hourly wages (1 million kr/hour) against overflow.
const maxWageOre = 100_000_000

// validate returns apperr Invalid listing every bad field, or nil.
func (in ProjectionInput) validate() error {
	var fe apperr.Fields
	if !in.Status.Valid() {
		fe.Add("status", "invalid", "unknown household status")
	}
	if !in.Today.valid() || in.Today.Year < 1990 || in.Today.Year > 2200 {
		fe.Add("today", "invalid", "not a valid date")
	}
	amount := func(field string, v int64) {
		if v < 0 || v > maxKr {
			fe.Add(field, "out_of_range", "must be between 0 and 1e12 kr")
		}
	}
	amount("ytdGrossWageKr", in.YTDGrossWageKr)
	amount("otherIncomeKr", in.OtherIncomeKr)
	amount("partner.workIncomeKr", in.Partner.WorkIncomeKr)
	amount("partner.otherIncomeKr", in.Partner.OtherIncomeKr)
	if in.RecentWeeklyGrossKr != nil {
		amount("recentWeeklyGrossKr", *in.RecentWeeklyGrossKr)
	}
	if in.CurrentHourlyWageOre < 0 || in.CurrentHourlyWageOre > maxWageOre {
		fe.Add("currentHourlyWageOre", "out_of_range", "must be between 0 and 1e8 øre")
	}
	for i, pl := range in.Plans {
		name := fmt.Sprintf("plans[%d].", i)
		if math.IsNaN(pl.WeeklyHours) || pl.WeeklyHours < 0 || pl.WeeklyHours > 168 {
			fe.Add(name+"weeklyHours", "out_of_range", "must be between 0 and 168")
		}
		if pl.HourlyWageOre < 0 || pl.HourlyWageOre > maxWageOre {
			fe.Add(name+"hourlyWageOre", "out_of_range", "must be between 0 and 1e8 øre")
		}
		if pl.From != (Date{}) && (!pl.From.valid() || pl.From.Year > in.Today.Year) {
			fe.Add(name+"from", "invalid", "must be a valid date in the same year as today (or earlier)")
		}
		if pl.To != (Date{}) && !pl.To.valid() {
			fe.Add(name+"to", "invalid", "must be a valid date")
		}
	}
	return fe.Err()
}
