package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/store"
)

// seedPassword is the one password of every account `api seed` makes. It
// is public (printed and in the README): seeded databases are for
// benchmarks, load tests and trying things out, never for real people.
const seedPassword = "jobbanken-seed-2026"

// The bounds of the seed flags.
const (
	seedMaxParticipants = 20_000
	seedMaxMonths       = 36
	seedDefaultMonths   = 12
	seedDefaultSeed     = 1
)

// seedOptions are the flags of `api seed`.
type seedOptions struct {
	participants int
	months       int
	seed         int64
	forceReseed  bool
	now          time.Time // the history ends here (the command: time.Now; tests: a fixed instant)
}

func (o seedOptions) check() error {
	var errs []error
	if o.participants < 1 || o.participants > seedMaxParticipants {
		errs = append(errs, fmt.Errorf("--participants must be 1 to %d", seedMaxParticipants))
	}
	if o.months < 1 || o.months > seedMaxMonths {
		errs = append(errs, fmt.Errorf("--months must be 1 to %d", seedMaxMonths))
	}
	return errors.Join(errs...)
}

// errSeeded and errRealData are the two refusals of `api seed`.
var (
	errSeeded   = errors.New("this database was filled by api seed already")
	errRealData = errors.New("refusing to seed: the database holds accounts api seed did not make (real data); seed an empty database")
)

// seedDatabase fills the configured database with a generated organisation
// of o.participants participants and o.months months of history, and
// prints the logins and what it wrote. It refuses a database with real
// accounts, and one it filled before unless o.forceReseed, which drops
// that database first.
func seedDatabase(ctx context.Context, cfg config, o seedOptions, out io.Writer) error {
	if err := o.check(); err != nil {
		return err
	}
	began := time.Now()
	if cfg.embedded() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("create DATA_DIR: %w", err)
		}
	}
	st, closeDB, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler), nil, func() time.Time { return o.now })
	if err != nil {
		return err
	}
	defer closeDB()
	hasAccounts, marker, err := st.SeedState(ctx)
	if err != nil {
		return err
	}
	switch {
	case marker != nil && !o.forceReseed:
		state := "broke off half-way"
		if marker.FinishedAt != nil {
			state = fmt.Sprintf("%d participants, %s up to %s", marker.Participants, monthsOf(marker.Months), marker.AsOf.Format(time.DateOnly))
		}
		return fmt.Errorf("%w (%s); --force-reseed drops it and seeds again", errSeeded, state)
	case marker != nil:
		if err := st.DropSeeded(ctx); err != nil {
			return err
		}
	case hasAccounts:
		return errRealData
	}
	hash, err := auth.HashPassword(seedPassword) // once: a salted hash verifies for any account
	if err != nil {
		return err
	}
	if err := st.MarkSeeded(ctx, store.SeedMarker{Participants: o.participants, Months: o.months, Seed: o.seed,
		AsOf: o.now.UTC(), CreatedAt: time.Now().UTC()}); err != nil {
		return err
	}
	reminders := cfg.ReminderOffsets
	if len(reminders) == 0 {
		reminders = []time.Duration{24 * time.Hour, 2 * time.Hour} // jobs.New's default
	}
	g := newSeedGen(seedConfig{participants: o.participants, months: o.months, seed: o.seed, now: o.now,
		reminders: reminders, passwordHash: hash}, st)
	if err := g.run(ctx); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := st.FinishSeeded(ctx, g.counts, time.Now().UTC()); err != nil {
		return err
	}
	g.report(out, time.Since(began))
	return nil
}

func monthsOf(n int) string {
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}

func (g *seedGen) deptName(id string) string {
	for _, d := range g.depts {
		if d.ID == id {
			return d.Name
		}
	}
	return ""
}

// report prints the logins, the password and the documents written.
func (g *seedGen) report(out io.Writer, took time.Duration) {
	fmt.Fprintf(out, "Seeded %d participants with %s of history up to %s (seed %d) in %s.\n\n",
		g.cfg.participants, monthsOf(g.cfg.months), g.now.In(g.loc).Format("2006-01-02 15:04"), g.cfg.seed, took.Round(100*time.Millisecond))
	fmt.Fprintf(out, "Logins (one password for all: %s)\n", seedPassword)
	fmt.Fprintf(out, "  %-12s %s\n", "admin", g.admin.Login)
	names := make([]string, len(g.depts))
	for i, d := range g.depts {
		names[i] = d.Name
	}
	for i, c := range g.coordinators {
		if i == 3 && len(g.coordinators) > 4 {
			fmt.Fprintf(out, "  %-12s … %s (one per department)\n", "coordinator", g.coordinators[len(g.coordinators)-1].Login)
			break
		}
		fmt.Fprintf(out, "  %-12s %s (%s)\n", "coordinator", c.Login, names[i])
	}
	for i, c := range g.counselors {
		if i == 3 && len(g.counselors) > 4 {
			fmt.Fprintf(out, "  %-12s … %s (%d counselors)\n", "counselor", g.counselors[len(g.counselors)-1].Login, len(g.counselors))
			break
		}
		fmt.Fprintf(out, "  %-12s %s (%s, %s)\n", "counselor", c.Login, c.Name, g.deptName(c.DepartmentID))
	}
	for _, p := range g.people[:min(3, len(g.people))] {
		fmt.Fprintf(out, "  %-12s %s (%s, counselor %s)\n", "participant", p.user.Login, p.user.Name, p.counselor.Login)
	}
	last := g.people[len(g.people)-1].user.Login
	fmt.Fprintf(out, "  %-12s deltagerNNNNN@%s, from %s to %s\n\n", "participants", seedDomain, g.people[0].user.Login, last)
	fmt.Fprintf(out, "Departments: %s\n\n", strings.Join(names, ", "))

	cols := make([]string, 0, len(g.counts))
	total := 0
	for col, n := range g.counts {
		cols = append(cols, col)
		total += n
	}
	slices.Sort(cols)
	fmt.Fprintln(out, "Documents written:")
	for _, col := range cols {
		fmt.Fprintf(out, "  %-22s %9d\n", col, g.counts[col])
	}
	fmt.Fprintf(out, "  %-22s %9d\n", "total", total)
}
