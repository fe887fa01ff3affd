package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestStatisticsThroughTheServer: an admin reads the retention coefficient,
// the figures and both sheets; six participants consent, one of them works.
func TestStatisticsThroughTheServer(t *testing.T) {
	w := newWorld(t)
	createEmploymentAs(t, w, w.p1)
	ids := []string{w.p1ID}
	for i := range 5 {
		r := w.s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: map[string]string{"name": fmt.Sprintf("Deltager %d", i)}})
		mustStatus(t, "enrol", r, http.StatusCreated)
		var c created
		r.json(t, &c)
		ids = append(ids, c.Account.ID)
	}
	for _, id := range ids {
		r := w.s.do(req{method: "PUT", path: "/v1/participants/" + id + "/consents/statistics", token: w.counselorA.AccessToken,
			body: map[string]any{"given": true, "textVersion": "2026-11", "reason": "Underskrevet erklæring"}})
		mustStatus(t, "statistics consent", r, http.StatusOK)
	}
	admin := w.admin.AccessToken

	r := w.s.do(req{method: "GET", path: "/v1/statistics/retention-coefficient", token: admin})
	mustStatus(t, "retention coefficient", r, http.StatusOK)
	var ret struct {
		Date        string
		Method      string
		Overall     struct{ Display string }
		Departments []struct{ Name, Display string }
		Series      []struct{ Year int }
		Reference   struct{ Series []struct{ Year int } }
	}
	r.json(t, &ret)
	if ret.Date != today(t) || ret.Overall.Display != "16,7 %" || len(ret.Departments) != 1 || ret.Departments[0].Display != "16,7 %" {
		t.Errorf("one of six in work: %s", r.Body)
	}
	if !strings.Contains(ret.Method, "praktik tæller ikke") || len(ret.Series) != 1 || len(ret.Reference.Series) != 4 {
		t.Errorf("method, series or reference: %s", r.Body)
	}
	r = w.s.do(req{method: "GET", path: "/v1/statistics/retention-coefficient", token: admin, headers: []string{"Accept-Language", "en"}})
	mustStatus(t, "in English", r, http.StatusOK)
	r.json(t, &ret)
	if !strings.Contains(ret.Method, "an internship does not count") {
		t.Errorf("English method: %s", ret.Method)
	}

	r = w.s.do(req{method: "GET", path: "/v1/statistics?date=" + today(t), token: admin})
	mustStatus(t, "statistics", r, http.StatusOK)
	var rep struct {
		Measures []struct {
			Code, Note string
			Overall    struct{ Display string }
		}
		Caseloads []struct {
			Name, Display string
			Warning       bool
		}
	}
	r.json(t, &rep)
	if len(rep.Measures) != 1+9+1+9 || rep.Measures[0].Code != "lasting_jobs" || rep.Measures[0].Overall.Display != "0" || rep.Measures[0].Note == "" {
		t.Errorf("measures: %s", r.Body)
	}
	if len(rep.Caseloads) != 2 || rep.Caseloads[0].Display != "6" || rep.Caseloads[1].Display != "< 5" {
		t.Errorf("caseloads (A has six, B one): %s", r.Body)
	}

	r = w.s.do(req{method: "GET", path: "/v1/statistics.csv", token: admin})
	mustStatus(t, "sheet", r, http.StatusOK)
	if r.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("sheet headers %v", r.Header)
	}
	if !strings.Contains(string(r.Body), "Fastholdelseskoefficient,,,Herning,,\"16,7 %\",6") {
		t.Errorf("sheet:\n%s", r.Body)
	}
	r = w.s.do(req{method: "GET", path: "/v1/statistics.csv?rows=participants", token: admin})
	mustStatus(t, "per-participant sheet", r, http.StatusOK)
	if lines := strings.Count(string(r.Body), "\n"); lines != 1+6 || strings.Contains(string(r.Body), "Anna") || strings.Contains(string(r.Body), w.p1ID) {
		t.Errorf("per-participant sheet:\n%s", r.Body)
	}

	r = w.s.do(req{method: "GET", path: "/v1/statistics?date=2026-13-01", token: admin})
	mustStatus(t, "bad date", r, http.StatusBadRequest)
	r = w.s.do(req{method: "GET", path: "/v1/statistics/retention-coefficient?from=2025&to=2099", token: admin, headers: []string{"Accept-Language", "en"}})
	mustStatus(t, "future year", r, http.StatusBadRequest)
	if !strings.Contains(string(r.Body), "statistics.future_year") {
		t.Errorf("future year: %s", r.Body)
	}
	r = w.s.do(req{method: "GET", path: "/v1/statistics.csv?date=nope", token: w.counselorA.AccessToken})
	mustStatus(t, "counselor refused before the query is read", r, http.StatusForbidden)
}
