package main

import (
	"net/http"
	"testing"
)

// today is the server's calendar day in Copenhagen, as the work rules see it.
func today(t *testing.T) string {
	t.Helper()
	return inDays(t, 0)
}

// employmentBody is a valid createEmployment body starting today.
func employmentBody(t *testing.T) map[string]any {
	return map[string]any{
		"company":   map[string]string{"name": "Brugsen Herning", "contactPerson": "Lis Hansen", "phone": "+45 97 12 34 56", "email": "lis@brugsen.example.dk"},
		"type":      "ordinary",
		"startDate": today(t), "hourlyWageOre": 15000, "weeklyHours": 10,
		"taskNotes": "Faste opgaver om formiddagen.",
	}
}

// createEmploymentAs adds an employment for p1 and returns its ID.
func createEmploymentAs(t *testing.T, w *world, s session) string {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/employments", token: s.AccessToken, body: employmentBody(t)})
	mustStatus(t, "create employment", r, http.StatusCreated)
	var e struct{ ID string }
	r.json(t, &e)
	return e.ID
}

// logHoursAs logs hours today on an employment and returns the entry's ID.
func logHoursAs(t *testing.T, w *world, s session, employmentID string, hours float64) string {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/hours", token: s.AccessToken,
		body: map[string]any{"date": today(t), "hours": hours, "employmentId": employmentID}})
	mustStatus(t, "log hours", r, http.StatusCreated)
	var h struct{ ID string }
	r.json(t, &h)
	return h.ID
}

// workFixture creates p1's work data the authorisation matrix acts on.
func workFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	fx := map[string]string{}
	fx["employment"] = createEmploymentAs(t, w, w.p1)
	fx["employment2"] = createEmploymentAs(t, w, w.p1)
	fx["hours"] = logHoursAs(t, w, w.p1, fx["employment"], 1)
	fx["hours2"] = logHoursAs(t, w, w.p1, fx["employment"], 1)
	fx["followUp"] = fx["employment"] + "-14d"
	fx["today"] = today(t)
	fx["month"] = today(t)[:7]
	return fx
}
