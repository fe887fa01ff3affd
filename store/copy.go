package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CopiedCollection is one collection's result of CopyDatabase.
type CopiedCollection struct {
	Name   string
	Source int64 // documents in the source when the copy of it ended
	Target int64 // documents in the target afterwards
}

// ErrTargetNotEmpty is CopyDatabase's refusal to write into a database that
// already holds documents (unless told to).
var ErrTargetNotEmpty = errors.New("the target database already holds documents")

// copyBatch is how many documents one bulk write carries.
const copyBatch = 500

// CopyDatabase copies every collection of src into dst, documents by _id
// (a document already in dst is replaced), after creating dst's indexes, and
// then compares the counts. It refuses a dst that holds documents unless
// allowNonEmpty (a re-run after an interruption: replacing by _id makes it
// safe to repeat). Writes to src during the copy may or may not be copied:
// copy with the service stopped. Each collection's count must then match
// (or, with allowNonEmpty, the target may hold more).
func CopyDatabase(ctx context.Context, src, dst *mongo.Database, allowNonEmpty bool) ([]CopiedCollection, error) {
	names, err := src.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list source collections: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	if !allowNonEmpty {
		existing, err := dst.ListCollectionNames(ctx, bson.D{})
		if err != nil {
			return nil, fmt.Errorf("list target collections: %w", err)
		}
		for _, n := range existing {
			if c, err := dst.Collection(n).EstimatedDocumentCount(ctx); err != nil {
				return nil, fmt.Errorf("count target %s: %w", n, err)
			} else if c > 0 {
				return nil, fmt.Errorf("%w (%s: %d)", ErrTargetNotEmpty, n, c)
			}
		}
	}
	if err := New(dst, time.Now).EnsureIndexes(ctx); err != nil {
		return nil, fmt.Errorf("target indexes: %w", err)
	}
	existing, err := dst.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list target collections: %w", err)
	}
	for _, n := range names {
		if !slices.Contains(existing, n) { // empty ones too, so the copy has every collection
			if err := dst.CreateCollection(ctx, n); err != nil {
				return nil, fmt.Errorf("create %s: %w", n, err)
			}
		}
	}
	out := make([]CopiedCollection, 0, len(names))
	for _, n := range names {
		if err := copyIndexes(ctx, src.Collection(n), dst.Collection(n)); err != nil {
			return out, fmt.Errorf("indexes of %s: %w", n, err)
		}
		if err := copyCollection(ctx, src.Collection(n), dst.Collection(n)); err != nil {
			return out, fmt.Errorf("copy %s: %w", n, err)
		}
		s, err := src.Collection(n).CountDocuments(ctx, bson.D{})
		if err != nil {
			return out, fmt.Errorf("count source %s: %w", n, err)
		}
		t, err := dst.Collection(n).CountDocuments(ctx, bson.D{})
		if err != nil {
			return out, fmt.Errorf("count target %s: %w", n, err)
		}
		out = append(out, CopiedCollection{Name: n, Source: s, Target: t})
		if t < s || (!allowNonEmpty && t != s) {
			return out, fmt.Errorf("%s: %d documents in the source, %d in the target", n, s, t)
		}
	}
	return out, nil
}

// copyIndexes creates on to every index of from that to lacks by name: the
// declared ones exist already (EnsureIndexes); this brings the others, such
// as the ones the driver made for GridFS.
func copyIndexes(ctx context.Context, from, to *mongo.Collection) error {
	have, err := to.Indexes().ListSpecifications(ctx)
	if err != nil {
		return err
	}
	want, err := from.Indexes().ListSpecifications(ctx)
	if err != nil {
		return err
	}
	for _, spec := range want {
		if spec.Name == "_id_" || slices.ContainsFunc(have, func(h mongo.IndexSpecification) bool { return h.Name == spec.Name }) {
			continue
		}
		o := options.Index().SetName(spec.Name)
		if spec.Unique != nil {
			o.SetUnique(*spec.Unique)
		}
		if spec.Sparse != nil {
			o.SetSparse(*spec.Sparse)
		}
		if _, err := to.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: spec.KeysDocument, Options: o}); err != nil {
			return fmt.Errorf("create %s: %w", spec.Name, err)
		}
	}
	return nil
}

func copyCollection(ctx context.Context, from, to *mongo.Collection) error {
	cur, err := from.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(copyBatch))
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	batch := make([]mongo.WriteModel, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := to.BulkWrite(ctx, batch, options.BulkWrite().SetOrdered(false))
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		doc := slices.Clone(cur.Current)
		batch = append(batch, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: doc.Lookup("_id")}}).SetReplacement(doc).SetUpsert(true))
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return err
	}
	return flush()
}
