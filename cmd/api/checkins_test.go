package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jobbanken/jobkunde/models"
)

// eventsOf returns the outbox events of one type recorded for a recipient.
func eventsOf(t *testing.T, w *world, recipient, typ string) []models.Event {
	t.Helper()
	items, _, err := w.s.store.Events(context.Background(), recipient, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Event
	for _, e := range items {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// TestCheckInThroughTheServer: a counselor asks the department, the
// participants answer with one tap, "I'd like to talk" reaches the top of
// the counselor's inbox, and the tally shows names to the counselor only.
func TestCheckInThroughTheServer(t *testing.T) {
	w := newWorld(t)
	send := req{method: "POST", path: "/v1/check-ins", token: w.counselorA.AccessToken,
		body: map[string]any{"audience": "department", "openDays": 3}, headers: []string{"Idempotency-Key", "checkin-1"}}
	r := w.s.do(send)
	mustStatus(t, "send", r, http.StatusCreated)
	var c struct {
		ID           string
		DepartmentID string
		Recipients   int
	}
	r.json(t, &c)
	if c.DepartmentID != w.deptID || c.Recipients != 2 {
		t.Fatalf("check-in %s", r.Body)
	}
	if again := w.s.do(send); again.Status != http.StatusCreated || again.Header.Get("Idempotent-Replayed") != "true" || !strings.Contains(string(again.Body), c.ID) {
		t.Fatalf("replayed send: %d %s", again.Status, again.Body)
	}
	for _, p := range []string{w.p1ID, w.p2ID} {
		es := eventsOf(t, w, p, "checkin.sent")
		if len(es) != 1 || es[0].Params["checkInId"] != c.ID || es[0].ExpiresAt == nil {
			t.Fatalf("%s's check-in events: %+v", p, es)
		}
	}

	answer := "/v1/check-ins/" + c.ID + "/answer"
	r = w.s.do(req{method: "POST", path: answer, token: w.p1.AccessToken, body: map[string]any{"choice": "talk", "text": "Jeg er bekymret for mine timer."}})
	mustStatus(t, "p1 answers", r, http.StatusOK)
	var a struct {
		Choice            string
		Version           int
		CallbackRequested bool
	}
	r.json(t, &a)
	if a.Choice != "talk" || a.Version != 1 || !a.CallbackRequested {
		t.Fatalf("p1's answer %s", r.Body)
	}
	r = w.s.do(req{method: "POST", path: answer, token: w.p2.AccessToken, body: map[string]any{"choice": "good"}})
	mustStatus(t, "p2 answers", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: answer, token: w.p2.AccessToken, body: map[string]any{"choice": "fine"}, headers: []string{"Accept-Language", "en"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "checkin.choice") || !strings.Contains(string(r.Body), "would like to talk") {
		t.Fatalf("unknown choice: %d %s", r.Status, r.Body)
	}

	r = w.s.do(req{method: "GET", path: "/v1/inbox?filter=callbacks", token: w.counselorA.AccessToken})
	mustStatus(t, "inbox", r, http.StatusOK)
	if !strings.Contains(string(r.Body), w.p1ID) {
		t.Fatalf("counselor A's callbacks inbox lacks p1: %s", r.Body)
	}

	results := "/v1/check-ins/" + c.ID + "/results"
	r = w.s.do(req{method: "GET", path: results, token: w.counselorA.AccessToken})
	mustStatus(t, "counselor's results", r, http.StatusOK)
	var res struct {
		Open           bool
		Total          struct{ Asked, Good, Okay, Talk, NoAnswer int }
		MyParticipants []struct {
			ParticipantID, Name, Choice, Text string
		}
	}
	r.json(t, &res)
	if !res.Open || res.Total.Asked != 2 || res.Total.Talk != 1 || res.Total.Good != 1 || res.Total.NoAnswer != 0 {
		t.Fatalf("counselor A's tally %s", r.Body)
	}
	if len(res.MyParticipants) != 1 || res.MyParticipants[0].ParticipantID != w.p1ID || res.MyParticipants[0].Name != "Anna" || res.MyParticipants[0].Text == "" {
		t.Fatalf("counselor A's own participants %s", r.Body)
	}
	r = w.s.do(req{method: "GET", path: results, token: w.admin.AccessToken})
	mustStatus(t, "admin's results", r, http.StatusOK)
	if body := string(r.Body); strings.Contains(body, "myParticipants") || strings.Contains(body, "bekymret") || strings.Contains(body, "Anna") {
		t.Fatalf("the admin sees names or texts: %s", body)
	}
}

// TestCelebrationThroughTheServer: a coordinator plans "Godt Gået" for p1;
// it stays out of the catalogue and out of other participants' sight, p1
// answers, and cancelling it tells p1.
func TestCelebrationThroughTheServer(t *testing.T) {
	w := newWorld(t)
	body := celebrationBody(w)
	body["title"] = map[string]string{"da": "Godt Gået, Anna!"}
	plan := req{method: "POST", path: "/v1/celebrations", token: w.coord.AccessToken, body: body, headers: []string{"Idempotency-Key", "party-1"}}
	r := w.s.do(plan)
	mustStatus(t, "plan", r, http.StatusCreated)
	var cel struct {
		ID, ParticipantName, State string
		GuestCount                 int
		Guests                     []struct{ Name string }
	}
	r.json(t, &cel)
	if cel.ParticipantName != "Anna" || cel.GuestCount != 4 || len(cel.Guests) != 2 || cel.State != "scheduled" {
		t.Fatalf("planned %s", r.Body)
	}
	if again := w.s.do(plan); again.Header.Get("Idempotent-Replayed") != "true" || !strings.Contains(string(again.Body), cel.ID) {
		t.Fatalf("replayed plan: %d %s", again.Status, again.Body)
	}
	if es := eventsOf(t, w, w.p1ID, "celebration.invited"); len(es) != 1 || es[0].Params["celebrationId"] != cel.ID {
		t.Fatalf("p1's invitations: %+v", es)
	}

	for _, who := range []session{w.p1, w.p2, w.coord} {
		r = w.s.do(req{method: "GET", path: "/v1/activities?limit=100", token: who.AccessToken})
		mustStatus(t, "catalogue", r, http.StatusOK)
		if strings.Contains(string(r.Body), cel.ID) {
			t.Fatalf("the catalogue lists the celebration to %s", who.User.Role)
		}
	}
	r = w.s.do(req{method: "GET", path: "/v1/activities/" + cel.ID, token: w.p2.AccessToken})
	mustStatus(t, "another participant reads it", r, http.StatusNotFound)
	r = w.s.do(req{method: "GET", path: "/v1/activities/" + cel.ID, token: w.p1.AccessToken})
	mustStatus(t, "p1 reads it", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: "/v1/activities/" + cel.ID + "/enrollments", token: w.p1.AccessToken})
	if r.Status != http.StatusUnprocessableEntity || r.problemCode(t) != "activity.invitation_only" {
		t.Fatalf("p1 signs up: %d %s", r.Status, r.Body)
	}
	b := activityBody(w, false, true)
	b["kind"] = "celebration"
	r = w.s.do(req{method: "POST", path: "/v1/activities", token: w.coord.AccessToken, body: b})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "activity.kind") {
		t.Fatalf("a celebration through createActivity: %d %s", r.Status, r.Body)
	}

	r = w.s.do(req{method: "POST", path: "/v1/celebrations/" + cel.ID + "/rsvp", token: w.p1.AccessToken, body: map[string]string{"answer": "yes", "note": "Min søster kommer også."}})
	mustStatus(t, "p1 answers", r, http.StatusOK)
	if !strings.Contains(string(r.Body), `"answer":"yes"`) {
		t.Fatalf("answer %s", r.Body)
	}
	if es := eventsOf(t, w, w.coord.User.ID, "celebration.answered"); len(es) != 1 || es[0].Params["answer"] != "yes" {
		t.Fatalf("the coordinator's events: %+v", es)
	}
	list := func(who session) string {
		t.Helper()
		r := w.s.do(req{method: "GET", path: "/v1/celebrations", token: who.AccessToken})
		mustStatus(t, "list as "+string(who.User.Role), r, http.StatusOK)
		return string(r.Body)
	}
	if body := list(w.counselorA); !strings.Contains(body, "Lone fra Netto") || !strings.Contains(body, "søster") {
		t.Fatalf("p1's counselor sees %s", body)
	}
	if body := list(w.p2); strings.Contains(body, cel.ID) {
		t.Fatalf("another participant sees %s", body)
	}
	if body := list(w.admin); !strings.Contains(body, cel.ID) || strings.Contains(body, "Lone fra Netto") || strings.Contains(body, "søster") {
		t.Fatalf("the admin sees guest names or the note: %s", body)
	}

	r = w.s.do(req{method: "POST", path: "/v1/activities/" + cel.ID + "/cancel", token: w.coord.AccessToken})
	mustStatus(t, "cancel", r, http.StatusOK)
	if body := list(w.p1); !strings.Contains(body, `"state":"cancelled"`) {
		t.Fatalf("p1's list after cancelling: %s", body)
	}
	if es := eventsOf(t, w, w.p1ID, "celebration.cancelled"); len(es) != 1 {
		t.Fatalf("p1 was told of the cancellation %d times, want 1", len(es))
	}
	r = w.s.do(req{method: "POST", path: "/v1/celebrations/" + cel.ID + "/rsvp", token: w.p1.AccessToken, body: map[string]string{"answer": "no"}})
	if r.Status != http.StatusUnprocessableEntity || r.problemCode(t) != "activity.cancelled" {
		t.Fatalf("answering a cancelled celebration: %d %s", r.Status, r.Body)
	}
}

// A zero the schema does not allow is a 400 that names the field, never
// silently read as "left out" (a check-in open for 7 days, one guest).
func TestZeroIsNeverReadAsLeftOut(t *testing.T) {
	w := newWorld(t)
	cel := celebrationBody(w)
	cel["guests"] = []map[string]any{{"name": "Lone fra Netto", "relation": "company"}, {"name": "Kolleger", "relation": "colleague", "count": 0}}
	tests := []struct {
		name, path, token, field, code string
		body                           any
	}{
		{name: "check-in open 0 days", path: "/v1/check-ins", token: w.counselorA.AccessToken,
			body: map[string]any{"audience": "department", "openDays": 0}, field: "openDays", code: "checkin.open_days"},
		{name: "0 guests on a line", path: "/v1/celebrations", token: w.coord.AccessToken,
			body: cel, field: "guests[1].count", code: "celebration.guest_count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.s.do(req{method: "POST", path: tt.path, token: tt.token, body: tt.body})
			mustStatus(t, tt.name, r, http.StatusBadRequest)
			var p fieldProblem
			r.json(t, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code || p.Errors[0].Message == "" {
				t.Errorf("problem %s, want one error for %s (%s)", r.Body, tt.field, tt.code)
			}
		})
	}
	// Left out, they still mean 7 days and one guest.
	r := w.s.do(req{method: "POST", path: "/v1/check-ins", token: w.counselorA.AccessToken, body: map[string]any{"audience": "department"}})
	mustStatus(t, "check-in without openDays", r, http.StatusCreated)
}
