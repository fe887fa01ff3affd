package main

import (
	"net/http"
	"testing"
)

// testPDF is a small valid-looking PDF: its content sniffs as application/pdf.
const testPDF = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"

// messagingFixture gives p1's conversation a message with an attachment
// and counselor A a saved reply, for the authorisation matrix.
func messagingFixture(t *testing.T, w *world) map[string]string {
	t.Helper()
	conv := "/v1/participants/" + w.p1ID + "/conversation"
	r := w.s.do(req{method: "POST", path: conv + "/attachments", token: w.p1.AccessToken, body: testPDF})
	mustStatus(t, "upload", r, http.StatusCreated)
	var a struct{ ID string }
	r.json(t, &a)
	r = w.s.do(req{method: "POST", path: conv + "/messages", token: w.p1.AccessToken,
		body: map[string]any{"clientMessageId": "fixture-1", "text": "Her er min kontrakt.", "attachmentIds": []string{a.ID}}})
	mustStatus(t, "send", r, http.StatusCreated)
	var m struct{ ID string }
	r.json(t, &m)
	r = w.s.do(req{method: "POST", path: "/v1/me/saved-replies", token: w.counselorA.AccessToken,
		body: map[string]string{"title": "Tak", "text": "Tak for din besked. Jeg vender tilbage i dag."}})
	mustStatus(t, "saved reply", r, http.StatusCreated)
	var sr struct{ ID string }
	r.json(t, &sr)
	return map[string]string{"attachment": a.ID, "message": m.ID, "savedReply": sr.ID}
}
