package messaging

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Limits of saved replies.
const (
	maxSavedReplies    = 100
	maxSavedReplyTitle = 100
	maxSavedReplyText  = MaxTextRunes
)

// SavedReplies lists the caller's own saved replies.
func (s *Service) SavedReplies(ctx context.Context, p auth.Principal) ([]models.SavedReply, error) {
	if err := auth.Require(p.Role, auth.ManageSavedReplies); err != nil {
		return nil, err
	}
	return s.store.SavedReplies(ctx, p.UserID)
}

// CreateSavedReply adds a saved reply of the caller's own.
func (s *Service) CreateSavedReply(ctx context.Context, p auth.Principal, title, text string) (models.SavedReply, error) {
	if err := auth.Require(p.Role, auth.ManageSavedReplies); err != nil {
		return models.SavedReply{}, err
	}
	var f apperr.Fields
	title, text = strings.TrimSpace(title), strings.TrimSpace(text)
	switch {
	case title == "":
		f.Add("title", "field.required", "This field is required.")
	case utf8.RuneCountInString(title) > maxSavedReplyTitle:
		f.Add("title", "field.too_long", "Use at most 100 characters.")
	}
	switch {
	case text == "":
		f.Add("text", "field.required", "This field is required.")
	case utf8.RuneCountInString(text) > maxSavedReplyText:
		f.Add("text", "message.too_long", "A message has at most 4000 characters.")
	}
	if err := f.Err(); err != nil {
		return models.SavedReply{}, err
	}
	have, err := s.store.SavedReplies(ctx, p.UserID)
	if err != nil {
		return models.SavedReply{}, err
	}
	if len(have) >= maxSavedReplies {
		return models.SavedReply{}, apperr.New(apperr.RuleViolation, "saved_reply.too_many", "At most 100 saved replies: delete one first.")
	}
	r := models.SavedReply{ID: s.newID(), CounselorID: p.UserID, Title: title, Text: text, CreatedAt: s.now()}
	if err := s.store.InsertSavedReply(ctx, r); err != nil {
		return models.SavedReply{}, fmt.Errorf("save reply: %w", err)
	}
	return r, nil
}

// DeleteSavedReply removes one of the caller's saved replies.
func (s *Service) DeleteSavedReply(ctx context.Context, p auth.Principal, id string) error {
	if err := auth.Require(p.Role, auth.ManageSavedReplies); err != nil {
		return err
	}
	return s.store.DeleteSavedReply(ctx, p.UserID, id)
}
