package handlers

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/plan"
)

// Plans is the use-case surface of the plan routes; *plan.Service
// satisfies it.
type Plans interface {
	Plan(ctx context.Context, p auth.Principal, participantID string) (models.Plan, error)
	CreateGoal(ctx context.Context, p auth.Principal, participantID string, in plan.NewGoal) (models.Goal, error)
	UpdateGoal(ctx context.Context, p auth.Principal, participantID, goalID string, c plan.GoalChange) (models.Goal, error)
	DeleteGoal(ctx context.Context, p auth.Principal, participantID, goalID string) error
}

type planRoutes struct{ svc Plans }

// createGoalRequest is the body of createGoal.
type createGoalRequest struct {
	Title    string              `json:"title"`
	Wish     string              `json:"wish"`
	SubGoals []newSubGoalRequest `json:"subGoals"`
}

type newSubGoalRequest struct {
	Title      string `json:"title"`
	TargetDate string `json:"targetDate"`
}

// updateGoalRequest is the body of updateGoal: absent (or null) fields
// stay as they are.
type updateGoalRequest struct {
	Version  *int                   `json:"version"`
	Title    *string                `json:"title"`
	Wish     *string                `json:"wish"`
	Status   *models.GoalStatus     `json:"status"`
	SubGoals []subGoalChangeRequest `json:"subGoals"`
	Note     *string                `json:"note"`
}

type subGoalChangeRequest struct {
	ID         string       `json:"id"`
	Title      *string      `json:"title"`
	TargetDate nullableDate `json:"targetDate"`
	Done       *bool        `json:"done"`
	Remove     bool         `json:"remove"`
}

// nullableDate tells an absent targetDate (unchanged) from null or ""
// (cleared) and from a date.
type nullableDate struct {
	set   bool
	value string
}

func (d *nullableDate) UnmarshalJSON(b []byte) error {
	d.set = true
	if bytes.Equal(b, []byte("null")) {
		d.value = ""
		return nil
	}
	return json.Unmarshal(b, &d.value)
}

func (d nullableDate) ptr() *string {
	if !d.set {
		return nil
	}
	return &d.value
}

// getPlan handles GET /v1/participants/:id/plan.
func (r planRoutes) getPlan(c *fiber.Ctx) error {
	p, err := r.svc.Plan(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// createGoal handles POST /v1/participants/:id/plan/goals.
func (r planRoutes) createGoal(c *fiber.Ctx) error {
	var req createGoalRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := plan.NewGoal{Title: req.Title, Wish: req.Wish}
	for _, sg := range req.SubGoals {
		in.SubGoals = append(in.SubGoals, plan.NewSubGoal(sg))
	}
	g, err := r.svc.CreateGoal(c.UserContext(), principal(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

// updateGoal handles PATCH /v1/participants/:id/plan/goals/:goalId.
func (r planRoutes) updateGoal(c *fiber.Ctx) error {
	var req updateGoalRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ch := plan.GoalChange{Version: req.Version, Title: req.Title, Wish: req.Wish, Status: req.Status, Note: req.Note}
	for _, sc := range req.SubGoals {
		ch.SubGoals = append(ch.SubGoals, plan.SubGoalChange{
			ID: sc.ID, Title: sc.Title, TargetDate: sc.TargetDate.ptr(), Done: sc.Done, Remove: sc.Remove,
		})
	}
	g, err := r.svc.UpdateGoal(c.UserContext(), principal(c), c.Params("id"), c.Params("goalId"), ch)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

// deleteGoal handles DELETE /v1/participants/:id/plan/goals/:goalId.
func (r planRoutes) deleteGoal(c *fiber.Ctx) error {
	if err := r.svc.DeleteGoal(c.UserContext(), principal(c), c.Params("id"), c.Params("goalId")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
