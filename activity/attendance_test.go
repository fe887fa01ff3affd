package activity_test

import (
	"context"
	"slices"
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
	if len(lines) != 3 || lines[0] != "Status,Venteliste-nr.,Navn,Tilmeldt,30-11-2026 10.00" ||
		!strings.HasPrefix(lines[1], "Bekræftet,,") || !strings.HasPrefix(lines[2], "Venteliste,1,") {
		t.Errorf("csv:\n%s", out)
	}
}

// A course's roster shows each person's mark at each session and whether
// they completed the course, in the JSON and in the sheet.
func TestCourseRosterShowsEachSessionAndCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := t0.Add(7 * 24 * time.Hour)
	second := first.Add(7 * 24 * time.Hour)
	a, err := f.svc.CreateActivity(ctx, f.coord, activity.Details{
		Kind: models.KindCourse, Title: models.Text{Da: "Klædt på til job"}, DepartmentID: f.deptID,
		Mode: models.ModeActivity, Capacity: 5, CancelDeadlineHours: 24, CompletionMinSessions: 2,
	}, []activity.Times{{StartsAt: first, EndsAt: first.Add(3 * time.Hour)}, {StartsAt: second, EndsAt: second.Add(3 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 2 {
		v, _, err := f.svc.SignUp(ctx, participant(i), a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	f.clk.Set(second.Add(4 * time.Hour))
	for i, marks := range [][]activity.Mark{
		{{EnrollmentID: ids[0], Mark: models.MarkAttended}, {EnrollmentID: ids[1], Mark: models.MarkAttended}},
		{{EnrollmentID: ids[0], Mark: models.MarkAttended}, {EnrollmentID: ids[1], Mark: models.MarkNoShow}},
	} {
		if _, err := f.svc.RecordAttendance(ctx, f.coord, a.Sessions[i].ID, marks); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.svc.Roster(ctx, f.coord, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sessions) != 2 || r.Sessions[0].ID != a.Sessions[0].ID || r.CompletionMinSessions != 2 || len(r.Confirmed) != 2 {
		t.Fatalf("roster = %+v", r)
	}
	want := map[string]struct {
		marks     []models.AttendanceMark
		completed bool
	}{ids[0]: {[]models.AttendanceMark{models.MarkAttended, models.MarkAttended}, true}, ids[1]: {[]models.AttendanceMark{models.MarkAttended, models.MarkNoShow}, false}}
	for _, e := range r.Confirmed {
		w := want[e.EnrollmentID]
		var got []models.AttendanceMark
		for i, m := range e.Attendance {
			if m.SessionID != a.Sessions[i].ID {
				t.Errorf("%s: mark %d is for session %s, want %s", e.EnrollmentID, i, m.SessionID, a.Sessions[i].ID)
			}
			got = append(got, m.Mark)
		}
		if !slices.Equal(got, w.marks) || e.Completed == nil || *e.Completed != w.completed {
			t.Errorf("%s: marks %v, completed %v; want %v, %v", e.EnrollmentID, got, e.Completed, w.marks, w.completed)
		}
	}
	out, err := f.svc.RosterCSV(ctx, f.coord, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(out), "\uFEFF")), "\n")
	if len(lines) != 3 || lines[0] != "Status,Venteliste-nr.,Navn,Tilmeldt,30-11-2026 10.00,07-12-2026 10.00,Gennemført" ||
		!strings.HasSuffix(lines[1], ",Mødt,Mødt,Ja") || !strings.HasSuffix(lines[2], ",Mødt,Ikke mødt,Nej") {
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
