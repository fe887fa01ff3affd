package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchServer starts the real service with one active admin and returns
// its base URL and login. The database is the embedded engine in a temp
// dir, or MONGODB_URI when set.
func benchServer(b *testing.B) (base, login string) {
	b.Helper()
	base, _ = launch(b, "admin@bench.example", nil)
	return base, "admin@bench.example"
}

func post(b *testing.B, c *http.Client, url, body string) []byte {
	res, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %s", url, res.StatusCode, out)
	}
	return out
}

// runLatency runs op b.N times over `workers` connections and reports the
// median and 99th percentile latency in milliseconds.
func runLatency(b *testing.B, workers int, op func(c *http.Client)) {
	b.Helper()
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	next := make(chan struct{}, b.N)
	for range b.N {
		next <- struct{}{}
	}
	close(next)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for range next {
				start := time.Now()
				op(c)
				d := time.Since(start)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkLogin measures POST /v1/auth/login (argon2id dominates) with 4
// concurrent clients.
func BenchmarkLogin(b *testing.B) {
	base, login := benchServer(b)
	body := fmt.Sprintf(`{"login":%q,"password":%q}`, login, testPassword)
	runLatency(b, 4, func(c *http.Client) { post(b, c, base+"/v1/auth/login", body) })
}

// BenchmarkGetMe measures GET /v1/me (token check + one read) with 8
// concurrent clients.
func BenchmarkGetMe(b *testing.B) {
	base, login := benchServer(b)
	var s session
	if err := json.Unmarshal(post(b, http.DefaultClient, base+"/v1/auth/login", fmt.Sprintf(`{"login":%q,"password":%q}`, login, testPassword)), &s); err != nil {
		b.Fatal(err)
	}
	runLatency(b, 8, func(c *http.Client) {
		req, _ := http.NewRequest("GET", base+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+s.AccessToken)
		res, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("getMe: %d", res.StatusCode)
		}
	})
}
