package models

import "time"

// OfficeHours are when a counselor normally answers, as clock times in
// Europe/Copenhagen: at most one stretch per weekday. Participants see them
// so they know when a reply can be expected.
type OfficeHours struct {
	Days []OfficeDay `json:"days" bson:"days"`
}

// OfficeDay is one weekday's stretch of office hours, From up to (not
// including) To, each "HH:MM" local time; To may be "24:00".
type OfficeDay struct {
	Weekday int    `json:"weekday" bson:"weekday"` // 1 = Monday … 7 = Sunday (ISO 8601)
	From    string `json:"from" bson:"from"`
	To      string `json:"to" bson:"to"`
}

// DefaultOfficeHours are the hours of a counselor who has saved none:
// Monday to Friday, 09:00 to 15:00.
func DefaultOfficeHours() OfficeHours {
	days := make([]OfficeDay, 0, 5)
	for wd := 1; wd <= 5; wd++ {
		days = append(days, OfficeDay{Weekday: wd, From: "09:00", To: "15:00"})
	}
	return OfficeHours{Days: days}
}

// Absence is a counselor's time away with a named stand-in colleague, who
// sees and answers the counselor's conversations while it is in force.
//
// Absences are append-only: setting a new one inserts it (and marks the
// earlier ones cleared); ending one early only sets ClearedAt. Until is
// 00:00 Europe/Copenhagen on the return date: the counselor is back that
// day.
type Absence struct {
	ID          string     `json:"id" bson:"_id"`
	CounselorID string     `json:"counselorId" bson:"counselorId"`
	StandInID   string     `json:"standInId" bson:"standInId"`
	From        time.Time  `json:"from" bson:"from"`
	Until       time.Time  `json:"until" bson:"until"`
	CreatedBy   string     `json:"createdBy" bson:"createdBy"`
	CreatedAt   time.Time  `json:"createdAt" bson:"createdAt"`
	ClearedAt   *time.Time `json:"clearedAt,omitempty" bson:"clearedAt,omitempty"`
}

// ActiveAt reports whether a is active at t: From ≤ t < Until, and not yet
// cleared at t. A new absence replaces every earlier one of the counselor:
// the one in force at t is the latest created by t, if it is active then.
func (a Absence) ActiveAt(t time.Time) bool {
	return !t.Before(a.From) && t.Before(a.Until) && (a.ClearedAt == nil || t.Before(*a.ClearedAt))
}
