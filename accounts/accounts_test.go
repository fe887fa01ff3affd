package accounts_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

const pw = "en lang og rolig sætning"

// clock is a settable test clock, safe for concurrent use.
type clock = storetest.Clock

// fixture is a service on a real database with an admin, a department and
// a counselor.
type fixture struct {
	svc       *accounts.Service
	st        *store.Store
	clk       *clock
	admin     auth.Principal
	counselor auth.Principal
	deptID    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	st := storetest.Store(t, clk.Now)
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Keys: auth.NewKeySet(key), Issuer: "i", Audience: "a", TTL: 10 * time.Minute, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	svc := accounts.New(st, tokens, accounts.DefaultLimits, clk.Now, func() string { return uuid.Must(uuid.NewV7()).String() })
	ctx := context.Background()
	admin, err := svc.CreateAdmin(ctx, "Admin", "admin@example.dk", pw)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, st: st, clk: clk, admin: auth.Principal{UserID: admin.ID, Role: models.RoleAdmin}}
	d, err := svc.CreateDepartment(ctx, f.admin, "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	f.deptID = d.ID
	c, code, err := svc.CreateStaff(ctx, f.admin, accounts.NewStaff{Role: models.RoleCounselor, Name: "Mette", Email: "mette@example.dk", DepartmentID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Activate(ctx, accounts.Activation{Code: code.Code, Login: "mette@example.dk", Password: pw}, "test"); err != nil {
		t.Fatal(err)
	}
	f.counselor = auth.Principal{UserID: c.ID, Role: models.RoleCounselor, DeptID: d.ID}
	return f
}

func (f *fixture) enrol(t *testing.T, name string) (models.User, models.IssuedCode) {
	t.Helper()
	u, code, err := f.svc.Enroll(context.Background(), f.counselor, accounts.NewParticipant{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return u, code
}

func wantKind(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("%s: %v, want kind %s", what, err, k)
	}
}

func TestActivationCodeExpiresAfter14Days(t *testing.T) {
	f := newFixture(t)
	_, code := f.enrol(t, "Anna")
	if want := f.clk.Now().Add(14 * 24 * time.Hour); !code.ExpiresAt.Equal(want) {
		t.Errorf("code expires %v, want %v", code.ExpiresAt, want)
	}
	f.clk.Add(14*24*time.Hour + time.Second)
	_, err := f.svc.Activate(context.Background(), accounts.Activation{Code: code.Code, Login: "anna@example.dk", Password: pw}, "c")
	wantKind(t, "expired code", err, apperr.NotFound)
}

func TestReissuedCodeReplacesTheOldOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, old := f.enrol(t, "Anna")
	fresh, err := f.svc.ReissueCode(ctx, f.counselor, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Activate(ctx, accounts.Activation{Code: old.Code, Login: "anna@example.dk", Password: pw}, "c")
	wantKind(t, "old code", err, apperr.NotFound)
	if _, err := f.svc.Activate(ctx, accounts.Activation{Code: fresh.Code, Login: "anna@example.dk", Password: pw}, "c"); err != nil {
		t.Fatalf("fresh code: %v", err)
	}
}

func TestOneCodeActivatesOnceUnderRace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, code := f.enrol(t, "Anna")
	const n = 8
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = f.svc.Activate(ctx, accounts.Activation{Code: code.Code, Login: fmt.Sprintf("anna%d@example.dk", i), Password: pw}, "c")
		}()
	}
	wg.Wait()
	wins := 0
	for i, err := range results {
		switch {
		case err == nil:
			wins++
		case !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound):
			t.Errorf("activation %d: %v, want Conflict or NotFound", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d activations succeeded with one code, want 1", wins)
	}
	got, err := f.st.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Only the winner's login was claimed: the others can still be used.
	for i := range n {
		login := fmt.Sprintf("anna%d@example.dk", i)
		owner, err := f.st.UserByLogin(ctx, login)
		if login == got.Login {
			if err != nil || owner.ID != u.ID {
				t.Errorf("winner's login %s not owned: %v", login, err)
			}
			continue
		}
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("loser's login %s is claimed (%v)", login, err)
		}
	}
}

