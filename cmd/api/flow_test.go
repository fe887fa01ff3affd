package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// world is a populated service: an admin, a department, two counselors, a
// coordinator and two participants (P1 with counselor A, P2 with B).
type world struct {
	s                                      *testServer
	admin, counselorA, counselorB, coord   session
	p1, p2                                 session
	deptID, p1ID, p2ID, counselorAID, cBID string
	work                                   map[string]string // workFixture's IDs, when made
	msg                                    map[string]string // messagingFixture's IDs, when made
}

const adminEmail = "admin@test.jobbanken.dk"

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, nil)
}

// newWorldWith is newWorld on a server whose config tweak changes.
func newWorldWith(t *testing.T, tweak func(*config)) *world {
	t.Helper()
	s := startServerConfigured(t, adminEmail, tweak)
	w := &world{s: s, admin: s.login(adminEmail, testPassword)}

	r := s.do(req{method: "POST", path: "/v1/departments", token: w.admin.AccessToken, body: map[string]string{"name": "Herning"}})
	mustStatus(t, "create department", r, http.StatusCreated)
	var dept struct{ ID string }
	r.json(t, &dept)
	w.deptID = dept.ID

	staff := func(role, email string) session {
		r := s.do(req{method: "POST", path: "/v1/staff", token: w.admin.AccessToken,
			body: map[string]string{"role": role, "name": "Staff " + role, "email": email, "departmentId": w.deptID}})
		mustStatus(t, "create "+role, r, http.StatusCreated)
		var c created
		r.json(t, &c)
		if c.Account.Status != "invited" || len(c.ActivationCode.Code) != 9 {
			t.Fatalf("created staff %+v", c)
		}
		return s.activate(c.ActivationCode.Code, email, testPassword)
	}
	w.counselorA = staff("counselor", "a@test.jobbanken.dk")
	w.counselorB = staff("counselor", "b@test.jobbanken.dk")
	w.coord = staff("coordinator", "k@test.jobbanken.dk")
	w.counselorAID, w.cBID = w.counselorA.User.ID, w.counselorB.User.ID

	enrol := func(counselor session, name, login string) (string, session) {
		r := s.do(req{method: "POST", path: "/v1/participants", token: counselor.AccessToken, body: map[string]string{"name": name}})
		mustStatus(t, "enrol "+name, r, http.StatusCreated)
		var c created
		r.json(t, &c)
		// Typed on a phone: lower case, spaces instead of the dash.
		code := strings.ToLower(strings.ReplaceAll(c.ActivationCode.Code, "-", " "))
		return c.Account.ID, s.activate(code, login, testPassword)
	}
	w.p1ID, w.p1 = enrol(w.counselorA, "Anna", "20 12 34 56")
	w.p2ID, w.p2 = enrol(w.counselorB, "Bo", "bo@example.dk")
	return w
}

