package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Rosters is the coordinators' surface: attendance, figures, the roster as
// a spreadsheet; *activity.Service satisfies it.
type Rosters interface {
	RecordAttendance(ctx context.Context, p auth.Principal, sessionID string, marks []activity.Mark) ([]models.Attendance, error)
	Figures(ctx context.Context, p auth.Principal, activityID string) (activity.Figures, error)
	RosterCSV(ctx context.Context, p auth.Principal, activityID, sessionID string) ([]byte, error)
}

type rosterRoutes struct{ svc Rosters }

type attendanceRequest struct {
	Entries []struct {
		EnrollmentID string                `json:"enrollmentId"`
		Mark         models.AttendanceMark `json:"mark"`
	} `json:"entries"`
}

// recordAttendance handles POST /v1/sessions/:id/attendance.
func (r rosterRoutes) recordAttendance(c *fiber.Ctx) error {
	var req attendanceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	marks := make([]activity.Mark, len(req.Entries))
	for i, e := range req.Entries {
		marks[i] = activity.Mark{EnrollmentID: e.EnrollmentID, Mark: e.Mark}
	}
	out, err := r.svc.RecordAttendance(c.UserContext(), principal(c), c.Params("id"), marks)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

// getActivityFigures handles GET /v1/activities/:id/figures.
func (r rosterRoutes) getActivityFigures(c *fiber.Ctx) error {
	f, err := r.svc.Figures(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// exportRoster handles GET /v1/activities/:id/roster.csv.
func (r rosterRoutes) exportRoster(c *fiber.Ctx) error {
	b, err := r.svc.RosterCSV(c.UserContext(), principal(c), c.Params("id"), c.Query("sessionId"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="roster.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}
