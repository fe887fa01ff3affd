package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/store/storetest"
)

// seedShape is what `api seed` writes per participant and month of
// history, from issue 13's shape: 1,000 participants over a year log 50k
// hours entries, exchange 50k messages, get 125k notifications (each from
// an outbox event), leave 50k access-log lines and 5k enrolments.
var seedShape = map[string]float64{
	"hours":         50_000.0 / 12_000,
	"messages":      50_000.0 / 12_000,
	"notifications": 125_000.0 / 12_000,
	"outbox":        125_000.0 / 12_000,
	"access_log":    50_000.0 / 12_000,
	"enrollments":   5_000.0 / 12_000,
}

// seedInto seeds the database of cfg as of now, failing the test on error,
// and drops it at cleanup when it is on a shared MongoDB.
func seedInto(t *testing.T, cfg config, o seedOptions) string {
	t.Helper()
	var out bytes.Buffer
	if err := seedDatabase(context.Background(), cfg, o, &out); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return out.String()
}

func seedTestOptions(now time.Time) seedOptions {
	return seedOptions{participants: 20, months: 2, seed: seedDefaultSeed, now: now}
}

// dumpSeeded reads every document of cfg's database but the seed marker,
// each as its collection and extended JSON without the password hash
// (each run hashes the password once, with its own salt), sorted.
func dumpSeeded(t *testing.T, cfg config) []string {
	t.Helper()
	st, closeDB, err := openStore(context.Background(), cfg, slog.New(slog.DiscardHandler), nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	var out []string
	for _, d := range storetest.Dump(t, st.Database()) {
		if d.Col == "seed_info" {
			continue
		}
		var doc bson.D
		if err := bson.Unmarshal(d.Raw, &doc); err != nil {
			t.Fatal(err)
		}
		doc = slices.DeleteFunc(doc, func(e bson.E) bool { return e.Key == "passwordHash" })
		j, err := bson.MarshalExtJSON(canonical(doc), false, false)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Col+" "+string(j))
	}
	slices.Sort(out)
	return out
}

// canonical sorts the fields of v's documents, at every depth: Go maps
// (notification parameters) are stored in no fixed field order.
func canonical(v any) any {
	switch x := v.(type) {
	case bson.D:
		out := make(bson.D, len(x))
		for i, e := range x {
			out[i] = bson.E{Key: e.Key, Value: canonical(e.Value)}
		}
		slices.SortFunc(out, func(a, b bson.E) int { return strings.Compare(a.Key, b.Key) })
		return out
	case bson.A:
		out := make(bson.A, len(x))
		for i, e := range x {
			out[i] = canonical(e)
		}
		return out
	}
	return v
}

