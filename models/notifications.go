package models

import "time"

// Device is one phone (or companion-app install) that receives pushes. Its
// _id is a hash of the FCM token, so one token is one record; the token
// itself is never shown.
type Device struct {
	ID          string    `json:"id" bson:"_id"`
	UserID      string    `json:"-" bson:"userId"`
	SessionID   string    `json:"-" bson:"sessionId"` // the login it came with; logout removes it
	Token       string    `json:"-" bson:"token"`
	Platform    string    `json:"platform" bson:"platform"` // "ios" or "android"
	AppVersion  string    `json:"appVersion" bson:"appVersion"`
	Locale      string    `json:"locale" bson:"locale"` // "da" or "en"
	CreatedAt   time.Time `json:"createdAt" bson:"createdAt"`
	RefreshedAt time.Time `json:"refreshedAt" bson:"refreshedAt"`
}

// NotificationState is where a notification stands.
type NotificationState string

// The notification states.
const (
	NotifyPending   NotificationState = "pending"   // waiting to be sent (due, deferred or retrying)
	NotifySent      NotificationState = "sent"      // handled: pushed to every device (or none to push to)
	NotifyInboxOnly NotificationState = "inbox"     // the recipient wants it in the inbox only
	NotifyExpired   NotificationState = "expired"   // its moment passed before it could be sent
	NotifyCancelled NotificationState = "cancelled" // what it was about was cancelled before it was sent
	NotifyOff       NotificationState = "off"       // the recipient switched its category off
	NotifyFailed    NotificationState = "failed"    // gave up after repeated errors; LastError says why
)

// Notification is one thing to tell one person: a push to their devices
// (when they want pushes) and an item in their in-app inbox. It is made
// from an outbox event and shares its dedupe key, so a repeated event makes
// no second notification.
type Notification struct {
	ID            string            `bson:"_id"`
	RecipientID   string            `bson:"recipientId"`
	RecipientRole Role              `bson:"recipientRole"`
	DedupeKey     string            `bson:"dedupeKey"`
	Category      string            `bson:"category"`
	Template      string            `bson:"template"` // the event type
	Params        map[string]string `bson:"params,omitempty"`
	Urgent        bool              `bson:"urgent,omitempty"` // may be pushed in quiet hours
	CollapseKey   string            `bson:"collapseKey,omitempty"`
	CreatedAt     time.Time         `bson:"createdAt"`
	DueAt         time.Time         `bson:"dueAt"` // from when it shows in the inbox
	// NextPushAt is when the worker next tries to push it: DueAt at first,
	// later after quiet hours or a back-off.
	NextPushAt time.Time         `bson:"nextPushAt"`
	ExpiresAt  *time.Time        `bson:"expiresAt,omitempty"`
	State      NotificationState `bson:"state"`
	Attempts   int               `bson:"attempts"`
	LeaseUntil time.Time         `bson:"leaseUntil"`
	LeaseOwner string            `bson:"leaseOwner,omitempty"` // the claim that holds it
	LastError  string            `bson:"lastError,omitempty"`
	SentAt     *time.Time        `bson:"sentAt,omitempty"`
	ReadAt     *time.Time        `bson:"readAt,omitempty"`
	// Retracted is set when what a sent notification was about was
	// cancelled; the inbox shows it as such.
	Retracted bool `bson:"retracted,omitempty"`
}

// Delivery records that a notification went to one device. Its _id is the
// notification and the device, inserted before the push: even a worker that
// dies after pushing cannot make a second push to the same device.
type Delivery struct {
	ID             string    `bson:"_id"`
	NotificationID string    `bson:"notificationId"`
	DeviceID       string    `bson:"deviceId"`
	State          string    `bson:"state"` // "sending", "sent", "gone" (device unregistered)
	At             time.Time `bson:"at"`
}

// NotificationPrefs are a person's choices: per category "push", "inbox"
// (no push) or "off", and their quiet hours. Its _id is the user's ID.
type NotificationPrefs struct {
	UserID     string            `json:"-" bson:"_id"`
	Categories map[string]string `json:"categories" bson:"categories"`
	QuietFrom  string            `json:"quietFrom" bson:"quietFrom"` // "21:00", Europe/Copenhagen
	QuietTo    string            `json:"quietTo" bson:"quietTo"`     // "08:00"
	UpdatedAt  *time.Time        `json:"updatedAt,omitempty" bson:"updatedAt,omitempty"`
}
