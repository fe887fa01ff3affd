package messaging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// Monday 16 November 2026, 10:00 in Copenhagen: inside office hours.
var t0 = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

type clock = storetest.Clock

type fixture struct {
	svc   *messaging.Service
	avail *availability.Service
	st    *store.Store
	clk   *clock

	p1, p2, anne, bo, coord, admin auth.Principal
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	avail := availability.New(st, clk.Now, newID)
	f := &fixture{
		svc: messaging.New(st, avail, clk.Now, newID), avail: avail, st: st, clk: clk,
		p1:    auth.Principal{UserID: "participant-1", Role: models.RoleParticipant},
		p2:    auth.Principal{UserID: "participant-2", Role: models.RoleParticipant},
		anne:  auth.Principal{UserID: "counselor-anne", Role: models.RoleCounselor},
		bo:    auth.Principal{UserID: "counselor-bo", Role: models.RoleCounselor},
		coord: auth.Principal{UserID: "coordinator-1", Role: models.RoleCoordinator},
		admin: auth.Principal{UserID: "admin-1", Role: models.RoleAdmin},
	}
	for _, u := range []models.User{
		{ID: "participant-1", Role: models.RoleParticipant, Name: "Mette", CounselorID: "counselor-anne", Status: models.StatusActive, CreatedAt: t0},
		{ID: "participant-2", Role: models.RoleParticipant, Name: "Jonas", CounselorID: "counselor-bo", Status: models.StatusActive, CreatedAt: t0},
		{ID: "counselor-anne", Role: models.RoleCounselor, Name: "Anne", DepartmentID: "dept-1", Status: models.StatusActive, CreatedAt: t0},
		{ID: "counselor-bo", Role: models.RoleCounselor, Name: "Bo", DepartmentID: "dept-1", Status: models.StatusActive, CreatedAt: t0},
		{ID: "coordinator-1", Role: models.RoleCoordinator, Name: "Sofie", Status: models.StatusActive, CreatedAt: t0},
	} {
		if err := st.InsertUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) send(t *testing.T, p auth.Principal, participantID, clientID, text string) messaging.MessageView {
	t.Helper()
	m, _, err := f.svc.Send(context.Background(), p, participantID, messaging.SendInput{ClientID: clientID, Text: text})
	if err != nil {
		t.Fatalf("send %s: %v", clientID, err)
	}
	return m
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

func wantKind(t *testing.T, err error, kind apperr.Kind, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != kind || (code != "" && ae.Code != code) {
		t.Fatalf("error = %v, want %v %q", err, kind, code)
	}
}

func TestConversationReceiptsAndUnread(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	// The participant starts the conversation; the counselor is told once.
	m1 := f.send(t, f.p1, "participant-1", "c-1", "Hej Anne, jeg har fået en kontrakt.")
	if m1.Receipt != messaging.ReceiptDelivered || m1.SenderName != "Mette" {
		t.Fatalf("first message = %+v", m1)
	}
	again, created, err := f.svc.Send(ctx, f.p1, "participant-1", messaging.SendInput{ClientID: "c-1", Text: "Hej Anne, jeg har fået en kontrakt."})
	if err != nil || created || again.ID != m1.ID {
		t.Fatalf("resend = %s, created %v, %v; want the same message", again.ID, created, err)
	}
	if n := f.events(t, "counselor-anne", "message.received"); n != 1 {
		t.Fatalf("counselor events = %d, want 1", n)
	}

	inbox, _, err := f.svc.Inbox(ctx, f.anne, messaging.InboxUnanswered, models.Page{Limit: 50})
	if err != nil || len(inbox) != 1 || !inbox[0].Unanswered || inbox[0].Unread != 1 || inbox[0].WaitingSince == nil {
		t.Fatalf("inbox = %+v, %v", inbox, err)
	}

	// The counselor reads and answers.
	if err := f.svc.MarkRead(ctx, f.anne, "participant-1", m1.ID); err != nil {
		t.Fatal(err)
	}
	f.clk.Add(time.Hour)
	reply := f.send(t, f.anne, "participant-1", "a-1", "Hvor dejligt! Skal vi kigge på den sammen?")
	if reply.Receipt != messaging.ReceiptSent {
		t.Errorf("reply receipt for staff = %s, want sent", reply.Receipt)
	}
	if n := f.events(t, "participant-1", "message.received"); n != 1 {
		t.Errorf("participant events = %d, want 1", n)
	}

	// The participant sees "answered" on their message, never "read".
	page, err := f.svc.List(ctx, f.p1, "participant-1", "", "", 0)
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("list = %+v, %v", page, err)
	}
	if page.Items[0].Receipt != messaging.ReceiptAnswered || page.Items[1].Receipt != "" {
		t.Errorf("participant's receipts = %s, %s; want answered and none", page.Items[0].Receipt, page.Items[1].Receipt)
	}
	conv, err := f.svc.MyConversation(ctx, f.p1)
	if err != nil || conv.Unread != 1 || conv.Counselor == nil || conv.Counselor.Name != "Anne" || !conv.InOfficeHours {
		t.Fatalf("participant's conversation = %+v, %v", conv, err)
	}
	// Once the participant has read it, the counselor sees "read".
	if err := f.svc.MarkRead(ctx, f.p1, "participant-1", reply.ID); err != nil {
		t.Fatal(err)
	}
	page, _ = f.svc.List(ctx, f.anne, "participant-1", "", "", 0)
	if page.Items[1].Receipt != messaging.ReceiptRead || page.Items[0].Receipt != "" {
		t.Errorf("counselor's receipts = %q, %q; want none and read", page.Items[0].Receipt, page.Items[1].Receipt)
	}
	inbox, _, _ = f.svc.Inbox(ctx, f.anne, messaging.InboxUnanswered, models.Page{Limit: 50})
	if len(inbox) != 0 {
		t.Errorf("answered conversation still in the unanswered inbox: %+v", inbox)
	}
	err = f.svc.MarkRead(ctx, f.p1, "participant-1", "zzzz")
	wantKind(t, err, apperr.Invalid, "request.invalid_fields")
	// A message ID from another conversation, or one older than the newest
	// but unknown, names no message of this conversation.
	other := f.send(t, f.p2, "participant-2", "other-1", "Hej Bo")
	f.send(t, f.p1, "participant-1", "later-1", "Tak for svaret")
	for _, id := range []string{other.ID, "0000"} {
		err = f.svc.MarkRead(ctx, f.p1, "participant-1", id)
		wantKind(t, err, apperr.Invalid, "request.invalid_fields")
		var ae *apperr.Error
		if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Code != "message.not_found" {
			t.Errorf("MarkRead(%q) = %v, want the field error message.not_found", id, err)
		}
	}
}

func TestPagingBothWays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ids []string
	for i := range 7 {
		ids = append(ids, f.send(t, f.p1, "participant-1", fmt.Sprintf("c-%d", i), fmt.Sprintf("besked %d", i)).ID)
	}
	newest, err := f.svc.List(ctx, f.p1, "participant-1", "", "", 3)
	if err != nil || len(newest.Items) != 3 || newest.Items[2].ID != ids[6] || newest.Older != ids[4] || newest.Newer != ids[6] {
		t.Fatalf("newest page = %d items, older %q newer %q, %v", len(newest.Items), newest.Older, newest.Newer, err)
	}
	older, _ := f.svc.List(ctx, f.p1, "participant-1", newest.Older, "", 3)
	if len(older.Items) != 3 || older.Items[0].ID != ids[1] || older.Items[2].ID != ids[3] || older.Older != ids[1] || older.Newer != ids[3] {
		t.Fatalf("older page: %d items, older %q, newer %q", len(older.Items), older.Older, older.Newer)
	}
	oldest, _ := f.svc.List(ctx, f.p1, "participant-1", older.Older, "", 3)
	if len(oldest.Items) != 1 || oldest.Items[0].ID != ids[0] || oldest.Older != "" {
		t.Fatalf("oldest page: %d items, older %q", len(oldest.Items), oldest.Older)
	}
	newer, _ := f.svc.List(ctx, f.p1, "participant-1", "", ids[3], 2)
	if len(newer.Items) != 2 || newer.Items[0].ID != ids[4] || newer.Newer != ids[5] {
		t.Fatalf("newer page: %d items, newer %q", len(newer.Items), newer.Newer)
	}
	// Polling with nothing new keeps the cursor.
	idle, _ := f.svc.List(ctx, f.p1, "participant-1", "", ids[6], 2)
	if len(idle.Items) != 0 || idle.Newer != ids[6] {
		t.Fatalf("idle poll: %d items, newer %q; want none and the same cursor", len(idle.Items), idle.Newer)
	}
	_, err = f.svc.List(ctx, f.p1, "participant-1", ids[1], ids[3], 2)
	wantKind(t, err, apperr.Invalid, "request.invalid_fields")
}

