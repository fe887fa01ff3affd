package main

import (
	"net/http"
	"testing"
)

// Review finding: after leaving, "access ends at once" does not cover the
// secret calendar link, which is checked against Status only.
func TestReviewCalendarFeedEndsWhenParticipantLeaves(t *testing.T) {
	w := newWorld(t)
	link := rotateFeed(t, w.s, w.p1)
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/withdrawal", token: w.counselorA.AccessToken, body: map[string]any{"reason": "poor_match"}})
	mustStatus(t, "leave", r, http.StatusCreated)
	r = w.s.do(req{method: "GET", path: link.URL})
	if r.Status != http.StatusNotFound {
		t.Errorf("calendar feed of a participant who left: %d, want 404", r.Status)
	}
}

// Review finding: a check-in sent after a participant left still asks them
// (fan-out filters on Status only) and counts them among the recipients.
func TestReviewCheckInSkipsParticipantsWhoLeft(t *testing.T) {
	w := newWorld(t)
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/withdrawal", token: w.counselorA.AccessToken, body: map[string]any{"reason": "poor_match"}})
	mustStatus(t, "leave", r, http.StatusCreated)
	r = w.s.do(req{method: "POST", path: "/v1/check-ins", token: w.counselorA.AccessToken, body: map[string]any{"audience": "department"}})
	mustStatus(t, "send check-in", r, http.StatusCreated)
	var c struct{ Recipients int }
	r.json(t, &c)
	if c.Recipients != 1 {
		t.Errorf("check-in asked %d participants, want 1 (p2 only; p1 has left)", c.Recipients)
	}
}
