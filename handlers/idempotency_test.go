package handlers

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
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

func (m *memIdempotency) AbortIdempotent(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.recs, id)
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
