package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// stormCapacity is the number of seats in a storm's activity.
const stormCapacity = 20

// stormWorkers is how many clients sign up at once, each on its own connection.
const stormWorkers = 50

// devTokens returns Tokens that sign with the dev key the server created in
// cfg.DataDir, so a test can mint access tokens for people who have no
// account (signing 1,000 up through argon2 would dominate the run).
func devTokens(tb testing.TB, cfg config) *auth.Tokens {
	tb.Helper()
	keys, err := auth.LoadOrCreateDevKeySet(cfg.DataDir)
	if err != nil {
		tb.Fatalf("load dev key: %v", err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Keys: keys, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, TTL: cfg.AccessTokenTTL, Now: testNow})
	if err != nil {
		tb.Fatalf("tokens: %v", err)
	}
	return tokens
}

// mintTokens issues access tokens for n synthetic people with role in
// department dept, and returns them with the people's IDs.
func mintTokens(tb testing.TB, tokens *auth.Tokens, role models.Role, dept string, n int) (tok, ids []string) {
	tb.Helper()
	for range n {
		id := newID()
		t, _, err := tokens.Issue(auth.Claims{UserID: id, Role: role, DeptID: dept, SessionID: newID()})
		if err != nil {
			tb.Fatalf("issue token: %v", err)
		}
		tok, ids = append(tok, t), append(ids, id)
	}
	return tok, ids
}

// stormResult is the answer to one sign-up of a storm.
type stormResult struct {
	status  int
	body    []byte
	latency time.Duration
	err     error
}

// signUpStorm signs up one participant per token for activityID, from
// stormWorkers goroutines that each own a connection and start together.
// check, if set, sees every exchange (the spec validator); it must be safe
// for concurrent use. The results are in token order. It never fails the
// test itself, so it may be used from any benchmark or test.
func signUpStorm(base, activityID string, tokens []string, check func(*http.Request, *http.Response, []byte)) []stormResult {
	out := make([]stormResult, len(tokens))
	next := make(chan int, len(tokens))
	for i := range tokens {
		next <- i
	}
	close(next)
	url := base + "/v1/activities/" + activityID + "/enrollments"
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	for range stormWorkers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			tr := &http.Transport{MaxIdleConnsPerHost: 1}
			defer tr.CloseIdleConnections()
			c := &http.Client{Transport: tr}
			ready.Done()
			<-start
			for i := range next {
				out[i] = signUpOnce(c, url, tokens[i], check)
			}
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return out
}

func signUpOnce(c *http.Client, url, token string, check func(*http.Request, *http.Response, []byte)) stormResult {
	hr, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return stormResult{err: err}
	}
	hr.Header.Set("Authorization", "Bearer "+token)
	began := time.Now()
	res, err := c.Do(hr)
	if err != nil {
		return stormResult{err: err}
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	r := stormResult{status: res.StatusCode, body: body, latency: time.Since(began), err: err}
	if err == nil && check != nil {
		check(hr, res, body)
	}
	return r
}

