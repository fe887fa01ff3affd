package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
)

// Notifications is the use-case surface of devices, the inbox and
// preferences; *notifications.Service satisfies it.
type Notifications interface {
	RegisterDevice(ctx context.Context, p auth.Principal, in notifications.DeviceInput) (models.Device, error)
	UnregisterDevice(ctx context.Context, p auth.Principal, token string) error
	Inbox(ctx context.Context, p auth.Principal, lang string, pg models.Page) (notifications.InboxPage, error)
	MarkRead(ctx context.Context, p auth.Principal, ids []string, all bool) error
	Preferences(ctx context.Context, p auth.Principal) (models.NotificationPrefs, error)
	UpdatePreferences(ctx context.Context, p auth.Principal, in models.NotificationPrefs) (models.NotificationPrefs, error)
}

type notificationRoutes struct{ svc Notifications }

type deviceRequest struct {
	Token      string `json:"token"`
	Platform   string `json:"platform"`
	AppVersion string `json:"appVersion"`
	Locale     string `json:"locale"`
}

type markNotificationsRequest struct {
	IDs []string `json:"ids"`
	All bool     `json:"all"`
}

type preferencesRequest struct {
	Categories map[string]string `json:"categories"`
	QuietFrom  string            `json:"quietFrom"`
	QuietTo    string            `json:"quietTo"`
}

// notificationList is one page of the inbox with the unread count.
type notificationList struct {
	Items  []notifications.Item `json:"items"`
	Next   *string              `json:"next"`
	Unread int                  `json:"unread"`
}

// registerDevice handles PUT /v1/me/devices.
func (r notificationRoutes) registerDevice(c *fiber.Ctx) error {
	var req deviceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	d, err := r.svc.RegisterDevice(c.UserContext(), principal(c), notifications.DeviceInput(req))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// unregisterDevice handles DELETE /v1/me/devices/:token.
func (r notificationRoutes) unregisterDevice(c *fiber.Ctx) error {
	if err := r.svc.UnregisterDevice(c.UserContext(), principal(c), c.Params("token")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// listNotifications handles GET /v1/me/notifications.
func (r notificationRoutes) listNotifications(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	page, err := r.svc.Inbox(c.UserContext(), principal(c), string(langOf(c)), pg)
	if err != nil {
		return err
	}
	l := newList(page.Items, page.Next)
	return c.JSON(notificationList{Items: l.Items, Next: l.Next, Unread: page.Unread})
}

// markNotificationsRead handles POST /v1/me/notifications/read.
func (r notificationRoutes) markNotificationsRead(c *fiber.Ctx) error {
	var req markNotificationsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := r.svc.MarkRead(c.UserContext(), principal(c), req.IDs, req.All); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// getNotificationPreferences handles GET /v1/me/notification-preferences.
func (r notificationRoutes) getNotificationPreferences(c *fiber.Ctx) error {
	p, err := r.svc.Preferences(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// updateNotificationPreferences handles PUT /v1/me/notification-preferences.
func (r notificationRoutes) updateNotificationPreferences(c *fiber.Ctx) error {
	var req preferencesRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := r.svc.UpdatePreferences(c.UserContext(), principal(c),
		models.NotificationPrefs{Categories: req.Categories, QuietFrom: req.QuietFrom, QuietTo: req.QuietTo})
	if err != nil {
		return err
	}
	return c.JSON(p)
}
