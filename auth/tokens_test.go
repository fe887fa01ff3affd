package auth_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

const (
	testIssuer   = "jobkunde"
	testAudience = "jobkunde-app"
	testTTL      = 15 * time.Minute
)

// t0 is when the test tokens are issued.
func t0() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }

// at returns a clock stopped at tm.
func at(tm time.Time) func() time.Time { return func() time.Time { return tm } }

type tokenOpts struct {
	keys     *auth.KeySet
	now      time.Time
	issuer   string
	audience string
}

func newTokens(tb testing.TB, o tokenOpts) *auth.Tokens {
	tb.Helper()
	if o.issuer == "" {
		o.issuer = testIssuer
	}
	if o.audience == "" {
		o.audience = testAudience
	}
	n := 0
	tok, err := auth.NewTokens(auth.TokenConfig{
		Keys:     o.keys,
		Issuer:   o.issuer,
		Audience: o.audience,
		TTL:      testTTL,
		Now:      at(o.now),
		NewID:    func() string { n++; return "jti-" + string(rune('0'+n)) },
	})
	if err != nil {
		tb.Fatalf("NewTokens() error = %v", err)
	}
	return tok
}

func participant() auth.Claims {
	return auth.Claims{UserID: "u1", Role: models.RoleParticipant, DeptID: "herning", SessionID: "fam1"}
}

func issue(tb testing.TB, tok *auth.Tokens, c auth.Claims) string {
	tb.Helper()
	s, _, err := tok.Issue(c)
	if err != nil {
		tb.Fatalf("Issue() error = %v", err)
	}
	return s
}

func b64(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("decode segment: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("segment is not JSON: %v", err)
	}
	return m
}

// validMap is a payload Verify accepts at t0 plus a minute.
func validMap() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":  testIssuer,
		"sub":  "u1",
		"aud":  testAudience,
		"iat":  t0().Unix(),
		"exp":  t0().Add(testTTL).Unix(),
		"jti":  "j1",
		"role": "counselor",
		"sid":  "fam1",
	}
}

func without(m jwt.MapClaims, name string) jwt.MapClaims {
	delete(m, name)
	return m
}

func with(m jwt.MapClaims, name string, v any) jwt.MapClaims {
	m[name] = v
	return m
}

// sign signs claims with method and key, putting kid in the header unless empty.
func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	jt := jwt.NewWithClaims(method, claims)
	if kid != "" {
		jt.Header["kid"] = kid
	}
	s, err := jt.SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	ks := auth.NewKeySet(newKey(t, 1))
	tokens := newTokens(t, tokenOpts{keys: ks, now: t0()})
	tests := []struct {
		name   string
		claims auth.Claims
	}{
		{name: "participant", claims: participant()},
		{name: "admin without department", claims: auth.Claims{UserID: "a1", Role: models.RoleAdmin, SessionID: "fam9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, exp, err := tokens.Issue(tt.claims)
			if err != nil {
				t.Fatalf("Issue() error = %v", err)
			}
			if want := t0().Add(testTTL); !exp.Equal(want) {
				t.Errorf("Issue() expiry = %v, want %v", exp, want)
			}
			got, err := tokens.Verify(token)
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			want := tt.claims
			want.TokenID = got.TokenID
			want.IssuedAt = t0()
			want.ExpiresAt = t0().Add(testTTL)
			if got != want {
				t.Errorf("Verify() = %+v, want %+v", got, want)
			}
			if got.TokenID == "" {
				t.Errorf("Verify() TokenID is empty")
			}

			parts := strings.Split(token, ".")
			header := decodeSegment(t, parts[0])
			wantHeader := map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": ks.KID()}
			if len(header) != len(wantHeader) {
				t.Errorf("header = %v, want %v", header, wantHeader)
			}
			for k, v := range wantHeader {
				if header[k] != v {
					t.Errorf("header %q = %v, want %v", k, header[k], v)
				}
			}
			if aud := decodeSegment(t, parts[1])["aud"]; aud != testAudience {
				t.Errorf("payload aud = %#v, want the single string %q", aud, testAudience)
			}
		})
	}
}

