package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// RecordAttendance stores marks, replacing earlier marks of the same
// participant at the same session. Only coordinators record attendance; the
// last recording wins.
func (s *Store) RecordAttendance(ctx context.Context, marks []models.Attendance) error {
	col := s.c(colAttendance)
	for _, m := range marks {
		if _, err := col.ReplaceOne(ctx, byID(m.ID), m, options.Replace().SetUpsert(true)); err != nil {
			return fmt.Errorf("record attendance: %w", err)
		}
	}
	return nil
}

// AttendanceOf returns every mark recorded for an activity's sessions.
func (s *Store) AttendanceOf(ctx context.Context, activityID string) ([]models.Attendance, error) {
	return findAll[models.Attendance](ctx, s.c(colAttendance), bson.D{{Key: "activityId", Value: activityID}})
}

// AttendanceOfEnrollments returns the marks recorded for the given
// enrolments, in one read.
func (s *Store) AttendanceOfEnrollments(ctx context.Context, enrollmentIDs []string) ([]models.Attendance, error) {
	if len(enrollmentIDs) == 0 {
		return nil, nil
	}
	return findAll[models.Attendance](ctx, s.c(colAttendance), bson.D{{Key: "enrollmentId", Value: bson.D{{Key: "$in", Value: enrollmentIDs}}}})
}
