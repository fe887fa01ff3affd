package activity_test

import (
	"context"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// approvalWorld: counselor Anne with participant 1, counselor Bo (Anne's
// stand-in when she is away) with participant 2, participant 3 without a
// counselor, participant 4 whose counselor's account is not active yet, and
// a course in the coordinator's department that needs approval.
type approvalWorld struct {
	*fixture
	course   activity.Detail
	anne, bo auth.Principal
}

func newApprovalWorld(t *testing.T) approvalWorld {
	t.Helper()
	f := newFixture(t)
	w := approvalWorld{fixture: f,
		anne: auth.Principal{UserID: "counselor-anne", Role: models.RoleCounselor, DeptID: f.deptID},
		bo:   auth.Principal{UserID: "counselor-bo", Role: models.RoleCounselor, DeptID: f.deptID},
	}
	f.user(t, models.User{ID: w.anne.UserID, Role: models.RoleCounselor, Name: "Anne", DepartmentID: f.deptID})
	f.user(t, models.User{ID: w.bo.UserID, Role: models.RoleCounselor, Name: "Bo", DepartmentID: f.deptID})
	f.user(t, models.User{ID: "counselor-new", Role: models.RoleCounselor, Name: "Ny", DepartmentID: f.deptID, Status: models.StatusInvited})
	f.user(t, models.User{ID: f.coord.UserID, Role: models.RoleCoordinator, Name: "Sofie", DepartmentID: f.deptID})
	for i, counselor := range map[int]string{1: w.anne.UserID, 2: w.bo.UserID, 3: "", 4: "counselor-new"} {
		f.user(t, models.User{ID: participant(i).UserID, Role: models.RoleParticipant, Name: "Deltager", DepartmentID: f.deptID, CounselorID: counselor})
	}
	w.course = f.create(t, 10, func(d *activity.Details) { d.Kind, d.RequiresApproval = models.KindCourse, true })
	return w
}

func (w approvalWorld) ask(t *testing.T, i int) models.EnrollmentView {
	t.Helper()
	v, _, err := w.svc.SignUp(context.Background(), participant(i), w.course.ID, "")
	if err != nil || v.Status != models.StatusAwaitingApproval {
		t.Fatalf("participant %d asks: %+v, %v", i, v, err)
	}
	return v
}

// The counselor decides, or the stand-in while the counselor is away; a
// coordinator only for a participant without an active counselor.
func TestWhoDecidesASignUp(t *testing.T) {
	ctx := context.Background()
	w := newApprovalWorld(t)
	admin := auth.Principal{UserID: "admin-1", Role: models.RoleAdmin}
	tests := []struct {
		name        string
		participant int
		who         auth.Principal
		away        bool // Anne is away with Bo standing in
		want        apperr.Kind
	}{
		{name: "the counselor", participant: 1, who: w.anne},
		{name: "another counselor", participant: 1, who: w.bo, want: apperr.Forbidden},
		{name: "the stand-in while the counselor is away", participant: 1, who: w.bo, away: true},
		{name: "a coordinator, the participant has a counselor", participant: 1, who: w.coord, want: apperr.Forbidden},
		{name: "a coordinator, the participant has none", participant: 3, who: w.coord},
		{name: "a coordinator, the counselor's account is not active", participant: 4, who: w.coord},
		{name: "a coordinator of another department", participant: 3, who: auth.Principal{UserID: "coordinator-2", Role: models.RoleCoordinator, DeptID: "other-dept"}, want: apperr.Forbidden},
		{name: "a counselor, the participant has none", participant: 3, who: w.anne, want: apperr.Forbidden},
		{name: "an admin", participant: 1, who: admin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.away {
				a := models.Absence{ID: "away-" + tt.name, CounselorID: w.anne.UserID, StandInID: w.bo.UserID,
					From: w.clk.Now().Add(-time.Hour), Until: w.clk.Now().Add(24 * time.Hour), CreatedBy: w.anne.UserID, CreatedAt: w.clk.Now()}
				if err := w.st.InsertAbsence(ctx, a); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { w.clk.Add(48 * time.Hour) }) // over by the next case
			}
			req := w.ask(t, tt.participant)
			_, err := w.svc.Decline(ctx, tt.who, req.ID, "")
			if tt.want != 0 {
				if !apperr.Is(err, tt.want) {
					t.Fatalf("Decline() = %v, want %v", err, tt.want)
				}
				if _, err := w.svc.Decline(ctx, admin, req.ID, ""); err != nil { // clear it for the next case
					t.Fatal(err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decline() = %v, want it decided", err)
			}
		})
	}
}

// Whoever decides is told a sign-up waits for them, once; and finds it in
// their list of pending approvals until it is decided.
func TestApproversAreToldAndListed(t *testing.T) {
	ctx := context.Background()
	w := newApprovalWorld(t)
	r1 := w.ask(t, 1)
	w.ask(t, 1) // a double tap tells nobody twice
	if n := w.events(t, w.anne.UserID, "enrollment.approval_requested"); n != 1 {
		t.Errorf("Anne was told %d times, want 1", n)
	}
	if n := w.events(t, w.bo.UserID, "enrollment.approval_requested"); n != 0 {
		t.Errorf("Bo was told %d times, want 0", n)
	}
	w.ask(t, 3) // no counselor: the department's coordinator is told
	if n := w.events(t, w.coord.UserID, "enrollment.approval_requested"); n != 1 {
		t.Errorf("the coordinator was told %d times, want 1", n)
	}

	list, next, err := w.svc.PendingApprovals(ctx, w.anne, models.Page{Limit: 10})
	if err != nil || next != "" || len(list) != 1 || list[0].EnrollmentID != r1.ID || list[0].ActivityTitle.Da != "Yoga" || list[0].CoveringFor != "" {
		t.Fatalf("Anne's pending approvals = %+v, %q, %v", list, next, err)
	}
	if list, _, _ := w.svc.PendingApprovals(ctx, w.bo, models.Page{Limit: 10}); len(list) != 0 {
		t.Errorf("Bo's pending approvals = %+v, want none", list)
	}

	// While Anne is away, Bo is told of new ones and sees hers, marked.
	a := models.Absence{ID: "away-1", CounselorID: w.anne.UserID, StandInID: w.bo.UserID,
		From: w.clk.Now().Add(-time.Hour), Until: w.clk.Now().Add(72 * time.Hour), CreatedBy: w.anne.UserID, CreatedAt: w.clk.Now()}
	if err := w.st.InsertAbsence(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Decline(ctx, w.anne, r1.ID, ""); err != nil {
		t.Fatal(err)
	}
	r2 := w.ask(t, 1)
	if n := w.events(t, w.bo.UserID, "enrollment.approval_requested"); n != 1 {
		t.Errorf("the stand-in was told %d times, want 1", n)
	}
	list, _, err = w.svc.PendingApprovals(ctx, w.bo, models.Page{Limit: 10})
	if err != nil || len(list) != 1 || list[0].EnrollmentID != r2.ID || list[0].CoveringFor != w.anne.UserID {
		t.Fatalf("Bo's pending approvals while covering = %+v, %v", list, err)
	}
	if _, err := w.svc.Approve(ctx, w.bo, r2.ID); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := w.svc.PendingApprovals(ctx, w.bo, models.Page{Limit: 10}); len(list) != 0 {
		t.Errorf("after the approval: %+v, want none", list)
	}
	if _, _, err := w.svc.PendingApprovals(ctx, w.coord, models.Page{Limit: 10}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a coordinator's list: %v, want Forbidden", err)
	}
}

// A coordinator runs the activities of the departments they serve: their
// own and those an admin added; another department's rosters, attendance,
// enrolments and activities are not theirs. Anyone may still join.
func TestCoordinatorsServeTheirDepartments(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other := models.Department{ID: "dept-aarhus", Name: "Aarhus", CreatedAt: t0}
	if err := f.st.InsertDepartment(ctx, other); err != nil {
		t.Fatal(err)
	}
	aarhus := auth.Principal{UserID: "coordinator-aarhus", Role: models.RoleCoordinator, DeptID: other.ID}
	f.user(t, models.User{ID: aarhus.UserID, Role: models.RoleCoordinator, Name: "Lise", DepartmentID: other.ID})
	a := f.create(t, 5, nil) // Herning's
	v, _, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(a.Sessions[0].StartsAt.Add(time.Hour))
	calls := map[string]func() error{
		"roster":  func() error { _, err := f.svc.Roster(ctx, aarhus, a.ID, ""); return err },
		"figures": func() error { _, err := f.svc.Figures(ctx, aarhus, a.ID); return err },
		"attendance": func() error {
			_, err := f.svc.RecordAttendance(ctx, aarhus, a.Sessions[0].ID, []activity.Mark{{EnrollmentID: v.ID, Mark: models.MarkAttended}})
			return err
		},
		"add sessions": func() error {
			start := f.clk.Now().Add(10 * 24 * time.Hour)
			_, err := f.svc.AddSessions(ctx, aarhus, a.ID, []activity.Times{{StartsAt: start, EndsAt: start.Add(time.Hour)}}, nil)
			return err
		},
		"create in Herning": func() error {
			start := f.clk.Now().Add(10 * 24 * time.Hour)
			_, err := f.svc.CreateActivity(ctx, aarhus, activity.Details{Kind: models.KindSport, Title: models.Text{Da: "Løb"}, DepartmentID: f.deptID,
				Mode: models.ModeActivity, Capacity: 5}, []activity.Times{{StartsAt: start, EndsAt: start.Add(time.Hour)}})
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("Aarhus's coordinator, %s in Herning: %v, want Forbidden", name, err)
		}
	}
	if _, err := f.svc.Cancel(ctx, aarhus, v.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("Aarhus's coordinator cancels a Herning enrolment: %v, want Forbidden", err)
	}
	if _, err := f.svc.CancelActivity(ctx, aarhus, a.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("Aarhus's coordinator cancels a Herning activity: %v, want Forbidden", err)
	}

	// An admin has Lise serve Herning too: she may, at once.
	if err := f.st.SetServedDepartments(ctx, aarhus.UserID, []string{f.deptID}); err != nil {
		t.Fatal(err)
	}
	for name, call := range calls {
		if err := call(); err != nil {
			t.Errorf("serving Herning, %s: %v", name, err)
		}
	}
}
