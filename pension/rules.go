// Package pension holds the pure førtidspension income rules: the yearly
// figures with their sources, counted income (8 % AM-bidrag), the partner
// rules, the 30 %/15 % reduction, the cut-off and the projection of a year's
// income against the threshold.
//
// The package does no I/O and reads no clock: callers pass "today" and every
// amount. Money is whole kroner (int64, suffix Kr) or øre (suffix Ore); every
// division rounds half up to whole kroner unless a doc comment says otherwise.
// Only the post-2003 scheme ("ny førtidspension") is calculated.
//
// Results are estimates. The official calculation is made by Udbetaling
// Danmark; a number is never invented: where a year lacks a verified figure
// the latest earlier year that has it is used, and the result says so.
package pension

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/jobbanken/jobkunde/apperr"
)

// SchemePost2003 is the scheme for pensions granted from 1 January 2003.
const SchemePost2003 = "post2003"

//go:embed rules.json
var embeddedRules []byte

// Figure is one sourced number: kroner per year, or basis points for a rate.
// Source names where it comes from (source keys of the rules file, comma
// separated, or a reference an admin typed); it is never empty.
type Figure struct {
	Value  int64  `json:"value" bson:"value"`
	Source string `json:"source" bson:"source"`
	Note   string `json:"note,omitempty" bson:"note,omitempty"`
}

// Year holds one year's figures for one scheme.
type Year struct {
	Year    int    `json:"year" bson:"year"`
	Scheme  string `json:"scheme" bson:"scheme"`
	Figures `bson:",inline"`
}

// Figures are one year's sourced figures, without the year and scheme they
// belong to. A nil figure is absent: no verified number was found, and none
// is guessed.
type Figures struct {
	ThresholdSingleKr *Figure `json:"thresholdSingleKr,omitempty" bson:"thresholdSingleKr,omitempty"` // fradragsbeløb, single
	ThresholdCoupleKr *Figure `json:"thresholdCoupleKr,omitempty" bson:"thresholdCoupleKr,omitempty"` // fradragsbeløb, married/cohabiting (combined base)
	AnnualSingleKr    *Figure `json:"annualSingleKr,omitempty" bson:"annualSingleKr,omitempty"`       // full yearly pension, single
	AnnualCoupleKr    *Figure `json:"annualCoupleKr,omitempty" bson:"annualCoupleKr,omitempty"`       // full yearly pension, married/cohabiting

	// Partner rules: the first SpouseDisregardKr of a non-pensioner partner's
	// counted income is ignored, the rest counts up to SpouseMaxNonPensionerKr;
	// a pensioner partner's counted income counts up to SpouseMaxPensionerKr.
	SpouseDisregardKr       *Figure `json:"spouseDisregardKr,omitempty" bson:"spouseDisregardKr,omitempty"`
	SpouseMaxNonPensionerKr *Figure `json:"spouseMaxNonPensionerKr,omitempty" bson:"spouseMaxNonPensionerKr,omitempty"`
	SpouseMaxPensionerKr    *Figure `json:"spouseMaxPensionerKr,omitempty" bson:"spouseMaxPensionerKr,omitempty"`

	// Reduction rates in basis points (3000 = 30 %). When a year has none,
	// Rules.Year fills in the rules file's common (statutory) rates.
	RateBP               *Figure `json:"rateBp,omitempty" bson:"rateBp,omitempty"`
	RateBothPensionersBP *Figure `json:"rateBothPensionersBp,omitempty" bson:"rateBothPensionersBp,omitempty"`

	// Minimum payout (§ 32 c stk. 2): a reduced pension below this is not paid.
	MinPayoutSingleKr *Figure `json:"minPayoutSingleKr,omitempty" bson:"minPayoutSingleKr,omitempty"`
	MinPayoutCoupleKr *Figure `json:"minPayoutCoupleKr,omitempty" bson:"minPayoutCoupleKr,omitempty"`

	// Published cut-offs (income at which the pension is 0), where published.
	CutOffSingleKr         *Figure `json:"cutOffSingleKr,omitempty" bson:"cutOffSingleKr,omitempty"`
	CutOffCoupleKr         *Figure `json:"cutOffCoupleKr,omitempty" bson:"cutOffCoupleKr,omitempty"`
	CutOffBothPensionersKr *Figure `json:"cutOffBothPensionersKr,omitempty" bson:"cutOffBothPensionersKr,omitempty"`
}

