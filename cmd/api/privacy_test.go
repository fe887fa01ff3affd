package main

import (
	"net/http"
	"strings"
	"testing"
)

type consentJSON struct {
	Purpose, Title, State, Version, CurrentVersion, EmploymentID string
	NeedsRenewal                                                 bool
	History                                                      []struct {
		Given  bool
		ByRole string
		Reason string
	}
}

func consentOf(t *testing.T, w *world, token, path, purpose string) consentJSON {
	t.Helper()
	r := w.s.do(req{method: "GET", path: path, token: token})
	mustStatus(t, "list consents", r, http.StatusOK)
	var l struct{ Items []consentJSON }
	r.json(t, &l)
	for _, c := range l.Items {
		if c.Purpose == purpose {
			return c
		}
	}
	t.Fatalf("no %s consent in %s", purpose, r.Body)
	return consentJSON{}
}

func TestConsentsAreRecordsWithVersionsAndReasons(t *testing.T) {
	w := newWorld(t)
	p1Consents := "/v1/participants/" + w.p1ID + "/consents/"
	if c := consentOf(t, w, w.p1.AccessToken, "/v1/me/consents", "statistics"); c.State != "not_asked" || c.Title != "Brug i statistik" || c.CurrentVersion == "" {
		t.Fatalf("statistics before anything = %+v", c)
	}

	r := w.s.do(req{method: "PUT", path: p1Consents + "push", token: w.p1.AccessToken, body: map[string]any{"given": true, "textVersion": "2020-01"}})
	mustStatus(t, "consent to an old text", r, http.StatusConflict)
	if code := r.problemCode(t); code != "consent.text_changed" {
		t.Errorf("code %s", code)
	}
	r = w.s.do(req{method: "PUT", path: p1Consents + "push", token: w.p1.AccessToken, body: map[string]any{"given": true, "textVersion": "2026-11"}})
	mustStatus(t, "consent to push", r, http.StatusOK)

	r = w.s.do(req{method: "PUT", path: p1Consents + "statistics", token: w.counselorA.AccessToken, body: map[string]any{"given": true, "textVersion": "2026-11"}})
	mustStatus(t, "counselor without a reason", r, http.StatusBadRequest)
	r = w.s.do(req{method: "PUT", path: p1Consents + "statistics", token: w.counselorA.AccessToken,
		body: map[string]any{"given": true, "textVersion": "2026-11", "reason": "Underskrevet erklæring på papir"}})
	mustStatus(t, "counselor with a reason", r, http.StatusOK)
	r = w.s.do(req{method: "PUT", path: p1Consents + "statistics", token: w.p1.AccessToken, body: map[string]any{"given": false}})
	mustStatus(t, "participant withdraws", r, http.StatusOK)

	c := consentOf(t, w, w.counselorA.AccessToken, "/v1/participants/"+w.p1ID+"/consents", "statistics")
	if c.State != "withdrawn" || len(c.History) != 2 || c.History[0].ByRole != "counselor" || c.History[0].Reason == "" || c.History[1].Given {
		t.Errorf("statistics after give and withdraw = %+v", c)
	}
	if c := consentOf(t, w, w.p1.AccessToken, "/v1/me/consents", "push"); c.State != "given" || c.Version != "2026-11" || c.NeedsRenewal {
		t.Errorf("push = %+v", c)
	}
	r = w.s.do(req{method: "PUT", path: p1Consents + "gossip", token: w.p1.AccessToken, body: map[string]any{"given": true, "textVersion": "1"}})
	mustStatus(t, "unknown purpose", r, http.StatusBadRequest)
}

func TestAccessLogShowsStaffReadsToTheParticipant(t *testing.T) {
	w := newWorld(t)
	r := w.s.do(req{method: "GET", path: "/v1/participants/" + w.p1ID + "/plan", token: w.p1.AccessToken})
	mustStatus(t, "own read", r, http.StatusOK)
	r = w.s.do(req{method: "GET", path: "/v1/participants/" + w.p1ID + "/plan", token: w.counselorA.AccessToken})
	mustStatus(t, "counselor read", r, http.StatusOK)
	r = w.s.do(req{method: "GET", path: "/v1/participants/" + w.p1ID + "/plan", token: w.counselorB.AccessToken})
	mustStatus(t, "refused read", r, http.StatusForbidden)

	r = w.s.do(req{method: "GET", path: "/v1/me/access-log", token: w.p1.AccessToken})
	mustStatus(t, "my access log", r, http.StatusOK)
	var page struct {
		Items []struct {
			ActorName, ActorRole, Area, Kind, Route, RequestID string
		}
	}
	r.json(t, &page)
	var plan []string
	for _, e := range page.Items {
		if e.Area == "Din plan" {
			plan = append(plan, e.ActorName+"/"+e.ActorRole+"/"+e.Kind)
		}
		if e.Route != "" || e.RequestID != "" {
			t.Errorf("participant sees internals: %+v", e)
		}
	}
	if len(plan) != 1 || plan[0] != "Staff counselor/counselor/read" {
		t.Errorf("plan lines = %v, want the one read by counselor A (not the participant's own, not the refused one)", plan)
	}

	r = w.s.do(req{method: "GET", path: "/v1/access-log?participantId=" + w.p1ID + "&from=2000-01-01", token: w.admin.AccessToken})
	mustStatus(t, "admin search", r, http.StatusOK)
	if !strings.Contains(string(r.Body), `"route":"GET /v1/participants/:id/plan"`) {
		t.Errorf("admin search lacks the route: %s", r.Body)
	}
	r = w.s.do(req{method: "GET", path: "/v1/access-log?from=yesterday", token: w.admin.AccessToken})
	mustStatus(t, "bad from", r, http.StatusBadRequest)
}

