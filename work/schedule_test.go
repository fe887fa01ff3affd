package work_test

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on machines without a zoneinfo database

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// cph returns local midnight of a "YYYY-MM-DD" date in Europe/Copenhagen.
func cph(t *testing.T, date string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, date, models.Copenhagen())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEasterSunday(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{year: 2024, want: "2024-03-31"},
		{year: 2025, want: "2025-04-20"},
		{year: 2026, want: "2026-04-05"},
		{year: 2027, want: "2027-03-28"},
		{year: 2000, want: "2000-04-23"},
		{year: 2008, want: "2008-03-23"}, // earliest of the century
		{year: 2011, want: "2011-04-24"},
		{year: 2038, want: "2038-04-25"}, // latest possible date
	}
	for _, tt := range tests {
		got := work.EasterSunday(tt.year)
		if got.Format(time.DateOnly) != tt.want || !got.Equal(cph(t, tt.want)) {
			t.Errorf("EasterSunday(%d) = %v, want %s at local midnight", tt.year, got, tt.want)
		}
	}
}

func TestDanishHoliday(t *testing.T) {
	tests := []struct {
		date     string
		wantName string // "" for no holiday
	}{
		{date: "2026-01-01", wantName: "nytårsdag"},
		{date: "2026-04-02", wantName: "skærtorsdag"},
		{date: "2026-04-03", wantName: "langfredag"},
		{date: "2026-04-05", wantName: "påskedag"},
		{date: "2026-04-06", wantName: "2. påskedag"},
		{date: "2026-04-07", wantName: ""},
		{date: "2023-05-05", wantName: "store bededag"}, // the last one
		{date: "2024-04-26", wantName: ""},              // abolished from 2024
		{date: "2026-05-01", wantName: ""},              // would have been store bededag
		{date: "2026-05-14", wantName: "Kristi himmelfartsdag"},
		{date: "2026-05-15", wantName: ""}, // the Friday after is a working day here
		{date: "2026-05-24", wantName: "pinsedag"},
		{date: "2026-05-25", wantName: "2. pinsedag"},
		{date: "2026-06-05", wantName: "grundlovsdag"},
		{date: "2026-12-23", wantName: ""},
		{date: "2026-12-24", wantName: "juleaftensdag"},
		{date: "2026-12-25", wantName: "juledag"},
		{date: "2026-12-26", wantName: "2. juledag"},
		{date: "2026-12-28", wantName: ""},
		{date: "2026-12-31", wantName: "nytårsaftensdag"},
		{date: "2025-04-21", wantName: "2. påskedag"},
		{date: "2025-05-29", wantName: "Kristi himmelfartsdag"},
		{date: "2025-06-09", wantName: "2. pinsedag"},
	}
	for _, tt := range tests {
		name, ok := work.DanishHoliday(cph(t, tt.date))
		if name != tt.wantName || ok != (tt.wantName != "") {
			t.Errorf("DanishHoliday(%s) = %q, %v; want %q", tt.date, name, ok, tt.wantName)
		}
	}
}

