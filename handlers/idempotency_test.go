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

// downIdempotency is memIdempotency whose releases fail while down is set,
// as they do while the database cannot be reached.
type downIdempotency struct {
	*memIdempotency
	down atomic.Bool
}

func (d *downIdempotency) AbortIdempotent(ctx context.Context, r models.IdempotencyRecord) error {
	if d.down.Load() {
		return errDatabaseGone
	}
	return d.memIdempotency.AbortIdempotent(ctx, r)
}

// A request that fails because the database is gone keeps its 503, even
// though its key cannot be released then; the key is released once the
// database is back, and the retry with the same key runs once.
func TestIdempotentKeyIsReleasedWhenTheDatabaseReturns(t *testing.T) {
	store := &downIdempotency{memIdempotency: &memIdempotency{recs: map[string]models.IdempotencyRecord{}}}
	store.down.Store(true)
	onError := ErrorHandler(slog.New(slog.DiscardHandler), func(err error) bool { return errors.Is(err, errDatabaseGone) })
	var calls atomic.Int32
	app := fiber.New(fiber.Config{ErrorHandler: onError})
	app.Post("/messages", idempotent(store, onError, time.Now, slog.New(slog.DiscardHandler)), func(c *fiber.Ctx) error {
		if calls.Add(1) == 1 {
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
	if res := post(); res.StatusCode != fiber.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("while the database is gone: %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := post(); res.StatusCode != fiber.StatusConflict {
		t.Fatalf("a retry before the key is released: %d, want 409 idempotency.in_progress", res.StatusCode)
	}
	store.down.Store(false)
	giveUp := time.After(20 * releaseEvery)
	for {
		res := post()
		if res.StatusCode == fiber.StatusCreated {
			break
		}
		if res.StatusCode != fiber.StatusConflict {
			t.Fatalf("a retry after the database returned: %d, want 409 until the key is released, then 201", res.StatusCode)
		}
		select {
		case <-giveUp:
			t.Fatal("the key was not released after the database returned")
		case <-time.After(releaseEvery / 10):
		}
	}
	if res := post(); res.StatusCode != fiber.StatusCreated || res.Header.Get("Idempotent-Replayed") != "true" || calls.Load() != 2 {
		t.Errorf("one more retry: %d, replayed %q, after %d calls; want the stored 201 and 2 calls", res.StatusCode, res.Header.Get("Idempotent-Replayed"), calls.Load())
	}
}
