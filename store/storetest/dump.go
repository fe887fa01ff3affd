package storetest

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Doc is one stored document as raw bytes and as extended JSON.
type Doc struct {
	Col  string
	Raw  bson.Raw
	JSON string
}

// Dump reads every document of every collection of db, GridFS included,
// collections in name order: what erasure checks search.
func Dump(t testing.TB, db *mongo.Database) []Doc {
	t.Helper()
	ctx := context.Background()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var out []Doc
	for _, name := range names {
		cur, err := db.Collection(name).Find(ctx, bson.D{})
		if err != nil {
			t.Fatalf("dump %s: %v", name, err)
		}
		for cur.Next(ctx) {
			raw := slices.Clone([]byte(cur.Current))
			j, err := bson.MarshalExtJSON(bson.Raw(raw), false, false)
			if err != nil {
				t.Fatalf("dump %s: %v", name, err)
			}
			out = append(out, Doc{Col: name, Raw: raw, JSON: string(j)})
		}
		if err := cur.Err(); err != nil {
			t.Fatalf("dump %s: %v", name, err)
		}
	}
	return out
}

// Mentions reports which of the needles d contains, in its bytes or its
// extended JSON (binary data is base64 there).
func (d Doc) Mentions(needles ...string) []string {
	var hit []string
	for _, n := range needles {
		if n != "" && (bytes.Contains(d.Raw, []byte(n)) || strings.Contains(d.JSON, n)) {
			hit = append(hit, n)
		}
	}
	return hit
}
