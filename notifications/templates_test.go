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
			bodies := []text{tpl.Body}
			if tpl.Tensed != nil {
				bodies = append(bodies, tpl.Tensed.Ahead, tpl.Tensed.Today, tpl.Tensed.Past)
			}
			texts := []string{render(tpl.Title.in(lang), lang, params, now)}
			for _, b := range bodies {
				texts = append(texts, render(b.in(lang), lang, params, now))
			}
			for _, s := range texts {
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

// "Godt Gået" is announced on the Friday before a weekend anniversary and
// may be read days later: it is worded for the day it is read, never in
// the past tense for a day still to come.
func TestAnniversaryIsWordedForTheDayItIsRead(t *testing.T) {
	n := models.Notification{Template: "employment.anniversary", RecipientRole: models.RoleParticipant,
		Params: map[string]string{"years": "2", "companyName": "Netto", "anniversaryDate": "2026-12-05"}} // a Saturday
	staff := n
	staff.Template, staff.RecipientRole = "employment.anniversary_staff", models.RoleCounselor
	staff.Params = map[string]string{"years": "2", "companyName": "Netto", "anniversaryDate": "2026-12-05", "participantName": "Mette"}
	at := func(day string, hour int) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, day, models.Copenhagen())
		return d.Add(time.Duration(hour) * time.Hour)
	}
	tests := []struct {
		name string
		n    models.Notification
		lang string
		now  time.Time
		want string
	}{
		{name: "Thursday", n: n, lang: "da", now: at("2026-12-03", 9), want: "Du runder 2 år hos Netto lørdag den 5. december. Godt gået!"},
		{name: "Friday", n: n, lang: "da", now: at("2026-12-04", 9), want: "Du runder 2 år hos Netto i morgen. Godt gået!"},
		{name: "Friday, late evening", n: n, lang: "en", now: at("2026-12-04", 23), want: "You reach 2 years at Netto tomorrow. Well done!"},
		{name: "Saturday", n: n, lang: "da", now: at("2026-12-05", 8), want: "I dag har du været 2 år hos Netto. Godt gået!"},
		{name: "Sunday", n: n, lang: "da", now: at("2026-12-06", 11), want: "Du rundede 2 år hos Netto i går. Godt gået!"},
		{name: "Monday", n: n, lang: "en", now: at("2026-12-07", 9), want: "You reached 2 years at Netto on Saturday 5 December. Well done!"},
		{name: "counselor, Friday", n: staff, lang: "da", now: at("2026-12-04", 9), want: "Mette har 2 års jubilæum hos Netto i morgen. Tid til at planlægge fejringen."},
		{name: "counselor, Monday", n: staff, lang: "da", now: at("2026-12-07", 9), want: "Mette havde 2 års jubilæum hos Netto lørdag den 5. december. Tid til at planlægge fejringen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, body := Render(tt.n, tt.lang, tt.now); body != tt.want {
				t.Errorf("Render() body = %q, want %q", body, tt.want)
			}
		})
	}
}
