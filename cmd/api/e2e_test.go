package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/jobbanken/jobkunde/handlers"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

const testPassword = "en lang og rolig sætning"

// testServer is the real service (serve) on a free port with a fresh
// database: the embedded engine in a temp dir, or MONGODB_URI when set.
type testServer struct {
	t      *testing.T
	base   string
	router routers.Router
	cfg    config
	store  *store.Store // the server's own store, for state no route shows
	shapes *storetest.Recorder
	seq    atomic.Int64 // numbers the requests, for the X-Request-ID
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func testConfig(tb testing.TB) config {
	tb.Helper()
	return config{
		DataDir: tb.TempDir(), MongoURI: os.Getenv("MONGODB_URI"), MongoDatabase: "e2e_" + randomName(),
		JWTIssuer: "jobkunde", JWTAudience: "jobkunde-app", AccessTokenTTL: 10 * time.Minute,
		RequestTimeout: 15 * time.Second, ShutdownGrace: 5 * time.Second, LogLevel: slog.LevelWarn,
		NotifyInterval: 100 * time.Millisecond,
	}
}

// launch runs the real service for a test or benchmark: it bootstraps an
// admin through the create-admin path, serves on a free port (commands
// seen by monitor, if set) and stops and drops the database at cleanup.
// It returns the base URL and the configuration used.
func launch(tb testing.TB, adminEmail string, monitor *event.CommandMonitor) (string, config) {
	tb.Helper()
	return launchWith(tb, adminEmail, serveOptions{monitor: monitor})
}

// launchWith is launch with more of serve's options (it sets o.ready).
func launchWith(tb testing.TB, adminEmail string, o serveOptions) (string, config) {
	tb.Helper()
	return launchConfigured(tb, adminEmail, o, nil)
}

// launchConfigured is launchWith with the test config changed by tweak.
func launchConfigured(tb testing.TB, adminEmail string, o serveOptions, tweak func(*config)) (string, config) {
	tb.Helper()
	cfg := testConfig(tb)
	if o.now == nil {
		o.now = testNow
	}
	if tweak != nil {
		tweak(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	if err := createAdmin(ctx, cfg, "Admin", adminEmail, strings.NewReader(testPassword+"\n"), &out); err != nil {
		tb.Fatalf("create admin: %v", err)
	}
	ready := make(chan string, 1)
	o.ready = ready
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), o)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		tb.Fatalf("serve: %v", err)
	case <-time.After(30 * time.Second):
		tb.Fatal("server did not start")
	}
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("serve returned %v", err)
		}
		dropDatabase(tb, cfg)
	})
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		tb.Fatalf("listening address %q: %v", addr, err)
	}
	return "http://127.0.0.1:" + port, cfg
}

// startServer launches the service and loads the contract every response
// is checked against.
func startServer(t *testing.T, adminEmail string) *testServer {
	t.Helper()
	return startServerConfigured(t, adminEmail, nil)
}

// startServerConfigured is startServer with the config changed by tweak.
func startServerConfigured(t *testing.T, adminEmail string, tweak func(*config)) *testServer {
	t.Helper()
	opened := make(chan *store.Store, 1)
	shapes := storetest.NewRecorder(handlers.RequestIDFrom)
	base, cfg := launchConfigured(t, adminEmail, serveOptions{opened: opened, monitor: shapes.Monitor()}, tweak)
	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	doc.Servers = nil // match any host
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("spec router: %v", err)
	}
	return &testServer{t: t, base: base, router: router, cfg: cfg, store: <-opened, shapes: shapes}
}

// dropDatabase removes a test's database from a shared MongoDB; the embedded
// engine's files go with the temp dir.
func dropDatabase(t testing.TB, cfg config) {
	t.Helper()
	if cfg.embedded() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := store.Connect(ctx, cfg.MongoURI, store.ConnectOptions{Production: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Errorf("connect to drop %s: %v", cfg.MongoDatabase, err)
		return
	}
	defer func() { _ = client.Disconnect(ctx) }()
	if err := client.Database(cfg.MongoDatabase).Drop(ctx); err != nil {
		t.Errorf("drop %s: %v", cfg.MongoDatabase, err)
	}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problemCode returns the problem's code, failing unless the response is
// problem+json.
func (r response) problemCode(t *testing.T) string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("status %d with Content-Type %q, want application/problem+json; body %s", r.Status, ct, r.Body)
	}
	var p struct {
		Code   string `json:"code"`
		Status int    `json:"status"`
	}
	r.json(t, &p)
	if p.Status != r.Status {
		t.Errorf("problem status %d, HTTP status %d", p.Status, r.Status)
	}
	return p.Code
}

