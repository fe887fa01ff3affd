package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// apply gives the summary summarize makes of the messages, whatever order
// they arrive in (messages written at once) and however often (a message
// sent again), so a summary kept at write time needs no history.
func TestApplyIsOrderFree(t *testing.T) {
	u := models.User{ID: "p1", Name: "Mette", CounselorID: "c1", Role: models.RoleParticipant}
	names := map[string]string{"c1": "Anne", "c2": "Bo"}
	s := &Service{} // names are known: apply reads none
	r := rand.New(rand.NewPCG(3, 5))
	t0 := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	for round := range 200 {
		var msgs []models.Message // oldest first
		for i := range 1 + r.IntN(12) {
			m := models.Message{ID: fmt.Sprintf("m%03d", i), ParticipantID: u.ID, CreatedAt: t0.Add(time.Duration(i) * time.Minute),
				Kind: models.MessageText, SenderID: u.ID, SenderRole: models.RoleParticipant}
			switch r.IntN(6) {
			case 0:
				m.Kind, m.CallbackReason = models.MessageCallback, models.CallbackWork
			case 1, 2:
				m.SenderID, m.SenderRole = "c1", models.RoleCounselor
			case 3:
				m.Kind, m.SenderID, m.SenderRole, m.StandInID = models.MessageAutoOff, "c1", models.RoleCounselor, "c2"
			}
			msgs = append(msgs, m)
		}
		newestFirst := slices.Clone(msgs)
		slices.Reverse(newestFirst)
		want := summaryOf(u, newestFirst, names)

		order := slices.Clone(msgs)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		order = append(order, order[r.IntN(len(order))]) // one sent again
		c := models.Conversation{ParticipantID: u.ID, ParticipantName: u.Name, CounselorID: u.CounselorID,
			InboxKey: models.InboxKey(nil, nil, nil, u.Name), Names: names}
		for _, m := range order {
			if _, err := s.apply(context.Background(), &c, u, m); err != nil {
				t.Fatal(err)
			}
		}
		c.Names, want.Names = nil, nil // known beforehand here: apply read none
		got, _ := json.Marshal(c)
		exp, _ := json.Marshal(want)
		if string(got) != string(exp) {
			t.Fatalf("round %d, messages applied in the order %v:\ngot  %s\nwant %s", round, ids(order), got, exp)
		}
	}
}

func ids(list []models.Message) []string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i] = m.ID + "/" + string(m.SenderRole)[:1] + string(m.Kind)[:1]
	}
	return out
}
