package work

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// EmploymentInput is what a participant or counselor enters about an
// employment. Version is the version an update is based on.
type EmploymentInput struct {
	Company       models.Company
	Type          models.EmploymentType
	StartDate     string
	EndDate       string
	HourlyWageOre int64
	WeeklyHours   float64
	TaskNotes     string
	Version       int
}

// Limits of an employment's fields.
const (
	maxNameLen      = 200
	maxNotesLen     = 4000
	maxWageOre      = 100_000_00 // 100.000 kr an hour: anything above is a typo
	maxWeeklyHours  = 60
	maxReasonLen    = 500
	maxEndNoteLen   = 2000
	maxPhoneLen     = 20
	maxEmailAddrLen = 254
)

func (in EmploymentInput) check() (models.Employment, error) {
	var f apperr.Fields
	e := models.Employment{
		Company: models.Company{
			Name:          strings.TrimSpace(in.Company.Name),
			ContactPerson: strings.TrimSpace(in.Company.ContactPerson),
			Phone:         strings.TrimSpace(in.Company.Phone),
			Email:         strings.TrimSpace(in.Company.Email),
		},
		Type: in.Type, StartDate: in.StartDate, EndDate: in.EndDate,
		HourlyWageOre: in.HourlyWageOre, TaskNotes: strings.TrimSpace(in.TaskNotes),
	}
	switch {
	case e.Company.Name == "":
		f.Add("company.name", "field.required", "This field is required.")
	case utf8.RuneCountInString(e.Company.Name) > maxNameLen:
		f.Add("company.name", "field.too_long", "Use at most 200 characters.")
	}
	if utf8.RuneCountInString(e.Company.ContactPerson) > maxNameLen {
		f.Add("company.contactPerson", "field.too_long", "Use at most 200 characters.")
	}
	if p := e.Company.Phone; p != "" && !plausiblePhone(p) {
		f.Add("company.phone", "employment.phone", "Enter a phone number of digits, spaces and an optional +.")
	}
	if m := e.Company.Email; m != "" {
		if a, err := mail.ParseAddress(m); err != nil || a.Address != m || len(m) > maxEmailAddrLen {
			f.Add("company.email", "email.invalid", "Enter a valid email address.")
		}
	}
	if !e.Type.Valid() {
		f.Add("type", "employment.type", "Choose internship, wage_subsidy, ordinary or flexjob.")
	}
	start, okStart := parseDay(e.StartDate)
	if !okStart || !plausibleYear(start) {
		okStart = false
		f.Add("startDate", "field.invalid_date", "Write the date as YYYY-MM-DD.")
	}
	if e.EndDate != "" {
		end, ok := parseDay(e.EndDate)
		switch {
		case !ok || !plausibleYear(end):
			f.Add("endDate", "field.invalid_date", "Write the date as YYYY-MM-DD.")
		case okStart && end.Before(start):
			f.Add("endDate", "employment.end_before_start", "The last day is before the first day.")
		}
	}
	switch {
	case e.HourlyWageOre < 0 || e.HourlyWageOre > maxWageOre:
		f.Add("hourlyWageOre", "employment.wage", "Enter the hourly wage in øre, from 0 to 10000000.")
	case e.Type == models.EmploymentInternship && e.HourlyWageOre != 0:
		f.Add("hourlyWageOre", "employment.internship_paid", "An internship is unpaid: use 0.")
	}
	e.WeeklyMinutes = weeklyMinutes(&f, "weeklyHours", in.WeeklyHours)
	if utf8.RuneCountInString(e.TaskNotes) > maxNotesLen {
		f.Add("taskNotes", "field.too_long", "Use at most 4000 characters.")
	}
	return e, f.Err()
}

// weeklyMinutes converts agreed or planned weekly hours to minutes,
// recording a field error unless they are 0 to 60 in quarter hours.
func weeklyMinutes(f *apperr.Fields, field string, h float64) int {
	m, ok := minutesOf(h)
	if !ok || h > maxWeeklyHours {
		f.Add(field, "employment.weekly_hours", "Use 0 to 60 hours in quarter hours, e.g. 12.25.")
	}
	return m
}

// plausibleYear keeps dates to 2000–2100, so a typo like 0202 is caught.
func plausibleYear(t time.Time) bool { return t.Year() >= 2000 && t.Year() <= 2100 }

func plausiblePhone(p string) bool {
	if len(p) > maxPhoneLen {
		return false
	}
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 8
}

