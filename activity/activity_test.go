package activity_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

func TestStatus(t *testing.T) {
	queued := models.Enrollment{State: models.EnrollQueued}
	tests := []struct {
		name     string
		e        models.Enrollment
		rank     int
		capacity int
		want     models.EnrollmentStatus
		wantPos  int
	}{
		{name: "first of 20", e: queued, rank: 0, capacity: 20, want: models.StatusConfirmed},
		{name: "last seat", e: queued, rank: 19, capacity: 20, want: models.StatusConfirmed},
		{name: "first on the waitlist", e: queued, rank: 20, capacity: 20, want: models.StatusWaitlisted, wantPos: 1},
		{name: "tenth on the waitlist", e: queued, rank: 29, capacity: 20, want: models.StatusWaitlisted, wantPos: 10},
		{name: "awaiting approval has no place", e: models.Enrollment{State: models.EnrollAwaitingApproval}, rank: 0, capacity: 20, want: models.StatusAwaitingApproval},
		{name: "declined", e: models.Enrollment{State: models.EnrollDeclined}, capacity: 20, want: models.StatusDeclined},
		{name: "cancelled", e: models.Enrollment{State: models.EnrollCancelled}, capacity: 20, want: models.StatusCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pos := activity.Status(tt.e, tt.rank, tt.capacity)
			if got != tt.want || pos != tt.wantPos {
				t.Errorf("Status(%s, rank %d, capacity %d) = %s, %d; want %s, %d", tt.e.State, tt.rank, tt.capacity, got, pos, tt.want, tt.wantPos)
			}
		})
	}
}

type clock = storetest.Clock

type fixture struct {
	svc    *activity.Service
	st     *store.Store
	clk    *clock
	coord  auth.Principal
	deptID string
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	dept := models.Department{ID: uuid.Must(uuid.NewV7()).String(), Name: "Herning", CreatedAt: t0}
	if err := st.InsertDepartment(context.Background(), dept); err != nil {
		t.Fatal(err)
	}
	return &fixture{
		svc: activity.New(st, availability.New(st, clk.Now, newID), clk.Now, newID),
		st:  st, clk: clk, deptID: dept.ID,
		coord: auth.Principal{UserID: "coordinator-1", Role: models.RoleCoordinator, DeptID: dept.ID},
	}
}

