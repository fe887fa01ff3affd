package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// seedRun is one activity: a course run, a sports hold, a trip, or a
// weekly drop-in series.
type seedRun struct {
	tmpl     *seedTemplate
	dept     int
	act      models.Activity
	sessions []models.Session
	queues   []*seedQueue // mode activity: one for the whole; mode session: one per session
}

// seedQueue is one queue: an activity in mode activity, or one session of
// a drop-in.
type seedQueue struct {
	run       *seedRun
	sessionID string
	sessions  []models.Session // the sessions a seat in it covers
	signUps   []*seedSignUp
}

func (q *seedQueue) first() time.Time { return q.sessions[0].StartsAt }

// seedSignUp is one participant's sign-up and what became of it.
type seedSignUp struct {
	person   *seedPerson
	at       time.Time // signed up (or asked for approval)
	request  *models.Enrollment
	enrol    *models.Enrollment // in the queue (nil: never joined)
	joinAt   time.Time
	decided  time.Time
	cancelAt time.Time // zero: not cancelled
	promoted time.Time // zero: not moved up from the waitlist
}

// confirmedAt reports whether s held a seat at t.
func (s *seedSignUp) confirmedAt(t time.Time) bool {
	switch {
	case s.enrol == nil || t.Before(s.joinAt):
		return false
	case !s.cancelAt.IsZero() && !t.Before(s.cancelAt):
		return false
	case s.enrol.WaitlistedAt == nil:
		return true
	}
	return !s.promoted.IsZero() && !t.Before(s.promoted)
}

