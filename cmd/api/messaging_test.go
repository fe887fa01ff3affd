package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type msgJSON struct {
	ID, Kind, Text, Receipt, SenderName string
}

// TestOpenDoorThroughTheServer walks the conversation end to end: the
// participant writes first, the counselor answers, receipts as promised,
// a resend is the same message, files are checked by content, outsiders
// are kept out, and a stand-in covers only while the counselor is away.
func TestOpenDoorThroughTheServer(t *testing.T) {
	w := newWorld(t)
	conv := "/v1/participants/" + w.p1ID + "/conversation"

	r := w.s.do(req{method: "GET", path: "/v1/me/conversation", token: w.p1.AccessToken})
	mustStatus(t, "my conversation", r, http.StatusOK)
	var head struct {
		Counselor     struct{ Name string }
		ExpectedReply struct{ Code, Text string }
		Unread        int
	}
	r.json(t, &head)
	if head.Counselor.Name == "" || head.ExpectedReply.Text == "" || !strings.Contains(head.ExpectedReply.Text, "vejleder") {
		t.Fatalf("conversation header %s", r.Body)
	}

	send := func(who session, clientID, text string, want int) msgJSON {
		t.Helper()
		r := w.s.do(req{method: "POST", path: conv + "/messages", token: who.AccessToken,
			body: map[string]any{"clientMessageId": clientID, "text": text}})
		mustStatus(t, "send "+clientID, r, want)
		var m msgJSON
		r.json(t, &m)
		return m
	}
	list := func(who session) []msgJSON {
		t.Helper()
		r := w.s.do(req{method: "GET", path: conv + "/messages", token: who.AccessToken})
		mustStatus(t, "list", r, http.StatusOK)
		var pg struct{ Items []msgJSON }
		r.json(t, &pg)
		return pg.Items
	}

	first := send(w.p1, "p1-1", "Hej, jeg har fået en kontrakt. Vil du kigge på den?", http.StatusCreated)
	if again := send(w.p1, "p1-1", "Hej, jeg har fået en kontrakt. Vil du kigge på den?", http.StatusOK); again.ID != first.ID {
		t.Fatalf("resend made a new message %s (first %s)", again.ID, first.ID)
	}
	r = w.s.do(req{method: "GET", path: "/v1/inbox?filter=unanswered", token: w.counselorA.AccessToken})
	mustStatus(t, "inbox", r, http.StatusOK)
	var inbox struct {
		Items []struct {
			ParticipantID string
			Unread        int
			Unanswered    bool
			CoveringFor   *struct{ Name string }
		}
	}
	r.json(t, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].ParticipantID != w.p1ID || inbox.Items[0].Unread != 1 || !inbox.Items[0].Unanswered {
		t.Fatalf("inbox %s", r.Body)
	}

	r = w.s.do(req{method: "POST", path: conv + "/read", token: w.counselorA.AccessToken, body: map[string]string{"upToMessageId": first.ID}})
	mustStatus(t, "counselor reads", r, http.StatusNoContent)
	reply := send(w.counselorA, "a-1", "Ja, selvfølgelig. Tag den med på torsdag.", http.StatusCreated)
	if items := list(w.p1); items[0].Receipt != "answered" || items[1].Receipt != "" {
		t.Fatalf("participant's receipts: %+v", items)
	}
	if items := list(w.counselorA); items[1].Receipt != "sent" {
		t.Fatalf("counselor's receipt before the participant read: %+v", items)
	}
	r = w.s.do(req{method: "POST", path: conv + "/read", token: w.p1.AccessToken, body: map[string]string{"upToMessageId": reply.ID}})
	mustStatus(t, "participant reads", r, http.StatusNoContent)
	if items := list(w.counselorA); items[1].Receipt != "read" {
		t.Fatalf("counselor's receipt after the participant read: %+v", items)
	}

	// Files: a program dressed as a photo, and a file over 10 MB, are refused.
	upload := func(body string, contentType string) response {
		return w.s.do(req{method: "POST", path: conv + "/attachments", token: w.p1.AccessToken, body: body,
			headers: []string{"Content-Type", contentType}})
	}
	r = upload("MZ\x90\x00"+strings.Repeat("\x00", 200), "image/jpeg")
	if r.Status != http.StatusUnsupportedMediaType || r.problemCode(t) != "attachment.type" {
		t.Fatalf("disguised file: %d %s", r.Status, r.Body)
	}
	r = upload("%PDF-1.7\n"+strings.Repeat("a", 10<<20), "application/pdf")
	if r.Status != http.StatusRequestEntityTooLarge || r.problemCode(t) != "attachment.too_large" {
		t.Fatalf("oversize file: %d %s", r.Status, r.Body)
	}
	// A photo cut off in the upload cannot be stripped of its metadata.
	r = upload("\xff\xd8\xff\xe1\x00\x40Exif\x00\x00MM\x00\x2a", "image/jpeg")
	if r.Status != http.StatusBadRequest || r.problemCode(t) != "attachment.unreadable" || !strings.Contains(string(r.Body), "Billedet kan ikke læses") {
		t.Fatalf("truncated photo: %d %s", r.Status, r.Body)
	}
	r = upload(testPDF, "application/octet-stream")
	mustStatus(t, "upload", r, http.StatusCreated)
	var att struct{ ID, ContentType string }
	r.json(t, &att)
	if att.ContentType != "application/pdf" {
		t.Fatalf("sniffed %s", att.ContentType)
	}
	r = w.s.do(req{method: "POST", path: conv + "/messages", token: w.p1.AccessToken,
		body: map[string]any{"clientMessageId": "p1-2", "text": "Her er den.", "attachmentIds": []string{att.ID}}})
	mustStatus(t, "send with file", r, http.StatusCreated)
	r = w.s.do(req{method: "GET", path: conv + "/attachments/" + att.ID, token: w.counselorA.AccessToken})
	mustStatus(t, "counselor downloads", r, http.StatusOK)
	if string(r.Body) != testPDF || r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %q %v", r.Body, r.Header)
	}

	// Outsiders: another participant learns nothing; other staff are refused.
	for _, c := range []struct {
		who  session
		want int
	}{{w.p2, 404}, {w.counselorB, 403}, {w.coord, 403}, {w.admin, 403}} {
		for _, path := range []string{conv + "/messages", conv + "/attachments/" + att.ID} {
			if r := w.s.do(req{method: "GET", path: path, token: c.who.AccessToken}); r.Status != c.want {
				t.Errorf("GET %s: %d, want %d", path, r.Status, c.want)
			}
		}
	}

	// Counselor A is away with B as stand-in: B reads and answers, the
	// participant gets one auto-reply for the absence.
	back := inDays(t, 3)
	r = w.s.do(req{method: "PUT", path: "/v1/counselors/" + w.counselorAID + "/away", token: w.counselorA.AccessToken,
		body: map[string]string{"returnDate": back, "standInId": w.cBID}})
	mustStatus(t, "set away", r, http.StatusOK)
	send(w.p1, "p1-3", "Er du der?", http.StatusCreated)
	send(w.p1, "p1-4", "Det haster ikke.", http.StatusCreated)
	autos := 0
	for _, m := range list(w.counselorB) {
		if m.Kind == "auto_reply" {
			autos++
			if !strings.Contains(m.Text, "Staff counselor") {
				t.Errorf("auto-reply text %q does not name the stand-in", m.Text)
			}
		}
	}
	if autos != 1 {
		t.Errorf("auto-replies = %d, want 1", autos)
	}
	r = w.s.do(req{method: "GET", path: "/v1/inbox", token: w.counselorB.AccessToken})
	r.json(t, &inbox)
	covered := false
	for _, it := range inbox.Items {
		covered = covered || (it.ParticipantID == w.p1ID && it.CoveringFor != nil)
	}
	if !covered {
		t.Errorf("stand-in's inbox: %s", r.Body)
	}
	// The same inbox a conversation at a time: the same order, then the end.
	var paged []string
	path := "/v1/inbox?limit=1"
	for range len(inbox.Items) + 1 {
		r = w.s.do(req{method: "GET", path: path, token: w.counselorB.AccessToken})
		mustStatus(t, "inbox page", r, http.StatusOK)
		var page struct {
			Items []struct{ ParticipantID string }
			Next  *string
		}
		r.json(t, &page)
		for _, it := range page.Items {
			paged = append(paged, it.ParticipantID)
		}
		if page.Next == nil {
			break
		}
		path = "/v1/inbox?limit=1&cursor=" + url.QueryEscape(*page.Next)
	}
	var whole []string
	for _, it := range inbox.Items {
		whole = append(whole, it.ParticipantID)
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("inbox a page at a time = %v, want %v", paged, whole)
	}
	if r := w.s.do(req{method: "GET", path: "/v1/inbox?cursor=bm90LWEtY3Vyc29y", token: w.counselorB.AccessToken}); r.Status != http.StatusBadRequest {
		t.Errorf("a cursor that is not one: %d, want 400", r.Status)
	}
	send(w.counselorB, "b-1", "Hej, jeg svarer, mens Anne er væk.", http.StatusCreated)

	r = w.s.do(req{method: "DELETE", path: "/v1/counselors/" + w.counselorAID + "/away", token: w.counselorA.AccessToken})
	mustStatus(t, "clear away", r, http.StatusNoContent)
	if r := w.s.do(req{method: "GET", path: conv + "/messages", token: w.counselorB.AccessToken}); r.Status != http.StatusForbidden {
		t.Errorf("stand-in after the absence: %d, want 403", r.Status)
	}

	// "Please call me" lands at the top of the counselor's inbox.
	r = w.s.do(req{method: "POST", path: conv + "/callback", token: w.p1.AccessToken, body: map[string]string{"reason": "hard_day"}})
	mustStatus(t, "callback", r, http.StatusCreated)
	r = w.s.do(req{method: "GET", path: "/v1/inbox?filter=callbacks", token: w.counselorA.AccessToken})
	r.json(t, &inbox)
	if len(inbox.Items) != 1 {
		t.Errorf("callbacks inbox: %s", r.Body)
	}
}

