package availability

import (
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// zone is Europe/Copenhagen (models.Copenhagen).
var zone = models.Copenhagen

// clock parses "HH:MM" (00:00 to 24:00) into minutes after midnight.
func clock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, okH := twoDigits(s[:2])
	m, okM := twoDigits(s[3:])
	if !okH || !okM || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

func twoDigits(s string) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// AverageDay is the average length of an office day in h: 6 hours for
// Monday to Friday 9–15. Without valid days it is 6 hours.
func AverageDay(h models.OfficeHours) time.Duration {
	var total time.Duration
	days := 0
	for _, d := range h.Days {
		from, ok1 := clock(d.From)
		to, ok2 := clock(d.To)
		if ok1 && ok2 && to > from {
			total += time.Duration(to-from) * time.Minute
			days++
		}
	}
	if days == 0 {
		return 6 * time.Hour
	}
	return total / time.Duration(days)
}

// isoWeekday numbers t's weekday 1 (Monday) to 7 (Sunday).
func isoWeekday(t time.Time) int {
	if wd := int(t.Weekday()); wd != 0 {
		return wd
	}
	return 7
}

// stretch returns the office hours on the local date of midnight day (a
// time in the zone): the instants the wall clock shows From and To that
// day. ok is false when the weekday has no (valid) stretch. A clock time
// skipped when summer time starts is taken as the instant the clock jumps
// over it, so a stretch always lasts as long as a wall clock shows it.
func stretch(h models.OfficeHours, day time.Time) (start, end time.Time, ok bool) {
	wd := isoWeekday(day)
	for _, d := range h.Days {
		if d.Weekday != wd {
			continue
		}
		from, okF := clock(d.From)
		to, okT := clock(d.To)
		if !okF || !okT || to <= from {
			return time.Time{}, time.Time{}, false
		}
		return wallClock(day, from), wallClock(day, to), true
	}
	return time.Time{}, time.Time{}, false
}

// wallClock is the instant the clock shows min minutes after midnight on
// day's date (24:00 is the next midnight). On the spring-forward night the
// skipped hour 02:00–02:59 does not exist; such a time maps to 03:00, the
// moment the clock jumps past it. On the autumn night a time in the
// repeated hour 02:00–02:59 is taken at its second occurrence (winter time).
func wallClock(day time.Time, min int) time.Time {
	loc := day.Location()
	t := time.Date(day.Year(), day.Month(), day.Day(), min/60, min%60, 0, 0, loc)
	if h, m, _ := t.Clock(); h*60+m != min%(24*60) {
		// Skipped: Go normalised it past the jump. The jump happens at the
		// top of the hour the wall clock now shows.
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
	}
	return t
}

// localMidnight returns 00:00 in the zone on t's local date plus days.
func localMidnight(t time.Time, days int) time.Time {
	l := t.In(zone())
	return time.Date(l.Year(), l.Month(), l.Day()+days, 0, 0, 0, 0, zone())
}

// WorkingTime returns how much of [from, to) lies within office hours h,
// read in Europe/Copenhagen: the real elapsed time, so a stretch on a
// daylight-saving night lasts as long as the wall clock says (01:00–04:00
// is 2 hours on the last Sunday of March and 4 on the last Sunday of
// October). It is 0 when to is not after from.
func WorkingTime(h models.OfficeHours, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var total time.Duration
	for i := 0; ; i++ {
		day := localMidnight(from, i)
		if !day.Before(to) {
			return total
		}
		start, end, ok := stretch(h, day)
		if !ok {
			continue
		}
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
}

// Open reports whether at is within office hours h and, when it is not,
// when they next begin (the zero time when h has no valid stretch).
func Open(h models.OfficeHours, at time.Time) (open bool, next time.Time) {
	next = NextOpen(h, at)
	if !next.IsZero() && next.Equal(at) {
		return true, time.Time{}
	}
	return false, next
}

// NextOpen returns at itself when at is within office hours h, else the
// start (UTC) of the next stretch. It is the zero time when h has no valid
// stretch at all.
func NextOpen(h models.OfficeHours, at time.Time) time.Time {
	for i := 0; i <= 7; i++ {
		start, end, ok := stretch(h, localMidnight(at, i))
		if !ok || !end.After(at) {
			continue
		}
		if !start.After(at) {
			return at
		}
		return start.UTC()
	}
	return time.Time{}
}

// ValidateOfficeHours returns a field error for each problem in h: 1 to 7
// days ("days": availability.days), each weekday 1 to 7 and at most once
// ("days[i].weekday": availability.weekday, availability.weekday_repeated),
// clock times HH:MM from 00:00 to 24:00 ("days[i].from", "days[i].to":
// availability.clock_time) with To after From ("days[i].to":
// availability.time_order). It is nil when h is valid.
func ValidateOfficeHours(h models.OfficeHours) apperr.Fields {
	var f apperr.Fields
	if len(h.Days) == 0 || len(h.Days) > 7 {
		f.Add("days", "availability.days", "Give office hours for 1 to 7 weekdays.")
	}
	seen := map[int]bool{}
	for i, d := range h.Days {
		field := fmt.Sprintf("days[%d]", i)
		switch {
		case d.Weekday < 1 || d.Weekday > 7:
			f.Add(field+".weekday", "availability.weekday", "Use a weekday from 1 (Monday) to 7 (Sunday).")
		case seen[d.Weekday]:
			f.Add(field+".weekday", "availability.weekday_repeated", "Each weekday can have one stretch of office hours.")
		}
		seen[d.Weekday] = true
		from, okF := clock(d.From)
		if !okF {
			f.Add(field+".from", "availability.clock_time", "Write the time as HH:MM, from 00:00 to 24:00.")
		}
		to, okT := clock(d.To)
		if !okT {
			f.Add(field+".to", "availability.clock_time", "Write the time as HH:MM, from 00:00 to 24:00.")
		}
		if okF && okT && to <= from {
			f.Add(field+".to", "availability.time_order", "The office hours must end after they begin.")
		}
	}
	return f
}
