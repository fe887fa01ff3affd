package models

import (
	"strconv"
	"time"
)

// CheckInChoice is a participant's one-tap answer to "Hvordan går det?".
type CheckInChoice string

// The answers.
const (
	CheckInGood CheckInChoice = "good"
	CheckInOkay CheckInChoice = "okay"
	CheckInTalk CheckInChoice = "talk" // "I'd like to talk": asks the counselor to call
)

// Valid reports whether c is a known answer.
func (c CheckInChoice) Valid() bool { return c == CheckInGood || c == CheckInOkay || c == CheckInTalk }

// CheckIn is one "Hvordan går det?" sent by a counselor or an admin to the
// active participants of one department, or of every department.
//
// Who was asked is kept as one CheckInRecipient per participant; answers
// are append-only CheckInAnswer versions. The tally is derived from both
// when it is read, so nothing is ever counted in this document.
type CheckIn struct {
	ID       string `json:"id" bson:"_id"`
	SenderID string `json:"senderId" bson:"senderId"`
	// DepartmentID is the department asked; "" means every department.
	DepartmentID string    `json:"departmentId,omitempty" bson:"departmentId"`
	CreatedAt    time.Time `json:"createdAt" bson:"createdAt"`
	// ClosesAt is when answers stop being taken (and the notification stops
	// being worth showing).
	ClosesAt time.Time `json:"closesAt" bson:"closesAt"`
	// SentAt is set once every participant in the audience was asked;
	// Recipients is how many that was.
	SentAt     *time.Time `json:"sentAt,omitempty" bson:"sentAt,omitempty"`
	Recipients int        `json:"recipients" bson:"recipients"`
}

// CheckInRecipient records that one participant was asked. Its _id is
// "<checkIn>/<participant>", so asking again (a resumed send) adds nothing.
type CheckInRecipient struct {
	ID            string `bson:"_id"`
	CheckInID     string `bson:"checkInId"`
	ParticipantID string `bson:"participantId"`
	DepartmentID  string `bson:"departmentId"` // the participant's department when asked
}

// CheckInRecipientID names the recipient record of one participant.
func CheckInRecipientID(checkInID, participantID string) string {
	return checkInID + "/" + participantID
}

// CheckInAnswer is one version of a participant's answer. A change of mind
// inserts the next version under the _id CheckInAnswerID(...), so two
// answers racing cannot both become the same version; the current answer
// is the highest version.
type CheckInAnswer struct {
	ID            string        `json:"-" bson:"_id"`
	CheckInID     string        `json:"checkInId" bson:"checkInId"`
	ParticipantID string        `json:"participantId" bson:"participantId"`
	DepartmentID  string        `json:"-" bson:"departmentId"`
	Version       int           `json:"version" bson:"version"`
	Choice        CheckInChoice `json:"choice" bson:"choice"`
	Text          string        `json:"text" bson:"text"`
	AnsweredAt    time.Time     `json:"answeredAt" bson:"answeredAt"`
}

// CheckInAnswerID names version v of a participant's answer to a check-in.
func CheckInAnswerID(checkInID, participantID string, v int) string {
	return checkInID + "/" + participantID + "/" + strconv.Itoa(v)
}
