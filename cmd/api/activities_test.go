package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

type enrollmentJSON struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	WaitlistPosition int    `json:"waitlistPosition"`
	DecisionReason   string `json:"decisionReason"`
}

func TestEndToEndActivityFlow(t *testing.T) {
	w := newWorld(t)
	s := w.s
	enrol := func(who session, activityID string, wantStatus int) enrollmentJSON {
		t.Helper()
		r := s.do(req{method: "POST", path: "/v1/activities/" + activityID + "/enrollments", token: who.AccessToken})
		mustStatus(t, "sign up", r, wantStatus)
		var e enrollmentJSON
		r.json(t, &e)
		return e
	}

	t.Run("approval by the participant's own counselor", func(t *testing.T) {
		course, _ := createActivityAs(t, w, activityBody(w, true, true))
		req1 := enrol(w.p1, course, http.StatusCreated)
		if req1.Status != "awaiting_approval" {
			t.Fatalf("request status %q", req1.Status)
		}
		mustStatus(t, "another counselor approves", s.do(req{method: "POST", path: "/v1/enrollments/" + req1.ID + "/approve", token: w.counselorB.AccessToken}), http.StatusForbidden)
		mustStatus(t, "the coordinator approves", s.do(req{method: "POST", path: "/v1/enrollments/" + req1.ID + "/approve", token: w.coord.AccessToken}), http.StatusForbidden)
		if es := eventsOf(t, w, w.counselorAID, "enrollment.approval_requested"); len(es) != 1 || es[0].Params["enrollmentId"] != req1.ID {
			t.Fatalf("counselor A was told: %+v", es)
		}
		var pending struct {
			Items []struct{ EnrollmentID, ParticipantName string }
		}
		r := s.do(req{method: "GET", path: "/v1/approvals", token: w.counselorA.AccessToken})
		mustStatus(t, "pending approvals", r, http.StatusOK)
		r.json(t, &pending)
		if len(pending.Items) != 1 || pending.Items[0].EnrollmentID != req1.ID || pending.Items[0].ParticipantName == "" {
			t.Fatalf("counselor A's pending approvals: %s", r.Body)
		}
		r = s.do(req{method: "POST", path: "/v1/enrollments/" + req1.ID + "/approve", token: w.counselorA.AccessToken})
		mustStatus(t, "own counselor approves", r, http.StatusOK)
		var e enrollmentJSON
		r.json(t, &e)
		if e.Status != "confirmed" {
			t.Errorf("approved status %q, want confirmed", e.Status)
		}
		req2 := enrol(w.p2, course, http.StatusCreated)
		r = s.do(req{method: "POST", path: "/v1/enrollments/" + req2.ID + "/decline", token: w.counselorB.AccessToken, body: map[string]string{"reason": "Næste hold passer bedre."}})
		mustStatus(t, "p2's counselor declines", r, http.StatusOK)
		r.json(t, &e)
		if e.Status != "declined" || e.DecisionReason != "Næste hold passer bedre." {
			t.Errorf("declined = %+v", e)
		}
	})

	t.Run("a cancellation gives the seat to the first on the waitlist", func(t *testing.T) {
		body := activityBody(w, false, true)
		body["capacity"] = 1
		trip, _ := createActivityAs(t, w, body)
		first := enrol(w.p1, trip, http.StatusCreated)
		second := enrol(w.p2, trip, http.StatusCreated)
		if first.Status != "confirmed" || second.Status != "waitlisted" || second.WaitlistPosition != 1 {
			t.Fatalf("before: %+v, %+v", first, second)
		}
		if again := enrol(w.p1, trip, http.StatusOK); again.ID != first.ID {
			t.Errorf("signing up twice gave %s, want %s", again.ID, first.ID)
		}
		mustStatus(t, "cancel", s.do(req{method: "POST", path: "/v1/enrollments/" + first.ID + "/cancel", token: w.p1.AccessToken}), http.StatusOK)
		r := s.do(req{method: "GET", path: "/v1/me/enrollments", token: w.p2.AccessToken})
		if !strings.Contains(string(r.Body), `"id":"`+second.ID+`"`) || !strings.Contains(string(r.Body), `"status":"confirmed"`) {
			t.Errorf("after the cancellation p2 has %s", r.Body)
		}
		r = s.do(req{method: "GET", path: "/v1/activities/" + trip + "/roster.csv", token: w.coord.AccessToken})
		mustStatus(t, "export", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(string(r.Body), "Bekræftet,,Bo") {
			t.Errorf("csv (%s):\n%s", ct, r.Body)
		}
		mustStatus(t, "participant exports", s.do(req{method: "GET", path: "/v1/activities/" + trip + "/roster.csv", token: w.p1.AccessToken}), http.StatusForbidden)
	})

	t.Run("drop-in sessions from a weekly series", func(t *testing.T) {
		body := activityBody(w, false, false)
		body["mode"], body["kind"], body["title"] = "session", "sport", map[string]string{"da": "Yoga"}
		r := s.do(req{method: "POST", path: "/v1/activities", token: w.coord.AccessToken, body: body})
		mustStatus(t, "create yoga", r, http.StatusCreated)
		var yoga struct{ ID string }
		r.json(t, &yoga)
		from := testNow().AddDate(0, 0, 1).Format(time.DateOnly)
		to := testNow().AddDate(0, 0, 28).Format(time.DateOnly)
		r = s.do(req{method: "POST", path: "/v1/activities/" + yoga.ID + "/sessions", token: w.coord.AccessToken,
			body: map[string]any{"recurrence": map[string]any{"weekday": "tuesday", "start": "10:00", "durationMinutes": 60, "from": from, "to": to}}})
		mustStatus(t, "weekly sessions", r, http.StatusCreated)
		var sessions struct{ Items []struct{ ID string } }
		r.json(t, &sessions)
		if len(sessions.Items) < 3 {
			t.Fatalf("%d sessions in four weeks", len(sessions.Items))
		}
		r = s.do(req{method: "POST", path: "/v1/activities/" + yoga.ID + "/enrollments", token: w.p1.AccessToken})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "sessionId") {
			t.Errorf("drop-in without a session: %d %s", r.Status, r.Body)
		}
		r = s.do(req{method: "POST", path: "/v1/activities/" + yoga.ID + "/enrollments", token: w.p1.AccessToken, body: map[string]string{"sessionId": sessions.Items[0].ID}})
		mustStatus(t, "drop in", r, http.StatusCreated)
		mustStatus(t, "cancel the session", s.do(req{method: "POST", path: "/v1/sessions/" + sessions.Items[1].ID + "/cancel", token: w.coord.AccessToken}), http.StatusOK)
		r = s.do(req{method: "POST", path: "/v1/activities/" + yoga.ID + "/enrollments", token: w.p1.AccessToken, body: map[string]string{"sessionId": sessions.Items[1].ID}})
		if r.Status != http.StatusUnprocessableEntity || r.problemCode(t) != "session.cancelled" {
			t.Errorf("sign up for a cancelled session: %d %s", r.Status, r.Body)
		}
		r = s.do(req{method: "GET", path: "/v1/activities/" + yoga.ID + "/figures", token: w.coord.AccessToken})
		mustStatus(t, "figures", r, http.StatusOK)
		var f struct{ Confirmed, Sessions int }
		r.json(t, &f)
		if f.Confirmed != 1 || f.Sessions != len(sessions.Items)-1 {
			t.Errorf("figures = %+v", f)
		}
	})
}

