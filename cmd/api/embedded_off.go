//go:build noembedded

package main

import (
	"context"
	"errors"
	"io"
)

var errNoEmbedded = errors.New("this binary was built without the embedded engine: set MONGODB_URI")

func backupEmbedded(context.Context, string, io.Writer) ([]string, error) { return nil, errNoEmbedded }

func restoreEmbedded(io.Reader, string) ([]string, error) { return nil, errNoEmbedded }

// startEmbedded is unavailable in binaries built with -tags noembedded (the
// production image): they need MONGODB_URI.
func startEmbedded(string) (string, func(), error) {
	return "", nil, errNoEmbedded
}