// namedFigure is one figure slot of a Year, named as in JSON.
type namedFigure struct {
	name string
	f    **Figure
}

// Each calls fn with the JSON name and the slot of every figure of y, in
// declaration order.
func (y *Figures) Each(fn func(name string, slot **Figure)) {
	for _, nf := range y.figures() {
		fn(nf.name, nf.f)
	}
}

// figures lists every figure slot of y, in declaration order.
func (y *Figures) figures() []namedFigure {
	return []namedFigure{
		{"thresholdSingleKr", &y.ThresholdSingleKr},
		{"thresholdCoupleKr", &y.ThresholdCoupleKr},
		{"annualSingleKr", &y.AnnualSingleKr},
		{"annualCoupleKr", &y.AnnualCoupleKr},
		{"spouseDisregardKr", &y.SpouseDisregardKr},
		{"spouseMaxNonPensionerKr", &y.SpouseMaxNonPensionerKr},
		{"spouseMaxPensionerKr", &y.SpouseMaxPensionerKr},
		{"rateBp", &y.RateBP},
		{"rateBothPensionersBp", &y.RateBothPensionersBP},
		{"minPayoutSingleKr", &y.MinPayoutSingleKr},
		{"minPayoutCoupleKr", &y.MinPayoutCoupleKr},
		{"cutOffSingleKr", &y.CutOffSingleKr},
		{"cutOffCoupleKr", &y.CutOffCoupleKr},
		{"cutOffBothPensionersKr", &y.CutOffBothPensionersKr},
	}
}

// clone returns a deep copy of y, so callers cannot change a Rules' figures.
func (y Year) clone() Year {
	c := y
	for _, nf := range c.figures() {
		if *nf.f != nil {
			v := **nf.f
			*nf.f = &v
		}
	}
	return c
}

// Common holds figures that apply to every year without its own (the
// statutory reduction rates).
type Common struct {
	RateBP               *Figure `json:"rateBp"`
	RateBothPensionersBP *Figure `json:"rateBothPensionersBp"`
}

type yearKey struct {
	year   int
	scheme string
}

// Rules is an immutable set of yearly figures. It is safe for concurrent use;
// With returns a modified copy.
type Rules struct {
	common  Common
	sources map[string]string
	years   map[yearKey]Year
}

// file is the shape of rules.json.
type file struct {
	About     string            `json:"about"`
	BuiltFrom string            `json:"builtFrom"`
	Common    Common            `json:"common"`
	Years     []Year            `json:"years"`
	Sources   map[string]string `json:"sources"`
}

var defaultRules = sync.OnceValues(func() (*Rules, error) { return Parse(embeddedRules) })

// Default returns the rules embedded in the binary (rules.json), parsed and
// validated once. An error means the embedded file is broken (a build fault).
func Default() (*Rules, error) { return defaultRules() }

// Parse reads a rules file in the rules.json format and validates it: every
// present figure has a source whose keys are all listed under "sources", no
// value is negative, no rate exceeds 100 %, and no year appears twice.
func Parse(data []byte) (*Rules, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse pension rules: %w", err)
	}
	r := &Rules{common: f.Common, sources: f.Sources, years: make(map[yearKey]Year, len(f.Years))}
	if r.common.RateBP == nil || r.common.RateBothPensionersBP == nil {
		return nil, fmt.Errorf("parse pension rules: common rates missing")
	}
	commons := []namedFigure{{"common.rateBp", &r.common.RateBP}, {"common.rateBothPensionersBp", &r.common.RateBothPensionersBP}}
	for _, nf := range commons {
		if err := r.checkFigure(nf.name, *nf.f, true); err != nil {
			return nil, err
		}
	}
	for _, y := range f.Years {
		k := yearKey{y.Year, y.Scheme}
		if _, dup := r.years[k]; dup {
			return nil, fmt.Errorf("parse pension rules: year %d %s twice", y.Year, y.Scheme)
		}
		if fe := validateYear(y); len(fe) > 0 {
			return nil, fmt.Errorf("parse pension rules: year %d: %s", y.Year, describe(fe))
		}
		for _, nf := range y.figures() {
			if err := r.checkFigure(fmt.Sprintf("%d.%s", y.Year, nf.name), *nf.f, nf.name == "rateBp" || nf.name == "rateBothPensionersBp"); err != nil {
				return nil, err
			}
		}
		r.years[k] = y.clone()
	}
	return r, nil
}

