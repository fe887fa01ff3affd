package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/store/embedded"
)

// engineDirEnv, when set, makes the test binary the embedded engine on that
// data directory, run as its own process (runEngine), instead of the tests;
// engineAddrEnv is the address it listens on.
const (
	engineDirEnv  = "JOBKUNDE_TEST_ENGINE_DIR"
	engineAddrEnv = "JOBKUNDE_TEST_ENGINE_ADDR"
)

// runEngine is the engine process: it serves dir on addr, prints its URI
// on one line, and runs until its standard input closes (the test is
// done, or died) or it is killed.
func runEngine(dir, addr string) int {
	s, err := embedded.StartAt(dir, addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(s.URI())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = s.Close(5 * time.Second)
	return 0
}

// engineProcess is the embedded engine run by the test binary as a child
// process: killed, it is a database that went away; started again on the
// same directory and address, it came back.
type engineProcess struct {
	t    *testing.T
	dir  string
	addr string // host:port; a free port until the first start picks one
	uri  string
	log  string // the engine's standard error
	cmd  *exec.Cmd
}

// startEngineProcess starts the engine with its data in a temp dir; it is
// killed when the test ends.
func startEngineProcess(t *testing.T) *engineProcess {
	t.Helper()
	dir := t.TempDir()
	e := &engineProcess{t: t, dir: filepath.Join(dir, "data"), addr: "127.0.0.1:0", log: filepath.Join(dir, "engine.log")}
	e.start()
	t.Cleanup(func() {
		e.kill()
		if t.Failed() {
			if b, err := os.ReadFile(e.log); err == nil && len(b) > 0 {
				t.Logf("engine log:\n%s", b)
			}
		}
	})
	return e
}

// start runs the engine process and waits until it listens.
func (e *engineProcess) start() {
	e.t.Helper()
	self, err := os.Executable()
	if err != nil {
		e.t.Fatal(err)
	}
	logf, err := os.OpenFile(e.log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		e.t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), engineDirEnv+"="+e.dir, engineAddrEnv+"="+e.addr)
	cmd.Stderr = logf
	if _, err := cmd.StdinPipe(); err != nil { // closed when this process ends
		e.t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("start the engine process: %v", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		e.t.Fatalf("the engine process did not start: %v", err)
	}
	u, err := url.Parse(strings.TrimSpace(line))
	if err != nil {
		e.t.Fatalf("engine URI %q: %v", line, err)
	}
	e.cmd, e.uri, e.addr = cmd, u.String(), u.Host
}

// kill kills the engine process (SIGKILL: no goodbye to its clients) and
// waits until it is gone, its port closed.
func (e *engineProcess) kill() {
	if e.cmd == nil {
		return
	}
	_ = e.cmd.Process.Kill()
	_ = e.cmd.Wait()
	e.cmd = nil
}

// outageWrite is one message a client sends: resent as it was on a retry.
type outageWrite struct {
	path, token, key, clientID string
	body                       []byte
}

// outageAnswer is how the API answered one request of the outage test.
type outageAnswer struct {
	write                       outageWrite
	err                         error // no answer
	status                      int
	contentType, code           string
	retryAfter, replayed        string // the Retry-After and Idempotent-Replayed headers
	messageID                   string
	latency                     time.Duration
	answeredAfter               time.Duration // since the test began (a stopwatch: no date)
	phaseAtStart, phaseAtAnswer int32
}

// stopwatch measures how long things take from its start; it tells no
// date, so nothing in the test can depend on the day it runs.
type stopwatch struct{ start time.Time }

func newStopwatch() stopwatch { return stopwatch{start: time.Now()} }

func (w stopwatch) elapsed() time.Duration { return time.Since(w.start) }

func (a outageAnswer) acked() bool { return a.err == nil && a.status/100 == 2 }

// The phases of the outage test.
const (
	phaseUp       int32 = iota // before the database is killed
	phaseDown                  // killed and gone
	phaseReturned              // started again
)

// TestDatabaseOutage kills the database process for 10 s while four
// clients send messages: every answer is a 2xx or a 503
// service.unavailable problem with Retry-After, within the request
// deadline (never a 500, never a hang), and while the database is down
// always the 503; the API recovers by itself once the database is back;
// every acknowledged write is stored; every failed one, retried with its
// Idempotency-Key, succeeds, and every message is stored once.
func TestDatabaseOutage(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("the outage is staged with the embedded engine as its own process; the MongoDB run would repeat it")
	}
	engine := startEngineProcess(t)
	w := newWorldWith(t, func(c *config) { c.MongoURI = engine.uri })
	s := w.s
	deadline := s.cfg.RequestTimeout

	run := newStopwatch()
	var phase atomic.Int32
	client := &http.Client{Timeout: deadline + 15*time.Second} // a hang shows as an error, not a stuck test
	// send sends one request (a message when wr has a body, else a GET),
	// checks its answer against the contract and says how it went.
	send := func(wr outageWrite) outageAnswer {
		a := outageAnswer{write: wr, phaseAtStart: phase.Load()}
		method, body := http.MethodGet, io.Reader(nil)
		if wr.body != nil {
			method, body = http.MethodPost, bytes.NewReader(wr.body)
		}
		hr, err := http.NewRequest(method, s.base+wr.path, body)
		if err != nil {
			a.err = err
			return a
		}
		if wr.body != nil {
			hr.Header.Set("Content-Type", "application/json")
			hr.Header.Set("Authorization", "Bearer "+wr.token)
			hr.Header.Set("Idempotency-Key", wr.key)
		}
		began := run.elapsed()
		res, err := client.Do(hr)
		if err != nil {
			a.err = err
			return a
		}
		out, err := io.ReadAll(res.Body)
		res.Body.Close()
		a.answeredAfter = run.elapsed()
		a.latency, a.phaseAtAnswer, a.err = a.answeredAfter-began, phase.Load(), err
		a.status, a.contentType = res.StatusCode, res.Header.Get("Content-Type")
		a.retryAfter, a.replayed = res.Header.Get("Retry-After"), res.Header.Get("Idempotent-Replayed")
		var doc struct{ ID, Code string }
		_ = json.Unmarshal(out, &doc)
		a.messageID, a.code = doc.ID, doc.Code
		s.validate(hr, wr.body, res, out) // t.Errorf only: safe from any goroutine
		return a
	}
	readyz := outageWrite{path: "/readyz", clientID: "readyz"}

	// Four clients write messages, each with its own clientMessageId and
	// Idempotency-Key: both participants, and both counselors to theirs.
	writers := []struct {
		name, participantID string
		who                 session
	}{
		{"p1", w.p1ID, w.p1}, {"p2", w.p2ID, w.p2}, {"a", w.p1ID, w.counselorA}, {"b", w.p2ID, w.counselorB},
	}
	var (
		mu      sync.Mutex
		answers []outageAnswer
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	count := func(ok func(outageAnswer) bool) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, a := range answers {
			if ok(a) {
				n++
			}
		}
		return n
	}
	for _, wr := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("outage-%s-%d", wr.name, i)
				body, _ := json.Marshal(map[string]string{"clientMessageId": id, "text": "Besked " + id})
				a := send(outageWrite{
					path: "/v1/participants/" + wr.participantID + "/conversation/messages", token: wr.who.AccessToken,
					key: "key-" + id, clientID: id, body: body,
				})
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			}
		}()
	}
	stopWriters := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopWriters() // on a failure below, before the server stops
	eventually(t, "20 acknowledged writes", func() bool { return count(outageAnswer.acked) >= 20 })

	// The outage: the database is killed for 10 s (longer if no write was
	// sent and answered meanwhile yet); the clients go on, and the
	// readiness probe is asked every half second.
	engine.kill()
	killed := run.elapsed()
	phase.Store(phaseDown)
	inOutage := func(a outageAnswer) bool { return a.phaseAtStart == phaseDown && a.phaseAtAnswer == phaseDown }
	var probes []outageAnswer
	tenSeconds := time.After(10 * time.Second)
	for elapsed := false; !elapsed; {
		select {
		case <-tenSeconds:
			elapsed = true
		case <-time.After(500 * time.Millisecond):
			probes = append(probes, send(readyz))
		}
	}
	eventually(t, "a write answered while the database is down", func() bool { return count(inOutage) > 0 })
	engine.start()
	restarted := run.elapsed()
	phase.Store(phaseReturned)

	// It recovers by itself: ready again, and writes sent after the return
	// succeed, the API never restarted.
	eventually(t, "readyz 200 after the database returned", func() bool { return send(readyz).status == http.StatusOK })
	readyAfter := run.elapsed() - restarted
	eventually(t, "8 writes acknowledged after the database returned", func() bool {
		return count(func(a outageAnswer) bool { return a.acked() && a.phaseAtStart == phaseReturned }) >= 8
	})
	stopWriters()

	// Every answer: a 2xx, or a 503 problem with Retry-After; within the
	// request deadline; while the database was down, the 503.
	var failed []outageWrite
	var slowest503, slowestDown time.Duration
	firstAckAfter, duringWrites, ackedAtOnce := time.Duration(-1), 0, 0
	for _, a := range append(slices.Clone(answers), probes...) {
		if a.err != nil {
			t.Errorf("%s: no answer: %v", a.write.clientID, a.err)
			continue
		}
		if a.latency >= deadline {
			t.Errorf("%s: answered %d after %v, past the request deadline %v", a.write.clientID, a.status, a.latency, deadline)
		}
		if inOutage(a) {
			if a.write.body != nil {
				duringWrites++
			}
			slowestDown = max(slowestDown, a.latency)
			if a.status != http.StatusServiceUnavailable {
				t.Errorf("%s: %d while the database was down, want 503", a.write.clientID, a.status)
			}
		}
		switch {
		case a.write.body == nil: // readyz
		case a.acked():
			ackedAtOnce++
			// None can be acknowledged while the database is down: the first
			// after the return measures the recovery.
			if d := a.answeredAfter - restarted; d > 0 && (firstAckAfter < 0 || d < firstAckAfter) {
				firstAckAfter = d
			}
			continue
		case a.status != http.StatusServiceUnavailable:
			t.Errorf("%s: %d %s, want a 2xx or 503", a.write.clientID, a.status, a.code)
			continue
		default:
			failed = append(failed, a.write)
		}
		if a.status == http.StatusServiceUnavailable {
			checkUnavailable(t, a)
			slowest503 = max(slowest503, a.latency)
		}
	}

	// Each failed write, retried with its Idempotency-Key (a real client
	// waits Retry-After first; the database is back now), succeeds. A 409
	// idempotency.in_progress means the failed attempt's claim is not
	// released yet: the client tries again shortly. A second retry replays
	// the first retry's answer.
	var retries []outageAnswer
	storedBefore := 0
	for _, wr := range failed {
		var a outageAnswer
		eventually(t, "the retry of "+wr.clientID, func() bool {
			a = send(wr)
			return a.err != nil || a.status != http.StatusConflict || a.code != "idempotency.in_progress"
		})
		if !a.acked() {
			t.Errorf("retry of %s: %d %s, %v; want a 2xx", wr.clientID, a.status, a.code, a.err)
			continue
		}
		if a.status == http.StatusOK { // the failed attempt had stored the message; it stands
			storedBefore++
		}
		retries = append(retries, a)
		if again := send(wr); again.status != a.status || again.messageID != a.messageID || again.replayed != "true" {
			t.Errorf("second retry of %s: %d %s (replayed %q), want the first retry's %d %s replayed",
				wr.clientID, again.status, again.messageID, again.replayed, a.status, a.messageID)
		}
	}

	// Every acknowledged write is stored, once, under the ID its answer
	// gave; nothing else is.
	cur, err := s.store.Database().Collection("messages").Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID       string `bson:"_id"`
		ClientID string `bson:"clientId"`
	}
	if err := cur.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	stored := map[string][]string{} // clientMessageId → message IDs
	for _, d := range docs {
		stored[d.ClientID] = append(stored[d.ClientID], d.ID)
	}
	ackedAs := map[string]string{} // clientMessageId → the message ID its answer gave
	for _, a := range append(slices.Clone(answers), retries...) {
		if a.acked() {
			if prev, ok := ackedAs[a.write.clientID]; ok && prev != a.messageID {
				t.Errorf("%s acknowledged as %s and as %s", a.write.clientID, prev, a.messageID)
			}
			ackedAs[a.write.clientID] = a.messageID
		}
	}
	for id, msgID := range ackedAs {
		if got := stored[id]; !slices.Equal(got, []string{msgID}) {
			t.Errorf("%s: stored as %v, want once as %s (its answer)", id, got, msgID)
		}
	}
	for id, ids := range stored {
		if _, ok := ackedAs[id]; !ok {
			t.Errorf("%s is stored (%v) but no answer acknowledged it", id, ids)
		}
	}

	t.Logf("%d writes from %d clients: %d acknowledged, %d answered 503 (the slowest in %v; request deadline %v)",
		len(answers), len(writers), ackedAtOnce, len(failed), slowest503.Round(time.Millisecond), deadline)
	t.Logf("database down for %v: %d writes and %d readyz probes sent and answered meanwhile, all 503, the slowest in %v",
		(restarted - killed).Round(time.Millisecond), duringWrites, len(probes), slowestDown.Round(time.Millisecond))
	t.Logf("after the return: readyz 200 in %v, the first write acknowledged in %v; the %d failed writes retried with their Idempotency-Key all succeeded (%d had been stored by the failed attempt and answered 200), each message stored once",
		readyAfter.Round(time.Millisecond), firstAckAfter.Round(time.Millisecond), len(retries), storedBefore)
}

// checkUnavailable fails unless a is a 503 service.unavailable problem
// with a Retry-After of a positive number of seconds.
func checkUnavailable(t *testing.T, a outageAnswer) {
	t.Helper()
	secs, err := strconv.Atoi(a.retryAfter)
	if !strings.HasPrefix(a.contentType, "application/problem+json") || a.code != "service.unavailable" || err != nil || secs < 1 {
		t.Errorf("%s: 503 with Content-Type %q, code %q, Retry-After %q; want problem+json service.unavailable with Retry-After",
			a.write.clientID, a.contentType, a.code, a.retryAfter)
	}
}
