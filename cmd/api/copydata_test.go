package main

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/store"
)

// Moving to MongoDB: copy-data copies every collection (attachments in
// GridFS included) and every index into a second engine, verifies the
// counts, refuses to write into it again unless told, and a re-run told so
// changes nothing.
func TestCopyDataToAnotherEngine(t *testing.T) {
	w := newWorld(t)
	activityFixture(t, w)
	messagingFixture(t, w)
	uri, stop, err := startEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	var out bytes.Buffer
	if err := copyData(ctx, w.s.cfg, uri, "moved", false, &out); err != nil {
		t.Fatalf("copy-data: %v\n%s", err, out.String())
	}
	t.Log(out.String())

	target, err := store.Connect(ctx, uri, store.ConnectOptions{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = target.Disconnect(ctx) }()
	src, dst := w.s.store.Database(), target.Database("moved")
	names, err := src.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"users", "messages", "enrollments", "attachments.files", "attachments.chunks"} {
		if !slices.Contains(names, want) {
			t.Errorf("the source has no %s collection to prove the copy with", want)
		}
	}
	sameCounts := func(when string) {
		t.Helper()
		for _, n := range names {
			s, _ := src.Collection(n).CountDocuments(ctx, bson.D{})
			d, _ := dst.Collection(n).CountDocuments(ctx, bson.D{})
			if s != d {
				t.Errorf("%s, %s: %d in the source, %d in the target", when, n, s, d)
			}
		}
	}
	sameCounts("after the copy")
	for _, n := range names {
		if si, di := indexNames(t, src.Collection(n)), indexNames(t, dst.Collection(n)); !slices.Equal(si, di) {
			t.Errorf("%s: indexes %v in the source, %v in the target", n, si, di)
		}
	}
	if _, err := store.New(dst, time.Now).UserByLogin(ctx, adminEmail); err != nil {
		t.Errorf("the admin's login is not in the copy: %v", err)
	}

	if err := copyData(ctx, w.s.cfg, uri, "moved", false, &out); !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Errorf("a second copy into a filled target: %v, want a refusal", err)
	}
	if err := copyData(ctx, w.s.cfg, uri, "moved", true, &out); err != nil {
		t.Errorf("a re-run told to write into the filled target: %v", err)
	}
	sameCounts("after the re-run")
}

// indexNames lists a collection's index names, sorted.
func indexNames(t *testing.T, c *mongo.Collection) []string {
	t.Helper()
	specs, err := c.Indexes().ListSpecifications(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range specs {
		out = append(out, s.Name)
	}
	slices.Sort(out)
	return out
}
