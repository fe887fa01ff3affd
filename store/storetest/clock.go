package storetest

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Clock is a settable clock for tests, safe for concurrent use: pass its
// Now where a service takes a clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// NowEnv names the environment variable that sets the instant the
// date-sensitive suites run at: an RFC 3339 time such as
// 2027-12-31T23:30:00+01:00. Unset, they run at the real time. .ci/run runs
// them at each of its fixed instants as well as at the real time.
const NowEnv = "JOBKUNDE_TEST_NOW"

// Start returns the instant a date-sensitive suite starts at: NowEnv when
// set, else the real time (read here, once). An unparsable NowEnv is an
// error, never silently today.
func Start() (time.Time, error) {
	v := os.Getenv(NowEnv)
	if v == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q: want an RFC 3339 time such as 2027-12-31T23:30:00+01:00: %w", NowEnv, v, err)
	}
	return t.UTC(), nil
}

// Running returns a clock that shows start now and then moves on with real
// elapsed time (the monotonic clock): the clock for a whole service under
// test, whose timers, leases and deadlines must keep going. Tests take
// every "today" from it, never from time.Now.
func Running(start time.Time) func() time.Time {
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }
}
