package notifications

import (
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// Every template reads as finished text in both languages: every
// placeholder is filled, nothing is left in braces, no text is empty.
func TestEveryTemplateRendersInBothLanguages(t *testing.T) {
	params := map[string]string{
		"activityTitle": "Yoga", "activityTitleEn": "Yoga", "startsAt": "2026-11-17T09:00:00Z", "counselorName": "Anne",
		"participantName": "Mette", "senderName": "Anne", "standInName": "Bo", "returnDate": "2026-11-23",
		"weeksUsed": "11", "maxWeeks": "13", "week": "2026-W47", "hours": "12.5", "agreedHours": "10", "answer": "yes",
		"years": "5", "anniversaryDate": "2026-11-29", "companyName": "Netto", "location": "Sal 2", "date": "2026-11-25",
	}
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	for key, tpl := range templates {
		if tpl.Category == "" {
			t.Errorf("%s has no category", key)
		}
		for _, lang := range []string{"da", "en"} {
			for _, s := range []string{render(tpl.Title.in(lang), lang, params, now), render(tpl.Body.in(lang), lang, params, now)} {
				if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "{}") {
					t.Errorf("%s (%s): %q", key, lang, s)
				}
			}
		}
	}
	if templateFor("nobody.knows", models.RoleParticipant).Body.da == "" {
		t.Error("no fallback")
	}
	if got := templateFor("message.received", models.RoleCounselor); got.Title.da != "Ny besked fra {participantName}" {
		t.Errorf("staff variant not used: %q", got.Title.da)
	}
}

func TestWhenAndPlural(t *testing.T) {
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC) // Monday 10:00 in Copenhagen
	tests := []struct {
		at   time.Time
		lang string
		want string
	}{
		{time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC), "da", "i dag kl. 16.00"},
		{time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC), "da", "i morgen kl. 10.00"},
		{time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC), "en", "tomorrow at 10:00"},
		{time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), "da", "tirsdag den 24. november kl. 10.00"},
		{time.Date(2026, 11, 16, 23, 30, 0, 0, time.UTC), "da", "i morgen kl. 00.30"},       // after midnight in Copenhagen
		{time.Date(2027, 3, 29, 7, 0, 0, 0, time.UTC), "en", "on Monday 29 March at 09:00"}, // summer time
	}
	for _, tt := range tests {
		if got := SayWhen(tt.lang, tt.at, now); got != tt.want {
			t.Errorf("SayWhen(%s, %s) = %q, want %q", tt.lang, tt.at, got, tt.want)
		}
	}
	p := map[string]string{"n": "1", "m": "3"}
	if got := render("{plural:n:én besked:# beskeder} og {plural:m:én besked:# beskeder}", "da", p, now); got != "én besked og 3 beskeder" {
		t.Errorf("plural = %q", got)
	}
}
