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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/handlers"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// BenchmarkRealSize measures the main calls at Jobbanken's real size: the
// data set `api seed --participants 1000` writes (a year of history), in
// the directory JOBKUNDE_BENCH_DATA. An empty directory is seeded first
// (about a minute on the embedded engine) and kept for the next run. Four
// clients, each signed in as a different participant (the inbox: four
// counselors), call one operation b.N times between them. Reported per
// call: p50/p99 in ms, database commands, documents returned, and, on the
// embedded engine, the documents its scans read (every command reads its
// whole collection there).
//
//	JOBKUNDE_BENCH_DATA=/tmp/jobkunde-1000 go test ./cmd/api -run XXX -bench RealSize -benchtime 8x -timeout 60m
func BenchmarkRealSize(b *testing.B) {
	dir := os.Getenv("JOBKUNDE_BENCH_DATA")
	if dir == "" {
		b.Skip("JOBKUNDE_BENCH_DATA names the directory of the seeded data set (see README, Measuring)")
	}
	cfg := testConfig(b)
	cfg.DataDir, cfg.MongoDatabase = dir, "jobkunde_bench"
	cfg.NotifyInterval = time.Hour // the worker stays out of the figures
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := seedDatabase(ctx, cfg, seedOptions{participants: 1000, months: 12, seed: 1, now: testNow()}, io.Discard)
	if err != nil && !strings.Contains(err.Error(), errSeeded.Error()) {
		b.Fatal(err)
	}

	rec := storetest.NewRecorder(handlers.RequestIDFrom)
	opened := make(chan *store.Store, 1)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), serveOptions{now: testNow, opened: opened, ready: ready, monitor: rec.Monitor()})
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
	sizes := collectionSizes(b, <-opened)

	type user struct{ token, id, activity, employment string }
	login := func(name string) user {
		var s session
		out := post(b, http.DefaultClient, base+"/v1/auth/login", fmt.Sprintf(`{"login":%q,"password":%q}`, name, seedPassword))
		if err := json.Unmarshal(out, &s); err != nil {
			b.Fatal(err)
		}
		return user{token: s.AccessToken, id: s.User.ID}
	}
	var participants, counselors []user
	for i := range 4 {
		p := login(seedLogin("deltager", 1+i*97))
		var page struct{ Items []struct{ ID string } }
		get(b, base+"/v1/activities", p.token, &page)
		if len(page.Items) > 0 {
			p.activity = page.Items[0].ID
		}
		get(b, base+"/v1/participants/"+p.id+"/employments", p.token, &page)
		if len(page.Items) > 0 {
			p.employment = page.Items[0].ID
		}
		participants = append(participants, p)
		counselors = append(counselors, login(seedLogin("vejleder", 1+i)))
	}

	var seq atomic.Int64
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
				return fmt.Sprintf(`{"clientMessageId":"bench-%d","text":"Hej, et spørgsmål om mine timer."}`, n)
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
			runLatency(b, len(call.who), func(c *http.Client) {
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
					scanned += sizes[c.Collection]
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
