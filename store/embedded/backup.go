package embedded

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// A backup of a data directory is a gzipped tar archive holding, for each
// database file (*.sqlite), a consistent copy made with SQLite's VACUUM INTO,
// and every other regular file of the directory as it is (the development
// signing key, the demo's kept activation codes). The engine keeps its
// databases in WAL mode and acknowledges a write only once it is committed,
// so VACUUM INTO, one read transaction, copies every write acknowledged
// before it began, while the service goes on serving: no need to stop it.

// Backup writes a backup of the data directory dir to w and returns what it
// copied (file names, for the operator).
func Backup(ctx context.Context, dir string, w io.Writer) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read data dir: %w", err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	if !hasDatabase(names) {
		return nil, errors.New("the data directory holds no database (*.sqlite): is DATA_DIR right?")
	}
	tmp, err := os.MkdirTemp("", "jobkunde-backup-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	var copied []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, ".sqlite-wal") || strings.HasSuffix(name, ".sqlite-shm") || strings.HasSuffix(name, "-journal") {
			continue // the WAL and shared memory are folded into the copy
		}
		src := filepath.Join(dir, name)
		if strings.HasSuffix(name, ".sqlite") {
			snapshot := filepath.Join(tmp, name)
			if err := vacuumInto(ctx, src, snapshot); err != nil {
				return nil, fmt.Errorf("copy %s: %w", name, err)
			}
			src = snapshot
		}
		if err := addFile(tw, src, name); err != nil {
			return nil, err
		}
		copied = append(copied, name)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return copied, nil
}

func hasDatabase(names []string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, ".sqlite") {
			return true
		}
	}
	return false
}

// vacuumInto writes a consistent copy of the SQLite database src to dst.
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Restore unpacks a backup made by Backup into dir, which must be empty or
// not exist yet (a restore never overwrites data). It returns the files
// written.
func Restore(r io.Reader, dir string) ([]string, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: restore into an empty data directory", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a backup (gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	var written []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return written, fmt.Errorf("read backup: %w", err)
		}
		name := filepath.Base(h.Name)
		if h.Typeflag != tar.TypeReg || name != h.Name || name == "." || name == ".." {
			return written, fmt.Errorf("unexpected entry %q in the backup", h.Name)
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return written, err
		}
		_, cerr := io.Copy(f, tr)
		if err := errors.Join(cerr, f.Close()); err != nil {
			return written, fmt.Errorf("write %s: %w", name, err)
		}
		written = append(written, name)
	}
	if !hasDatabase(written) {
		return written, errors.New("the backup holds no database")
	}
	return written, nil
}
