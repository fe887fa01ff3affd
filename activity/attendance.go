package activity

import (
	"context"
	"fmt"
	"math"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Mark is one attendance entry as a coordinator records it.
type Mark struct {
	EnrollmentID string
	Mark         models.AttendanceMark
}

// maxMarks bounds one bulk recording (a large roster fits).
const maxMarks = 500

// RecordAttendance records attended / no-show / excused for enrolments in
// one session, in bulk and also after the fact. Only enrolments that cover
// the session and were not cancelled can be marked. Recording again
// replaces a mark.
func (s *Service) RecordAttendance(ctx context.Context, p auth.Principal, sessionID string, marks []Mark) ([]models.Attendance, error) {
	if err := auth.Require(p.Role, auth.RecordAttendance); err != nil {
		return nil, err
	}
	var fields apperr.Fields
	switch {
	case len(marks) == 0:
		fields.Add("entries", "field.required", "Give at least one entry.")
	case len(marks) > maxMarks:
		fields.Add("entries", "attendance.too_many", fmt.Sprintf("Give at most %d entries at a time.", maxMarks))
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	ss, err := s.store.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	a, err := s.store.Activity(ctx, ss.ActivityID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeIn(ctx, p, auth.RecordAttendance, auth.Subject{DepartmentID: a.DepartmentID}); err != nil {
		return nil, err
	}
	if ss.State == models.StateCancelled {
		return nil, rule("session.cancelled", "This session has been cancelled.")
	}
	now := s.now()
	if now.Before(ss.StartsAt) {
		return nil, rule("attendance.too_early", "Attendance can be recorded once the session has started.")
	}
	out := make([]models.Attendance, 0, len(marks))
	for i, m := range marks {
		if !m.Mark.Valid() {
			fields.Add(fmt.Sprintf("entries[%d].mark", i), "attendance.mark", "Choose attended, no_show or excused.")
		}
		e, err := s.store.Enrollment(ctx, m.EnrollmentID)
		covers := err == nil && e.ActivityID == ss.ActivityID && (e.SessionID == "" || e.SessionID == ss.ID) && e.State == models.EnrollQueued
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if !covers {
			fields.Add(fmt.Sprintf("entries[%d].enrollmentId", i), "attendance.not_enrolled", "This person is not signed up for this session.")
			continue
		}
		out = append(out, models.Attendance{
			ID: ss.ID + "/" + e.ParticipantID, ActivityID: ss.ActivityID, SessionID: ss.ID,
			EnrollmentID: e.ID, ParticipantID: e.ParticipantID, Mark: m.Mark, RecordedBy: p.UserID, RecordedAt: now,
		})
	}
	if err := fields.Err(); err != nil {
		return nil, err // nothing is recorded unless every entry is right
	}
	if err := s.store.RecordAttendance(ctx, out); err != nil {
		return nil, err
	}
	for _, a := range out {
		p.Saw(auth.RecordAttendance, a.ParticipantID)
	}
	return out, nil
}

// Figures are an activity's numbers for coordinators.
type Figures struct {
	ActivityID string `json:"activityId"`
	Capacity   int    `json:"capacity"` // per activity, or per session for drop-in activities
	Sessions   int    `json:"sessions"` // scheduled (not cancelled)
	// Seats and Confirmed are summed over all queues (the activity, or each
	// session of a drop-in activity); FillRatePct = Confirmed / Seats.
	Seats          int     `json:"seats"`
	Confirmed      int     `json:"confirmed"`
	FillRatePct    float64 `json:"fillRatePct"`
	WaitlistLength int     `json:"waitlistLength"`
	// Marks recorded so far; NoShowRatePct = NoShow / all marks.
	Attended      int     `json:"attended"`
	NoShow        int     `json:"noShow"`
	Excused       int     `json:"excused"`
	NoShowRatePct float64 `json:"noShowRatePct"`
	// Completed counts activity-mode enrolments that attended at least
	// CompletionMinSessions sessions (0 when no minimum is set).
	Completed int `json:"completed"`
}

// Figures computes fill rate, waitlist length, no-show rate and
// completions. How: every figure is counted from the enrolment and
// attendance records at the time of asking; nothing is stored.
func (s *Service) Figures(ctx context.Context, p auth.Principal, activityID string) (Figures, error) {
	if err := auth.Require(p.Role, auth.ReadRoster); err != nil {
		return Figures{}, err
	}
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return Figures{}, err
	}
	if err := s.authorizeIn(ctx, p, auth.ReadRoster, auth.Subject{DepartmentID: a.DepartmentID}); err != nil {
		return Figures{}, err
	}
	sessions, err := s.store.Sessions(ctx, a.ID)
	if err != nil {
		return Figures{}, err
	}
	f := Figures{ActivityID: a.ID, Capacity: a.Capacity}
	queues := []string{""}
	if a.Mode == models.ModeSession {
		queues = queues[:0]
	}
	for _, ss := range sessions {
		if ss.State == models.StateScheduled {
			f.Sessions++
			if a.Mode == models.ModeSession {
				queues = append(queues, ss.ID)
			}
		}
	}
	queued, err := s.store.QueuedBySession(ctx, a.ID) // "" is the whole-activity queue
	if err != nil {
		return Figures{}, err
	}
	for _, q := range queues {
		n := queued[q]
		f.Seats += a.Capacity
		f.Confirmed += min(n, a.Capacity)
		f.WaitlistLength += max(0, n-a.Capacity)
	}
	marks, err := s.store.AttendanceOf(ctx, a.ID)
	if err != nil {
		return Figures{}, err
	}
	attended := map[string]int{}
	for _, m := range marks {
		switch m.Mark {
		case models.MarkAttended:
			f.Attended++
			attended[m.EnrollmentID]++
		case models.MarkNoShow:
			f.NoShow++
		case models.MarkExcused:
			f.Excused++
		}
	}
	if a.Mode == models.ModeActivity && a.CompletionMinSessions > 0 {
		for _, n := range attended {
			if n >= a.CompletionMinSessions {
				f.Completed++
			}
		}
	}
	f.FillRatePct = pct(f.Confirmed, f.Seats)
	f.NoShowRatePct = pct(f.NoShow, f.Attended+f.NoShow+f.Excused)
	return f, nil
}

// pct is part/whole in percent with one decimal, 0 when whole is 0.
func pct(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}
