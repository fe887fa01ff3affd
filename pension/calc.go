package pension

import (
	"fmt"
	"strings"

	"github.com/jobbanken/jobkunde/apperr"
)

// AMBidragBP is the labour-market contribution withheld from gross wages,
// in basis points (8 %), and AMBidragSource its source key.
const (
	AMBidragBP     = 800
	AMBidragSource = "S_BORGER_SUPP"
)

// PartnerWorkIncomeIgnoredFrom is the first income year in which a spouse's
// or cohabitant's income from personal work no longer counts (lov nr. 875 af
// 21. juni 2022); PartnerRuleSource its source keys.
const (
	PartnerWorkIncomeIgnoredFrom = 2023
	PartnerRuleSource            = "S_L170,S_STAR_NEWS22"
)

// Status is the household situation that picks the figures and the rate.
type Status string

// The household statuses.
const (
	// Single: not married and not cohabiting.
	Single Status = "single"
	// Couple: married or cohabiting; the partner is not a pensioner (30 %).
	Couple Status = "couple"
	// CoupleBothPensioners: the partner is also entitled to a social pension (15 %).
	CoupleBothPensioners Status = "couple_both_pensioners"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case Single, Couple, CoupleBothPensioners:
		return true
	}
	return false
}

// needs names the figures a calculation for s requires; partnerCounts adds
// the partner figures, needed only when the partner has counted income.
func (s Status) needs(partnerCounts bool) ([]string, error) {
	switch s {
	case Single:
		return []string{"thresholdSingleKr", "annualSingleKr", "rateBp"}, nil
	case Couple:
		n := []string{"thresholdCoupleKr", "annualCoupleKr", "rateBp"}
		if partnerCounts {
			n = append(n, "spouseDisregardKr", "spouseMaxNonPensionerKr")
		}
		return n, nil
	case CoupleBothPensioners:
		n := []string{"thresholdCoupleKr", "annualCoupleKr", "rateBothPensionersBp"}
		if partnerCounts {
			n = append(n, "spouseMaxPensionerKr")
		}
		return n, nil
	}
	return nil, statusInvalid(s)
}

func statusInvalid(s Status) error {
	return &apperr.Error{Kind: apperr.Invalid, Code: "pension.status_invalid", Detail: "Unknown household status.",
		Fields: []apperr.FieldError{{Field: "status", Code: "invalid", Message: fmt.Sprintf("unknown status %q", s)}}}
}

func noFigures(y Year, names ...string) error {
	return apperr.New(apperr.RuleViolation, "pension.no_figures",
		fmt.Sprintf("The %d figures lack %s.", y.Year, strings.Join(names, ", ")))
}

// core returns the threshold, annual amount and rate figures y has for s.
func (y Year) core(s Status) (threshold, annual, rate *Figure, err error) {
	switch s {
	case Single:
		threshold, annual, rate = y.ThresholdSingleKr, y.AnnualSingleKr, y.RateBP
	case Couple:
		threshold, annual, rate = y.ThresholdCoupleKr, y.AnnualCoupleKr, y.RateBP
	case CoupleBothPensioners:
		threshold, annual, rate = y.ThresholdCoupleKr, y.AnnualCoupleKr, y.RateBothPensionersBP
	default:
		return nil, nil, nil, statusInvalid(s)
	}
	if threshold == nil || annual == nil || rate == nil {
		needs, _ := s.needs(false)
		return nil, nil, nil, noFigures(y, needs...)
	}
	return threshold, annual, rate, nil
}

// divRound divides n by d > 0, rounding half away from zero (half up for the
// non-negative amounts this package handles).
func divRound(n, d int64) int64 {
	if n < 0 {
		return -((-2*n + d) / (2 * d))
	}
	return (2*n + d) / (2 * d)
}

// AMBidrag returns the 8 % AM-bidrag on a gross wage, rounded half up to
// whole kroner.
func AMBidrag(grossWageKr int64) int64 { return divRound(grossWageKr*AMBidragBP, 10_000) }

