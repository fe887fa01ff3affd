package activity

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// visibleStates are the enrolments people see; an approved request is shown
// as the enrolment it became.
var visibleStates = []models.EnrollmentState{
	models.EnrollAwaitingApproval, models.EnrollQueued, models.EnrollDeclined, models.EnrollCancelled,
}

// Status derives what a participant sees from a stored enrolment and, for
// a queued one, its rank: the pure rule behind every seat count.
func Status(e models.Enrollment, rank, capacity int) (models.EnrollmentStatus, int) {
	switch e.State {
	case models.EnrollAwaitingApproval:
		return models.StatusAwaitingApproval, 0
	case models.EnrollDeclined:
		return models.StatusDeclined, 0
	case models.EnrollQueued:
		if rank < capacity {
			return models.StatusConfirmed, 0
		}
		return models.StatusWaitlisted, rank - capacity + 1
	}
	// Cancelled, and anything unknown: never shown as holding a seat.
	return models.StatusCancelled, 0
}

// view ranks e in its queue and derives its status. Queue numbers start
// at 1 and only those ahead count, so a number within the capacity holds a
// seat whatever happened ahead of it: only a later number is counted.
func (s *Service) view(ctx context.Context, e models.Enrollment, capacity int) (models.EnrollmentView, error) {
	rank := 0
	if e.State == models.EnrollQueued && e.QueueNo > int64(capacity) {
		var err error
		if rank, err = s.store.CountAhead(ctx, e.ActivityID, e.SessionID, e.QueueNo); err != nil {
			return models.EnrollmentView{}, err
		}
	}
	st, pos := Status(e, rank, capacity)
	return models.EnrollmentView{Enrollment: e, Status: st, WaitlistPosition: pos}, nil
}

// SignUp enrols the calling participant in an activity (mode activity) or
// one of its sessions (mode session). Signing up again while the first
// enrolment is open returns that enrolment (created is then false). For an
// activity that needs approval the enrolment waits for a decision.
func (s *Service) SignUp(ctx context.Context, p auth.Principal, activityID, sessionID string) (v models.EnrollmentView, created bool, err error) {
	if err := auth.Authorize(p, auth.SignUp, auth.Subject{ParticipantID: p.UserID}); err != nil {
		return v, false, err
	}
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return v, false, err
	}
	if a.Kind == models.KindCelebration {
		if hidden, err := s.hiddenFrom(ctx, p, a); err != nil || hidden {
			return v, false, cmp.Or(err, errActivityNotFound())
		}
		return v, false, rule("activity.invitation_only", "A celebration is by invitation: answer the invitation instead of signing up.")
	}
	keys := []string{slotKey(a.ID, sessionID, p.UserID)}
	if a.RequiresApproval {
		keys = append(keys, requestKey(a.ID, sessionID, p.UserID))
	}
	if err := s.checkOpen(ctx, a, sessionID); err != nil {
		// Closed now, but a repeat of an earlier sign-up still gets its
		// enrolment back.
		if prev, ok, ferr := s.openEnrollment(ctx, keys...); ok && ferr == nil {
			v, err = s.view(ctx, prev, a.Capacity)
			return v, false, err
		}
		return v, false, err
	}
	e := models.Enrollment{
		ID: s.newID(), ActivityID: a.ID, SessionID: sessionID, ParticipantID: p.UserID,
		CreatedAt: s.now(),
	}
	if a.RequiresApproval {
		// Already approved and queued (or already asked): that enrolment is
		// the answer.
		prev, ok, err := s.openEnrollment(ctx, keys...)
		if err != nil {
			return v, false, err
		}
		if ok {
			if prev.State == models.EnrollAwaitingApproval {
				// A retry after a failure makes sure the decider was told
				// (once: the events are deduplicated).
				if err := s.askForApproval(ctx, a, prev); err != nil {
					return v, false, err
				}
			}
			v, err = s.view(ctx, prev, a.Capacity)
			return v, false, err
		}
		e.State, e.SlotKey = models.EnrollAwaitingApproval, requestKey(a.ID, sessionID, p.UserID)
		e.Ticket = "request/" + e.ID
		err = s.store.InsertEnrollment(ctx, e)
		v = models.EnrollmentView{Enrollment: e, Status: models.StatusAwaitingApproval}
	} else {
		e.State, e.SlotKey = models.EnrollQueued, slotKey(a.ID, sessionID, p.UserID)
		v, err = s.joinQueue(ctx, a, e)
	}
	if apperr.Is(err, apperr.Conflict) {
		// A repeated sign-up (a retry, a double tap): the open one answers.
		prev, ok, ferr := s.openEnrollment(ctx, keys...)
		if ferr != nil || !ok { // closed again in between: let the app retry
			return models.EnrollmentView{}, false, cmp.Or(ferr, err)
		}
		v, err = s.view(ctx, prev, a.Capacity)
		return v, false, err
	}
	if err != nil {
		return models.EnrollmentView{}, false, err
	}
	if e.State == models.EnrollAwaitingApproval {
		if err := s.askForApproval(ctx, a, e); err != nil {
			return models.EnrollmentView{}, false, err
		}
	}
	return v, true, nil
}