func TestOnlyTheParticipantTheCounselorAndAStandIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := f.send(t, f.p1, "participant-1", "c-1", "Hej")
	_, err := f.svc.List(ctx, f.p2, "participant-1", "", "", 0)
	wantKind(t, err, apperr.NotFound, "participant.not_found")
	for _, p := range []auth.Principal{f.bo, f.coord, f.admin} {
		_, err = f.svc.List(ctx, p, "participant-1", "", "", 0)
		wantKind(t, err, apperr.Forbidden, "auth.forbidden")
		_, _, err = f.svc.Send(ctx, p, "participant-1", messaging.SendInput{ClientID: "x", Text: "hej"})
		wantKind(t, err, apperr.Forbidden, "auth.forbidden")
	}

	// Anne is away until Thursday with Bo as stand-in: Bo may read and
	// answer, the participant is told once per absence, Bo is notified.
	if _, err := f.avail.SetAway(ctx, f.anne, "counselor-anne", availability.AwayInput{ReturnDate: "2026-11-19", StandInID: "counselor-bo"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.List(ctx, f.bo, "participant-1", "", "", 0); err != nil {
		t.Fatalf("stand-in reads: %v", err)
	}
	f.send(t, f.p1, "participant-1", "c-2", "Er du der?")
	f.send(t, f.p1, "participant-1", "c-3", "Det haster ikke.")
	if n := f.events(t, "counselor-bo", "message.received"); n != 2 {
		t.Errorf("stand-in's events = %d, want 2", n)
	}
	page, _ := f.svc.List(ctx, f.p1, "participant-1", "", "", 0)
	autos := 0
	for _, v := range page.Items {
		if v.Kind == models.MessageAutoOff {
			autos++
			if v.AutoReply == nil || v.AutoReply.StandInName != "Bo" || v.AutoReply.ReturnDate != "2026-11-19" {
				t.Errorf("auto-reply = %+v", v.AutoReply)
			}
		}
	}
	if autos != 1 {
		t.Errorf("auto-replies = %d, want exactly 1 per absence", autos)
	}
	inbox, _, err := f.svc.Inbox(ctx, f.bo, messaging.InboxAll, models.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	covering := false
	for _, it := range inbox {
		if it.ParticipantID == "participant-1" && it.CoveringFor != nil && it.CoveringFor.Name == "Anne" {
			covering = true
		}
	}
	if !covering {
		t.Errorf("stand-in's inbox lacks the covered conversation: %+v", inbox)
	}
	conv, _ := f.svc.MyConversation(ctx, f.p1)
	if conv.Away == nil || conv.Away.StandIn.Name != "Bo" || conv.Away.ReturnDate != "2026-11-19" {
		t.Errorf("conversation while away = %+v", conv.Away)
	}
	if _, _, err := f.svc.Open(ctx, f.bo, "participant-1", "nope"); err == nil {
		t.Error("an unknown attachment opened")
	}

	// Back on Thursday: Bo's access ends with the absence.
	f.clk.Add(4 * 24 * time.Hour)
	_, err = f.svc.List(ctx, f.bo, "participant-1", "", "", 0)
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")
	_ = m
}

func TestCallbackOpensAndClosesWithAReply(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.send(t, f.p1, "participant-1", "c-1", "Hej")
	cb, created, err := f.svc.RequestCallback(ctx, f.p1, "participant-1", messaging.CallbackInput{Reason: models.CallbackHardDay})
	if err != nil || !created || cb.Kind != models.MessageCallback {
		t.Fatalf("callback = %+v, %v, %v", cb, created, err)
	}
	again, created, err := f.svc.RequestCallback(ctx, f.p1, "participant-1", messaging.CallbackInput{Reason: models.CallbackPension})
	if err != nil || created || again.ID != cb.ID {
		t.Fatalf("second callback = %s, %v, %v; want the open one", again.ID, created, err)
	}
	_, _, err = f.svc.RequestCallback(ctx, f.p1, "participant-1", messaging.CallbackInput{Reason: "weather"})
	wantKind(t, err, apperr.Invalid, "request.invalid_fields")
	_, _, err = f.svc.RequestCallback(ctx, f.anne, "participant-1", messaging.CallbackInput{Reason: models.CallbackWork})
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")

	f.send(t, f.p2, "participant-2", "j-1", "Hej Bo") // not Anne's
	inbox, _, err := f.svc.Inbox(ctx, f.anne, messaging.InboxCallbacks, models.Page{Limit: 50})
	if err != nil || len(inbox) != 1 || inbox[0].OpenCallback == nil || inbox[0].OpenCallback.Reason != models.CallbackHardDay {
		t.Fatalf("callbacks inbox = %+v, %v", inbox, err)
	}
	f.send(t, f.anne, "participant-1", "a-1", "Jeg ringer dig op om lidt.")
	inbox, _, _ = f.svc.Inbox(ctx, f.anne, messaging.InboxCallbacks, models.Page{Limit: 50})
	if len(inbox) != 0 {
		t.Fatalf("callback still open after the reply: %+v", inbox)
	}
}

func TestAttachmentsAreSniffedAndPrivate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pdf := []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
	a, err := f.svc.Upload(ctx, f.p1, "participant-1", pdf)
	if err != nil || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) {
		t.Fatalf("upload = %+v, %v", a, err)
	}
	// Not visible to the counselor until a message carries it.
	_, _, err = f.svc.Open(ctx, f.anne, "participant-1", a.ID)
	wantKind(t, err, apperr.NotFound, "attachment.not_found")
	m, _, err := f.svc.Send(ctx, f.p1, "participant-1", messaging.SendInput{ClientID: "c-1", Text: "Min lønseddel", AttachmentIDs: []string{a.ID}})
	if err != nil || len(m.Attachments) != 1 {
		t.Fatalf("send with attachment = %+v, %v", m, err)
	}
	got, rc, err := f.svc.Open(ctx, f.anne, "participant-1", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, pdf) || got.ContentType != "application/pdf" {
		t.Fatalf("downloaded %d bytes of %s", len(b), got.ContentType)
	}
	_, _, err = f.svc.Open(ctx, f.coord, "participant-1", a.ID)
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")

	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...)
	_, err = f.svc.Upload(ctx, f.p1, "participant-1", exe)
	wantKind(t, err, apperr.UnsupportedMedia, "attachment.type")
	big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("a"), messaging.MaxAttachmentBytes)...)
	_, err = f.svc.Upload(ctx, f.p1, "participant-1", big)
	wantKind(t, err, apperr.TooLarge, "attachment.too_large")
	// Someone else's upload cannot be attached.
	b2, err := f.svc.Upload(ctx, f.anne, "participant-1", pdf)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Send(ctx, f.p1, "participant-1", messaging.SendInput{ClientID: "c-2", AttachmentIDs: []string{b2.ID}})
	wantKind(t, err, apperr.Invalid, "request.invalid_fields")
}