func TestIssueDefaults(t *testing.T) {
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Keys: auth.NewKeySet(newKey(t, 1)), Issuer: testIssuer, Audience: testAudience, TTL: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	a, exp, err := tokens.Issue(participant())
	if err != nil {
		t.Fatalf("Issue() error = %v", err)
	}
	if d := time.Until(exp); d <= 0 || d > time.Minute {
		t.Errorf("Issue() expiry in %v, want within a minute", d)
	}
	b := issue(t, tokens, participant())
	ca, _ := tokens.Verify(a)
	cb, _ := tokens.Verify(b)
	if len(ca.TokenID) != 32 || ca.TokenID == cb.TokenID {
		t.Errorf("default jti = %q and %q, want two different 32-digit hex ids", ca.TokenID, cb.TokenID)
	}
	if got := tokens.TTL(); got != time.Minute {
		t.Errorf("TTL() = %v, want %v", got, time.Minute)
	}
}

func TestIssueRejectsIncompleteClaims(t *testing.T) {
	tokens := newTokens(t, tokenOpts{keys: auth.NewKeySet(newKey(t, 1)), now: t0()})
	tests := []struct {
		name   string
		claims auth.Claims
	}{
		{name: "no user", claims: auth.Claims{Role: models.RoleAdmin, SessionID: "s"}},
		{name: "no role", claims: auth.Claims{UserID: "u", SessionID: "s"}},
		{name: "unknown role", claims: auth.Claims{UserID: "u", Role: "root", SessionID: "s"}},
		{name: "no session", claims: auth.Claims{UserID: "u", Role: models.RoleAdmin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tokens.Issue(tt.claims); err == nil {
				t.Errorf("Issue(%+v) error = nil, want an error", tt.claims)
			}
		})
	}
}

