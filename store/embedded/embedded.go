// Package embedded runs FerretDB 1.24 with its SQLite backend in-process, so
// the service and its tests run on a fresh machine without a MongoDB server.
// The official driver talks to it over the real wire protocol on loopback.
//
// It is a development, demo and test engine: every query scans a collection
// in Go, and updates are not atomic against concurrent updates of the same
// document (see the README). Production uses MongoDB through MONGODB_URI.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// newMu serialises ferretdb.New, which writes a package-level variable.
var newMu sync.Mutex

// Server is a running embedded engine.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start starts the engine with its data in dir (created if missing),
// listening on a free loopback port. Close stops it.
func Start(dir string) (*Server, error) { return StartAt(dir, "127.0.0.1:0") }

// StartAt is Start listening on addr (host:port), so an engine restarted
// on the same directory comes back where its clients look for it.
func StartAt(dir, addr string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve data dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// The engine logs a line per connection at Info, and at Warn every command
	// it does not implement (the driver's endSessions on disconnect): keep
	// only its errors.
	quiet := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

	newMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: addr},
		Logger:   quiet,
		Handler:  "sqlite",
		// Immediate transactions take the write lock up front and wait for
		// it (busy timeout), instead of failing with SQLITE_BUSY when many
		// writers race.
		SQLiteURL: "file:" + abs + "/",
	})
	newMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("start embedded engine: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{uri: f.MongoDBURI(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx) // returns only when ctx is cancelled
	}()
	return s, nil
}

// URI is the mongodb:// address the driver connects to.
func (s *Server) URI() string { return s.uri }

// Close stops the engine and waits (up to timeout) for it to release its files.
func (s *Server) Close(timeout time.Duration) error {
	s.cancel()
	select {
	case <-s.done:
		return nil
	case <-time.After(timeout):
		return errors.New("embedded engine did not stop in time")
	}
}