// ConsentState is the current employer-contact consent of an employment.
type ConsentState struct {
	Given  bool        `json:"given"`
	At     *time.Time  `json:"at,omitempty"`
	ByRole models.Role `json:"byRole,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

// InternshipCounter shows how many weeks of an internship are used.
type InternshipCounter struct {
	WeeksUsed int `json:"weeksUsed"`
	MaxWeeks  int `json:"maxWeeks"`
	// Warning is true from the warning week on: time to plan what comes next.
	Warning bool `json:"warning"`
}

// EmploymentView is an employment as its reader may see it.
type EmploymentView struct {
	models.Employment
	WeeklyHours     float64      `json:"weeklyHours"`
	Current         bool         `json:"current"` // covers today and not ended
	EmployerContact ConsentState `json:"employerContact"`
	// ContactHidden is true when staff read it without the participant's
	// consent: the contact person, phone and email are left out.
	ContactHidden bool               `json:"contactHidden"`
	Internship    *InternshipCounter `json:"internship,omitempty"`
}

func (s *Service) view(p auth.Principal, e models.Employment, consent ConsentState, today time.Time) EmploymentView {
	v := EmploymentView{Employment: e, WeeklyHours: hoursOf(e.WeeklyMinutes), EmployerContact: consent}
	v.Current = e.EndedAt == nil && e.Active(day(today))
	if p.Role != models.RoleParticipant && !consent.Given {
		v.Company = models.Company{Name: e.Company.Name}
		v.ContactHidden = true
	}
	if e.Type == models.EmploymentInternship {
		used := s.internshipWeeks(e, today)
		v.Internship = &InternshipCounter{WeeksUsed: used, MaxWeeks: s.cfg.InternshipMaxWeeks, Warning: used >= s.cfg.InternshipWarnWeek}
	}
	return v
}

// internshipWeeks counts the weeks begun from the start up to today (or the
// end, if earlier): day 1–7 is week 1.
func (s *Service) internshipWeeks(e models.Employment, today time.Time) int {
	start, _ := parseDay(e.StartDate)
	last := today
	if end, ok := parseDay(e.EndDate); ok && end.Before(last) {
		last = end
	}
	if last.Before(start) {
		return 0
	}
	days := int(last.Sub(start).Hours()/24) + 1
	return (days + 6) / 7
}

// consents returns the current employer-contact consent per employment.
func (s *Service) consents(ctx context.Context, participantID string) (map[string]ConsentState, error) {
	recs, err := s.store.Consents(ctx, participantID, models.ConsentEmployerContact)
	if err != nil {
		return nil, err
	}
	out := map[string]ConsentState{}
	for _, r := range recs { // oldest first: the last one is in force
		at := r.At
		out[r.SubjectID] = ConsentState{Given: r.Given, At: &at, ByRole: r.ByRole, Reason: r.Reason}
	}
	return out, nil
}

// employments loads a participant's employments, newest start first, with
// their ends applied.
func (s *Service) employments(ctx context.Context, participantID string) ([]models.Employment, error) {
	list, err := s.store.Employments(ctx, participantID)
	if err != nil {
		return nil, err
	}
	return s.withEnds(ctx, list)
}

// employment loads one employment of a participant with its end applied.
func (s *Service) employment(ctx context.Context, participantID, id string) (models.Employment, error) {
	e, err := s.store.Employment(ctx, participantID, id)
	if err != nil {
		return models.Employment{}, err
	}
	list, err := s.withEnds(ctx, []models.Employment{e})
	if err != nil {
		return models.Employment{}, err
	}
	return list[0], nil
}

func (s *Service) withEnds(ctx context.Context, list []models.Employment) ([]models.Employment, error) {
	ends, err := s.store.EmploymentEnds(ctx, models.EmploymentIDs(list))
	if err != nil {
		return nil, err
	}
	return models.WithEnds(list, ends), nil
}

func (s *Service) viewOne(ctx context.Context, p auth.Principal, e models.Employment) (EmploymentView, error) {
	cs, err := s.consents(ctx, e.ParticipantID)
	if err != nil {
		return EmploymentView{}, err
	}
	return s.view(p, e, cs[e.ID], s.today()), nil
}

// CreateEmployment adds an employment and schedules its follow-ups. When a
// participant adds one, their counselor is told.
func (s *Service) CreateEmployment(ctx context.Context, p auth.Principal, participantID string, in EmploymentInput) (EmploymentView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return EmploymentView{}, err
	}
	e, err := in.check()
	if err != nil {
		return EmploymentView{}, err
	}
	now := s.now()
	e.ID, e.ParticipantID, e.CreatedBy, e.CreatedAt, e.UpdatedAt, e.Version = s.newID(), u.ID, p.UserID, now, now, 1
	if err := s.store.InsertEmployment(ctx, e); err != nil {
		return EmploymentView{}, fmt.Errorf("create employment: %w", err)
	}
	if err := s.scheduleFollowUps(ctx, e); err != nil {
		return EmploymentView{}, err
	}
	if err := s.checkThresholds(ctx, u); err != nil {
		return EmploymentView{}, err
	}
	if p.Role == models.RoleParticipant && u.CounselorID != "" {
		if err := s.store.RecordEvent(ctx, s.event("employment.added/"+e.ID, "employment.added", u.CounselorID,
			map[string]any{"participantId": u.ID, "employmentId": e.ID, "type": string(e.Type)})); err != nil {
			return EmploymentView{}, err
		}
	}
	return s.viewOne(ctx, p, e)
}

// Employments lists a participant's employments, newest first.
func (s *Service) Employments(ctx context.Context, p auth.Principal, participantID string) ([]EmploymentView, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return nil, err
	}
	list, err := s.employments(ctx, participantID)
	if err != nil {
		return nil, err
	}
	cs, err := s.consents(ctx, participantID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]EmploymentView, len(list))
	for i, e := range list {
		out[i] = s.view(p, e, cs[e.ID], today)
	}
	return out, nil
}

// Employment returns one employment.
func (s *Service) Employment(ctx context.Context, p auth.Principal, participantID, id string) (EmploymentView, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return EmploymentView{}, err
	}
	e, err := s.employment(ctx, participantID, id)
	if err != nil {
		return EmploymentView{}, err
	}
	return s.viewOne(ctx, p, e)
}

func errChanged() error {
	return apperr.New(apperr.Conflict, "employment.changed", "Someone changed this employment meanwhile. Load it again.")
}

func errEnded() error {
	return apperr.New(apperr.Conflict, "employment.ended", "This employment has ended.")
}

// UpdateEmployment replaces the editable fields. in.Version must be the
// version the caller read. Staff who cannot see the contact details (no
// consent) keep the stored ones by sending them empty. A changed start
// date moves the follow-ups still planned.
func (s *Service) UpdateEmployment(ctx context.Context, p auth.Principal, participantID, id string, in EmploymentInput) (EmploymentView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return EmploymentView{}, err
	}
	old, err := s.employment(ctx, participantID, id)
	if err != nil {
		return EmploymentView{}, err
	}
	next, err := in.check()
	if err != nil {
		return EmploymentView{}, err
	}
	if in.Version != old.Version {
		return EmploymentView{}, errChanged()
	}
	if old.EndedAt != nil {
		return EmploymentView{}, errEnded()
	}
	cs, err := s.consents(ctx, participantID)
	if err != nil {
		return EmploymentView{}, err
	}
	if p.Role != models.RoleParticipant && !cs[id].Given { // they saw only the name: keep what they could not see
		c := next.Company
		next.Company = old.Company
		next.Company.Name = c.Name
	}
	next.ID, next.ParticipantID, next.CreatedBy, next.CreatedAt = old.ID, old.ParticipantID, old.CreatedBy, old.CreatedAt
	next.UpdatedAt, next.Version = s.now(), old.Version+1
	ok, err := s.store.ReplaceEmployment(ctx, next)
	if err != nil {
		return EmploymentView{}, err
	}
	if !ok {
		return EmploymentView{}, errChanged()
	}
	if next.StartDate != old.StartDate || next.Type != old.Type {
		if err := s.rescheduleFollowUps(ctx, next); err != nil {
			return EmploymentView{}, err
		}
	}
	if err := s.checkThresholds(ctx, u); err != nil {
		return EmploymentView{}, err
	}
	return s.view(p, next, cs[id], s.today()), nil
}

// EndInput says when and why an employment ended.
type EndInput struct {
	EndDate string // "" means today
	Reason  models.EndReason
	Note    string
}

// EndEmployment records the end of an employment and why, cancels the
// follow-ups planned after it and asks the counselor to help with what
// comes next (an outbox event).
func (s *Service) EndEmployment(ctx context.Context, p auth.Principal, participantID, id string, in EndInput) (EmploymentView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return EmploymentView{}, err
	}
	e, err := s.employment(ctx, participantID, id)
	if err != nil {
		return EmploymentView{}, err
	}
	var f apperr.Fields
	today := s.today()
	if in.EndDate == "" {
		in.EndDate = day(today)
	}
	if end, ok := parseDay(in.EndDate); !ok {
		f.Add("endDate", "field.invalid_date", "Write the date as YYYY-MM-DD.")
	} else if start, _ := parseDay(e.StartDate); end.Before(start) {
		f.Add("endDate", "employment.end_before_start", "The last day is before the first day.")
	} else if end.After(today.AddDate(1, 0, 0)) {
		f.Add("endDate", "employment.end_too_late", "Choose a last day within a year from today.")
	}
	if !in.Reason.Valid() {
		f.Add("reason", "employment.end_reason", "Choose one of the listed reasons.")
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > maxEndNoteLen {
		f.Add("note", "field.too_long", "Use at most 2000 characters.")
	}
	if err := f.Err(); err != nil {
		return EmploymentView{}, err
	}
	if e.EndedAt != nil {
		return EmploymentView{}, errEnded()
	}
	end := models.EmploymentEnd{EmploymentID: e.ID, ParticipantID: participantID, EndDate: in.EndDate, Reason: in.Reason,
		Note: in.Note, At: s.now(), ByID: p.UserID, ByRole: p.Role}
	if err := s.store.InsertEmploymentEnd(ctx, end); err != nil {
		return EmploymentView{}, err // Conflict "employment.ended" when another end came first
	}
	e = e.WithEnd(end)
	if err := s.cancelFollowUpsAfter(ctx, e); err != nil {
		return EmploymentView{}, err
	}
	if u.CounselorID != "" {
		if err := s.store.RecordEvent(ctx, s.event("employment.ended/"+e.ID, "employment.ended", u.CounselorID,
			map[string]any{"participantId": u.ID, "employmentId": e.ID, "reason": string(e.EndReason), "endDate": e.EndDate})); err != nil {
			return EmploymentView{}, err
		}
	}
	if err := s.checkThresholds(ctx, u); err != nil {
		return EmploymentView{}, err
	}
	return s.viewOne(ctx, p, e)
}

// SetEmployerContactConsent records that the participant gives or
// withdraws consent to Jobbanken contacting this employer. A counselor may
// record it on the participant's behalf, with a reason.
func (s *Service) SetEmployerContactConsent(ctx context.Context, p auth.Principal, participantID, id string, given bool, reason string) (EmploymentView, error) {
	if _, err := s.participant(ctx, p, auth.ManageWork, participantID); err != nil {
		return EmploymentView{}, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case p.Role != models.RoleParticipant && reason == "":
		return EmploymentView{}, apperr.InvalidField("reason", "consent.reason_required",
			"Say why you record this on the participant's behalf.")
	case utf8.RuneCountInString(reason) > maxReasonLen:
		return EmploymentView{}, apperr.InvalidField("reason", "field.too_long", "Use at most 500 characters.")
	}
	e, err := s.employment(ctx, participantID, id)
	if err != nil {
		return EmploymentView{}, err
	}
	rec := models.ConsentRecord{
		ID: s.newID(), ParticipantID: participantID, Purpose: models.ConsentEmployerContact, SubjectID: e.ID,
		Given: given, At: s.now(), ByID: p.UserID, ByRole: p.Role, Reason: reason,
	}
	if err := s.store.InsertConsent(ctx, rec); err != nil {
		return EmploymentView{}, fmt.Errorf("record consent: %w", err)
	}
	return s.viewOne(ctx, p, e)
}

// CheckInternships raises one warning event per internship that reached
// the warning week, for the counselor to plan what comes next. The
// periodic sweep calls it; the dedupe key makes repeats harmless.
func (s *Service) CheckInternships(ctx context.Context) error {
	today := s.today()
	// Only internships that can still be running: none lasts longer than
	// the maximum, so older ones are not read again.
	since := today.AddDate(0, 0, -7*(s.cfg.InternshipMaxWeeks+4))
	list, err := s.store.InternshipsStartedSince(ctx, day(since))
	if err != nil {
		return err
	}
	if list, err = s.withEnds(ctx, list); err != nil {
		return err
	}
	for _, e := range list {
		used := s.internshipWeeks(e, today)
		if e.EndedAt != nil || used < s.cfg.InternshipWarnWeek {
			continue
		}
		u, err := s.store.User(ctx, e.ParticipantID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if u.CounselorID == "" {
			continue
		}
		if err := s.store.RecordEvent(ctx, s.event("internship.week_warning/"+e.ID, "internship.week_warning", u.CounselorID,
			map[string]any{"participantId": u.ID, "employmentId": e.ID, "weeksUsed": used, "maxWeeks": s.cfg.InternshipMaxWeeks})); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) event(dedupe, typ, recipient string, params map[string]any) models.Event {
	now := s.now()
	return models.Event{ID: s.newID(), DedupeKey: dedupe, Type: typ, RecipientID: recipient, Params: params, CreatedAt: now, DueAt: now}
}
