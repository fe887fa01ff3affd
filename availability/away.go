package availability

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// MaxAwayDays is how far ahead a return date may lie, counted from today.
const MaxAwayDays = 365

// AwayInput is an absence as the counselor (or an admin) sets it.
type AwayInput struct {
	ReturnDate string     // YYYY-MM-DD in Europe/Copenhagen: the first day back
	StandInID  string     // another active counselor
	From       *time.Time // when the absence starts; nil or in the past means now
}

// AbsenceView is an absence with what a person needs to read it: the
// return date as the calendar date it was given and the stand-in's name.
type AbsenceView struct {
	models.Absence
	ReturnDate  string `json:"returnDate"`
	StandInName string `json:"standInName"`
}

// EventStandIn tells a counselor that a colleague named them stand-in.
const EventStandIn = "counselor.stand_in_assigned"

func counselorNotFound() error {
	return apperr.New(apperr.NotFound, "counselor.not_found", "No such counselor.")
}

// access checks that p may manage counselorID's availability. Roles that
// never may (participants, coordinators) are refused before anything is
// loaded; an ID that is not a counselor's is NotFound; another counselor
// is Forbidden.
func (s *Service) access(ctx context.Context, p auth.Principal, counselorID string) error {
	if err := auth.Require(p.Role, auth.ManageAvailability); err != nil {
		return err
	}
	u, err := s.store.User(ctx, counselorID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleCounselor) {
		return counselorNotFound()
	}
	if err != nil {
		return err
	}
	return auth.Authorize(p, auth.ManageAvailability, auth.Subject{StaffID: counselorID})
}

// SetAway records that the counselor is away from in.From (default now)
// until in.ReturnDate, with in.StandInID covering their conversations, and
// tells the stand-in through the outbox. It replaces the counselor's
// current or planned absence: those are marked cleared. Sending the
// absence in force (or planned) again returns it unchanged, so a retried
// request neither replaces it nor tells the stand-in twice.
//
// Field errors: returnDate (field.required, field.invalid_date,
// availability.return_date: not after the first day away, or more than
// MaxAwayDays ahead); standInId (field.required, availability.stand_in: not
// another active counselor; availability.stand_in_away: away themselves
// when the absence starts).
//
// Two absences set at the same moment are both inserted; the later
// created is the one in force (see ActiveAbsence), and each clears only
// absences created before itself, so the two never clear each other.
// Clearing is a record for people: the derivation does not depend on it.
func (s *Service) SetAway(ctx context.Context, p auth.Principal, counselorID string, in AwayInput) (AbsenceView, error) {
	if err := s.access(ctx, p, counselorID); err != nil {
		return AbsenceView{}, err
	}
	now := s.now()
	from := now
	if in.From != nil && in.From.After(now) {
		from = in.From.UTC().Truncate(time.Millisecond)
	}
	var f apperr.Fields
	until := checkReturnDate(&f, in.ReturnDate, from, now)
	standIn, err := s.checkStandIn(ctx, &f, counselorID, in.StandInID, from)
	if err != nil {
		return AbsenceView{}, err
	}
	if err := f.Err(); err != nil {
		return AbsenceView{}, err
	}
	// The same absence again (a retried request) changes nothing.
	cur, err := s.store.LatestAbsence(ctx, counselorID, now)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return AbsenceView{}, err
	}
	if err == nil && cur.ClearedAt == nil && cur.Until.Equal(until) && cur.StandInID == standIn.ID &&
		(cur.From.Equal(from) || (from.Equal(now) && !cur.From.After(now))) {
		return view(cur, standIn.Name), nil
	}
	a := models.Absence{
		ID: s.newID(), CounselorID: counselorID, StandInID: standIn.ID,
		From: from, Until: until, CreatedBy: p.UserID, CreatedAt: now,
	}
	if err := s.store.InsertAbsence(ctx, a); err != nil {
		return AbsenceView{}, err
	}
	if err := s.clear(ctx, counselorID, now, func(o models.Absence) bool { return createdBefore(o, a) }); err != nil {
		return AbsenceView{}, err
	}
	e := models.Event{
		ID: s.newID(), DedupeKey: EventStandIn + ":" + a.ID, Type: EventStandIn, RecipientID: standIn.ID,
		Params:    map[string]any{"counselorId": counselorID, "absenceId": a.ID, "returnDate": in.ReturnDate},
		CreatedAt: now, DueAt: now, State: models.EventPending,
	}
	if err := s.store.RecordEvent(ctx, e); err != nil {
		return AbsenceView{}, fmt.Errorf("record %s: %w", e.Type, err)
	}
	return view(a, standIn.Name), nil
}

