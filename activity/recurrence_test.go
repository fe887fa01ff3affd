package activity

import (
	"errors"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on machines without a zoneinfo database

	"github.com/jobbanken/jobkunde/apperr"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		name      string
		r         Recurrence
		wantUTC   []string // "start end", RFC 3339 in UTC
		wantLocal []string // start as shown in Copenhagen
	}{
		{
			name: "spring DST: local 18:00 stays, UTC moves from 17:00Z to 16:00Z after 2026-03-29",
			r:    Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: 90 * time.Minute, From: "2026-03-17", To: "2026-04-07"},
			wantUTC: []string{
				"2026-03-17T17:00:00Z 2026-03-17T18:30:00Z",
				"2026-03-24T17:00:00Z 2026-03-24T18:30:00Z",
				"2026-03-31T16:00:00Z 2026-03-31T17:30:00Z",
				"2026-04-07T16:00:00Z 2026-04-07T17:30:00Z",
			},
			wantLocal: []string{"2026-03-17 18:00 CET", "2026-03-24 18:00 CET", "2026-03-31 18:00 CEST", "2026-04-07 18:00 CEST"},
		},
		{
			name: "autumn DST: local 18:00 stays, UTC moves from 16:00Z to 17:00Z after 2026-10-25",
			r:    Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: 90 * time.Minute, From: "2026-10-20", To: "2026-11-03"},
			wantUTC: []string{
				"2026-10-20T16:00:00Z 2026-10-20T17:30:00Z",
				"2026-10-27T17:00:00Z 2026-10-27T18:30:00Z",
				"2026-11-03T17:00:00Z 2026-11-03T18:30:00Z",
			},
			wantLocal: []string{"2026-10-20 18:00 CEST", "2026-10-27 18:00 CET", "2026-11-03 18:00 CET"},
		},
		{
			name: "exceptions removed, a repeated exception is harmless",
			r: Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: 90 * time.Minute, From: "2026-03-17", To: "2026-04-07",
				Except: []string{"2026-03-24", "2026-03-31", "2026-03-24"}},
			wantUTC: []string{
				"2026-03-17T17:00:00Z 2026-03-17T18:30:00Z",
				"2026-04-07T16:00:00Z 2026-04-07T17:30:00Z",
			},
			wantLocal: []string{"2026-03-17 18:00 CET", "2026-04-07 18:00 CEST"},
		},
		{
			name: "From on a Sunday starts at the first Tuesday",
			r:    Recurrence{Weekday: time.Tuesday, Start: "09:15", Duration: time.Hour, From: "2026-03-15", To: "2026-03-31"},
			wantUTC: []string{
				"2026-03-17T08:15:00Z 2026-03-17T09:15:00Z",
				"2026-03-24T08:15:00Z 2026-03-24T09:15:00Z",
				"2026-03-31T07:15:00Z 2026-03-31T08:15:00Z",
			},
			wantLocal: []string{"2026-03-17 09:15 CET", "2026-03-24 09:15 CET", "2026-03-31 09:15 CEST"},
		},
		{
			name:      "one day, From equal to To",
			r:         Recurrence{Weekday: time.Wednesday, Start: "00:00", Duration: 24 * time.Hour, From: "2026-07-01", To: "2026-07-01"},
			wantUTC:   []string{"2026-06-30T22:00:00Z 2026-07-01T22:00:00Z"},
			wantLocal: []string{"2026-07-01 00:00 CEST"},
		},
		{
			name:      "no Tuesday between Wednesday and Monday: empty",
			r:         Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: time.Hour, From: "2026-03-18", To: "2026-03-23"},
			wantUTC:   []string{},
			wantLocal: []string{},
		},
		{
			name: "02:30 does not exist on 2026-03-29: moved forward to 03:30 CEST",
			r:    Recurrence{Weekday: time.Sunday, Start: "02:30", Duration: time.Hour, From: "2026-03-22", To: "2026-04-05"},
			wantUTC: []string{
				"2026-03-22T01:30:00Z 2026-03-22T02:30:00Z",
				"2026-03-29T01:30:00Z 2026-03-29T02:30:00Z",
				"2026-04-05T00:30:00Z 2026-04-05T01:30:00Z",
			},
			wantLocal: []string{"2026-03-22 02:30 CET", "2026-03-29 03:30 CEST", "2026-04-05 02:30 CEST"},
		},
		{
			name: "02:30 occurs twice on 2026-10-25: the first, still CEST",
			r:    Recurrence{Weekday: time.Sunday, Start: "02:30", Duration: time.Hour, From: "2026-10-18", To: "2026-11-01"},
			wantUTC: []string{
				"2026-10-18T00:30:00Z 2026-10-18T01:30:00Z",
				"2026-10-25T00:30:00Z 2026-10-25T01:30:00Z",
				"2026-11-01T01:30:00Z 2026-11-01T02:30:00Z",
			},
			wantLocal: []string{"2026-10-18 02:30 CEST", "2026-10-25 02:30 CEST", "2026-11-01 02:30 CET"},
		},
		{
			name:      "duration is elapsed time: 23:00 + 4h across the spring change ends 04:00 CEST",
			r:         Recurrence{Weekday: time.Saturday, Start: "23:00", Duration: 4 * time.Hour, From: "2026-03-28", To: "2026-03-28"},
			wantUTC:   []string{"2026-03-28T22:00:00Z 2026-03-29T02:00:00Z"},
			wantLocal: []string{"2026-03-28 23:00 CET"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(tt.r)
			if err != nil {
				t.Fatalf("Expand(%+v) error = %v, want nil", tt.r, err)
			}
			if got == nil {
				t.Errorf("Expand(%+v) = nil, want a non-nil slice", tt.r)
			}
			if gotUTC := recFormatUTC(got); !slices.Equal(gotUTC, tt.wantUTC) {
				t.Errorf("Expand(%+v) = %q, want %q", tt.r, gotUTC, tt.wantUTC)
			}
			if gotLocal := recFormatLocal(got); !slices.Equal(gotLocal, tt.wantLocal) {
				t.Errorf("Expand(%+v) local starts = %q, want %q", tt.r, gotLocal, tt.wantLocal)
			}
		})
	}
}

