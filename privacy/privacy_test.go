package privacy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// Monday 2 March 2026, 10:00 in Copenhagen.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

type fixture struct {
	svc       *privacy.Service
	st        *store.Store
	clk       *storetest.Clock
	p1        auth.Principal
	counselor auth.Principal
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	f := &fixture{
		svc: privacy.New(st, nil, privacy.Config{Retention: 30 * 24 * time.Hour}, clk.Now, newID), st: st, clk: clk,
		p1:        auth.Principal{UserID: "p1", Role: models.RoleParticipant},
		counselor: auth.Principal{UserID: "c1", Role: models.RoleCounselor},
	}
	ctx := context.Background()
	for _, u := range []models.User{
		{ID: "c1", Role: models.RoleCounselor, Name: "Anne", DepartmentID: "d1", CreatedAt: t0},
		{ID: "p1", Role: models.RoleParticipant, Name: "Mette", DepartmentID: "d1", CounselorID: "c1", CreatedAt: t0.AddDate(-1, 0, 0)},
	} {
		if err := st.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []models.Employment{
		{ID: "e1", ParticipantID: "p1", Company: models.Company{Name: "Netto"}, Type: models.EmploymentOrdinary, StartDate: "2025-06-01", CreatedAt: t0},
		{ID: "e2", ParticipantID: "p1", Company: models.Company{Name: "Føtex"}, Type: models.EmploymentInternship, StartDate: "2026-05-01", CreatedAt: t0},
	} {
		if err := st.InsertEmployment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) leave(t *testing.T) privacy.WithdrawalView {
	t.Helper()
	v, err := f.svc.Withdraw(context.Background(), f.counselor, "p1", models.LeaveFlexjob)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f *fixture) eraseAt(t *testing.T, at time.Time) int {
	t.Helper()
	f.clk.Set(at)
	n, err := f.svc.EraseDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestErasureWaitsForTheRetentionPeriodAndItsMargin(t *testing.T) {
	f := newFixture(t)
	w := f.leave(t)
	if want := t0.Add(30 * 24 * time.Hour); !w.EraseAfter.Equal(want) {
		t.Fatalf("eraseAfter %v, want %v", w.EraseAfter, want)
	}
	if n := f.eraseAt(t, w.EraseAfter.Add(5*time.Minute)); n != 0 {
		t.Fatalf("erased %d within the margin", n)
	}
	// An undo at the last moment is refused once the period has ended.
	err := f.svc.UndoWithdrawal(context.Background(), f.counselor, "p1")
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("undo after the period: %v, want Conflict withdrawal.erasure_due", err)
	}
	if n := f.eraseAt(t, w.EraseAfter.Add(11*time.Minute)); n != 1 {
		t.Fatalf("erased %d after the margin, want 1", n)
	}
	if _, err := f.st.User(context.Background(), "p1"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the account after erasure: %v", err)
	}
	if n := f.eraseAt(t, w.EraseAfter.Add(48*time.Hour)); n != 0 {
		t.Errorf("a second run erased %d", n)
	}
}

func TestLeaverRecordKeepsTheCourseOnlyWithStatisticsConsent(t *testing.T) {
	for _, consented := range []bool{false, true} {
		f := newFixture(t)
		ctx := context.Background()
		if consented {
			in := privacy.ConsentInput{Purpose: models.ConsentStatistics, Given: true, TextVersion: privacy.TextVersions[models.ConsentStatistics]}
			if _, err := f.svc.SetConsent(ctx, f.p1, "p1", in); err != nil {
				t.Fatal(err)
			}
		}
		w := f.leave(t)
		f.eraseAt(t, w.EraseAfter.Add(time.Hour))
		leavers, err := f.st.Leavers(ctx)
		if err != nil || len(leavers) != 1 {
			t.Fatalf("leavers %+v, %v", leavers, err)
		}
		l := leavers[0]
		if l.DepartmentID != "d1" || l.Reason != models.LeaveFlexjob || l.LeftYear != 2026 || l.Consented != consented {
			t.Errorf("consented=%v: leaver %+v", consented, l)
		}
		if !consented && (l.StartedOn != "" || l.LeftOn != "" || len(l.Employments) != 0) {
			t.Errorf("without consent the record holds the course: %+v", l)
		}
		// With consent: the job that began before leaving, ending at the
		// leaving date; the internship planned for later is not there.
		want := []models.EmploymentOutcome{{Type: models.EmploymentOrdinary, StartDate: "2025-06-01", EndDate: "2026-03-02"}}
		if consented && (l.StartedOn != "2025-03-02" || l.LeftOn != "2026-03-02" || len(l.Employments) != 1 || l.Employments[0] != want[0]) {
			t.Errorf("with consent: %+v, want started 2025-03-02, left 2026-03-02, employments %+v", l, want)
		}
	}
}

func TestConsentNeedsTheTextShownAndAReasonFromStaff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.SetConsent(ctx, f.p1, "p1", privacy.ConsentInput{Purpose: models.ConsentPush, Given: true, TextVersion: "old"})
	if !apperr.Is(err, apperr.Conflict) {
		t.Errorf("an old text: %v, want Conflict", err)
	}
	_, err = f.svc.SetConsent(ctx, f.counselor, "p1", privacy.ConsentInput{Purpose: models.ConsentEmployerContact, Given: true, EmploymentID: "e1"})
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("staff without a reason: %v, want Invalid", err)
	}
	v, err := f.svc.SetConsent(ctx, f.counselor, "p1", privacy.ConsentInput{Purpose: models.ConsentEmployerContact, Given: true, EmploymentID: "e1", Reason: "Aftalt i telefonen"})
	if err != nil || v.State != privacy.StateGiven || v.Company != "Netto" || v.ByRole != models.RoleCounselor {
		t.Errorf("employer contact by the counselor: %+v, %v", v, err)
	}
	// The participant is told that staff recorded it; their own answers
	// make no event.
	events, err := f.st.PendingEvents(ctx, 10)
	if err != nil || len(events) != 1 || events[0].Type != privacy.EventConsentRecorded || events[0].RecipientID != "p1" || events[0].Params["senderId"] != "c1" {
		t.Errorf("events after the counselor recorded a consent: %+v, %v", events, err)
	}
	_, err = f.svc.SetConsent(ctx, f.p1, "p1", privacy.ConsentInput{Purpose: models.ConsentEmployerContact, Given: true, EmploymentID: "nope"})
	if !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another's employment: %v, want NotFound", err)
	}
	list, err := f.svc.Consents(ctx, f.p1, "p1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range list {
		got = append(got, string(c.Purpose)+"/"+c.EmploymentID+"/"+c.State)
	}
	want := "[terms//not_asked push//not_asked statistics//not_asked employer_contact/e2/not_asked employer_contact/e1/given]" // employments newest start first
	if s := fmt.Sprint(got); s != want {
		t.Errorf("consents %s, want %s", s, want)
	}
}

