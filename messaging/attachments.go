package messaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// MaxAttachmentBytes is the largest file a message may carry.
const MaxAttachmentBytes = 10 << 20

// UnsentAttachmentTTL is how long an uploaded file waits to be sent with a
// message before the sweep removes it; attachMargin before that it may no
// longer be attached, so a send cannot race the sweep.
const (
	UnsentAttachmentTTL = 24 * time.Hour
	attachMargin        = time.Hour
)

// sniff names the type of content from its first bytes, ignoring what the
// client claims: photos (JPEG, PNG, WebP, HEIC) and PDFs are accepted,
// anything else (a program dressed as a photo included) is not.
func sniff(content []byte) (string, bool) {
	if len(content) >= 12 && string(content[4:8]) == "ftyp" {
		switch string(content[8:12]) {
		case "heic", "heix", "heim", "heis", "hevc", "hevx":
			return "image/heic", true
		}
		return "", false
	}
	switch t := http.DetectContentType(content); t {
	case "image/jpeg", "image/png", "image/webp", "application/pdf":
		return t, true
	}
	return "", false
}

// Upload stores a file for the caller to send in the participant's
// conversation; it becomes visible to the other side when a message
// carries it. The type is sniffed from the content, and a photo is stored
// without its metadata (see scrub); one that cannot be read as what it
// starts like is an Invalid attachment.unreadable error.
func (s *Service) Upload(ctx context.Context, p auth.Principal, participantID string, content []byte) (models.Attachment, error) {
	acc, err := s.conversation(ctx, p, auth.UseConversation, participantID)
	if err != nil {
		return models.Attachment{}, err
	}
	if err := openForWriting(acc.participant); err != nil {
		return models.Attachment{}, err
	}
	switch {
	case len(content) == 0:
		return models.Attachment{}, apperr.New(apperr.Invalid, "attachment.empty", "The file is empty.")
	case len(content) > MaxAttachmentBytes:
		return models.Attachment{}, apperr.New(apperr.TooLarge, "attachment.too_large", "A file may be at most 10 MB.")
	}
	typ, ok := sniff(content)
	if !ok {
		return models.Attachment{}, apperr.New(apperr.UnsupportedMedia, "attachment.type",
			"The file cannot be sent: send a photo (JPEG, PNG, WebP, HEIC) or a PDF.")
	}
	// What is stored, measured and hashed is the photo without its
	// metadata (scrub.go): never the location it was taken at.
	content, err = scrub(typ, content)
	if err != nil {
		return models.Attachment{}, err
	}
	sum := sha256.Sum256(content)
	a := models.Attachment{ID: s.newID(), ParticipantID: participantID, UploaderID: p.UserID, ContentType: typ,
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.now()}
	if err := s.store.InsertAttachment(ctx, a, bytes.NewReader(content)); err != nil {
		return models.Attachment{}, fmt.Errorf("upload: %w", err)
	}
	return a, nil
}

// Open returns an attachment of the conversation and its bytes, for those
// who may read the conversation. A file not yet sent is its uploader's only.
func (s *Service) Open(ctx context.Context, p auth.Principal, participantID, id string) (models.Attachment, io.ReadCloser, error) {
	if _, err := s.conversation(ctx, p, auth.UseConversation, participantID); err != nil {
		return models.Attachment{}, nil, err
	}
	a, err := s.store.Attachment(ctx, participantID, id)
	if err != nil {
		return models.Attachment{}, nil, err
	}
	if a.MessageID == "" && a.UploaderID != p.UserID {
		return models.Attachment{}, nil, apperr.New(apperr.NotFound, "attachment.not_found", "No such attachment.")
	}
	rc, err := s.store.OpenAttachment(ctx, a.ID)
	if err != nil {
		return models.Attachment{}, nil, err
	}
	return a, rc, nil
}
