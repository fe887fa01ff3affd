package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

type clock = storetest.Clock

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// fixture is a fresh database with two departments: participants p1 and
// p2 (counselors c1 and c2) and coordinators co1 and co2 in Herning, and
// p3 (no counselor yet) and coordinator co3 in Aarhus.
type fixture struct {
	db  *mongo.Database
	st  *store.Store
	clk *clock
	act *activity.Service
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	clk := storetest.NewClock(now)
	db := storetest.DB(t)
	st := store.New(db, clk.Now)
	ctx := context.Background()
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{
		{ID: "p1", Role: models.RoleParticipant, Name: "Mette", DepartmentID: "herning", CounselorID: "c1"},
		{ID: "p2", Role: models.RoleParticipant, Name: "Jonas", DepartmentID: "herning", CounselorID: "c2"},
		{ID: "p3", Role: models.RoleParticipant, Name: "Sara", DepartmentID: "aarhus"},
		{ID: "c1", Role: models.RoleCounselor, Name: "Anne", DepartmentID: "herning"},
		{ID: "c2", Role: models.RoleCounselor, Name: "Bo", DepartmentID: "herning"},
		{ID: "co1", Role: models.RoleCoordinator, Name: "Lise", DepartmentID: "herning"},
		{ID: "co2", Role: models.RoleCoordinator, Name: "Per", DepartmentID: "herning"},
		{ID: "co3", Role: models.RoleCoordinator, Name: "Ida", DepartmentID: "aarhus"},
		{ID: "a1", Role: models.RoleAdmin, Name: "Admin"},
	} {
		u.Status, u.CreatedAt = models.StatusActive, now
		if err := st.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{db: db, st: st, clk: clk, act: activity.New(st, availability.New(st, clk.Now, newID), clk.Now, newID)}
}

// runner is one instance's Runner on the fixture's database.
func (f *fixture) runner() *jobs.Runner { return f.runnerOn(f.st) }

func (f *fixture) runnerOn(st jobs.Store) *jobs.Runner {
	return jobs.New(st, f.act, jobs.Config{}, f.clk.Now, newID)
}

// at sets the clock to hh:mm in Copenhagen on the calendar date d.
func (f *fixture) at(d string, hh, mm int) {
	f.clk.Set(jobs.At(day(d), hh).Add(time.Duration(mm) * time.Minute))
}

func (f *fixture) employ(t *testing.T, id, participant string, typ models.EmploymentType, start string) {
	t.Helper()
	e := models.Employment{ID: id, ParticipantID: participant, Company: models.Company{Name: "Brugsen " + id}, Type: typ,
		StartDate: start, CreatedAt: f.clk.Now(), UpdatedAt: f.clk.Now(), Version: 1}
	if err := f.st.InsertEmployment(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) end(t *testing.T, id, participant, lastDay string) {
	t.Helper()
	end := models.EmploymentEnd{EmploymentID: id, ParticipantID: participant, EndDate: lastDay, Reason: models.EndCompanyEnded,
		At: f.clk.Now(), ByID: "c1", ByRole: models.RoleCounselor}
	if err := f.st.InsertEmploymentEnd(context.Background(), end); err != nil {
		t.Fatal(err)
	}
}

// events returns a recipient's events of type typ.
func (f *fixture) events(t *testing.T, recipient, typ string) []models.Event {
	t.Helper()
	items, _, err := f.st.Events(context.Background(), recipient, models.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Event
	for _, e := range items {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// about lists "employmentId/years" of anniversary events, sorted.
func about(evs []models.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%v/%v", e.Params["employmentId"], e.Params["years"]))
	}
	sort.Strings(out)
	return out
}

func mustRun(t *testing.T, name string, run func(context.Context) (bool, error)) {
	t.Helper()
	ran, err := run(context.Background())
	if err != nil || !ran {
		t.Fatalf("%s: ran %v, %v; want a run", name, ran, err)
	}
}

func TestGodtGaaetTellsParticipantCounselorAndCoordinators(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.at("2026-11-23", 0, 5) // Monday, just after midnight
	f.employ(t, "e2y", "p1", models.EmploymentOrdinary, "2024-11-23")
	f.employ(t, "e5y", "p1", models.EmploymentWageSubsidy, "2021-11-23")
	f.employ(t, "e10y-ended", "p2", models.EmploymentOrdinary, "2016-11-23")
	f.end(t, "e10y-ended", "p2", "2026-11-20")
	f.employ(t, "internship", "p2", models.EmploymentInternship, "2024-11-23")
	f.employ(t, "flexjob", "p2", models.EmploymentFlexjob, "2024-11-23")
	f.employ(t, "e3y", "p2", models.EmploymentOrdinary, "2023-11-23")
	f.employ(t, "tomorrow", "p2", models.EmploymentOrdinary, "2024-11-24")
	f.employ(t, "aarhus", "p3", models.EmploymentOrdinary, "2024-11-23")
	f.employ(t, "erased", "gone", models.EmploymentOrdinary, "2024-11-23")

	mustRun(t, "first run", f.runner().GodtGaaet)

	mine := f.events(t, "p1", jobs.EventAnniversary)
	if got, want := about(mine), []string{"e2y/2", "e5y/5"}; !slices.Equal(got, want) {
		t.Fatalf("p1 congratulated on %v, want %v", got, want)
	}
	e := mine[0]
	if e.Params["employmentId"] == "e5y" {
		e = mine[1]
	}
	wantExpiry := instant("2027-01-21T23:00:00Z") // 60 days after the anniversary, 00:00 Copenhagen
	switch {
	case !e.DueAt.Equal(instant("2026-11-23T08:00:00Z")):
		t.Errorf("due %s, want 09:00 Copenhagen on the day", e.DueAt)
	case e.ExpiresAt == nil || !e.ExpiresAt.Equal(wantExpiry):
		t.Errorf("expires %v, want %s", e.ExpiresAt, wantExpiry)
	case e.CollapseKey != "" || e.State != models.EventPending:
		t.Errorf("collapse key %q, state %q; want none and pending", e.CollapseKey, e.State)
	case e.Params["anniversaryDate"] != "2026-11-23" || e.Params["companyName"] != "Brugsen e2y":
		t.Errorf("params %v", e.Params)
	case e.DedupeKey != "employment.anniversary/e2y/2/p1":
		t.Errorf("dedupe key %q", e.DedupeKey)
	}
	for _, staff := range []string{"c1", "co1", "co2"} {
		evs := f.events(t, staff, jobs.EventAnniversaryStaff)
		if got, want := about(evs), []string{"e2y/2", "e5y/5"}; !slices.Equal(got, want) {
			t.Errorf("%s told of %v, want %v", staff, got, want)
		}
		for _, e := range evs {
			if e.Params["participantId"] != "p1" || e.Params["departmentId"] != "herning" {
				t.Errorf("%s: params %v", staff, e.Params)
			}
		}
	}
	if r := f.events(t, "c1", jobs.EventAnniversaryStaff)[0].Params["role"]; r != "counselor" {
		t.Errorf("counselor's role param %v", r)
	}
	if r := f.events(t, "co1", jobs.EventAnniversaryStaff)[0].Params["role"]; r != "coordinator" {
		t.Errorf("coordinator's role param %v", r)
	}
	// p3 (Aarhus, no counselor): congratulated; Aarhus's coordinator told.
	if got := about(f.events(t, "p3", jobs.EventAnniversary)); !slices.Equal(got, []string{"aarhus/2"}) {
		t.Errorf("p3 congratulated on %v", got)
	}
	if got := about(f.events(t, "co3", jobs.EventAnniversaryStaff)); !slices.Equal(got, []string{"aarhus/2"}) {
		t.Errorf("co3 told of %v, want only Aarhus's participant", got)
	}
	for _, nobody := range []string{"p2", "c2", "a1", "gone"} {
		if evs := append(f.events(t, nobody, jobs.EventAnniversary), f.events(t, nobody, jobs.EventAnniversaryStaff)...); len(evs) > 0 {
			t.Errorf("%s got %d anniversary events: %v", nobody, len(evs), about(evs))
		}
	}

	// Later the same day, on this or another instance: nothing runs again.
	f.at("2026-11-23", 14, 0)
	for i, r := range []*jobs.Runner{f.runner(), f.runner()} {
		if ran, err := r.GodtGaaet(context.Background()); ran || err != nil {
			t.Errorf("instance %d ran again the same day: %v, %v", i, ran, err)
		}
	}
}

// TestGodtGaaetDayByDay runs the daily job every day through two weeks and
// checks on which day each milestone was announced.
func TestGodtGaaetDayByDay(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		starts   map[string]string // employment → start date
		want     map[string]string // employment → announcement day; absent: never
	}{
		{
			name: "a week in November", from: "2026-11-23", to: "2026-11-30",
			starts: map[string]string{
				"mon": "2024-11-23", "wed": "2021-11-25", "fri": "2016-11-27", "sat": "2024-11-28", "sun": "2021-11-29",
				"next-mon": "2016-11-30", "three-years": "2023-11-24",
			},
			want: map[string]string{
				"mon": "2026-11-23", "wed": "2026-11-25", "fri": "2026-11-27", "sat": "2026-11-27", "sun": "2026-11-27",
				"next-mon": "2026-11-30",
			},
		},
		{
			name: "29 February on a Saturday", from: "2026-02-23", to: "2026-03-03",
			starts: map[string]string{
				"leap-2": "2024-02-29", "leap-10": "2016-02-29", "feb28": "2021-02-28", "mar1-sunday": "2024-03-01", "mar2": "2021-03-02",
			},
			want: map[string]string{
				"leap-2": "2026-02-27", "leap-10": "2026-02-27", "feb28": "2026-02-27", "mar1-sunday": "2026-02-27", "mar2": "2026-03-02",
			},
		},
		{
			name: "over the new year and a weekend", from: "2026-12-28", to: "2027-01-05",
			starts: map[string]string{"dec31": "2024-12-31", "jan1": "2022-01-01", "jan2-saturday": "2017-01-02", "jan3-sunday": "2025-01-03", "jan4": "2025-01-04"},
			want: map[string]string{
				"dec31": "2026-12-31", "jan1": "2027-01-01", "jan2-saturday": "2027-01-01", "jan3-sunday": "2027-01-01", "jan4": "2027-01-04",
			},
		},
		{
			name: "the weekends the clocks change", from: "2026-03-23", to: "2026-03-30",
			starts: map[string]string{"sunday-forward": "2021-03-29", "monday-after": "2024-03-30"},
			want:   map[string]string{"sunday-forward": "2026-03-27", "monday-after": "2026-03-30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, time.Time{})
			f.at(tt.from, 0, 1)
			for id, start := range tt.starts {
				f.employ(t, id, "p1", models.EmploymentOrdinary, start)
			}
			announced := map[string]string{}
			r := f.runner()
			for d := day(tt.from); !d.After(day(tt.to)); d = d.AddDate(0, 0, 1) {
				f.at(d.Format(time.DateOnly), 0, 1)
				mustRun(t, d.Format(time.DateOnly), r.GodtGaaet)
				for _, e := range f.events(t, "p1", jobs.EventAnniversary) {
					id := e.Params["employmentId"].(string)
					if _, seen := announced[id]; !seen {
						announced[id] = jobs.Today(e.CreatedAt).Format(time.DateOnly)
					}
				}
			}
			for id, want := range tt.want {
				if announced[id] != want {
					t.Errorf("%s (start %s) announced on %q, want %s", id, tt.starts[id], announced[id], want)
				}
			}
			for id, got := range announced {
				if _, ok := tt.want[id]; !ok {
					t.Errorf("%s (start %s) announced on %s, want never", id, tt.starts[id], got)
				}
			}
			if n := len(f.events(t, "p1", jobs.EventAnniversary)); n != len(tt.want) {
				t.Errorf("%d congratulations, want %d (one per milestone)", n, len(tt.want))
			}
		})
	}
}

func TestGodtGaaetCatchesUpAfterDowntime(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "monday", "p1", models.EmploymentOrdinary, "2024-11-16")      // Monday 16th: the last day that ran
	f.employ(t, "wednesday", "p1", models.EmploymentOrdinary, "2021-11-18")   // while down
	f.employ(t, "saturday", "p1", models.EmploymentOrdinary, "2016-11-21")    // while down, its Friday too
	f.employ(t, "thursday", "p1", models.EmploymentWageSubsidy, "2024-11-26") // the day it is back
	f.employ(t, "friday", "p1", models.EmploymentOrdinary, "2024-11-27")      // still to come
	f.at("2026-11-16", 0, 5)
	mustRun(t, "Monday", f.runner().GodtGaaet)
	if got := about(f.events(t, "p1", jobs.EventAnniversary)); !slices.Equal(got, []string{"monday/2"}) {
		t.Fatalf("Monday: %v", got)
	}

	// Down from Tuesday to Thursday afternoon.
	f.at("2026-11-26", 15, 0)
	mustRun(t, "Thursday", f.runner().GodtGaaet)
	evs := f.events(t, "p1", jobs.EventAnniversary)
	if got, want := about(evs), []string{"monday/2", "saturday/10", "thursday/2", "wednesday/5"}; !slices.Equal(got, want) {
		t.Fatalf("after catching up: %v, want %v", got, want)
	}
	for _, e := range evs {
		if e.Params["employmentId"] != "monday" && !e.DueAt.Equal(f.clk.Now()) {
			t.Errorf("%v: due %s, want at once (%s): its morning has passed", e.Params["employmentId"], e.DueAt, f.clk.Now())
		}
	}
	if got := about(f.events(t, "c1", jobs.EventAnniversaryStaff)); len(got) != 4 {
		t.Errorf("counselor told of %v, want the same four", got)
	}
}

func TestGodtGaaetLooksBackAtMost60Days(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.at("2026-06-01", 0, 5)
	mustRun(t, "June", f.runner().GodtGaaet)
	f.employ(t, "70-days-ago", "p1", models.EmploymentOrdinary, "2024-08-25") // Tuesday 25 August 2026
	f.employ(t, "50-days-ago", "p1", models.EmploymentOrdinary, "2024-09-14") // Monday 14 September 2026
	f.at("2026-11-03", 10, 0)
	mustRun(t, "November", f.runner().GodtGaaet)
	if got := about(f.events(t, "p1", jobs.EventAnniversary)); !slices.Equal(got, []string{"50-days-ago/2"}) {
		t.Errorf("after five months down: %v, want only the one within 60 days", got)
	}
}

func TestGodtGaaetFirstRunTellsOnlyToday(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "yesterday", "p1", models.EmploymentOrdinary, "2024-11-23")
	f.employ(t, "today", "p1", models.EmploymentOrdinary, "2024-11-24")
	f.at("2026-11-24", 0, 5)
	mustRun(t, "first ever", f.runner().GodtGaaet)
	if got := about(f.events(t, "p1", jobs.EventAnniversary)); !slices.Equal(got, []string{"today/2"}) {
		t.Errorf("a new installation announced %v, want today's only", got)
	}
}

func TestGodtGaaetNeverTwiceForOneMilestone(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "e", "p1", models.EmploymentOrdinary, "2024-11-23")
	f.at("2026-11-23", 0, 5)
	mustRun(t, "Monday", f.runner().GodtGaaet)
	// The start date is corrected by a day after the announcement: the
	// milestone comes round again on Tuesday, and is not told again.
	e, err := f.st.Employment(context.Background(), "p1", "e")
	if err != nil {
		t.Fatal(err)
	}
	e.StartDate, e.Version = "2024-11-24", e.Version+1
	if ok, err := f.st.ReplaceEmployment(context.Background(), e); !ok || err != nil {
		t.Fatalf("edit: %v, %v", ok, err)
	}
	f.at("2026-11-24", 0, 5)
	mustRun(t, "Tuesday", f.runner().GodtGaaet)
	for _, who := range []string{"p1", "c1", "co1", "co2"} {
		n := len(f.events(t, who, jobs.EventAnniversary)) + len(f.events(t, who, jobs.EventAnniversaryStaff))
		if n != 1 {
			t.Errorf("%s told %d times, want once", who, n)
		}
	}
}

