package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Activities is the use-case surface of the activity routes;
// *activity.Service satisfies it.
type Activities interface {
	Activities(ctx context.Context, p auth.Principal, f activity.Filter, pg models.Page) ([]activity.Summary, string, error)
	Activity(ctx context.Context, p auth.Principal, id string) (activity.Detail, error)
	CreateActivity(ctx context.Context, p auth.Principal, d activity.Details, sessions []activity.Times) (activity.Detail, error)
	UpdateActivity(ctx context.Context, p auth.Principal, id string, d activity.Details, acceptDemotion bool) (activity.Detail, error)
	CancelActivity(ctx context.Context, p auth.Principal, id string) (activity.Detail, error)
	AddSessions(ctx context.Context, p auth.Principal, activityID string, ts []activity.Times, r *activity.Recurrence) ([]models.Session, error)
	CancelSession(ctx context.Context, p auth.Principal, sessionID string) (models.Session, error)
	SignUp(ctx context.Context, p auth.Principal, activityID, sessionID string) (models.EnrollmentView, bool, error)
	Cancel(ctx context.Context, p auth.Principal, id string) (models.EnrollmentView, error)
	Approve(ctx context.Context, p auth.Principal, id string) (models.EnrollmentView, error)
	Decline(ctx context.Context, p auth.Principal, id, reason string) (models.EnrollmentView, error)
	EnrollmentsOf(ctx context.Context, p auth.Principal, participantID string, pg models.Page) ([]models.EnrollmentView, string, error)
	PendingApprovals(ctx context.Context, p auth.Principal, pg models.Page) ([]activity.PendingApproval, string, error)
	Roster(ctx context.Context, p auth.Principal, activityID, sessionID string) (activity.Roster, error)
}

type activityRoutes struct{ svc Activities }

type timesRequest struct {
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
}

func toTimes(in []timesRequest) []activity.Times {
	out := make([]activity.Times, len(in))
	for i, t := range in {
		out[i] = activity.Times(t)
	}
	return out
}

// activityRequest is the body of createActivity and updateActivity.
type activityRequest struct {
	Kind                  models.ActivityKind   `json:"kind"`
	Title                 models.Text           `json:"title"`
	Description           models.Text           `json:"description"`
	WhatToBring           models.Text           `json:"whatToBring"`
	Location              string                `json:"location"`
	DepartmentID          string                `json:"departmentId"`
	Mode                  models.EnrollmentMode `json:"mode"`
	Capacity              int                   `json:"capacity"`
	RequiresApproval      bool                  `json:"requiresApproval"`
	SignupOpensAt         *time.Time            `json:"signupOpensAt"`
	SignupClosesAt        *time.Time            `json:"signupClosesAt"`
	CancelDeadlineHours   int                   `json:"cancelDeadlineHours"`
	CompletionMinSessions int                   `json:"completionMinSessions"`
	Sessions              []timesRequest        `json:"sessions"`       // createActivity only
	AcceptDemotion        bool                  `json:"acceptDemotion"` // updateActivity only
}

func (r activityRequest) details() activity.Details {
	return activity.Details{
		Kind: r.Kind, Title: r.Title, Description: r.Description, WhatToBring: r.WhatToBring,
		Location: r.Location, DepartmentID: r.DepartmentID, Mode: r.Mode, Capacity: r.Capacity,
		RequiresApproval: r.RequiresApproval, SignupOpensAt: r.SignupOpensAt, SignupClosesAt: r.SignupClosesAt,
		CancelDeadlineHours: r.CancelDeadlineHours, CompletionMinSessions: r.CompletionMinSessions,
	}
}

