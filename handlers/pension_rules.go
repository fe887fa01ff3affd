package handlers

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/work"
)

// PensionRuleBook is the use-case surface of the pension figure routes;
// *work.RuleBook satisfies it.
type PensionRuleBook interface {
	List(ctx context.Context, p auth.Principal) (work.RuleList, error)
	Put(ctx context.Context, p auth.Principal, y pension.Year, baseVersion int, note string) (work.RuleYear, error)
}

type pensionRuleRoutes struct{ svc PensionRuleBook }

// pensionRulesRequest is the body of putPensionRules.
type pensionRulesRequest struct {
	Scheme      string           `json:"scheme"` // "" means post2003
	BaseVersion *int             `json:"baseVersion"`
	Note        string           `json:"note"`
	Figures     *pension.Figures `json:"figures"`
}

// listPensionRules handles GET /v1/pension-rules.
func (r pensionRuleRoutes) listPensionRules(c *fiber.Ctx) error {
	l, err := r.svc.List(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(l)
}

// putPensionRules handles PUT /v1/pension-rules/:year.
func (r pensionRuleRoutes) putPensionRules(c *fiber.Ctx) error {
	// Refuse those who may never enter figures before reading their body.
	if err := auth.Require(principal(c).Role, auth.ManagePensionRules); err != nil {
		return err
	}
	var req pensionRulesRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fields apperr.Fields
	year, err := strconv.Atoi(c.Params("year"))
	if err != nil {
		fields.Add("year", "field.invalid_type", "The year is a whole number such as 2026.")
	}
	if req.BaseVersion == nil {
		fields.Add("baseVersion", "field.required", "Send the version the figures are based on (0 for the built-in ones).")
	}
	if req.Figures == nil {
		fields.Add("figures", "field.required", "Send the year's figures (an empty object removes them all).")
	}
	if err := fields.Err(); err != nil {
		return err
	}
	if req.Scheme == "" {
		req.Scheme = pension.SchemePost2003
	}
	y, err := r.svc.Put(c.UserContext(), principal(c), pension.Year{Year: year, Scheme: req.Scheme, Figures: *req.Figures},
		*req.BaseVersion, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(y)
}
