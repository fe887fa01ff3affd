package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications/fcmfake"
)

// TestPushAndInboxThroughTheServer: a phone registers, the counselor
// writes, the real Firebase SDK pushes to a fake FCM, the inbox has it;
// preferences mute pushes; logging out stops them.
func TestPushAndInboxThroughTheServer(t *testing.T) {
	fake := fcmfake.New()
	defer fake.Close()
	w := newWorldWith(t, func(c *config) { c.FCMEndpoint, c.FCMProjectID = fake.URL, "test" })
	conv := "/v1/participants/" + w.p1ID + "/conversation/messages"

	r := w.s.do(req{method: "PUT", path: "/v1/me/devices", token: w.p1.AccessToken,
		body: map[string]string{"token": "phone-1", "platform": "ios", "appVersion": "1.2.0", "locale": "da"}})
	mustStatus(t, "register device", r, http.StatusOK)
	// No quiet hours: the test must not depend on the time of day it runs.
	r = w.s.do(req{method: "PUT", path: "/v1/me/notification-preferences", token: w.p1.AccessToken,
		body: map[string]any{"quietFrom": "00:00", "quietTo": "00:00"}})
	mustStatus(t, "no quiet hours", r, http.StatusOK)
	// Pushes reach a participant's phone only with their consent.
	r = w.s.do(req{method: "PUT", path: "/v1/participants/" + w.p1ID + "/consents/push", token: w.p1.AccessToken,
		body: map[string]any{"given": true, "textVersion": "2026-11"}})
	mustStatus(t, "consent to push", r, http.StatusOK)

	r = w.s.do(req{method: "POST", path: conv, token: w.counselorA.AccessToken, body: map[string]string{"clientMessageId": "a-1", "text": "Hej Mette"}})
	mustStatus(t, "counselor writes", r, http.StatusCreated)
	eventually(t, "the push", func() bool { return len(fake.SentTo("phone-1")) == 1 })
	if got := fake.SentTo("phone-1")[0]; got.Title != "Ny besked" || got.Data["type"] != "message.received" {
		t.Errorf("push = %+v", got)
	}

	r = w.s.do(req{method: "GET", path: "/v1/me/notifications", token: w.p1.AccessToken, headers: []string{"Accept-Language", "en"}})
	mustStatus(t, "inbox", r, http.StatusOK)
	var inbox struct {
		Items []struct {
			ID, Title string
			Read      bool
		}
		Unread int
	}
	r.json(t, &inbox)
	if len(inbox.Items) != 1 || inbox.Unread != 1 || inbox.Items[0].Title != "New message" {
		t.Fatalf("inbox %s", r.Body)
	}
	r = w.s.do(req{method: "POST", path: "/v1/me/notifications/read", token: w.p1.AccessToken, body: map[string]any{"ids": []string{inbox.Items[0].ID}}})
	mustStatus(t, "mark read", r, http.StatusNoContent)

	// Messages cannot be switched off; muted as push they still reach the inbox.
	r = w.s.do(req{method: "PUT", path: "/v1/me/notification-preferences", token: w.p1.AccessToken,
		body: map[string]any{"categories": map[string]string{"messages": "off"}}})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("messages off: %d %s", r.Status, r.Body)
	}
	r = w.s.do(req{method: "PUT", path: "/v1/me/notification-preferences", token: w.p1.AccessToken,
		body: map[string]any{"categories": map[string]string{"messages": "inbox"}, "quietFrom": "22:00", "quietTo": "07:00"}})
	mustStatus(t, "mute messages", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: conv, token: w.counselorA.AccessToken, body: map[string]string{"clientMessageId": "a-2", "text": "Hej igen"}})
	mustStatus(t, "counselor writes again", r, http.StatusCreated)
	eventually(t, "the second inbox item", func() bool {
		r := w.s.do(req{method: "GET", path: "/v1/me/notifications", token: w.p1.AccessToken})
		r.json(t, &inbox)
		return len(inbox.Items) == 2
	})
	// The worker decides push or inbox when it delivers: wait until it has
	// settled the muted one before unmuting.
	eventually(t, "the muted notification settled", func() bool {
		list, _, err := w.s.store.Inbox(context.Background(), w.p1ID, testNow(), models.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			if n.State == models.NotifyPending {
				return false
			}
		}
		return len(list) == 2
	})
	if n := len(fake.SentTo("phone-1")); n != 1 {
		t.Errorf("pushes after muting = %d, want still 1", n)
	}

	// Logging out removes the phone: no pushes any more.
	r = w.s.do(req{method: "PUT", path: "/v1/me/notification-preferences", token: w.p1.AccessToken,
		body: map[string]any{"categories": map[string]string{"messages": "push"}}})
	mustStatus(t, "unmute", r, http.StatusOK)
	r = w.s.do(req{method: "POST", path: "/v1/auth/logout", body: map[string]string{"refreshToken": w.p1.RefreshToken}})
	if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
		t.Fatalf("logout: %d", r.Status)
	}
	r = w.s.do(req{method: "POST", path: conv, token: w.counselorA.AccessToken, body: map[string]string{"clientMessageId": "a-3", "text": "Er du der?"}})
	mustStatus(t, "counselor writes after logout", r, http.StatusCreated)
	time.Sleep(500 * time.Millisecond) // a few worker rounds
	if n := len(fake.SentTo("phone-1")); n != 1 {
		t.Errorf("pushes after logout = %d, want still 1", n)
	}
}
