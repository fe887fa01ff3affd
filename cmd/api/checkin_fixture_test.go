package main

import (
	"net/http"
	"testing"
	"time"
)

// celebrationBody is a valid createCelebration body for p1, three weeks ahead.
func celebrationBody(w *world) map[string]any {
	start := testNow().AddDate(0, 0, 21).UTC().Truncate(time.Hour)
	return map[string]any{
		"participantId": w.p1ID, "location": "Jobbanken Herning", "startsAt": start.Format(time.RFC3339),
		"guests": []map[string]any{
			{"name": "Lone fra Netto", "relation": "company"},
			{"name": "Kolleger fra lageret", "relation": "colleague", "count": 3},
		},
	}
}

// checkInFixture gives the authorisation matrix a check-in counselor A
// sent to the department ({checkIn}) and a celebration of p1 ({celebration}).
func checkInFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/check-ins", token: w.counselorA.AccessToken, body: map[string]any{"audience": "department"}})
	mustStatus(t, "send check-in", r, http.StatusCreated)
	var c struct{ ID string }
	r.json(t, &c)
	r = w.s.do(req{method: "POST", path: "/v1/celebrations", token: w.coord.AccessToken, body: celebrationBody(w)})
	mustStatus(t, "plan celebration", r, http.StatusCreated)
	var cel struct{ ID string }
	r.json(t, &cel)
	return map[string]string{"checkIn": c.ID, "celebration": cel.ID}
}
