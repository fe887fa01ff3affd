package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store/storetest"
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// race runs f from n goroutines at once and returns how many returned nil
// and the first unexpected error kind (anything but Conflict).
func race(t *testing.T, n int, f func(i int) error) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := f(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case !apperr.Is(err, apperr.Conflict):
				t.Errorf("goroutine %d: %v, want nil or Conflict", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok
}

func TestClaimLoginIsExclusiveUnderRace(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	got := race(t, 20, func(i int) error { return s.ClaimLogin(ctx, "anna@example.dk", fmt.Sprint("user-", i)) })
	if got != 1 {
		t.Fatalf("%d claims of one login succeeded, want 1", got)
	}
	// The owner may claim again (a password reset with the same login).
	u, err := s.UserByLogin(ctx, "anna@example.dk")
	if !apperr.Is(err, apperr.NotFound) { // the claim exists but no user document yet
		t.Fatalf("UserByLogin = %+v, %v; want NotFound before the user exists", u, err)
	}
}

func TestClaimLoginAgainByOwner(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	if err := s.ClaimLogin(ctx, "+4520000001", "u1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimLogin(ctx, "+4520000001", "u1"); err != nil {
		t.Errorf("owner re-claim: %v, want nil", err)
	}
	if err := s.ClaimLogin(ctx, "+4520000001", "u2"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("other claim: %v, want Conflict", err)
	}
	if err := s.ReleaseLogin(ctx, "+4520000001", "u2"); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimLogin(ctx, "+4520000001", "u2"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("release by a non-owner freed the login: %v", err)
	}
}

func TestRefreshTokenIsSpentOnceUnderRace(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	got := race(t, 20, func(int) error { return s.SpendRefreshToken(ctx, "hash-1", t0) })
	if got != 1 {
		t.Fatalf("%d spends succeeded, want 1", got)
	}
}

func TestActivationCodeIsUsedOnceUnderRace(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	got := race(t, 20, func(int) error { return s.MarkActivationUsed(ctx, "code-1", t0) })
	if got != 1 {
		t.Fatalf("%d uses succeeded, want 1", got)
	}
	if err := s.UnmarkActivationUsed(ctx, "code-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkActivationUsed(ctx, "code-1", t0); err != nil {
		t.Errorf("after unmark: %v, want nil", err)
	}
}

func TestRecordEventDedupes(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := models.Event{ID: newID(), DedupeKey: "promoted:e1", Type: "waitlist.promoted", RecipientID: "p1", CreatedAt: t0, DueAt: t0}
			if err := s.RecordEvent(ctx, e); err != nil {
				t.Errorf("RecordEvent: %v", err)
			}
		}()
	}
	wg.Wait()
	events, _, err := s.Events(ctx, "p1", models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].State != models.EventPending {
		t.Fatalf("events = %+v, want one pending", events)
	}
	if err := s.RecordEvent(ctx, models.Event{ID: newID(), Type: "x", RecipientID: "p1"}); err == nil {
		t.Error("event without dedupe key was accepted")
	}
}

func TestUsersPagesWithoutOverlap(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	want := map[string]bool{}
	for i := range 25 {
		u := models.User{ID: newID(), Role: models.RoleParticipant, Name: fmt.Sprint("P", i), CounselorID: "c1", Status: models.StatusInvited, CreatedAt: t0}
		if err := s.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		want[u.ID] = true
	}
	// A user of another counselor must not appear.
	if err := s.InsertUser(ctx, models.User{ID: newID(), Role: models.RoleParticipant, CounselorID: "c2", Status: models.StatusInvited}); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	seen := map[string]bool{}
	p := models.Page{Limit: 10}
	for {
		items, next, err := s.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleParticipant}, CounselorID: "c1"}, p)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(items))
		for _, u := range items {
			if seen[u.ID] || !want[u.ID] {
				t.Fatalf("page returned %s twice or from the wrong counselor", u.ID)
			}
			seen[u.ID] = true
		}
		if next == "" {
			break
		}
		p.After = next
	}
	if fmt.Sprint(sizes) != "[10 10 5]" || len(seen) != 25 {
		t.Errorf("page sizes %v, seen %d; want [10 10 5] and 25", sizes, len(seen))
	}
}

