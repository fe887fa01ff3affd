// Package plan holds the participant's plan: goals from their own wishes,
// each broken into sub-goals with optional target dates, made together with
// the counselor. The participant ticks sub-goals done and adds notes; the
// counselor follows the progress. It is how the method starts.
//
// Nothing here is read, changed and written back in a shared document
// (the embedded engine does not make updates atomic). A goal is a series of
// revisions: a change inserts the next version, and the unique revision ID
// lets exactly one of two changes made from the same version in; the other
// is told the goal changed (409 plan.goal_changed). Ticks and notes are
// append-only records of their own, so they never clash with an edit or
// with each other, and nothing written at the same moment is lost.
package plan

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence the plan needs. Methods return apperr kinds:
// NotFound for a missing document, Conflict for a unique-index clash.
type Store interface {
	User(ctx context.Context, id string) (models.User, error)

	// InsertGoalRevision is a Conflict when the goal already has that
	// version, or another goal of the participant that position and version.
	InsertGoalRevision(ctx context.Context, g models.Goal) error
	// LatestGoal returns the newest revision, which may be a deletion.
	LatestGoal(ctx context.Context, goalID string) (models.Goal, error)
	// GoalRevisions returns every revision of the participant's goals (of
	// one goal when goalID is set), deletions included.
	GoalRevisions(ctx context.Context, participantID, goalID string) ([]models.Goal, error)
	// PruneGoal removes a deleted goal's earlier revisions, ticks and notes.
	PruneGoal(ctx context.Context, goalID string, keepVersion int) error

	InsertTick(ctx context.Context, t models.SubGoalTick) error
	Ticks(ctx context.Context, participantID, goalID string) ([]models.SubGoalTick, error)
	InsertGoalNote(ctx context.Context, n models.GoalNote) error
	GoalNotes(ctx context.Context, participantID, goalID string) ([]models.GoalNote, error)
}

// The limits of a plan.
const (
	MaxGoals      = 50   // goals per plan (deleted ones do not count)
	MaxSubGoals   = 20   // sub-goals per goal
	MaxTitleRunes = 200  // titles of goals and sub-goals
	MaxTextRunes  = 2000 // the participant's wish and each note
)

// Service implements the plan's use cases.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// New returns a Service. newID must return unique IDs (UUIDv7).
func New(store Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, now: func() time.Time { return now().UTC() }, newID: newID}
}

func goalNotFound() error { return apperr.New(apperr.NotFound, "plan.goal_not_found", "No such goal.") }

func goalChanged() error {
	return apperr.New(apperr.Conflict, "plan.goal_changed", "The goal was changed a moment ago. Load it again and try again.")
}

// access checks that p may do a to participantID's plan and returns the
// subject it decided on. A role that may never do a is refused before
// anything is loaded; a participant asking about anyone else gets NotFound,
// as for an unknown ID, and staff without access get Forbidden. Staff are
// checked by auth.Participant; a participant's own plan needs no load.
func (s *Service) access(ctx context.Context, p auth.Principal, a auth.Action, participantID string) (auth.Subject, error) {
	if p.Role != models.RoleParticipant {
		u, err := auth.Participant(ctx, p, a, participantID, s.store.User)
		return auth.SubjectOf(u), err
	}
	if err := auth.Require(p.Role, a); err != nil {
		return auth.Subject{}, err
	}
	subject := auth.Subject{ParticipantID: participantID}
	if err := auth.Authorize(p, a, subject); err != nil {
		return auth.Subject{}, auth.ErrParticipantNotFound()
	}
	return subject, nil
}

// Plan returns the participant's goals in order, each with its sub-goals
// (ticked or not), notes and progress, and the progress of the whole plan.
func (s *Service) Plan(ctx context.Context, p auth.Principal, participantID string) (models.Plan, error) {
	if _, err := s.access(ctx, p, auth.ReadPlan, participantID); err != nil {
		return models.Plan{}, err
	}
	revs, err := s.store.GoalRevisions(ctx, participantID, "")
	if err != nil {
		return models.Plan{}, err
	}
	ticks, err := s.store.Ticks(ctx, participantID, "")
	if err != nil {
		return models.Plan{}, err
	}
	notes, err := s.store.GoalNotes(ctx, participantID, "")
	if err != nil {
		return models.Plan{}, err
	}
	ticksOf := map[string][]models.SubGoalTick{}
	for _, t := range ticks {
		ticksOf[t.GoalID] = append(ticksOf[t.GoalID], t)
	}
	notesOf := map[string][]models.GoalNote{}
	for _, n := range notes {
		notesOf[n.GoalID] = append(notesOf[n.GoalID], n)
	}
	out := models.Plan{ParticipantID: participantID, Goals: []models.Goal{}}
	for _, g := range current(revs) {
		g = view(g, ticksOf[g.ID], notesOf[g.ID])
		out.Goals = append(out.Goals, g)
		if g.Status != models.GoalDropped {
			out.Progress.Done += g.Progress.Done
			out.Progress.Total += g.Progress.Total
		}
	}
	return out, nil
}

// current picks the newest revision of each goal, leaves out deleted goals
// and orders the rest by their position in the plan.
func current(revs []models.Goal) []models.Goal {
	latest := map[string]models.Goal{}
	for _, r := range revs {
		if l, ok := latest[r.ID]; !ok || r.Version > l.Version {
			latest[r.ID] = r
		}
	}
	out := make([]models.Goal, 0, len(latest))
	for _, g := range latest {
		if !g.Deleted {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b models.Goal) int { return cmp.Compare(a.Position, b.Position) })
	return out
}

// view fills in what a goal revision does not hold: each sub-goal's state
// from its latest tick, the goal's notes and its progress. ticks and notes
// are the goal's own, in any order.
func view(g models.Goal, ticks []models.SubGoalTick, notes []models.GoalNote) models.Goal {
	latest := map[string]models.SubGoalTick{}
	for _, t := range ticks {
		if l, ok := latest[t.SubGoalID]; !ok || later(t, l) {
			latest[t.SubGoalID] = t
		}
	}
	subs := make([]models.SubGoal, len(g.SubGoals))
	g.Progress = models.Progress{Total: len(g.SubGoals)}
	for i, sg := range g.SubGoals {
		sg.Done, sg.DoneAt, sg.DoneBy, sg.DoneByRole = false, nil, "", ""
		if t, ok := latest[sg.ID]; ok && t.Done {
			at := t.At
			sg.Done, sg.DoneAt, sg.DoneBy, sg.DoneByRole = true, &at, t.By, t.ByRole
			g.Progress.Done++
		}
		subs[i] = sg
	}
	g.SubGoals = subs
	g.Notes = slices.Clone(notes)
	if g.Notes == nil {
		g.Notes = []models.GoalNote{}
	}
	slices.SortStableFunc(g.Notes, func(a, b models.GoalNote) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return g
}

// later orders ticks by time, then by ID (time-ordered too) for ticks made
// in the same millisecond.
func later(a, b models.SubGoalTick) bool {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) > 0
}

// liveGoal returns the current revision of goalID if it is a goal of
// participantID that has not been deleted, else NotFound.
func (s *Service) liveGoal(ctx context.Context, participantID, goalID string) (models.Goal, error) {
	g, err := s.store.LatestGoal(ctx, goalID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (g.ParticipantID != participantID || g.Deleted)) {
		return models.Goal{}, goalNotFound()
	}
	return g, err
}
