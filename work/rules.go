package work

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
)

// RulesStore is the persistence the rule book needs. Methods return apperr
// kinds: InsertPensionRuleVersion a Conflict "pension.rules_changed" when
// the year and scheme already have a version with that number (a unique
// index decides), User a NotFound for a missing account.
type RulesStore interface {
	InsertPensionRuleVersion(ctx context.Context, v RuleVersion) error
	// PensionRuleVersions returns every stored version, ordered by year,
	// scheme and version.
	PensionRuleVersions(ctx context.Context) ([]RuleVersion, error)
	User(ctx context.Context, id string) (models.User, error)
}

// RuleVersion is one entry of a year's figures through the API, as stored.
// Versions are append-only: a correction is a new version (the year's
// latest plus one), never an update, so every earlier figure stays on
// record with who entered it and when. A version's figures replace the
// year's embedded figures as a whole, as pension.Rules.With does.
type RuleVersion struct {
	ID            string          `bson:"_id"`
	Year          int             `bson:"year"`
	Scheme        string          `bson:"scheme"`
	Version       int             `bson:"version"` // 1, 2, ... per year and scheme; 0 is the embedded figures
	Figures       pension.Figures `bson:"figures"`
	EnteredBy     string          `bson:"enteredBy"`     // the admin's user ID
	EnteredByName string          `bson:"enteredByName"` // their name at the time, for the record
	EnteredAt     time.Time       `bson:"enteredAt"`
	Note          string          `bson:"note,omitempty"` // why the figures were entered or changed
}

// RuleYear is one year's figures as listed, and what putPensionRules
// answers. Version 0 means the figures are the ones built into the service
// (rules.json); Change is set when they were entered through the API.
type RuleYear struct {
	Year    int             `json:"year"`
	Scheme  string          `json:"scheme"`
	Version int             `json:"version"`
	Figures pension.Figures `json:"figures"`
	Change  *RuleChange     `json:"change,omitempty"`
}

// RuleChange says who entered a year's current figures and when.
type RuleChange struct {
	EnteredAt time.Time  `json:"enteredAt"`
	EnteredBy RuleEditor `json:"enteredBy"`
	Note      string     `json:"note,omitempty"`
}

// RuleEditor names who entered figures. Staff see the admin's name and
// user ID; participants see only "Jobbanken" (no staff IDs, no names).
type RuleEditor struct {
	UserID string `json:"userId,omitempty"`
	Name   string `json:"name"`
}

// RuleList is every year's current figures with the common statutory rates
// (used for a year without rates of its own) and the descriptions of the
// source keys the figures cite (e.g. "S_BM2020"). A source an admin typed
// (a URL, a law reference) stands on its own and is not listed.
type RuleList struct {
	Common  pension.Common    `json:"common"`
	Years   []RuleYear        `json:"years"`
	Sources map[string]string `json:"sources"`
}

// RuleBook keeps the pension figures: the ones embedded in the binary plus
// every correction an admin entered through the API.
type RuleBook struct {
	store RulesStore
	base  *pension.Rules
	now   func() time.Time
	newID func() string
}

// NewRuleBook returns a RuleBook over base (pension.Default() in the
// service). now and newID are injected so tests control time and IDs.
func NewRuleBook(store RulesStore, base *pension.Rules, now func() time.Time, newID func() string) *RuleBook {
	return &RuleBook{store: store, base: base, now: func() time.Time { return now().UTC() }, newID: newID}
}

// Limits of what an admin may enter.
const (
	firstRuleYear = 2000 // the earliest year figures may be entered for
	maxRuleNote   = 1000 // characters of a note (the version's or a figure's)
	maxRuleSource = 500  // characters of a figure's source
)

// ruleKey names one year of one scheme.
type ruleKey struct {
	year   int
	scheme string
}

// Current returns the rules to calculate with: the embedded figures with,
// for each year and scheme, the latest stored version applied.
//
// It reads the stored versions on every call rather than caching them: the
// collection holds a handful of small documents per year (one per
// correction), so the read costs one indexed query, and every API instance
// then calculates with an admin's correction from the very next request,
// with no cache to invalidate across instances.
func (b *RuleBook) Current(ctx context.Context) (*pension.Rules, error) {
	versions, err := b.store.PensionRuleVersions(ctx)
	if err != nil {
		return nil, err
	}
	rules, _, err := b.apply(versions)
	return rules, err
}

