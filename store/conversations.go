package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// colConversations holds one summary per participant's conversation
// (models.Conversation), kept when a message is written; the inbox pages
// through them by counselor and InboxKey.
const colConversations = "conversations"

// colMigrations records the one-off data migrations done, by name.
const colMigrations = "migrations"

// conversationFor is a new participant's summary: no messages yet.
func conversationFor(u models.User) models.Conversation {
	return models.Conversation{ParticipantID: u.ID, ParticipantName: u.Name, CounselorID: u.CounselorID,
		InboxKey: models.InboxKey(nil, nil, nil, u.Name)}
}

// InsertConversation stores a conversation's first summary, unless it has
// one already (a repeat counts as done).
func (s *Store) InsertConversation(ctx context.Context, c models.Conversation) error {
	return insertOnce(ctx, s.c(colConversations), c)
}

// Conversation returns a participant's conversation summary; NotFound
// when there is none (no such participant).
func (s *Store) Conversation(ctx context.Context, participantID string) (models.Conversation, error) {
	var c models.Conversation
	err := findOne(ctx, s.c(colConversations), byID(participantID), &c, "participant.not_found", "No such participant.")
	return c, err
}

// InsertConversations stores first summaries in one write, skipping any
// conversation that has one already (the migration's bulk path).
func (s *Store) InsertConversations(ctx context.Context, cs []models.Conversation) error {
	if len(cs) == 0 {
		return nil
	}
	docs := make([]any, len(cs))
	for i, c := range cs {
		docs[i] = c
	}
	return insertManyNew(ctx, s.c(colConversations), docs)
}

// HasConversation returns which of the participants have a summary.
func (s *Store) HasConversation(ctx context.Context, participantIDs []string) (map[string]bool, error) {
	type idDoc struct {
		ID string `bson:"_id"`
	}
	docs, err := findAll[idDoc](ctx, s.c(colConversations), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: participantIDs}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(docs))
	for _, d := range docs {
		out[d.ID] = true
	}
	return out, nil
}

// SaveConversation stores a summary made from the conversation's latest
// messages. A summary made from older messages than the one stored is
// dropped: the newest always wins, whichever finishes first. Name and
// counselor are not changed here (InsertConversation and SetCounselor
// keep them).
func (s *Store) SaveConversation(ctx context.Context, c models.Conversation) error {
	update := messageFields(c)
	if len(c.Marks) > 0 {
		update = append(update, bson.E{Key: "$max", Value: markFields(c.Marks)})
	}
	unlock := s.docs.lock(colConversations, c.ParticipantID)
	defer unlock()
	res, err := s.c(colConversations).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: c.ParticipantID}, {Key: "lastMessageId", Value: bson.D{{Key: "$lte", Value: c.LastMessageID}}}}, update)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	// No summary yet (a participant from before summaries), or a newer one:
	// the insert settles which.
	return insertOnce(ctx, s.c(colConversations), c)
}

// markFields are marks as "marks.<userId>" fields, for $max: a mark only
// moves forward.
func markFields(marks map[string]string) bson.D {
	d := make(bson.D, 0, len(marks))
	for user, id := range marks {
		d = append(d, bson.E{Key: "marks." + user, Value: id})
	}
	return d
}

// markConversationRead moves userID's mark in the conversation's summary
// forward to lastReadID.
func (s *Store) markConversationRead(ctx context.Context, participantID, userID, lastReadID string) error {
	unlock := s.docs.lock(colConversations, participantID)
	defer unlock()
	if _, err := s.c(colConversations).UpdateOne(ctx, byID(participantID),
		bson.D{{Key: "$max", Value: markFields(map[string]string{userID: lastReadID})}}); err != nil {
		return fmt.Errorf("mark conversation read: %w", err)
	}
	return nil
}

// conversationUpdateTries bounds how often UpdateConversation reads a
// summary again that another process changed meanwhile.
const conversationUpdateTries = 5

