package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store/storetest"
)

func TestRecordEventsSkipsOnlyDuplicates(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	ev := func(key string) models.Event {
		return models.Event{ID: newID(), DedupeKey: key, Type: "checkin.sent", RecipientID: "p1", CreatedAt: t0, DueAt: t0}
	}
	if err := s.RecordEvents(ctx, []models.Event{ev("a"), ev("b"), ev("c")}); err != nil {
		t.Fatal(err)
	}
	// A resumed batch: two already there, two new, one repeated within it.
	if err := s.RecordEvents(ctx, []models.Event{ev("b"), ev("d"), ev("c"), ev("e"), ev("e")}); err != nil {
		t.Fatalf("RecordEvents with duplicates: %v, want nil", err)
	}
	events, _, err := s.Events(ctx, "p1", models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range events {
		keys = append(keys, e.DedupeKey)
		if e.State != models.EventPending {
			t.Errorf("event %s in state %q, want pending", e.DedupeKey, e.State)
		}
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("dedupe keys stored = %v, want a to e once each", keys)
	}
	if err := s.RecordEvents(ctx, []models.Event{ev("f"), {ID: newID(), Type: "x", RecipientID: "p1"}}); err == nil {
		t.Error("a batch with an event without dedupe key was accepted")
	}
}

func TestCheckInAnswerVersionIsTakenOnceUnderRace(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	got := race(t, 12, func(i int) error {
		return s.InsertCheckInAnswer(ctx, models.CheckInAnswer{
			CheckInID: "c1", ParticipantID: "p1", DepartmentID: "d1", Version: 1,
			Choice: models.CheckInGood, Text: fmt.Sprint("svar ", i), AnsweredAt: t0,
		})
	})
	if got != 1 {
		t.Fatalf("%d inserts of version 1 succeeded, want 1", got)
	}
	if err := s.InsertCheckInAnswer(ctx, models.CheckInAnswer{CheckInID: "c1", ParticipantID: "p1", DepartmentID: "d1", Version: 2, Choice: models.CheckInTalk, AnsweredAt: t0}); err != nil {
		t.Fatal(err)
	}
	latest, err := s.LatestCheckInAnswer(ctx, "c1", "p1")
	if err != nil || latest.Version != 2 || latest.Choice != models.CheckInTalk {
		t.Fatalf("LatestCheckInAnswer = %+v, %v; want version 2, talk", latest, err)
	}
	if _, err := s.LatestCheckInAnswer(ctx, "c1", "p2"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("LatestCheckInAnswer of someone who did not answer: %v, want NotFound", err)
	}
}

func TestRecipientsAreCountedByDepartmentOnce(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	rec := func(p, d string) models.CheckInRecipient {
		return models.CheckInRecipient{ID: models.CheckInRecipientID("c1", p), CheckInID: "c1", ParticipantID: p, DepartmentID: d}
	}
	batch := []models.CheckInRecipient{rec("p1", "d1"), rec("p2", "d1"), rec("p3", "d2")}
	for range 2 { // the second time is a resumed fan-out
		if err := s.InsertCheckInRecipients(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.InsertCheckInRecipients(ctx, []models.CheckInRecipient{{ID: models.CheckInRecipientID("c2", "p1"), CheckInID: "c2", ParticipantID: "p1", DepartmentID: "d1"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.AskedByDepartment(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["d1"] != 2 || got["d2"] != 1 {
		t.Errorf("AskedByDepartment = %v, want d1: 2, d2: 1", got)
	}
}

func TestCelebrationMilestoneIsCelebratedOnceUntilCancelled(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	slot := models.MilestoneSlot("p1", "e1", 5)
	party := func(id string) models.Celebration {
		return models.Celebration{ID: id, ParticipantID: "p1", DepartmentID: "d1", EmploymentID: "e1", MilestoneYears: 5,
			Guests: []models.Guest{}, StartsAt: t0, EndsAt: t0.Add(2 * time.Hour), SlotKey: slot, CreatedAt: t0}
	}
	got := race(t, 8, func(i int) error { return s.InsertCelebration(ctx, party(fmt.Sprint("c", i))) })
	if got != 1 {
		t.Fatalf("%d celebrations of one milestone stored, want 1", got)
	}
	first, err := s.CelebrationBySlot(ctx, slot)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseCelebrationSlot(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertCelebration(ctx, party("again")); err != nil {
		t.Errorf("the milestone after cancelling: %v, want nil", err)
	}
}

func TestCelebrationsPageByStartTime(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	// Created in one order, starting in another; two start at the same time.
	starts := []int{5, 1, 3, 3, 2, 4}
	for i, d := range starts {
		at := t0.AddDate(0, 0, d)
		c := models.Celebration{ID: fmt.Sprintf("c%d", i), ParticipantID: fmt.Sprint("p", i%2), DepartmentID: "d1",
			Guests: []models.Guest{}, StartsAt: at, EndsAt: at.Add(time.Hour), SlotKey: fmt.Sprint("celebration/c", i), CreatedAt: t0}
		if err := s.InsertCelebration(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	f := models.CelebrationFilter{DepartmentID: "d1", EndsAfter: t0.AddDate(0, 0, 1).Add(time.Hour)} // the first one is over
	for pg := (models.Page{Limit: 2}); ; {
		items, next, err := s.Celebrations(ctx, f, pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range items {
			order = append(order, c.ID)
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	if want := []string{"c4", "c2", "c3", "c5", "c0"}; !slices.Equal(order, want) {
		t.Errorf("celebrations in order %v, want %v", order, want)
	}
	f.ParticipantIDs = []string{"p1"}
	items, _, err := s.Celebrations(ctx, f, models.Page{Limit: 10})
	if err != nil || len(items) != 2 {
		t.Errorf("p1's upcoming celebrations = %d, %v; want 2", len(items), err)
	}
	if _, _, err := s.Celebrations(ctx, f, models.Page{Limit: 10, After: "not a cursor"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad cursor: %v, want Invalid", err)
	}
}