// create makes an activity starting in a week with one 2-hour session.
func (f *fixture) create(t *testing.T, capacity int, mutate func(*activity.Details)) activity.Detail {
	t.Helper()
	d := activity.Details{
		Kind: models.KindSport, Title: models.Text{Da: "Yoga"}, DepartmentID: f.deptID,
		Mode: models.ModeActivity, Capacity: capacity, CancelDeadlineHours: 24,
	}
	if mutate != nil {
		mutate(&d)
	}
	start := t0.Add(7 * 24 * time.Hour)
	a, err := f.svc.CreateActivity(context.Background(), f.coord, d, []activity.Times{{StartsAt: start, EndsAt: start.Add(2 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// user stores an account: a participant of participant(i)'s ID with the
// given counselor ("" for none), or a staff member.
func (f *fixture) user(t *testing.T, u models.User) {
	t.Helper()
	if u.Status == "" {
		u.Status = models.StatusActive
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = t0
	}
	if err := f.st.InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

func participant(i int) auth.Principal {
	return auth.Principal{UserID: fmt.Sprintf("participant-%04d", i), Role: models.RoleParticipant}
}

func (f *fixture) events(t *testing.T, recipient, typ string) int {
	t.Helper()
	items, _, err := f.st.Events(context.Background(), recipient, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range items {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestConcurrentSignUpsNeverOverbook(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, 20, nil)
	const n = 150
	views := make([]models.EnrollmentView, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, created, err := f.svc.SignUp(context.Background(), participant(i), a.ID, "")
			if err != nil || !created {
				t.Errorf("sign-up %d: created %v, %v", i, created, err)
			}
			views[i] = v
		}()
	}
	wg.Wait()
	confirmed, positions := 0, map[int]int{}
	for _, v := range views {
		switch v.Status {
		case models.StatusConfirmed:
			confirmed++
		case models.StatusWaitlisted:
			positions[v.WaitlistPosition]++
		}
	}
	if confirmed != 20 {
		t.Errorf("%d told confirmed, want 20", confirmed)
	}
	for pos := 1; pos <= n-20; pos++ {
		if positions[pos] != 1 {
			t.Errorf("waitlist position %d given %d times, want once", pos, positions[pos])
		}
	}
	r, err := f.svc.Roster(context.Background(), f.coord, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Confirmed) != 20 || len(r.Waitlist) != n-20 {
		t.Errorf("roster %d confirmed, %d waiting; want 20 and %d", len(r.Confirmed), len(r.Waitlist), n-20)
	}
}

func TestSignUpTwiceReturnsTheSameEnrollment(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, 5, nil)
	first, created, err := f.svc.SignUp(context.Background(), participant(1), a.ID, "")
	if err != nil || !created {
		t.Fatalf("first: %v, %v", created, err)
	}
	again, created, err := f.svc.SignUp(context.Background(), participant(1), a.ID, "")
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("again = %s (created %v, %v), want %s", again.ID, created, err, first.ID)
	}
}

func TestCancellationPromotesTheNextExactlyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 1, nil)
	var views []models.EnrollmentView
	for i := range 3 {
		v, _, err := f.svc.SignUp(ctx, participant(i), a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		views = append(views, v)
	}
	if views[1].Status != models.StatusWaitlisted || views[1].WaitlistPosition != 1 || views[2].WaitlistPosition != 2 {
		t.Fatalf("before: %+v", views)
	}
	if _, err := f.svc.Cancel(ctx, participant(0), views[0].ID); err != nil {
		t.Fatal(err)
	}
	mine, _, err := f.svc.EnrollmentsOf(ctx, participant(1), participant(1).UserID, models.Page{Limit: 10})
	if err != nil || len(mine) != 1 || mine[0].Status != models.StatusConfirmed {
		t.Fatalf("after the cancellation participant 1 has %+v, %v; want confirmed", mine, err)
	}
	// Settling again (another cancellation) must not repeat the news.
	if _, err := f.svc.Cancel(ctx, participant(2), views[2].ID); err != nil {
		t.Fatal(err)
	}
	if got := f.events(t, participant(1).UserID, "enrollment.promoted"); got != 1 {
		t.Errorf("participant 1 got %d promotion events, want 1", got)
	}
	if got := f.events(t, participant(2).UserID, "enrollment.promoted"); got != 0 {
		t.Errorf("participant 2 (cancelled while waiting) got %d promotion events, want 0", got)
	}
}

func TestApprovalJoinsTheQueueAtApprovalTime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 1, func(d *activity.Details) { d.Kind, d.RequiresApproval = models.KindCourse, true })
	for i := 1; i <= 2; i++ { // without a counselor: the coordinator decides
		f.user(t, models.User{ID: participant(i).UserID, Role: models.RoleParticipant, Name: fmt.Sprint("Deltager ", i), DepartmentID: f.deptID})
	}
	early, _, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil || early.Status != models.StatusAwaitingApproval {
		t.Fatalf("early: %+v, %v", early, err)
	}
	late, _, err := f.svc.SignUp(ctx, participant(2), a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := f.svc.Approve(ctx, f.coord, late.ID)
	if err != nil || v2.Status != models.StatusConfirmed {
		t.Fatalf("approve the later request: %+v, %v; want confirmed", v2, err)
	}
	v1, err := f.svc.Approve(ctx, f.coord, early.ID)
	if err != nil || v1.Status != models.StatusWaitlisted || v1.WaitlistPosition != 1 {
		t.Fatalf("approve the earlier request: %+v, %v; want waitlisted 1 (no bumping)", v1, err)
	}
	if _, err := f.svc.Approve(ctx, f.coord, early.ID); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("approving twice: %v, want Conflict", err)
	}
	// The old request ID still leads to the enrolment it became.
	c, err := f.svc.Cancel(ctx, participant(1), early.ID)
	if err != nil || c.Status != models.StatusCancelled || c.ID != v1.ID {
		t.Errorf("cancel by request ID: %+v, %v", c, err)
	}
}

func TestDeclineWithReason(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 5, func(d *activity.Details) { d.RequiresApproval = true })
	f.user(t, models.User{ID: participant(1).UserID, Role: models.RoleParticipant, Name: "Deltager 1", DepartmentID: f.deptID})
	req, _, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Decline(ctx, f.coord, req.ID, "Næste hold passer bedre til dig")
	if err != nil || v.Status != models.StatusDeclined || v.DecisionReason == "" {
		t.Fatalf("decline: %+v, %v", v, err)
	}
	if got := f.events(t, participant(1).UserID, "enrollment.declined"); got != 1 {
		t.Errorf("%d declined events, want 1", got)
	}
	// After a decline the participant may ask again.
	again, created, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil || !created || again.Status != models.StatusAwaitingApproval {
		t.Errorf("ask again: %+v, %v, %v", again, created, err)
	}
}

func TestLoweringCapacityNeedsConsent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 3, nil)
	for i := range 3 {
		if _, _, err := f.svc.SignUp(ctx, participant(i), a.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	d := activity.Details{Kind: a.Kind, Title: a.Title, DepartmentID: a.DepartmentID, Mode: a.Mode, Capacity: 1, CancelDeadlineHours: 24}
	if _, err := f.svc.UpdateActivity(ctx, f.coord, a.ID, d, false); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("lower without consent: %v, want Conflict", err)
	}
	if _, err := f.svc.UpdateActivity(ctx, f.coord, a.ID, d, true); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Roster(ctx, f.coord, a.ID, "")
	if err != nil || len(r.Confirmed) != 1 || len(r.Waitlist) != 2 {
		t.Fatalf("roster after lowering: %+v, %v", r, err)
	}
	if got := f.events(t, participant(2).UserID, "enrollment.demoted"); got != 1 {
		t.Errorf("last confirmed got %d demotion events, want 1", got)
	}
	// Raising it again promotes both and tells them once each.
	d.Capacity = 3
	if _, err := f.svc.UpdateActivity(ctx, f.coord, a.ID, d, false); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2} {
		if got := f.events(t, participant(i).UserID, "enrollment.promoted"); got != 1 {
			t.Errorf("participant %d got %d promotion events, want 1", i, got)
		}
	}
}

func TestSignUpRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens := t0.Add(time.Hour)
	closes := t0.Add(2 * time.Hour)
	windowed := f.create(t, 5, func(d *activity.Details) { d.SignupOpensAt, d.SignupClosesAt = &opens, &closes })
	cancelled := f.create(t, 5, nil)
	if _, err := f.svc.CancelActivity(ctx, f.coord, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		at       time.Time
		activity string
		code     string
	}{
		{name: "before the window", at: t0, activity: windowed.ID, code: "signup.not_open"},
		{name: "after the window", at: closes, activity: windowed.ID, code: "signup.closed"},
		{name: "cancelled activity", at: t0, activity: cancelled.ID, code: "activity.cancelled"},
		{name: "already started", at: t0.Add(7*24*time.Hour + time.Minute), activity: cancelled.ID, code: "activity.cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clk.Set(tt.at)
			_, _, err := f.svc.SignUp(ctx, participant(1), tt.activity, "")
			var ae *apperr.Error
			if !asError(err, &ae) || ae.Code != tt.code {
				t.Errorf("SignUp = %v, want code %s", err, tt.code)
			}
		})
	}
	f.clk.Set(opens)
	if _, _, err := f.svc.SignUp(ctx, participant(1), windowed.ID, ""); err != nil {
		t.Errorf("inside the window: %v", err)
	}
}

func TestLateCancellationIsAllowedAndMarked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 5, nil) // starts at t0 + 7 days, deadline 24 h before
	early, _, _ := f.svc.SignUp(ctx, participant(1), a.ID, "")
	late, _, _ := f.svc.SignUp(ctx, participant(2), a.ID, "")
	v, err := f.svc.Cancel(ctx, participant(1), early.ID)
	if err != nil || v.LateCancel {
		t.Errorf("early cancel: %+v, %v; want not late", v, err)
	}
	f.clk.Set(t0.Add(6*24*time.Hour + time.Hour))
	v, err = f.svc.Cancel(ctx, participant(2), late.ID)
	if err != nil || !v.LateCancel {
		t.Errorf("late cancel: %+v, %v; want marked late", v, err)
	}
	// Someone else's enrolment is not theirs to cancel, nor to see.
	if _, err := f.svc.Cancel(ctx, participant(3), early.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("cancel another's: %v, want NotFound", err)
	}
}

