package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// The celebration collections: one document per celebration (its _id is
// its activity's) and the participant's append-only answers.
const (
	colCelebrations = "celebrations"
	colRSVPs        = "celebration_rsvps"
)

// InsertCelebration stores a celebration. A milestone already celebrated
// (its slot key taken) is a Conflict "celebration.exists".
func (s *Store) InsertCelebration(ctx context.Context, c models.Celebration) error {
	return insert(ctx, s.c(colCelebrations), c, "celebration.exists", "This milestone already has a celebration.")
}

// Celebration returns one celebration, or a NotFound error.
func (s *Store) Celebration(ctx context.Context, id string) (models.Celebration, error) {
	var c models.Celebration
	err := findOne(ctx, s.c(colCelebrations), byID(id), &c, "celebration.not_found", "No such celebration.")
	return c, err
}

// CelebrationBySlot returns the celebration holding a slot key, or a
// NotFound error.
func (s *Store) CelebrationBySlot(ctx context.Context, slot string) (models.Celebration, error) {
	var c models.Celebration
	err := findOne(ctx, s.c(colCelebrations), bson.D{{Key: "slotKey", Value: slot}}, &c, "celebration.not_found", "No such celebration.")
	return c, err
}

// ReleaseCelebrationSlot frees a cancelled celebration's milestone, so it
// can be celebrated on another day. The new key is the celebration's own,
// so the update never clashes.
func (s *Store) ReleaseCelebrationSlot(ctx context.Context, id string) error {
	_, err := s.c(colCelebrations).UpdateOne(ctx, byID(id),
		bson.D{{Key: "$set", Value: bson.D{{Key: "slotKey", Value: "cancelled/" + id}}}})
	if err != nil {
		return fmt.Errorf("release celebration slot: %w", err)
	}
	return nil
}

// Celebrations lists celebrations matching f, by start time (then ID), one
// page at a time. The cursor is "<startsAt>|<id>" of the last item.
func (s *Store) Celebrations(ctx context.Context, f models.CelebrationFilter, p models.Page) ([]models.Celebration, string, error) {
	filter := bson.D{}
	if f.DepartmentID != "" {
		filter = append(filter, bson.E{Key: "departmentId", Value: f.DepartmentID})
	}
	if f.ParticipantIDs != nil {
		filter = append(filter, bson.E{Key: "participantId", Value: bson.D{{Key: "$in", Value: f.ParticipantIDs}}})
	}
	if !f.EndsAfter.IsZero() {
		filter = append(filter, bson.E{Key: "endsAt", Value: bson.D{{Key: "$gt", Value: f.EndsAfter}}})
	}
	if p.After != "" {
		at, id, ok := strings.Cut(p.After, "|")
		t, err := time.Parse(time.RFC3339Nano, at)
		if !ok || err != nil || id == "" {
			return nil, "", apperr.InvalidField("cursor", "pagination.cursor", "Invalid cursor. Start again from the first page.")
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "startsAt", Value: bson.D{{Key: "$gt", Value: t}}}},
			bson.D{{Key: "startsAt", Value: t}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: id}}}},
		}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(p.Limit) + 1)
	items, err := findAll[models.Celebration](ctx, s.c(colCelebrations), filter, opts)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(items) > p.Limit {
		items = items[:p.Limit]
		last := items[len(items)-1]
		next = last.StartsAt.UTC().Format(time.RFC3339Nano) + "|" + last.ID
	}
	return items, next, nil
}

// InsertRSVP stores one answer to a celebration.
func (s *Store) InsertRSVP(ctx context.Context, r models.RSVP) error {
	return insertNew(ctx, s.c(colRSVPs), r)
}

// LatestRSVPs returns the newest answer to each of the celebrations that
// has one, by celebration ID.
func (s *Store) LatestRSVPs(ctx context.Context, celebrationIDs []string) (map[string]models.RSVP, error) {
	out := map[string]models.RSVP{}
	if len(celebrationIDs) == 0 {
		return out, nil
	}
	all, err := findAll[models.RSVP](ctx, s.c(colRSVPs), bson.D{{Key: "celebrationId", Value: bson.D{{Key: "$in", Value: celebrationIDs}}}})
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if prev, ok := out[r.CelebrationID]; !ok || r.ID > prev.ID {
			out[r.CelebrationID] = r
		}
	}
	return out, nil
}
