package activity_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

func TestAttendanceFiguresAndCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 2, func(d *activity.Details) { d.Kind, d.CompletionMinSessions = models.KindCourse, 1 })
	var ids []string
	for i := range 3 {
		v, _, err := f.svc.SignUp(ctx, participant(i), a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	session := a.Sessions[0].ID
	marks := []activity.Mark{{EnrollmentID: ids[0], Mark: models.MarkAttended}, {EnrollmentID: ids[1], Mark: models.MarkNoShow}}
	if _, err := f.svc.RecordAttendance(ctx, f.coord, session, marks); !apperr.Is(err, apperr.RuleViolation) {
		t.Fatalf("before the session: %v, want RuleViolation", err)
	}
	f.clk.Set(a.Sessions[0].StartsAt.Add(3 * time.Hour)) // after the fact
	bad := append(marks, activity.Mark{EnrollmentID: "nobody", Mark: models.MarkAttended}, activity.Mark{EnrollmentID: ids[2], Mark: "late"})
	_, err := f.svc.RecordAttendance(ctx, f.coord, session, bad)
	var ae *apperr.Error
	if !asError(err, &ae) || ae.Kind != apperr.Invalid || len(ae.Fields) != 2 {
		t.Fatalf("bad entries: %v, want two field errors", err)
	}
	if _, err := f.svc.RecordAttendance(ctx, f.coord, session, marks); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordAttendance(ctx, participant(0), session, marks); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("participant records: %v, want Forbidden", err)
	}
	got, err := f.svc.Figures(ctx, f.coord, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := activity.Figures{
		ActivityID: a.ID, Capacity: 2, Sessions: 1, Seats: 2, Confirmed: 2, FillRatePct: 100, WaitlistLength: 1,
		Attended: 1, NoShow: 1, NoShowRatePct: 50, Completed: 1,
	}
	if got != want {
		t.Errorf("Figures = %+v\nwant %+v", got, want)
	}
}

func TestRosterCSV(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 1, nil)
	for i := range 2 {
		if _, _, err := f.svc.SignUp(ctx, participant(i), a.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	out, err := f.svc.RosterCSV(ctx, f.coord, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(out), "\uFEFF")), "\n")
	if len(lines) != 3 || lines[0] != "Status,Venteliste-nr.,Navn,Tilmeldt" ||
		!strings.HasPrefix(lines[1], "Bekræftet,,") || !strings.HasPrefix(lines[2], "Venteliste,1,") {
		t.Errorf("csv:\n%s", out)
	}
}

func TestCounselorSeesAttendanceAndCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, 5, func(d *activity.Details) { d.CompletionMinSessions = 1 })
	v, _, err := f.svc.SignUp(ctx, participant(1), a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(a.Sessions[0].StartsAt.Add(time.Hour))
	if _, err := f.svc.RecordAttendance(ctx, f.coord, a.Sessions[0].ID, []activity.Mark{{EnrollmentID: v.ID, Mark: models.MarkAttended}}); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.svc.EnrollmentsOf(ctx, f.admin(), participant(1).UserID, models.Page{Limit: 10})
	if err != nil || len(got) != 1 {
		t.Fatalf("EnrollmentsOf = %+v, %v", got, err)
	}
	if len(got[0].Attendance) != 1 || got[0].Attendance[0].Mark != models.MarkAttended || got[0].Completed == nil || !*got[0].Completed {
		t.Errorf("enrolment = %+v, want one attended mark and completed", got[0])
	}
}
