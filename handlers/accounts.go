package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Accounts is the use-case surface these routes need; *accounts.Service
// satisfies it.
type Accounts interface {
	Login(ctx context.Context, login, password, clientKey string) (accounts.Session, error)
	Activate(ctx context.Context, in accounts.Activation, clientKey string) (accounts.Session, error)
	Refresh(ctx context.Context, token string) (accounts.Session, error)
	Logout(ctx context.Context, token string) error
	Me(ctx context.Context, p auth.Principal) (models.User, error)

	CreateDepartment(ctx context.Context, p auth.Principal, name string) (models.Department, error)
	Departments(ctx context.Context, p auth.Principal, pg models.Page) ([]models.Department, string, error)
	CreateStaff(ctx context.Context, p auth.Principal, in accounts.NewStaff) (models.User, models.IssuedCode, error)
	Staff(ctx context.Context, p auth.Principal, f accounts.StaffFilter, pg models.Page) ([]models.User, string, error)
	SetServedDepartments(ctx context.Context, p auth.Principal, staffID string, deptIDs []string) (models.User, error)
	Enroll(ctx context.Context, p auth.Principal, in accounts.NewParticipant) (models.User, models.IssuedCode, error)
	Participants(ctx context.Context, p auth.Principal, f accounts.ParticipantFilter, pg models.Page) ([]models.User, string, error)
	Participant(ctx context.Context, p auth.Principal, id string) (models.User, error)
	ReissueCode(ctx context.Context, p auth.Principal, participantID string) (models.IssuedCode, error)
	Reassign(ctx context.Context, p auth.Principal, participantID, counselorID string) (models.User, error)
	CounselorHistory(ctx context.Context, p auth.Principal, participantID string, pg models.Page) ([]models.CounselorAssignment, string, error)
}

type accountRoutes struct {
	svc Accounts
	now func() time.Time
}

// sessionResponse is what login, activation and refresh return.
type sessionResponse struct {
	AccessToken           string      `json:"accessToken"`
	TokenType             string      `json:"tokenType"`
	ExpiresIn             int         `json:"expiresIn"`
	AccessTokenExpiresAt  time.Time   `json:"accessTokenExpiresAt"`
	RefreshToken          string      `json:"refreshToken"`
	RefreshTokenExpiresAt time.Time   `json:"refreshTokenExpiresAt"`
	User                  models.User `json:"user"`
}

func sendSession(c *fiber.Ctx, s accounts.Session, now time.Time) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sessionResponse{
		AccessToken:           s.AccessToken,
		TokenType:             "Bearer",
		ExpiresIn:             int(s.AccessExpiresAt.Sub(now).Round(time.Second).Seconds()),
		AccessTokenExpiresAt:  s.AccessExpiresAt,
		RefreshToken:          s.RefreshToken,
		RefreshTokenExpiresAt: s.RefreshExpiresAt,
		User:                  s.User,
	})
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// login handles POST /v1/auth/login.
func (r accountRoutes) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	s, err := r.svc.Login(c.UserContext(), req.Login, req.Password, c.IP())
	if err != nil {
		return err
	}
	return sendSession(c, s, r.now())
}

type activateRequest struct {
	Code     string `json:"code"`
	Login    string `json:"login"`
	Password string `json:"password"`
}

// activate handles POST /v1/auth/activate.
func (r accountRoutes) activate(c *fiber.Ctx) error {
	var req activateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	s, err := r.svc.Activate(c.UserContext(), accounts.Activation(req), c.IP())
	if err != nil {
		return err
	}
	return sendSession(c, s, r.now())
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// decodeRefresh reads a body that must carry a refresh token.
func decodeRefresh(c *fiber.Ctx) (refreshRequest, error) {
	var req refreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return req, err
	}
	var fields apperr.Fields
	if req.RefreshToken == "" {
		fields.Add("refreshToken", "field.required", "This field is required.")
	}
	return req, fields.Err()
}

// refresh handles POST /v1/auth/refresh.
func (r accountRoutes) refresh(c *fiber.Ctx) error {
	req, err := decodeRefresh(c)
	if err != nil {
		return err
	}
	s, err := r.svc.Refresh(c.UserContext(), req.RefreshToken)
	if err != nil {
		return err
	}
	return sendSession(c, s, r.now())
}

