package jobs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// The generated data set of BenchmarkDailyScan: Jobbanken at national scale.
const (
	benchDB           = "bench_daily_scan"
	benchParticipants = 100_000
	benchDepartments  = 10
	benchCounselors   = 800 // about 8 for 1,000 participants
	benchCoordinators = 3   // per department
	benchYears        = 12  // start dates spread over the last 12 years
)

// benchFirstDay is the first day the benchmark runs: each run is the next day.
var benchFirstDay = day("2026-11-23")

// benchData is built once per process and dropped by TestMain.
var benchData struct {
	once    sync.Once
	err     error
	built   bool
	nextDay int // the day offset of the next run
	mu      sync.Mutex
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchData.built {
		if db, closeDB, err := storetest.Open(benchDB, nil); err == nil {
			_ = db.Drop(context.Background())
			closeDB()
		}
	}
	os.Exit(code)
}

// generate writes the data set: participants in ten departments with their
// counselors and coordinators; about 55 % have a current job and 15 % an
// earlier one that ended (types as in Jobbanken's mix, a few internships and
// flexjobs among them), starts spread evenly over twelve years.
func generate(ctx context.Context, db *mongo.Database) error {
	if err := db.Drop(ctx); err != nil {
		return err
	}
	if err := store.New(db, time.Now).EnsureIndexes(ctx); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(6, 2026))
	now, err := storetest.Start() // JOBKUNDE_TEST_NOW, else the real time
	if err != nil {
		return err
	}
	batches := map[string][]any{}
	flush := func(col string, force bool) error {
		if len(batches[col]) == 0 || (!force && len(batches[col]) < 1000) {
			return nil
		}
		_, err := db.Collection(col).InsertMany(ctx, batches[col])
		batches[col] = batches[col][:0]
		return err
	}
	add := func(col string, doc any) error {
		batches[col] = append(batches[col], doc)
		return flush(col, false)
	}
	dept := func(i int) string { return fmt.Sprintf("dept-%02d", i%benchDepartments) }
	for i := range benchCounselors {
		if err := add("users", models.User{ID: fmt.Sprintf("c-%04d", i), Role: models.RoleCounselor, Name: "Vejleder", DepartmentID: dept(i), Status: models.StatusActive, CreatedAt: now}); err != nil {
			return err
		}
	}
	for i := range benchDepartments * benchCoordinators {
		if err := add("users", models.User{ID: fmt.Sprintf("co-%03d", i), Role: models.RoleCoordinator, Name: "Koordinator", DepartmentID: dept(i), Status: models.StatusActive, CreatedAt: now}); err != nil {
			return err
		}
	}
	span := int(benchFirstDay.Sub(benchFirstDay.AddDate(-benchYears, 0, 0)) / (24 * time.Hour))
	types := []models.EmploymentType{models.EmploymentWageSubsidy, models.EmploymentWageSubsidy, models.EmploymentWageSubsidy,
		models.EmploymentOrdinary, models.EmploymentOrdinary, models.EmploymentOrdinary, models.EmploymentOrdinary,
		models.EmploymentWageSubsidy, models.EmploymentInternship, models.EmploymentFlexjob}
	employ := func(p, n int, start time.Time, ended bool) error {
		e := models.Employment{ID: fmt.Sprintf("e-%06d-%d", p, n), ParticipantID: fmt.Sprintf("p-%06d", p),
			Company: models.Company{Name: "Virksomhed"}, Type: types[rng.IntN(len(types))], StartDate: start.Format(time.DateOnly),
			HourlyWageOre: 150_00, WeeklyMinutes: 600, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := add("employments", e); err != nil {
			return err
		}
		if !ended {
			return nil
		}
		last := start.AddDate(0, 0, rng.IntN(int(benchFirstDay.Sub(start)/(24*time.Hour))+1))
		return add("employment_ends", models.EmploymentEnd{EmploymentID: e.ID, ParticipantID: e.ParticipantID, EndDate: last.Format(time.DateOnly),
			Reason: models.EndCompanyEnded, At: now, ByID: "c-0000", ByRole: models.RoleCounselor})
	}
	for p := range benchParticipants {
		d := p % benchDepartments
		counselor := fmt.Sprintf("c-%04d", d+benchDepartments*rng.IntN(benchCounselors/benchDepartments))
		if err := add("users", models.User{ID: fmt.Sprintf("p-%06d", p), Role: models.RoleParticipant, Name: "Jobkunde",
			DepartmentID: dept(d), CounselorID: counselor, Status: models.StatusActive, CreatedAt: now}); err != nil {
			return err
		}
		if rng.IntN(100) < 55 {
			if err := employ(p, 1, benchFirstDay.AddDate(0, 0, -7-rng.IntN(span-7)), false); err != nil {
				return err
			}
		}
		if rng.IntN(100) < 15 {
			if err := employ(p, 2, benchFirstDay.AddDate(0, 0, -30-rng.IntN(span-30)), true); err != nil {
				return err
			}
		}
	}
	for _, col := range []string{"users", "employments", "employment_ends"} {
		if err := flush(col, true); err != nil {
			return err
		}
	}
	return nil
}

