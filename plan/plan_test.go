package plan_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/plan"
)

func asError(err error, target any) bool { return errors.As(err, target) }

func tick(id string, done bool) plan.SubGoalChange {
	return plan.SubGoalChange{ID: id, Done: ptr(done)}
}

func TestPlanOrderTicksAndProgress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	shop := f.goal(t, "Få en praktikplads i en butik", "Skrive CV sammen med min rådgiver", "Besøge to butikker", "Starte i praktik")
	swim := f.goal(t, "Komme ud af huset to gange om ugen", "Gå til svømning om tirsdagen", "Tage med på museumstur")
	rest := f.goal(t, "Lære Excel", "Tage kurset")

	f.clk.Add(time.Hour)
	if _, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, shop.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(shop.SubGoals[0].ID, true), tick(shop.SubGoals[2].ID, true)},
	}); err != nil {
		t.Fatalf("anna ticks: %v", err)
	}
	f.clk.Add(time.Hour)
	if _, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, swim.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(swim.SubGoals[0].ID, true)},
	}); err != nil {
		t.Fatalf("counselor ticks: %v", err)
	}
	// A dropped goal keeps its own progress but is left out of the plan's.
	if _, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, rest.ID, plan.GoalChange{Status: ptr(models.GoalDropped)}); err != nil {
		t.Fatalf("drop: %v", err)
	}
	// Unticking: the latest tick decides.
	f.clk.Add(time.Hour)
	if _, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, shop.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(shop.SubGoals[2].ID, false)},
	}); err != nil {
		t.Fatalf("anna unticks: %v", err)
	}

	for _, who := range []auth.Principal{f.anna, f.counselorA} {
		p, err := f.svc.Plan(ctx, who, f.anna.UserID)
		if err != nil {
			t.Fatalf("plan as %s: %v", who.Role, err)
		}
		var ids []string
		for _, g := range p.Goals {
			ids = append(ids, g.ID)
		}
		if want := []string{shop.ID, swim.ID, rest.ID}; !slices.Equal(ids, want) {
			t.Fatalf("goals %v, want in creation order %v", ids, want)
		}
		if p.Progress != (models.Progress{Done: 2, Total: 5}) {
			t.Errorf("plan progress %+v, want 2 of 5 (the dropped goal left out)", p.Progress)
		}
		wantGoal := []models.Progress{{Done: 1, Total: 3}, {Done: 1, Total: 2}, {Done: 0, Total: 1}}
		for i, g := range p.Goals {
			if g.Progress != wantGoal[i] {
				t.Errorf("goal %d progress %+v, want %+v", i, g.Progress, wantGoal[i])
			}
		}
		first := p.Goals[0].SubGoals[0]
		if !first.Done || first.DoneBy != f.anna.UserID || first.DoneByRole != models.RoleParticipant || first.DoneAt == nil || !first.DoneAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("ticked by anna: %+v", first)
		}
		if third := p.Goals[0].SubGoals[2]; third.Done || third.DoneAt != nil || third.DoneBy != "" {
			t.Errorf("unticked: %+v", third)
		}
		if sw := p.Goals[1].SubGoals[0]; !sw.Done || sw.DoneByRole != models.RoleCounselor {
			t.Errorf("ticked by the counselor: %+v", sw)
		}
		if p.Goals[0].Version != 1 || p.Goals[2].Version != 2 {
			t.Errorf("versions %d, %d; want 1 (ticks are no revision), 2 (dropped)", p.Goals[0].Version, p.Goals[2].Version)
		}
	}

	// Ticking what is already so records nothing new.
	before, _ := f.st.Ticks(ctx, f.anna.UserID, shop.ID)
	if _, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, shop.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(shop.SubGoals[0].ID, true)},
	}); err != nil {
		t.Fatal(err)
	}
	after, _ := f.st.Ticks(ctx, f.anna.UserID, shop.ID)
	if len(after) != len(before) {
		t.Errorf("a repeated tick added a record: %d → %d", len(before), len(after))
	}
}