// apply returns the base rules with the latest of versions applied per year
// and scheme, and those latest versions.
func (b *RuleBook) apply(versions []RuleVersion) (*pension.Rules, map[ruleKey]RuleVersion, error) {
	latest := make(map[ruleKey]RuleVersion)
	for _, v := range versions {
		k := ruleKey{v.Year, v.Scheme}
		if cur, ok := latest[k]; !ok || v.Version > cur.Version {
			latest[k] = v
		}
	}
	rules := b.base
	for k, v := range latest {
		next, err := rules.With(pension.Year{Year: k.year, Scheme: k.scheme, Figures: v.Figures})
		if err != nil {
			// Put validated it: a stored version that no longer passes is
			// our fault, never the caller's (so Internal, not Invalid).
			return nil, nil, apperr.Wrap(err, apperr.Internal, "internal",
				fmt.Sprintf("stored pension figures %d %s version %d do not validate", k.year, k.scheme, v.Version))
		}
		rules = next
	}
	return rules, latest, nil
}

// List returns every year's current figures with their sources, who entered
// those that came through the API and when, and the common rates. Every
// signed-in person may read them; participants see "Jobbanken" as the
// editor, never a staff member's ID or name.
func (b *RuleBook) List(ctx context.Context, p auth.Principal) (RuleList, error) {
	if err := auth.Require(p.Role, auth.ReadPensionRules); err != nil {
		return RuleList{}, err
	}
	versions, err := b.store.PensionRuleVersions(ctx)
	if err != nil {
		return RuleList{}, err
	}
	rules, latest, err := b.apply(versions)
	if err != nil {
		return RuleList{}, err
	}
	out := RuleList{Common: rules.Common(), Years: []RuleYear{}, Sources: map[string]string{}}
	cite := func(f *pension.Figure) {
		if f == nil {
			return
		}
		for key := range strings.SplitSeq(f.Source, ",") {
			key = strings.TrimSpace(key)
			if desc, ok := rules.Source(key); ok {
				out.Sources[key] = desc
			}
		}
	}
	cite(out.Common.RateBP)
	cite(out.Common.RateBothPensionersBP)
	for _, y := range rules.Years() {
		ry := RuleYear{Year: y.Year, Scheme: y.Scheme, Figures: y.Figures}
		if v, ok := latest[ruleKey{y.Year, y.Scheme}]; ok {
			ry.Version, ry.Change = v.Version, changeOf(v, p.Role.Staff())
		}
		ry.Figures.Each(func(_ string, slot **pension.Figure) { cite(*slot) })
		out.Years = append(out.Years, ry)
	}
	return out, nil
}

// changeOf describes who entered v; staff see the admin, others Jobbanken.
func changeOf(v RuleVersion, staff bool) *RuleChange {
	c := &RuleChange{EnteredAt: v.EnteredAt, Note: v.Note, EnteredBy: RuleEditor{Name: "Jobbanken"}}
	if staff {
		c.EnteredBy = RuleEditor{UserID: v.EnteredBy, Name: v.EnteredByName}
	}
	return c
}

