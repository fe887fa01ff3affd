package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

func TestRegistryCoversEveryCollection(t *testing.T) {
	w := fillWorld(t)
	personal := store.PersonalCollections()
	notPersonal := store.NotPersonalCollections()
	for _, name := range personal {
		if _, ok := notPersonal[name]; ok {
			t.Errorf("%s is in both the personal registry and the no-personal-data list", name)
		}
	}
	names, err := w.db.ListCollectionNames(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, ok := notPersonal[name]; !ok && !slices.Contains(personal, name) {
			t.Errorf("collection %s is in neither the personal registry (store/personal.go) nor the no-personal-data list", name)
		}
	}
	// The fixture must fill every collection either list names, or the
	// erasure test below proves less than it claims.
	for _, name := range append(slices.Clone(personal), keys(notPersonal)...) {
		n, err := w.db.Collection(name).CountDocuments(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("the fixture left %s empty", name)
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEraseParticipantLeavesNothingOfThem(t *testing.T) {
	w := fillWorld(t)
	ctx := context.Background()
	aNeedles := append(slices.Clone(w.a.needles), w.a.secrets...)
	aNeedles = append(aNeedles, string(w.a.fileData))
	bNeedles := w.b.needles

	before := storetest.Dump(t, w.db)
	var keep []storetest.Doc // every document that does not mention A must survive unchanged
	for _, d := range before {
		if len(d.Mentions(aNeedles...)) == 0 {
			keep = append(keep, d)
		}
	}
	for _, n := range bNeedles {
		if !slices.ContainsFunc(before, func(d storetest.Doc) bool { return len(d.Mentions(n)) > 0 }) {
			t.Fatalf("fixture: B's %q is stored nowhere", n)
		}
	}

	for run := 1; run <= 2; run++ { // the second run proves it idempotent
		if err := w.st.EraseParticipant(ctx, w.a.p.UserID); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		after := storetest.Dump(t, w.db)
		for _, d := range after {
			if hit := d.Mentions(aNeedles...); len(hit) > 0 {
				t.Errorf("run %d: %s still holds %q: %s", run, d.Col, hit, d.JSON)
			}
		}
		for _, k := range keep {
			if !slices.ContainsFunc(after, func(d storetest.Doc) bool { return d.Col == k.Col && bytes.Equal(d.Raw, k.Raw) }) {
				t.Errorf("run %d: erasing A changed or removed a document of %s that is not A's: %s", run, k.Col, k.JSON)
			}
		}
		for _, n := range bNeedles {
			if !slices.ContainsFunc(after, func(d storetest.Doc) bool { return len(d.Mentions(n)) > 0 }) {
				t.Errorf("run %d: B's %q is gone", run, n)
			}
		}
	}
	// A's ticket stays, anonymous and cancelled, so the queue's numbers
	// stay dense: the next sign-up gets ticket 3, and B has moved up.
	taken, queued, err := w.st.QueueCounts(ctx, w.activityID, "")
	if err != nil || taken != 2 || queued != 1 {
		t.Errorf("queue after erasure: %d tickets taken, %d queued, %v; want 2, 1", taken, queued, err)
	}
	if _, err := w.st.ParticipantData(ctx, w.b.p.UserID); err != nil {
		t.Errorf("B's data after erasing A: %v", err)
	}
	if _, err := w.st.ParticipantData(ctx, w.a.p.UserID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("A's data after erasure: %v, want NotFound", err)
	}
}

func TestEraseParticipantRefusesStaff(t *testing.T) {
	w := fillWorld(t)
	ctx := context.Background()
	d, err := w.st.ParticipantData(ctx, w.a.p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	counselor := d.Profile.CounselorID
	if err := w.st.EraseParticipant(ctx, counselor); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("EraseParticipant(counselor) = %v, want NotFound", err)
	}
	if _, err := w.st.User(ctx, counselor); err != nil {
		t.Errorf("the counselor's account after a refused erasure: %v", err)
	}
}

func TestParticipantDataHasEverySectionAndNoSecret(t *testing.T) {
	w := fillWorld(t)
	x, err := w.st.ParticipantData(context.Background(), w.a.p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(body, &sections); err != nil {
		t.Fatal(err)
	}
	for name, v := range sections {
		switch s := string(v); s {
		case "null", "[]", "{}", `""`:
			t.Errorf("section %s is empty: %s", name, s)
		}
	}
	var conv struct{ Messages, Callbacks, Attachments []json.RawMessage }
	var pl struct{ Goals, Ticks []json.RawMessage }
	_ = json.Unmarshal(sections["conversation"], &conv)
	_ = json.Unmarshal(sections["plan"], &pl)
	if len(conv.Messages) == 0 || len(conv.Callbacks) == 0 || len(conv.Attachments) == 0 || len(pl.Goals) == 0 || len(pl.Ticks) == 0 {
		t.Errorf("conversation %d/%d/%d, plan %d/%d: want every part filled",
			len(conv.Messages), len(conv.Callbacks), len(conv.Attachments), len(pl.Goals), len(pl.Ticks))
	}
	text := string(body)
	for _, secret := range w.a.secrets {
		if strings.Contains(text, secret) {
			t.Errorf("the export holds a secret %q", secret)
		}
	}
	for _, want := range []string{"Zofia Quellbrand", "Besked fra", "Svar til", "Mette Vejleder", "Zofias søster Agnieszka",
		"Jeg glæder mig", "Plannote fra", "Intern note om", "Slutnote om", "Tjek-ind-svar fra Zofia", `"minutes":240`,
		`"weeklyMinutes":600`, `"platform":"android"`, "work.read"} {
		if !strings.Contains(text, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	if strings.Contains(text, "Bertil") || strings.Contains(text, w.b.p.UserID) {
		t.Error("A's export holds B's data")
	}
	if x.Format == "" || x.GeneratedAt.IsZero() {
		t.Errorf("format %q, generatedAt %v", x.Format, x.GeneratedAt)
	}
}

// TestEraseParticipantFinishesAfterACrash breaks erasure off right after
// each collection that later steps are found through, then runs it again:
// nothing of A may remain.
func TestEraseParticipantFinishesAfterACrash(t *testing.T) {
	for _, last := range []string{"attachments.chunks", "attachments_meta", "notifications", "devices", "celebrations",
		"refresh_tokens", "activation_codes", "logins", "users"} {
		t.Run(last, func(t *testing.T) {
			t.Parallel()
			w := fillWorld(t)
			ctx := context.Background()
			if err := w.st.EraseThrough(ctx, w.a.p.UserID, last); err != nil {
				t.Fatal(err)
			}
			if err := w.st.EraseParticipant(ctx, w.a.p.UserID); err != nil {
				t.Fatal(err)
			}
			for _, d := range storetest.Dump(t, w.db) {
				if hit := d.Mentions(append(w.a.needles, w.a.secrets...)...); len(hit) > 0 {
					t.Errorf("%s still holds %q", d.Col, hit)
				}
			}
		})
	}
}
