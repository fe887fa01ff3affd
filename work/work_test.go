package work_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
	"github.com/jobbanken/jobkunde/work"
)

// Monday 15 June 2026, 11:00 in Copenhagen.
var t0 = time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)

type clock = storetest.Clock

type staticRules struct{ r *pension.Rules }

func (s staticRules) Current(context.Context) (*pension.Rules, error) { return s.r, nil }

type fixture struct {
	svc                      *work.Service
	st                       *store.Store
	clk                      *clock
	p1, p2, counselor, other auth.Principal
	coordinator, admin       auth.Principal
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	rules, err := pension.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		svc: work.New(st, staticRules{rules}, work.Config{}, clk.Now, func() string { return uuid.Must(uuid.NewV7()).String() }),
		st:  st, clk: clk,
		p1:          auth.Principal{UserID: "participant-1", Role: models.RoleParticipant},
		p2:          auth.Principal{UserID: "participant-2", Role: models.RoleParticipant},
		counselor:   auth.Principal{UserID: "counselor-a", Role: models.RoleCounselor},
		other:       auth.Principal{UserID: "counselor-b", Role: models.RoleCounselor},
		coordinator: auth.Principal{UserID: "coordinator-1", Role: models.RoleCoordinator},
		admin:       auth.Principal{UserID: "admin-1", Role: models.RoleAdmin},
	}
	for _, u := range []models.User{
		{ID: "participant-1", Role: models.RoleParticipant, Name: "Mette", CounselorID: "counselor-a", CreatedAt: t0},
		{ID: "participant-2", Role: models.RoleParticipant, Name: "Jonas", CounselorID: "counselor-b", CreatedAt: t0},
		{ID: "counselor-a", Role: models.RoleCounselor, Name: "Anne", CreatedAt: t0},
		{ID: "counselor-b", Role: models.RoleCounselor, Name: "Bo", CreatedAt: t0},
	} {
		if err := st.InsertUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) events(t *testing.T, recipient, typ string) []models.Event {
	t.Helper()
	items, _, err := f.st.Events(context.Background(), recipient, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Event
	for _, e := range items {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func ordinary(start string) work.EmploymentInput {
	return work.EmploymentInput{
		Company: models.Company{Name: "Brugsen Herning", ContactPerson: "Lis Hansen", Phone: "+45 97 12 34 56", Email: "lis@brugsen.example.dk"},
		Type:    models.EmploymentOrdinary, StartDate: start, HourlyWageOre: 150_00, WeeklyHours: 10,
		TaskNotes: "Faste opgaver om formiddagen; pauser efter behov.",
	}
}

func wantKind(t *testing.T, err error, kind apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != kind || ae.Code != code {
		t.Fatalf("error = %v, want kind %v code %q", err, kind, code)
	}
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		t.Fatalf("error = %v, want a field error", err)
	}
	for _, fe := range ae.Fields {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("field errors %+v lack %s/%s", ae.Fields, field, code)
}

func TestEmploymentConsentHidesContactFromStaff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Company.Phone == "" || e.ContactHidden || !e.Current || e.WeeklyHours != 10 || e.Version != 1 {
		t.Fatalf("participant's own view = %+v", e)
	}
	if n := len(f.events(t, "counselor-a", "employment.added")); n != 1 {
		t.Errorf("employment.added events for the counselor = %d, want 1", n)
	}

	staff, err := f.svc.Employment(ctx, f.counselor, "participant-1", e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !staff.ContactHidden || staff.Company.Phone != "" || staff.Company.ContactPerson != "" || staff.Company.Email != "" ||
		staff.Company.Name != "Brugsen Herning" {
		t.Fatalf("counselor without consent sees %+v", staff.Company)
	}

	_, err = f.svc.SetEmployerContactConsent(ctx, f.counselor, "participant-1", e.ID, true, "")
	wantField(t, err, "reason", "consent.reason_required")

	if _, err := f.svc.SetEmployerContactConsent(ctx, f.p1, "participant-1", e.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	staff, err = f.svc.Employment(ctx, f.counselor, "participant-1", e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if staff.ContactHidden || staff.Company.Phone != "+45 97 12 34 56" || !staff.EmployerContact.Given ||
		staff.EmployerContact.ByRole != models.RoleParticipant {
		t.Fatalf("counselor with consent sees %+v / %+v", staff.Company, staff.EmployerContact)
	}
	fus, err := f.svc.FollowUps(ctx, f.counselor, "participant-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, fu := range fus {
		if !fu.IncludesCompany {
			t.Errorf("follow-up %s does not include the company although the participant consents", fu.Kind)
		}
	}

	// Withdrawn on the participant's behalf: hidden again, and the history keeps both.
	if _, err := f.svc.SetEmployerContactConsent(ctx, f.counselor, "participant-1", e.ID, false, "Sagt i telefonen 15/6"); err != nil {
		t.Fatal(err)
	}
	staff, _ = f.svc.Employment(ctx, f.counselor, "participant-1", e.ID)
	if !staff.ContactHidden || staff.EmployerContact.Given || staff.EmployerContact.Reason == "" {
		t.Fatalf("after withdrawal: %+v", staff)
	}
	recs, err := f.st.Consents(ctx, "participant-1", models.ConsentEmployerContact)
	if err != nil || len(recs) != 2 {
		t.Fatalf("consent records = %d, %v; want 2", len(recs), err)
	}

	// An update by staff who could not see the contact keeps it.
	in := ordinary("2026-06-01")
	in.Company = models.Company{Name: "Brugsen Herning A/S"}
	in.Version = staff.Version
	if _, err := f.svc.UpdateEmployment(ctx, f.counselor, "participant-1", e.ID, in); err != nil {
		t.Fatal(err)
	}
	own, _ := f.svc.Employment(ctx, f.p1, "participant-1", e.ID)
	if own.Company.Name != "Brugsen Herning A/S" || own.Company.Phone != "+45 97 12 34 56" || own.Version != 2 {
		t.Fatalf("after a blind update the participant sees %+v (version %d)", own.Company, own.Version)
	}
}

func TestEmploymentValidationAndVersions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bad := work.EmploymentInput{Type: "job", StartDate: "2026-13-01", EndDate: "x", HourlyWageOre: -1, WeeklyHours: 7.1,
		Company: models.Company{Email: "not an address", Phone: "12"}}
	_, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", bad)
	for _, fe := range [][2]string{
		{"company.name", "field.required"}, {"type", "employment.type"}, {"startDate", "field.invalid_date"},
		{"endDate", "field.invalid_date"}, {"hourlyWageOre", "employment.wage"}, {"weeklyHours", "employment.weekly_hours"},
		{"company.email", "email.invalid"}, {"company.phone", "employment.phone"},
	} {
		wantField(t, err, fe[0], fe[1])
	}
	intern := ordinary("2026-06-01")
	intern.Type = models.EmploymentInternship
	_, err = f.svc.CreateEmployment(ctx, f.p1, "participant-1", intern)
	wantField(t, err, "hourlyWageOre", "employment.internship_paid")

	e, err := f.svc.CreateEmployment(ctx, f.counselor, "participant-1", ordinary("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.events(t, "counselor-a", "employment.added")); n != 0 {
		t.Errorf("the counselor is told about their own entry: %d events", n)
	}
	in := ordinary("2026-06-01")
	in.Version = 1
	if _, err := f.svc.UpdateEmployment(ctx, f.p1, "participant-1", e.ID, in); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.UpdateEmployment(ctx, f.counselor, "participant-1", e.ID, in) // still version 1
	wantKind(t, err, apperr.Conflict, "employment.changed")
}

func TestAccessToWork(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Employments(ctx, f.p2, "participant-1")
	wantKind(t, err, apperr.NotFound, "participant.not_found")
	_, err = f.svc.Employment(ctx, f.p2, "participant-1", e.ID)
	wantKind(t, err, apperr.NotFound, "participant.not_found")
	for _, p := range []auth.Principal{f.other, f.coordinator, f.admin} {
		_, err = f.svc.Employments(ctx, p, "participant-1")
		wantKind(t, err, apperr.Forbidden, "auth.forbidden")
		_, err = f.svc.Status(ctx, p, "participant-1", 0)
		wantKind(t, err, apperr.Forbidden, "auth.forbidden")
	}
	_, err = f.svc.Employment(ctx, f.p2, "participant-2", e.ID) // someone else's employment under one's own ID
	wantKind(t, err, apperr.NotFound, "employment.not_found")
	_, err = f.svc.UpdateFollowUp(ctx, f.p1, "participant-1", e.ID+"-14d", work.FollowUpChange{Status: models.FollowUpDone})
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")
	_, err = f.svc.Employments(ctx, f.counselor, "counselor-b") // not a participant
	wantKind(t, err, apperr.NotFound, "participant.not_found")
}

func TestFollowUpsAreScheduledMovedAndNoted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Started on Friday 5 June 2026: +14 days is Friday 19 June.
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-06-05"))
	if err != nil {
		t.Fatal(err)
	}
	fus, err := f.svc.FollowUps(ctx, f.p1, "participant-1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, fu := range fus {
		got[fu.Kind] = fu.Date
		if fu.Status != models.FollowUpPlanned || fu.CompanyName != "Brugsen Herning" || fu.IncludesCompany {
			t.Errorf("follow-up %+v", fu)
		}
	}
	// 5 Sep and 5 Dec 2026 are Saturdays: moved to Monday.
	want := map[string]string{"14d": "2026-06-19", "3m": "2026-09-07", "6m": "2026-12-07", "12m": "2027-06-07"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("follow-up %s on %s, want %s", k, got[k], v)
		}
	}

	// The counselor moves the first and writes two notes, one internal.
	fu, err := f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-14d",
		work.FollowUpChange{Date: "2026-06-22", Note: "Aftalt med Mette: vi mødes i butikken."})
	if err != nil {
		t.Fatal(err)
	}
	if fu.Status != models.FollowUpMoved || fu.Date != "2026-06-22" || fu.ScheduledDate != "2026-06-19" || len(fu.Notes) != 1 {
		t.Fatalf("moved follow-up = %+v", fu)
	}
	if _, err := f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-14d",
		work.FollowUpChange{Status: models.FollowUpDone, Note: "Intern: tjek løntilskud.", NoteInternal: true}); err != nil {
		t.Fatal(err)
	}
	own, err := f.svc.FollowUps(ctx, f.p1, "participant-1")
	if err != nil {
		t.Fatal(err)
	}
	if own[0].Status != models.FollowUpDone || own[0].DoneAt == nil || len(own[0].Notes) != 1 || own[0].Notes[0].Internal {
		t.Fatalf("the participant sees %+v", own[0])
	}
	staff, _ := f.svc.FollowUps(ctx, f.counselor, "participant-1")
	if len(staff[0].Notes) != 2 {
		t.Fatalf("the counselor sees %d notes, want 2", len(staff[0].Notes))
	}
	_, err = f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-3m", work.FollowUpChange{Status: "postponed"})
	wantField(t, err, "status", "follow_up.status")
	_, err = f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-3m", work.FollowUpChange{})
	wantField(t, err, "date", "follow_up.no_change")

	// Ending the job at the end of August cancels what is planned after it.
	if _, err := f.svc.EndEmployment(ctx, f.p1, "participant-1", e.ID,
		work.EndInput{EndDate: "2026-08-31", Reason: models.EndParticipantLeft}); err != nil {
		t.Fatal(err)
	}
	fus, _ = f.svc.FollowUps(ctx, f.counselor, "participant-1")
	for _, fu := range fus {
		wantStatus := models.FollowUpCancelled
		if fu.Kind == "14d" {
			wantStatus = models.FollowUpDone
		}
		if fu.Status != wantStatus {
			t.Errorf("after the end, follow-up %s is %s, want %s", fu.Kind, fu.Status, wantStatus)
		}
	}
	if n := len(f.events(t, "counselor-a", "employment.ended")); n != 1 {
		t.Errorf("employment.ended events = %d, want 1", n)
	}
	_, err = f.svc.EndEmployment(ctx, f.p1, "participant-1", e.ID, work.EndInput{Reason: models.EndOther})
	wantKind(t, err, apperr.Conflict, "employment.ended")
}

func TestFlexjobHasNoFollowUps(t *testing.T) {
	f := newFixture(t)
	in := ordinary("2026-06-15")
	in.Type = models.EmploymentFlexjob
	if _, err := f.svc.CreateEmployment(context.Background(), f.counselor, "participant-1", in); err != nil {
		t.Fatal(err)
	}
	fus, err := f.svc.FollowUps(context.Background(), f.counselor, "participant-1")
	if err != nil || len(fus) != 0 {
		t.Fatalf("flexjob follow-ups = %d, %v; want none", len(fus), err)
	}
	st, err := f.svc.Status(context.Background(), f.p1, "participant-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(st, work.NoteFlexjob) {
		t.Errorf("notes %v lack %s", st.Notes, work.NoteFlexjob)
	}
}

func hasNote(st work.PensionStatus, n string) bool {
	for _, v := range st.Notes {
		if v.Code == n {
			return true
		}
	}
	return false
}

func TestInternshipCounterWarnsOnceAtWeek11(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := ordinary("2026-04-01") // 76 days to 15 June: week 11
	in.Type, in.HourlyWageOre = models.EmploymentInternship, 0
	e, err := f.svc.CreateEmployment(ctx, f.counselor, "participant-1", in)
	if err != nil {
		t.Fatal(err)
	}
	if e.Internship == nil || e.Internship.WeeksUsed != 11 || e.Internship.MaxWeeks != 13 || !e.Internship.Warning {
		t.Fatalf("internship counter = %+v", e.Internship)
	}
	f.clk.Set(t0.Add(-7 * 24 * time.Hour)) // week 10: no warning yet
	if err := f.svc.CheckInternships(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.events(t, "counselor-a", "internship.week_warning")); n != 0 {
		t.Fatalf("warning in week 10: %d events", n)
	}
	f.clk.Set(t0)
	for range 2 {
		if err := f.svc.CheckInternships(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.events(t, "counselor-a", "internship.week_warning")); n != 1 {
		t.Fatalf("week-11 warnings = %d, want exactly 1", n)
	}
}

func TestHoursEntriesAndSummaries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-01-05"))
	if err != nil {
		t.Fatal(err)
	}
	// Monday to Friday of week 24, 2 hours a day: exactly the agreed 10.
	for _, d := range []string{"2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"} {
		h, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: d, Hours: 2})
		if err != nil {
			t.Fatal(err)
		}
		if h.EmploymentID != e.ID || h.ID == "" || !h.ReceivedAt.Equal(t0) || h.ByRole != models.RoleParticipant {
			t.Fatalf("receipt = %+v", h)
		}
	}
	if n := len(f.events(t, "participant-1", "hours.over_agreed")); n != 0 {
		t.Fatalf("over-agreed at exactly the agreed hours: %d events", n)
	}
	extra, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-06-13", Hours: 1.25})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.events(t, "participant-1", "hours.over_agreed")); n != 1 {
		t.Fatalf("over-agreed events = %d, want 1", n)
	}

	for _, c := range []struct {
		in   work.HoursInput
		kind apperr.Kind
		code string
	}{
		{work.HoursInput{Date: "2026-06-16", Hours: 2}, apperr.RuleViolation, "hours.future_date"},
		{work.HoursInput{Date: "2025-12-30", Hours: 2}, apperr.RuleViolation, "hours.closed_year"},
		{work.HoursInput{Date: "2026-06-10", Hours: 7.1}, apperr.Invalid, "request.invalid_fields"},
		{work.HoursInput{Date: "2026-06-10", Hours: 23}, apperr.RuleViolation, "hours.day_full"},
		{work.HoursInput{Date: "2026-01-02", Hours: 2}, apperr.RuleViolation, "hours.no_employment"},
	} {
		_, err := f.svc.LogHours(ctx, f.p1, "participant-1", c.in)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != c.kind || (c.kind != apperr.Invalid && ae.Code != c.code) {
			t.Errorf("LogHours(%+v) = %v, want %s", c.in, err, c.code)
		}
	}

	// A second employment on the same day: the entry must name one.
	if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-06-01")); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-06-15", Hours: 1})
	wantField(t, err, "employmentId", "hours.employment_required")

	// Edit and delete.
	upd, err := f.svc.UpdateHours(ctx, f.p1, "participant-1", extra.ID, work.HoursInput{Date: "2026-06-13", Hours: 0.5})
	if err != nil || upd.Hours != 0.5 || upd.EmploymentID != e.ID {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	if err := f.svc.DeleteHours(ctx, f.p1, "participant-1", extra.ID); err != nil {
		t.Fatal(err)
	}
	err = f.svc.DeleteHours(ctx, f.p1, "participant-1", extra.ID)
	wantKind(t, err, apperr.NotFound, "hours.not_found")

	// May: an entry, then a payslip that replaces it.
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-05-04", Hours: 4, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	ps, err := f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-05", GrossOre: 8000_00, Hours: 50})
	if err != nil || ps.Replaced {
		t.Fatalf("payslip = %+v, %v", ps, err)
	}
	ps, err = f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-05", GrossOre: 8100_00, Hours: 51})
	if err != nil || !ps.Replaced {
		t.Fatalf("corrected payslip = %+v, %v", ps, err)
	}
	_, err = f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-07", GrossOre: 1})
	wantKind(t, err, apperr.RuleViolation, "payslip.future_month")

	r, err := f.svc.Hours(ctx, f.counselor, "participant-1", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.From != "2026-01-01" || r.To != "2026-06-15" || len(r.Items) != 6 {
		t.Fatalf("report %s..%s with %d items", r.From, r.To, len(r.Items))
	}
	var week24 *work.WeekSummary
	for i := range r.Weeks {
		if r.Weeks[i].Week == "2026-W24" {
			week24 = &r.Weeks[i]
		}
	}
	if week24 == nil || week24.Hours != 10 || week24.EarnedOre != 1500_00 || week24.From != "2026-06-08" || week24.OverAgreed {
		t.Fatalf("week 24 = %+v", week24)
	}
	months := map[string]work.MonthSummary{}
	for _, m := range r.Months {
		months[m.Month] = m
	}
	if m := months["2026-05"]; m.EarnedOre != 8100_00 || m.Hours != 51 || !m.FromPayslip {
		t.Errorf("May = %+v, want the payslip's 8100 kr and 51 hours", m)
	}
	if m := months["2026-06"]; m.EarnedOre != 1500_00 || m.Hours != 10 || m.FromPayslip {
		t.Errorf("June = %+v", m)
	}
	_, err = f.svc.Hours(ctx, f.p1, "participant-1", "2025-01-01", "2026-06-15")
	wantField(t, err, "to", "hours.range")
}