func TestConcurrentRefreshOfOneTokenEndsTheSession(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.svc.Login(ctx, "mette@example.dk", pw, "c")
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	got := make([]accounts.Session, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], errs[i] = f.svc.Refresh(ctx, s.RefreshToken) }()
	}
	wg.Wait()
	var winner accounts.Session
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			winner = got[i]
			continue
		}
		wantKind(t, "losing refresh", err, apperr.Unauthenticated)
	}
	if wins != 1 {
		t.Fatalf("%d refreshes of one token succeeded, want 1", wins)
	}
	// The others presented a spent token: the session is revoked, so the
	// winner's new token no longer works either.
	_, err = f.svc.Refresh(ctx, winner.RefreshToken)
	wantKind(t, "refresh after reuse", err, apperr.Unauthenticated)
}

func TestRefreshLifetimeSlides(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.svc.Login(ctx, "mette@example.dk", pw, "c")
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Add(59 * 24 * time.Hour)
	s, err = f.svc.Refresh(ctx, s.RefreshToken)
	if err != nil {
		t.Fatalf("refresh on day 59: %v", err)
	}
	f.clk.Add(59 * 24 * time.Hour) // day 118: within 60 days of the last refresh
	if s, err = f.svc.Refresh(ctx, s.RefreshToken); err != nil {
		t.Fatalf("refresh 59 days after the last: %v", err)
	}
	f.clk.Add(60*24*time.Hour + time.Second)
	_, err = f.svc.Refresh(ctx, s.RefreshToken)
	wantKind(t, "refresh after 60 idle days", err, apperr.Unauthenticated)
}

func TestLoginThrottleLiftsAfterTheWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range accounts.DefaultLimits.MaxLoginFailures {
		_, err := f.svc.Login(ctx, "Mette@Example.dk", "forkert kodeord", "c")
		wantKind(t, "wrong password", err, apperr.Unauthenticated)
	}
	_, err := f.svc.Login(ctx, "mette@example.dk", pw, "c")
	wantKind(t, "right password while throttled", err, apperr.TooManyRequests)
	f.clk.Add(accounts.DefaultLimits.ThrottleWindow + time.Second)
	if _, err := f.svc.Login(ctx, "mette@example.dk", pw, "c"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestInvitedAccountCannotLogIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, code := f.enrol(t, "Anna")
	if _, err := f.svc.Activate(ctx, accounts.Activation{Code: code.Code, Login: "anna@example.dk", Password: pw}, "c"); err != nil {
		t.Fatal(err)
	}
	// An invited staff account has no login yet; a participant with a login
	// logs in; nobody logs in with an empty password.
	_, err := f.svc.Login(ctx, "anna@example.dk", "", "c")
	wantKind(t, "empty password", err, apperr.Unauthenticated)
	s, err := f.svc.Login(ctx, "anna@example.dk", pw, "c")
	if err != nil || s.User.ID != u.ID {
		t.Fatalf("login = %+v, %v", s.User, err)
	}
}

func TestReassignRecordsOneEventPerSide(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, _ := f.enrol(t, "Anna")
	other, _, err := f.svc.CreateStaff(ctx, f.admin, accounts.NewStaff{Role: models.RoleCounselor, Name: "Jonas", Email: "jonas@example.dk", DepartmentID: f.deptID})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second call is a no-op: already assigned
		if _, err := f.svc.Reassign(ctx, f.counselor, u.ID, other.ID); err != nil && !apperr.Is(err, apperr.Forbidden) {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		recipient, eventType string
	}{
		{recipient: u.ID, eventType: "participant.counselor_changed"},
		{recipient: other.ID, eventType: "counselor.participant_assigned"},
	} {
		events, _, err := f.st.Events(ctx, tt.recipient, models.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Type != tt.eventType {
			t.Errorf("events for %s = %+v, want one %s", tt.eventType, events, tt.eventType)
		}
	}
	// The former counselor no longer has access.
	_, err = f.svc.Participant(ctx, f.counselor, u.ID)
	wantKind(t, "former counselor reads", err, apperr.Forbidden)
}

func TestEnrollReportsEveryBadField(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.svc.Enroll(context.Background(), f.admin, accounts.NewParticipant{Name: " ", Phone: "123", Email: "anna@"})
	var ae *apperr.Error
	if !errorsAs(err, &ae) || ae.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want Invalid", err)
	}
	got := map[string]string{}
	for _, fe := range ae.Fields {
		got[fe.Field] = fe.Code
	}
	want := map[string]string{"name": "field.required", "departmentId": "field.required", "counselorId": "field.required", "phone": "phone.invalid", "email": "email.invalid"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
}

func TestParallelGuessesAreThrottledToo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	kinds := make([]apperr.Kind, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Login(ctx, "mette@example.dk", fmt.Sprintf("gæt nummer %d her", i), "c")
			kinds[i] = apperr.KindOf(err)
		}()
	}
	wg.Wait()
	checked := 0
	for _, k := range kinds {
		if k == apperr.Unauthenticated {
			checked++
		}
	}
	if checked > accounts.DefaultLimits.MaxLoginFailures {
		t.Errorf("%d of %d parallel guesses were checked, want at most %d", checked, n, accounts.DefaultLimits.MaxLoginFailures)
	}
	_, err := f.svc.Login(ctx, "mette@example.dk", pw, "c")
	wantKind(t, "right password after the burst", err, apperr.TooManyRequests)
}

