package models

import "time"

// EmploymentType is the kind of work a participant does at a company. The
// values match pension.EmploymentType.
type EmploymentType string

// The employment types.
const (
	EmploymentInternship  EmploymentType = "internship"   // virksomhedspraktik: unpaid
	EmploymentWageSubsidy EmploymentType = "wage_subsidy" // job med løntilskud / skånejob
	EmploymentOrdinary    EmploymentType = "ordinary"
	EmploymentFlexjob     EmploymentType = "flexjob" // means leaving the pension and the target group
)

// Valid reports whether t is a known type.
func (t EmploymentType) Valid() bool {
	switch t {
	case EmploymentInternship, EmploymentWageSubsidy, EmploymentOrdinary, EmploymentFlexjob:
		return true
	}
	return false
}

// EndReason says why an employment ended.
type EndReason string

// The end reasons.
const (
	EndInternshipFinished EndReason = "internship_finished"
	EndBecameWageSubsidy  EndReason = "became_wage_subsidy"
	EndBecameOrdinary     EndReason = "became_ordinary"
	EndBecameFlexjob      EndReason = "became_flexjob"
	EndParticipantLeft    EndReason = "participant_left"
	EndCompanyEnded       EndReason = "company_ended"
	EndOther              EndReason = "other"
)

// Valid reports whether r is a known reason.
func (r EndReason) Valid() bool {
	switch r {
	case EndInternshipFinished, EndBecameWageSubsidy, EndBecameOrdinary, EndBecameFlexjob,
		EndParticipantLeft, EndCompanyEnded, EndOther:
		return true
	}
	return false
}

// Company is the employer and the person Jobbanken would talk to there.
type Company struct {
	Name          string `json:"name" bson:"name"`
	ContactPerson string `json:"contactPerson,omitempty" bson:"contactPerson,omitempty"`
	Phone         string `json:"phone,omitempty" bson:"phone,omitempty"`
	Email         string `json:"email,omitempty" bson:"email,omitempty"`
}

