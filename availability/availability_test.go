package availability_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

var _ availability.Store = (*store.Store)(nil)

type clock = storetest.Clock

// t0 is Monday 2 March 2026, 10:00 in Copenhagen: within default office hours.
var t0 = local(2026, 3, 2, 10, 0).UTC()

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// fixture is the service on a fresh database with counselors A, B and C
// (active), D (invited, not yet using the app), a coordinator, an admin and
// anna, counselor A's participant.
type fixture struct {
	svc              *availability.Service
	st               *store.Store
	clk              *clock
	a, b, c          auth.Principal
	coord, admin     auth.Principal
	anna             auth.Principal
	invitedCounselor string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	f := &fixture{
		svc: availability.New(st, clk.Now, newID), st: st, clk: clk,
		a:                auth.Principal{UserID: "counselor-a", Role: models.RoleCounselor},
		b:                auth.Principal{UserID: "counselor-b", Role: models.RoleCounselor},
		c:                auth.Principal{UserID: "counselor-c", Role: models.RoleCounselor},
		coord:            auth.Principal{UserID: "coordinator-1", Role: models.RoleCoordinator},
		admin:            auth.Principal{UserID: "admin-1", Role: models.RoleAdmin},
		anna:             auth.Principal{UserID: "participant-anna", Role: models.RoleParticipant},
		invitedCounselor: "counselor-d",
	}
	for _, u := range []models.User{
		{ID: f.a.UserID, Role: models.RoleCounselor, Name: "Mette", Status: models.StatusActive},
		{ID: f.b.UserID, Role: models.RoleCounselor, Name: "Lars", Status: models.StatusActive},
		{ID: f.c.UserID, Role: models.RoleCounselor, Name: "Sofie", Status: models.StatusActive},
		{ID: f.invitedCounselor, Role: models.RoleCounselor, Name: "Ny", Status: models.StatusInvited},
		{ID: f.coord.UserID, Role: models.RoleCoordinator, Name: "Karin", Status: models.StatusActive},
		{ID: f.admin.UserID, Role: models.RoleAdmin, Name: "Admin", Status: models.StatusActive},
		{ID: f.anna.UserID, Role: models.RoleParticipant, Name: "Anna", CounselorID: f.a.UserID, Status: models.StatusActive},
	} {
		u.CreatedAt = t0
		if err := st.InsertUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// away sets counselor's absence as p, failing the test on an error.
func (f *fixture) away(t *testing.T, p auth.Principal, counselorID string, in availability.AwayInput) availability.AbsenceView {
	t.Helper()
	v, err := f.svc.SetAway(context.Background(), p, counselorID, in)
	if err != nil {
		t.Fatalf("set away %s as %s: %v", counselorID, p.UserID, err)
	}
	return v
}

// inForce returns the ID of the counselor's absence in force at at, or "".
func (f *fixture) inForce(t *testing.T, counselorID string, at time.Time) string {
	t.Helper()
	a, ok, err := f.svc.ActiveAbsence(context.Background(), counselorID, at)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return ""
	}
	return a.ID
}

// covered lists the IDs of the absences standInID covers at at.
func (f *fixture) covered(t *testing.T, standInID string, at time.Time) []string {
	t.Helper()
	as, err := f.svc.AbsencesCoveredBy(context.Background(), standInID, at)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

func wantKind(t *testing.T, err error, k apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != k || ae.Code != code {
		t.Fatalf("error = %v, want %s %s", err, k, code)
	}
}

func fieldCodes(err error) []string {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return nil
	}
	var out []string
	for _, f := range ae.Fields {
		out = append(out, f.Field+" "+f.Code)
	}
	return out
}

func TestAwayWithStandIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	st, err := f.svc.StatusOf(ctx, f.a.UserID, t0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Away != nil || !st.InOfficeHours || !st.NextOpen.Equal(t0) || !slices.Equal(st.OfficeHours.Days, models.DefaultOfficeHours().Days) {
		t.Fatalf("status before = %+v, want in default office hours and not away", st)
	}

	// Away from now; back on Monday 9 March.
	v := f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.b.UserID})
	back := local(2026, 3, 9, 0, 0)
	if v.CounselorID != f.a.UserID || v.StandInID != f.b.UserID || v.StandInName != "Lars" || v.ReturnDate != "2026-03-09" ||
		!v.From.Equal(t0) || !v.Until.Equal(back) || v.CreatedBy != f.a.UserID || v.ClearedAt != nil {
		t.Fatalf("absence view = %+v", v)
	}

	for _, at := range []time.Time{t0, local(2026, 3, 6, 14, 0), back.Add(-time.Millisecond)} {
		st, err := f.svc.StatusOf(ctx, f.a.UserID, at)
		if err != nil {
			t.Fatal(err)
		}
		if st.Away == nil || st.Away.ID != v.ID || st.Away.StandInID != f.b.UserID {
			t.Errorf("status at %v: away = %+v, want absence %s covered by B", at, st.Away, v.ID)
		}
		if got := f.covered(t, f.b.UserID, at); !slices.Equal(got, []string{v.ID}) {
			t.Errorf("B covers %v at %v, want [%s]", got, at, v.ID)
		}
	}
	// Back on the return date at 00:00 Copenhagen time.
	if st, _ := f.svc.StatusOf(ctx, f.a.UserID, back); st.Away != nil {
		t.Errorf("status on the return date: away = %+v, want back", st.Away)
	}
	if got := f.covered(t, f.b.UserID, back); len(got) != 0 {
		t.Errorf("B still covers %v on A's return date", got)
	}
	if got := f.covered(t, f.c.UserID, t0); len(got) != 0 {
		t.Errorf("C covers %v, but B is the stand-in", got)
	}

	// The stand-in is told once.
	events, _, err := f.st.Events(ctx, f.b.UserID, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Type != availability.EventStandIn || events[0].Params["absenceId"] != v.ID || events[0].Params["counselorId"] != f.a.UserID {
		t.Errorf("events for the stand-in = %+v, want one %s", events, availability.EventStandIn)
	}

	// Back early: cleared now, and clearing again is fine.
	f.clk.Set(local(2026, 3, 4, 12, 0).UTC())
	if err := f.svc.ClearAway(ctx, f.a, f.a.UserID); err != nil {
		t.Fatalf("clear: %v", err)
	}
	if err := f.svc.ClearAway(ctx, f.a, f.a.UserID); err != nil {
		t.Fatalf("clear again: %v", err)
	}
	now := f.clk.Now()
	if id := f.inForce(t, f.a.UserID, now); id != "" {
		t.Errorf("absence %s still in force after clearing", id)
	}
	if got := f.covered(t, f.b.UserID, now); len(got) != 0 {
		t.Errorf("B still covers %v after A cleared the absence", got)
	}
	// The record stays: before the clearing it was in force.
	if id := f.inForce(t, f.a.UserID, now.Add(-time.Minute)); id != v.ID {
		t.Errorf("in force a minute before clearing = %q, want %s", id, v.ID)
	}
}

