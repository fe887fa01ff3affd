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

// InsertEnrollment stores an enrolment. It is a Conflict when another open
// enrolment holds the same slot (activity, session, participant) or another
// enrolment holds the same ticket: the unique slotKey and ticket indexes
// settle racing sign-ups on either engine.
func (s *Store) InsertEnrollment(ctx context.Context, e models.Enrollment) error {
	return insert(ctx, s.c(colEnrollments), e, "enrollment.exists", "You are already signed up.")
}

// EnrollmentBySlot returns the open enrolment holding slotKey.
func (s *Store) EnrollmentBySlot(ctx context.Context, slotKey string) (models.Enrollment, error) {
	var e models.Enrollment
	err := findOne(ctx, s.c(colEnrollments), bson.D{{Key: "slotKey", Value: slotKey}}, &e, "enrollment.not_found", "No such enrolment.")
	return e, err
}

// Enrollment returns the enrolment with id, or a NotFound error.
func (s *Store) Enrollment(ctx context.Context, id string) (models.Enrollment, error) {
	var e models.Enrollment
	err := findOne(ctx, s.c(colEnrollments), byID(id), &e, "enrollment.not_found", "No such enrolment.")
	return e, err
}

// ChangeEnrollment moves enrolment id from one of c.From to c.To and reports
// whether it did (false: it was in another state). Leaving the open states
// frees the slot, so the participant can sign up again later.
func (s *Store) ChangeEnrollment(ctx context.Context, id string, c models.EnrollmentChange) (bool, error) {
	set := bson.D{{Key: "state", Value: c.To}}
	switch c.To {
	case models.EnrollCancelled:
		set = append(set, bson.E{Key: "cancelledAt", Value: c.At}, bson.E{Key: "lateCancel", Value: c.Late})
	case models.EnrollDeclined, models.EnrollQueued:
		set = append(set, bson.E{Key: "decidedAt", Value: c.At}, bson.E{Key: "decidedBy", Value: c.By})
		if c.Reason != "" {
			set = append(set, bson.E{Key: "decisionReason", Value: c.Reason})
		}
	}
	if c.To == models.EnrollCancelled || c.To == models.EnrollDeclined {
		set = append(set, bson.E{Key: "slotKey", Value: "closed/" + id})
	}
	if c.To == models.EnrollApproved {
		set = append(set, bson.E{Key: "decidedAt", Value: c.At}, bson.E{Key: "decidedBy", Value: c.By},
			bson.E{Key: "approvedAs", Value: c.ApprovedAs}, bson.E{Key: "slotKey", Value: "closed/" + id})
	}
	res, err := s.c(colEnrollments).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "state", Value: bson.D{{Key: "$in", Value: c.From}}}},
		bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return false, fmt.Errorf("change enrolment: %w", err)
	}
	return res.MatchedCount > 0, nil
}

// MarkWaitlisted records when the participant was told they are on the
// waitlist.
func (s *Store) MarkWaitlisted(ctx context.Context, id string, at time.Time) error {
	_, err := s.c(colEnrollments).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "waitlistedAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("mark waitlisted: %w", err)
	}
	return nil
}

// queueFilter selects the queued enrolments of one queue: an activity in
// mode activity (sessionID ""), or one session in mode session.
func queueFilter(activityID, sessionID string) bson.D {
	return bson.D{
		{Key: "activityId", Value: activityID},
		{Key: "sessionId", Value: sessionID},
		{Key: "state", Value: models.EnrollQueued},
	}
}

// CountAhead counts the queued enrolments ahead of ticket queueNo: the rank.
func (s *Store) CountAhead(ctx context.Context, activityID, sessionID string, queueNo int64) (int, error) {
	f := append(queueFilter(activityID, sessionID), bson.E{Key: "queueNo", Value: bson.D{{Key: "$lt", Value: queueNo}}})
	// Numbers start at 1: fewer than queueNo can be ahead.
	n, err := s.c(colEnrollments).CountDocuments(ctx, f, options.Count().SetLimit(max(queueNo, 1)))
	if err != nil {
		return 0, fmt.Errorf("count queue: %w", err)
	}
	return int(n), nil
}

// Queue returns the first n queued enrolments in queue order (n <= 0: all).
func (s *Store) Queue(ctx context.Context, activityID, sessionID string, n int) ([]models.Enrollment, error) {
	opts := options.Find().SetSort(bson.D{{Key: "queueNo", Value: 1}})
	if n > 0 {
		opts.SetLimit(int64(n))
	}
	return findAll[models.Enrollment](ctx, s.c(colEnrollments), queueFilter(activityID, sessionID), opts)
}

