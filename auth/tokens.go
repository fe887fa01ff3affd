package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

const (
	// MaxTokenTTL is the longest lifetime NewTokens accepts for access tokens.
	MaxTokenTTL = 15 * time.Minute
	// clockLeeway is the clock skew tolerated when checking exp, iat and nbf.
	clockLeeway = 30 * time.Second
)

// Claims is what an access token says about its bearer.
type Claims struct {
	UserID    string      // "sub"
	Role      models.Role // "role"
	DeptID    string      // "dept" (may be empty for admins)
	SessionID string      // "sid": the refresh-token family this token was issued from
	TokenID   string      // "jti"
	IssuedAt  time.Time   // "iat"
	ExpiresAt time.Time   // "exp"
}

// TokenConfig configures Tokens.
type TokenConfig struct {
	Keys     *KeySet
	Issuer   string           // "iss", e.g. "jobkunde"
	Audience string           // "aud", e.g. "jobkunde-app"
	TTL      time.Duration    // lifetime of an access token: > 0 and <= MaxTokenTTL
	Now      func() time.Time // nil means time.Now
	NewID    func() string    // jti generator; nil means 128 random bits as hex
}

// Tokens issues and verifies access tokens: JWTs signed with EdDSA (Ed25519)
// whose header names the signing key by kid. It is safe for concurrent use.
type Tokens struct {
	keys     *KeySet
	issuer   string
	audience string
	ttl      time.Duration
	lifetime time.Duration // the longest exp − iat Verify accepts: ttl in whole seconds, rounded up
	now      func() time.Time
	newID    func() string
	parser   *jwt.Parser
}

// NewTokens checks cfg and returns Tokens for it. Keys, Issuer and Audience
// are required, and TTL must be positive and at most MaxTokenTTL.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	var errs []error
	if cfg.Keys == nil {
		errs = append(errs, errors.New("keys are required"))
	}
	if cfg.Issuer == "" {
		errs = append(errs, errors.New("issuer is required"))
	}
	if cfg.Audience == "" {
		errs = append(errs, errors.New("audience is required"))
	}
	if cfg.TTL <= 0 || cfg.TTL > MaxTokenTTL {
		errs = append(errs, fmt.Errorf("token ttl %v is not in (0, %v]", cfg.TTL, MaxTokenTTL))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("token config: %w", err)
	}
	t := &Tokens{
		keys:     cfg.Keys,
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		ttl:      cfg.TTL,
		lifetime: cfg.TTL.Truncate(time.Second),
		now:      cfg.Now,
		newID:    cfg.NewID,
	}
	if t.lifetime < t.ttl { // iat and exp are whole seconds (jwt.TimePrecision)
		t.lifetime += time.Second
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.newID == nil {
		t.newID = randomID
	}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
		jwt.WithLeeway(clockLeeway),
		jwt.WithStrictDecoding(), // one token, one spelling: no spare base64 bits
	)
	return t, nil
}

// randomID returns 128 random bits as hex. crypto/rand.Read never fails.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TTL returns the lifetime of the access tokens Issue signs.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs an access token for c with the current key (header alg
// "EdDSA", typ "JWT", kid the key's thumbprint) and returns it with its
// expiry. It sets iat, exp and jti itself from Now, TTL and NewID, ignoring
// those fields of c. UserID, a valid Role and SessionID are required.
func (t *Tokens) Issue(c Claims) (token string, expiresAt time.Time, err error) {
	switch {
	case c.UserID == "":
		return "", time.Time{}, errors.New("issue token: user id is required")
	case !c.Role.Valid():
		return "", time.Time{}, fmt.Errorf("issue token: invalid role %q", c.Role)
	case c.SessionID == "":
		return "", time.Time{}, errors.New("issue token: session id is required")
	}
	now := t.now()
	ac := accessClaims{
		Issuer:    t.issuer,
		Subject:   c.UserID,
		Audience:  t.audience,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
		ID:        t.newID(),
		Role:      c.Role,
		Dept:      c.DeptID,
		SessionID: c.SessionID,
	}
	jt := jwt.NewWithClaims(jwt.SigningMethodEdDSA, ac)
	jt.Header["kid"] = t.keys.KID()
	token, err = jt.SignedString(t.keys.signing)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return token, ac.ExpiresAt.Time, nil
}

