// Package checkin holds the "Hvordan går det?" check-ins: a counselor (for
// their department) or an admin (for any department, or everyone) asks;
// every active participant asked gets a notification and answers with one
// tap — good, okay or "I'd like to talk" — and an optional text. "I'd like
// to talk" puts a call-me request in the participant's conversation, which
// sits at the top of the counselor's inbox until they write back.
//
// Nothing is counted in a shared document. Who was asked is one record per
// participant ({_id: checkIn/participant}); answers are append-only
// versions ({_id: checkIn/participant/version}), so changing one's mind
// inserts the next version and two answers racing cannot both become the
// same one; the current answer is the highest version. The tally per
// department is derived from both when it is read, so it is live.
//
// Admins see counts only. A counselor sees the counts of their department
// and, by name, the answers of their own participants, whom they follow up.
// Answer texts are never logged and never put in notifications.
package checkin

import (
	"context"
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence check-ins need. Methods return apperr kinds:
// NotFound for a missing document, Conflict for a unique-index clash.
type Store interface {
	InsertCheckIn(ctx context.Context, c models.CheckIn) error
	CheckIn(ctx context.Context, id string) (models.CheckIn, error)
	UnsentCheckIn(ctx context.Context, senderID, departmentID string, since time.Time) (models.CheckIn, error)
	FinishCheckIn(ctx context.Context, id string, recipients int, at time.Time) error
	InsertCheckInRecipients(ctx context.Context, rs []models.CheckInRecipient) error
	CheckInRecipient(ctx context.Context, checkInID, participantID string) (models.CheckInRecipient, error)
	CheckInRecipientsAmong(ctx context.Context, checkInID string, participantIDs []string) ([]models.CheckInRecipient, error)
	AskedByDepartment(ctx context.Context, checkInID string) (map[string]int, error)
	InsertCheckInAnswer(ctx context.Context, a models.CheckInAnswer) error
	LatestCheckInAnswer(ctx context.Context, checkInID, participantID string) (models.CheckInAnswer, error)
	CheckInAnswers(ctx context.Context, checkInID, departmentID string, participantIDs []string) ([]models.CheckInAnswer, error)

	Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error)
	ParticipantsOf(ctx context.Context, counselorIDs []string) ([]models.User, error)
	Department(ctx context.Context, id string) (models.Department, error)
	RecordEvents(ctx context.Context, events []models.Event) error
}

// Callbacks asks a participant's counselor to call them; *messaging.Service
// satisfies it. The request is made as the participant (it is their answer).
type Callbacks interface {
	RequestCallback(ctx context.Context, p auth.Principal, participantID string, in messaging.CallbackInput) (messaging.MessageView, bool, error)
}

// Service implements the check-in use cases.
type Service struct {
	store     Store
	callbacks Callbacks
	now       func() time.Time
	newID     func() string
	batch     int
}

// New returns a Service. newID must return time-ordered IDs (UUIDv7).
func New(store Store, callbacks Callbacks, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, callbacks: callbacks, now: func() time.Time { return now().UTC() }, newID: newID, batch: fanOutBatch}
}

// Limits and defaults.
const (
	// fanOutBatch is how many participants are asked per round trip: one
	// insert of recipients and one of events per batch, so thousands of
	// participants take a few dozen writes.
	fanOutBatch     = 500
	defaultOpenDays = 7
	maxOpenDays     = 14
	maxTextRunes    = 500
	// resumeWithin is how long after a failed send a retry by the same
	// sender to the same audience finishes that check-in instead of asking
	// everyone again.
	resumeWithin = 15 * time.Minute
)

// eventFor is the notification asking one participant; its dedupe key makes
// asking again (a resumed send) harmless. It expires when the check-in
// closes, and a newer check-in replaces an older one on the phone.
func (s *Service) eventFor(c models.CheckIn, participantID string, now time.Time) models.Event {
	closes := c.ClosesAt
	return models.Event{
		ID: s.newID(), DedupeKey: "checkin.sent:" + c.ID + ":" + participantID, Type: "checkin.sent",
		RecipientID: participantID, CreatedAt: now, DueAt: now, ExpiresAt: &closes, CollapseKey: "checkin",
		Params: map[string]any{"checkInId": c.ID, "senderId": c.SenderID, "closesAt": c.ClosesAt},
		State:  models.EventPending,
	}
}

func errf(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