// openEnrollment returns the open enrolment holding one of keys.
func (s *Service) openEnrollment(ctx context.Context, keys ...string) (models.Enrollment, bool, error) {
	for _, k := range keys {
		e, err := s.store.EnrollmentBySlot(ctx, k)
		if err == nil {
			return e, true, nil
		}
		if !apperr.Is(err, apperr.NotFound) {
			return e, false, err
		}
	}
	return models.Enrollment{}, false, nil
}

// queueLease bounds how long one change may hold its queue: far longer
// than the few milliseconds it needs, short enough that a crashed holder
// delays the others only briefly.
const queueLease = 10 * time.Second

// withQueue runs f while holding the queue of (activityID, sessionID).
//
// Every change to a queue — joining, leaving, a new capacity — happens
// inside it, so a rank counted inside it is exact and stays exact: nobody
// can join ahead later, and whoever leaves settles the queue after. The
// hold is an in-process lock (waiting requests wait in Go) plus a lease in
// the database for other processes: an insert of {_id: queue}, which the
// unique _id gives to one holder at a time. No counter is incremented.
func (s *Service) withQueue(ctx context.Context, activityID, sessionID string, f func() error) error {
	name, holder := "queue/"+activityID+"/"+sessionID, s.newID()
	release, err := s.locks.lock(ctx, name)
	if err != nil {
		return err
	}
	defer release()
	for backoff := time.Millisecond; ; backoff = min(2*backoff, 20*time.Millisecond) {
		now := s.now()
		ok, err := s.store.TryLock(ctx, name, holder, now, now.Add(queueLease))
		if err != nil {
			return err
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff + time.Duration(rand.Int64N(int64(backoff)))):
		}
	}
	defer func() { _ = s.store.Unlock(context.WithoutCancel(ctx), name, holder) }()
	return f()
}

