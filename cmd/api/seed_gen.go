package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/work"
)

// seedConfig is what one seed run generates.
type seedConfig struct {
	participants int
	months       int
	seed         int64
	now          time.Time       // the history runs up to now; a little lies ahead (upcoming sessions)
	reminders    []time.Duration // REMINDER_OFFSETS, so the reminders job finds its keys taken
	passwordHash string          // one argon2id hash of seedPassword, shared by every account
}

// seedDomain is the email domain of every seeded login.
const seedDomain = "seed.jobbanken.dk"

// Streams of the generator's PRNG: each part of the data set draws from its
// own stream (one per participant where it is per participant), so what one
// part draws never shifts another and a run is reproducible from the seed.
const (
	streamStaff uint64 = iota + 1
	streamPerson
	streamActivities
	streamSignUp
	streamQueue
	streamHistory
	streamCheckIns
	streamLeavers
)

// seedPerson is a generated participant and what later passes need of them.
type seedPerson struct {
	idx       int
	user      models.User
	dept      int
	counselor models.User
	active    time.Time // when their history starts: activation, or the window's start
}

// seedGen generates a data set and writes it through the store.
type seedGen struct {
	cfg     seedConfig
	st      *store.Store
	loc     *time.Location
	now     time.Time
	from    time.Time // the window's start: now minus the months
	horizon time.Time // upcoming sessions are planned up to here

	depts        []models.Department
	admin        models.User
	coordinators []models.User // one per department
	counselors   []models.User
	deptCounsel  [][]models.User // counselors by department
	people       []*seedPerson
	users        map[string]models.User
	acts         map[string]models.Activity
	runs         [][]*seedRun // by department
	checkIns     [][]models.CheckIn
	noPush       map[string]bool // participants who did not consent to push
	told         map[string]bool // the dedupe keys of the events told so far

	bufs   map[string][]any
	order  []string
	counts map[string]int
}

func newSeedGen(cfg seedConfig, st *store.Store) *seedGen {
	now := cfg.now.UTC()
	return &seedGen{
		cfg: cfg, st: st, loc: models.Copenhagen(), now: now, from: now.AddDate(0, -cfg.months, 0),
		horizon: now.AddDate(0, 0, 56),
		users:   map[string]models.User{}, acts: map[string]models.Activity{}, noPush: map[string]bool{}, told: map[string]bool{},
		bufs: map[string][]any{}, counts: map[string]int{},
	}
}

// run generates and writes the whole data set.
func (g *seedGen) run(ctx context.Context) error {
	g.makePeople()
	if err := g.writePeople(ctx); err != nil {
		return err
	}
	g.makeActivities()
	g.makeCheckIns()
	steps := []func(context.Context) error{g.writeCatalogue, g.writeEnrollments, g.writeHistories, g.writeCheckIns, g.writeSavedReplies, g.writeLeavers}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return g.flushAll(ctx)
}

// put queues doc for collection col and writes a full batch.
func (g *seedGen) put(ctx context.Context, col string, doc any) error {
	if _, ok := g.bufs[col]; !ok {
		g.order = append(g.order, col)
	}
	g.bufs[col] = append(g.bufs[col], doc)
	g.counts[col]++
	if len(g.bufs[col]) >= 1000 {
		return g.flush(ctx, col)
	}
	return nil
}

func (g *seedGen) flush(ctx context.Context, col string) error {
	if len(g.bufs[col]) == 0 {
		return nil
	}
	err := g.st.SeedInsert(ctx, col, g.bufs[col])
	g.bufs[col] = g.bufs[col][:0]
	return err
}

func (g *seedGen) flushAll(ctx context.Context) error {
	for _, col := range g.order {
		if err := g.flush(ctx, col); err != nil {
			return err
		}
	}
	return nil
}

// rng returns the PRNG of one stream; i tells apart the streams of one
// kind (the participant's index).
func (g *seedGen) rng(stream uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.cfg.seed), stream<<32|uint64(i)))
}

// v7 returns a UUIDv7 for a document made at t: its 48-bit millisecond
// timestamp is t (so IDs sort as the history happened, as paging by _id
// expects) and its random bits come from r (so a run is reproducible).
func v7(r *rand.Rand, t time.Time) string {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	a, b := r.Uint64(), r.Uint64()
	u[6], u[7] = 0x70|byte(a>>8)&0x0f, byte(a)
	u[8] = 0x80 | byte(b>>56)&0x3f
	for i := 9; i < 16; i++ {
		u[i] = byte(b >> (8 * (15 - i)))
	}
	return u.String()
}