// TestHandMadeTokenIsAccepted checks the helpers the rejection tests use: a
// token built by hand from validMap verifies, so each rejection below is
// caused by the one thing that row changes.
func TestHandMadeTokenIsAccepted(t *testing.T) {
	key := newKey(t, 1)
	ks := auth.NewKeySet(key)
	verifier := newTokens(t, tokenOpts{keys: ks, now: t0().Add(time.Minute)})
	if _, err := verifier.Verify(sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), validMap())); err != nil {
		t.Fatalf("Verify(hand-made token) error = %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	key, other := newKey(t, 1), newKey(t, 2)
	ks, otherKS := auth.NewKeySet(key), auth.NewKeySet(other)
	pub := key.Public().(ed25519.PublicKey)
	pubPEM := publicPEM(t, key)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	verifier := newTokens(t, tokenOpts{keys: ks, now: t0().Add(time.Minute)})
	good := issue(t, newTokens(t, tokenOpts{keys: ks, now: t0()}), participant())
	parts := strings.Split(good, ".")

	tampered := decodeSegment(t, parts[1])
	tampered["role"] = "admin"
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	sig := parts[2]
	// Flipping the lowest bit of the last character changes only padding
	// bits: the signature bytes stay the same, the string does not.
	sloppySig := sig[:len(sig)-1] + string(alphabet[strings.IndexByte(alphabet, sig[len(sig)-1])^1])
	otherGood := issue(t, newTokens(t, tokenOpts{keys: ks, now: t0()}), auth.Claims{UserID: "u2", Role: models.RoleAdmin, SessionID: "x"})

	const invalid, expired = "auth.invalid_token", "auth.token_expired"
	tests := []struct {
		name     string
		token    string
		wantCode string
	}{
		{name: "empty", token: "", wantCode: invalid},
		{name: "garbage", token: "not.a.jwt", wantCode: invalid},
		{name: "two segments", token: parts[0] + "." + parts[1], wantCode: invalid},
		{
			name:     "expired",
			token:    issue(t, newTokens(t, tokenOpts{keys: ks, now: t0().Add(-testTTL - time.Minute)}), participant()),
			wantCode: expired,
		},
		{
			name:     "wrong audience",
			token:    issue(t, newTokens(t, tokenOpts{keys: ks, now: t0(), audience: "other-app"}), participant()),
			wantCode: invalid,
		},
		{
			name:     "wrong issuer",
			token:    issue(t, newTokens(t, tokenOpts{keys: ks, now: t0(), issuer: "someone-else"}), participant()),
			wantCode: invalid,
		},
		{
			name:     "issued in the future",
			token:    issue(t, newTokens(t, tokenOpts{keys: ks, now: t0().Add(time.Hour)}), participant()),
			wantCode: invalid,
		},
		{name: "other key forging our kid", token: sign(t, jwt.SigningMethodEdDSA, other, ks.KID(), validMap()), wantCode: invalid},
		{name: "unknown kid", token: issue(t, newTokens(t, tokenOpts{keys: otherKS, now: t0()}), participant()), wantCode: invalid},
		{name: "no kid", token: sign(t, jwt.SigningMethodEdDSA, key, "", validMap()), wantCode: invalid},
		{
			name:     "alg none",
			token:    b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + b64(validMap()) + ".",
			wantCode: invalid,
		},
		{
			name:     "alg none with our kid",
			token:    b64(map[string]string{"alg": "none", "typ": "JWT", "kid": ks.KID()}) + "." + b64(validMap()) + ".",
			wantCode: invalid,
		},
		{name: "HS256 keyed with the public key bytes", token: sign(t, jwt.SigningMethodHS256, []byte(pub), ks.KID(), validMap()), wantCode: invalid},
		{name: "HS256 keyed with the public key PEM", token: sign(t, jwt.SigningMethodHS256, pubPEM, ks.KID(), validMap()), wantCode: invalid},
		{name: "ES256", token: sign(t, jwt.SigningMethodES256, ecKey, ks.KID(), validMap()), wantCode: invalid},
		{name: "tampered payload", token: parts[0] + "." + b64(tampered) + "." + parts[2], wantCode: invalid},
		{name: "signature of another token", token: parts[0] + "." + parts[1] + "." + strings.Split(otherGood, ".")[2], wantCode: invalid},
		{name: "signature stripped", token: parts[0] + "." + parts[1] + ".", wantCode: invalid},
		{name: "non-canonical base64 signature", token: parts[0] + "." + parts[1] + "." + sloppySig, wantCode: invalid},
		{name: "missing exp", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "exp")), wantCode: invalid},
		{name: "missing iat", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "iat")), wantCode: invalid},
		{name: "missing sub", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "sub")), wantCode: invalid},
		{name: "missing role", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "role")), wantCode: invalid},
		{name: "unknown role", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "role", "root")), wantCode: invalid},
		{name: "missing sid", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "sid")), wantCode: invalid},
		{name: "missing jti", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "jti")), wantCode: invalid},
		{name: "missing aud", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "aud")), wantCode: invalid},
		{name: "missing iss", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), without(validMap(), "iss")), wantCode: invalid},
		{name: "aud as an array", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "aud", []string{testAudience})), wantCode: invalid},
		{name: "sub of the wrong type", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "sub", 42)), wantCode: invalid},
		{
			name:     "not valid for another hour (nbf)",
			token:    sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "nbf", t0().Add(time.Hour).Unix())),
			wantCode: invalid,
		},
		{
			name:     "nbf beyond the 30 s leeway",
			token:    sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "nbf", t0().Add(time.Minute+31*time.Second).Unix())),
			wantCode: invalid,
		},
		{name: "nbf of the wrong type", token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "nbf", "soon")), wantCode: invalid},
		{
			name:     "lifetime a second over the TTL",
			token:    sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "exp", t0().Add(testTTL+time.Second).Unix())),
			wantCode: invalid,
		},
		{
			name:     "lifetime of a year",
			token:    sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "exp", t0().AddDate(1, 0, 0).Unix())),
			wantCode: invalid,
		},
		{
			name: "future nbf with a long lifetime",
			token: sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(with(validMap(),
				"nbf", t0().Add(24*time.Hour).Unix()), "exp", t0().Add(24*time.Hour+testTTL).Unix())),
			wantCode: invalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := verifier.Verify(tt.token)
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("Verify() = %+v, %v; want an *apperr.Error", c, err)
			}
			if ae.Kind != apperr.Unauthenticated || ae.Code != tt.wantCode {
				t.Errorf("Verify() error kind, code = %v, %s; want %v, %s", ae.Kind, ae.Code, apperr.Unauthenticated, tt.wantCode)
			}
			if ae.Err == nil {
				t.Errorf("Verify() error %v wraps no cause", err)
			}
			if c != (auth.Claims{}) {
				t.Errorf("Verify() claims = %+v, want zero claims with an error", c)
			}
		})
	}
}