// weekdayFrom is local midnight of the first day on or after t that is wd.
func (g *seedGen) weekdayFrom(t time.Time, wd time.Weekday) time.Time {
	d := g.midnight(t)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// runDays returns the days of the runs of template t in department d: each
// run's session days (local midnights), on days Jobbanken is open. A
// repeated course or hold runs on parallel teams in a large department,
// one per 125 participants, each on its own weekday.
func (g *seedGen) runDays(t *seedTemplate, d int) [][]time.Time {
	weekly := func(first time.Time, n int) []time.Time {
		var out []time.Time
		for j := range n {
			if day := first.AddDate(0, 0, 7*j); work.IsWorkingDay(day) {
				out = append(out, day)
			}
		}
		return out
	}
	consecutive := func(first time.Time, n int) []time.Time {
		for range 5 {
			var out []time.Time
			for j := range n {
				out = append(out, first.AddDate(0, 0, j))
			}
			if !slices.ContainsFunc(out, func(day time.Time) bool { return !work.IsWorkingDay(day) }) {
				return out
			}
			first = first.AddDate(0, 0, 7)
		}
		return nil
	}
	var runs [][]time.Time
	add := func(ds []time.Time) {
		if len(ds) > 0 && !ds[0].Before(g.midnight(g.from)) && ds[0].Before(g.horizon) {
			runs = append(runs, ds)
		}
	}
	switch {
	case t.everyMonths == 0: // a drop-in series over the whole window
		first := g.weekdayFrom(g.from, t.weekday)
		n := int(g.horizon.Sub(first).Hours()/24/7) + 1
		add(weekly(first, n))
	case t.onlyInMonth != 0:
		for y := g.from.In(g.loc).Year(); y <= g.horizon.In(g.loc).Year(); y++ {
			first := g.weekdayFrom(time.Date(y, t.onlyInMonth, 8, 12, 0, 0, 0, g.loc), t.weekday)
			add(consecutive(first, t.sessions))
		}
	default:
		teams := 0
		for _, p := range g.people {
			if p.dept == d {
				teams++
			}
		}
		teams = max(1, (teams+62)/125)
		for team := range teams {
			wd := time.Monday + (t.weekday-time.Monday+time.Weekday(team))%5
			for k := 0; ; k++ {
				first := g.weekdayFrom(g.from.AddDate(0, k*t.everyMonths, t.offsetDays+2*d+team), wd)
				if !first.Before(g.horizon) {
					break
				}
				if t.consecutive {
					add(consecutive(first, t.sessions))
				} else {
					add(weekly(first, t.sessions))
				}
			}
		}
	}
	return runs
}

// makeActivities plans every department's catalogue over the window and a
// few weeks ahead, each run created by the department's coordinator some
// weeks before it starts.
func (g *seedGen) makeActivities() {
	g.runs = make([][]*seedRun, len(g.depts))
	for d, dept := range g.depts {
		r := g.rng(streamActivities, d)
		for ti := range seedCatalogue {
			t := &seedCatalogue[ti]
			for _, ds := range g.runDays(t, d) {
				hh, _ := strconv.Atoi(t.start[:2])
				mm, _ := strconv.Atoi(t.start[3:])
				first := g.clock(ds[0], hh, mm)
				created := earlierOf(first.Add(-between(r, days(28), days(42))), g.now.Add(-between(r, days(1), days(4))))
				if t.everyMonths == 0 {
					created = g.from.Add(-days(30))
				}
				created = created.Truncate(time.Second)
				location := t.place
				if strings.Contains(location, "%s") {
					location = fmt.Sprintf(location, dept.Name)
				}
				a := models.Activity{
					ID: v7(r, created), Kind: t.kind, Title: t.title, Description: t.description, WhatToBring: t.whatToBring,
					Location: location, DepartmentID: dept.ID, Mode: t.mode, Capacity: t.capacity, RequiresApproval: t.approval,
					CancelDeadlineHours: t.deadlineH, CompletionMinSessions: t.completion, State: models.StateScheduled,
					CreatedBy: g.coordinators[d].ID, CreatedAt: created, UpdatedAt: created,
				}
				run := &seedRun{tmpl: t, dept: d}
				for j, day := range ds {
					start := g.clock(day, hh, mm)
					run.sessions = append(run.sessions, models.Session{ID: v7(r, created.Add(time.Duration(j)*time.Millisecond)),
						ActivityID: a.ID, StartsAt: start, EndsAt: start.Add(t.duration), State: models.StateScheduled})
				}
				firstStart, lastEnd := run.sessions[0].StartsAt, run.sessions[len(run.sessions)-1].EndsAt
				a.FirstStartsAt, a.LastEndsAt = &firstStart, &lastEnd
				run.act = a
				if t.mode == models.ModeActivity {
					run.queues = []*seedQueue{{run: run, sessions: run.sessions}}
				} else {
					for _, ss := range run.sessions {
						run.queues = append(run.queues, &seedQueue{run: run, sessionID: ss.ID, sessions: []models.Session{ss}})
					}
				}
				g.acts[a.ID] = a
				g.runs[d] = append(g.runs[d], run)
			}
		}
	}
}

func (g *seedGen) writeCatalogue(ctx context.Context) error {
	for _, runs := range g.runs {
		for _, run := range runs {
			if err := g.put(ctx, "activities", run.act); err != nil {
				return err
			}
			for _, ss := range run.sessions {
				if err := g.put(ctx, "sessions", ss); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// signUps lets every participant pick about five things a year, mostly in
// their own department, preferring what still has room, as people do.
func (g *seedGen) signUps() {
	byTemplate := make([]map[*seedTemplate][]*seedRun, len(g.depts))
	for d, runs := range g.runs {
		byTemplate[d] = map[*seedTemplate][]*seedRun{}
		for _, run := range runs {
			byTemplate[d][run.tmpl] = append(byTemplate[d][run.tmpl], run)
		}
	}
	weights := 0
	for _, t := range seedCatalogue {
		weights += t.interest
	}
	pickRun := func(r *rand.Rand, d int) *seedRun {
		n := r.IntN(weights)
		for i := range seedCatalogue {
			t := &seedCatalogue[i]
			if n -= t.interest; n < 0 {
				if runs := byTemplate[d][t]; len(runs) > 0 {
					return pick(r, runs)
				}
				return nil
			}
		}
		return nil
	}
	for _, p := range g.people {
		r := g.rng(streamSignUp, p.idx)
		months := g.now.Sub(p.active).Hours() / 24 / 30.44
		want := int(math.Round(5 * months / 12 * (0.5 + r.Float64())))
		taken := map[*seedQueue]bool{}
		for range want {
			for attempt := range 30 {
				d := p.dept
				if chance(r, 0.1) {
					d = r.IntN(len(g.depts))
				}
				run := pickRun(r, d)
				if run == nil {
					continue
				}
				q := pick(r, run.queues)
				lo := laterOf(laterOf(run.act.CreatedAt.Add(time.Hour), p.active.Add(time.Hour)), q.first().Add(-days(30)))
				hi := earlierOf(q.first().Add(-days(1)), g.now.Add(-time.Hour))
				if taken[q] || !lo.Before(hi) || (len(q.signUps) >= run.act.Capacity && attempt < 25) {
					continue
				}
				q.signUps = append(q.signUps, &seedSignUp{person: p, at: lo.Add(between(r, 0, hi.Sub(lo))).Truncate(time.Second)})
				taken[q] = true
				break
			}
		}
	}
}

var seedDeclineReasons = []string{
	"Næste hold passer bedre til dig. Vi tager en snak om det.",
	"Holdet er sammensat til deltagere, der er i job. Vi finder noget andet sammen.",
}

// writeEnrollments settles every queue as the activity service would have,
// in the order things happened: requests decided by the counselor, tickets
// taken in turn, seats freed by cancellations passed on, and the
// reminders, approvals, promotions and attendance that follow.
func (g *seedGen) writeEnrollments(ctx context.Context) error {
	g.signUps()
	qi := 0
	for _, runs := range g.runs {
		for _, run := range runs {
			for _, q := range run.queues {
				if len(q.signUps) > 0 {
					if err := g.settleQueue(ctx, g.rng(streamQueue, qi), q); err != nil {
						return err
					}
				}
				qi++
			}
		}
	}
	return nil
}

func (g *seedGen) settleQueue(ctx context.Context, r *rand.Rand, q *seedQueue) error {
	a := q.run.act
	slices.SortStableFunc(q.signUps, func(x, y *seedSignUp) int {
		return cmp.Or(x.at.Compare(y.at), cmp.Compare(x.person.idx, y.person.idx))
	})
	slot := func(s *seedSignUp) string { return a.ID + "/" + q.sessionID + "/" + s.person.user.ID }
	// Who joins, when: a request waits for the counselor's decision.
	for _, s := range q.signUps {
		s.joinAt = s.at
		if !a.RequiresApproval {
			continue
		}
		id := v7(r, s.at)
		s.request = &models.Enrollment{ID: id, ActivityID: a.ID, SessionID: q.sessionID, ParticipantID: s.person.user.ID,
			State: models.EnrollAwaitingApproval, SlotKey: "request/" + slot(s), Ticket: "request/" + id, CreatedAt: s.at}
		decided := g.office(r, s.at.Add(between(r, 30*time.Minute, days(2))))
		if limit := q.first().Add(-2 * time.Hour); decided.After(limit) {
			decided = laterOf(s.at.Add(10*time.Minute), limit)
		}
		s.joinAt = time.Time{}
		if decided.After(g.now) {
			continue // still waiting for a decision
		}
		s.decided = decided
		if chance(r, 0.1) {
			s.request.State, s.request.SlotKey = models.EnrollDeclined, "closed/"+id
			s.request.DecidedAt, s.request.DecidedBy = &s.decided, s.person.counselor.ID
			s.request.DecisionReason = pick(r, seedDeclineReasons)
			continue
		}
		s.joinAt = decided
	}
	for _, s := range q.signUps {
		if s.joinAt.IsZero() || !chance(r, 0.07) {
			continue
		}
		if room := q.first().Add(-time.Hour).Sub(s.joinAt); room > time.Hour {
			if at := s.joinAt.Add(between(r, time.Hour, room)); !at.After(g.now) {
				s.cancelAt = at
			}
		}
	}
	// The queue, step by step.
	type step struct {
		at     time.Time
		s      *seedSignUp
		cancel bool
	}
	var steps []step
	for _, s := range q.signUps {
		if !s.joinAt.IsZero() {
			steps = append(steps, step{at: s.joinAt, s: s})
		}
		if !s.cancelAt.IsZero() {
			steps = append(steps, step{at: s.cancelAt, s: s, cancel: true})
		}
	}
	slices.SortStableFunc(steps, func(x, y step) int { return x.at.Compare(y.at) })
	var queued []*seedSignUp
	var events []seedEvent
	taken := 0
	for _, st := range steps {
		s := st.s
		if !st.cancel {
			taken++
			e := &models.Enrollment{ID: v7(r, s.joinAt), ActivityID: a.ID, SessionID: q.sessionID, ParticipantID: s.person.user.ID,
				State: models.EnrollQueued, SlotKey: slot(s), QueueNo: int64(taken), Ticket: fmt.Sprintf("%s/%s/%d", a.ID, q.sessionID, taken),
				CreatedAt: s.at}
			status := models.StatusConfirmed
			if len(queued) >= a.Capacity {
				w := s.joinAt
				e.WaitlistedAt, status = &w, models.StatusWaitlisted
			}
			if s.request != nil {
				e.DecidedAt, e.DecidedBy = &s.decided, s.person.counselor.ID
				s.request.State, s.request.SlotKey, s.request.ApprovedAs = models.EnrollApproved, "closed/"+s.request.ID, e.ID
				s.request.DecidedAt, s.request.DecidedBy = &s.decided, s.person.counselor.ID
				events = append(events, seedEvent{"enrollment.approved", s.person.user.ID, "enrollment.approved:" + e.ID, s.decided,
					map[string]any{"activityId": a.ID, "sessionId": q.sessionID, "enrollmentId": e.ID, "status": string(status)}})
			}
			s.enrol = e
			queued = append(queued, s)
			continue
		}
		at := s.cancelAt
		s.enrol.State, s.enrol.CancelledAt, s.enrol.SlotKey = models.EnrollCancelled, &at, "closed/"+s.enrol.ID
		s.enrol.LateCancel = at.After(q.first().Add(-time.Duration(a.CancelDeadlineHours) * time.Hour))
		queued = slices.DeleteFunc(queued, func(x *seedSignUp) bool { return x == s })
		for _, h := range queued[:min(len(queued), a.Capacity)] { // the freed seat goes on at once
			if h.enrol.WaitlistedAt != nil && h.promoted.IsZero() {
				h.promoted = at
				events = append(events, seedEvent{"enrollment.promoted", h.person.user.ID,
					"enrollment.promoted:" + h.enrol.ID + ":" + h.enrol.WaitlistedAt.UTC().Format(time.RFC3339Nano), at,
					map[string]any{"activityId": a.ID, "sessionId": q.sessionID, "enrollmentId": h.enrol.ID}})
			}
		}
	}
	for _, s := range q.signUps {
		if err := g.writeSignUp(ctx, r, q, s); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := g.tell(ctx, r, models.Event{DedupeKey: e.key, Type: e.typ, RecipientID: e.to, Params: e.params, CreatedAt: e.at, DueAt: e.at}); err != nil {
			return err
		}
	}
	return nil
}

// seedEvent is an outbox event still to be told.
type seedEvent struct {
	typ, to, key string
	at           time.Time
	params       map[string]any
}

// writeSignUp writes one sign-up's enrolments, the events around its
// request, its session reminders and its attendance marks.
func (g *seedGen) writeSignUp(ctx context.Context, r *rand.Rand, q *seedQueue, s *seedSignUp) error {
	a, p := q.run.act, s.person
	if s.request != nil {
		if err := g.put(ctx, "enrollments", *s.request); err != nil {
			return err
		}
		params := map[string]any{"activityId": a.ID, "enrollmentId": s.request.ID, "participantId": p.user.ID}
		if q.sessionID != "" {
			params["sessionId"] = q.sessionID
		}
		c := p.counselor.ID
		if err := g.tell(ctx, r, models.Event{DedupeKey: "enrollment.approval_requested:" + s.request.ID + ":" + c,
			Type: "enrollment.approval_requested", RecipientID: c, Params: params, CreatedAt: s.at}); err != nil {
			return err
		}
		if !s.decided.IsZero() {
			route, act := "POST /v1/enrollments/:id/approve", "enrollment.decide"
			if s.request.State == models.EnrollDeclined {
				route = "POST /v1/enrollments/:id/decline"
				if err := g.tell(ctx, r, models.Event{DedupeKey: "enrollment.declined:" + s.request.ID, Type: "enrollment.declined",
					RecipientID: p.user.ID, Params: map[string]any{"activityId": a.ID, "enrollmentId": s.request.ID}, CreatedAt: s.decided}); err != nil {
					return err
				}
			}
			if err := g.access(ctx, r, p, c, models.RoleCounselor, act, route, s.decided); err != nil {
				return err
			}
		}
	}
	if s.enrol == nil {
		return nil
	}
	if err := g.put(ctx, "enrollments", *s.enrol); err != nil {
		return err
	}
	for _, ss := range q.sessions {
		start := ss.StartsAt.UTC()
		for _, o := range g.cfg.reminders {
			due := start.Add(-o)
			if due.After(g.now) || !s.confirmedAt(due) {
				continue
			}
			minutes := int(o / time.Minute)
			key := "session.reminder/" + ss.ID + "/" + start.Format(time.RFC3339) + "/" + strconv.Itoa(minutes) + "/" + p.user.ID
			expires := start
			e := models.Event{DedupeKey: key, Type: "session.reminder", RecipientID: p.user.ID,
				CreatedAt: laterOf(due.Add(-between(r, 0, 25*time.Minute)), s.joinAt), DueAt: due, ExpiresAt: &expires,
				CollapseKey: "session/" + ss.ID, Params: map[string]any{
					"activityId": a.ID, "sessionId": ss.ID, "startsAt": start, "endsAt": ss.EndsAt.UTC(), "minutesBefore": minutes,
					"titleDa": a.Title.Da, "titleEn": a.Title.En, "location": a.Location,
				}}
			if err := g.tell(ctx, r, e); err != nil {
				return err
			}
		}
		if s.enrol.State != models.EnrollQueued || !s.confirmedAt(ss.StartsAt) || ss.EndsAt.After(g.now) || !chance(r, 0.85) {
			continue
		}
		at := ss.EndsAt.Add(between(r, 10*time.Minute, 3*time.Hour))
		if at.After(g.now) {
			continue
		}
		mark := models.MarkAttended
		switch x := r.Float64(); {
		case x < 0.08:
			mark = models.MarkNoShow
		case x < 0.13:
			mark = models.MarkExcused
		}
		if err := g.put(ctx, "attendance", models.Attendance{ID: ss.ID + "/" + p.user.ID, ActivityID: a.ID, SessionID: ss.ID,
			EnrollmentID: s.enrol.ID, ParticipantID: p.user.ID, Mark: mark, RecordedBy: g.coordinators[q.run.dept].ID, RecordedAt: at}); err != nil {
			return err
		}
	}
	return nil
}

// access writes one access-log line: a staff member read or changed a
// participant's data through route.
func (g *seedGen) access(ctx context.Context, r *rand.Rand, p *seedPerson, actor string, role models.Role, action, route string, at time.Time) error {
	kind := models.AccessChange
	if strings.HasPrefix(route, "GET ") {
		kind = models.AccessRead
	}
	return g.put(ctx, "access_log", models.AccessEntry{ID: v7(r, at), ParticipantID: p.user.ID, ActorID: actor, ActorRole: role,
		Action: action, Kind: kind, Route: route, RequestID: uuid4(r), At: at})
}