// uuid4 returns a random-looking UUID from r (client message IDs, request IDs).
func uuid4(r *rand.Rand) string {
	var u uuid.UUID
	a, b := r.Uint64(), r.Uint64()
	for i := range 8 {
		u[i], u[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	u[6] = 0x40 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u.String()
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns a duration from a to b.
func between(r *rand.Rand, a, b time.Duration) time.Duration {
	if b <= a {
		return a
	}
	return a + time.Duration(r.Int64N(int64(b-a)+1))
}

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// midnight is the local start of t's Copenhagen day.
func (g *seedGen) midnight(t time.Time) time.Time {
	y, m, d := t.In(g.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, g.loc)
}

// clock is the instant of the local clock time hh:mm on t's day.
func (g *seedGen) clock(t time.Time, hh, mm int) time.Time {
	y, m, d := t.In(g.loc).Date()
	return time.Date(y, m, d, hh, mm, 0, 0, g.loc).UTC()
}

func (g *seedGen) date(t time.Time) string { return t.In(g.loc).Format(time.DateOnly) }

// office moves t into a counselor's default office hours (working days,
// 09:00–15:00 Copenhagen): t itself when it is within them.
func (g *seedGen) office(r *rand.Rand, t time.Time) time.Time {
	d := g.midnight(t)
	for range 30 {
		if work.IsWorkingDay(d) {
			open, closes := g.clock(d, 9, 0), g.clock(d, 15, 0)
			if t.Before(open) {
				return open.Add(between(r, 0, 90*time.Minute))
			}
			if t.Before(closes) {
				return t.UTC()
			}
		}
		d = d.AddDate(0, 0, 1)
	}
	return t.UTC()
}

// seedCounts is how many departments and counselors N participants get: three
// offices up to 1,500 participants, then one per 500; a counselor per 125.
func seedCounts(n int) (depts, counselors int) {
	depts = 3
	if n > 1500 {
		depts = min(len(seedCities), (n+499)/500)
	}
	return depts, max(1, (n+124)/125)
}

func seedLogin(kind string, n int) string {
	return fmt.Sprintf("%s%s@%s", kind, seqNo(kind, n), seedDomain)
}

// seqNo numbers logins with a fixed width per kind, so they sort.
func seqNo(kind string, n int) string {
	switch kind {
	case "deltager":
		return fmt.Sprintf("%05d", n)
	case "vejleder":
		return fmt.Sprintf("%03d", n)
	}
	return fmt.Sprintf("%02d", n)
}

func seedName(r *rand.Rand) string { return pick(r, seedFirstNames) + " " + pick(r, seedLastNames) }

// makePeople creates the departments, staff and participants.
func (g *seedGen) makePeople() {
	nd, nc := seedCounts(g.cfg.participants)
	r := g.rng(streamStaff, 0)
	base := g.from.AddDate(-3, 0, 0)
	for i := range nd {
		at := base.Add(time.Duration(i) * time.Minute)
		g.depts = append(g.depts, models.Department{ID: v7(r, at), Name: seedCities[i], CreatedAt: at})
	}
	staff := func(role models.Role, login string, dept string, at time.Time) models.User {
		act := at.Add(time.Hour)
		u := models.User{ID: v7(r, at), Role: role, Name: seedName(r), DepartmentID: dept, Status: models.StatusActive,
			Login: login, Email: login, PasswordHash: g.cfg.passwordHash, CreatedAt: at, ActivatedAt: &act}
		g.users[u.ID] = u
		return u
	}
	g.admin = staff(models.RoleAdmin, "admin@"+seedDomain, "", base.Add(time.Hour))
	for i, d := range g.depts {
		g.coordinators = append(g.coordinators, staff(models.RoleCoordinator, seedLogin("koordinator", i+1), d.ID, base.AddDate(0, 0, 1+i)))
	}
	g.deptCounsel = make([][]models.User, nd)
	for j := range nc {
		d := j % nd
		c := staff(models.RoleCounselor, seedLogin("vejleder", j+1), g.depts[d].ID, base.AddDate(0, 0, 7+3*j))
		g.counselors = append(g.counselors, c)
		g.deptCounsel[d] = append(g.deptCounsel[d], c)
	}
	span := g.now.Sub(g.from)
	for i := range g.cfg.participants {
		r := g.rng(streamPerson, i)
		c := g.counselors[i%nc]
		name := seedName(r) // first: the same seed names the same people, whatever the date
		var created time.Time
		if chance(r, 0.9) { // most were with Jobbanken before the window
			created = g.from.Add(-between(r, days(30), days(6*365)))
		} else {
			created = g.from.Add(between(r, 0, span-days(21)))
		}
		created = created.Truncate(time.Second)
		activated := created.Add(between(r, 2*time.Hour, days(6)))
		login := seedLogin("deltager", i+1)
		u := models.User{
			ID: v7(r, created), Role: models.RoleParticipant, Name: name, DepartmentID: c.DepartmentID, CounselorID: c.ID,
			Status: models.StatusActive, Login: login, Email: login, Phone: fmt.Sprintf("+452%07d", i+1),
			PasswordHash: g.cfg.passwordHash, CreatedAt: created, ActivatedAt: &activated,
		}
		g.users[u.ID] = u
		dept := 0
		for k, d := range g.depts {
			if d.ID == c.DepartmentID {
				dept = k
			}
		}
		g.people = append(g.people, &seedPerson{idx: i, user: u, dept: dept, counselor: c, active: laterOf(activated, g.from)})
	}
}

// writePeople writes the departments, the accounts and their logins.
func (g *seedGen) writePeople(ctx context.Context) error {
	for _, d := range g.depts {
		if err := g.st.InsertDepartment(ctx, d); err != nil {
			return fmt.Errorf("seed department %s: %w", d.Name, err)
		}
	}
	g.counts["departments"] = len(g.depts)
	all := append([]models.User{g.admin}, g.coordinators...)
	all = append(all, g.counselors...)
	for _, p := range g.people {
		all = append(all, p.user)
	}
	claims := make([]store.LoginClaim, len(all))
	for i, u := range all {
		claims[i] = store.LoginClaim{Login: u.Login, UserID: u.ID}
		if err := g.put(ctx, "users", u); err != nil {
			return err
		}
	}
	if err := g.st.SeedLogins(ctx, claims); err != nil {
		return err
	}
	g.counts["logins"] = len(claims)
	return nil
}

// tell records event e as consumed, with the notification the worker made
// of it and what became of that: pushed (or in the inbox only, without
// push consent) and, unless recent, mostly read. Events not yet due are
// left out (the live jobs record those), and so are events from before the
// window, like the rest of the day-to-day history.
func (g *seedGen) tell(ctx context.Context, r *rand.Rand, e models.Event) error {
	if e.DueAt.IsZero() {
		e.DueAt = e.CreatedAt
	}
	if e.DueAt.After(g.now) || e.CreatedAt.After(g.now) || e.CreatedAt.Before(g.from) {
		return nil
	}
	u, ok := g.users[e.RecipientID]
	if !ok {
		return fmt.Errorf("seed event %s: no recipient %s", e.DedupeKey, e.RecipientID)
	}
	if g.told[e.DedupeKey] {
		return fmt.Errorf("seed event: dedupe key %s twice", e.DedupeKey)
	}
	g.told[e.DedupeKey] = true
	e.ID, e.State = v7(r, e.CreatedAt), models.EventConsumed
	made := earlierOf(e.CreatedAt.Add(between(r, time.Second, 5*time.Second)), g.now)
	n := notifications.NotificationFor(e, u, g.users, g.acts, v7(r, made), made)
	sent := earlierOf(laterOf(n.DueAt, made).Add(between(r, time.Second, 4*time.Second)), g.now)
	switch {
	case n.ExpiresAt != nil && !n.ExpiresAt.After(sent):
		n.State = models.NotifyExpired
	case g.noPush[u.ID]:
		n.State = models.NotifyInboxOnly
	default:
		n.State, n.SentAt = models.NotifySent, &sent
	}
	age := g.now.Sub(n.DueAt)
	if (age > days(2) && chance(r, 0.85)) || (age > time.Hour && chance(r, 0.3)) {
		read := earlierOf(n.DueAt.Add(between(r, 5*time.Minute, earlierOf(g.now, n.DueAt.Add(days(2))).Sub(n.DueAt))), g.now)
		n.ReadAt = &read
	}
	if err := g.put(ctx, "outbox", e); err != nil {
		return err
	}
	return g.put(ctx, "notifications", n)
}

// makeCheckIns plans a "Hvordan går det?" to each department every month,
// sent by one of its counselors (the admin where it has none).
func (g *seedGen) makeCheckIns() {
	r := g.rng(streamCheckIns, 0)
	g.checkIns = make([][]models.CheckIn, len(g.depts))
	for d, dept := range g.depts {
		sender := g.admin.ID
		if len(g.deptCounsel[d]) > 0 {
			sender = g.deptCounsel[d][0].ID
		}
		for k := 0; ; k++ {
			at := g.office(r, g.clock(g.from.AddDate(0, k, 10+d), 10, 0))
			if !at.Before(g.now.Add(-time.Hour)) {
				break
			}
			sent := at.Add(time.Minute)
			c := models.CheckIn{ID: v7(r, at), SenderID: sender, DepartmentID: dept.ID, CreatedAt: at, ClosesAt: at.AddDate(0, 0, 7), SentAt: &sent}
			for _, p := range g.people {
				if p.dept == d && p.user.ActivatedAt.Before(at) {
					c.Recipients++
				}
			}
			g.checkIns[d] = append(g.checkIns[d], c)
		}
	}
}

func (g *seedGen) writeCheckIns(ctx context.Context) error {
	for _, list := range g.checkIns {
		for _, c := range list {
			if err := g.put(ctx, "checkins", c); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSavedReplies gives every counselor a few canned texts.
func (g *seedGen) writeSavedReplies(ctx context.Context) error {
	r := g.rng(streamStaff, 1)
	for _, c := range g.counselors {
		for k, sr := range seedSavedReplies {
			at := c.CreatedAt.AddDate(0, 0, 2+k)
			if err := g.put(ctx, "saved_replies", models.SavedReply{ID: v7(r, at), CounselorID: c.ID, Title: sr.title, Text: sr.text, CreatedAt: at}); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeLeavers adds the anonymous records of participants who left and
// were erased: about a fifth of the participants a year.
func (g *seedGen) writeLeavers(ctx context.Context) error {
	r := g.rng(streamLeavers, 0)
	n := int(math.Round(float64(g.cfg.participants) * 0.2 * float64(g.cfg.months) / 12))
	reasons := []models.LeaveReason{models.LeaveNoLongerWanted, models.LeaveNoLongerWanted, models.LeaveNoLongerWanted,
		models.LeaveFlexjob, models.LeaveOldAgePension, models.LeavePoorMatch, models.LeaveNoConsent, models.LeaveOther}
	earliest, latest := g.from.Add(-days(90)), g.now.Add(-days(91)) // erased 90 days after leaving
	for range n {
		left := earliest.Add(between(r, 0, latest.Sub(earliest)))
		l := models.LeaverRecord{ID: v7(r, left), DepartmentID: pick(r, g.depts).ID, Reason: pick(r, reasons),
			LeftYear: left.In(g.loc).Year(), AccessLogEntries: r.IntN(60)}
		if chance(r, 0.75) {
			l.Consented = true
			started := left.Add(-between(r, days(180), days(8*365)))
			l.StartedOn, l.LeftOn = g.date(started), g.date(left)
			for k := range r.IntN(3) {
				s := started.Add(days(float64(60 + 200*k)))
				if !s.Before(left) {
					break
				}
				typ := pick(r, []models.EmploymentType{models.EmploymentInternship, models.EmploymentWageSubsidy, models.EmploymentOrdinary})
				l.Employments = append(l.Employments, models.EmploymentOutcome{Type: typ, StartDate: g.date(s), EndDate: g.date(earlierOf(s.Add(days(150)), left))})
			}
		}
		if err := g.put(ctx, "leavers", l); err != nil {
			return err
		}
	}
	return nil
}

// asciiFold turns a name into something an email address holds.
func asciiFold(s string) string {
	return strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa", " ", "", "'", "").Replace(strings.ToLower(s))
}
