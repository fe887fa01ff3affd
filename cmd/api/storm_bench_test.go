package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/jobbanken/jobkunde/models"
)

// stormSignUps is the product requirement: 1,000 people signing up for one
// activity at once.
const stormSignUps = 1000

// benchActivities is a department with a coordinator, on a real server
// whose database commands are counted.
type benchActivities struct {
	base   string
	cfg    config
	cmds   *atomic.Int64 // database commands started
	deptID string
	coord  string // coordinator access token
}

// activityServer starts the real service with a command monitor, creates a
// department through its admin and mints a coordinator token. The database
// is the embedded engine in a temp dir, or MONGODB_URI when set.
func activityServer(b *testing.B) *benchActivities {
	b.Helper()
	cmds := new(atomic.Int64)
	monitor := &event.CommandMonitor{Started: func(context.Context, *event.CommandStartedEvent) { cmds.Add(1) }}
	base, cfg := launch(b, "admin@bench.example", monitor)

	var admin session
	login := fmt.Sprintf(`{"login":"admin@bench.example","password":%q}`, testPassword)
	if err := json.Unmarshal(post(b, http.DefaultClient, base+"/v1/auth/login", login), &admin); err != nil {
		b.Fatal(err)
	}
	var dept struct{ ID string }
	benchSend(b, http.MethodPost, base+"/v1/departments", admin.AccessToken, `{"name":"Herning"}`, http.StatusCreated, &dept)
	coord, _ := mintTokens(b, devTokens(b, cfg), models.RoleCoordinator, dept.ID, 1)
	return &benchActivities{base: base, cfg: cfg, cmds: cmds, deptID: dept.ID, coord: coord[0]}
}

// benchSend makes one request and decodes the answer into v (if not nil),
// failing unless it has status want. Call it from the benchmark goroutine.
func benchSend(b *testing.B, method, url, token, body string, want int, v any) {
	b.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	hr, err := http.NewRequest(method, url, rd)
	if err != nil {
		b.Fatal(err)
	}
	if body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	hr.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		b.Fatalf("%s %s: %d %s", method, url, res.StatusCode, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			b.Fatalf("decode %s: %v", out, err)
		}
	}
}

// newActivity creates an activity (mode activity, no approval, two future
// sessions) with the given capacity and returns its ID.
func (ba *benchActivities) newActivity(b *testing.B, capacity int) string {
	b.Helper()
	body, err := json.Marshal(map[string]any{
		"kind": "course", "title": map[string]string{"da": "Klædt på til job"},
		"description": map[string]string{"da": "Fire gange tre timer."}, "location": "Jobbanken Herning",
		"departmentId": ba.deptID, "mode": "activity", "capacity": capacity, "requiresApproval": false,
		"cancelDeadlineHours": 24, "sessions": []map[string]string{futureSession(7), futureSession(14)},
	})
	if err != nil {
		b.Fatal(err)
	}
	var a struct{ ID string }
	benchSend(b, http.MethodPost, ba.base+"/v1/activities", ba.coord, string(body), http.StatusCreated, &a)
	return a.ID
}

// reportPercentiles reports the median and 99th percentile of lat in
// milliseconds, as runLatency does.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	b.Helper()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkSignUpStorm measures 1,000 participants signing up at once for
// a fresh 20-seat activity from 50 connections, per iteration: latency of
// each sign-up and database commands per sign-up.
func BenchmarkSignUpStorm(b *testing.B) {
	ba := activityServer(b)
	tokens := devTokens(b, ba.cfg)
	var lat []time.Duration
	var cmds int64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		activityID := ba.newActivity(b, stormCapacity)
		toks, _ := mintTokens(b, tokens, models.RoleParticipant, "", stormSignUps)
		ba.cmds.Store(0)
		b.StartTimer()
		results := signUpStorm(ba.base, activityID, toks, nil)
		b.StopTimer()
		cmds += ba.cmds.Load()
		// Keep going on a failed sign-up (a 503 past the request timeout)
		// so the log still shows the latencies that led to it.
		failed := 0
		for i, r := range results {
			if r.err != nil || r.status != http.StatusCreated {
				if failed++; failed == 1 {
					b.Errorf("sign-up %d: status %d, err %v, body %s", i, r.status, r.err, r.body)
				}
			}
			lat = append(lat, r.latency)
		}
		if failed > 0 {
			b.Errorf("%d of %d sign-ups were not answered 201", failed, stormSignUps)
		}
		checkStormAnswers(b, results)
	}
	reportPercentiles(b, lat)
	b.Logf("slowest sign-up: %v; p50 %v, p99 %v", lat[len(lat)-1], lat[len(lat)/2], lat[len(lat)*99/100])
	b.ReportMetric(float64(cmds)/float64(b.N*stormSignUps), "db-cmds/signup")
}

