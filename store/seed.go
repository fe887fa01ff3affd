package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// colSeedInfo holds the one marker document `api seed` leaves in a
// database it filled, so a later run can tell generated data from real data.
const colSeedInfo = "seed_info"

// seedMarkerID is the marker's _id: one per database.
const seedMarkerID = "seed"

// SeedMarker says that a database was filled by `api seed`, with what and
// as of when. It names no person.
type SeedMarker struct {
	ID           string    `bson:"_id"`
	Participants int       `bson:"participants"`
	Months       int       `bson:"months"`
	Seed         int64     `bson:"seed"`
	AsOf         time.Time `bson:"asOf"` // the "now" the history was generated back from
	CreatedAt    time.Time `bson:"createdAt"`
	// FinishedAt is set when every document was written; a marker without
	// it is a seed that broke off half-way.
	FinishedAt *time.Time     `bson:"finishedAt,omitempty"`
	Documents  map[string]int `bson:"documents,omitempty"` // per collection, once finished
}

// SeedState reports whether the database holds any account and, when `api
// seed` filled it, its marker (nil otherwise). The seed tool refuses a
// database with accounts and no marker: that is real data.
func (s *Store) SeedState(ctx context.Context) (hasAccounts bool, marker *SeedMarker, err error) {
	n, err := s.c(colUsers).CountDocuments(ctx, bson.D{}, options.Count().SetLimit(1))
	if err != nil {
		return false, nil, fmt.Errorf("count accounts: %w", err)
	}
	var m SeedMarker
	err = s.c(colSeedInfo).FindOne(ctx, byID(seedMarkerID)).Decode(&m)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return n > 0, nil, nil
	case err != nil:
		return false, nil, fmt.Errorf("find seed marker: %w", err)
	}
	return n > 0, &m, nil
}

// MarkSeeded stores the marker of a database `api seed` is about to fill,
// before the first generated document, so even a seed that breaks off
// half-way leaves its database recognisable; a database marked already is
// a Conflict (it is dropped before a reseed).
func (s *Store) MarkSeeded(ctx context.Context, m SeedMarker) error {
	m.ID = seedMarkerID
	return insert(ctx, s.c(colSeedInfo), m, "seed.exists", "This database was seeded already.")
}

// FinishSeeded records on the marker that the seed wrote everything, and
// how many documents went into each collection.
func (s *Store) FinishSeeded(ctx context.Context, documents map[string]int, at time.Time) error {
	res, err := s.c(colSeedInfo).UpdateOne(ctx, byID(seedMarkerID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "finishedAt", Value: at}, {Key: "documents", Value: documents},
	}}})
	if err != nil {
		return fmt.Errorf("finish seed marker: %w", err)
	}
	if res.MatchedCount == 0 {
		return errors.New("finish seed marker: no marker")
	}
	return nil
}

// DropSeeded drops the whole database, only when `api seed` filled it
// (its marker is there), and creates the indexes again: `api seed
// --force-reseed`. A database without the marker is never touched.
func (s *Store) DropSeeded(ctx context.Context) error {
	_, m, err := s.SeedState(ctx)
	if err != nil {
		return err
	}
	if m == nil {
		return errors.New("refusing to drop a database that api seed did not fill")
	}
	if err := s.db.Drop(ctx); err != nil {
		return fmt.Errorf("drop seeded database: %w", err)
	}
	return s.EnsureIndexes(ctx)
}

// seedable are the collections `api seed` may write with SeedInsert: the
// store's own names, so a generated document always lands where the
// store reads it.
var seedable = map[string]bool{
	colUsers: true, colAssignments: true, colOutbox: true, colActivities: true, colSessions: true,
	colEnrollments: true, colAttendance: true, colMessages: true, colReadMarks: true, colSavedReplies: true,
	colNotifications: true, colEmployments: true, colEmploymentEnds: true, colConsents: true, colFollowUps: true,
	colFollowUpNotes: true, colHours: true, colPayslips: true, colPensionProfiles: true, colPlanGoals: true,
	colPlanTicks: true, colPlanNotes: true, colCheckIns: true, colCheckInRecipients: true, colCheckInAnswers: true,
	colAccessLog: true, colLeavers: true,
}

// seedBatch is how many documents one insertMany carries: large enough to
// amortise a round trip, small enough to stay well within the operation
// timeout on the embedded engine.
const seedBatch = 1000

// SeedInsert writes generated documents (models values) into one of the
// store's collections, in order, seedBatch at a time. It is for `api seed`
// only, which builds whole histories at once: the capabilities write
// through their own methods. Any error, a duplicate key included, is
// returned as is: generated data that breaks a unique index is a bug.
func (s *Store) SeedInsert(ctx context.Context, collection string, docs []any) error {
	if !seedable[collection] {
		return fmt.Errorf("seed insert: %q is not a collection api seed writes", collection)
	}
	for start := 0; start < len(docs); start += seedBatch {
		if _, err := s.c(collection).InsertMany(ctx, docs[start:min(start+seedBatch, len(docs))]); err != nil {
			return fmt.Errorf("seed %s: %w", collection, err)
		}
	}
	return nil
}

// LoginClaim is one login identifier (normalised) and the account that owns it.
type LoginClaim struct {
	Login  string
	UserID string
}

// SeedLogins claims many logins at once, as ClaimLogin does one (a document
// whose _id is the login): for `api seed`. A login taken already is an error.
func (s *Store) SeedLogins(ctx context.Context, claims []LoginClaim) error {
	docs := make([]any, len(claims))
	for i, c := range claims {
		docs[i] = loginDoc{Login: c.Login, UserID: c.UserID}
	}
	for start := 0; start < len(docs); start += seedBatch {
		if _, err := s.c(colLogins).InsertMany(ctx, docs[start:min(start+seedBatch, len(docs))]); err != nil {
			return fmt.Errorf("seed logins: %w", err)
		}
	}
	return nil
}