func TestEndToEndAccountsFlow(t *testing.T) {
	w := newWorld(t)
	s := w.s

	t.Run("activation normalised the phone login", func(t *testing.T) {
		if w.p1.User.Login != "+4520123456" || w.p1.User.Role != "participant" || w.p1.User.CounselorID != w.counselorAID {
			t.Errorf("p1 session user = %+v", w.p1.User)
		}
	})

	t.Run("login and getMe", func(t *testing.T) {
		sess := s.login("+45 20 12 34 56", testPassword)
		r := s.do(req{method: "GET", path: "/v1/me", token: sess.AccessToken})
		mustStatus(t, "getMe", r, http.StatusOK)
		var me struct{ ID, Role, Status string }
		r.json(t, &me)
		if me.ID != w.p1ID || me.Role != "participant" || me.Status != "active" {
			t.Errorf("me = %+v", me)
		}
		if sess.ExpiresIn <= 0 || sess.ExpiresIn > 15*60 {
			t.Errorf("expiresIn = %d, want within 15 minutes", sess.ExpiresIn)
		}
	})

	t.Run("refresh rotates; reuse of a spent token ends the session", func(t *testing.T) {
		first := s.login("bo@example.dk", testPassword)
		r := s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": first.RefreshToken}})
		mustStatus(t, "refresh", r, http.StatusOK)
		var second session
		r.json(t, &second)
		if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
			t.Fatal("refresh did not rotate the token")
		}
		r = s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": first.RefreshToken}})
		if r.Status != http.StatusUnauthorized || r.problemCode(t) != "auth.refresh_reused" {
			t.Fatalf("reuse: %d %s", r.Status, r.Body)
		}
		r = s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": second.RefreshToken}})
		if r.Status != http.StatusUnauthorized || r.problemCode(t) != "auth.invalid_refresh" {
			t.Fatalf("the family survived reuse: %d %s", r.Status, r.Body)
		}
	})

	t.Run("logout revokes the session", func(t *testing.T) {
		sess := s.login("bo@example.dk", testPassword)
		r := s.do(req{method: "POST", path: "/v1/auth/logout", body: map[string]string{"refreshToken": sess.RefreshToken}})
		mustStatus(t, "logout", r, http.StatusNoContent)
		r = s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": sess.RefreshToken}})
		mustStatus(t, "refresh after logout", r, http.StatusUnauthorized)
	})

	t.Run("an activation code works once", func(t *testing.T) {
		r := s.do(req{method: "POST", path: "/v1/participants/" + w.p1ID + "/activation-code", token: w.counselorA.AccessToken})
		mustStatus(t, "reissue", r, http.StatusCreated)
		var code struct{ Code string }
		r.json(t, &code)
		// A wrong code is refused; the right one resets the password and ends old sessions.
		r = s.do(req{method: "POST", path: "/v1/auth/activate", body: map[string]string{"code": "AAAA-AAAA", "login": "20123456", "password": "et nyt rolig kodeord"}})
		if r.Status != http.StatusNotFound || r.problemCode(t) != "activation.invalid_code" {
			t.Fatalf("wrong code: %d %s", r.Status, r.Body)
		}
		s.activate(code.Code, "20123456", "et nyt rolig kodeord")
		r = s.do(req{method: "POST", path: "/v1/auth/refresh", body: map[string]string{"refreshToken": w.p1.RefreshToken}})
		mustStatus(t, "old session after reset", r, http.StatusUnauthorized)
		r = s.do(req{method: "POST", path: "/v1/auth/activate", body: map[string]string{"code": code.Code, "login": "20123456", "password": "et tredje kodeord her"}})
		mustStatus(t, "second use", r, http.StatusNotFound)
		r = s.do(req{method: "POST", path: "/v1/auth/login", body: map[string]string{"login": "20123456", "password": testPassword}})
		mustStatus(t, "old password", r, http.StatusUnauthorized)
		s.login("20123456", "et nyt rolig kodeord")
	})

	t.Run("a login already in use is refused with a field error", func(t *testing.T) {
		r := s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: map[string]string{"name": "Cai"}})
		var c created
		r.json(t, &c)
		r = s.do(req{method: "POST", path: "/v1/auth/activate", body: map[string]string{"code": c.ActivationCode.Code, "login": "BO@example.dk", "password": testPassword}})
		if r.Status != http.StatusBadRequest || r.problemCode(t) != "request.invalid_fields" || !strings.Contains(string(r.Body), "login.taken") {
			t.Fatalf("taken login: %d %s", r.Status, r.Body)
		}
		// The code was given back: another login works.
		s.activate(c.ActivationCode.Code, "cai@example.dk", testPassword)
	})

	t.Run("counselor lists only their own participants", func(t *testing.T) {
		r := s.do(req{method: "GET", path: "/v1/participants", token: w.counselorB.AccessToken})
		mustStatus(t, "list", r, http.StatusOK)
		var l struct {
			Items []struct{ ID string }
			Next  *string
		}
		r.json(t, &l)
		if len(l.Items) != 1 || l.Items[0].ID != w.p2ID || l.Next != nil {
			t.Errorf("counselor B sees %+v", l)
		}
		r = s.do(req{method: "GET", path: "/v1/participants?counselorId=" + w.counselorAID, token: w.counselorB.AccessToken})
		mustStatus(t, "list another counselor's", r, http.StatusForbidden)
	})

	t.Run("reassignment moves access", func(t *testing.T) {
		r := s.do(req{method: "PUT", path: "/v1/participants/" + w.p2ID + "/counselor", token: w.counselorB.AccessToken, body: map[string]string{"counselorId": w.counselorAID}})
		mustStatus(t, "reassign", r, http.StatusOK)
		mustStatus(t, "old counselor reads", s.do(req{method: "GET", path: "/v1/participants/" + w.p2ID, token: w.counselorB.AccessToken}), http.StatusForbidden)
		mustStatus(t, "new counselor reads", s.do(req{method: "GET", path: "/v1/participants/" + w.p2ID, token: w.counselorA.AccessToken}), http.StatusOK)
		r = s.do(req{method: "GET", path: "/v1/participants/" + w.p2ID + "/counselor-history", token: w.p2.AccessToken})
		mustStatus(t, "history", r, http.StatusOK)
		var h struct {
			Items []struct{ CounselorID string }
		}
		r.json(t, &h)
		if len(h.Items) != 2 || h.Items[0].CounselorID != w.cBID || h.Items[1].CounselorID != w.counselorAID {
			t.Errorf("history = %+v, want counselor B then A", h.Items)
		}
		r = s.do(req{method: "PUT", path: "/v1/participants/" + w.p2ID + "/counselor", token: w.counselorA.AccessToken, body: map[string]string{"counselorId": w.coord.User.ID}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "counselor.not_found") {
			t.Errorf("reassign to a coordinator: %d %s", r.Status, r.Body)
		}
	})
}

