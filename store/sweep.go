package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Retention of housekeeping records.
const (
	authFailureRetention = 24 * time.Hour
	// A revoked session cannot rotate, so all its tokens are expired once the
	// longest refresh lifetime has passed.
	revokedFamilyRetention = 61 * 24 * time.Hour
)

// Sweep deletes expired records: idempotency keys, refresh tokens and
// activation codes past their expiry, and old failed-attempt records. Neither
// engine is relied on for TTL indexes, so this runs periodically.
func (s *Store) Sweep(ctx context.Context) error {
	now := s.now()
	before := func(field string, t time.Time) bson.D {
		return bson.D{{Key: field, Value: bson.D{{Key: "$lt", Value: t}}}}
	}
	jobs := []struct {
		col    string
		filter bson.D
	}{
		{colIdempotency, before("expiresAt", now)},
		{colRefreshTokens, before("expiresAt", now)},
		{colActivationCodes, before("expiresAt", now)},
		{colAuthFailures, before("at", now.Add(-authFailureRetention))},
		{colRevokedFamilies, before("at", now.Add(-revokedFamilyRetention))},
		{colRefreshSpent, before("at", now.Add(-revokedFamilyRetention))},
		{colActivationUses, before("at", now.Add(-revokedFamilyRetention))},
		{colDevices, before("refreshedAt", now.Add(-staleDeviceAge))},
	}
	for _, j := range jobs {
		if _, err := s.c(j.col).DeleteMany(ctx, j.filter); err != nil {
			return fmt.Errorf("sweep %s: %w", j.col, err)
		}
	}
	// Files uploaded for a message that was never sent.
	return s.DeleteUnsentAttachments(ctx, now.Add(-unsentAttachmentRetention))
}

// staleDeviceAge: a phone whose app has not started for this long is
// forgotten (FCM treats such tokens as stale too).
const staleDeviceAge = 270 * 24 * time.Hour

// unsentAttachmentRetention is how long an upload waits for its message
// (messaging.UnsentAttachmentTTL).
const unsentAttachmentRetention = 24 * time.Hour
