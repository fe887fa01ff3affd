package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// Summaries saved at once from different moments of a conversation, while
// the participant moves to another counselor and the counselor reads: the
// newest summary, the new counselor and the furthest read mark all stand,
// whatever the order. On the embedded engine,
// whose updates are not atomic, this holds because the store serialises
// the updates of one document (docLocks).
func TestConversationSummaryKeepsTheNewestUnderRace(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	u := models.User{ID: newID(), Role: models.RoleParticipant, Name: "Anna Holm", CounselorID: "counselor-1", Status: models.StatusActive}
	if err := s.InsertUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	const n = 50
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%03d", i) // the order of message IDs
	}
	const reads = 10
	got := race(t, n+1+reads, func(i int) error {
		switch {
		case i == n:
			return s.SetCounselor(ctx, u.ID, "counselor-2")
		case i > n:
			return s.MarkRead(ctx, models.ReadMark{ID: u.ID + "/counselor-1", ParticipantID: u.ID, UserID: "counselor-1",
				LastReadID: fmt.Sprintf("m%03d", i-n-1), At: t0})
		}
		c := models.Conversation{ParticipantID: u.ID, ParticipantName: u.Name, CounselorID: u.CounselorID, LastMessageID: ids[i],
			Unanswered: []models.Unanswered{{ID: ids[i], At: t0}}, InboxKey: "1" + ids[i]}
		return s.SaveConversation(ctx, c)
	})
	if got != n+1+reads {
		t.Fatalf("%d of %d writes succeeded", got, n+1+reads)
	}
	page, _, err := s.Conversations(ctx, []string{"counselor-2"}, "", models.Page{Limit: 10})
	if err != nil || len(page) != 1 {
		t.Fatalf("the new counselor's inbox: %+v, %v", page, err)
	}
	c := page[0]
	if c.LastMessageID != ids[n-1] || len(c.Unanswered) != 1 || c.Unanswered[0].ID != ids[n-1] || c.InboxKey != "1"+ids[n-1] {
		t.Fatalf("summary = %+v; want the newest, %s", c, ids[n-1])
	}
	if mark := c.Marks["counselor-1"]; mark != fmt.Sprintf("m%03d", reads-1) {
		t.Fatalf("the summary's read mark = %q, want the furthest", mark)
	}
	if marks, err := s.ReadMarksOf(ctx, "counselor-1", []string{u.ID}); err != nil || len(marks) != 1 || marks[0].LastReadID != fmt.Sprintf("m%03d", reads-1) {
		t.Fatalf("read marks = %+v, %v; want the furthest", marks, err)
	}
	if old, _, _ := s.Conversations(ctx, []string{"counselor-1"}, "", models.Page{Limit: 10}); len(old) != 0 {
		t.Fatalf("still in the old counselor's inbox: %+v", old)
	}
}

// The inbox pages through summaries in key order, below a bound.
func TestConversationsPageInKeyOrder(t *testing.T) {
	s := storetest.Store(t, nil)
	ctx := context.Background()
	keys := []string{"2b", "0a", "3zoe", "1a", "2a", "3anna"} // 3: no messages yet, by name
	for i, k := range keys {
		u := models.User{ID: fmt.Sprintf("p%d", i), Role: models.RoleParticipant, Name: k[1:], CounselorID: "c", Status: models.StatusActive}
		if err := s.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if k[0] != '3' {
			if err := s.SaveConversation(ctx, models.Conversation{ParticipantID: u.ID, LastMessageID: "m", InboxKey: k}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []string
	pg := models.Page{Limit: 4}
	for {
		page, next, err := s.Conversations(ctx, []string{"c", "other"}, "", pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			got = append(got, c.InboxKey)
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	if want := "0a 1a 2a 2b 3anna 3zoe"; fmt.Sprint(got) != "["+want+"]" {
		t.Fatalf("order = %v, want %s", got, want)
	}
	waiting, _, err := s.Conversations(ctx, []string{"c"}, models.InboxUnansweredBelow, models.Page{Limit: 10})
	if err != nil || len(waiting) != 2 {
		t.Fatalf("unanswered = %+v, %v", waiting, err)
	}
}
