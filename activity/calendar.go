package activity

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// CalendarStore keeps the participants' calendar feed tokens; *store.Store
// implements it. One feed per participant: ReplaceCalendarFeed overwrites
// theirs. CalendarFeedByHash returns NotFound for an unknown hash;
// DeleteCalendarFeed is not an error when there is none.
type CalendarStore interface {
	ReplaceCalendarFeed(ctx context.Context, f models.CalendarFeed) error
	DeleteCalendarFeed(ctx context.Context, userID string) error
	CalendarFeedByHash(ctx context.Context, tokenHash string) (models.CalendarFeed, error)
}

// CalendarLink is a newly issued calendar feed. Token is shown only here;
// URL is relative to the API's base and is the whole credential, since
// calendar apps cannot send a bearer token.
type CalendarLink struct {
	URL       string    `json:"url"`
	Token     string    `json:"token"`
	CreatedAt time.Time `json:"createdAt"`
}

// CalendarEvent is one session in a participant's calendar feed.
type CalendarEvent struct {
	UID         string // stable across fetches: "<session ID>@jobkunde"
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Cancelled   bool
	Stamp       time.Time // when the event last changed (DTSTAMP)
}

// The feed covers sessions that ended at most feedPast ago (so today's
// stays visible), up to feedMonthsAhead months ahead: a year, so the next
// daylight-saving change and a whole course planned well ahead are always
// in it. A participant's enrolments bound the feed's size anyway.
const (
	feedPast        = 24 * time.Hour
	feedMonthsAhead = 12
)

func calendarNotFound() error {
	return apperr.New(apperr.NotFound, "calendar.not_found", "This calendar link no longer works. You can make a new one in the app.")
}

// RotateCalendarFeed issues a new secret feed link for the calling
// participant. It replaces their current link, which stops working at once:
// rotating is how a leaked link is revoked. Only the participant writes
// their own feed record, so replacing it needs no race guard.
func (s *Service) RotateCalendarFeed(ctx context.Context, p auth.Principal) (CalendarLink, error) {
	if err := auth.Authorize(p, auth.ManageCalendarFeed, auth.Subject{ParticipantID: p.UserID}); err != nil {
		return CalendarLink{}, err
	}
	token := newFeedToken()
	f := models.CalendarFeed{UserID: p.UserID, TokenHash: hashFeedToken(token), CreatedAt: s.now()}
	if err := s.store.ReplaceCalendarFeed(ctx, f); err != nil {
		return CalendarLink{}, err
	}
	return CalendarLink{URL: "/v1/calendar/" + token + ".ics", Token: token, CreatedAt: f.CreatedAt}, nil
}

// RevokeCalendarFeed turns the calling participant's feed off: the link
// stops working at once. Revoking when there is no feed is not an error.
func (s *Service) RevokeCalendarFeed(ctx context.Context, p auth.Principal) error {
	if err := auth.Authorize(p, auth.ManageCalendarFeed, auth.Subject{ParticipantID: p.UserID}); err != nil {
		return err
	}
	return s.store.DeleteCalendarFeed(ctx, p.UserID)
}

// CalendarFeed returns the iCalendar document (RFC 5545) of the feed whose
// secret token is token: the sessions its participant is confirmed for.
// The token is the credential; an unknown, revoked or malformed token, or
// one whose owner is no longer an active participant, is NotFound
// ("calendar.not_found").
func (s *Service) CalendarFeed(ctx context.Context, token string) ([]byte, error) {
	if !wellFormedFeedToken(token) {
		return nil, calendarNotFound()
	}
	f, err := s.store.CalendarFeedByHash(ctx, hashFeedToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return nil, calendarNotFound()
	}
	if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, f.UserID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (u.Role != models.RoleParticipant || u.Status != models.StatusActive || u.WithdrawnAt != nil)) {
		return nil, calendarNotFound() // a participant who has left: the link ends with their access
	}
	if err != nil {
		return nil, err
	}
	events, err := s.schedule(ctx, f.UserID)
	if err != nil {
		return nil, err
	}
	return RenderCalendar(events), nil
}

