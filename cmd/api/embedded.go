//go:build !noembedded

package main

import (
	"time"

	"github.com/jobbanken/jobkunde/store/embedded"
)

// startEmbedded starts the in-process engine with its files in dir.
func startEmbedded(dir string) (string, func(), error) {
	s, err := embedded.Start(dir)
	if err != nil {
		return "", nil, err
	}
	return s.URI(), func() { _ = s.Close(5 * time.Second) }, nil
}
