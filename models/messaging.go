package models

import (
	"fmt"
	"strings"
	"time"
)

// MessageKind says what a message in a conversation is.
type MessageKind string

// The message kinds.
const (
	MessageText     MessageKind = "text"
	MessageCallback MessageKind = "callback_request" // "please call me", with a reason
	MessageAutoOff  MessageKind = "auto_reply"       // the counselor is away: who covers, when they are back
)

// CallbackReason is why a participant asks to be called.
type CallbackReason string

// The callback reasons.
const (
	CallbackPension  CallbackReason = "pension"
	CallbackWork     CallbackReason = "work"
	CallbackHardDay  CallbackReason = "hard_day"
	CallbackSomeElse CallbackReason = "other"
)

// Valid reports whether r is a known reason.
func (r CallbackReason) Valid() bool {
	switch r {
	case CallbackPension, CallbackWork, CallbackHardDay, CallbackSomeElse:
		return true
	}
	return false
}

// Message is one message in a participant's conversation with their
// counselor. A participant has exactly one conversation, named by their
// ID, so its history stays with them when the counselor changes. Messages
// are only ever inserted; DedupeKey (conversation, sender, the client's
// message ID) is unique, so a resent message is never stored twice.
type Message struct {
	ID             string         `json:"id" bson:"_id"`
	ParticipantID  string         `json:"participantId" bson:"participantId"`
	ClientID       string         `json:"clientMessageId,omitempty" bson:"clientId,omitempty"`
	DedupeKey      string         `json:"-" bson:"dedupeKey"`
	Kind           MessageKind    `json:"kind" bson:"kind"`
	SenderID       string         `json:"senderId" bson:"senderId"`
	SenderRole     Role           `json:"senderRole" bson:"senderRole"`
	Text           string         `json:"text" bson:"text"`
	AttachmentIDs  []string       `json:"-" bson:"attachmentIds,omitempty"`
	CallbackReason CallbackReason `json:"callbackReason,omitempty" bson:"callbackReason,omitempty"`
	// An auto-reply names the absence it is about, the stand-in and the
	// day the counselor is back.
	AbsenceID  string    `json:"-" bson:"absenceId,omitempty"`
	StandInID  string    `json:"-" bson:"standInId,omitempty"`
	ReturnDate string    `json:"-" bson:"returnDate,omitempty"`
	CreatedAt  time.Time `json:"createdAt" bson:"createdAt"`
}

// FromStaff reports whether a counselor (or stand-in) wrote m.
func (m Message) FromStaff() bool { return m.SenderRole != RoleParticipant && m.Kind == MessageText }

// ReadMark is how far one reader has read one conversation. Its _id is the
// conversation and the reader; unread counts are derived from it.
type ReadMark struct {
	ID            string    `bson:"_id"`
	ParticipantID string    `bson:"participantId"`
	UserID        string    `bson:"userId"`
	LastReadID    string    `bson:"lastReadId"`
	At            time.Time `bson:"at"`
}

// Attachment is a file sent in a conversation; its bytes are in GridFS
// under the same ID. ContentType is sniffed from the content; Size and
// SHA256 are those of the stored bytes (a photo's without its metadata).
type Attachment struct {
	ID            string    `json:"id" bson:"_id"`
	ParticipantID string    `json:"-" bson:"participantId"`
	UploaderID    string    `json:"-" bson:"uploaderId"`
	ContentType   string    `json:"contentType" bson:"contentType"`
	Size          int64     `json:"size" bson:"size"`
	SHA256        string    `json:"sha256" bson:"sha256"`
	MessageID     string    `json:"-" bson:"messageId,omitempty"`
	CreatedAt     time.Time `json:"createdAt" bson:"createdAt"`
}

// SavedReply is one of a counselor's own canned texts.
type SavedReply struct {
	ID          string    `json:"id" bson:"_id"`
	CounselorID string    `json:"-" bson:"counselorId"`
	Title       string    `json:"title" bson:"title"`
	Text        string    `json:"text" bson:"text"`
	CreatedAt   time.Time `json:"createdAt" bson:"createdAt"`
}

// Conversation is the summary of one participant's conversation, kept at
// write time so the counselor's inbox reads a page of small summaries
// instead of every conversation's history (style principle 6): the latest
// message, what is still unanswered, an open callback request, the readers'
// marks and the names of the staff in it. InboxKey orders the inbox (see
// InboxKey). Its _id is the participant's ID. It stays small (no texts, no
// history): the embedded engine reads every document of the collection on
// most queries.
type Conversation struct {
	ParticipantID   string     `bson:"_id"`
	ParticipantName string     `bson:"participantName"`
	CounselorID     string     `bson:"counselorId"`
	LastMessageID   string     `bson:"lastMessageId"`
	LastMessageAt   *time.Time `bson:"lastMessageAt,omitempty"`
	// LastMessageFrom is the role of the latest message that is not an
	// auto-reply, LastFromID that message.
	LastMessageFrom Role   `bson:"lastMessageFrom,omitempty"`
	LastFromID      string `bson:"lastFromId,omitempty"`
	// LastStaffTextID is the latest message staff wrote themselves (not an
	// auto-reply): every participant message before it is answered.
	LastStaffTextID string `bson:"lastStaffTextId,omitempty"`
	// Unanswered are the participant's messages after it, newest first (at
	// most 100).
	Unanswered []Unanswered     `bson:"unanswered,omitempty"`
	Callback   *CallbackRequest `bson:"callback,omitempty"`
	InboxKey   string           `bson:"inboxKey"`
	// Marks is how far each reader has read, by user ID: the read marks
	// (ReadMark), kept here too so the inbox needs no second read.
	Marks map[string]string `bson:"marks,omitempty"`
	// Names are the display names of the staff who wrote the latest
	// messages or are named in them (a stand-in), by user ID.
	Names map[string]string `bson:"names,omitempty"`
}

// Unanswered is a participant's message no staff message has followed yet.
type Unanswered struct {
	ID string    `bson:"id"`
	At time.Time `bson:"at"`
}

// WaitingSince is when the oldest unanswered message came, or nil when
// nothing waits for a reply.
func (c Conversation) WaitingSince() *time.Time {
	if len(c.Unanswered) == 0 {
		return nil
	}
	at := c.Unanswered[len(c.Unanswered)-1].At
	return &at
}

// CallbackRequest is an open "please call me" request: no staff message
// has followed it.
type CallbackRequest struct {
	MessageID string         `bson:"messageId"`
	Reason    CallbackReason `bson:"reason"`
	At        time.Time      `bson:"at"`
}

// InboxKey orders a counselor's inbox when sorted ascending: open callback
// requests first (oldest first), then unanswered conversations (longest
// waiting first), then the rest (latest message first), then those without
// messages (by name). Pass nil for what a conversation does not have.
func InboxKey(callbackAt, waitingSince, lastAt *time.Time, name string) string {
	const latest = 1<<53 - 1 // later than any message, in Unix milliseconds
	switch {
	case callbackAt != nil:
		return fmt.Sprintf("0%016d", callbackAt.UnixMilli())
	case waitingSince != nil:
		return fmt.Sprintf("1%016d", waitingSince.UnixMilli())
	case lastAt != nil:
		return fmt.Sprintf("2%016d", latest-lastAt.UnixMilli())
	}
	return "3" + strings.ToLower(name)
}

// The InboxKey bounds of the inbox filters: keys below InboxUnansweredBelow
// wait for a reply (callback requests included), keys below
// InboxCallbacksBelow are open callback requests.
const (
	InboxUnansweredBelow = "2"
	InboxCallbacksBelow  = "1"
)
