package availability_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

var cph = mustZone("Europe/Copenhagen")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// local is a wall-clock time in Copenhagen.
func local(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, cph)
}

func hours(days ...models.OfficeDay) models.OfficeHours { return models.OfficeHours{Days: days} }

func day(wd int, from, to string) models.OfficeDay {
	return models.OfficeDay{Weekday: wd, From: from, To: to}
}

// 2 March 2026 is a Monday; 29 March and 25 October 2026 are the Sundays the
// clocks change (02:00 → 03:00 and 03:00 → 02:00).
func TestWorkingTime(t *testing.T) {
	std := models.DefaultOfficeHours()
	tests := []struct {
		name     string
		h        models.OfficeHours
		from, to time.Time
		want     time.Duration
	}{
		{name: "inside one stretch", h: std, from: local(2026, 3, 2, 10, 0), to: local(2026, 3, 2, 12, 30), want: 150 * time.Minute},
		{name: "straddles the opening", h: std, from: local(2026, 3, 2, 8, 0), to: local(2026, 3, 2, 10, 0), want: time.Hour},
		{name: "straddles the closing", h: std, from: local(2026, 3, 2, 14, 15), to: local(2026, 3, 2, 20, 0), want: 45 * time.Minute},
		{name: "evening only: no overlap", h: std, from: local(2026, 3, 2, 15, 0), to: local(2026, 3, 3, 9, 0), want: 0},
		{name: "weekend only: no overlap", h: std, from: local(2026, 3, 7, 0, 0), to: local(2026, 3, 9, 0, 0), want: 0},
		{name: "to before from", h: std, from: local(2026, 3, 2, 12, 0), to: local(2026, 3, 2, 10, 0), want: 0},
		{name: "empty interval", h: std, from: local(2026, 3, 2, 12, 0), to: local(2026, 3, 2, 12, 0), want: 0},
		{name: "Friday afternoon to Tuesday morning", h: std, from: local(2026, 3, 6, 14, 0), to: local(2026, 3, 10, 10, 0), want: 8 * time.Hour},
		{name: "a whole week", h: std, from: local(2026, 3, 2, 0, 0), to: local(2026, 3, 9, 0, 0), want: 30 * time.Hour},
		{name: "several weeks", h: std, from: local(2026, 3, 2, 0, 0), to: local(2026, 3, 23, 0, 0), want: 90 * time.Hour},
		{name: "week wraps from Sunday to Monday", h: hours(day(7, "10:00", "12:00"), day(1, "09:00", "15:00")),
			from: local(2026, 3, 7, 0, 0), to: local(2026, 3, 9, 10, 0), want: 3 * time.Hour},
		{name: "bounds given in UTC", h: std, from: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), to: time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC), want: 5 * time.Hour},
		{name: "spring forward: 01:00-04:00 lasts 2 hours", h: hours(day(7, "01:00", "04:00")),
			from: local(2026, 3, 29, 0, 0), to: local(2026, 3, 30, 0, 0), want: 2 * time.Hour},
		{name: "fall back: 01:00-04:00 lasts 4 hours", h: hours(day(7, "01:00", "04:00")),
			from: local(2026, 10, 25, 0, 0), to: local(2026, 10, 26, 0, 0), want: 4 * time.Hour},
		{name: "spring forward: a whole day is 23 hours", h: hours(day(7, "00:00", "24:00")),
			from: local(2026, 3, 28, 0, 0), to: local(2026, 4, 1, 0, 0), want: 23 * time.Hour},
		{name: "fall back: a whole day is 25 hours", h: hours(day(7, "00:00", "24:00")),
			from: local(2026, 10, 24, 0, 0), to: local(2026, 10, 27, 0, 0), want: 25 * time.Hour},
		{name: "spring forward: a stretch starting in the skipped hour opens at 03:00", h: hours(day(7, "02:30", "05:00")),
			from: local(2026, 3, 29, 0, 0), to: local(2026, 3, 30, 0, 0), want: 2 * time.Hour},
		{name: "across the spring change with 09-15 hours", h: std, from: local(2026, 3, 27, 9, 0), to: local(2026, 3, 30, 15, 0), want: 12 * time.Hour},
		{name: "across the autumn change with 09-15 hours", h: std, from: local(2026, 10, 23, 9, 0), to: local(2026, 10, 26, 15, 0), want: 12 * time.Hour},
		{name: "no office hours", h: models.OfficeHours{}, from: local(2026, 3, 2, 0, 0), to: local(2026, 3, 9, 0, 0), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := availability.WorkingTime(tt.h, tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingTime(%v, %v, %v) = %v, want %v", tt.h.Days, tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestNextOpen(t *testing.T) {
	std := models.DefaultOfficeHours()
	tests := []struct {
		name string
		h    models.OfficeHours
		at   time.Time
		want time.Time
	}{
		{name: "inside: at itself", h: std, at: local(2026, 3, 2, 11, 17), want: local(2026, 3, 2, 11, 17)},
		{name: "at the opening: at itself", h: std, at: local(2026, 3, 2, 9, 0), want: local(2026, 3, 2, 9, 0)},
		{name: "before the opening", h: std, at: local(2026, 3, 2, 7, 0), want: local(2026, 3, 2, 9, 0)},
		{name: "at the closing: the next day", h: std, at: local(2026, 3, 2, 15, 0), want: local(2026, 3, 3, 9, 0)},
		{name: "Friday evening: Monday", h: std, at: local(2026, 3, 6, 18, 0), want: local(2026, 3, 9, 9, 0)},
		{name: "Sunday night wraps to Monday", h: std, at: local(2026, 3, 8, 23, 59), want: local(2026, 3, 9, 9, 0)},
		{name: "Sunday only: six days on", h: hours(day(7, "10:00", "11:00")), at: local(2026, 3, 2, 12, 0), want: local(2026, 3, 8, 10, 0)},
		{name: "Sunday only, after it closed: a week on", h: hours(day(7, "10:00", "11:00")), at: local(2026, 3, 8, 11, 0), want: local(2026, 3, 15, 10, 0)},
		{name: "Friday before spring forward: Monday 09:00 summer time", h: std, at: local(2026, 3, 27, 16, 0),
			want: time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC)},
		{name: "Friday before fall back: Monday 09:00 winter time", h: std, at: local(2026, 10, 23, 16, 0),
			want: time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)},
		{name: "opening in the skipped hour: when the clock jumps", h: hours(day(7, "02:30", "05:00")), at: local(2026, 3, 29, 0, 30),
			want: time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},
		{name: "midnight between two whole days: at itself", h: hours(day(1, "00:00", "24:00"), day(2, "00:00", "24:00")), at: local(2026, 3, 3, 0, 0), want: local(2026, 3, 3, 0, 0)},
		{name: "no office hours: zero", h: models.OfficeHours{}, at: local(2026, 3, 2, 10, 0), want: time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := availability.NextOpen(tt.h, tt.at); !got.Equal(tt.want) {
				t.Errorf("NextOpen(%v, %v) = %v, want %v", tt.h.Days, tt.at, got, tt.want)
			}
		})
	}
}

