package activity

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Sign-ups that need approval (Klædt på til job) are the participant's
// counselor's to decide, or their stand-in's while they are away; a
// coordinator of the activity's department decides only for a participant
// without an active counselor (auth.DecideEnrollment).

// askForApproval tells whoever decides request that it waits for them: the
// counselor, and the stand-in while the counselor is away; without an active
// counselor, the coordinators of the activity's department. One event per
// recipient and request, so a retried sign-up tells nobody twice.
func (s *Service) askForApproval(ctx context.Context, a models.Activity, request models.Enrollment) error {
	subject, err := s.decidersOf(ctx, request.ParticipantID, a.DepartmentID)
	if err != nil {
		return err
	}
	var recipients []string
	switch {
	case subject.CounselorID != "":
		recipients = append(recipients, subject.CounselorID)
		if subject.StandInID != "" {
			recipients = append(recipients, subject.StandInID)
		}
	default:
		coordinators, _, err := s.store.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleCoordinator}, DepartmentID: a.DepartmentID},
			models.Page{Limit: 100}) // a department has a handful
		if err != nil {
			return err
		}
		for _, c := range coordinators {
			recipients = append(recipients, c.ID)
		}
	}
	params := map[string]any{"activityId": a.ID, "enrollmentId": request.ID, "participantId": request.ParticipantID}
	if request.SessionID != "" {
		params["sessionId"] = request.SessionID
	}
	for _, r := range recipients {
		if err := s.record(ctx, "enrollment.approval_requested", r, "enrollment.approval_requested:"+request.ID+":"+r, params); err != nil {
			return err
		}
	}
	return nil
}

// PendingApproval is a sign-up waiting for the reader's decision.
type PendingApproval struct {
	EnrollmentID    string      `json:"enrollmentId"`
	ActivityID      string      `json:"activityId"`
	ActivityTitle   models.Text `json:"activityTitle"`
	SessionID       string      `json:"sessionId,omitempty"`
	ParticipantID   string      `json:"participantId"`
	ParticipantName string      `json:"participantName"`
	RequestedAt     time.Time   `json:"requestedAt"`
	// CoveringFor is the absent counselor whose participant this is, when
	// the reader decides as their stand-in.
	CoveringFor string `json:"coveringFor,omitempty"`
}

// PendingApprovals lists the sign-ups waiting for a counselor's decision:
// those of their own participants and, while they stand in for an absent
// colleague, of that colleague's; oldest first, paged.
func (s *Service) PendingApprovals(ctx context.Context, p auth.Principal, pg models.Page) ([]PendingApproval, string, error) {
	if err := auth.Require(p.Role, auth.ListPendingApprovals); err != nil {
		return nil, "", err
	}
	covered, err := s.absences.AbsencesCoveredBy(ctx, p.UserID, s.now())
	if err != nil {
		return nil, "", err
	}
	counselors := []string{p.UserID}
	for _, a := range covered {
		counselors = append(counselors, a.CounselorID)
	}
	participants, err := s.store.ParticipantsOf(ctx, counselors)
	if err != nil {
		return nil, "", err
	}
	byID := make(map[string]models.User, len(participants))
	ids := make([]string, 0, len(participants))
	for _, u := range participants {
		byID[u.ID] = u
		ids = append(ids, u.ID)
	}
	requests, next, err := s.store.Enrollments(ctx, models.EnrollmentFilter{ParticipantIDs: ids, States: []models.EnrollmentState{models.EnrollAwaitingApproval}}, pg)
	if err != nil {
		return nil, "", err
	}
	activityIDs := make([]string, len(requests))
	for i, e := range requests {
		activityIDs[i] = e.ActivityID
	}
	acts, err := s.store.ActivitiesByID(ctx, activityIDs)
	if err != nil {
		return nil, "", err
	}
	out := make([]PendingApproval, 0, len(requests))
	for _, e := range requests {
		u := byID[e.ParticipantID]
		item := PendingApproval{EnrollmentID: e.ID, ActivityID: e.ActivityID, ActivityTitle: acts[e.ActivityID].Title, SessionID: e.SessionID,
			ParticipantID: e.ParticipantID, ParticipantName: u.Name, RequestedAt: e.CreatedAt}
		if u.CounselorID != p.UserID {
			item.CoveringFor = u.CounselorID
		}
		out = append(out, item)
	}
	return out, next, nil
}
