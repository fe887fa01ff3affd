package activity

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// SessionView is a session with its free seats (drop-in activities).
type SessionView struct {
	models.Session
	SeatsLeft *int `json:"seatsLeft,omitempty"`
}

// Detail is one activity as the apps show it: its sessions, free seats and,
// for a participant, their own enrolments.
type Detail struct {
	models.Activity
	DepartmentName string        `json:"departmentName"` // "" if the department is gone
	Sessions       []SessionView `json:"sessions"`
	// SeatsLeft and WaitlistLength are for the whole activity (mode
	// activity); drop-in activities have them per session.
	SeatsLeft      *int                    `json:"seatsLeft,omitempty"`
	WaitlistLength *int                    `json:"waitlistLength,omitempty"`
	MyEnrollments  []models.EnrollmentView `json:"myEnrollments,omitempty"`
}

// Summary is an activity in the catalogue list.
type Summary struct {
	models.Activity
	DepartmentName string `json:"departmentName"`      // "" if the department is gone
	SeatsLeft      *int   `json:"seatsLeft,omitempty"` // mode activity only
}

// seats returns free seats and waitlist length of one queue.
func (s *Service) seats(ctx context.Context, a models.Activity, sessionID string) (left, waiting int, err error) {
	queued, err := s.store.QueuedBySession(ctx, a.ID)
	if err != nil {
		return 0, 0, err
	}
	n := queued[sessionID]
	return max(0, a.Capacity-n), max(0, n-a.Capacity), nil
}

// Activity returns one activity with its sessions and seats; a participant
// also sees their own enrolments in it.
func (s *Service) Activity(ctx context.Context, p auth.Principal, id string) (Detail, error) {
	if err := auth.Require(p.Role, auth.ListActivities); err != nil {
		return Detail{}, err
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if hidden, err := s.hiddenFrom(ctx, p, a); err != nil || hidden {
		return Detail{}, cmp.Or(err, errActivityNotFound())
	}
	sessions, err := s.store.Sessions(ctx, a.ID)
	if err != nil {
		return Detail{}, err
	}
	names, err := s.departmentNames(ctx, []models.Activity{a})
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Activity: a, DepartmentName: names[a.DepartmentID], Sessions: make([]SessionView, len(sessions))}
	var bySession map[string]int
	if a.Mode == models.ModeSession {
		if bySession, err = s.store.QueuedBySession(ctx, a.ID); err != nil {
			return Detail{}, err
		}
	}
	for i, ss := range sessions {
		d.Sessions[i] = SessionView{Session: ss}
		if a.Mode == models.ModeSession {
			left := max(0, a.Capacity-bySession[ss.ID])
			d.Sessions[i].SeatsLeft = &left
		}
	}
	if a.Mode == models.ModeActivity {
		left, waiting, err := s.seats(ctx, a, "")
		if err != nil {
			return Detail{}, err
		}
		d.SeatsLeft, d.WaitlistLength = &left, &waiting
	}
	if p.Role == models.RoleParticipant {
		mine, _, err := s.store.Enrollments(ctx, models.EnrollmentFilter{ParticipantID: p.UserID, ActivityID: a.ID, States: visibleStates}, models.Page{Limit: 100})
		if err != nil {
			return Detail{}, err
		}
		for _, e := range mine {
			v, err := s.view(ctx, e, a.Capacity)
			if err != nil {
				return Detail{}, err
			}
			d.MyEnrollments = append(d.MyEnrollments, v)
		}
	}
	return d, nil
}

// Filter narrows the catalogue.
type Filter struct {
	models.ActivityFilter
	FreeSeats bool // only activities (or drop-in activities with a session) with a free seat
}

