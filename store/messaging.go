package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Collections of the messaging capability. Attachment bytes live in the
// GridFS bucket "attachments" (attachments.files / attachments.chunks).
const (
	colMessages     = "messages"
	colReadMarks    = "read_marks"
	colAttachments  = "attachments_meta"
	colSavedReplies = "saved_replies"
	attachmentsFS   = "attachments"
)

// InsertMessage stores a message; a clash on its dedupe key is a Conflict
// "message.exists" (the same message sent again).
func (s *Store) InsertMessage(ctx context.Context, m models.Message) error {
	return insert(ctx, s.c(colMessages), m, "message.exists", "This message was sent already.")
}

// MessageByDedupe returns the message with dedupe key k.
func (s *Store) MessageByDedupe(ctx context.Context, k string) (models.Message, error) {
	var m models.Message
	err := findOne(ctx, s.c(colMessages), bson.D{{Key: "dedupeKey", Value: k}}, &m, "message.not_found", "No such message.")
	return m, err
}

// ConversationMessage returns message id of participantID's conversation,
// or NotFound "message.not_found" when there is no such message in it.
func (s *Store) ConversationMessage(ctx context.Context, participantID, id string) (models.Message, error) {
	var m models.Message
	err := findOne(ctx, s.c(colMessages), bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}}, &m,
		"message.not_found", "There is no such message in this conversation.")
	return m, err
}

// Messages returns up to limit messages of a conversation: the newest when
// before and after are empty, else those just before (older than) or just
// after (newer than) the given message ID. Newest first, except with
// after: oldest first.
func (s *Store) Messages(ctx context.Context, participantID, before, after string, limit int) ([]models.Message, error) {
	filter := bson.D{{Key: "participantId", Value: participantID}}
	order := -1
	switch {
	case after != "":
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}})
		order = 1
	case before != "":
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: before}}})
	}
	return findAll[models.Message](ctx, s.c(colMessages), filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: order}}).SetLimit(int64(limit)))
}

// MessagesSince returns the messages of the given conversations sent at
// or after since, oldest first, without their text.
func (s *Store) MessagesSince(ctx context.Context, participantIDs []string, since time.Time) ([]models.Message, error) {
	if len(participantIDs) == 0 {
		return nil, nil
	}
	return findAll[models.Message](ctx, s.c(colMessages), bson.D{
		{Key: "participantId", Value: bson.D{{Key: "$in", Value: participantIDs}}},
		{Key: "createdAt", Value: bson.D{{Key: "$gte", Value: since}}},
	}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "text", Value: 0}}))
}

// ReadMarks returns the read marks of a conversation's readers.
func (s *Store) ReadMarks(ctx context.Context, participantIDs []string) ([]models.ReadMark, error) {
	return findAll[models.ReadMark](ctx, s.c(colReadMarks), bson.D{{Key: "participantId", Value: bson.D{{Key: "$in", Value: participantIDs}}}})
}

// ReadMarksOf returns userID's marks in the given conversations: by _id,
// "<participantId>/<userId>", so one read serves an inbox page.
func (s *Store) ReadMarksOf(ctx context.Context, userID string, participantIDs []string) ([]models.ReadMark, error) {
	ids := make([]string, len(participantIDs))
	for i, p := range participantIDs {
		ids[i] = p + "/" + userID
	}
	return findAll[models.ReadMark](ctx, s.c(colReadMarks), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
}

// MarkRead moves userID's read mark in a conversation forward to
// lastReadID; it never moves back.
func (s *Store) MarkRead(ctx context.Context, m models.ReadMark) error {
	if err := s.markConversationRead(ctx, m.ParticipantID, m.UserID, m.LastReadID); err != nil {
		return err
	}
	unlock := s.docs.lock(colReadMarks, m.ID)
	defer unlock()
	res, err := s.c(colReadMarks).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: m.ID}, {Key: "lastReadId", Value: bson.D{{Key: "$lt", Value: m.LastReadID}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "lastReadId", Value: m.LastReadID}, {Key: "at", Value: m.At}}}})
	if err != nil {
		return fmt.Errorf("mark read: %w", err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	return insertOnce(ctx, s.c(colReadMarks), m) // a duplicate: the mark exists and is already at or past lastReadID
}

// InsertAttachment stores an attachment's bytes in GridFS and then its
// record. The size and hash in a are those of what was written.
func (s *Store) InsertAttachment(ctx context.Context, a models.Attachment, content io.Reader) error {
	// The record first: bytes without a record would never be swept; a
	// record without bytes is swept after a day like any unsent upload.
	if err := insertNew(ctx, s.c(colAttachments), a); err != nil {
		return err
	}
	bucket := s.db.GridFSBucket(options.GridFSBucket().SetName(attachmentsFS))
	if err := bucket.UploadFromStreamWithID(ctx, a.ID, a.ID, content); err != nil {
		_, _ = s.c(colAttachments).DeleteOne(ctx, byID(a.ID))
		return fmt.Errorf("store attachment: %w", err)
	}
	return nil
}

// Attachment returns an attachment of a conversation.
func (s *Store) Attachment(ctx context.Context, participantID, id string) (models.Attachment, error) {
	var a models.Attachment
	err := findOne(ctx, s.c(colAttachments), bson.D{{Key: "_id", Value: id}, {Key: "participantId", Value: participantID}},
		&a, "attachment.not_found", "No such attachment.")
	return a, err
}

// Attachments returns a conversation's attachments with the given IDs.
func (s *Store) Attachments(ctx context.Context, participantID string, ids []string) ([]models.Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return findAll[models.Attachment](ctx, s.c(colAttachments), bson.D{
		{Key: "participantId", Value: participantID}, {Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
	})
}

// AttachTo records that the attachments went out with a message.
func (s *Store) AttachTo(ctx context.Context, ids []string, messageID string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.c(colAttachments).UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "messageId", Value: messageID}}}})
	if err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	return nil
}

