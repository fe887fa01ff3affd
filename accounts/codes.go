package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// codeAlphabet has no 0/O, 1/I/L: a code read aloud or typed on a phone
// keyboard is hard to get wrong. 31 symbols × 8 ≈ 39.6 bits; guessing is
// bounded by attempt throttling and the 14-day expiry.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const codeLen = 8

// newActivationCode returns a random code shown as "ABCD-EFGH".
func newActivationCode() string {
	b := make([]byte, codeLen)
	out := make([]byte, 0, codeLen+1)
	for i := range b {
		// rand.Text-style rejection sampling keeps symbols uniform.
		for {
			if _, err := rand.Read(b[i : i+1]); err != nil {
				panic(err) // crypto/rand never fails on supported platforms
			}
			if int(b[i]) < 256-256%len(codeAlphabet) {
				break
			}
		}
		if i == codeLen/2 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(b[i])%len(codeAlphabet)])
	}
	return string(out)
}

// normaliseCode accepts what a person typed: any case, with or without
// spaces and dashes.
func normaliseCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hashSecret is how activation codes, refresh tokens and throttle keys are
// stored: a SHA-256 hex digest, so a database dump reveals none of them.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newRefreshToken returns 256 random bits, base64url-encoded.
func newRefreshToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