// failingErase is the store with erasure failing for one participant.
type failingErase struct {
	*store.Store
	id string
}

func (f failingErase) EraseParticipant(ctx context.Context, id string) error {
	if id == f.id {
		return errors.New("disk full")
	}
	return f.Store.EraseParticipant(ctx, id)
}

func TestOneFailingErasureDoesNotHoldUpTheOthers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.InsertUser(ctx, models.User{ID: "p2", Role: models.RoleParticipant, Name: "Bo", DepartmentID: "d1", CounselorID: "c1", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	svc := privacy.New(failingErase{f.st, "p1"}, nil, privacy.Config{Retention: time.Hour}, f.clk.Now, newID)
	for _, id := range []string{"p1", "p2"} { // p1 first: the oldest due comes first
		if _, err := svc.Withdraw(ctx, f.counselor, id, models.LeavePoorMatch); err != nil {
			t.Fatal(err)
		}
		f.clk.Add(time.Minute)
	}
	f.clk.Add(2 * time.Hour)
	n, err := svc.EraseDue(ctx)
	if n != 1 || err == nil || strings.Contains(err.Error(), "p1") {
		t.Fatalf("EraseDue = %d, %v; want 1 erased and the failure reported without the ID", n, err)
	}
	if _, err := f.st.User(ctx, "p2"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("p2 after the run: %v, want erased", err)
	}
	if _, err := f.st.Withdrawal(ctx, "p1"); err != nil {
		t.Errorf("p1's withdrawal must stay for the next run: %v", err)
	}
}

func TestUndoFinishesAHalfDoneUndoAndGivingConsentAfterLeavingIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.leave(t)
	in := privacy.ConsentInput{Purpose: models.ConsentStatistics, Given: true, TextVersion: privacy.TextVersions[models.ConsentStatistics], Reason: "Ringede"}
	if _, err := f.svc.SetConsent(ctx, f.counselor, "p1", in); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("giving consent after leaving: %v, want Conflict", err)
	}
	in.Given = false
	if _, err := f.svc.SetConsent(ctx, f.counselor, "p1", in); err != nil {
		t.Errorf("withdrawing consent after leaving: %v, want allowed", err)
	}
	// An undo that stopped after deleting the withdrawal.
	if err := f.st.DeleteWithdrawal(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.UndoWithdrawal(ctx, f.counselor, "p1"); err != nil {
		t.Fatalf("finishing the undo: %v", err)
	}
	if u, _ := f.st.User(ctx, "p1"); u.WithdrawnAt != nil {
		t.Errorf("still marked as left: %+v", u)
	}
	if err := f.svc.UndoWithdrawal(ctx, f.counselor, "p1"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("undo with nothing to undo: %v, want NotFound", err)
	}
}
