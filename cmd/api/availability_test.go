package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

// inDays returns the Copenhagen calendar date n days from today.
func inDays(t *testing.T, n int) string {
	t.Helper()
	loc := models.Copenhagen()
	now := testNow().In(loc)
	return time.Date(now.Year(), now.Month(), now.Day()+n, 0, 0, 0, 0, loc).Format(time.DateOnly)
}

type absenceJSON struct {
	ID          string    `json:"id"`
	CounselorID string    `json:"counselorId"`
	StandInID   string    `json:"standInId"`
	StandInName string    `json:"standInName"`
	From        time.Time `json:"from"`
	Until       time.Time `json:"until"`
	ReturnDate  string    `json:"returnDate"`
	CreatedBy   string    `json:"createdBy"`
}

type fieldProblem struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Errors []struct {
		Field, Code, Message string
	} `json:"errors"`
}

func TestEndToEndAvailability(t *testing.T) {
	w := newWorld(t)
	s := w.s
	ctx := context.Background()
	// What messaging asks: the same service on the server's own database.
	svc := availability.New(s.store, testNow, newID)
	awayPath := "/v1/counselors/" + w.counselorAID + "/away"
	hoursPath := "/v1/counselors/" + w.counselorAID + "/office-hours"
	back := inDays(t, 7)

	status := func() availability.Status {
		t.Helper()
		st, err := svc.StatusOf(ctx, w.counselorAID, testNow())
		if err != nil {
			t.Fatalf("status of counselor A: %v", err)
		}
		return st
	}
	covered := func() []string {
		t.Helper()
		as, err := svc.AbsencesCoveredBy(ctx, w.cBID, testNow())
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range as {
			ids = append(ids, a.ID)
		}
		return ids
	}

	if st := status(); st.Away != nil || !slices.Equal(st.OfficeHours.Days, models.DefaultOfficeHours().Days) {
		t.Fatalf("before: %+v, want the default office hours and not away", st)
	}

	// Counselor A keeps Monday to Thursday, given in any order.
	days := []map[string]any{
		{"weekday": 4, "from": "09:00", "to": "14:00"}, {"weekday": 1, "from": "09:00", "to": "14:00"},
		{"weekday": 2, "from": "09:00", "to": "14:00"}, {"weekday": 3, "from": "10:00", "to": "14:00"},
	}
	r := s.do(req{method: "PUT", path: hoursPath, token: w.counselorA.AccessToken, body: map[string]any{"days": days}})
	mustStatus(t, "set office hours", r, http.StatusOK)
	var saved models.OfficeHours
	r.json(t, &saved)
	if len(saved.Days) != 4 || saved.Days[0].Weekday != 1 || saved.Days[3].Weekday != 4 || saved.Days[2].From != "10:00" {
		t.Errorf("saved office hours %+v, want Monday to Thursday in order", saved.Days)
	}
	if st := status(); !slices.Equal(st.OfficeHours.Days, saved.Days) {
		t.Errorf("status shows %v, want the saved hours %v", st.OfficeHours.Days, saved.Days)
	}

	// A goes away with B as stand-in until the return date.
	r = s.do(req{method: "PUT", path: awayPath, token: w.counselorA.AccessToken, body: map[string]any{"returnDate": back, "standInId": w.cBID}})
	mustStatus(t, "set away", r, http.StatusOK)
	var a absenceJSON
	r.json(t, &a)
	loc := models.Copenhagen()
	if a.CounselorID != w.counselorAID || a.StandInID != w.cBID || a.StandInName != "Staff counselor" || a.ReturnDate != back ||
		a.CreatedBy != w.counselorAID || a.Until.In(loc).Format(time.DateOnly) != back || a.Until.In(loc).Hour() != 0 {
		t.Fatalf("absence %+v", a)
	}
	st := status()
	if st.Away == nil || st.Away.ID != a.ID || st.Away.StandInID != w.cBID || !st.Away.Until.Equal(a.Until) {
		t.Fatalf("status while away: %+v, want absence %s with B", st.Away, a.ID)
	}
	if got := covered(); !slices.Equal(got, []string{a.ID}) {
		t.Errorf("B covers %v, want [%s]", got, a.ID)
	}

	// Problems are calm and name the field.
	r = s.do(req{method: "PUT", path: awayPath, token: w.counselorA.AccessToken, body: map[string]any{"returnDate": back, "standInId": w.counselorAID}})
	mustStatus(t, "self as stand-in", r, http.StatusBadRequest)
	var p fieldProblem
	r.json(t, &p)
	if p.Code != "request.invalid_fields" || len(p.Errors) != 1 || p.Errors[0].Field != "standInId" || p.Errors[0].Code != "availability.stand_in" ||
		p.Errors[0].Message != "Vælg en anden vejleder, der bruger appen, som stedfortræder." {
		t.Errorf("self as stand-in: %+v", p)
	}
	r = s.do(req{method: "PUT", path: hoursPath, token: w.counselorA.AccessToken, body: map[string]any{"days": []map[string]any{{"weekday": 8, "from": "9", "to": "15:00"}}}, headers: []string{"Accept-Language", "en"}})
	mustStatus(t, "bad office hours", r, http.StatusBadRequest)
	p = fieldProblem{}
	r.json(t, &p)
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Field+" "+e.Code)
	}
	if want := []string{"days[0].weekday availability.weekday", "days[0].from availability.clock_time"}; !slices.Equal(got, want) || p.Errors[0].Message != "Use a weekday from 1 (Monday) to 7 (Sunday)." {
		t.Errorf("bad office hours: %q (%+v), want %q in English", got, p.Errors, want)
	}
	if st := status(); st.Away == nil || st.Away.ID != a.ID || !slices.Equal(st.OfficeHours.Days, saved.Days) {
		t.Errorf("refused requests changed the status: %+v", st)
	}

	// Nobody else may: the coordinator, the participant, the stand-in.
	for _, who := range []struct {
		name  string
		token string
	}{{"coordinator", w.coord.AccessToken}, {"participant", w.p1.AccessToken}, {"other counselor", w.counselorB.AccessToken}} {
		r = s.do(req{method: "PUT", path: awayPath, token: who.token, body: map[string]any{"returnDate": back, "standInId": w.cBID}})
		if r.Status != http.StatusForbidden || r.problemCode(t) != "auth.forbidden" {
			t.Errorf("%s sets A away: %d %s, want 403", who.name, r.Status, r.Body)
		}
		r = s.do(req{method: "DELETE", path: awayPath, token: who.token})
		if r.Status != http.StatusForbidden || r.problemCode(t) != "auth.forbidden" {
			t.Errorf("%s clears A's absence: %d %s, want 403", who.name, r.Status, r.Body)
		}
	}
	r = s.do(req{method: "PUT", path: "/v1/counselors/" + w.p1ID + "/away", token: w.admin.AccessToken, body: map[string]any{"returnDate": back, "standInId": w.cBID}})
	if r.Status != http.StatusNotFound || r.problemCode(t) != "counselor.not_found" {
		t.Errorf("a participant's ID as counselor: %d %s, want 404 counselor.not_found", r.Status, r.Body)
	}
	if st := status(); st.Away == nil || st.Away.ID != a.ID {
		t.Fatalf("refused callers changed the absence: %+v", st.Away)
	}

	// A is back early; clearing again answers the same.
	for range 2 {
		r = s.do(req{method: "DELETE", path: awayPath, token: w.counselorA.AccessToken})
		mustStatus(t, "clear away", r, http.StatusNoContent)
	}
	if st := status(); st.Away != nil {
		t.Errorf("status after clearing: away %+v", st.Away)
	}
	if got := covered(); len(got) != 0 {
		t.Errorf("B still covers %v after A is back", got)
	}

	// An admin may set it for A (A is ill and cannot).
	r = s.do(req{method: "PUT", path: awayPath, token: w.admin.AccessToken, body: map[string]any{"returnDate": inDays(t, 3), "standInId": w.cBID}})
	mustStatus(t, "admin sets away", r, http.StatusOK)
	var byAdmin absenceJSON
	r.json(t, &byAdmin)
	if byAdmin.CreatedBy != w.admin.User.ID || byAdmin.ID == a.ID {
		t.Errorf("absence set by the admin: %+v", byAdmin)
	}
	if st := status(); st.Away == nil || st.Away.ID != byAdmin.ID {
		t.Errorf("status after the admin set it: %+v", st.Away)
	}

	// B was told once per absence.
	events, _, err := s.store.Events(ctx, w.cBID, models.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var told []any
	for _, e := range events {
		if e.Type == availability.EventStandIn {
			told = append(told, e.Params["absenceId"])
		}
	}
	if !slices.Equal(told, []any{a.ID, byAdmin.ID}) {
		t.Errorf("stand-in events for %v, want one each for %s and %s", told, a.ID, byAdmin.ID)
	}
}
