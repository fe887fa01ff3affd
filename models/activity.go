package models

import "time"

// Text is a user-facing text in Danish (always) and English (optional).
type Text struct {
	Da string `json:"da" bson:"da"`
	En string `json:"en,omitempty" bson:"en,omitempty"`
}

// ActivityKind is which strand of the method an activity belongs to.
type ActivityKind string

// The kinds.
const (
	KindSport   ActivityKind = "sport"   // swimming, cycling, yoga, strength
	KindNetwork ActivityKind = "network" // gatherings, museum visits, hikes
	KindCourse  ActivityKind = "course"  // upskilling, "Klædt på til job", "Når du tjener penge"
	// KindCelebration is a "Godt Gået" celebration of one participant: by
	// invitation only, never in the catalogue, no sign-up (see Celebration).
	KindCelebration ActivityKind = "celebration"
)

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool { return k.Catalogue() || k == KindCelebration }

// Catalogue reports whether activities of kind k are offered in the
// catalogue for participants to sign up for (every kind but celebrations).
func (k ActivityKind) Catalogue() bool { return k == KindSport || k == KindNetwork || k == KindCourse }

// EnrollmentMode says what one sign-up covers.
type EnrollmentMode string

// The modes.
const (
	ModeActivity EnrollmentMode = "activity" // one enrolment covers every session (a course, a hike)
	ModeSession  EnrollmentMode = "session"  // drop-in: one enrolment per session (weekly yoga)
)

// Valid reports whether m is a known mode.
func (m EnrollmentMode) Valid() bool { return m == ModeActivity || m == ModeSession }

// Lifecycle states of activities and sessions. Nothing is deleted: a
// cancelled activity or session stays, marked.
const (
	StateScheduled = "scheduled"
	StateCancelled = "cancelled"
)

// Activity is something participants sign up for.
type Activity struct {
	ID               string         `json:"id" bson:"_id"`
	Kind             ActivityKind   `json:"kind" bson:"kind"`
	Title            Text           `json:"title" bson:"title"`
	Description      Text           `json:"description" bson:"description"`
	WhatToBring      Text           `json:"whatToBring" bson:"whatToBring"`
	Location         string         `json:"location" bson:"location"`
	DepartmentID     string         `json:"departmentId" bson:"departmentId"`
	Mode             EnrollmentMode `json:"mode" bson:"mode"`
	Capacity         int            `json:"capacity" bson:"capacity"` // per activity (mode activity) or per session (mode session)
	RequiresApproval bool           `json:"requiresApproval" bson:"requiresApproval"`
	SignupOpensAt    *time.Time     `json:"signupOpensAt,omitempty" bson:"signupOpensAt,omitempty"`
	SignupClosesAt   *time.Time     `json:"signupClosesAt,omitempty" bson:"signupClosesAt,omitempty"`
	// CancelDeadlineHours before a session starts; cancelling later is
	// allowed but marked late.
	CancelDeadlineHours int `json:"cancelDeadlineHours" bson:"cancelDeadlineHours"`
	// CompletionMinSessions is how many sessions an activity-mode enrolment
	// must attend to count as completed (e.g. 3 of 4).
	CompletionMinSessions int `json:"completionMinSessions,omitempty" bson:"completionMinSessions,omitempty"`
	// FirstStartsAt and LastEndsAt span the scheduled sessions, for date
	// filters; they are kept up to date as sessions are added.
	FirstStartsAt *time.Time `json:"firstStartsAt,omitempty" bson:"firstStartsAt,omitempty"`
	LastEndsAt    *time.Time `json:"lastEndsAt,omitempty" bson:"lastEndsAt,omitempty"`
	State         string     `json:"state" bson:"state"`
	CancelledAt   *time.Time `json:"cancelledAt,omitempty" bson:"cancelledAt,omitempty"`
	CreatedBy     string     `json:"-" bson:"createdBy"`
	CreatedAt     time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt" bson:"updatedAt"`
}

// Session is one occurrence of an activity.
type Session struct {
	ID          string     `json:"id" bson:"_id"`
	ActivityID  string     `json:"activityId" bson:"activityId"`
	StartsAt    time.Time  `json:"startsAt" bson:"startsAt"`
	EndsAt      time.Time  `json:"endsAt" bson:"endsAt"`
	State       string     `json:"state" bson:"state"`
	CancelledAt *time.Time `json:"cancelledAt,omitempty" bson:"cancelledAt,omitempty"`
}

// EnrollmentState is where an enrolment record is. Whether a queued
// enrolment is confirmed or waitlisted is not stored: it is derived from its
// rank in the queue (see EnrollmentStatus).
type EnrollmentState string

// The stored states.
const (
	EnrollAwaitingApproval EnrollmentState = "awaiting_approval"
	EnrollQueued           EnrollmentState = "queued"
	EnrollDeclined         EnrollmentState = "declined"
	// EnrollApproved closes a request that was approved: the approval
	// created a new, queued enrolment (ApprovedAs) that joined the queue then.
	EnrollApproved  EnrollmentState = "approved"
	EnrollCancelled EnrollmentState = "cancelled"
)

