package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// The plan's collections: goal revisions ({_id: goalId/version, ...}), and
// the append-only sub-goal ticks and notes.
const (
	colPlanGoals = "plan_goals"
	colPlanTicks = "plan_ticks"
	colPlanNotes = "plan_notes"
)

// planFilter selects a participant's documents, or one goal's when goalID
// is set.
func planFilter(participantID, goalID string) bson.D {
	f := bson.D{{Key: "participantId", Value: participantID}}
	if goalID != "" {
		f = append(f, bson.E{Key: "goalId", Value: goalID})
	}
	return f
}

// InsertGoalRevision stores one revision of a goal under
// GoalRevisionID(g.ID, g.Version). It is a Conflict when that revision
// exists already (someone else changed the goal first) or when another goal
// of the participant holds the same position and version (two goals created
// at once): the unique _id and position index settle both on either engine.
func (s *Store) InsertGoalRevision(ctx context.Context, g models.Goal) error {
	g.RevisionID = models.GoalRevisionID(g.ID, g.Version)
	return insert(ctx, s.c(colPlanGoals), g, "plan.goal_changed", "The goal was changed a moment ago. Load it again.")
}

// LatestGoal returns the newest revision of a goal (which may be its
// deletion), or a NotFound error.
func (s *Store) LatestGoal(ctx context.Context, goalID string) (models.Goal, error) {
	var g models.Goal
	err := s.c(colPlanGoals).FindOne(ctx, bson.D{{Key: "goalId", Value: goalID}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&g)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.Goal{}, apperr.New(apperr.NotFound, "plan.goal_not_found", "No such goal.")
	}
	if err != nil {
		return models.Goal{}, fmt.Errorf("find goal: %w", err)
	}
	return g, nil
}

// GoalRevisions returns every stored revision of a participant's goals (of
// one goal when goalID is set), deletions included, by position and then
// newest version first.
func (s *Store) GoalRevisions(ctx context.Context, participantID, goalID string) ([]models.Goal, error) {
	return findAll[models.Goal](ctx, s.c(colPlanGoals), planFilter(participantID, goalID),
		options.Find().SetSort(bson.D{{Key: "position", Value: 1}, {Key: "version", Value: -1}}))
}

// InsertTick records a sub-goal ticked done or unticked.
func (s *Store) InsertTick(ctx context.Context, t models.SubGoalTick) error {
	return insertNew(ctx, s.c(colPlanTicks), t)
}

// Ticks returns a participant's ticks (of one goal when goalID is set),
// oldest first.
func (s *Store) Ticks(ctx context.Context, participantID, goalID string) ([]models.SubGoalTick, error) {
	return findAll[models.SubGoalTick](ctx, s.c(colPlanTicks), planFilter(participantID, goalID),
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
}

// InsertGoalNote appends a note to a goal.
func (s *Store) InsertGoalNote(ctx context.Context, n models.GoalNote) error {
	return insertNew(ctx, s.c(colPlanNotes), n)
}

// GoalNotes returns a participant's notes (of one goal when goalID is set),
// oldest first.
func (s *Store) GoalNotes(ctx context.Context, participantID, goalID string) ([]models.GoalNote, error) {
	return findAll[models.GoalNote](ctx, s.c(colPlanNotes), planFilter(participantID, goalID),
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
}

// PruneGoal removes what a deleted goal leaves behind: its revisions before
// the deletion (keepVersion, which stays so its position is never reused and
// a late change of an old version still clashes), its ticks and its notes.
func (s *Store) PruneGoal(ctx context.Context, goalID string, keepVersion int) error {
	byGoal := bson.D{{Key: "goalId", Value: goalID}}
	older := bson.D{{Key: "goalId", Value: goalID}, {Key: "version", Value: bson.D{{Key: "$lt", Value: keepVersion}}}}
	if _, err := s.c(colPlanGoals).DeleteMany(ctx, older); err != nil {
		return fmt.Errorf("prune goal revisions: %w", err)
	}
	if _, err := s.c(colPlanTicks).DeleteMany(ctx, byGoal); err != nil {
		return fmt.Errorf("prune goal ticks: %w", err)
	}
	if _, err := s.c(colPlanNotes).DeleteMany(ctx, byGoal); err != nil {
		return fmt.Errorf("prune goal notes: %w", err)
	}
	return nil
}
