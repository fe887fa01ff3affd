package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// RecordEvent inserts a domain event into the outbox. Recording an event
// whose DedupeKey is already there succeeds without a second copy, so a
// producer may retry freely: each event is delivered once.
func (s *Store) RecordEvent(ctx context.Context, e models.Event) error {
	return s.RecordEvents(ctx, []models.Event{e})
}

// Events lists outbox events for a recipient, oldest first. The notifications
// capability will consume them; tests use it to check what was recorded.
func (s *Store) Events(ctx context.Context, recipientID string, p models.Page) ([]models.Event, string, error) {
	return page(ctx, s.c(colOutbox), bson.D{{Key: "recipientId", Value: recipientID}}, p, func(e models.Event) string { return e.ID })
}

// RecordEvents inserts many outbox events at once (a check-in asks
// thousands of participants). Like RecordEvent, an event whose DedupeKey is
// already there is skipped without error, so a resumed fan-out never tells
// anyone twice; the others are inserted regardless of the skipped ones.
func (s *Store) RecordEvents(ctx context.Context, events []models.Event) error {
	if len(events) == 0 {
		return nil
	}
	docs := make([]any, len(events))
	for i, e := range events {
		if e.DedupeKey == "" || e.Type == "" || e.RecipientID == "" {
			return fmt.Errorf("record events: dedupe key, type and recipient are required")
		}
		if e.State == "" {
			e.State = models.EventPending
		}
		docs[i] = e
	}
	if err := insertManyNew(ctx, s.c(colOutbox), docs); err != nil {
		return fmt.Errorf("record events: %w", err)
	}
	return nil
}

// insertManyNew inserts docs unordered and ignores those that clash with a
// unique index (already there): for batches that may be repeated. It
// inserts 500 at a time, so each call stays well within the client's
// timeout on the embedded engine however many docs there are.
func insertManyNew(ctx context.Context, c *mongo.Collection, docs []any) error {
	const chunk = 500
	for start := 0; start < len(docs); start += chunk {
		_, err := c.InsertMany(ctx, docs[start:min(start+chunk, len(docs))], options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0 {
			for _, we := range bwe.WriteErrors {
				if !mongo.IsDuplicateKeyError(we) {
					return fmt.Errorf("insert into %s: %w", c.Name(), err)
				}
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", c.Name(), err)
		}
	}
	return nil
}

// RecordedEvents reports which of the dedupe keys are in the outbox, so a
// producer that looks at the same occasions every few minutes (reminders)
// inserts only what is new. Recording stays safe without it.
func (s *Store) RecordedEvents(ctx context.Context, dedupeKeys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(dedupeKeys))
	if len(dedupeKeys) == 0 {
		return out, nil
	}
	type keyDoc struct {
		DedupeKey string `bson:"dedupeKey"`
	}
	docs, err := findAll[keyDoc](ctx, s.c(colOutbox), bson.D{{Key: "dedupeKey", Value: bson.D{{Key: "$in", Value: dedupeKeys}}}},
		options.Find().SetProjection(bson.D{{Key: "dedupeKey", Value: 1}, {Key: "_id", Value: 0}}))
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.DedupeKey] = true
	}
	return out, nil
}