// checkFigure validates a figure of the embedded file, including that every
// source key it names is listed under "sources".
func (r *Rules) checkFigure(name string, f *Figure, rate bool) error {
	if f == nil {
		return nil
	}
	var fe apperr.Fields
	checkValue(&fe, name, f, rate)
	if len(fe) > 0 {
		return fmt.Errorf("parse pension rules: %s", describe(fe))
	}
	for key := range strings.SplitSeq(f.Source, ",") {
		if _, ok := r.sources[strings.TrimSpace(key)]; !ok {
			return fmt.Errorf("parse pension rules: %s: unknown source key %q", name, key)
		}
	}
	return nil
}

// checkValue records what is wrong with one present figure.
func checkValue(fe *apperr.Fields, name string, f *Figure, rate bool) {
	if strings.TrimSpace(f.Source) == "" {
		fe.Add(name+".source", "required", "every figure needs its source")
	}
	if f.Value < 0 {
		fe.Add(name+".value", "negative", "must not be negative")
	}
	if rate && f.Value == 0 {
		fe.Add(name+".value", "zero", "a rate must be positive")
	}
	if rate && f.Value > 10_000 {
		fe.Add(name+".value", "too_large", "a rate is at most 10000 basis points (100 %)")
	}
	if !rate && f.Value > maxKr {
		fe.Add(name+".value", "too_large", "amount is implausibly large")
	}
}

// describe lists field errors for an error message ("a.source: required, ...").
func describe(fe apperr.Fields) string {
	parts := make([]string, len(fe))
	for i, f := range fe {
		parts[i] = f.Field + ": " + f.Code
	}
	return strings.Join(parts, ", ")
}

// maxKr bounds every amount so that rate arithmetic cannot overflow int64.
const maxKr = 1_000_000_000_000

// validateYear returns the field errors of y (empty when valid).
func validateYear(y Year) apperr.Fields {
	var fe apperr.Fields
	if y.Year < 1990 || y.Year > 2200 {
		fe.Add("year", "out_of_range", "year must be between 1990 and 2200")
	}
	if y.Scheme != SchemePost2003 {
		fe.Add("scheme", "unsupported", "only the post2003 scheme has figures here")
	}
	for _, nf := range y.figures() {
		if *nf.f != nil {
			checkValue(&fe, nf.name, *nf.f, nf.name == "rateBp" || nf.name == "rateBothPensionersBp")
		}
	}
	return fe
}

// With returns a copy of r in which y replaces the stored figures for
// y.Year and y.Scheme (or adds them): send every figure to keep, a nil figure
// is absent afterwards. r itself is unchanged. Every present figure needs a
// non-empty Source (any reference, e.g. an official URL) and a non-negative
// value; otherwise the error is apperr Invalid with one field error per
// problem (fields named like "thresholdSingleKr.source").
func (r *Rules) With(y Year) (*Rules, error) {
	if err := validateYear(y).Err(); err != nil {
		return nil, err
	}
	c := &Rules{common: r.common, sources: maps.Clone(r.sources), years: maps.Clone(r.years)}
	c.years[yearKey{y.Year, y.Scheme}] = y.clone()
	return c, nil
}

