package jobs_test

import (
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on machines without a zoneinfo database

	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
)

// day parses a calendar date into a day value (midnight UTC).
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func days(ss ...string) []time.Time {
	out := make([]time.Time, len(ss))
	for i, s := range ss {
		out[i] = day(s)
	}
	return out
}

func instant(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestToday(t *testing.T) {
	tests := []struct {
		name string
		now  string
		want string
	}{
		{name: "winter time, before midnight UTC is already tomorrow", now: "2026-03-28T23:30:00Z", want: "2026-03-29"},
		{name: "the morning the clocks go forward", now: "2026-03-29T00:59:00Z", want: "2026-03-29"},
		{name: "summer time, 00:30 in Copenhagen", now: "2026-03-29T22:30:00Z", want: "2026-03-30"},
		{name: "last minute of the day before the clocks go back", now: "2026-10-24T21:59:00Z", want: "2026-10-24"},
		{name: "midnight before the clocks go back", now: "2026-10-24T22:00:00Z", want: "2026-10-25"},
		{name: "last minute of the 25-hour day", now: "2026-10-25T22:59:00Z", want: "2026-10-25"},
		{name: "new year's eve, 23:59 in Copenhagen", now: "2026-12-31T22:59:00Z", want: "2026-12-31"},
		{name: "new year in Copenhagen, still the old year in UTC", now: "2026-12-31T23:00:00Z", want: "2027-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobs.Today(instant(tt.now)); !got.Equal(day(tt.want)) {
				t.Errorf("Today(%s) = %s, want %s", tt.now, got.Format(time.DateOnly), tt.want)
			}
		})
	}
}

func TestAt(t *testing.T) {
	tests := []struct {
		day  string
		hour int
		want string
	}{
		{day: "2026-03-28", hour: 9, want: "2026-03-28T08:00:00Z"},
		{day: "2026-03-29", hour: 9, want: "2026-03-29T07:00:00Z"}, // clocks went forward at 02:00
		{day: "2026-03-29", hour: 0, want: "2026-03-28T23:00:00Z"},
		{day: "2026-10-25", hour: 0, want: "2026-10-24T22:00:00Z"},
		{day: "2026-10-25", hour: 9, want: "2026-10-25T08:00:00Z"}, // clocks went back at 03:00
		{day: "2027-01-01", hour: 0, want: "2026-12-31T23:00:00Z"},
	}
	for _, tt := range tests {
		if got := jobs.At(day(tt.day), tt.hour); !got.Equal(instant(tt.want)) {
			t.Errorf("At(%s, %d) = %s, want %s", tt.day, tt.hour, got.UTC().Format(time.RFC3339), tt.want)
		}
	}
}

func TestAnniversary(t *testing.T) {
	tests := []struct {
		name  string
		start string
		years int
		want  string
	}{
		{name: "same month and day", start: "2024-11-23", years: 2, want: "2026-11-23"},
		{name: "29 February to 28 February (2 years)", start: "2024-02-29", years: 2, want: "2026-02-28"},
		{name: "29 February to 28 February (5 years)", start: "2020-02-29", years: 5, want: "2025-02-28"},
		{name: "29 February to 28 February (10 years)", start: "2016-02-29", years: 10, want: "2026-02-28"},
		{name: "29 February stays in a leap year", start: "2024-02-29", years: 4, want: "2028-02-29"},
		{name: "2100 is no leap year", start: "2096-02-29", years: 4, want: "2100-02-28"},
		{name: "1 March stays 1 March", start: "2024-03-01", years: 2, want: "2026-03-01"},
		{name: "28 February stays 28 February", start: "2024-02-28", years: 2, want: "2026-02-28"},
		{name: "new year's eve", start: "2016-12-31", years: 10, want: "2026-12-31"},
		{name: "new year's day", start: "2022-01-01", years: 5, want: "2027-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobs.Anniversary(day(tt.start), tt.years); !got.Equal(day(tt.want)) {
				t.Errorf("Anniversary(%s, %d) = %s, want %s", tt.start, tt.years, got.Format(time.DateOnly), tt.want)
			}
		})
	}
}