func TestVerifyErrorDetails(t *testing.T) {
	ks := auth.NewKeySet(newKey(t, 1))
	verifier := newTokens(t, tokenOpts{keys: ks, now: t0()})
	expiredToken := issue(t, newTokens(t, tokenOpts{keys: ks, now: t0().Add(-time.Hour)}), participant())
	tests := []struct {
		name       string
		token      string
		wantDetail string
	}{
		{name: "invalid", token: "x", wantDetail: "The access token is missing, expired or not valid."},
		{name: "expired", token: expiredToken, wantDetail: "The access token has expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifier.Verify(tt.token)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Detail != tt.wantDetail {
				t.Errorf("Verify() error = %v, want detail %q", err, tt.wantDetail)
			}
		})
	}
}

// TestVerifyAcceptsNotBeforeAndLifetimeInBounds is the other side of the
// nbf and lifetime rows of TestVerifyRejects: the bounds themselves pass.
func TestVerifyAcceptsNotBeforeAndLifetimeInBounds(t *testing.T) {
	key := newKey(t, 1)
	ks := auth.NewKeySet(key)
	now := t0().Add(time.Minute)
	verifier := newTokens(t, tokenOpts{keys: ks, now: now})
	tests := []struct {
		name   string
		claims jwt.MapClaims
	}{
		{name: "nbf at iat", claims: with(validMap(), "nbf", t0().Unix())},
		{name: "nbf now", claims: with(validMap(), "nbf", now.Unix())},
		{name: "nbf within the 30 s leeway", claims: with(validMap(), "nbf", now.Add(29*time.Second).Unix())},
		{name: "lifetime exactly the TTL", claims: with(validMap(), "exp", t0().Add(testTTL).Unix())},
		{name: "lifetime shorter than the TTL", claims: with(validMap(), "exp", t0().Add(2*time.Minute).Unix())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := verifier.Verify(sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), tt.claims)); err != nil {
				t.Errorf("Verify() error = %v, want none", err)
			}
		})
	}
}

// TestVerifyCapsLifetimeAtConfiguredTTL checks that the cap is the
// verifier's own TTL, not MaxTokenTTL: with ACCESS_TOKEN_TTL=5m a token
// living 10 minutes (signed with our key, so by an instance configured
// otherwise or by whoever holds the key) is refused.
func TestVerifyCapsLifetimeAtConfiguredTTL(t *testing.T) {
	key := newKey(t, 1)
	ks := auth.NewKeySet(key)
	verifier, err := auth.NewTokens(auth.TokenConfig{
		Keys: ks, Issuer: testIssuer, Audience: testAudience, TTL: 5 * time.Minute, Now: at(t0().Add(time.Minute)),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		exp     time.Time
		wantErr bool
	}{
		{name: "5 minutes", exp: t0().Add(5 * time.Minute), wantErr: false},
		{name: "5 minutes and a second", exp: t0().Add(5*time.Minute + time.Second), wantErr: true},
		{name: "10 minutes", exp: t0().Add(10 * time.Minute), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifier.Verify(sign(t, jwt.SigningMethodEdDSA, key, ks.KID(), with(validMap(), "exp", tt.exp.Unix())))
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Verify(exp−iat = %v) error = %v, want error: %t", tt.exp.Sub(t0()), err, tt.wantErr)
			}
			if err != nil && !apperr.Is(err, apperr.Unauthenticated) {
				t.Errorf("Verify() error = %v, want kind Unauthenticated", err)
			}
		})
	}
}

// TestVerifyAcceptsSubSecondTTL: iat and exp are whole seconds, so a token
// issued with a TTL that is not may live up to a second longer on paper.
// The cap rounds the TTL up and the verifier's own tokens still pass.
func TestVerifyAcceptsSubSecondTTL(t *testing.T) {
	ks := auth.NewKeySet(newKey(t, 1))
	issued := t0().Add(700 * time.Millisecond)
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Keys: ks, Issuer: testIssuer, Audience: testAudience, TTL: 10*time.Minute + 500*time.Millisecond, Now: at(issued),
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tokens.Verify(issue(t, tokens, participant()))
	if err != nil {
		t.Fatalf("Verify(own token) error = %v", err)
	}
	if got, want := c.ExpiresAt.Sub(c.IssuedAt), 10*time.Minute+time.Second; got != want {
		t.Errorf("exp − iat = %v, want %v (the case the rounding is for)", got, want)
	}
}