func TestPensionStatusFromHoursPayslipsAndPlan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-01-05"))
	if err != nil {
		t.Fatal(err)
	}
	intern := ordinary("2026-06-01")
	intern.Type, intern.HourlyWageOre = models.EmploymentInternship, 0
	in, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", intern)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"} {
		if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: d, Hours: 2, EmploymentID: e.ID}); err != nil {
			t.Fatal(err)
		}
		// Internship hours count 0 kr.
		if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: d, Hours: 3, EmploymentID: in.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-06-15", Hours: 3, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-05-04", Hours: 4, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	// May's payslip carries a one-off bonus: 8000 kr in all, replacing 4 h × 150 kr.
	if _, err := f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-05", GrossOre: 8000_00, Hours: 4}); err != nil {
		t.Fatal(err)
	}

	st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	// YTD: 8000 (May payslip) + 10 h + 3 h at 150 kr = 9950 kr.
	// Plan: the agreed 10 h × 150 kr = 1500 kr a week for the 199 days from
	// 16 June to 31 December: 1500 × 199 / 7 = 42642.86 → 42643 kr.
	// 2026 has no verified single figures: those of 2024 are used.
	if st.YTDGrossWageKr != 9950 || st.Basis != pension.BasisPlan || st.RestOfYearGrossWageKr != 42643 ||
		st.ProjectedGrossWageKr != 52593 || st.EstimateBasedOnYear != 2024 || st.ThresholdKr != 86900 ||
		st.Light != pension.Green || st.ProfileSaved {
		t.Fatalf("status = %+v", st)
	}
	for _, n := range []string{work.NoteEstimate, work.NoteOlderFigures, work.NoteProfileMissing, work.NoteInternshipWages} {
		if !hasNote(st, n) {
			t.Errorf("notes %v lack %s", st.Notes, n)
		}
	}
	// 52593 − 8 % AM-bidrag (4207) = 48386 counted: 55 % of 86900.
	if st.OwnCountedKr != 48386 || st.ThresholdUsedPercent != 55 {
		t.Errorf("counted %d (%d %%), want 48386 (55 %%)", st.OwnCountedKr, st.ThresholdUsedPercent)
	}
	if n := len(f.events(t, "participant-1", "pension.threshold_80")); n != 0 {
		t.Fatalf("80 %% event at 55 %%: %d", n)
	}

	// The participant's own plan wins over the agreed hours: 0 hours a week
	// means nothing more this year.
	if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single", PlannedWeeklyHours: ptr(0.0)}); err != nil {
		t.Fatal(err)
	}
	st, _ = f.svc.Status(ctx, f.p1, "participant-1", 0)
	if st.Basis != pension.BasisPlan || st.RestOfYearGrossWageKr != 0 || !st.ProfileSaved {
		t.Errorf("planned 0 hours: basis %s, rest %d", st.Basis, st.RestOfYearGrossWageKr)
	}

	// With no plan and no agreed hours, the last four weeks' average counts:
	// 13 h × 150 kr = 1950 kr in 28 days, 487.5 → 488 kr a week (rounded half
	// up), × 199 / 7 = 13873.14 → 13873 kr.
	if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single"}); err != nil {
		t.Fatal(err)
	}
	noAgreed := ordinary("2026-01-05")
	noAgreed.WeeklyHours, noAgreed.Version = 0, 1
	if _, err := f.svc.UpdateEmployment(ctx, f.p1, "participant-1", e.ID, noAgreed); err != nil {
		t.Fatal(err)
	}
	st, _ = f.svc.Status(ctx, f.p1, "participant-1", 0)
	if st.Basis != pension.BasisRecentAverage || st.RestOfYearGrossWageKr != 13873 {
		t.Errorf("no plan: basis %s, rest %d; want recent_average, 13873", st.Basis, st.RestOfYearGrossWageKr)
	}

	// What if 15 hours a week at 160 kr from 1 August?
	sim, err := f.svc.Simulate(ctx, f.p1, "participant-1", work.WhatIfInput{WeeklyHours: 15, HourlyWageOre: 160_00, From: "2026-08-01"})
	if err != nil {
		t.Fatal(err)
	}
	// 15 × 160 = 2400 kr a week for 1 Aug–31 Dec (153 days): 52457.14 → 52457 kr;
	// until then (16 June–31 July, 46 days) the recent average of 13 h × 150 kr
	// in four weeks: 488 kr a week (487.5 rounded half up) × 46 / 7 = 3206.86 → 3207 kr.
	if sim.RestOfYearGrossWageKr != 52457+3207 || sim.ProjectedGrossWageKr != 9950+52457+3207 || sim.Basis != pension.BasisPlan {
		t.Errorf("what-if rest %d, projected %d", sim.RestOfYearGrossWageKr, sim.ProjectedGrossWageKr)
	}
	_, err = f.svc.Simulate(ctx, f.p1, "participant-1", work.WhatIfInput{WeeklyHours: 15, HourlyWageOre: 160_00, From: "2027-01-01"})
	wantField(t, err, "from", "pension.what_if_from")

	// Other income pushes the estimate past the threshold: one event each
	// for 80 % and 100 %, never twice.
	for range 2 {
		if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single", OtherIncomeKr: 90_000}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ = f.svc.Status(ctx, f.p1, "participant-1", 0)
	if st.Light != pension.Red || st.EstimatedReductionKr == 0 {
		t.Errorf("with 90000 kr other income: light %s, reduction %d", st.Light, st.EstimatedReductionKr)
	}
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-06-14", Hours: 1, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"pension.threshold_80", "pension.threshold_100"} {
		if n := len(f.events(t, "participant-1", typ)); n != 1 {
			t.Errorf("%s events = %d, want 1", typ, n)
		}
	}

	_, err = f.svc.Status(ctx, f.p1, "participant-1", 2027)
	wantKind(t, err, apperr.RuleViolation, "pension.future_year")
	_, err = f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single", PartnerOtherIncomeKr: 5})
	wantField(t, err, "household", "pension.partner_single")
}

