package activity_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
)

// The service finds the feed tokens through its Store; this is the
// compile-time check that the real store keeps them.
var _ activity.CalendarStore = (*store.Store)(nil)

// parseICS parses an iCalendar document, failing the test on bad syntax.
func parseICS(t *testing.T, doc []byte) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("parse calendar: %v\n%s", err, doc)
	}
	return cal
}

func calProp(cal *ics.Calendar, p ics.Property) string {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}

func eventProp(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return ics.FromText(v.Value)
	}
	return ""
}

func TestRenderCalendar(t *testing.T) {
	cph := activity.Copenhagen()
	start := time.Date(2026, 3, 24, 18, 0, 0, 0, cph) // winter time: 17:00Z
	stamp := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
	longDesc := strings.Repeat("Vi går en tur i skoven, drikker kaffe; og snakker om job. ", 4) + "\nMedbring: madpakke, vand"
	events := []activity.CalendarEvent{
		{UID: "s1@jobkunde", Start: start, End: start.Add(2 * time.Hour), Summary: "Gåtur, Søndersø", Location: "P-pladsen; Søndersø", Description: longDesc, Stamp: stamp},
		{UID: "s2@jobkunde", Start: start.AddDate(0, 0, 7), End: start.AddDate(0, 0, 7).Add(time.Hour), Summary: "Yoga", Cancelled: true, Stamp: stamp},
	}
	doc := activity.RenderCalendar(events)

	if bytes.Contains(bytes.ReplaceAll(doc, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends without CRLF")
	}
	for _, line := range strings.Split(string(doc), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets, want at most 75: %q", len(line), line)
		}
	}
	cal := parseICS(t, doc)
	for p, want := range map[ics.Property]string{
		ics.PropertyProductId: "-//Jobbanken//jobkunde//DA", ics.PropertyVersion: "2.0",
		ics.PropertyCalscale: "GREGORIAN", ics.PropertyXWRCalName: "Jobbanken",
	} {
		if got := calProp(cal, p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	got := cal.Events()
	if len(got) != 2 {
		t.Fatalf("%d events, want 2", len(got))
	}
	tests := []struct {
		uid, summary, location, description, status, sequence string
		start, end                                            time.Time
	}{
		{uid: "s1@jobkunde", summary: "Gåtur, Søndersø", location: "P-pladsen; Søndersø", description: longDesc, status: "CONFIRMED", sequence: "0", start: events[0].Start, end: events[0].End},
		{uid: "s2@jobkunde", summary: "Aflyst: Yoga", status: "CANCELLED", sequence: "1", start: events[1].Start, end: events[1].End},
	}
	for i, tt := range tests {
		e := got[i]
		if e.Id() != tt.uid {
			t.Errorf("event %d UID %q, want %q", i, e.Id(), tt.uid)
		}
		for p, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertySummary: tt.summary, ics.ComponentPropertyLocation: tt.location,
			ics.ComponentPropertyDescription: tt.description, ics.ComponentPropertyStatus: tt.status,
			ics.ComponentPropertySequence: tt.sequence, ics.ComponentPropertyDtstamp: "20260105T083000Z",
		} {
			if got := eventProp(e, p); got != want {
				t.Errorf("%s %s = %q, want %q", tt.uid, p, got, want)
			}
		}
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtStart, ics.ComponentPropertyDtEnd} {
			if v := eventProp(e, p); !strings.HasSuffix(v, "Z") {
				t.Errorf("%s %s = %q, want a UTC time", tt.uid, p, v)
			}
		}
		s, err := e.GetStartAt()
		if err != nil || !s.Equal(tt.start) {
			t.Errorf("%s start %v (%v), want %v", tt.uid, s, err, tt.start)
		}
		end, err := e.GetEndAt()
		if err != nil || !end.Equal(tt.end) {
			t.Errorf("%s end %v (%v), want %v", tt.uid, end, err, tt.end)
		}
	}
	if got := eventProp(got[0], ics.ComponentPropertyDtStart); got != "20260324T170000Z" {
		t.Errorf("DTSTART %q, want 20260324T170000Z (18:00 in Copenhagen, winter time)", got)
	}
}

