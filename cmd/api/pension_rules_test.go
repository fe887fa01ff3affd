package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pensionYearJSON is one year of listPensionRules / putPensionRules.
type pensionYearJSON struct {
	Year    int `json:"year"`
	Version int `json:"version"`
	Figures map[string]struct {
		Value  int64  `json:"value"`
		Source string `json:"source"`
	} `json:"figures"`
	Change *struct {
		EnteredAt time.Time `json:"enteredAt"`
		EnteredBy struct {
			UserID string `json:"userId"`
			Name   string `json:"name"`
		} `json:"enteredBy"`
		Note string `json:"note"`
	} `json:"change"`
}

// listPensionYears lists the figures as who and returns them by year.
func listPensionYears(t *testing.T, w *world, who session) (map[int]pensionYearJSON, response) {
	t.Helper()
	r := w.s.do(req{method: "GET", path: "/v1/pension-rules", token: who.AccessToken})
	mustStatus(t, "listPensionRules", r, http.StatusOK)
	var l struct {
		Common  map[string]struct{ Value int64 } `json:"common"`
		Years   []pensionYearJSON                `json:"years"`
		Sources map[string]string                `json:"sources"`
	}
	r.json(t, &l)
	if l.Common["rateBp"].Value != 3000 || l.Sources["S_BM2020"] == "" {
		t.Errorf("common %+v, sources %v; want the statutory 30 %% and described source keys", l.Common, l.Sources)
	}
	out := map[int]pensionYearJSON{}
	for _, y := range l.Years {
		out[y.Year] = y
	}
	return out, r
}

func TestEndToEndPensionRules(t *testing.T) {
	w := newWorld(t)
	s := w.s
	adminID := w.admin.User.ID
	threshold := map[string]any{"thresholdSingleKr": map[string]any{"value": 91_300, "source": "https://bm.dk/satser/satser-for-2026/foertidspension/"}}

	years, _ := listPensionYears(t, w, w.admin)
	if y := years[2026]; y.Version != 0 || y.Change != nil || len(y.Figures) != 0 {
		t.Fatalf("2026 before = %+v, want the built-in year without figures", y)
	}

	r := s.do(req{method: "PUT", path: "/v1/pension-rules/2026", token: w.admin.AccessToken,
		body: map[string]any{"baseVersion": 0, "note": "Satser 2026 fra bm.dk", "figures": threshold}})
	mustStatus(t, "admin enters the 2026 single threshold", r, http.StatusOK)
	var put pensionYearJSON
	r.json(t, &put)
	if put.Version != 1 || put.Figures["thresholdSingleKr"].Value != 91_300 || put.Change == nil || put.Change.EnteredBy.UserID != adminID || put.Change.EnteredBy.Name != "Admin" {
		t.Errorf("stored = %+v, want version 1 entered by the admin", put)
	}

	t.Run("a second put from the same version is refused", func(t *testing.T) {
		r := s.do(req{method: "PUT", path: "/v1/pension-rules/2026", token: w.admin.AccessToken, body: map[string]any{"baseVersion": 0, "figures": threshold}})
		mustStatus(t, "stale put", r, http.StatusConflict)
		if code := r.problemCode(t); code != "pension.rules_changed" {
			t.Errorf("code %q, want pension.rules_changed", code)
		}
	})

	t.Run("bad figures are named", func(t *testing.T) {
		r := s.do(req{method: "PUT", path: "/v1/pension-rules/2026", token: w.admin.AccessToken, headers: []string{"Accept-Language", "en"},
			body: map[string]any{"baseVersion": 1, "figures": map[string]any{"thresholdSingleKr": map[string]any{"value": 91_300}}}})
		mustStatus(t, "figure without source", r, http.StatusBadRequest)
		if !strings.Contains(string(r.Body), `"field":"figures.thresholdSingleKr.source","code":"field.required"`) {
			t.Errorf("body %s, want the source named as required", r.Body)
		}
		far := strconv.Itoa(testNow().Year() + 2)
		r = s.do(req{method: "PUT", path: "/v1/pension-rules/" + far, token: w.admin.AccessToken, body: map[string]any{"baseVersion": 0, "figures": threshold}})
		mustStatus(t, "a year too far ahead", r, http.StatusBadRequest)
		if !strings.Contains(string(r.Body), `"field":"year","code":"pension.year_range"`) {
			t.Errorf("body %s, want year pension.year_range", r.Body)
		}
	})

	t.Run("a counselor may not enter figures", func(t *testing.T) {
		r := s.do(req{method: "PUT", path: "/v1/pension-rules/2026", token: w.counselorA.AccessToken, body: map[string]any{"baseVersion": 1, "figures": threshold}})
		mustStatus(t, "counselor put", r, http.StatusForbidden)
	})

	t.Run("staff see who entered it", func(t *testing.T) {
		years, _ := listPensionYears(t, w, w.counselorA)
		if c := years[2026].Change; c == nil || c.EnteredBy.UserID != adminID || c.EnteredBy.Name != "Admin" {
			t.Errorf("2026 change as a counselor sees it = %+v", c)
		}
	})

	t.Run("a participant sees the figure and its source, not the staff member", func(t *testing.T) {
		years, r := listPensionYears(t, w, w.p1)
		y := years[2026]
		if y.Version != 1 || y.Figures["thresholdSingleKr"].Value != 91_300 || y.Figures["thresholdSingleKr"].Source != "https://bm.dk/satser/satser-for-2026/foertidspension/" {
			t.Errorf("2026 as a participant sees it = %+v", y)
		}
		if y.Change == nil || y.Change.EnteredBy.Name != "Jobbanken" || y.Change.EnteredBy.UserID != "" || y.Change.Note != "Satser 2026 fra bm.dk" {
			t.Errorf("2026 change as a participant sees it = %+v, want Jobbanken without an ID", y.Change)
		}
		if strings.Contains(string(r.Body), adminID) {
			t.Errorf("the participant's list holds the admin's user ID: %s", r.Body)
		}
		if y := years[2024]; y.Version != 0 || y.Figures["thresholdSingleKr"].Value != 86_900 {
			t.Errorf("2024 = %+v, want the built-in figures", y)
		}
	})
}
