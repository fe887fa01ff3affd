package notifications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence notifications need. Methods return apperr
// kinds: NotFound for a missing document, Conflict for a unique clash.
type Store interface {
	PendingEvents(ctx context.Context, limit int) ([]models.Event, error)
	MarkEventsConsumed(ctx context.Context, ids []string) error
	InsertNotification(ctx context.Context, n models.Notification) error
	DueNotifications(ctx context.Context, now time.Time, limit int) ([]models.Notification, error)
	ClaimNotifications(ctx context.Context, ids []string, now, leaseUntil time.Time, owner string) ([]models.Notification, error)
	FinishNotification(ctx context.Context, n models.Notification) error
	FinishNotifications(ctx context.Context, list []models.Notification) error
	NotificationsAbout(ctx context.Context, recipientID, key, value string) ([]models.Notification, error)
	Inbox(ctx context.Context, recipientID string, now time.Time, p models.Page) ([]models.Notification, string, error)
	UnreadCount(ctx context.Context, recipientID string, now time.Time, limit int) (int, error)
	MarkNotificationsRead(ctx context.Context, recipientID string, ids []string, at time.Time) error
	MarkAllNotificationsRead(ctx context.Context, recipientID string, at time.Time) error

	PutDevice(ctx context.Context, d models.Device) error
	DeleteDevice(ctx context.Context, userID, id string) error
	DevicesOfUsers(ctx context.Context, userIDs []string) ([]models.Device, error)
	DeleteDeviceByID(ctx context.Context, id string) error
	InsertDelivery(ctx context.Context, d models.Delivery) error
	SetDeliveryState(ctx context.Context, id, state string) error
	DeleteDelivery(ctx context.Context, id string) error

	NotificationPrefs(ctx context.Context, userID string) (models.NotificationPrefs, bool, error)
	NotificationPrefsOf(ctx context.Context, userIDs []string) ([]models.NotificationPrefs, error)
	PutNotificationPrefs(ctx context.Context, p models.NotificationPrefs) error

	UsersByID(ctx context.Context, ids []string) ([]models.User, error)
	ConsentsOfUsers(ctx context.Context, userIDs []string, purpose models.ConsentPurpose) ([]models.ConsentRecord, error)
	ActivitiesByID(ctx context.Context, ids []string) (map[string]models.Activity, error)
}

// Config holds the notification settings.
type Config struct {
	Lease       time.Duration // how long a claim holds; 1 minute unless set
	MaxAttempts int           // sends tried before giving up; 8 unless set
	Batch       int           // events and notifications handled per round; 500 unless set (FCM's SendEach limit)
}

// Service implements devices, the inbox, preferences and the delivery worker.
type Service struct {
	store  Store
	sender Sender // nil: push is off, the inbox still fills
	cfg    Config
	now    func() time.Time
	newID  func() string
}

// New returns a Service. sender may be nil (no credentials: inbox only).
func New(store Store, sender Sender, cfg Config, now func() time.Time, newID func() string) *Service {
	if cfg.Lease == 0 {
		cfg.Lease = time.Minute
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Batch == 0 || cfg.Batch > 500 {
		cfg.Batch = 500
	}
	return &Service{store: store, sender: sender, cfg: cfg, now: func() time.Time { return now().UTC() }, newID: newID}
}

// PushEnabled reports whether pushes go out (FCM credentials were given).
func (s *Service) PushEnabled() bool { return s.sender != nil }

// DeviceInput registers a phone for pushes.
type DeviceInput struct {
	Token      string
	Platform   string
	AppVersion string
	Locale     string
}

const maxTokenLen = 4096

// DeviceID is the record ID of an FCM token: its SHA-256, so the token is
// never an ID anywhere.
func DeviceID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RegisterDevice records (or refreshes, on every app start) the caller's
// phone. A token moves to the new user when someone else logs in on it.
func (s *Service) RegisterDevice(ctx context.Context, p auth.Principal, in DeviceInput) (models.Device, error) {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return models.Device{}, err
	}
	var f apperr.Fields
	in.Token = strings.TrimSpace(in.Token)
	switch {
	case in.Token == "":
		f.Add("token", "field.required", "This field is required.")
	case len(in.Token) > maxTokenLen:
		f.Add("token", "field.too_long", "The token is too long.")
	}
	if in.Platform != "ios" && in.Platform != "android" {
		f.Add("platform", "device.platform", "Choose ios or android.")
	}
	if utf8.RuneCountInString(in.AppVersion) > 50 {
		f.Add("appVersion", "field.too_long", "Use at most 50 characters.")
	}
	switch in.Locale {
	case "":
		in.Locale = "da"
	case "da", "en":
	default:
		f.Add("locale", "device.locale", "Choose da or en.")
	}
	if err := f.Err(); err != nil {
		return models.Device{}, err
	}
	now := s.now()
	d := models.Device{ID: DeviceID(in.Token), UserID: p.UserID, SessionID: p.SessionID, Token: in.Token, Platform: in.Platform,
		AppVersion: in.AppVersion, Locale: in.Locale, CreatedAt: now, RefreshedAt: now}
	if err := s.store.PutDevice(ctx, d); err != nil {
		return models.Device{}, err
	}
	return d, nil
}

