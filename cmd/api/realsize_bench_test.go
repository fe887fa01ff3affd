package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/handlers"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// BenchmarkRealSize measures the main calls at Jobbanken's real size: the
// data set `api seed --participants 1000` writes (a year of history), in
// the directory JOBKUNDE_BENCH_DATA (JOBKUNDE_BENCH_PARTICIPANTS sets another
// size for an empty directory). An empty directory is seeded first
// (about a minute on the embedded engine) and kept for the next run. Four
// clients, each signed in as a different participant (the inbox: four
// counselors), call one operation b.N times between them. Reported per
// call: p50/p99 in ms, database commands, documents returned, and, on the
// embedded engine, the documents its scans read (every command that reads
// reads its whole collection there, as the size of that collection).
//
//	JOBKUNDE_BENCH_DATA=/tmp/jobkunde-1000 go test ./cmd/api -run XXX -bench RealSize -benchtime 8x -timeout 60m
func BenchmarkRealSize(b *testing.B) {
	dir := os.Getenv("JOBKUNDE_BENCH_DATA")
	if dir == "" {
		b.Skip("JOBKUNDE_BENCH_DATA names the directory of the seeded data set (see README, Measuring)")
	}
	cfg := testConfig(b)
	cfg.DataDir, cfg.MongoDatabase = dir, "jobkunde_bench"
	cfg.NotifyInterval = time.Hour // the worker and the daily jobs stay out of the figures
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var err error
	size := 1000
	if v := os.Getenv("JOBKUNDE_BENCH_PARTICIPANTS"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 4 {
			b.Fatalf("JOBKUNDE_BENCH_PARTICIPANTS=%q: a number of at least 4", v)
		}
	}
	err = seedDatabase(ctx, cfg, seedOptions{participants: size, months: 12, seed: 1, now: testNow()}, io.Discard)
	if err != nil && !strings.Contains(err.Error(), errSeeded.Error()) {
		b.Fatal(err)
	}

	rec := storetest.NewRecorder(handlers.RequestIDFrom)
	opened := make(chan *store.Store, 1)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), serveOptions{now: testNow, opened: opened, ready: ready, monitor: rec.Monitor(), jobsAfter: 24 * time.Hour})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		b.Fatalf("serve: %v", err)
	}
	defer func() { cancel(); <-done }()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		b.Fatal(err)
	}
	base := "http://127.0.0.1:" + port
	st := <-opened
	// Failed sign-ins of an earlier run must not throttle this one's.
	if err := st.Database().Collection("auth_failures").Drop(ctx); err != nil {
		b.Fatal(err)
	}
	sizes := collectionSizes(b, st)

	type user struct{ token, id, activity, employment string }
	// login signs name in; ok is false for a seeded person who cannot sign
	// in (one who left, or never activated their account).
	login := func(name string) (u user, ok bool) {
		res, err := http.Post(base+"/v1/auth/login", "application/json",
			strings.NewReader(fmt.Sprintf(`{"login":%q,"password":%q}`, name, seedPassword)))
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		var s session
		if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&s) != nil {
			return u, false
		}
		return user{token: s.AccessToken, id: s.User.ID}, true
	}
	// Four participants spread over the data set, each signed in and with a
	// job (logHours needs one), and four counselors.
	var participants, counselors []user
	for _, name := range employedLogins(b, st, 8) {
		if len(participants) == 4 {
			break
		}
		p, ok := login(name)
		if !ok {
			continue
		}
		var page struct{ Items []struct{ ID string } }
		get(b, base+"/v1/participants/"+p.id+"/employments", p.token, &page)
		p.employment = page.Items[0].ID
		get(b, base+"/v1/activities", p.token, &page)
		if len(page.Items) > 0 {
			p.activity = page.Items[0].ID
		}
		participants = append(participants, p)
	}
	for i := 1; i <= 4; i++ { // a small data set has fewer counselors
		c, ok := login(seedLogin("vejleder", i))
		if !ok {
			break
		}
		counselors = append(counselors, c)
	}
	if len(participants) < 4 || len(counselors) == 0 {
		b.Fatalf("found %d participants who can sign in and have a job (want 4) and %d counselors", len(participants), len(counselors))
	}

	var seq atomic.Int64
	run := randomName()
	calls := []struct {
		name, method string
		who          []user
		path         func(u user) string
		body         func(u user, n int64) string
	}{
		{"getMe", "GET", participants, func(user) string { return "/v1/me" }, nil},
		{"listActivities", "GET", participants, func(user) string { return "/v1/activities" }, nil},
		{"getActivity", "GET", participants, func(u user) string { return "/v1/activities/" + u.activity }, nil},
		{"listMyEnrollments", "GET", participants, func(user) string { return "/v1/me/enrollments" }, nil},
		{"listMessages", "GET", participants, func(u user) string { return "/v1/participants/" + u.id + "/conversation/messages" }, nil},
		{"getPensionStatus", "GET", participants, func(u user) string { return "/v1/participants/" + u.id + "/pension-status" }, nil},
		{"listNotifications", "GET", participants, func(user) string { return "/v1/me/notifications" }, nil},
		{"listInbox", "GET", counselors, func(user) string { return "/v1/inbox" }, nil},
		{"sendMessage", "POST", participants, func(u user) string { return "/v1/participants/" + u.id + "/conversation/messages" },
			func(_ user, n int64) string {
				// New on every run: a repeated ID is a resend, answered with the first message.
				return fmt.Sprintf(`{"clientMessageId":"bench-%s-%d","text":"Hej, et spørgsmål om mine timer."}`, run, n)
			}},
		{"logHours", "POST", participants, func(u user) string { return "/v1/participants/" + u.id + "/hours" },
			func(u user, _ int64) string {
				return fmt.Sprintf(`{"date":%q,"hours":1.5,"employmentId":%q}`, testNow().Format(time.DateOnly), u.employment)
			}},
	}
	for _, call := range calls {
		b.Run(call.name, func(b *testing.B) {
			var mu sync.Mutex
			var commands, returned, scanned, failed int
			var next atomic.Int64
			runLatency(b, 4, func(c *http.Client) {
				u := call.who[int(next.Add(1))%len(call.who)]
				n := seq.Add(1)
				var body io.Reader
				if call.body != nil {
					body = strings.NewReader(call.body(u, n))
				}
				hr, _ := http.NewRequest(call.method, base+call.path(u), body)
				hr.Header.Set("Authorization", "Bearer "+u.token)
				hr.Header.Set("Content-Type", "application/json")
				id := fmt.Sprintf("bench-%d", n)
				hr.Header.Set("X-Request-ID", id)
				res, err := c.Do(hr)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				cmds := rec.Take(id)
				mu.Lock()
				defer mu.Unlock()
				if res.StatusCode >= 300 {
					failed++
				}
				commands += len(cmds)
				for _, c := range cmds {
					returned += c.Returned
					if reads[c.Name] {
						scanned += sizes[c.Collection]
					}
				}
			})
			n := float64(b.N)
			b.ReportMetric(float64(commands)/n, "cmds/op")
			b.ReportMetric(float64(returned)/n, "docs-returned/op")
			b.ReportMetric(float64(scanned)/n, "docs-scanned/op")
			b.ReportMetric(float64(failed), "failed")
		})
	}
}

