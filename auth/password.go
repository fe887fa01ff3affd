package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/jobbanken/jobkunde/apperr"
)

// The argon2id parameters for new hashes: OWASP's Password Storage Cheat
// Sheet minimum (19 MiB, 2 passes, 1 lane). Raise them here; hashes made
// with weaker ones still verify, and NeedsRehash reports them.
const (
	argonMemoryKiB = 19456
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds on the parameters VerifyPassword accepts from a stored hash, so a
// corrupt or planted one cannot make a login burn gigabytes or minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8
	minKeyLen    = 16
	maxKeyLen    = 128
)

// Password policy (OWASP ASVS 5.0, V6.2).
const (
	MinPasswordRunes = 10
	MaxPasswordRunes = 128
)

// equalizeSalt is the fixed salt EqualizeTiming hashes with.
const equalizeSalt = "jobkunde-no-user"

// HashPassword returns the argon2id hash of pw with a fresh random salt, as
// a PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (salt and hash
// in unpadded standard base64).
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	p := argonParams{memoryKiB: argonMemoryKiB, time: argonTime, threads: argonThreads, salt: salt}
	p.key = argon2.IDKey([]byte(pw), salt, p.time, p.memoryKiB, p.threads, argonKeyLen)
	return p.String(), nil
}

// VerifyPassword reports whether pw matches the PHC argon2id hash encoded,
// using the parameters stored in it and a constant-time comparison. It
// returns an error only when encoded is not a hash it can check.
func VerifyPassword(encoded, pw string) (bool, error) {
	p, err := parseArgon2id(encoded)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memoryKiB, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// NeedsRehash reports whether encoded should be replaced by HashPassword's
// output at the next successful login: its memory, passes, salt or key are
// smaller than the current ones, or it is not a hash VerifyPassword reads.
func NeedsRehash(encoded string) bool {
	p, err := parseArgon2id(encoded)
	if err != nil {
		return true
	}
	return p.memoryKiB < argonMemoryKiB || p.time < argonTime ||
		len(p.salt) < argonSaltLen || len(p.key) < argonKeyLen
}

// EqualizeTiming spends as long as checking one password with the current
// parameters and discards the result. Call it when a login names no account
// (or one without a password), so that the response time does not tell
// which logins exist.
func EqualizeTiming(pw string) {
	_ = argon2.IDKey([]byte(pw), []byte(equalizeSalt), argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
}

// argonParams is a parsed argon2id PHC string.
type argonParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
	salt, key []byte
}

func (p argonParams) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memoryKiB, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(p.salt), base64.RawStdEncoding.EncodeToString(p.key))
}

// parseArgon2id parses "$argon2id$v=19$m=M,t=T,p=P$salt$hash" and checks the
// parameters are within bounds.
func parseArgon2id(encoded string) (argonParams, error) {
	var p argonParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, errors.New("malformed hash: want $argon2id$v=..$m=..,t=..,p=..$salt$hash")
	}
	if parts[1] != "argon2id" {
		return p, fmt.Errorf("unsupported algorithm %q", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, fmt.Errorf("malformed parameters %q", parts[3])
	}
	var err error
	var threads uint32
	for i, dst := range []*uint32{&p.memoryKiB, &p.time, &threads} {
		name := [...]string{"m=", "t=", "p="}[i]
		v, ok := strings.CutPrefix(params[i], name)
		if !ok {
			return p, fmt.Errorf("malformed parameters %q", parts[3])
		}
		n, perr := strconv.ParseUint(v, 10, 32)
		if perr != nil {
			return p, fmt.Errorf("parameter %s: %w", name, perr)
		}
		*dst = uint32(n)
	}
	switch {
	case p.time < 1 || p.time > maxTime:
		return p, fmt.Errorf("time %d out of range", p.time)
	case threads < 1 || threads > 255:
		return p, fmt.Errorf("parallelism %d out of range", threads)
	case p.memoryKiB < 8*threads || p.memoryKiB > maxMemoryKiB:
		return p, fmt.Errorf("memory %d KiB out of range", p.memoryKiB)
	}
	p.threads = uint8(threads)
	if p.salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4]); err != nil {
		return p, fmt.Errorf("decode salt: %w", err)
	}
	if p.key, err = base64.RawStdEncoding.Strict().DecodeString(parts[5]); err != nil {
		return p, fmt.Errorf("decode hash: %w", err)
	}
	if len(p.salt) < minSaltLen {
		return p, fmt.Errorf("salt of %d bytes is too short", len(p.salt))
	}
	if len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
		return p, fmt.Errorf("hash of %d bytes out of range", len(p.key))
	}
	return p, nil
}

//go:embed common-passwords.txt
var commonPasswordsTxt string

// commonPasswords is the embedded list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 2200)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

// CheckPassword applies the password policy (OWASP ASVS) to pw and returns
// one FieldError per problem for the JSON field named field, or nil when pw
// is acceptable. Length is counted in runes, without trimming: at least 10
// ("password.too_short"), at most 128 ("password.too_long"). A password of
// a fitting length must not be on the embedded common-password list
// (compared case-insensitively) nor one character repeated
// ("password.common").
func CheckPassword(pw, field string) []apperr.FieldError {
	var errs apperr.Fields
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordRunes:
		errs.Add(field, "password.too_short", fmt.Sprintf("Use at least %d characters.", MinPasswordRunes))
	case n > MaxPasswordRunes:
		errs.Add(field, "password.too_long", fmt.Sprintf("Use at most %d characters.", MaxPasswordRunes))
	case isCommon(pw) || isOneRune(pw):
		errs.Add(field, "password.common", "This password is too common or too easy to guess. Choose another.")
	}
	return errs
}

// CheckPasswordFor is CheckPassword plus one more rule: the password must
// not be the login itself, compared case-insensitively
// ("password.same_as_login").
func CheckPasswordFor(pw, login, field string) []apperr.FieldError {
	errs := apperr.Fields(CheckPassword(pw, field))
	if login != "" && strings.EqualFold(pw, login) {
		errs.Add(field, "password.same_as_login", "Do not use your login as your password.")
	}
	return errs
}

func isCommon(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// isOneRune reports whether pw is a single character repeated.
func isOneRune(pw string) bool {
	first, _ := utf8.DecodeRuneInString(pw)
	for _, r := range pw {
		if r != first {
			return false
		}
	}
	return true
}
