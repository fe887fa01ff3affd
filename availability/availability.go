// Package availability knows when a counselor can be reached: their office
// hours (Monday to Friday 09:00–15:00 in Europe/Copenhagen unless they saved
// others) and their absences, each with a return date and a named stand-in
// colleague who sees and answers the counselor's conversations while it is
// in force. Messaging asks it what a participant is shown and whom the
// access policy lets in as a stand-in (ActiveAbsence, OfficeHours,
// AbsencesCoveredBy); StatusOf puts hours and absence together.
//
// Absences are append-only records; ending one early only stamps its
// ClearedAt. Nothing is read, changed and written back to decide who is
// away (the embedded engine does not make updates atomic): a new absence
// replaces every earlier one of the counselor, so the absence in force at a
// moment is derived as the latest created by then, if it is active. Two
// absences set at the same moment never leave two in force, and one that a
// race left uncleared never comes back when the later one ends.
package availability

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence availability needs. Methods return apperr
// kinds: NotFound for a missing document.
type Store interface {
	User(ctx context.Context, id string) (models.User, error)

	// OfficeHours returns the hours a counselor saved, NotFound when none.
	OfficeHours(ctx context.Context, counselorID string) (models.OfficeHours, error)
	// PutOfficeHours replaces the counselor's saved hours.
	PutOfficeHours(ctx context.Context, counselorID string, h models.OfficeHours, by string, at time.Time) error

	InsertAbsence(ctx context.Context, a models.Absence) error
	// LatestAbsence returns the counselor's absence created last at or
	// before at (ended or cleared or not), NotFound when there is none.
	LatestAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, error)
	// AbsencesEndingAfter returns the counselors' absences with Until after
	// at, cleared ones included.
	AbsencesEndingAfter(ctx context.Context, counselorIDs []string, at time.Time) ([]models.Absence, error)
	// AbsencesWithStandIn returns the absences naming standInID as stand-in
	// with From ≤ at < Until, cleared ones included.
	AbsencesWithStandIn(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error)
	// ClearAbsences stamps ClearedAt = at on those of ids not yet cleared.
	ClearAbsences(ctx context.Context, ids []string, at time.Time) error

	RecordEvent(ctx context.Context, e models.Event) error
}

// Service implements availability's use cases.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// New returns a Service. newID must return unique IDs (UUIDv7). Times are
// kept to the millisecond, as the database stores them.
func New(store Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, now: func() time.Time { return now().UTC().Truncate(time.Millisecond) }, newID: newID}
}

// Status is what a participant is shown about their counselor at a moment:
// the office hours, whether it is within them and when they next open, and
// the absence in force, if any (with its stand-in and return date).
type Status struct {
	CounselorID   string             `json:"counselorId"`
	OfficeHours   models.OfficeHours `json:"officeHours"`
	InOfficeHours bool               `json:"inOfficeHours"`
	// NextOpen is the start of the next office-hours stretch, at itself
	// when at is within office hours. It does not look at absences: when
	// the counselor is away, Away.Until says when they are back.
	NextOpen time.Time       `json:"nextOpen"`
	Away     *models.Absence `json:"away,omitempty"` // in force at `at`
}

// StatusOf returns the counselor's status at at. Office hours default to
// DefaultOfficeHours when none are saved. It checks no access: callers
// (messaging) decide who may see it.
func (s *Service) StatusOf(ctx context.Context, counselorID string, at time.Time) (Status, error) {
	h, err := s.OfficeHours(ctx, counselorID)
	if err != nil {
		return Status{}, err
	}
	away, ok, err := s.ActiveAbsence(ctx, counselorID, at)
	if err != nil {
		return Status{}, err
	}
	st := Status{CounselorID: counselorID, OfficeHours: h, NextOpen: at}
	if st.InOfficeHours, st.NextOpen = Open(h, at); st.InOfficeHours {
		st.NextOpen = at
	}
	if ok {
		st.Away = &away
	}
	return st, nil
}

// OfficeHours returns the counselor's saved hours or, when none are saved,
// DefaultOfficeHours. Like StatusOf it checks no access.
func (s *Service) OfficeHours(ctx context.Context, counselorID string) (models.OfficeHours, error) {
	h, err := s.store.OfficeHours(ctx, counselorID)
	if apperr.Is(err, apperr.NotFound) {
		return models.DefaultOfficeHours(), nil
	}
	return h, err
}

// ActiveAbsence returns the counselor's absence in force at at: the one
// created last by then, if it is active at at. ok is false when none is.
func (s *Service) ActiveAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, bool, error) {
	a, err := s.store.LatestAbsence(ctx, counselorID, at)
	if apperr.Is(err, apperr.NotFound) {
		return models.Absence{}, false, nil
	}
	if err != nil {
		return models.Absence{}, false, err
	}
	if !a.ActiveAt(at) {
		return models.Absence{}, false, nil
	}
	return a, true, nil
}

// AbsencesCoveredBy returns the absences in force at at that name
// standInID as the stand-in, oldest start first. An absence replaced by a
// later one of the same counselor is not in force, so its stand-in is not
// given access.
func (s *Service) AbsencesCoveredBy(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error) {
	if standInID == "" {
		return nil, nil
	}
	named, err := s.store.AbsencesWithStandIn(ctx, standInID, at)
	if err != nil {
		return nil, err
	}
	var out []models.Absence
	seen := map[string]bool{}
	for _, n := range named {
		if !n.ActiveAt(at) || seen[n.CounselorID] {
			continue
		}
		seen[n.CounselorID] = true
		a, ok, err := s.ActiveAbsence(ctx, n.CounselorID, at)
		if err != nil {
			return nil, err
		}
		if ok && a.StandInID == standInID {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b models.Absence) int { return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// createdBefore orders absences by creation time, then by ID (UUIDv7, time
// ordered) for two created in the same millisecond, as LatestAbsence does.
func createdBefore(a, b models.Absence) bool {
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID)) < 0
}
