package models

import "time"

// DataExportFormat names the shape of DataExport; it changes when a field
// changes meaning or goes away (adding a section does not change it).
const DataExportFormat = "jobkunde.data-export/1"

// DataExport is everything the service holds about one participant, as one
// JSON document: what they get for a request of access or portability
// (GDPR arts. 15 and 20). It holds no secrets: no password hash, refresh
// token, activation code, calendar-feed token or push token, in any form.
// Sections reuse the models' JSON where it is safe and complete; the
// Export… types below stand in where a model's JSON hides personal data
// (hours in minutes) or would show a secret.
type DataExport struct {
	Format      string    `json:"format"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Profile is the account (its JSON never carries the password hash).
	Profile          User                  `json:"profile"`
	CounselorHistory []CounselorAssignment `json:"counselorHistory"`
	Enrollments      []ExportEnrollment    `json:"enrollments"`
	Attendance       []Attendance          `json:"attendance"`
	Conversation     ExportConversation    `json:"conversation"`
	Employments      []ExportEmployment    `json:"employments"`
	// Consents are every giving and withdrawing, of every purpose
	// (employer contact per employment, statistics, push, terms).
	Consents          []ConsentRecord      `json:"consents"`
	FollowUps         []FollowUp           `json:"followUps"`
	FollowUpNotes     []ExportFollowUpNote `json:"followUpNotes"`
	Hours             []ExportHours        `json:"hours"`
	Payslips          []ExportPayslip      `json:"payslips"`
	PensionProfile    *ExportPension       `json:"pensionProfile"`
	Plan              ExportPlan           `json:"plan"`
	Notifications     []ExportNotification `json:"notifications"`
	Devices           []ExportDevice       `json:"devices"`
	NotificationPrefs *NotificationPrefs   `json:"notificationPreferences"`
	CheckInAnswers    []CheckInAnswer      `json:"checkInAnswers"`
	Celebrations      []ExportCelebration  `json:"celebrations"`
	// CalendarFeed says whether a calendar link exists and since when; the
	// link's secret is not stored, only its hash, which is not exported.
	CalendarFeed *CalendarFeed `json:"calendarFeed"`
	// AccessLog is who among the staff read or changed their data, when.
	AccessLog  []ExportAccess `json:"accessLog"`
	Withdrawal *Withdrawal    `json:"withdrawal"`
}

// ExportEnrollment is an enrolment with what it was for.
type ExportEnrollment struct {
	Enrollment
	ActivityTitle Text            `json:"activityTitle"`
	Location      string          `json:"location,omitempty"`
	Sessions      []ExportSession `json:"sessions"`
}

// ExportSession is when one session of an enrolment's activity was.
type ExportSession struct {
	ID       string    `json:"id"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	State    string    `json:"state"`
}

// ExportConversation is the participant's conversation: every message in
// it, by them or by staff, and the files sent in it (described, not their
// bytes). Callbacks are their "please call me" requests (also messages).
type ExportConversation struct {
	Messages    []ExportMessage    `json:"messages"`
	Callbacks   []ExportCallback   `json:"callbacks"`
	Attachments []ExportAttachment `json:"attachments"`
}

// ExportMessage is one message of the conversation.
type ExportMessage struct {
	ID         string      `json:"id"`
	Kind       MessageKind `json:"kind"`
	SenderRole Role        `json:"senderRole"`
	// SenderName is the staff member's name; empty for the participant's own.
	SenderName    string         `json:"senderName,omitempty"`
	Text          string         `json:"text"`
	AttachmentIDs []string       `json:"attachmentIds,omitempty"`
	Callback      CallbackReason `json:"callbackReason,omitempty"`
	CreatedAt     time.Time      `json:"createdAt"`
}

// ExportCallback is one "please call me" request.
type ExportCallback struct {
	MessageID string         `json:"messageId"`
	Reason    CallbackReason `json:"reason"`
	Note      string         `json:"note,omitempty"`
	At        time.Time      `json:"at"`
}

// ExportAttachment describes one file of the conversation. The service
// keeps no original file name: a file is known by its ID.
type ExportAttachment struct {
	ID          string    `json:"id"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	MessageID   string    `json:"messageId,omitempty"` // empty: uploaded, never sent
	UploadedBy  Role      `json:"uploadedBy"`
	CreatedAt   time.Time `json:"createdAt"`
}

// ExportEmployment is an employment with its end and its agreed hours
// (which the API shows as hours, kept here as stored: minutes a week).
type ExportEmployment struct {
	Employment
	WeeklyMinutes int `json:"weeklyMinutes"`
}

// ExportFollowUpNote is a counselor's note on a follow-up meeting,
// internal ones included (marked so).
type ExportFollowUpNote struct {
	FollowUpNote
	FollowUpID string `json:"followUpId"`
}

// ExportHours is one hours entry as stored.
type ExportHours struct {
	HoursEntry
	Minutes int `json:"minutes"`
}

// ExportPayslip is one payslip as stored.
type ExportPayslip struct {
	Payslip
	Minutes int `json:"minutes"`
}

// ExportPension is the pension profile as stored.
type ExportPension struct {
	PensionProfile
	PlannedWeeklyMinutes *int `json:"plannedWeeklyMinutes,omitempty"`
}

// ExportPlan is the plan: every goal in its current revision (deleted
// goals left out: their last revision has no content), with its notes,
// and every tick of a sub-goal.
type ExportPlan struct {
	Goals []Goal       `json:"goals"`
	Ticks []ExportTick `json:"ticks"`
}

// ExportTick is one ticking (or unticking) of a sub-goal.
type ExportTick struct {
	GoalID    string    `json:"goalId"`
	SubGoalID string    `json:"subGoalId"`
	Done      bool      `json:"done"`
	ByRole    Role      `json:"byRole"`
	At        time.Time `json:"at"`
}

// ExportNotification is one item of the participant's inbox (and push).
type ExportNotification struct {
	ID        string            `json:"id"`
	Category  string            `json:"category"`
	Type      string            `json:"type"`
	Params    map[string]string `json:"params,omitempty"`
	State     NotificationState `json:"state"`
	DueAt     time.Time         `json:"dueAt"`
	SentAt    *time.Time        `json:"sentAt,omitempty"`
	ReadAt    *time.Time        `json:"readAt,omitempty"`
	CreatedAt time.Time         `json:"createdAt"`
}

// ExportDevice is a phone registered for pushes: platform and dates only,
// never its push token.
type ExportDevice struct {
	Platform    string    `json:"platform"`
	CreatedAt   time.Time `json:"createdAt"`
	RefreshedAt time.Time `json:"refreshedAt"`
}

// ExportCelebration is a "Godt Gået" of the participant with what its
// activity says and every answer they gave. The guest names are theirs to
// see (they are shown the guest list in the app too).
type ExportCelebration struct {
	Celebration
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Location    string `json:"location"`
	State       string `json:"state"`
	RSVPs       []RSVP `json:"rsvps"`
}

// ExportAccess is one line of the access log as the participant reads it:
// who (name and role), what (the action), read or change, and when.
type ExportAccess struct {
	At        time.Time  `json:"at"`
	ActorName string     `json:"actorName"`
	ActorRole Role       `json:"actorRole"`
	Action    string     `json:"action"`
	Kind      AccessKind `json:"kind"`
}
