package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// TestLeavingThenErasureLeavesNoTrace is the erasure check, end to
// end: p1 uses every capability through the API, their counselor reads and
// writes their data, p1 leaves, the clock passes the retention period, the
// scheduled job runs, and then no document in any collection holds p1's
// identifiers or anything written by or about them; p2's data is intact and
// the anonymous leaver record is all that remains.
func TestLeavingThenErasureLeavesNoTrace(t *testing.T) {
	w := newWorld(t)
	s, ctx := w.s, context.Background()
	p1 := "/v1/participants/" + w.p1ID

	// Every capability, through the routes.
	fx := activityFixture(t, w)
	wk := workFixture(t, w)
	planFixture(t, w)
	messagingFixture(t, w)
	checkIn := checkInFixture(t, w)
	signUpAs(t, w, w.p2, fx["activity"]) // someone else's data, which must stay
	for _, purpose := range []string{"terms", "push", "statistics"} {
		r := s.do(req{method: "PUT", path: p1 + "/consents/" + purpose, token: w.p1.AccessToken, body: map[string]any{"given": true, "textVersion": "2026-11"}})
		mustStatus(t, "consent "+purpose, r, http.StatusOK)
	}
	const pdf = "%PDF-1.7\n% Zofia-kontrakt-QX91\ntrailer\n%%EOF\n"
	r := s.do(req{method: "POST", path: p1 + "/conversation/attachments", token: w.p1.AccessToken, body: pdf})
	mustStatus(t, "upload", r, http.StatusCreated)
	var att struct{ ID string }
	r.json(t, &att)
	texts := []string{
		"Jeg tør ikke sige det til min chef, Pelikan-7",
		"Vi tager den sammen på torsdag, Vandmelon-3",
		"Ring gerne efter kl. 14, Kolibri-5",
		"Mine timer bekymrer mig, Quokka-2",
		"Intern note om skånehensyn, Zebra-8",
		"Morfar Xylofon-4",
	}
	r = s.do(req{method: "POST", path: p1 + "/conversation/messages", token: w.p1.AccessToken,
		body: map[string]any{"clientMessageId": "erase-1", "text": texts[0], "attachmentIds": []string{att.ID}}})
	mustStatus(t, "participant writes", r, http.StatusCreated)
	r = s.do(req{method: "POST", path: p1 + "/conversation/messages", token: w.counselorA.AccessToken,
		body: map[string]any{"clientMessageId": "erase-2", "text": texts[1]}})
	mustStatus(t, "counselor replies", r, http.StatusCreated)
	r = s.do(req{method: "POST", path: p1 + "/conversation/callback", token: w.p1.AccessToken, body: map[string]any{"reason": "other", "note": texts[2]}})
	mustStatus(t, "call me", r, http.StatusCreated)
	r = s.do(req{method: "POST", path: "/v1/check-ins/" + checkIn["checkIn"] + "/answer", token: w.p1.AccessToken, body: map[string]any{"choice": "talk", "text": texts[3]}})
	mustStatus(t, "answer check-in", r, http.StatusOK)
	r = s.do(req{method: "PATCH", path: p1 + "/follow-ups/" + wk["followUp"], token: w.counselorA.AccessToken,
		body: map[string]any{"note": texts[4], "noteInternal": true}})
	mustStatus(t, "follow-up note", r, http.StatusOK)
	cel := celebrationBody(w)
	cel["guests"] = []map[string]any{{"name": texts[5], "relation": "relative"}}
	r = s.do(req{method: "POST", path: "/v1/celebrations", token: w.admin.AccessToken, body: cel})
	mustStatus(t, "second celebration", r, http.StatusCreated)
	r = s.do(req{method: "PUT", path: p1 + "/pension-profile", token: w.p1.AccessToken, body: map[string]any{"household": "single", "otherIncomeKr": 12345}})
	mustStatus(t, "pension profile", r, http.StatusOK)
	r = s.do(req{method: "POST", path: p1 + "/payslips", token: w.p1.AccessToken,
		body: map[string]any{"employmentId": wk["employment"], "month": wk["month"], "grossOre": 123456, "hours": 10}})
	mustStatus(t, "payslip", r, http.StatusCreated)
	const pushToken = "fcm-token-of-p1-Wombat-6"
	r = s.do(req{method: "PUT", path: "/v1/me/devices", token: w.p1.AccessToken, body: map[string]any{"token": pushToken, "platform": "android", "appVersion": "1.0", "locale": "da"}})
	mustStatus(t, "device", r, http.StatusOK)
	r = s.do(req{method: "POST", path: "/v1/me/calendar-feed", token: w.p1.AccessToken})
	mustStatus(t, "calendar feed", r, http.StatusCreated)
	for _, path := range []string{p1, p1 + "/employments", p1 + "/hours", p1 + "/plan", p1 + "/conversation/messages"} {
		r = s.do(req{method: "GET", path: path, token: w.counselorA.AccessToken})
		mustStatus(t, "counselor reads "+path, r, http.StatusOK)
	}
	r = s.do(req{method: "GET", path: "/v1/activities/" + fx["activity"] + "/roster", token: w.coord.AccessToken})
	mustStatus(t, "roster", r, http.StatusOK)

	// What p1 can see of themselves names the records that must go.
	r = s.do(req{method: "GET", path: "/v1/me/data-export", token: w.p1.AccessToken})
	mustStatus(t, "export before leaving", r, http.StatusOK)
	var export struct {
		Profile      struct{ ID, Name, Login string }
		Employments  []struct{ ID string }
		Hours        []struct{ ID string }
		Consents     []struct{ ID string }
		AccessLog    []struct{ ID string }
		Plan         struct{ Goals []struct{ ID, Title string } }
		Conversation struct {
			Messages []struct{ ID, Text string }
		}
	}
	r.json(t, &export)
	needles := []string{w.p1ID, export.Profile.Name, export.Profile.Login, "Zofia-kontrakt-QX91", pushToken, w.p1.RefreshToken}
	needles = append(needles, texts...)
	if len(export.AccessLog) < 5 || len(export.Consents) < 3 || len(export.Plan.Goals) == 0 || len(export.Conversation.Messages) < 3 {
		t.Fatalf("the export before leaving is thin: %s", r.Body)
	}
	for _, list := range [][]struct{ ID string }{export.Employments, export.Hours, export.Consents, export.AccessLog} {
		for _, x := range list {
			needles = append(needles, x.ID)
		}
	}
	for _, g := range export.Plan.Goals {
		needles = append(needles, g.ID, g.Title)
	}
	for _, m := range export.Conversation.Messages {
		needles = append(needles, m.ID, m.Text)
	}
	before := storetest.Dump(t, s.store.Database())
	for _, n := range []string{w.p1ID, texts[0], texts[4], texts[5], pushToken} {
		if !slices.ContainsFunc(before, func(d storetest.Doc) bool { return len(d.Mentions(n)) > 0 }) {
			t.Fatalf("the check cannot fail: %q is not in the database before erasure", n)
		}
	}

	// p1 leaves; the counselor records it.
	r = s.do(req{method: "POST", path: p1 + "/withdrawal", token: w.counselorA.AccessToken, body: map[string]any{"reason": "poor_match"}})
	mustStatus(t, "leave", r, http.StatusCreated)
	var left struct{ EraseAfter time.Time }
	r.json(t, &left)

	// Erasure waits for the retention period...
	runner := func(now time.Time) *jobs.Runner {
		clock := func() time.Time { return now }
		prv := privacy.New(s.store, activity.New(s.store, availability.New(s.store, clock, newID), clock, newID), privacy.Config{}, clock, newID)
		return jobs.New(s.store, nil, jobs.Config{Eraser: prv}, clock, newID)
	}
	if _, err := runner(testNow().Add(24 * time.Hour)).Erase(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(storetest.Dump(t, s.store.Database()), func(d storetest.Doc) bool { return len(d.Mentions(w.p1ID)) > 0 }) {
		t.Fatal("erased within the retention period")
	}
	// ...and after it, the daily job erases.
	ran, err := runner(left.EraseAfter.Add(24 * time.Hour)).Erase(ctx)
	if err != nil || !ran {
		t.Fatalf("erasure run: ran %v, %v", ran, err)
	}

	for _, d := range storetest.Dump(t, s.store.Database()) {
		for _, n := range d.Mentions(needles...) {
			t.Errorf("%s still holds %q: %s", d.Col, n, d.JSON)
		}
	}
	r = s.do(req{method: "GET", path: p1, token: w.admin.AccessToken})
	mustStatus(t, "p1 is gone", r, http.StatusNotFound)
	// p2 is untouched: their login works and their enrolment is there.
	p2 := s.login("bo@example.dk", testPassword)
	r = s.do(req{method: "GET", path: "/v1/me/enrollments", token: p2.AccessToken})
	mustStatus(t, "p2's enrolments", r, http.StatusOK)
	if !strings.Contains(string(r.Body), fx["activity"]) {
		t.Errorf("p2's enrolment went with p1's data: %s", r.Body)
	}
	leavers, err := s.store.Leavers(ctx)
	if err != nil || len(leavers) != 1 {
		t.Fatalf("leavers = %+v, %v", leavers, err)
	}
	if l := leavers[0]; !l.Consented || l.Reason != "poor_match" || l.StartedOn == "" || len(l.Employments) != 2 || l.AccessLogEntries < 5 || l.ID == w.p1ID {
		t.Errorf("leaver record = %+v", l)
	}
}
