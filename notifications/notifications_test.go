package notifications_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/api/option"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/notifications/fcmfake"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

type clock = storetest.Clock

// Monday 16 November 2026, 10:00 in Copenhagen.
var t0 = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

type fixture struct {
	svc *notifications.Service
	st  *store.Store
	clk *clock
	fcm *fcmfake.Server
	p1  auth.Principal
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func newFixture(t *testing.T, withPush bool) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	st := storetest.Store(t, clk.Now)
	f := &fixture{st: st, clk: clk, p1: auth.Principal{UserID: "participant-1", Role: models.RoleParticipant, SessionID: "session-1"}}
	var sender notifications.Sender
	if withPush {
		f.fcm = fcmfake.New()
		t.Cleanup(f.fcm.Close)
		fcm, err := notifications.NewFCM(context.Background(), "test", option.WithEndpoint(f.fcm.URL+"/v1"), option.WithoutAuthentication())
		if err != nil {
			t.Fatal(err)
		}
		sender = fcm
	}
	f.svc = notifications.New(st, sender, notifications.Config{}, clk.Now, newID)
	for _, u := range []models.User{
		{ID: "participant-1", Role: models.RoleParticipant, Name: "Mette", CounselorID: "counselor-1", CreatedAt: t0},
		{ID: "counselor-1", Role: models.RoleCounselor, Name: "Anne", CreatedAt: t0},
	} {
		if err := st.InsertUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	f.pushConsent(t, true)
	return f
}

// pushConsent records participant-1 giving (or withdrawing) consent to push.
func (f *fixture) pushConsent(t *testing.T, given bool) {
	t.Helper()
	c := models.ConsentRecord{ID: newID(), ParticipantID: "participant-1", Purpose: models.ConsentPush, Given: given,
		At: f.clk.Now(), ByID: "participant-1", ByRole: models.RoleParticipant, TextVersion: "2026-11"}
	if err := f.st.InsertConsent(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) device(t *testing.T, token, locale string) {
	t.Helper()
	if _, err := f.svc.RegisterDevice(context.Background(), f.p1, notifications.DeviceInput{Token: token, Platform: "android", AppVersion: "1.0", Locale: locale}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) event(t *testing.T, key, typ string, params map[string]any, due time.Time, expires *time.Time) {
	t.Helper()
	e := models.Event{ID: newID(), DedupeKey: key, Type: typ, RecipientID: "participant-1", Params: params,
		CreatedAt: f.clk.Now(), DueAt: due, ExpiresAt: expires}
	if err := f.st.RecordEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) tick(t *testing.T) {
	t.Helper()
	if err := f.svc.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDuplicateEventsMakeOnePush(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "da")
	for range 3 {
		f.event(t, "message/m1", "message.received", map[string]any{"participantId": "participant-1", "senderId": "counselor-1"}, t0, nil)
	}
	// Two workers at once, as two instances would.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = f.svc.Tick(context.Background()) }()
	}
	wg.Wait()
	f.tick(t)
	got := f.fcm.SentTo("tok-a")
	if len(got) != 1 {
		t.Fatalf("pushes = %d, want 1", len(got))
	}
	if got[0].Body != "Du har fået en besked fra Anne." || got[0].Data["type"] != "message.received" {
		t.Errorf("push = %+v", got[0])
	}
}

func TestRetryAfter429DeliversOnce(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "en")
	f.fcm.Answer("tok-a", "429")
	f.event(t, "e1", "enrollment.approved", map[string]any{}, t0, nil)
	f.tick(t)
	if n := len(f.fcm.SentTo("tok-a")); n != 0 {
		t.Fatalf("delivered despite 429: %d", n)
	}
	f.clk.Add(9 * time.Second) // before the back-off: nothing
	f.tick(t)
	f.clk.Add(2 * time.Second)
	f.tick(t)
	f.tick(t)
	got := f.fcm.SentTo("tok-a")
	if len(got) != 1 || got[0].Title != "You are signed up" {
		t.Fatalf("after the back-off: %+v", got)
	}
}

func TestUnregisteredTokenIsRemoved(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-gone", "da")
	f.device(t, "tok-ok", "da")
	f.fcm.Answer("tok-gone", "unregistered")
	f.event(t, "e1", "enrollment.approved", nil, t0, nil)
	f.tick(t)
	devices, err := f.st.DevicesOf(context.Background(), "participant-1")
	if err != nil || len(devices) != 1 || devices[0].ID != notifications.DeviceID("tok-ok") {
		t.Fatalf("devices after UNREGISTERED = %+v, %v", devices, err)
	}
	if n := len(f.fcm.SentTo("tok-ok")); n != 1 {
		t.Errorf("the other phone got %d pushes, want 1", n)
	}
}

// A worker that pushed and died before recording it left the delivery
// record behind; the next worker must not push to that device again.
func TestNoSecondPushAfterACrash(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "da")
	f.device(t, "tok-b", "da")
	f.event(t, "e1", "enrollment.approved", nil, t0, nil)
	if _, err := f.svc.Convert(context.Background()); err != nil {
		t.Fatal(err)
	}
	list, _ := f.st.Notifications(context.Background(), "participant-1")
	if len(list) != 1 {
		t.Fatalf("notifications = %d", len(list))
	}
	// The dead worker's record for device a.
	if err := f.st.InsertDelivery(context.Background(), models.Delivery{ID: list[0].ID + "/" + notifications.DeviceID("tok-a"),
		NotificationID: list[0].ID, DeviceID: notifications.DeviceID("tok-a"), State: "sending", At: t0}); err != nil {
		t.Fatal(err)
	}
	f.tick(t)
	if a, b := len(f.fcm.SentTo("tok-a")), len(f.fcm.SentTo("tok-b")); a != 0 || b != 1 {
		t.Fatalf("pushes a=%d b=%d; want 0 and 1", a, b)
	}
}

