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

// colJobRuns holds the claims of scheduled job runs.
const colJobRuns = "job_runs"

// InsertJobRun claims a run by inserting it; a run someone else claimed
// first (the same _id) is a Conflict "job.claimed".
func (s *Store) InsertJobRun(ctx context.Context, r models.JobRun) error {
	return insert(ctx, s.c(colJobRuns), r, "job.claimed", "This run is claimed.")
}

// JobRuns returns the claims on one period of a job, first attempt first.
func (s *Store) JobRuns(ctx context.Context, job, period string) ([]models.JobRun, error) {
	return findAll[models.JobRun](ctx, s.c(colJobRuns),
		bson.D{{Key: "job", Value: job}, {Key: "period", Value: period}},
		options.Find().SetSort(bson.D{{Key: "attempt", Value: 1}}))
}

// LastFinishedJobRun returns the finished run of job with the latest
// period; ok is false when none finished yet.
func (s *Store) LastFinishedJobRun(ctx context.Context, job string) (models.JobRun, bool, error) {
	var r models.JobRun
	err := s.c(colJobRuns).FindOne(ctx,
		bson.D{{Key: "job", Value: job}, {Key: "finishedAt", Value: bson.D{{Key: "$exists", Value: true}}}},
		options.FindOne().SetSort(bson.D{{Key: "period", Value: -1}})).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.JobRun{}, false, nil
	}
	if err != nil {
		return models.JobRun{}, false, fmt.Errorf("find last run of %s: %w", job, err)
	}
	return r, true, nil
}

// FirstJobRun returns the claim of job with the earliest period; ok is
// false when job never ran.
func (s *Store) FirstJobRun(ctx context.Context, job string) (models.JobRun, bool, error) {
	var r models.JobRun
	err := s.c(colJobRuns).FindOne(ctx, bson.D{{Key: "job", Value: job}},
		options.FindOne().SetSort(bson.D{{Key: "period", Value: 1}})).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.JobRun{}, false, nil
	}
	if err != nil {
		return models.JobRun{}, false, fmt.Errorf("find first run of %s: %w", job, err)
	}
	return r, true, nil
}

// FinishJobRun marks the holder's claim finished.
func (s *Store) FinishJobRun(ctx context.Context, id string, at time.Time) error {
	if _, err := s.c(colJobRuns).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "finishedAt", Value: at}}}}); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	return nil
}

// FailJobRun marks the holder's claim failed and ends its lease at once, so
// the next tick may try again.
func (s *Store) FailJobRun(ctx context.Context, id string, at time.Time, reason string) error {
	_, err := s.c(colJobRuns).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{
		{Key: "failedAt", Value: at}, {Key: "leaseUntil", Value: at}, {Key: "error", Value: reason},
	}}})
	if err != nil {
		return fmt.Errorf("fail run: %w", err)
	}
	return nil
}

// PruneJobRuns deletes the claims of job for periods before period.
func (s *Store) PruneJobRuns(ctx context.Context, job, before string) error {
	_, err := s.c(colJobRuns).DeleteMany(ctx,
		bson.D{{Key: "job", Value: job}, {Key: "period", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return fmt.Errorf("prune runs of %s: %w", job, err)
	}
	return nil
}