// schedule lists the sessions participantID is confirmed for that end after
// now − feedPast and start within feedMonthsAhead months, in time order: every
// session of an activity they are confirmed in (mode activity), and each
// session they are confirmed for (mode session). Waitlisted enrolments and
// those awaiting approval are left out. Cancelled sessions stay in, marked,
// so calendars show them as cancelled.
func (s *Service) schedule(ctx context.Context, participantID string) ([]CalendarEvent, error) {
	now := s.now()
	from, to := now.Add(-feedPast), now.AddDate(0, feedMonthsAhead, 0)
	inWindow := func(ss models.Session) bool { return ss.EndsAt.After(from) && ss.StartsAt.Before(to) }
	activities := map[string]models.Activity{}
	f := models.EnrollmentFilter{ParticipantID: participantID, States: []models.EnrollmentState{models.EnrollQueued}}
	var out []CalendarEvent
	err := s.eachEnrollment(ctx, f, func(e models.Enrollment) error {
		a, ok := activities[e.ActivityID]
		if !ok {
			var err error
			if a, err = s.store.Activity(ctx, e.ActivityID); err != nil {
				return err
			}
			activities[e.ActivityID] = a
		}
		if a.LastEndsAt != nil && !a.LastEndsAt.After(from) {
			return nil // over: most of a long-time participant's enrolments
		}
		sessions, err := s.sessionsOf(ctx, a, e)
		if err != nil {
			return err
		}
		sessions = slices.DeleteFunc(sessions, func(ss models.Session) bool { return !inWindow(ss) })
		if len(sessions) == 0 {
			return nil
		}
		v, err := s.view(ctx, e, a.Capacity)
		if err != nil || v.Status != models.StatusConfirmed {
			return err
		}
		for _, ss := range sessions {
			out = append(out, eventOf(a, ss))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y CalendarEvent) int {
		return cmp.Or(x.Start.Compare(y.Start), strings.Compare(x.UID, y.UID))
	})
	return out, nil
}

// sessionsOf returns the sessions an enrolment covers.
func (s *Service) sessionsOf(ctx context.Context, a models.Activity, e models.Enrollment) ([]models.Session, error) {
	if e.SessionID == "" {
		return s.store.Sessions(ctx, a.ID)
	}
	ss, err := s.store.Session(ctx, e.SessionID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil // sessions are never deleted; should one be, it is not in the calendar
	}
	if err != nil {
		return nil, err
	}
	return []models.Session{ss}, nil
}

// eventOf is the calendar event of one session, in Danish.
func eventOf(a models.Activity, ss models.Session) CalendarEvent {
	ev := CalendarEvent{
		UID: ss.ID + "@jobkunde", Start: ss.StartsAt, End: ss.EndsAt,
		Summary: a.Title.Da, Location: a.Location, Stamp: a.UpdatedAt,
	}
	if a.CreatedAt.After(ev.Stamp) {
		ev.Stamp = a.CreatedAt
	}
	var desc []string
	if d := strings.TrimSpace(a.Description.Da); d != "" {
		desc = append(desc, d)
	}
	if b := strings.TrimSpace(a.WhatToBring.Da); b != "" {
		desc = append(desc, "Medbring: "+b)
	}
	ev.Description = strings.Join(desc, "\n\n")
	for _, at := range []*time.Time{ss.CancelledAt, a.CancelledAt} {
		if at != nil {
			ev.Cancelled = true
			if at.After(ev.Stamp) {
				ev.Stamp = *at
			}
		}
	}
	if ss.State == models.StateCancelled || a.State == models.StateCancelled {
		ev.Cancelled = true
	}
	return ev
}

// RenderCalendar writes events as an iCalendar document (RFC 5545): CRLF
// line ends, lines folded at 75 octets, times in UTC ("Z"), so no VTIMEZONE
// is needed and every calendar app shows them in its own local time. A
// cancelled event has STATUS:CANCELLED and SEQUENCE:1 (so apps that keep
// it update it), and its summary says so.
func RenderCalendar(events []CalendarEvent) []byte {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Jobbanken//jobkunde//DA")
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("Jobbanken")
	// How often subscribing apps should fetch again (Apple, Outlook).
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(e.Stamp)
		ev.SetStartAt(e.Start)
		ev.SetEndAt(e.End)
		summary, status, seq := icsText(e.Summary), ics.ObjectStatusConfirmed, 0
		if e.Cancelled {
			summary, status, seq = "Aflyst: "+summary, ics.ObjectStatusCancelled, 1
		}
		ev.SetSummary(summary)
		if l := icsText(e.Location); l != "" {
			ev.SetLocation(l)
		}
		if d := icsText(e.Description); d != "" {
			ev.SetDescription(d)
		}
		ev.SetStatus(status)
		ev.SetSequence(seq)
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows))
}

// icsText keeps what a TEXT value may hold: line breaks become "\n" (the
// library escapes them) and other control characters are dropped.
func icsText(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// feedTokenLen is the length of a feed token: 256 bits in unpadded
// base64url.
const feedTokenLen = 43

// newFeedToken returns 256 random bits, base64url-encoded.
func newFeedToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashFeedToken is how feed tokens are stored and looked up: a SHA-256 hex
// digest, so a database dump reveals no working link.
func hashFeedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wellFormedFeedToken reports whether token could be one we issued, so
// junk is refused without a database lookup.
func wellFormedFeedToken(token string) bool {
	if len(token) != feedTokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(token)
	return err == nil
}
