package notifications

import (
	"context"
	"fmt"
	"strconv"
	"time"

	firebase "firebase.google.com/go/v4"
	"firebase.google.com/go/v4/messaging"
	"google.golang.org/api/option"
)

// FCM sends pushes through Firebase Cloud Messaging with the official SDK.
type FCM struct{ client *messaging.Client }

// NewFCM connects to FCM for projectID with opts: in production a service
// account file (option.WithCredentialsFile); in tests a fake server
// (option.WithEndpoint, option.WithoutAuthentication).
func NewFCM(ctx context.Context, projectID string, opts ...option.ClientOption) (*FCM, error) {
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: projectID}, opts...)
	if err != nil {
		return nil, fmt.Errorf("firebase app: %w", err)
	}
	c, err := app.Messaging(ctx)
	if err != nil {
		return nil, fmt.Errorf("firebase messaging: %w", err)
	}
	return &FCM{client: c}, nil
}

// maxBatch is FCM's limit for SendEach.
const maxBatch = 500

// Send pushes each message (SendEach, at most 500 per call) and classifies
// each answer.
func (f *FCM) Send(ctx context.Context, pushes []Push) ([]Result, error) {
	out := make([]Result, 0, len(pushes))
	for start := 0; start < len(pushes); start += maxBatch {
		batch := pushes[start:min(start+maxBatch, len(pushes))]
		msgs := make([]*messaging.Message, len(batch))
		for i, p := range batch {
			msgs[i] = message(p)
		}
		resp, err := f.client.SendEach(ctx, msgs)
		if err != nil {
			return nil, fmt.Errorf("fcm send: %w", err)
		}
		for _, r := range resp.Responses {
			out = append(out, classify(r))
		}
	}
	return out, nil
}

func message(p Push) *messaging.Message {
	m := &messaging.Message{
		Token:        p.Token,
		Notification: &messaging.Notification{Title: p.Title, Body: p.Body},
		Data:         p.Data,
		Android:      &messaging.AndroidConfig{CollapseKey: p.CollapseKey, Priority: "normal"},
		APNS:         &messaging.APNSConfig{Headers: map[string]string{}},
	}
	if p.Urgent {
		m.Android.Priority = "high"
		m.APNS.Headers["apns-priority"] = "10"
	} else {
		m.APNS.Headers["apns-priority"] = "5"
	}
	if p.CollapseKey != "" {
		m.APNS.Headers["apns-collapse-id"] = p.CollapseKey
	}
	if p.TTL > 0 {
		ttl := p.TTL
		m.Android.TTL = &ttl
		m.APNS.Headers["apns-expiration"] = strconv.FormatInt(time.Now().Add(p.TTL).Unix(), 10)
	}
	return m
}

// classify maps FCM's answer to what the worker does next.
func classify(r *messaging.SendResponse) Result {
	switch err := r.Error; {
	case r.Success || err == nil:
		return Result{Outcome: Delivered}
	case messaging.IsUnregistered(err), messaging.IsSenderIDMismatch(err):
		return Result{Outcome: Gone, Err: err}
	case messaging.IsQuotaExceeded(err), messaging.IsUnavailable(err), messaging.IsInternal(err):
		return Result{Outcome: Retry, Err: err}
	case messaging.IsInvalidArgument(err):
		return Result{Outcome: Rejected, Err: err}
	default:
		return Result{Outcome: Retry, Err: err}
	}
}
