package main

import (
	"net/http"
	"testing"
)

// createGoalAs creates a goal in a participant's plan as their counselor
// and returns it.
func createGoalAs(t *testing.T, w *world, counselor session, participantID string, body map[string]any) goalJSON {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + participantID + "/plan/goals", token: counselor.AccessToken, body: body})
	mustStatus(t, "create goal", r, http.StatusCreated)
	var g goalJSON
	r.json(t, &g)
	return g
}

// planFixture creates what the authorisation matrix acts on in p1's plan
// and returns the IDs by placeholder name.
func planFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	g := createGoalAs(t, w, w.counselorA, w.p1ID, map[string]any{
		"title": "Komme ud af huset to gange om ugen", "subGoals": []map[string]string{{"title": "Gå til svømning om tirsdagen"}},
	})
	return map[string]string{"goal": g.ID}
}
