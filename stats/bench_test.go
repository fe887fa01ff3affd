package stats_test

import (
	"context"
	"testing"

	"github.com/jobbanken/jobkunde/stats"
)

// BenchmarkStatistics computes getStatistics over 1,000 generated
// participants (plus 100 leaver records) on the test database:
//
//	go test ./stats -run '^$' -bench Statistics -benchtime 10x
func BenchmarkStatistics(b *testing.B) {
	g := newGen(b)
	g.generate(b, 1000, 42)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.svc.Statistics(ctx, admin, stats.Query{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetentionCoefficient is the coefficient with its series since
// 2018 over the same set.
func BenchmarkRetentionCoefficient(b *testing.B) {
	g := newGen(b)
	g.generate(b, 1000, 42)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.svc.RetentionCoefficient(ctx, admin, stats.RetentionQuery{}); err != nil {
			b.Fatal(err)
		}
	}
}
