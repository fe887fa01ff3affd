package jobs

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// Event types of the reminders.
const (
	// EventSessionReminder reminds a participant with a confirmed seat of a
	// session, once per configured offset.
	EventSessionReminder = "session.reminder"
	// EventFollowUpReminder reminds the participant of a follow-up meeting
	// two days before.
	EventFollowUpReminder = "follow_up.reminder"
	// EventFollowUpReminderStaff reminds their counselor of it.
	EventFollowUpReminderStaff = "follow_up.reminder_staff"
)

// Timing of the follow-up reminders: 09:00 Copenhagen, two calendar days
// before the meeting.
const (
	followUpReminderDays = 2
	followUpReminderHour = 9
)

// DueReminders returns which of the offsets' reminders of a session
// starting at start are to be recorded at now:
//   - none once the session has started;
//   - a reminder due (start − offset) within window of now, before or
//     after, is recorded, with its due time;
//   - one due later than that waits for a later tick;
//   - one due longer ago than window was missed (the participant got their
//     seat late, or the service was down): only the shortest offset's is
//     still recorded, to be sent at once, so a participant gets one
//     reminder rather than a burst of stale ones.
func DueReminders(start, now time.Time, offsets []time.Duration, window time.Duration) []time.Duration {
	if !now.Before(start) || len(offsets) == 0 {
		return nil
	}
	shortest := slices.Min(offsets)
	var out []time.Duration
	for _, o := range offsets {
		due := start.Add(-o)
		switch {
		case due.After(now.Add(window)):
		case !due.Before(now.Add(-window)), o == shortest:
			out = append(out, o)
		}
	}
	return out
}

// span is the half-open time range [from, to).
type span struct{ from, to time.Time }

// sessionSpans returns the start times of the sessions DueReminders may
// record something for at now, merged: around each offset's window, and
// everything up to the shortest offset (a late seat's one reminder).
func sessionSpans(now time.Time, offsets []time.Duration, window time.Duration) []span {
	if len(offsets) == 0 {
		return nil
	}
	shortest := slices.Min(offsets)
	spans := []span{{now, now.Add(shortest + window + time.Nanosecond)}}
	for _, o := range offsets {
		spans = append(spans, span{now.Add(o - window), now.Add(o + window + time.Nanosecond)})
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if !s.from.After(last.to) {
			if s.to.After(last.to) {
				last.to = s.to
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// sessionReminders records the session reminders due around now for every
// participant with a confirmed seat. The dedupe key includes the session's
// start, so a moved session gets fresh reminders, and the collapse key
// names the session, so on the phone they replace the old ones.
func (r *Runner) sessionReminders(ctx context.Context, now time.Time) error {
	var evs []models.Event
	for _, sp := range sessionSpans(now, r.cfg.ReminderOffsets, r.cfg.ReminderWindow) {
		sessions, err := r.store.SessionsStarting(ctx, sp.from, sp.to)
		if err != nil {
			return err
		}
		for _, ss := range sessions {
			offsets := DueReminders(ss.StartsAt, now, r.cfg.ReminderOffsets, r.cfg.ReminderWindow)
			if len(offsets) == 0 {
				continue
			}
			a, participants, err := r.roster.Confirmed(ctx, ss)
			if err != nil {
				return err
			}
			start := ss.StartsAt.UTC()
			for _, o := range offsets {
				minutes := strconv.Itoa(int(o / time.Minute))
				for _, p := range participants {
					key := EventSessionReminder + "/" + ss.ID + "/" + start.Format(time.RFC3339) + "/" + minutes + "/" + p
					evs = append(evs, r.event(key, EventSessionReminder, p, start.Add(-o), &start, "session/"+ss.ID, map[string]any{
						"activityId": a.ID, "sessionId": ss.ID, "startsAt": start, "endsAt": ss.EndsAt.UTC(),
						"minutesBefore": int(o / time.Minute), "titleDa": a.Title.Da, "titleEn": a.Title.En, "location": a.Location,
					}))
				}
			}
		}
	}
	return r.recordNew(ctx, evs)
}

// FollowUpReminderAt returns when the reminder of a follow-up meeting on
// the calendar date day is due: 09:00 Copenhagen two days before.
func FollowUpReminderAt(day time.Time) time.Time {
	return At(day.AddDate(0, 0, -followUpReminderDays), followUpReminderHour)
}

// followUpReminders records the reminders of the follow-up meetings still
// to be held (planned or moved) whose reminder is due by now+window, to the
// participant and their counselor. A meeting moved to tomorrow gets its
// reminder at once; one moved to a new date gets a new one (the dedupe key
// names the date).
func (r *Runner) followUpReminders(ctx context.Context, now time.Time) error {
	today := Today(now)
	list, err := r.store.FollowUpsDated(ctx, dayString(today.AddDate(0, 0, 1)), dayString(today.AddDate(0, 0, followUpReminderDays)),
		[]models.FollowUpStatus{models.FollowUpPlanned, models.FollowUpMoved})
	if err != nil {
		return err
	}
	var due []models.FollowUp
	var participantIDs, employmentIDs []string
	for _, f := range list {
		d, ok := parseDay(f.Date)
		if !ok || FollowUpReminderAt(d).After(now.Add(r.cfg.ReminderWindow)) {
			continue
		}
		due = append(due, f)
		participantIDs = append(participantIDs, f.ParticipantID)
		employmentIDs = append(employmentIDs, f.EmploymentID)
	}
	if len(due) == 0 {
		return nil
	}
	users, err := r.store.UsersByID(ctx, participantIDs)
	if err != nil {
		return err
	}
	counselorOf := map[string]string{}
	for _, u := range users {
		if u.Role == models.RoleParticipant && u.WithdrawnAt == nil {
			counselorOf[u.ID] = u.CounselorID
		}
	}
	emps, err := r.store.EmploymentsByID(ctx, employmentIDs)
	if err != nil {
		return err
	}
	company := map[string]string{}
	for _, e := range emps {
		company[e.ID] = e.Company.Name
	}
	var evs []models.Event
	for _, f := range due {
		counselor, ok := counselorOf[f.ParticipantID]
		if !ok {
			continue // erased, or left
		}
		d, _ := parseDay(f.Date)
		at, expires := FollowUpReminderAt(d), At(d, 0)
		key := func(recipient string) string {
			return EventFollowUpReminder + "/" + f.ID + "/" + f.Date + "/" + recipient
		}
		params := map[string]any{
			"followUpId": f.ID, "employmentId": f.EmploymentID, "kind": f.Kind, "date": f.Date, "companyName": company[f.EmploymentID],
		}
		evs = append(evs, r.event(key(f.ParticipantID), EventFollowUpReminder, f.ParticipantID, at, &expires, "follow_up/"+f.ID, params))
		if counselor != "" {
			staff := map[string]any{"participantId": f.ParticipantID}
			for k, v := range params {
				staff[k] = v
			}
			evs = append(evs, r.event(key(counselor), EventFollowUpReminderStaff, counselor, at, &expires, "follow_up/"+f.ID, staff))
		}
	}
	return r.recordNew(ctx, evs)
}
