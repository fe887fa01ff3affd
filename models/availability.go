package models

import "time"

// OfficeHours is a counselor's weekly schedule in Europe/Copenhagen.
type OfficeHours struct {
	Days []OfficeDay `json:"days" bson:"days"`
}

// OfficeDay is one weekday's hours: Weekday 1 is Monday, 7 Sunday.
type OfficeDay struct {
	Weekday int    `json:"weekday" bson:"weekday"`
	From    string `json:"from" bson:"from"`
	To      string `json:"to" bson:"to"`
}

// DefaultOfficeHours is Monday to Friday, 9 to 15.
func DefaultOfficeHours() OfficeHours {
	h := OfficeHours{}
	for d := 1; d <= 5; d++ {
		h.Days = append(h.Days, OfficeDay{Weekday: d, From: "09:00", To: "15:00"})
	}
	return h
}

// Absence is a counselor's time away with a stand-in.
type Absence struct {
	ID          string     `json:"id" bson:"_id"`
	CounselorID string     `json:"counselorId" bson:"counselorId"`
	StandInID   string     `json:"standInId" bson:"standInId"`
	From        time.Time  `json:"from" bson:"from"`
	Until       time.Time  `json:"until" bson:"until"`
	CreatedBy   string     `json:"-" bson:"createdBy"`
	CreatedAt   time.Time  `json:"createdAt" bson:"createdAt"`
	ClearedAt   *time.Time `json:"clearedAt,omitempty" bson:"clearedAt,omitempty"`
}
