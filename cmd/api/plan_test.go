package main

import (
	"net/http"
	"testing"
)

type goalJSON struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	SubGoals []struct {
		ID         string `json:"id"`
		Title      string `json:"title"`
		TargetDate string `json:"targetDate"`
		Done       bool   `json:"done"`
		DoneByRole string `json:"doneByRole"`
	} `json:"subGoals"`
	Notes []struct {
		AuthorRole string `json:"authorRole"`
		Text       string `json:"text"`
	} `json:"notes"`
	Progress progressJSON `json:"progress"`
}

type progressJSON struct{ Done, Total int }

type planJSON struct {
	Goals    []goalJSON   `json:"goals"`
	Progress progressJSON `json:"progress"`
}

func TestEndToEndPlanFlow(t *testing.T) {
	w := newWorld(t)
	s := w.s
	planPath := "/v1/participants/" + w.p1ID + "/plan"
	readPlan := func(who session) planJSON {
		t.Helper()
		r := s.do(req{method: "GET", path: planPath, token: who.AccessToken})
		mustStatus(t, "get plan", r, http.StatusOK)
		var p planJSON
		r.json(t, &p)
		return p
	}

	// The counselor records the goal made together in a meeting; a retry
	// with the same Idempotency-Key creates nothing twice.
	body := map[string]any{
		"title": "Få en praktikplads i en butik", "wish": "Jeg vil gerne arbejde med tøj.",
		"subGoals": []map[string]string{
			{"title": "Skrive CV sammen med min rådgiver", "targetDate": "2026-04-15"},
			{"title": "Besøge to butikker"},
			{"title": "Starte i praktik", "targetDate": "2026-06-01"},
		},
	}
	r := s.do(req{method: "POST", path: planPath + "/goals", token: w.counselorA.AccessToken, body: body, headers: []string{"Idempotency-Key", "goal-1"}})
	mustStatus(t, "create goal", r, http.StatusCreated)
	var g goalJSON
	r.json(t, &g)
	if g.Version != 1 || g.Status != "active" || len(g.SubGoals) != 3 || g.SubGoals[0].TargetDate != "2026-04-15" || g.Progress != (progressJSON{0, 3}) {
		t.Fatalf("created goal %+v", g)
	}
	r = s.do(req{method: "POST", path: planPath + "/goals", token: w.counselorA.AccessToken, body: body, headers: []string{"Idempotency-Key", "goal-1"}})
	mustStatus(t, "replay", r, http.StatusCreated)
	var again goalJSON
	r.json(t, &again)
	if again.ID != g.ID || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay gave %s (replayed %q), want %s", again.ID, r.Header.Get("Idempotent-Replayed"), g.ID)
	}
	goalPath := planPath + "/goals/" + g.ID

	// The participant ticks one sub-goal and writes a note.
	r = s.do(req{method: "PATCH", path: goalPath, token: w.p1.AccessToken, body: map[string]any{
		"subGoals": []map[string]any{{"id": g.SubGoals[0].ID, "done": true}}, "note": "CV'et er færdigt!",
	}})
	mustStatus(t, "participant ticks", r, http.StatusOK)
	var ticked goalJSON
	r.json(t, &ticked)
	if !ticked.SubGoals[0].Done || ticked.Progress != (progressJSON{1, 3}) || len(ticked.Notes) != 1 || ticked.Version != 1 {
		t.Errorf("after the tick: %+v", ticked)
	}
	// ... but cannot rename it: that is done together with the counselor.
	r = s.do(req{method: "PATCH", path: goalPath, token: w.p1.AccessToken, body: map[string]any{
		"subGoals": []map[string]any{{"id": g.SubGoals[1].ID, "title": "Noget andet"}},
	}})
	if r.Status != http.StatusForbidden || r.problemCode(t) != "plan.counselor_only" {
		t.Errorf("participant renames: %d %s", r.Status, r.Body)
	}

	// The counselor sees the progress.
	p := readPlan(w.counselorA)
	if len(p.Goals) != 1 || p.Progress != (progressJSON{1, 3}) || p.Goals[0].SubGoals[0].DoneByRole != "participant" || p.Goals[0].Notes[0].Text != "CV'et er færdigt!" {
		t.Errorf("counselor's view: %+v", p)
	}
	if mine := readPlan(w.p1); mine.Progress != p.Progress {
		t.Errorf("participant's view %+v, counselor's %+v", mine.Progress, p.Progress)
	}

	// Nobody else sees it.
	r = s.do(req{method: "GET", path: planPath, token: w.p2.AccessToken})
	if r.Status != http.StatusNotFound || r.problemCode(t) != "participant.not_found" {
		t.Errorf("other participant: %d %s", r.Status, r.Body)
	}
	for name, who := range map[string]session{"coordinator": w.coord, "other counselor": w.counselorB, "admin": w.admin} {
		r = s.do(req{method: "GET", path: planPath, token: who.AccessToken})
		if r.Status != http.StatusForbidden || r.problemCode(t) != "auth.forbidden" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}

	// A change made from an old version is refused; nothing is lost.
	r = s.do(req{method: "PATCH", path: goalPath, token: w.counselorA.AccessToken, body: map[string]any{"version": 1, "status": "achieved"}})
	mustStatus(t, "counselor marks achieved", r, http.StatusOK)
	r = s.do(req{method: "PATCH", path: goalPath, token: w.counselorA.AccessToken, body: map[string]any{"version": 1, "title": "Gammel visning"}})
	if r.Status != http.StatusConflict || r.problemCode(t) != "plan.goal_changed" {
		t.Errorf("stale version: %d %s", r.Status, r.Body)
	}

	// Bad input names the field, in the asked language.
	r = s.do(req{method: "PATCH", path: goalPath, token: w.counselorA.AccessToken, headers: []string{"Accept-Language", "en"},
		body: map[string]any{"subGoals": []map[string]any{{"id": g.SubGoals[2].ID, "targetDate": "2026-13-01"}, {"title": ""}}}})
	mustStatus(t, "bad date", r, http.StatusBadRequest)
	var prob struct {
		Errors []struct{ Field, Code, Message string }
	}
	r.json(t, &prob)
	if len(prob.Errors) != 2 || prob.Errors[0].Field != "subGoals[0].targetDate" || prob.Errors[0].Code != "plan.target_date" ||
		prob.Errors[0].Message != "Write the date as YYYY-MM-DD, for example 2026-05-01." || prob.Errors[1].Code != "field.required" {
		t.Errorf("field errors %+v", prob.Errors)
	}

	// Clearing a target date with null.
	r = s.do(req{method: "PATCH", path: goalPath, token: w.counselorA.AccessToken, body: map[string]any{
		"subGoals": []map[string]any{{"id": g.SubGoals[2].ID, "targetDate": nil}},
	}})
	mustStatus(t, "clear date", r, http.StatusOK)
	var cleared goalJSON // fresh: an absent targetDate must not keep the old one
	r.json(t, &cleared)
	if cleared.SubGoals[2].TargetDate != "" || cleared.Version != 3 || cleared.Status != "achieved" {
		t.Errorf("after clearing the date: %+v", cleared)
	}

	mustStatus(t, "delete", s.do(req{method: "DELETE", path: goalPath, token: w.counselorA.AccessToken}), http.StatusNoContent)
	if p := readPlan(w.p1); len(p.Goals) != 0 || p.Progress != (progressJSON{}) {
		t.Errorf("plan after deletion: %+v", p)
	}
	r = s.do(req{method: "PATCH", path: goalPath, token: w.p1.AccessToken, body: map[string]any{"note": "Hallo?"}})
	if r.Status != http.StatusNotFound || r.problemCode(t) != "plan.goal_not_found" {
		t.Errorf("note on a deleted goal: %d %s", r.Status, r.Body)
	}
}