// seedCatalogue creates n activities and signs a few participants up for
// each; the first participant is signed up for all of them. It returns the
// activity IDs and that participant's token.
func (ba *benchActivities) seedCatalogue(b *testing.B, n, perActivity int) ([]string, string) {
	b.Helper()
	toks, _ := mintTokens(b, devTokens(b, ba.cfg), models.RoleParticipant, "", perActivity)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = ba.newActivity(b, 12)
		for _, tok := range toks {
			benchSend(b, http.MethodPost, ba.base+"/v1/activities/"+ids[i]+"/enrollments", tok, "", http.StatusCreated, nil)
		}
	}
	return ids, toks[0]
}

// benchGet returns an op for runLatency that GETs url() with token and expects
// 200; failures are reported with b.Errorf (safe from runLatency's workers).
func benchGet(b *testing.B, token string, url func() string) func(c *http.Client) {
	return func(c *http.Client) {
		hr, err := http.NewRequest(http.MethodGet, url(), nil)
		if err != nil {
			b.Error(err)
			return
		}
		hr.Header.Set("Authorization", "Bearer "+token)
		res, err := c.Do(hr)
		if err != nil {
			b.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Errorf("GET %s: %d", hr.URL.Path, res.StatusCode)
		}
	}
}

// BenchmarkListActivities measures GET /v1/activities (one page of all 50
// activities, each with its free seats) as a participant, with 8 concurrent
// clients.
func BenchmarkListActivities(b *testing.B) {
	ba := activityServer(b)
	_, tok := ba.seedCatalogue(b, 50, 3)
	url := ba.base + "/v1/activities?limit=50"
	ba.cmds.Store(0)
	runLatency(b, 8, benchGet(b, tok, func() string { return url }))
	b.ReportMetric(float64(ba.cmds.Load())/float64(b.N), "db-cmds/request")
}

// BenchmarkGetActivity measures GET /v1/activities/{id} (sessions, seats
// and the caller's own enrolment) as a participant signed up for each of
// the 50 activities, with 8 concurrent clients.
func BenchmarkGetActivity(b *testing.B) {
	ba := activityServer(b)
	ids, tok := ba.seedCatalogue(b, 50, 3)
	var next atomic.Int64
	ba.cmds.Store(0)
	runLatency(b, 8, benchGet(b, tok, func() string {
		return ba.base + "/v1/activities/" + ids[int(next.Add(1))%len(ids)]
	}))
	b.ReportMetric(float64(ba.cmds.Load())/float64(b.N), "db-cmds/request")
}

// checkStormAnswers holds the benchmark's storm to the same rule as the
// test: exactly stormCapacity answers say confirmed and the waitlist
// positions are 1..n-stormCapacity, each once.
func checkStormAnswers(b *testing.B, results []stormResult) {
	b.Helper()
	confirmed, positions := 0, map[int]int{}
	for _, r := range results {
		var e struct {
			Status           models.EnrollmentStatus `json:"status"`
			WaitlistPosition int                     `json:"waitlistPosition"`
		}
		if r.status != http.StatusCreated || json.Unmarshal(r.body, &e) != nil {
			continue // reported above
		}
		if e.Status == models.StatusConfirmed {
			confirmed++
		} else {
			positions[e.WaitlistPosition]++
		}
	}
	if confirmed != stormCapacity {
		b.Errorf("%d answers said confirmed, want %d", confirmed, stormCapacity)
	}
	for pos := 1; pos <= len(results)-stormCapacity; pos++ {
		if positions[pos] != 1 {
			b.Errorf("waitlist position %d was given %d times, want once", pos, positions[pos])
		}
	}
}
