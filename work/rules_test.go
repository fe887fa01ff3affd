package work_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
	"github.com/jobbanken/jobkunde/work"
)

// ruleBookNow is the fixed clock of these tests: figures may be entered for
// 2000 to 2027.
var ruleBookNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type ruleBookFixture struct {
	book  *work.RuleBook
	st    *store.Store
	admin auth.Principal
}

// newRuleBookFixture returns a rule book over the embedded rules on a fresh
// database holding one admin, "Mette Admin".
func newRuleBookFixture(t *testing.T) *ruleBookFixture {
	t.Helper()
	now := func() time.Time { return ruleBookNow }
	st := storetest.Store(t, now)
	base, err := pension.Default()
	if err != nil {
		t.Fatal(err)
	}
	admin := models.User{ID: uuid.Must(uuid.NewV7()).String(), Role: models.RoleAdmin, Name: "Mette Admin", Status: models.StatusActive, CreatedAt: ruleBookNow}
	if err := st.InsertUser(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	return &ruleBookFixture{
		book:  work.NewRuleBook(st, base, now, func() string { return uuid.Must(uuid.NewV7()).String() }),
		st:    st,
		admin: auth.Principal{UserID: admin.ID, Role: models.RoleAdmin},
	}
}

// single2026 is 2026's single threshold and annual amount, with sources.
func single2026(threshold int64) pension.Year {
	return pension.Year{
		Year: 2026, Scheme: pension.SchemePost2003, Figures: pension.Figures{
			ThresholdSingleKr: &pension.Figure{Value: threshold, Source: " https://bm.dk/satser/satser-for-2026/ "},
			AnnualSingleKr:    &pension.Figure{Value: 250_000, Source: "https://bm.dk/satser/satser-for-2026/", Note: "20.833 kr/month × 12"},
		},
	}
}

// wantProblem fails unless err is an *apperr.Error of kind and code.
func wantProblem(t *testing.T, err error, kind apperr.Kind, code string) *apperr.Error {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != kind || ae.Code != code {
		t.Fatalf("error = %v, want %s %q", err, kind, code)
	}
	return ae
}

func TestRuleBookPutThenCurrent(t *testing.T) {
	f := newRuleBookFixture(t)
	ctx := context.Background()

	got, err := f.book.Put(ctx, f.admin, single2026(91_000), 0, "  Satser 2026 fra bm.dk ")
	if err != nil {
		t.Fatalf("Put(2026) error = %v", err)
	}
	if got.Version != 1 || got.Year != 2026 || got.Change == nil || got.Change.EnteredBy.UserID != f.admin.UserID ||
		got.Change.EnteredBy.Name != "Mette Admin" || !got.Change.EnteredAt.Equal(ruleBookNow) || got.Change.Note != "Satser 2026 fra bm.dk" {
		t.Errorf("Put(2026) = %+v, change %+v; want version 1 entered by Mette Admin now, note trimmed", got, got.Change)
	}
	if src := got.Figures.ThresholdSingleKr.Source; src != "https://bm.dk/satser/satser-for-2026/" {
		t.Errorf("stored source %q, want it trimmed", src)
	}

	rules, err := f.book.Current(ctx)
	if err != nil {
		t.Fatalf("Current() error = %v", err)
	}
	y, used, err := rules.Effective(2026, pension.SchemePost2003, pension.Single)
	if err != nil || used != 2026 || y.ThresholdSingleKr.Value != 91_000 || y.AnnualSingleKr.Value != 250_000 || y.RateBP.Value != 3000 {
		t.Errorf("Current().Effective(2026, single) = %+v / %+v, used %d, %v; want the entered 2026 figures with the common rate", y.ThresholdSingleKr, y.AnnualSingleKr, used, err)
	}
	if y, _ := rules.Year(2025, pension.SchemePost2003); y.ThresholdCoupleKr == nil || y.ThresholdCoupleKr.Value != 143_000 {
		t.Errorf("Current() 2025 couple threshold = %+v, want the embedded 143000 untouched", y.ThresholdCoupleKr)
	}
	if base, _ := pension.Default(); base != nil {
		if y, _ := base.Year(2026, pension.SchemePost2003); y.ThresholdSingleKr != nil {
			t.Errorf("the embedded rules changed: 2026 threshold %+v", y.ThresholdSingleKr)
		}
	}

	// A correction is a new version; the first stays on record.
	fixed := single2026(91_500)
	fixed.AnnualSingleKr = nil
	if _, err := f.book.Put(ctx, f.admin, fixed, 1, "rettet"); err != nil {
		t.Fatalf("Put(2026, based on 1) error = %v", err)
	}
	rules, err = f.book.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if y, _ := rules.Year(2026, pension.SchemePost2003); y.ThresholdSingleKr.Value != 91_500 || y.AnnualSingleKr != nil {
		t.Errorf("after the correction 2026 = threshold %+v, annual %+v; want 91500 and no annual amount (a version replaces the year)", y.ThresholdSingleKr, y.AnnualSingleKr)
	}
	versions, err := f.st.PensionRuleVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || versions[0].Version != 1 || versions[0].Figures.ThresholdSingleKr.Value != 91_000 || versions[1].Version != 2 {
		t.Errorf("stored versions = %+v, want versions 1 (91000) and 2", versions)
	}

	// Next year may be entered; a year not in the embedded file is added.
	if _, err := f.book.Put(ctx, f.admin, pension.Year{Year: 2027, Scheme: pension.SchemePost2003,
		Figures: pension.Figures{ThresholdCoupleKr: &pension.Figure{Value: 150_000, Source: "finansloven 2027"}}}, 0, ""); err != nil {
		t.Fatalf("Put(2027) error = %v", err)
	}
	rules, _ = f.book.Current(ctx)
	if y, ok := rules.Year(2027, pension.SchemePost2003); !ok || y.ThresholdCoupleKr.Value != 150_000 {
		t.Errorf("Current() 2027 = %+v, %v; want the entered couple threshold", y.ThresholdCoupleKr, ok)
	}
}

func TestRuleBookPutRejects(t *testing.T) {
	f := newRuleBookFixture(t)
	long := strings.Repeat("x", 1001)
	withFigure := func(set func(y *pension.Year)) pension.Year {
		y := pension.Year{Year: 2026, Scheme: pension.SchemePost2003}
		set(&y)
		return y
	}
	tests := []struct {
		name        string
		year        pension.Year
		baseVersion int
		note        string
		wantField   string
		wantCode    string
	}{
		{name: "year before 2000", year: pension.Year{Year: 1999, Scheme: pension.SchemePost2003}, wantField: "year", wantCode: "pension.year_range"},
		{name: "two years ahead", year: pension.Year{Year: 2028, Scheme: pension.SchemePost2003}, wantField: "year", wantCode: "pension.year_range"},
		{name: "pre-2003 scheme", year: pension.Year{Year: 2026, Scheme: "pre2003"}, wantField: "scheme", wantCode: "pension.scheme"},
		{name: "figure without source", year: withFigure(func(y *pension.Year) { y.ThresholdSingleKr = &pension.Figure{Value: 91_000} }),
			wantField: "figures.thresholdSingleKr.source", wantCode: "field.required"},
		{name: "blank source", year: withFigure(func(y *pension.Year) { y.AnnualCoupleKr = &pension.Figure{Value: 1, Source: "  "} }),
			wantField: "figures.annualCoupleKr.source", wantCode: "field.required"},
		{name: "negative amount", year: withFigure(func(y *pension.Year) { y.AnnualSingleKr = &pension.Figure{Value: -1, Source: "x"} }),
			wantField: "figures.annualSingleKr.value", wantCode: "pension.value_negative"},
		{name: "implausible amount", year: withFigure(func(y *pension.Year) { y.CutOffSingleKr = &pension.Figure{Value: 2_000_000_000_000, Source: "x"} }),
			wantField: "figures.cutOffSingleKr.value", wantCode: "pension.value_too_large"},
		{name: "zero rate", year: withFigure(func(y *pension.Year) { y.RateBP = &pension.Figure{Value: 0, Source: "x"} }),
			wantField: "figures.rateBp.value", wantCode: "pension.rate_range"},
		{name: "rate above 100 %", year: withFigure(func(y *pension.Year) { y.RateBothPensionersBP = &pension.Figure{Value: 10_001, Source: "x"} }),
			wantField: "figures.rateBothPensionersBp.value", wantCode: "pension.rate_range"},
		{name: "source too long", year: withFigure(func(y *pension.Year) { y.ThresholdSingleKr = &pension.Figure{Value: 1, Source: long[:501]} }),
			wantField: "figures.thresholdSingleKr.source", wantCode: "field.too_long"},
		{name: "figure note too long", year: withFigure(func(y *pension.Year) { y.ThresholdSingleKr = &pension.Figure{Value: 1, Source: "x", Note: long} }),
			wantField: "figures.thresholdSingleKr.note", wantCode: "field.too_long"},
		{name: "note too long", year: withFigure(func(*pension.Year) {}), note: long, wantField: "note", wantCode: "field.too_long"},
		{name: "negative base version", year: withFigure(func(*pension.Year) {}), baseVersion: -1, wantField: "baseVersion", wantCode: "pension.base_version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.book.Put(context.Background(), f.admin, tt.year, tt.baseVersion, tt.note)
			ae := wantProblem(t, err, apperr.Invalid, "request.invalid_fields")
			if len(ae.Fields) != 1 || ae.Fields[0].Field != tt.wantField || ae.Fields[0].Code != tt.wantCode {
				t.Errorf("field errors = %+v, want exactly %s %s", ae.Fields, tt.wantField, tt.wantCode)
			}
		})
	}
	versions, err := f.st.PensionRuleVersions(context.Background())
	if err != nil || len(versions) != 0 {
		t.Errorf("after rejected puts: %d versions stored (%v), want none", len(versions), err)
	}
}

