package stats_test

import (
	"context"
	"testing"

	"github.com/jobbanken/jobkunde/stats"
)

// The benchmarks run over 1,000 generated participants (plus 100 leaver
// records) on the test database:
//
//	go test ./stats -run '^$' -bench . -benchtime 10x
func benchmark(b *testing.B, call func(ctx context.Context, svc *stats.Service) error) {
	g := newGen(b)
	g.generate(b, 1000, 42)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if err := call(ctx, g.svc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatistics is getStatistics.
func BenchmarkStatistics(b *testing.B) {
	benchmark(b, func(ctx context.Context, svc *stats.Service) error {
		_, err := svc.Statistics(ctx, admin, stats.Query{})
		return err
	})
}

// BenchmarkRetentionCoefficient is the coefficient with its series since 2018.
func BenchmarkRetentionCoefficient(b *testing.B) {
	benchmark(b, func(ctx context.Context, svc *stats.Service) error {
		_, err := svc.RetentionCoefficient(ctx, admin, stats.RetentionQuery{})
		return err
	})
}