// joinQueue inserts e at the end of its queue and returns its status. The
// rank is counted while holding the queue, before the insert: everyone
// queued then is ahead, and nobody can join ahead later. A participant told
// "waitlisted" is marked so, and their promotion is announced once. A
// clash on the slot (the participant is already queued) is a Conflict.
func (s *Service) joinQueue(ctx context.Context, a models.Activity, e models.Enrollment) (models.EnrollmentView, error) {
	var v models.EnrollmentView
	err := s.withQueue(ctx, e.ActivityID, e.SessionID, func() error {
		// The capacity (and state) as of now, inside the hold: an edit that
		// finished a moment ago counts.
		a, err := s.store.Activity(ctx, a.ID)
		if err != nil {
			return err
		}
		if a.State == models.StateCancelled {
			return rule("activity.cancelled", "This activity has been cancelled.")
		}
		for {
			taken, queued, err := s.store.QueueCounts(ctx, e.ActivityID, e.SessionID)
			if err != nil {
				return err
			}
			// Tickets are dense (every enrolment that ever joined keeps its
			// own), so the next is taken + 1. The unique ticket index still
			// guards against a second holder if a lease expired under a
			// stalled one: then the insert clashes and the count is redone.
			e.QueueNo, e.Ticket = int64(taken)+1, fmt.Sprintf("%s/%s/%d", e.ActivityID, e.SessionID, taken+1)
			status, pos := Status(e, queued, a.Capacity)
			if status == models.StatusWaitlisted {
				now := s.now()
				e.WaitlistedAt = &now
			}
			err = s.store.InsertEnrollment(ctx, e)
			if err == nil {
				v = models.EnrollmentView{Enrollment: e, Status: status, WaitlistPosition: pos}
				return nil
			}
			if !apperr.Is(err, apperr.Conflict) {
				return err
			}
			if _, ok, ferr := s.openEnrollment(ctx, e.SlotKey); ok || ferr != nil {
				return cmp.Or(ferr, err) // the slot, not the ticket: already queued
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	})
	return v, err
}

// checkOpen refuses a sign-up the activity's rules do not allow now.
func (s *Service) checkOpen(ctx context.Context, a models.Activity, sessionID string) error {
	now := s.now()
	switch {
	case a.SignupOpensAt != nil && now.Before(*a.SignupOpensAt):
		return rule("signup.not_open", "Sign-up has not opened yet.")
	case a.SignupClosesAt != nil && !now.Before(*a.SignupClosesAt):
		return rule("signup.closed", "Sign-up has closed.")
	}
	return s.checkJoinable(ctx, a, sessionID)
}

// checkJoinable refuses joining a queue that is over or cancelled: signing
// up, and approving a request (the sign-up window does not bind a decision).
func (s *Service) checkJoinable(ctx context.Context, a models.Activity, sessionID string) error {
	now := s.now()
	if a.State == models.StateCancelled {
		return rule("activity.cancelled", "This activity has been cancelled.")
	}
	if a.Mode == models.ModeActivity {
		if sessionID != "" {
			return apperr.InvalidField("sessionId", "session.not_applicable", "This activity is signed up for as a whole.")
		}
		if a.FirstStartsAt == nil {
			return rule("activity.no_sessions", "This activity has no dates yet.")
		}
		if !now.Before(*a.FirstStartsAt) {
			return rule("activity.started", "This activity has already started.")
		}
		return nil
	}
	if sessionID == "" {
		return apperr.InvalidField("sessionId", "field.required", "Choose a session.")
	}
	ss, err := s.store.Session(ctx, sessionID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && ss.ActivityID != a.ID) {
		return apperr.InvalidField("sessionId", "session.not_found", "No such session.")
	}
	if err != nil {
		return err
	}
	if ss.State == models.StateCancelled {
		return rule("session.cancelled", "This session has been cancelled.")
	}
	if !now.Before(ss.StartsAt) {
		return rule("session.past", "This session has already started.")
	}
	return nil
}

// settle announces every promotion: the enrolments now within capacity that
// were told they were waitlisted get one "enrollment.promoted" event each,
// exactly once (the dedupe key names the enrolment and when it was told).
func (s *Service) settle(ctx context.Context, a models.Activity, sessionID string) error {
	head, err := s.store.Queue(ctx, a.ID, sessionID, a.Capacity)
	if err != nil {
		return err
	}
	for _, e := range head {
		if e.WaitlistedAt == nil {
			continue
		}
		key := "enrollment.promoted:" + e.ID + ":" + e.WaitlistedAt.UTC().Format(time.RFC3339Nano)
		params := map[string]any{"activityId": a.ID, "sessionId": sessionID, "enrollmentId": e.ID}
		if err := s.record(ctx, "enrollment.promoted", e.ParticipantID, key, params); err != nil {
			return err
		}
	}
	return nil
}

// enrollmentFor loads an enrolment, its activity and its participant, and
// checks that p may do act to it. Participants asking about someone else's
// enrolment learn nothing (NotFound).
func (s *Service) enrollmentFor(ctx context.Context, p auth.Principal, act auth.Action, id string) (models.Enrollment, models.Activity, error) {
	if err := auth.Require(p.Role, act); err != nil {
		return models.Enrollment{}, models.Activity{}, err
	}
	notFound := apperr.New(apperr.NotFound, "enrollment.not_found", "No such enrolment.")
	e, err := s.store.Enrollment(ctx, id)
	if err == nil && e.State == models.EnrollApproved {
		e, err = s.store.Enrollment(ctx, e.ApprovedAs) // the request became this enrolment
	}
	if apperr.Is(err, apperr.NotFound) {
		return e, models.Activity{}, notFound
	}
	if err != nil {
		return e, models.Activity{}, err
	}
	a, err := s.store.Activity(ctx, e.ActivityID)
	if err != nil {
		return e, models.Activity{}, err
	}
	subject := auth.Subject{ParticipantID: e.ParticipantID, DepartmentID: a.DepartmentID}
	// Who the counselor is matters to counselors, and to a coordinator
	// deciding (only for a participant without an active counselor).
	if p.Role == models.RoleCounselor || (p.Role == models.RoleCoordinator && act == auth.DecideEnrollment) {
		if subject, err = s.decidersOf(ctx, e.ParticipantID, a.DepartmentID); err != nil {
			return e, models.Activity{}, err
		}
	}
	if err := s.authorizeIn(ctx, p, act, subject); err != nil {
		if p.Role == models.RoleParticipant {
			return e, models.Activity{}, notFound
		}
		return e, models.Activity{}, err
	}
	return e, a, nil
}

// decidersOf returns the subject for a participant's sign-up to an
// activity of department dept: their counselor only while that account is
// active (else none, and a coordinator of the department decides), and the
// stand-in while the counselor is away.
func (s *Service) decidersOf(ctx context.Context, participantID, dept string) (auth.Subject, error) {
	u, err := s.store.User(ctx, participantID)
	if err != nil {
		return auth.Subject{}, err
	}
	subject := auth.SubjectOf(u)
	subject.DepartmentID = dept
	if subject.CounselorID == "" {
		return subject, nil
	}
	c, err := s.store.User(ctx, subject.CounselorID)
	switch {
	case apperr.Is(err, apperr.NotFound) || (err == nil && c.Status != models.StatusActive):
		subject.CounselorID = ""
		return subject, nil
	case err != nil:
		return auth.Subject{}, err
	}
	away, ok, err := s.absences.ActiveAbsence(ctx, subject.CounselorID, s.now())
	if err != nil {
		return auth.Subject{}, err
	}
	if ok {
		subject.StandInID = away.StandInID
	}
	return subject, nil
}

// Cancel cancels an enrolment: the participant's own, or any for a
// coordinator. Cancelling after the deadline is allowed and marked late.
// The freed seat goes to the next in the queue at once.
func (s *Service) Cancel(ctx context.Context, p auth.Principal, id string) (models.EnrollmentView, error) {
	e, a, err := s.enrollmentFor(ctx, p, auth.CancelEnrollment, id)
	if err != nil {
		return models.EnrollmentView{}, err
	}
	return s.cancel(ctx, p.UserID, e, a, false)
}

// cancel closes e on behalf of byID (the caller has checked who may). An
// enrolment whose commitment has started cannot be cancelled, unless
// leaving (the participant has left the programme, so the seat goes on).
func (s *Service) cancel(ctx context.Context, byID string, e models.Enrollment, a models.Activity, leaving bool) (models.EnrollmentView, error) {
	if e.State == models.EnrollCancelled || e.State == models.EnrollDeclined {
		if e.State == models.EnrollCancelled && e.QueueNo > 0 {
			// A retry after a failure: make sure the freed seat was passed on
			// (settle's events are deduplicated, so this never doubles them).
			if err := s.withQueue(ctx, e.ActivityID, e.SessionID, func() error { return s.settleNow(ctx, a.ID, e.SessionID) }); err != nil {
				return models.EnrollmentView{}, err
			}
		}
		return s.view(ctx, e, a.Capacity) // already closed: same answer again
	}
	start, err := s.startOf(ctx, a, e.SessionID)
	if err != nil {
		return models.EnrollmentView{}, err
	}
	now := s.now()
	if start != nil && !now.Before(*start) && !leaving {
		return models.EnrollmentView{}, rule("enrollment.started", "This has already started and can no longer be cancelled.")
	}
	late := start != nil && now.After(start.Add(-time.Duration(a.CancelDeadlineHours)*time.Hour))
	leave := func() error {
		changed, err := s.store.ChangeEnrollment(ctx, e.ID, models.EnrollmentChange{
			From: []models.EnrollmentState{models.EnrollQueued, models.EnrollAwaitingApproval},
			To:   models.EnrollCancelled, At: now, By: byID, Late: late,
		})
		if err != nil || !changed || e.State != models.EnrollQueued {
			return err
		}
		return s.settleNow(ctx, a.ID, e.SessionID) // the freed seat goes to the next at once
	}
	if e.State == models.EnrollQueued {
		err = s.withQueue(ctx, e.ActivityID, e.SessionID, leave)
	} else {
		err = leave() // a request waiting for approval is not in the queue
	}
	if err != nil {
		return models.EnrollmentView{}, err
	}
	after, err := s.store.Enrollment(ctx, e.ID)
	if err != nil {
		return models.EnrollmentView{}, err
	}
	if after.State == models.EnrollApproved && e.State == models.EnrollAwaitingApproval {
		// Approved while we were cancelling: cancel what it became.
		became, err := s.store.Enrollment(ctx, after.ApprovedAs)
		if err != nil {
			return models.EnrollmentView{}, err
		}
		return s.cancel(ctx, byID, became, a, leaving)
	}
	return s.view(ctx, after, a.Capacity)
}

// settleNow settles a queue with the activity as stored now; the caller
// holds the queue.
func (s *Service) settleNow(ctx context.Context, activityID, sessionID string) error {
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return err
	}
	return s.settle(ctx, a, sessionID)
}

// startOf is when an enrolment's commitment starts: its session, or the
// activity's first session.
func (s *Service) startOf(ctx context.Context, a models.Activity, sessionID string) (*time.Time, error) {
	if sessionID == "" {
		return a.FirstStartsAt, nil
	}
	ss, err := s.store.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	return &ss.StartsAt, nil
}

// Approve lets a request that waits for approval join the queue, at the
// time of approval, so it never bumps someone already confirmed. The
// request is closed as approved and a new, queued enrolment takes its place
// (append-only: the ticket is taken by an insert, never by an update).
func (s *Service) Approve(ctx context.Context, p auth.Principal, id string) (models.EnrollmentView, error) {
	req, a, err := s.enrollmentFor(ctx, p, auth.DecideEnrollment, id)
	if err != nil {
		return models.EnrollmentView{}, err
	}
	if req.State == models.EnrollQueued && req.DecidedAt != nil {
		// Approved before (this is what the request became): a retry after
		// a failure makes sure the participant was told, then says so.
		if err := s.recordApproved(ctx, a, req); err != nil {
			return models.EnrollmentView{}, err
		}
	}
	if req.State != models.EnrollAwaitingApproval {
		return models.EnrollmentView{}, errNotAwaiting()
	}
	if err := s.checkJoinable(ctx, a, req.SessionID); err != nil {
		return models.EnrollmentView{}, err
	}
	now := s.now()
	e := models.Enrollment{
		ID: s.newID(), ActivityID: req.ActivityID, SessionID: req.SessionID, ParticipantID: req.ParticipantID,
		State: models.EnrollQueued, SlotKey: slotKey(req.ActivityID, req.SessionID, req.ParticipantID),
		CreatedAt: req.CreatedAt, DecidedAt: &now, DecidedBy: p.UserID,
	}
	v, err := s.joinQueue(ctx, a, e)
	if apperr.Is(err, apperr.Conflict) { // approved a moment ago by someone else
		prev, ok, ferr := s.openEnrollment(ctx, e.SlotKey)
		if ferr != nil || !ok {
			return models.EnrollmentView{}, cmp.Or(ferr, err)
		}
		e = prev
		if v, err = s.view(ctx, e, a.Capacity); err != nil {
			return models.EnrollmentView{}, err
		}
	}
	if err != nil {
		return models.EnrollmentView{}, err
	}
	e = v.Enrollment
	changed, err := s.store.ChangeEnrollment(ctx, req.ID, models.EnrollmentChange{
		From: []models.EnrollmentState{models.EnrollAwaitingApproval}, To: models.EnrollApproved,
		At: now, By: p.UserID, ApprovedAs: e.ID,
	})
	if err != nil {
		return models.EnrollmentView{}, err
	}
	if !changed {
		// Cancelled or declined while we approved: the seat we just took
		// is given back, and the decision stands as it was.
		err := s.withQueue(ctx, e.ActivityID, e.SessionID, func() error {
			if _, err := s.store.ChangeEnrollment(ctx, e.ID, models.EnrollmentChange{
				From: []models.EnrollmentState{models.EnrollQueued}, To: models.EnrollCancelled, At: now, By: p.UserID,
			}); err != nil {
				return err
			}
			return s.settleNow(ctx, a.ID, e.SessionID)
		})
		return models.EnrollmentView{}, cmp.Or(err, errNotAwaiting())
	}
	return v, s.recordApproved(ctx, a, e)
}

func errNotAwaiting() error {
	return apperr.New(apperr.Conflict, "enrollment.not_awaiting", "This enrolment is not waiting for approval.")
}

// recordApproved tells the participant their request was approved, once
// per approval (keyed by the enrolment it became).
func (s *Service) recordApproved(ctx context.Context, a models.Activity, e models.Enrollment) error {
	v, err := s.view(ctx, e, a.Capacity)
	if err != nil {
		return err
	}
	params := map[string]any{"activityId": a.ID, "sessionId": e.SessionID, "enrollmentId": e.ID, "status": string(v.Status)}
	return s.record(ctx, "enrollment.approved", e.ParticipantID, "enrollment.approved:"+e.ID, params)
}

// Decline refuses an enrolment that waits for approval, with an optional
// reason the participant sees.
func (s *Service) Decline(ctx context.Context, p auth.Principal, id, reason string) (models.EnrollmentView, error) {
	e, a, err := s.enrollmentFor(ctx, p, auth.DecideEnrollment, id)
	if err != nil {
		return models.EnrollmentView{}, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 1000 {
		return models.EnrollmentView{}, apperr.InvalidField("reason", "field.too_long", "Use at most 1000 characters.")
	}
	tell := func() error {
		params := map[string]any{"activityId": a.ID, "enrollmentId": e.ID}
		return s.record(ctx, "enrollment.declined", e.ParticipantID, "enrollment.declined:"+e.ID, params)
	}
	if e.State == models.EnrollDeclined {
		// Declined before: a retry after a failure makes sure the
		// participant was told, then says so.
		return models.EnrollmentView{}, cmp.Or(tell(), errNotAwaiting())
	}
	changed, err := s.store.ChangeEnrollment(ctx, e.ID, models.EnrollmentChange{
		From: []models.EnrollmentState{models.EnrollAwaitingApproval}, To: models.EnrollDeclined,
		At: s.now(), By: p.UserID, Reason: reason,
	})
	if err != nil {
		return models.EnrollmentView{}, err
	}
	if !changed {
		return models.EnrollmentView{}, errNotAwaiting()
	}
	if e, err = s.store.Enrollment(ctx, e.ID); err != nil {
		return models.EnrollmentView{}, err
	}
	if err := tell(); err != nil {
		return models.EnrollmentView{}, err
	}
	return s.view(ctx, e, a.Capacity)
}

// EnrollmentsOf lists a participant's enrolments with their status, the
// attendance recorded and, where the activity sets a minimum, whether it
// was completed: the participant's own view, or their counselor's.
func (s *Service) EnrollmentsOf(ctx context.Context, p auth.Principal, participantID string, pg models.Page) ([]models.EnrollmentView, string, error) {
	if err := auth.Require(p.Role, auth.ListEnrollmentsFor); err != nil {
		return nil, "", err
	}
	subject := auth.Subject{ParticipantID: participantID}
	if p.Role == models.RoleCounselor {
		u, err := s.store.User(ctx, participantID)
		if apperr.Is(err, apperr.NotFound) {
			return nil, "", apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
		}
		if err != nil {
			return nil, "", err
		}
		subject = auth.SubjectOf(u)
	}
	if err := auth.Authorize(p, auth.ListEnrollmentsFor, subject); err != nil {
		if p.Role == models.RoleParticipant {
			return nil, "", apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
		}
		return nil, "", err
	}
	items, next, err := s.store.Enrollments(ctx, models.EnrollmentFilter{ParticipantID: participantID, States: visibleStates}, pg)
	if err != nil || len(items) == 0 {
		return []models.EnrollmentView{}, next, err
	}
	// The page's activities and attendance in one read each.
	var activityIDs, enrollmentIDs []string
	for _, e := range items {
		activityIDs = append(activityIDs, e.ActivityID)
		enrollmentIDs = append(enrollmentIDs, e.ID)
	}
	activities, err := s.store.ActivitiesByID(ctx, slices.Compact(slices.Sorted(slices.Values(activityIDs))))
	if err != nil {
		return nil, "", err
	}
	attended, err := s.store.AttendanceOfEnrollments(ctx, enrollmentIDs)
	if err != nil {
		return nil, "", err
	}
	marks := map[string][]models.SessionMark{} // by enrolment
	for _, m := range attended {
		marks[m.EnrollmentID] = append(marks[m.EnrollmentID], models.SessionMark{SessionID: m.SessionID, Mark: m.Mark})
	}
	out := make([]models.EnrollmentView, 0, len(items))
	for _, e := range items {
		a, ok := activities[e.ActivityID]
		if !ok {
			return nil, "", fmt.Errorf("enrolment %s: activity %s is missing", e.ID, e.ActivityID)
		}
		v, err := s.view(ctx, e, a.Capacity)
		if err != nil {
			return nil, "", err
		}
		v.Attendance = marks[e.ID]
		if e.State == models.EnrollQueued {
			v.Completed = completedCourse(a, v.Attendance)
		}
		out = append(out, v)
	}
	return out, next, nil
}

// ReleaseSeatsOf cancels every open enrolment of a participant who has
// left, a course already under way included, so their seats go to the next
// in the queue at once (the waiting are told as usual), rosters no longer
// show them and no reminder is recorded for them. Attendance already
// recorded stays until erasure. byID is the staff member or participant who
// ended the participation.
func (s *Service) ReleaseSeatsOf(ctx context.Context, participantID, byID string) error {
	open := []models.EnrollmentState{models.EnrollQueued, models.EnrollAwaitingApproval}
	return s.eachEnrollment(ctx, models.EnrollmentFilter{ParticipantID: participantID, States: open}, func(e models.Enrollment) error {
		a, err := s.store.Activity(ctx, e.ActivityID)
		if err != nil {
			return err
		}
		if _, err = s.cancel(ctx, byID, e, a, true); err != nil {
			return fmt.Errorf("release enrolment: %w", err)
		}
		return nil
	})
}
