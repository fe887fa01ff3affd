package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/checkin"
	"github.com/jobbanken/jobkunde/models"
)

// CheckIns is the use-case surface of the check-in routes;
// *checkin.Service satisfies it.
type CheckIns interface {
	Send(ctx context.Context, p auth.Principal, in checkin.SendInput) (models.CheckIn, error)
	Answer(ctx context.Context, p auth.Principal, checkInID string, in checkin.AnswerInput) (checkin.AnswerView, error)
	Results(ctx context.Context, p auth.Principal, id string) (checkin.Results, error)
}

type checkInRoutes struct{ svc CheckIns }

type checkInRequest struct {
	Audience     checkin.Audience `json:"audience"`
	DepartmentID string           `json:"departmentId"`
	OpenDays     *int             `json:"openDays"` // left out: the default; 0 is refused
}

type checkInAnswerRequest struct {
	Choice models.CheckInChoice `json:"choice"`
	Text   string               `json:"text"`
}

// sendCheckIn handles POST /v1/check-ins.
func (r checkInRoutes) sendCheckIn(c *fiber.Ctx) error {
	var req checkInRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ci, err := r.svc.Send(c.UserContext(), principal(c), checkin.SendInput(req))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ci)
}

// answerCheckIn handles POST /v1/check-ins/:id/answer.
func (r checkInRoutes) answerCheckIn(c *fiber.Ctx) error {
	var req checkInAnswerRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.Answer(c.UserContext(), principal(c), c.Params("id"), checkin.AnswerInput(req))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// getCheckInResults handles GET /v1/check-ins/:id/results.
func (r checkInRoutes) getCheckInResults(c *fiber.Ctx) error {
	res, err := r.svc.Results(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}
