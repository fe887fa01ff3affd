package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/work"
)

// Work is the use-case surface of the work routes; *work.Service satisfies it.
type Work interface {
	CreateEmployment(ctx context.Context, p auth.Principal, participantID string, in work.EmploymentInput) (work.EmploymentView, error)
	Employments(ctx context.Context, p auth.Principal, participantID string) ([]work.EmploymentView, error)
	Employment(ctx context.Context, p auth.Principal, participantID, id string) (work.EmploymentView, error)
	UpdateEmployment(ctx context.Context, p auth.Principal, participantID, id string, in work.EmploymentInput) (work.EmploymentView, error)
	EndEmployment(ctx context.Context, p auth.Principal, participantID, id string, in work.EndInput) (work.EmploymentView, error)
	SetEmployerContactConsent(ctx context.Context, p auth.Principal, participantID, id string, given bool, reason string) (work.EmploymentView, error)

	LogHours(ctx context.Context, p auth.Principal, participantID string, in work.HoursInput) (work.HoursView, error)
	Hours(ctx context.Context, p auth.Principal, participantID, from, to string) (work.HoursReport, error)
	UpdateHours(ctx context.Context, p auth.Principal, participantID, id string, in work.HoursInput) (work.HoursView, error)
	DeleteHours(ctx context.Context, p auth.Principal, participantID, id string) error
	RecordPayslip(ctx context.Context, p auth.Principal, participantID string, in work.PayslipInput) (work.PayslipView, error)
	Payslips(ctx context.Context, p auth.Principal, participantID string, year int) ([]work.PayslipView, error)

	PensionProfile(ctx context.Context, p auth.Principal, participantID string) (work.ProfileView, error)
	UpdatePensionProfile(ctx context.Context, p auth.Principal, participantID string, in work.ProfileInput) (work.ProfileView, error)
	Status(ctx context.Context, p auth.Principal, participantID string, year int) (work.PensionStatus, error)
	Simulate(ctx context.Context, p auth.Principal, participantID string, w work.WhatIfInput) (work.PensionStatus, error)

	FollowUps(ctx context.Context, p auth.Principal, participantID string) ([]work.FollowUpView, error)
	UpdateFollowUp(ctx context.Context, p auth.Principal, participantID, id string, c work.FollowUpChange) (work.FollowUpView, error)
}

type workRoutes struct{ svc Work }

// employmentRequest is the body of createEmployment; updateEmployment adds
// the version it is based on.
type employmentRequest struct {
	Company       models.Company        `json:"company"`
	Type          models.EmploymentType `json:"type"`
	StartDate     string                `json:"startDate"`
	EndDate       string                `json:"endDate"`
	HourlyWageOre int64                 `json:"hourlyWageOre"`
	WeeklyHours   float64               `json:"weeklyHours"`
	TaskNotes     string                `json:"taskNotes"`
}

func (r employmentRequest) input() work.EmploymentInput {
	return work.EmploymentInput{Company: r.Company, Type: r.Type, StartDate: r.StartDate, EndDate: r.EndDate,
		HourlyWageOre: r.HourlyWageOre, WeeklyHours: r.WeeklyHours, TaskNotes: r.TaskNotes}
}

type updateEmploymentRequest struct {
	employmentRequest
	Version int `json:"version"`
}

type endEmploymentRequest struct {
	EndDate string           `json:"endDate"`
	Reason  models.EndReason `json:"reason"`
	Note    string           `json:"note"`
}

type consentRequest struct {
	Given  *bool  `json:"given"`
	Reason string `json:"reason"`
}

type hoursRequest struct {
	Date         string  `json:"date"`
	Hours        float64 `json:"hours"`
	EmploymentID string  `json:"employmentId"`
}

type payslipRequest struct {
	EmploymentID string  `json:"employmentId"`
	Month        string  `json:"month"`
	GrossOre     int64   `json:"grossOre"`
	Hours        float64 `json:"hours"`
}

type pensionProfileRequest struct {
	Household            string   `json:"household"`
	OtherIncomeKr        int64    `json:"otherIncomeKr"`
	PartnerWorkIncomeKr  int64    `json:"partnerWorkIncomeKr"`
	PartnerOtherIncomeKr int64    `json:"partnerOtherIncomeKr"`
	PlannedWeeklyHours   *float64 `json:"plannedWeeklyHours"`
}

type simulationRequest struct {
	WeeklyHours   float64 `json:"weeklyHours"`
	HourlyWageOre int64   `json:"hourlyWageOre"`
	From          string  `json:"from"`
}

type followUpRequest struct {
	Date         string                `json:"date"`
	Status       models.FollowUpStatus `json:"status"`
	Note         string                `json:"note"`
	NoteInternal bool                  `json:"noteInternal"`
}