// Enrollment is one participant's sign-up for an activity (mode activity)
// or one session (mode session). It is append-only in spirit: a cancelled or
// declined enrolment stays; signing up again makes a new one.
type Enrollment struct {
	ID            string          `json:"id" bson:"_id"`
	ActivityID    string          `json:"activityId" bson:"activityId"`
	SessionID     string          `json:"sessionId,omitempty" bson:"sessionId"` // "" in mode activity
	ParticipantID string          `json:"participantId" bson:"participantId"`
	State         EnrollmentState `json:"state" bson:"state"`
	// SlotKey is unique: "<activity>/<session>/<participant>" while the
	// enrolment is open (awaiting approval or queued), "closed/<id>" after.
	// The unique index makes a second sign-up return the first one.
	SlotKey string `json:"-" bson:"slotKey"`
	// QueueNo is the enrolment's ticket number in its queue and Ticket
	// ("<activity>/<session>/<n>", unique) the claim on it: the enrolment is
	// inserted with the next free number, and a clash means someone else
	// took it, so the next is tried. Every lower ticket's enrolment already
	// exists when a ticket is taken, so a participant's place (rank: the
	// queued enrolments with a smaller number) can only improve afterwards.
	// A request waiting for approval is in no queue: its Ticket is
	// "request/<id>", so the unique index always sees the field set.
	QueueNo int64  `json:"-" bson:"queueNo,omitempty"`
	Ticket  string `json:"-" bson:"ticket"`
	// ApprovedAs is, on an approved request, the enrolment it became.
	ApprovedAs string `json:"-" bson:"approvedAs,omitempty"`
	// WaitlistedAt is when the participant was last told they are on the
	// waitlist (nil: never). Their next promotion is announced exactly once,
	// keyed by this time.
	WaitlistedAt   *time.Time `json:"-" bson:"waitlistedAt,omitempty"`
	CreatedAt      time.Time  `json:"createdAt" bson:"createdAt"`
	DecidedAt      *time.Time `json:"decidedAt,omitempty" bson:"decidedAt,omitempty"`
	DecidedBy      string     `json:"-" bson:"decidedBy,omitempty"`
	DecisionReason string     `json:"decisionReason,omitempty" bson:"decisionReason,omitempty"`
	CancelledAt    *time.Time `json:"cancelledAt,omitempty" bson:"cancelledAt,omitempty"`
	LateCancel     bool       `json:"lateCancellation,omitempty" bson:"lateCancel,omitempty"`
}

// ActivityFilter narrows the catalogue. Empty fields do not filter; From/To
// keep activities with a session in the range.
type ActivityFilter struct {
	Kind         ActivityKind
	Kinds        []ActivityKind // any of these (with Kind empty)
	DepartmentID string
	// ExceptDepartmentID leaves out this department's activities (the
	// catalogue lists the caller's own department first, the rest after).
	ExceptDepartmentID string
	From, To           *time.Time
	State              string
}

// EnrollmentFilter narrows a list of enrolments.
type EnrollmentFilter struct {
	ParticipantID string
	// ParticipantIDs, when set, keeps the enrolments of any of these
	// participants (a caseload's pending approvals).
	ParticipantIDs []string
	ActivityID     string
	SessionID      *string // nil: any session
	States         []EnrollmentState
}

// EnrollmentStatus is what a participant sees: derived from the stored
// state and, for queued enrolments, the rank in the queue.
type EnrollmentStatus string

// The statuses.
const (
	StatusConfirmed        EnrollmentStatus = "confirmed"
	StatusWaitlisted       EnrollmentStatus = "waitlisted"
	StatusAwaitingApproval EnrollmentStatus = "awaiting_approval"
	StatusDeclined         EnrollmentStatus = "declined"
	StatusCancelled        EnrollmentStatus = "cancelled"
)

// EnrollmentView is an enrolment with its derived status.
type EnrollmentView struct {
	Enrollment
	Status EnrollmentStatus `json:"status"`
	// WaitlistPosition is 1 for the first on the waitlist; 0 otherwise.
	WaitlistPosition int `json:"waitlistPosition,omitempty"`
	// Attendance is what was recorded for this enrolment, per session.
	Attendance []SessionMark `json:"attendance,omitempty"`
	// Completed is set for activity-mode enrolments when the activity has a
	// completion minimum: whether it was reached.
	Completed *bool `json:"completed,omitempty"`
}

// SessionMark is one session's attendance mark on an enrolment.
type SessionMark struct {
	SessionID string         `json:"sessionId"`
	Mark      AttendanceMark `json:"mark"`
}

// EnrollmentChange is a state change of one enrolment.
type EnrollmentChange struct {
	From       []EnrollmentState // the change applies only in one of these states
	To         EnrollmentState
	At         time.Time
	By         string
	Reason     string
	Late       bool
	ApprovedAs string // the queued enrolment an approved request became
}

// AttendanceMark is what happened with one participant at one session.
type AttendanceMark string

// The marks.
const (
	MarkAttended AttendanceMark = "attended"
	MarkNoShow   AttendanceMark = "no_show"
	MarkExcused  AttendanceMark = "excused"
)

// Valid reports whether m is a known mark.
func (m AttendanceMark) Valid() bool { return m == MarkAttended || m == MarkNoShow || m == MarkExcused }

// Attendance is one participant's mark for one session. Its ID is
// "<session>/<participant>": recording again replaces the mark.
type Attendance struct {
	ID            string         `json:"-" bson:"_id"`
	ActivityID    string         `json:"activityId" bson:"activityId"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	EnrollmentID  string         `json:"enrollmentId" bson:"enrollmentId"`
	ParticipantID string         `json:"participantId" bson:"participantId"`
	Mark          AttendanceMark `json:"mark" bson:"mark"`
	RecordedBy    string         `json:"-" bson:"recordedBy"`
	RecordedAt    time.Time      `json:"recordedAt" bson:"recordedAt"`
}