// race runs the day's scan on eight instances at once and returns how
// many of them ran it.
func (f *fixture) race(t *testing.T) int32 {
	t.Helper()
	var ran atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := f.runner().GodtGaaet(context.Background())
			if err != nil {
				t.Error(err)
			}
			if ok {
				ran.Add(1)
			}
		})
	}
	wg.Wait()
	return ran.Load()
}

// TestOneInstanceRunsEachDay races eight instances for the same day.
func TestOneInstanceRunsEachDay(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "e", "p1", models.EmploymentOrdinary, "2024-11-23")
	f.at("2026-11-23", 0, 5)
	if ran := f.race(t); ran != 1 {
		t.Errorf("%d instances ran the day, want 1", ran)
	}
	runs, err := f.st.JobRuns(context.Background(), jobs.JobGodtGaaet, "2026-11-23")
	if err != nil || len(runs) != 1 || !runs[0].Finished() {
		t.Fatalf("runs %+v, %v; want one, finished", runs, err)
	}
	if n := len(f.events(t, "p1", jobs.EventAnniversary)); n != 1 {
		t.Errorf("%d congratulations, want 1", n)
	}
}

func TestCrashedRunIsTakenOverAfterItsLease(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "e", "p1", models.EmploymentOrdinary, "2024-11-23")
	f.at("2026-11-23", 0, 5)
	// An instance claimed the day and died before finishing.
	dead := models.JobRun{ID: "godt-gaaet/2026-11-23", Job: jobs.JobGodtGaaet, Period: "2026-11-23", Attempt: 1,
		Holder: "dead", ClaimedAt: f.clk.Now(), LeaseUntil: f.clk.Now().Add(15 * time.Minute)}
	if err := f.st.InsertJobRun(context.Background(), dead); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(f.clk.Now().Add(10 * time.Minute))
	if ran, err := f.runner().GodtGaaet(context.Background()); ran || err != nil {
		t.Fatalf("within the lease: ran %v, %v; want no run", ran, err)
	}
	if n := len(f.events(t, "p1", jobs.EventAnniversary)); n != 0 {
		t.Fatalf("%d events while the lease holds", n)
	}

	f.clk.Set(f.clk.Now().Add(6 * time.Minute)) // the lease has run out
	if ran := f.race(t); ran != 1 {
		t.Errorf("%d instances took the run over, want 1", ran)
	}
	runs, err := f.st.JobRuns(context.Background(), jobs.JobGodtGaaet, "2026-11-23")
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs %+v, %v; want the dead claim and one take-over", runs, err)
	}
	if runs[0].Finished() || !runs[1].Finished() || runs[1].Attempt != 2 || runs[1].ID != "godt-gaaet/2026-11-23#2" || runs[1].Holder == "dead" {
		t.Errorf("runs %+v", runs)
	}
	if n := len(f.events(t, "p1", jobs.EventAnniversary)); n != 1 {
		t.Errorf("%d congratulations, want 1", n)
	}
}