// Activities lists the catalogue, each item with its department's name.
// With FreeSeats, full activities are left out of each page, so a page may
// hold fewer items than asked for; the cursor still continues correctly.
//
// A caller with a department sees its activities first, then the other
// departments' (see catalogue); with a DepartmentID filter, or without a
// department of their own (admins), the list is in creation order.
func (s *Service) Activities(ctx context.Context, p auth.Principal, f Filter, pg models.Page) ([]Summary, string, error) {
	if err := auth.Require(p.Role, auth.ListActivities); err != nil {
		return nil, "", err
	}
	// Celebrations are by invitation: never offered in the catalogue.
	if f.Kind != "" && !f.Kind.Catalogue() {
		return nil, "", apperr.InvalidField("kind", "activity.kind", "Choose sport, network or course.")
	}
	if f.Kind == "" {
		f.Kinds = catalogueKinds
	}
	items, next, err := s.catalogue(ctx, p.DeptID, f.ActivityFilter, pg)
	if err != nil {
		return nil, "", err
	}
	names, err := s.departmentNames(ctx, items)
	if err != nil {
		return nil, "", err
	}
	var ids []string
	for _, a := range items {
		if a.Mode == models.ModeActivity {
			ids = append(ids, a.ID)
		}
	}
	queued := map[string]int{}
	if len(ids) > 0 {
		if queued, err = s.store.QueuedByActivity(ctx, ids); err != nil {
			return nil, "", err
		}
	}
	out := make([]Summary, 0, len(items))
	for _, a := range items {
		sum := Summary{Activity: a, DepartmentName: names[a.DepartmentID]}
		free := false
		if a.Mode == models.ModeActivity {
			left := max(0, a.Capacity-queued[a.ID])
			sum.SeatsLeft, free = &left, left > 0
		} else if f.FreeSeats {
			if free, err = s.anySessionFree(ctx, a); err != nil {
				return nil, "", err
			}
		}
		if f.FreeSeats && !free {
			continue
		}
		out = append(out, sum)
	}
	return out, next, nil
}

// The catalogue's cursors when it lists the caller's own department first:
// the part a page continues in, then the store's cursor within that part.
const (
	ownCursor   = "own/"
	otherCursor = "other/"
)

// catalogue returns one page of activities matching f, those of the
// department own first. The store pages by ID, so the order is kept with
// the cursor by listing in two parts, one after the other: own's
// activities (DepartmentID own), then everyone else's (ExceptDepartmentID
// own), each in creation order. A page that finishes the first part is
// filled from the second, and the cursor names the part to continue in
// (ownCursor, otherCursor), so following it neither repeats nor skips an
// activity, whatever the page size. Without own, or with a DepartmentID
// filter, it is one list with the store's cursor.
func (s *Service) catalogue(ctx context.Context, own string, f models.ActivityFilter, pg models.Page) ([]models.Activity, string, error) {
	if own == "" || f.DepartmentID != "" {
		return s.store.Activities(ctx, f, pg)
	}
	mine, others := f, f
	mine.DepartmentID, others.ExceptDepartmentID = own, own
	switch after, ok := strings.CutPrefix(pg.After, otherCursor); {
	case ok:
		items, next, err := s.store.Activities(ctx, others, models.Page{Limit: pg.Limit, After: after})
		return items, prefixed(otherCursor, next), err
	case pg.After != "" && !strings.HasPrefix(pg.After, ownCursor):
		return nil, "", apperr.InvalidField("cursor", "pagination.cursor", "Invalid cursor. Start again from the first page.")
	}
	items, next, err := s.store.Activities(ctx, mine, models.Page{Limit: pg.Limit, After: strings.TrimPrefix(pg.After, ownCursor)})
	if err != nil || next != "" {
		return items, prefixed(ownCursor, next), err
	}
	if room := pg.Limit - len(items); room > 0 {
		rest, next, err := s.store.Activities(ctx, others, models.Page{Limit: room})
		return append(items, rest...), prefixed(otherCursor, next), err
	}
	// The page is full and the first part done: continue with the second
	// only if it has anything, so the last page is never an empty one.
	rest, _, err := s.store.Activities(ctx, others, models.Page{Limit: 1})
	if err != nil || len(rest) == 0 {
		return items, "", err
	}
	return items, otherCursor, nil
}

