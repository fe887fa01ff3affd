package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// colCalendarFeeds holds one document per participant with a calendar feed:
// {_id: userId, tokenHash, createdAt}.
const colCalendarFeeds = "calendar_feeds"

// ReplaceCalendarFeed stores f as its participant's one feed, replacing the
// one before (whose token then stops working). Only the participant writes
// their own feed document, so the last write winning is what they asked for.
func (s *Store) ReplaceCalendarFeed(ctx context.Context, f models.CalendarFeed) error {
	_, err := s.c(colCalendarFeeds).ReplaceOne(ctx, byID(f.UserID), f, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("replace calendar feed: %w", err)
	}
	return nil
}

// DeleteCalendarFeed removes a participant's feed; having none is fine.
func (s *Store) DeleteCalendarFeed(ctx context.Context, userID string) error {
	if _, err := s.c(colCalendarFeeds).DeleteOne(ctx, byID(userID)); err != nil {
		return fmt.Errorf("delete calendar feed: %w", err)
	}
	return nil
}

// CalendarFeedByHash returns the feed whose token has tokenHash, or a
// NotFound error.
func (s *Store) CalendarFeedByHash(ctx context.Context, tokenHash string) (models.CalendarFeed, error) {
	var f models.CalendarFeed
	err := findOne(ctx, s.c(colCalendarFeeds), bson.D{{Key: "tokenHash", Value: tokenHash}}, &f,
		"calendar.not_found", "This calendar link no longer works.")
	return f, err
}