// OpenAttachment streams an attachment's bytes.
func (s *Store) OpenAttachment(ctx context.Context, id string) (io.ReadCloser, error) {
	bucket := s.db.GridFSBucket(options.GridFSBucket().SetName(attachmentsFS))
	st, err := bucket.OpenDownloadStream(ctx, id)
	if errors.Is(err, mongo.ErrFileNotFound) {
		return nil, apperr.New(apperr.NotFound, "attachment.not_found", "No such attachment.")
	}
	if err != nil {
		return nil, fmt.Errorf("open attachment: %w", err)
	}
	return st, nil
}

// DeleteUnsentAttachments removes attachments uploaded before cutoff that
// never went out with a message, bytes and record.
func (s *Store) DeleteUnsentAttachments(ctx context.Context, cutoff time.Time) error {
	stale, err := findAll[models.Attachment](ctx, s.c(colAttachments), bson.D{
		{Key: "messageId", Value: bson.D{{Key: "$exists", Value: false}}},
		{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: cutoff}}},
	})
	if err != nil {
		return err
	}
	bucket := s.db.GridFSBucket(options.GridFSBucket().SetName(attachmentsFS))
	for _, a := range stale {
		if err := bucket.Delete(ctx, a.ID); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
			return fmt.Errorf("delete attachment bytes: %w", err)
		}
		if _, err := s.c(colAttachments).DeleteOne(ctx, byID(a.ID)); err != nil {
			return fmt.Errorf("delete attachment: %w", err)
		}
	}
	return nil
}

// InsertSavedReply stores a counselor's saved reply.
func (s *Store) InsertSavedReply(ctx context.Context, r models.SavedReply) error {
	return insertNew(ctx, s.c(colSavedReplies), r)
}

// SavedReplies returns a counselor's saved replies, oldest first.
func (s *Store) SavedReplies(ctx context.Context, counselorID string) ([]models.SavedReply, error) {
	return findAll[models.SavedReply](ctx, s.c(colSavedReplies), bson.D{{Key: "counselorId", Value: counselorID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// DeleteSavedReply removes one of a counselor's saved replies.
func (s *Store) DeleteSavedReply(ctx context.Context, counselorID, id string) error {
	res, err := s.c(colSavedReplies).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "counselorId", Value: counselorID}})
	if err != nil {
		return fmt.Errorf("delete saved reply: %w", err)
	}
	if res.DeletedCount == 0 {
		return apperr.New(apperr.NotFound, "saved_reply.not_found", "No such saved reply.")
	}
	return nil
}

// ParticipantsOf returns the participants assigned to any of the counselors.
func (s *Store) ParticipantsOf(ctx context.Context, counselorIDs []string) ([]models.User, error) {
	return findAll[models.User](ctx, s.c(colUsers), bson.D{
		{Key: "role", Value: models.RoleParticipant},
		{Key: "counselorId", Value: bson.D{{Key: "$in", Value: counselorIDs}}},
	})
}

// UsersByID returns the users with the given IDs.
func (s *Store) UsersByID(ctx context.Context, ids []string) ([]models.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return findAll[models.User](ctx, s.c(colUsers), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
}