func TestReplyTimesAndHint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Four questions, each answered after 30 minutes of office hours; one
	// asked on Friday at 14:30 and answered on Monday at 09:30 (1 hour of
	// office hours, 67 hours of clock).
	for i := range 3 {
		f.send(t, f.p1, "participant-1", fmt.Sprintf("q-%d", i), "Spørgsmål")
		f.clk.Add(30 * time.Minute)
		f.send(t, f.anne, "participant-1", fmt.Sprintf("a-%d", i), "Svar")
		f.clk.Add(time.Hour)
	}
	f.clk.Set(t0.Add(4*24*time.Hour + 4*time.Hour + 30*time.Minute)) // Friday 14:30
	f.send(t, f.p1, "participant-1", "q-fri", "Fredagsspørgsmål")
	f.clk.Add(67 * time.Hour) // Monday 09:30
	f.send(t, f.anne, "participant-1", "a-mon", "Godmorgen")

	st, err := f.svc.Stats(ctx, f.admin, 30)
	if err != nil {
		t.Fatal(err)
	}
	var anne messaging.CounselorFigures
	for _, c := range st.Counselors {
		if c.CounselorID == "counselor-anne" {
			anne = c
		}
	}
	if anne.Replies != 4 || anne.MedianMinutes == nil || *anne.MedianMinutes != 30 || *anne.P90Minutes != 60 {
		t.Fatalf("Anne's figures = %+v", anne)
	}
	if st.Overall.Replies != 4 || len(st.Departments) != 1 || st.Departments[0].Replies != 4 {
		t.Errorf("overall %+v, departments %+v", st.Overall, st.Departments)
	}
	_, err = f.svc.Stats(ctx, f.anne, 30)
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")

	conv, _ := f.svc.MyConversation(ctx, f.p1)
	if conv.ExpectedReply.Code != messaging.ExpectWithinHour {
		t.Errorf("hint = %+v, want within an hour", conv.ExpectedReply)
	}

	// A question left unanswered for more than a working day counts as waiting.
	f.send(t, f.p1, "participant-1", "q-wait", "Hallo?")
	f.clk.Add(30 * time.Hour)
	st, _ = f.svc.Stats(ctx, f.admin, 30)
	if st.Overall.Waiting != 1 {
		t.Errorf("waiting = %d, want 1", st.Overall.Waiting)
	}
}

