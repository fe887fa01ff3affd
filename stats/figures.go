package stats

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
)

// The figure codes of a Report (and of the CSV rows).
const (
	CodeRetention       = "retention_coefficient"  // in the CSV only; getRetentionCoefficient answers it in JSON
	CodeLastingJobs     = "lasting_jobs"           // in one paid job for at least LastingMonths
	CodeRetentionHiring = "retention_after_hiring" // per Months and Level
	CodeFirstYearJob    = "job_within_first_year"
	CodeParticipation   = "activity_participation" // per Kind
	CodeFillRate        = "fill_rate"              // per Kind
	CodeNoShowRate      = "no_show_rate"           // per Kind
	CodeCaseload        = "caseload"               // in the CSV only; Report.Caseloads in JSON
	CodeReplyMedian     = "reply_median_minutes"   // in the CSV only; Report.ReplyTimes in JSON
)

// The three retention levels after a hiring.
const (
	LevelDesiredJob   = "desired_job"   // still in the same employment
	LevelLabourMarket = "labour_market" // in any employment, internships included
	LevelProgramme    = "programme"     // still affiliated with Jobbanken
)

// LastingMonths is how long one paid job must have lasted to count as lasting.
const LastingMonths = 12

// RetentionMonths are the checkpoints of retention after a hiring.
var RetentionMonths = []int{3, 6, 12}

// Query asks for the figures at Date ("" = today), the activity figures
// for sessions from From to To (calendar dates; "" = the 12 months up to
// Date).
type Query struct {
	Date, From, To string
}

// Report is the management figures other than the retention coefficient.
type Report struct {
	Date            string          `json:"date"`
	From            string          `json:"from"`
	To              string          `json:"to"`
	Method          string          `json:"method"` // the consent rule and the suppression, in the caller's language (filled by the HTTP layer)
	Measures        []Measure       `json:"measures"`
	Caseloads       []Caseload      `json:"caseloads"`
	CaseloadWarning int             `json:"caseloadWarning"`
	ReplyTimes      messaging.Stats `json:"replyTimes"`
}

// Measure is one figure by department and overall.
type Measure struct {
	Code        string              `json:"code"`
	Months      int                 `json:"months,omitempty"` // retention after hiring: the checkpoint
	Level       string              `json:"level,omitempty"`  // retention after hiring: the level
	Kind        models.ActivityKind `json:"kind,omitempty"`   // activity figures: the kind
	Note        string              `json:"note"`             // the definition, in the caller's language (filled by the HTTP layer)
	Overall     Figure              `json:"overall"`
	Departments []DepartmentFigure  `json:"departments"`
}

// Caseload is a counselor's active participants. Staff names may be shown.
type Caseload struct {
	CounselorID  string `json:"counselorId"`
	Name         string `json:"name"`
	DepartmentID string `json:"departmentId"`
	Figure
	Warning bool `json:"warning"` // above the configured caseload
}

// window is a Query made concrete.
type window struct{ day, from, to string }

// checkQuery fills the defaults of q and notes bad values in f.
func (s *Service) checkQuery(f *apperr.Fields, q Query) window {
	today := s.today()
	w := window{day: s.checkDate(f, "date", q.Date, today), from: q.From, to: q.To}
	if w.to == "" {
		w.to = w.day
	}
	if w.from == "" {
		w.from = nextDay(monthsAfter(w.to, -12))
	}
	if w.from > w.to {
		f.Add("from", "statistics.date_order", "The first day must not come after the last.")
	}
	return w
}

// nextDay is the calendar day after day.
func nextDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// Statistics computes the figures of q. Admins only (Forbidden otherwise);
// a date after today or from after to is Invalid.
func (s *Service) Statistics(ctx context.Context, p auth.Principal, q Query) (Report, error) {
	if err := auth.Require(p.Role, auth.ReadStatistics); err != nil {
		return Report{}, err
	}
	var f apperr.Fields
	win := s.checkQuery(&f, q)
	if err := f.Err(); err != nil {
		return Report{}, err
	}
	w, err := s.load(ctx)
	if err != nil {
		return Report{}, err
	}
	return s.report(ctx, p, w, win)
}

