// Package store implements every capability's Store with mongo-driver v2. It
// runs unchanged on MongoDB and on the embedded engine: it stays inside the
// subset both implement, and settles write races by unique-index inserts
// rather than read-modify-write on shared documents. Driver errors never
// leave this package: they become apperr kinds or wrapped internal errors.
package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Collection names.
const (
	colUsers           = "users"
	colLogins          = "logins"
	colDepartments     = "departments"
	colAssignments     = "counselor_assignments"
	colActivationCodes = "activation_codes"
	colActivationUses  = "activation_uses"
	colRefreshTokens   = "refresh_tokens"
	colRefreshSpent    = "refresh_spent"
	colRevokedFamilies = "revoked_families"
	colAuthFailures    = "auth_failures"
	colIdempotency     = "idempotency_keys"
	colOutbox          = "outbox"
	colActivities      = "activities"
	colSessions        = "sessions"
	colEnrollments     = "enrollments"
	colLocks           = "locks"
	colAttendance      = "attendance"
)

// Store is the MongoDB implementation of the capabilities' stores.
type Store struct {
	db   *mongo.Database
	now  func() time.Time
	docs *docLocks
}

// New returns a Store on db. now is the clock used for housekeeping.
func New(db *mongo.Database, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, docs: &docLocks{}}
}

// docLocks serialises the updates of one document within this process
// (the rule next to principle 5's unique inserts). On MongoDB a guarded
// single-document update ($max, $inc, $set with the version in the filter)
// is atomic by itself. The embedded engine runs an update as read, change
// in Go, write back the whole document, without isolation, so two updates
// of one summary at once could lose one; it serves one process only, so a
// lock per document here makes them take turns. The locks are striped: two
// documents may share a stripe, so never hold two at once.
type docLocks struct {
	stripes [256]sync.Mutex
}

// lock locks the document collection/id and returns its unlock.
func (l *docLocks) lock(collection, id string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(collection))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(id))
	m := &l.stripes[h.Sum32()%uint32(len(l.stripes))]
	m.Lock()
	return m.Unlock
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

// Database is the database behind the store, for tooling that must see
// every document whatever its collection (the end-to-end erasure check).
func (s *Store) Database() *mongo.Database { return s.db }

// ConnectOptions tunes Connect.
type ConnectOptions struct {
	// Production is true for a real MongoDB deployment: majority write concern
	// and retryable writes. The embedded engine has no sessions, so neither.
	Production bool
	// Timeout is the ceiling for any one operation.
	Timeout time.Duration
	// Monitor, if set, sees every command (benchmarks count them).
	Monitor *event.CommandMonitor
}

// serverSelectionTimeout is how long an operation waits for a server it
// can use before it fails, unless MONGODB_URI sets serverSelectionTimeoutMS.
// The driver's default (30 s) is twice the request deadline: with the
// database gone every request would wait until its deadline. 5 s lets a
// routine replica-set election or a restart (the driver finds the server
// again within about 0.5 s of its return) pass as a short wait, and still
// answers 503 well inside the deadline: at most a third of it.
const serverSelectionTimeout = 5 * time.Second

