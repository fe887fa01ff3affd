// Package availability is a stand-in until the real package lands.
package availability

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

type Status struct {
	CounselorID   string
	OfficeHours   models.OfficeHours
	InOfficeHours bool
	NextOpen      time.Time
	Away          *models.Absence
}

type Service struct{}

func (s *Service) StatusOf(ctx context.Context, counselorID string, at time.Time) (Status, error) {
	h := models.DefaultOfficeHours()
	return Status{CounselorID: counselorID, OfficeHours: h, NextOpen: NextOpen(h, at), InOfficeHours: NextOpen(h, at).Equal(at)}, nil
}

func (s *Service) AbsencesCoveredBy(ctx context.Context, standInID string, at time.Time) ([]models.Absence, error) {
	return nil, nil
}

func (s *Service) ActiveAbsence(ctx context.Context, counselorID string, at time.Time) (models.Absence, bool, error) {
	return models.Absence{}, false, nil
}

func WorkingTime(h models.OfficeHours, from, to time.Time) time.Duration { return to.Sub(from) }

func NextOpen(h models.OfficeHours, at time.Time) time.Time { return at }