func TestValidateOfficeHours(t *testing.T) {
	week := func() []models.OfficeDay {
		var out []models.OfficeDay
		for wd := 1; wd <= 7; wd++ {
			out = append(out, day(wd, "08:00", "16:00"))
		}
		return out
	}
	tests := []struct {
		name string
		h    models.OfficeHours
		want []string // "field code"
	}{
		{name: "the default", h: models.DefaultOfficeHours()},
		{name: "every day, midnight to midnight", h: hours(day(1, "00:00", "24:00"), day(7, "00:00", "24:00"))},
		{name: "all seven days", h: models.OfficeHours{Days: week()}},
		{name: "no days", h: models.OfficeHours{}, want: []string{"days availability.days"}},
		{name: "eight days", h: models.OfficeHours{Days: append(week(), day(1, "08:00", "09:00"))},
			want: []string{"days availability.days", "days[7].weekday availability.weekday_repeated"}},
		{name: "weekday 0 and 8", h: hours(day(0, "09:00", "10:00"), day(8, "09:00", "10:00")),
			want: []string{"days[0].weekday availability.weekday", "days[1].weekday availability.weekday"}},
		{name: "a weekday twice", h: hours(day(3, "09:00", "10:00"), day(3, "12:00", "13:00")),
			want: []string{"days[1].weekday availability.weekday_repeated"}},
		{name: "bad clock times", h: hours(day(1, "9:00", "15.00"), day(2, "24:01", "25:00"), day(3, "09:60", "x"), day(4, "", "-1:00")),
			want: []string{
				"days[0].from availability.clock_time", "days[0].to availability.clock_time",
				"days[1].from availability.clock_time", "days[1].to availability.clock_time",
				"days[2].from availability.clock_time", "days[2].to availability.clock_time",
				"days[3].from availability.clock_time", "days[3].to availability.clock_time",
			}},
		{name: "ends when it begins", h: hours(day(1, "09:00", "09:00")), want: []string{"days[0].to availability.time_order"}},
		{name: "ends before it begins", h: hours(day(1, "15:00", "09:00")), want: []string{"days[0].to availability.time_order"}},
		{name: "begins at 24:00", h: hours(day(1, "24:00", "24:00")), want: []string{"days[0].to availability.time_order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range availability.ValidateOfficeHours(tt.h) {
				got = append(got, f.Field+" "+f.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ValidateOfficeHours(%v) = %q, want %q", tt.h.Days, got, tt.want)
			}
		})
	}
}

func TestAverageDay(t *testing.T) {
	if got := availability.AverageDay(models.DefaultOfficeHours()); got != 6*time.Hour {
		t.Errorf("Monday–Friday 9–15: %v, want 6h", got)
	}
	h := models.OfficeHours{Days: []models.OfficeDay{{Weekday: 1, From: "08:00", To: "16:00"}, {Weekday: 3, From: "10:00", To: "14:00"}}}
	if got := availability.AverageDay(h); got != 6*time.Hour {
		t.Errorf("8 h and 4 h: %v, want 6h", got)
	}
	if got := availability.AverageDay(models.OfficeHours{}); got != 6*time.Hour {
		t.Errorf("no days: %v, want the 6h default", got)
	}
}
