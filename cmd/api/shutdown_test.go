package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/auth"
)

// slowApp answers GET /slow after delay; started is closed when the handler
// begins and finished is set just before it returns.
func slowApp(delay time.Duration) (app *fiber.App, started <-chan struct{}, finished *atomic.Bool) {
	begin := make(chan struct{})
	done := new(atomic.Bool)
	app = fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/slow", func(c *fiber.Ctx) error {
		close(begin) // one request per app
		time.Sleep(delay)
		done.Store(true)
		return c.SendString("done")
	})
	return app, begin, done
}

// getResult is the outcome of one HTTP request.
type getResult struct {
	status int
	body   string
	err    error
}

// getAsync sends GET url on a fresh connection and reports on the channel.
func getAsync(url string) <-chan getResult {
	out := make(chan getResult, 1)
	go func() {
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		res, err := client.Get(url)
		if err != nil {
			out <- getResult{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		out <- getResult{status: res.StatusCode, body: string(b), err: err}
	}()
	return out
}

func waitFor[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestListenDrainsInFlightRequests(t *testing.T) {
	app, started, finished := slowApp(300 * time.Millisecond)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listened := make(chan error, 1)
	go func() { listened <- listen(ctx, app, ln, 5*time.Second, slog.New(slog.DiscardHandler)) }()

	response := getAsync("http://" + addr + "/slow")
	waitFor(t, "the handler to start", started)
	cancel()

	res := waitFor(t, "the in-flight response", response)
	if res.err != nil || res.status != http.StatusOK || res.body != "done" {
		t.Errorf("in-flight request got status %d, body %q, err %v; want 200, \"done\", nil", res.status, res.body, res.err)
	}
	if err := waitFor(t, "listen to return", listened); err != nil {
		t.Errorf("listen() = %v, want nil", err)
	}
	if !finished.Load() {
		t.Error("listen returned before the in-flight handler finished")
	}
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		conn.Close()
		t.Errorf("dial %s after shutdown succeeded, want connection refused", addr)
	}
}

func TestListenGraceExceeded(t *testing.T) {
	app, started, _ := slowApp(500 * time.Millisecond)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listened := make(chan error, 1)
	go func() { listened <- listen(ctx, app, ln, 50*time.Millisecond, slog.New(slog.DiscardHandler)) }()

	response := getAsync("http://" + ln.Addr().String() + "/slow")
	waitFor(t, "the handler to start", started)
	cancel()
	err = waitFor(t, "listen to return", listened)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("listen() with a 50ms grace and a 500ms request = %v, want a context.DeadlineExceeded error", err)
	}
	waitFor(t, "the slow request", response) // let the handler finish before the test ends
}

func TestListenReportsServeError(t *testing.T) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	listened := make(chan error, 1)
	go func() { listened <- listen(context.Background(), app, ln, time.Second, slog.New(slog.DiscardHandler)) }()
	if err := waitFor(t, "listen to return", listened); err == nil || !strings.Contains(err.Error(), "serve") {
		t.Errorf("listen() on a closed listener = %v, want a serve error", err)
	}
}

// runResult is what one call of run produced.
type runResult struct {
	err    error
	stdout string
	stderr string
}

func runWith(t *testing.T, args []string, env map[string]string, stdin string) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, args, envOf(env), strings.NewReader(stdin), &stdout, &stderr)
	return runResult{err: err, stdout: stdout.String(), stderr: stderr.String()}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "--help", args: []string{"--help"}},
		{name: "-h", args: []string{"-h"}},
		{name: "help", args: []string{"help"}},
		{name: "serve --help", args: []string{"serve", "--help"}},
		{name: "create-admin --help", args: []string{"create-admin", "--help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWith(t, tt.args, nil, "")
			if r.err != nil {
				t.Fatalf("run(%q) = %v, want nil", tt.args, r.err)
			}
			for _, want := range []string{"Usage:", "create-admin", "migrate", "keygen"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("run(%q) printed %q, want it to mention %q", tt.args, r.stdout, want)
				}
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{name: "unknown subcommand", args: []string{"frobnicate"}, wantStderr: `unknown command "frobnicate"`},
		{name: "create-admin without --email", args: []string{"create-admin"}, wantStderr: "--email"},
		{name: "create-admin with an empty email", args: []string{"create-admin", "--email", ""}, wantStderr: "--email"},
		{name: "create-admin with an unknown flag", args: []string{"create-admin", "--email", "a@b.dk", "--role", "x"}, wantStderr: "-role"},
		{name: "serve with an unknown flag", args: []string{"serve", "--nope"}, wantStderr: "-nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWith(t, tt.args, nil, "")
			if !errors.Is(r.err, errUsage) {
				t.Errorf("run(%q) = %v, want errUsage", tt.args, r.err)
			}
			if !strings.Contains(r.stderr, tt.wantStderr) {
				t.Errorf("run(%q) wrote %q to stderr, want it to mention %q", tt.args, r.stderr, tt.wantStderr)
			}
		})
	}
}

func TestRunRejectsBadConfiguration(t *testing.T) {
	r := runWith(t, []string{"migrate"}, map[string]string{"PORT": "eighty", "LOG_LEVEL": "loud"}, "")
	if r.err == nil || errors.Is(r.err, errUsage) {
		t.Fatalf("run(migrate) with a bad environment = %v, want a configuration error", r.err)
	}
	for _, want := range []string{"configuration", "PORT", "LOG_LEVEL"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("run(migrate) error %q does not mention %q", r.err, want)
		}
	}
}

func TestRunKeygen(t *testing.T) {
	r := runWith(t, []string{"keygen"}, nil, "")
	if r.err != nil {
		t.Fatalf("run(keygen) = %v, want nil", r.err)
	}
	if _, err := auth.ParseKeySet([]byte(r.stdout)); err != nil {
		t.Errorf("run(keygen) printed %q, which ParseKeySet rejects: %v", r.stdout, err)
	}
}

// TestRunCreateAdmin runs the bootstrap path three times on one embedded
// engine in DATA_DIR (each run starts and stops it): a weak password, a good
// one, then the same login again.
func TestRunCreateAdmin(t *testing.T) {
	env := map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error"}
	args := []string{"create-admin", "--email", "a@b.dk", "--name", "Admin"}

	r := runWith(t, args, env, "kort\n")
	if r.err == nil || !strings.Contains(r.err.Error(), "at least 10 characters") {
		t.Fatalf("run(%q) with password \"kort\" = %v, want an error naming the length rule", args, r.err)
	}
	if strings.Contains(r.stdout, "admin created") {
		t.Errorf("run(%q) with a short password printed %q", args, r.stdout)
	}

	r = runWith(t, args, env, "en lang og rolig sætning\n")
	if r.err != nil {
		t.Fatalf("run(%q) with a good password = %v, want nil", args, r.err)
	}
	if !strings.Contains(r.stdout, "admin created: a@b.dk") {
		t.Errorf("run(%q) printed %q, want \"admin created: a@b.dk …\"", args, r.stdout)
	}

	r = runWith(t, args, env, "en anden lang og rolig sætning\n")
	if r.err == nil || !strings.Contains(r.err.Error(), "already in use") {
		t.Errorf("run(%q) for an existing login = %v, want a \"login taken\" error", args, r.err)
	}
	if strings.Contains(r.stdout, "admin created") {
		t.Errorf("run(%q) for an existing login printed %q", args, r.stdout)
	}
}
