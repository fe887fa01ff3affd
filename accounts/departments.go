package accounts

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// CreateDepartment adds a department (admins only). Names are unique
// regardless of case.
func (s *Service) CreateDepartment(ctx context.Context, p auth.Principal, name string) (models.Department, error) {
	if err := auth.Authorize(p, auth.ManageDepartments, auth.Subject{}); err != nil {
		return models.Department{}, err
	}
	name = strings.TrimSpace(name)
	var fields apperr.Fields
	checkName(&fields, "name", name)
	if err := fields.Err(); err != nil {
		return models.Department{}, err
	}
	d := models.Department{ID: s.newID(), Name: name, CreatedAt: s.now()}
	if err := s.store.InsertDepartment(ctx, d); err != nil {
		return models.Department{}, err
	}
	return d, nil
}

// Departments lists departments; every signed-in person may see them.
func (s *Service) Departments(ctx context.Context, p auth.Principal, pg models.Page) ([]models.Department, string, error) {
	if err := auth.Require(p.Role, auth.ListDepartments); err != nil {
		return nil, "", err
	}
	return s.store.Departments(ctx, pg)
}

// checkName requires a name of 1 to 200 characters.
func checkName(fields *apperr.Fields, field, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		fields.Add(field, "field.required", "This field is required.")
	case n > 200:
		fields.Add(field, "field.too_long", "Use at most 200 characters.")
	}
}
