package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Celebrations is the use-case surface of the "Godt Gået" routes;
// *activity.Service satisfies it.
type Celebrations interface {
	Celebrations(ctx context.Context, p auth.Principal, departmentID string, pg models.Page) ([]activity.CelebrationView, string, error)
	CreateCelebration(ctx context.Context, p auth.Principal, in activity.CelebrationInput) (activity.CelebrationView, error)
	RSVP(ctx context.Context, p auth.Principal, id string, answer models.RSVPAnswer, note string) (activity.CelebrationView, error)
}

type celebrationRoutes struct{ svc Celebrations }

type guestRequest struct {
	Name     string               `json:"name"`
	Relation models.GuestRelation `json:"relation"`
	Count    *int                 `json:"count"` // left out: 1; 0 is refused by the service
}

type celebrationRequest struct {
	ParticipantID  string         `json:"participantId"`
	EmploymentID   string         `json:"employmentId"`
	MilestoneYears int            `json:"milestoneYears"`
	Title          models.Text    `json:"title"`
	Description    models.Text    `json:"description"`
	Location       string         `json:"location"`
	StartsAt       time.Time      `json:"startsAt"`
	EndsAt         *time.Time     `json:"endsAt"`
	Guests         []guestRequest `json:"guests"`
}

type rsvpRequest struct {
	Answer models.RSVPAnswer `json:"answer"`
	Note   string            `json:"note"`
}

// listCelebrations handles GET /v1/celebrations.
func (r celebrationRoutes) listCelebrations(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.Celebrations(c.UserContext(), principal(c), c.Query("departmentId"), pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// createCelebration handles POST /v1/celebrations.
func (r celebrationRoutes) createCelebration(c *fiber.Ctx) error {
	var req celebrationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := activity.CelebrationInput{
		ParticipantID: req.ParticipantID, EmploymentID: req.EmploymentID, MilestoneYears: req.MilestoneYears,
		Title: req.Title, Description: req.Description, Location: req.Location, StartsAt: req.StartsAt,
	}
	if req.EndsAt != nil {
		in.EndsAt = *req.EndsAt
	}
	for _, g := range req.Guests {
		guest := models.Guest{Name: g.Name, Relation: g.Relation, Count: 1}
		if g.Count != nil {
			guest.Count = *g.Count
		}
		in.Guests = append(in.Guests, guest)
	}
	v, err := r.svc.CreateCelebration(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// rsvpCelebration handles POST /v1/celebrations/:id/rsvp.
func (r celebrationRoutes) rsvpCelebration(c *fiber.Ctx) error {
	var req rsvpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.RSVP(c.UserContext(), principal(c), c.Params("id"), req.Answer, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
