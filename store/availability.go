package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Availability's collections: absences (append-only; only clearedAt is ever
// set later) and office_hours (one document per counselor, _id = the
// counselor's ID, replaced as a whole).
const (
	colAbsences    = "absences"
	colOfficeHours = "office_hours"
)

// officeHoursDoc is the stored shape of a counselor's office hours.
type officeHoursDoc struct {
	CounselorID string             `bson:"_id"`
	Days        []models.OfficeDay `bson:"days"`
	UpdatedBy   string             `bson:"updatedBy"`
	UpdatedAt   time.Time          `bson:"updatedAt"`
}

// OfficeHours returns the office hours a counselor saved, or NotFound.
func (s *Store) OfficeHours(ctx context.Context, counselorID string) (models.OfficeHours, error) {
	var d officeHoursDoc
	err := s.c(colOfficeHours).FindOne(ctx, byID(counselorID)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.OfficeHours{}, apperr.New(apperr.NotFound, "office_hours.not_found", "No office hours saved.")
	}
	if err != nil {
		return models.OfficeHours{}, fmt.Errorf("find office hours: %w", err)
	}
	return models.OfficeHours{Days: d.Days}, nil
}

// PutOfficeHours replaces (or creates) a counselor's office hours. The
// document has one owner and no invariant across writers, so the last write
// wins. Two first saves at once may both try to insert: the loser's
// duplicate key is retried once as a replacement of the winner's document.
func (s *Store) PutOfficeHours(ctx context.Context, counselorID string, h models.OfficeHours, by string, at time.Time) error {
	d := officeHoursDoc{CounselorID: counselorID, Days: h.Days, UpdatedBy: by, UpdatedAt: at}
	replace := func() error {
		_, err := s.c(colOfficeHours).ReplaceOne(ctx, byID(counselorID), d, options.Replace().SetUpsert(true))
		return err
	}
	err := replace()
	if mongo.IsDuplicateKeyError(err) {
		err = replace()
	}
	if err != nil {
		return fmt.Errorf("save office hours: %w", err)
	}
	return nil
}

// InsertAbsence records an absence.
func (s *Store) InsertAbsence(ctx context.Context, a models.Absence) error {
	return insertNew(ctx, s.c(colAbsences), a)
}

// LatestAbsence returns the counselor's absence created last at or before
// at (by createdAt, then _id), whatever its state, or NotFound.
func (s *Store) LatestAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, error) {
	var a models.Absence
	err := s.c(colAbsences).FindOne(ctx, bson.D{
		{Key: "counselorId", Value: counselorID},
		{Key: "createdAt", Value: bson.D{{Key: "$lte", Value: at}}},
	}, options.FindOne().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}})).Decode(&a)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.Absence{}, apperr.New(apperr.NotFound, "absence.not_found", "No absence.")
	}
	if err != nil {
		return models.Absence{}, fmt.Errorf("find latest absence: %w", err)
	}
	return a, nil
}

// AbsencesEndingAfter returns the absences of the counselors whose Until is
// after at, cleared ones included (the caller decides what is active).
func (s *Store) AbsencesEndingAfter(ctx context.Context, counselorIDs []string, at time.Time) ([]models.Absence, error) {
	return findAll[models.Absence](ctx, s.c(colAbsences), bson.D{
		{Key: "counselorId", Value: bson.D{{Key: "$in", Value: counselorIDs}}},
		{Key: "until", Value: bson.D{{Key: "$gt", Value: at}}},
	}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
}

// AbsencesWithStandIn returns the absences naming standInID as the stand-in
// that span at (From ≤ at < Until), cleared ones included.
func (s *Store) AbsencesWithStandIn(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error) {
	return findAll[models.Absence](ctx, s.c(colAbsences), bson.D{
		{Key: "standInId", Value: standInID},
		{Key: "until", Value: bson.D{{Key: "$gt", Value: at}}},
		{Key: "from", Value: bson.D{{Key: "$lte", Value: at}}},
	}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
}

// ClearAbsences sets clearedAt = at on those of ids not yet cleared. Two
// clearings at once may both write; either time is a moment the absence
// was ended, and no absence is ever un-cleared.
func (s *Store) ClearAbsences(ctx context.Context, ids []string, at time.Time) error {
	_, err := s.c(colAbsences).UpdateMany(ctx, bson.D{
		{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "clearedAt", Value: bson.D{{Key: "$exists", Value: false}}},
	}, bson.D{{Key: "$set", Value: bson.D{{Key: "clearedAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("clear absences: %w", err)
	}
	return nil
}
