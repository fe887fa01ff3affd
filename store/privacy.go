package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

const (
	colWithdrawals = "withdrawals"
	colLeavers     = "leavers"
	colAccessLog   = "access_log"
)

// InsertWithdrawal records that a participant left; a participant who has
// left already is a Conflict.
func (s *Store) InsertWithdrawal(ctx context.Context, w models.Withdrawal) error {
	return insert(ctx, s.c(colWithdrawals), w, "participant.already_withdrawn", "This participant has already left.")
}

// Withdrawal returns a participant's withdrawal, or NotFound.
func (s *Store) Withdrawal(ctx context.Context, participantID string) (models.Withdrawal, error) {
	var w models.Withdrawal
	err := findOne(ctx, s.c(colWithdrawals), byID(participantID), &w, "participant.not_withdrawn", "This participant has not left.")
	return w, err
}

// DeleteWithdrawal removes a participant's withdrawal (an undo, or the last
// step of erasure); none is no error.
func (s *Store) DeleteWithdrawal(ctx context.Context, participantID string) error {
	if _, err := s.c(colWithdrawals).DeleteOne(ctx, byID(participantID)); err != nil {
		return fmt.Errorf("delete withdrawal: %w", err)
	}
	return nil
}

// DueWithdrawals lists the withdrawals whose retention ended by now, oldest
// first, at most limit.
func (s *Store) DueWithdrawals(ctx context.Context, now time.Time, limit int) ([]models.Withdrawal, error) {
	return findAll[models.Withdrawal](ctx, s.c(colWithdrawals),
		bson.D{{Key: "eraseAfter", Value: bson.D{{Key: "$lte", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "eraseAfter", Value: 1}}).SetLimit(int64(limit)))
}

// Withdrawals lists every withdrawal still waiting for erasure.
func (s *Store) Withdrawals(ctx context.Context) ([]models.Withdrawal, error) {
	return findAll[models.Withdrawal](ctx, s.c(colWithdrawals), bson.D{})
}

// SetWithdrawn copies the withdrawal time onto the user (nil clears it).
func (s *Store) SetWithdrawn(ctx context.Context, userID string, at *time.Time) error {
	upd := bson.D{{Key: "$unset", Value: bson.D{{Key: "withdrawnAt", Value: ""}}}}
	if at != nil {
		upd = bson.D{{Key: "$set", Value: bson.D{{Key: "withdrawnAt", Value: *at}}}}
	}
	if _, err := s.c(colUsers).UpdateOne(ctx, byID(userID), upd); err != nil {
		return fmt.Errorf("set withdrawn: %w", err)
	}
	return nil
}

// InsertLeaver stores the anonymous record of an erased participant; one
// stored already (a re-run of an interrupted erasure) is left as it is.
func (s *Store) InsertLeaver(ctx context.Context, l models.LeaverRecord) error {
	return insertOnce(ctx, s.c(colLeavers), l)
}

// Leavers returns every anonymous leaver record.
func (s *Store) Leavers(ctx context.Context) ([]models.LeaverRecord, error) {
	return findAll[models.LeaverRecord](ctx, s.c(colLeavers), bson.D{})
}

// InsertAccessEntries appends lines to the access log.
func (s *Store) InsertAccessEntries(ctx context.Context, entries []models.AccessEntry) error {
	if len(entries) == 0 {
		return nil
	}
	docs := make([]any, len(entries))
	for i, e := range entries {
		docs[i] = e
	}
	if _, err := s.c(colAccessLog).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert access log: %w", err)
	}
	return nil
}

// AccessEntries searches the access log, newest first (IDs are
// time-ordered): a page continues before p.After.
func (s *Store) AccessEntries(ctx context.Context, f models.AccessFilter, p models.Page) ([]models.AccessEntry, string, error) {
	filter := bson.D{}
	if f.ParticipantID != "" {
		filter = append(filter, bson.E{Key: "participantId", Value: f.ParticipantID})
	}
	if f.ActorID != "" {
		filter = append(filter, bson.E{Key: "actorId", Value: f.ActorID})
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From})
	}
	if !f.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: f.To})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	return pageNewest(ctx, s.c(colAccessLog), filter, p, func(e models.AccessEntry) string { return e.ID })
}

// CountAccessEntries counts a participant's access-log lines.
func (s *Store) CountAccessEntries(ctx context.Context, participantID string) (int, error) {
	n, err := s.c(colAccessLog).CountDocuments(ctx, bson.D{{Key: "participantId", Value: participantID}})
	if err != nil {
		return 0, fmt.Errorf("count access log: %w", err)
	}
	return int(n), nil
}

// AllConsents returns a participant's consent records of every purpose,
// oldest first.
func (s *Store) AllConsents(ctx context.Context, participantID string) ([]models.ConsentRecord, error) {
	return findAll[models.ConsentRecord](ctx, s.c(colConsents),
		bson.D{{Key: "participantId", Value: participantID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// ConsentsByPurpose returns every participant's records for one purpose,
// oldest first (statistics reads who consented).
func (s *Store) ConsentsByPurpose(ctx context.Context, purpose models.ConsentPurpose) ([]models.ConsentRecord, error) {
	return findAll[models.ConsentRecord](ctx, s.c(colConsents),
		bson.D{{Key: "purpose", Value: purpose}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// ConsentsOfUsers returns several participants' records for one purpose,
// oldest first.
func (s *Store) ConsentsOfUsers(ctx context.Context, userIDs []string, purpose models.ConsentPurpose) ([]models.ConsentRecord, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	return findAll[models.ConsentRecord](ctx, s.c(colConsents),
		bson.D{{Key: "participantId", Value: bson.D{{Key: "$in", Value: userIDs}}}, {Key: "purpose", Value: purpose}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}
