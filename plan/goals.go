package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// NewGoal is a goal as the participant and counselor agree on it.
type NewGoal struct {
	Title    string
	Wish     string // the participant's own wish, in their words (optional)
	SubGoals []NewSubGoal
}

// NewSubGoal is a sub-goal of a new goal; TargetDate is optional.
type NewSubGoal struct {
	Title      string
	TargetDate string // "YYYY-MM-DD", a calendar date in Europe/Copenhagen
}

// GoalChange is a partial update of a goal; nil fields stay as they are.
// A participant may only tick sub-goals (SubGoalChange with ID and Done)
// and add a Note; everything else is the counselor's.
type GoalChange struct {
	// Version, when set, is the version the caller saw: the change is
	// refused (Conflict) if the goal has changed since.
	Version  *int
	Title    *string
	Wish     *string
	Status   *models.GoalStatus
	SubGoals []SubGoalChange
	Note     *string
}

// SubGoalChange changes one sub-goal. Without ID it adds one (Title and
// optionally TargetDate). With ID and Remove it removes that one. With ID
// otherwise it renames it (Title), sets or clears (TargetDate "") its target
// date, or ticks it done or not done (Done).
type SubGoalChange struct {
	ID         string
	Title      *string
	TargetDate *string
	Done       *bool
	Remove     bool
}

// progressOnly reports whether c only ticks sub-goals and adds a note.
func (c GoalChange) progressOnly() bool {
	if c.Title != nil || c.Wish != nil || c.Status != nil {
		return false
	}
	for _, sc := range c.SubGoals {
		if sc.ID == "" || sc.Title != nil || sc.TargetDate != nil || sc.Remove {
			return false
		}
	}
	return true
}

// CreateGoal adds a goal to the end of the participant's plan: the
// counselor's, in a meeting with the participant. A new goal is active and
// none of its sub-goals is done.
func (s *Service) CreateGoal(ctx context.Context, p auth.Principal, participantID string, in NewGoal) (models.Goal, error) {
	if _, err := s.access(ctx, p, auth.ManagePlan, participantID); err != nil {
		return models.Goal{}, err
	}
	var fields apperr.Fields
	now := s.now()
	g := models.Goal{
		ID: s.newID(), ParticipantID: participantID, Version: 1, Status: models.GoalActive,
		Title: checkTitle(&fields, "title", in.Title), Wish: checkText(&fields, "wish", in.Wish, false),
		SubGoals:  []models.SubGoal{},
		CreatedAt: now, CreatedBy: p.UserID, UpdatedAt: now, UpdatedBy: p.UserID,
	}
	if len(in.SubGoals) > MaxSubGoals {
		fields.Add("subGoals", "plan.too_many_subgoals", fmt.Sprintf("A goal has at most %d sub-goals.", MaxSubGoals))
	}
	for i, sg := range in.SubGoals {
		field := fmt.Sprintf("subGoals[%d]", i)
		g.SubGoals = append(g.SubGoals, models.SubGoal{
			ID: s.newID(), Title: checkTitle(&fields, field+".title", sg.Title),
			TargetDate: checkDate(&fields, field+".targetDate", sg.TargetDate),
		})
	}
	if err := fields.Err(); err != nil {
		return models.Goal{}, err
	}
	// The next position is taken by inserting version 1 there; two goals
	// created at once clash on the unique position, and the loser counts
	// again (and so also meets the limit exactly).
	const attempts = 5
	for range attempts {
		revs, err := s.store.GoalRevisions(ctx, participantID, "")
		if err != nil {
			return models.Goal{}, err
		}
		if len(current(revs)) >= MaxGoals {
			return models.Goal{}, apperr.New(apperr.RuleViolation, "plan.too_many_goals", fmt.Sprintf("A plan has at most %d goals.", MaxGoals))
		}
		g.Position = 1
		for _, r := range revs {
			g.Position = max(g.Position, r.Position+1)
		}
		err = s.store.InsertGoalRevision(ctx, g)
		if err == nil {
			return view(g, nil, nil), nil
		}
		if !apperr.Is(err, apperr.Conflict) {
			return models.Goal{}, err
		}
	}
	return models.Goal{}, fmt.Errorf("create goal: the next position was taken %d times", attempts)
}