func TestEmptyPlan(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.Plan(context.Background(), f.anna, f.anna.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ParticipantID != f.anna.UserID || p.Goals == nil || len(p.Goals) != 0 || p.Progress != (models.Progress{}) {
		t.Errorf("empty plan = %+v", p)
	}
}

func TestAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.goal(t, "Få en praktikplads", "Skrive CV")
	boGoal, err := f.svc.CreateGoal(ctx, f.counselorB, f.bo.UserID, plan.NewGoal{Title: "Bos mål"})
	if err != nil {
		t.Fatal(err)
	}
	note := plan.GoalChange{Note: ptr("En note")}
	read := func(p auth.Principal, id string) func() error {
		return func() error { _, err := f.svc.Plan(ctx, p, id); return err }
	}
	create := func(p auth.Principal, id string) func() error {
		return func() error { _, err := f.svc.CreateGoal(ctx, p, id, plan.NewGoal{Title: "Nyt mål"}); return err }
	}
	update := func(p auth.Principal, id, goalID string) func() error {
		return func() error { _, err := f.svc.UpdateGoal(ctx, p, id, goalID, note); return err }
	}
	del := func(p auth.Principal, id, goalID string) func() error {
		return func() error { return f.svc.DeleteGoal(ctx, p, id, goalID) }
	}
	const ok = ""
	tests := []struct {
		name string
		call func() error
		kind apperr.Kind
		code string
	}{
		{name: "participant reads own plan", call: read(f.anna, f.anna.UserID), code: ok},
		{name: "participant reads another's plan", call: read(f.bo, f.anna.UserID), kind: apperr.NotFound, code: "participant.not_found"},
		{name: "participant reads an unknown plan", call: read(f.bo, "nobody"), kind: apperr.NotFound, code: "participant.not_found"},
		{name: "counselor reads assigned plan", call: read(f.counselorA, f.anna.UserID), code: ok},
		{name: "counselor reads another's participant", call: read(f.counselorB, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "counselor reads an unknown participant", call: read(f.counselorA, "nobody"), kind: apperr.NotFound, code: "participant.not_found"},
		{name: "counselor reads a staff ID", call: read(f.counselorA, f.counselorB.UserID), kind: apperr.NotFound, code: "participant.not_found"},
		{name: "coordinator reads", call: read(f.coord, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "admin reads", call: read(f.admin, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},

		{name: "participant creates", call: create(f.anna, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "other counselor creates", call: create(f.counselorB, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "coordinator creates", call: create(f.coord, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "admin creates", call: create(f.admin, f.anna.UserID), kind: apperr.Forbidden, code: "auth.forbidden"},

		{name: "participant adds a note", call: update(f.anna, f.anna.UserID, g.ID), code: ok},
		{name: "counselor adds a note", call: update(f.counselorA, f.anna.UserID, g.ID), code: ok},
		{name: "another participant adds a note", call: update(f.bo, f.anna.UserID, g.ID), kind: apperr.NotFound, code: "participant.not_found"},
		{name: "other counselor adds a note", call: update(f.counselorB, f.anna.UserID, g.ID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "admin adds a note", call: update(f.admin, f.anna.UserID, g.ID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "participant reaches another's goal via own plan", call: update(f.anna, f.anna.UserID, boGoal.ID), kind: apperr.NotFound, code: "plan.goal_not_found"},
		{name: "counselor reaches another's goal via own participant", call: update(f.counselorA, f.anna.UserID, boGoal.ID), kind: apperr.NotFound, code: "plan.goal_not_found"},
		{name: "unknown goal", call: update(f.counselorA, f.anna.UserID, "no-goal"), kind: apperr.NotFound, code: "plan.goal_not_found"},

		{name: "participant deletes", call: del(f.anna, f.anna.UserID, g.ID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "other counselor deletes", call: del(f.counselorB, f.anna.UserID, g.ID), kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "counselor deletes another's goal via own participant", call: del(f.counselorA, f.anna.UserID, boGoal.ID), kind: apperr.NotFound, code: "plan.goal_not_found"},
		{name: "counselor deletes an unknown goal", call: del(f.counselorA, f.anna.UserID, "no-goal"), kind: apperr.NotFound, code: "plan.goal_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if tt.code == ok {
				if err != nil {
					t.Fatalf("error = %v, want none", err)
				}
				return
			}
			wantCode(t, err, tt.kind, tt.code)
		})
	}
}

func TestParticipantMayOnlyTickAndAddNotes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.goal(t, "Få en praktikplads", "Skrive CV", "Besøge butikker")
	sub := g.SubGoals[0].ID
	tests := []struct {
		name   string
		change plan.GoalChange
	}{
		{name: "title", change: plan.GoalChange{Title: ptr("Mit eget mål")}},
		{name: "wish", change: plan.GoalChange{Wish: ptr("Noget andet")}},
		{name: "status", change: plan.GoalChange{Status: ptr(models.GoalAchieved)}},
		{name: "add a sub-goal", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{Title: ptr("Nyt delmål")}}}},
		{name: "rename a sub-goal", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, Title: ptr("Andet navn")}}}},
		{name: "re-date a sub-goal", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, TargetDate: ptr("2026-05-01")}}}},
		{name: "remove a sub-goal", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, Remove: true}}}},
		{name: "a tick with a rename", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, Done: ptr(true), Title: ptr("x")}}}},
		{name: "a note with a title", change: plan.GoalChange{Note: ptr("Hej"), Title: ptr("x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, g.ID, tt.change)
			wantCode(t, err, apperr.Forbidden, "plan.counselor_only")
		})
	}
	p, err := f.svc.Plan(ctx, f.anna, f.anna.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Goals[0]; got.Version != 1 || got.Progress.Done != 0 || len(got.Notes) != 0 || len(got.SubGoals) != 2 {
		t.Errorf("after refused changes the goal is %+v, want it untouched", got)
	}

	got, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, g.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(sub, true)}, Note: ptr("  CV'et er skrevet!  "), Version: ptr(1),
	})
	if err != nil {
		t.Fatalf("tick and note: %v", err)
	}
	if !got.SubGoals[0].Done || len(got.Notes) != 1 || got.Notes[0].Text != "CV'et er skrevet!" || got.Notes[0].AuthorRole != models.RoleParticipant || got.Notes[0].AuthorID != f.anna.UserID {
		t.Errorf("after tick and note: %+v", got)
	}
}

func TestValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	long := strings.Repeat("æ", plan.MaxTitleRunes+1)
	longText := strings.Repeat("ø", plan.MaxTextRunes+1)
	many := make([]plan.NewSubGoal, plan.MaxSubGoals+1)
	for i := range many {
		many[i] = plan.NewSubGoal{Title: fmt.Sprint("Delmål ", i)}
	}
	createTests := []struct {
		name string
		in   plan.NewGoal
		want []string
	}{
		{name: "no title", in: plan.NewGoal{Title: "   "}, want: []string{"title field.required"}},
		{name: "long title", in: plan.NewGoal{Title: long}, want: []string{"title field.too_long"}},
		{name: "long wish", in: plan.NewGoal{Title: "Mål", Wish: longText}, want: []string{"wish field.too_long"}},
		{name: "too many sub-goals", in: plan.NewGoal{Title: "Mål", SubGoals: many}, want: []string{"subGoals plan.too_many_subgoals"}},
		{name: "sub-goal without title", in: plan.NewGoal{Title: "Mål", SubGoals: []plan.NewSubGoal{{Title: "ok"}, {}}}, want: []string{"subGoals[1].title field.required"}},
		{name: "dates", in: plan.NewGoal{Title: "Mål", SubGoals: []plan.NewSubGoal{
			{Title: "a", TargetDate: "2026-02-30"}, {Title: "b", TargetDate: "1.5.2026"}, {Title: "c", TargetDate: "0226-05-01"},
			{Title: "d", TargetDate: "2026-5-1"}, {Title: "e", TargetDate: "2026-05-01"},
		}}, want: []string{"subGoals[0].targetDate plan.target_date", "subGoals[1].targetDate plan.target_date", "subGoals[2].targetDate plan.target_date", "subGoals[3].targetDate plan.target_date"}},
	}
	for _, tt := range createTests {
		t.Run("create/"+tt.name, func(t *testing.T) {
			_, err := f.svc.CreateGoal(ctx, f.counselorA, f.anna.UserID, tt.in)
			if got := fieldCodes(err); !apperr.Is(err, apperr.Invalid) || !slices.Equal(got, tt.want) {
				t.Errorf("fields %v (%v), want %v", got, err, tt.want)
			}
		})
	}

	g := f.goal(t, "Få en praktikplads", "Skrive CV")
	sub := g.SubGoals[0].ID
	nineteen := make([]plan.SubGoalChange, plan.MaxSubGoals)
	for i := range nineteen {
		nineteen[i] = plan.SubGoalChange{Title: ptr(fmt.Sprint("Nyt ", i))}
	}
	updateTests := []struct {
		name   string
		change plan.GoalChange
		want   []string
	}{
		{name: "empty title", change: plan.GoalChange{Title: ptr("")}, want: []string{"title field.required"}},
		{name: "bad status", change: plan.GoalChange{Status: ptr(models.GoalStatus("done"))}, want: []string{"status plan.goal_status"}},
		{name: "blank note", change: plan.GoalChange{Note: ptr(" \n ")}, want: []string{"note field.required"}},
		{name: "long note", change: plan.GoalChange{Note: ptr(longText)}, want: []string{"note field.too_long"}},
		{name: "add without title", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{TargetDate: ptr("2026-05-01")}}}, want: []string{"subGoals[0] plan.subgoal_change"}},
		{name: "add done", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{Title: ptr("x"), Done: ptr(true)}}}, want: []string{"subGoals[0] plan.subgoal_change"}},
		{name: "remove and rename", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, Remove: true, Title: ptr("x")}}}, want: []string{"subGoals[0] plan.subgoal_change"}},
		{name: "id alone", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub}}}, want: []string{"subGoals[0] plan.subgoal_change"}},
		{name: "same sub-goal twice", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{tick(sub, true), {ID: sub, Title: ptr("x")}}}, want: []string{"subGoals[1].id plan.subgoal_repeated"}},
		{name: "bad date", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: sub, TargetDate: ptr("i morgen")}}}, want: []string{"subGoals[0].targetDate plan.target_date"}},
		{name: "unknown sub-goal", change: plan.GoalChange{SubGoals: []plan.SubGoalChange{tick("nope", true)}}, want: []string{"subGoals[0].id plan.subgoal_not_found"}},
		{name: "twenty-one sub-goals", change: plan.GoalChange{SubGoals: nineteen}, want: []string{"subGoals plan.too_many_subgoals"}},
	}
	for _, tt := range updateTests {
		t.Run("update/"+tt.name, func(t *testing.T) {
			_, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, tt.change)
			if got := fieldCodes(err); !apperr.Is(err, apperr.Invalid) || !slices.Equal(got, tt.want) {
				t.Errorf("fields %v (%v), want %v", got, err, tt.want)
			}
		})
	}
	if p, err := f.svc.Plan(ctx, f.counselorA, f.anna.UserID); err != nil || len(p.Goals) != 1 || p.Goals[0].Version != 1 || len(p.Goals[0].Notes) != 0 {
		t.Errorf("after refused changes: %+v, %v; want the goal untouched", p, err)
	}
}

