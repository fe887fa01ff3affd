package accounts

import (
	"context"
	"fmt"
	"strings"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// errBadCredentials is the one answer for an unknown login, a wrong password
// and an account not yet activated, so nobody can probe who has an account.
func errBadCredentials() error {
	return apperr.New(apperr.Unauthenticated, "auth.invalid_credentials", "The login or password is not correct.")
}

func errThrottled(retryAfter int) error {
	e := apperr.New(apperr.TooManyRequests, "auth.too_many_attempts", "Too many attempts. Please wait a little and try again.")
	e.RetryAfterSeconds = retryAfter
	return e
}

func errBadRefresh() error {
	return apperr.New(apperr.Unauthenticated, "auth.invalid_refresh", "Please log in again.")
}

// Login checks a login and password and starts a session. clientKey
// identifies the client (its address) for throttling; it is stored hashed.
func (s *Service) Login(ctx context.Context, login, password, clientKey string) (Session, error) {
	norm, err := NormaliseLogin(login, "login")
	if err != nil {
		norm = strings.ToLower(strings.TrimSpace(login)) // still throttled under what was typed
	}
	keys := []throttleKey{{"login:" + norm, s.limits.MaxLoginFailures}, {"client:" + clientKey, s.limits.MaxClientFailures}}
	attempt, err := s.attempt(ctx, keys...)
	if err != nil {
		return Session{}, err
	}
	u, err := s.store.UserByLogin(ctx, norm)
	if apperr.Is(err, apperr.NotFound) {
		auth.EqualizeTiming(password)
		return Session{}, errBadCredentials()
	}
	if err != nil {
		return Session{}, err
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, password)
	if u.Status != models.StatusActive || u.PasswordHash == "" {
		auth.EqualizeTiming(password)
		ok, err = false, nil
	}
	if err != nil {
		return Session{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok {
		return Session{}, errBadCredentials()
	}
	if u.WithdrawnAt != nil {
		// The password was right, so saying why is safe and kinder.
		return Session{}, apperr.New(apperr.Forbidden, "account.withdrawn",
			"Your participation has ended, so the app is closed for you. Contact Jobbanken if this is a mistake.")
	}
	if err := s.store.DeleteAuthFailures(ctx, attempt); err != nil {
		return Session{}, err // a success is not held against the account
	}
	if auth.NeedsRehash(u.PasswordHash) {
		if h, err := auth.HashPassword(password); err == nil {
			_ = s.store.SetPasswordHash(ctx, u.ID, h) // best effort: the old hash still works
		}
	}
	return s.startSession(ctx, u, s.newID())
}

type throttleKey struct {
	key string
	max int
}

// attempt records an attempt under every key before the credentials are
// checked, then counts the recent attempts including this one: recording
// first means parallel guesses cannot all see a count below the limit. An
// attempt that succeeds is deleted again by the caller (its IDs come back),
// so only failures count. Too many is TooManyRequests.
func (s *Service) attempt(ctx context.Context, keys ...throttleKey) ([]string, error) {
	now := s.now()
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = s.newID()
		if err := s.store.RecordAuthFailure(ctx, ids[i], hashSecret(k.key), now); err != nil {
			return nil, err
		}
	}
	since := now.Add(-s.limits.ThrottleWindow)
	for _, k := range keys {
		n, err := s.store.CountAuthFailures(ctx, hashSecret(k.key), since)
		if err != nil {
			return nil, err
		}
		if n > k.max {
			return nil, errThrottled(int(s.limits.ThrottleWindow.Seconds()))
		}
	}
	return ids, nil
}

// Activation is what a person sends to activate an account (or to choose a
// new password with a re-issued code).
type Activation struct {
	Code     string
	Login    string
	Password string
}

// Activate spends an activation code: the account gets the chosen login and
// password, every earlier session ends, and a new session starts.
func (s *Service) Activate(ctx context.Context, in Activation, clientKey string) (Session, error) {
	client := throttleKey{"activate:" + clientKey, s.limits.MaxClientFailures / 2}
	attempt, err := s.attempt(ctx, client)
	if err != nil {
		return Session{}, err
	}
	// Only a wrong code counts against the client: a short password or a
	// taken login is a typing matter, and success is no attempt at all.
	wrongCode := false
	defer func() {
		if !wrongCode {
			_ = s.store.DeleteAuthFailures(context.WithoutCancel(ctx), attempt)
		}
	}()
	var fields apperr.Fields
	code := normaliseCode(in.Code)
	if len(code) != codeLen {
		fields.Add("code", "activation.invalid_code", "The code has 8 letters and digits.")
	}
	login, err := NormaliseLogin(in.Login, "login")
	if err != nil {
		fields = append(fields, fieldsOf(err)...)
	}
	fields = append(fields, auth.CheckPasswordFor(in.Password, login, "password")...)
	if err := fields.Err(); err != nil {
		return Session{}, err
	}

	c, err := s.usableCode(ctx, code)
	if err != nil {
		wrongCode = apperr.Is(err, apperr.NotFound)
		return Session{}, err
	}
	u, err := s.store.User(ctx, c.UserID)
	if err != nil {
		return Session{}, err
	}
	if u.WithdrawnAt != nil {
		return Session{}, auth.ErrParticipantWithdrawn()
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return Session{}, fmt.Errorf("hash password: %w", err)
	}
	now := s.now()
	if err := s.store.MarkActivationUsed(ctx, c.ID, now); err != nil {
		return Session{}, err // Conflict: someone spent it a moment ago
	}
	if err := s.store.ClaimLogin(ctx, login, u.ID); err != nil {
		_ = s.store.UnmarkActivationUsed(context.WithoutCancel(ctx), c.ID) // let them pick another login
		if apperr.Is(err, apperr.Conflict) {
			return Session{}, apperr.InvalidField("login", "login.taken", "This login is already in use. Choose another.")
		}
		return Session{}, err
	}
	if err := s.store.SetCredentials(ctx, u.ID, login, hash, now); err != nil {
		return Session{}, err
	}
	if u.Login != "" && u.Login != login {
		if err := s.store.ReleaseLogin(ctx, u.Login, u.ID); err != nil {
			return Session{}, err
		}
	}
	if err := s.store.RevokeUserFamilies(ctx, u.ID, now); err != nil {
		return Session{}, err
	}
	u, err = s.store.User(ctx, u.ID)
	if err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, u, s.newID())
}

// usableCode finds a code that exists, is the latest issued to its account,
// has not expired and has not been used; otherwise NotFound (one answer for
// all, so codes cannot be probed).
// CodeUsable reports whether code would activate userID's account now:
// known, the latest issued to them, not expired and not used. It changes
// nothing (the demo uses it to keep its printed code across restarts).
func (s *Service) CodeUsable(ctx context.Context, userID, code string) (bool, error) {
	c, err := s.usableCode(ctx, normaliseCode(code))
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return c.UserID == userID, nil
}

func (s *Service) usableCode(ctx context.Context, code string) (models.ActivationCode, error) {
	invalid := apperr.New(apperr.NotFound, "activation.invalid_code", "The code is not valid. Ask your counselor for a new one.")
	c, err := s.store.ActivationCodeByHash(ctx, hashSecret(code))
	if apperr.Is(err, apperr.NotFound) {
		return models.ActivationCode{}, invalid
	}
	if err != nil {
		return models.ActivationCode{}, err
	}
	if !s.now().Before(c.ExpiresAt) {
		return models.ActivationCode{}, invalid
	}
	latest, err := s.store.LatestActivationCodeID(ctx, c.UserID)
	if err != nil {
		return models.ActivationCode{}, err
	}
	used, err := s.store.ActivationUsed(ctx, c.ID)
	if err != nil {
		return models.ActivationCode{}, err
	}
	if latest != c.ID || used {
		return models.ActivationCode{}, invalid
	}
	return c, nil
}

// Refresh rotates a refresh token: the presented token is spent and a new
// one in the same session comes back with a new access token. Presenting a
// token that was already spent means a copy is in someone else's hands: the
// whole session is revoked.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	hash := hashSecret(token)
	t, err := s.store.RefreshToken(ctx, hash)
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, errBadRefresh()
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	revoked, err := s.store.FamilyRevoked(ctx, t.FamilyID)
	if err != nil {
		return Session{}, err
	}
	if revoked || !now.Before(t.ExpiresAt) {
		return Session{}, errBadRefresh()
	}
	if err := s.store.SpendRefreshToken(ctx, hash, now); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			if rerr := s.store.RevokeFamily(ctx, t.FamilyID, now); rerr != nil {
				return Session{}, rerr
			}
			return Session{}, apperr.New(apperr.Unauthenticated, "auth.refresh_reused", "Please log in again.")
		}
		return Session{}, err
	}
	u, err := s.store.User(ctx, t.UserID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Status != models.StatusActive) {
		return Session{}, errBadRefresh()
	}
	if err == nil && u.WithdrawnAt != nil {
		// A session started while the participant was leaving (a login
		// racing the withdrawal) ends at its first refresh.
		if rerr := s.store.RevokeFamily(ctx, t.FamilyID, now); rerr != nil {
			return Session{}, rerr
		}
		return Session{}, errBadRefresh()
	}
	if err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, u, t.FamilyID)
}

