package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
	"github.com/jobbanken/jobkunde/work"
)

// TestDemoSeedShowsEveryCapability seeds the demo twice (the second start
// only prints the logins) and checks that a demo participant has a job,
// hours and an estimate to look at.
func TestDemoSeedShowsEveryCapability(t *testing.T) {
	ctx := context.Background()
	st := storetest.Store(t, testNow)
	d := newDemoDeps(t, st, testNow)
	acc, act, wrk := d.acc, d.act, d.wrk
	// The invited participant's code stays the same across restarts while
	// it works; once it no longer does (here: replaced), the next start
	// issues a new one and says so.
	codes := filepath.Join(t.TempDir(), "demo-activation-codes.json")
	codeRe := regexp.MustCompile(`activation code ([A-Z0-9]{4}-[A-Z0-9]{4})( \(new[^)]*\))?`)
	var printed []string
	start := func() string {
		t.Helper()
		var out bytes.Buffer
		if err := d.seed(ctx, &out, testNow(), codes); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), demoParticipants[0].login) {
			t.Fatalf("demo output lacks the participant login:\n%s", out.String())
		}
		m := codeRe.FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("demo output lacks the activation code:\n%s", out.String())
		}
		printed = append(printed, m[1])
		return m[2]
	}
	for range 2 {
		if note := start(); note != "" {
			t.Errorf("a working code was renewed: %q", note)
		}
	}
	if printed[0] != printed[1] {
		t.Errorf("the activation code changed on restart: %s, then %s", printed[0], printed[1])
	}
	carla, _, err := st.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleParticipant}}, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range carla {
		if u.Status == models.StatusInvited {
			admin, _ := st.UserByLogin(ctx, demoAdmin)
			if _, err := acc.ReissueCode(ctx, auth.Principal{UserID: admin.ID, Role: models.RoleAdmin}, u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if note := start(); note == "" || printed[2] == printed[1] {
		t.Errorf("after the code was replaced: %s%s, want a new code that says so", printed[2], note)
	}
	anna, err := st.UserByLogin(ctx, demoParticipants[0].login)
	if err != nil {
		t.Fatal(err)
	}
	p := auth.Principal{UserID: anna.ID, Role: models.RoleParticipant}
	emps, err := wrk.Employments(ctx, p, anna.ID)
	if err != nil || len(emps) != 1 || !emps[0].Current || !emps[0].EmployerContact.Given {
		t.Fatalf("Anna's employments = %+v, %v", emps, err)
	}
	st2, err := wrk.Status(ctx, p, anna.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Basis != pension.Basis(plannedBasis()) || !st2.ProfileSaved || (testNow().YearDay() > 7 && st2.YTDGrossWageKr == 0) {
		t.Errorf("Anna's estimate = %+v", st2)
	}
	bo, err := st.UserByLogin(ctx, demoParticipants[1].login)
	if err != nil {
		t.Fatal(err)
	}
	emps, err = wrk.Employments(ctx, auth.Principal{UserID: bo.ID, Role: models.RoleParticipant}, bo.ID)
	if err != nil || len(emps) != 1 || emps[0].Internship == nil || emps[0].Internship.WeeksUsed != 10 {
		t.Fatalf("Bo's internship = %+v, %v", emps, err)
	}
	parties, _, err := act.Celebrations(ctx, p, "", models.Page{Limit: 10})
	if err != nil || len(parties) != 1 || parties[0].GuestCount != 4 || parties[0].StartsAt.Before(testNow().AddDate(0, 0, 7)) {
		t.Fatalf("Anna's celebrations = %+v, %v; want one, a week or more ahead, four guests", parties, err)
	}
}

// demoInstants are the instants the demo is seeded at besides testNow: a
// Friday two weeks before juleaftensdag (a course starting 14 days later
// would meet on 24 and 31 December), the Monday before Christmas, the
// week before Easter (skærtorsdag is a Thursday, and so is Kristi
// himmelfartsdag), early on the Tuesday after Easter (the last working day
// was the Wednesday before) and the last half hour of a year, a closed
// day, at night.
func demoInstants() []time.Time {
	var out []time.Time
	for _, s := range []string{
		"2027-12-10T10:00:00+01:00",
		"2027-12-20T10:00:00+01:00",
		"2027-03-22T10:00:00+01:00",
		"2027-03-30T07:30:00+02:00",
		"2027-12-31T23:30:00+01:00",
	} {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		out = append(out, t)
	}
	return append(out, testNow())
}

// seededDemo is the demo seeded as of one instant, on services whose clock
// stands at that instant.
type seededDemo struct {
	st  *store.Store
	act *activity.Service
	now time.Time
}

// seedDemoAt seeds the demo as of now.
func seedDemoAt(t *testing.T, now time.Time) seededDemo {
	t.Helper()
	clk := storetest.NewClock(now)
	st := storetest.Store(t, clk.Now)
	d := newDemoDeps(t, st, clk.Now)
	if err := d.seed(context.Background(), io.Discard, now, ""); err != nil {
		t.Fatalf("seed demo as of %s: %v", now.Format(time.RFC3339), err)
	}
	return seededDemo{st: st, act: d.act, now: now}
}

// demoDeps are the services the demo seed writes through, on one clock.
type demoDeps struct {
	st  *store.Store
	acc *accounts.Service
	act *activity.Service
	wrk *work.Service
	pl  *plan.Service
	prv *privacy.Service
}

func newDemoDeps(t *testing.T, st *store.Store, now func() time.Time) demoDeps {
	t.Helper()
	rules, err := pension.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Keys: auth.NewKeySet(key), Issuer: "test", Audience: "test", TTL: time.Minute, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	act := activity.New(st, availability.New(st, now, newID), now, newID)
	return demoDeps{st: st, act: act,
		acc: accounts.New(st, tokens, accounts.DefaultLimits, now, newID),
		wrk: work.New(st, work.NewRuleBook(st, rules, now, newID), work.Config{}, now, newID),
		pl:  plan.New(st, now, newID),
		prv: privacy.New(st, act, privacy.Config{}, now, newID),
	}
}

// seed runs the demo seed as of at (codes: where it keeps the activation
// codes, "" for nowhere).
func (d demoDeps) seed(ctx context.Context, out io.Writer, at time.Time, codes string) error {
	return seedDemo(ctx, d.st, d.acc, d.act, d.wrk, d.pl, d.prv, out, at, codes)
}

// activities returns every demo activity, celebrations included.
func (d seededDemo) activities(t *testing.T) []models.Activity {
	t.Helper()
	var out []models.Activity
	for pg := (models.Page{Limit: 100}); ; {
		items, next, err := d.st.Activities(context.Background(), models.ActivityFilter{}, pg)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		pg.After = next
	}
}

// TestDemoSeedAsOfFixedInstants seeds the demo as of each of
// demoInstants and checks what must hold whatever the date.
func TestDemoSeedAsOfFixedInstants(t *testing.T) {
	for _, at := range demoInstants() {
		t.Run(at.Format(time.RFC3339), func(t *testing.T) {
			d := seedDemoAt(t, at)
			t.Run("sessions meet on working days", func(t *testing.T) { checkDemoWorkingDays(t, d) })
			t.Run("attendance can be recorded on day one", func(t *testing.T) { checkDemoAttendanceOnDayOne(t, d) })
		})
	}
}

// checkDemoWorkingDays checks that no demo session starts on a day
// Jobbanken is closed (work.IsWorkingDay: weekends, holidays, grundlovsdag,
// 24 and 31 December), and that moving sessions off closed days kept their
// time of day and the spacing of their activity's sessions (a weekly course
// stays weekly, a three-day trip stays three days in a row, a weekly
// drop-in stays on its weekday).
func checkDemoWorkingDays(t *testing.T, d seededDemo) {
	loc := models.Copenhagen()
	plans := map[string]demoActivity{}
	for _, da := range demoCatalogue("", d.now.In(loc)) {
		plans[da.details.Title.Da] = da
	}
	for _, a := range d.activities(t) {
		sessions, err := d.st.Sessions(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ss := range sessions {
			if !work.IsWorkingDay(ss.StartsAt) {
				why, holiday := work.DanishHoliday(ss.StartsAt)
				if !holiday {
					why = "weekend"
				}
				t.Errorf("%q meets on %s, a closed day (%s)", a.Title.Da, ss.StartsAt.In(loc).Format("Monday 2006-01-02 15:04"), why)
			}
		}
		plan, ok := plans[a.Title.Da]
		if !ok || len(sessions) == 0 {
			continue
		}
		first := sessions[0].StartsAt.In(loc)
		for i, ss := range sessions {
			start := ss.StartsAt.In(loc)
			switch {
			case plan.weekly != nil:
				if start.Weekday() != plan.weekly.Weekday || start.Format("15:04") != plan.weekly.Start {
					t.Errorf("%q: session %d on %s, want every %s at %s", a.Title.Da, i, start.Format("Monday 2006-01-02 15:04"), plan.weekly.Weekday, plan.weekly.Start)
				}
			case len(sessions) != len(plan.sessions):
				t.Fatalf("%q has %d sessions, want %d", a.Title.Da, len(sessions), len(plan.sessions))
			default:
				want := plan.sessions[i]
				gotGap, wantGap := calendarDays(first, start), want.inDays-plan.sessions[0].inDays
				if start.Format("15:04") != want.start || gotGap != wantGap {
					t.Errorf("%q: session %d at %s, %d days after the first; want %s, %d days after", a.Title.Da, i, start.Format("2006-01-02 15:04"), gotGap, want.start, wantGap)
				}
			}
		}
	}
}

// checkDemoAttendanceOnDayOne checks that the demo coordinator can record
// attendance at the seeding instant: a session has started, today (under
// way, when the demo is seeded during the working day) or else on the most
// recent working day, and it has people on its roster.
func checkDemoAttendanceOnDayOne(t *testing.T, d seededDemo) {
	ctx := context.Background()
	loc := models.Copenhagen()
	sofie, err := d.st.UserByLogin(ctx, demoStaff[2].login)
	if err != nil {
		t.Fatal(err)
	}
	coord := auth.Principal{UserID: sofie.ID, Role: models.RoleCoordinator, DeptID: sofie.DepartmentID}
	var started *models.Session
	var in models.Activity
	for _, a := range d.activities(t) {
		sessions, err := d.st.Sessions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ss := range sessions {
			if ss.State == models.StateScheduled && !ss.StartsAt.After(d.now) && (started == nil || ss.StartsAt.After(started.StartsAt)) {
				started, in = &ss, a
			}
		}
	}
	if started == nil {
		t.Fatalf("no demo session has started as of %s", d.now.Format(time.RFC3339))
	}
	now, start := d.now.In(loc), started.StartsAt.In(loc)
	if work.IsWorkingDay(now) && now.Hour() >= 9 && now.Hour() < 17 {
		if start.Before(now.Add(-90*time.Minute)) || !started.EndsAt.After(d.now) {
			t.Errorf("%q ran %s to %s; seeded at %s, want one that started within the last hour and a half and is still running",
				in.Title.Da, start.Format(time.DateTime), started.EndsAt.In(loc).Format(time.DateTime), now.Format(time.DateTime))
		}
	}
	for day := start.AddDate(0, 0, 1); calendarDays(day, now) > 0; day = day.AddDate(0, 0, 1) {
		if work.IsWorkingDay(day) {
			t.Errorf("%q started on %s, but %s (seeded at %s) was a later working day", in.Title.Da, start.Format(time.DateOnly), day.Format(time.DateOnly), now.Format(time.DateTime))
		}
	}
	sessionID := ""
	if in.Mode == models.ModeSession {
		sessionID = started.ID
	}
	roster, err := d.act.Roster(ctx, coord, in.ID, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	var marks []activity.Mark
	for _, e := range roster.Confirmed {
		marks = append(marks, activity.Mark{EnrollmentID: e.EnrollmentID, Mark: models.MarkAttended})
	}
	if len(marks) == 0 {
		t.Fatalf("nobody is on the roster of %q on %s", in.Title.Da, start.Format(time.DateTime))
	}
	if _, err := d.act.RecordAttendance(ctx, coord, started.ID, marks); err != nil {
		t.Errorf("the coordinator records attendance at %q on %s: %v", in.Title.Da, start.Format(time.DateTime), err)
	}
	t.Logf("seeded at %s: %d marked at %q, %s to %s", now.Format(time.DateTime), len(marks), in.Title.Da, start.Format(time.DateTime), started.EndsAt.In(loc).Format(time.DateTime))
}

// calendarDays counts the calendar days from a's date to b's date (both
// in one zone).
func calendarDays(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	return int(time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC).Sub(time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}