func TestCounselorChangesEverything(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.goal(t, "Få en praktikplads", "Skrive CV", "Besøge butikker", "Øve jobsamtale")
	f.clk.Add(time.Minute)
	got, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{
		Version: ptr(1), Title: ptr(" Få en praktikplads i en butik "), Wish: ptr("At arbejde med tøj."), Status: ptr(models.GoalAchieved),
		SubGoals: []plan.SubGoalChange{
			{ID: g.SubGoals[0].ID, Title: ptr("Skrive CV sammen med min rådgiver"), TargetDate: ptr("2026-04-15"), Done: ptr(true)},
			{ID: g.SubGoals[1].ID, Remove: true},
			{Title: ptr("Spørge om praktik"), TargetDate: ptr("2026-05-01")},
		},
		Note: ptr("Aftalt på mødet i dag."),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Title != "Få en praktikplads i en butik" || got.Wish != "At arbejde med tøj." || got.Status != models.GoalAchieved || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("goal = %+v", got)
	}
	var titles []string
	for _, sg := range got.SubGoals {
		titles = append(titles, sg.Title+"|"+sg.TargetDate)
	}
	want := []string{"Skrive CV sammen med min rådgiver|2026-04-15", "Øve jobsamtale|", "Spørge om praktik|2026-05-01"}
	if !slices.Equal(titles, want) {
		t.Errorf("sub-goals %v, want %v", titles, want)
	}
	if got.Progress != (models.Progress{Done: 1, Total: 3}) || len(got.Notes) != 1 {
		t.Errorf("progress %+v, notes %d", got.Progress, len(got.Notes))
	}
	// Clearing a target date.
	got, err = f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{{ID: got.SubGoals[0].ID, TargetDate: ptr("")}},
	})
	if err != nil || got.SubGoals[0].TargetDate != "" || got.Version != 3 || !got.SubGoals[0].Done {
		t.Errorf("clear the date: %+v, %v", got, err)
	}
	// Sending what is already so makes no new version.
	got, err = f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{Title: ptr(got.Title)})
	if err != nil || got.Version != 3 {
		t.Errorf("unchanged title: version %d, %v; want 3", got.Version, err)
	}
}