func TestEndToEndErrorsAreProblems(t *testing.T) {
	w := newWorld(t)
	s := w.s
	tests := []struct {
		name     string
		r        req
		status   int
		code     string
		language string
	}{
		{name: "unknown route", r: req{method: "GET", path: "/v1/nothing"}, status: 404, code: "route.not_found"},
		{name: "no token", r: req{method: "GET", path: "/v1/me"}, status: 401, code: "auth.missing_token"},
		{name: "tampered token", r: req{method: "GET", path: "/v1/me", token: w.p1.AccessToken[:len(w.p1.AccessToken)-4] + "AAAA"}, status: 401, code: "auth.invalid_token"},
		{name: "not JSON", r: req{method: "POST", path: "/v1/auth/login", body: "{"}, status: 400, code: "request.invalid_json"},
		{name: "unknown field", r: req{method: "POST", path: "/v1/auth/login", body: `{"login":"a","pasword":"b"}`}, status: 400, code: "request.invalid_fields"},
		{name: "wrong type", r: req{method: "POST", path: "/v1/departments", token: w.admin.AccessToken, body: `{"name":5}`}, status: 400, code: "request.invalid_fields"},
		{name: "two objects", r: req{method: "POST", path: "/v1/auth/login", body: `{"login":"a","password":"b"}{}`}, status: 400, code: "request.invalid_json"},
		{name: "wrong media type", r: req{method: "POST", path: "/v1/auth/logout", body: "x", headers: []string{"Content-Type", "text/plain"}}, status: 415, code: "request.unsupported_media_type"},
		{name: "bad limit", r: req{method: "GET", path: "/v1/departments?limit=500", token: w.p1.AccessToken}, status: 400, code: "request.invalid_fields"},
		{name: "bad cursor", r: req{method: "GET", path: "/v1/departments?cursor=%21%21", token: w.p1.AccessToken}, status: 400, code: "request.invalid_fields"},
		{name: "short password", r: req{method: "POST", path: "/v1/auth/activate", body: map[string]string{"code": "ABCD-EFGH", "login": "x@example.dk", "password": "kort"}}, status: 400, code: "request.invalid_fields"},
		{name: "duplicate department", r: req{method: "POST", path: "/v1/departments", token: w.admin.AccessToken, body: map[string]string{"name": "herning"}}, status: 409, code: "department.exists"},
		{name: "English on request", r: req{method: "GET", path: "/v1/me", headers: []string{"Accept-Language", "en-GB,en;q=0.9"}}, status: 401, code: "auth.missing_token", language: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do(tt.r)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.Status, tt.status, r.Body)
			}
			if code := r.problemCode(t); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
			want := tt.language
			if want == "" {
				want = "da"
			}
			if got := r.Header.Get("Content-Language"); got != want {
				t.Errorf("Content-Language %q, want %q", got, want)
			}
		})
	}
}

