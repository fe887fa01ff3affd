package models

import "time"

// JobRun is one claim on one run of a scheduled job: the daily
// anniversaries of 22 November 2026, or the reminders of one five-minute
// slot. The first claim's _id is "<job>/<period>", so of several instances
// (or ticks) only one inserts it and runs. A claim whose holder died is
// taken over after its lease by inserting the next attempt
// ("<job>/<period>#2"), again a unique insert. Only the holder changes its
// own claim (finished or failed), so no two writers touch one document.
type JobRun struct {
	ID      string `bson:"_id"`
	Job     string `bson:"job"`
	Period  string `bson:"period"` // a Copenhagen date "2026-11-22", or a UTC slot "2026-11-22T10:05Z"
	Attempt int    `bson:"attempt"`
	// Holder names the process that claimed the run (random per process).
	Holder     string     `bson:"holder"`
	ClaimedAt  time.Time  `bson:"claimedAt"`
	LeaseUntil time.Time  `bson:"leaseUntil"` // the run is given up by then; a failure sets it to the failure time
	FinishedAt *time.Time `bson:"finishedAt,omitempty"`
	FailedAt   *time.Time `bson:"failedAt,omitempty"`
	Error      string     `bson:"error,omitempty"` // why it failed: an error text without personal data
}

// Finished reports whether the run completed.
func (r JobRun) Finished() bool { return r.FinishedAt != nil }