// Every creating POST honours Idempotency-Key: a retry with the same key
// (a phone that lost the answer) gets the first answer again, marked
// replayed, and creates nothing twice.
func TestCreatingPostsHonourIdempotencyKeys(t *testing.T) {
	w := newWorld(t)
	conv := "/v1/participants/" + w.p1ID + "/conversation"
	tests := []struct {
		name string
		r    req
	}{
		{name: "sendMessage", r: req{method: "POST", path: conv + "/messages", token: w.p1.AccessToken,
			body: map[string]string{"clientMessageId": "idem-1", "text": "Hej, har du tid i morgen?"}}},
		{name: "requestCallback", r: req{method: "POST", path: conv + "/callback", token: w.p1.AccessToken,
			body: map[string]string{"reason": "work"}}},
		{name: "uploadAttachment", r: req{method: "POST", path: conv + "/attachments", token: w.p1.AccessToken,
			body: "%PDF-1.7\nlønseddel\n%%EOF\n", headers: []string{"Content-Type", "application/pdf"}}},
		{name: "rotateCalendarFeed", r: req{method: "POST", path: "/v1/me/calendar-feed", token: w.p1.AccessToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.headers = append(tt.r.headers, "Idempotency-Key", "key-"+tt.name)
			first := w.s.do(tt.r)
			if first.Status >= 300 {
				t.Fatalf("first: %d %s", first.Status, first.Body)
			}
			again := w.s.do(tt.r)
			if again.Status != first.Status || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
				t.Errorf("retry: %d replayed=%q %s; want the first answer (%d %s) replayed",
					again.Status, again.Header.Get("Idempotent-Replayed"), again.Body, first.Status, first.Body)
			}
		})
	}
}
