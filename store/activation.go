package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// InsertActivationCode stores a newly issued code (its hash only).
func (s *Store) InsertActivationCode(ctx context.Context, c models.ActivationCode) error {
	return insert(ctx, s.c(colActivationCodes), c, "activation.exists", "This code already exists.")
}

// ActivationCodeByHash returns the code with this hash, or a NotFound error.
func (s *Store) ActivationCodeByHash(ctx context.Context, hash string) (models.ActivationCode, error) {
	var c models.ActivationCode
	err := findOne(ctx, s.c(colActivationCodes), bson.D{{Key: "codeHash", Value: hash}}, &c,
		"activation.invalid_code", "The code is not valid.")
	return c, err
}

// LatestActivationCodeID returns the ID of the newest code issued to userID
// ("" if none). IDs are time-ordered, so a re-issued code supersedes the old.
func (s *Store) LatestActivationCodeID(ctx context.Context, userID string) (string, error) {
	var c models.ActivationCode
	opts := options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}}).SetProjection(bson.D{{Key: "_id", Value: 1}})
	err := s.c(colActivationCodes).FindOne(ctx, bson.D{{Key: "userId", Value: userID}}, opts).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find latest activation code: %w", err)
	}
	return c.ID, nil
}

type useDoc struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

// MarkActivationUsed spends a code. The unique _id makes it single use under
// any concurrency: the second caller gets a Conflict.
func (s *Store) MarkActivationUsed(ctx context.Context, codeID string, at time.Time) error {
	return insert(ctx, s.c(colActivationUses), useDoc{ID: codeID, At: at}, "activation.used", "This code has already been used.")
}

// UnmarkActivationUsed gives a code back when the activation it was spent on
// could not finish (for example, the chosen login was taken meanwhile).
func (s *Store) UnmarkActivationUsed(ctx context.Context, codeID string) error {
	if _, err := s.c(colActivationUses).DeleteOne(ctx, byID(codeID)); err != nil {
		return fmt.Errorf("unmark activation code: %w", err)
	}
	return nil
}

// ActivationUsed reports whether the code has been spent.
func (s *Store) ActivationUsed(ctx context.Context, codeID string) (bool, error) {
	n, err := s.c(colActivationUses).CountDocuments(ctx, byID(codeID))
	if err != nil {
		return false, fmt.Errorf("count activation uses: %w", err)
	}
	return n > 0, nil
}
