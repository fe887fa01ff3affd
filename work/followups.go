package work

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// A flexjob means leaving the pension and Jobbanken's target group, so it
// gets no follow-up meetings of its own.
func followsUp(e models.Employment) bool { return e.Type != models.EmploymentFlexjob }

// scheduleFollowUps creates the follow-ups of a new employment, those due
// today or later. A meeting already in the past when the employment is
// entered is not planned after the fact, except the 14-day talk: while the
// 3-month meeting is still ahead, a hire entered late gets it at once (on
// the first working day from today), kept with its rule date as
// ScheduledDate, so the counselor sees it as overdue (FollowUpView.Overdue).
func (s *Service) scheduleFollowUps(ctx context.Context, e models.Employment) error {
	if !followsUp(e) {
		return nil
	}
	start, _ := parseDay(e.StartDate)
	dates := FollowUpDates(start)
	for _, d := range dates {
		due := day(d.Due)
		date, ok := s.followUpDate(d.Kind, due, dates)
		if !ok {
			continue
		}
		f := models.FollowUp{
			ID: e.ID + "-" + string(d.Kind), ParticipantID: e.ParticipantID, EmploymentID: e.ID, Kind: string(d.Kind),
			Date: date, ScheduledDate: due, Status: models.FollowUpPlanned, UpdatedAt: s.now(),
		}
		if err := s.store.InsertFollowUp(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// followUpDate is the date to plan a meeting of kind, due on due, for: due
// itself when it is today or later; for a 14-day talk already past while
// the 3-month meeting (dates[1]) is still ahead, the first working day from
// today; otherwise none (false).
func (s *Service) followUpDate(kind FollowUpKind, due string, dates []FollowUpDue) (string, bool) {
	today := s.today()
	switch {
	case due >= day(today):
		return due, true
	case kind == FollowUp14Days && day(dates[1].Due) > day(today):
		return day(NextWorkingDay(today)), true
	}
	return "", false
}

// rescheduleFollowUps moves the follow-ups still planned when the start
// date or type changed, and adds those that became due. Meetings done,
// moved by hand or cancelled stay as they are.
func (s *Service) rescheduleFollowUps(ctx context.Context, e models.Employment) error {
	existing, err := s.store.FollowUpsOf(ctx, e.ID)
	if err != nil {
		return err
	}
	start, _ := parseDay(e.StartDate)
	dates := FollowUpDates(start)
	due := map[string]string{}
	for _, d := range dates {
		due[string(d.Kind)] = day(d.Due)
	}
	for _, f := range existing {
		replan := f.Status == models.FollowUpCancelled && f.AutoCancelled
		if f.Status != models.FollowUpPlanned && !replan {
			continue
		}
		date, ok := s.followUpDate(FollowUpKind(f.Kind), due[f.Kind], dates)
		switch {
		case !followsUp(e) || !ok:
			f.Status, f.AutoCancelled = models.FollowUpCancelled, true
		default:
			f.Date, f.ScheduledDate, f.Status, f.AutoCancelled = date, due[f.Kind], models.FollowUpPlanned, false
		}
		f.UpdatedAt = s.now()
		if err := s.store.SetFollowUp(ctx, f); err != nil {
			return err
		}
	}
	return s.scheduleFollowUps(ctx, e) // adds the kinds not there yet; the _id keeps the others
}

// cancelFollowUpsAfter cancels the follow-ups still to be held (planned or
// moved) after an employment's last day.
func (s *Service) cancelFollowUpsAfter(ctx context.Context, e models.Employment) error {
	existing, err := s.store.FollowUpsOf(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, f := range existing {
		open := f.Status == models.FollowUpPlanned || f.Status == models.FollowUpMoved
		if open && f.Date > e.EndDate {
			f.Status, f.AutoCancelled, f.UpdatedAt = models.FollowUpCancelled, true, s.now()
			if err := s.store.SetFollowUp(ctx, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// FollowUpView is a follow-up with who takes part and the notes its
// reader may see.
type FollowUpView struct {
	models.FollowUp
	CompanyName string `json:"companyName"`
	// IncludesCompany is true while the participant consents to Jobbanken
	// contacting the employer: only then is the company invited.
	IncludesCompany bool                  `json:"includesCompany"`
	Notes           []models.FollowUpNote `json:"notes"`
	// Overdue tells staff the meeting is still to be held (planned or
	// moved) and its deadline has passed: for the 14-day talk the end of
	// the first 14 days (ScheduledDate), for the others its date. Always
	// false for the participant, who is never shown a meeting as late.
	Overdue bool `json:"overdue"`
}

// overdue reports whether f is still to be held and past its deadline on
// today ("2006-01-02").
func overdue(f models.FollowUp, today string) bool {
	if f.Status != models.FollowUpPlanned && f.Status != models.FollowUpMoved {
		return false
	}
	deadline := f.Date
	if f.Kind == string(FollowUp14Days) {
		deadline = min(f.Date, f.ScheduledDate)
	}
	return deadline < today
}

// FollowUps lists a participant's follow-up meetings by date. The
// participant does not see notes marked internal.
func (s *Service) FollowUps(ctx context.Context, p auth.Principal, participantID string) ([]FollowUpView, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return nil, err
	}
	list, err := s.store.FollowUps(ctx, participantID)
	if err != nil {
		return nil, err
	}
	return s.followUpViews(ctx, p, participantID, list)
}

func (s *Service) followUpViews(ctx context.Context, p auth.Principal, participantID string, list []models.FollowUp) ([]FollowUpView, error) {
	emps, err := s.store.Employments(ctx, participantID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, e := range emps {
		names[e.ID] = e.Company.Name
	}
	cs, err := s.consents(ctx, participantID)
	if err != nil {
		return nil, err
	}
	notes, err := s.store.FollowUpNotes(ctx, participantID)
	if err != nil {
		return nil, err
	}
	byFollowUp := map[string][]models.FollowUpNote{}
	for _, n := range notes {
		if n.Internal && p.Role == models.RoleParticipant {
			continue
		}
		byFollowUp[n.FollowUpID] = append(byFollowUp[n.FollowUpID], n)
	}
	today := day(s.today())
	out := make([]FollowUpView, len(list))
	for i, f := range list {
		out[i] = FollowUpView{FollowUp: f, CompanyName: names[f.EmploymentID], IncludesCompany: cs[f.EmploymentID].Given,
			Notes: byFollowUp[f.ID], Overdue: p.Role != models.RoleParticipant && overdue(f, today)}
		if out[i].Notes == nil {
			out[i].Notes = []models.FollowUpNote{}
		}
	}
	return out, nil
}

// FollowUpChange is a counselor's change to a follow-up: a new date (the
// meeting is moved), a new status, and/or a note.
type FollowUpChange struct {
	Date         string
	Status       models.FollowUpStatus
	Note         string
	NoteInternal bool
}

const maxFollowUpNoteLen = 4000

// UpdateFollowUp moves, completes or cancels a follow-up and adds a note.
// Only the participant's counselor does this.
func (s *Service) UpdateFollowUp(ctx context.Context, p auth.Principal, participantID, id string, c FollowUpChange) (FollowUpView, error) {
	if _, err := s.participant(ctx, p, auth.ManageFollowUps, participantID); err != nil {
		return FollowUpView{}, err
	}
	var f apperr.Fields
	if c.Date != "" {
		if d, ok := parseDay(c.Date); !ok || !plausibleYear(d) {
			f.Add("date", "field.invalid_date", "Write the date as YYYY-MM-DD.")
		}
	}
	switch c.Status {
	case "", models.FollowUpPlanned, models.FollowUpDone, models.FollowUpCancelled:
	case models.FollowUpMoved:
		if c.Date == "" {
			f.Add("date", "field.required", "Give the new date of the moved meeting.")
		}
	default:
		f.Add("status", "follow_up.status", "Choose planned, done, moved or cancelled.")
	}
	c.Note = strings.TrimSpace(c.Note)
	if utf8.RuneCountInString(c.Note) > maxFollowUpNoteLen {
		f.Add("note", "field.too_long", "Use at most 4000 characters.")
	}
	if c.Date == "" && c.Status == "" && c.Note == "" {
		f.Add("date", "follow_up.no_change", "Give a new date, a status or a note.")
	}
	if err := f.Err(); err != nil {
		return FollowUpView{}, err
	}
	fu, err := s.store.FollowUp(ctx, participantID, id)
	if err != nil {
		return FollowUpView{}, err
	}
	now := s.now()
	changed := false
	if c.Date != "" && c.Date != fu.Date {
		fu.Date, fu.Status, changed = c.Date, models.FollowUpMoved, true
	}
	if c.Status != "" && c.Status != models.FollowUpMoved && c.Status != fu.Status {
		fu.Status, changed = c.Status, true
	}
	if fu.Status == models.FollowUpDone && fu.DoneAt == nil {
		fu.DoneAt = &now
	} else if fu.Status != models.FollowUpDone {
		fu.DoneAt = nil
	}
	if changed {
		fu.UpdatedAt, fu.AutoCancelled = now, false
		if err := s.store.SetFollowUp(ctx, fu); err != nil {
			return FollowUpView{}, fmt.Errorf("update follow-up: %w", err)
		}
	}
	if c.Note != "" {
		n := models.FollowUpNote{ID: s.newID(), FollowUpID: fu.ID, ParticipantID: participantID, Text: c.Note,
			Internal: c.NoteInternal, ByID: p.UserID, At: now}
		if err := s.store.InsertFollowUpNote(ctx, n); err != nil {
			return FollowUpView{}, fmt.Errorf("add follow-up note: %w", err)
		}
	}
	views, err := s.followUpViews(ctx, p, participantID, []models.FollowUp{fu})
	if err != nil {
		return FollowUpView{}, err
	}
	return views[0], nil
}
