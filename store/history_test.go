package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// PruneHistory deletes handled notifications, deliveries and consumed
// events from before the cut-off, and nothing else: not newer ones, not
// pending ones however old.
func TestPruneHistoryKeepsWhatIsPendingOrRecent(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	cut := t0.Add(-90 * 24 * time.Hour)
	old, recent := cut.Add(-time.Hour), cut.Add(time.Hour)
	type note struct {
		state models.NotificationState
		due   time.Time
		kept  bool
	}
	notes := []note{
		{models.NotifySent, old, false}, {models.NotifyExpired, old, false}, {models.NotifyInboxOnly, old, false},
		{models.NotifyCancelled, old, false}, {models.NotifyOff, old, false}, {models.NotifyFailed, old, false},
		{models.NotifyPending, old, true}, {models.NotifySent, recent, true},
	}
	// Many of the old and handled.
	for i := range 600 {
		notes = append(notes, note{models.NotifySent, old.Add(-time.Duration(i) * time.Minute), false})
	}
	for i, n := range notes {
		id := fmt.Sprintf("n%04d", i)
		if err := s.InsertNotification(ctx, models.Notification{ID: id, RecipientID: "p1", DedupeKey: id, Template: "message.received",
			CreatedAt: n.due, DueAt: n.due, NextPushAt: n.due, State: n.state}); err != nil {
			t.Fatal(err)
		}
		if err := s.InsertDelivery(ctx, models.Delivery{ID: id + "/d", NotificationID: id, DeviceID: "d", State: "sent", At: n.due}); err != nil {
			t.Fatal(err)
		}
	}
	events := []models.Event{
		{ID: "e1", DedupeKey: "e1", Type: "message.received", RecipientID: "p1", DueAt: old, CreatedAt: old, State: models.EventConsumed},
		{ID: "e2", DedupeKey: "e2", Type: "message.received", RecipientID: "p1", DueAt: old, CreatedAt: old, State: models.EventPending},
		{ID: "e3", DedupeKey: "e3", Type: "message.received", RecipientID: "p1", DueAt: recent, CreatedAt: recent, State: models.EventConsumed},
	}
	if err := s.RecordEvents(ctx, events); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkEventsConsumed(ctx, []string{"e1", "e3"}); err != nil {
		t.Fatal(err)
	}

	gone, consumed, err := s.PruneHistory(ctx, cut)
	if err != nil || gone != len(notes)-2 || consumed != 1 {
		t.Fatalf("pruned %d notifications and %d events, %v; want %d and 1", gone, consumed, err, len(notes)-2)
	}
	db := s.Database()
	for i, n := range notes {
		id := fmt.Sprintf("n%04d", i)
		// A delivery record goes by its own age.
		for col, kept := range map[string]bool{"notifications": n.kept, "deliveries": !n.due.Before(cut)} {
			field := map[string]string{"notifications": "_id", "deliveries": "notificationId"}[col]
			c, err := db.Collection(col).CountDocuments(ctx, bson.D{{Key: field, Value: id}})
			if err != nil || (c == 1) != kept {
				t.Fatalf("%s of %s (%s, due %s): %d left, %v; kept should be %v", col, id, n.state, n.due, c, err, kept)
			}
		}
	}
	for _, e := range events {
		c, _ := db.Collection("outbox").CountDocuments(ctx, bson.D{{Key: "_id", Value: e.ID}})
		if want := e.ID != "e1"; (c == 1) != want {
			t.Errorf("event %s: %d left, want kept %v", e.ID, c, want)
		}
	}
	if gone, consumed, err := s.PruneHistory(ctx, cut); err != nil || gone+consumed != 0 {
		t.Fatalf("a second prune deleted %d + %d, %v", gone, consumed, err)
	}
}