// Connect connects to uri and pings the server.
func Connect(ctx context.Context, uri string, o ConnectOptions) (*mongo.Client, error) {
	sel := serverSelectionTimeout
	if o.Timeout > 0 {
		sel = min(sel, o.Timeout/3)
	}
	opts := options.Client().SetServerSelectionTimeout(sel).ApplyURI(uri).SetTimeout(o.Timeout).SetAppName("jobkunde")
	if o.Monitor != nil {
		opts.SetMonitor(o.Monitor)
	}
	if o.Production {
		opts.SetWriteConcern(writeconcern.Majority()).SetRetryWrites(true)
	} else {
		opts.SetRetryWrites(false).SetRetryReads(false)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	// At start-up the database gets 10 s to answer (one ping gives up after
	// the server selection timeout), as a database started alongside may
	// still be on its way.
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		err := client.Ping(pingCtx, nil)
		if err == nil {
			return client, nil
		}
		if pingCtx.Err() != nil || !IsUnavailable(err) {
			_ = client.Disconnect(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("ping: %w", err)
		}
	}
}

// IsUnavailable reports whether err means the database cannot be reached
// right now, so the request may succeed if retried later: no server to
// select (within serverSelectionTimeout), a connection refused, reset or
// closed, a connection pool cleared after such a failure, or a timeout
// while waiting for the database. Errors the database itself answered
// (a duplicate key, a bad query) are not. The embedded engine answers
// InternalError (code 1) when its backend has stopped, but also for an
// update that creates a duplicate key, so that code is not counted.
func IsUnavailable(err error) bool {
	var pool driver.RetryablePoolError
	switch {
	case err == nil:
		return false
	case mongo.IsNetworkError(err), mongo.IsTimeout(err):
		return true
	case errors.As(err, &topology.ServerSelectionError{}), errors.As(err, &topology.ConnectionError{}):
		return true
	case errors.As(err, &pool):
		return pool.Retryable()
	}
	return false
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.Client().Ping(ctx, nil)
}

// byID is the filter for one document.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// findOne decodes the first match of filter into v, turning "no document"
// into a NotFound apperr with code and detail.
func findOne(ctx context.Context, c *mongo.Collection, filter any, v any, code, detail string) error {
	err := c.FindOne(ctx, filter).Decode(v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return apperr.New(apperr.NotFound, code, detail)
	}
	if err != nil {
		return fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	return nil
}

// insert inserts doc, turning a duplicate key into a Conflict apperr.
func insert(ctx context.Context, c *mongo.Collection, doc any, code, detail string) error {
	_, err := c.InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		return apperr.Wrap(err, apperr.Conflict, code, detail)
	}
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.Name(), err)
	}
	return nil
}

// insertNew inserts a document whose only unique key is a fresh ID: a
// duplicate is a bug (an ID collision), not something the client can fix, so
// it stays an internal error.
func insertNew(ctx context.Context, c *mongo.Collection, doc any) error {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("insert into %s: %w", c.Name(), err)
	}
	return nil
}

// insertOnce inserts doc unless a document with its unique key is there
// already, which counts as done (a repeat of the same insert).
func insertOnce(ctx context.Context, c *mongo.Collection, doc any) error {
	if _, err := c.InsertOne(ctx, doc); err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("insert into %s: %w", c.Name(), err)
	}
	return nil
}

// countBy counts the documents matching match per value of field.
func countBy(ctx context.Context, c *mongo.Collection, match bson.D, field string) (map[string]int, error) {
	cur, err := c.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: match}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$" + field}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("count %s by %s: %w", c.Name(), field, err)
	}
	var groups []struct {
		Key string `bson:"_id"`
		N   int    `bson:"n"`
	}
	if err := cur.All(ctx, &groups); err != nil {
		return nil, fmt.Errorf("decode %s counts: %w", c.Name(), err)
	}
	out := make(map[string]int, len(groups))
	for _, g := range groups {
		out[g.Key] = g.N
	}
	return out, nil
}

// findAll decodes every document matching filter.
func findAll[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("decode %s: %w", c.Name(), err)
	}
	return out, nil
}

// page runs filter sorted by _id ascending and returns at most p.Limit items
// after p.After, plus the ID to continue after ("" when this was the last page).
func page[T any](ctx context.Context, c *mongo.Collection, filter bson.D, p models.Page, id func(T) string) ([]T, string, error) {
	return pageBy(ctx, c, filter, p, id, 1)
}

// pageNewest is page newest first: IDs are time-ordered, so a page
// continues with the IDs before p.After.
func pageNewest[T any](ctx context.Context, c *mongo.Collection, filter bson.D, p models.Page, id func(T) string) ([]T, string, error) {
	return pageBy(ctx, c, filter, p, id, -1)
}

func pageBy[T any](ctx context.Context, c *mongo.Collection, filter bson.D, p models.Page, id func(T) string, dir int) ([]T, string, error) {
	if p.After != "" {
		op := "$gt"
		if dir < 0 {
			op = "$lt"
		}
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: op, Value: p.After}}})
	}
	// A batch larger than the page lets the server close the cursor with
	// the first reply: no getMore for a full page.
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: dir}}).SetLimit(int64(p.Limit) + 1).SetBatchSize(int32(p.Limit) + 2)
	items, err := findAll[T](ctx, c, filter, opts)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(items) > p.Limit {
		items = items[:p.Limit]
		next = id(items[len(items)-1])
	}
	return items, next, nil
}
