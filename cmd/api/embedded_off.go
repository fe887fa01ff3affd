//go:build noembedded

package main

import "errors"

// startEmbedded is unavailable in binaries built with -tags noembedded (the
// production image): they need MONGODB_URI.
func startEmbedded(string) (string, func(), error) {
	return "", nil, errors.New("this binary was built without the embedded engine: set MONGODB_URI")
}
