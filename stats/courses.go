package stats

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// course is one participant's participation as statistics see it: only
// dates, types and the department. Current participants and consented
// leaver records become the same thing.
type course struct {
	participantID string // "" for an erased leaver
	dept          string
	start         string // first day of affiliation
	left          string // the leaving day ("" while affiliated): not affiliated from this day on
	reason        models.LeaveReason
	jobs          []job
}

// job is an employment's type and days.
type job struct {
	typ        models.EmploymentType
	start, end string // end "" while running
}

// paid reports whether the job counts as work: every type but the unpaid
// internship.
func (j job) paid() bool { return j.typ != models.EmploymentInternship }

// affiliated reports whether the participant is affiliated on day.
func (c course) affiliated(day string) bool {
	return c.start <= day && (c.left == "" || day < c.left)
}

// holds reports whether j covers day as far as Jobbanken knows: an
// employment is known only while the participant is affiliated, so after
// leaving it no longer counts, even without an end date.
func (c course) holds(j job, day string) bool {
	return j.start <= day && (j.end == "" || day <= j.end) && (c.left == "" || day < c.left)
}

// working reports whether the participant holds a job on day (paid only,
// or any job including internships).
func (c course) working(day string, paidOnly bool) bool {
	for _, j := range c.jobs {
		if (!paidOnly || j.paid()) && c.holds(j, day) {
			return true
		}
	}
	return false
}

// monthsAfter is day plus n calendar months, clamped to the month's end.
func monthsAfter(day string, n int) string {
	return dateOf(work.AddMonths(day, n))
}

// world is everything the figures are computed from.
type world struct {
	deptNames  map[string]string
	deptOrder  []string // by name
	courses    []course // consented only: the base of participant figures
	consented  map[string]bool
	active     []models.User // participants who have not left (caseloads)
	counselors []models.User
}

// load reads the records and builds the consented courses.
func (s *Service) load(ctx context.Context) (world, error) {
	w := world{deptNames: map[string]string{}, consented: map[string]bool{}}
	depts, err := s.store.AllDepartments(ctx)
	if err != nil {
		return world{}, fmt.Errorf("departments: %w", err)
	}
	slices.SortFunc(depts, func(a, b models.Department) int { return strings.Compare(a.Name, b.Name) })
	for _, d := range depts {
		w.deptNames[d.ID] = d.Name
		w.deptOrder = append(w.deptOrder, d.ID)
	}
	users, err := s.store.StatsParticipants(ctx)
	if err != nil {
		return world{}, fmt.Errorf("participants: %w", err)
	}
	if w.counselors, err = s.store.Counselors(ctx); err != nil {
		return world{}, fmt.Errorf("counselors: %w", err)
	}
	withdrawals, err := s.store.Withdrawals(ctx)
	if err != nil {
		return world{}, fmt.Errorf("withdrawals: %w", err)
	}
	leftOn := map[string]models.Withdrawal{}
	pendingLeaver := map[string]bool{} // leaver records of erasures not finished yet
	for _, wd := range withdrawals {
		leftOn[wd.ParticipantID] = wd
		pendingLeaver[wd.AnonID] = true
	}
	consents, err := s.store.ConsentsByPurpose(ctx, models.ConsentStatistics)
	if err != nil {
		return world{}, fmt.Errorf("consents: %w", err)
	}
	w.consented = LatestConsent(consents)
	emps, ends, err := s.store.AllEmployments(ctx)
	if err != nil {
		return world{}, fmt.Errorf("employments: %w", err)
	}
	jobsOf := map[string][]job{}
	for _, e := range models.WithEnds(emps, ends) {
		jobsOf[e.ParticipantID] = append(jobsOf[e.ParticipantID], job{typ: e.Type, start: e.StartDate, end: e.EndDate})
	}
	for _, js := range jobsOf {
		slices.SortFunc(js, func(a, b job) int { return strings.Compare(a.start, b.start) })
	}

	for _, u := range users {
		wd, hasLeft := leftOn[u.ID]
		if !hasLeft && u.WithdrawnAt == nil {
			w.active = append(w.active, u)
		}
		if !w.consented[u.ID] {
			continue
		}
		c := course{participantID: u.ID, dept: u.DepartmentID, start: dateOf(u.CreatedAt), jobs: jobsOf[u.ID]}
		switch {
		case hasLeft:
			c.left, c.reason = dateOf(wd.At), wd.Reason
		case u.WithdrawnAt != nil:
			c.left = dateOf(*u.WithdrawnAt)
		}
		w.courses = append(w.courses, c)
	}
	leavers, err := s.store.Leavers(ctx)
	if err != nil {
		return world{}, fmt.Errorf("leavers: %w", err)
	}
	for _, l := range leavers {
		if pendingLeaver[l.ID] {
			continue // the participant is still counted above until their erasure finishes
		}
		if !l.Consented || l.StartedOn == "" {
			continue // counted only: no course to place in time
		}
		c := course{dept: l.DepartmentID, start: l.StartedOn, left: l.LeftOn, reason: l.Reason}
		for _, e := range l.Employments {
			c.jobs = append(c.jobs, job{typ: e.Type, start: e.StartDate, end: e.EndDate})
		}
		w.courses = append(w.courses, c)
	}
	return w, nil
}

// LatestConsent tells, per participant, whether their latest statistics
// consent record is given (records oldest first, as the store returns
// them: the last one decides).
func LatestConsent(records []models.ConsentRecord) map[string]bool {
	out := map[string]bool{}
	for _, r := range records {
		out[r.ParticipantID] = r.Given
	}
	return out
}

// figures publishes a tally as the overall figure and department figures
// in name order (only departments that exist; records without one count in
// the overall figure), through the one complementary suppression rule
// (tally.publish).
func (w world) figures(t *tally, u Unit) (Figure, []DepartmentFigure) {
	overall, figs := t.publish(u, w.deptOrder)
	out := make([]DepartmentFigure, len(w.deptOrder))
	for i, id := range w.deptOrder {
		out[i] = DepartmentFigure{DepartmentName{id, w.deptNames[id]}, figs[i]}
	}
	return overall, out
}

// courseKey names a course in a tally's set of who a figure rests on.
func courseKey(i int) string { return "c" + strconv.Itoa(i) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