// reads are the commands that read a collection (on the embedded engine:
// all of it, but for a lone _id); inserts and getMore do not.
var reads = map[string]bool{"find": true, "aggregate": true, "count": true, "distinct": true, "update": true, "delete": true, "findAndModify": true}

// employedLogins returns the logins of up to n participants with an
// employment, spread over the data set, whose accounts are active.
func employedLogins(b *testing.B, st *store.Store, n int) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var jobs []struct {
		ParticipantID string `bson:"participantId"`
	}
	cur, err := st.Database().Collection("employments").Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "participantId", Value: 1}}))
	if err != nil {
		b.Fatal(err)
	}
	if err := cur.All(ctx, &jobs); err != nil {
		b.Fatal(err)
	}
	// Spread over the data set: every step-th first, then the rest.
	step := max(1, len(jobs)/(2*n))
	var order []int
	for start := range step {
		for i := start; i < len(jobs); i += step {
			order = append(order, i)
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, i := range order {
		if len(out) == n {
			break
		}
		id := jobs[i].ParticipantID
		if seen[id] {
			continue
		}
		seen[id] = true
		var u models.User
		if err := st.Database().Collection("users").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&u); err != nil {
			b.Fatal(err)
		}
		if u.Status == models.StatusActive && u.WithdrawnAt == nil {
			out = append(out, u.Login)
		}
	}
	return out
}

// collectionSizes counts every collection's documents once (slowly on the
// embedded engine: a count reads the collection).
func collectionSizes(b *testing.B, st *store.Store) map[string]int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	names, err := st.Database().ListCollectionNames(ctx, bson.D{})
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int{}
	for _, n := range names {
		c, err := st.Database().Collection(n).EstimatedDocumentCount(ctx)
		if err != nil {
			b.Fatal(err)
		}
		out[n] = int(c)
	}
	return out
}

func get(b *testing.B, url, token string, v any) {
	hr, _ := http.NewRequest("GET", url, nil)
	hr.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
}
