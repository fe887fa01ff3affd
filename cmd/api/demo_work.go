package main

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// seedDemoWork gives the first demo participant a part-time job with hours
// logged three days a week since it started (this year's only), and the
// second an internship, so the pension estimate and the internship counter
// have something to show.
func seedDemoWork(ctx context.Context, wrk *work.Service, counselor auth.Principal, active []auth.Principal, now time.Time) error {
	if len(active) < 2 {
		return nil
	}
	loc := models.Copenhagen()
	today := now.In(loc)
	day := func(d time.Time) string { return d.Format(time.DateOnly) }
	anna, bo := active[0], active[1]

	start := today.AddDate(0, 0, -70)
	job, err := wrk.CreateEmployment(ctx, counselor, anna.UserID, work.EmploymentInput{
		Company: models.Company{Name: "Netto Gullestrup", ContactPerson: "Lone Madsen", Phone: "+45 97 00 11 22", Email: "lone@netto.example.dk"},
		Type:    models.EmploymentWageSubsidy, StartDate: day(start), HourlyWageOre: 142_50, WeeklyHours: 12,
		TaskNotes: "Varer på hylder om formiddagen. Ingen kasse. Pause når der er brug for det.",
	})
	if err != nil {
		return err
	}
	if _, err := wrk.SetEmployerContactConsent(ctx, anna, anna.UserID, job.ID, true, ""); err != nil {
		return err
	}
	for d := start; !d.After(today); d = d.AddDate(0, 0, 1) {
		switch d.Weekday() {
		case time.Monday, time.Wednesday, time.Friday:
		default:
			continue
		}
		if d.Year() != today.Year() {
			continue
		}
		if _, err := wrk.LogHours(ctx, anna, anna.UserID, work.HoursInput{Date: day(d), Hours: 4, EmploymentID: job.ID}); err != nil {
			return err
		}
	}
	if _, err := wrk.UpdatePensionProfile(ctx, anna, anna.UserID, work.ProfileInput{Household: "single"}); err != nil {
		return err
	}

	_, err = wrk.CreateEmployment(ctx, counselor, bo.UserID, work.EmploymentInput{
		Company: models.Company{Name: "Herning Bibliotek"}, Type: models.EmploymentInternship,
		StartDate: day(today.AddDate(0, 0, -63)), EndDate: day(today.AddDate(0, 0, 28)), WeeklyHours: 8,
		TaskNotes: "Sortering af bøger. Stille arbejdsplads, fast makker.",
	})
	return err
}
