package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// BeginIdempotent claims an idempotency key by inserting r (not Done). When
// the key was claimed before, the earlier record comes back instead and
// nothing is inserted; the caller replays or refuses it.
func (s *Store) BeginIdempotent(ctx context.Context, r models.IdempotencyRecord) (*models.IdempotencyRecord, error) {
	_, err := s.c(colIdempotency).InsertOne(ctx, r)
	if err == nil {
		return nil, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	var prev models.IdempotencyRecord
	if err := findOne(ctx, s.c(colIdempotency), byID(r.ID), &prev, "idempotency.gone", "The earlier request is gone; retry."); err != nil {
		return nil, err
	}
	return &prev, nil
}

// CompleteIdempotent stores the response for a claimed key. Only the claimer
// writes it, so this update has no concurrent writer.
func (s *Store) CompleteIdempotent(ctx context.Context, id string, status int, contentType string, body []byte) error {
	res, err := s.c(colIdempotency).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{
		{Key: "done", Value: true},
		{Key: "status", Value: status},
		{Key: "contentType", Value: contentType},
		{Key: "body", Value: body},
	}}})
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	}
	if res.MatchedCount == 0 {
		return apperr.New(apperr.NotFound, "idempotency.gone", "The earlier request is gone; retry.")
	}
	return nil
}

// TakeOverIdempotent replaces a claim left unfinished by a process that
// died: it deletes the claim only if it is still the abandoned one (same
// creation time), then claims the key for r. Of two callers taking over at
// once, one wins and the other gets the winner's record back.
func (s *Store) TakeOverIdempotent(ctx context.Context, abandoned models.IdempotencyRecord, r models.IdempotencyRecord) (*models.IdempotencyRecord, error) {
	_, err := s.c(colIdempotency).DeleteOne(ctx, bson.D{
		{Key: "_id", Value: abandoned.ID}, {Key: "done", Value: false}, {Key: "createdAt", Value: abandoned.CreatedAt},
	})
	if err != nil {
		return nil, fmt.Errorf("take over idempotency key: %w", err)
	}
	return s.BeginIdempotent(ctx, r)
}

// AbortIdempotent releases the claim r of a request that failed on our
// side, so the client's retry runs again. Only r itself is deleted (same
// creation time), never a later claim of the same key.
func (s *Store) AbortIdempotent(ctx context.Context, r models.IdempotencyRecord) error {
	_, err := s.c(colIdempotency).DeleteOne(ctx, bson.D{
		{Key: "_id", Value: r.ID}, {Key: "done", Value: false}, {Key: "createdAt", Value: r.CreatedAt},
	})
	if err != nil {
		return fmt.Errorf("abort idempotency key: %w", err)
	}
	return nil
}