// UpdateGoal changes a goal partially and returns it as it is now. The
// counselor may change everything; the participant may only tick sub-goals
// and add a note (anything else is Forbidden, plan.counselor_only).
//
// A change of the goal itself (title, wish, status, sub-goals added,
// renamed, re-dated or removed) inserts the next revision: if someone else
// changed the goal since it was read, or since c.Version, it is a Conflict
// (plan.goal_changed) and nothing is saved. Ticks and the note are records
// of their own and never clash.
func (s *Service) UpdateGoal(ctx context.Context, p auth.Principal, participantID, goalID string, c GoalChange) (models.Goal, error) {
	subject, err := s.access(ctx, p, auth.PlanProgress, participantID)
	if err != nil {
		return models.Goal{}, err
	}
	if !c.progressOnly() {
		if err := auth.Authorize(p, auth.ManagePlan, subject); err != nil {
			return models.Goal{}, apperr.New(apperr.Forbidden, "plan.counselor_only",
				"You and your counselor change this together; you can tick sub-goals and write a note yourself.")
		}
	}
	note, err := checkChange(c)
	if err != nil {
		return models.Goal{}, err
	}
	cur, err := s.liveGoal(ctx, participantID, goalID)
	if err != nil {
		return models.Goal{}, err
	}
	if c.Version != nil && *c.Version != cur.Version {
		return models.Goal{}, goalChanged()
	}
	next, changed, ticked, err := s.apply(cur, c)
	if err != nil {
		return models.Goal{}, err
	}
	ticks, err := s.store.Ticks(ctx, participantID, goalID)
	if err != nil {
		return models.Goal{}, err
	}
	notes, err := s.store.GoalNotes(ctx, participantID, goalID)
	if err != nil {
		return models.Goal{}, err
	}
	now := s.now()
	if changed {
		next.Version, next.UpdatedAt, next.UpdatedBy = cur.Version+1, now, p.UserID
		if err := s.store.InsertGoalRevision(ctx, next); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return models.Goal{}, goalChanged()
			}
			return models.Goal{}, err
		}
	}
	before := view(next, ticks, nil)
	for _, sg := range before.SubGoals {
		done, ok := ticked[sg.ID]
		if !ok || done == sg.Done {
			continue // already so: nothing to record
		}
		t := models.SubGoalTick{
			ID: s.newID(), GoalID: next.ID, ParticipantID: participantID, SubGoalID: sg.ID,
			Done: done, At: now, By: p.UserID, ByRole: p.Role,
		}
		if err := s.store.InsertTick(ctx, t); err != nil {
			return models.Goal{}, err
		}
		ticks = append(ticks, t)
	}
	if note != "" {
		n := models.GoalNote{
			ID: s.newID(), GoalID: next.ID, ParticipantID: participantID,
			AuthorID: p.UserID, AuthorRole: p.Role, Text: note, CreatedAt: now,
		}
		if err := s.store.InsertGoalNote(ctx, n); err != nil {
			return models.Goal{}, err
		}
		notes = append(notes, n)
	}
	return view(next, ticks, notes), nil
}

// checkChange checks the shape of c (everything that does not depend on
// the goal as stored) and returns the trimmed note.
func checkChange(c GoalChange) (string, error) {
	var fields apperr.Fields
	if c.Title != nil {
		checkTitle(&fields, "title", *c.Title)
	}
	if c.Wish != nil {
		checkText(&fields, "wish", *c.Wish, false)
	}
	if c.Status != nil && !c.Status.Valid() {
		fields.Add("status", "plan.goal_status", "Choose active, achieved or dropped.")
	}
	seen := map[string]bool{}
	for i, sc := range c.SubGoals {
		field := fmt.Sprintf("subGoals[%d]", i)
		switch {
		case sc.ID == "" && (sc.Done != nil || sc.Remove || sc.Title == nil),
			sc.ID != "" && sc.Remove && (sc.Title != nil || sc.TargetDate != nil || sc.Done != nil),
			sc.ID != "" && !sc.Remove && sc.Title == nil && sc.TargetDate == nil && sc.Done == nil:
			fields.Add(field, "plan.subgoal_change",
				"A change adds a sub-goal (title, no id), removes one (id and remove) or changes one (id and title, targetDate or done).")
			continue
		case sc.ID != "" && seen[sc.ID]:
			fields.Add(field+".id", "plan.subgoal_repeated", "This sub-goal is already changed earlier in the list.")
			continue
		}
		seen[sc.ID] = true
		if sc.Title != nil {
			checkTitle(&fields, field+".title", *sc.Title)
		}
		if sc.TargetDate != nil {
			checkDate(&fields, field+".targetDate", *sc.TargetDate)
		}
	}
	note := ""
	if c.Note != nil {
		note = checkText(&fields, "note", *c.Note, true)
	}
	return note, fields.Err()
}

