package stats_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/stats"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// Monday 15 June 2026, noon in Copenhagen: "today" of every test.
var (
	now   = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)
	today = "2026-06-15"
	admin = auth.Principal{UserID: "admin-1", Role: models.RoleAdmin}
)

// noReplies stands in for the messaging figures.
type noReplies struct{}

func (noReplies) Stats(context.Context, auth.Principal, int) (messaging.Stats, error) {
	return messaging.Stats{Counselors: []messaging.CounselorFigures{}, Departments: []messaging.DepartmentFigures{}}, nil
}

// gen is a generated data set and, kept plainly beside it, what it holds:
// the tests count their expectations from these people, not through stats.
type gen struct {
	st     *store.Store
	svc    *stats.Service
	people []person // every participant and leaver record written
	seq    int
}

type person struct {
	id        string // "" for a leaver record
	dept      string
	start     string
	left      string // "" while affiliated
	consented bool   // latest statistics consent given (or a consented leaver record)
	jobs      []gjob
}

type gjob struct {
	typ        models.EmploymentType
	start, end string // end: the effective last day ("" running)
}

func newGen(t testing.TB) *gen {
	t.Helper()
	st := storetest.Store(t, func() time.Time { return now })
	g := &gen{st: st, svc: stats.New(st, noReplies{}, stats.Config{CaseloadWarning: 12}, func() time.Time { return now })}
	for _, d := range []models.Department{{ID: "d-aarhus", Name: "Aarhus"}, {ID: "d-herning", Name: "Herning"}, {ID: "d-kbh", Name: "København"}} {
		must(t, st.InsertDepartment(context.Background(), d))
		must(t, st.InsertUser(context.Background(), models.User{ID: "co-" + d.ID, Role: models.RoleCounselor, Name: "Vejleder " + d.Name, DepartmentID: d.ID, CreatedAt: now}))
	}
	return g
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// noon is the UTC instant of noon on a Copenhagen calendar date.
func noon(day string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, day, models.Copenhagen())
	if err != nil {
		panic(err)
	}
	return d.Add(12 * time.Hour).UTC()
}