// Logout ends the session the refresh token belongs to. An unknown token is
// not an error: the session is over either way.
func (s *Service) Logout(ctx context.Context, token string) error {
	t, err := s.store.RefreshToken(ctx, hashSecret(token))
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.store.RevokeFamily(ctx, t.FamilyID, s.now()); err != nil {
		return err
	}
	// The phone that logs out gets no more pushes.
	return s.store.DeleteDevicesOfSession(ctx, t.FamilyID)
}

// startSession issues a refresh token in family and an access token.
func (s *Service) startSession(ctx context.Context, u models.User, family string) (Session, error) {
	now := s.now()
	refresh := newRefreshToken()
	rt := models.RefreshToken{ID: hashSecret(refresh), FamilyID: family, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.limits.RefreshTTL)}
	if err := s.store.InsertRefreshToken(ctx, rt); err != nil {
		return Session{}, err
	}
	access, exp, err := s.tokens.Issue(auth.Claims{UserID: u.ID, Role: u.Role, DeptID: u.DepartmentID, SessionID: family})
	if err != nil {
		return Session{}, fmt.Errorf("issue access token: %w", err)
	}
	return Session{AccessToken: access, AccessExpiresAt: exp, RefreshToken: refresh, RefreshExpiresAt: rt.ExpiresAt, User: u}, nil
}
