package activity

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// maxCapacity bounds one activity's seats; Jobbanken's largest events are
// far below it.
const maxCapacity = 10_000

// Details is what a coordinator gives to create or edit an activity.
type Details struct {
	Kind                  models.ActivityKind
	Title                 models.Text
	Description           models.Text
	WhatToBring           models.Text
	Location              string
	DepartmentID          string
	Mode                  models.EnrollmentMode
	Capacity              int
	RequiresApproval      bool
	SignupOpensAt         *time.Time
	SignupClosesAt        *time.Time
	CancelDeadlineHours   int
	CompletionMinSessions int
}

// check returns every problem with d as field errors.
func (d Details) check() apperr.Fields {
	var f apperr.Fields
	if !d.Kind.Valid() {
		f.Add("kind", "activity.kind", "Choose sport, network or course.")
	}
	if !d.Mode.Valid() {
		f.Add("mode", "activity.mode", "Choose activity or session.")
	}
	checkText(&f, "title", d.Title, 200, true)
	checkText(&f, "description", d.Description, 5000, false)
	checkText(&f, "whatToBring", d.WhatToBring, 1000, false)
	if utf8.RuneCountInString(d.Location) > 300 {
		f.Add("location", "field.too_long", "Use at most 300 characters.")
	}
	if d.DepartmentID == "" {
		f.Add("departmentId", "field.required", "This field is required.")
	}
	if d.Capacity < 1 || d.Capacity > maxCapacity {
		f.Add("capacity", "activity.capacity", "Capacity is a number from 1 to 10000.")
	}
	if d.SignupOpensAt != nil && d.SignupClosesAt != nil && !d.SignupOpensAt.Before(*d.SignupClosesAt) {
		f.Add("signupClosesAt", "activity.window", "Sign-up must close after it opens.")
	}
	if d.CancelDeadlineHours < 0 || d.CancelDeadlineHours > 24*30 {
		f.Add("cancelDeadlineHours", "activity.deadline", "Use 0 to 720 hours.")
	}
	if d.CompletionMinSessions < 0 {
		f.Add("completionMinSessions", "activity.completion", "Use 0 or more sessions.")
	}
	return f
}

func checkText(f *apperr.Fields, field string, t models.Text, max int, required bool) {
	if required && strings.TrimSpace(t.Da) == "" {
		f.Add(field+".da", "field.required", "This field is required.")
	}
	if utf8.RuneCountInString(t.Da) > max {
		f.Add(field+".da", "field.too_long", fmt.Sprintf("Use at most %d characters.", max))
	}
	if utf8.RuneCountInString(t.En) > max {
		f.Add(field+".en", "field.too_long", fmt.Sprintf("Use at most %d characters.", max))
	}
}

// Times is one session's start and end.
type Times struct {
	StartsAt time.Time
	EndsAt   time.Time
}

// CreateActivity adds an activity and, optionally, its first sessions.
func (s *Service) CreateActivity(ctx context.Context, p auth.Principal, d Details, sessions []Times) (Detail, error) {
	if err := auth.Require(p.Role, auth.ManageActivities); err != nil {
		return Detail{}, err
	}
	fields := d.check()
	if d.Kind == models.KindCelebration { // planned with CreateCelebration, which invites the participant
		fields.Add("kind", "activity.kind", "Choose sport, network or course.")
	}
	fields = append(fields, checkTimes(sessions, s.now())...)
	if err := fields.Err(); err != nil {
		return Detail{}, err
	}
	if err := s.authorizeIn(ctx, p, auth.ManageActivities, auth.Subject{DepartmentID: d.DepartmentID}); err != nil {
		return Detail{}, err
	}
	if err := s.requireDepartment(ctx, d.DepartmentID); err != nil {
		return Detail{}, err
	}
	id := s.newID()
	if err := s.insertActivity(ctx, p, id, d, sessions); err != nil {
		return Detail{}, err
	}
	return s.Activity(ctx, p, id)
}

