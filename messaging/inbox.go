package messaging

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

// InboxFilter narrows the inbox.
type InboxFilter string

// The inbox filters.
const (
	InboxAll        InboxFilter = "all"
	InboxUnanswered InboxFilter = "unanswered" // waiting for a reply, callback requests included
	InboxCallbacks  InboxFilter = "callbacks"  // open "please call me" requests
)

// InboxItem is one conversation in a counselor's inbox.
type InboxItem struct {
	ParticipantID   string      `json:"participantId"`
	ParticipantName string      `json:"participantName"`
	LastMessageAt   *time.Time  `json:"lastMessageAt,omitempty"`
	LastMessageFrom models.Role `json:"lastMessageFrom,omitempty"`
	// Unread counts the participant's unanswered messages after the
	// reader's mark (all of them without one), at most 100.
	Unread       int        `json:"unread"`
	Unanswered   bool       `json:"unanswered"`
	WaitingSince *time.Time `json:"waitingSince,omitempty"`
	// WaitingMinutes is the wait so far counted in office hours.
	WaitingMinutes *int          `json:"waitingMinutes,omitempty"`
	OpenCallback   *CallbackInfo `json:"openCallback,omitempty"`
	// CoveringFor names the absent colleague when the caller reads this
	// conversation as their stand-in.
	CoveringFor *Person `json:"coveringFor,omitempty"`
}

// Inbox lists one page of the conversations of the counselor's
// participants and of those they stand in for: open callback requests
// first, then the unanswered ones (longest waiting first), then the rest
// (latest first), then those without messages (by name). It reads the
// conversations' summaries (models.Conversation), in the order of their
// InboxKey, never their histories.
func (s *Service) Inbox(ctx context.Context, p auth.Principal, filter InboxFilter, pg models.Page) ([]InboxItem, string, error) {
	if err := auth.Require(p.Role, auth.ListInbox); err != nil {
		return nil, "", err
	}
	below := ""
	switch filter {
	case "", InboxAll:
	case InboxUnanswered:
		below = models.InboxUnansweredBelow
	case InboxCallbacks:
		below = models.InboxCallbacksBelow
	default:
		return nil, "", apperr.InvalidField("filter", "inbox.filter", "Choose all, unanswered or callbacks.")
	}
	now := s.now()
	covered, err := s.avail.AbsencesCoveredBy(ctx, p.UserID, now)
	if err != nil {
		return nil, "", err
	}
	counselors := []string{p.UserID}
	coveringFor := map[string]bool{}
	for _, a := range covered {
		counselors = append(counselors, a.CounselorID)
		coveringFor[a.CounselorID] = true
	}
	convs, next, err := s.store.Conversations(ctx, counselors, below, pg)
	if err != nil {
		return nil, "", err
	}
	if len(convs) == 0 {
		return []InboxItem{}, "", nil
	}
	counselorNames := map[string]string{}
	if len(coveringFor) > 0 {
		if counselorNames, err = s.names(ctx, coveringFor); err != nil {
			return nil, "", err
		}
	}
	hours, err := s.avail.OfficeHours(ctx, p.UserID)
	if err != nil {
		return nil, "", err
	}
	items := make([]InboxItem, len(convs))
	for i, c := range convs {
		it := InboxItem{ParticipantID: c.ParticipantID, ParticipantName: c.ParticipantName, LastMessageAt: c.LastMessageAt, LastMessageFrom: c.LastMessageFrom,
			Unread: unreadBy(c, c.Marks[p.UserID]), Unanswered: c.WaitingSince() != nil, WaitingSince: c.WaitingSince()}
		if cb := c.Callback; cb != nil {
			it.OpenCallback = &CallbackInfo{MessageID: cb.MessageID, Reason: cb.Reason, At: cb.At}
		}
		if since := c.WaitingSince(); since != nil {
			m := int(availability.WorkingTime(hours, *since, now).Minutes())
			it.WaitingMinutes = &m
		}
		if coveringFor[c.CounselorID] {
			it.CoveringFor = &Person{ID: c.CounselorID, Name: counselorNames[c.CounselorID]}
		}
		items[i] = it
	}
	return items, next, nil
}
