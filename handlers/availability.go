package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

// Availability is the use-case surface of a counselor's office hours and
// away status; *availability.Service satisfies it.
type Availability interface {
	SetAway(ctx context.Context, p auth.Principal, counselorID string, in availability.AwayInput) (availability.AbsenceView, error)
	ClearAway(ctx context.Context, p auth.Principal, counselorID string) error
	SetOfficeHours(ctx context.Context, p auth.Principal, counselorID string, h models.OfficeHours) (models.OfficeHours, error)
}

type availabilityRoutes struct{ svc Availability }

// awayRequest is the body of setAway.
type awayRequest struct {
	ReturnDate string     `json:"returnDate"`
	StandInID  string     `json:"standInId"`
	From       *time.Time `json:"from"`
}

// officeHoursRequest is the body of setOfficeHours.
type officeHoursRequest struct {
	Days []officeDayRequest `json:"days"`
}

type officeDayRequest struct {
	Weekday int    `json:"weekday"`
	From    string `json:"from"`
	To      string `json:"to"`
}

// setAway handles PUT /v1/counselors/:id/away.
func (r availabilityRoutes) setAway(c *fiber.Ctx) error {
	var req awayRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.SetAway(c.UserContext(), principal(c), c.Params("id"), availability.AwayInput(req))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// clearAway handles DELETE /v1/counselors/:id/away.
func (r availabilityRoutes) clearAway(c *fiber.Ctx) error {
	if err := r.svc.ClearAway(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// setOfficeHours handles PUT /v1/counselors/:id/office-hours.
func (r availabilityRoutes) setOfficeHours(c *fiber.Ctx) error {
	var req officeHoursRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	h := models.OfficeHours{Days: make([]models.OfficeDay, len(req.Days))}
	for i, d := range req.Days {
		h.Days[i] = models.OfficeDay(d)
	}
	out, err := r.svc.SetOfficeHours(c.UserContext(), principal(c), c.Params("id"), h)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
