package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/jobbanken/jobkunde/activity"
)

// lastSunday is the last Sunday of month in year, at noon in loc.
func lastSunday(year int, month time.Month, loc *time.Location) time.Time {
	d := time.Date(year, month+1, 0, 12, 0, 0, 0, loc) // the month's last day
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// sessionsAroundNextDSTChange returns two sessions at 18:00 in Copenhagen on
// the Tuesdays before and after the next daylight-saving change (the last
// Sunday of March or October) whose first session is still ahead.
func sessionsAroundNextDSTChange(t *testing.T, now time.Time) (before, after time.Time) {
	t.Helper()
	cph := activity.Copenhagen()
	for year := now.Year(); year <= now.Year()+1; year++ {
		for _, month := range []time.Month{time.March, time.October} {
			sun := lastSunday(year, month, cph)
			before = time.Date(sun.Year(), sun.Month(), sun.Day()-5, 18, 0, 0, 0, cph)
			after = time.Date(sun.Year(), sun.Month(), sun.Day()+2, 18, 0, 0, 0, cph)
			if before.After(now.Add(time.Hour)) {
				return before, after
			}
		}
	}
	t.Fatalf("no daylight-saving change ahead of %v", now)
	return
}

// feedLink is the answer of rotateCalendarFeed.
type feedLink struct {
	URL, Token string
	CreatedAt  time.Time
}

func rotateFeed(t *testing.T, s *testServer, sess session) feedLink {
	t.Helper()
	r := s.do(req{method: "POST", path: "/v1/me/calendar-feed", token: sess.AccessToken})
	mustStatus(t, "rotate calendar feed", r, http.StatusCreated)
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("rotate: Cache-Control %q, want no-store", cc)
	}
	var l feedLink
	r.json(t, &l)
	if l.URL != "/v1/calendar/"+l.Token+".ics" || len(l.Token) != 43 {
		t.Fatalf("link = %+v", l)
	}
	return l
}

// fetchFeed GETs a feed URL without a bearer token, as a calendar app does,
// and parses it.
func fetchFeed(t *testing.T, s *testServer, url string) *ics.Calendar {
	t.Helper()
	r := s.do(req{method: "GET", path: url})
	mustStatus(t, "get calendar feed", r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/calendar; charset=utf-8", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "private, max-age=300" {
		t.Errorf("Cache-Control %q, want private, max-age=300", cc)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, r.Body)
	}
	return cal
}

func feedGone(t *testing.T, s *testServer, what, url string) {
	t.Helper()
	r := s.do(req{method: "GET", path: url})
	if r.Status != http.StatusNotFound || r.problemCode(t) != "calendar.not_found" {
		t.Errorf("%s: %d %s, want 404 calendar.not_found", what, r.Status, r.Body)
	}
}

func TestCalendarFeedEndToEnd(t *testing.T) {
	w := newWorld(t)
	s := w.s
	cph := activity.Copenhagen()
	before, after := sessionsAroundNextDSTChange(t, testNow())

	body := activityBody(w, false, false)
	body["capacity"] = 1
	body["sessions"] = []map[string]string{
		{"startsAt": before.UTC().Format(time.RFC3339), "endsAt": before.Add(2 * time.Hour).UTC().Format(time.RFC3339)},
		{"startsAt": after.UTC().Format(time.RFC3339), "endsAt": after.Add(2 * time.Hour).UTC().Format(time.RFC3339)},
	}
	r := s.do(req{method: "POST", path: "/v1/activities", token: w.coord.AccessToken, body: body})
	mustStatus(t, "create activity", r, http.StatusCreated)
	var a struct {
		ID       string
		Sessions []struct{ ID string }
	}
	r.json(t, &a)
	if len(a.Sessions) != 2 {
		t.Fatalf("sessions: %s", r.Body)
	}

	// p1 takes the one seat; p2 is waitlisted.
	for _, su := range []struct {
		who    session
		status string
	}{{w.p1, "confirmed"}, {w.p2, "waitlisted"}} {
		r := s.do(req{method: "POST", path: "/v1/activities/" + a.ID + "/enrollments", token: su.who.AccessToken})
		mustStatus(t, "sign up", r, http.StatusCreated)
		var e struct{ Status string }
		r.json(t, &e)
		if e.Status != su.status {
			t.Fatalf("sign-up status %q, want %q", e.Status, su.status)
		}
	}

	link := rotateFeed(t, s, w.p1)

	t.Run("confirmed sessions at 18:00 Copenhagen time on both sides of the change", func(t *testing.T) {
		events := fetchFeed(t, s, link.URL).Events()
		if len(events) != 2 {
			t.Fatalf("%d events, want 2", len(events))
		}
		var utcHours []int
		for i, e := range events {
			if want := a.Sessions[i].ID + "@jobkunde"; e.Id() != want {
				t.Errorf("event %d UID %q, want %q", i, e.Id(), want)
			}
			if v := e.GetProperty(ics.ComponentPropertyDtStart).Value; !strings.HasSuffix(v, "Z") {
				t.Errorf("DTSTART %q is not in UTC", v)
			}
			if st := e.GetProperty(ics.ComponentPropertyStatus).Value; st != "CONFIRMED" {
				t.Errorf("STATUS %q, want CONFIRMED", st)
			}
			if sum := ics.FromText(e.GetProperty(ics.ComponentPropertySummary).Value); sum != "Klædt på til job" {
				t.Errorf("SUMMARY %q, want the Danish title", sum)
			}
			start, err := e.GetStartAt()
			if err != nil {
				t.Fatal(err)
			}
			local := start.In(cph)
			if local.Hour() != 18 || local.Minute() != 0 || local.Weekday() != time.Tuesday {
				t.Errorf("event %d starts %v in Copenhagen, want a Tuesday at 18:00", i, local)
			}
			end, err := e.GetEndAt()
			if err != nil || end.Sub(start) != 2*time.Hour {
				t.Errorf("event %d ends %v (%v), want two hours after %v", i, end, err, start)
			}
			utcHours = append(utcHours, start.UTC().Hour())
		}
		if d := utcHours[0] - utcHours[1]; d != 1 && d != -1 {
			t.Errorf("UTC start hours %v, want one hour apart across the change", utcHours)
		}
	})

	t.Run("a waitlisted participant's feed leaves the activity out", func(t *testing.T) {
		l2 := rotateFeed(t, s, w.p2)
		for _, e := range fetchFeed(t, s, l2.URL).Events() {
			for _, ss := range a.Sessions {
				if e.Id() == ss.ID+"@jobkunde" {
					t.Errorf("waitlisted participant's feed has %s", e.Id())
				}
			}
		}
	})

	t.Run("rotating makes the old link stop working; revoking the new one", func(t *testing.T) {
		next := rotateFeed(t, s, w.p1)
		feedGone(t, s, "old link", link.URL)
		if n := len(fetchFeed(t, s, next.URL).Events()); n != 2 {
			t.Errorf("new link: %d events, want 2", n)
		}
		r := s.do(req{method: "DELETE", path: "/v1/me/calendar-feed", token: w.p1.AccessToken})
		mustStatus(t, "revoke calendar feed", r, http.StatusNoContent)
		feedGone(t, s, "revoked link", next.URL)
		feedGone(t, s, "made-up link", "/v1/calendar/"+strings.Repeat("A", 43)+".ics")
	})
}
