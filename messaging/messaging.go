// Package messaging is the open door between a participant and their
// counselor: one conversation per participant that either side may start
// at any time, with attachments, "please call me" requests, read marks,
// the counselor's inbox and the figures on reply times.
//
// A conversation is named by the participant, so its history stays with
// them when the counselor changes. Only the participant, their counselor
// and, during an absence, the counselor's named stand-in may read or write
// it; nobody else (not coordinators, not admins). Nothing here ever logs a
// message's text or an attachment's content.
//
// State that several people touch is derived, never counted: unread is the
// messages after my read mark; "answered" is a staff message after the
// participant's; a callback request is open until a staff message follows
// it; an auto-reply is sent once per absence because its dedupe key is
// unique.
package messaging

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence messaging needs. Methods return apperr kinds:
// NotFound for a missing document, Conflict for a unique-index clash.
type Store interface {
	InsertMessage(ctx context.Context, m models.Message) error
	MessageByDedupe(ctx context.Context, key string) (models.Message, error)
	Messages(ctx context.Context, participantID, before, after string, limit int) ([]models.Message, error)
	// ConversationMessage returns one message of participantID's
	// conversation; NotFound when it is not one of them.
	ConversationMessage(ctx context.Context, participantID, id string) (models.Message, error)
	MessagesSince(ctx context.Context, participantIDs []string, since time.Time) ([]models.Message, error)
	ReadMarks(ctx context.Context, participantIDs []string) ([]models.ReadMark, error)
	// ReadMarksOf returns userID's marks in the given conversations.
	ReadMarksOf(ctx context.Context, userID string, participantIDs []string) ([]models.ReadMark, error)
	MarkRead(ctx context.Context, m models.ReadMark) error

	// The conversation summaries (models.Conversation) the inbox pages
	// through; SaveConversation keeps the newest of two.
	Conversation(ctx context.Context, participantID string) (models.Conversation, error)
	SaveConversation(ctx context.Context, c models.Conversation) error
	UpdateConversation(ctx context.Context, participantID string, change func(*models.Conversation) (bool, error)) (models.Conversation, bool, error)
	Conversations(ctx context.Context, counselorIDs []string, below string, p models.Page) ([]models.Conversation, string, error)
	InsertConversations(ctx context.Context, cs []models.Conversation) error
	HasConversation(ctx context.Context, participantIDs []string) (map[string]bool, error)
	LatestMessages(ctx context.Context, participantIDs []string, per int) (map[string][]models.Message, error)
	Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error)
	MigrationDone(ctx context.Context, name string) (bool, error)
	MarkMigrationDone(ctx context.Context, name string) error

	InsertAttachment(ctx context.Context, a models.Attachment, content io.Reader) error
	Attachment(ctx context.Context, participantID, id string) (models.Attachment, error)
	Attachments(ctx context.Context, participantID string, ids []string) ([]models.Attachment, error)
	AttachTo(ctx context.Context, ids []string, messageID string) error
	OpenAttachment(ctx context.Context, id string) (io.ReadCloser, error)

	InsertSavedReply(ctx context.Context, r models.SavedReply) error
	SavedReplies(ctx context.Context, counselorID string) ([]models.SavedReply, error)
	DeleteSavedReply(ctx context.Context, counselorID, id string) error

	User(ctx context.Context, id string) (models.User, error)
	UsersByID(ctx context.Context, ids []string) ([]models.User, error)
	ParticipantsOf(ctx context.Context, counselorIDs []string) ([]models.User, error)
	// Counselors returns every counselor account; StatsParticipants every
	// participant account without name or contact details (for Stats).
	Counselors(ctx context.Context) ([]models.User, error)
	StatsParticipants(ctx context.Context) ([]models.User, error)
	RecordEvent(ctx context.Context, e models.Event) error
}

// Availability tells whether a counselor is in office hours or away, and
// whom they stand in for; *availability.Service satisfies it.
type Availability interface {
	ActiveAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, bool, error)
	OfficeHours(ctx context.Context, counselorID string) (models.OfficeHours, error)
	AbsencesCoveredBy(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error)
}