func TestSavedRepliesAreOwn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r, err := f.svc.CreateSavedReply(ctx, f.anne, "Tak", "Tak for din besked. Jeg vender tilbage i dag.")
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.SavedReplies(ctx, f.bo); len(list) != 0 {
		t.Errorf("Bo sees Anne's saved replies: %+v", list)
	}
	err = f.svc.DeleteSavedReply(ctx, f.bo, r.ID)
	wantKind(t, err, apperr.NotFound, "saved_reply.not_found")
	_, err = f.svc.CreateSavedReply(ctx, f.p1, "x", "y")
	wantKind(t, err, apperr.Forbidden, "auth.forbidden")
	if err := f.svc.DeleteSavedReply(ctx, f.anne, r.ID); err != nil {
		t.Fatal(err)
	}
}

func TestUnsentUploadsAreSweptAfterADay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pdf := []byte("%PDF-1.7\n%%EOF\n")
	sent, err := f.svc.Upload(ctx, f.p1, "participant-1", pdf)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Send(ctx, f.p1, "participant-1", messaging.SendInput{ClientID: "c-1", AttachmentIDs: []string{sent.ID}}); err != nil {
		t.Fatal(err)
	}
	unsent, err := f.svc.Upload(ctx, f.p1, "participant-1", pdf)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Add(messaging.UnsentAttachmentTTL - time.Minute)
	if err := f.st.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Open(ctx, f.p1, "participant-1", unsent.ID); err != nil {
		t.Fatalf("swept before a day had passed: %v", err)
	}
	f.clk.Add(2 * time.Minute)
	if err := f.st.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Open(ctx, f.p1, "participant-1", unsent.ID)
	wantKind(t, err, apperr.NotFound, "attachment.not_found")
	if _, rc, err := f.svc.Open(ctx, f.p1, "participant-1", sent.ID); err != nil {
		t.Fatalf("a sent attachment was swept: %v", err)
	} else {
		rc.Close()
	}
}