// report computes the figures of win from w.
func (s *Service) report(ctx context.Context, p auth.Principal, w world, win window) (Report, error) {
	out := Report{Date: win.day, From: win.from, To: win.to, CaseloadWarning: s.cfg.CaseloadWarning}
	out.Measures = append(out.Measures, w.measure(Measure{Code: CodeLastingJobs}, lastingJobs(w.courses, win.day), Count))
	for _, m := range RetentionMonths {
		levels := retentionAfterHiring(w.courses, win.day, m)
		for _, l := range []string{LevelDesiredJob, LevelLabourMarket, LevelProgramme} {
			out.Measures = append(out.Measures, w.measure(Measure{Code: CodeRetentionHiring, Months: m, Level: l}, levels[l], Share))
		}
	}
	out.Measures = append(out.Measures, w.measure(Measure{Code: CodeFirstYearJob}, firstYearJob(w.courses, win.day), Share))
	act, err := s.activityFigures(ctx, w, win)
	if err != nil {
		return Report{}, err
	}
	out.Measures = append(out.Measures, act...)
	out.Caseloads = s.caseloads(w)
	if out.ReplyTimes, err = s.replies.Stats(ctx, p, replyDays(s.today(), win.from)); err != nil {
		return Report{}, err
	}
	return out, nil
}

// replyDays is how many days back the reply times look: from the window's
// first day to today, 1 to 365 (the messaging figures always end now).
func replyDays(today, from string) int {
	t, _ := time.Parse(time.DateOnly, today)
	f, _ := time.Parse(time.DateOnly, from)
	return min(max(int(t.Sub(f).Hours()/24)+1, 1), 365)
}

// measure fills m's figures from t.
func (w world) measure(m Measure, t *tally, u Unit) Measure {
	m.Overall, m.Departments = w.figures(t, u)
	return m
}

// lastingJobs counts the affiliated courses on day that hold one paid job
// begun at least LastingMonths before; the base is the affiliated courses.
func lastingJobs(cs []course, day string) *tally {
	t := newTally()
	cutoff := monthsAfter(day, -LastingMonths)
	for i, c := range cs {
		if !c.affiliated(day) {
			continue
		}
		lasting := slices.ContainsFunc(c.jobs, func(j job) bool { return j.paid() && j.start <= cutoff && c.holds(j, day) })
		t.add(c.dept, b2i(lasting), 1, courseKey(i))
	}
	return t
}

// retentionAfterHiring takes every paid job begun while affiliated whose
// checkpoint (start + months) is on or before day and tallies, per level,
// the hirings that were there at the checkpoint.
func retentionAfterHiring(cs []course, day string, months int) map[string]*tally {
	out := map[string]*tally{LevelDesiredJob: newTally(), LevelLabourMarket: newTally(), LevelProgramme: newTally()}
	for i, c := range cs {
		for _, j := range c.jobs {
			if !j.paid() || !c.affiliated(j.start) {
				continue
			}
			check := monthsAfter(j.start, months)
			if check > day {
				continue
			}
			out[LevelDesiredJob].add(c.dept, b2i(c.holds(j, check)), 1, courseKey(i))
			out[LevelLabourMarket].add(c.dept, b2i(c.working(check, false)), 1, courseKey(i))
			out[LevelProgramme].add(c.dept, b2i(c.affiliated(check)), 1, courseKey(i))
		}
	}
	return out
}

// firstYearJob takes the courses that began at least 12 months before day
// and counts those with a job of any type (internships included) begun in
// their first 12 months.
func firstYearJob(cs []course, day string) *tally {
	t := newTally()
	for i, c := range cs {
		yearEnd := monthsAfter(c.start, 12)
		if yearEnd > day {
			continue
		}
		got := slices.ContainsFunc(c.jobs, func(j job) bool { return c.start <= j.start && j.start < yearEnd })
		t.add(c.dept, b2i(got), 1, courseKey(i))
	}
	return t
}

