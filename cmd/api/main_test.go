package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// testNow is the clock of every test server and of every date a test
// works out: it starts at JOBKUNDE_TEST_NOW when set (.ci/run runs the
// suite at fixed instants: a year end, 29 February, DST days, a public
// holiday), else at the real time, and then runs on. No test here reads
// the date from time.Now.
var testNow func() time.Time

func TestMain(m *testing.M) {
	if dir := os.Getenv(engineDirEnv); dir != "" { // the database process of TestDatabaseOutage
		os.Exit(runEngine(dir, os.Getenv(engineAddrEnv)))
	}
	start, err := storetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testNow = storetest.Running(start)
	if os.Getenv(storetest.NowEnv) != "" {
		fmt.Printf("cmd/api tests run as of %s\n", start.In(time.FixedZone("", 0)).Format(time.RFC3339))
	}
	code := m.Run()
	if err := writeShapeReport(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = max(code, 1)
	}
	os.Exit(code)
}

// plannedBasis is the basis of an estimate made today for someone with
// agreed hours: "plan", except on 31 December, when no day is left to plan
// and the estimate is what was earned ("ytd_only").
func plannedBasis() string {
	if lastDayOfYear() {
		return "ytd_only"
	}
	return "plan"
}

// lastDayOfYear reports whether the suite runs on 31 December (Copenhagen),
// when this year's estimate is a result, not a projection.
func lastDayOfYear() bool {
	_, m, d := testNow().In(models.Copenhagen()).Date()
	return m == time.December && d == 31
}

// eventually polls cond every 50 ms until it holds, failing the test after
// 20 s (the worker runs every 100 ms, the jobs a millisecond after start).
// It times with a timer and reads no date from the clock.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
