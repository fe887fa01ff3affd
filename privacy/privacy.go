// Package privacy holds what participants' trust rests on: their consents,
// the access log of staff reads and changes, the export of everything held
// about them, and leaving (udmeldelse) with erasure after a retention period.
package privacy

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence privacy needs.
type Store interface {
	User(ctx context.Context, id string) (models.User, error)
	UsersByID(ctx context.Context, ids []string) ([]models.User, error)
	Employments(ctx context.Context, participantID string) ([]models.Employment, error)
	EmploymentEnds(ctx context.Context, employmentIDs []string) ([]models.EmploymentEnd, error)

	InsertConsent(ctx context.Context, c models.ConsentRecord) error
	AllConsents(ctx context.Context, participantID string) ([]models.ConsentRecord, error)

	InsertAccessEntries(ctx context.Context, entries []models.AccessEntry) error
	AccessEntries(ctx context.Context, f models.AccessFilter, p models.Page) ([]models.AccessEntry, string, error)
	CountAccessEntries(ctx context.Context, participantID string) (int, error)

	InsertWithdrawal(ctx context.Context, w models.Withdrawal) error
	Withdrawal(ctx context.Context, participantID string) (models.Withdrawal, error)
	DeleteWithdrawal(ctx context.Context, participantID string) error
	DueWithdrawals(ctx context.Context, now time.Time, limit int) ([]models.Withdrawal, error)
	SetWithdrawn(ctx context.Context, userID string, at *time.Time) error
	RevokeUserFamilies(ctx context.Context, userID string, at time.Time) error
	DeleteDevicesOfUser(ctx context.Context, userID string) error
	RecordEvent(ctx context.Context, e models.Event) error

	InsertLeaver(ctx context.Context, l models.LeaverRecord) error
	ParticipantData(ctx context.Context, participantID string) (models.DataExport, error)
	EraseParticipant(ctx context.Context, participantID string) error
}

// Seats releases the activity seats of a participant who left;
// *activity.Service satisfies it.
type Seats interface {
	ReleaseSeatsOf(ctx context.Context, participantID, byID string) error
}

// Config holds the privacy settings.
type Config struct {
	// Retention is how long a leaver's data is kept, so a mistaken leaving
	// can be undone; 90 days unless set.
	Retention time.Duration
}

// DefaultRetention is the retention period after leaving.
const DefaultRetention = 90 * 24 * time.Hour

// eraseMargin keeps erasure a little behind the end of the retention
// period, so an undo at its last moment on one instance never meets an
// erasure starting on another whose clock runs slightly ahead.
const eraseMargin = 10 * time.Minute

// Service implements consents, the access log, the export and leaving.
type Service struct {
	store Store
	seats Seats
	cfg   Config
	now   func() time.Time
	newID func() string
}

// New returns a Service; now and newID are injected so tests control them.
func New(store Store, seats Seats, cfg Config, now func() time.Time, newID func() string) *Service {
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	return &Service{store: store, seats: seats, cfg: cfg, now: now, newID: newID}
}

// participant loads a participant and checks that p may do a to them.
func (s *Service) participant(ctx context.Context, p auth.Principal, a auth.Action, participantID string) (models.User, error) {
	return auth.Participant(ctx, p, a, participantID, s.store.User)
}

// Export returns everything held about a participant as one document
// (GDPR arts. 15 and 20): for the participant, or produced by their
// counselor for them.
func (s *Service) Export(ctx context.Context, p auth.Principal, participantID string) (models.DataExport, error) {
	if _, err := s.participant(ctx, p, auth.ExportData, participantID); err != nil {
		return models.DataExport{}, err
	}
	return s.store.ParticipantData(ctx, participantID)
}
