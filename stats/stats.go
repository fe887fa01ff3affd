// Package stats computes the figures management reports: the retention
// coefficient (fastholdelseskoefficient) and its yearly series, people in
// lasting jobs, retention after a hiring at three levels, jobs within the
// first year, activity participation, fill and no-show rates, counselor
// caseloads and reply times, and their CSV export.
//
// Figures about participants' own course count only participants whose
// latest statistics consent is given, plus the consented anonymous leaver
// records. Figures about Jobbanken's operation (fill rate, caseloads, reply
// times) count everyone. Every figure passes one small-cell rule (NewFigure):
// what rests on fewer than five participants is shown as "< 5"; and one
// secondary rule (tally.publish) hides more departments when "overall
// minus the shown departments" would give a hidden cell back.
//
// Everything is counted in Go from plain finds (no aggregation), so it runs
// on MongoDB and the embedded engine alike. Nothing is stored.
package stats

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
)

// Store is what the figures are read from. Each method returns every
// matching record (the figures need all of them) or a wrapped internal error.
type Store interface {
	// StatsParticipants returns every participant account with only the
	// fields statistics need (no names or contact details).
	StatsParticipants(ctx context.Context) ([]models.User, error)
	// Counselors returns every counselor account.
	Counselors(ctx context.Context) ([]models.User, error)
	AllDepartments(ctx context.Context) ([]models.Department, error)
	Withdrawals(ctx context.Context) ([]models.Withdrawal, error)
	Leavers(ctx context.Context) ([]models.LeaverRecord, error)
	ConsentsByPurpose(ctx context.Context, purpose models.ConsentPurpose) ([]models.ConsentRecord, error)
	// AllEmployments returns every employment and every end record.
	AllEmployments(ctx context.Context) ([]models.Employment, []models.EmploymentEnd, error)
	// SessionsStarting returns the scheduled sessions starting in [from, to).
	SessionsStarting(ctx context.Context, from, to time.Time) ([]models.Session, error)
	ActivitiesByID(ctx context.Context, ids []string) (map[string]models.Activity, error)
	// QueuedEnrollments returns the queued enrolments of the activities.
	QueuedEnrollments(ctx context.Context, activityIDs []string) ([]models.Enrollment, error)
	// AttendanceOfActivities returns every attendance mark of the activities.
	AttendanceOfActivities(ctx context.Context, activityIDs []string) ([]models.Attendance, error)
}

// ReplyTimes gives the messaging figures; *messaging.Service satisfies it.
type ReplyTimes interface {
	Stats(ctx context.Context, p auth.Principal, days int) (messaging.Stats, error)
}

// Config holds the settings of the figures.
type Config struct {
	// CaseloadWarning is the caseload above which a counselor is flagged
	// (CASELOAD_WARNING, default DefaultCaseloadWarning).
	CaseloadWarning int
}

// DefaultCaseloadWarning is the caseload flagged when none is configured.
const DefaultCaseloadWarning = 125

// Service computes the management figures.
type Service struct {
	store   Store
	replies ReplyTimes
	cfg     Config
	now     func() time.Time
}

// New returns a Service reading from store; replies gives the messaging
// figures and now is the clock ("today" is its Copenhagen date).
func New(store Store, replies ReplyTimes, cfg Config, now func() time.Time) *Service {
	if cfg.CaseloadWarning <= 0 {
		cfg.CaseloadWarning = DefaultCaseloadWarning
	}
	return &Service{store: store, replies: replies, cfg: cfg, now: now}
}

// today is the service clock's Copenhagen calendar date.
func (s *Service) today() string { return dateOf(s.now()) }

// dateOf is t's calendar date in Copenhagen, "2006-01-02".
func dateOf(t time.Time) string { return t.In(models.Copenhagen()).Format(time.DateOnly) }

// DepartmentName is how a figure names its department.
type DepartmentName struct {
	DepartmentID string `json:"departmentId"`
	Name         string `json:"name"`
}

// DepartmentFigure is one department's value of a figure.
type DepartmentFigure struct {
	DepartmentName
	Figure
}
