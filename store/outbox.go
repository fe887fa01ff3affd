package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/models"
)

// RecordEvent inserts a domain event into the outbox. Recording an event
// whose DedupeKey is already there succeeds without a second copy, so a
// producer may retry freely: each event is delivered once.
func (s *Store) RecordEvent(ctx context.Context, e models.Event) error {
	if e.DedupeKey == "" || e.Type == "" || e.RecipientID == "" {
		return fmt.Errorf("record event: dedupe key, type and recipient are required")
	}
	if e.State == "" {
		e.State = models.EventPending
	}
	_, err := s.c(colOutbox).InsertOne(ctx, e)
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("record event %s: %w", e.Type, err)
	}
	return nil
}

// Events lists outbox events for a recipient, oldest first. The notifications
// capability will consume them; tests use it to check what was recorded.
func (s *Store) Events(ctx context.Context, recipientID string, p models.Page) ([]models.Event, string, error) {
	return page(ctx, s.c(colOutbox), bson.D{{Key: "recipientId", Value: recipientID}}, p, func(e models.Event) string { return e.ID })
}