// prefixed is the catalogue cursor for the store's cursor next in a part:
// "" at the end of the part.
func prefixed(part, next string) string {
	if next == "" {
		return ""
	}
	return part + next
}

// departmentNames returns the names of the departments of items, by ID,
// in one query.
func (s *Service) departmentNames(ctx context.Context, items []models.Activity) (map[string]string, error) {
	var ids []string
	for _, a := range items {
		if !slices.Contains(ids, a.DepartmentID) {
			ids = append(ids, a.DepartmentID)
		}
	}
	depts, err := s.store.DepartmentsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(depts))
	for id, d := range depts {
		names[id] = d.Name
	}
	return names, nil
}

func (s *Service) anySessionFree(ctx context.Context, a models.Activity) (bool, error) {
	sessions, err := s.store.Sessions(ctx, a.ID)
	if err != nil {
		return false, err
	}
	queued, err := s.store.QueuedBySession(ctx, a.ID)
	if err != nil {
		return false, err
	}
	now := s.now()
	for _, ss := range sessions {
		if ss.State == models.StateScheduled && ss.StartsAt.After(now) && queued[ss.ID] < a.Capacity {
			return true, nil
		}
	}
	return false, nil
}

// RosterEntry is one person on a roster: display name only (contact details
// come with consent, in the privacy capability).
type RosterEntry struct {
	EnrollmentID     string                  `json:"enrollmentId"`
	ParticipantID    string                  `json:"participantId"`
	Name             string                  `json:"name"`
	Status           models.EnrollmentStatus `json:"status"`
	WaitlistPosition int                     `json:"waitlistPosition,omitempty"`
	SignedUpAt       time.Time               `json:"signedUpAt"`
	// Attendance is the mark recorded for each of the roster's sessions
	// that has one, in session order.
	Attendance []models.SessionMark `json:"attendance"`
	// Completed says, for a confirmed place on an activity with a
	// completion minimum (a course), whether they attended enough sessions.
	Completed *bool `json:"completed,omitempty"`
}

// RosterSession is one session a roster covers: the columns of the
// attendance sheet.
type RosterSession struct {
	ID       string    `json:"id"`
	StartsAt time.Time `json:"startsAt"`
	State    string    `json:"state"`
}

// Roster is who is coming: confirmed, the waitlist in order, and those
// waiting for approval, each with their attendance at the roster's sessions.
type Roster struct {
	ActivityID string `json:"activityId"`
	SessionID  string `json:"sessionId,omitempty"`
	Capacity   int    `json:"capacity"`
	// CompletionMinSessions is the activity's completion minimum (0: none).
	CompletionMinSessions int             `json:"completionMinSessions"`
	Sessions              []RosterSession `json:"sessions"`
	Confirmed             []RosterEntry   `json:"confirmed"`
	Waitlist              []RosterEntry   `json:"waitlist"`
	AwaitingApproval      []RosterEntry   `json:"awaitingApproval"`
}

// completedCourse reports, for an activity with a completion minimum,
// whether marks hold at least that many attended sessions; nil without one.
func completedCourse(a models.Activity, marks []models.SessionMark) *bool {
	if a.Mode != models.ModeActivity || a.CompletionMinSessions <= 0 {
		return nil
	}
	attended := 0
	for _, m := range marks {
		if m.Mark == models.MarkAttended {
			attended++
		}
	}
	done := attended >= a.CompletionMinSessions
	return &done
}

