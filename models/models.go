// Package models holds the entities and value types shared by every layer.
// It imports only the standard library; json tags are the API shape and bson
// tags the stored shape. IDs are opaque strings, times are UTC.
package models

import "time"

// Role is what a person does at Jobbanken; it decides what they may do here.
type Role string

// The roles.
const (
	RoleParticipant Role = "participant" // a jobkunde, on the phone app
	RoleCounselor   Role = "counselor"   // vejleder, on the companion app
	RoleCoordinator Role = "coordinator" // activity coordinator
	RoleAdmin       Role = "admin"       // administration and management
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleParticipant, RoleCounselor, RoleCoordinator, RoleAdmin:
		return true
	}
	return false
}

// Staff reports whether r is a staff role (everyone but participants).
func (r Role) Staff() bool { return r.Valid() && r != RoleParticipant }

// AccountStatus is where an account is in its life.
type AccountStatus string

// The account states.
const (
	StatusInvited AccountStatus = "invited" // created, waiting for activation with a code
	StatusActive  AccountStatus = "active"  // has a login and a password
)

// User is one account: a participant or a staff member.
type User struct {
	ID           string `json:"id" bson:"_id"`
	Role         Role   `json:"role" bson:"role"`
	Name         string `json:"name" bson:"name"`
	DepartmentID string `json:"departmentId,omitempty" bson:"departmentId,omitempty"`
	CounselorID  string `json:"counselorId,omitempty" bson:"counselorId,omitempty"` // participants only
	// ServesDepartmentIDs are the further departments a coordinator serves
	// besides DepartmentID: they manage those activities and rosters too. An
	// admin sets them (setStaffDepartments).
	ServesDepartmentIDs []string      `json:"servesDepartmentIds,omitempty" bson:"servesDepartmentIds,omitempty"`
	Status              AccountStatus `json:"status" bson:"status"`
	// Login is the normalised identifier chosen at activation: a lower-case
	// email address or a Danish mobile number as +45XXXXXXXX.
	Login string `json:"login,omitempty" bson:"login,omitempty"`
	// Email and Phone are contact details given at enrolment.
	Email        string     `json:"email,omitempty" bson:"email,omitempty"`
	Phone        string     `json:"phone,omitempty" bson:"phone,omitempty"`
	PasswordHash string     `json:"-" bson:"passwordHash,omitempty"`
	CreatedAt    time.Time  `json:"createdAt" bson:"createdAt"`
	ActivatedAt  *time.Time `json:"activatedAt,omitempty" bson:"activatedAt,omitempty"`
	// WithdrawnAt is set while a participant has left and is waiting for
	// erasure (the Withdrawal record decides; this copy serves lists).
	WithdrawnAt *time.Time `json:"withdrawnAt,omitempty" bson:"withdrawnAt,omitempty"`
}

// Department is one of Jobbanken's offices (Herning, Aarhus, København, ...).
type Department struct {
	ID        string    `json:"id" bson:"_id"`
	Name      string    `json:"name" bson:"name"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}

// CounselorAssignment records that a participant was assigned to a counselor,
// so the history stays with the participant when the counselor changes.
type CounselorAssignment struct {
	ID            string    `json:"id" bson:"_id"`
	ParticipantID string    `json:"participantId" bson:"participantId"`
	CounselorID   string    `json:"counselorId" bson:"counselorId"`
	AssignedBy    string    `json:"assignedBy" bson:"assignedBy"`
	AssignedAt    time.Time `json:"assignedAt" bson:"assignedAt"`
}

// ActivationCode lets an invited (or resetting) person choose a login and a
// password. Only a hash of the code is stored; the latest code issued to a
// user is the only one that works, and each works once.
type ActivationCode struct {
	ID        string    `json:"-" bson:"_id"`
	CodeHash  string    `json:"-" bson:"codeHash"`
	UserID    string    `json:"-" bson:"userId"`
	CreatedBy string    `json:"-" bson:"createdBy"`
	CreatedAt time.Time `json:"-" bson:"createdAt"`
	ExpiresAt time.Time `json:"-" bson:"expiresAt"`
}

// IssuedCode is an activation code in clear text, shown once to the staff
// member who issued it so they can hand it to the person.
type IssuedCode struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// RefreshToken is the stored form of an opaque refresh token: only its hash.
// All tokens rotated from one login share a FamilyID.
type RefreshToken struct {
	ID        string    `bson:"_id"` // hex SHA-256 of the token
	FamilyID  string    `bson:"familyId"`
	UserID    string    `bson:"userId"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// Event is a domain event in the outbox: something a capability needs to tell
// someone (a waitlist promotion, a new message, a pension warning). Producers
// only insert; DedupeKey is unique, so recording the same event twice is
// harmless. The notifications package turns events into pushes and inbox items.
type Event struct {
	ID          string         `json:"id" bson:"_id"`
	DedupeKey   string         `json:"dedupeKey" bson:"dedupeKey"`
	Type        string         `json:"type" bson:"type"`               // e.g. "participant.counselor_changed"
	RecipientID string         `json:"recipientId" bson:"recipientId"` // user the event is for
	Params      map[string]any `json:"params,omitempty" bson:"params,omitempty"`
	CreatedAt   time.Time      `json:"createdAt" bson:"createdAt"`
	DueAt       time.Time      `json:"dueAt" bson:"dueAt"`
	// ExpiresAt, when set, is when the event stops being worth telling
	// (a reminder: when the thing starts).
	ExpiresAt *time.Time `json:"expiresAt,omitempty" bson:"expiresAt,omitempty"`
	// CollapseKey groups events that replace each other on a phone, e.g.
	// the reminders of one session.
	CollapseKey string `json:"collapseKey,omitempty" bson:"collapseKey,omitempty"`
	State       string `json:"state" bson:"state"` // EventPending until a consumer takes it
}

// The states of an event.
const (
	EventPending  = "pending"  // nobody has consumed it yet
	EventConsumed = "consumed" // the notifications worker made it a notification
)

// Page asks for one page of a list: at most Limit items after the item with
// ID After (empty: from the start). Lists are ordered by ID, which is
// time-ordered, so a page is stable while new items are added.
type Page struct {
	Limit int
	After string
}

// IdempotencyRecord remembers the response to a creating request sent with an
// Idempotency-Key, so a retry gets the same response instead of a duplicate.
type IdempotencyRecord struct {
	ID          string    `bson:"_id"` // caller scope + route + key
	RequestHash string    `bson:"requestHash"`
	Done        bool      `bson:"done"`
	Status      int       `bson:"status,omitempty"`
	ContentType string    `bson:"contentType,omitempty"`
	Body        []byte    `bson:"body,omitempty"`
	CreatedAt   time.Time `bson:"createdAt"`
	ExpiresAt   time.Time `bson:"expiresAt"`
}

// UserFilter narrows a list of accounts. Empty fields do not filter.
type UserFilter struct {
	Roles        []Role
	DepartmentID string
	CounselorID  string
}
