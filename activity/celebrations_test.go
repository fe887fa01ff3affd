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

// party is a fixture with people for celebrations: Anna (celebrated) and
// Bo in the fixture's department, both with counselor Mette; a
// coordinator of that department and one of another.
type party struct {
	*fixture
	anna, bo, mette, jonas, sofie, otherCoord, admin auth.Principal
}

func newParty(t *testing.T) *party {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	other := models.Department{ID: "dept-aarhus", Name: "Aarhus", CreatedAt: t0}
	if err := f.st.InsertDepartment(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{
		{ID: "anna", Role: models.RoleParticipant, Name: "Anna", DepartmentID: f.deptID, CounselorID: "mette", Status: models.StatusActive, CreatedAt: t0},
		{ID: "bo", Role: models.RoleParticipant, Name: "Bo", DepartmentID: f.deptID, CounselorID: "mette", Status: models.StatusActive, CreatedAt: t0},
		{ID: "mette", Role: models.RoleCounselor, Name: "Mette", DepartmentID: f.deptID, Status: models.StatusActive, CreatedAt: t0},
		{ID: "jonas", Role: models.RoleCounselor, Name: "Jonas", DepartmentID: other.ID, Status: models.StatusActive, CreatedAt: t0},
	} {
		if err := f.st.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return &party{
		fixture:    f,
		anna:       auth.Principal{UserID: "anna", Role: models.RoleParticipant, DeptID: f.deptID},
		bo:         auth.Principal{UserID: "bo", Role: models.RoleParticipant, DeptID: f.deptID},
		mette:      auth.Principal{UserID: "mette", Role: models.RoleCounselor, DeptID: f.deptID},
		jonas:      auth.Principal{UserID: "jonas", Role: models.RoleCounselor, DeptID: other.ID},
		sofie:      auth.Principal{UserID: "sofie", Role: models.RoleCoordinator, DeptID: f.deptID},
		otherCoord: auth.Principal{UserID: "karl", Role: models.RoleCoordinator, DeptID: other.ID},
		admin:      auth.Principal{UserID: "admin-1", Role: models.RoleAdmin},
	}
}

func (p *party) input(mutate func(*activity.CelebrationInput)) activity.CelebrationInput {
	start := t0.AddDate(0, 0, 14).Add(5 * time.Hour)
	in := activity.CelebrationInput{
		ParticipantID: "anna", Location: "Jobbanken Herning", StartsAt: start,
		Guests: []models.Guest{
			{Name: "Lone fra Netto", Relation: models.GuestCompany, Count: 1},
			{Name: "Kolleger", Relation: models.GuestColleague, Count: 3},
			{Name: "Annas søster", Relation: models.GuestRelative, Count: 1},
		},
	}
	if mutate != nil {
		mutate(&in)
	}
	return in
}

func (p *party) create(t *testing.T, mutate func(*activity.CelebrationInput)) activity.CelebrationView {
	t.Helper()
	v, err := p.svc.CreateCelebration(context.Background(), p.sofie, p.input(mutate))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantCode(t *testing.T, what string, err error, kind apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !asError(err, &ae) {
		t.Fatalf("%s: %v, want %s %s", what, err, kind, code)
	}
	if ae.Kind != kind || (ae.Code != code && !hasField(ae, code)) {
		t.Fatalf("%s: %s %s %+v, want %s %s", what, ae.Kind, ae.Code, ae.Fields, kind, code)
	}
}

func hasField(ae *apperr.Error, code string) bool {
	for _, f := range ae.Fields {
		if f.Code == code {
			return true
		}
	}
	return false
}

func TestCelebrationIsByInvitationOnly(t *testing.T) {
	p := newParty(t)
	ctx := context.Background()
	v := p.create(t, func(in *activity.CelebrationInput) { in.Title = models.Text{Da: "Annas fest"} })

	if v.GuestCount != 5 || len(v.Guests) != 3 || v.Guests[2].Count != 1 || v.ParticipantName != "Anna" || v.State != models.StateScheduled {
		t.Fatalf("created celebration = %+v", v)
	}
	if !v.EndsAt.Equal(v.StartsAt.Add(2 * time.Hour)) {
		t.Errorf("ends at %v, want two hours after %v", v.EndsAt, v.StartsAt)
	}
	a, err := p.svc.Activity(ctx, p.sofie, v.ID)
	if err != nil || a.Kind != models.KindCelebration || a.Capacity != 6 || len(a.Sessions) != 1 || a.Title.Da != "Annas fest" {
		t.Fatalf("the celebration's activity = %+v, %v", a, err)
	}

	for _, who := range []auth.Principal{p.anna, p.bo, p.sofie} {
		items, _, err := p.svc.Activities(ctx, who, activity.Filter{}, models.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range items {
			if s.Kind == models.KindCelebration {
				t.Errorf("the catalogue shows %s a celebration: %+v", who.UserID, s)
			}
		}
	}
	_, _, err = p.svc.Activities(ctx, p.sofie, activity.Filter{ActivityFilter: models.ActivityFilter{Kind: models.KindCelebration}}, models.Page{Limit: 10})
	wantCode(t, "catalogue of celebrations", err, apperr.Invalid, "activity.kind")

	_, err = p.svc.Activity(ctx, p.bo, v.ID)
	wantCode(t, "another participant reads the celebration", err, apperr.NotFound, "activity.not_found")
	if _, err := p.svc.Activity(ctx, p.anna, v.ID); err != nil {
		t.Errorf("Anna reads her celebration: %v", err)
	}
	_, _, err = p.svc.SignUp(ctx, p.bo, v.ID, "")
	wantCode(t, "another participant signs up", err, apperr.NotFound, "activity.not_found")
	_, _, err = p.svc.SignUp(ctx, p.anna, v.ID, "")
	wantCode(t, "the celebrated participant signs up", err, apperr.RuleViolation, "activity.invitation_only")

	start := t0.AddDate(0, 0, 30)
	_, err = p.svc.AddSessions(ctx, p.sofie, v.ID, []activity.Times{{StartsAt: start, EndsAt: start.Add(time.Hour)}}, nil)
	wantCode(t, "a second date", err, apperr.RuleViolation, "celebration.single_session")
	_, err = p.svc.CancelSession(ctx, p.sofie, a.Sessions[0].ID)
	wantCode(t, "cancelling its one session", err, apperr.RuleViolation, "celebration.single_session")

	d := activity.Details{Kind: models.KindCelebration, Title: models.Text{Da: "Fest"}, DepartmentID: p.deptID, Mode: models.ModeActivity, Capacity: 10}
	_, err = p.svc.CreateActivity(ctx, p.sofie, d, nil)
	wantCode(t, "a celebration through createActivity", err, apperr.Invalid, "activity.kind")
	d.Kind = models.KindSport
	_, err = p.svc.UpdateActivity(ctx, p.sofie, v.ID, d, false)
	wantCode(t, "a celebration made a sport", err, apperr.Invalid, "activity.kind_fixed")

	events, _, err := p.st.Events(ctx, "anna", models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var invited int
	for _, e := range events {
		if e.Type != "celebration.invited" || e.Params["celebrationId"] != v.ID {
			continue
		}
		invited++
		if e.ExpiresAt == nil || !e.ExpiresAt.Equal(v.StartsAt) || e.CollapseKey != "celebration:"+v.ID {
			t.Errorf("invitation event = %+v, want expiry at the start and collapse key per celebration", e)
		}
		for _, k := range []string{"guests", "name", "title"} {
			if _, ok := e.Params[k]; ok {
				t.Errorf("the invitation's params carry %q: %v", k, e.Params)
			}
		}
	}
	if invited != 1 {
		t.Errorf("%d invitations for the celebration, want 1", invited)
	}
}

func TestCelebrationIsPlannedWithinTheDepartment(t *testing.T) {
	p := newParty(t)
	ctx := context.Background()
	_, err := p.svc.CreateCelebration(ctx, p.otherCoord, p.input(nil))
	wantCode(t, "a coordinator of another department", err, apperr.Forbidden, "auth.forbidden")
	_, err = p.svc.CreateCelebration(ctx, p.mette, p.input(nil))
	wantCode(t, "a counselor", err, apperr.Forbidden, "auth.forbidden")
	_, err = p.svc.CreateCelebration(ctx, p.anna, p.input(nil))
	wantCode(t, "a participant", err, apperr.Forbidden, "auth.forbidden")
	_, err = p.svc.CreateCelebration(ctx, p.sofie, p.input(func(in *activity.CelebrationInput) { in.ParticipantID = "mette" }))
	wantCode(t, "a staff member celebrated", err, apperr.Invalid, "participant.not_found")
	if _, err := p.svc.CreateCelebration(ctx, p.admin, p.input(nil)); err != nil {
		t.Errorf("an admin plans: %v", err)
	}

	tests := []struct {
		name   string
		mutate func(*activity.CelebrationInput)
		code   string
	}{
		{name: "in the past", mutate: func(in *activity.CelebrationInput) { in.StartsAt = t0.Add(-time.Hour) }, code: "session.past"},
		{name: "no start", mutate: func(in *activity.CelebrationInput) { in.StartsAt = time.Time{} }, code: "field.required"},
		{name: "ends before it starts", mutate: func(in *activity.CelebrationInput) { in.EndsAt = in.StartsAt.Add(-time.Minute) }, code: "session.times"},
		{name: "unknown relation", mutate: func(in *activity.CelebrationInput) { in.Guests[0].Relation = "boss" }, code: "celebration.guest_relation"},
		{name: "too many in one line", mutate: func(in *activity.CelebrationInput) { in.Guests[1].Count = 101 }, code: "celebration.guest_count"},
		{name: "no one in a line", mutate: func(in *activity.CelebrationInput) { in.Guests[1].Count = 0 }, code: "celebration.guest_count"},
		{name: "nameless guest", mutate: func(in *activity.CelebrationInput) { in.Guests[0].Name = " " }, code: "field.required"},
		{name: "milestone without a job", mutate: func(in *activity.CelebrationInput) { in.MilestoneYears = 5 }, code: "field.required"},
		{name: "milestone out of range", mutate: func(in *activity.CelebrationInput) { in.MilestoneYears = 61; in.EmploymentID = "job" }, code: "celebration.milestone"},
		{name: "someone else's job", mutate: func(in *activity.CelebrationInput) { in.EmploymentID = "bos-job" }, code: "employment.not_found"},
	}
	job := models.Employment{ID: "bos-job", ParticipantID: "bo", Type: models.EmploymentOrdinary, StartDate: "2021-05-01", CreatedAt: t0, UpdatedAt: t0}
	if err := p.st.InsertEmployment(ctx, job); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.svc.CreateCelebration(ctx, p.sofie, p.input(tt.mutate))
			wantCode(t, tt.name, err, apperr.Invalid, tt.code)
		})
	}
}

func TestMilestoneIsCelebratedOnceUntilCancelled(t *testing.T) {
	p := newParty(t)
	ctx := context.Background()
	job := models.Employment{ID: "annas-job", ParticipantID: "anna", Type: models.EmploymentWageSubsidy, StartDate: "2021-12-01", CreatedAt: t0, UpdatedAt: t0}
	if err := p.st.InsertEmployment(ctx, job); err != nil {
		t.Fatal(err)
	}
	milestone := func(in *activity.CelebrationInput) { in.EmploymentID, in.MilestoneYears = "annas-job", 5 }
	first := p.create(t, milestone)
	if first.MilestoneYears != 5 || first.EmploymentID != "annas-job" {
		t.Fatalf("celebration = %+v", first)
	}
	_, err := p.svc.CreateCelebration(ctx, p.admin, p.input(milestone))
	wantCode(t, "the same milestone again", err, apperr.Conflict, "celebration.exists")
	if _, err := p.svc.CreateCelebration(ctx, p.sofie, p.input(func(in *activity.CelebrationInput) { in.EmploymentID, in.MilestoneYears = "annas-job", 10 })); err != nil {
		t.Errorf("another milestone of the same job: %v", err)
	}

	if _, err := p.svc.CancelActivity(ctx, p.sofie, first.ID); err != nil {
		t.Fatal(err)
	}
	if n := p.events(t, "anna", "celebration.cancelled"); n != 1 {
		t.Errorf("%d cancellations told, want 1", n)
	}
	moved := p.create(t, func(in *activity.CelebrationInput) { milestone(in); in.StartsAt = in.StartsAt.AddDate(0, 0, 7) })
	if moved.ID == first.ID {
		t.Fatal("the moved celebration reused the cancelled one")
	}
	items, _, err := p.svc.Celebrations(ctx, p.anna, "", models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, v := range items {
		states[v.ID] = v.State
	}
	if states[first.ID] != models.StateCancelled || states[moved.ID] != models.StateScheduled {
		t.Errorf("Anna's celebrations = %v, want the first cancelled and the moved one scheduled", states)
	}
}

func TestCelebrationsAreListedToTheirCircle(t *testing.T) {
	p := newParty(t)
	ctx := context.Background()
	annas := p.create(t, nil)
	bos := p.create(t, func(in *activity.CelebrationInput) {
		in.ParticipantID = "bo"
		in.StartsAt = in.StartsAt.AddDate(0, 0, -7)
	})
	if _, err := p.svc.RSVP(ctx, p.anna, annas.ID, models.RSVPYes, "Min mor kommer også."); err != nil {
		t.Fatal(err)
	}
	list := func(who auth.Principal, dept string) []activity.CelebrationView {
		t.Helper()
		items, _, err := p.svc.Celebrations(ctx, who, dept, models.Page{Limit: 10})
		if err != nil {
			t.Fatalf("list as %s: %v", who.UserID, err)
		}
		return items
	}
	ids := func(vs []activity.CelebrationView) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	if got := ids(list(p.anna, "")); len(got) != 1 || got[0] != annas.ID {
		t.Errorf("Anna sees %v, want only hers", got)
	}
	if got := ids(list(p.mette, "")); len(got) != 2 || got[0] != bos.ID {
		t.Errorf("their counselor sees %v, want both, the earliest first", got)
	}
	if got := list(p.jonas, ""); len(got) != 0 {
		t.Errorf("another department's counselor sees %d", len(got))
	}
	sofies := list(p.sofie, "")
	if len(sofies) != 2 || len(sofies[1].Guests) != 3 || sofies[1].RSVP == nil || sofies[1].RSVP.Note == "" {
		t.Errorf("the department's coordinator sees %+v, want both with guests and Anna's answer", sofies)
	}
	if got := list(p.otherCoord, ""); len(got) != 0 {
		t.Errorf("another department's coordinator sees %d", len(got))
	}
	_, _, err := p.svc.Celebrations(ctx, p.otherCoord, p.deptID, models.Page{Limit: 10})
	wantCode(t, "a coordinator asking for another department", err, apperr.Forbidden, "auth.forbidden")
	admins := list(p.admin, p.deptID)
	if len(admins) != 2 {
		t.Fatalf("the admin sees %d, want 2", len(admins))
	}
	for _, v := range admins {
		if v.Guests != nil || v.GuestCount != 5 || (v.RSVP != nil && v.RSVP.Note != "") {
			t.Errorf("the admin sees guest names or the participant's note: %+v", v)
		}
	}

	p.clk.Set(annas.EndsAt)
	if got := ids(list(p.mette, "")); len(got) != 0 {
		t.Errorf("after both are over the counselor still sees %v", got)
	}
}

func TestRSVPLatestAnswerCounts(t *testing.T) {
	p := newParty(t)
	ctx := context.Background()
	v := p.create(t, nil)
	if _, err := p.svc.RSVP(ctx, p.anna, v.ID, models.RSVPYes, ""); err != nil {
		t.Fatal(err)
	}
	p.clk.Set(t0.Add(time.Minute))
	got, err := p.svc.RSVP(ctx, p.anna, v.ID, models.RSVPMaybe, "  Jeg er lidt nervøs.  ")
	if err != nil {
		t.Fatal(err)
	}
	if got.RSVP == nil || got.RSVP.Answer != models.RSVPMaybe || got.RSVP.Note != "Jeg er lidt nervøs." {
		t.Fatalf("after changing her mind: %+v", got.RSVP)
	}
	if n := p.events(t, "sofie", "celebration.answered"); n != 2 {
		t.Errorf("the coordinator was told %d times, want once per answer (2)", n)
	}
	_, err = p.svc.RSVP(ctx, p.bo, v.ID, models.RSVPYes, "")
	wantCode(t, "another participant answers", err, apperr.NotFound, "celebration.not_found")
	_, err = p.svc.RSVP(ctx, p.mette, v.ID, models.RSVPYes, "")
	wantCode(t, "the counselor answers", err, apperr.Forbidden, "auth.forbidden")
	_, err = p.svc.RSVP(ctx, p.anna, v.ID, "perhaps", "")
	wantCode(t, "an unknown answer", err, apperr.Invalid, "celebration.answer")
	_, err = p.svc.RSVP(ctx, p.anna, "nope", models.RSVPYes, "")
	wantCode(t, "an unknown celebration", err, apperr.NotFound, "celebration.not_found")
	p.clk.Set(v.StartsAt)
	_, err = p.svc.RSVP(ctx, p.anna, v.ID, models.RSVPNo, "")
	wantCode(t, "after it started", err, apperr.RuleViolation, "activity.started")
}