func TestDepartmentNamesAreUniqueIgnoringCase(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	if err := s.InsertDepartment(ctx, models.Department{ID: newID(), Name: "Aarhus", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	err := s.InsertDepartment(ctx, models.Department{ID: newID(), Name: " aarhus ", CreatedAt: t0})
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second Aarhus: %v, want Conflict", err)
	}
}

func TestIdempotencyClaimReturnsEarlierRecord(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	r := models.IdempotencyRecord{ID: "k1", RequestHash: "h1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if prev, err := s.BeginIdempotent(ctx, r); err != nil || prev != nil {
		t.Fatalf("first claim = %v, %v; want nil, nil", prev, err)
	}
	prev, err := s.BeginIdempotent(ctx, r)
	if err != nil || prev == nil || prev.Done {
		t.Fatalf("second claim = %+v, %v; want the unfinished record", prev, err)
	}
	if err := s.CompleteIdempotent(ctx, "k1", 201, "application/json", []byte(`{"id":"x"}`)); err != nil {
		t.Fatal(err)
	}
	prev, err = s.BeginIdempotent(ctx, r)
	if err != nil || prev == nil || !prev.Done || prev.Status != 201 || string(prev.Body) != `{"id":"x"}` {
		t.Fatalf("after completion = %+v, %v", prev, err)
	}
	if err := s.AbortIdempotent(ctx, r); err != nil {
		t.Fatal(err)
	}
	if prev, _ := s.BeginIdempotent(ctx, r); prev == nil {
		t.Error("abort removed a completed record")
	}
}

// A failed request's claim is released (a late release, once the database
// is back, included), but a release never frees a later claim of the key.
func TestIdempotencyAbortReleasesOnlyItsOwnClaim(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	// Finer than the milliseconds a date is stored with.
	first := models.IdempotencyRecord{ID: "k2", RequestHash: "h", CreatedAt: t0.Add(1500 * time.Microsecond), ExpiresAt: t0.Add(time.Hour)}
	later := first
	later.CreatedAt = t0.Add(time.Minute)
	claim := func(r models.IdempotencyRecord) bool {
		t.Helper()
		prev, err := s.BeginIdempotent(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return prev == nil
	}
	abort := func(r models.IdempotencyRecord) {
		t.Helper()
		if err := s.AbortIdempotent(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if !claim(first) {
		t.Fatal("the first claim was refused")
	}
	abort(first)
	if !claim(later) {
		t.Fatal("the key is still claimed after its claim was released")
	}
	abort(first) // a late repeat of the first release
	if claim(later) {
		t.Fatal("releasing the first claim again freed the later one")
	}
	abort(later)
	if !claim(later) {
		t.Error("the later claim was not released")
	}
}

func TestSweepDeletesOnlyExpired(t *testing.T) {
	now := t0
	s := storetest.Store(t, func() time.Time { return now })
	ctx := context.Background()
	for _, tok := range []models.RefreshToken{
		{ID: "old", FamilyID: "f", UserID: "u", CreatedAt: t0.Add(-61 * 24 * time.Hour), ExpiresAt: t0.Add(-time.Hour)},
		{ID: "live", FamilyID: "f", UserID: "u", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
	} {
		if err := s.InsertRefreshToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordAuthFailure(ctx, newID(), "k", t0.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAuthFailure(ctx, newID(), "k", t0.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshToken(ctx, "old"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("expired token still there: %v", err)
	}
	if _, err := s.RefreshToken(ctx, "live"); err != nil {
		t.Errorf("live token swept: %v", err)
	}
	n, err := s.CountAuthFailures(ctx, "k", t0.Add(-48*time.Hour))
	if err != nil || n != 1 {
		t.Errorf("failures after sweep = %d, %v; want 1", n, err)
	}
}
