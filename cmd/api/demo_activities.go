package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/work"
)

// demoActivity is one catalogue entry of the demo.
type demoActivity struct {
	details activity.Details
	// sessions are (days from today, local start "HH:MM", hours); a weekly
	// series is given by weekly instead.
	sessions []demoSession
	weekly   *activity.Recurrence
}

type demoSession struct {
	inDays int
	start  string
	hours  float64
}

func text(da, en string) models.Text { return models.Text{Da: da, En: en} }

// demoCatalogue is what every department offers in the demo.
func demoCatalogue(deptID string, today time.Time) []demoActivity {
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	return []demoActivity{
		{details: activity.Details{
			Kind: models.KindCourse, Title: text("Klædt på til job", "Ready for work"),
			Description: text("Fire gange tre timer om uddannelse og arbejde som førtidspensionist, afklaring af kompetencer, jobsøgning, jobsamtalen og kulturen på en arbejdsplads. Din vejleder godkender tilmeldingen.", "Four times three hours on education and work on a disability pension, your skills, job search, the job interview and workplace culture. Your counselor approves the sign-up."),
			WhatToBring: text("Gerne dit CV, hvis du har et.", "Your CV, if you have one."),
			Location:    "Jobbanken", DepartmentID: deptID, Mode: models.ModeActivity, Capacity: 12,
			RequiresApproval: true, CancelDeadlineHours: 48, CompletionMinSessions: 3,
		}, sessions: []demoSession{{14, "09:00", 3}, {21, "09:00", 3}, {28, "09:00", 3}, {35, "09:00", 3}}},
		{details: activity.Details{
			Kind: models.KindCourse, Title: text("Når du tjener penge", "When you earn money"),
			Description: text("Hvad betyder løn for din pension, boligstøtte og andre ydelser? Vi gennemgår reglerne i ro og mag, og der er tid til dine spørgsmål.", "What does a wage mean for your pension, housing benefit and other benefits? We go through the rules calmly, with time for your questions."),
			Location:    "Jobbanken", DepartmentID: deptID, Mode: models.ModeActivity, Capacity: 20, CancelDeadlineHours: 24,
		}, sessions: []demoSession{{10, "13:00", 2}}},
		{details: activity.Details{
			Kind: models.KindSport, Title: text("Yoga", "Yoga"),
			Description: text("Rolig yoga for alle niveauer. Kom når du kan.", "Calm yoga for every level. Come when you can."),
			WhatToBring: text("Behageligt tøj og en vandflaske.", "Comfortable clothes and a water bottle."),
			Location:    "Jobbanken, salen", DepartmentID: deptID, Mode: models.ModeSession, Capacity: 10, CancelDeadlineHours: 3,
		}, weekly: &activity.Recurrence{Weekday: time.Tuesday, Start: "10:00", Duration: time.Hour, From: date(1), To: date(56)}},
		{details: activity.Details{
			Kind: models.KindSport, Title: text("Svømning", "Swimming"),
			Description: text("Vi svømmer sammen i den lokale svømmehal. Entré er betalt.", "We swim together at the local pool. Entry is paid for."),
			WhatToBring: text("Badetøj og håndklæde.", "Swimwear and a towel."),
			Location:    "Svømmehallen", DepartmentID: deptID, Mode: models.ModeSession, Capacity: 8, CancelDeadlineHours: 3,
		}, weekly: &activity.Recurrence{Weekday: time.Thursday, Start: "14:00", Duration: 90 * time.Minute, From: date(1), To: date(56)}},
		{details: activity.Details{
			Kind: models.KindSport, Title: text("Cykeltur langs åen", "Cycling by the river"),
			Description: text("En rolig tur på ca. 25 km med pause og madpakke.", "An easy ride of about 25 km with a break and a packed lunch."),
			WhatToBring: text("Cykel, hjelm og madpakke.", "Bike, helmet and a packed lunch."),
			Location:    "Mødested: Jobbanken", DepartmentID: deptID, Mode: models.ModeActivity, Capacity: 15, CancelDeadlineHours: 24,
		}, sessions: []demoSession{{9, "10:00", 5}}},
		{details: activity.Details{
			Kind: models.KindNetwork, Title: text("Museumsbesøg", "Museum visit"),
			Description: text("Vi ser udstillingen sammen og slutter med kaffe.", "We see the exhibition together and finish with coffee."),
			Location:    "Kunstmuseet", DepartmentID: deptID, Mode: models.ModeActivity, Capacity: 15, CancelDeadlineHours: 24,
		}, sessions: []demoSession{{12, "13:00", 3}}},
		{details: activity.Details{
			Kind: models.KindNetwork, Title: text("Tre dage på Anholt", "Three days on Anholt"),
			Description: text("Vandretur og fællesskab på Anholt. Overnatning og mad er betalt.", "Hiking and company on Anholt. Lodging and meals are paid for."),
			WhatToBring: text("Vandresko, regntøj og sovepose.", "Walking shoes, rain gear and a sleeping bag."),
			Location:    "Anholt", DepartmentID: deptID, Mode: models.ModeActivity, Capacity: 14, CancelDeadlineHours: 7 * 24,
		}, sessions: []demoSession{{40, "09:00", 12}, {41, "09:00", 12}, {42, "09:00", 10}}},
	}
}

