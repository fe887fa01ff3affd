package models

import (
	"strconv"
	"time"
)

// GuestRelation is how an invited guest knows the participant.
type GuestRelation string

// The relations.
const (
	GuestCompany   GuestRelation = "company"   // the workplace (the manager, HR)
	GuestColleague GuestRelation = "colleague" // colleagues
	GuestRelative  GuestRelation = "relative"  // family
	GuestOther     GuestRelation = "other"     // friends, a contact person, ...
)

// Valid reports whether r is a known relation.
func (r GuestRelation) Valid() bool {
	switch r {
	case GuestCompany, GuestColleague, GuestRelative, GuestOther:
		return true
	}
	return false
}

// Guest is one line of a celebration's guest list: a name (a person or a
// group, e.g. "Kolleger fra lageret") and how many come. Guests need no
// account. Their names are third parties' personal data: they are shown
// only with the celebration itself, to those who plan or are celebrated.
type Guest struct {
	Name     string        `json:"name" bson:"name"`
	Relation GuestRelation `json:"relation" bson:"relation"`
	Count    int           `json:"count" bson:"count"`
}

// Celebration is a "Godt Gået": one participant celebrated, usually for 2,
// 5 or 10 years in the same job, at an activity of kind celebration with
// the same ID. Title, place and state are the activity's; the celebration
// holds who is celebrated, why and who is invited.
type Celebration struct {
	ID             string    `json:"id" bson:"_id"` // = the activity's ID
	ParticipantID  string    `json:"participantId" bson:"participantId"`
	DepartmentID   string    `json:"departmentId" bson:"departmentId"`
	EmploymentID   string    `json:"employmentId,omitempty" bson:"employmentId,omitempty"`
	MilestoneYears int       `json:"milestoneYears,omitempty" bson:"milestoneYears,omitempty"`
	Guests         []Guest   `json:"guests,omitempty" bson:"guests"`
	StartsAt       time.Time `json:"startsAt" bson:"startsAt"`
	EndsAt         time.Time `json:"endsAt" bson:"endsAt"`
	// SlotKey is unique: "milestone/<participant>/<employment>/<years>" for
	// a milestone while the celebration is not cancelled (so one milestone is
	// celebrated once), "celebration/<id>" otherwise.
	SlotKey   string    `json:"-" bson:"slotKey"`
	CreatedBy string    `json:"-" bson:"createdBy"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}

// MilestoneSlot is the slot key of a celebrated milestone.
func MilestoneSlot(participantID, employmentID string, years int) string {
	return "milestone/" + participantID + "/" + employmentID + "/" + strconv.Itoa(years)
}

// RSVPAnswer is the celebrated participant's answer to the invitation.
type RSVPAnswer string

// The answers.
const (
	RSVPYes   RSVPAnswer = "yes"
	RSVPNo    RSVPAnswer = "no"
	RSVPMaybe RSVPAnswer = "maybe"
)

// Valid reports whether a is a known answer.
func (a RSVPAnswer) Valid() bool { return a == RSVPYes || a == RSVPNo || a == RSVPMaybe }

// RSVP is one answer of the participant to their celebration. Answers are
// only inserted; the latest (highest ID, IDs being time-ordered) counts.
type RSVP struct {
	ID            string     `json:"-" bson:"_id"`
	CelebrationID string     `json:"-" bson:"celebrationId"`
	ParticipantID string     `json:"-" bson:"participantId"`
	Answer        RSVPAnswer `json:"answer" bson:"answer"`
	Note          string     `json:"note,omitempty" bson:"note"`
	AnsweredAt    time.Time  `json:"answeredAt" bson:"answeredAt"`
}

// CelebrationFilter narrows a list of celebrations. Empty fields do not
// filter, except ParticipantIDs: non-nil keeps only those participants'.
type CelebrationFilter struct {
	DepartmentID   string
	ParticipantIDs []string
	EndsAfter      time.Time
}