// TestSeededPeopleLogIn seeds 20 participants and two months, then runs the
// real service on that database: what was written is what the command
// reports and what the shape predicts, and a seeded participant and
// counselor log in with the printed password and read their data, every
// answer matching openapi.yaml.
func TestSeededPeopleLogIn(t *testing.T) {
	now := testNow()
	var report string
	s := startServerConfigured(t, "admin@example.dk", func(c *config) {
		report = seedInto(t, *c, seedTestOptions(now)) // before the server (and its admin) start
	})
	if !strings.Contains(report, seedPassword) || !strings.Contains(report, "deltager00001@"+seedDomain) {
		t.Fatalf("the report does not show the password and the logins:\n%s", report)
	}

	ctx := context.Background()
	_, marker, err := s.store.SeedState(ctx)
	if err != nil || marker == nil || marker.FinishedAt == nil {
		t.Fatalf("seed marker %+v, %v", marker, err)
	}
	for col, n := range marker.Documents {
		got, err := s.store.Database().Collection(col).CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		if col == "users" || col == "logins" {
			got-- // the test server's own admin
		}
		if int(got) != n || !strings.Contains(report, fmt.Sprintf("%-22s %9d", col, n)) {
			t.Errorf("%s: %d stored, marker says %d; report:\n%s", col, got, n, report)
		}
	}
	exact := map[string]int{"users": 20 + 1 + 1 + 3, "logins": 25, "departments": 3, "counselor_assignments": 20}
	for col, want := range exact {
		if got := marker.Documents[col]; got != want {
			t.Errorf("%s: %d, want %d", col, got, want)
		}
	}
	for col, perMonth := range seedShape {
		want := perMonth * 20 * 2
		if got := float64(marker.Documents[col]); got < 0.5*want || got > 1.6*want {
			t.Errorf("%s: %.0f documents, the shape predicts about %.0f", col, got, want)
		}
	}

	checkSeededInvariants(t, s)

	// Every seeded participant logs in and reads their own data; each
	// answer is checked against the contract. (Under the race detector a
	// login, argon2id, takes seconds: three of them then.)
	c := s.login("vejleder001@"+seedDomain, seedPassword)
	var messages, notified int
	logins := 20
	if raceEnabled {
		logins = 3
	}
	var first session
	for i := 1; i <= logins; i++ {
		p := s.login(fmt.Sprintf("deltager%05d@%s", i, seedDomain), seedPassword)
		if i == 1 {
			first = p
		}
		if p.User.Role != "participant" || p.User.CounselorID != c.User.ID {
			t.Fatalf("seeded participant %d: %+v (counselor %s)", i, p.User, c.User.ID)
		}
		own := "/v1/participants/" + p.User.ID
		reads := []req{
			{method: "GET", path: "/v1/me/enrollments", token: p.AccessToken},
			{method: "GET", path: own + "/pension-status", token: p.AccessToken},
			{method: "GET", path: own + "/employments", token: p.AccessToken},
			{method: "GET", path: own + "/hours", token: p.AccessToken},
		}
		if i == 1 {
			reads = append(reads, []req{
				{method: "GET", path: "/v1/me", token: p.AccessToken},
				{method: "GET", path: "/v1/activities", token: p.AccessToken},
				{method: "GET", path: "/v1/me/consents", token: p.AccessToken},
				{method: "GET", path: own + "/plan", token: p.AccessToken},
				{method: "GET", path: own + "/follow-ups", token: p.AccessToken},
				{method: "GET", path: own + "/payslips", token: p.AccessToken},
				{method: "GET", path: "/v1/me", token: c.AccessToken},
				{method: "GET", path: "/v1/participants", token: c.AccessToken},
				{method: "GET", path: "/v1/approvals", token: c.AccessToken},
				{method: "GET", path: own + "/conversation/messages", token: c.AccessToken},
				{method: "GET", path: own + "/pension-status", token: c.AccessToken},
				{method: "GET", path: own + "/employments", token: c.AccessToken},
			}...)
		}
		for _, r := range reads {
			mustStatus(t, fmt.Sprintf("participant %d: %s %s", i, r.method, r.path), s.do(r), http.StatusOK)
		}
		var page struct{ Items []struct{ ID string } }
		r := s.do(req{method: "GET", path: own + "/conversation/messages", token: p.AccessToken})
		mustStatus(t, "messages", r, http.StatusOK)
		r.json(t, &page)
		messages += len(page.Items)
		r = s.do(req{method: "GET", path: "/v1/me/notifications", token: p.AccessToken})
		mustStatus(t, "notifications", r, http.StatusOK)
		r.json(t, &page)
		notified += len(page.Items)
	}
	if messages == 0 || notified == 0 {
		t.Errorf("the participants read %d messages and %d notifications in all", messages, notified)
	}

	// Signing up through the service for a course others signed up for
	// in the seed takes the next ticket of its queue (a gap or a clash in
	// the seeded numbers would make it fail).
	id := upcomingCourseWithout(t, s, first.User.ID)
	r := s.do(req{method: "POST", path: "/v1/activities/" + id + "/enrollments", token: first.AccessToken})
	mustStatus(t, "sign up for a seeded queue", r, http.StatusCreated)

	// The counselor's inbox holds their whole caseload, and the
	// conversations and notifications are there to read.
	var inbox struct {
		Items []struct{ ParticipantID string }
	}
	r = s.do(req{method: "GET", path: "/v1/inbox", token: c.AccessToken})
	mustStatus(t, "inbox", r, http.StatusOK)
	r.json(t, &inbox)
	if len(inbox.Items) != 20 {
		t.Errorf("inbox: %d conversations, want the 20 seeded", len(inbox.Items))
	}
	var notes struct {
		Items []struct{ Type, Title string }
	}
	r = s.do(req{method: "GET", path: "/v1/me/notifications?limit=100", token: c.AccessToken})
	mustStatus(t, "the counselor's notifications", r, http.StatusOK)
	r.json(t, &notes)
	if len(notes.Items) == 0 || notes.Items[0].Title == "" {
		t.Errorf("the counselor's notifications: %+v", notes.Items)
	}
}

