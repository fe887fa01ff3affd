// Package jobs is the scheduled work: the daily "Godt Gået" anniversary scan
// and the reminders before activity sessions and follow-up meetings. Every
// API instance ticks (every five minutes); each run is claimed first by a
// unique insert of {job, period} (models.JobRun), so one instance runs each
// daily job once per Copenhagen day and the reminders once per five-minute
// slot, on MongoDB and on the embedded engine alike.
//
// Jobs only record outbox events (models.Event, one per recipient, with a
// dedupe key naming the occasion); the notifications package delivers them.
// A repeated run therefore never tells anyone twice.
//
// A claim holds a lease. A run that fails gives its lease up at once; a run
// whose process died keeps it until it expires. Either way the next tick
// claims the next attempt ("<job>/<period>#2", again a unique insert), up to
// Config.MaxAttempts a period. A daily run that never finished is not lost
// after that either: the next day's run covers every day since the last
// finished one.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence the jobs need. InsertJobRun returns a Conflict
// when the run is claimed already.
type Store interface {
	InsertJobRun(ctx context.Context, r models.JobRun) error
	JobRuns(ctx context.Context, job, period string) ([]models.JobRun, error)
	LastFinishedJobRun(ctx context.Context, job string) (models.JobRun, bool, error)
	FirstJobRun(ctx context.Context, job string) (models.JobRun, bool, error)
	FinishJobRun(ctx context.Context, id string, at time.Time) error
	FailJobRun(ctx context.Context, id string, at time.Time, reason string) error
	PruneJobRuns(ctx context.Context, job, before string) error
	PruneHistory(ctx context.Context, before time.Time) (notifications, events int, err error)

	EmploymentsStartedOn(ctx context.Context, types []models.EmploymentType, dates []string) ([]models.Employment, error)
	EmploymentsByID(ctx context.Context, ids []string) ([]models.Employment, error)
	EmploymentEnds(ctx context.Context, employmentIDs []string) ([]models.EmploymentEnd, error)
	FollowUpsDated(ctx context.Context, from, to string, statuses []models.FollowUpStatus) ([]models.FollowUp, error)
	SessionsStarting(ctx context.Context, from, to time.Time) ([]models.Session, error)

	UsersByID(ctx context.Context, ids []string) ([]models.User, error)
	Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error)

	RecordedEvents(ctx context.Context, dedupeKeys []string) (map[string]bool, error)
	RecordEvents(ctx context.Context, events []models.Event) error
}

// Internships warns counselors of internships nearing their maximum
// length; *work.Service is one.
type Internships interface {
	CheckInternships(ctx context.Context) error
}

// Eraser erases the personal data of participants whose retention period
// after leaving has ended; *privacy.Service is one.
type Eraser interface {
	EraseDue(ctx context.Context) (int, error)
}

// Roster tells who holds a confirmed seat at a session; *activity.Service
// is one, so "confirmed" means here what it means everywhere else.
type Roster interface {
	Confirmed(ctx context.Context, ss models.Session) (models.Activity, []string, error)
}

// Config holds the jobs' settings; zero fields take the defaults.
type Config struct {
	// ReminderOffsets are how long before a session its participants are
	// reminded (REMINDER_OFFSETS; 24h and 2h).
	ReminderOffsets []time.Duration
	// Every is the tick, and the length of a reminders slot (5m).
	Every time.Duration
	// ReminderWindow is how far around its due time a reminder is recorded
	// (30m): recorded ahead with its due time, so the notifications worker
	// sends it on time, but not so far ahead that a cancelled enrolment or
	// a moved session leaves a stale reminder waiting for long.
	ReminderWindow time.Duration
	// CatchUpDays bounds how many days back a daily run covers (60).
	CatchUpDays int
	// DailyLease is how long a daily run may take before another instance
	// may take it over (15m); the run is cancelled at that point.
	DailyLease time.Duration
	// MaxAttempts bounds the attempts on one period (3).
	MaxAttempts int
	// Eraser, when set, runs the daily erasure of leavers' data.
	Eraser Eraser
	// Internships, when set, runs the daily internship-length check.
	Internships Internships
	// HistoryRetention is how long handled notifications and consumed
	// outbox events are kept (90 days; at least MinHistoryRetention).
	HistoryRetention time.Duration
}