// Year returns the figures for year y and scheme as the calculation uses
// them: the stored figures, with the common statutory rates filled in where
// the year has no rate of its own. ok is false when the year is not stored.
func (r *Rules) Year(y int, scheme string) (Year, bool) {
	stored, ok := r.years[yearKey{y, scheme}]
	if !ok {
		return Year{}, false
	}
	out := stored.clone()
	if out.RateBP == nil {
		v := *r.common.RateBP
		out.RateBP = &v
	}
	if out.RateBothPensionersBP == nil {
		v := *r.common.RateBothPensionersBP
		out.RateBothPensionersBP = &v
	}
	return out, true
}

// Years returns every stored year as stored (without the common rates filled
// in), sorted by scheme and year; for listing and editing.
func (r *Rules) Years() []Year {
	out := make([]Year, 0, len(r.years))
	for _, y := range r.years {
		out = append(out, y.clone())
	}
	slices.SortFunc(out, func(a, b Year) int {
		if c := strings.Compare(a.Scheme, b.Scheme); c != 0 {
			return c
		}
		return a.Year - b.Year
	})
	return out
}

// Common returns a copy of the figures that apply to years without their own.
func (r *Rules) Common() Common {
	a, b := *r.common.RateBP, *r.common.RateBothPensionersBP
	return Common{RateBP: &a, RateBothPensionersBP: &b}
}

// Source returns the description of a source key (e.g. "S_BM2020").
func (r *Rules) Source(key string) (string, bool) {
	s, ok := r.sources[key]
	return s, ok
}

// Effective returns the figures to use for income year y, scheme and
// household status: year y itself when it has the threshold, the annual
// amount and the rate for status, else the latest earlier year that has all
// three. used is the year whose figures were taken; when used != y the
// caller must label results "estimate based on <used> figures".
//
// Errors: apperr Invalid (code "pension.status_invalid") for an unknown
// status; apperr RuleViolation "pension.scheme_unsupported" for a scheme
// other than post2003; apperr RuleViolation "pension.no_figures" when no year
// up to y has the figures. Partner figures are not required here; Project
// takes each of them alone from the latest year that has it.
func (r *Rules) Effective(y int, scheme string, status Status) (Year, int, error) {
	needs, err := status.needs(false)
	if err != nil {
		return Year{}, 0, err
	}
	return r.effective(y, scheme, needs)
}

// effective finds the latest year ≤ y whose figures include every name in needs.
func (r *Rules) effective(y int, scheme string, needs []string) (Year, int, error) {
	if scheme != SchemePost2003 {
		return Year{}, 0, apperr.New(apperr.RuleViolation, "pension.scheme_unsupported",
			"Only the post-2003 scheme (ny førtidspension) can be calculated.")
	}
	yr, ok := r.latest(y, scheme, needs...)
	if !ok {
		return Year{}, 0, apperr.New(apperr.RuleViolation, "pension.no_figures",
			fmt.Sprintf("No year up to %d has verified figures for %s.", y, strings.Join(needs, ", ")))
	}
	return yr, yr.Year, nil
}

// latest returns the figures (as Rules.Year gives them) of the latest year
// ≤ y of scheme that has every named figure; ok is false when none has.
func (r *Rules) latest(y int, scheme string, names ...string) (Year, bool) {
	best := 0
	for k := range r.years {
		if k.scheme == scheme && k.year <= y && k.year > best {
			if yr, _ := r.Year(k.year, scheme); yr.has(names) {
				best = k.year
			}
		}
	}
	if best == 0 {
		return Year{}, false
	}
	return r.Year(best, scheme)
}

// slot returns the slot of the figure named as in JSON; it panics on an
// unknown name (a programming error: names come from Status.needs).
func (y *Figures) slot(name string) **Figure {
	for _, nf := range y.figures() {
		if nf.name == name {
			return nf.f
		}
	}
	panic("pension: unknown figure " + name)
}

// has reports whether every named figure is present in y.
func (y Year) has(names []string) bool {
	present := make(map[string]bool)
	for _, nf := range y.figures() {
		present[nf.name] = *nf.f != nil
	}
	for _, n := range names {
		if !present[n] {
			return false
		}
	}
	return true
}
