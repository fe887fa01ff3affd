// Package accounts holds the use cases for people and their access:
// departments, staff, participant enrolment and activation, login, token
// rotation and counselor assignment. It never touches HTTP or the driver:
// the Store it needs is declared here and implemented by package store.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Store is the persistence accounts needs. Methods return apperr kinds:
// NotFound for a missing document, Conflict for a unique-index clash.
type Store interface {
	InsertUser(ctx context.Context, u models.User) error
	User(ctx context.Context, id string) (models.User, error)
	UserByLogin(ctx context.Context, login string) (models.User, error)
	ClaimLogin(ctx context.Context, login, userID string) error
	ReleaseLogin(ctx context.Context, login, userID string) error
	SetCredentials(ctx context.Context, userID, login, passwordHash string, at time.Time) error
	SetPasswordHash(ctx context.Context, userID, passwordHash string) error
	SetCounselor(ctx context.Context, participantID, counselorID string) error
	SetServedDepartments(ctx context.Context, userID string, deptIDs []string) error
	Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error)
	InsertAssignment(ctx context.Context, a models.CounselorAssignment) error
	Assignments(ctx context.Context, participantID string, p models.Page) ([]models.CounselorAssignment, string, error)

	InsertDepartment(ctx context.Context, d models.Department) error
	Department(ctx context.Context, id string) (models.Department, error)
	Departments(ctx context.Context, p models.Page) ([]models.Department, string, error)

	InsertActivationCode(ctx context.Context, c models.ActivationCode) error
	ActivationCodeByHash(ctx context.Context, hash string) (models.ActivationCode, error)
	LatestActivationCodeID(ctx context.Context, userID string) (string, error)
	ActivationUsed(ctx context.Context, codeID string) (bool, error)
	MarkActivationUsed(ctx context.Context, codeID string, at time.Time) error
	UnmarkActivationUsed(ctx context.Context, codeID string) error

	InsertRefreshToken(ctx context.Context, t models.RefreshToken) error
	RefreshToken(ctx context.Context, hash string) (models.RefreshToken, error)
	SpendRefreshToken(ctx context.Context, hash string, at time.Time) error
	RevokeFamily(ctx context.Context, familyID string, at time.Time) error
	DeleteDevicesOfSession(ctx context.Context, sessionID string) error
	FamilyRevoked(ctx context.Context, familyID string) (bool, error)
	RevokeUserFamilies(ctx context.Context, userID string, at time.Time) error

	RecordAuthFailure(ctx context.Context, id, key string, at time.Time) error
	CountAuthFailures(ctx context.Context, key string, since time.Time) (int, error)
	DeleteAuthFailures(ctx context.Context, ids []string) error

	RecordEvent(ctx context.Context, e models.Event) error
}

// TokenIssuer signs access tokens; *auth.Tokens satisfies it.
type TokenIssuer interface {
	Issue(c auth.Claims) (string, time.Time, error)
}

// Limits are the throttling and lifetime settings; DefaultLimits has the
// values the service runs with.
type Limits struct {
	RefreshTTL        time.Duration // sliding lifetime of a refresh token
	CodeTTL           time.Duration // lifetime of an activation code
	ThrottleWindow    time.Duration // failures count within this window
	MaxLoginFailures  int           // per login identifier within the window
	MaxClientFailures int           // per client address within the window (login and activation)
}

// DefaultLimits are the production settings.
var DefaultLimits = Limits{
	RefreshTTL:        60 * 24 * time.Hour,
	CodeTTL:           14 * 24 * time.Hour,
	ThrottleWindow:    15 * time.Minute,
	MaxLoginFailures:  5,
	MaxClientFailures: 20,
}

// Service implements the accounts use cases.
type Service struct {
	store  Store
	tokens TokenIssuer
	limits Limits
	now    func() time.Time
	newID  func() string
}

// New returns a Service. now and newID are injected so tests control time
// and identifiers; newID must return time-ordered IDs (UUIDv7).
func New(store Store, tokens TokenIssuer, limits Limits, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, tokens: tokens, limits: limits, now: func() time.Time { return now().UTC() }, newID: newID}
}

// Session is what a successful login, activation or refresh hands the app.
type Session struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	User             models.User
}

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context, p auth.Principal) (models.User, error) {
	if err := auth.Require(p.Role, auth.ReadSelf); err != nil {
		return models.User{}, err
	}
	u, err := s.store.User(ctx, p.UserID)
	if apperr.Is(err, apperr.NotFound) {
		// The token is valid but its account is gone: treat as signed out.
		return models.User{}, apperr.Wrap(err, apperr.Unauthenticated, "auth.account_gone", "This account no longer exists.")
	}
	return u, err
}

// CreateAdmin creates an active admin with email as login. It is the
// bootstrap path (`api create-admin`), so it takes no principal.
func (s *Service) CreateAdmin(ctx context.Context, name, email, password string) (models.User, error) {
	var fields apperr.Fields
	login, err := NormaliseEmail(email, "email")
	if err != nil {
		fields = append(fields, fieldsOf(err)...)
	}
	fields = append(fields, auth.CheckPasswordFor(password, login, "password")...)
	if err := fields.Err(); err != nil {
		return models.User{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return models.User{}, fmt.Errorf("hash password: %w", err)
	}
	now := s.now()
	u := models.User{
		ID: s.newID(), Role: models.RoleAdmin, Name: name, Status: models.StatusActive,
		Login: login, Email: login, PasswordHash: hash, CreatedAt: now, ActivatedAt: &now,
	}
	if err := s.store.ClaimLogin(ctx, login, u.ID); err != nil {
		return models.User{}, err
	}
	if err := s.store.InsertUser(ctx, u); err != nil {
		_ = s.store.ReleaseLogin(context.WithoutCancel(ctx), login, u.ID)
		return models.User{}, err
	}
	return u, nil
}

// fieldsOf extracts the field errors of an Invalid error.
func fieldsOf(err error) []apperr.FieldError {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Fields
	}
	return nil
}
