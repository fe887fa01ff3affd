package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// The statistics reads: whole collections (or the activities in a window)
// with plain finds, counted in Go by the stats capability.

// StatsParticipants returns every participant with only what statistics
// use: department, counselor and dates (no name, login or contact details).
func (s *Store) StatsParticipants(ctx context.Context) ([]models.User, error) {
	return findAll[models.User](ctx, s.c(colUsers), bson.D{{Key: "role", Value: models.RoleParticipant}},
		options.Find().SetProjection(bson.D{
			{Key: "role", Value: 1}, {Key: "departmentId", Value: 1}, {Key: "counselorId", Value: 1},
			{Key: "createdAt", Value: 1}, {Key: "withdrawnAt", Value: 1},
		}))
}

// Counselors returns every counselor account.
func (s *Store) Counselors(ctx context.Context) ([]models.User, error) {
	return findAll[models.User](ctx, s.c(colUsers), bson.D{{Key: "role", Value: models.RoleCounselor}})
}

// AllDepartments returns every department.
func (s *Store) AllDepartments(ctx context.Context) ([]models.Department, error) {
	docs, err := findAll[departmentDoc](ctx, s.c(colDepartments), bson.D{})
	if err != nil {
		return nil, err
	}
	out := make([]models.Department, len(docs))
	for i, d := range docs {
		out[i] = d.Department
	}
	return out, nil
}

// AllEmployments returns every employment and every end record.
func (s *Store) AllEmployments(ctx context.Context) ([]models.Employment, []models.EmploymentEnd, error) {
	emps, err := findAll[models.Employment](ctx, s.c(colEmployments), bson.D{})
	if err != nil {
		return nil, nil, err
	}
	ends, err := findAll[models.EmploymentEnd](ctx, s.c(colEmploymentEnds), bson.D{})
	if err != nil {
		return nil, nil, err
	}
	return emps, ends, nil
}

// QueuedEnrollments returns the queued enrolments of the activities.
func (s *Store) QueuedEnrollments(ctx context.Context, activityIDs []string) ([]models.Enrollment, error) {
	if len(activityIDs) == 0 {
		return nil, nil
	}
	return findAll[models.Enrollment](ctx, s.c(colEnrollments), bson.D{
		{Key: "activityId", Value: bson.D{{Key: "$in", Value: activityIDs}}},
		{Key: "state", Value: models.EnrollQueued},
	})
}

// AttendanceOfActivities returns every attendance mark of the activities.
func (s *Store) AttendanceOfActivities(ctx context.Context, activityIDs []string) ([]models.Attendance, error) {
	if len(activityIDs) == 0 {
		return nil, nil
	}
	return findAll[models.Attendance](ctx, s.c(colAttendance), bson.D{{Key: "activityId", Value: bson.D{{Key: "$in", Value: activityIDs}}}})
}
