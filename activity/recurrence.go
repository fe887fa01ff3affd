package activity

import (
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Recurrence describes a weekly series: every Weekday at Start (local time
// in Europe/Copenhagen) for Duration, on dates From..To inclusive, except the
// listed dates.
type Recurrence struct {
	Weekday  time.Weekday
	Start    string        // "HH:MM", 24-hour local time
	Duration time.Duration // > 0, at most 24h
	From     string        // "YYYY-MM-DD" local date, inclusive
	To       string        // "YYYY-MM-DD" local date, inclusive
	Except   []string      // "YYYY-MM-DD" local dates to skip
}

// Occurrence is one generated session, in UTC.
type Occurrence struct {
	StartsAt time.Time
	EndsAt   time.Time
}

// MaxOccurrences bounds one expansion (two years of weekly sessions).
const MaxOccurrences = 104

// recZone is Europe/Copenhagen (models.Copenhagen).
var recZone = models.Copenhagen

// Copenhagen returns the Europe/Copenhagen location that all local dates and
// clock times of the service are in.
func Copenhagen() *time.Location { return recZone() }

// LocalDate returns the Europe/Copenhagen calendar date of t as "YYYY-MM-DD",
// for showing and grouping sessions by the day participants see.
func LocalDate(t time.Time) string { return t.In(recZone()).Format(time.DateOnly) }

// recSecondsPerDay converts the difference of two UTC midnights to days.
const recSecondsPerDay = 24 * 60 * 60

// Expand returns the occurrences of r in order, StartsAt and EndsAt in UTC.
// Each session starts at r.Start local time on its date, so 18:00 stays 18:00
// in Copenhagen across daylight-saving changes (its UTC hour moves), and ends
// r.Duration of real elapsed time later.
//
// On the two changeover nights a start time is ambiguous:
//   - A time skipped in spring (02:00–02:59 on the last Sunday of March) is
//     moved forward by the hour: 02:30 becomes 03:30 summer time (01:30Z).
//   - A time that occurs twice in autumn (02:00–02:59 on the last Sunday of
//     October) is the first of the two, still summer time: 02:30 is 00:30Z.
//
// Both follow RFC 5545 (iCalendar). time.Date leaves the autumn choice open
// and in fact picks the second instant, so Expand corrects it.
//
// A range without the weekday yields an empty, non-nil slice. Otherwise every
// bad field comes back at once in an *apperr.Error of kind Invalid with codes
// "field.required", "recurrence.bad_weekday", "recurrence.bad_time",
// "recurrence.bad_duration", "recurrence.bad_date", "recurrence.range" (To
// before From), "recurrence.too_many" (more than MaxOccurrences dates in the
// series, counted before exceptions) and "recurrence.except_outside" (an
// exception that is not a date of the series). Listing a date twice in Except
// is allowed.
func Expand(r Recurrence) ([]Occurrence, error) {
	var fields apperr.Fields

	weekdayOK := r.Weekday >= time.Sunday && r.Weekday <= time.Saturday
	if !weekdayOK {
		fields.Add("recurrence.weekday", "recurrence.bad_weekday", "Choose a weekday from 0 (Sunday) to 6 (Saturday).")
	}

	hh, mm, startOK := recParseClock(r.Start)
	switch {
	case r.Start == "":
		fields.Add("recurrence.start", "field.required", "This field is required.")
	case !startOK:
		fields.Add("recurrence.start", "recurrence.bad_time", "Write the time as HH:MM, from 00:00 to 23:59.")
	}

	switch {
	case r.Duration == 0:
		fields.Add("recurrence.durationMinutes", "field.required", "This field is required.")
	case r.Duration < 0 || r.Duration > 24*time.Hour:
		fields.Add("recurrence.durationMinutes", "recurrence.bad_duration", "A session lasts more than 0 minutes and at most 24 hours.")
	}

	from, fromOK := recRequiredDate(&fields, "recurrence.from", r.From)
	to, toOK := recRequiredDate(&fields, "recurrence.to", r.To)
	if fromOK && toOK && to.Before(from) {
		fields.Add("recurrence.to", "recurrence.range", "The last date is before the first date.")
		toOK = false
	}

	// The series is the dates first, first+7, … up to to; n of them.
	seriesOK := weekdayOK && fromOK && toOK
	var first time.Time
	n := 0
	if seriesOK {
		first = from.AddDate(0, 0, (int(r.Weekday)-int(from.Weekday())+7)%7)
		if !first.After(to) {
			n = int((to.Unix()-first.Unix())/recSecondsPerDay)/7 + 1
		}
		if n > MaxOccurrences {
			fields.Add("recurrence.to", "recurrence.too_many",
				fmt.Sprintf("The series has %d sessions; at most %d are allowed.", n, MaxOccurrences))
		}
	}

	skip := make(map[time.Time]bool, len(r.Except))
	for i, s := range r.Except {
		field := fmt.Sprintf("recurrence.except[%d]", i)
		d, ok := recParseDate(s)
		switch {
		case !ok:
			fields.Add(field, "recurrence.bad_date", "Write the date as YYYY-MM-DD.")
		case seriesOK && (d.Before(first) || d.After(to) || d.Weekday() != r.Weekday):
			fields.Add(field, "recurrence.except_outside", "This date is not one of the series' dates.")
		default:
			skip[d] = true
		}
	}

	if err := fields.Err(); err != nil {
		return nil, err
	}

	loc := recZone()
	out := make([]Occurrence, 0, n-len(skip))
	for d := first; !d.After(to); d = d.AddDate(0, 0, 7) {
		if skip[d] {
			continue
		}
		start := recLocal(d.Year(), d.Month(), d.Day(), hh, mm, loc)
		out = append(out, Occurrence{StartsAt: start.UTC(), EndsAt: start.Add(r.Duration).UTC()})
	}
	return out, nil
}

// recRequiredDate parses a required "YYYY-MM-DD" field, recording what is wrong.
func recRequiredDate(fields *apperr.Fields, field, s string) (time.Time, bool) {
	if s == "" {
		fields.Add(field, "field.required", "This field is required.")
		return time.Time{}, false
	}
	d, ok := recParseDate(s)
	if !ok {
		fields.Add(field, "recurrence.bad_date", "Write the date as YYYY-MM-DD.")
	}
	return d, ok
}

// recParseDate parses "YYYY-MM-DD" (two-digit month and day, a real calendar
// date) as midnight UTC, a plain calendar date with no daylight-saving jumps,
// usable as a map key.
func recParseDate(s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

// recParseClock parses exactly "HH:MM" from 00:00 to 23:59.
func recParseClock(s string) (hh, mm int, ok bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, 0, false
		}
	}
	hh = int(s[0]-'0')*10 + int(s[1]-'0')
	mm = int(s[3]-'0')*10 + int(s[4]-'0')
	if hh > 23 || mm > 59 {
		return 0, 0, false
	}
	return hh, mm, true
}

// recLocal is time.Date(y, m, d, hh, mm, 0, 0, loc), except that a wall clock
// that occurs twice (clocks turned back) resolves to the first instant.
// time.Date moves a wall clock that does not exist (clocks turned forward)
// forward by the gap, which is kept.
func recLocal(y int, m time.Month, d, hh, mm int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, hh, mm, 0, 0, loc)
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, offset := t.Zone()
	_, before := start.Add(-time.Second).Zone()
	if before <= offset {
		return t
	}
	earlier := t.Add(-time.Duration(before-offset) * time.Second)
	ey, em, ed := earlier.Date()
	if ey == y && em == m && ed == d && earlier.Hour() == hh && earlier.Minute() == mm {
		return earlier
	}
	return t
}
