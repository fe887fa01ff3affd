package handlers

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
)

// Messaging is the use-case surface of the conversation routes;
// *messaging.Service satisfies it.
type Messaging interface {
	MyConversation(ctx context.Context, p auth.Principal) (messaging.ConversationView, error)
	Conversation(ctx context.Context, p auth.Principal, participantID string) (messaging.ConversationView, error)
	List(ctx context.Context, p auth.Principal, participantID, before, after string, limit int) (messaging.Page, error)
	Send(ctx context.Context, p auth.Principal, participantID string, in messaging.SendInput) (messaging.MessageView, bool, error)
	MarkRead(ctx context.Context, p auth.Principal, participantID, upTo string) error
	RequestCallback(ctx context.Context, p auth.Principal, participantID string, in messaging.CallbackInput) (messaging.MessageView, bool, error)
	Upload(ctx context.Context, p auth.Principal, participantID string, content []byte) (models.Attachment, error)
	Open(ctx context.Context, p auth.Principal, participantID, id string) (models.Attachment, io.ReadCloser, error)
	Inbox(ctx context.Context, p auth.Principal, filter messaging.InboxFilter, pg models.Page) ([]messaging.InboxItem, string, error)
	SavedReplies(ctx context.Context, p auth.Principal) ([]models.SavedReply, error)
	CreateSavedReply(ctx context.Context, p auth.Principal, title, text string) (models.SavedReply, error)
	DeleteSavedReply(ctx context.Context, p auth.Principal, id string) error
	Stats(ctx context.Context, p auth.Principal, days int) (messaging.Stats, error)
}

type messagingRoutes struct {
	svc Messaging
	now func() time.Time
}

type sendMessageRequest struct {
	ClientMessageID string   `json:"clientMessageId"`
	Text            string   `json:"text"`
	AttachmentIDs   []string `json:"attachmentIds"`
}

type markReadRequest struct {
	UpToMessageID string `json:"upToMessageId"`
}

type callbackRequest struct {
	Reason models.CallbackReason `json:"reason"`
	Note   string                `json:"note"`
}

type savedReplyRequest struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// messagePage is a stretch of a conversation with cursors both ways.
type messagePage struct {
	Items []messaging.MessageView `json:"items"`
	Older *string                 `json:"older"`
	Newer *string                 `json:"newer"`
}

// messageCursors reads ?before= and ?after= (opaque cursors) and ?limit=.
func messageCursors(c *fiber.Ctx) (before, after string, limit int, err error) {
	var f apperr.Fields
	before, after = decodeCursor(&f, "before", c.Query("before")), decodeCursor(&f, "after", c.Query("after"))
	limit = limitOf(c, &f, messaging.DefaultPage) // maxLimit is messaging.MaxPage
	return before, after, limit, f.Err()
}

