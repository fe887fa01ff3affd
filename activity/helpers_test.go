package activity_test

import (
	"errors"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

func asError(err error, target any) bool { return errors.As(err, target) }

func (f *fixture) admin() auth.Principal {
	return auth.Principal{UserID: "admin-1", Role: models.RoleAdmin}
}
