package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestWorkAndPensionThroughTheServer walks the participant's path: add a
// job, log hours, see the estimate in Danish and English; the counselor
// sees the job without the employer's contact until consent, follows up.
func TestWorkAndPensionThroughTheServer(t *testing.T) {
	w := newWorld(t)
	p1 := "/v1/participants/" + w.p1ID
	empID := createEmploymentAs(t, w, w.p1)

	// The counselor sees the job, not the employer's contact details.
	r := w.s.do(req{method: "GET", path: p1 + "/employments/" + empID, token: w.counselorA.AccessToken})
	mustStatus(t, "counselor reads employment", r, http.StatusOK)
	var emp struct {
		Company struct {
			Name, Phone string
		}
		ContactHidden   bool
		EmployerContact struct{ Given bool }
		Version         int
	}
	r.json(t, &emp)
	if !emp.ContactHidden || emp.Company.Phone != "" || emp.Company.Name != "Brugsen Herning" {
		t.Fatalf("without consent the counselor sees %s", r.Body)
	}
	r = w.s.do(req{method: "PUT", path: p1 + "/employments/" + empID + "/employer-consent", token: w.p1.AccessToken,
		body: map[string]any{"given": true}})
	mustStatus(t, "give consent", r, http.StatusOK)
	r = w.s.do(req{method: "GET", path: p1 + "/employments/" + empID, token: w.counselorA.AccessToken})
	r.json(t, &emp)
	if emp.ContactHidden || emp.Company.Phone != "+45 97 12 34 56" || !emp.EmployerContact.Given {
		t.Fatalf("with consent the counselor sees %s", r.Body)
	}

	// A receipt for every entry; a retry with the same key is the same entry.
	body := map[string]any{"date": today(t), "hours": 7.5}
	r = w.s.do(req{method: "POST", path: p1 + "/hours", token: w.p1.AccessToken, body: body, headers: []string{"Idempotency-Key", "hours-1"}})
	mustStatus(t, "log hours", r, http.StatusCreated)
	var receipt struct {
		ID, ReceivedAt, EmploymentID string
		Hours                        float64
	}
	r.json(t, &receipt)
	if receipt.ID == "" || receipt.ReceivedAt == "" || receipt.EmploymentID != empID || receipt.Hours != 7.5 {
		t.Fatalf("receipt %s", r.Body)
	}
	again := w.s.do(req{method: "POST", path: p1 + "/hours", token: w.p1.AccessToken, body: body, headers: []string{"Idempotency-Key", "hours-1"}})
	mustStatus(t, "retry", again, http.StatusCreated)
	if string(again.Body) != string(r.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry answered %s", again.Body)
	}
	r = w.s.do(req{method: "POST", path: p1 + "/hours", token: w.p1.AccessToken, body: map[string]any{"date": today(t), "hours": 7.3}})
	mustStatus(t, "odd hours", r, http.StatusBadRequest)
	r = w.s.do(req{method: "POST", path: p1 + "/hours", token: w.p1.AccessToken, body: map[string]any{"date": "2099-01-01", "hours": 1}})
	mustStatus(t, "future day", r, http.StatusUnprocessableEntity)
	if c := r.problemCode(t); c != "hours.future_date" {
		t.Errorf("future day: %s", c)
	}

	r = w.s.do(req{method: "GET", path: p1 + "/hours", token: w.counselorA.AccessToken})
	mustStatus(t, "list hours", r, http.StatusOK)
	var rep struct {
		Items []struct{ ID string }
		Weeks []struct{ Hours float64 }
	}
	r.json(t, &rep)
	if len(rep.Items) != 1 || len(rep.Weeks) != 1 || rep.Weeks[0].Hours != 7.5 {
		t.Fatalf("hours report %s", r.Body)
	}

	// The estimate: Danish by default, English on request; always an estimate.
	r = w.s.do(req{method: "GET", path: p1 + "/pension-status", token: w.p1.AccessToken})
	mustStatus(t, "status", r, http.StatusOK)
	var st struct {
		YTDGrossWageKr int64
		Basis, Light   string
		Notes          []struct{ Code, Text string }
	}
	r.json(t, &st)
	if st.YTDGrossWageKr != 1125 || st.Basis != plannedBasis() || st.Light != "green" {
		t.Fatalf("status %s", r.Body)
	}
	texts := map[string]string{}
	for _, n := range st.Notes {
		texts[n.Code] = n.Text
	}
	// On 31 December the year is over: the headline says what it came to.
	headline, daHead, enHead := "headroom", "kr mere i løn", "more in pay"
	if lastDayOfYear() {
		headline, daHead, enHead = "year_ended_below", "tjente du 1.125 kr i løn", "you earned 1,125 kr in pay"
	}
	if !strings.Contains(texts["estimate"], "Udbetaling Danmark") || !strings.Contains(texts[headline], daHead) {
		t.Fatalf("Danish notes %v", texts)
	}
	r = w.s.do(req{method: "GET", path: p1 + "/pension-status", token: w.p1.AccessToken, headers: []string{"Accept-Language", "en"}})
	r.json(t, &st)
	if st.Notes[0].Code != headline || !strings.Contains(st.Notes[0].Text, enHead) {
		t.Fatalf("English notes %s", r.Body)
	}

	r = w.s.do(req{method: "POST", path: p1 + "/pension-simulation", token: w.p1.AccessToken,
		body: map[string]any{"weeklyHours": 37, "hourlyWageOre": 20000}})
	mustStatus(t, "what-if", r, http.StatusOK)

	// The counselor completes the first follow-up with an internal note the
	// participant does not see.
	r = w.s.do(req{method: "PATCH", path: p1 + "/follow-ups/" + empID + "-14d", token: w.counselorA.AccessToken,
		body: map[string]any{"status": "done", "note": "Intern: tal om løntilskud.", "noteInternal": true}})
	mustStatus(t, "complete follow-up", r, http.StatusOK)
	r = w.s.do(req{method: "GET", path: p1 + "/follow-ups", token: w.p1.AccessToken})
	mustStatus(t, "participant's follow-ups", r, http.StatusOK)
	var fus struct {
		Items []struct {
			Kind, Status    string
			IncludesCompany bool
			Notes           []struct{ Text string }
		}
	}
	r.json(t, &fus)
	if len(fus.Items) != 4 || fus.Items[0].Kind != "14d" || fus.Items[0].Status != "done" || len(fus.Items[0].Notes) != 0 || !fus.Items[0].IncludesCompany {
		t.Fatalf("participant's follow-ups %s", r.Body)
	}

	// Coordinators see none of it.
	r = w.s.do(req{method: "GET", path: p1 + "/employments", token: w.coord.AccessToken})
	mustStatus(t, "coordinator", r, http.StatusForbidden)
}
