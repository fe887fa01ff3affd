package jobs

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// Event types of "Godt Gået".
const (
	// EventAnniversary congratulates the participant.
	EventAnniversary = "employment.anniversary"
	// EventAnniversaryStaff tells the counselor and the department's
	// coordinators, so they can plan the celebration.
	EventAnniversaryStaff = "employment.anniversary_staff"
)

// celebratedTypes are the employments "Godt Gået" looks at: jobs with wage
// subsidy and ordinary jobs. An internship lasts weeks, not years, and a
// flexjob means leaving the pension and Jobbanken's target group (it gets
// no follow-up meetings either).
var celebratedTypes = []models.EmploymentType{models.EmploymentWageSubsidy, models.EmploymentOrdinary}

// Timing of the anniversary events.
const (
	announceHour = 9 // the events are due at 09:00 Copenhagen on the announcement day
	// anniversaryTTLDays is how long after the anniversary the events are
	// worth sending: as long as a caught-up run may look back.
	anniversaryTTLDays = defaultCatchUpDays
)

// godtGaaet records the events for every milestone announced on the days
// from the last finished run to today.
func (r *Runner) godtGaaet(ctx context.Context, today time.Time) error {
	lastDone, err := r.lastDone(ctx)
	if err != nil {
		return err
	}
	days := CatchUpDays(lastDone, today, r.cfg.CatchUpDays)
	emps, err := r.store.EmploymentsStartedOn(ctx, celebratedTypes, StartDates(days))
	if err != nil || len(emps) == 0 {
		return err
	}
	ends, err := r.store.EmploymentEnds(ctx, models.EmploymentIDs(emps))
	if err != nil {
		return err
	}
	type due struct {
		e models.Employment
		m Milestone
	}
	var found []due
	var participantIDs []string
	for _, e := range models.WithEnds(emps, ends) {
		for _, m := range MilestonesOf(e, days) {
			found = append(found, due{e, m})
			participantIDs = append(participantIDs, e.ParticipantID)
		}
	}
	if len(found) == 0 {
		return nil
	}
	slices.Sort(participantIDs)
	users, err := r.store.UsersByID(ctx, slices.Compact(participantIDs))
	if err != nil {
		return err
	}
	byID := make(map[string]models.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	var coordinators map[string][]string // by department, read on first need
	var evs []models.Event
	for _, f := range found {
		u, ok := byID[f.e.ParticipantID]
		if !ok || u.Role != models.RoleParticipant || u.WithdrawnAt != nil {
			continue // erased, left, or not a participant
		}
		coords, err := r.coordinatorsOf(ctx, u.DepartmentID, &coordinators)
		if err != nil {
			return err
		}
		evs = append(evs, r.announce(u, f.e, f.m, coords)...)
	}
	return r.store.RecordEvents(ctx, evs)
}

// lastDone returns the last day whose anniversaries are told: the latest
// day a run finished. If none ever finished but some failed, the day before
// the first one, so those days are caught up; nil on a new installation.
func (r *Runner) lastDone(ctx context.Context) (*time.Time, error) {
	run, ok, err := r.store.LastFinishedJobRun(ctx, JobGodtGaaet)
	if err != nil {
		return nil, err
	}
	before := 0
	if !ok {
		if run, ok, err = r.store.FirstJobRun(ctx, JobGodtGaaet); err != nil {
			return nil, err
		}
		before = -1
	}
	d, valid := parseDay(run.Period)
	if !ok || !valid {
		return nil, nil
	}
	d = d.AddDate(0, 0, before)
	return &d, nil
}

// coordinatorsOf returns the IDs of a department's coordinators. All
// coordinators are read at once, on first need in a run: there are a few
// dozen, and one query is cheaper than one per department.
func (r *Runner) coordinatorsOf(ctx context.Context, departmentID string, cache *map[string][]string) ([]string, error) {
	if *cache == nil {
		byDept := map[string][]string{}
		p := models.Page{Limit: 100}
		for {
			list, next, err := r.store.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleCoordinator}}, p)
			if err != nil {
				return nil, err
			}
			for _, u := range list {
				byDept[u.DepartmentID] = append(byDept[u.DepartmentID], u.ID)
			}
			if next == "" {
				break
			}
			p.After = next
		}
		*cache = byDept
	}
	if departmentID == "" {
		return nil, nil
	}
	return (*cache)[departmentID], nil
}

// announce returns the events of one milestone: the participant's
// congratulation, and a note to their counselor and each coordinator of
// their department. Each
// event's dedupe key names the employment, the milestone and the recipient,
// so no one hears of one milestone twice (not after an edit of the start
// date either).
func (r *Runner) announce(u models.User, e models.Employment, m Milestone, coordinators []string) []models.Event {
	due := At(m.AnnouncedOn, announceHour)
	expires := At(m.Date.AddDate(0, 0, anniversaryTTLDays), 0)
	key := func(recipient string) string {
		return EventAnniversary + "/" + e.ID + "/" + strconv.Itoa(m.Years) + "/" + recipient
	}
	date := dayString(m.Date)
	evs := []models.Event{r.event(key(u.ID), EventAnniversary, u.ID, due, &expires, "", map[string]any{
		"employmentId": e.ID, "years": m.Years, "anniversaryDate": date, "companyName": e.Company.Name,
	})}
	staff := func(recipient string, role models.Role) models.Event {
		return r.event(key(recipient), EventAnniversaryStaff, recipient, due, &expires, "", map[string]any{
			"participantId": u.ID, "employmentId": e.ID, "years": m.Years, "anniversaryDate": date,
			"companyName": e.Company.Name, "departmentId": u.DepartmentID, "role": string(role),
		})
	}
	if u.CounselorID != "" {
		evs = append(evs, staff(u.CounselorID, models.RoleCounselor))
	}
	for _, c := range coordinators {
		evs = append(evs, staff(c, models.RoleCoordinator))
	}
	return evs
}
