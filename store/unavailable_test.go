package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/embedded"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// IsUnavailable tells "the database cannot be reached" (errors met with a
// real engine stopped under an open client) from errors the database
// answered.
func TestIsUnavailable(t *testing.T) {
	ctx := context.Background()
	srv, err := embedded.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A short ceiling makes the server selection timeout short (a third).
	client, err := store.Connect(ctx, srv.URI(), store.ConnectOptions{Timeout: 600 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(ctx) }()
	if err := srv.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	var gone []error // what the next commands meet: a dead connection, then no server
	for range 2 {
		if err := client.Ping(ctx, nil); err != nil {
			gone = append(gone, err)
		}
	}
	if len(gone) != 2 {
		t.Fatalf("%d of 2 pings failed with the engine stopped", len(gone))
	}

	col := storetest.DB(t).Collection("things")
	if _, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}}); err != nil {
		t.Fatal(err)
	}
	_, dup := col.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}})
	if !mongo.IsDuplicateKeyError(dup) {
		t.Fatalf("second insert: %v, want a duplicate key error", dup)
	}

	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "first command after the stop", err: gone[0], want: true},
		{name: "second command after the stop", err: gone[1], want: true},
		{name: "wrapped by the store", err: fmt.Errorf("find in users: %w", gone[1]), want: true},
		{name: "deadline while waiting", err: fmt.Errorf("find in users: %w", context.DeadlineExceeded), want: true},
		{name: "duplicate key", err: dup, want: false},
		{name: "no documents", err: mongo.ErrNoDocuments, want: false},
		{name: "apperr", err: apperr.New(apperr.NotFound, "user.not_found", "no such user"), want: false},
		{name: "plain", err: errors.New("decode users: bad value"), want: false},
		{name: "nil", err: nil, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.IsUnavailable(tt.err); got != tt.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