// insertActivity stores a checked activity under id with its sessions.
func (s *Service) insertActivity(ctx context.Context, p auth.Principal, id string, d Details, sessions []Times) error {
	now := s.now()
	a := apply(models.Activity{ID: id, State: models.StateScheduled, CreatedBy: p.UserID, CreatedAt: now}, d)
	a.UpdatedAt = now
	if err := s.store.InsertActivity(ctx, a); err != nil {
		return err
	}
	_, err := s.insertSessions(ctx, a.ID, sessions)
	return err
}

func apply(a models.Activity, d Details) models.Activity {
	a.Kind, a.Title, a.Description, a.WhatToBring = d.Kind, d.Title, d.Description, d.WhatToBring
	a.Location, a.DepartmentID, a.Mode, a.Capacity = strings.TrimSpace(d.Location), d.DepartmentID, d.Mode, d.Capacity
	a.RequiresApproval, a.SignupOpensAt, a.SignupClosesAt = d.RequiresApproval, d.SignupOpensAt, d.SignupClosesAt
	a.CancelDeadlineHours, a.CompletionMinSessions = d.CancelDeadlineHours, d.CompletionMinSessions
	return a
}

func (s *Service) requireDepartment(ctx context.Context, id string) error {
	_, err := s.store.Department(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.InvalidField("departmentId", "department.not_found", "No such department.")
	}
	return err
}

// checkTimes validates explicit session times: each ends after it starts,
// lasts at most 24 h, and lies in the future.
func checkTimes(ts []Times, now time.Time) apperr.Fields {
	var f apperr.Fields
	if len(ts) > MaxOccurrences {
		f.Add("sessions", "recurrence.too_many", fmt.Sprintf("Add at most %d sessions at a time.", MaxOccurrences))
	}
	for i, t := range ts {
		field := fmt.Sprintf("sessions[%d]", i)
		switch {
		case t.StartsAt.IsZero() || t.EndsAt.IsZero():
			f.Add(field, "field.required", "Give a start and an end.")
		case !t.EndsAt.After(t.StartsAt) || t.EndsAt.Sub(t.StartsAt) > 24*time.Hour:
			f.Add(field, "session.times", "A session ends after it starts, within 24 hours.")
		case !t.StartsAt.After(now):
			f.Add(field, "session.past", "A new session must start in the future.")
		}
	}
	return f
}

func (s *Service) insertSessions(ctx context.Context, activityID string, ts []Times) ([]models.Session, error) {
	out := make([]models.Session, len(ts))
	for i, t := range ts {
		out[i] = models.Session{ID: s.newID(), ActivityID: activityID, StartsAt: t.StartsAt.UTC(), EndsAt: t.EndsAt.UTC(), State: models.StateScheduled}
	}
	return out, s.store.InsertSessions(ctx, activityID, out)
}

// AddSessions adds sessions to an activity: explicit times, a weekly
// recurrence in Europe/Copenhagen, or both.
func (s *Service) AddSessions(ctx context.Context, p auth.Principal, activityID string, ts []Times, r *Recurrence) ([]models.Session, error) {
	if err := auth.Require(p.Role, auth.ManageActivities); err != nil {
		return nil, err
	}
	if r != nil {
		occ, err := Expand(*r)
		if err != nil {
			return nil, err
		}
		for _, o := range occ {
			ts = append(ts, Times{StartsAt: o.StartsAt, EndsAt: o.EndsAt})
		}
	}
	if len(ts) == 0 {
		return nil, apperr.InvalidField("sessions", "field.required", "Give sessions or a recurrence.")
	}
	if err := checkTimes(ts, s.now()).Err(); err != nil {
		return nil, err
	}
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeIn(ctx, p, auth.ManageActivities, auth.Subject{DepartmentID: a.DepartmentID}); err != nil {
		return nil, err
	}
	if a.State == models.StateCancelled {
		return nil, rule("activity.cancelled", "This activity has been cancelled.")
	}
	if a.Kind == models.KindCelebration {
		return nil, errSingleSession()
	}
	return s.insertSessions(ctx, a.ID, ts)
}