func TestAnnouncedOn(t *testing.T) {
	tests := []struct {
		name string
		day  string
		want string
	}{
		{name: "Monday", day: "2026-11-23", want: "2026-11-23"},
		{name: "Thursday", day: "2026-11-26", want: "2026-11-26"},
		{name: "Friday", day: "2026-11-27", want: "2026-11-27"},
		{name: "Saturday: the Friday before", day: "2026-11-28", want: "2026-11-27"},
		{name: "Sunday: the Friday before", day: "2026-11-29", want: "2026-11-27"},
		{name: "Saturday 2 January: Friday 1 January", day: "2027-01-02", want: "2027-01-01"},
		{name: "Sunday 3 January: Friday 1 January", day: "2027-01-03", want: "2027-01-01"},
		{name: "Sunday the clocks go forward", day: "2026-03-29", want: "2026-03-27"},
		{name: "Sunday the clocks go back", day: "2026-10-25", want: "2026-10-23"},
		{name: "Saturday 28 February", day: "2026-02-28", want: "2026-02-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobs.AnnouncedOn(day(tt.day)); !got.Equal(day(tt.want)) {
				t.Errorf("AnnouncedOn(%s) = %s, want %s", tt.day, got.Format(time.DateOnly), tt.want)
			}
		})
	}
}