// checkSeededInvariants checks what the store's unique indexes cannot: the
// tickets of every queue are 1..n without a gap (the next sign-up takes
// n+1), at most one enrolment per participant and queue is open, and every
// outbox event has its notification and the other way round.
func checkSeededInvariants(t *testing.T, s *testServer) {
	t.Helper()
	ctx := context.Background()
	db := s.store.Database()
	var enrolments []struct {
		ActivityID    string `bson:"activityId"`
		SessionID     string `bson:"sessionId"`
		ParticipantID string `bson:"participantId"`
		State         string `bson:"state"`
		QueueNo       int64  `bson:"queueNo"`
	}
	cur, err := db.Collection("enrollments").Find(ctx, bson.D{})
	if err == nil {
		err = cur.All(ctx, &enrolments)
	}
	if err != nil || len(enrolments) == 0 {
		t.Fatalf("seeded enrolments: %d, %v", len(enrolments), err)
	}
	tickets := map[string][]int64{}
	open := map[string]int{}
	for _, e := range enrolments {
		q := e.ActivityID + "/" + e.SessionID
		if e.QueueNo > 0 {
			tickets[q] = append(tickets[q], e.QueueNo)
		}
		if e.State == "queued" || e.State == "awaiting_approval" {
			open[q+"/"+e.ParticipantID]++
		}
	}
	for q, nos := range tickets {
		slices.Sort(nos)
		for i, n := range nos {
			if n != int64(i+1) {
				t.Fatalf("queue %s: tickets %v, want 1..%d", q, nos, len(nos))
			}
		}
	}
	for k, n := range open {
		if n > 1 {
			t.Errorf("%d open enrolments for %s", n, k)
		}
	}
	keys := func(col string) []string {
		var docs []struct {
			DedupeKey string `bson:"dedupeKey"`
		}
		cur, err := db.Collection(col).Find(ctx, bson.D{})
		if err == nil {
			err = cur.All(ctx, &docs)
		}
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(docs))
		for i, d := range docs {
			out[i] = d.DedupeKey
		}
		slices.Sort(out)
		return out
	}
	if events, notes := keys("outbox"), keys("notifications"); !slices.Equal(events, notes) {
		t.Errorf("%d outbox events and %d notifications, not one each", len(events), len(notes))
	}
}