// UpdateActivity replaces an activity's details. Lowering the capacity
// below the number already confirmed is refused unless acceptDemotion is
// set: then the last confirmed move back to the waitlist and are told.
func (s *Service) UpdateActivity(ctx context.Context, p auth.Principal, id string, d Details, acceptDemotion bool) (Detail, error) {
	if err := auth.Require(p.Role, auth.ManageActivities); err != nil {
		return Detail{}, err
	}
	if err := d.check().Err(); err != nil {
		return Detail{}, err
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	// Moving an activity to another department needs both.
	for _, dept := range []string{a.DepartmentID, d.DepartmentID} {
		if err := s.authorizeIn(ctx, p, auth.ManageActivities, auth.Subject{DepartmentID: dept}); err != nil {
			return Detail{}, err
		}
	}
	if d.Mode != a.Mode {
		return Detail{}, apperr.InvalidField("mode", "activity.mode_fixed", "The enrolment mode cannot change after creation.")
	}
	if (d.Kind == models.KindCelebration) != (a.Kind == models.KindCelebration) {
		return Detail{}, apperr.InvalidField("kind", "activity.kind_fixed", "A celebration stays a celebration, and other activities cannot become one.")
	}
	if d.DepartmentID != a.DepartmentID {
		if err := s.requireDepartment(ctx, d.DepartmentID); err != nil {
			return Detail{}, err
		}
	}
	queues, err := s.openQueues(ctx, a)
	if err != nil {
		return Detail{}, err
	}
	var demoted int
	if d.Capacity < a.Capacity {
		for _, q := range queues {
			head, err := s.store.Queue(ctx, a.ID, q, a.Capacity)
			if err != nil {
				return Detail{}, err
			}
			demoted += max(0, len(head)-d.Capacity)
		}
	}
	if demoted > 0 && !acceptDemotion {
		e := apperr.New(apperr.Conflict, "activity.capacity_below_confirmed",
			fmt.Sprintf("%d confirmed participant(s) would move back to the waitlist. Send acceptDemotion to do so; they will be told.", demoted))
		return Detail{}, e
	}
	updated := apply(a, d)
	updated.UpdatedAt = s.now()
	if err := s.store.UpdateActivityDetails(ctx, updated); err != nil {
		return Detail{}, err
	}
	// Every open queue is reconciled with the capacity now stored, even if
	// it did not change: a retry after a failure finishes what was left.
	for _, q := range queues {
		if err := s.withQueue(ctx, a.ID, q, func() error { return s.reconcile(ctx, a.ID, q) }); err != nil {
			return Detail{}, err
		}
	}
	return s.Activity(ctx, p, a.ID)
}

// reconcile brings one queue in line with the activity's capacity: those
// beyond it who were not told they are waitlisted are told they moved back
// (and will hear once when promoted again); those within it who were told
// are promoted. The caller holds the queue.
func (s *Service) reconcile(ctx context.Context, activityID, queue string) error {
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return err
	}
	all, err := s.store.Queue(ctx, a.ID, queue, 0)
	if err != nil {
		return err
	}
	now := s.now()
	for rank, e := range all {
		if rank < a.Capacity || e.WaitlistedAt != nil {
			continue
		}
		key := "enrollment.demoted:" + e.ID + ":" + a.UpdatedAt.Format(time.RFC3339Nano)
		if err := s.record(ctx, "enrollment.demoted", e.ParticipantID, key, map[string]any{"activityId": a.ID, "sessionId": e.SessionID, "enrollmentId": e.ID}); err != nil {
			return err
		}
		if err := s.store.MarkWaitlisted(ctx, e.ID, now); err != nil {
			return err
		}
	}
	return s.settle(ctx, a, queue)
}

