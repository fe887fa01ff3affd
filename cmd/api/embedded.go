//go:build !noembedded

package main

import (
	"context"
	"io"
	"time"

	"github.com/jobbanken/jobkunde/store/embedded"
)

// backupEmbedded writes a backup of the engine's data directory to w.
func backupEmbedded(ctx context.Context, dir string, w io.Writer) ([]string, error) {
	return embedded.Backup(ctx, dir, w)
}

// restoreEmbedded unpacks a backup into an empty data directory.
func restoreEmbedded(r io.Reader, dir string) ([]string, error) { return embedded.Restore(r, dir) }

// startEmbedded starts the in-process engine with its files in dir.
func startEmbedded(dir string) (string, func(), error) {
	s, err := embedded.Start(dir)
	if err != nil {
		return "", nil, err
	}
	return s.URI(), func() { _ = s.Close(5 * time.Second) }, nil
}
