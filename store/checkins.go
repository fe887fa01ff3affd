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

// The check-in collections: the check-ins, who was asked
// ({_id: checkIn/participant}) and the answer versions
// ({_id: checkIn/participant/version}).
const (
	colCheckIns          = "checkins"
	colCheckInRecipients = "checkin_recipients"
	colCheckInAnswers    = "checkin_answers"
)

func checkInNotFound() error {
	return apperr.New(apperr.NotFound, "checkin.not_found", "No such check-in.")
}

// InsertCheckIn stores a new check-in.
func (s *Store) InsertCheckIn(ctx context.Context, c models.CheckIn) error {
	return insertNew(ctx, s.c(colCheckIns), c)
}

// CheckIn returns one check-in, or a NotFound error.
func (s *Store) CheckIn(ctx context.Context, id string) (models.CheckIn, error) {
	var c models.CheckIn
	err := findOne(ctx, s.c(colCheckIns), byID(id), &c, "checkin.not_found", "No such check-in.")
	return c, err
}

// UnsentCheckIn returns the newest check-in of sender to department ("":
// everyone) created at or after since whose fan-out never finished, or a
// NotFound error: a retry after a failure finishes that one.
func (s *Store) UnsentCheckIn(ctx context.Context, senderID, departmentID string, since time.Time) (models.CheckIn, error) {
	var c models.CheckIn
	err := s.c(colCheckIns).FindOne(ctx, bson.D{
		{Key: "senderId", Value: senderID}, {Key: "departmentId", Value: departmentID},
		{Key: "sentAt", Value: bson.D{{Key: "$exists", Value: false}}},
		{Key: "createdAt", Value: bson.D{{Key: "$gte", Value: since}}},
	}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.CheckIn{}, checkInNotFound()
	}
	if err != nil {
		return models.CheckIn{}, fmt.Errorf("find unsent check-in: %w", err)
	}
	return c, nil
}

// FinishCheckIn marks a check-in as sent to recipients participants. Only
// its sender's request writes it.
func (s *Store) FinishCheckIn(ctx context.Context, id string, recipients int, at time.Time) error {
	res, err := s.c(colCheckIns).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{
		{Key: "sentAt", Value: at}, {Key: "recipients", Value: recipients},
	}}})
	if err != nil {
		return fmt.Errorf("finish check-in: %w", err)
	}
	if res.MatchedCount == 0 {
		return checkInNotFound()
	}
	return nil
}

// InsertCheckInRecipients records who was asked; those already recorded
// (a resumed fan-out) are skipped.
func (s *Store) InsertCheckInRecipients(ctx context.Context, rs []models.CheckInRecipient) error {
	if len(rs) == 0 {
		return nil
	}
	docs := make([]any, len(rs))
	for i, r := range rs {
		docs[i] = r
	}
	return insertManyNew(ctx, s.c(colCheckInRecipients), docs)
}

// CheckInRecipient returns the record that participantID was asked, or a
// NotFound error "checkin.not_found" (they were not asked).
func (s *Store) CheckInRecipient(ctx context.Context, checkInID, participantID string) (models.CheckInRecipient, error) {
	var r models.CheckInRecipient
	err := findOne(ctx, s.c(colCheckInRecipients), byID(models.CheckInRecipientID(checkInID, participantID)), &r,
		"checkin.not_found", "No such check-in.")
	return r, err
}

// CheckInRecipientsAmong returns the recipient records of a check-in for
// the given participants.
func (s *Store) CheckInRecipientsAmong(ctx context.Context, checkInID string, participantIDs []string) ([]models.CheckInRecipient, error) {
	if len(participantIDs) == 0 {
		return nil, nil
	}
	return findAll[models.CheckInRecipient](ctx, s.c(colCheckInRecipients), bson.D{
		{Key: "checkInId", Value: checkInID},
		{Key: "participantId", Value: bson.D{{Key: "$in", Value: participantIDs}}},
	})
}

// AskedByDepartment counts the participants asked by a check-in, by
// department, in one pass.
func (s *Store) AskedByDepartment(ctx context.Context, checkInID string) (map[string]int, error) {
	return countBy(ctx, s.c(colCheckInRecipients), bson.D{{Key: "checkInId", Value: checkInID}}, "departmentId")
}

// InsertCheckInAnswer stores one answer version. A version that exists
// already (another answer got there first) is a Conflict.
func (s *Store) InsertCheckInAnswer(ctx context.Context, a models.CheckInAnswer) error {
	a.ID = models.CheckInAnswerID(a.CheckInID, a.ParticipantID, a.Version)
	return insert(ctx, s.c(colCheckInAnswers), a, "checkin.answer_changed", "The answer was changed a moment ago.")
}

// LatestCheckInAnswer returns a participant's current (highest) answer
// version, or a NotFound error when they have not answered.
func (s *Store) LatestCheckInAnswer(ctx context.Context, checkInID, participantID string) (models.CheckInAnswer, error) {
	var a models.CheckInAnswer
	err := s.c(colCheckInAnswers).FindOne(ctx, bson.D{
		{Key: "checkInId", Value: checkInID}, {Key: "participantId", Value: participantID},
	}, options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&a)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.CheckInAnswer{}, apperr.New(apperr.NotFound, "checkin.no_answer", "No answer yet.")
	}
	if err != nil {
		return models.CheckInAnswer{}, fmt.Errorf("find answer: %w", err)
	}
	return a, nil
}

// CheckInAnswers returns every answer version of a check-in: of one
// department's participants when departmentID is set, and of the given
// participants only when participantIDs is not nil.
func (s *Store) CheckInAnswers(ctx context.Context, checkInID, departmentID string, participantIDs []string) ([]models.CheckInAnswer, error) {
	filter := bson.D{{Key: "checkInId", Value: checkInID}}
	if departmentID != "" {
		filter = append(filter, bson.E{Key: "departmentId", Value: departmentID})
	}
	if participantIDs != nil {
		filter = append(filter, bson.E{Key: "participantId", Value: bson.D{{Key: "$in", Value: participantIDs}}})
	}
	return findAll[models.CheckInAnswer](ctx, s.c(colCheckInAnswers), filter)
}
