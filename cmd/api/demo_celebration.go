package main

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// seedDemoCelebration plans a "Godt Gået" for the first demo participant:
// a Friday afternoon at the office more than a week ahead (on a day the
// office is open: never langfredag or nytårsaftensdag), for her job,
// with someone from the company, colleagues and her sister invited.
func seedDemoCelebration(ctx context.Context, act *activity.Service, wrk *work.Service, coord auth.Principal, anna auth.Principal, now time.Time) error {
	loc := models.Copenhagen()
	jobs, err := wrk.Employments(ctx, anna, anna.UserID)
	if err != nil || len(jobs) == 0 {
		return err
	}
	day := now.In(loc).AddDate(0, 0, 8)
	for day.Weekday() != time.Friday || !work.IsWorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, loc)
	_, err = act.CreateCelebration(ctx, coord, activity.CelebrationInput{
		ParticipantID: anna.UserID, EmploymentID: jobs[0].ID,
		Title:       models.Text{Da: "Godt Gået, Anna!", En: "Well done, Anna!"},
		Description: models.Text{Da: "Kaffe og kage for de første måneder hos Netto.", En: "Coffee and cake for the first months at Netto."},
		Location:    "Jobbanken Herning", StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Guests: []models.Guest{
			{Name: "Lone Madsen (Netto Gullestrup)", Relation: models.GuestCompany, Count: 1},
			{Name: "Kolleger fra Netto", Relation: models.GuestColleague, Count: 2},
			{Name: "Annas søster", Relation: models.GuestRelative, Count: 1},
		},
	})
	return err
}