func TestRenderCalendarEmpty(t *testing.T) {
	cal := parseICS(t, activity.RenderCalendar(nil))
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events, want 0", n)
	}
}

// feedOf fetches and parses the feed of token.
func (f *fixture) feedOf(t *testing.T, token string) map[string]*ics.VEvent {
	t.Helper()
	doc, err := f.svc.CalendarFeed(context.Background(), token)
	if err != nil {
		t.Fatalf("CalendarFeed: %v", err)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range parseICS(t, doc).Events() {
		out[e.Id()] = e
	}
	return out
}

func (f *fixture) addParticipant(t *testing.T, i int) auth.Principal {
	t.Helper()
	p := participant(i)
	u := models.User{ID: p.UserID, Role: models.RoleParticipant, Name: "Deltager", Status: models.StatusActive, CreatedAt: t0}
	if err := f.st.InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	var ae *apperr.Error
	if !asError(err, &ae) || ae.Kind != apperr.NotFound || ae.Code != "calendar.not_found" {
		t.Errorf("%s: error %v, want NotFound calendar.not_found", what, err)
	}
}

func TestCalendarFeed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p1, p2 := f.addParticipant(t, 1), f.addParticipant(t, 2)
	at := func(days int) activity.Times {
		s := t0.Add(time.Duration(days) * 24 * time.Hour)
		return activity.Times{StartsAt: s, EndsAt: s.Add(2 * time.Hour)}
	}
	// A course for one (p1 confirmed, p2 waitlisted) and a drop-in class.
	course, err := f.svc.CreateActivity(ctx, f.coord, activity.Details{
		Kind: models.KindCourse, Title: models.Text{Da: "Klædt på til job", En: "Ready for work"},
		Description: models.Text{Da: "Fire gange tre timer."}, WhatToBring: models.Text{Da: "Kuglepen"},
		Location: "Jobbanken Herning", DepartmentID: f.deptID, Mode: models.ModeActivity, Capacity: 1,
	}, []activity.Times{at(2), at(9), at(16), at(400)})
	if err != nil {
		t.Fatal(err)
	}
	dropIn, err := f.svc.CreateActivity(ctx, f.coord, activity.Details{
		Kind: models.KindSport, Title: models.Text{Da: "Yoga"}, DepartmentID: f.deptID, Mode: models.ModeSession, Capacity: 5,
	}, []activity.Times{at(3), at(10)})
	if err != nil {
		t.Fatal(err)
	}
	for _, su := range []struct {
		p                   auth.Principal
		activityID, session string
	}{
		{p1, course.ID, ""}, {p2, course.ID, ""}, {p1, dropIn.ID, dropIn.Sessions[0].ID}, {p2, dropIn.ID, dropIn.Sessions[1].ID},
	} {
		if _, _, err := f.svc.SignUp(ctx, su.p, su.activityID, su.session); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.CancelSession(ctx, f.coord, course.Sessions[2].ID); err != nil {
		t.Fatal(err)
	}
	link1, err := f.svc.RotateCalendarFeed(ctx, p1)
	if err != nil {
		t.Fatal(err)
	}
	link2, err := f.svc.RotateCalendarFeed(ctx, p2)
	if err != nil {
		t.Fatal(err)
	}
	if len(link1.Token) != 43 || link1.URL != "/v1/calendar/"+link1.Token+".ics" || !link1.CreatedAt.Equal(t0) {
		t.Errorf("link = %+v", link1)
	}

	uid := func(ss models.Session) string { return ss.ID + "@jobkunde" }
	uids := func(ss ...activity.SessionView) []string {
		var out []string
		for _, s := range ss {
			out = append(out, uid(s.Session))
		}
		return out
	}
	tests := []struct {
		name   string
		now    time.Time
		token  string
		want   []string // UIDs in the feed
		status map[string]string
	}{
		{
			name: "confirmed course and own drop-in session; not beyond a year", now: t0, token: link1.Token,
			want:   uids(course.Sessions[0], course.Sessions[1], course.Sessions[2], dropIn.Sessions[0]),
			status: map[string]string{uid(course.Sessions[0].Session): "CONFIRMED", uid(course.Sessions[2].Session): "CANCELLED"},
		},
		{
			name: "waitlisted course left out", now: t0, token: link2.Token,
			want: uids(dropIn.Sessions[1]),
		},
		{
			name: "a session that ended within a day stays", now: t0.Add(3*24*time.Hour - time.Hour), token: link1.Token,
			want: uids(course.Sessions[0], course.Sessions[1], course.Sessions[2], dropIn.Sessions[0]),
		},
		{
			name: "older sessions drop out", now: t0.Add(4*24*time.Hour + 3*time.Hour), token: link1.Token,
			want: uids(course.Sessions[1], course.Sessions[2]),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clk.Set(tt.now)
			got := f.feedOf(t, tt.token)
			if len(got) != len(tt.want) {
				t.Errorf("%d events, want %d", len(got), len(tt.want))
			}
			for _, u := range tt.want {
				if got[u] == nil {
					t.Errorf("no event %s", u)
				}
			}
			for u, want := range tt.status {
				if e := got[u]; e != nil && eventProp(e, ics.ComponentPropertyStatus) != want {
					t.Errorf("%s STATUS %q, want %q", u, eventProp(e, ics.ComponentPropertyStatus), want)
				}
			}
		})
	}
	f.clk.Set(t0)

	e := f.feedOf(t, link1.Token)[uid(course.Sessions[0].Session)]
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertySummary: "Klædt på til job", ics.ComponentPropertyLocation: "Jobbanken Herning",
		ics.ComponentPropertyDescription: "Fire gange tre timer.\n\nMedbring: Kuglepen",
	} {
		if got := eventProp(e, p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}

	t.Run("rotating revokes the old link", func(t *testing.T) {
		link3, err := f.svc.RotateCalendarFeed(ctx, p1)
		if err != nil {
			t.Fatal(err)
		}
		if link3.Token == link1.Token {
			t.Fatal("rotation returned the same token")
		}
		_, err = f.svc.CalendarFeed(ctx, link1.Token)
		wantNotFound(t, "old link", err)
		if got := f.feedOf(t, link3.Token); len(got) != 4 {
			t.Errorf("new link: %d events, want 4", len(got))
		}
		if err := f.svc.RevokeCalendarFeed(ctx, p1); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CalendarFeed(ctx, link3.Token)
		wantNotFound(t, "revoked link", err)
		if err := f.svc.RevokeCalendarFeed(ctx, p1); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		if got := f.feedOf(t, link2.Token); len(got) != 1 {
			t.Errorf("another participant's link: %d events, want 1", len(got))
		}
	})

	t.Run("junk tokens", func(t *testing.T) {
		for _, tok := range []string{"", "nope", strings.Repeat("A", 42), strings.Repeat("*", 43), link1.Token + "A"} {
			_, err := f.svc.CalendarFeed(ctx, tok)
			wantNotFound(t, "token "+tok, err)
		}
	})

	t.Run("only participants have a feed", func(t *testing.T) {
		for _, p := range []auth.Principal{f.coord, {UserID: "admin-1", Role: models.RoleAdmin}, {UserID: "c-1", Role: models.RoleCounselor}} {
			var ae *apperr.Error
			if _, err := f.svc.RotateCalendarFeed(ctx, p); !asError(err, &ae) || ae.Kind != apperr.Forbidden {
				t.Errorf("rotate as %s: %v, want Forbidden", p.Role, err)
			}
			if err := f.svc.RevokeCalendarFeed(ctx, p); !asError(err, &ae) || ae.Kind != apperr.Forbidden {
				t.Errorf("revoke as %s: %v, want Forbidden", p.Role, err)
			}
		}
	})
}