// Service implements the messaging use cases.
type Service struct {
	store Store
	avail Availability
	now   func() time.Time
	newID func() string
}

// New returns a Service. newID must return time-ordered IDs (UUIDv7): a
// conversation's order is its messages' ID order.
func New(store Store, avail Availability, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, avail: avail, now: func() time.Time { return now().UTC() }, newID: newID}
}

func notFoundParticipant() error {
	return apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
}

// access is a conversation as one caller may use it.
type access struct {
	participant models.User
	// absence is the counselor's absence in force now, if any; standIn
	// tells whether the caller reads as its stand-in.
	absence *models.Absence
	standIn bool
}

// conversation loads the participant and checks that p may do a in their
// conversation: the participant themselves, their counselor, or the
// counselor's stand-in while an absence is in force. Participants asking
// about anyone else get NotFound; other staff Forbidden.
func (s *Service) conversation(ctx context.Context, p auth.Principal, a auth.Action, participantID string) (access, error) {
	if err := auth.Require(p.Role, a); err != nil {
		return access{}, err
	}
	if p.Role == models.RoleParticipant && p.UserID != participantID {
		return access{}, notFoundParticipant()
	}
	u, err := s.store.User(ctx, participantID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleParticipant) {
		return access{}, notFoundParticipant()
	}
	if err != nil {
		return access{}, fmt.Errorf("load participant: %w", err)
	}
	acc := access{participant: u}
	subject := auth.SubjectOf(u)
	if u.CounselorID != "" {
		away, ok, err := s.avail.ActiveAbsence(ctx, u.CounselorID, s.now())
		if err != nil {
			return access{}, err
		}
		if ok {
			acc.absence = &away
			subject.StandInID = away.StandInID
		}
	}
	if err := auth.Authorize(p, a, subject); err != nil {
		return access{}, err
	}
	acc.standIn = p.Role == models.RoleCounselor && p.UserID != u.CounselorID
	return acc, nil
}

// reader is conversation for reading, from the conversation's summary:
// who the participant and their counselor are without reading the
// account, and the counselor's absence only for staff other than the
// counselor (a stand-in). The summary's counselor moves before the
// account's (store.SetCounselor), so it never grants more than the account
// would. A participant without a summary yet is checked the long way.
func (s *Service) reader(ctx context.Context, p auth.Principal, a auth.Action, participantID string) (access, *models.Conversation, error) {
	if err := auth.Require(p.Role, a); err != nil {
		return access{}, nil, err
	}
	if p.Role == models.RoleParticipant && p.UserID != participantID {
		return access{}, nil, notFoundParticipant()
	}
	conv, err := s.store.Conversation(ctx, participantID)
	if apperr.Is(err, apperr.NotFound) {
		acc, err := s.conversation(ctx, p, a, participantID)
		return acc, nil, err
	}
	if err != nil {
		return access{}, nil, err
	}
	u := models.User{ID: conv.ParticipantID, Role: models.RoleParticipant, Name: conv.ParticipantName, CounselorID: conv.CounselorID}
	acc := access{participant: u}
	subject := auth.SubjectOf(u)
	if p.Role != models.RoleParticipant && p.UserID != u.CounselorID && u.CounselorID != "" {
		away, ok, err := s.avail.ActiveAbsence(ctx, u.CounselorID, s.now())
		if err != nil {
			return access{}, nil, err
		}
		if ok {
			acc.absence = &away
			subject.StandInID = away.StandInID
		}
	}
	if err := auth.Authorize(p, a, subject); err != nil {
		return access{}, nil, err
	}
	acc.standIn = p.Role == models.RoleCounselor && p.UserID != u.CounselorID
	return acc, &conv, nil
}

func (s *Service) event(dedupe, typ, recipient string, params map[string]any) models.Event {
	now := s.now()
	return models.Event{ID: s.newID(), DedupeKey: dedupe, Type: typ, RecipientID: recipient, Params: params, CreatedAt: now, DueAt: now}
}
