package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/privacy"
)

// Privacy is the use-case surface of consents, the access log, the export
// and leaving; *privacy.Service satisfies it.
type Privacy interface {
	Consents(ctx context.Context, p auth.Principal, participantID string) ([]privacy.ConsentView, error)
	SetConsent(ctx context.Context, p auth.Principal, participantID string, in privacy.ConsentInput) (privacy.ConsentView, error)
	Export(ctx context.Context, p auth.Principal, participantID string) (models.DataExport, error)
	Record(ctx context.Context, p auth.Principal, v privacy.Visit) error
	MyAccessLog(ctx context.Context, p auth.Principal, pg models.Page) ([]privacy.AccessView, string, error)
	SearchAccessLog(ctx context.Context, p auth.Principal, f models.AccessFilter, pg models.Page) ([]privacy.AccessView, string, error)
	Withdraw(ctx context.Context, p auth.Principal, participantID string, reason models.LeaveReason) (privacy.WithdrawalView, error)
	Withdrawal(ctx context.Context, p auth.Principal, participantID string) (privacy.WithdrawalView, error)
	UndoWithdrawal(ctx context.Context, p auth.Principal, participantID string) error
}

type privacyRoutes struct{ svc Privacy }

func (r privacyRoutes) consents(c *fiber.Ctx, participantID string) error {
	list, err := r.svc.Consents(c.UserContext(), principal(c), participantID)
	if err != nil {
		return err
	}
	l := langOf(c)
	for i := range list {
		list[i] = withConsentTexts(l, list[i])
	}
	return c.JSON(consentList{Items: list})
}

// consentList is the body of listMyConsents and listParticipantConsents.
type consentList struct {
	Items []privacy.ConsentView `json:"items"`
}

// own is the caller's participant ID for the /v1/me routes that only
// participants have (staff are refused, as for any action they lack).
func own(c *fiber.Ctx) (string, error) {
	p := principal(c)
	if p.Role != models.RoleParticipant {
		return "", auth.ErrForbidden()
	}
	return p.UserID, nil
}

// listMyConsents handles GET /v1/me/consents.
func (r privacyRoutes) listMyConsents(c *fiber.Ctx) error {
	id, err := own(c)
	if err != nil {
		return err
	}
	return r.consents(c, id)
}

// listParticipantConsents handles GET /v1/participants/:id/consents.
func (r privacyRoutes) listParticipantConsents(c *fiber.Ctx) error {
	return r.consents(c, c.Params("id"))
}

type setConsentRequest struct {
	Given        *bool  `json:"given"`
	EmploymentID string `json:"employmentId"`
	TextVersion  string `json:"textVersion"`
	Reason       string `json:"reason"`
}

// setConsent handles PUT /v1/participants/:id/consents/:purpose.
func (r privacyRoutes) setConsent(c *fiber.Ctx) error {
	var req setConsentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Given == nil {
		return apperr.InvalidField("given", "field.required", "Say whether the consent is given (true) or withdrawn (false).")
	}
	v, err := r.svc.SetConsent(c.UserContext(), principal(c), c.Params("id"), privacy.ConsentInput{
		Purpose: models.ConsentPurpose(c.Params("purpose")), Given: *req.Given, EmploymentID: req.EmploymentID,
		TextVersion: req.TextVersion, Reason: req.Reason,
	})
	if err != nil {
		return err
	}
	return c.JSON(withConsentTexts(langOf(c), v))
}

func (r privacyRoutes) export(c *fiber.Ctx, participantID string) error {
	doc, err := r.svc.Export(c.UserContext(), principal(c), participantID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="jobbanken-data-%s.json"`, doc.GeneratedAt.Format(time.DateOnly)))
	return c.JSON(doc)
}

// exportMyData handles GET /v1/me/data-export.
func (r privacyRoutes) exportMyData(c *fiber.Ctx) error {
	id, err := own(c)
	if err != nil {
		return err
	}
	return r.export(c, id)
}

// exportParticipantData handles GET /v1/participants/:id/data-export.
func (r privacyRoutes) exportParticipantData(c *fiber.Ctx) error { return r.export(c, c.Params("id")) }

// listMyAccessLog handles GET /v1/me/access-log.
func (r privacyRoutes) listMyAccessLog(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.MyAccessLog(c.UserContext(), principal(c), pg)
	return accessPage(c, items, next, err)
}

// accessPage answers with one page of the access log, each line's area in
// the reader's language.
func accessPage(c *fiber.Ctx, items []privacy.AccessView, next string, err error) error {
	if err != nil {
		return err
	}
	l := langOf(c)
	for i := range items {
		items[i] = withArea(l, items[i])
	}
	return c.JSON(newList(items, next))
}

// searchAccessLog handles GET /v1/access-log.
func (r privacyRoutes) searchAccessLog(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	var fields apperr.Fields
	f := models.AccessFilter{ParticipantID: c.Query("participantId"), ActorID: c.Query("actorId")}
	f.From = timeParam(&fields, c, "from")
	f.To = timeParam(&fields, c, "to")
	if err := fields.Err(); err != nil {
		return err
	}
	items, next, err := r.svc.SearchAccessLog(c.UserContext(), principal(c), f, pg)
	return accessPage(c, items, next, err)
}

// timeParam reads an RFC 3339 time or a date (midnight Copenhagen) from
// query parameter name; absent is the zero time.
func timeParam(fields *apperr.Fields, c *fiber.Ctx, name string) time.Time {
	s := c.Query(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, models.Copenhagen()); err == nil {
		return t
	}
	fields.Add(name, "field.time", "Use a date (2026-05-31) or a time (2026-05-31T14:00:00Z).")
	return time.Time{}
}

type withdrawRequest struct {
	Reason models.LeaveReason `json:"reason"`
}

// withdrawParticipant handles POST /v1/participants/:id/withdrawal.
func (r privacyRoutes) withdrawParticipant(c *fiber.Ctx) error {
	var req withdrawRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := r.svc.Withdraw(c.UserContext(), principal(c), c.Params("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// getWithdrawal handles GET /v1/participants/:id/withdrawal.
func (r privacyRoutes) getWithdrawal(c *fiber.Ctx) error {
	v, err := r.svc.Withdrawal(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// undoWithdrawal handles DELETE /v1/participants/:id/withdrawal.
func (r privacyRoutes) undoWithdrawal(c *fiber.Ctx) error {
	if err := r.svc.UndoWithdrawal(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