func ptr[T any](v T) *T { return &v }

// Hours of December count for that year only: in January the new year
// starts from zero, last year stays closed for changes, and its estimate
// is still there to look at.
func TestYearBoundary(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clk.Set(time.Date(2025, 12, 30, 12, 0, 0, 0, time.UTC))
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2025-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2025-12-29", Hours: 4})
	if err != nil {
		t.Fatal(err)
	}

	f.clk.Set(time.Date(2026, 1, 2, 8, 0, 0, 0, time.UTC)) // Friday 2 January, 09:00 in Copenhagen
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2026-01-02", Hours: 2, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	// In January last December is still open: the last days are often
	// reported after New Year.
	if _, err := f.svc.UpdateHours(ctx, f.p1, "participant-1", dec.ID, work.HoursInput{Date: "2025-12-29", Hours: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2025-12-30", Hours: 0.5, EmploymentID: e.ID}); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)) // from February it is closed
	_, err = f.svc.UpdateHours(ctx, f.p1, "participant-1", dec.ID, work.HoursInput{Date: "2025-12-29", Hours: 5})
	wantKind(t, err, apperr.RuleViolation, "hours.closed_year")
	err = f.svc.DeleteHours(ctx, f.p1, "participant-1", dec.ID)
	wantKind(t, err, apperr.RuleViolation, "hours.closed_year")
	_, err = f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2025-12-31", Hours: 1, EmploymentID: e.ID})
	wantKind(t, err, apperr.RuleViolation, "hours.closed_year")

	now, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if now.Year != 2026 || now.YTDGrossWageKr != 300 || now.Basis != pension.BasisPlan {
		t.Errorf("2026 so far: year %d, YTD %d; want 2026, 300 (2 h × 150 kr)", now.Year, now.YTDGrossWageKr)
	}
	last, err := f.svc.Status(ctx, f.p1, "participant-1", 2025)
	if err != nil {
		t.Fatal(err)
	}
	// 2025: the whole year is history; no projection, no plan.
	// 4.5 h × 150 kr = 675 kr.
	if last.Year != 2025 || last.YTDGrossWageKr != 675 || last.RestOfYearGrossWageKr != 0 || last.Basis != pension.BasisYTDOnly {
		t.Errorf("2025 = year %d, YTD %d, rest %d, basis %s; want 2025, 675, 0, ytd_only", last.Year, last.YTDGrossWageKr, last.RestOfYearGrossWageKr, last.Basis)
	}
}

// The estimate follows each job's own dates, counts a payslip's month once
// and averages only over the weeks there were.
func TestEstimateFollowsEachJobsDates(t *testing.T) {
	ctx := context.Background()
	status := func(t *testing.T, f *fixture) work.PensionStatus {
		t.Helper()
		st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	t.Run("a job starting in August counts from August", func(t *testing.T) {
		f := newFixture(t)
		in := ordinary("2026-08-01")
		in.WeeklyHours, in.HourlyWageOre = 30, 200_00
		if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", in); err != nil {
			t.Fatal(err)
		}
		// 1 Aug – 31 Dec: 153 days × 6.000 kr / 7 = 131.142,86.
		if st := status(t, f); st.Basis != pension.BasisPlan || st.RestOfYearGrossWageKr != 131_143 || st.Light != pension.Red {
			t.Errorf("future job: basis %s, rest %d, light %s", st.Basis, st.RestOfYearGrossWageKr, st.Light)
		}
		// Creating it crossed both thresholds: the events come at once.
		for _, typ := range []string{"pension.threshold_80", "pension.threshold_100"} {
			if n := len(f.events(t, "participant-1", typ)); n != 1 {
				t.Errorf("%s events = %d, want 1", typ, n)
			}
		}
	})

	t.Run("a job with an agreed end stops counting there", func(t *testing.T) {
		f := newFixture(t)
		in := ordinary("2026-06-01")
		in.EndDate = "2026-06-30"
		if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", in); err != nil {
			t.Fatal(err)
		}
		// 16–30 June: 15 days × 1.500 kr / 7 = 3.214,29.
		if st := status(t, f); st.RestOfYearGrossWageKr != 3_214 {
			t.Errorf("ending job: rest %d, want 3214", st.RestOfYearGrossWageKr)
		}
	})

	t.Run("this month's payslip covers the whole month", func(t *testing.T) {
		f := newFixture(t)
		e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-01-05"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-06", GrossOre: 6500_00, Hours: 43}); err != nil {
			t.Fatal(err)
		}
		// YTD is the payslip; the plan runs from 1 July: 184 days × 1.500 / 7 = 39.428,57.
		if st := status(t, f); st.YTDGrossWageKr != 6_500 || st.RestOfYearGrossWageKr != 39_429 {
			t.Errorf("with June's payslip: YTD %d, rest %d; want 6500, 39429", st.YTDGrossWageKr, st.RestOfYearGrossWageKr)
		}
	})

	t.Run("one week of hours is a week's average, not a quarter of one", func(t *testing.T) {
		f := newFixture(t)
		in := ordinary("2026-06-08")
		in.WeeklyHours = 0 // no agreed hours: the average decides
		e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", in)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"} {
			if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: d, Hours: 5, EmploymentID: e.ID}); err != nil {
				t.Fatal(err)
			}
		}
		// 25 h × 150 kr = 3.750 kr in the 8 days since the start: 3.281,25 a
		// week → 3.281 kr; × 199 days / 7 = 93.274,43.
		if st := status(t, f); st.Basis != pension.BasisRecentAverage || st.RestOfYearGrossWageKr != 93_274 {
			t.Errorf("one week's average: basis %s, rest %d; want recent_average, 93274", st.Basis, st.RestOfYearGrossWageKr)
		}
	})

	t.Run("a what-if keeps the agreed hours until its date", func(t *testing.T) {
		f := newFixture(t)
		if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-01-05")); err != nil {
			t.Fatal(err)
		}
		st, err := f.svc.Simulate(ctx, f.p1, "participant-1", work.WhatIfInput{WeeklyHours: 10, HourlyWageOre: 150_00, From: "2026-09-01"})
		if err != nil {
			t.Fatal(err)
		}
		// The same 10 h from 1 September as already agreed: the same as the status.
		if plain := status(t, f); st.RestOfYearGrossWageKr != plain.RestOfYearGrossWageKr {
			t.Errorf("what-if of the agreed hours: rest %d, status rest %d", st.RestOfYearGrossWageKr, plain.RestOfYearGrossWageKr)
		}
	})
}