func TestIsWorkingDayAndNextWorkingDay(t *testing.T) {
	tests := []struct {
		name        string
		date        time.Time
		wantWorking bool
		wantNext    string
		wantPrev    string
	}{
		{name: "ordinary Tuesday", date: cph(t, "2026-03-17"), wantWorking: true, wantNext: "2026-03-17", wantPrev: "2026-03-17"},
		{name: "Saturday", date: cph(t, "2026-01-17"), wantWorking: false, wantNext: "2026-01-19", wantPrev: "2026-01-16"},
		{name: "Sunday", date: cph(t, "2026-01-18"), wantWorking: false, wantNext: "2026-01-19", wantPrev: "2026-01-16"},
		{name: "Easter: Thursday to Monday", date: cph(t, "2026-04-02"), wantWorking: false, wantNext: "2026-04-07", wantPrev: "2026-04-01"},
		{name: "Christmas Eve on a Thursday", date: cph(t, "2026-12-24"), wantWorking: false, wantNext: "2026-12-28", wantPrev: "2026-12-23"},
		{name: "New Year's Eve into New Year's Day", date: cph(t, "2025-12-31"), wantWorking: false, wantNext: "2026-01-02", wantPrev: "2025-12-30"},
		{name: "New Year's Day back into the old year", date: cph(t, "2027-01-01"), wantWorking: false, wantNext: "2027-01-04", wantPrev: "2026-12-30"},
		{name: "late evening UTC is the next day in Copenhagen", date: time.Date(2026, 1, 16, 23, 30, 0, 0, time.UTC), wantWorking: false, wantNext: "2026-01-19", wantPrev: "2026-01-16"},
		{name: "summer time: 22:30 UTC is already Saturday", date: time.Date(2026, 6, 5, 22, 30, 0, 0, time.UTC), wantWorking: false, wantNext: "2026-06-08", wantPrev: "2026-06-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := work.IsWorkingDay(tt.date); got != tt.wantWorking {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.date, got, tt.wantWorking)
			}
			if got := work.NextWorkingDay(tt.date); !got.Equal(cph(t, tt.wantNext)) {
				t.Errorf("NextWorkingDay(%v) = %v, want %s at local midnight", tt.date, got, tt.wantNext)
			}
			if got := work.PreviousWorkingDay(tt.date); !got.Equal(cph(t, tt.wantPrev)) {
				t.Errorf("PreviousWorkingDay(%v) = %v, want %s at local midnight", tt.date, got, tt.wantPrev)
			}
		})
	}
}

