package checkin

import (
	"context"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Audience is who a check-in asks.
type Audience string

// The audiences.
const (
	AudienceDepartment Audience = "department" // the active participants of one department
	AudienceEveryone   Audience = "everyone"   // every active participant (admins only)
)

// SendInput is a new check-in.
type SendInput struct {
	Audience     Audience
	DepartmentID string // with AudienceDepartment; empty: the sender's own department
	OpenDays     *int   // how long answers are taken, 1–14 days; nil: seven (0 is refused, never read as left out)
}

func (in *SendInput) check(p auth.Principal) error {
	var f apperr.Fields
	switch in.Audience {
	case AudienceDepartment:
		if in.DepartmentID == "" {
			in.DepartmentID = p.DeptID
		}
		if in.DepartmentID == "" {
			f.Add("departmentId", "field.required", "Choose the department to ask.")
		}
	case AudienceEveryone:
		if in.DepartmentID != "" {
			f.Add("departmentId", "checkin.audience", "Leave departmentId out when asking everyone.")
		}
	default:
		f.Add("audience", "checkin.audience", "Choose department or everyone.")
	}
	if in.OpenDays == nil {
		days := defaultOpenDays
		in.OpenDays = &days
	}
	if *in.OpenDays < 1 || *in.OpenDays > maxOpenDays {
		f.Add("openDays", "checkin.open_days", "Keep a check-in open for 1 to 14 days.")
	}
	return f.Err()
}

// Send asks "Hvordan går det?": every active participant of the department
// (or of every department) gets one "checkin.sent" event and a recipient
// record, in batches. A counselor asks their own department; an admin any
// department or everyone.
//
// If a send fails half-way, the sender's retry within a quarter of an hour
// to the same audience finishes the same check-in: those already asked are
// not asked again (their records and events are keyed by check-in and
// participant). Once a check-in is sent, sending again asks anew.
func (s *Service) Send(ctx context.Context, p auth.Principal, in SendInput) (models.CheckIn, error) {
	if err := auth.Require(p.Role, auth.SendCheckIn); err != nil {
		return models.CheckIn{}, err
	}
	if err := in.check(p); err != nil {
		return models.CheckIn{}, err
	}
	if err := auth.Authorize(p, auth.SendCheckIn, auth.Subject{DepartmentID: in.DepartmentID}); err != nil {
		return models.CheckIn{}, err
	}
	if in.DepartmentID != "" {
		_, err := s.store.Department(ctx, in.DepartmentID)
		if apperr.Is(err, apperr.NotFound) {
			return models.CheckIn{}, apperr.InvalidField("departmentId", "department.not_found", "No such department.")
		}
		if err != nil {
			return models.CheckIn{}, err
		}
	}
	now := s.now()
	c, err := s.store.UnsentCheckIn(ctx, p.UserID, in.DepartmentID, now.Add(-resumeWithin))
	if apperr.Is(err, apperr.NotFound) {
		c = models.CheckIn{
			ID: s.newID(), SenderID: p.UserID, DepartmentID: in.DepartmentID,
			CreatedAt: now, ClosesAt: now.AddDate(0, 0, *in.OpenDays),
		}
		err = s.store.InsertCheckIn(ctx, c)
	}
	if err != nil {
		return models.CheckIn{}, errf("start check-in", err)
	}
	n, err := s.fanOut(ctx, c)
	if err != nil {
		return models.CheckIn{}, errf("ask participants", err)
	}
	sent := s.now()
	if err := s.store.FinishCheckIn(ctx, c.ID, n, sent); err != nil {
		return models.CheckIn{}, err
	}
	c.SentAt, c.Recipients = &sent, n
	return c, nil
}

// fanOut asks every active participant of the check-in's audience, a batch
// at a time, and returns how many were asked. Recipients are recorded
// before their events, so whoever is notified can answer.
func (s *Service) fanOut(ctx context.Context, c models.CheckIn) (int, error) {
	f := models.UserFilter{Roles: []models.Role{models.RoleParticipant}, DepartmentID: c.DepartmentID}
	n := 0
	for pg := (models.Page{Limit: s.batch}); ; {
		users, next, err := s.store.Users(ctx, f, pg)
		if err != nil {
			return n, err
		}
		now := s.now()
		rs := make([]models.CheckInRecipient, 0, len(users))
		es := make([]models.Event, 0, len(users))
		for _, u := range users {
			if u.Status != models.StatusActive || u.WithdrawnAt != nil {
				continue // not using the app (yet, or any more): nobody to ask
			}
			rs = append(rs, models.CheckInRecipient{
				ID: models.CheckInRecipientID(c.ID, u.ID), CheckInID: c.ID, ParticipantID: u.ID, DepartmentID: u.DepartmentID,
			})
			es = append(es, s.eventFor(c, u.ID, now))
		}
		if err := s.store.InsertCheckInRecipients(ctx, rs); err != nil {
			return n, err
		}
		if err := s.store.RecordEvents(ctx, es); err != nil {
			return n, err
		}
		n += len(rs)
		if next == "" {
			return n, nil
		}
		pg.After = next
	}
}