func TestEndingAJobOnceAndItsFollowUps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-06-05"))
	if err != nil {
		t.Fatal(err)
	}
	// The counselor moves the 3-month meeting; the job then ends before it.
	if _, err := f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-3m", work.FollowUpChange{Date: "2026-09-22"}); err != nil {
		t.Fatal(err)
	}
	// Two ends at once: exactly one wins.
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := f.svc.EndEmployment(ctx, f.p1, "participant-1", e.ID, work.EndInput{EndDate: "2026-06-30", Reason: models.EndCompanyEnded})
			errs <- err
		}()
	}
	ok := 0
	for range 2 {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantKind(t, err, apperr.Conflict, "employment.ended")
		}
	}
	if ok != 1 || len(f.events(t, "counselor-a", "employment.ended")) != 1 {
		t.Fatalf("ends that succeeded = %d, events = %d; want 1 and 1", ok, len(f.events(t, "counselor-a", "employment.ended")))
	}
	fus, _ := f.svc.FollowUps(ctx, f.counselor, "participant-1")
	for _, fu := range fus {
		if fu.Date > "2026-06-30" && fu.Status != models.FollowUpCancelled {
			t.Errorf("follow-up %s on %s after the end is %s", fu.Kind, fu.Date, fu.Status)
		}
	}
	// An edit after the end is refused; the end stays.
	in := ordinary("2026-06-05")
	in.Version = 1
	_, err = f.svc.UpdateEmployment(ctx, f.p1, "participant-1", e.ID, in)
	wantKind(t, err, apperr.Conflict, "employment.ended")
	got, _ := f.svc.Employment(ctx, f.p1, "participant-1", e.ID)
	if got.EndedAt == nil || got.EndDate != "2026-06-30" || got.EndReason != models.EndCompanyEnded || got.Current {
		t.Errorf("ended employment = %+v", got.Employment)
	}
}