// upcomingCourseWithout returns a whole-activity sign-up, open to all,
// starting tomorrow or later, whose queue holds seeded tickets and no
// enrolment of participantID.
func upcomingCourseWithout(t *testing.T, s *testServer, participantID string) string {
	t.Helper()
	ctx := context.Background()
	db := s.store.Database()
	var acts []struct {
		ID string `bson:"_id"`
	}
	cur, err := db.Collection("activities").Find(ctx, bson.D{
		{Key: "mode", Value: "activity"}, {Key: "requiresApproval", Value: false}, {Key: "kind", Value: bson.D{{Key: "$ne", Value: "celebration"}}},
		{Key: "firstStartsAt", Value: bson.D{{Key: "$gt", Value: testNow().Add(24 * time.Hour)}}},
	})
	if err == nil {
		err = cur.All(ctx, &acts)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts {
		taken, err := db.Collection("enrollments").CountDocuments(ctx, bson.D{{Key: "activityId", Value: a.ID}, {Key: "queueNo", Value: bson.D{{Key: "$gt", Value: 0}}}})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := db.Collection("enrollments").CountDocuments(ctx, bson.D{{Key: "activityId", Value: a.ID}, {Key: "participantId", Value: participantID}})
		if err != nil {
			t.Fatal(err)
		}
		if taken > 0 && mine == 0 {
			return a.ID
		}
	}
	t.Fatal("no upcoming activity with seeded sign-ups to join")
	return ""
}

// TestSeedIsDeterministicAndRefusesData seeds two databases with the same
// flags and compares every document; seeding a seeded database again is
// refused unless forced, and a database with real accounts is never seeded.
func TestSeedIsDeterministicAndRefusesData(t *testing.T) {
	now := testNow()
	ctx := context.Background()
	a, b := testConfig(t), testConfig(t)
	t.Cleanup(func() { dropDatabase(t, a); dropDatabase(t, b) })
	seedInto(t, a, seedTestOptions(now))
	seedInto(t, b, seedTestOptions(now))

	da, db := dumpSeeded(t, a), dumpSeeded(t, b)
	if len(da) != len(db) {
		t.Fatalf("two seeds with the same flags: %d and %d documents", len(da), len(db))
	}
	for i := range da {
		if da[i] != db[i] {
			t.Fatalf("two seeds with the same flags differ:\n%s\n%s", da[i], db[i])
		}
	}
	if !slices.ContainsFunc(da, func(s string) bool { return strings.HasPrefix(s, "users ") && strings.Contains(s, `"name":"`) }) {
		t.Fatal("no named users in the dump")
	}

	// Again into a seeded database: refused, unless forced.
	err := seedDatabase(ctx, a, seedTestOptions(now), &bytes.Buffer{})
	if !errors.Is(err, errSeeded) {
		t.Fatalf("seeding twice: %v, want %v", err, errSeeded)
	}
	forced := seedTestOptions(now)
	forced.forceReseed = true
	seedInto(t, a, forced)
	if again := dumpSeeded(t, a); !slices.Equal(again, da) {
		t.Errorf("a forced reseed: %d documents, want the same %d as before", len(again), len(da))
	}

	// A database with a real account is never seeded, forced or not.
	real := testConfig(t)
	t.Cleanup(func() { dropDatabase(t, real) })
	if err := createAdmin(ctx, real, "Admin", "admin@example.dk", strings.NewReader(testPassword+"\n"), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		o := seedTestOptions(now)
		o.forceReseed = force
		if err := seedDatabase(ctx, real, o, &bytes.Buffer{}); !errors.Is(err, errRealData) {
			t.Errorf("seeding real data (force %v): %v, want %v", force, err, errRealData)
		}
	}
}

// TestSeedNamesTheSamePeopleOnAnyDay: the people (names, logins, counselors,
// departments) follow from the flags alone, whatever day the seed runs.
func TestSeedNamesTheSamePeopleOnAnyDay(t *testing.T) {
	people := func(now time.Time) []string {
		g := newSeedGen(seedConfig{participants: 300, months: 12, seed: seedDefaultSeed, now: now}, nil)
		g.makePeople()
		var out []string
		for _, u := range append(append(g.coordinators, g.counselors...), g.admin) {
			out = append(out, u.Login+" "+u.Name+" "+g.deptName(u.DepartmentID))
		}
		for _, p := range g.people {
			out = append(out, p.user.Login+" "+p.user.Name+" "+p.counselor.Login+" "+g.deptName(p.user.DepartmentID))
		}
		return out
	}
	a, b := people(testNow()), people(testNow().AddDate(0, 4, 17))
	if !slices.Equal(a, b) {
		t.Fatalf("the same flags on two days name different people:\n%v\n%v", a[:5], b[:5])
	}
	if nd, nc := seedCounts(1000); nd != 3 || nc != 8 {
		t.Errorf("1,000 participants: %d departments and %d counselors, want 3 and 8", nd, nc)
	}
	if nd, nc := seedCounts(20_000); nd != 40 || nc != 160 {
		t.Errorf("20,000 participants: %d departments and %d counselors, want 40 and 160", nd, nc)
	}
}

// TestSeedFlags checks the command line: the bounds of the flags and that
// a wrong one is a usage error before any database is opened.
func TestSeedFlags(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, args := range [][]string{
		{"seed"},
		{"seed", "--participants", "0"},
		{"seed", "--participants", "20001"},
		{"seed", "--participants", "20", "--months", "0"},
		{"seed", "--participants", "20", "--months", "37"},
		{"seed", "--participants", "20", "extra"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, getenv, strings.NewReader(""), &bytes.Buffer{}, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
