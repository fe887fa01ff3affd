package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
)

var coordinator = auth.Principal{UserID: "co1", Role: models.RoleCoordinator, DeptID: "herning"}

func who(id string) auth.Principal { return auth.Principal{UserID: id, Role: models.RoleParticipant} }

// activityAt creates an activity in Herning with one session per start.
func (f *fixture) activityAt(t *testing.T, title string, mode models.EnrollmentMode, capacity int, starts ...time.Time) activity.Detail {
	t.Helper()
	ctx := context.Background()
	if _, err := f.st.Department(ctx, "herning"); err != nil {
		if err := f.st.InsertDepartment(ctx, models.Department{ID: "herning", Name: "Herning", CreatedAt: f.clk.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	var times []activity.Times
	for _, s := range starts {
		times = append(times, activity.Times{StartsAt: s, EndsAt: s.Add(time.Hour)})
	}
	a, err := f.act.CreateActivity(ctx, coordinator, activity.Details{
		Kind: models.KindSport, Title: models.Text{Da: title, En: title + " (en)"}, Location: "Sal 2", DepartmentID: "herning",
		Mode: mode, Capacity: capacity,
	}, times)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) signUp(t *testing.T, participant, activityID, sessionID string) models.EnrollmentView {
	t.Helper()
	v, _, err := f.act.SignUp(context.Background(), who(participant), activityID, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// reminders lists "<session>/<minutes before>" of a participant's session
// reminders, in the order recorded.
func (f *fixture) reminders(t *testing.T, participant string) []string {
	t.Helper()
	var out []string
	for _, e := range f.events(t, participant, jobs.EventSessionReminder) {
		out = append(out, fmt.Sprintf("%v/%v", e.Params["sessionId"], e.Params["minutesBefore"]))
	}
	return out
}

func TestSessionReminders(t *testing.T) {
	t0 := instant("2026-11-23T09:00:00Z") // Monday 10:00 in Copenhagen
	f := newFixture(t, t0)
	ctx := context.Background()
	yoga := f.activityAt(t, "Yoga", models.ModeActivity, 2, t0.Add(24*time.Hour+10*time.Minute), t0.Add(7*24*time.Hour))
	swim := f.activityAt(t, "Svømning", models.ModeSession, 1, t0.Add(24*time.Hour+5*time.Minute))
	s1, s2, sSwim := yoga.Sessions[0], yoga.Sessions[1], swim.Sessions[0]
	p1 := f.signUp(t, "p1", yoga.ID, "")
	f.signUp(t, "p2", yoga.ID, "")
	if v := f.signUp(t, "p3", yoga.ID, ""); v.Status != models.StatusWaitlisted {
		t.Fatalf("p3 is %s, want waitlisted", v.Status)
	}
	f.signUp(t, "p4", swim.ID, sSwim.ID)
	f.signUp(t, "p5", swim.ID, sSwim.ID) // waitlisted
	r := f.runner()

	mustRun(t, "Monday 10:00", r.Reminders)
	want := map[string][]string{
		"p1": {s1.ID + "/1440"}, "p2": {s1.ID + "/1440"}, "p3": nil, "p4": {sSwim.ID + "/1440"}, "p5": nil,
	}
	for p, w := range want {
		if got := f.reminders(t, p); !slices.Equal(got, w) {
			t.Errorf("Monday: %s has %v, want %v", p, got, w)
		}
	}
	e := f.events(t, "p1", jobs.EventSessionReminder)[0]
	start := s1.StartsAt
	switch {
	case !e.DueAt.Equal(start.Add(-24 * time.Hour)):
		t.Errorf("due %s, want 24 h before %s", e.DueAt, start)
	case e.ExpiresAt == nil || !e.ExpiresAt.Equal(start):
		t.Errorf("expires %v, want the start %s", e.ExpiresAt, start)
	case e.CollapseKey != "session/"+s1.ID:
		t.Errorf("collapse key %q", e.CollapseKey)
	case e.DedupeKey != fmt.Sprintf("session.reminder/%s/%s/1440/p1", s1.ID, start.UTC().Format(time.RFC3339)):
		t.Errorf("dedupe key %q", e.DedupeKey)
	case e.Params["titleDa"] != "Yoga" || e.Params["titleEn"] != "Yoga (en)" || e.Params["location"] != "Sal 2" ||
		e.Params["activityId"] != yoga.ID:
		t.Errorf("params %v", e.Params)
	}
	if ran, err := r.Reminders(ctx); ran || err != nil {
		t.Errorf("the same slot again: ran %v, %v", ran, err)
	}
	f.clk.Set(t0.Add(5 * time.Minute))
	mustRun(t, "the next slot", r.Reminders)
	if got := f.reminders(t, "p1"); len(got) != 1 {
		t.Errorf("the next slot recorded again: p1 has %v", got)
	}

	// p1 cancels, so p3 moves up; the swimming session is cancelled.
	f.clk.Set(t0.Add(time.Hour))
	if _, err := f.act.Cancel(ctx, who("p1"), p1.ID); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(t0.Add(21 * time.Hour))
	if _, err := f.act.CancelSession(ctx, coordinator, sSwim.ID); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(start.Add(-2*time.Hour - 10*time.Minute))
	mustRun(t, "Tuesday 07:55", r.Reminders)

	// A seat given an hour before the start still gets its reminder, at once.
	f.clk.Set(start.Add(-70 * time.Minute))
	p2, _, err := f.act.EnrollmentsOf(ctx, who("p2"), "p2", models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.act.Cancel(ctx, who("p2"), p2[0].ID); err != nil {
		t.Fatal(err)
	}
	f.signUp(t, "p6", yoga.ID, "")
	mustRun(t, "Tuesday 09:00", r.Reminders)

	want = map[string][]string{
		"p1": {s1.ID + "/1440"},
		"p2": {s1.ID + "/1440", s1.ID + "/120"},
		"p3": {s1.ID + "/120"}, // confirmed after the 24 h mark: only the 2 h one
		"p4": {sSwim.ID + "/1440"},
		"p5": nil,
		"p6": {s1.ID + "/120"},
	}
	for p, w := range want {
		if got := f.reminders(t, p); !slices.Equal(got, w) {
			t.Errorf("Tuesday: %s has %v, want %v", p, got, w)
		}
	}
	if late := f.events(t, "p6", jobs.EventSessionReminder); len(late) == 1 && !late[0].DueAt.Equal(start.Add(-70*time.Minute)) {
		t.Errorf("late reminder due %s, want at once", late[0].DueAt)
	}
	for _, p := range []string{"p1", "p2", "p3", "p6"} {
		for _, e := range f.events(t, p, jobs.EventSessionReminder) {
			if e.Params["sessionId"] == s2.ID {
				t.Errorf("%s reminded of next week's session already", p)
			}
		}
	}
}

func TestMovedSessionGetsFreshReminders(t *testing.T) {
	t0 := instant("2026-11-23T09:00:00Z")
	f := newFixture(t, t0)
	ctx := context.Background()
	yoga := f.activityAt(t, "Yoga", models.ModeActivity, 5, t0.Add(24*time.Hour+10*time.Minute))
	ss := yoga.Sessions[0]
	f.signUp(t, "p1", yoga.ID, "")
	r := f.runner()
	mustRun(t, "before the move", r.Reminders)

	moved := ss.StartsAt.Add(10 * time.Minute)
	if _, err := f.db.Collection("sessions").UpdateOne(ctx, bson.D{{Key: "_id", Value: ss.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "startsAt", Value: moved}, {Key: "endsAt", Value: moved.Add(time.Hour)}}}}); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(t0.Add(5 * time.Minute))
	mustRun(t, "after the move", r.Reminders)
	evs := f.events(t, "p1", jobs.EventSessionReminder)
	if len(evs) != 2 {
		t.Fatalf("%d reminders, want the old one and a fresh one", len(evs))
	}
	old, fresh := evs[0], evs[1]
	switch {
	case old.DedupeKey == fresh.DedupeKey:
		t.Errorf("same dedupe key %q after the move", fresh.DedupeKey)
	case old.CollapseKey != fresh.CollapseKey:
		t.Errorf("collapse keys %q and %q: the new reminder would not replace the old on the phone", old.CollapseKey, fresh.CollapseKey)
	case !fresh.DueAt.Equal(moved.Add(-24*time.Hour)) || fresh.ExpiresAt == nil || !fresh.ExpiresAt.Equal(moved):
		t.Errorf("fresh reminder due %s, expires %v; want 24 h before %s and then", fresh.DueAt, fresh.ExpiresAt, moved)
	}
}

func TestFollowUpReminders(t *testing.T) {
	f := newFixture(t, time.Time{})
	ctx := context.Background()
	f.at("2026-11-23", 8, 0) // Monday 08:00
	f.employ(t, "e1", "p1", models.EmploymentOrdinary, "2026-08-24")
	f.employ(t, "e3", "p3", models.EmploymentWageSubsidy, "2026-08-24")
	fu := func(id, participant, employment, date string, status models.FollowUpStatus) models.FollowUp {
		return models.FollowUp{ID: id, ParticipantID: participant, EmploymentID: employment, Kind: "3m", Date: date,
			ScheduledDate: date, Status: status, UpdatedAt: f.clk.Now()}
	}
	for _, x := range []models.FollowUp{
		fu("wed", "p1", "e1", "2026-11-25", models.FollowUpPlanned),
		fu("tue-moved", "p1", "e1", "2026-11-24", models.FollowUpMoved),
		fu("wed-done", "p1", "e1", "2026-11-25", models.FollowUpDone),
		fu("wed-cancelled", "p1", "e1", "2026-11-25", models.FollowUpCancelled),
		fu("today", "p1", "e1", "2026-11-23", models.FollowUpPlanned),
		fu("thu", "p1", "e1", "2026-11-26", models.FollowUpPlanned),
		fu("p3-wed", "p3", "e3", "2026-11-25", models.FollowUpPlanned),
	} {
		if err := f.st.InsertFollowUp(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	r := f.runner()
	ids := func(who, typ string) []string {
		var out []string
		for _, e := range f.events(t, who, typ) {
			out = append(out, fmt.Sprintf("%v@%v", e.Params["followUpId"], e.Params["date"]))
		}
		return out
	}

	mustRun(t, "Monday 08:00", r.Reminders)
	if got, want := ids("p1", jobs.EventFollowUpReminder), []string{"tue-moved@2026-11-24"}; !slices.Equal(got, want) {
		t.Fatalf("Monday 08:00: p1 has %v, want %v (Wednesday's is due at 09:00)", got, want)
	}
	if e := f.events(t, "p1", jobs.EventFollowUpReminder)[0]; !e.DueAt.Equal(f.clk.Now()) {
		t.Errorf("tomorrow's meeting reminded due %s, want at once", e.DueAt)
	}

	f.at("2026-11-23", 8, 35)
	mustRun(t, "Monday 08:35", r.Reminders)
	want := []string{"tue-moved@2026-11-24", "wed@2026-11-25"}
	if got := ids("p1", jobs.EventFollowUpReminder); !slices.Equal(got, want) {
		t.Errorf("Monday 08:35: p1 has %v, want %v", got, want)
	}
	if got := ids("c1", jobs.EventFollowUpReminderStaff); !slices.Equal(got, want) {
		t.Errorf("Monday 08:35: counselor has %v, want %v", got, want)
	}
	if got := ids("p3", jobs.EventFollowUpReminder); !slices.Equal(got, []string{"p3-wed@2026-11-25"}) {
		t.Errorf("p3 (no counselor) has %v", got)
	}
	wed := f.events(t, "p1", jobs.EventFollowUpReminder)[1]
	staff := f.events(t, "c1", jobs.EventFollowUpReminderStaff)[1]
	switch {
	case !wed.DueAt.Equal(instant("2026-11-23T08:00:00Z")):
		t.Errorf("due %s, want Monday 09:00 Copenhagen", wed.DueAt)
	case wed.ExpiresAt == nil || !wed.ExpiresAt.Equal(instant("2026-11-24T23:00:00Z")):
		t.Errorf("expires %v, want the start of the meeting day", wed.ExpiresAt)
	case wed.CollapseKey != "follow_up/wed" || staff.CollapseKey != "follow_up/wed":
		t.Errorf("collapse keys %q, %q", wed.CollapseKey, staff.CollapseKey)
	case wed.Params["companyName"] != "Brugsen e1" || wed.Params["kind"] != "3m" || wed.Params["participantId"] != nil:
		t.Errorf("participant's params %v", wed.Params)
	case staff.Params["participantId"] != "p1" || staff.Params["companyName"] != "Brugsen e1":
		t.Errorf("counselor's params %v", staff.Params)
	}

	// Wednesday's meeting moves to Thursday: a new reminder on Tuesday.
	w, err := f.st.FollowUp(ctx, "p1", "wed")
	if err != nil {
		t.Fatal(err)
	}
	w.Date, w.Status = "2026-11-26", models.FollowUpMoved
	if err := f.st.SetFollowUp(ctx, w); err != nil {
		t.Fatal(err)
	}
	f.at("2026-11-24", 9, 0)
	mustRun(t, "Tuesday 09:00", r.Reminders)
	want = []string{"tue-moved@2026-11-24", "wed@2026-11-25", "thu@2026-11-26", "wed@2026-11-26"}
	got := ids("p1", jobs.EventFollowUpReminder)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Tuesday: p1 has %v, want %v", got, want)
	}
	if n := len(f.events(t, "c1", jobs.EventFollowUpReminderStaff)); n != 4 {
		t.Errorf("counselor has %d reminders, want 4", n)
	}
}