func TestQuietHoursDeferAndExpiredAreNotSent(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "da")
	f.clk.Set(time.Date(2026, 11, 16, 21, 30, 0, 0, time.UTC)) // 22:30 in Copenhagen
	f.event(t, "e1", "enrollment.approved", nil, f.clk.Now(), nil)
	exp := f.clk.Now().Add(time.Hour)
	f.event(t, "e2", "enrollment.promoted", nil, f.clk.Now().Add(-2*time.Hour), &exp)
	f.tick(t)
	if n := len(f.fcm.SentTo("tok-a")); n != 0 {
		t.Fatalf("pushed in quiet hours: %d", n)
	}
	// The inbox has both meanwhile.
	page, err := f.svc.Inbox(context.Background(), f.p1, "da", models.Page{Limit: 10})
	if err != nil || len(page.Items) != 2 || page.Unread != 2 {
		t.Fatalf("inbox in quiet hours = %+v, %v", page, err)
	}
	f.clk.Set(time.Date(2026, 11, 17, 7, 1, 0, 0, time.UTC)) // 08:01
	f.tick(t)
	got := f.fcm.SentTo("tok-a")
	if len(got) != 1 || got[0].Title != "Du er tilmeldt" {
		t.Fatalf("after quiet hours: %+v (the expired one must not go)", got)
	}
}

func TestPreferencesAndInbox(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	f.device(t, "tok-a", "da")
	_, err := f.svc.UpdatePreferences(ctx, f.p1, models.NotificationPrefs{Categories: map[string]string{notifications.CatMessages: "off"}})
	var ae *apperr.Error
	if !errorsAs(err, &ae) || ae.Kind != apperr.Invalid {
		t.Fatalf("switching messages off: %v", err)
	}
	if _, err := f.svc.UpdatePreferences(ctx, f.p1, models.NotificationPrefs{Categories: map[string]string{
		notifications.CatMessages: "inbox", notifications.CatWorkWarnings: "off"}}); err != nil {
		t.Fatal(err)
	}
	f.event(t, "m1", "message.received", map[string]any{"senderId": "counselor-1"}, t0, nil)
	f.event(t, "h1", "hours.over_agreed", map[string]any{"week": "2026-W47", "hours": 12.5, "agreedHours": 10.0}, t0, nil)
	f.tick(t)
	if n := len(f.fcm.SentTo("tok-a")); n != 0 {
		t.Fatalf("pushes despite inbox-only and off: %d", n)
	}
	page, _ := f.svc.Inbox(ctx, f.p1, "da", models.Page{Limit: 10})
	if len(page.Items) != 1 || page.Items[0].Type != "message.received" || page.Unread != 1 {
		t.Fatalf("inbox = %+v", page)
	}
	if err := f.svc.MarkRead(ctx, f.p1, nil, true); err != nil {
		t.Fatal(err)
	}
	page, _ = f.svc.Inbox(ctx, f.p1, "en", models.Page{Limit: 10})
	if page.Unread != 0 || !page.Items[0].Read || page.Items[0].Body != "You have a message from Anne." {
		t.Fatalf("after mark all read = %+v", page)
	}
}

