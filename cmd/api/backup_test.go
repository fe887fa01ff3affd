package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// A backup taken while clients write holds every write acknowledged before
// it began; restored into an empty data directory it serves them again.
// A restore never overwrites data, and MongoDB is pointed to its own tools.
func TestBackupMidLoadAndRestore(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("backup covers the embedded engine's data directory; MongoDB has mongodump")
	}
	s := startServer(t, "admin@backup.example")
	admin := s.login("admin@backup.example", testPassword)

	var (
		mu    sync.Mutex
		acked []string // department names, in the order their 201s came back
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 15 * time.Second}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Afdeling %d-%d", w, i)
				body := strings.NewReader(fmt.Sprintf(`{"name":%q}`, name))
				hr, _ := http.NewRequest("POST", s.base+"/v1/departments", body)
				hr.Header.Set("Content-Type", "application/json")
				hr.Header.Set("Authorization", "Bearer "+admin.AccessToken)
				resp, err := client.Do(hr)
				if err != nil {
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					mu.Lock()
					acked = append(acked, name)
					mu.Unlock()
				}
			}
		}()
	}
	ackedSoFar := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(acked)
	}
	eventually(t, "20 acknowledged writes", func() bool { return len(ackedSoFar()) >= 20 })
	// Every write acknowledged by now must be in the backup that starts next.
	before := ackedSoFar()
	path := filepath.Join(t.TempDir(), "jobkunde.backup")
	var out bytes.Buffer
	if err := backup(context.Background(), s.cfg, path, &out); err != nil {
		t.Fatal(err)
	}
	// The load went on during and after the backup.
	eventually(t, "10 more acknowledged writes", func() bool { return len(ackedSoFar()) >= len(before)+10 })
	close(stop)
	wg.Wait()

	restored := testConfig(t)
	restored.DataDir = filepath.Join(t.TempDir(), "restored")
	restored.MongoDatabase = s.cfg.MongoDatabase // a database file keeps its name
	if err := restore(restored, path, &out); err != nil {
		t.Fatal(err)
	}
	st, closeDB, err := openStore(context.Background(), restored, slog.New(slog.DiscardHandler), nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	have := map[string]bool{}
	for pg := (models.Page{Limit: 100}); ; {
		ds, next, err := st.Departments(context.Background(), pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			have[d.Name] = true
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	for _, name := range before {
		if !have[name] {
			t.Errorf("%s was acknowledged before the backup began but is not in it", name)
		}
	}
	if len(before) < 20 {
		t.Errorf("%d writes before the backup, want at least 20", len(before))
	}
	if _, err := os.Stat(filepath.Join(restored.DataDir, "jwt-ed25519.pem")); err != nil {
		t.Errorf("the signing key was not restored: %v", err)
	}
	t.Logf("%d writes acknowledged before the backup, %d in the restored copy; %s", len(before), len(have), strings.TrimSpace(out.String()))

	if err := restore(restored, path, &out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a restore over data: %v, want a refusal", err)
	}
	mongo := s.cfg
	mongo.MongoURI = "mongodb://db.example:27017"
	if err := backup(context.Background(), mongo, path, &out); err == nil || !strings.Contains(err.Error(), "mongodump") {
		t.Errorf("backup with MONGODB_URI: %v, want mongodump named", err)
	}
}
