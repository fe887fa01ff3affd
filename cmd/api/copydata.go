package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/store"
)

// copyData copies every collection and the indexes of the configured
// database (the embedded engine, or MONGODB_URI) into the database
// toDatabase at toURI, then checks the counts: the move from the embedded
// engine to MongoDB. It refuses a target that holds documents unless
// allowNonEmpty (a re-run, which replaces by _id and so is safe).
func copyData(ctx context.Context, cfg config, toURI, toDatabase string, allowNonEmpty bool, out io.Writer) error {
	began := time.Now()
	dbx, err := openDB(ctx, cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return err
	}
	defer dbx.close()
	// A replica set gets majority writes; a standalone server (or the
	// embedded engine, in tests) cannot retry writes, so plain ones.
	target, err := store.Connect(ctx, toURI, store.ConnectOptions{Timeout: time.Minute})
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	var hello struct {
		SetName string `bson:"setName"`
	}
	if err := target.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err == nil && hello.SetName != "" {
		_ = target.Disconnect(ctx)
		if target, err = store.Connect(ctx, toURI, store.ConnectOptions{Production: true, Timeout: time.Minute}); err != nil {
			return fmt.Errorf("target: %w", err)
		}
	}
	defer func() { _ = target.Disconnect(context.WithoutCancel(ctx)) }()

	copied, err := store.CopyDatabase(ctx, dbx.db, target.Database(toDatabase), allowNonEmpty)
	var total int64
	for _, c := range copied {
		fmt.Fprintf(out, "  %-28s %8d → %8d\n", c.Name, c.Source, c.Target)
		total += c.Target
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "copied %d collections (%d documents) from %s into %s, counts verified, in %s\n",
		len(copied), total, cfg.engineLabel(), toDatabase, time.Since(began).Round(time.Millisecond))
	return nil
}
