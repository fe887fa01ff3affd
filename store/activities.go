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

// InsertActivity stores a new activity.
func (s *Store) InsertActivity(ctx context.Context, a models.Activity) error {
	return insertNew(ctx, s.c(colActivities), a)
}

// Activity returns the activity with id, or a NotFound error.
func (s *Store) Activity(ctx context.Context, id string) (models.Activity, error) {
	var a models.Activity
	err := findOne(ctx, s.c(colActivities), byID(id), &a, "activity.not_found", "No such activity.")
	return a, err
}

// UpdateActivityDetails writes the fields a coordinator edits; the state,
// the date span and the creation fields are left alone. A cancelled
// activity is not edited (RuleViolation). Coordinators edit one at a time;
// the last edit wins.
func (s *Store) UpdateActivityDetails(ctx context.Context, a models.Activity) error {
	set := bson.D{
		{Key: "kind", Value: a.Kind}, {Key: "title", Value: a.Title}, {Key: "description", Value: a.Description},
		{Key: "whatToBring", Value: a.WhatToBring}, {Key: "location", Value: a.Location},
		{Key: "departmentId", Value: a.DepartmentID}, {Key: "capacity", Value: a.Capacity},
		{Key: "requiresApproval", Value: a.RequiresApproval}, {Key: "signupOpensAt", Value: a.SignupOpensAt},
		{Key: "signupClosesAt", Value: a.SignupClosesAt}, {Key: "cancelDeadlineHours", Value: a.CancelDeadlineHours},
		{Key: "completionMinSessions", Value: a.CompletionMinSessions}, {Key: "updatedAt", Value: a.UpdatedAt},
	}
	res, err := s.c(colActivities).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: a.ID}, {Key: "state", Value: models.StateScheduled}},
		bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("update activity: %w", err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	if _, err := s.Activity(ctx, a.ID); err != nil {
		return err
	}
	return apperr.New(apperr.RuleViolation, "activity.cancelled", "This activity has been cancelled.")
}

// ActivitiesByID returns the activities with the given IDs, by ID.
func (s *Store) ActivitiesByID(ctx context.Context, ids []string) (map[string]models.Activity, error) {
	out := map[string]models.Activity{}
	if len(ids) == 0 {
		return out, nil
	}
	items, err := findAll[models.Activity](ctx, s.c(colActivities), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, err
	}
	for _, a := range items {
		out[a.ID] = a
	}
	return out, nil
}

// Activities lists the catalogue, one page at a time.
func (s *Store) Activities(ctx context.Context, f models.ActivityFilter, p models.Page) ([]models.Activity, string, error) {
	filter := bson.D{}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	} else if len(f.Kinds) > 0 {
		filter = append(filter, bson.E{Key: "kind", Value: bson.D{{Key: "$in", Value: f.Kinds}}})
	}
	if f.DepartmentID != "" {
		filter = append(filter, bson.E{Key: "departmentId", Value: f.DepartmentID})
	} else if f.ExceptDepartmentID != "" {
		filter = append(filter, bson.E{Key: "departmentId", Value: bson.D{{Key: "$ne", Value: f.ExceptDepartmentID}}})
	}
	if f.State != "" {
		filter = append(filter, bson.E{Key: "state", Value: f.State})
	}
	if f.From != nil {
		filter = append(filter, bson.E{Key: "lastEndsAt", Value: bson.D{{Key: "$gte", Value: *f.From}}})
	}
	if f.To != nil {
		filter = append(filter, bson.E{Key: "firstStartsAt", Value: bson.D{{Key: "$lte", Value: *f.To}}})
	}
	return page(ctx, s.c(colActivities), filter, p, func(a models.Activity) string { return a.ID })
}

// InsertSessions stores new sessions of one activity and widens the
// activity's date span to cover them.
func (s *Store) InsertSessions(ctx context.Context, activityID string, sessions []models.Session) error {
	if len(sessions) == 0 {
		return nil
	}
	docs := make([]any, len(sessions))
	first, last := sessions[0].StartsAt, sessions[0].EndsAt
	for i, ss := range sessions {
		docs[i] = ss
		first, last = minTime(first, ss.StartsAt), maxTime(last, ss.EndsAt)
	}
	if _, err := s.c(colSessions).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert sessions: %w", err)
	}
	_, err := s.c(colActivities).UpdateOne(ctx, byID(activityID), bson.D{
		{Key: "$min", Value: bson.D{{Key: "firstStartsAt", Value: first}}},
		{Key: "$max", Value: bson.D{{Key: "lastEndsAt", Value: last}}},
	})
	if err != nil {
		return fmt.Errorf("widen activity span: %w", err)
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Sessions returns an activity's sessions in time order.
func (s *Store) Sessions(ctx context.Context, activityID string) ([]models.Session, error) {
	return findAll[models.Session](ctx, s.c(colSessions), bson.D{{Key: "activityId", Value: activityID}},
		options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}))
}

// Session returns one session, or a NotFound error.
func (s *Store) Session(ctx context.Context, id string) (models.Session, error) {
	var ss models.Session
	err := findOne(ctx, s.c(colSessions), byID(id), &ss, "session.not_found", "No such session.")
	return ss, err
}

// CancelSession marks a session cancelled; cancelling twice is harmless.
func (s *Store) CancelSession(ctx context.Context, id string, at time.Time) error {
	return s.markCancelled(ctx, colSessions, id, at, "session.not_found", "No such session.")
}

// CancelActivity marks an activity and all its sessions cancelled.
func (s *Store) CancelActivity(ctx context.Context, id string, at time.Time) error {
	if err := s.markCancelled(ctx, colActivities, id, at, "activity.not_found", "No such activity."); err != nil {
		return err
	}
	_, err := s.c(colSessions).UpdateMany(ctx,
		bson.D{{Key: "activityId", Value: id}, {Key: "state", Value: models.StateScheduled}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: models.StateCancelled}, {Key: "cancelledAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("cancel sessions: %w", err)
	}
	return nil
}

// markCancelled cancels a scheduled document; one already cancelled keeps
// its first cancellation time.
func (s *Store) markCancelled(ctx context.Context, col, id string, at time.Time, code, detail string) error {
	res, err := s.c(col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "state", Value: models.StateScheduled}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: models.StateCancelled}, {Key: "cancelledAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("cancel in %s: %w", col, err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	n, err := s.c(col).CountDocuments(ctx, byID(id))
	if err != nil {
		return fmt.Errorf("find in %s: %w", col, err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, code, detail)
	}
	return nil
}

// SessionsStarting returns the scheduled sessions starting in [from, to),
// in time order.
func (s *Store) SessionsStarting(ctx context.Context, from, to time.Time) ([]models.Session, error) {
	return findAll[models.Session](ctx, s.c(colSessions), bson.D{
		{Key: "startsAt", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lt", Value: to}}},
		{Key: "state", Value: models.StateScheduled},
	}, options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}))
}
