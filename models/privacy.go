package models

import (
	"slices"
	"time"
)

// LeaveReason is why a participation ended (udmeldelse).
type LeaveReason string

// The reasons for leaving.
const (
	LeaveNoLongerWanted LeaveReason = "no_longer_wanted" // no longer wants support, often in stable work
	LeaveFlexjob        LeaveReason = "flexjob"          // moved to a fleksjob, which ends the pension
	LeaveOldAgePension  LeaveReason = "old_age_pension"  // moved to folkepension
	LeavePoorMatch      LeaveReason = "poor_match"       // the programme did not fit
	LeaveNoConsent      LeaveReason = "no_consent"       // did not consent
	LeaveOther          LeaveReason = "other"
)

// LeaveReasons lists every reason, in the order forms show them.
var LeaveReasons = []LeaveReason{LeaveNoLongerWanted, LeaveFlexjob, LeaveOldAgePension, LeavePoorMatch, LeaveNoConsent, LeaveOther}

// Valid reports whether r is a known reason.
func (r LeaveReason) Valid() bool { return slices.Contains(LeaveReasons, r) }

// Withdrawal is the end of a participation. Its _id is the participant, so
// a participant leaves once (a second attempt is a Conflict); undoing it
// deletes the record while EraseAfter is still ahead. When EraseAfter has
// passed, the erasure job removes the participant's personal data and then
// this record; what remains is one LeaverRecord under AnonID, which
// nothing else links back to the participant.
type Withdrawal struct {
	ParticipantID string      `json:"participantId" bson:"_id"`
	DepartmentID  string      `json:"departmentId,omitempty" bson:"departmentId,omitempty"`
	Reason        LeaveReason `json:"reason" bson:"reason"`
	At            time.Time   `json:"at" bson:"at"`
	ByID          string      `json:"-" bson:"byId"`
	ByRole        Role        `json:"byRole" bson:"byRole"`
	EraseAfter    time.Time   `json:"eraseAfter" bson:"eraseAfter"`
	AnonID        string      `json:"-" bson:"anonId"`
}

// LeaverRecord is what statistics keep of a participant after erasure. With
// statistics consent it holds the course of the participation (dates,
// reason, employment outcomes); without, only what a count needs.
type LeaverRecord struct {
	ID           string      `json:"-" bson:"_id"` // random, unrelated to the participant's ID
	DepartmentID string      `json:"departmentId,omitempty" bson:"departmentId,omitempty"`
	Reason       LeaveReason `json:"reason" bson:"reason"`
	LeftYear     int         `json:"leftYear" bson:"leftYear"`
	Consented    bool        `json:"consented" bson:"consented"`
	// Only with statistics consent:
	StartedOn   string              `json:"startedOn,omitempty" bson:"startedOn,omitempty"` // date of enrolment, "2006-01-02"
	LeftOn      string              `json:"leftOn,omitempty" bson:"leftOn,omitempty"`
	Employments []EmploymentOutcome `json:"employments,omitempty" bson:"employments,omitempty"`
	// AccessLogEntries is how many staff reads and changes were logged
	// before the log was erased ("counts remain").
	AccessLogEntries int `json:"accessLogEntries" bson:"accessLogEntries"`
}

// EmploymentOutcome is an employment without anything personal: its type and dates.
type EmploymentOutcome struct {
	Type      EmploymentType `json:"type" bson:"type"`
	StartDate string         `json:"startDate" bson:"startDate"`
	EndDate   string         `json:"endDate,omitempty" bson:"endDate,omitempty"`
}

// AccessKind tells a read from a change.
type AccessKind string

// The access kinds.
const (
	AccessRead   AccessKind = "read"
	AccessChange AccessKind = "change"
)

// AccessEntry is one line of the access log: a staff member read or changed
// a participant's data. It names who, what area (the policy action) and
// when, never the data itself. Entries are only inserted; they are erased
// with the participant.
type AccessEntry struct {
	ID            string     `json:"id" bson:"_id"`
	ParticipantID string     `json:"participantId" bson:"participantId"`
	ActorID       string     `json:"actorId" bson:"actorId"`
	ActorRole     Role       `json:"actorRole" bson:"actorRole"`
	Action        string     `json:"action" bson:"action"` // e.g. "work.read"
	Kind          AccessKind `json:"kind" bson:"kind"`
	Route         string     `json:"route" bson:"route"` // method and route template, e.g. "GET /v1/participants/:id/hours"
	RequestID     string     `json:"requestId" bson:"requestId"`
	At            time.Time  `json:"at" bson:"at"`
}

// AccessFilter narrows an access-log search. Empty fields do not filter.
type AccessFilter struct {
	ParticipantID string
	ActorID       string
	From, To      time.Time // zero: open
}