func TestCancellationRetractsTheReminder(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "da")
	start := t0.Add(30 * time.Hour)
	f.event(t, "r1", "session.reminder", map[string]any{"sessionId": "s1", "startsAt": start}, start.Add(-24*time.Hour), &start)
	f.tick(t)
	f.event(t, "c1", "session.cancelled", map[string]any{"sessionId": "s1", "startsAt": start}, t0, nil)
	f.tick(t)
	list, _ := f.st.Notifications(context.Background(), "participant-1")
	states := map[string]models.NotificationState{}
	for _, n := range list {
		states[n.Template] = n.State
	}
	if states["session.reminder"] != models.NotifyCancelled || states["session.cancelled"] != models.NotifySent {
		t.Fatalf("states = %v", states)
	}
	got := f.fcm.SentTo("tok-a")
	if len(got) != 1 || got[0].Data["retract"] != "session/s1" || got[0].CollapseKey != "session/s1" {
		t.Fatalf("cancellation push = %+v", got)
	}
	if !strings.Contains(got[0].Body, "i morgen kl. 16.00") {
		t.Errorf("cancellation body %q does not say when", got[0].Body)
	}
}

func TestWithoutPushTheInboxStillFills(t *testing.T) {
	f := newFixture(t, false)
	f.event(t, "e1", "enrollment.approved", nil, t0, nil)
	f.tick(t)
	page, err := f.svc.Inbox(context.Background(), f.p1, "da", models.Page{Limit: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].Title != "Du er tilmeldt" {
		t.Fatalf("inbox without push = %+v, %v", page, err)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func TestNoPushWithoutPushConsent(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "da")
	f.pushConsent(t, false) // withdrawn: the latest record decides
	f.event(t, "message/m1", "message.received", map[string]any{"participantId": "participant-1", "senderId": "counselor-1"}, t0, nil)
	f.tick(t)
	if got := f.fcm.Accepted(); len(got) != 0 {
		t.Fatalf("pushes without consent = %d, want 0", len(got))
	}
	inbox, err := f.svc.Inbox(context.Background(), f.p1, "da", models.Page{Limit: 10})
	if err != nil || len(inbox.Items) != 1 {
		t.Fatalf("inbox = %+v, %v; want the message there", inbox, err)
	}
	f.pushConsent(t, true)
	f.event(t, "message/m2", "message.received", map[string]any{"participantId": "participant-1", "senderId": "counselor-1"}, t0, nil)
	f.tick(t)
	if got := f.fcm.Accepted(); len(got) != 1 {
		t.Fatalf("pushes after consent = %d, want 1", len(got))
	}
}

// TestActivityTitlesInTexts: the activity an event names gives the text
// its title in the reader's language; one that is gone leaves it empty.
func TestActivityTitlesInTexts(t *testing.T) {
	f := newFixture(t, true)
	f.device(t, "tok-a", "en")
	a := models.Activity{ID: "a1", Title: models.Text{Da: "Yoga i parken", En: "Yoga in the park"}, State: models.StateScheduled, CreatedAt: t0}
	if err := f.st.InsertActivity(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	f.event(t, "e1", "enrollment.approved", map[string]any{"activityId": "a1"}, t0, nil)
	f.event(t, "e2", "enrollment.approved", map[string]any{"activityId": "a1"}, t0, nil)
	f.event(t, "e3", "enrollment.approved", map[string]any{"activityId": "gone"}, t0, nil)
	f.tick(t)
	var bodies []string
	for _, p := range f.fcm.SentTo("tok-a") {
		bodies = append(bodies, p.Body)
	}
	slices.Sort(bodies)
	want := []string{
		"Your sign-up for  has been approved.",
		"Your sign-up for Yoga in the park has been approved.",
		"Your sign-up for Yoga in the park has been approved.",
	}
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("bodies = %q, want %q", bodies, want)
	}
}

// The unread count stops at MaxUnreadCount: the badge says "99+" and the
// count reads no more than that many notifications.
func TestUnreadCountStopsAtTheBadgeLimit(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	for i := range notifications.MaxUnreadCount + 5 {
		id := fmt.Sprintf("n%03d", i)
		if err := f.st.InsertNotification(ctx, models.Notification{ID: id, RecipientID: f.p1.UserID, RecipientRole: models.RoleParticipant,
			DedupeKey: id, Category: notifications.CatMessages, Template: "message.received", CreatedAt: t0, DueAt: t0, NextPushAt: t0,
			State: models.NotifySent}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := f.svc.Inbox(ctx, f.p1, "da", models.Page{Limit: 10})
	if err != nil || page.Unread != notifications.MaxUnreadCount {
		t.Fatalf("unread = %d, %v; want %d", page.Unread, err, notifications.MaxUnreadCount)
	}
	var ten []string
	for i := range 10 {
		ten = append(ten, fmt.Sprintf("n%03d", i))
	}
	if err := f.svc.MarkRead(ctx, f.p1, ten, false); err != nil {
		t.Fatal(err)
	}
	if page, err = f.svc.Inbox(ctx, f.p1, "da", models.Page{Limit: 10}); err != nil || page.Unread != 95 {
		t.Fatalf("below the limit: unread = %d, %v; want 95", page.Unread, err)
	}
}
