package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// migrationConversations names the one-off migration that gave every
// participant from before conversation summaries their summary.
const migrationConversations = "conversations-v1"

// refresh keeps the summary of u's conversation (models.Conversation) in
// step after a message was written to it: made from its latest messages,
// it replaces an older summary, never a newer one (store.SaveConversation).
func (s *Service) refresh(ctx context.Context, u models.User) error {
	latest, err := s.store.Messages(ctx, u.ID, "", "", MaxPage)
	if err != nil {
		return err
	}
	return s.store.SaveConversation(ctx, summaryOf(u, latest))
}

// summaryOf is the summary of u's conversation from its latest messages
// (newest first): their metadata without text, and the inbox key.
func summaryOf(u models.User, newestFirst []models.Message) models.Conversation {
	recent := make([]models.Message, len(newestFirst))
	for i, m := range newestFirst {
		recent[i] = models.Message{ID: m.ID, ParticipantID: m.ParticipantID, Kind: m.Kind, SenderID: m.SenderID,
			SenderRole: m.SenderRole, CallbackReason: m.CallbackReason, CreatedAt: m.CreatedAt}
	}
	sum := summarize(recent, "", false)
	var callbackAt *time.Time
	if sum.callback != nil {
		callbackAt = &sum.callback.At
	}
	c := models.Conversation{ParticipantID: u.ID, ParticipantName: u.Name, CounselorID: u.CounselorID, Recent: recent,
		InboxKey: models.InboxKey(callbackAt, sum.waitingSince, sum.lastAt, u.Name)}
	if len(recent) > 0 {
		c.LastMessageID = recent[0].ID
	}
	return c
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
		for _, u := range users {
			c := summaryOf(u, latest[u.ID])
			for _, m := range marks {
				if m.ParticipantID == u.ID {
					if c.Marks == nil {
						c.Marks = map[string]string{}
					}
					c.Marks[m.UserID] = m.LastReadID
				}
			}
			if err := s.store.SaveConversation(ctx, c); err != nil {
				return n, fmt.Errorf("migrate conversation: %w", err)
			}
			n++
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	return n, s.store.MarkMigrationDone(ctx, migrationConversations)
}