// activityFigures counts, per catalogue kind, for the scheduled sessions
// in the window: participants with a confirmed seat (consented only), seats
// taken of the capacity (everyone) and no-shows of the attendance marks
// (consented only), by the activity's department.
func (s *Service) activityFigures(ctx context.Context, w world, win window) ([]Measure, error) {
	loc := models.Copenhagen()
	from, _ := time.ParseInLocation(time.DateOnly, win.from, loc)
	to, _ := time.ParseInLocation(time.DateOnly, nextDay(win.to), loc)
	sessions, err := s.store.SessionsStarting(ctx, from, to)
	if err != nil {
		return nil, err
	}
	inWindow := map[string]bool{}
	byActivity := map[string][]models.Session{}
	for _, ss := range sessions {
		inWindow[ss.ID] = true
		byActivity[ss.ActivityID] = append(byActivity[ss.ActivityID], ss)
	}
	ids := slices.Sorted(maps.Keys(byActivity))
	acts, err := s.store.ActivitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	enrolments, err := s.store.QueuedEnrollments(ctx, ids)
	if err != nil {
		return nil, err
	}
	marks, err := s.store.AttendanceOfActivities(ctx, ids)
	if err != nil {
		return nil, err
	}
	queues := map[string][]models.Enrollment{}
	for _, e := range enrolments {
		k := e.ActivityID + "/" + e.SessionID
		queues[k] = append(queues[k], e)
	}
	kinds := []models.ActivityKind{models.KindSport, models.KindNetwork, models.KindCourse}
	part, fill, noShow := map[models.ActivityKind]*tally{}, map[models.ActivityKind]*tally{}, map[models.ActivityKind]*tally{}
	for _, k := range kinds {
		part[k], fill[k], noShow[k] = newTally(), newTally(), newTally()
	}
	for _, id := range ids {
		a, ok := acts[id]
		if !ok || !a.Kind.Catalogue() || a.State != models.StateScheduled {
			continue
		}
		keys := []string{a.ID + "/"}
		if a.Mode == models.ModeSession {
			keys = keys[:0]
			for _, ss := range byActivity[id] {
				keys = append(keys, a.ID+"/"+ss.ID)
			}
		}
		for _, k := range keys {
			q := queues[k]
			slices.SortFunc(q, func(x, y models.Enrollment) int { return cmp.Compare(x.QueueNo, y.QueueNo) })
			var seated []string
			for rank, e := range q {
				if st, _ := activity.Status(e, rank, a.Capacity); st == models.StatusConfirmed {
					seated = append(seated, e.ParticipantID)
					if w.consented[e.ParticipantID] {
						part[a.Kind].add(a.DepartmentID, 0, 0, e.ParticipantID)
					}
				}
			}
			fill[a.Kind].add(a.DepartmentID, len(seated), a.Capacity, seated...)
		}
	}
	for _, m := range marks {
		a, ok := acts[m.ActivityID]
		if !ok || !inWindow[m.SessionID] || !w.consented[m.ParticipantID] || noShow[a.Kind] == nil {
			continue
		}
		noShow[a.Kind].add(a.DepartmentID, b2i(m.Mark == models.MarkNoShow), 1, m.ParticipantID)
	}
	var out []Measure
	for _, k := range kinds {
		out = append(out,
			w.measure(Measure{Code: CodeParticipation, Kind: k}, part[k], People),
			w.measure(Measure{Code: CodeFillRate, Kind: k}, fill[k], Share),
			w.measure(Measure{Code: CodeNoShowRate, Kind: k}, noShow[k], Share))
	}
	return out, nil
}

// caseloads counts the participants who have not left per counselor; the
// warning compares the real count with the configured size, and is never
// set on a suppressed caseload (it would tell a hidden count).
func (s *Service) caseloads(w world) []Caseload {
	n := map[string]int{}
	for _, u := range w.active {
		n[u.CounselorID]++
	}
	out := make([]Caseload, 0, len(w.counselors))
	for _, c := range w.counselors {
		k := n[c.ID]
		fig := NewFigure(Count, k, k, k)
		out = append(out, Caseload{CounselorID: c.ID, Name: c.Name, DepartmentID: c.DepartmentID,
			Figure: fig, Warning: !fig.Suppressed && k > s.cfg.CaseloadWarning})
	}
	slices.SortFunc(out, func(a, b Caseload) int { return strings.Compare(a.Name, b.Name) })
	return out
}
