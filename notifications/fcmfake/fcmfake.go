// Package fcmfake is a local stand-in for FCM's HTTP v1 API, for tests and
// benchmarks that drive the real Firebase SDK against it:
//
//	fake := fcmfake.New()
//	defer fake.Close()
//	app, _ := firebase.NewApp(ctx, &firebase.Config{ProjectID: "test"},
//		option.WithEndpoint(fake.URL+"/v1"), option.WithoutAuthentication())
//
// Each message is one POST /v1/projects/<id>/messages:send. Per token it
// answers from a queue ("ok", "unregistered", "429", "500"), "ok" when the
// queue is empty, with the error bodies FCM itself sends.
package fcmfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Message is what the fake received and accepted.
type Message struct {
	Token, Title, Body string
	Data               map[string]string
	CollapseKey        string
}

// Server is the fake.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	answers  map[string][]string
	accepted []Message
	calls    int
}

// New starts a fake.
func New() *Server {
	f := &Server{answers: map[string][]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.handle))
	return f
}

// Answer queues answers for a token.
func (f *Server) Answer(token string, answers ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[token] = append(f.answers[token], answers...)
}

// Accepted returns every accepted message, in order.
func (f *Server) Accepted() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.accepted...)
}

// SentTo returns the accepted messages for one token.
func (f *Server) SentTo(token string) []Message {
	var out []Message
	for _, m := range f.Accepted() {
		if m.Token == token {
			out = append(out, m)
		}
	}
	return out
}

// Calls counts every request, accepted or not.
func (f *Server) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

const (
	errUnregistered = `{"error":{"code":404,"status":"NOT_FOUND","message":"Requested entity was not found.","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`
	errQuota        = `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"Quota exceeded.","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"QUOTA_EXCEEDED"}]}}`
	errInternal     = `{"error":{"code":500,"status":"INTERNAL","message":"Internal error.","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INTERNAL"}]}}`
)

func (f *Server) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/messages:send") {
		http.NotFound(w, r)
		return
	}
	var body struct {
		Message struct {
			Token        string `json:"token"`
			Notification struct {
				Title string `json:"title"`
				Body  string `json:"body"`
			} `json:"notification"`
			Data    map[string]string `json:"data"`
			Android struct {
				CollapseKey string `json:"collapse_key"`
			} `json:"android"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m := body.Message
	f.mu.Lock()
	f.calls++
	answer := "ok"
	if q := f.answers[m.Token]; len(q) > 0 {
		answer, f.answers[m.Token] = q[0], q[1:]
	}
	if answer == "ok" {
		f.accepted = append(f.accepted, Message{Token: m.Token, Title: m.Notification.Title, Body: m.Notification.Body,
			Data: m.Data, CollapseKey: m.Android.CollapseKey})
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch answer {
	case "unregistered":
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(errUnregistered))
	case "429":
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(errQuota))
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(errInternal))
	default:
		_, _ = w.Write([]byte(`{"name":"projects/test/messages/1"}`))
	}
}
