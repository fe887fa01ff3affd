package main

import (
	"context"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/store"
)

// TestServeRunsScheduledJobs checks the wiring: serve ticks the scheduled
// jobs, each run is claimed and finished in the server's database, and
// serve still stops cleanly (launch's cleanup checks its error).
func TestServeRunsScheduledJobs(t *testing.T) {
	opened := make(chan *store.Store, 1)
	launchWith(t, "admin@jobs.example", serveOptions{opened: opened, jobsAfter: time.Millisecond})
	st := <-opened
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for _, job := range []string{jobs.JobReminders, jobs.JobGodtGaaet, jobs.JobPrune} {
		for {
			run, ok, err := st.LastFinishedJobRun(ctx, job)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				if run.Attempt != 1 || run.FailedAt != nil {
					t.Errorf("%s: %+v, want a first attempt that finished", job, run)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never finished a run", job)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