// CountedIncome returns the pensioner's own counted income: gross wage minus
// the 8 % AM-bidrag (AMBidrag, rounded half up) plus other counted income
// (self-employment, pension payouts, positive capital income, ...), which the
// caller passes already net of anything not counted. Førtidspension has no
// earned-income deduction; own wages count in full after AM-bidrag.
func CountedIncome(grossWageKr, otherIncomeKr int64) int64 {
	return grossWageKr - AMBidrag(grossWageKr) + otherIncomeKr
}

// Partner is a spouse's or cohabitant's income for the year, both parts
// already counted-income (wages after AM-bidrag); the partner's own social
// pension is not included.
type Partner struct {
	// WorkIncomeKr is income from personal work: wages, fees, dagpenge,
	// sygedagpenge, efterløn. It counts only before 2023.
	WorkIncomeKr int64 `json:"workIncomeKr" bson:"workIncomeKr"`
	// OtherIncomeKr is every other counted income: pensions, capital and
	// share income.
	OtherIncomeKr int64 `json:"otherIncomeKr" bson:"otherIncomeKr"`
}

// PartnerCountedKr returns the part of the partner's income that the rules
// look at in incomeYear: from 2023 only OtherIncomeKr, before that both parts.
func PartnerCountedKr(incomeYear int, p Partner) int64 {
	if incomeYear >= PartnerWorkIncomeIgnoredFrom {
		return p.OtherIncomeKr
	}
	return p.WorkIncomeKr + p.OtherIncomeKr
}

// PartnerContribution returns how much of the partner's income enters the
// couple's combined base in incomeYear under y's figures (rules doc §2.2):
//   - Single: 0 (p is ignored).
//   - Couple (partner not a pensioner): the partner's counted income above
//     SpouseDisregardKr, at most SpouseMaxNonPensionerKr.
//   - CoupleBothPensioners: the partner's counted income, at most
//     SpouseMaxPensionerKr.
//
// incomeYear decides whether work income counts; y may be an earlier year's
// figures (see Rules.Effective). The partner figures are needed only when
// the partner's counted income is positive; if they are absent the error is
// apperr RuleViolation "pension.no_figures".
func PartnerContribution(incomeYear int, y Year, status Status, p Partner) (int64, error) {
	counted := PartnerCountedKr(incomeYear, p)
	switch status {
	case Single:
		return 0, nil
	case Couple:
		if counted <= 0 {
			return 0, nil
		}
		if y.SpouseDisregardKr == nil || y.SpouseMaxNonPensionerKr == nil {
			return 0, noFigures(y, "spouseDisregardKr", "spouseMaxNonPensionerKr")
		}
		return min(y.SpouseMaxNonPensionerKr.Value, max(0, counted-y.SpouseDisregardKr.Value)), nil
	case CoupleBothPensioners:
		if counted <= 0 {
			return 0, nil
		}
		if y.SpouseMaxPensionerKr == nil {
			return 0, noFigures(y, "spouseMaxPensionerKr")
		}
		return min(y.SpouseMaxPensionerKr.Value, counted), nil
	}
	return 0, statusInvalid(status)
}

// Base returns the income base compared with the threshold: the pensioner's
// own counted income (CountedIncome) plus the partner's contribution
// (PartnerContribution). For couples the couple threshold applies to this
// combined base. Errors as PartnerContribution.
func Base(incomeYear int, y Year, status Status, ownCountedKr int64, p Partner) (int64, error) {
	c, err := PartnerContribution(incomeYear, y, status, p)
	if err != nil {
		return 0, err
	}
	return ownCountedKr + c, nil
}

// Reduction returns rate × max(0, base − threshold) for status under y,
// rounded half up to whole kroner (rate 30 %, or 15 % for
// CoupleBothPensioners), and never more than the annual amount: above the
// cut-off the whole pension goes, no more. Errors: apperr RuleViolation
// "pension.no_figures" when y lacks the threshold, annual amount or rate for
// status; Invalid for a bad status.
func Reduction(y Year, status Status, baseKr int64) (int64, error) {
	threshold, annual, rate, err := y.core(status)
	if err != nil {
		return 0, err
	}
	return min(annual.Value, divRound(max(0, baseKr-threshold.Value)*rate.Value, 10_000)), nil
}