// failingEvents makes the first RecordEvent fail, as a timeout after the
// insert would.
type failingEvents struct {
	*store.Store
	mu    sync.Mutex
	fails int
}

func (f *failingEvents) RecordEvent(ctx context.Context, e models.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("timeout")
	}
	return f.Store.RecordEvent(ctx, e)
}

// A send that stored the message but failed afterwards is completed by the
// retry: the counselor is told and the file goes with the message.
func TestRetryCompletesAPartlyFailedSend(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fe := &failingEvents{Store: f.st, fails: 1}
	svc := messaging.New(fe, f.avail, f.clk.Now, func() string { return uuid.Must(uuid.NewV7()).String() })
	a, err := svc.Upload(ctx, f.p1, "participant-1", []byte("%PDF-1.7\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	in := messaging.SendInput{ClientID: "c-1", Text: "Min kontrakt", AttachmentIDs: []string{a.ID}}
	if _, _, err := svc.Send(ctx, f.p1, "participant-1", in); err == nil {
		t.Fatal("the first send did not fail")
	}
	m, created, err := svc.Send(ctx, f.p1, "participant-1", in)
	if err != nil || created || len(m.Attachments) != 1 {
		t.Fatalf("retry = %+v, created %v, %v", m, created, err)
	}
	if n := f.events(t, "counselor-anne", "message.received"); n != 1 {
		t.Errorf("counselor events after the retry = %d, want 1", n)
	}
	if _, rc, err := svc.Open(ctx, f.anne, "participant-1", a.ID); err != nil {
		t.Errorf("the counselor cannot open the file: %v", err)
	} else {
		rc.Close()
	}
}

// The inbox pages through the caseload in its order, kept when messages
// are written: a callback request, the unanswered (longest waiting first),
// the answered (latest first), then those who have not written (by name).
// A summary made before the summaries existed comes from the migration.
func TestInboxPagesInOrder(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	names := []string{"Asta", "Bent", "Carl", "Dorte", "Emil"}
	var ids []string
	for i, n := range names {
		u := models.User{ID: fmt.Sprintf("p-%d", i), Role: models.RoleParticipant, Name: n, CounselorID: "counselor-anne", Status: models.StatusActive, CreatedAt: t0}
		if err := f.st.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	as := func(id string) auth.Principal { return auth.Principal{UserID: id, Role: models.RoleParticipant} }
	f.send(t, as(ids[1]), ids[1], "b1", "Hej") // Bent waits longest
	f.clk.Add(time.Minute)
	f.send(t, as(ids[3]), ids[3], "d1", "Hej") // Dorte waits too
	f.clk.Add(time.Minute)
	f.send(t, as(ids[0]), ids[0], "a1", "Hej")
	f.send(t, f.anne, ids[0], "a2", "Hej Asta") // Asta is answered
	f.clk.Add(time.Minute)
	if _, _, err := f.svc.RequestCallback(ctx, as(ids[4]), ids[4], messaging.CallbackInput{Reason: models.CallbackWork}); err != nil {
		t.Fatal(err)
	}
	var order []string
	pg := models.Page{Limit: 2}
	for range 10 {
		items, next, err := f.svc.Inbox(ctx, f.anne, messaging.InboxAll, pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			order = append(order, it.ParticipantName)
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	// Mette (participant-1, Anne's from the fixture) has not written: by name.
	if want := "[Emil Bent Dorte Asta Carl Mette]"; fmt.Sprint(order) != want {
		t.Fatalf("inbox order = %v, want %s", order, want)
	}
	waiting, _, err := f.svc.Inbox(ctx, f.anne, messaging.InboxUnanswered, models.Page{Limit: 10})
	if err != nil || len(waiting) != 3 || waiting[0].OpenCallback == nil || waiting[1].ParticipantName != "Bent" || waiting[1].Unread != 1 {
		t.Fatalf("unanswered = %+v, %v", waiting, err)
	}
	// Anne reads Bent's message: his conversation stays waiting, unread 0.
	if err := f.svc.MarkRead(ctx, f.anne, ids[1], waiting[1].LastMessageAt.String()); err == nil {
		t.Fatal("a mark that names no message must be refused")
	}
	page, err := f.svc.List(ctx, f.anne, ids[1], "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkRead(ctx, f.anne, ids[1], page.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	waiting, _, _ = f.svc.Inbox(ctx, f.anne, messaging.InboxUnanswered, models.Page{Limit: 10})
	if waiting[1].ParticipantName != "Bent" || waiting[1].Unread != 0 || !waiting[1].Unanswered {
		t.Fatalf("after reading: %+v", waiting[1])
	}

	// The migration rebuilds every summary from the messages and marks and
	// runs once.
	if _, err := f.st.Database().Collection("conversations").DeleteMany(ctx, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.MigrateConversations(ctx); err != nil || n != len(names)+2 {
		t.Fatalf("migrated %d, %v; want every participant (%d)", n, err, len(names)+2)
	}
	again, _, err := f.svc.Inbox(ctx, f.anne, messaging.InboxUnanswered, models.Page{Limit: 10})
	got, _ := json.Marshal(again)
	want, _ := json.Marshal(waiting)
	if err != nil || string(got) != string(want) {
		t.Fatalf("after the migration: %s, %v; want %s", got, err, want)
	}
	if n, err := f.svc.MigrateConversations(ctx); err != nil || n != 0 {
		t.Fatalf("a second migration wrote %d, %v", n, err)
	}
}

// The summary a message brings up to date from the summary alone equals
// the one made again from the messages, whatever the order of texts,
// callback requests and replies.
func TestSummaryKeptAtWriteTimeMatchesTheHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 13))
	for i := range 60 {
		f.clk.Add(time.Duration(1+r.IntN(90)) * time.Minute)
		switch r.IntN(5) {
		case 0, 1:
			f.send(t, f.p1, "participant-1", fmt.Sprintf("p-%d", i), "Hej")
		case 2:
			if _, _, err := f.svc.RequestCallback(ctx, f.p1, "participant-1", messaging.CallbackInput{Reason: models.CallbackPension}); err != nil {
				t.Fatal(err)
			}
		default:
			f.send(t, f.anne, "participant-1", fmt.Sprintf("a-%d", i), "Hej Mette")
		}
		kept, err := f.st.Conversation(ctx, "participant-1")
		if err != nil {
			t.Fatal(err)
		}
		db := f.st.Database()
		for _, col := range []string{"conversations", "migrations"} {
			if _, err := db.Collection(col).DeleteMany(ctx, map[string]any{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.MigrateConversations(ctx); err != nil {
			t.Fatal(err)
		}
		made, err := f.st.Conversation(ctx, "participant-1")
		if err != nil {
			t.Fatal(err)
		}
		kept.Marks, made.Marks = nil, nil
		got, _ := json.Marshal(kept)
		want, _ := json.Marshal(made)
		if string(got) != string(want) {
			t.Fatalf("after step %d the kept summary is\n%s\nmade from the messages it is\n%s", i, got, want)
		}
	}
}