func TestSetAwayReplacesTheEarlierAbsence(t *testing.T) {
	f := newFixture(t)
	first := f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.b.UserID})
	f.clk.Set(t0.Add(time.Hour))
	second := f.away(t, f.admin, f.a.UserID, availability.AwayInput{ReturnDate: "2026-03-04", StandInID: f.c.UserID})
	if second.CreatedBy != f.admin.UserID {
		t.Errorf("created by %s, want the admin", second.CreatedBy)
	}
	now := f.clk.Now()
	if id := f.inForce(t, f.a.UserID, now); id != second.ID {
		t.Fatalf("in force = %q, want the new absence %s", id, second.ID)
	}
	// The earlier one was cleared, so it does not come back after the new
	// one ends.
	if id := f.inForce(t, f.a.UserID, local(2026, 3, 5, 10, 0)); id != "" {
		t.Errorf("in force after the new return date = %q, want none (the first absence was replaced)", id)
	}
	if got := f.covered(t, f.b.UserID, now); len(got) != 0 {
		t.Errorf("B covers %v after being replaced by C", got)
	}
	if got := f.covered(t, f.c.UserID, now); !slices.Equal(got, []string{second.ID}) {
		t.Errorf("C covers %v, want [%s]", got, second.ID)
	}
	all, err := f.st.AbsencesEndingAfter(context.Background(), []string{f.a.UserID}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.ID == first.ID && (a.ClearedAt == nil || !a.ClearedAt.Equal(now)) {
			t.Errorf("first absence cleared at %v, want %v", a.ClearedAt, now)
		}
	}
}