// MinHistoryRetention is the shortest HistoryRetention: longer than any
// look-back of a job that records events (the anniversaries catch up to
// 60 days), so an event deleted is never recorded a second time.
const MinHistoryRetention = 61 * 24 * time.Hour

const (
	defaultEvery       = 5 * time.Minute
	defaultWindow      = 30 * time.Minute
	defaultCatchUpDays = 60
	defaultDailyLease  = 15 * time.Minute
	defaultMaxAttempts = 3
	defaultHistory     = 90 * 24 * time.Hour
)

// The jobs, as named in their claims.
const (
	JobGodtGaaet   = "godt-gaaet"    // daily, period: the Copenhagen date
	JobReminders   = "reminders"     // every slot, period: the slot's UTC start "2006-01-02T15:04Z"
	JobErasure     = "erasure"       // daily, period: the Copenhagen date
	JobInternships = "internships"   // daily, period: the Copenhagen date
	JobPrune       = "prune-runs"    // daily: deletes reminders claims older than a week
	JobHistory     = "prune-history" // daily: deletes handled notifications and consumed events past retention
	slotLayout     = "2006-01-02T15:04Z"
	keepSlotRuns   = 7 * 24 * time.Hour
	maxErrorLen    = 300
)

// Names lists every job Tick runs, for those who watch them (the metrics
// of when each last finished).
func Names() []string {
	return []string{JobGodtGaaet, JobReminders, JobErasure, JobInternships, JobPrune, JobHistory}
}

// Runner runs the scheduled jobs. It is safe for concurrent use, and any
// number of Runners (one per instance) may share a database.
type Runner struct {
	store  Store
	roster Roster
	cfg    Config
	now    func() time.Time
	newID  func() string
	holder string

	mu      sync.Mutex
	settled map[string]string // job → latest period known to need nothing more from this runner
}

// New returns a Runner. newID must return unique IDs (UUIDv7).
func New(store Store, roster Roster, cfg Config, now func() time.Time, newID func() string) *Runner {
	if len(cfg.ReminderOffsets) == 0 {
		cfg.ReminderOffsets = []time.Duration{24 * time.Hour, 2 * time.Hour}
	}
	if cfg.Every <= 0 {
		cfg.Every = defaultEvery
	}
	if cfg.ReminderWindow <= 0 {
		cfg.ReminderWindow = defaultWindow
	}
	if cfg.CatchUpDays <= 0 {
		cfg.CatchUpDays = defaultCatchUpDays
	}
	if cfg.DailyLease <= 0 {
		cfg.DailyLease = defaultDailyLease
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = defaultMaxAttempts
	}
	if cfg.HistoryRetention <= 0 {
		cfg.HistoryRetention = defaultHistory
	}
	cfg.HistoryRetention = max(cfg.HistoryRetention, MinHistoryRetention)
	return &Runner{
		store: store, roster: roster, cfg: cfg, now: func() time.Time { return now().UTC() }, newID: newID,
		holder: newID(), settled: map[string]string{},
	}
}

// Every is how often Tick should be called.
func (r *Runner) Every() time.Duration { return r.cfg.Every }

// Tick runs whatever is due: the reminders of the current slot, then the
// daily jobs of the current Copenhagen day, each unless it ran already (here
// or on another instance). It returns every failure, joined.
func (r *Runner) Tick(ctx context.Context) error {
	_, errRem := r.Reminders(ctx)
	_, errGG := r.GodtGaaet(ctx)
	_, errPrune := r.Prune(ctx)
	_, errErase := r.Erase(ctx)
	_, errIntern := r.CheckInternships(ctx)
	_, errHistory := r.PruneHistory(ctx)
	return errors.Join(errRem, errGG, errPrune, errErase, errIntern, errHistory)
}

