package models

import "time"

// CalendarFeed is a participant's subscription to their own schedule as an
// iCalendar feed. The participant has at most one: its _id is their user ID,
// so issuing a new token replaces the old one. Only a SHA-256 hash of the
// secret token is kept.
type CalendarFeed struct {
	UserID    string    `json:"-" bson:"_id"`
	TokenHash string    `json:"-" bson:"tokenHash"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}