// apply makes c's changes to cur's content. It returns the new content,
// whether it differs from cur, and the ticks asked for (sub-goal ID →
// done). Sub-goal IDs that are not in cur are field errors; so is ending up
// with too many sub-goals.
func (s *Service) apply(cur models.Goal, c GoalChange) (next models.Goal, changed bool, ticked map[string]bool, err error) {
	next = cur
	next.SubGoals = []models.SubGoal{}
	if c.Title != nil {
		next.Title = strings.TrimSpace(*c.Title)
	}
	if c.Wish != nil {
		next.Wish = strings.TrimSpace(*c.Wish)
	}
	if c.Status != nil {
		next.Status = *c.Status
	}
	changed = next.Title != cur.Title || next.Wish != cur.Wish || next.Status != cur.Status

	var fields apperr.Fields
	byID := map[string]SubGoalChange{}
	var added []models.SubGoal
	for i, sc := range c.SubGoals {
		if sc.ID == "" {
			sg := models.SubGoal{ID: s.newID(), Title: strings.TrimSpace(*sc.Title)}
			if sc.TargetDate != nil {
				sg.TargetDate = *sc.TargetDate
			}
			added = append(added, sg)
			continue
		}
		if !slices.ContainsFunc(cur.SubGoals, func(sg models.SubGoal) bool { return sg.ID == sc.ID }) {
			fields.Add(fmt.Sprintf("subGoals[%d].id", i), "plan.subgoal_not_found", "This sub-goal is not (or no longer) part of the goal.")
			continue
		}
		byID[sc.ID] = sc
	}
	ticked = map[string]bool{}
	for _, sg := range cur.SubGoals {
		sc, ok := byID[sg.ID]
		if ok && sc.Remove {
			changed = true
			continue
		}
		kept := models.SubGoal{ID: sg.ID, Title: sg.Title, TargetDate: sg.TargetDate}
		if ok {
			if sc.Title != nil {
				kept.Title = strings.TrimSpace(*sc.Title)
			}
			if sc.TargetDate != nil {
				kept.TargetDate = *sc.TargetDate
			}
			if sc.Done != nil {
				ticked[sg.ID] = *sc.Done
			}
			changed = changed || kept.Title != sg.Title || kept.TargetDate != sg.TargetDate
		}
		next.SubGoals = append(next.SubGoals, kept)
	}
	next.SubGoals = append(next.SubGoals, added...)
	changed = changed || len(added) > 0
	if len(next.SubGoals) > MaxSubGoals {
		fields.Add("subGoals", "plan.too_many_subgoals", fmt.Sprintf("A goal has at most %d sub-goals.", MaxSubGoals))
	}
	return next, changed, ticked, fields.Err()
}

// DeleteGoal removes a goal with its sub-goals, ticks and notes: the
// counselor's. Deleting a deleted goal again is fine. If the goal was
// changed while it was being deleted, it is a Conflict and the goal stays.
func (s *Service) DeleteGoal(ctx context.Context, p auth.Principal, participantID, goalID string) error {
	if _, err := s.access(ctx, p, auth.ManagePlan, participantID); err != nil {
		return err
	}
	cur, err := s.store.LatestGoal(ctx, goalID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && cur.ParticipantID != participantID) {
		return goalNotFound()
	}
	if err != nil {
		return err
	}
	if !cur.Deleted {
		// The deletion is the goal's last revision, without content; it
		// keeps the position so that no later goal takes it.
		cur = models.Goal{
			ID: cur.ID, ParticipantID: cur.ParticipantID, Version: cur.Version + 1, Position: cur.Position,
			Deleted: true, SubGoals: []models.SubGoal{},
			CreatedAt: cur.CreatedAt, CreatedBy: cur.CreatedBy, UpdatedAt: s.now(), UpdatedBy: p.UserID,
		}
		if err := s.store.InsertGoalRevision(ctx, cur); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return goalChanged()
			}
			return err
		}
	}
	if err := s.store.PruneGoal(ctx, cur.ID, cur.Version); err != nil {
		return fmt.Errorf("delete goal: %w", err)
	}
	return nil
}

// checkTitle records what is wrong with a title and returns it trimmed.
func checkTitle(fields *apperr.Fields, field, s string) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		fields.Add(field, "field.required", "This field is required.")
	case n > MaxTitleRunes:
		fields.Add(field, "field.too_long", fmt.Sprintf("Use at most %d characters.", MaxTitleRunes))
	}
	return s
}

// checkText records what is wrong with a wish or a note and returns it
// trimmed.
func checkText(fields *apperr.Fields, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		fields.Add(field, "field.required", "This field is required.")
	case n > MaxTextRunes:
		fields.Add(field, "field.too_long", fmt.Sprintf("Use at most %d characters.", MaxTextRunes))
	}
	return s
}

// Target dates are calendar dates in Europe/Copenhagen, stored as written;
// the range catches typing slips such as 0226-05-01.
var firstDate, lastDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)

// checkDate records what is wrong with an optional target date ("" is
// none) and returns it.
func checkDate(fields *apperr.Fields, field, s string) string {
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Before(firstDate) || d.After(lastDate) {
		fields.Add(field, "plan.target_date", "Write the date as YYYY-MM-DD.")
	}
	return s
}