func TestEndToEndIdempotencyKey(t *testing.T) {
	w := newWorld(t)
	s := w.s
	body := map[string]string{"name": "Dora"}
	key := []string{"Idempotency-Key", "enrol-dora-1"}
	first := s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: body, headers: key})
	mustStatus(t, "first", first, http.StatusCreated)
	again := s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: body, headers: key})
	mustStatus(t, "retry", again, http.StatusCreated)
	if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry answered %s, want the first answer replayed", again.Body)
	}
	other := s.do(req{method: "POST", path: "/v1/participants", token: w.counselorA.AccessToken, body: map[string]string{"name": "Erik"}, headers: key})
	if other.Status != http.StatusUnprocessableEntity || other.problemCode(t) != "idempotency.key_reused" {
		t.Errorf("same key, other body: %d %s", other.Status, other.Body)
	}
	// The same key from another caller is another request.
	mine := s.do(req{method: "POST", path: "/v1/participants", token: w.counselorB.AccessToken, body: body, headers: key})
	mustStatus(t, "other caller", mine, http.StatusCreated)
	r := s.do(req{method: "GET", path: "/v1/participants?limit=100", token: w.counselorA.AccessToken})
	if n := strings.Count(string(r.Body), `"Dora"`); n != 1 {
		t.Errorf("counselor A has %d Doras, want 1", n)
	}
}

func TestEndToEndLoginThrottleDoesNotRevealAccounts(t *testing.T) {
	w := newWorld(t)
	s := w.s
	for _, login := range []string{"bo@example.dk", "nobody@example.dk"} {
		for i := range 5 {
			r := s.do(req{method: "POST", path: "/v1/auth/login", body: map[string]string{"login": login, "password": "forkert kodeord"}})
			if r.Status != http.StatusUnauthorized || r.problemCode(t) != "auth.invalid_credentials" {
				t.Fatalf("%s attempt %d: %d %s", login, i, r.Status, r.Body)
			}
		}
		r := s.do(req{method: "POST", path: "/v1/auth/login", body: map[string]string{"login": login, "password": testPassword}})
		if r.Status != http.StatusTooManyRequests || r.problemCode(t) != "auth.too_many_attempts" || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s after 5 failures: %d %s (Retry-After %q)", login, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
}

func TestEndToEndDocsWorkOffline(t *testing.T) {
	s := startServer(t, adminEmail)
	r := s.do(req{method: "GET", path: "/docs/"})
	mustStatus(t, "docs page", r, http.StatusOK)
	page := string(r.Body)
	if !strings.Contains(page, "swagger-ui") || !strings.Contains(page, "/openapi.yaml") {
		t.Fatalf("docs page does not load the UI with the contract:\n%s", page)
	}
	// Every asset comes from this server, and the UI does not call the
	// public validator.
	for _, attr := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(attr[1], "/docs/") {
			t.Errorf("docs page loads %q: it would not work offline", attr[1])
		}
	}
	if !strings.Contains(page, "validatorUrl: null") {
		t.Error("docs page would call the public spec validator")
	}
	mustStatus(t, "docs asset", s.do(req{method: "GET", path: "/docs/swagger-ui-bundle.js"}), http.StatusOK)
	mustStatus(t, "contract", s.do(req{method: "GET", path: "/openapi.yaml"}), http.StatusOK)
}

// TestEndToEndSecurityHeaders checks the headers on the real server: a
// signed-in read is never stored, nothing is sniffed or framed, the docs
// page has its own policy and an unknown docs file is a problem.
func TestEndToEndSecurityHeaders(t *testing.T) {
	s := startServer(t, adminEmail)
	admin := s.login(adminEmail, testPassword)
	tests := []struct {
		name, path, token string
		status            int
		cacheControl      string
		cspPrefix         string
	}{
		{name: "signed-in read", path: "/v1/me", token: admin.AccessToken, status: 200, cacheControl: "no-store", cspPrefix: "default-src 'none'; frame-ancestors 'none'"},
		{name: "no token", path: "/v1/me", status: 401, cacheControl: "no-store", cspPrefix: "default-src 'none'; frame-ancestors 'none'"},
		{name: "docs page", path: "/docs/", status: 200, cacheControl: "no-store", cspPrefix: "default-src 'none'; script-src 'self' 'sha256-"},
		{name: "unknown docs file", path: "/docs/nope.js", status: 404, cacheControl: "no-store", cspPrefix: "default-src 'none'; frame-ancestors 'none'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do(req{method: "GET", path: tt.path, token: tt.token})
			mustStatus(t, tt.path, r, tt.status)
			if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			if got := r.Header.Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, tt.cacheControl)
			}
			if got := r.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, tt.cspPrefix) {
				t.Errorf("Content-Security-Policy %q, want it to start %q", got, tt.cspPrefix)
			}
			if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options %q, want DENY", got)
			}
			if tt.status >= 400 && r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", r.Header.Get("Content-Type"))
			}
		})
	}
}