// Employment is one job, internship or wage-subsidy job of a participant.
// Dates are Europe/Copenhagen calendar dates ("YYYY-MM-DD"); hours are kept
// in whole minutes and money in øre, so sums are exact.
type Employment struct {
	ID            string         `json:"id" bson:"_id"`
	ParticipantID string         `json:"participantId" bson:"participantId"`
	Company       Company        `json:"company" bson:"company"`
	Type          EmploymentType `json:"type" bson:"type"`
	StartDate     string         `json:"startDate" bson:"startDate"`
	// EndDate is the planned last day (an internship's agreed end), or the
	// actual last day once the employment has ended.
	EndDate       string `json:"endDate,omitempty" bson:"endDate,omitempty"`
	HourlyWageOre int64  `json:"hourlyWageOre" bson:"hourlyWageOre"` // gross; 0 for an internship
	WeeklyMinutes int    `json:"-" bson:"weeklyMinutes"`             // agreed hours a week, in minutes
	// TaskNotes are the agreed tasks and considerations (skånehensyn).
	TaskNotes string `json:"taskNotes,omitempty" bson:"taskNotes,omitempty"`

	// The end, filled in from the EmploymentEnd record (never stored here).
	EndedAt   *time.Time `json:"endedAt,omitempty" bson:"-"`
	EndReason EndReason  `json:"endReason,omitempty" bson:"-"`
	EndNote   string     `json:"endNote,omitempty" bson:"-"`

	CreatedBy string    `json:"-" bson:"createdBy"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
	// Version increases with every change; an update names the version it
	// read, so two people editing at once cannot overwrite each other.
	Version int `json:"version" bson:"version"`
}

// WithEnd returns e as ended by end: the actual last day replaces the
// planned one.
func (e Employment) WithEnd(end EmploymentEnd) Employment {
	at := end.At
	e.EndDate, e.EndReason, e.EndNote, e.EndedAt = end.EndDate, end.Reason, end.Note, &at
	return e
}

// WithEnds applies each end record to its employment in list (in place)
// and returns list.
func WithEnds(list []Employment, ends []EmploymentEnd) []Employment {
	byID := make(map[string]EmploymentEnd, len(ends))
	for _, end := range ends {
		byID[end.EmploymentID] = end
	}
	for i, e := range list {
		if end, ok := byID[e.ID]; ok {
			list[i] = e.WithEnd(end)
		}
	}
	return list
}

// EmploymentIDs lists the IDs of list, in order.
func EmploymentIDs(list []Employment) []string {
	ids := make([]string, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	return ids
}

// EmploymentEnd records that an employment ended, when and why. Its _id is
// the employment's ID, so an employment ends once: a second end (or an
// edit racing the end) meets the existing record.
type EmploymentEnd struct {
	EmploymentID  string    `bson:"_id"`
	ParticipantID string    `bson:"participantId"`
	EndDate       string    `bson:"endDate"`
	Reason        EndReason `bson:"reason"`
	Note          string    `bson:"note,omitempty"`
	At            time.Time `bson:"at"`
	ByID          string    `bson:"byId"`
	ByRole        Role      `bson:"byRole"`
}

// Active reports whether the employment covers the calendar date day.
func (e Employment) Active(day string) bool {
	return e.StartDate <= day && (e.EndDate == "" || day <= e.EndDate)
}

// ConsentPurpose names what a consent is for.
type ConsentPurpose string

// The consent purposes. Employer contact is given per employment
// (SubjectID); the others once for the participant.
const (
	ConsentEmployerContact ConsentPurpose = "employer_contact" // Jobbanken may contact this employer
	ConsentStatistics      ConsentPurpose = "statistics"       // use in statistics and evaluations (the signed declaration)
	ConsentPush            ConsentPurpose = "push"             // push notifications to the phone
	ConsentTerms           ConsentPurpose = "terms"            // the terms of the app
)

// ConsentRecord is one giving or withdrawing of a consent. Records are only
// ever added: the current state is the latest record for a purpose and
// subject, and the history is the list.
type ConsentRecord struct {
	ID            string         `json:"id" bson:"_id"`
	ParticipantID string         `json:"-" bson:"participantId"`
	Purpose       ConsentPurpose `json:"purpose" bson:"purpose"`
	SubjectID     string         `json:"subjectId,omitempty" bson:"subjectId,omitempty"` // e.g. the employment
	Given         bool           `json:"given" bson:"given"`
	At            time.Time      `json:"at" bson:"at"`
	ByID          string         `json:"-" bson:"byId"`
	ByRole        Role           `json:"byRole" bson:"byRole"`
	// Reason is required when staff record a consent on the participant's behalf.
	Reason string `json:"reason,omitempty" bson:"reason,omitempty"`
	// TextVersion is the version of the consent text that was shown
	// (empty for employer contact, which has no separate text).
	TextVersion string `json:"textVersion,omitempty" bson:"textVersion,omitempty"`
}

// FollowUpStatus is where a follow-up meeting stands.
type FollowUpStatus string

// The follow-up statuses.
const (
	FollowUpPlanned   FollowUpStatus = "planned"
	FollowUpDone      FollowUpStatus = "done"
	FollowUpMoved     FollowUpStatus = "moved"
	FollowUpCancelled FollowUpStatus = "cancelled"
)

// FollowUp is a follow-up meeting after an employment starts, generated at
// +14 days and +3, +6 and +12 months. Its _id is the employment's ID and the
// kind, so generating twice creates nothing new.
type FollowUp struct {
	ID            string         `json:"id" bson:"_id"`
	ParticipantID string         `json:"participantId" bson:"participantId"`
	EmploymentID  string         `json:"employmentId" bson:"employmentId"`
	Kind          string         `json:"kind" bson:"kind"` // "14d", "3m", "6m", "12m"
	Date          string         `json:"date" bson:"date"`
	ScheduledDate string         `json:"scheduledDate" bson:"scheduledDate"` // the generated date
	Status        FollowUpStatus `json:"status" bson:"status"`
	DoneAt        *time.Time     `json:"doneAt,omitempty" bson:"doneAt,omitempty"`
	// AutoCancelled is set when the service cancelled the meeting (the job
	// ended, or became a flexjob), so it can plan it again if that changes.
	AutoCancelled bool      `json:"-" bson:"autoCancelled,omitempty"`
	UpdatedAt     time.Time `json:"updatedAt" bson:"updatedAt"`
}

// FollowUpNote is a counselor's note on a follow-up. Notes are never shown
// to the company; the participant sees those not marked internal.
type FollowUpNote struct {
	ID            string    `json:"id" bson:"_id"`
	FollowUpID    string    `json:"-" bson:"followUpId"`
	ParticipantID string    `json:"-" bson:"participantId"`
	Text          string    `json:"text" bson:"text"`
	Internal      bool      `json:"internal" bson:"internal"`
	ByID          string    `json:"-" bson:"byId"`
	At            time.Time `json:"at" bson:"at"`
}

// HoursEntry is hours worked on one day for one employment, as reported.
type HoursEntry struct {
	ID            string    `json:"id" bson:"_id"`
	ParticipantID string    `json:"participantId" bson:"participantId"`
	EmploymentID  string    `json:"employmentId" bson:"employmentId"`
	Date          string    `json:"date" bson:"date"`
	Minutes       int       `json:"-" bson:"minutes"`
	ByRole        Role      `json:"enteredBy" bson:"byRole"` // who entered it: the participant or staff
	ReceivedAt    time.Time `json:"receivedAt" bson:"receivedAt"`
	UpdatedAt     time.Time `json:"updatedAt" bson:"updatedAt"`
}

// Payslip is one month's pay for one employment as the payslip says. It
// replaces hours × wage for that month. Its _id is the employment and the
// month, so a second payslip for the month corrects the first.
type Payslip struct {
	ID            string    `json:"id" bson:"_id"`
	ParticipantID string    `json:"participantId" bson:"participantId"`
	EmploymentID  string    `json:"employmentId" bson:"employmentId"`
	Month         string    `json:"month" bson:"month"` // "YYYY-MM"
	GrossOre      int64     `json:"grossOre" bson:"grossOre"`
	Minutes       int       `json:"-" bson:"minutes"`
	ByRole        Role      `json:"enteredBy" bson:"byRole"`
	ReceivedAt    time.Time `json:"receivedAt" bson:"receivedAt"`
}

// PensionProfile is what the pension estimate needs to know beyond wages.
// Its _id is the participant's ID.
type PensionProfile struct {
	ParticipantID string `json:"participantId" bson:"_id"`
	// Household is "single", "couple" or "couple_both_pensioners".
	Household string `json:"household" bson:"household"`
	// OtherIncomeKr is the participant's own other counted income for the
	// year (e.g. a private pension), entered by them or their counselor.
	OtherIncomeKr int64 `json:"otherIncomeKr" bson:"otherIncomeKr"`
	// The partner's expected income for the year (couples only).
	PartnerWorkIncomeKr  int64 `json:"partnerWorkIncomeKr" bson:"partnerWorkIncomeKr"`
	PartnerOtherIncomeKr int64 `json:"partnerOtherIncomeKr" bson:"partnerOtherIncomeKr"`
	// PlannedWeeklyMinutes, when set, is how much the participant plans to
	// work a week for the rest of the year; else the agreed hours count.
	PlannedWeeklyMinutes *int       `json:"-" bson:"plannedWeeklyMinutes,omitempty"`
	UpdatedAt            *time.Time `json:"updatedAt,omitempty" bson:"updatedAt,omitempty"` // nil until first saved
}
