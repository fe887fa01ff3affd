package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// InsertRefreshToken stores a refresh token (by its hash).
func (s *Store) InsertRefreshToken(ctx context.Context, t models.RefreshToken) error {
	return insertNew(ctx, s.c(colRefreshTokens), t)
}

// RefreshToken returns the token with this hash, or a NotFound error.
func (s *Store) RefreshToken(ctx context.Context, hash string) (models.RefreshToken, error) {
	var t models.RefreshToken
	err := findOne(ctx, s.c(colRefreshTokens), byID(hash), &t, "auth.invalid_refresh", "The refresh token is not valid.")
	return t, err
}

// SpendRefreshToken marks a token as used by inserting its spent record; a
// token spent before (a replay, or a stolen copy) is a Conflict.
func (s *Store) SpendRefreshToken(ctx context.Context, hash string, at time.Time) error {
	return insert(ctx, s.c(colRefreshSpent), useDoc{ID: hash, At: at}, "auth.refresh_reused", "This refresh token was already used.")
}

// RevokeFamily ends every refresh token of a login session. Idempotent.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, at time.Time) error {
	err := insert(ctx, s.c(colRevokedFamilies), useDoc{ID: familyID, At: at}, "auth.family_revoked", "")
	if apperr.Is(err, apperr.Conflict) {
		return nil
	}
	return err
}

// FamilyRevoked reports whether the session familyID was revoked.
func (s *Store) FamilyRevoked(ctx context.Context, familyID string) (bool, error) {
	n, err := s.c(colRevokedFamilies).CountDocuments(ctx, byID(familyID))
	if err != nil {
		return false, fmt.Errorf("count revoked families: %w", err)
	}
	return n > 0, nil
}

// RevokeUserFamilies ends every session of a user (after a password reset).
// The families are collected in Go: the embedded engine rejects distinct
// with a time limit.
func (s *Store) RevokeUserFamilies(ctx context.Context, userID string, at time.Time) error {
	opts := options.Find().SetProjection(bson.D{{Key: "familyId", Value: 1}})
	tokens, err := findAll[models.RefreshToken](ctx, s.c(colRefreshTokens), bson.D{{Key: "userId", Value: userID}}, opts)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, t := range tokens {
		if done[t.FamilyID] {
			continue
		}
		done[t.FamilyID] = true
		if err := s.RevokeFamily(ctx, t.FamilyID, at); err != nil {
			return err
		}
	}
	return nil
}

type failureDoc struct {
	ID  string    `bson:"_id"`
	Key string    `bson:"key"`
	At  time.Time `bson:"at"`
}

// RecordAuthFailure appends a failed attempt under key (an account or a
// client address); throttling counts these, no counter is shared.
func (s *Store) RecordAuthFailure(ctx context.Context, id, key string, at time.Time) error {
	return insertNew(ctx, s.c(colAuthFailures), failureDoc{ID: id, Key: key, At: at})
}

// DeleteAuthFailures removes attempt records (an attempt that succeeded).
func (s *Store) DeleteAuthFailures(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.c(colAuthFailures).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("delete auth attempts: %w", err)
	}
	return nil
}

// CountAuthFailures counts failed attempts under key since a time.
func (s *Store) CountAuthFailures(ctx context.Context, key string, since time.Time) (int, error) {
	n, err := s.c(colAuthFailures).CountDocuments(ctx, bson.D{
		{Key: "key", Value: key},
		{Key: "at", Value: bson.D{{Key: "$gte", Value: since}}},
	})
	if err != nil {
		return 0, fmt.Errorf("count auth failures: %w", err)
	}
	return int(n), nil
}
