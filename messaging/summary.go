package messaging

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// migrationConversations names the one-off migration that gave every
// participant from before conversation summaries their summary.
const migrationConversations = "conversations-v1"

// refresh keeps the summary of u's conversation (models.Conversation) in
// step after a message was written to it: made from its latest messages,
// it replaces an older summary, never a newer one (store.SaveConversation).
func (s *Service) refresh(ctx context.Context, u models.User) (models.Conversation, error) {
	latest, err := s.store.Messages(ctx, u.ID, "", "", MaxPage)
	if err != nil {
		return models.Conversation{}, err
	}
	names, err := s.names(ctx, staffNamed(latest))
	if err != nil {
		return models.Conversation{}, err
	}
	c := summaryOf(u, latest, names)
	return c, s.store.SaveConversation(ctx, c)
}

// record brings the summary of u's conversation up to date with m, a
// message just written, from the summary alone (one small read and one
// write, never the history): apply gives the same summary whatever order
// messages written at once arrive in, and leaves it as it is for a message
// it holds already (one sent again). A participant without a summary yet
// gets one made from the latest messages.
func (s *Service) record(ctx context.Context, u models.User, m models.Message) (models.Conversation, error) {
	conv, _, err := s.store.UpdateConversation(ctx, u.ID, func(c *models.Conversation) (bool, error) {
		return s.apply(ctx, c, u, m)
	})
	if apperr.Is(err, apperr.NotFound) {
		return s.refresh(ctx, u)
	}
	return conv, err
}

// apply adds m to c: what summarize would make of the latest messages,
// without reading them. It reports false when c holds m already. A staff
// member's name is read the first time they appear.
func (s *Service) apply(ctx context.Context, c *models.Conversation, u models.User, m models.Message) (bool, error) {
	if m.ID == c.LastMessageID || m.ID == c.LastStaffTextID ||
		slices.ContainsFunc(c.Unanswered, func(w models.Unanswered) bool { return w.ID == m.ID }) {
		return false, nil
	}
	if m.ID > c.LastMessageID {
		at := m.CreatedAt
		c.LastMessageID, c.LastMessageAt = m.ID, &at
	}
	if m.Kind != models.MessageAutoOff && m.ID > c.LastFromID {
		c.LastMessageFrom, c.LastFromID = m.SenderRole, m.ID
	}
	switch {
	case m.FromStaff() && m.ID > c.LastStaffTextID:
		// Everything the participant wrote before it is answered.
		c.LastStaffTextID = m.ID
		c.Unanswered = slices.DeleteFunc(c.Unanswered, func(w models.Unanswered) bool { return w.ID < m.ID })
		if c.Callback != nil && c.Callback.MessageID < m.ID {
			c.Callback = nil
		}
	case m.SenderRole == models.RoleParticipant && m.ID > c.LastStaffTextID:
		c.Unanswered = append(c.Unanswered, models.Unanswered{ID: m.ID, At: m.CreatedAt})
		slices.SortFunc(c.Unanswered, func(a, b models.Unanswered) int { return strings.Compare(b.ID, a.ID) })
		c.Unanswered = c.Unanswered[:min(len(c.Unanswered), MaxPage)]
		if m.Kind == models.MessageCallback && (c.Callback == nil || c.Callback.MessageID < m.ID) {
			c.Callback = &models.CallbackRequest{MessageID: m.ID, Reason: m.CallbackReason, At: m.CreatedAt}
		}
	}
	if len(c.Unanswered) == 0 {
		c.Unanswered = nil
	}
	missing := map[string]bool{}
	for id := range staffNamed([]models.Message{m}) {
		if _, ok := c.Names[id]; !ok {
			missing[id] = true
		}
	}
	names, err := s.names(ctx, missing)
	if err != nil {
		return false, err
	}
	for id, name := range names {
		if c.Names == nil {
			c.Names = map[string]string{}
		}
		c.Names[id] = name
	}
	c.InboxKey = inboxKey(*c, u.Name)
	return true, nil
}

// inboxKey is c's place in the inbox (models.InboxKey).
func inboxKey(c models.Conversation, name string) string {
	var callbackAt *time.Time
	if c.Callback != nil {
		callbackAt = &c.Callback.At
	}
	return models.InboxKey(callbackAt, c.WaitingSince(), c.LastMessageAt, name)
}

