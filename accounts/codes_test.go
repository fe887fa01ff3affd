package accounts

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewActivationCodeFormat(t *testing.T) {
	code := newActivationCode()
	if len(code) != codeLen+1 {
		t.Fatalf("newActivationCode() = %q, %d chars, want %d", code, len(code), codeLen+1)
	}
	if code[4] != '-' {
		t.Errorf("newActivationCode() = %q, want a dash at index 4", code)
	}
	for i, r := range code {
		if i != 4 && !strings.ContainsRune(codeAlphabet, r) {
			t.Errorf("newActivationCode() = %q: %q at %d is not in the alphabet %q", code, r, i, codeAlphabet)
		}
	}
	if got := normaliseCode(code); got != strings.Replace(code, "-", "", 1) {
		t.Errorf("normaliseCode(%q) = %q, want the code without its dash", code, got)
	}
}

func TestActivationCodeAlphabet(t *testing.T) {
	if got := len(codeAlphabet); got != 31 {
		t.Errorf("len(codeAlphabet) = %d, want 31", got)
	}
	for _, confusable := range "01OIL" {
		if strings.ContainsRune(codeAlphabet, confusable) {
			t.Errorf("codeAlphabet contains the easily confused symbol %q", confusable)
		}
	}
}

func TestNewActivationCodeSymbols(t *testing.T) {
	const n = 2000
	seen := map[rune]int{}
	codes := map[string]bool{}
	for range n {
		code := newActivationCode()
		codes[code] = true
		if len(code) != 9 || code[4] != '-' {
			t.Fatalf("newActivationCode() = %q, want XXXX-XXXX", code)
		}
		for _, r := range code[:4] + code[5:] {
			seen[r]++
		}
	}
	for r := range seen {
		if !strings.ContainsRune(codeAlphabet, r) {
			t.Errorf("symbol %q appeared %d times, want only symbols of %q", r, seen[r], codeAlphabet)
		}
	}
	// 16,000 draws from 31 symbols: every symbol appears ~516 times, so
	// fewer than 25 distinct symbols means the sampling is broken.
	if got := len(seen); got < 25 {
		t.Errorf("%d codes used %d distinct symbols, want at least 25", n, got)
	}
	// 31^8 ≈ 8.5e11 codes: a duplicate among 2,000 is a broken generator
	// (birthday odds ≈ 2e-6).
	if got := len(codes); got != n {
		t.Errorf("%d codes had %d distinct values, want all distinct", n, got)
	}
}

func TestNormaliseCode(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{in: "abcd efgh", want: "ABCDEFGH"},
		{in: "ABCD-EFGH", want: "ABCDEFGH"},
		{in: "abcd-efgh", want: "ABCDEFGH"},
		{in: " ab-cd  ef-gh\n", want: "ABCDEFGH"},
		{in: "A2C4-E6G8", want: "A2C4E6G8"},
		{in: "a–b—c.d_e", want: "ABCDE"},
		{in: "", want: ""},
		{in: "----", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normaliseCode(tt.in); got != tt.want {
				t.Errorf("normaliseCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHashSecret(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		// SHA-256 test vectors (FIPS 180-2 "abc" and the empty string).
		{in: "abc", want: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{in: "", want: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := hashSecret(tt.in)
			if got != tt.want {
				t.Errorf("hashSecret(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := hashSecret(tt.in); again != got {
				t.Errorf("hashSecret(%q) is not stable: %q then %q", tt.in, got, again)
			}
		})
	}
	code := newActivationCode()
	h := hashSecret(code)
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 || h != strings.ToLower(h) {
		t.Errorf("hashSecret(%q) = %q, want 64 lower-case hex digits", code, h)
	}
}

func TestNewRefreshToken(t *testing.T) {
	a, b := newRefreshToken(), newRefreshToken()
	for _, tok := range []string{a, b} {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			t.Fatalf("newRefreshToken() = %q: not raw base64url: %v", tok, err)
		}
		if len(raw) != 32 {
			t.Errorf("newRefreshToken() = %q decodes to %d bytes, want 32", tok, len(raw))
		}
		if len(tok) != 43 {
			t.Errorf("newRefreshToken() = %q, %d chars, want 43", tok, len(tok))
		}
	}
	if a == b {
		t.Errorf("newRefreshToken() returned %q twice", a)
	}
}
