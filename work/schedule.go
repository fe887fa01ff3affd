package work

import (
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// The follow-up schedule of an employment is pure calendar arithmetic: no
// I/O, no clock. Every date is a calendar date in Europe/Copenhagen, passed
// and returned as a time.Time at local midnight (what a date means is its
// Copenhagen calendar date, whatever instant and zone the caller passes).

// FollowUpKind names a follow-up meeting by its distance from the start.
type FollowUpKind string

// The follow-up meetings, in the order they fall.
const (
	FollowUp14Days   FollowUpKind = "14d" // two weeks in: how is the start going?
	FollowUp3Months  FollowUpKind = "3m"
	FollowUp6Months  FollowUpKind = "6m"
	FollowUp12Months FollowUpKind = "12m"
)

// FollowUpDue is one follow-up meeting of an employment. Nominal is the
// start date plus the distance; Due is Nominal moved off weekends and
// holidays (Due == Nominal when it is a working day): the 14-day talk to
// the working day before, so it is held within the first 14 days (the
// first weeks are the critical ones), the later meetings to the working
// day after. Both are local midnight in Europe/Copenhagen.
type FollowUpDue struct {
	Kind    FollowUpKind
	Nominal time.Time
	Due     time.Time
}

// followUpSteps are the distances of the meetings from the start.
var followUpSteps = []struct {
	kind         FollowUpKind
	months, days int
}{
	{FollowUp14Days, 0, 14},
	{FollowUp3Months, 3, 0},
	{FollowUp6Months, 6, 0},
	{FollowUp12Months, 12, 0},
}

// FollowUpDates returns the follow-up meetings of an employment that starts
// on start's calendar date in Europe/Copenhagen: at +14 days, +3, +6 and
// +12 months, in that order. When one falls on a weekend or a holiday, the
// 14-day talk moves to the working day before (PreviousWorkingDay: over
// Easter it is the Wednesday before, never day 18) and the others to the
// next working day (NextWorkingDay).
//
// Months are calendar months clamped to the target month's length: +3
// months from 31 August is 30 November, and +12 months from 29 February
// 2024 is 28 February 2025. (time.AddDate would normalise 31 November to
// 1 December instead, a day into the wrong month.)
func FollowUpDates(start time.Time) []FollowUpDue {
	y, m, d := start.In(scheduleZone()).Date()
	out := make([]FollowUpDue, 0, len(followUpSteps))
	for _, s := range followUpSteps {
		nominal := addMonthsClamped(y, m, d, s.months).AddDate(0, 0, s.days)
		due := NextWorkingDay(nominal)
		if s.kind == FollowUp14Days {
			due = PreviousWorkingDay(nominal)
		}
		out = append(out, FollowUpDue{Kind: s.kind, Nominal: nominal, Due: due})
	}
	return out
}

// AddMonths returns local midnight of the calendar date day ("2006-01-02")
// plus n calendar months, clamped to the target month's length as the
// follow-up dates are (31 August + 3 months is 30 November). A malformed
// day gives the zero time.
func AddMonths(day string, n int) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, scheduleZone())
	if err != nil {
		return time.Time{}
	}
	y, m, d := t.Date()
	return addMonthsClamped(y, m, d, n)
}

// addMonthsClamped returns local midnight of y-m-d plus n calendar months,
// the day clamped to the last day of the target month.
func addMonthsClamped(y int, m time.Month, d, n int) time.Time {
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, scheduleZone()) // normalises the month
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, scheduleZone()).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, scheduleZone())
}

// IsWorkingDay reports whether d's calendar date in Europe/Copenhagen is a
// working day at Jobbanken: Monday to Friday and not a holiday (DanishHoliday).
func IsWorkingDay(d time.Time) bool {
	local := d.In(scheduleZone())
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := DanishHoliday(local)
	return !holiday
}

// NextWorkingDay returns local midnight of the first working day on or
// after d's calendar date in Europe/Copenhagen: d's own date when it is a
// working day.
func NextWorkingDay(d time.Time) time.Time {
	y, m, day := d.In(scheduleZone()).Date()
	t := time.Date(y, m, day, 0, 0, 0, 0, scheduleZone())
	for !IsWorkingDay(t) {
		t = t.AddDate(0, 0, 1) // local midnight exists every day: Denmark changes clocks at 02:00
	}
	return t
}

// PreviousWorkingDay returns local midnight of the last working day on or
// before d's calendar date in Europe/Copenhagen: d's own date when it is a
// working day.
func PreviousWorkingDay(d time.Time) time.Time {
	y, m, day := d.In(scheduleZone()).Date()
	t := time.Date(y, m, day, 0, 0, 0, 0, scheduleZone())
	for !IsWorkingDay(t) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// DanishHoliday returns the Danish name of the holiday on d's calendar date
// in Europe/Copenhagen, if it is one of the days Jobbanken is closed:
//
//   - the public holidays of helligdagsloven: nytårsdag (1 January),
//     skærtorsdag, langfredag, påskedag, 2. påskedag, store bededag (the
//     fourth Friday after Easter, up to and including 2023: abolished from
//     2024 by lov nr. 151 af 28. februar 2023), Kristi himmelfartsdag,
//     pinsedag, 2. pinsedag, juledag (25 December) and 2. juledag
//     (26 December);
//   - and three days that are not public holidays by law but on which
//     Jobbanken, like most Danish workplaces, is closed, so no meeting can
//     be held: grundlovsdag (5 June), juleaftensdag (24 December) and
//     nytårsaftensdag (31 December).
//
// The Friday after Kristi himmelfartsdag and the days between Christmas and
// New Year are ordinary working days here: many take them off, but
// Jobbanken is open.
func DanishHoliday(d time.Time) (string, bool) {
	y, m, day := d.In(scheduleZone()).Date()
	switch {
	case m == time.January && day == 1:
		return "nytårsdag", true
	case m == time.June && day == 5:
		return "grundlovsdag", true
	case m == time.December && day == 24:
		return "juleaftensdag", true
	case m == time.December && day == 25:
		return "juledag", true
	case m == time.December && day == 26:
		return "2. juledag", true
	case m == time.December && day == 31:
		return "nytårsaftensdag", true
	}
	ey, em, ed := EasterSunday(y).Date()
	switch civilDay(y, m, day) - civilDay(ey, em, ed) {
	case -3:
		return "skærtorsdag", true
	case -2:
		return "langfredag", true
	case 0:
		return "påskedag", true
	case 1:
		return "2. påskedag", true
	case 26:
		if y <= lastStoreBededag {
			return "store bededag", true
		}
	case 39:
		return "Kristi himmelfartsdag", true
	case 49:
		return "pinsedag", true
	case 50:
		return "2. pinsedag", true
	}
	return "", false
}

// lastStoreBededag is the last year with store bededag as a holiday.
const lastStoreBededag = 2023

// civilDay numbers calendar dates consecutively (days since 1970-01-01), so
// a difference is an exact count of days.
func civilDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60)
}

// EasterSunday returns local midnight in Europe/Copenhagen of Easter Sunday
// (påskedag) of year y in the Gregorian calendar, by the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher).
func EasterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, scheduleZone())
}

// scheduleZone is Europe/Copenhagen (models.Copenhagen).
var scheduleZone = models.Copenhagen