func TestVerifyLeeway(t *testing.T) {
	ks := auth.NewKeySet(newKey(t, 1))
	token := issue(t, newTokens(t, tokenOpts{keys: ks, now: t0()}), participant())
	exp := t0().Add(testTTL)
	tests := []struct {
		name    string
		now     time.Time
		wantErr bool
	}{
		{name: "just before exp", now: exp.Add(-time.Second), wantErr: false},
		{name: "within 30 s after exp", now: exp.Add(29 * time.Second), wantErr: false},
		{name: "more than 30 s after exp", now: exp.Add(31 * time.Second), wantErr: true},
		{name: "clock 20 s behind the issuer", now: t0().Add(-20 * time.Second), wantErr: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTokens(t, tokenOpts{keys: ks, now: tt.now}).Verify(token)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Verify() at %v error = %v, want error: %t", tt.now, err, tt.wantErr)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	oldKey, newKey := newKey(t, 1), newKey(t, 2)
	oldPub := oldKey.Public().(ed25519.PublicKey)
	token := issue(t, newTokens(t, tokenOpts{keys: auth.NewKeySet(oldKey), now: t0()}), participant())
	tests := []struct {
		name    string
		keys    *auth.KeySet
		wantErr bool
	}{
		{name: "new signing key, old public key still configured", keys: auth.NewKeySet(newKey, oldPub), wantErr: false},
		{name: "old public key dropped", keys: auth.NewKeySet(newKey), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTokens(t, tokenOpts{keys: tt.keys, now: t0()}).Verify(token)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Verify(old token) error = %v, want error: %t", err, tt.wantErr)
			}
		})
	}

	// New tokens are signed with the new key.
	rotated := newTokens(t, tokenOpts{keys: auth.NewKeySet(newKey, oldPub), now: t0()})
	header := decodeSegment(t, strings.Split(issue(t, rotated, participant()), ".")[0])
	if got, want := header["kid"], kidOf(newKey); got != want {
		t.Errorf("kid after rotation = %v, want %v", got, want)
	}
}

func TestNewTokensConfig(t *testing.T) {
	ks := auth.NewKeySet(newKey(t, 1))
	valid := func() auth.TokenConfig {
		return auth.TokenConfig{Keys: ks, Issuer: testIssuer, Audience: testAudience, TTL: 10 * time.Minute}
	}
	tests := []struct {
		name    string
		change  func(c *auth.TokenConfig)
		wantErr bool
	}{
		{name: "valid", change: func(c *auth.TokenConfig) {}, wantErr: false},
		{name: "TTL of exactly 15m", change: func(c *auth.TokenConfig) { c.TTL = 15 * time.Minute }, wantErr: false},
		{name: "TTL above 15m", change: func(c *auth.TokenConfig) { c.TTL = 15*time.Minute + time.Second }, wantErr: true},
		{name: "TTL of an hour", change: func(c *auth.TokenConfig) { c.TTL = time.Hour }, wantErr: true},
		{name: "zero TTL", change: func(c *auth.TokenConfig) { c.TTL = 0 }, wantErr: true},
		{name: "negative TTL", change: func(c *auth.TokenConfig) { c.TTL = -time.Minute }, wantErr: true},
		{name: "no keys", change: func(c *auth.TokenConfig) { c.Keys = nil }, wantErr: true},
		{name: "no issuer", change: func(c *auth.TokenConfig) { c.Issuer = "" }, wantErr: true},
		{name: "no audience", change: func(c *auth.TokenConfig) { c.Audience = "" }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.change(&cfg)
			_, err := auth.NewTokens(cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("NewTokens(%+v) error = %v, want error: %t", cfg, err, tt.wantErr)
			}
		})
	}
}

// FuzzVerify checks that Verify never panics and accepts no string but the
// one token issued.
func FuzzVerify(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	tokens := newTokens(f, tokenOpts{keys: auth.NewKeySet(key), now: t0()})
	issued, _, err := tokens.Issue(participant())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(issued)
	for i := range len(issued) {
		c := byte('A')
		if issued[i] == 'A' {
			c = 'B'
		}
		f.Add(issued[:i] + string(c) + issued[i+1:])
	}
	f.Add("")
	f.Add("..")
	f.Add(issued + ".")
	f.Add(issued + "A")
	f.Add(" " + issued)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tokens.Verify(s)
		if err == nil && s != issued {
			t.Fatalf("Verify(%q) accepted a string that was never issued: %+v", s, c)
		}
		if err != nil && !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("Verify(%q) error = %v, want kind Unauthenticated", s, err)
		}
	})
}