func TestFlexjobAndBackReplansFollowUps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.svc.CreateEmployment(ctx, f.counselor, "participant-1", ordinary("2026-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	in := ordinary("2026-06-15")
	in.Type, in.Version = models.EmploymentFlexjob, 1
	if _, err := f.svc.UpdateEmployment(ctx, f.counselor, "participant-1", e.ID, in); err != nil {
		t.Fatal(err)
	}
	in.Type, in.Version = models.EmploymentOrdinary, 2 // a mistake, corrected
	if _, err := f.svc.UpdateEmployment(ctx, f.counselor, "participant-1", e.ID, in); err != nil {
		t.Fatal(err)
	}
	fus, _ := f.svc.FollowUps(ctx, f.counselor, "participant-1")
	if len(fus) != 4 {
		t.Fatalf("follow-ups = %d, want 4", len(fus))
	}
	for _, fu := range fus {
		if fu.Status != models.FollowUpPlanned {
			t.Errorf("after flexjob and back, follow-up %s is %s", fu.Kind, fu.Status)
		}
	}
}

// The notes come in the same order on every call, however many active
// employments add one (the employments were read into a map).
func TestPensionNotesKeepTheirOrder(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, typ := range []models.EmploymentType{models.EmploymentInternship, models.EmploymentFlexjob, models.EmploymentInternship} {
		in := ordinary("2026-06-01")
		in.Type, in.HourlyWageOre = typ, 0
		if typ == models.EmploymentFlexjob {
			in.HourlyWageOre = 150_00
		}
		if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", in); err != nil {
			t.Fatal(err)
		}
	}
	codes := func() string {
		st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range st.Notes {
			out = append(out, n.Code)
		}
		return strings.Join(out, ",")
	}
	first := codes()
	for range 20 {
		if got := codes(); got != first {
			t.Fatalf("notes %s, then %s", first, got)
		}
	}
}