// Enrollments lists enrolments matching f, one page at a time.
func (s *Store) Enrollments(ctx context.Context, f models.EnrollmentFilter, p models.Page) ([]models.Enrollment, string, error) {
	filter := bson.D{}
	if f.ParticipantID != "" {
		filter = append(filter, bson.E{Key: "participantId", Value: f.ParticipantID})
	}
	if f.ParticipantIDs != nil {
		filter = append(filter, bson.E{Key: "participantId", Value: bson.D{{Key: "$in", Value: f.ParticipantIDs}}})
	}
	if f.ActivityID != "" {
		filter = append(filter, bson.E{Key: "activityId", Value: f.ActivityID})
	}
	if f.SessionID != nil {
		filter = append(filter, bson.E{Key: "sessionId", Value: *f.SessionID})
	}
	if len(f.States) > 0 {
		filter = append(filter, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: f.States}}})
	}
	return page(ctx, s.c(colEnrollments), filter, p, func(e models.Enrollment) string { return e.ID })
}

// QueueCounts returns how many tickets a queue has handed out (every
// enrolment that ever joined it keeps its ticket, so they are 1..taken) and
// how many of those enrolments are still queued. One pass over the queue:
// a $group with a single $sum, which both engines compute.
func (s *Store) QueueCounts(ctx context.Context, activityID, sessionID string) (taken, queued int, err error) {
	cur, err := s.c(colEnrollments).Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{
			{Key: "activityId", Value: activityID},
			{Key: "sessionId", Value: sessionID},
			{Key: "queueNo", Value: bson.D{{Key: "$gt", Value: 0}}},
		}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$state"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("count queue: %w", err)
	}
	var groups []struct {
		State models.EnrollmentState `bson:"_id"`
		N     int                    `bson:"n"`
	}
	if err := cur.All(ctx, &groups); err != nil {
		return 0, 0, fmt.Errorf("decode queue counts: %w", err)
	}
	for _, g := range groups {
		taken += g.N
		if g.State == models.EnrollQueued {
			queued = g.N
		}
	}
	return taken, queued, nil
}

type lockDoc struct {
	ID        string    `bson:"_id"`
	Holder    string    `bson:"holder"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// TryLock takes the named lease for holder until expiresAt, by inserting
// {_id: name}: the unique _id lets one holder in at a time on either engine.
// A lease left behind by a holder that died is broken once it has expired.
// It reports whether the lease was taken.
func (s *Store) TryLock(ctx context.Context, name, holder string, now, expiresAt time.Time) (bool, error) {
	col := s.c(colLocks)
	// Look before writing: while the lease is held, waiting callers only
	// read, so they do not queue for the engine's write lock.
	var held lockDoc
	err := col.FindOne(ctx, byID(name)).Decode(&held)
	if err == nil && held.ExpiresAt.After(now) {
		return false, nil
	}
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return false, fmt.Errorf("read lock: %w", err)
	}
	for range 2 {
		_, err := col.InsertOne(ctx, lockDoc{ID: name, Holder: holder, ExpiresAt: expiresAt})
		if err == nil {
			return true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return false, fmt.Errorf("take lock: %w", err)
		}
		res, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: name}, {Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}})
		if err != nil {
			return false, fmt.Errorf("break expired lock: %w", err)
		}
		if res.DeletedCount == 0 {
			return false, nil
		}
	}
	return false, nil
}

// Unlock releases the lease if holder still has it.
func (s *Store) Unlock(ctx context.Context, name, holder string) error {
	if _, err := s.c(colLocks).DeleteOne(ctx, bson.D{{Key: "_id", Value: name}, {Key: "holder", Value: holder}}); err != nil {
		return fmt.Errorf("release lock: %w", err)
	}
	return nil
}

// queuedBy counts the queued enrolments matching match, grouped by field.
func (s *Store) queuedBy(ctx context.Context, match bson.D, field string) (map[string]int, error) {
	match = append(match, bson.E{Key: "state", Value: models.EnrollQueued})
	return countBy(ctx, s.c(colEnrollments), match, field)
}

// QueuedByActivity counts the queued enrolments of whole-activity queues
// (mode activity), by activity ID, in one pass.
func (s *Store) QueuedByActivity(ctx context.Context, activityIDs []string) (map[string]int, error) {
	return s.queuedBy(ctx, bson.D{
		{Key: "activityId", Value: bson.D{{Key: "$in", Value: activityIDs}}},
		{Key: "sessionId", Value: ""},
	}, "activityId")
}

// QueuedBySession counts the queued enrolments of one activity by session
// ID ("" for the whole-activity queue of mode activity), in one pass.
func (s *Store) QueuedBySession(ctx context.Context, activityID string) (map[string]int, error) {
	return s.queuedBy(ctx, bson.D{{Key: "activityId", Value: activityID}}, "sessionId")
}
