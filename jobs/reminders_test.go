package jobs_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/jobs"
)

func TestDueReminders(t *testing.T) {
	start := instant("2026-11-24T09:00:00Z") // Tuesday 10:00 in Copenhagen
	h := time.Hour
	standard := []time.Duration{24 * h, 2 * h}
	tests := []struct {
		name    string
		now     time.Time
		offsets []time.Duration
		want    []time.Duration
	}{
		{name: "more than a day ahead: nothing yet", now: start.Add(-25 * h), offsets: standard, want: nil},
		{name: "24h reminder due in 20 minutes: recorded ahead", now: start.Add(-24*h - 20*time.Minute), offsets: standard, want: []time.Duration{24 * h}},
		{name: "24h reminder due 10 minutes ago", now: start.Add(-24*h + 10*time.Minute), offsets: standard, want: []time.Duration{24 * h}},
		{name: "24h reminder missed by an hour: dropped, 2h not due", now: start.Add(-23 * h), offsets: standard, want: nil},
		{name: "2h reminder due in 29 minutes", now: start.Add(-2*h - 29*time.Minute), offsets: standard, want: []time.Duration{2 * h}},
		{name: "2h reminder due in 31 minutes: not yet", now: start.Add(-2*h - 31*time.Minute), offsets: standard, want: nil},
		{name: "seat given an hour before: the shortest reminder at once", now: start.Add(-h), offsets: standard, want: []time.Duration{2 * h}},
		{name: "service back a minute before the start", now: start.Add(-time.Minute), offsets: standard, want: []time.Duration{2 * h}},
		{name: "started", now: start, offsets: standard, want: nil},
		{name: "over", now: start.Add(3 * h), offsets: standard, want: nil},
		{name: "one offset, missed: still sent", now: start.Add(-30 * time.Minute), offsets: []time.Duration{2 * h}, want: []time.Duration{2 * h}},
		{name: "two offsets in one window: each with its own due time", now: start.Add(-h), offsets: []time.Duration{h, 45 * time.Minute},
			want: []time.Duration{h, 45 * time.Minute}},
		{name: "no offsets", now: start.Add(-h), offsets: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jobs.DueReminders(start, tt.now, tt.offsets, 30*time.Minute)
			if !slices.Equal(got, tt.want) {
				t.Errorf("DueReminders(start, start%+v, %v) = %v, want %v", tt.now.Sub(start), tt.offsets, got, tt.want)
			}
		})
	}
}

func TestFollowUpReminderAt(t *testing.T) {
	tests := []struct {
		name    string
		meeting string
		want    string
	}{
		{name: "Wednesday meeting: Monday 09:00", meeting: "2026-11-25", want: "2026-11-23T08:00:00Z"},
		{name: "Monday meeting: Saturday 09:00", meeting: "2026-11-30", want: "2026-11-28T08:00:00Z"},
		{name: "two days before is the day the clocks go forward", meeting: "2026-03-31", want: "2026-03-29T07:00:00Z"},
		{name: "two days before is the day the clocks go back", meeting: "2026-10-27", want: "2026-10-25T08:00:00Z"},
		{name: "across the new year", meeting: "2027-01-01", want: "2026-12-30T08:00:00Z"},
		{name: "1 March in a year without 29 February", meeting: "2026-03-01", want: "2026-02-27T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobs.FollowUpReminderAt(day(tt.meeting)); !got.Equal(instant(tt.want)) {
				t.Errorf("FollowUpReminderAt(%s) = %s, want %s", tt.meeting, got.UTC().Format(time.RFC3339), tt.want)
			}
		})
	}
}
