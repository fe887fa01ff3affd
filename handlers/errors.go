package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
)

// problemBase prefixes every problem type; the contract lists each code.
const problemBase = "https://jobkunde.jobbanken.dk/problems/"

// problem is an RFC 9457 problem document with our extension members:
// code (stable, machine-readable) and errors (field problems).
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Code     string              `json:"code"`
	Errors   []apperr.FieldError `json:"errors,omitempty"`
}

var statusByKind = map[apperr.Kind]int{
	apperr.Invalid:          http.StatusBadRequest,
	apperr.Unauthenticated:  http.StatusUnauthorized,
	apperr.Forbidden:        http.StatusForbidden,
	apperr.NotFound:         http.StatusNotFound,
	apperr.Conflict:         http.StatusConflict,
	apperr.RuleViolation:    http.StatusUnprocessableEntity,
	apperr.TooManyRequests:  http.StatusTooManyRequests,
	apperr.Unavailable:      http.StatusServiceUnavailable,
	apperr.TooLarge:         http.StatusRequestEntityTooLarge,
	apperr.UnsupportedMedia: http.StatusUnsupportedMediaType,
}

// codeByStatus names the errors that come from Fiber itself (unknown route,
// wrong method, body too large) or from no classified cause.
var codeByStatus = map[int]string{
	http.StatusBadRequest:            "request.invalid",
	http.StatusNotFound:              "route.not_found",
	http.StatusMethodNotAllowed:      "route.method_not_allowed",
	http.StatusRequestEntityTooLarge: "request.too_large",
	http.StatusUnsupportedMediaType:  "request.unsupported_media_type",
	http.StatusRequestTimeout:        "request.timeout",
	http.StatusServiceUnavailable:    "service.unavailable",
	http.StatusInternalServerError:   "internal",
}

// retryUnavailableAfter is the Retry-After (seconds) of every 503 that
// does not set its own: long enough not to press a database on its way
// back, short against an outage.
const retryUnavailableAfter = 5

// ErrorHandler is the only place that turns errors into HTTP responses. A
// classified apperr keeps its code and (translated) detail; an error
// unavailable reports (the database cannot be reached; nil: none) or a
// passed deadline is a 503 service.unavailable; anything else is a 500
// whose cause is logged and never shown. Every 503 carries Retry-After.
func ErrorHandler(log *slog.Logger, unavailable func(error) bool) fiber.ErrorHandler {
	if unavailable == nil {
		unavailable = func(error) bool { return false }
	}
	return func(c *fiber.Ctx, err error) error {
		p := problem{Status: http.StatusInternalServerError, Instance: c.Path()}
		var ae *apperr.Error
		var fe *fiber.Error
		switch {
		case errors.As(err, &ae) && ae.Kind != apperr.Internal:
			p.Status, p.Code, p.Detail = statusByKind[ae.Kind], ae.Code, ae.Detail
			p.Errors = slices.Clone(ae.Fields) // translated below; the error stays as it was
			if ae.RetryAfterSeconds > 0 {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfterSeconds))
			}
		case errors.As(err, &fe):
			p.Status = fe.Code
		case errors.Is(err, context.DeadlineExceeded), unavailable(err):
			p.Status = http.StatusServiceUnavailable
		}
		if p.Status == http.StatusServiceUnavailable && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) == 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(retryUnavailableAfter))
		}
		if p.Code == "" {
			p.Code = codeByStatus[p.Status]
			if p.Code == "" {
				p.Code = "http." + strconv.Itoa(p.Status)
			}
		}
		lang := langOf(c)
		p.Type = problemBase + p.Code
		p.Title = title(lang, p.Status)
		p.Detail = detail(lang, p.Code, p.Detail)
		for i := range p.Errors {
			p.Errors[i].Message = detail(lang, p.Errors[i].Code, p.Errors[i].Message)
		}
		secureDefaults(c) // a problem is never stored, sniffed or framed, whatever the route had set
		if p.Status == http.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="jobkunde"`)
		}
		if p.Status >= 500 {
			log.ErrorContext(c.UserContext(), "request failed", "err", err, "request_id", requestID(c), "route", routeLabel(c))
		}
		c.Set(fiber.HeaderContentLanguage, string(lang))
		return c.Status(p.Status).JSON(p, "application/problem+json")
	}
}