// flaky fails (or panics in) the anniversary query a number of times.
type flaky struct {
	*store.Store
	mu       sync.Mutex
	failures int
	panics   bool
}

func (s *flaky) EmploymentsStartedOn(ctx context.Context, types []models.EmploymentType, dates []string) ([]models.Employment, error) {
	s.mu.Lock()
	fail := s.failures > 0
	s.failures--
	s.mu.Unlock()
	switch {
	case fail && s.panics:
		panic("lost the connection mid-scan")
	case fail:
		return nil, errors.New("database unreachable")
	}
	return s.Store.EmploymentsStartedOn(ctx, types, dates)
}

func TestFailedRunIsRetriedThenLeftToTheNextDay(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "monday", "p1", models.EmploymentOrdinary, "2024-11-23")
	st := &flaky{Store: f.st, failures: 3, panics: true}
	r := f.runnerOn(st)
	f.at("2026-11-23", 0, 5)
	for attempt := 1; attempt <= 3; attempt++ {
		ran, err := r.GodtGaaet(context.Background())
		if !ran || err == nil {
			t.Fatalf("attempt %d: ran %v, %v; want a failed run", attempt, ran, err)
		}
		f.clk.Set(f.clk.Now().Add(5 * time.Minute))
	}
	if ran, err := r.GodtGaaet(context.Background()); ran || err != nil {
		t.Fatalf("a fourth attempt: ran %v, %v; want none (given up for the day)", ran, err)
	}
	runs, err := f.st.JobRuns(context.Background(), jobs.JobGodtGaaet, "2026-11-23")
	if err != nil || len(runs) != 3 {
		t.Fatalf("runs %+v, %v; want three attempts", runs, err)
	}
	for i, run := range runs {
		if run.Attempt != i+1 || run.Finished() || run.FailedAt == nil || run.Error == "" || run.LeaseUntil.After(*run.FailedAt) {
			t.Errorf("attempt %d recorded as %+v; want failed, with why, lease given up", i+1, run)
		}
	}
	if runs[0].Error != "panic: lost the connection mid-scan" {
		t.Errorf("error %q", runs[0].Error)
	}

	// Tuesday the database is back: Tuesday's run covers Monday too.
	st.panics = false
	f.employ(t, "tuesday", "p1", models.EmploymentOrdinary, "2021-11-24")
	f.at("2026-11-24", 0, 5)
	mustRun(t, "Tuesday", r.GodtGaaet)
	if got := about(f.events(t, "p1", jobs.EventAnniversary)); !slices.Equal(got, []string{"monday/2", "tuesday/5"}) {
		t.Errorf("Tuesday announced %v, want Monday's too", got)
	}
}