// PruneHistory deletes, once a day, the handled notifications and consumed
// outbox events older than the retention, so the two collections that grow
// with every event stay the size of the retention; it reports whether this
// call ran it.
func (r *Runner) PruneHistory(ctx context.Context) (bool, error) {
	now := r.now()
	return r.run(ctx, JobHistory, dayString(Today(now)), r.cfg.DailyLease, func(ctx context.Context) error {
		_, _, err := r.store.PruneHistory(ctx, now.Add(-r.cfg.HistoryRetention))
		return err
	})
}

// CheckInternships runs today's check of internships nearing their
// maximum length, unless it has run; it reports whether this call ran it.
// The warnings' dedupe keys make a repeat harmless; the claim makes one
// instance do it once a day.
func (r *Runner) CheckInternships(ctx context.Context) (bool, error) {
	if r.cfg.Internships == nil {
		return false, nil
	}
	return r.run(ctx, JobInternships, dayString(Today(r.now())), r.cfg.DailyLease, r.cfg.Internships.CheckInternships)
}

// Erase runs today's erasure of leavers whose retention period has ended,
// unless it has run; it reports whether this call ran it. Without an
// Eraser configured there is nothing to run.
func (r *Runner) Erase(ctx context.Context) (bool, error) {
	if r.cfg.Eraser == nil {
		return false, nil
	}
	return r.run(ctx, JobErasure, dayString(Today(r.now())), r.cfg.DailyLease, func(ctx context.Context) error {
		_, err := r.cfg.Eraser.EraseDue(ctx)
		return err
	})
}

// GodtGaaet runs today's anniversary scan unless it has run; it reports
// whether this call ran it.
func (r *Runner) GodtGaaet(ctx context.Context) (bool, error) {
	today := Today(r.now())
	return r.run(ctx, JobGodtGaaet, dayString(today), r.cfg.DailyLease, func(ctx context.Context) error {
		return r.godtGaaet(ctx, today)
	})
}

// Reminders records the reminders due around now unless this slot's run
// has happened; it reports whether this call ran it.
func (r *Runner) Reminders(ctx context.Context) (bool, error) {
	now := r.now()
	slot := now.Truncate(r.cfg.Every).Format(slotLayout)
	return r.run(ctx, JobReminders, slot, r.cfg.Every, func(ctx context.Context) error {
		if err := r.sessionReminders(ctx, now); err != nil {
			return err
		}
		return r.followUpReminders(ctx, now)
	})
}

// Prune deletes the reminders claims older than a week, once a day; it
// reports whether this call ran it. Daily claims are kept: one a day.
func (r *Runner) Prune(ctx context.Context) (bool, error) {
	now := r.now()
	return r.run(ctx, JobPrune, dayString(Today(now)), r.cfg.DailyLease, func(ctx context.Context) error {
		return r.store.PruneJobRuns(ctx, JobReminders, now.Add(-keepSlotRuns).Format(slotLayout))
	})
}

// isSettled reports whether this runner knows that period of job needs
// nothing more from it (finished, or given up), so a tick costs no query.
func (r *Runner) isSettled(job, period string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.settled[job] >= period
}

func (r *Runner) settle(job, period string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if period > r.settled[job] {
		r.settled[job] = period
	}
}

// run claims period of job and, if the claim is this runner's, runs fn
// within the lease and records how it ended.
func (r *Runner) run(ctx context.Context, job, period string, lease time.Duration, fn func(context.Context) error) (bool, error) {
	if r.isSettled(job, period) {
		return false, nil
	}
	claim, ok, err := r.claim(ctx, job, period, lease)
	if err != nil || !ok {
		return false, err
	}
	err = r.call(ctx, lease, fn)
	// Record the outcome even when ctx was cancelled (shutdown): a failed
	// claim is free for the next attempt at once.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err != nil {
		reason := err.Error()
		if len(reason) > maxErrorLen {
			reason = reason[:maxErrorLen]
		}
		if ferr := r.store.FailJobRun(rec, claim.ID, r.now(), reason); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return true, fmt.Errorf("%s %s (attempt %d): %w", job, period, claim.Attempt, err)
	}
	if err := r.store.FinishJobRun(rec, claim.ID, r.now()); err != nil {
		return true, fmt.Errorf("%s %s: %w", job, period, err)
	}
	r.settle(job, period)
	return true, nil
}

