// Package storetest gives tests a real wire-protocol database: MongoDB when
// MONGODB_URI is set (CI's service container), otherwise the embedded engine
// started once per test binary in a temporary directory. Never a mock.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/embedded"
)

var (
	once       sync.Once
	client     *mongo.Client
	serverURI  string
	onceErr    error
	isEmbedded bool
)

// connect starts (or reaches) the shared server once per test binary. The
// embedded engine keeps its files in a fresh temporary directory; each test
// gets its own database on it, dropped when the test ends.
func connect() {
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		isEmbedded = true
		removeStaleDirs()
		dir, err := os.MkdirTemp("", fmt.Sprintf("jobkunde-test-%d-*", os.Getpid()))
		if err != nil {
			onceErr = err
			return
		}
		srv, err := embedded.Start(dir)
		if err != nil {
			onceErr = err
			return
		}
		uri = srv.URI()
	}
	serverURI = uri
	client, onceErr = store.Connect(context.Background(), uri, store.ConnectOptions{Production: !isEmbedded, Timeout: 30 * time.Second})
}

// DB returns a fresh, empty database for one test, dropped when it ends.
func DB(t testing.TB) *mongo.Database {
	t.Helper()
	once.Do(connect)
	if onceErr != nil {
		t.Fatalf("test database: %v", onceErr)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	db := client.Database("test_" + hex.EncodeToString(b))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
	})
	return db
}

// Store returns a store on a fresh database with its indexes in place.
func Store(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	s := store.New(DB(t), now)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatalf("ensure indexes: %v", err)
	}
	return s
}

// Open connects a second client to the test server, with monitor (nil for
// none) seeing every command it sends, and returns the database called name
// on it and a function that disconnects. Unlike DB it neither makes up a
// name nor drops anything: a benchmark that builds a large data set once
// per process, and counts the commands of what it measures, drops it itself.
func Open(name string, monitor *event.CommandMonitor) (*mongo.Database, func(), error) {
	once.Do(connect)
	if onceErr != nil {
		return nil, nil, onceErr
	}
	c, err := store.Connect(context.Background(), serverURI, store.ConnectOptions{Production: !isEmbedded, Timeout: 5 * time.Minute, Monitor: monitor})
	if err != nil {
		return nil, nil, err
	}
	return c.Database(name), func() { _ = c.Disconnect(context.Background()) }, nil
}

// Embedded reports whether tests run on the embedded engine.
func Embedded() bool {
	once.Do(connect)
	return isEmbedded
}

// removeStaleDirs deletes the engine directories of earlier test binaries
// that have exited (a test binary cannot remove its own at exit without a
// TestMain in every package). The directory name carries the owner's PID.
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "jobkunde-test-*"))
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "jobkunde-test-%d-", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil && p.Signal(syscall.Signal(0)) == nil {
			continue // still running
		}
		_ = os.RemoveAll(d)
	}
}