func TestFollowUpDates(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
		// nominal and due dates for 14d, 3m, 6m and 12m
		wantNominal [4]string
		wantDue     [4]string
	}{
		{
			name:        "year boundary: +14d on nytårsaftensdag moves back to 30 December",
			start:       cph(t, "2025-12-17"),
			wantNominal: [4]string{"2025-12-31", "2026-03-17", "2026-06-17", "2026-12-17"},
			wantDue:     [4]string{"2025-12-30", "2026-03-17", "2026-06-17", "2026-12-17"},
		},
		{
			name:        "leap day: +12m is 28 February, a Friday",
			start:       cph(t, "2024-02-29"),
			wantNominal: [4]string{"2024-03-14", "2024-05-29", "2024-08-29", "2025-02-28"},
			wantDue:     [4]string{"2024-03-14", "2024-05-29", "2024-08-29", "2025-02-28"},
		},
		{
			// AddDate would give 1 December, 3 March and 31 August.
			name:        "31 August: months clamp to 30 November and 28 February",
			start:       cph(t, "2026-08-31"),
			wantNominal: [4]string{"2026-09-14", "2026-11-30", "2027-02-28", "2027-08-31"},
			wantDue:     [4]string{"2026-09-14", "2026-11-30", "2027-03-01", "2027-08-31"},
		},
		{
			name:        "clamped to a Sunday, then moved to Monday (+14d on a Sunday moves back to Friday)",
			start:       cph(t, "2025-08-31"),
			wantNominal: [4]string{"2025-09-14", "2025-11-30", "2026-02-28", "2026-08-31"},
			wantDue:     [4]string{"2025-09-12", "2025-12-01", "2026-03-02", "2026-08-31"},
		},
		{
			name:        "+14d on 2. påskedag moves back before Easter, to the Wednesday",
			start:       cph(t, "2026-03-23"),
			wantNominal: [4]string{"2026-04-06", "2026-06-23", "2026-09-23", "2027-03-23"},
			wantDue:     [4]string{"2026-04-01", "2026-06-23", "2026-09-23", "2027-03-23"},
		},
		{
			name:        "+14d on a Saturday moves back to Friday",
			start:       cph(t, "2026-01-03"),
			wantNominal: [4]string{"2026-01-17", "2026-04-03", "2026-07-03", "2027-01-03"},
			wantDue:     [4]string{"2026-01-16", "2026-04-07", "2026-07-03", "2027-01-04"},
		},
		{
			name:        "+14d on juleaftensdag moves back to the day before",
			start:       cph(t, "2026-12-10"),
			wantNominal: [4]string{"2026-12-24", "2027-03-10", "2027-06-10", "2027-12-10"},
			wantDue:     [4]string{"2026-12-23", "2027-03-10", "2027-06-10", "2027-12-10"},
		},
		{
			name:        "+14d on Kristi himmelfartsdag moves back to the Wednesday",
			start:       cph(t, "2026-04-30"),
			wantNominal: [4]string{"2026-05-14", "2026-07-30", "2026-10-30", "2027-04-30"},
			wantDue:     [4]string{"2026-05-13", "2026-07-30", "2026-10-30", "2027-04-30"},
		},
		{
			name:        "store bededag 2023 still counts",
			start:       cph(t, "2023-04-21"),
			wantNominal: [4]string{"2023-05-05", "2023-07-21", "2023-10-21", "2024-04-21"},
			wantDue:     [4]string{"2023-05-04", "2023-07-21", "2023-10-23", "2024-04-22"},
		},
		{
			name:        "the Friday that was store bededag is a working day from 2024",
			start:       cph(t, "2024-04-12"),
			wantNominal: [4]string{"2024-04-26", "2024-07-12", "2024-10-12", "2025-04-12"},
			wantDue:     [4]string{"2024-04-26", "2024-07-12", "2024-10-14", "2025-04-14"},
		},
		{
			name:        "+14d on grundlovsdag moves back to Thursday",
			start:       cph(t, "2026-05-22"),
			wantNominal: [4]string{"2026-06-05", "2026-08-22", "2026-11-22", "2027-05-22"},
			wantDue:     [4]string{"2026-06-04", "2026-08-24", "2026-11-23", "2027-05-24"},
		},
		{
			name:        "the start is the Copenhagen date of the instant",
			start:       time.Date(2025, 12, 16, 23, 30, 0, 0, time.UTC), // 00:30 on 17 December in Copenhagen
			wantNominal: [4]string{"2025-12-31", "2026-03-17", "2026-06-17", "2026-12-17"},
			wantDue:     [4]string{"2025-12-30", "2026-03-17", "2026-06-17", "2026-12-17"},
		},
		{
			// The next working day would be Tuesday 7 April, day 18.
			name:        "+14d on langfredag stays within the 14 days: Wednesday before Easter",
			start:       cph(t, "2026-03-20"),
			wantNominal: [4]string{"2026-04-03", "2026-06-20", "2026-09-20", "2027-03-20"},
			wantDue:     [4]string{"2026-04-01", "2026-06-22", "2026-09-21", "2027-03-22"},
		},
	}
	kinds := [4]work.FollowUpKind{work.FollowUp14Days, work.FollowUp3Months, work.FollowUp6Months, work.FollowUp12Months}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := work.FollowUpDates(tt.start)
			if len(got) != 4 {
				t.Fatalf("FollowUpDates(%v) returned %d meetings, want 4", tt.start, len(got))
			}
			for i, f := range got {
				if f.Kind != kinds[i] || !f.Nominal.Equal(cph(t, tt.wantNominal[i])) || !f.Due.Equal(cph(t, tt.wantDue[i])) {
					t.Errorf("meeting %d = %s nominal %s due %s; want %s nominal %s due %s", i, f.Kind,
						f.Nominal.Format(time.DateOnly), f.Due.Format(time.DateOnly), kinds[i], tt.wantNominal[i], tt.wantDue[i])
				}
				if f.Due.Location().String() != "Europe/Copenhagen" || f.Due.Hour() != 0 {
					t.Errorf("meeting %d due %v, want local midnight in Europe/Copenhagen", i, f.Due)
				}
			}
		})
	}
}