// staffNamed are the staff who wrote messages or are named in them.
func staffNamed(list []models.Message) map[string]bool {
	ids := map[string]bool{}
	for _, m := range list {
		if m.SenderRole != models.RoleParticipant {
			ids[m.SenderID] = true
		}
		if m.StandInID != "" {
			ids[m.StandInID] = true
		}
	}
	return ids
}

// summaryOf is the summary of u's conversation from its latest messages
// (newest first), with the names of the staff in them (from names).
func summaryOf(u models.User, newestFirst []models.Message, names map[string]string) models.Conversation {
	sum := summarize(newestFirst, "", false)
	c := models.Conversation{ParticipantID: u.ID, ParticipantName: u.Name, CounselorID: u.CounselorID,
		LastMessageAt: sum.lastAt, LastMessageFrom: sum.lastFrom}
	if len(newestFirst) > 0 {
		c.LastMessageID = newestFirst[0].ID
	}
	for _, m := range newestFirst {
		if m.Kind != models.MessageAutoOff {
			c.LastFromID = m.ID
			break
		}
	}
	for _, m := range newestFirst {
		if m.FromStaff() {
			c.LastStaffTextID = m.ID
			break
		}
		if m.SenderRole == models.RoleParticipant {
			c.Unanswered = append(c.Unanswered, models.Unanswered{ID: m.ID, At: m.CreatedAt})
		}
	}
	if cb := sum.callback; cb != nil {
		c.Callback = &models.CallbackRequest{MessageID: cb.MessageID, Reason: cb.Reason, At: cb.At}
	}
	c.InboxKey = inboxKey(c, u.Name)
	for id := range staffNamed(newestFirst) {
		if name, ok := names[id]; ok {
			if c.Names == nil {
				c.Names = map[string]string{}
			}
			c.Names[id] = name
		}
	}
	return c
}

// unreadBy is how many of the participant's unanswered messages a staff
// reader has not read: those after their mark (all, without one).
func unreadBy(c models.Conversation, mark string) int {
	n := 0
	for _, w := range c.Unanswered {
		if w.ID > mark {
			n++
		}
	}
	return n
}

// MigrateConversations gives every participant a conversation summary made
// from their latest messages: once per database, at start-up, before the
// service answers (participants from before the summaries, or written by
// `api seed`). It returns how many it wrote; 0 once done.
func (s *Service) MigrateConversations(ctx context.Context) (int, error) {
	done, err := s.store.MigrationDone(ctx, migrationConversations)
	if err != nil || done {
		return 0, err
	}
	n := 0
	pg := models.Page{Limit: 200}
	for {
		users, next, err := s.store.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleParticipant}}, pg)
		if err != nil {
			return n, err
		}
		ids := make([]string, len(users))
		for i, u := range users {
			ids[i] = u.ID
		}
		latest, err := s.store.LatestMessages(ctx, ids, MaxPage)
		if err != nil {
			return n, err
		}
		marks, err := s.store.ReadMarks(ctx, ids)
		if err != nil {
			return n, err
		}
		staff := map[string]bool{}
		for _, list := range latest {
			for id := range staffNamed(list) {
				staff[id] = true
			}
		}
		names, err := s.names(ctx, staff)
		if err != nil {
			return n, err
		}
		have, err := s.store.HasConversation(ctx, ids)
		if err != nil {
			return n, err
		}
		var fresh []models.Conversation
		for _, u := range users {
			c := summaryOf(u, latest[u.ID], names)
			for _, m := range marks {
				if m.ParticipantID == u.ID {
					if c.Marks == nil {
						c.Marks = map[string]string{}
					}
					c.Marks[m.UserID] = m.LastReadID
				}
			}
			if !have[u.ID] {
				fresh = append(fresh, c) // most of them: one insert for the page
				continue
			}
			if err := s.store.SaveConversation(ctx, c); err != nil {
				return n, fmt.Errorf("migrate conversation: %w", err)
			}
		}
		if err := s.store.InsertConversations(ctx, fresh); err != nil {
			return n, fmt.Errorf("migrate conversations: %w", err)
		}
		n += len(users)
		if next == "" {
			break
		}
		pg.After = next
	}
	return n, s.store.MarkMigrationDone(ctx, migrationConversations)
}
