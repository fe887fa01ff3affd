package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/models"
)

// memIdempotency is a hand-written in-memory IdempotencyStore.
type memIdempotency struct {
	mu   sync.Mutex
	recs map[string]models.IdempotencyRecord
}

func (m *memIdempotency) BeginIdempotent(_ context.Context, r models.IdempotencyRecord) (*models.IdempotencyRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.recs[r.ID]; ok {
		return &prev, nil
	}
	m.recs[r.ID] = r
	return nil, nil
}

func (m *memIdempotency) TakeOverIdempotent(ctx context.Context, _, r models.IdempotencyRecord) (*models.IdempotencyRecord, error) {
	return m.BeginIdempotent(ctx, r)
}

func (m *memIdempotency) CompleteIdempotent(_ context.Context, id string, status int, ct string, body []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.recs[id]
	r.Done, r.Status, r.ContentType, r.Body = true, status, ct, body
	m.recs[id] = r
	return nil
}

func (m *memIdempotency) AbortIdempotent(_ context.Context, r models.IdempotencyRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.recs[r.ID]; ok && !prev.Done && prev.CreatedAt.Equal(r.CreatedAt) {
		delete(m.recs, r.ID)
	}
	return nil
}

func TestIdempotentResponsesAreStoredSealed(t *testing.T) {
	store := &memIdempotency{recs: map[string]models.IdempotencyRecord{}}
	calls := 0
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(slog.New(slog.DiscardHandler), nil)})
	app.Post("/codes", idempotent(store, ErrorHandler(slog.New(slog.DiscardHandler), nil), time.Now, slog.New(slog.DiscardHandler)),
		func(c *fiber.Ctx) error {
			calls++
			return c.Status(fiber.StatusCreated).JSON(fiber.Map{"code": "ABCD-EFGH"})
		})
	post := func(key string) (int, string) {
		req := httptest.NewRequest("POST", "/codes", bytes.NewReader([]byte(`{}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		res, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, first := post("key-1")
	if status != fiber.StatusCreated {
		t.Fatalf("first: %d %s", status, first)
	}
	for _, r := range store.recs {
		if bytes.Contains(r.Body, []byte("ABCD-EFGH")) {
			t.Fatalf("the stored response holds the code in clear: %q", r.Body)
		}
	}
	status, again := post("key-1")
	if status != fiber.StatusCreated || again != first || calls != 1 {
		t.Errorf("replay = %d %s after %d calls; want the first answer from one call", status, again, calls)
	}
	// A record opened with another key fails rather than leaking.
	for _, r := range store.recs {
		if _, err := openBody("key-2", r.ID, r.Body); err == nil {
			t.Error("another Idempotency-Key opened the stored response")
		}
	}
}

// downIdempotency is memIdempotency whose records cannot be finished
// (completed or released) while down is set, as while the database cannot
// be reached.
type downIdempotency struct {
	*memIdempotency
	down atomic.Bool
	// loseClaims makes a new claim made while down stored, its answer lost.
	loseClaims bool
}

func (d *downIdempotency) BeginIdempotent(ctx context.Context, r models.IdempotencyRecord) (*models.IdempotencyRecord, error) {
	prev, err := d.memIdempotency.BeginIdempotent(ctx, r)
	if prev == nil && d.down.Load() && d.loseClaims {
		return nil, errDatabaseGone
	}
	return prev, err
}

func (d *downIdempotency) CompleteIdempotent(ctx context.Context, id string, status int, ct string, body []byte) error {
	if d.down.Load() {
		return errDatabaseGone
	}
	return d.memIdempotency.CompleteIdempotent(ctx, id, status, ct, body)
}

func (d *downIdempotency) AbortIdempotent(ctx context.Context, r models.IdempotencyRecord) error {
	if d.down.Load() {
		return errDatabaseGone
	}
	return d.memIdempotency.AbortIdempotent(ctx, r)
}

// When the database goes away during a request, its answer is not held,
// and its outcome under the Idempotency-Key is recorded once the database
// is back: a failed request's key is released, so the retry runs (once);
// a finished request's answer is stored, so the retry replays it.
func TestIdempotentOutcomeIsRecordedWhenTheDatabaseReturns(t *testing.T) {
	tests := []struct {
		name       string
		loseClaims bool // the claim is stored, but its answer lost
		fails      bool // the first run fails: the database is gone
		wantFirst  int
		wantCalls  int32
	}{
		{name: "claim answer lost: the key is released", loseClaims: true, wantFirst: fiber.StatusServiceUnavailable, wantCalls: 1},
		{name: "failed request: the key is released", fails: true, wantFirst: fiber.StatusServiceUnavailable, wantCalls: 2},
		{name: "finished request: the answer is kept", wantFirst: fiber.StatusCreated, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &downIdempotency{memIdempotency: &memIdempotency{recs: map[string]models.IdempotencyRecord{}}, loseClaims: tt.loseClaims}
			store.down.Store(true)
			onError := ErrorHandler(slog.New(slog.DiscardHandler), func(err error) bool { return errors.Is(err, errDatabaseGone) })
			var calls atomic.Int32
			app := fiber.New(fiber.Config{ErrorHandler: onError})
			app.Post("/messages", idempotent(store, onError, time.Now, slog.New(slog.DiscardHandler)), func(c *fiber.Ctx) error {
				if calls.Add(1) == 1 && tt.fails {
					return fmt.Errorf("insert message: %w", errDatabaseGone)
				}
				return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": "m1"})
			})
			post := func() *http.Response {
				t.Helper()
				req := httptest.NewRequest("POST", "/messages", bytes.NewReader([]byte(`{}`)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", "key-1")
				res, err := app.Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			if res := post(); res.StatusCode != tt.wantFirst {
				t.Fatalf("while the database is gone: %d, want %d", res.StatusCode, tt.wantFirst)
			}
			if res := post(); res.StatusCode != fiber.StatusConflict {
				t.Fatalf("a retry before the outcome is recorded: %d, want 409 idempotency.in_progress", res.StatusCode)
			}
			store.down.Store(false)
			giveUp := time.After(20 * settleWait)
			for {
				res := post()
				if res.StatusCode == fiber.StatusCreated {
					break
				}
				if res.StatusCode != fiber.StatusConflict {
					t.Fatalf("a retry after the database returned: %d, want 409 until the outcome is recorded, then 201", res.StatusCode)
				}
				select {
				case <-giveUp:
					t.Fatal("the outcome was not recorded after the database returned")
				case <-time.After(settleWait / 10):
				}
			}
			if res := post(); res.StatusCode != fiber.StatusCreated || res.Header.Get("Idempotent-Replayed") != "true" || calls.Load() != tt.wantCalls {
				t.Errorf("one more retry: %d, replayed %q, after %d runs; want the stored 201 after %d", res.StatusCode, res.Header.Get("Idempotent-Replayed"), calls.Load(), tt.wantCalls)
			}
		})
	}
}