// openQueues lists the queues of an activity that can still change: ""
// for mode activity, and for drop-in activities each scheduled session that
// has not started (past sessions keep the rosters they had).
func (s *Service) openQueues(ctx context.Context, a models.Activity) ([]string, error) {
	if a.Mode == models.ModeActivity {
		return []string{""}, nil
	}
	sessions, err := s.store.Sessions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []string
	for _, ss := range sessions {
		if ss.State == models.StateScheduled && ss.StartsAt.After(now) {
			out = append(out, ss.ID)
		}
	}
	return out, nil
}

// CancelActivity cancels an activity and all its sessions; everyone with an
// open enrolment is told. Nothing is deleted.
func (s *Service) CancelActivity(ctx context.Context, p auth.Principal, id string) (Detail, error) {
	if err := auth.Require(p.Role, auth.ManageActivities); err != nil {
		return Detail{}, err
	}
	before, err := s.store.Activity(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if err := s.authorizeIn(ctx, p, auth.ManageActivities, auth.Subject{DepartmentID: before.DepartmentID}); err != nil {
		return Detail{}, err
	}
	if err := s.store.CancelActivity(ctx, id, s.now()); err != nil {
		return Detail{}, err
	}
	if err := s.tellEnrolled(ctx, models.EnrollmentFilter{ActivityID: id}, "activity.cancelled", id, map[string]any{"activityId": id}); err != nil {
		return Detail{}, err
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if a.Kind == models.KindCelebration {
		if err := s.celebrationCancelled(ctx, id); err != nil {
			return Detail{}, err
		}
	}
	return s.Activity(ctx, p, id)
}

// CancelSession cancels one session; those enrolled in it (mode session) or
// in its activity (mode activity) are told.
func (s *Service) CancelSession(ctx context.Context, p auth.Principal, sessionID string) (models.Session, error) {
	if err := auth.Require(p.Role, auth.ManageActivities); err != nil {
		return models.Session{}, err
	}
	ss, err := s.store.Session(ctx, sessionID)
	if err != nil {
		return models.Session{}, err
	}
	a, err := s.store.Activity(ctx, ss.ActivityID)
	if err == nil {
		err = s.authorizeIn(ctx, p, auth.ManageActivities, auth.Subject{DepartmentID: a.DepartmentID})
	}
	if err != nil {
		return models.Session{}, err
	}
	if a.Kind == models.KindCelebration {
		return models.Session{}, errSingleSession()
	}
	if err := s.store.CancelSession(ctx, ss.ID, s.now()); err != nil {
		return models.Session{}, err
	}
	f := models.EnrollmentFilter{ActivityID: a.ID}
	if a.Mode == models.ModeSession {
		f.SessionID = &ss.ID
	}
	params := map[string]any{"activityId": a.ID, "sessionId": ss.ID, "startsAt": ss.StartsAt}
	if err := s.tellEnrolled(ctx, f, "session.cancelled", ss.ID, params); err != nil {
		return models.Session{}, err
	}
	return s.store.Session(ctx, ss.ID)
}

// tellEnrolled records one event per open enrolment matching f.
func (s *Service) tellEnrolled(ctx context.Context, f models.EnrollmentFilter, typ, about string, params map[string]any) error {
	f.States = []models.EnrollmentState{models.EnrollQueued, models.EnrollAwaitingApproval}
	return s.eachEnrollment(ctx, f, func(e models.Enrollment) error {
		return s.record(ctx, typ, e.ParticipantID, typ+":"+about+":"+e.ID, params)
	})
}

// eachEnrollment calls fn for every enrolment matching f, page by page.
func (s *Service) eachEnrollment(ctx context.Context, f models.EnrollmentFilter, fn func(models.Enrollment) error) error {
	for pg := (models.Page{Limit: 100}); ; {
		items, next, err := s.store.Enrollments(ctx, f, pg)
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := fn(e); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		pg.After = next
	}
}