// call runs fn with a deadline of lease (a run that outlives its lease may
// be taken over, so it must stop) and turns a panic into an error, so a
// crashing run is recorded as failed rather than taking the server down.
func (r *Runner) call(ctx context.Context, lease time.Duration, fn func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, lease)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(ctx)
}

// claim inserts the first claim on period of job, or, when that exists but
// neither finished nor still leased, the next attempt. It reports whether
// the claim is this runner's.
func (r *Runner) claim(ctx context.Context, job, period string, lease time.Duration) (models.JobRun, bool, error) {
	now := r.now()
	c := models.JobRun{ID: job + "/" + period, Job: job, Period: period, Attempt: 1, Holder: r.holder, ClaimedAt: now, LeaseUntil: now.Add(lease)}
	err := r.store.InsertJobRun(ctx, c)
	if err == nil {
		return c, true, nil
	}
	if !apperr.Is(err, apperr.Conflict) {
		return models.JobRun{}, false, fmt.Errorf("claim %s: %w", c.ID, err)
	}
	runs, err := r.store.JobRuns(ctx, job, period)
	if err != nil {
		return models.JobRun{}, false, err
	}
	if len(runs) == 0 {
		return models.JobRun{}, false, nil // pruned since: too old to matter
	}
	last := runs[len(runs)-1]
	for _, x := range runs {
		if x.Finished() {
			r.settle(job, period)
			return models.JobRun{}, false, nil
		}
	}
	switch {
	case last.LeaseUntil.After(now):
		return models.JobRun{}, false, nil // running elsewhere, or failed a moment ago
	case last.Attempt >= r.cfg.MaxAttempts:
		r.settle(job, period) // given up; a daily job's next run catches up
		return models.JobRun{}, false, nil
	}
	c.Attempt = last.Attempt + 1
	c.ID = fmt.Sprintf("%s/%s#%d", job, period, c.Attempt)
	err = r.store.InsertJobRun(ctx, c)
	if apperr.Is(err, apperr.Conflict) {
		return models.JobRun{}, false, nil // another instance took it over first
	}
	if err != nil {
		return models.JobRun{}, false, fmt.Errorf("claim %s: %w", c.ID, err)
	}
	return c, true, nil
}

// event builds an outbox event recorded now.
func (r *Runner) event(dedupe, typ, recipient string, due time.Time, expires *time.Time, collapse string, params map[string]any) models.Event {
	now := r.now()
	if due.Before(now) {
		due = now
	}
	return models.Event{
		ID: r.newID(), DedupeKey: dedupe, Type: typ, RecipientID: recipient, Params: params,
		CreatedAt: now, DueAt: due, ExpiresAt: expires, CollapseKey: collapse, State: models.EventPending,
	}
}

// recordNew records, in one insert, the events whose dedupe key is not in
// the outbox yet (one query), so a job that looks at the same occasions
// every tick writes only what is new. RecordEvents itself is safe to repeat.
func (r *Runner) recordNew(ctx context.Context, evs []models.Event) error {
	if len(evs) == 0 {
		return nil
	}
	keys := make([]string, len(evs))
	for i, e := range evs {
		keys[i] = e.DedupeKey
	}
	known, err := r.store.RecordedEvents(ctx, keys)
	if err != nil {
		return err
	}
	fresh := slices.DeleteFunc(evs, func(e models.Event) bool { return known[e.DedupeKey] })
	return r.store.RecordEvents(ctx, fresh)
}