// UnregisterDevice removes the caller's phone (the app calls it on logout;
// logout itself removes the devices of the session too).
func (s *Service) UnregisterDevice(ctx context.Context, p auth.Principal, token string) error {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return err
	}
	return s.store.DeleteDevice(ctx, p.UserID, DeviceID(token))
}

// Item is a notification in the in-app inbox, in the reader's language.
type Item struct {
	ID        string            `json:"id"`
	Category  string            `json:"category"`
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Body      string            `json:"body"`
	Params    map[string]string `json:"params"`
	CreatedAt time.Time         `json:"createdAt"` // when it became due
	Read      bool              `json:"read"`
	// Cancelled is true when what it was about has been cancelled.
	Cancelled bool `json:"cancelled"`
}

// MaxUnreadCount is where the unread count stops counting: the app shows
// "99+" from 100 on, and the count reads at most that many notifications.
const MaxUnreadCount = 100

// InboxPage is one page of the inbox with the unread count.
type InboxPage struct {
	Items  []Item
	Next   string
	Unread int
}

// Inbox lists the caller's notifications that are due, newest first.
func (s *Service) Inbox(ctx context.Context, p auth.Principal, lang string, pg models.Page) (InboxPage, error) {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return InboxPage{}, err
	}
	now := s.now()
	list, next, err := s.store.Inbox(ctx, p.UserID, now, pg)
	if err != nil {
		return InboxPage{}, err
	}
	unread, err := s.store.UnreadCount(ctx, p.UserID, now, MaxUnreadCount)
	if err != nil {
		return InboxPage{}, err
	}
	out := InboxPage{Items: make([]Item, len(list)), Next: next, Unread: unread}
	for i, n := range list {
		title, body := Render(n, lang, now)
		params := n.Params
		if params == nil {
			params = map[string]string{}
		}
		out.Items[i] = Item{ID: n.ID, Category: n.Category, Type: n.Template, Title: title, Body: body, Params: params,
			CreatedAt: n.DueAt, Read: n.ReadAt != nil, Cancelled: n.Retracted || n.State == models.NotifyCancelled}
	}
	return out, nil
}

// MarkRead marks the given notifications read, or all when all is true.
func (s *Service) MarkRead(ctx context.Context, p auth.Principal, ids []string, all bool) error {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return err
	}
	switch {
	case all:
		return s.store.MarkAllNotificationsRead(ctx, p.UserID, s.now())
	case len(ids) == 0:
		return apperr.InvalidField("ids", "field.required", "Name the notifications, or send all: true.")
	case len(ids) > 500:
		return apperr.InvalidField("ids", "notifications.too_many", "At most 500 at a time.")
	}
	return s.store.MarkNotificationsRead(ctx, p.UserID, ids, s.now())
}

// Channels a category can have.
const (
	ChannelPush  = "push"
	ChannelInbox = "inbox"
	ChannelOff   = "off"
)

// DefaultPrefs are everything as push, with quiet hours 21:00–08:00.
func DefaultPrefs(userID string) models.NotificationPrefs {
	p := models.NotificationPrefs{UserID: userID, Categories: map[string]string{}, QuietFrom: "21:00", QuietTo: "08:00"}
	for _, c := range Categories {
		p.Categories[c] = ChannelPush
	}
	return p
}

func (s *Service) prefs(ctx context.Context, userID string) (models.NotificationPrefs, error) {
	p, ok, err := s.store.NotificationPrefs(ctx, userID)
	if err != nil {
		return models.NotificationPrefs{}, err
	}
	if !ok {
		return DefaultPrefs(userID), nil
	}
	return withDefaults(p), nil
}

// withDefaults fills in the categories added since p was saved.
func withDefaults(p models.NotificationPrefs) models.NotificationPrefs {
	def := DefaultPrefs(p.UserID)
	if p.Categories == nil {
		p.Categories = map[string]string{}
	}
	for _, c := range Categories {
		if _, ok := p.Categories[c]; !ok {
			p.Categories[c] = def.Categories[c]
		}
	}
	return p
}