// UpdateConversation applies change to a participant's summary and stores
// the message-derived part of the result (as SaveConversation does) at
// once: under the document's lock here, and with the lastMessageId read in
// the filter, so a summary another process changed in between is read
// again. change returns false to leave the summary as it is. It returns
// the summary as stored and whether change applied; NotFound when the
// participant has no summary.
func (s *Store) UpdateConversation(ctx context.Context, participantID string, change func(*models.Conversation) (bool, error)) (models.Conversation, bool, error) {
	unlock := s.docs.lock(colConversations, participantID)
	defer unlock()
	for range conversationUpdateTries {
		c, err := s.Conversation(ctx, participantID)
		if err != nil {
			return c, false, err
		}
		read := c.LastMessageID
		if ok, err := change(&c); err != nil || !ok {
			return c, false, err
		}
		res, err := s.c(colConversations).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: participantID}, {Key: "lastMessageId", Value: read}}, messageFields(c))
		if err != nil {
			return c, false, fmt.Errorf("update conversation: %w", err)
		}
		if res.MatchedCount > 0 {
			return c, true, nil
		}
	}
	return models.Conversation{}, false, fmt.Errorf("update conversation %s: changed by others %d times in a row", participantID, conversationUpdateTries)
}

// messageFields is the update that stores the part of a summary that the
// messages decide (not the name, counselor or marks).
func messageFields(c models.Conversation) bson.D {
	return bson.D{{Key: "$set", Value: bson.D{
		{Key: "lastMessageId", Value: c.LastMessageID}, {Key: "lastMessageAt", Value: c.LastMessageAt},
		{Key: "lastMessageFrom", Value: c.LastMessageFrom}, {Key: "lastFromId", Value: c.LastFromID},
		{Key: "lastStaffTextId", Value: c.LastStaffTextID},
		{Key: "unanswered", Value: c.Unanswered},
		{Key: "callback", Value: c.Callback}, {Key: "inboxKey", Value: c.InboxKey}, {Key: "names", Value: c.Names},
	}}}
}

// Conversations returns one page of the summaries of the given counselors'
// participants, in InboxKey order, only keys below below when it is set.
// The cursor is "<inboxKey>|<participantId>" of the last item.
func (s *Store) Conversations(ctx context.Context, counselorIDs []string, below string, p models.Page) ([]models.Conversation, string, error) {
	filter := bson.D{{Key: "counselorId", Value: bson.D{{Key: "$in", Value: counselorIDs}}}}
	if below != "" {
		filter = append(filter, bson.E{Key: "inboxKey", Value: bson.D{{Key: "$lt", Value: below}}})
	}
	if p.After != "" {
		key, id, ok := strings.Cut(p.After, "|")
		if !ok || id == "" {
			return nil, "", apperr.InvalidField("cursor", "pagination.cursor", "Invalid cursor. Start again from the first page.")
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "inboxKey", Value: bson.D{{Key: "$gt", Value: key}}}},
			bson.D{{Key: "inboxKey", Value: key}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: id}}}},
		}})
	}
	items, err := findAll[models.Conversation](ctx, s.c(colConversations), filter,
		options.Find().SetSort(bson.D{{Key: "inboxKey", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(p.Limit)+1))
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(items) > p.Limit {
		items = items[:p.Limit]
		last := items[len(items)-1]
		next = last.InboxKey + "|" + last.ParticipantID
	}
	return items, next, nil
}

// LatestMessages returns, for each of the given conversations, up to per
// of its latest messages without their text, newest first: one read for
// many conversations (the summaries' migration).
func (s *Store) LatestMessages(ctx context.Context, participantIDs []string, per int) (map[string][]models.Message, error) {
	cur, err := s.c(colMessages).Find(ctx,
		bson.D{{Key: "participantId", Value: bson.D{{Key: "$in", Value: participantIDs}}}},
		options.Find().SetSort(bson.D{{Key: "participantId", Value: 1}, {Key: "_id", Value: -1}}).
			SetProjection(bson.D{{Key: "text", Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", colMessages, err)
	}
	defer cur.Close(ctx)
	out := map[string][]models.Message{}
	for cur.Next(ctx) {
		var m models.Message
		if err := cur.Decode(&m); err != nil {
			return nil, fmt.Errorf("decode %s: %w", colMessages, err)
		}
		if len(out[m.ParticipantID]) < per {
			out[m.ParticipantID] = append(out[m.ParticipantID], m)
		}
	}
	return out, cur.Err()
}

// MigrationDone reports whether the one-off migration name has run.
func (s *Store) MigrationDone(ctx context.Context, name string) (bool, error) {
	err := s.c(colMigrations).FindOne(ctx, byID(name)).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("find migration: %w", err)
	}
	return true, nil
}

// MarkMigrationDone records that the migration name has run.
func (s *Store) MarkMigrationDone(ctx context.Context, name string) error {
	return insertOnce(ctx, s.c(colMigrations), bson.D{{Key: "_id", Value: name}, {Key: "at", Value: s.now().UTC()}})
}
