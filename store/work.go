package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Collections of the work capability.
const (
	colEmployments     = "employments"
	colConsents        = "consents"
	colFollowUps       = "follow_ups"
	colFollowUpNotes   = "follow_up_notes"
	colHours           = "hours"
	colPayslips        = "payslips"
	colPensionProfiles = "pension_profiles"
	colEmploymentEnds  = "employment_ends"
)

func byParticipant(id string) bson.D { return bson.D{{Key: "participantId", Value: id}} }

// InsertEmployment stores a new employment.
func (s *Store) InsertEmployment(ctx context.Context, e models.Employment) error {
	return insertNew(ctx, s.c(colEmployments), e)
}

// Employment returns one employment of one participant.
func (s *Store) Employment(ctx context.Context, participantID, id string) (models.Employment, error) {
	var e models.Employment
	err := findOne(ctx, s.c(colEmployments), bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}},
		&e, "employment.not_found", "No such employment.")
	return e, err
}

// Employments returns a participant's employments, newest start first.
func (s *Store) Employments(ctx context.Context, participantID string) ([]models.Employment, error) {
	return findAll[models.Employment](ctx, s.c(colEmployments), byParticipant(participantID),
		options.Find().SetSort(bson.D{{Key: "startDate", Value: -1}, {Key: "_id", Value: -1}}))
}

// InternshipsStartedSince returns the internships that started on or after
// the calendar date since.
func (s *Store) InternshipsStartedSince(ctx context.Context, since string) ([]models.Employment, error) {
	return findAll[models.Employment](ctx, s.c(colEmployments), bson.D{
		{Key: "type", Value: models.EmploymentInternship},
		{Key: "startDate", Value: bson.D{{Key: "$gte", Value: since}}},
	})
}

// InsertEmploymentEnd records an employment's end; a second end is a
// Conflict "employment.ended".
func (s *Store) InsertEmploymentEnd(ctx context.Context, e models.EmploymentEnd) error {
	return insert(ctx, s.c(colEmploymentEnds), e, "employment.ended", "This employment has ended.")
}

// EmploymentEnds returns the end records of the given employments.
func (s *Store) EmploymentEnds(ctx context.Context, employmentIDs []string) ([]models.EmploymentEnd, error) {
	if len(employmentIDs) == 0 {
		return nil, nil
	}
	return findAll[models.EmploymentEnd](ctx, s.c(colEmploymentEnds), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: employmentIDs}}}})
}

// ReplaceEmployment writes e if the stored version is still e.Version−1.
// It reports false when someone else changed the employment first.
func (s *Store) ReplaceEmployment(ctx context.Context, e models.Employment) (bool, error) {
	res, err := s.c(colEmployments).ReplaceOne(ctx,
		bson.D{{Key: "_id", Value: e.ID}, {Key: "version", Value: e.Version - 1}}, e)
	if err != nil {
		return false, fmt.Errorf("replace employment: %w", err)
	}
	return res.MatchedCount > 0, nil
}

// InsertConsent adds a consent record.
func (s *Store) InsertConsent(ctx context.Context, c models.ConsentRecord) error {
	return insertNew(ctx, s.c(colConsents), c)
}

// Consents returns a participant's consent records for purpose, oldest first.
func (s *Store) Consents(ctx context.Context, participantID string, purpose models.ConsentPurpose) ([]models.ConsentRecord, error) {
	return findAll[models.ConsentRecord](ctx, s.c(colConsents),
		bson.D{{Key: "participantId", Value: participantID}, {Key: "purpose", Value: purpose}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// InsertFollowUp stores a generated follow-up; one that exists already
// (same employment and kind) is left as it is.
func (s *Store) InsertFollowUp(ctx context.Context, f models.FollowUp) error {
	return insertOnce(ctx, s.c(colFollowUps), f)
}

// FollowUp returns one follow-up of one participant.
func (s *Store) FollowUp(ctx context.Context, participantID, id string) (models.FollowUp, error) {
	var f models.FollowUp
	err := findOne(ctx, s.c(colFollowUps), bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}},
		&f, "follow_up.not_found", "No such follow-up meeting.")
	return f, err
}

// FollowUps returns a participant's follow-ups by date.
func (s *Store) FollowUps(ctx context.Context, participantID string) ([]models.FollowUp, error) {
	return findAll[models.FollowUp](ctx, s.c(colFollowUps), byParticipant(participantID),
		options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
}

// FollowUpsOf returns the follow-ups of one employment.
func (s *Store) FollowUpsOf(ctx context.Context, employmentID string) ([]models.FollowUp, error) {
	return findAll[models.FollowUp](ctx, s.c(colFollowUps), bson.D{{Key: "employmentId", Value: employmentID}})
}

// SetFollowUp changes a follow-up's date, status and done time.
func (s *Store) SetFollowUp(ctx context.Context, f models.FollowUp) error {
	_, err := s.c(colFollowUps).UpdateOne(ctx, byID(f.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "date", Value: f.Date}, {Key: "scheduledDate", Value: f.ScheduledDate},
		{Key: "status", Value: f.Status}, {Key: "doneAt", Value: f.DoneAt}, {Key: "autoCancelled", Value: f.AutoCancelled},
		{Key: "updatedAt", Value: f.UpdatedAt},
	}}})
	if err != nil {
		return fmt.Errorf("update follow-up: %w", err)
	}
	return nil
}

// InsertFollowUpNote adds a note to a follow-up.
func (s *Store) InsertFollowUpNote(ctx context.Context, n models.FollowUpNote) error {
	return insertNew(ctx, s.c(colFollowUpNotes), n)
}