// prefsOf returns the preferences of several users.
func (s *Service) prefsOf(ctx context.Context, userIDs []string) (map[string]models.NotificationPrefs, error) {
	saved, err := s.store.NotificationPrefsOf(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]models.NotificationPrefs, len(userIDs))
	for _, id := range userIDs {
		out[id] = DefaultPrefs(id)
	}
	for _, p := range saved {
		out[p.UserID] = withDefaults(p)
	}
	return out, nil
}

// withoutPushConsent returns the participants among userIDs who have not
// consented to push notifications (or withdrew it): theirs go to the
// in-app inbox only. Staff get pushes by their preferences alone.
func (s *Service) withoutPushConsent(ctx context.Context, userIDs []string) (map[string]bool, error) {
	users, err := s.store.UsersByID(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	var participants []string
	for _, u := range users {
		if u.Role == models.RoleParticipant {
			participants = append(participants, u.ID)
		}
	}
	if len(participants) == 0 {
		return nil, nil
	}
	recs, err := s.store.ConsentsOfUsers(ctx, participants, models.ConsentPush)
	if err != nil {
		return nil, err
	}
	given := map[string]bool{}
	for _, r := range recs { // oldest first: the latest decides
		given[r.ParticipantID] = r.Given
	}
	refused := make(map[string]bool, len(participants))
	for _, id := range participants {
		refused[id] = !given[id]
	}
	return refused, nil
}

// Preferences returns the caller's notification preferences.
func (s *Service) Preferences(ctx context.Context, p auth.Principal) (models.NotificationPrefs, error) {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return models.NotificationPrefs{}, err
	}
	return s.prefs(ctx, p.UserID)
}

// UpdatePreferences replaces the caller's preferences. Categories left out
// keep their setting; messages can be muted as push but not switched off.
func (s *Service) UpdatePreferences(ctx context.Context, p auth.Principal, in models.NotificationPrefs) (models.NotificationPrefs, error) {
	if err := auth.Require(p.Role, auth.ManageOwnNotifications); err != nil {
		return models.NotificationPrefs{}, err
	}
	cur, err := s.prefs(ctx, p.UserID)
	if err != nil {
		return models.NotificationPrefs{}, err
	}
	var f apperr.Fields
	known := map[string]bool{}
	for _, c := range Categories {
		known[c] = true
	}
	for c, ch := range in.Categories {
		switch {
		case !known[c]:
			f.Add("categories."+c, "notifications.category", "There is no such category.")
		case ch != ChannelPush && ch != ChannelInbox && ch != ChannelOff:
			f.Add("categories."+c, "notifications.channel", "Choose push, inbox or off.")
		case ch == ChannelOff && mustKeep[c]:
			f.Add("categories."+c, "notifications.required", "Messages from your counselor always reach your inbox; you can turn off the push.")
		default:
			cur.Categories[c] = ch
		}
	}
	if in.QuietFrom != "" || in.QuietTo != "" {
		if _, ok := minuteOfDay(in.QuietFrom); !ok {
			f.Add("quietFrom", "notifications.quiet_time", "Write the time as HH:MM.")
		}
		if _, ok := minuteOfDay(in.QuietTo); !ok {
			f.Add("quietTo", "notifications.quiet_time", "Write the time as HH:MM.")
		}
		cur.QuietFrom, cur.QuietTo = in.QuietFrom, in.QuietTo
	}
	if err := f.Err(); err != nil {
		return models.NotificationPrefs{}, err
	}
	now := s.now()
	cur.UpdatedAt = &now
	if err := s.store.PutNotificationPrefs(ctx, cur); err != nil {
		return models.NotificationPrefs{}, fmt.Errorf("save preferences: %w", err)
	}
	return cur, nil
}

// minuteOfDay parses "HH:MM" (00:00–23:59).
func minuteOfDay(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// quietUntil returns when the quiet hours around t end, or t itself when t
// is outside them. Quiet hours may run past midnight (21:00–08:00); equal
// times mean none.
func quietUntil(p models.NotificationPrefs, t time.Time) time.Time {
	from, ok1 := minuteOfDay(p.QuietFrom)
	to, ok2 := minuteOfDay(p.QuietTo)
	if !ok1 || !ok2 || from == to {
		return t
	}
	local := t.In(copenhagen())
	m := local.Hour()*60 + local.Minute()
	y, mo, d := local.Date()
	at := func(days, minute int) time.Time {
		return time.Date(y, mo, d+days, minute/60, minute%60, 0, 0, copenhagen())
	}
	switch {
	case from < to && m >= from && m < to: // e.g. 13:00–14:00
		return at(0, to)
	case from > to && m >= from: // evening part of 21:00–08:00
		return at(1, to)
	case from > to && m < to: // morning part
		return at(0, to)
	}
	return t
}
