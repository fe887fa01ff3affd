package jobs

import (
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// Calendar dates are handled as midnight-UTC values of Europe/Copenhagen
// days ("day values", as in the work capability), so day arithmetic never
// meets a clock change; only Today and At turn instants into days and back.

// milestones are the years in the same employment that "Godt Gået"
// celebrates.
var milestones = [...]int{2, 5, 10}

// zone is Europe/Copenhagen (models.Copenhagen).
var zone = models.Copenhagen

// Today returns the Copenhagen calendar date of the instant now.
func Today(now time.Time) time.Time {
	y, m, d := now.In(zone()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// At returns the instant of the clock time hour:00 in Copenhagen on day.
func At(day time.Time, hour int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, zone())
}

func dayString(d time.Time) string { return d.Format(time.DateOnly) }

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Anniversary returns the day years years after start: the same month and
// day, except that a start on 29 February is celebrated on 28 February in
// a year without one (never on 1 March, which belongs to the next month).
func Anniversary(start time.Time, years int) time.Time {
	y, m, d := start.Year()+years, start.Month(), start.Day()
	if m == time.February && d == 29 && !isLeap(y) {
		d = 28
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AnnouncedOn returns the day a milestone falling on day is announced: the
// day itself on a weekday, the Friday before when it falls on a Saturday or
// a Sunday (nobody is at the office to plan a celebration then).
func AnnouncedOn(day time.Time) time.Time {
	switch day.Weekday() {
	case time.Saturday:
		return day.AddDate(0, 0, -1)
	case time.Sunday:
		return day.AddDate(0, 0, -2)
	}
	return day
}

// announcedDays returns the milestone days announced on day: the day
// itself from Monday to Thursday, Friday and the weekend after it on a
// Friday, none on a Saturday or Sunday.
func announcedDays(day time.Time) []time.Time {
	switch day.Weekday() {
	case time.Saturday, time.Sunday:
		return nil
	case time.Friday:
		return []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)}
	}
	return []time.Time{day}
}

// startsFor returns the start dates whose years-th anniversary is day.
// Normally one date; on 28 February of a year without a 29th, also a
// 29 February start of a leap year.
func startsFor(day time.Time, years int) []time.Time {
	var out []time.Time
	y := day.Year() - years
	if same := time.Date(y, day.Month(), day.Day(), 0, 0, 0, 0, time.UTC); same.Day() == day.Day() {
		out = append(out, same) // 29 February of a year without one normalises to 1 March: not a start date
	}
	if day.Month() == time.February && day.Day() == 28 && isLeap(y) {
		out = append(out, time.Date(y, time.February, 29, 0, 0, 0, 0, time.UTC))
	}
	var valid []time.Time
	for _, s := range out {
		if Anniversary(s, years).Equal(day) {
			valid = append(valid, s)
		}
	}
	return valid
}

// StartDates returns, sorted and once each, every start date ("YYYY-MM-DD")
// with a milestone announced on one of the days: what the daily scan asks
// the database for, so it reads only the employments that may be due.
func StartDates(days []time.Time) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range days {
		for _, m := range announcedDays(d) {
			for _, years := range milestones {
				for _, s := range startsFor(m, years) {
					if k := dayString(s); !seen[k] {
						seen[k] = true
						out = append(out, k)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// Milestone is one anniversary of an employment and the day it is told.
type Milestone struct {
	Years       int
	Date        time.Time // the anniversary
	AnnouncedOn time.Time // the day itself, or the Friday before a weekend
}

// MilestonesOf returns the milestones of e announced on one of the days.
// They count from e.StartDate (as entered, never from an edit time), and
// only while the employment runs on the anniversary: e must carry its end
// (models.Employment.WithEnd) when it has ended, and a job that ended, or
// is planned to end, before its anniversary does not reach it.
func MilestonesOf(e models.Employment, days []time.Time) []Milestone {
	start, ok := parseDay(e.StartDate)
	if !ok {
		return nil
	}
	var out []Milestone
	for _, years := range milestones {
		date := Anniversary(start, years)
		on := AnnouncedOn(date)
		if slices.ContainsFunc(days, on.Equal) && e.Active(dayString(date)) {
			out = append(out, Milestone{Years: years, Date: date, AnnouncedOn: on})
		}
	}
	return out
}

// CatchUpDays returns the days a daily run on today covers: every day after
// the last day a run finished (lastDone) through today, so days missed while
// the service was down are not lost, but at most limit days back. With no
// finished run yet (a new installation) it covers today only, so nothing old
// is announced as news.
func CatchUpDays(lastDone *time.Time, today time.Time, limit int) []time.Time {
	first := today
	if lastDone != nil {
		first = lastDone.AddDate(0, 0, 1)
	}
	if oldest := today.AddDate(0, 0, -(limit - 1)); first.Before(oldest) {
		first = oldest
	}
	var out []time.Time
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}