func TestSuccessfulLoginsDoNotCountAsFailures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range accounts.DefaultLimits.MaxLoginFailures + 3 {
		if _, err := f.svc.Login(ctx, "mette@example.dk", pw, "c"); err != nil {
			t.Fatalf("login: %v", err)
		}
	}
}

// A session that a login started while the participant was leaving (after
// the withdrawal listed the sessions to end) ends at its first refresh, and
// the password no longer logs in.
func TestASessionRacingALeavingEndsAtItsFirstRefresh(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.svc.Login(ctx, "mette@example.dk", pw, "c")
	if err != nil {
		t.Fatal(err)
	}
	at := f.clk.Now()
	if err := f.st.SetWithdrawn(ctx, s.User.ID, &at); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Refresh(ctx, s.RefreshToken)
	wantKind(t, "refresh after leaving", err, apperr.Unauthenticated)
	_, err = f.svc.Login(ctx, "mette@example.dk", pw, "c")
	wantKind(t, "login after leaving", err, apperr.Forbidden)
}

// An admin sets which further departments a coordinator serves; their own
// always counts, unknown departments are named, and only coordinators have
// such a list.
func TestSetServedDepartments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	herning, err := f.svc.CreateDepartment(ctx, f.admin, "Herning")
	if err != nil {
		t.Fatal(err)
	}
	coord, _, err := f.svc.CreateStaff(ctx, f.admin, accounts.NewStaff{Role: models.RoleCoordinator, Name: "Sofie", Email: "sofie@example.dk", DepartmentID: f.deptID})
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.svc.SetServedDepartments(ctx, f.admin, coord.ID, []string{herning.ID, f.deptID, herning.ID})
	if err != nil || !slices.Equal(u.ServesDepartmentIDs, []string{herning.ID}) {
		t.Fatalf("SetServedDepartments() = %v, %v; want [Herning] (own department and repeats left out)", u.ServesDepartmentIDs, err)
	}
	stored, err := f.st.User(ctx, coord.ID)
	if err != nil || !slices.Equal(stored.ServesDepartmentIDs, []string{herning.ID}) {
		t.Fatalf("stored = %v, %v", stored.ServesDepartmentIDs, err)
	}
	_, err = f.svc.SetServedDepartments(ctx, f.admin, coord.ID, []string{herning.ID, "nowhere"})
	var ae *apperr.Error
	if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Field != "departmentIds[1]" || ae.Fields[0].Code != "department.not_found" {
		t.Errorf("an unknown department: %v", err)
	}
	if _, err := f.svc.SetServedDepartments(ctx, f.counselor, coord.ID, nil); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a counselor sets it: %v, want Forbidden", err)
	}
	if _, err := f.svc.SetServedDepartments(ctx, f.admin, f.counselor.UserID, nil); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("for a counselor: %v, want NotFound", err)
	}
	u, err = f.svc.SetServedDepartments(ctx, f.admin, coord.ID, []string{})
	if err != nil || len(u.ServesDepartmentIDs) != 0 {
		t.Errorf("an empty list: %v, %v; want their own department only", u.ServesDepartmentIDs, err)
	}
}
