package main

import (
	"net/http"
	"testing"
)

// privacyFixture enrols p3, counselor A's second participant, whom the
// authorisation matrix withdraws (and takes back), so p1 keeps access
// for every other row.
func privacyFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	r := w.s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: map[string]string{"name": "Cille"}})
	mustStatus(t, "enrol p3", r, http.StatusCreated)
	var c created
	r.json(t, &c)
	return map[string]string{"p3": c.Account.ID}
}