func TestCatalogueSeatsAndFreeSeatsFilter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	full := f.create(t, 1, nil)
	open := f.create(t, 3, nil)
	dropIn := f.create(t, 1, func(d *activity.Details) { d.Mode = models.ModeSession })
	for _, id := range []string{full.ID, open.ID} {
		if _, _, err := f.svc.SignUp(ctx, participant(1), id, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.svc.SignUp(ctx, participant(1), dropIn.ID, dropIn.Sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	all, _, err := f.svc.Activities(ctx, participant(2), activity.Filter{}, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	seats := map[string]string{}
	for _, a := range all {
		seats[a.ID] = "-"
		if a.SeatsLeft != nil {
			seats[a.ID] = fmt.Sprint(*a.SeatsLeft)
		}
	}
	want := map[string]string{full.ID: "0", open.ID: "2", dropIn.ID: "-"}
	if fmt.Sprint(seats) != fmt.Sprint(want) {
		t.Errorf("seats left = %v, want %v", seats, want)
	}
	free, _, err := f.svc.Activities(ctx, participant(2), activity.Filter{FreeSeats: true}, models.Page{Limit: 10})
	if err != nil || len(free) != 1 || free[0].ID != open.ID {
		t.Errorf("free seats filter = %+v, %v; want only %s", free, err, open.ID)
	}
	d, err := f.svc.Activity(ctx, participant(2), dropIn.ID)
	if err != nil || *d.Sessions[0].SeatsLeft != 0 {
		t.Errorf("drop-in session seats = %+v, %v; want 0", d.Sessions, err)
	}
}

func TestRepeatedSignUpAfterTheWindowReturnsTheEnrollment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	closes := t0.Add(time.Hour)
	a := f.create(t, 5, func(d *activity.Details) { d.SignupClosesAt = &closes })
	first, _, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(closes.Add(time.Minute))
	again, created, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil || created || again.ID != first.ID {
		t.Errorf("repeat after close = %s (created %v, %v), want %s", again.ID, created, err, first.ID)
	}
	_, _, err = f.svc.SignUp(ctx, participant(2), a.ID, "")
	if !apperr.Is(err, apperr.RuleViolation) {
		t.Errorf("new sign-up after close: %v, want RuleViolation", err)
	}
}

func TestReleaseSeatsOfALeaverFreesEvenACourseUnderWay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	course := f.create(t, 1, nil) // starts at t0 + 7 days
	later := f.create(t, 1, nil)
	seat, _, _ := f.svc.SignUp(ctx, participant(1), course.ID, "")
	waiting, _, _ := f.svc.SignUp(ctx, participant(2), course.ID, "")
	other, _, _ := f.svc.SignUp(ctx, participant(1), later.ID, "")
	f.clk.Set(t0.Add(8 * 24 * time.Hour)) // the course is under way: an ordinary cancel is refused
	if _, err := f.svc.Cancel(ctx, participant(1), seat.ID); !apperr.Is(err, apperr.RuleViolation) {
		t.Fatalf("ordinary cancel after the start: %v, want RuleViolation", err)
	}
	if err := f.svc.ReleaseSeatsOf(ctx, participant(1).UserID, "counselor-1"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{seat.ID, other.ID} {
		e, err := f.st.Enrollment(ctx, id)
		if err != nil || e.State != models.EnrollCancelled {
			t.Errorf("the leaver's enrolment %s: %+v, %v; want cancelled", id, e, err)
		}
	}
	_, confirmed, err := f.svc.Confirmed(ctx, course.Sessions[0].Session)
	if err != nil || len(confirmed) != 1 || confirmed[0] != participant(2).UserID {
		t.Errorf("confirmed after release = %v, %v; want the one who waited (%s)", confirmed, err, waiting.ID)
	}
}
