package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// messagingServer is a participant and their counselor on a real server
// whose database commands are counted, with a conversation of 200
// messages.
func messagingServer(b *testing.B) (w *benchWork, counselor string) {
	b.Helper()
	w = workServer(b)
	var s session
	login := `{"login":"mette@bench.example","password":"` + testPassword + `"}`
	if err := json.Unmarshal(post(b, http.DefaultClient, w.base+"/v1/auth/login", login), &s); err != nil {
		b.Fatal(err)
	}
	url := w.base + "/v1/participants/" + w.participantID + "/conversation/messages"
	for i := range 200 {
		tok := w.participant
		if i%2 == 1 {
			tok = s.AccessToken
		}
		benchSend(b, http.MethodPost, url, tok, fmt.Sprintf(`{"clientMessageId":"seed-%d","text":"Besked nummer %d"}`, i, i), http.StatusCreated, nil)
	}
	return w, s.AccessToken
}

// BenchmarkSendMessage measures POST …/conversation/messages by the
// participant (access check, dedupe lookup, insert, outbox event, the
// answer with receipts) with 4 concurrent clients.
func BenchmarkSendMessage(b *testing.B) {
	w, _ := messagingServer(b)
	url := w.base + "/v1/participants/" + w.participantID + "/conversation/messages"
	var n atomic.Int64
	w.cmds.Store(0)
	runLatency(b, 4, func(c *http.Client) {
		benchSendWith(b, c, http.MethodPost, url, w.participant,
			fmt.Sprintf(`{"clientMessageId":"bench-%d","text":"Hej, har du tid i morgen?"}`, n.Add(1)), http.StatusCreated)
	})
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}

// BenchmarkListMessages measures GET …/conversation/messages (the newest
// 30 with names, attachments and receipts) by the counselor, with 8
// concurrent clients.
func BenchmarkListMessages(b *testing.B) {
	w, counselor := messagingServer(b)
	url := w.base + "/v1/participants/" + w.participantID + "/conversation/messages"
	w.cmds.Store(0)
	runLatency(b, 8, benchGet(b, counselor, func() string { return url }))
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}