// seedDemoActivities fills every department's catalogue and signs the
// demo participants up for a few activities.
func seedDemoActivities(ctx context.Context, act *activity.Service, coordinator auth.Principal, depts []models.Department, participants []auth.Principal, at time.Time) error {
	loc := activity.Copenhagen()
	now := at.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	for di, d := range depts {
		for ai, da := range demoCatalogue(d.ID, today) {
			times, err := demoTimes(today, da.sessions)
			if err != nil {
				return err
			}
			a, err := act.CreateActivity(ctx, coordinator, da.details, times)
			if err != nil {
				return err
			}
			if da.weekly != nil {
				r := *da.weekly
				if r.Except, err = closedDates(r); err != nil {
					return err
				}
				if _, err := act.AddSessions(ctx, coordinator, a.ID, nil, &r); err != nil {
					return err
				}
			}
			if di != 0 || da.details.Mode != models.ModeActivity {
				continue
			}
			// In the first department the demo participants have signed up
			// for the courses and the cycling trip.
			for _, p := range participants {
				if ai <= 1 || ai == 4 {
					if _, _, err := act.SignUp(ctx, p, a.ID, ""); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// demoTimes places an activity's sessions, given as days from today, on
// days Jobbanken is open (work.IsWorkingDay). When one would fall on a
// closed day, all of them move on together by the fewest days that puts
// every one on an open day: a single session moves to the next working
// day, a weekly course stays weekly and a three-day trip three days in a
// row. Each keeps its local time of day.
func demoTimes(today time.Time, sessions []demoSession) ([]activity.Times, error) {
	const maxShift = 31 // far more than any run of closed days needs
	for shift := 0; shift <= maxShift; shift++ {
		open := true
		for _, s := range sessions {
			open = open && work.IsWorkingDay(today.AddDate(0, 0, s.inDays+shift))
		}
		if !open {
			continue
		}
		times := make([]activity.Times, 0, len(sessions))
		for _, s := range sessions {
			day := today.AddDate(0, 0, s.inDays+shift).Format(time.DateOnly)
			start, err := time.ParseInLocation(time.DateOnly+" 15:04", day+" "+s.start, today.Location())
			if err != nil {
				return nil, err
			}
			times = append(times, activity.Times{StartsAt: start, EndsAt: start.Add(time.Duration(s.hours * float64(time.Hour)))})
		}
		return times, nil
	}
	return nil, fmt.Errorf("demo sessions %v: no working days within %d days", sessions, maxShift)
}

// closedDates lists the dates of the weekly series r that fall on days
// Jobbanken is closed, for r.Except: a weekly drop-in skips a holiday, as a
// coordinator would, rather than meet on another weekday that week.
func closedDates(r activity.Recurrence) ([]string, error) {
	occ, err := activity.Expand(r)
	if err != nil {
		return nil, err
	}
	var closed []string
	for _, o := range occ {
		if !work.IsWorkingDay(o.StartsAt) {
			closed = append(closed, activity.LocalDate(o.StartsAt))
		}
	}
	return closed, nil
}

// demoCafe is the demo's drop-in job café, whose latest session has
// already started: a coordinator can record attendance on day one.
func demoCafe(deptID string) activity.Details {
	return activity.Details{
		Kind: models.KindNetwork, Title: text("Jobcafé", "Job café"),
		Description: text("Kaffe, jobopslag og en snak om dit næste skridt med en vejleder. Kig ind, når det passer dig.", "Coffee, job ads and a talk with a counselor about your next step. Drop in when it suits you."),
		Location:    "Jobbanken, caféen", DepartmentID: deptID, Mode: models.ModeSession, Capacity: 15, CancelDeadlineHours: 3,
	}
}

// demoCafeHours is how long a job café lasts.
const demoCafeHours = 3 * time.Hour

// demoStartedAt returns when the demo's job café started, as of now: on
// the half hour, 30 to 59 minutes ago, when that is between 08:00 and 17:00
// on a working day, so it is still under way; otherwise (early, late, at
// night or on a closed day) at 13:00 on the most recent working day on
// which that time has passed.
func demoStartedAt(now time.Time) time.Time {
	loc := activity.Copenhagen()
	local := now.In(loc)
	ago := local.Add(-30 * time.Minute)
	start := time.Date(ago.Year(), ago.Month(), ago.Day(), ago.Hour(), ago.Minute()/30*30, 0, 0, loc)
	if work.IsWorkingDay(local) && activity.LocalDate(start) == activity.LocalDate(local) && start.Hour() >= 8 && start.Hour() < 17 {
		return start
	}
	for day := local; ; day = day.AddDate(0, 0, -1) {
		start := time.Date(day.Year(), day.Month(), day.Day(), 13, 0, 0, 0, loc)
		if work.IsWorkingDay(start) && start.Before(local) {
			return start
		}
	}
}

// seedDemoCafe creates the job café in the participants' department with
// a session that has already started and the demo participants signed up
// for it, then weekly sessions at the same time for four weeks.
//
// The activity service refuses sessions that have started and sign-ups to
// them, rightly: the café and its sign-ups are made as they would have
// been, an hour before it started, by the same service on a clock standing
// then. The café's records say so (createdAt, signedUpAt); nothing
// bypasses the service's rules and no rule is relaxed for the demo.
func seedDemoCafe(ctx context.Context, st *store.Store, act *activity.Service, coordinator auth.Principal, deptID string, participants []auth.Principal, now time.Time) error {
	start := demoStartedAt(now)
	planned := start.Add(-time.Hour)
	then := activity.New(st, availability.New(st, func() time.Time { return planned }, newID), func() time.Time { return planned }, newID)
	a, err := then.CreateActivity(ctx, coordinator, demoCafe(deptID), []activity.Times{{StartsAt: start, EndsAt: start.Add(demoCafeHours)}})
	if err != nil {
		return err
	}
	for _, p := range participants {
		if _, _, err := then.SignUp(ctx, p, a.ID, a.Sessions[0].ID); err != nil {
			return err
		}
	}
	today := now.In(activity.Copenhagen())
	r := activity.Recurrence{
		Weekday: start.Weekday(), Start: start.Format("15:04"), Duration: demoCafeHours,
		From: today.AddDate(0, 0, 1).Format(time.DateOnly), To: today.AddDate(0, 0, 28).Format(time.DateOnly),
	}
	if r.Except, err = closedDates(r); err != nil {
		return err
	}
	_, err = act.AddSessions(ctx, coordinator, a.ID, nil, &r)
	return err
}