func TestRuleBookAccess(t *testing.T) {
	f := newRuleBookFixture(t)
	ctx := context.Background()
	for _, role := range []models.Role{models.RoleParticipant, models.RoleCounselor, models.RoleCoordinator} {
		p := auth.Principal{UserID: "user-" + string(role), Role: role}
		_, err := f.book.Put(ctx, p, single2026(91_000), 0, "")
		wantProblem(t, err, apperr.Forbidden, "auth.forbidden")
		if _, err := f.book.List(ctx, p); err != nil {
			t.Errorf("List as %s: %v, want the figures", role, err)
		}
	}
	_, err := f.book.List(ctx, auth.Principal{UserID: "x", Role: "superuser"})
	wantProblem(t, err, apperr.Forbidden, "auth.forbidden")
	if versions, _ := f.st.PensionRuleVersions(ctx); len(versions) != 0 {
		t.Errorf("%d versions stored by non-admins, want none", len(versions))
	}
}

func TestRuleBookStaleBaseVersion(t *testing.T) {
	f := newRuleBookFixture(t)
	ctx := context.Background()
	if _, err := f.book.Put(ctx, f.admin, single2026(91_000), 0, ""); err != nil {
		t.Fatal(err)
	}
	_, err := f.book.Put(ctx, f.admin, single2026(92_000), 0, "")
	wantProblem(t, err, apperr.Conflict, "pension.rules_changed")
	_, err = f.book.Put(ctx, f.admin, single2026(92_000), 2, "")
	wantProblem(t, err, apperr.Conflict, "pension.rules_changed")
	rules, err := f.book.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if y, _ := rules.Year(2026, pension.SchemePost2003); y.ThresholdSingleKr.Value != 91_000 {
		t.Errorf("2026 threshold %d after stale puts, want 91000", y.ThresholdSingleKr.Value)
	}
}

