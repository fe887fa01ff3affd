package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/store"
)

// background records, for /metrics, when each background task of this
// instance last finished a round without error and how many rounds failed,
// so an operator can alert on a stalled worker.
type background struct {
	lastOK   *prometheus.GaugeVec
	failures *prometheus.CounterVec
	now      func() time.Time
}

func newBackground(reg prometheus.Registerer, now func() time.Time) *background {
	b := &background{
		lastOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "jobkunde_background_last_success_timestamp_seconds",
			Help: "When this instance's background task last finished a round without error (Unix time): sweep, notifications, scheduled_jobs.",
		}, []string{"task"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobkunde_background_failures_total",
			Help: "Rounds of this instance's background task that failed.",
		}, []string{"task"}),
		now: now,
	}
	reg.MustRegister(b.lastOK, b.failures)
	return b
}

// track wraps one round of task so that its outcome reaches the metrics.
func (b *background) track(task string, round func(context.Context) error) func(context.Context) error {
	b.failures.WithLabelValues(task) // present at 0 before the first failure
	return func(ctx context.Context) error {
		if err := round(ctx); err != nil {
			if ctx.Err() == nil {
				b.failures.WithLabelValues(task).Inc()
			}
			return err
		}
		b.lastOK.WithLabelValues(task).Set(float64(b.now().Unix()))
		return nil
	}
}

// jobRuns exports when each scheduled job last finished a run, by any
// instance, read from the database at scrape time: the daily jobs are
// claimed by one instance each day, so the question "did the anniversaries
// run today?" is the database's to answer, not one instance's.
type jobRuns struct {
	st   *store.Store
	desc *prometheus.Desc
}

func newJobRuns(st *store.Store) *jobRuns {
	return &jobRuns{st: st, desc: prometheus.NewDesc("jobkunde_job_last_finished_timestamp_seconds",
		"When the scheduled job last finished a run on any instance (Unix time); absent before its first run.", []string{"job"}, nil)}
}

// Describe implements prometheus.Collector.
func (j *jobRuns) Describe(ch chan<- *prometheus.Desc) { ch <- j.desc }

// Collect implements prometheus.Collector. A job whose last run cannot be
// read is left out of the scrape (the database's state shows on /readyz).
func (j *jobRuns) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, job := range jobs.Names() {
		run, ok, err := j.st.LastFinishedJobRun(ctx, job)
		if err != nil || !ok || run.FinishedAt == nil {
			continue
		}
		ch <- prometheus.MustNewConstMetric(j.desc, prometheus.GaugeValue, float64(run.FinishedAt.Unix()), job)
	}
}

// serveMetrics serves /metrics alone on addr (METRICS_ADDR) until ctx ends,
// so the API port carries no unauthenticated operations data. ready, if
// set, receives the listening address.
func serveMetrics(ctx context.Context, addr string, reg *prometheus.Registry, log *slog.Logger, ready chan<- string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Info("metrics listening", "addr", ln.Addr().String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
