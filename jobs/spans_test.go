package jobs

import (
	"slices"
	"testing"
	"time"
)

func TestSessionSpans(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	h, w, ns := time.Hour, 30*time.Minute, time.Nanosecond
	tests := []struct {
		name    string
		offsets []time.Duration
		want    []span
	}{
		{name: "24h and 2h: up to the 2h window, and around the 24h mark", offsets: []time.Duration{24 * h, 2 * h},
			want: []span{{now, now.Add(2*h + w + ns)}, {now.Add(24*h - w), now.Add(24*h + w + ns)}}},
		{name: "close offsets merge into one span", offsets: []time.Duration{h, 45 * time.Minute},
			want: []span{{now, now.Add(h + w + ns)}}},
		{name: "one offset", offsets: []time.Duration{2 * h}, want: []span{{now, now.Add(2*h + w + ns)}}},
		{name: "none", offsets: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sessionSpans(now, tt.offsets, w)
			if !slices.EqualFunc(got, tt.want, func(a, b span) bool { return a.from.Equal(b.from) && a.to.Equal(b.to) }) {
				t.Errorf("sessionSpans(%v) = %v, want %v", tt.offsets, got, tt.want)
			}
		})
	}
}
