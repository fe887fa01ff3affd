package checkin_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/checkin"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

var _ checkin.Store = (*store.Store)(nil)

// Monday 16 November 2026, 10:00 in Copenhagen.
var t0 = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

type clock = storetest.Clock

// fixture: Herning has eight active participants of counselor Mette (h0 to
// h7) and one who has not activated the app; Aarhus has two of counselor
// Jonas. Participants are asked three per batch.
type fixture struct {
	svc *checkin.Service
	msg *messaging.Service
	st  *store.Store
	clk *clock

	mette, jonas, sofie, admin auth.Principal
	herning, aarhus            string
}

func participant(id, dept string) auth.Principal {
	return auth.Principal{UserID: id, Role: models.RoleParticipant, DeptID: dept}
}

func newFixture(t *testing.T, wrap func(checkin.Store) checkin.Store) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	ctx := context.Background()
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	f := &fixture{st: st, clk: clk, herning: "dept-herning", aarhus: "dept-aarhus"}
	for _, d := range []models.Department{{ID: f.herning, Name: "Herning", CreatedAt: t0}, {ID: f.aarhus, Name: "Aarhus", CreatedAt: t0}} {
		if err := st.InsertDepartment(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	users := []models.User{
		{ID: "mette", Role: models.RoleCounselor, Name: "Mette", DepartmentID: f.herning, Status: models.StatusActive},
		{ID: "jonas", Role: models.RoleCounselor, Name: "Jonas", DepartmentID: f.aarhus, Status: models.StatusActive},
		{ID: "h-invited", Role: models.RoleParticipant, Name: "Ny", DepartmentID: f.herning, CounselorID: "mette", Status: models.StatusInvited},
		{ID: "a0", Role: models.RoleParticipant, Name: "Aske", DepartmentID: f.aarhus, CounselorID: "jonas", Status: models.StatusActive},
		{ID: "a1", Role: models.RoleParticipant, Name: "Asta", DepartmentID: f.aarhus, CounselorID: "jonas", Status: models.StatusActive},
	}
	for i := range 8 {
		users = append(users, models.User{ID: fmt.Sprint("h", i), Role: models.RoleParticipant, Name: fmt.Sprint("Deltager ", i),
			DepartmentID: f.herning, CounselorID: "mette", Status: models.StatusActive})
	}
	for _, u := range users {
		u.CreatedAt = t0
		if err := st.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	f.msg = messaging.New(st, availability.New(st, clk.Now, newID), clk.Now, newID)
	var cs checkin.Store = st
	if wrap != nil {
		cs = wrap(st)
	}
	f.svc = checkin.New(cs, f.msg, clk.Now, newID)
	checkin.SetBatch(f.svc, 3)
	f.mette = auth.Principal{UserID: "mette", Role: models.RoleCounselor, DeptID: f.herning}
	f.jonas = auth.Principal{UserID: "jonas", Role: models.RoleCounselor, DeptID: f.aarhus}
	f.sofie = auth.Principal{UserID: "sofie", Role: models.RoleCoordinator, DeptID: f.herning}
	f.admin = auth.Principal{UserID: "admin", Role: models.RoleAdmin}
	return f
}

func (f *fixture) events(t *testing.T, recipient string) []models.Event {
	t.Helper()
	items, _, err := f.st.Events(context.Background(), recipient, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Event
	for _, e := range items {
		if e.Type == "checkin.sent" {
			out = append(out, e)
		}
	}
	return out
}

func wantError(t *testing.T, what string, err error, kind apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("%s: %v, want %s %s", what, err, kind, code)
	}
	found := ae.Code == code
	for _, fe := range ae.Fields {
		found = found || fe.Code == code
	}
	if ae.Kind != kind || !found {
		t.Fatalf("%s: %s %s %+v, want %s %s", what, ae.Kind, ae.Code, ae.Fields, kind, code)
	}
}

func TestSendAsksEveryActiveParticipantOfTheDepartmentOnce(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c, err := f.svc.Send(ctx, f.mette, checkin.SendInput{Audience: checkin.AudienceDepartment})
	if err != nil {
		t.Fatal(err)
	}
	if c.DepartmentID != f.herning || c.Recipients != 8 || c.SentAt == nil || !c.ClosesAt.Equal(t0.AddDate(0, 0, 7)) {
		t.Fatalf("check-in = %+v, want Herning's 8 active participants, open a week", c)
	}
	for i := range 8 {
		es := f.events(t, fmt.Sprint("h", i))
		if len(es) != 1 {
			t.Fatalf("h%d was told %d times, want 1", i, len(es))
		}
		e := es[0]
		if e.Params["checkInId"] != c.ID || e.Params["senderId"] != "mette" || e.CollapseKey != "checkin" ||
			e.ExpiresAt == nil || !e.ExpiresAt.Equal(c.ClosesAt) || !e.DueAt.Equal(t0) {
			t.Errorf("h%d's event = %+v", i, e)
		}
	}
	for _, id := range []string{"h-invited", "a0", "mette"} {
		if n := len(f.events(t, id)); n != 0 {
			t.Errorf("%s was asked (%d events), want not", id, n)
		}
	}

	all, err := f.svc.Send(ctx, f.admin, checkin.SendInput{Audience: checkin.AudienceEveryone, OpenDays: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	if all.DepartmentID != "" || all.Recipients != 10 || !all.ClosesAt.Equal(t0.AddDate(0, 0, 2)) {
		t.Errorf("check-in to everyone = %+v, want 10 asked, open two days", all)
	}
	if n := len(f.events(t, "h0")); n != 2 {
		t.Errorf("h0 has %d check-in events after two check-ins, want 2", n)
	}
}

func TestWhoMaySendToWhom(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	tests := []struct {
		name string
		who  auth.Principal
		in   checkin.SendInput
		kind apperr.Kind
		code string
	}{
		{name: "counselor to another department", who: f.mette, in: checkin.SendInput{Audience: checkin.AudienceDepartment, DepartmentID: f.aarhus}, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "counselor to everyone", who: f.mette, in: checkin.SendInput{Audience: checkin.AudienceEveryone}, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "coordinator", who: f.sofie, in: checkin.SendInput{Audience: checkin.AudienceDepartment}, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "participant", who: participant("h0", f.herning), in: checkin.SendInput{Audience: checkin.AudienceDepartment}, kind: apperr.Forbidden, code: "auth.forbidden"},
		{name: "no audience", who: f.admin, in: checkin.SendInput{}, kind: apperr.Invalid, code: "checkin.audience"},
		{name: "everyone with a department", who: f.admin, in: checkin.SendInput{Audience: checkin.AudienceEveryone, DepartmentID: f.aarhus}, kind: apperr.Invalid, code: "checkin.audience"},
		{name: "admin without a department", who: f.admin, in: checkin.SendInput{Audience: checkin.AudienceDepartment}, kind: apperr.Invalid, code: "field.required"},
		{name: "open too long", who: f.mette, in: checkin.SendInput{Audience: checkin.AudienceDepartment, OpenDays: ptr(15)}, kind: apperr.Invalid, code: "checkin.open_days"},
		{name: "open no days", who: f.mette, in: checkin.SendInput{Audience: checkin.AudienceDepartment, OpenDays: ptr(0)}, kind: apperr.Invalid, code: "checkin.open_days"},
		{name: "unknown department", who: f.admin, in: checkin.SendInput{Audience: checkin.AudienceDepartment, DepartmentID: "dept-x"}, kind: apperr.Invalid, code: "department.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Send(ctx, tt.who, tt.in)
			wantError(t, tt.name, err, tt.kind, tt.code)
		})
	}
	if _, err := f.svc.Send(ctx, f.admin, checkin.SendInput{Audience: checkin.AudienceDepartment, DepartmentID: f.aarhus}); err != nil {
		t.Errorf("admin to Aarhus: %v", err)
	}
}

// failingStore fails recording events once, after the first batch.
type failingStore struct {
	checkin.Store
	mu      sync.Mutex
	batches int
	failed  bool
}

func (s *failingStore) RecordEvents(ctx context.Context, es []models.Event) error {
	s.mu.Lock()
	s.batches++
	fail := s.batches == 2 && !s.failed
	s.failed = s.failed || fail
	s.mu.Unlock()
	if fail {
		return errors.New("connection reset")
	}
	return s.Store.RecordEvents(ctx, es)
}

func TestARetryAfterAFailedSendFinishesTheSameCheckIn(t *testing.T) {
	f := newFixture(t, func(s checkin.Store) checkin.Store { return &failingStore{Store: s} })
	ctx := context.Background()
	in := checkin.SendInput{Audience: checkin.AudienceDepartment}
	if _, err := f.svc.Send(ctx, f.mette, in); err == nil {
		t.Fatal("the first send succeeded, want the injected failure")
	}
	told := 0
	for i := range 8 {
		told += len(f.events(t, fmt.Sprint("h", i)))
	}
	if told != 2 { // the first batch is h-invited (not asked), h0 and h1
		t.Fatalf("%d told before the failure, want the first batch's 2", told)
	}
	f.clk.Set(t0.Add(time.Minute))
	c, err := f.svc.Send(ctx, f.mette, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Recipients != 8 || !c.CreatedAt.Equal(t0) {
		t.Fatalf("retried check-in = %+v, want the first one, sent to 8", c)
	}
	for i := range 8 {
		es := f.events(t, fmt.Sprint("h", i))
		if len(es) != 1 || es[0].Params["checkInId"] != c.ID {
			t.Errorf("h%d: %d events after the retry, want exactly 1 for %s", i, len(es), c.ID)
		}
	}
	again, err := f.svc.Send(ctx, f.mette, in)
	if err != nil || again.ID == c.ID {
		t.Fatalf("sending after a finished check-in = %s, %v; want a new check-in", again.ID, err)
	}
}

func TestAnswersChangeOfMindCallbackAndTally(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c, err := f.svc.Send(ctx, f.mette, checkin.SendInput{Audience: checkin.AudienceDepartment})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(who string, choice models.CheckInChoice, text string) checkin.AnswerView {
		t.Helper()
		v, err := f.svc.Answer(ctx, participant(who, f.herning), c.ID, checkin.AnswerInput{Choice: choice, Text: text})
		if err != nil {
			t.Fatalf("%s answers %s: %v", who, choice, err)
		}
		return v
	}
	if v := answer("h0", models.CheckInGood, ""); v.Version != 1 || v.CallbackRequested {
		t.Fatalf("first answer = %+v", v)
	}
	if v := answer("h0", models.CheckInGood, ""); v.Version != 1 {
		t.Errorf("the same answer again made version %d, want 1 (no change)", v.Version)
	}
	f.clk.Set(t0.Add(time.Hour))
	v := answer("h0", models.CheckInTalk, "  Det er svært på arbejdet lige nu.  ")
	if v.Version != 2 || !v.CallbackRequested || v.Text != "Det er svært på arbejdet lige nu." {
		t.Fatalf("changed answer = %+v", v)
	}
	answer("h0", models.CheckInTalk, "Det er svært på arbejdet lige nu. Ring gerne i eftermiddag.")
	answer("h1", models.CheckInOkay, "")
	answer("h2", models.CheckInGood, "")

	conv, err := f.msg.List(ctx, f.mette, "h0", "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	callbacks := 0
	for _, m := range conv.Items {
		if m.Kind == models.MessageCallback {
			callbacks++
			if m.CallbackReason != models.CallbackSomeElse || !strings.HasPrefix(m.Text, "Svar på check-in") || !strings.Contains(m.Text, "svært på arbejdet") {
				t.Errorf("callback = %+v", m.Message)
			}
		}
	}
	if callbacks != 1 {
		t.Errorf("%d callback requests in h0's conversation, want 1 (one stays open until Mette writes)", callbacks)
	}
	inbox, _, err := f.msg.Inbox(ctx, f.mette, messaging.InboxCallbacks, models.Page{Limit: 20})
	if err != nil || len(inbox) != 1 || inbox[0].ParticipantID != "h0" {
		t.Errorf("Mette's callbacks inbox = %+v, %v", inbox, err)
	}

	res, err := f.svc.Results(ctx, f.admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := checkin.Counts{Asked: 8, Good: 1, Okay: 1, Talk: 1, NoAnswer: 5}
	if res.Total != want || len(res.Departments) != 1 || res.Departments[0].DepartmentName != "Herning" || res.MyParticipants != nil || !res.Open {
		t.Fatalf("admin's results = %+v, want %+v for Herning and no names", res, want)
	}
	mine, err := f.svc.Results(ctx, f.mette, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Total != want || len(mine.MyParticipants) != 8 {
		t.Fatalf("Mette's results = %+v", mine)
	}
	first, second, last := mine.MyParticipants[0], mine.MyParticipants[1], mine.MyParticipants[7]
	if first.ParticipantID != "h0" || first.Choice != models.CheckInTalk || !strings.Contains(first.Text, "eftermiddag") ||
		second.Choice != "" || last.Choice != models.CheckInGood {
		t.Errorf("Mette's participants in order %+v, want talk first, then those not answered, good last", mine.MyParticipants)
	}
	_, err = f.svc.Results(ctx, f.jonas, c.ID)
	wantError(t, "another department's counselor", err, apperr.Forbidden, "auth.forbidden")
	_, err = f.svc.Results(ctx, f.sofie, c.ID)
	wantError(t, "a coordinator", err, apperr.Forbidden, "auth.forbidden")
	_, err = f.svc.Results(ctx, f.admin, "nope")
	wantError(t, "an unknown check-in", err, apperr.NotFound, "checkin.not_found")

	_, err = f.svc.Answer(ctx, participant("a0", f.aarhus), c.ID, checkin.AnswerInput{Choice: models.CheckInGood})
	wantError(t, "a participant not asked", err, apperr.NotFound, "checkin.not_found")
	_, err = f.svc.Answer(ctx, f.mette, c.ID, checkin.AnswerInput{Choice: models.CheckInGood})
	wantError(t, "a counselor answers", err, apperr.Forbidden, "auth.forbidden")
	_, err = f.svc.Answer(ctx, participant("h3", f.herning), c.ID, checkin.AnswerInput{Choice: "great"})
	wantError(t, "an unknown choice", err, apperr.Invalid, "checkin.choice")
	_, err = f.svc.Answer(ctx, participant("h3", f.herning), c.ID, checkin.AnswerInput{Choice: models.CheckInOkay, Text: strings.Repeat("å", 501)})
	wantError(t, "a long text", err, apperr.Invalid, "field.too_long")
	f.clk.Set(c.ClosesAt)
	_, err = f.svc.Answer(ctx, participant("h3", f.herning), c.ID, checkin.AnswerInput{Choice: models.CheckInOkay})
	wantError(t, "after it closed", err, apperr.RuleViolation, "checkin.closed")
	if res, err := f.svc.Results(ctx, f.admin, c.ID); err != nil || res.Open {
		t.Errorf("results after closing: open %v, %v", res.Open, err)
	}
}

func TestAnEveryoneCheckInShowsACounselorTheirOwnDepartment(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c, err := f.svc.Send(ctx, f.admin, checkin.SendInput{Audience: checkin.AudienceEveryone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Answer(ctx, participant("a0", f.aarhus), c.ID, checkin.AnswerInput{Choice: models.CheckInOkay}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Results(ctx, f.jonas, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Departments) != 1 || res.Departments[0].DepartmentID != f.aarhus || res.Total != (checkin.Counts{Asked: 2, Okay: 1, NoAnswer: 1}) || len(res.MyParticipants) != 2 {
		t.Errorf("Jonas's results = %+v, want Aarhus only", res)
	}
	all, err := f.svc.Results(ctx, f.admin, c.ID)
	if err != nil || len(all.Departments) != 2 || all.Departments[0].DepartmentName != "Aarhus" || all.Total.Asked != 10 {
		t.Errorf("admin's results = %+v, %v; want both departments, by name", all, err)
	}
}

func TestAnswersFromTwoPhonesAtOnceAllCount(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c, err := f.svc.Send(ctx, f.mette, checkin.SendInput{Audience: checkin.AudienceDepartment})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := f.svc.Answer(ctx, participant("h5", f.herning), c.ID, checkin.AnswerInput{Choice: models.CheckInOkay, Text: fmt.Sprint("svar ", i)}); err != nil {
				t.Errorf("answer %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	res, err := f.svc.Results(ctx, f.mette, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total.Okay != 1 || res.Total.NoAnswer != 7 {
		t.Errorf("tally after racing answers = %+v, want one participant counted once", res.Total)
	}
	latest, err := f.st.LatestCheckInAnswer(ctx, c.ID, "h5")
	if err != nil || latest.Version != 4 {
		t.Errorf("latest answer = %+v, %v; want version 4 (every answer kept as its own version)", latest, err)
	}
}

func ptr[T any](v T) *T { return &v }
