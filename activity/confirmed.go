package activity

import (
	"context"

	"github.com/jobbanken/jobkunde/models"
)

// Confirmed returns the activity of session ss and the participants with a
// confirmed seat at it: the head of the activity's queue (mode activity) or
// of the session's own queue (drop-in), ranked as Status ranks them. A
// cancelled activity or session has nobody. It serves scheduled jobs (the
// session reminders), so it takes no principal and shows nothing to a
// client.
func (s *Service) Confirmed(ctx context.Context, ss models.Session) (models.Activity, []string, error) {
	a, err := s.store.Activity(ctx, ss.ActivityID)
	if err != nil {
		return models.Activity{}, nil, err
	}
	if a.State != models.StateScheduled || ss.State != models.StateScheduled || a.Capacity < 1 {
		return a, nil, nil
	}
	queueSession := ""
	if a.Mode == models.ModeSession {
		queueSession = ss.ID
	}
	head, err := s.store.Queue(ctx, a.ID, queueSession, a.Capacity)
	if err != nil {
		return models.Activity{}, nil, err
	}
	var ids []string
	for rank, e := range head {
		if st, _ := Status(e, rank, a.Capacity); st == models.StatusConfirmed {
			ids = append(ids, e.ParticipantID)
		}
	}
	return a, ids, nil
}
