package accounts

import (
	"context"
	"fmt"
	"strings"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// NewParticipant is what a counselor gives to enrol a participant.
type NewParticipant struct {
	Name         string
	DepartmentID string // default: the counselor's department
	CounselorID  string // default: the enrolling counselor
	Phone        string // optional contact
	Email        string // optional contact
}

// Enroll creates a participant in the invited state, assigns their
// counselor and issues the activation code the participant types in the app.
func (s *Service) Enroll(ctx context.Context, p auth.Principal, in NewParticipant) (models.User, models.IssuedCode, error) {
	if err := auth.Require(p.Role, auth.EnrollParticipant); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	if p.Role == models.RoleCounselor {
		if in.CounselorID == "" {
			in.CounselorID = p.UserID
		}
		if in.DepartmentID == "" {
			in.DepartmentID = p.DeptID
		}
	}
	var fields apperr.Fields
	u := models.User{
		ID: s.newID(), Role: models.RoleParticipant, Name: strings.TrimSpace(in.Name),
		DepartmentID: in.DepartmentID, CounselorID: in.CounselorID,
		Status: models.StatusInvited, CreatedAt: s.now(),
	}
	checkName(&fields, "name", u.Name)
	if in.DepartmentID == "" {
		fields.Add("departmentId", "field.required", "This field is required.")
	}
	if in.CounselorID == "" {
		fields.Add("counselorId", "field.required", "This field is required.")
	}
	var err error
	if strings.TrimSpace(in.Phone) != "" {
		if u.Phone, err = NormalisePhone(in.Phone, "phone"); err != nil {
			fields = append(fields, fieldsOf(err)...)
		}
	}
	if strings.TrimSpace(in.Email) != "" {
		if u.Email, err = NormaliseEmail(in.Email, "email"); err != nil {
			fields = append(fields, fieldsOf(err)...)
		}
	}
	if err := fields.Err(); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	for _, check := range []func() error{
		func() error { return s.requireDepartment(ctx, in.DepartmentID) },
		func() error { return s.requireCounselor(ctx, in.CounselorID) },
	} {
		err := check()
		if apperr.Is(err, apperr.Invalid) {
			fields = append(fields, fieldsOf(err)...)
		} else if err != nil {
			return models.User{}, models.IssuedCode{}, err
		}
	}
	if err := fields.Err(); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	// A counselor may enrol for a colleague; the policy then governs access.
	if err := s.store.InsertUser(ctx, u); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	if err := s.store.InsertAssignment(ctx, models.CounselorAssignment{
		ID: s.newID(), ParticipantID: u.ID, CounselorID: u.CounselorID, AssignedBy: p.UserID, AssignedAt: u.CreatedAt,
	}); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	code, err := s.issueCode(ctx, p, u.ID)
	if err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	return u, code, nil
}

// ParticipantFilter narrows the participant list.
type ParticipantFilter struct {
	DepartmentID string
	CounselorID  string
}

// Participants lists participants. A counselor sees only those assigned to
// them, whatever the filter asks; an admin sees all.
func (s *Service) Participants(ctx context.Context, p auth.Principal, f ParticipantFilter, pg models.Page) ([]models.User, string, error) {
	if err := auth.Require(p.Role, auth.ListParticipants); err != nil {
		return nil, "", err
	}
	if p.Role != models.RoleAdmin {
		if f.CounselorID != "" && f.CounselorID != p.UserID {
			return nil, "", auth.ErrForbidden()
		}
		f.CounselorID = p.UserID
	}
	return s.store.Users(ctx, models.UserFilter{
		Roles: []models.Role{models.RoleParticipant}, DepartmentID: f.DepartmentID, CounselorID: f.CounselorID,
	}, pg)
}

// Participant returns one participant, if p may see them.
func (s *Service) Participant(ctx context.Context, p auth.Principal, id string) (models.User, error) {
	return s.participantFor(ctx, p, auth.ReadParticipant, id)
}

// participantFor loads participant id and checks that p may do a to them.
// The coarse role check comes first, so a role that may never do a learns
// nothing about whether id exists; staff who may do a to some participants
// get Forbidden for the others, participants get NotFound.
func (s *Service) participantFor(ctx context.Context, p auth.Principal, a auth.Action, id string) (models.User, error) {
	return auth.Participant(ctx, p, a, id, s.store.User)
}

// CounselorHistory lists who has been the participant's counselor and
// since when, oldest first: the history stays with the participant.
func (s *Service) CounselorHistory(ctx context.Context, p auth.Principal, participantID string, pg models.Page) ([]models.CounselorAssignment, string, error) {
	if _, err := s.participantFor(ctx, p, auth.ReadParticipant, participantID); err != nil {
		return nil, "", err
	}
	return s.store.Assignments(ctx, participantID, pg)
}

// ReissueCode issues a new activation code for a participant: the first
// code was lost or expired, or the participant forgot their password. The
// previous code stops working.
func (s *Service) ReissueCode(ctx context.Context, p auth.Principal, participantID string) (models.IssuedCode, error) {
	u, err := s.participantFor(ctx, p, auth.ManageParticipant, participantID)
	if err != nil {
		return models.IssuedCode{}, err
	}
	if u.WithdrawnAt != nil {
		return models.IssuedCode{}, auth.ErrParticipantWithdrawn()
	}
	return s.issueCode(ctx, p, u.ID)
}

// Reassign moves a participant to another counselor. The assignment joins
// the participant's history; both the participant and the new counselor are
// told through the outbox.
func (s *Service) Reassign(ctx context.Context, p auth.Principal, participantID, counselorID string) (models.User, error) {
	u, err := s.participantFor(ctx, p, auth.ReassignCounselor, participantID)
	if err != nil {
		return models.User{}, err
	}
	if counselorID == "" {
		return models.User{}, apperr.InvalidField("counselorId", "field.required", "This field is required.")
	}
	if counselorID == u.CounselorID {
		return u, nil
	}
	if err := s.requireCounselor(ctx, counselorID); err != nil {
		return models.User{}, err
	}
	now := s.now()
	a := models.CounselorAssignment{ID: s.newID(), ParticipantID: u.ID, CounselorID: counselorID, AssignedBy: p.UserID, AssignedAt: now}
	if err := s.store.InsertAssignment(ctx, a); err != nil {
		return models.User{}, err
	}
	if err := s.store.SetCounselor(ctx, u.ID, counselorID); err != nil {
		return models.User{}, err
	}
	u.CounselorID = counselorID
	for _, e := range []models.Event{
		{Type: "participant.counselor_changed", RecipientID: u.ID, Params: map[string]any{"counselorId": counselorID}},
		{Type: "counselor.participant_assigned", RecipientID: counselorID, Params: map[string]any{"participantId": u.ID}},
	} {
		e.ID, e.DedupeKey, e.CreatedAt, e.DueAt = s.newID(), e.Type+":"+a.ID, now, now
		if err := s.store.RecordEvent(ctx, e); err != nil {
			return models.User{}, fmt.Errorf("record %s: %w", e.Type, err)
		}
	}
	return u, nil
}

// requireCounselor turns an unknown or non-counselor ID into a field error.
func (s *Service) requireCounselor(ctx context.Context, id string) error {
	c, err := s.store.User(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && c.Role != models.RoleCounselor) {
		return apperr.InvalidField("counselorId", "counselor.not_found", "No such counselor.")
	}
	if err != nil {
		return fmt.Errorf("check counselor: %w", err)
	}
	return nil
}
