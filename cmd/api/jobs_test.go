package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
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
	for _, job := range []string{jobs.JobReminders, jobs.JobGodtGaaet, jobs.JobPrune} {
		var run models.JobRun
		eventually(t, job+" finishing a run", func() bool {
			r, ok, err := st.LastFinishedJobRun(ctx, job)
			if err != nil {
				t.Fatal(err)
			}
			run = r
			return ok
		})
		if run.Attempt != 1 || run.FailedAt != nil {
			t.Errorf("%s: %+v, want a first attempt that finished", job, run)
		}
	}
}

// An operator can alert on a stalled worker: /metrics says when each
// background task last finished a round and when each scheduled job last
// ran; with METRICS_ADDR it is served there alone, not on the API port.
func TestMetricsShowBackgroundWork(t *testing.T) {
	opened := make(chan *store.Store, 1)
	metricsAt := make(chan string, 1)
	base, _ := launchConfigured(t, "admin@metrics.example", serveOptions{opened: opened, jobsAfter: time.Millisecond, metricsReady: metricsAt},
		func(c *config) { c.MetricsAddr = "127.0.0.1:0" })
	st := <-opened
	addr := <-metricsAt
	ctx := context.Background()
	eventually(t, "the daily job finishing a run", func() bool {
		_, ok, err := st.LastFinishedJobRun(ctx, jobs.JobGodtGaaet)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	})
	var body string
	eventually(t, "the background tasks in the metrics", func() bool {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
		return strings.Contains(body, `jobkunde_background_last_success_timestamp_seconds{task="scheduled_jobs"}`) &&
			strings.Contains(body, `jobkunde_background_last_success_timestamp_seconds{task="notifications"}`)
	})
	for _, want := range []string{`jobkunde_job_last_finished_timestamp_seconds{job="godt-gaaet"}`, `jobkunde_background_failures_total{task="notifications"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the API port with METRICS_ADDR set: %d, want 404", resp.StatusCode)
	}
}
