package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
)

// CalendarFeeds is the use-case surface of the calendar feed routes;
// *activity.Service satisfies it.
type CalendarFeeds interface {
	RotateCalendarFeed(ctx context.Context, p auth.Principal) (activity.CalendarLink, error)
	RevokeCalendarFeed(ctx context.Context, p auth.Principal) error
	CalendarFeed(ctx context.Context, token string) ([]byte, error)
}

type calendarRoutes struct{ svc CalendarFeeds }

// getMyCalendarFeed handles GET /v1/calendar/:token.ics. It takes no bearer
// token (calendar apps cannot send one): the secret token in the path is the
// credential.
func (r calendarRoutes) getMyCalendarFeed(c *fiber.Ctx) error {
	body, err := r.svc.CalendarFeed(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.Send(body)
}

// rotateCalendarFeed handles POST /v1/me/calendar-feed: a new link, which
// replaces (and so revokes) the caller's current one.
func (r calendarRoutes) rotateCalendarFeed(c *fiber.Ctx) error {
	link, err := r.svc.RotateCalendarFeed(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(link)
}

// revokeCalendarFeed handles DELETE /v1/me/calendar-feed.
func (r calendarRoutes) revokeCalendarFeed(c *fiber.Ctx) error {
	if err := r.svc.RevokeCalendarFeed(c.UserContext(), principal(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
