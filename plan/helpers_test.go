package plan_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

var _ plan.Store = (*store.Store)(nil)

type clock = storetest.Clock

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixture is a plan service on a fresh database with two counselors, each
// with one participant: anna (counselor A's) and bo (counselor B's).
type fixture struct {
	svc        *plan.Service
	st         *store.Store
	clk        *clock
	counselorA auth.Principal
	counselorB auth.Principal
	anna, bo   auth.Principal
	coord      auth.Principal
	admin      auth.Principal
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	f := &fixture{
		svc: plan.New(st, clk.Now, newID), st: st, clk: clk,
		counselorA: auth.Principal{UserID: "counselor-a", Role: models.RoleCounselor},
		counselorB: auth.Principal{UserID: "counselor-b", Role: models.RoleCounselor},
		anna:       auth.Principal{UserID: "participant-anna", Role: models.RoleParticipant},
		bo:         auth.Principal{UserID: "participant-bo", Role: models.RoleParticipant},
		coord:      auth.Principal{UserID: "coordinator-1", Role: models.RoleCoordinator},
		admin:      auth.Principal{UserID: "admin-1", Role: models.RoleAdmin},
	}
	for _, u := range []models.User{
		{ID: f.counselorA.UserID, Role: models.RoleCounselor, Name: "A", Status: models.StatusActive, CreatedAt: t0},
		{ID: f.counselorB.UserID, Role: models.RoleCounselor, Name: "B", Status: models.StatusActive, CreatedAt: t0},
		{ID: f.coord.UserID, Role: models.RoleCoordinator, Name: "K", Status: models.StatusActive, CreatedAt: t0},
		{ID: f.admin.UserID, Role: models.RoleAdmin, Name: "Admin", Status: models.StatusActive, CreatedAt: t0},
		{ID: f.anna.UserID, Role: models.RoleParticipant, Name: "Anna", CounselorID: f.counselorA.UserID, Status: models.StatusActive, CreatedAt: t0},
		{ID: f.bo.UserID, Role: models.RoleParticipant, Name: "Bo", CounselorID: f.counselorB.UserID, Status: models.StatusActive, CreatedAt: t0},
	} {
		if err := st.InsertUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// goal creates a goal for anna as counselor A with the given sub-goals.
func (f *fixture) goal(t *testing.T, title string, subGoals ...string) models.Goal {
	t.Helper()
	in := plan.NewGoal{Title: title, Wish: "Jeg vil gerne arbejde med mennesker."}
	for _, s := range subGoals {
		in.SubGoals = append(in.SubGoals, plan.NewSubGoal{Title: s})
	}
	g, err := f.svc.CreateGoal(context.Background(), f.counselorA, f.anna.UserID, in)
	if err != nil {
		t.Fatalf("create goal %q: %v", title, err)
	}
	return g
}

func ptr[T any](v T) *T { return &v }

// wantCode fails unless err is an apperr of kind k with code.
func wantCode(t *testing.T, err error, k apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !asError(err, &ae) || ae.Kind != k || ae.Code != code {
		t.Fatalf("error = %v, want %s %s", err, k, code)
	}
}

// fieldCodes lists "field code" for each field error of err.
func fieldCodes(err error) []string {
	var ae *apperr.Error
	if !asError(err, &ae) {
		return nil
	}
	var out []string
	for _, f := range ae.Fields {
		out = append(out, f.Field+" "+f.Code)
	}
	return out
}