// req is one request; headers are name, value pairs.
type req struct {
	method, path, token string
	body                any
	headers             []string
}

// do sends r and validates the response against openapi.yaml.
func (s *testServer) do(r req) response {
	s.t.Helper()
	var body io.Reader
	var raw []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			s.t.Fatal(err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	hr, err := http.NewRequest(r.method, s.base+r.path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if raw != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for i := 0; i+1 < len(r.headers); i += 2 {
		hr.Header.Set(r.headers[i], r.headers[i+1])
	}
	reqID := fmt.Sprintf("shape-%d", s.seq.Add(1))
	hr.Header.Set("X-Request-ID", reqID)
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	op := s.validate(hr, raw, res, out)
	s.checkShapes(op, hr, res.StatusCode, s.shapes.Take(reqID))
	return response{Status: res.StatusCode, Header: res.Header, Body: out}
}

// validate checks a response against the contract: the route exists in the
// spec and the status, headers and body match what it documents. It returns
// the operation, or nil for a path the spec does not have.
func (s *testServer) validate(hr *http.Request, reqBody []byte, res *http.Response, body []byte) *openapi3.Operation {
	s.t.Helper()
	hr.Body = io.NopCloser(bytes.NewReader(reqBody))
	if hr.URL.Path == "/docs/" {
		hr.URL.Path = "/docs" // the spec's getDocs; Fiber routes both forms
	}
	route, params, err := s.router.FindRoute(hr)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return nil // an unrouted path is not in the spec by design
		}
		s.t.Errorf("%s %s: not in openapi.yaml: %v", hr.Method, hr.URL.Path, err)
		return nil
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		s.checkProblemCodes(route.Operation, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		// Pages, scripts, YAML and metrics: the route is in the spec; their
		// bodies are not JSON for the validator to check.
		return route.Operation
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: hr, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  res.StatusCode,
		Header:  res.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		s.t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", hr.Method, hr.URL.Path, res.StatusCode, err, body)
	}
	return route.Operation
}

// session is the decoded login answer.
type session struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"`
	User         struct {
		ID          string `json:"id"`
		Role        string `json:"role"`
		Login       string `json:"login"`
		CounselorID string `json:"counselorId"`
	} `json:"user"`
}

type created struct {
	Account struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"account"`
	ActivationCode struct {
		Code string `json:"code"`
	} `json:"activationCode"`
}

func (s *testServer) login(login, password string) session {
	s.t.Helper()
	r := s.do(req{method: "POST", path: "/v1/auth/login", body: map[string]string{"login": login, "password": password}})
	if r.Status != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", login, r.Status, r.Body)
	}
	var out session
	r.json(s.t, &out)
	return out
}

func (s *testServer) activate(code, login, password string) session {
	s.t.Helper()
	r := s.do(req{method: "POST", path: "/v1/auth/activate", body: map[string]string{"code": code, "login": login, "password": password}})
	if r.Status != http.StatusOK {
		s.t.Fatalf("activate as %s: %d %s", login, r.Status, r.Body)
	}
	var out session
	r.json(s.t, &out)
	return out
}

// mustStatus fails unless r has status want.
func mustStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.Status, want, r.Body)
	}
}

// checkProblemCodes holds every problem the suite meets to the contract:
// its code, and each errors[].code, must be listed for the operation and
// status in x-problem-codes, so an app can switch on the codes of an
// operation from the contract alone. With JOBKUNDE_RECORD_CODES set to a
// file, it appends what it meets there instead (how the lists were made).
func (s *testServer) checkProblemCodes(op *openapi3.Operation, status int, body []byte) {
	s.t.Helper()
	var p struct {
		Code   string `json:"code"`
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &p); err != nil || op == nil {
		return
	}
	codes := []string{p.Code}
	for _, e := range p.Errors {
		codes = append(codes, e.Code)
	}
	if path := os.Getenv("JOBKUNDE_RECORD_CODES"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			s.t.Fatal(err)
		}
		defer f.Close()
		for _, c := range codes {
			fmt.Fprintf(f, "%s %d %s\n", op.OperationID, status, c)
		}
		return
	}
	listed, _ := op.Extensions["x-problem-codes"].(map[string]any)
	byStatus, _ := listed[strconv.Itoa(status)].([]any)
	for _, c := range codes {
		if c == "" || strings.HasPrefix(c, "http.") { // a status without a code of its own (info: Errors)
			continue
		}
		if !slices.ContainsFunc(byStatus, func(v any) bool { return v == c }) {
			s.t.Errorf("%s answered %d %s, which its x-problem-codes in openapi.yaml do not list", op.OperationID, status, c)
		}
	}
}