// TestEndToEndCatalogueOwnDepartmentFirst follows the catalogue page by
// page through the API: a participant of Herning gets Herning's
// activities first, then Aarhus's, every item (and getActivity) naming
// its department; an admin, who has no department, gets creation order.
// Every response is checked against openapi.yaml.
func TestEndToEndCatalogueOwnDepartmentFirst(t *testing.T) {
	w := newWorld(t)
	s := w.s
	r := s.do(req{method: "POST", path: "/v1/departments", token: w.admin.AccessToken, body: map[string]string{"name": "Aarhus"}})
	mustStatus(t, "create department", r, http.StatusCreated)
	var aarhus struct{ ID string }
	r.json(t, &aarhus)
	r = s.do(req{method: "PUT", path: "/v1/staff/" + w.coord.User.ID + "/departments", token: w.admin.AccessToken,
		body: map[string][]string{"departmentIds": {aarhus.ID}}})
	mustStatus(t, "the coordinator serves Aarhus too", r, http.StatusOK)
	ids := map[string]string{}
	for _, c := range []struct{ title, dept string }{{"a1", aarhus.ID}, {"h1", w.deptID}, {"a2", aarhus.ID}, {"h2", w.deptID}} {
		body := activityBody(w, false, true)
		body["title"], body["departmentId"] = map[string]string{"da": c.title}, c.dept
		ids[c.title], _ = createActivityAs(t, w, body)
	}
	list := func(who session, limit int) []string {
		t.Helper()
		var got []string
		cursor := ""
		for range 10 {
			r := s.do(req{method: "GET", path: fmt.Sprintf("/v1/activities?limit=%d%s", limit, cursor), token: who.AccessToken})
			mustStatus(t, "list activities", r, http.StatusOK)
			var page struct {
				Items []struct {
					Title          struct{ Da string }
					DepartmentName string
				}
				Next *string
			}
			r.json(t, &page)
			for _, a := range page.Items {
				got = append(got, a.Title.Da+"@"+a.DepartmentName)
			}
			if page.Next == nil {
				return got
			}
			cursor = "&cursor=" + *page.Next
		}
		t.Fatalf("no last page: %v", got)
		return nil
	}
	ownFirst := []string{"h1@Herning", "h2@Herning", "a1@Aarhus", "a2@Aarhus"}
	for _, limit := range []int{1, 2, 3, 100} {
		if got := list(w.p1, limit); !slices.Equal(got, ownFirst) {
			t.Errorf("limit %d: Herning's participant sees %v, want %v", limit, got, ownFirst)
		}
	}
	if got, want := list(w.admin, 3), []string{"a1@Aarhus", "h1@Herning", "a2@Aarhus", "h2@Herning"}; !slices.Equal(got, want) {
		t.Errorf("the admin sees %v, want %v", got, want)
	}
	r = s.do(req{method: "GET", path: "/v1/activities/" + ids["a2"], token: w.p1.AccessToken})
	mustStatus(t, "get activity", r, http.StatusOK)
	var a struct{ DepartmentName string }
	r.json(t, &a)
	if a.DepartmentName != "Aarhus" {
		t.Errorf("getActivity a2: departmentName %q, want Aarhus", a.DepartmentName)
	}
}