// Roster returns the roster of an activity (mode activity) or of one of its
// sessions (mode session; sessionID required).
func (s *Service) Roster(ctx context.Context, p auth.Principal, activityID, sessionID string) (Roster, error) {
	if err := auth.Require(p.Role, auth.ReadRoster); err != nil {
		return Roster{}, err
	}
	a, err := s.store.Activity(ctx, activityID)
	if err != nil {
		return Roster{}, err
	}
	if err := s.authorizeIn(ctx, p, auth.ReadRoster, auth.Subject{DepartmentID: a.DepartmentID}); err != nil {
		return Roster{}, err
	}
	switch {
	case a.Mode == models.ModeSession && sessionID == "":
		return Roster{}, apperr.InvalidField("sessionId", "field.required", "Choose a session.")
	case a.Mode == models.ModeActivity && sessionID != "":
		return Roster{}, apperr.InvalidField("sessionId", "session.not_applicable", "This activity has one roster for all sessions.")
	}
	if sessionID != "" {
		ss, err := s.store.Session(ctx, sessionID)
		if apperr.Is(err, apperr.NotFound) || (err == nil && ss.ActivityID != a.ID) {
			return Roster{}, apperr.New(apperr.NotFound, "session.not_found", "No such session.")
		}
		if err != nil {
			return Roster{}, err
		}
	}
	r := Roster{ActivityID: a.ID, SessionID: sessionID, Capacity: a.Capacity, CompletionMinSessions: a.CompletionMinSessions,
		Sessions: []RosterSession{}, Confirmed: []RosterEntry{}, Waitlist: []RosterEntry{}, AwaitingApproval: []RosterEntry{}}
	sessions, err := s.store.Sessions(ctx, a.ID)
	if err != nil {
		return Roster{}, err
	}
	covered := map[string]bool{}
	for _, ss := range sessions {
		if sessionID == "" || ss.ID == sessionID {
			r.Sessions = append(r.Sessions, RosterSession{ID: ss.ID, StartsAt: ss.StartsAt, State: ss.State})
			covered[ss.ID] = true
		}
	}
	recorded, err := s.store.AttendanceOf(ctx, a.ID)
	if err != nil {
		return Roster{}, err
	}
	order := map[string]int{}
	for i, ss := range r.Sessions {
		order[ss.ID] = i
	}
	marks := map[string][]models.SessionMark{}
	for _, m := range recorded {
		if covered[m.SessionID] {
			marks[m.EnrollmentID] = append(marks[m.EnrollmentID], models.SessionMark{SessionID: m.SessionID, Mark: m.Mark})
		}
	}
	for _, ms := range marks {
		slices.SortFunc(ms, func(x, y models.SessionMark) int { return order[x.SessionID] - order[y.SessionID] })
	}
	names := map[string]string{}
	entry := func(e models.Enrollment, st models.EnrollmentStatus, pos int) (RosterEntry, error) {
		p.Saw(auth.ReadRoster, e.ParticipantID) // each one on the roster is in the access log
		name, ok := names[e.ParticipantID]
		if !ok {
			u, err := s.store.User(ctx, e.ParticipantID)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return RosterEntry{}, err
			}
			name, names[e.ParticipantID] = u.Name, u.Name
		}
		re := RosterEntry{EnrollmentID: e.ID, ParticipantID: e.ParticipantID, Name: name, Status: st, WaitlistPosition: pos, SignedUpAt: e.CreatedAt,
			Attendance: marks[e.ID]}
		if re.Attendance == nil {
			re.Attendance = []models.SessionMark{}
		}
		if st == models.StatusConfirmed {
			re.Completed = completedCourse(a, re.Attendance)
		}
		return re, nil
	}
	queue, err := s.store.Queue(ctx, a.ID, sessionID, 0)
	if err != nil {
		return Roster{}, err
	}
	for rank, e := range queue {
		st, pos := Status(e, rank, a.Capacity)
		re, err := entry(e, st, pos)
		if err != nil {
			return Roster{}, err
		}
		if st == models.StatusConfirmed {
			r.Confirmed = append(r.Confirmed, re)
		} else {
			r.Waitlist = append(r.Waitlist, re)
		}
	}
	f := models.EnrollmentFilter{ActivityID: a.ID, SessionID: &sessionID, States: []models.EnrollmentState{models.EnrollAwaitingApproval}}
	err = s.eachEnrollment(ctx, f, func(e models.Enrollment) error {
		re, err := entry(e, models.StatusAwaitingApproval, 0)
		r.AwaitingApproval = append(r.AwaitingApproval, re)
		return err
	})
	return r, err
}
