// Package activity holds the use cases for the catalogue of sports, network
// activities and courses, and for signing up without ever overbooking.
//
// Seats are never counted in a shared document. An enrolment is a record;
// its place is its rank among the queued enrolments of the same activity (or
// session, for drop-in activities), ordered by when each joined the queue.
// Confirmed means rank < capacity; waitlist position = rank − capacity + 1.
// Two sign-ups racing cannot both take the last seat because there is no
// seat to take: both are ranked, and exactly one ranks lower.
package activity

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence activity needs. Methods return apperr kinds:
// NotFound for a missing document, Conflict for a unique-index clash.
type Store interface {
	InsertActivity(ctx context.Context, a models.Activity) error
	Activity(ctx context.Context, id string) (models.Activity, error)
	UpdateActivityDetails(ctx context.Context, a models.Activity) error
	Activities(ctx context.Context, f models.ActivityFilter, p models.Page) ([]models.Activity, string, error)
	CancelActivity(ctx context.Context, id string, at time.Time) error

	InsertSessions(ctx context.Context, activityID string, sessions []models.Session) error
	Sessions(ctx context.Context, activityID string) ([]models.Session, error)
	Session(ctx context.Context, id string) (models.Session, error)
	CancelSession(ctx context.Context, id string, at time.Time) error

	InsertEnrollment(ctx context.Context, e models.Enrollment) error
	EnrollmentBySlot(ctx context.Context, slotKey string) (models.Enrollment, error)
	Enrollment(ctx context.Context, id string) (models.Enrollment, error)
	ChangeEnrollment(ctx context.Context, id string, c models.EnrollmentChange) (bool, error)
	MarkWaitlisted(ctx context.Context, id string, at time.Time) error
	QueueCounts(ctx context.Context, activityID, sessionID string) (taken, queued int, err error)
	TryLock(ctx context.Context, name, holder string, now, expiresAt time.Time) (bool, error)
	Unlock(ctx context.Context, name, holder string) error
	CountAhead(ctx context.Context, activityID, sessionID string, queueNo int64) (int, error)
	QueuedByActivity(ctx context.Context, activityIDs []string) (map[string]int, error)
	QueuedBySession(ctx context.Context, activityID string) (map[string]int, error)
	Queue(ctx context.Context, activityID, sessionID string, n int) ([]models.Enrollment, error)
	Enrollments(ctx context.Context, f models.EnrollmentFilter, p models.Page) ([]models.Enrollment, string, error)

	CalendarStore
	CelebrationStore
	RecordAttendance(ctx context.Context, marks []models.Attendance) error
	AttendanceOf(ctx context.Context, activityID string) ([]models.Attendance, error)
	// AttendanceOfEnrollments returns the marks recorded for the given
	// enrolments (a page of one participant's).
	AttendanceOfEnrollments(ctx context.Context, enrollmentIDs []string) ([]models.Attendance, error)

	User(ctx context.Context, id string) (models.User, error)
	// Users lists accounts by filter (the coordinators told about a
	// sign-up waiting for approval).
	Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error)
	// ParticipantsOf returns the participants assigned to any of the
	// counselors (a caseload, and the caseloads a stand-in covers).
	ParticipantsOf(ctx context.Context, counselorIDs []string) ([]models.User, error)
	Department(ctx context.Context, id string) (models.Department, error)
	DepartmentsByID(ctx context.Context, ids []string) (map[string]models.Department, error)
	RecordEvent(ctx context.Context, e models.Event) error
}

// Absences tells who stands in for an absent counselor; *availability.Service
// satisfies it.
type Absences interface {
	// ActiveAbsence returns the counselor's absence in force at at, if any.
	ActiveAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, bool, error)
	// AbsencesCoveredBy returns the absences in force at at that name
	// standInID as the stand-in.
	AbsencesCoveredBy(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error)
}

// Service implements the activity use cases.
type Service struct {
	store    Store
	absences Absences
	now      func() time.Time
	newID    func() string
	locks    queueLocks
}

// New returns a Service. newID must return time-ordered IDs (UUIDv7).
func New(store Store, absences Absences, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, absences: absences, now: func() time.Time { return now().UTC() }, newID: newID}
}

// authorizeIn decides whether p may do act to subject, whose DepartmentID
// is the department an activity belongs to: a coordinator acts only in the
// departments they serve, read from their account at each call so that an
// admin's change takes effect at once.
func (s *Service) authorizeIn(ctx context.Context, p auth.Principal, act auth.Action, subject auth.Subject) error {
	if p.Role == models.RoleCoordinator {
		u, err := s.store.User(ctx, p.UserID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		p.Serves = u.ServesDepartmentIDs
	}
	return auth.Authorize(p, act, subject)
}

func rule(code, detail string) error { return apperr.New(apperr.RuleViolation, code, detail) }

// slotKey names the open, queued enrolment of one participant in one queue;
// requestKey names their open request for approval.
func slotKey(activityID, sessionID, participantID string) string {
	return activityID + "/" + sessionID + "/" + participantID
}

func requestKey(activityID, sessionID, participantID string) string {
	return "request/" + slotKey(activityID, sessionID, participantID)
}

// record inserts an outbox event; the dedupe key makes a repeat harmless.
func (s *Service) record(ctx context.Context, typ, recipient, dedupe string, params map[string]any) error {
	return s.recordUntil(ctx, typ, recipient, dedupe, "", time.Time{}, params)
}