// getMyConversation handles GET /v1/me/conversation.
func (r messagingRoutes) getMyConversation(c *fiber.Ctx) error {
	v, err := r.svc.MyConversation(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(withReplyText(langOf(c), v, r.now()))
}

// getConversation handles GET /v1/participants/:id/conversation.
func (r messagingRoutes) getConversation(c *fiber.Ctx) error {
	v, err := r.svc.Conversation(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(withReplyText(langOf(c), v, r.now()))
}

// listMessages handles GET /v1/participants/:id/conversation/messages.
func (r messagingRoutes) listMessages(c *fiber.Ctx) error {
	before, after, limit, err := messageCursors(c)
	if err != nil {
		return err
	}
	pg, err := r.svc.List(c.UserContext(), principal(c), c.Params("id"), before, after, limit)
	if err != nil {
		return err
	}
	l := langOf(c)
	for i := range pg.Items {
		pg.Items[i] = withAutoReplyText(l, pg.Items[i])
	}
	return c.JSON(messagePage{Items: pg.Items, Older: encodeCursor(pg.Older), Newer: encodeCursor(pg.Newer)})
}

// sendMessage handles POST /v1/participants/:id/conversation/messages: 201
// for a new message, 200 when the clientMessageId was sent before.
func (r messagingRoutes) sendMessage(c *fiber.Ctx) error {
	var req sendMessageRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, created, err := r.svc.Send(c.UserContext(), principal(c), c.Params("id"),
		messaging.SendInput{ClientID: req.ClientMessageID, Text: req.Text, AttachmentIDs: req.AttachmentIDs})
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(withAutoReplyText(langOf(c), v))
}

// markConversationRead handles POST /v1/participants/:id/conversation/read.
func (r messagingRoutes) markConversationRead(c *fiber.Ctx) error {
	var req markReadRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := r.svc.MarkRead(c.UserContext(), principal(c), c.Params("id"), req.UpToMessageID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// requestCallback handles POST /v1/participants/:id/conversation/callback:
// 201 for a new request, 200 when one is still open.
func (r messagingRoutes) requestCallback(c *fiber.Ctx) error {
	var req callbackRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, created, err := r.svc.RequestCallback(c.UserContext(), principal(c), c.Params("id"),
		messaging.CallbackInput{Reason: req.Reason, Note: req.Note})
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

// uploadAttachment handles POST /v1/participants/:id/conversation/attachments.
// The body is the file itself; its type is sniffed, not taken from the
// Content-Type header.
func (r messagingRoutes) uploadAttachment(c *fiber.Ctx) error {
	a, err := r.svc.Upload(c.UserContext(), principal(c), c.Params("id"), c.Body())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

var attachmentExt = map[string]string{
	"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic", "application/pdf": "pdf",
}

// getAttachment handles GET /v1/participants/:id/conversation/attachments/:attachmentId.
func (r messagingRoutes) getAttachment(c *fiber.Ctx) error {
	a, rc, err := r.svc.Open(c.UserContext(), principal(c), c.Params("id"), c.Params("attachmentId"))
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc) // at most 10 MB; read now, while the request's context lives
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="vedhaeftning-`+a.ID+`.`+attachmentExt[a.ContentType]+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

// listInbox handles GET /v1/inbox.
func (r messagingRoutes) listInbox(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.Inbox(c.UserContext(), principal(c), messaging.InboxFilter(c.Query("filter")), pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// listSavedReplies handles GET /v1/me/saved-replies.
func (r messagingRoutes) listSavedReplies(c *fiber.Ctx) error {
	items, err := r.svc.SavedReplies(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(newList(items, ""))
}

// createSavedReply handles POST /v1/me/saved-replies.
func (r messagingRoutes) createSavedReply(c *fiber.Ctx) error {
	var req savedReplyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.CreateSavedReply(c.UserContext(), principal(c), req.Title, req.Text)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// deleteSavedReply handles DELETE /v1/me/saved-replies/:id.
func (r messagingRoutes) deleteSavedReply(c *fiber.Ctx) error {
	if err := r.svc.DeleteSavedReply(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// getMessagingStats handles GET /v1/messaging/stats.
func (r messagingRoutes) getMessagingStats(c *fiber.Ctx) error {
	days := 0
	if s := c.Query("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return apperr.InvalidField("days", "stats.days", "Choose 1 to 365 days.")
		}
		days = n
	}
	st, err := r.svc.Stats(c.UserContext(), principal(c), days)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// The texts of the conversation header and auto-replies. {…} are filled in.
var (
	replyTexts = map[string]text{
		messaging.ExpectWithinHour:     {"Din vejleder svarer som regel inden for en time.", "Your counselor usually replies within an hour."},
		messaging.ExpectWithinFewHours: {"Din vejleder svarer som regel inden for et par timer.", "Your counselor usually replies within a few hours."},
		messaging.ExpectSameDay:        {"Din vejleder svarer som regel inden for en arbejdsdag.", "Your counselor usually replies within a working day."},
		messaging.ExpectFewDays:        {"Din vejleder svarer som regel inden for et par arbejdsdage.", "Your counselor usually replies within a few working days."},
		messaging.ExpectNoEstimate:     {"Din vejleder svarer, så snart det er muligt.", "Your counselor will reply as soon as possible."},
	}
	closedText  = text{" Kontoret åbner igen {when}.", " The office opens again {when}."}
	awayText    = text{"{counselor} er ikke på arbejde og er tilbage {date}. Indtil da svarer {standIn} på dine beskeder, så hurtigt det er muligt.", "{counselor} is not at work and is back on {date}. Until then {standIn} will answer your messages as soon as possible."}
	autoReplyTx = text{"Tak for din besked. {counselor} er ikke på arbejde og er tilbage {date}. Indtil da svarer {standIn} dig.", "Thank you for your message. {counselor} is not at work and is back on {date}. Until then {standIn} will answer you."}
)

// withReplyText words the header: while the counselor is away, who answers
// instead and when they are back (their own hint and hours do not apply
// then); otherwise the reply hint and, outside office hours, when the
// office opens again.
func withReplyText(l lang, v messaging.ConversationView, now time.Time) messaging.ConversationView {
	if v.Away != nil && v.Counselor != nil {
		v.ExpectedReply.Text = sayAway(l, awayText, v.Counselor.Name, v.Away.StandIn.Name, v.Away.ReturnDate)
		return v
	}
	var b strings.Builder
	b.WriteString(pick(l, replyTexts[v.ExpectedReply.Code]))
	if v.NextOpen != nil {
		when := notifications.SayWhen(string(l), *v.NextOpen, now)
		b.WriteString(strings.ReplaceAll(pick(l, closedText), "{when}", when))
	}
	v.ExpectedReply.Text = b.String()
	return v
}

func withAutoReplyText(l lang, m messaging.MessageView) messaging.MessageView {
	if m.AutoReply == nil {
		return m
	}
	m.Text = sayAway(l, autoReplyTx, m.AutoReply.CounselorName, m.AutoReply.StandInName, m.AutoReply.ReturnDate)
	return m
}

// sayAway words t, naming the absent counselor, who answers instead and
// the return date (YYYY-MM-DD).
func sayAway(l lang, t text, counselor, standIn, returnDate string) string {
	date, _ := time.Parse(time.DateOnly, returnDate)
	return strings.NewReplacer("{counselor}", counselor, "{date}", notifications.SayDate(string(l), date),
		"{standIn}", standIn).Replace(pick(l, t))
}