func TestPlannedAbsence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := local(2026, 7, 6, 0, 0)
	v := f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-07-27", StandInID: f.b.UserID, From: &start})
	if !v.From.Equal(start) || v.ReturnDate != "2026-07-27" {
		t.Fatalf("planned absence %+v", v)
	}
	if id := f.inForce(t, f.a.UserID, t0); id != "" {
		t.Errorf("a planned absence is in force now: %s", id)
	}
	if id := f.inForce(t, f.a.UserID, start); id != v.ID {
		t.Errorf("in force when it starts = %q, want %s", id, v.ID)
	}
	// A is not free to stand in for C during those weeks.
	_, err := f.svc.SetAway(ctx, f.c, f.c.UserID, availability.AwayInput{ReturnDate: "2026-07-10", StandInID: f.a.UserID, From: &start})
	if got := fieldCodes(err); !slices.Equal(got, []string{"standInId availability.stand_in_away"}) {
		t.Errorf("naming A as stand-in during A's planned absence: fields %q (err %v), want stand_in_away", got, err)
	}
	// Clearing cancels the planned absence: it never comes into force.
	if err := f.svc.ClearAway(ctx, f.a, f.a.UserID); err != nil {
		t.Fatal(err)
	}
	if id := f.inForce(t, f.a.UserID, start); id != "" {
		t.Errorf("cancelled absence in force when it would have started: %s", id)
	}
	// A start in the past means now.
	past := t0.Add(-48 * time.Hour)
	v = f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-03-03", StandInID: f.b.UserID, From: &past})
	if !v.From.Equal(t0) {
		t.Errorf("from = %v, want now %v for a start in the past", v.From, t0)
	}
}

// TestConcurrentSetAway races several absences for one counselor on the
// real engine, whose updates are not atomic: exactly one is in force
// afterwards (the latest created), and only its stand-in covers.
func TestConcurrentSetAway(t *testing.T) {
	f := newFixture(t)
	standIns := []string{f.b.UserID, f.c.UserID}
	const n = 8
	views := make([]availability.AbsenceView, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			views[i], errs[i] = f.svc.SetAway(context.Background(), f.a, f.a.UserID,
				availability.AwayInput{ReturnDate: fmt.Sprintf("2026-03-%02d", 10+i), StandInID: standIns[i%2]})
		})
	}
	wg.Wait()
	var latest availability.AbsenceView
	for i, err := range errs {
		if err != nil {
			t.Fatalf("set away %d: %v", i, err)
		}
		if v := views[i]; latest.ID == "" || v.CreatedAt.After(latest.CreatedAt) || (v.CreatedAt.Equal(latest.CreatedAt) && v.ID > latest.ID) {
			latest = v
		}
	}
	if id := f.inForce(t, f.a.UserID, t0); id != latest.ID {
		t.Fatalf("in force = %q, want the latest created %s", id, latest.ID)
	}
	var covers []string
	for _, s := range standIns {
		covers = append(covers, f.covered(t, s, t0)...)
	}
	if !slices.Equal(covers, []string{latest.ID}) {
		t.Errorf("stand-ins cover %v, want only [%s]", covers, latest.ID)
	}
}