func TestVersionConflicts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.goal(t, "Få en praktikplads", "Skrive CV", "Besøge butikker")

	t.Run("a stale version is refused and nothing is saved", func(t *testing.T) {
		if _, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{Title: ptr("Første")}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{Version: ptr(1), Title: ptr("Anden"), Note: ptr("x")})
		wantCode(t, err, apperr.Conflict, "plan.goal_changed")
		_, err = f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, g.ID, plan.GoalChange{Version: ptr(1), SubGoals: []plan.SubGoalChange{tick(g.SubGoals[0].ID, true)}})
		wantCode(t, err, apperr.Conflict, "plan.goal_changed")
		p, _ := f.svc.Plan(ctx, f.counselorA, f.anna.UserID)
		if cur := p.Goals[0]; cur.Title != "Første" || cur.Version != 2 || len(cur.Notes) != 0 || cur.Progress.Done != 0 {
			t.Errorf("goal = %+v", cur)
		}
	})

	t.Run("of concurrent changes of one version exactly one wins", func(t *testing.T) {
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{Version: ptr(2), Title: ptr(fmt.Sprint("Titel ", i))})
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Errorf("changes %d and %d both won", won, i)
			case err == nil:
				won = i
			case !apperr.Is(err, apperr.Conflict):
				t.Errorf("change %d: %v, want nil or Conflict", i, err)
			}
		}
		p, _ := f.svc.Plan(ctx, f.counselorA, f.anna.UserID)
		if won < 0 || p.Goals[0].Title != fmt.Sprint("Titel ", won) || p.Goals[0].Version != 3 {
			t.Errorf("winner %d, goal %q version %d", won, p.Goals[0].Title, p.Goals[0].Version)
		}
	})

	t.Run("ticks and notes never clash with an edit", func(t *testing.T) {
		var wg sync.WaitGroup
		var editErr, tickErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, editErr = f.svc.UpdateGoal(ctx, f.counselorA, f.anna.UserID, g.ID, plan.GoalChange{
				SubGoals: []plan.SubGoalChange{{ID: g.SubGoals[1].ID, Title: ptr("Besøge to butikker")}},
			})
		}()
		go func() {
			defer wg.Done()
			_, tickErr = f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, g.ID, plan.GoalChange{
				SubGoals: []plan.SubGoalChange{tick(g.SubGoals[0].ID, true)}, Note: ptr("Færdig!"),
			})
		}()
		wg.Wait()
		if editErr != nil || tickErr != nil {
			t.Fatalf("edit: %v, tick: %v", editErr, tickErr)
		}
		p, _ := f.svc.Plan(ctx, f.counselorA, f.anna.UserID)
		cur := p.Goals[0]
		if !cur.SubGoals[0].Done || cur.SubGoals[1].Title != "Besøge to butikker" || len(cur.Notes) != 1 {
			t.Errorf("goal = %+v, want the tick, the rename and the note", cur)
		}
	})
}