func TestExpandLimit(t *testing.T) {
	// 2026-01-06 and 2028-01-04 are Tuesdays 104 weeks apart: 105 dates.
	tests := []struct {
		name string
		to   string
		want int
	}{
		{name: "up to the Monday after the 104th Tuesday", to: "2028-01-03", want: MaxOccurrences},
		{name: "104 Tuesdays ending on the last one", to: "2027-12-28", want: MaxOccurrences},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: time.Hour, From: "2026-01-06", To: tt.to}
			got, err := Expand(r)
			if err != nil {
				t.Fatalf("Expand(%+v) error = %v, want nil", r, err)
			}
			if len(got) != tt.want {
				t.Errorf("len(Expand(%+v)) = %d, want %d", r, len(got), tt.want)
			}
		})
	}
}

func TestExpandInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *Recurrence)
		want []string // "field code", in order
	}{
		{name: "start missing", edit: func(r *Recurrence) { r.Start = "" },
			want: []string{"recurrence.start field.required"}},
		{name: "start without leading zero", edit: func(r *Recurrence) { r.Start = "9:00" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "start hour 24", edit: func(r *Recurrence) { r.Start = "24:00" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "start minute 60", edit: func(r *Recurrence) { r.Start = "18:60" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "start with a dot", edit: func(r *Recurrence) { r.Start = "18.00" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "start with a sign", edit: func(r *Recurrence) { r.Start = "+1:00" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "start with seconds", edit: func(r *Recurrence) { r.Start = "18:00:00" },
			want: []string{"recurrence.start recurrence.bad_time"}},
		{name: "weekday above Saturday", edit: func(r *Recurrence) { r.Weekday = 7 },
			want: []string{"recurrence.weekday recurrence.bad_weekday"}},
		{name: "weekday negative", edit: func(r *Recurrence) { r.Weekday = -1 },
			want: []string{"recurrence.weekday recurrence.bad_weekday"}},
		{name: "duration missing", edit: func(r *Recurrence) { r.Duration = 0 },
			want: []string{"recurrence.durationMinutes field.required"}},
		{name: "duration negative", edit: func(r *Recurrence) { r.Duration = -time.Minute },
			want: []string{"recurrence.durationMinutes recurrence.bad_duration"}},
		{name: "duration over 24h", edit: func(r *Recurrence) { r.Duration = 24*time.Hour + time.Minute },
			want: []string{"recurrence.durationMinutes recurrence.bad_duration"}},
		{name: "from missing", edit: func(r *Recurrence) { r.From = "" },
			want: []string{"recurrence.from field.required"}},
		{name: "to missing", edit: func(r *Recurrence) { r.To = "" },
			want: []string{"recurrence.to field.required"}},
		{name: "from without zero padding", edit: func(r *Recurrence) { r.From = "2026-3-17" },
			want: []string{"recurrence.from recurrence.bad_date"}},
		{name: "from not a calendar date", edit: func(r *Recurrence) { r.From = "2026-02-30" },
			want: []string{"recurrence.from recurrence.bad_date"}},
		{name: "to in day-month-year order", edit: func(r *Recurrence) { r.To = "07-04-2026" },
			want: []string{"recurrence.to recurrence.bad_date"}},
		{name: "to with a time", edit: func(r *Recurrence) { r.To = "2026-04-07T00:00:00Z" },
			want: []string{"recurrence.to recurrence.bad_date"}},
		{name: "to before from", edit: func(r *Recurrence) { r.From, r.To = "2026-04-07", "2026-03-17" },
			want: []string{"recurrence.to recurrence.range"}},
		{name: "105 Tuesdays", edit: func(r *Recurrence) { r.From, r.To = "2026-01-06", "2028-01-04" },
			want: []string{"recurrence.to recurrence.too_many"}},
		{name: "105 Tuesdays even with one excepted", edit: func(r *Recurrence) {
			r.From, r.To, r.Except = "2026-01-06", "2028-01-04", []string{"2026-01-06"}
		}, want: []string{"recurrence.to recurrence.too_many"}},
		{name: "exception not a date", edit: func(r *Recurrence) { r.Except = []string{"2026-03-24", "2026-13-01", ""} },
			want: []string{"recurrence.except[1] recurrence.bad_date", "recurrence.except[2] recurrence.bad_date"}},
		{name: "exception on another weekday or outside From..To", edit: func(r *Recurrence) {
			r.Except = []string{"2026-03-18", "2026-03-10", "2026-04-14", "2026-03-24"}
		}, want: []string{
			"recurrence.except[0] recurrence.except_outside",
			"recurrence.except[1] recurrence.except_outside",
			"recurrence.except[2] recurrence.except_outside",
		}},
		{name: "every field bad at once", edit: func(r *Recurrence) {
			*r = Recurrence{Weekday: 9, Start: "25:00", Duration: -time.Hour, From: "soon", To: "", Except: []string{"never"}}
		}, want: []string{
			"recurrence.weekday recurrence.bad_weekday",
			"recurrence.start recurrence.bad_time",
			"recurrence.durationMinutes recurrence.bad_duration",
			"recurrence.from recurrence.bad_date",
			"recurrence.to field.required",
			"recurrence.except[0] recurrence.bad_date",
		}},
		{name: "range is reported beside other fields", edit: func(r *Recurrence) {
			r.Start, r.From, r.To = "", "2026-04-07", "2026-03-17"
		}, want: []string{"recurrence.start field.required", "recurrence.to recurrence.range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Recurrence{Weekday: time.Tuesday, Start: "18:00", Duration: 90 * time.Minute, From: "2026-03-17", To: "2026-04-07"}
			tt.edit(&r)
			got, err := Expand(r)
			if got != nil {
				t.Errorf("Expand(%+v) = %v, want nil", r, got)
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("Expand(%+v) error = %v, want an *apperr.Error", r, err)
			}
			if ae.Kind != apperr.Invalid {
				t.Errorf("Expand(%+v) error kind = %v, want %v", r, ae.Kind, apperr.Invalid)
			}
			if gotFields := recFieldCodes(ae.Fields); !slices.Equal(gotFields, tt.want) {
				t.Errorf("Expand(%+v) fields = %q, want %q", r, gotFields, tt.want)
			}
		})
	}
}

func TestLocalDate(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{name: "winter: 23:30Z is 00:30 the next day", t: time.Date(2026, 3, 17, 23, 30, 0, 0, time.UTC), want: "2026-03-18"},
		{name: "winter: 22:59Z is still the same day", t: time.Date(2026, 3, 17, 22, 59, 0, 0, time.UTC), want: "2026-03-17"},
		{name: "summer: 22:00Z is midnight the next day", t: time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC), want: "2026-07-01"},
		{name: "summer: 21:59Z is still the same day", t: time.Date(2026, 6, 30, 21, 59, 0, 0, time.UTC), want: "2026-06-30"},
		{name: "another zone's New Year is still 2025 in Copenhagen", t: time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("UTC+5", 5*60*60)), want: "2025-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LocalDate(tt.t); got != tt.want {
				t.Errorf("LocalDate(%v) = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
}

func TestCopenhagen(t *testing.T) {
	if got, want := Copenhagen().String(), "Europe/Copenhagen"; got != want {
		t.Errorf("Copenhagen() = %q, want %q", got, want)
	}
	if first, second := Copenhagen(), Copenhagen(); first != second {
		t.Errorf("Copenhagen() = %p, then %p, want the one location loaded once", first, second)
	}
}

// recFormatUTC renders occurrences as "start end" in RFC 3339; a time that is
// not in UTC shows an offset instead of Z and so fails the comparison.
func recFormatUTC(occs []Occurrence) []string {
	out := make([]string, 0, len(occs))
	for _, o := range occs {
		out = append(out, o.StartsAt.Format(time.RFC3339)+" "+o.EndsAt.Format(time.RFC3339))
	}
	return out
}

// recFormatLocal renders the starts as a participant in Copenhagen sees them.
func recFormatLocal(occs []Occurrence) []string {
	out := make([]string, 0, len(occs))
	for _, o := range occs {
		out = append(out, o.StartsAt.In(Copenhagen()).Format("2006-01-02 15:04 MST"))
	}
	return out
}

// recFieldCodes renders field errors as "field code".
func recFieldCodes(fields []apperr.FieldError) []string {
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, f.Field+" "+f.Code)
	}
	return out
}