// FollowUpNotes returns a participant's follow-up notes, oldest first.
func (s *Store) FollowUpNotes(ctx context.Context, participantID string) ([]models.FollowUpNote, error) {
	return findAll[models.FollowUpNote](ctx, s.c(colFollowUpNotes), byParticipant(participantID),
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// InsertHours stores an hours entry.
func (s *Store) InsertHours(ctx context.Context, h models.HoursEntry) error {
	return insertNew(ctx, s.c(colHours), h)
}

// HoursEntry returns one entry of one participant.
func (s *Store) HoursEntry(ctx context.Context, participantID, id string) (models.HoursEntry, error) {
	var h models.HoursEntry
	err := findOne(ctx, s.c(colHours), bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}},
		&h, "hours.not_found", "No such hours entry.")
	return h, err
}

// Hours returns a participant's entries dated from..to (inclusive), by date.
func (s *Store) Hours(ctx context.Context, participantID, from, to string) ([]models.HoursEntry, error) {
	return findAll[models.HoursEntry](ctx, s.c(colHours), bson.D{
		{Key: "participantId", Value: participantID},
		{Key: "date", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lte", Value: to}}},
	}, options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
}

// UpdateHours changes an entry's date, employment and minutes.
func (s *Store) UpdateHours(ctx context.Context, h models.HoursEntry) error {
	res, err := s.c(colHours).UpdateOne(ctx, byID(h.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "date", Value: h.Date}, {Key: "employmentId", Value: h.EmploymentID},
		{Key: "minutes", Value: h.Minutes}, {Key: "updatedAt", Value: h.UpdatedAt},
	}}})
	if err != nil {
		return fmt.Errorf("update hours: %w", err)
	}
	if res.MatchedCount == 0 {
		return apperr.New(apperr.NotFound, "hours.not_found", "No such hours entry.")
	}
	return nil
}

// DeleteHours removes an entry.
func (s *Store) DeleteHours(ctx context.Context, participantID, id string) error {
	res, err := s.c(colHours).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}})
	if err != nil {
		return fmt.Errorf("delete hours: %w", err)
	}
	if res.DeletedCount == 0 {
		return apperr.New(apperr.NotFound, "hours.not_found", "No such hours entry.")
	}
	return nil
}

// PutPayslip stores a payslip, replacing an earlier one for the same
// employment and month. It reports whether one was replaced.
func (s *Store) PutPayslip(ctx context.Context, p models.Payslip) (bool, error) {
	res, err := s.c(colPayslips).ReplaceOne(ctx, byID(p.ID), p, options.Replace().SetUpsert(true))
	if err != nil {
		return false, fmt.Errorf("put payslip: %w", err)
	}
	return res.MatchedCount > 0, nil
}

// Payslips returns a participant's payslips for months from..to (inclusive).
func (s *Store) Payslips(ctx context.Context, participantID, from, to string) ([]models.Payslip, error) {
	return findAll[models.Payslip](ctx, s.c(colPayslips), bson.D{
		{Key: "participantId", Value: participantID},
		{Key: "month", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lte", Value: to}}},
	}, options.Find().SetSort(bson.D{{Key: "month", Value: 1}, {Key: "_id", Value: 1}}))
}

// PensionProfile returns a participant's profile; ok is false when none
// was saved yet.
func (s *Store) PensionProfile(ctx context.Context, participantID string) (models.PensionProfile, bool, error) {
	var p models.PensionProfile
	err := s.c(colPensionProfiles).FindOne(ctx, byID(participantID)).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.PensionProfile{}, false, nil
	}
	if err != nil {
		return models.PensionProfile{}, false, fmt.Errorf("find pension profile: %w", err)
	}
	return p, true, nil
}

// PutPensionProfile saves a participant's profile.
func (s *Store) PutPensionProfile(ctx context.Context, p models.PensionProfile) error {
	if _, err := s.c(colPensionProfiles).ReplaceOne(ctx, byID(p.ParticipantID), p, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put pension profile: %w", err)
	}
	return nil
}

// EmploymentsStartedOn returns the employments of the given types that
// started on one of the calendar dates: the daily anniversary scan reads
// only those (an $in on the {type, startDate} index).
func (s *Store) EmploymentsStartedOn(ctx context.Context, types []models.EmploymentType, dates []string) ([]models.Employment, error) {
	if len(types) == 0 || len(dates) == 0 {
		return nil, nil
	}
	return findAll[models.Employment](ctx, s.c(colEmployments), bson.D{
		{Key: "type", Value: bson.D{{Key: "$in", Value: types}}},
		{Key: "startDate", Value: bson.D{{Key: "$in", Value: dates}}},
	})
}

// EmploymentsByID returns the employments with the given IDs.
func (s *Store) EmploymentsByID(ctx context.Context, ids []string) ([]models.Employment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return findAll[models.Employment](ctx, s.c(colEmployments), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
}

// FollowUpsDated returns the follow-ups dated from..to (inclusive calendar
// dates) in one of the statuses, by date.
func (s *Store) FollowUpsDated(ctx context.Context, from, to string, statuses []models.FollowUpStatus) ([]models.FollowUp, error) {
	return findAll[models.FollowUp](ctx, s.c(colFollowUps), bson.D{
		{Key: "date", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lte", Value: to}}},
		{Key: "status", Value: bson.D{{Key: "$in", Value: statuses}}},
	}, options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
}