// A what-if in December, when a payslip for December is in (or on 31
// December itself), has no day left to count: it answers with the year's
// estimate and says so, never with a field error for a plan nobody sent.
func TestWhatIfWhenTheYearIsCovered(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		now     time.Time
		payslip bool
		from    string
	}{
		{name: "3 December with December's payslip", now: time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC), payslip: true},
		{name: "a from date in December with December's payslip", now: time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC), payslip: true, from: "2026-12-10"},
		{name: "New Year's Eve evening without a payslip", now: time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.clk.Set(tt.now)
			e, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2026-01-05"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.payslip {
				if _, err := f.svc.RecordPayslip(ctx, f.p1, "participant-1", work.PayslipInput{EmploymentID: e.ID, Month: "2026-12", GrossOre: 6000_00, Hours: 40}); err != nil {
					t.Fatal(err)
				}
			}
			st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
			if err != nil {
				t.Fatal(err)
			}
			sim, err := f.svc.Simulate(ctx, f.p1, "participant-1", work.WhatIfInput{WeeklyHours: 10, HourlyWageOre: 150_00, From: tt.from})
			if err != nil {
				t.Fatalf("Simulate() error = %v", err)
			}
			if sim.RestOfYearGrossWageKr != 0 || sim.ProjectedGrossWageKr != st.ProjectedGrossWageKr || !hasNote(sim, work.NoteWhatIfNoDaysLeft) {
				t.Errorf("what-if: rest %d, projected %d (status %d), notes %v; want 0, the status's, %s",
					sim.RestOfYearGrossWageKr, sim.ProjectedGrossWageKr, st.ProjectedGrossWageKr, sim.Notes, work.NoteWhatIfNoDaysLeft)
			}
			if hasNote(st, work.NoteWhatIfNoDaysLeft) {
				t.Errorf("the plain status carries %s", work.NoteWhatIfNoDaysLeft)
			}
		})
	}
}