// TestSupersededAbsenceGrantsNothing is the state a race can leave: two
// absences, neither cleared. Only the later created is in force, and the
// earlier does not come back when the later one ends.
func TestSupersededAbsenceGrantsNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	older := models.Absence{ID: "abs-1", CounselorID: f.a.UserID, StandInID: f.b.UserID, From: t0, Until: local(2026, 3, 20, 0, 0).UTC(), CreatedBy: f.a.UserID, CreatedAt: t0}
	newer := models.Absence{ID: "abs-0", CounselorID: f.a.UserID, StandInID: f.c.UserID, From: t0, Until: local(2026, 3, 9, 0, 0).UTC(), CreatedBy: f.a.UserID, CreatedAt: t0.Add(time.Millisecond)}
	same := models.Absence{ID: "abs-2", CounselorID: f.a.UserID, StandInID: f.c.UserID, From: t0, Until: local(2026, 3, 9, 0, 0).UTC(), CreatedBy: f.a.UserID, CreatedAt: t0.Add(time.Millisecond)}
	for _, a := range []models.Absence{older, newer} {
		if err := f.st.InsertAbsence(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	soon, afterNewer := t0.Add(time.Hour), local(2026, 3, 15, 10, 0)
	if id := f.inForce(t, f.a.UserID, soon); id != newer.ID {
		t.Errorf("in force = %q, want the later created %s", id, newer.ID)
	}
	if got := f.covered(t, f.b.UserID, soon); len(got) != 0 {
		t.Errorf("the replaced absence's stand-in covers %v", got)
	}
	if id := f.inForce(t, f.a.UserID, afterNewer); id != "" {
		t.Errorf("in force after the later absence ended = %q, want none (the earlier was replaced)", id)
	}
	if got := f.covered(t, f.b.UserID, afterNewer); len(got) != 0 {
		t.Errorf("the replaced absence's stand-in covers %v after the later one ended", got)
	}
	// Before the later one was created, the earlier one was in force.
	if id := f.inForce(t, f.a.UserID, t0); id != older.ID {
		t.Errorf("in force at %v = %q, want %s (created first)", t0, id, older.ID)
	}
	// Created in the same millisecond: the larger (later UUIDv7) ID wins.
	if err := f.st.InsertAbsence(ctx, same); err != nil {
		t.Fatal(err)
	}
	if id := f.inForce(t, f.a.UserID, soon); id != same.ID {
		t.Errorf("in force = %q, want %s (same time, larger ID)", id, same.ID)
	}
}

func TestSetAwayAgainChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.b.UserID}
	first := f.away(t, f.a, f.a.UserID, in)
	f.clk.Set(t0.Add(time.Minute))
	again := f.away(t, f.a, f.a.UserID, in)
	if again.ID != first.ID || !again.From.Equal(first.From) || again.StandInName != "Lars" {
		t.Errorf("the same absence again gave %+v, want the first %+v", again, first)
	}
	start := local(2026, 7, 6, 0, 0)
	planned := availability.AwayInput{ReturnDate: "2026-07-27", StandInID: f.b.UserID, From: &start}
	p1 := f.away(t, f.a, f.a.UserID, planned)
	if p1.ID == first.ID {
		t.Fatal("a planned absence did not replace the current one")
	}
	if p2 := f.away(t, f.a, f.a.UserID, planned); p2.ID != p1.ID {
		t.Errorf("the same planned absence again gave %s, want %s", p2.ID, p1.ID)
	}
	// "From now" is not the planned absence: it replaces it.
	if now := f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-07-27", StandInID: f.b.UserID}); now.ID == p1.ID || !now.From.Equal(f.clk.Now()) {
		t.Errorf("away from now gave %+v, want a new absence from now", now)
	}
	events, _, err := f.st.Events(ctx, f.b.UserID, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 {
		t.Errorf("the stand-in was told %d times, want 3 (once per absence)", len(events))
	}
}

func TestSetAwayFieldErrors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// C is away from now, with B covering.
	f.away(t, f.c, f.c.UserID, availability.AwayInput{ReturnDate: "2026-03-05", StandInID: f.b.UserID})
	later := local(2026, 3, 10, 12, 0)
	tests := []struct {
		name string
		in   availability.AwayInput
		want []string
	}{
		{name: "nothing given", in: availability.AwayInput{}, want: []string{"returnDate field.required", "standInId field.required"}},
		{name: "not a date", in: availability.AwayInput{ReturnDate: "9/3/2026", StandInID: f.b.UserID}, want: []string{"returnDate field.invalid_date"}},
		{name: "no such day", in: availability.AwayInput{ReturnDate: "2026-02-30", StandInID: f.b.UserID}, want: []string{"returnDate field.invalid_date"}},
		{name: "back today", in: availability.AwayInput{ReturnDate: "2026-03-02", StandInID: f.b.UserID}, want: []string{"returnDate availability.return_date"}},
		{name: "back yesterday", in: availability.AwayInput{ReturnDate: "2026-03-01", StandInID: f.b.UserID}, want: []string{"returnDate availability.return_date"}},
		{name: "back on the day a planned absence starts", in: availability.AwayInput{ReturnDate: "2026-03-10", StandInID: f.b.UserID, From: &later}, want: []string{"returnDate availability.return_date"}},
		{name: "more than a year", in: availability.AwayInput{ReturnDate: "2027-03-03", StandInID: f.b.UserID}, want: []string{"returnDate availability.return_date"}},
		{name: "themselves", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.a.UserID}, want: []string{"standInId availability.stand_in"}},
		{name: "unknown", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: "nobody"}, want: []string{"standInId availability.stand_in"}},
		{name: "a coordinator", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.coord.UserID}, want: []string{"standInId availability.stand_in"}},
		{name: "a participant", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.anna.UserID}, want: []string{"standInId availability.stand_in"}},
		{name: "a counselor not yet using the app", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.invitedCounselor}, want: []string{"standInId availability.stand_in"}},
		{name: "a counselor who is away", in: availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.c.UserID}, want: []string{"standInId availability.stand_in_away"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.SetAway(ctx, f.a, f.a.UserID, tt.in)
			if got := fieldCodes(err); !slices.Equal(got, tt.want) {
				t.Errorf("SetAway(%+v) fields = %q (err %v), want %q", tt.in, got, err, tt.want)
			}
		})
	}
	if id := f.inForce(t, f.a.UserID, t0); id != "" {
		t.Errorf("a refused absence is in force: %s", id)
	}
	// The longest allowed: back exactly 365 days from today; a stand-in who
	// is away now but back when the absence starts is fine.
	f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2027-03-02", StandInID: f.b.UserID})
	f.away(t, f.a, f.a.UserID, availability.AwayInput{ReturnDate: "2026-03-12", StandInID: f.c.UserID, From: &later})
}

func TestAvailabilityAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := availability.AwayInput{ReturnDate: "2026-03-09", StandInID: f.c.UserID}
	tests := []struct {
		name        string
		p           auth.Principal
		counselorID string
		kind        apperr.Kind
		code        string
	}{
		{name: "participant", p: f.anna, counselorID: f.a.UserID, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "coordinator", p: f.coord, counselorID: f.a.UserID, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "another counselor", p: f.b, counselorID: f.a.UserID, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "participant, unknown ID", p: f.anna, counselorID: "nobody", kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "admin, unknown ID", p: f.admin, counselorID: "nobody", kind: apperr.NotFound, code: "counselor.not_found"},
		{name: "admin, a participant's ID", p: f.admin, counselorID: f.anna.UserID, kind: apperr.NotFound, code: "counselor.not_found"},
		{name: "admin, a coordinator's ID", p: f.admin, counselorID: f.coord.UserID, kind: apperr.NotFound, code: "counselor.not_found"},
		{name: "counselor, unknown ID", p: f.a, counselorID: "nobody", kind: apperr.NotFound, code: "counselor.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.SetAway(ctx, tt.p, tt.counselorID, in)
			wantKind(t, err, tt.kind, tt.code)
			wantKind(t, f.svc.ClearAway(ctx, tt.p, tt.counselorID), tt.kind, tt.code)
			_, err = f.svc.SetOfficeHours(ctx, tt.p, tt.counselorID, models.DefaultOfficeHours())
			wantKind(t, err, tt.kind, tt.code)
		})
	}
	if id := f.inForce(t, f.a.UserID, t0); id != "" {
		t.Errorf("a refused caller set absence %s", id)
	}
	// An admin may, for any counselor, even one not yet using the app.
	f.away(t, f.admin, f.invitedCounselor, in)
	if _, err := f.svc.SetOfficeHours(ctx, f.admin, f.b.UserID, models.DefaultOfficeHours()); err != nil {
		t.Errorf("admin sets B's office hours: %v", err)
	}
}

func TestOfficeHours(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Tuesday and Thursday afternoons, given out of order.
	h := hours(day(4, "12:00", "16:30"), day(2, "12:00", "16:30"))
	got, err := f.svc.SetOfficeHours(ctx, f.a, f.a.UserID, h)
	if err != nil {
		t.Fatal(err)
	}
	want := hours(day(2, "12:00", "16:30"), day(4, "12:00", "16:30"))
	if !slices.Equal(got.Days, want.Days) {
		t.Fatalf("saved %v, want ordered by weekday %v", got.Days, want.Days)
	}
	st, err := f.svc.StatusOf(ctx, f.a.UserID, t0) // Monday 10:00
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.OfficeHours.Days, want.Days) || st.InOfficeHours || !st.NextOpen.Equal(local(2026, 3, 3, 12, 0)) {
		t.Errorf("status = %+v, want closed until Tuesday 12:00", st)
	}
	// B keeps the default.
	if st, _ := f.svc.StatusOf(ctx, f.b.UserID, t0); !st.InOfficeHours || len(st.OfficeHours.Days) != 5 {
		t.Errorf("B's status = %+v, want the default hours, open now", st)
	}
	// Saving again replaces them.
	if _, err := f.svc.SetOfficeHours(ctx, f.a, f.a.UserID, hours(day(1, "08:00", "11:00"))); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.svc.StatusOf(ctx, f.a.UserID, t0); !st.InOfficeHours || len(st.OfficeHours.Days) != 1 {
		t.Errorf("status after the change = %+v, want open now with one day", st)
	}
	// Invalid hours are refused and change nothing.
	_, err = f.svc.SetOfficeHours(ctx, f.a, f.a.UserID, hours(day(1, "11:00", "08:00")))
	if got := fieldCodes(err); !slices.Equal(got, []string{"days[0].to availability.time_order"}) {
		t.Errorf("fields = %q, want the order error", got)
	}
	if st, _ := f.svc.StatusOf(ctx, f.a.UserID, t0); !slices.Equal(st.OfficeHours.Days, []models.OfficeDay{day(1, "08:00", "11:00")}) {
		t.Errorf("hours after a refused change = %v", st.OfficeHours.Days)
	}
}
