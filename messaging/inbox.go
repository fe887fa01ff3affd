package messaging

import (
	"context"
	"slices"
	"strings"
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
	Unread          int         `json:"unread"`
	Unanswered      bool        `json:"unanswered"`
	WaitingSince    *time.Time  `json:"waitingSince,omitempty"`
	// WaitingMinutes is the wait so far counted in office hours.
	WaitingMinutes *int          `json:"waitingMinutes,omitempty"`
	OpenCallback   *CallbackInfo `json:"openCallback,omitempty"`
	// CoveringFor names the absent colleague when the caller reads this
	// conversation as their stand-in.
	CoveringFor *Person `json:"coveringFor,omitempty"`
}

// Inbox lists the conversations of the counselor's participants and of
// those they stand in for: open callback requests first, then the
// unanswered ones (longest waiting first), then the rest (latest first).
func (s *Service) Inbox(ctx context.Context, p auth.Principal, filter InboxFilter) ([]InboxItem, error) {
	if err := auth.Require(p.Role, auth.ListInbox); err != nil {
		return nil, err
	}
	switch filter {
	case "":
		filter = InboxAll
	case InboxAll, InboxUnanswered, InboxCallbacks:
	default:
		return nil, apperr.InvalidField("filter", "inbox.filter", "Choose all, unanswered or callbacks.")
	}
	now := s.now()
	covered, err := s.avail.AbsencesCoveredBy(ctx, p.UserID, now)
	if err != nil {
		return nil, err
	}
	counselors := []string{p.UserID}
	coveringFor := map[string]string{} // counselor ID → absence
	for _, a := range covered {
		counselors = append(counselors, a.CounselorID)
		coveringFor[a.CounselorID] = a.ID
	}
	participants, err := s.store.ParticipantsOf(ctx, counselors)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(participants))
	for i, u := range participants {
		ids[i] = u.ID
	}
	marks, err := s.store.ReadMarks(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for c := range coveringFor {
		names[c] = true
	}
	counselorNames, err := s.names(ctx, names)
	if err != nil {
		return nil, err
	}
	hours, err := s.avail.OfficeHours(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	items := make([]InboxItem, 0, len(participants))
	for _, u := range participants {
		recent, err := s.store.Messages(ctx, u.ID, "", "", MaxPage)
		if err != nil {
			return nil, err
		}
		sum := summarize(recent, markOf(marks, u.ID, p.UserID), false)
		it := InboxItem{ParticipantID: u.ID, ParticipantName: u.Name, LastMessageAt: sum.lastAt, LastMessageFrom: sum.lastFrom,
			Unread: sum.unread, Unanswered: sum.waitingSince != nil, WaitingSince: sum.waitingSince, OpenCallback: sum.callback}
		if sum.waitingSince != nil {
			m := int(availability.WorkingTime(hours, *sum.waitingSince, now).Minutes())
			it.WaitingMinutes = &m
		}
		if _, ok := coveringFor[u.CounselorID]; ok {
			it.CoveringFor = &Person{ID: u.CounselorID, Name: counselorNames[u.CounselorID]}
		}
		switch filter {
		case InboxUnanswered:
			if !it.Unanswered {
				continue
			}
		case InboxCallbacks:
			if it.OpenCallback == nil {
				continue
			}
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, compareInbox)
	return items, nil
}

// compareInbox orders callbacks (oldest first), then unanswered (longest
// waiting first), then the rest (latest message first), then by name.
func compareInbox(a, b InboxItem) int {
	rank := func(it InboxItem) int {
		switch {
		case it.OpenCallback != nil:
			return 0
		case it.Unanswered:
			return 1
		case it.LastMessageAt != nil:
			return 2
		}
		return 3
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch rank(a) {
	case 0:
		return a.OpenCallback.At.Compare(b.OpenCallback.At)
	case 1:
		return a.WaitingSince.Compare(*b.WaitingSince)
	case 2:
		return b.LastMessageAt.Compare(*a.LastMessageAt)
	}
	return strings.Compare(a.ParticipantName, b.ParticipantName)
}