// A hire entered after its 14-day talk was due still gets the talk, at
// once, shown to the counselor (never to the participant) as overdue; once
// the 3-month meeting has passed too, that meeting is the next one.
func TestLateHireKeepsItsFourteenDayTalk(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t) // Monday 15 June 2026
	// Started Monday 25 May: the talk was due Monday 8 June.
	e, err := f.svc.CreateEmployment(ctx, f.counselor, "participant-1", ordinary("2026-05-25"))
	if err != nil {
		t.Fatal(err)
	}
	staff, err := f.svc.FollowUps(ctx, f.counselor, "participant-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(staff) != 4 || staff[0].ID != e.ID+"-14d" || staff[0].Date != "2026-06-15" || staff[0].ScheduledDate != "2026-06-08" ||
		staff[0].Status != models.FollowUpPlanned || !staff[0].Overdue {
		t.Fatalf("the counselor sees %+v; want the 14-day talk planned today, due 8 June, overdue", staff)
	}
	for _, fu := range staff[1:] {
		if fu.Overdue {
			t.Errorf("follow-up %s on %s is overdue", fu.Kind, fu.Date)
		}
	}
	own, err := f.svc.FollowUps(ctx, f.p1, "participant-1")
	if err != nil {
		t.Fatal(err)
	}
	if own[0].Kind != "14d" || own[0].Date != "2026-06-15" || own[0].Overdue {
		t.Errorf("the participant sees %+v; want the talk today, not marked late", own[0])
	}
	// Held today: no longer overdue.
	done, err := f.svc.UpdateFollowUp(ctx, f.counselor, "participant-1", e.ID+"-14d", work.FollowUpChange{Status: models.FollowUpDone})
	if err != nil || done.Overdue {
		t.Fatalf("done follow-up = %+v, %v", done, err)
	}

	// Started in February: the 3-month meeting (4 May) is past too, so the
	// 6- and 12-month meetings are what is left.
	in := ordinary("2026-02-02")
	in.Company.Name = "Netto Gullestrup"
	if _, err := f.svc.CreateEmployment(ctx, f.counselor, "participant-2", in); err == nil {
		t.Fatal("counselor-a created an employment for counselor-b's participant")
	}
	if _, err := f.svc.CreateEmployment(ctx, f.other, "participant-2", in); err != nil {
		t.Fatal(err)
	}
	fus, err := f.svc.FollowUps(ctx, f.other, "participant-2")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, fu := range fus {
		kinds = append(kinds, fu.Kind)
	}
	if strings.Join(kinds, ",") != "6m,12m" {
		t.Errorf("follow-ups of a February hire entered in June: %v, want 6m,12m", kinds)
	}
}