func TestStartDates(t *testing.T) {
	tests := []struct {
		name string
		days []time.Time
		want []string
	}{
		{name: "a Monday: 2, 5 and 10 years back", days: days("2026-11-23"),
			want: []string{"2016-11-23", "2021-11-23", "2024-11-23"}},
		{name: "a Friday: also the weekend after it", days: days("2026-11-27"),
			want: []string{"2016-11-27", "2016-11-28", "2016-11-29", "2021-11-27", "2021-11-28", "2021-11-29", "2024-11-27", "2024-11-28", "2024-11-29"}},
		{name: "a Saturday: nothing (Friday told)", days: days("2026-11-28"), want: nil},
		{name: "a Sunday: nothing (Friday told)", days: days("2026-11-29"), want: nil},
		{name: "Friday 27 February 2026: 28 February takes the leap-day starts",
			days: days("2026-02-27"),
			want: []string{
				"2016-02-27", "2016-02-28", "2016-02-29", "2016-03-01",
				"2021-02-27", "2021-02-28", "2021-03-01",
				"2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01",
			}},
		{name: "29 February 2028 has no start date (no leap year 2, 5 or 10 years back)",
			days: days("2028-02-29"), want: nil},
		{name: "several days once each, across the new year",
			days: days("2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"),
			want: []string{
				"2016-12-31", "2017-01-01", "2017-01-02", "2017-01-03", "2017-01-04",
				"2021-12-31", "2022-01-01", "2022-01-02", "2022-01-03", "2022-01-04",
				"2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobs.StartDates(tt.days); !slices.Equal(got, tt.want) {
				t.Errorf("StartDates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMilestonesOf(t *testing.T) {
	type want struct {
		years    int
		date, on string
	}
	emp := func(start, end string) models.Employment {
		return models.Employment{ID: "e", StartDate: start, EndDate: end, Type: models.EmploymentOrdinary}
	}
	ended := func(start, lastDay string) models.Employment {
		return emp(start, "").WithEnd(models.EmploymentEnd{EmploymentID: "e", EndDate: lastDay, Reason: models.EndOther})
	}
	tests := []struct {
		name string
		e    models.Employment
		days []time.Time
		want []want
	}{
		{name: "2 years on a Monday", e: emp("2024-11-23", ""), days: days("2026-11-23"),
			want: []want{{2, "2026-11-23", "2026-11-23"}}},
		{name: "5 years on a Saturday: told the Friday before", e: emp("2021-11-28", ""), days: days("2026-11-27"),
			want: []want{{5, "2026-11-28", "2026-11-27"}}},
		{name: "10 years on a Sunday: not told on the Sunday", e: emp("2016-11-29", ""), days: days("2026-11-29"), want: nil},
		{name: "3 years is no milestone", e: emp("2023-11-23", ""), days: days("2026-11-23"), want: nil},
		{name: "the day before is not the day", e: emp("2024-11-24", ""), days: days("2026-11-23"), want: nil},
		{name: "ended before the anniversary", e: ended("2024-11-23", "2026-11-22"), days: days("2026-11-23"), want: nil},
		{name: "last day on the anniversary still counts", e: ended("2024-11-23", "2026-11-23"), days: days("2026-11-23"),
			want: []want{{2, "2026-11-23", "2026-11-23"}}},
		{name: "ended after the anniversary (recorded late)", e: ended("2024-11-23", "2026-12-31"), days: days("2026-11-23"),
			want: []want{{2, "2026-11-23", "2026-11-23"}}},
		{name: "weekend anniversary, job ends on the Friday", e: ended("2024-11-28", "2026-11-27"), days: days("2026-11-27"), want: nil},
		{name: "planned to end before the anniversary", e: emp("2024-11-23", "2026-06-30"), days: days("2026-11-23"), want: nil},
		{name: "29 February start, 28 February is a Saturday: Friday 27th", e: emp("2024-02-29", ""), days: days("2026-02-27"),
			want: []want{{2, "2026-02-28", "2026-02-27"}}},
		{name: "29 February start, 10 years", e: emp("2016-02-29", ""), days: days("2026-02-27"),
			want: []want{{10, "2026-02-28", "2026-02-27"}}},
		{name: "29 February start in a leap year is not on 1 March", e: emp("2024-02-29", ""), days: days("2026-03-02"), want: nil},
		{name: "Sunday the clocks go forward: the Friday before", e: emp("2021-03-29", ""), days: days("2026-03-27"),
			want: []want{{5, "2026-03-29", "2026-03-27"}}},
		{name: "Sunday the clocks go back: the Friday before", e: emp("2016-10-25", ""), days: days("2026-10-23"),
			want: []want{{10, "2026-10-25", "2026-10-23"}}},
		{name: "Saturday 2 January: told on Friday 1 January", e: emp("2017-01-02", ""), days: days("2027-01-01"),
			want: []want{{10, "2027-01-02", "2027-01-01"}}},
		{name: "catching up: a missed Wednesday among the days covered", e: emp("2024-11-18", ""),
			days: days("2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"),
			want: []want{{2, "2026-11-18", "2026-11-18"}}},
		{name: "catching up: a missed weekend through its Friday", e: emp("2021-11-22", ""),
			days: days("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"),
			want: []want{{5, "2026-11-22", "2026-11-20"}}},
		{name: "not a date", e: emp("22-11-2024", ""), days: days("2026-11-22"), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []want
			for _, m := range jobs.MilestonesOf(tt.e, tt.days) {
				got = append(got, want{m.Years, m.Date.Format(time.DateOnly), m.AnnouncedOn.Format(time.DateOnly)})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MilestonesOf(start %s, end %q) = %v, want %v", tt.e.StartDate, tt.e.EndDate, got, tt.want)
			}
		})
	}
}

func TestCatchUpDays(t *testing.T) {
	last := func(s string) *time.Time { d := day(s); return &d }
	tests := []struct {
		name     string
		lastDone *time.Time
		today    string
		limit    int
		wantFrom string // "" for no days
		wantN    int
	}{
		{name: "first run ever: today only", lastDone: nil, today: "2026-11-23", limit: 60, wantFrom: "2026-11-23", wantN: 1},
		{name: "ran yesterday", lastDone: last("2026-11-22"), today: "2026-11-23", limit: 60, wantFrom: "2026-11-23", wantN: 1},
		{name: "down three days", lastDone: last("2026-11-19"), today: "2026-11-23", limit: 60, wantFrom: "2026-11-20", wantN: 4},
		{name: "down over the new year", lastDone: last("2026-12-30"), today: "2027-01-02", limit: 60, wantFrom: "2026-12-31", wantN: 3},
		{name: "down 100 days: the last 60 only", lastDone: last("2026-08-15"), today: "2026-11-23", limit: 60, wantFrom: "2026-09-25", wantN: 60},
		{name: "ran today already", lastDone: last("2026-11-23"), today: "2026-11-23", limit: 60, wantN: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jobs.CatchUpDays(tt.lastDone, day(tt.today), tt.limit)
			if len(got) != tt.wantN {
				t.Fatalf("CatchUpDays = %d days, want %d", len(got), tt.wantN)
			}
			if tt.wantN == 0 {
				return
			}
			if !got[0].Equal(day(tt.wantFrom)) || !got[len(got)-1].Equal(day(tt.today)) {
				t.Errorf("CatchUpDays = %s..%s, want %s..%s", got[0].Format(time.DateOnly), got[len(got)-1].Format(time.DateOnly), tt.wantFrom, tt.today)
			}
			for i := 1; i < len(got); i++ {
				if !got[i].Equal(got[i-1].AddDate(0, 0, 1)) {
					t.Fatalf("day %d is %s after %s: not consecutive", i, got[i].Format(time.DateOnly), got[i-1].Format(time.DateOnly))
				}
			}
		})
	}
}
