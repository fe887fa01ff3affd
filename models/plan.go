package models

import (
	"strconv"
	"time"
)

// GoalStatus is where a goal of the plan stands.
type GoalStatus string

// The goal states.
const (
	GoalActive   GoalStatus = "active"   // being worked on
	GoalAchieved GoalStatus = "achieved" // reached
	GoalDropped  GoalStatus = "dropped"  // set aside; not counted in the plan's progress
)

// Valid reports whether s is a known goal status.
func (s GoalStatus) Valid() bool { return s == GoalActive || s == GoalAchieved || s == GoalDropped }

// Goal is one goal of a participant's plan, from their own wishes, broken
// into sub-goals.
//
// A goal is stored as revisions: every change the counselor makes inserts
// the whole goal again with the next Version, under the _id
// GoalRevisionID(ID, Version). The unique _id lets exactly one of two
// concurrent changes of the same version in, on MongoDB and on the embedded
// engine alike (whose updates are not atomic); the current goal is the
// revision with the highest version. Deleting inserts a last revision with
// Deleted set and no content.
//
// Ticks and notes are not part of a revision: they are their own
// append-only records (SubGoalTick, GoalNote), so a participant ticking a
// sub-goal never clashes with the counselor editing the goal. Done, Notes
// and Progress are filled in from them when a goal is read.
type Goal struct {
	RevisionID    string     `json:"-" bson:"_id"`
	ID            string     `json:"id" bson:"goalId"`
	ParticipantID string     `json:"participantId" bson:"participantId"`
	Version       int        `json:"version" bson:"version"`
	Position      int        `json:"-" bson:"position"` // order in the plan; unique per participant, never reused
	Title         string     `json:"title" bson:"title"`
	Wish          string     `json:"wish" bson:"wish"` // the participant's own wish, in their words
	Status        GoalStatus `json:"status" bson:"status"`
	SubGoals      []SubGoal  `json:"subGoals" bson:"subGoals"`
	Deleted       bool       `json:"-" bson:"deleted"`
	CreatedAt     time.Time  `json:"createdAt" bson:"createdAt"`
	CreatedBy     string     `json:"-" bson:"createdBy"`
	UpdatedAt     time.Time  `json:"updatedAt" bson:"updatedAt"` // when this revision was made
	UpdatedBy     string     `json:"-" bson:"updatedBy"`
	Notes         []GoalNote `json:"notes" bson:"-"`
	Progress      Progress   `json:"progress" bson:"-"`
}

// GoalRevisionID is the _id of a goal's revision: unique per goal and version.
func GoalRevisionID(goalID string, version int) string {
	return goalID + "/" + strconv.Itoa(version)
}

// SubGoal is one realistic step toward a goal. TargetDate is an optional
// calendar date in Europe/Copenhagen, "YYYY-MM-DD". Done and the fields
// after it come from the latest SubGoalTick.
type SubGoal struct {
	ID         string     `json:"id" bson:"id"`
	Title      string     `json:"title" bson:"title"`
	TargetDate string     `json:"targetDate,omitempty" bson:"targetDate,omitempty"`
	Done       bool       `json:"done" bson:"-"`
	DoneAt     *time.Time `json:"doneAt,omitempty" bson:"-"`
	DoneBy     string     `json:"doneBy,omitempty" bson:"-"`     // who ticked it
	DoneByRole Role       `json:"doneByRole,omitempty" bson:"-"` // participant or counselor
}

// SubGoalTick records that a sub-goal was ticked done (or unticked). Ticks
// are only inserted; a sub-goal's state is its latest tick (by At, then ID).
type SubGoalTick struct {
	ID            string    `bson:"_id"`
	GoalID        string    `bson:"goalId"`
	ParticipantID string    `bson:"participantId"`
	SubGoalID     string    `bson:"subGoalId"`
	Done          bool      `bson:"done"`
	At            time.Time `bson:"at"`
	By            string    `bson:"by"`
	ByRole        Role      `bson:"byRole"`
}

// GoalNote is a note on a goal by the participant or their counselor.
// Notes are only inserted, never edited in place.
type GoalNote struct {
	ID            string    `json:"id" bson:"_id"`
	GoalID        string    `json:"-" bson:"goalId"`
	ParticipantID string    `json:"-" bson:"participantId"`
	AuthorID      string    `json:"authorId" bson:"authorId"`
	AuthorRole    Role      `json:"authorRole" bson:"authorRole"`
	Text          string    `json:"text" bson:"text"`
	CreatedAt     time.Time `json:"createdAt" bson:"createdAt"`
}

// Progress counts sub-goals done out of all.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Plan is a participant's plan: their goals in order and the progress over
// every goal that is not dropped.
type Plan struct {
	ParticipantID string   `json:"participantId"`
	Goals         []Goal   `json:"goals"`
	Progress      Progress `json:"progress"`
}