// Two pensioners with partner income: a year keeps its own threshold,
// amount and rate when it lacks only the cap on a pensioner partner's
// income (only 2021 has it), and the notes say that this one figure is
// older, not that the whole year's figures are missing.
func TestPensionPartnerCapFromEarlierYear(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "couple_both_pensioners", PartnerOtherIncomeKr: 10_000}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		year      int
		wantBased int
		wantNotes []string
		wantNot   []string
	}{
		{year: 2024, wantNotes: []string{work.NoteFigureFromEarlierYear}, wantNot: []string{work.NoteOlderFigures}},
		// 2026 has no couple figures: 2025's threshold and amount, 2021's cap.
		{year: 0, wantBased: 2025, wantNotes: []string{work.NoteOlderFigures, work.NoteFigureFromEarlierYear}},
	}
	for _, tt := range tests {
		st, err := f.svc.Status(ctx, f.p1, "participant-1", tt.year)
		if err != nil {
			t.Fatal(err)
		}
		if st.EstimateBasedOnYear != tt.wantBased || st.PartnerContributionKr != 10_000 {
			t.Errorf("year %d: based on %d, partner %d; want %d, 10000", tt.year, st.EstimateBasedOnYear, st.PartnerContributionKr, tt.wantBased)
		}
		for _, n := range tt.wantNotes {
			if !hasNote(st, n) {
				t.Errorf("year %d: notes %v lack %s", tt.year, st.Notes, n)
			}
		}
		for _, n := range tt.wantNot {
			if hasNote(st, n) {
				t.Errorf("year %d: notes %v carry %s", tt.year, st.Notes, n)
			}
		}
	}
}

// Above the cut-off the pension is reduced by the whole pension, never
// more, and the note says the pension is 0 kr for the year instead of
// naming a reduction larger than the pension.
func TestPensionStopsAboveTheCutOff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// 1.000.000 kr other income: 30 % × (1.000.000 − 86.900) = 273.930 is
	// more than the 244.440 kr pension (2024 figures, used for 2026).
	if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single", OtherIncomeKr: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if st.EstimatedReductionKr != 244_440 || st.AnnualPensionKr != 244_440 || st.EstimatedPensionKr != 0 {
		t.Errorf("reduction %d of %d, pension %d; want 244440 of 244440, 0", st.EstimatedReductionKr, st.AnnualPensionKr, st.EstimatedPensionKr)
	}
	if st.Notes[0].Code != work.NotePensionStops || hasNote(st, work.NoteOverThreshold) {
		t.Errorf("notes %v: want %s first and no %s", st.Notes, work.NotePensionStops, work.NoteOverThreshold)
	}
}

// A finished year (a past year, or this year on 31 December) is a result:
// its headline says what the year came to, and no note speaks of the rest
// of the year, of what is earned "so far" or of room for more.
func TestFinishedYearIsAResult(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		now      time.Time
		year     int
		otherKr  int64
		wantHead string
		wantWage int64
	}{
		// 2025: 4 h × 150 kr logged in December 2025.
		{name: "last year, below the threshold", now: t0, year: 2025, wantHead: work.NoteYearEndedBelow, wantWage: 600},
		{name: "last year, above the threshold", now: t0, year: 2025, otherKr: 100_000, wantHead: work.NoteYearEndedOver, wantWage: 600},
		{name: "last year, above the cut-off", now: t0, year: 2025, otherKr: 1_000_000, wantHead: work.NoteYearEndedPensionStops, wantWage: 600},
		// 31 December 2026, 10:00 in Copenhagen: nothing is left to project.
		{name: "this year on 31 December", now: time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC), wantHead: work.NoteYearEndedBelow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.clk.Set(time.Date(2025, 12, 15, 9, 0, 0, 0, time.UTC))
			if _, err := f.svc.CreateEmployment(ctx, f.p1, "participant-1", ordinary("2025-12-01")); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.LogHours(ctx, f.p1, "participant-1", work.HoursInput{Date: "2025-12-15", Hours: 4}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.UpdatePensionProfile(ctx, f.p1, "participant-1", work.ProfileInput{Household: "single", OtherIncomeKr: tt.otherKr}); err != nil {
				t.Fatal(err)
			}
			f.clk.Set(tt.now)
			st, err := f.svc.Status(ctx, f.p1, "participant-1", tt.year)
			if err != nil {
				t.Fatal(err)
			}
			if st.Notes[0].Code != tt.wantHead || st.YTDGrossWageKr != tt.wantWage || st.RestOfYearGrossWageKr != 0 {
				t.Errorf("headline %s, wage %d, rest %d; want %s, %d, 0", st.Notes[0].Code, st.YTDGrossWageKr, st.RestOfYearGrossWageKr, tt.wantHead, tt.wantWage)
			}
			for _, n := range []string{work.NoteHeadroom, work.NoteOverThreshold, work.NotePensionStops,
				work.NoteBasisPlan, work.NoteBasisRecent, work.NoteBasisYTDOnly} {
				if hasNote(st, n) {
					t.Errorf("a finished year's notes %v carry %s", st.Notes, n)
				}
			}
			if !hasNote(st, work.NoteEstimate) {
				t.Errorf("notes %v lack %s", st.Notes, work.NoteEstimate)
			}
		})
	}
	// The day before, this year is still projected.
	f := newFixture(t)
	f.clk.Set(time.Date(2026, 12, 30, 9, 0, 0, 0, time.UTC))
	st, err := f.svc.Status(ctx, f.p1, "participant-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Notes[0].Code != work.NoteHeadroom || !hasNote(st, work.NoteBasisYTDOnly) {
		t.Errorf("30 December: notes %v; want %s and %s", st.Notes, work.NoteHeadroom, work.NoteBasisYTDOnly)
	}
}