// view is the AbsenceView of a.
func view(a models.Absence, standInName string) AbsenceView {
	return AbsenceView{Absence: a, ReturnDate: ReturnDate(a), StandInName: standInName}
}

// ReturnDate is the calendar day (YYYY-MM-DD, Europe/Copenhagen) the
// counselor of a is back.
func ReturnDate(a models.Absence) string { return a.Until.In(zone()).Format(time.DateOnly) }

// checkReturnDate parses the return date into 00:00 Europe/Copenhagen that
// day and checks it lies after from's date and at most MaxAwayDays after
// today.
func checkReturnDate(f *apperr.Fields, date string, from, now time.Time) time.Time {
	if date == "" {
		f.Add("returnDate", "field.required", "This field is required.")
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, date, zone())
	if err != nil {
		f.Add("returnDate", "field.invalid_date", "Write the date as YYYY-MM-DD.")
		return time.Time{}
	}
	if !d.After(localMidnight(from, 0)) {
		f.Add("returnDate", "availability.return_date", "The return date must be after the first day away.")
	} else if d.After(localMidnight(now, MaxAwayDays)) {
		f.Add("returnDate", "availability.return_date", fmt.Sprintf("The return date can be at most %d days ahead.", MaxAwayDays))
	}
	return d.UTC()
}

// checkStandIn loads the stand-in and records a field error unless it is
// another active counselor who is not away at from.
func (s *Service) checkStandIn(ctx context.Context, f *apperr.Fields, counselorID, standInID string, from time.Time) (models.User, error) {
	if standInID == "" {
		f.Add("standInId", "field.required", "This field is required.")
		return models.User{}, nil
	}
	u, err := s.store.User(ctx, standInID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (u.ID == counselorID || u.Role != models.RoleCounselor || u.Status != models.StatusActive)) {
		f.Add("standInId", "availability.stand_in", "Choose another counselor who uses the app as stand-in.")
		return models.User{}, nil
	}
	if err != nil {
		return models.User{}, fmt.Errorf("check stand-in: %w", err)
	}
	if _, away, err := s.ActiveAbsence(ctx, standInID, from); err != nil {
		return models.User{}, err
	} else if away {
		f.Add("standInId", "availability.stand_in_away", "This colleague is away then too. Choose another.")
	}
	return u, nil
}

// clear stamps ClearedAt = now on the counselor's absences that have not
// ended or been cleared and that which picks.
func (s *Service) clear(ctx context.Context, counselorID string, now time.Time, which func(models.Absence) bool) error {
	open, err := s.store.AbsencesEndingAfter(ctx, []string{counselorID}, now)
	if err != nil {
		return err
	}
	var ids []string
	for _, o := range open {
		if o.ClearedAt == nil && which(o) {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.store.ClearAbsences(ctx, ids, now)
}

// ClearAway ends the counselor's absence now: the one in force and any
// planned one (a counselor has one absence at a time). With none it does
// nothing, so it may be repeated. An absence set at the same moment (created
// after now) stays.
func (s *Service) ClearAway(ctx context.Context, p auth.Principal, counselorID string) error {
	if err := s.access(ctx, p, counselorID); err != nil {
		return err
	}
	now := s.now()
	return s.clear(ctx, counselorID, now, func(o models.Absence) bool { return !o.CreatedAt.After(now) })
}

// SetOfficeHours replaces the counselor's office hours and returns them
// ordered by weekday. Field errors are those of ValidateOfficeHours.
func (s *Service) SetOfficeHours(ctx context.Context, p auth.Principal, counselorID string, h models.OfficeHours) (models.OfficeHours, error) {
	if err := s.access(ctx, p, counselorID); err != nil {
		return models.OfficeHours{}, err
	}
	if err := ValidateOfficeHours(h).Err(); err != nil {
		return models.OfficeHours{}, err
	}
	h = models.OfficeHours{Days: slices.Clone(h.Days)}
	slices.SortFunc(h.Days, func(a, b models.OfficeDay) int { return a.Weekday - b.Weekday })
	if err := s.store.PutOfficeHours(ctx, counselorID, h, p.UserID, s.now()); err != nil {
		return models.OfficeHours{}, err
	}
	return h, nil
}