// TestRuleBookRace has admins store 2026 from the same base version at
// once: the unique index on (year, scheme, version) lets exactly one in.
func TestRuleBookRace(t *testing.T) {
	f := newRuleBookFixture(t)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = f.book.Put(context.Background(), f.admin, single2026(int64(90_000+i)), 0, "")
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantProblem(t, err, apperr.Conflict, "pension.rules_changed")
	}
	if won != 1 {
		t.Errorf("%d of %d racing puts won, want exactly 1", won, n)
	}
	versions, err := f.st.PensionRuleVersions(context.Background())
	if err != nil || len(versions) != 1 || versions[0].Version != 1 {
		t.Errorf("%d versions stored (%v), want exactly version 1", len(versions), err)
	}
}

func TestRuleBookList(t *testing.T) {
	f := newRuleBookFixture(t)
	ctx := context.Background()
	if _, err := f.book.Put(ctx, f.admin, single2026(91_000), 0, "Satser 2026"); err != nil {
		t.Fatal(err)
	}
	byYear := func(l work.RuleList) map[int]work.RuleYear {
		out := map[int]work.RuleYear{}
		for _, y := range l.Years {
			out[y.Year] = y
		}
		return out
	}

	participant, err := f.book.List(ctx, auth.Principal{UserID: "p1", Role: models.RoleParticipant})
	if err != nil {
		t.Fatal(err)
	}
	years := byYear(participant)
	if len(years) != 7 {
		t.Errorf("listed years %v, want 2020–2026", years)
	}
	y2026 := years[2026]
	if y2026.Version != 1 || y2026.Figures.ThresholdSingleKr.Value != 91_000 || y2026.Change == nil ||
		y2026.Change.EnteredBy != (work.RuleEditor{Name: "Jobbanken"}) || y2026.Change.Note != "Satser 2026" {
		t.Errorf("2026 as a participant sees it = %+v, change %+v; want version 1 entered by Jobbanken", y2026, y2026.Change)
	}
	if y2024 := years[2024]; y2024.Version != 0 || y2024.Change != nil || y2024.Figures.ThresholdSingleKr.Value != 86_900 || y2024.Figures.ThresholdSingleKr.Source != "S_SENIORH_WORK" {
		t.Errorf("2024 = %+v; want the embedded figures, version 0, no change", y2024)
	}
	if participant.Common.RateBP.Value != 3000 || participant.Common.RateBothPensionersBP.Value != 1500 {
		t.Errorf("common rates %+v", participant.Common)
	}
	for _, key := range []string{"S_BM2020", "S_LAW32C", "S_SENIORH_WORK"} {
		if participant.Sources[key] == "" {
			t.Errorf("sources lack %s: %v", key, participant.Sources)
		}
	}
	if _, ok := participant.Sources["https://bm.dk/satser/satser-for-2026/"]; ok {
		t.Errorf("a typed source is listed as a source key")
	}

	counselor, err := f.book.List(ctx, auth.Principal{UserID: "c1", Role: models.RoleCounselor})
	if err != nil {
		t.Fatal(err)
	}
	if c := byYear(counselor)[2026].Change; c == nil || c.EnteredBy != (work.RuleEditor{UserID: f.admin.UserID, Name: "Mette Admin"}) {
		t.Errorf("2026 change as staff sees it = %+v, want the admin's ID and name", c)
	}
}

// TestRuleBookCorruptVersion: a stored version that does not validate is
// our fault, never shown as the caller's.
func TestRuleBookCorruptVersion(t *testing.T) {
	f := newRuleBookFixture(t)
	ctx := context.Background()
	bad := work.RuleVersion{ID: "v1", Year: 2026, Scheme: pension.SchemePost2003, Version: 1, EnteredBy: f.admin.UserID, EnteredAt: ruleBookNow,
		Figures: pension.Figures{ThresholdSingleKr: &pension.Figure{Value: -5, Source: "x"}}}
	if err := f.st.InsertPensionRuleVersion(ctx, bad); err != nil {
		t.Fatal(err)
	}
	_, err := f.book.Current(ctx)
	if err == nil || apperr.KindOf(err) != apperr.Internal {
		t.Errorf("Current() with a corrupt version = %v (kind %s), want an internal error", err, apperr.KindOf(err))
	}
}