// listActivities handles GET /v1/activities.
func (r activityRoutes) listActivities(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	var fields apperr.Fields
	f := activity.Filter{ActivityFilter: models.ActivityFilter{
		Kind: models.ActivityKind(c.Query("kind")), DepartmentID: c.Query("departmentId"), State: c.Query("state"),
	}}
	if f.Kind != "" && !f.Kind.Catalogue() {
		fields.Add("kind", "activity.kind", "Choose sport, network or course.")
	}
	if f.State != "" && f.State != models.StateScheduled && f.State != models.StateCancelled {
		fields.Add("state", "activity.state", "Choose scheduled or cancelled.")
	}
	f.From = queryTime(c, &fields, "from")
	f.To = queryTime(c, &fields, "to")
	switch c.Query("freeSeats") {
	case "", "false":
	case "true":
		f.FreeSeats = true
	default:
		fields.Add("freeSeats", "field.invalid_type", "Use true or false.")
	}
	if err := fields.Err(); err != nil {
		return err
	}
	items, next, err := r.svc.Activities(c.UserContext(), principal(c), f, pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// queryTime reads an RFC 3339 query parameter.
func queryTime(c *fiber.Ctx, fields *apperr.Fields, name string) *time.Time {
	s := c.Query(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		fields.Add(name, "field.invalid_time", "Use an RFC 3339 time such as 2026-03-01T10:00:00+01:00.")
		return nil
	}
	return &t
}

// getActivity handles GET /v1/activities/:id.
func (r activityRoutes) getActivity(c *fiber.Ctx) error {
	d, err := r.svc.Activity(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// createActivity handles POST /v1/activities.
func (r activityRoutes) createActivity(c *fiber.Ctx) error {
	var req activityRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.AcceptDemotion {
		return apperr.InvalidField("acceptDemotion", "field.unknown", "This field is not known.")
	}
	d, err := r.svc.CreateActivity(c.UserContext(), principal(c), req.details(), toTimes(req.Sessions))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// updateActivity handles PUT /v1/activities/:id.
func (r activityRoutes) updateActivity(c *fiber.Ctx) error {
	var req activityRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Sessions != nil {
		return apperr.InvalidField("sessions", "field.unknown", "Add sessions with createSessions.")
	}
	d, err := r.svc.UpdateActivity(c.UserContext(), principal(c), c.Params("id"), req.details(), req.AcceptDemotion)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// cancelActivity handles POST /v1/activities/:id/cancel.
func (r activityRoutes) cancelActivity(c *fiber.Ctx) error {
	d, err := r.svc.CancelActivity(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

type recurrenceRequest struct {
	Weekday         string   `json:"weekday"`
	Start           string   `json:"start"`
	DurationMinutes int      `json:"durationMinutes"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Except          []string `json:"except"`
}

type sessionsRequest struct {
	Sessions   []timesRequest     `json:"sessions"`
	Recurrence *recurrenceRequest `json:"recurrence"`
}

// createSessions handles POST /v1/activities/:id/sessions.
func (r activityRoutes) createSessions(c *fiber.Ctx) error {
	var req sessionsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var rec *activity.Recurrence
	if rr := req.Recurrence; rr != nil {
		wd, ok := weekdays[strings.ToLower(rr.Weekday)]
		if !ok {
			return apperr.InvalidField("recurrence.weekday", "recurrence.bad_weekday", "Use a weekday name such as tuesday.")
		}
		rec = &activity.Recurrence{Weekday: wd, Start: rr.Start, Duration: time.Duration(rr.DurationMinutes) * time.Minute, From: rr.From, To: rr.To, Except: rr.Except}
	}
	sessions, err := r.svc.AddSessions(c.UserContext(), principal(c), c.Params("id"), toTimes(req.Sessions), rec)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"items": sessions})
}

// cancelSession handles POST /v1/sessions/:id/cancel.
func (r activityRoutes) cancelSession(c *fiber.Ctx) error {
	s, err := r.svc.CancelSession(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s)
}

type signUpRequest struct {
	SessionID string `json:"sessionId"`
}

// signUp handles POST /v1/activities/:id/enrollments: 201 for a new
// enrolment, 200 with the existing one when already signed up.
func (r activityRoutes) signUp(c *fiber.Ctx) error {
	var req signUpRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	v, created, err := r.svc.SignUp(c.UserContext(), principal(c), c.Params("id"), req.SessionID)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(v)
}

// cancelEnrollment handles POST /v1/enrollments/:id/cancel.
func (r activityRoutes) cancelEnrollment(c *fiber.Ctx) error {
	v, err := r.svc.Cancel(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// approveEnrollment handles POST /v1/enrollments/:id/approve.
func (r activityRoutes) approveEnrollment(c *fiber.Ctx) error {
	v, err := r.svc.Approve(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

type declineRequest struct {
	Reason string `json:"reason"`
}

// declineEnrollment handles POST /v1/enrollments/:id/decline.
func (r activityRoutes) declineEnrollment(c *fiber.Ctx) error {
	var req declineRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	v, err := r.svc.Decline(c.UserContext(), principal(c), c.Params("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// listMyEnrollments handles GET /v1/me/enrollments.
func (r activityRoutes) listMyEnrollments(c *fiber.Ctx) error {
	return r.enrollmentsOf(c, principal(c).UserID)
}

// listParticipantEnrollments handles GET /v1/participants/:id/enrollments.
func (r activityRoutes) listParticipantEnrollments(c *fiber.Ctx) error {
	return r.enrollmentsOf(c, c.Params("id"))
}

func (r activityRoutes) enrollmentsOf(c *fiber.Ctx, participantID string) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.EnrollmentsOf(c.UserContext(), principal(c), participantID, pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// listPendingApprovals handles GET /v1/approvals.
func (r activityRoutes) listPendingApprovals(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.PendingApprovals(c.UserContext(), principal(c), pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// getRoster handles GET /v1/activities/:id/roster.
func (r activityRoutes) getRoster(c *fiber.Ctx) error {
	ro, err := r.svc.Roster(c.UserContext(), principal(c), c.Params("id"), c.Query("sessionId"))
	if err != nil {
		return err
	}
	return c.JSON(ro)
}