func TestFailedRunIsRetriedAtTheNextTick(t *testing.T) {
	f := newFixture(t, time.Time{})
	f.employ(t, "e", "p1", models.EmploymentOrdinary, "2024-11-23")
	r := f.runnerOn(&flaky{Store: f.st, failures: 1})
	f.at("2026-11-23", 0, 5)
	if err := r.Tick(context.Background()); err == nil {
		t.Fatal("first tick: no error, want the failure")
	}
	f.clk.Set(f.clk.Now().Add(5 * time.Minute))
	if err := r.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(f.events(t, "p1", jobs.EventAnniversary)); n != 1 {
		t.Errorf("%d congratulations after the retry, want 1", n)
	}
}

func TestPruneKeepsAWeekOfReminderRuns(t *testing.T) {
	f := newFixture(t, time.Time{})
	ctx := context.Background()
	f.at("2026-11-23", 12, 0)
	for _, period := range []string{"2026-11-15T11:00Z", "2026-11-16T10:55Z", "2026-11-16T11:05Z", "2026-11-23T10:55Z"} {
		if err := f.st.InsertJobRun(ctx, models.JobRun{ID: "reminders/" + period, Job: jobs.JobReminders, Period: period, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, "prune", f.runner().Prune)
	var kept []string
	for _, period := range []string{"2026-11-15T11:00Z", "2026-11-16T10:55Z", "2026-11-16T11:05Z", "2026-11-23T10:55Z"} {
		runs, err := f.st.JobRuns(ctx, jobs.JobReminders, period)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 {
			kept = append(kept, period)
		}
	}
	if want := []string{"2026-11-16T11:05Z", "2026-11-23T10:55Z"}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want the last seven days' %v", kept, want)
	}
	if runs, err := f.st.JobRuns(ctx, jobs.JobPrune, "2026-11-23"); err != nil || len(runs) != 1 {
		t.Errorf("prune's own claim: %+v, %v", runs, err)
	}
}

type countingChecks struct{ n atomic.Int32 }

func (c *countingChecks) CheckInternships(context.Context) error { c.n.Add(1); return nil }

// The internship check is a daily job: of two instances ticking all day,
// one runs it once a day.
func TestInternshipCheckRunsOnceADay(t *testing.T) {
	f := newFixture(t, time.Time{})
	ctx := context.Background()
	checks := &countingChecks{}
	a := jobs.New(f.st, f.act, jobs.Config{Internships: checks}, f.clk.Now, newID)
	b := jobs.New(f.st, f.act, jobs.Config{Internships: checks}, f.clk.Now, newID)
	for _, hh := range []int{8, 12, 20} {
		f.at("2026-11-23", hh, 0)
		for _, r := range []*jobs.Runner{a, b} {
			if _, err := r.CheckInternships(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.at("2026-11-24", 8, 0)
	if _, err := b.CheckInternships(ctx); err != nil {
		t.Fatal(err)
	}
	if got := checks.n.Load(); got != 2 {
		t.Errorf("checks over two days = %d, want 2", got)
	}
}

// The daily prune-history run deletes the handled notifications older than
// the retention, once a day, and a retention shorter than the minimum is
// raised to it (the anniversaries look back 60 days).
func TestPruneHistoryRunsDailyWithTheRetention(t *testing.T) {
	f := newFixture(t, time.Time{})
	ctx := context.Background()
	f.at("2026-11-23", 12, 0)
	for i, age := range []int{62, 60, 91} { // days
		id := fmt.Sprintf("n%d", i)
		due := f.clk.Now().Add(-time.Duration(age) * 24 * time.Hour)
		if err := f.st.InsertNotification(ctx, models.Notification{ID: id, RecipientID: "p1", DedupeKey: id, Template: "message.received",
			CreatedAt: due, DueAt: due, NextPushAt: due, State: models.NotifySent}); err != nil {
			t.Fatal(err)
		}
	}
	short := jobs.New(f.st, f.act, jobs.Config{HistoryRetention: 7 * 24 * time.Hour}, f.clk.Now, newID)
	mustRun(t, "prune history", short.PruneHistory)
	if ran, err := short.PruneHistory(ctx); ran || err != nil {
		t.Fatalf("a second run the same day: ran %v, %v", ran, err)
	}
	left, err := f.st.Notifications(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range left {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	if want := []string{"n1"}; !slices.Equal(ids, want) {
		t.Errorf("left %v, want %v: older than the minimum of 61 days goes, younger stays", ids, want)
	}
}