// Verify parses token and checks its signature (EdDSA only, with the
// verification key its kid names), issuer, audience, exp, iat and nbf when
// present (each with 30 s of leeway), that it lives no longer (exp − iat)
// than this instance's TTL, and that it carries sub, a valid role, sid and
// jti. The lifetime cap means a token signed with our key for longer, by
// mistake or by whoever got hold of the key, is worth no more than one we
// issue. Any failure returns an *apperr.Error of kind Unauthenticated
// wrapping the cause: code "auth.token_expired" when the token is genuine
// but expired, else "auth.invalid_token".
func (t *Tokens) Verify(token string) (Claims, error) {
	var ac accessClaims
	_, err := t.parser.ParseWithClaims(token, &ac, t.key)
	if err == nil {
		if life := ac.ExpiresAt.Sub(ac.IssuedAt.Time); life > t.lifetime {
			err = fmt.Errorf("token lifetime %v exceeds %v", life, t.lifetime)
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Claims{}, apperr.Wrap(err, apperr.Unauthenticated, "auth.token_expired", "The access token has expired.")
	case err != nil:
		return Claims{}, apperr.Wrap(err, apperr.Unauthenticated, "auth.invalid_token", "The access token is missing, expired or not valid.")
	}
	return Claims{
		UserID:    ac.Subject,
		Role:      ac.Role,
		DeptID:    ac.Dept,
		SessionID: ac.SessionID,
		TokenID:   ac.ID,
		IssuedAt:  ac.IssuedAt.UTC(),
		ExpiresAt: ac.ExpiresAt.UTC(),
	}, nil
}

// key is the jwt.Keyfunc: it picks the verification key the kid names.
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	kid, _ := tok.Header["kid"].(string)
	if kid == "" {
		return nil, errors.New("token has no kid")
	}
	pub, ok := t.keys.publicKey(kid)
	if !ok {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	return pub, nil
}

// accessClaims is the JSON payload of an access token. aud is a single
// string: a token whose aud is an array does not decode, so it is rejected.
type accessClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  string           `json:"aud"`
	ExpiresAt *jwt.NumericDate `json:"exp,omitempty"`
	IssuedAt  *jwt.NumericDate `json:"iat,omitempty"`
	NotBefore *jwt.NumericDate `json:"nbf,omitempty"` // we issue none; honoured when present
	ID        string           `json:"jti"`
	Role      models.Role      `json:"role"`
	Dept      string           `json:"dept,omitempty"`
	SessionID string           `json:"sid"`
}

func (c accessClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c accessClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c accessClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore, nil }
func (c accessClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c accessClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c accessClaims) GetAudience() (jwt.ClaimStrings, error) {
	if c.Audience == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Audience}, nil
}

// Validate implements jwt.ClaimsValidator: the claims our handlers rely on
// must be present. The parser calls it after exp, iat, nbf, iss and aud.
func (c accessClaims) Validate() error {
	var errs []error
	if c.Subject == "" {
		errs = append(errs, errors.New("sub is missing"))
	}
	if !c.Role.Valid() {
		errs = append(errs, fmt.Errorf("role %q is not valid", c.Role))
	}
	if c.SessionID == "" {
		errs = append(errs, errors.New("sid is missing"))
	}
	if c.ID == "" {
		errs = append(errs, errors.New("jti is missing"))
	}
	if c.IssuedAt == nil {
		errs = append(errs, errors.New("iat is missing"))
	}
	return errors.Join(errs...)
}