// TestSignUpStormNeverOverbooks fires concurrent sign-ups at one activity
// and checks that exactly its capacity is confirmed and the rest form one
// gapless waitlist, in the answers and on the roster alike.
func TestSignUpStormNeverOverbooks(t *testing.T) {
	n := stormSize(t) // see stormSize for why not always 1,000

	w := newWorld(t)
	body := activityBody(w, false, true)
	body["capacity"] = stormCapacity
	activityID, _ := createActivityAs(t, w, body)
	tokens, ids := mintTokens(t, devTokens(t, w.s.cfg), models.RoleParticipant, "", n)

	results := signUpStorm(w.s.base, activityID, tokens, func(hr *http.Request, res *http.Response, body []byte) {
		w.s.validate(hr, nil, res, body) // reports with t.Errorf only: safe from any goroutine
	})

	type place struct {
		status   models.EnrollmentStatus
		position int
	}
	told := map[string]place{} // participant ID → what the answer said
	var failed []string
	lat := make([]time.Duration, 0, n)
	for i, r := range results {
		lat = append(lat, r.latency)
		if r.err != nil || r.status != http.StatusCreated {
			failed = append(failed, fmt.Sprintf("sign-up %d: status %d, err %v, body %s", i, r.status, r.err, r.body))
			continue
		}
		var e struct {
			ParticipantID    string                  `json:"participantId"`
			Status           models.EnrollmentStatus `json:"status"`
			WaitlistPosition int                     `json:"waitlistPosition"`
		}
		if err := json.Unmarshal(r.body, &e); err != nil {
			failed = append(failed, fmt.Sprintf("sign-up %d: decode %s: %v", i, r.body, err))
			continue
		}
		if e.ParticipantID != ids[i] {
			t.Errorf("sign-up %d: participantId %q, want %q", i, e.ParticipantID, ids[i])
		}
		told[e.ParticipantID] = place{e.Status, e.WaitlistPosition}
	}
	slices.Sort(lat)
	t.Logf("%d sign-ups from %d clients: latency p50 %v, p99 %v, max %v (not asserted)",
		n, stormWorkers, lat[n/2], lat[n*99/100], lat[n-1])
	if len(failed) > 0 {
		t.Fatalf("%d of %d sign-ups failed; first: %s", len(failed), n, failed[0])
	}

	confirmed := 0
	positions := make([]int, n-stormCapacity+1) // how often each waitlist position was given
	for id, p := range told {
		switch {
		case p.status == models.StatusConfirmed && p.position == 0:
			confirmed++
		case p.status == models.StatusWaitlisted && p.position >= 1 && p.position <= n-stormCapacity:
			positions[p.position]++
		default:
			t.Errorf("participant %s told %q at waitlist position %d", id, p.status, p.position)
		}
	}
	if confirmed != stormCapacity {
		t.Errorf("%d answers say confirmed, want %d (capacity)", confirmed, stormCapacity)
	}
	for pos := 1; pos < len(positions); pos++ {
		if positions[pos] != 1 {
			t.Errorf("waitlist position %d given %d times, want once", pos, positions[pos])
		}
	}

	r := w.s.do(req{method: "GET", path: "/v1/activities/" + activityID + "/roster", token: w.coord.AccessToken})
	mustStatus(t, "roster", r, http.StatusOK)
	type entry struct {
		ParticipantID    string                  `json:"participantId"`
		Status           models.EnrollmentStatus `json:"status"`
		WaitlistPosition int                     `json:"waitlistPosition"`
	}
	var ro struct{ Confirmed, Waitlist, AwaitingApproval []entry }
	r.json(t, &ro)
	if len(ro.Confirmed) != stormCapacity || len(ro.Waitlist) != n-stormCapacity || len(ro.AwaitingApproval) != 0 {
		t.Fatalf("roster has %d confirmed, %d waitlisted, %d awaiting approval; want %d, %d, 0",
			len(ro.Confirmed), len(ro.Waitlist), len(ro.AwaitingApproval), stormCapacity, n-stormCapacity)
	}
	for _, e := range ro.Confirmed {
		if e.Status != models.StatusConfirmed || told[e.ParticipantID] != (place{models.StatusConfirmed, 0}) {
			t.Errorf("roster: %s confirmed as %q; the answer said %+v", e.ParticipantID, e.Status, told[e.ParticipantID])
		}
	}
	for i, e := range ro.Waitlist {
		want := place{models.StatusWaitlisted, i + 1}
		// An answer is final: nobody cancelled, so nobody may have
		// overtaken anyone after being told their place.
		if got := (place{e.Status, e.WaitlistPosition}); got != want || told[e.ParticipantID] != want {
			t.Errorf("roster waitlist[%d]: %s %+v, want %+v; the answer said %+v", i, e.ParticipantID, got, want, told[e.ParticipantID])
		}
	}
}

// stormSize is how many sign-ups TestSignUpStormNeverOverbooks sends.
//
// The requirement is 1,000 at once, and BenchmarkSignUpStorm always sends
// the full 1,000. Here the full storm runs only without -short and without
// the race detector: the embedded engine scans a collection for every
// query, and sign-ups to one activity are serialised, so each request waits
// for those ahead of it. On a 2-core machine 1,000 take about 45 s without
// -race (p99 about 4.5 s); under -race 300 take about 35 s with a p99 near
// 9 s, too close to the 15 s request timeout when CI runs packages side by
// side. CI runs -race, so there it checks the same invariants with 200.
func stormSize(t *testing.T) int {
	t.Helper()
	switch {
	case raceEnabled:
		return 200
	case testing.Short():
		return 300
	}
	return 1000
}