func TestExportHoldsTheParticipantsDataAndNoSecrets(t *testing.T) {
	w := newWorld(t)
	r := w.s.do(req{method: "PUT", path: "/v1/participants/" + w.p1ID + "/consents/terms", token: w.p1.AccessToken, body: map[string]any{"given": true, "textVersion": "2026-11"}})
	mustStatus(t, "accept terms", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/conversation/messages", token: w.p1.AccessToken,
		body: map[string]any{"text": "Hej Anne, jeg har fået en praktikplads", "clientMessageId": "c-1"}})
	mustStatus(t, "send a message", r, http.StatusCreated)

	r = w.s.do(req{method: "GET", path: "/v1/me/data-export", token: w.p1.AccessToken})
	mustStatus(t, "export", r, http.StatusOK)
	body := string(r.Body)
	for _, want := range []string{"Anna", "jeg har fået en praktikplads", `"terms"`} {
		if !strings.Contains(body, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	for _, secret := range []string{"passwordHash", "$argon2id$", w.p1.RefreshToken} {
		if strings.Contains(body, secret) {
			t.Errorf("export holds a secret (%q)", secret)
		}
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", r.Header)
	}
	r = w.s.do(req{method: "GET", path: "/v1/participants/" + w.p1ID + "/data-export", token: w.counselorA.AccessToken})
	mustStatus(t, "counselor export", r, http.StatusOK)
}

func TestLeavingEndsAccessAtOnceAndCanBeUndone(t *testing.T) {
	w := newWorld(t)
	p1 := "/v1/participants/" + w.p1ID
	r := w.s.do(req{method: "POST", path: p1 + "/withdrawal", token: w.p1.AccessToken, body: map[string]any{"reason": "someday"}})
	mustStatus(t, "unknown reason", r, http.StatusBadRequest)
	r = w.s.do(req{method: "POST", path: p1 + "/withdrawal", token: w.p1.AccessToken, body: map[string]any{"reason": "no_longer_wanted"}})
	mustStatus(t, "leave", r, http.StatusCreated)

	// The access token is still within its lifetime, yet it no longer works.
	r = w.s.do(req{method: "GET", path: "/v1/me", token: w.p1.AccessToken})
	mustStatus(t, "after leaving", r, http.StatusUnauthorized)
	if code := r.problemCode(t); code != "auth.session_ended" {
		t.Errorf("code %s", code)
	}
	r = w.s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": w.p1.RefreshToken}})
	mustStatus(t, "refresh after leaving", r, http.StatusUnauthorized)
	r = w.s.do(req{method: "POST", path: "/v1/auth/login", body: map[string]string{"login": "20123456", "password": testPassword}})
	mustStatus(t, "login after leaving", r, http.StatusForbidden)
	if code := r.problemCode(t); code != "account.withdrawn" {
		t.Errorf("code %s", code)
	}
	r = w.s.do(req{method: "POST", path: p1 + "/activation-code", token: w.counselorA.AccessToken})
	mustStatus(t, "new code while left", r, http.StatusConflict)

	r = w.s.do(req{method: "GET", path: p1 + "/withdrawal", token: w.counselorA.AccessToken})
	mustStatus(t, "counselor sees the leaving", r, http.StatusOK)
	var wd struct{ Reason, ByRole, At, EraseAfter string }
	r.json(t, &wd)
	if wd.Reason != "no_longer_wanted" || wd.ByRole != "participant" || wd.EraseAfter <= wd.At {
		t.Errorf("withdrawal = %+v", wd)
	}
	r = w.s.do(req{method: "POST", path: p1 + "/withdrawal", token: w.counselorA.AccessToken, body: map[string]any{"reason": "other"}})
	mustStatus(t, "leave twice", r, http.StatusConflict)
	// Staff can still read the conversation, but nobody writes into it.
	r = w.s.do(req{method: "GET", path: p1 + "/conversation/messages", token: w.counselorA.AccessToken})
	mustStatus(t, "read the conversation after leaving", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: p1 + "/conversation/messages", token: w.counselorA.AccessToken, body: map[string]any{"clientMessageId": "after", "text": "Hej"}})
	mustStatus(t, "write after leaving", r, http.StatusConflict)

	r = w.s.do(req{method: "DELETE", path: p1 + "/withdrawal", token: w.counselorA.AccessToken})
	mustStatus(t, "undo", r, http.StatusNoContent)
	r = w.s.do(req{method: "POST", path: p1 + "/activation-code", token: w.counselorA.AccessToken})
	mustStatus(t, "new code after undo", r, http.StatusCreated)
	var code struct{ Code string }
	r.json(t, &code)
	back := w.s.activate(code.Code, "20 12 34 56", testPassword)
	r = w.s.do(req{method: "GET", path: "/v1/me", token: back.AccessToken})
	mustStatus(t, "back again", r, http.StatusOK)
}

// The secret calendar link is a credential too: it ends with leaving.
func TestLeavingEndsTheCalendarLink(t *testing.T) {
	w := newWorld(t)
	link := rotateFeed(t, w.s, w.p1)
	r := w.s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/withdrawal", token: w.counselorA.AccessToken, body: map[string]any{"reason": "poor_match"}})
	mustStatus(t, "leave", r, http.StatusCreated)
	r = w.s.do(req{method: "GET", path: link.URL})
	if r.Status != http.StatusNotFound {
		t.Errorf("calendar feed of a participant who left: %d, want 404", r.Status)
	}
}

// A check-in sent after a participant left does not ask them, nor count
// them among the recipients.
func TestCheckInsSkipParticipantsWhoLeft(t *testing.T) {
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