func addDays(day string, n int) string {
	d, _ := time.Parse(time.DateOnly, day)
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// addMonths: the generator never uses days after the 28th, so AddDate is
// the calendar-month step here.
func addMonths(day string, n int) string {
	d, _ := time.Parse(time.DateOnly, day)
	return d.AddDate(0, n, 0).Format(time.DateOnly)
}

// randomDay is a day from 2018 to early 2026 on the 1st to 28th.
func randomDay(rng *rand.Rand, fromYear, toYear int) string {
	return fmt.Sprintf("%04d-%02d-%02d", fromYear+rng.IntN(toYear-fromYear+1), 1+rng.IntN(12), 1+rng.IntN(28))
}

func (g *gen) id(prefix string) string { g.seq++; return fmt.Sprintf("%s-%06d", prefix, g.seq) }

// consent writes statistics consent records in order: the last decides.
func (g *gen) consent(t testing.TB, participantID string, given ...bool) {
	t.Helper()
	for _, v := range given {
		must(t, g.st.InsertConsent(context.Background(), models.ConsentRecord{ID: g.id("consent"), ParticipantID: participantID,
			Purpose: models.ConsentStatistics, Given: v, At: now, ByRole: models.RoleParticipant}))
	}
}

// add writes one participant as p says, with their employments, consent
// records and withdrawal, and returns the ID.
func (g *gen) add(t testing.TB, p person, consents ...bool) string {
	t.Helper()
	ctx := context.Background()
	p.id = g.id("participant")
	u := models.User{ID: p.id, Role: models.RoleParticipant, Name: "Navn " + p.id, Email: p.id + "@example.dk",
		DepartmentID: p.dept, CounselorID: "co-" + p.dept, Status: models.StatusActive, CreatedAt: noon(p.start)}
	if p.left != "" {
		at := noon(p.left)
		u.WithdrawnAt = &at
		must(t, g.st.InsertWithdrawal(ctx, models.Withdrawal{ParticipantID: p.id, DepartmentID: p.dept, Reason: models.LeavePoorMatch, At: at, EraseAfter: at.AddDate(1, 0, 0)}))
	}
	must(t, g.st.InsertUser(ctx, u))
	for i, j := range p.jobs {
		e := models.Employment{ID: g.id("emp"), ParticipantID: p.id, Type: j.typ, StartDate: j.start, EndDate: j.end,
			Company: models.Company{Name: "=HYPERLINK(\"x\")"}, CreatedAt: now}
		if j.end != "" && i%2 == 0 {
			// Ended through an end record: the stored end is the plan.
			e.EndDate = addDays(j.end, 40)
			must(t, g.st.InsertEmploymentEnd(ctx, models.EmploymentEnd{EmploymentID: e.ID, ParticipantID: p.id, EndDate: j.end, Reason: models.EndOther, At: noon(j.end)}))
		}
		must(t, g.st.InsertEmployment(ctx, e))
	}
	g.consent(t, p.id, consents...)
	p.consented = len(consents) > 0 && consents[len(consents)-1]
	g.people = append(g.people, p)
	return p.id
}

// addLeaver writes an erased participant's anonymous record.
func (g *gen) addLeaver(t testing.TB, p person, consented bool) {
	t.Helper()
	l := models.LeaverRecord{ID: g.id("leaver"), DepartmentID: p.dept, Reason: models.LeaveNoLongerWanted, LeftYear: 2024, Consented: consented}
	if consented {
		l.StartedOn, l.LeftOn = p.start, p.left
		for _, j := range p.jobs {
			l.Employments = append(l.Employments, models.EmploymentOutcome{Type: j.typ, StartDate: j.start, EndDate: j.end})
		}
	}
	must(t, g.st.InsertLeaver(context.Background(), l))
	p.consented = consented
	g.people = append(g.people, p)
}

var depts = []string{"d-aarhus", "d-herning", "d-kbh"}

// randomPerson makes a participant with 0–3 jobs of Jobbanken's mix.
func randomPerson(rng *rand.Rand, dept string) person {
	p := person{dept: dept, start: randomDay(rng, 2018, 2025)}
	if rng.IntN(5) == 0 {
		if left := addDays(p.start, 60+rng.IntN(1500)); left < today {
			p.left = left
		}
	}
	types := []models.EmploymentType{models.EmploymentInternship, models.EmploymentWageSubsidy, models.EmploymentWageSubsidy, models.EmploymentOrdinary, models.EmploymentFlexjob}
	for range rng.IntN(4) {
		j := gjob{typ: types[rng.IntN(len(types))], start: addDays(p.start, rng.IntN(900))}
		if j.start >= today {
			continue
		}
		if rng.IntN(2) == 0 {
			j.end = addDays(j.start, 30+rng.IntN(800))
		}
		p.jobs = append(p.jobs, j)
	}
	return p
}

// generate writes n participants in three departments (about 85 % with
// consent, some of them withdrawn later, some never asked) and a few
// leaver records, seeded so every run sees the same world.
func (g *gen) generate(t testing.TB, n int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2026))
	for range n {
		p := randomPerson(rng, depts[rng.IntN(len(depts))])
		switch r := rng.IntN(20); {
		case r < 15:
			g.add(t, p, true)
		case r < 17:
			g.add(t, p, true, false) // withdrew the consent
		case r < 18:
			g.add(t, p, false, true) // refused, then gave it
		default:
			g.add(t, p) // never asked
		}
	}
	for range n / 10 {
		p := randomPerson(rng, depts[rng.IntN(len(depts))])
		if p.left == "" {
			p.left = addDays(p.start, 400)
		}
		g.addLeaver(t, p, rng.IntN(3) > 0)
	}
}

// share is the expected figure of num of base: suppressed under 5.
type share struct{ num, base, people int }

func (s share) check(t *testing.T, what string, f stats.Figure) {
	t.Helper()
	if s.base < 5 || s.people < 5 {
		if !f.Suppressed || f.Value != nil || f.N != nil || f.Display != "< 5" {
			t.Errorf("%s: %+v, want suppressed (base %d, people %d)", what, f, s.base, s.people)
		}
		return
	}
	want := math.Round(1000*float64(s.num)/float64(s.base)) / 10
	if f.Suppressed || f.Value == nil || *f.Value != want || f.N == nil || *f.N != s.base {
		t.Errorf("%s: %+v, want %.1f of n=%d (%d/%d)", what, f, want, s.base, s.num, s.base)
	}
}