// logout handles POST /v1/auth/logout.
func (r accountRoutes) logout(c *fiber.Ctx) error {
	req, err := decodeRefresh(c)
	if err != nil {
		return err
	}
	if err := r.svc.Logout(c.UserContext(), req.RefreshToken); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// me handles GET /v1/me.
func (r accountRoutes) me(c *fiber.Ctx) error {
	u, err := r.svc.Me(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

type departmentRequest struct {
	Name string `json:"name"`
}

// createDepartment handles POST /v1/departments.
func (r accountRoutes) createDepartment(c *fiber.Ctx) error {
	var req departmentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	d, err := r.svc.CreateDepartment(c.UserContext(), principal(c), req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// listDepartments handles GET /v1/departments.
func (r accountRoutes) listDepartments(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.Departments(c.UserContext(), principal(c), pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

type staffRequest struct {
	Role         models.Role `json:"role"`
	Name         string      `json:"name"`
	Email        string      `json:"email"`
	DepartmentID string      `json:"departmentId"`
}

// createdAccount is the answer to creating an account: the account and the
// activation code to hand to its owner (shown only this once).
type createdAccount struct {
	Account        models.User       `json:"account"`
	ActivationCode models.IssuedCode `json:"activationCode"`
}

// createStaff handles POST /v1/staff.
func (r accountRoutes) createStaff(c *fiber.Ctx) error {
	var req staffRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, code, err := r.svc.CreateStaff(c.UserContext(), principal(c), accounts.NewStaff(req))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(createdAccount{Account: u, ActivationCode: code})
}

type servedDepartmentsRequest struct {
	DepartmentIDs []string `json:"departmentIds"`
}

// setStaffDepartments handles PUT /v1/staff/:id/departments.
func (r accountRoutes) setStaffDepartments(c *fiber.Ctx) error {
	var req servedDepartmentsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.DepartmentIDs == nil {
		return apperr.InvalidField("departmentIds", "field.required", "List the departments (an empty list: their own only).")
	}
	u, err := r.svc.SetServedDepartments(c.UserContext(), principal(c), c.Params("id"), req.DepartmentIDs)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// listStaff handles GET /v1/staff.
func (r accountRoutes) listStaff(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	f := accounts.StaffFilter{Role: models.Role(c.Query("role")), DepartmentID: c.Query("departmentId")}
	items, next, err := r.svc.Staff(c.UserContext(), principal(c), f, pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

type enrollRequest struct {
	Name         string `json:"name"`
	DepartmentID string `json:"departmentId"`
	CounselorID  string `json:"counselorId"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

// enrollParticipant handles POST /v1/participants.
func (r accountRoutes) enrollParticipant(c *fiber.Ctx) error {
	var req enrollRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, code, err := r.svc.Enroll(c.UserContext(), principal(c), accounts.NewParticipant(req))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(createdAccount{Account: u, ActivationCode: code})
}

// listParticipants handles GET /v1/participants.
func (r accountRoutes) listParticipants(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	f := accounts.ParticipantFilter{DepartmentID: c.Query("departmentId"), CounselorID: c.Query("counselorId")}
	items, next, err := r.svc.Participants(c.UserContext(), principal(c), f, pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// getParticipant handles GET /v1/participants/:id.
func (r accountRoutes) getParticipant(c *fiber.Ctx) error {
	u, err := r.svc.Participant(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

type reassignRequest struct {
	CounselorID string `json:"counselorId"`
}

// reassignCounselor handles PUT /v1/participants/:id/counselor.
func (r accountRoutes) reassignCounselor(c *fiber.Ctx) error {
	var req reassignRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := r.svc.Reassign(c.UserContext(), principal(c), c.Params("id"), req.CounselorID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// listCounselorHistory handles GET /v1/participants/:id/counselor-history.
func (r accountRoutes) listCounselorHistory(c *fiber.Ctx) error {
	pg, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := r.svc.CounselorHistory(c.UserContext(), principal(c), c.Params("id"), pg)
	if err != nil {
		return err
	}
	return c.JSON(newList(items, next))
}

// reissueActivationCode handles POST /v1/participants/:id/activation-code.
func (r accountRoutes) reissueActivationCode(c *fiber.Ctx) error {
	code, err := r.svc.ReissueCode(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(code)
}