// Put stores y as a new version of its year's figures (admins only) and
// returns it. The figures replace the year's figures as a whole: send
// every figure to keep; an absent figure is absent afterwards.
//
// baseVersion is the version the admin's figures are based on (the
// version List showed; 0 for figures never changed through the API). When
// the year has moved on since (another admin stored a version), the answer
// is Conflict "pension.rules_changed", so no one's correction is silently
// overwritten. Two admins racing from the same version both try to insert
// the same version number; the unique index lets exactly one in and the
// other gets the same Conflict.
//
// Errors: Forbidden for non-admins; Invalid with field errors named as in
// the request body: "year" (pension.year_range: 2000 up to next year in
// Copenhagen), "scheme" (pension.scheme: only post2003), "baseVersion"
// (pension.base_version), "note" (field.too_long, over 1000 characters),
// and per figure "figures.<name>.source" (field.required, field.too_long),
// "figures.<name>.note" (field.too_long) and "figures.<name>.value"
// (pension.value_negative, pension.value_too_large, pension.rate_range);
// Conflict "pension.rules_changed".
func (b *RuleBook) Put(ctx context.Context, p auth.Principal, y pension.Year, baseVersion int, note string) (RuleYear, error) {
	if err := auth.Authorize(p, auth.ManagePensionRules, auth.Subject{}); err != nil {
		return RuleYear{}, err
	}
	now := b.now()
	y.Figures = trimFigures(y.Figures)
	note = strings.TrimSpace(note)

	var fields apperr.Fields
	if lastYear := now.In(scheduleZone()).Year() + 1; y.Year < firstRuleYear || y.Year > lastYear {
		fields.Add("year", "pension.year_range", fmt.Sprintf("Figures can be entered for %d to %d.", firstRuleYear, lastYear))
	}
	if y.Scheme != pension.SchemePost2003 {
		fields.Add("scheme", "pension.scheme", "Only the post2003 scheme has figures here.")
	}
	if baseVersion < 0 {
		fields.Add("baseVersion", "pension.base_version", "Use the version the figures have now (0 or more).")
	}
	if utf8.RuneCountInString(note) > maxRuleNote {
		fields.Add("note", "field.too_long", "Use at most 1000 characters.")
	}
	y.Figures.Each(func(name string, slot **pension.Figure) {
		if f := *slot; f != nil && utf8.RuneCountInString(f.Source) > maxRuleSource {
			fields.Add("figures."+name+".source", "field.too_long", "Use at most 500 characters.")
		}
		if f := *slot; f != nil && utf8.RuneCountInString(f.Note) > maxRuleNote {
			fields.Add("figures."+name+".note", "field.too_long", "Use at most 1000 characters.")
		}
	})
	if _, err := b.base.With(y); err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			return RuleYear{}, err
		}
		for _, fe := range ae.Fields {
			if fe.Field == "year" || fe.Field == "scheme" {
				continue // checked above, more strictly
			}
			code, msg := figureProblem(fe)
			fields.Add("figures."+fe.Field, code, msg)
		}
	}
	if err := fields.Err(); err != nil {
		return RuleYear{}, err
	}

	versions, err := b.store.PensionRuleVersions(ctx)
	if err != nil {
		return RuleYear{}, err
	}
	latest := 0
	for _, v := range versions {
		if v.Year == y.Year && v.Scheme == y.Scheme {
			latest = max(latest, v.Version)
		}
	}
	if baseVersion != latest {
		return RuleYear{}, apperr.New(apperr.Conflict, "pension.rules_changed",
			fmt.Sprintf("The %d figures are at version %d now, not %d: load them again and re-enter the change.", y.Year, latest, baseVersion))
	}
	u, err := b.store.User(ctx, p.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return RuleYear{}, apperr.Wrap(err, apperr.Unauthenticated, "auth.account_gone", "This account no longer exists.")
	}
	if err != nil {
		return RuleYear{}, fmt.Errorf("find the admin entering pension figures: %w", err)
	}
	v := RuleVersion{
		ID: b.newID(), Year: y.Year, Scheme: y.Scheme, Version: latest + 1, Figures: y.Figures,
		EnteredBy: p.UserID, EnteredByName: u.Name, EnteredAt: now, Note: note,
	}
	if err := b.store.InsertPensionRuleVersion(ctx, v); err != nil {
		return RuleYear{}, err
	}
	return RuleYear{Year: v.Year, Scheme: v.Scheme, Version: v.Version, Figures: v.Figures, Change: changeOf(v, true)}, nil
}

// trimFigures returns a deep copy of f with sources and notes trimmed.
func trimFigures(f pension.Figures) pension.Figures {
	f.Each(func(_ string, slot **pension.Figure) {
		if *slot != nil {
			c := **slot
			c.Source, c.Note = strings.TrimSpace(c.Source), strings.TrimSpace(c.Note)
			*slot = &c
		}
	})
	return f
}

// figureProblem gives a field error of pension.Rules.With (named like
// "rateBp.value", with the pension package's bare codes) this API's code.
func figureProblem(fe apperr.FieldError) (code, message string) {
	rate := strings.HasPrefix(fe.Field, "rateBp.") || strings.HasPrefix(fe.Field, "rateBothPensionersBp.")
	switch {
	case fe.Code == "required":
		return "field.required", "Every figure needs its source."
	case rate && (fe.Code == "negative" || fe.Code == "zero" || fe.Code == "too_large"):
		return "pension.rate_range", "A rate is 1 to 10000 basis points (100 %)."
	case fe.Code == "negative":
		return "pension.value_negative", "An amount must not be negative."
	case fe.Code == "too_large":
		return "pension.value_too_large", "The amount is implausibly large."
	}
	return "pension.figure_invalid", fe.Message
}
