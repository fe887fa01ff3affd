package accounts

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// NewStaff is what an admin gives to create a staff account.
type NewStaff struct {
	Role         models.Role
	Name         string
	Email        string
	DepartmentID string // required for counselors and coordinators
}

// CreateStaff creates a staff account in the invited state and issues its
// activation code, with which the person chooses their login and password.
func (s *Service) CreateStaff(ctx context.Context, p auth.Principal, in NewStaff) (models.User, models.IssuedCode, error) {
	if err := auth.Authorize(p, auth.ManageStaff, auth.Subject{}); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	var fields apperr.Fields
	if !in.Role.Staff() {
		fields.Add("role", "role.invalid", "Choose counselor, coordinator or admin.")
	}
	name := strings.TrimSpace(in.Name)
	checkName(&fields, "name", name)
	email, err := NormaliseEmail(in.Email, "email")
	if err != nil {
		fields = append(fields, fieldsOf(err)...)
	}
	if in.DepartmentID == "" && in.Role != models.RoleAdmin {
		fields.Add("departmentId", "field.required", "This field is required.")
	}
	if err := fields.Err(); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	if in.DepartmentID != "" {
		if err := s.requireDepartment(ctx, in.DepartmentID); err != nil {
			return models.User{}, models.IssuedCode{}, err
		}
	}
	u := models.User{
		ID: s.newID(), Role: in.Role, Name: name, DepartmentID: in.DepartmentID,
		Status: models.StatusInvited, Email: email, CreatedAt: s.now(),
	}
	if err := s.store.InsertUser(ctx, u); err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	code, err := s.issueCode(ctx, p, u.ID)
	if err != nil {
		return models.User{}, models.IssuedCode{}, err
	}
	return u, code, nil
}

// StaffFilter narrows the staff list.
type StaffFilter struct {
	Role         models.Role // empty: every staff role
	DepartmentID string
}

// Staff lists staff accounts (a directory: names, roles, departments).
func (s *Service) Staff(ctx context.Context, p auth.Principal, f StaffFilter, pg models.Page) ([]models.User, string, error) {
	if err := auth.Require(p.Role, auth.ListStaff); err != nil {
		return nil, "", err
	}
	roles := []models.Role{models.RoleCounselor, models.RoleCoordinator, models.RoleAdmin}
	if f.Role != "" {
		if !f.Role.Staff() {
			return nil, "", apperr.InvalidField("role", "role.invalid", "Choose counselor, coordinator or admin.")
		}
		roles = []models.Role{f.Role}
	}
	return s.store.Users(ctx, models.UserFilter{Roles: roles, DepartmentID: f.DepartmentID}, pg)
}

// requireDepartment turns a missing department into a field error.
// maxServedDepartments bounds the departments one coordinator serves.
const maxServedDepartments = 50

// SetServedDepartments sets the departments a coordinator serves besides
// their own (an admin's decision): they manage those departments'
// activities, rosters and attendance too. An empty list leaves them their
// own department only. Errors: Forbidden unless admin; NotFound
// "staff.not_found" for an unknown account or one that is not a
// coordinator's; field errors for unknown departments.
func (s *Service) SetServedDepartments(ctx context.Context, p auth.Principal, staffID string, deptIDs []string) (models.User, error) {
	if err := auth.Authorize(p, auth.ManageStaff, auth.Subject{}); err != nil {
		return models.User{}, err
	}
	u, err := s.store.User(ctx, staffID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleCoordinator) {
		return models.User{}, apperr.New(apperr.NotFound, "staff.not_found", "No such coordinator.")
	}
	if err != nil {
		return models.User{}, err
	}
	if len(deptIDs) > maxServedDepartments {
		return models.User{}, apperr.InvalidField("departmentIds", "staff.departments_too_many", fmt.Sprintf("Give at most %d departments.", maxServedDepartments))
	}
	var fields apperr.Fields
	served := []string{}
	for i, id := range deptIDs {
		if id == u.DepartmentID || slices.Contains(served, id) {
			continue // their own department is always served; repeats count once
		}
		if err := s.requireDepartment(ctx, id); apperr.Is(err, apperr.Invalid) {
			fields.Add(fmt.Sprintf("departmentIds[%d]", i), "department.not_found", "No such department.")
			continue
		} else if err != nil {
			return models.User{}, err
		}
		served = append(served, id)
	}
	if err := fields.Err(); err != nil {
		return models.User{}, err
	}
	if err := s.store.SetServedDepartments(ctx, u.ID, served); err != nil {
		return models.User{}, err
	}
	u.ServesDepartmentIDs = served
	return u, nil
}

func (s *Service) requireDepartment(ctx context.Context, id string) error {
	_, err := s.store.Department(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.InvalidField("departmentId", "department.not_found", "No such department.")
	}
	if err != nil {
		return fmt.Errorf("check department: %w", err)
	}
	return nil
}

// issueCode creates a new activation code for userID; it supersedes any
// code issued before.
func (s *Service) issueCode(ctx context.Context, p auth.Principal, userID string) (models.IssuedCode, error) {
	now := s.now()
	for range 3 { // a hash collision is astronomically rare; retry anyway
		code := newActivationCode()
		c := models.ActivationCode{
			ID: s.newID(), CodeHash: hashSecret(normaliseCode(code)), UserID: userID,
			CreatedBy: p.UserID, CreatedAt: now, ExpiresAt: now.Add(s.limits.CodeTTL),
		}
		err := s.store.InsertActivationCode(ctx, c)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return models.IssuedCode{}, err
		}
		return models.IssuedCode{Code: code, ExpiresAt: c.ExpiresAt}, nil
	}
	return models.IssuedCode{}, fmt.Errorf("issue activation code: repeated collisions")
}