// Pension returns the yearly pension for status and base under y: the annual
// amount minus Reduction, never negative. Where y has a minimum-payout figure
// for status (§ 32 c stk. 2), a positive pension below it is not paid and 0
// is returned; without the figure the rule is not applied. Errors as
// Reduction (the annual amount is needed too).
func Pension(y Year, status Status, baseKr int64) (int64, error) {
	_, annual, _, err := y.core(status)
	if err != nil {
		return 0, err
	}
	red, err := Reduction(y, status, baseKr)
	if err != nil {
		return 0, err
	}
	p := max(0, annual.Value-red)
	if m := y.minPayout(status); m != nil && p < m.Value {
		return 0, nil
	}
	return p, nil
}

// minPayout returns y's minimum-payout figure for status, or nil.
func (y Year) minPayout(status Status) *Figure {
	if status == Single {
		return y.MinPayoutSingleKr
	}
	return y.MinPayoutCoupleKr
}

// CutOff returns the income base at which the pension for status reaches 0:
// threshold + annual / rate, rounded UP to whole 100 kr. The published
// cut-offs are rounded that way: 2022 single 82.600 + 232.320/0.30 = 857.000
// and 2024 single 86.900 + 244.440/0.30 = 901.700 are exact, while 2022
// couple 131.100 + 197.484/0.30 = 789.380 is published as 789.400 and both
// pensioners 131.100 + 197.484/0.15 = 1.447.660 as 1.447.700. (Rounding to the
// nearest 100 also fits these four; rounding up is chosen so that Pension at
// the cut-off is always 0.) The minimum-payout rule, which stops payment a
// little earlier, is ignored here as in the published figures. Errors as
// Pension.
func CutOff(y Year, status Status) (int64, error) {
	threshold, annual, rate, err := y.core(status)
	if err != nil {
		return 0, err
	}
	exact := threshold.Value + (annual.Value*10_000+rate.Value-1)/rate.Value // ceiling division
	return (exact + 99) / 100 * 100, nil
}

// PublishedCutOff returns y's published cut-off for status, if there is one.
func (y Year) PublishedCutOff(status Status) (*Figure, bool) {
	var f *Figure
	switch status {
	case Single:
		f = y.CutOffSingleKr
	case Couple:
		f = y.CutOffCoupleKr
	case CoupleBothPensioners:
		f = y.CutOffBothPensionersKr
	}
	return f, f != nil
}

// Light is the traffic light shown for a projected base against the threshold.
type Light string

// The traffic lights.
const (
	Green Light = "green" // below 80 % of the threshold
	Amber Light = "amber" // from 80 % up to and including 100 %
	Red   Light = "red"   // above the threshold: the pension is reduced
)

// LightFor returns Green when baseKr < 80 % of thresholdKr, Amber when it is
// between 80 % and 100 % inclusive, and Red above (exact integer comparison,
// no rounding).
func LightFor(baseKr, thresholdKr int64) Light {
	switch {
	case baseKr*100 < thresholdKr*80:
		return Green
	case baseKr <= thresholdKr:
		return Amber
	}
	return Red
}

// EmploymentType is the kind of employment hours are logged against.
type EmploymentType string

// The employment types.
const (
	Internship  EmploymentType = "internship"   // virksomhedspraktik: unpaid, the person keeps their benefit
	WageSubsidy EmploymentType = "wage_subsidy" // job med løntilskud / skånejob: the employer pays the whole wage
	Ordinary    EmploymentType = "ordinary"     // ordinary job on ordinary terms
	Flexjob     EmploymentType = "flexjob"      // flexjob: means leaving the pension; its wage is income
)

// Valid reports whether t is one of the known types.
func (t EmploymentType) Valid() bool {
	switch t {
	case Internship, WageSubsidy, Ordinary, Flexjob:
		return true
	}
	return false
}

// CountsAsIncome reports whether wages under t enter the income base. The
// caller sums only such wages into the gross wage it passes to this package:
// an internship adds 0 kr (no wage); a wage-subsidy job counts with its
// whole wage (the hourly subsidy goes to the employer and is not the
// person's income). Unknown types count, so an error overstates rather than
// hides income.
func (t EmploymentType) CountsAsIncome() bool { return t != Internship }