func TestNotesAreAppendedNeverLost(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.goal(t, "Få en praktikplads", "Skrive CV")
	const each = 6
	var wg sync.WaitGroup
	for i := range 2 * each {
		who := f.anna
		if i%2 == 1 {
			who = f.counselorA
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.UpdateGoal(ctx, who, f.anna.UserID, g.ID, plan.GoalChange{Note: ptr(fmt.Sprint("Note ", i))}); err != nil {
				t.Errorf("note %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	p, err := f.svc.Plan(ctx, f.anna, f.anna.UserID)
	if err != nil {
		t.Fatal(err)
	}
	notes := p.Goals[0].Notes
	if len(notes) != 2*each {
		t.Fatalf("%d notes, want %d", len(notes), 2*each)
	}
	roles := map[models.Role]int{}
	texts := map[string]bool{}
	for _, n := range notes {
		roles[n.AuthorRole]++
		texts[n.Text] = true
	}
	if roles[models.RoleParticipant] != each || roles[models.RoleCounselor] != each || len(texts) != 2*each {
		t.Errorf("notes by role %v, %d distinct texts", roles, len(texts))
	}
	if p.Goals[0].Version != 1 {
		t.Errorf("version %d after notes only, want 1", p.Goals[0].Version)
	}
}

func TestDeleteGoal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.goal(t, "Første", "a")
	second := f.goal(t, "Andet", "b")
	if _, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, first.ID, plan.GoalChange{
		SubGoals: []plan.SubGoalChange{tick(first.SubGoals[0].ID, true)}, Note: ptr("Godt gået"),
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteGoal(ctx, f.counselorA, f.anna.UserID, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteGoal(ctx, f.counselorA, f.anna.UserID, first.ID); err != nil {
		t.Errorf("deleting again: %v, want nil", err)
	}
	_, err := f.svc.UpdateGoal(ctx, f.anna, f.anna.UserID, first.ID, plan.GoalChange{Note: ptr("x")})
	wantCode(t, err, apperr.NotFound, "plan.goal_not_found")
	ticks, _ := f.st.Ticks(ctx, f.anna.UserID, first.ID)
	notes, _ := f.st.GoalNotes(ctx, f.anna.UserID, first.ID)
	revs, _ := f.st.GoalRevisions(ctx, f.anna.UserID, first.ID)
	if len(ticks) != 0 || len(notes) != 0 || len(revs) != 1 || !revs[0].Deleted || revs[0].Title != "" {
		t.Errorf("left behind: %d ticks, %d notes, revisions %+v; want only the empty deletion", len(ticks), len(notes), revs)
	}
	third := f.goal(t, "Tredje")
	p, err := f.svc.Plan(ctx, f.anna, f.anna.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Goals) != 2 || p.Goals[0].ID != second.ID || p.Goals[1].ID != third.ID || p.Progress != (models.Progress{Total: 1}) {
		t.Errorf("plan after deletion = %+v", p)
	}
}

func TestGoalLimitHoldsUnderRace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range plan.MaxGoals - 2 {
		f.goal(t, fmt.Sprint("Mål ", i))
	}
	const n = 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.CreateGoal(ctx, f.counselorA, f.anna.UserID, plan.NewGoal{Title: fmt.Sprint("Samtidig ", i)})
		}()
	}
	wg.Wait()
	created := 0
	for i, err := range errs {
		switch {
		case err == nil:
			created++
		case !apperr.Is(err, apperr.RuleViolation):
			t.Errorf("create %d: %v, want nil or plan.too_many_goals", i, err)
		}
	}
	p, err := f.svc.Plan(ctx, f.counselorA, f.anna.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if created != 2 || len(p.Goals) != plan.MaxGoals {
		t.Errorf("%d created concurrently, %d goals; want 2 and %d", created, len(p.Goals), plan.MaxGoals)
	}
	positions := map[int]bool{}
	revs, _ := f.st.GoalRevisions(ctx, f.anna.UserID, "")
	for _, r := range revs {
		if positions[r.Position] {
			t.Errorf("position %d taken twice", r.Position)
		}
		positions[r.Position] = true
	}
	_, err = f.svc.CreateGoal(ctx, f.counselorA, f.anna.UserID, plan.NewGoal{Title: "Én for meget"})
	wantCode(t, err, apperr.RuleViolation, "plan.too_many_goals")
	if err := f.svc.DeleteGoal(ctx, f.counselorA, f.anna.UserID, p.Goals[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateGoal(ctx, f.counselorA, f.anna.UserID, plan.NewGoal{Title: "Plads igen"}); err != nil {
		t.Errorf("after a deletion: %v, want room for one", err)
	}
}
