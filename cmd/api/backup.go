package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// errMongoBackup is the answer to backup and restore with MONGODB_URI set.
var errMongoBackup = errors.New("backup and restore cover the embedded engine's data directory; for MongoDB use mongodump/mongorestore (see the README, Operations)")

// backup writes a consistent backup of DATA_DIR to path while the service
// may keep running: first to path + ".partial", renamed when complete.
func backup(ctx context.Context, cfg config, path string, out io.Writer) error {
	if !cfg.embedded() {
		return errMongoBackup
	}
	began := time.Now()
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create backup: %w", err)
	}
	files, err := backupEmbedded(ctx, cfg.DataDir, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", cfg.DataDir, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %s to %s: %v, %d bytes, %s\n", cfg.DataDir, path, files, st.Size(), time.Since(began).Round(time.Millisecond))
	return nil
}

// restore unpacks a backup into DATA_DIR, which must be empty or missing;
// the service must not be running on it.
func restore(cfg config, path string, out io.Writer) error {
	if !cfg.embedded() {
		return errMongoBackup
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return err
	}
	files, err := restoreEmbedded(f, dir)
	if err != nil {
		return fmt.Errorf("restore into %s: %w", dir, err)
	}
	fmt.Fprintf(out, "restored %s into %s: %v\n", path, dir, files)
	return nil
}