// returned counts the documents a command's reply carries (find, getMore).
func returned(reply bson.Raw) int64 {
	cur, ok := reply.Lookup("cursor").DocumentOK()
	if !ok {
		return 0
	}
	for _, batch := range []string{"firstBatch", "nextBatch"} {
		if arr, ok := cur.Lookup(batch).ArrayOK(); ok {
			vals, _ := arr.Values()
			return int64(len(vals))
		}
	}
	return 0
}

// BenchmarkDailyScan runs the daily "Godt Gået" scan, one day per
// iteration, over 100,000 generated participants, and reports the database
// commands, documents read (returned) and events recorded per run.
//
//	go test ./jobs -run XXX -bench DailyScan -benchtime 20x
func BenchmarkDailyScan(b *testing.B) {
	ctx := context.Background()
	benchData.once.Do(func() {
		db, closeDB, err := storetest.Open(benchDB, nil)
		if err != nil {
			benchData.err = err
			return
		}
		defer closeDB()
		started := time.Now()
		benchData.built = true
		benchData.err = generate(ctx, db)
		b.Logf("generated %d participants in %s", benchParticipants, time.Since(started).Round(time.Second))
	})
	if benchData.err != nil {
		b.Fatal(benchData.err)
	}
	var cmds, docs, events atomic.Int64
	var timeMu sync.Mutex
	timeBy := map[string]time.Duration{}
	monitor := &event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			cmds.Add(1)
			if e.CommandName == "insert" && e.Command.Lookup("insert").StringValue() == "outbox" {
				inserted, _ := e.Command.Lookup("documents").Array().Values()
				events.Add(int64(len(inserted)))
			}
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			docs.Add(returned(e.Reply))
			timeMu.Lock()
			timeBy[e.CommandName] += e.Duration
			timeMu.Unlock()
		},
	}
	db, closeDB, err := storetest.Open(benchDB, monitor)
	if err != nil {
		b.Fatal(err)
	}
	defer closeDB()
	clk := storetest.NewClock(time.Time{})
	st := store.New(db, clk.Now)
	r := jobs.New(st, activity.New(st, availability.New(st, clk.Now, newID), clk.Now, newID), jobs.Config{}, clk.Now, newID)
	benchData.mu.Lock()
	defer benchData.mu.Unlock()
	cmds.Store(0)
	docs.Store(0)
	events.Store(0)
	b.ResetTimer()
	for range b.N {
		d := benchFirstDay.AddDate(0, 0, benchData.nextDay)
		benchData.nextDay++
		clk.Set(jobs.At(d, 0).Add(5 * time.Minute))
		if ran, err := r.GodtGaaet(ctx); err != nil || !ran {
			b.Fatalf("run for %s: ran %v, %v", d.Format(time.DateOnly), ran, err)
		}
	}
	b.StopTimer()
	for name, d := range timeBy {
		timeBy[name] = d.Round(time.Millisecond)
	}
	b.Logf("database time by command over %d runs: %v", b.N, timeBy)
	n := float64(b.N)
	b.ReportMetric(float64(cmds.Load())/n, "db-cmds/run")
	b.ReportMetric(float64(docs.Load())/n, "docs-read/run")
	b.ReportMetric(float64(events.Load())/n, "events/run")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/n, "ms/run")
}
