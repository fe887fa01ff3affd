package main

import (
	"net/http"
	"testing"
	"time"
)

// futureSession is a two-hour session that many days from now.
func futureSession(days int) map[string]string {
	start := testNow().Add(time.Duration(days) * 24 * time.Hour).UTC().Truncate(time.Minute)
	return map[string]string{"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(2 * time.Hour).Format(time.RFC3339)}
}

// activityBody is a valid createActivity/updateActivity body.
func activityBody(w *world, approval, withSessions bool) map[string]any {
	b := map[string]any{
		"kind": "course", "title": map[string]string{"da": "Klædt på til job", "en": "Ready for work"},
		"description": map[string]string{"da": "Fire gange tre timer."}, "location": "Jobbanken Herning",
		"departmentId": w.deptID, "mode": "activity", "capacity": 12, "requiresApproval": approval,
		"cancelDeadlineHours": 24,
	}
	if withSessions {
		b["sessions"] = []map[string]string{futureSession(7), futureSession(14)}
	}
	return b
}

// createActivityAs creates an activity as the coordinator and returns its
// ID and first session's ID.
func createActivityAs(t *testing.T, w *world, body map[string]any) (string, string) {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/activities", token: w.coord.AccessToken, body: body})
	mustStatus(t, "create activity", r, http.StatusCreated)
	var a struct {
		ID       string
		Sessions []struct{ ID string }
	}
	r.json(t, &a)
	if len(a.Sessions) == 0 {
		t.Fatalf("activity without sessions: %s", r.Body)
	}
	return a.ID, a.Sessions[0].ID
}

// signUpAs signs a participant up and returns the enrolment's ID.
func signUpAs(t *testing.T, w *world, s session, activityID string) string {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/activities/" + activityID + "/enrollments", token: s.AccessToken})
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("sign up: %d %s", r.Status, r.Body)
	}
	var e struct{ ID string }
	r.json(t, &e)
	return e.ID
}

// activityFixture creates what the authorisation matrix acts on and
// returns the IDs by placeholder name.
func activityFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	fx := map[string]string{}
	fx["activity"], _ = createActivityAs(t, w, activityBody(w, false, true))
	signUpAs(t, w, w.p1, fx["activity"])
	other, _ := createActivityAs(t, w, activityBody(w, false, true))
	fx["enrollment"] = signUpAs(t, w, w.p1, other)
	needsApproval, _ := createActivityAs(t, w, activityBody(w, true, true))
	fx["request"] = signUpAs(t, w, w.p1, needsApproval)
	needsApproval2, _ := createActivityAs(t, w, activityBody(w, true, true))
	fx["request2"] = signUpAs(t, w, w.p1, needsApproval2)
	_, fx["session"] = createActivityAs(t, w, activityBody(w, false, true))
	fx["activity2"], _ = createActivityAs(t, w, activityBody(w, false, true))
	return fx
}
