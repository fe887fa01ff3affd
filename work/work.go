// Package work holds the use cases for a participant's working life:
// employments (with the consent to contact the employer), the follow-up
// meetings each one starts, hours and payslips, and the estimate of how
// their pension is affected (through the pure pension package).
//
// Participants see and change their own; their counselor sees and changes
// those of their caseload; coordinators and admins see none of it. Staff see
// an employer's contact details only while the participant consents.
package work

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
)

// Store is the persistence work needs. Methods return apperr kinds:
// NotFound for a missing document.
type Store interface {
	InsertEmployment(ctx context.Context, e models.Employment) error
	Employment(ctx context.Context, participantID, id string) (models.Employment, error)
	Employments(ctx context.Context, participantID string) ([]models.Employment, error)
	InternshipsStartedSince(ctx context.Context, since string) ([]models.Employment, error)
	ReplaceEmployment(ctx context.Context, e models.Employment) (bool, error)
	InsertEmploymentEnd(ctx context.Context, e models.EmploymentEnd) error
	EmploymentEnds(ctx context.Context, employmentIDs []string) ([]models.EmploymentEnd, error)

	InsertConsent(ctx context.Context, c models.ConsentRecord) error
	Consents(ctx context.Context, participantID string, purpose models.ConsentPurpose) ([]models.ConsentRecord, error)

	InsertFollowUp(ctx context.Context, f models.FollowUp) error
	FollowUp(ctx context.Context, participantID, id string) (models.FollowUp, error)
	FollowUps(ctx context.Context, participantID string) ([]models.FollowUp, error)
	FollowUpsOf(ctx context.Context, employmentID string) ([]models.FollowUp, error)
	SetFollowUp(ctx context.Context, f models.FollowUp) error
	InsertFollowUpNote(ctx context.Context, n models.FollowUpNote) error
	FollowUpNotes(ctx context.Context, participantID string) ([]models.FollowUpNote, error)

	InsertHours(ctx context.Context, h models.HoursEntry) error
	HoursEntry(ctx context.Context, participantID, id string) (models.HoursEntry, error)
	Hours(ctx context.Context, participantID, from, to string) ([]models.HoursEntry, error)
	UpdateHours(ctx context.Context, h models.HoursEntry) error
	DeleteHours(ctx context.Context, participantID, id string) error
	PutPayslip(ctx context.Context, p models.Payslip) (bool, error)
	Payslips(ctx context.Context, participantID, fromMonth, toMonth string) ([]models.Payslip, error)

	PensionProfile(ctx context.Context, participantID string) (models.PensionProfile, bool, error)
	PutPensionProfile(ctx context.Context, p models.PensionProfile) error

	User(ctx context.Context, id string) (models.User, error)
	RecordEvent(ctx context.Context, e models.Event) error
}

// RulesSource gives the pension rules in force: the embedded figures with
// the corrections admins entered.
type RulesSource interface {
	Current(ctx context.Context) (*pension.Rules, error)
}

// Config holds the capability's settings.
type Config struct {
	InternshipMaxWeeks int // 13 unless set
	InternshipWarnWeek int // two weeks before the maximum unless set
}

// Service implements the work use cases.
type Service struct {
	store Store
	rules RulesSource
	cfg   Config
	now   func() time.Time
	newID func() string
}

// New returns a Service. newID must return time-ordered IDs (UUIDv7).
func New(store Store, rules RulesSource, cfg Config, now func() time.Time, newID func() string) *Service {
	if cfg.InternshipMaxWeeks == 0 {
		cfg.InternshipMaxWeeks = 13
	}
	if cfg.InternshipWarnWeek == 0 {
		cfg.InternshipWarnWeek = cfg.InternshipMaxWeeks - 2
	}
	return &Service{store: store, rules: rules, cfg: cfg, now: func() time.Time { return now().UTC() }, newID: newID}
}

func rule(code, detail string) error { return apperr.New(apperr.RuleViolation, code, detail) }

// participant loads the participant and checks that p may do a to them.
// Participants asking about anyone else get NotFound, so they cannot learn
// which IDs exist; staff without access get Forbidden.
func (s *Service) participant(ctx context.Context, p auth.Principal, a auth.Action, participantID string) (models.User, error) {
	return auth.Participant(ctx, p, a, participantID, s.store.User)
}

// today is the current Europe/Copenhagen calendar date.
func (s *Service) today() time.Time {
	y, m, d := s.now().In(scheduleZone()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Dates are handled as midnight UTC values of Copenhagen calendar days, so
// day arithmetic never meets a clock change.
func day(t time.Time) string { return t.Format(time.DateOnly) }

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// Hours travel as decimal hours in quarter hours (7.25) and are kept as
// whole minutes.
const minuteQuantum = 15

// minutesOf converts decimal hours to minutes; ok is false unless h is a
// whole number of quarter hours.
func minutesOf(h float64) (int, bool) {
	q := h * 60 / minuteQuantum
	r := int(q + 0.5)
	if h < 0 || q-float64(r) > 1e-9 || float64(r)-q > 1e-9 {
		return 0, false
	}
	return r * minuteQuantum, true
}

func hoursOf(minutes int) float64 { return float64(minutes) / 60 }

// earnedOre is minutes × hourly wage, rounded half up to whole øre.
func earnedOre(minutes int, wageOre int64) int64 { return (int64(minutes)*wageOre + 30) / 60 }

// kroner converts øre to whole kroner, rounded half up.
func kroner(ore int64) int64 { return (ore + 50) / 100 }