// createEmployment handles POST /v1/participants/:id/employments.
func (r workRoutes) createEmployment(c *fiber.Ctx) error {
	var req employmentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.CreateEmployment(c.UserContext(), principal(c), c.Params("id"), req.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listEmployments handles GET /v1/participants/:id/employments.
func (r workRoutes) listEmployments(c *fiber.Ctx) error {
	items, err := r.svc.Employments(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(newList(items, ""))
}

// getEmployment handles GET /v1/participants/:id/employments/:employmentId.
func (r workRoutes) getEmployment(c *fiber.Ctx) error {
	v, err := r.svc.Employment(c.UserContext(), principal(c), c.Params("id"), c.Params("employmentId"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// updateEmployment handles PUT /v1/participants/:id/employments/:employmentId.
func (r workRoutes) updateEmployment(c *fiber.Ctx) error {
	var req updateEmploymentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Version < 1 {
		return apperr.InvalidField("version", "field.required", "Send the version you read.")
	}
	in := req.input()
	in.Version = req.Version
	v, err := r.svc.UpdateEmployment(c.UserContext(), principal(c), c.Params("id"), c.Params("employmentId"), in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// endEmployment handles POST /v1/participants/:id/employments/:employmentId/end.
func (r workRoutes) endEmployment(c *fiber.Ctx) error {
	var req endEmploymentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.EndEmployment(c.UserContext(), principal(c), c.Params("id"), c.Params("employmentId"),
		work.EndInput{EndDate: req.EndDate, Reason: req.Reason, Note: req.Note})
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// setEmployerContactConsent handles PUT /v1/participants/:id/employments/:employmentId/employer-consent.
func (r workRoutes) setEmployerContactConsent(c *fiber.Ctx) error {
	var req consentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Given == nil {
		return apperr.InvalidField("given", "field.required", "Say whether consent is given (true) or withdrawn (false).")
	}
	v, err := r.svc.SetEmployerContactConsent(c.UserContext(), principal(c), c.Params("id"), c.Params("employmentId"), *req.Given, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// logHours handles POST /v1/participants/:id/hours.
func (r workRoutes) logHours(c *fiber.Ctx) error {
	var req hoursRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.LogHours(c.UserContext(), principal(c), c.Params("id"), work.HoursInput(req))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listHours handles GET /v1/participants/:id/hours.
func (r workRoutes) listHours(c *fiber.Ctx) error {
	rep, err := r.svc.Hours(c.UserContext(), principal(c), c.Params("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// updateHours handles PUT /v1/participants/:id/hours/:entryId.
func (r workRoutes) updateHours(c *fiber.Ctx) error {
	var req hoursRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.UpdateHours(c.UserContext(), principal(c), c.Params("id"), c.Params("entryId"), work.HoursInput(req))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// deleteHours handles DELETE /v1/participants/:id/hours/:entryId.
func (r workRoutes) deleteHours(c *fiber.Ctx) error {
	if err := r.svc.DeleteHours(c.UserContext(), principal(c), c.Params("id"), c.Params("entryId")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// recordPayslip handles POST /v1/participants/:id/payslips: 201 for a new
// month, 200 when it corrects an earlier payslip.
func (r workRoutes) recordPayslip(c *fiber.Ctx) error {
	var req payslipRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.RecordPayslip(c.UserContext(), principal(c), c.Params("id"), work.PayslipInput(req))
	if err != nil {
		return err
	}
	if v.Replaced {
		return c.JSON(v)
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listPayslips handles GET /v1/participants/:id/payslips.
func (r workRoutes) listPayslips(c *fiber.Ctx) error {
	var f apperr.Fields
	year := queryYear(c, &f, "year")
	if err := f.Err(); err != nil {
		return err
	}
	items, err := r.svc.Payslips(c.UserContext(), principal(c), c.Params("id"), year)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, ""))
}

// getPensionProfile handles GET /v1/participants/:id/pension-profile.
func (r workRoutes) getPensionProfile(c *fiber.Ctx) error {
	v, err := r.svc.PensionProfile(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// updatePensionProfile handles PUT /v1/participants/:id/pension-profile.
func (r workRoutes) updatePensionProfile(c *fiber.Ctx) error {
	var req pensionProfileRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.UpdatePensionProfile(c.UserContext(), principal(c), c.Params("id"), work.ProfileInput(req))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// getPensionStatus handles GET /v1/participants/:id/pension-status.
func (r workRoutes) getPensionStatus(c *fiber.Ctx) error {
	var f apperr.Fields
	year := queryYear(c, &f, "year")
	if err := f.Err(); err != nil {
		return err
	}
	st, err := r.svc.Status(c.UserContext(), principal(c), c.Params("id"), year)
	if err != nil {
		return err
	}
	return c.JSON(withNoteTexts(langOf(c), st))
}

// simulatePension handles POST /v1/participants/:id/pension-simulation.
func (r workRoutes) simulatePension(c *fiber.Ctx) error {
	var req simulationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	st, err := r.svc.Simulate(c.UserContext(), principal(c), c.Params("id"), work.WhatIfInput(req))
	if err != nil {
		return err
	}
	return c.JSON(withNoteTexts(langOf(c), st))
}

// listFollowUps handles GET /v1/participants/:id/follow-ups.
func (r workRoutes) listFollowUps(c *fiber.Ctx) error {
	items, err := r.svc.FollowUps(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(newList(items, ""))
}

// updateFollowUp handles PATCH /v1/participants/:id/follow-ups/:followUpId.
func (r workRoutes) updateFollowUp(c *fiber.Ctx) error {
	var req followUpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.UpdateFollowUp(c.UserContext(), principal(c), c.Params("id"), c.Params("followUpId"), work.FollowUpChange(req))
	if err != nil {
		return err
	}
	return c.JSON(v)
}
