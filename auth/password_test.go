package auth_test

import (
	"strings"
	"testing"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
)

func TestHashVerifyPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	encoded, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatalf("HashPassword() error = %v", err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("HashPassword() = %q, want the prefix $argon2id$v=19$m=19456,t=2,p=1$", encoded)
	}
	again, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if again == encoded {
		t.Errorf("HashPassword() twice = the same %q, want a fresh salt each time", encoded)
	}

	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{name: "right password", pw: pw, want: true},
		{name: "wrong password", pw: "correct horse battery stapler", want: false},
		{name: "different case", pw: strings.ToUpper(pw), want: false},
		{name: "empty", pw: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.VerifyPassword(encoded, tt.pw)
			if err != nil {
				t.Fatalf("VerifyPassword() error = %v", err)
			}
			if got != tt.want {
				t.Errorf("VerifyPassword(%q) = %t, want %t", tt.pw, got, tt.want)
			}
		})
	}
}

// TestVerifyPasswordKnownHashes checks hashes made by the reference argon2
// implementation (the argon2 CLI of phc-winner-argon2): one with the current
// parameters and one with weaker ones, which must still verify so that the
// parameters can be raised later.
func TestVerifyPasswordKnownHashes(t *testing.T) {
	tests := []struct {
		name    string
		encoded string
		pw      string
		want    bool
	}{
		{
			name:    "current parameters, right password",
			encoded: "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
			pw:      "correct horse battery staple",
			want:    true,
		},
		{
			name:    "weaker parameters, right password",
			encoded: "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI",
			pw:      "password",
			want:    true,
		},
		{
			name:    "weaker parameters, wrong password",
			encoded: "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI",
			pw:      "Password",
			want:    false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.VerifyPassword(tt.encoded, tt.pw)
			if err != nil {
				t.Fatalf("VerifyPassword() error = %v", err)
			}
			if got != tt.want {
				t.Errorf("VerifyPassword(%q) = %t, want %t", tt.pw, got, tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const salt, hash = "c29tZXNhbHRzb21lc2FsdA", "ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y"
	tests := []struct {
		name    string
		encoded string
	}{
		{name: "empty", encoded: ""},
		{name: "bcrypt", encoded: "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{name: "argon2i", encoded: "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + hash},
		{name: "old version", encoded: "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + hash},
		{name: "missing field", encoded: "$argon2id$v=19$m=19456,t=2,p=1$" + salt},
		{name: "params out of order", encoded: "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + hash},
		{name: "non-numeric param", encoded: "$argon2id$v=19$m=lots,t=2,p=1$" + salt + "$" + hash},
		{name: "zero time", encoded: "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + hash},
		{name: "zero threads", encoded: "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + hash},
		{name: "huge memory", encoded: "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + hash},
		{name: "bad salt base64", encoded: "$argon2id$v=19$m=19456,t=2,p=1$!!!$" + hash},
		{name: "padded hash base64", encoded: "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + hash + "="},
		{name: "short salt", encoded: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + hash},
		{name: "short hash", encoded: "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$c2FsdA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := auth.VerifyPassword(tt.encoded, "password")
			if err == nil || ok {
				t.Errorf("VerifyPassword(%q) = %t, %v; want false and an error", tt.encoded, ok, err)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	current, err := auth.HashPassword("another long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	const salt, hash = "c29tZXNhbHRzb21lc2FsdA", "ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y"
	tests := []struct {
		name    string
		encoded string
		want    bool
	}{
		{name: "current parameters", encoded: current, want: false},
		{name: "stronger parameters", encoded: "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + hash, want: false},
		{name: "less memory", encoded: "$argon2id$v=19$m=4096,t=2,p=1$" + salt + "$" + hash, want: true},
		{name: "fewer passes", encoded: "$argon2id$v=19$m=19456,t=1,p=1$" + salt + "$" + hash, want: true},
		{name: "short salt", encoded: "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + hash, want: true},
		{name: "malformed", encoded: "plaintext", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.NeedsRehash(tt.encoded); got != tt.want {
				t.Errorf("NeedsRehash(%q) = %t, want %t", tt.encoded, got, tt.want)
			}
		})
	}
}

func TestEqualizeTiming(t *testing.T) {
	auth.EqualizeTiming("whatever the attacker typed") // must simply run
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name      string
		pw        string
		wantCodes []string
	}{
		{name: "good passphrase", pw: "blue tractor in the rain", wantCodes: nil},
		{name: "exactly 10 characters", pw: "k7#Lq9!vXz", wantCodes: nil},
		{name: "9 characters", pw: "k7#Lq9!vX", wantCodes: []string{"password.too_short"}},
		{name: "empty", pw: "", wantCodes: []string{"password.too_short"}},
		{name: "spaces count and are not trimmed", pw: "  abc12  ", wantCodes: []string{"password.too_short"}},
		{name: "10 runes, more bytes", pw: "æøåæøåæøåx", wantCodes: nil},
		{name: "9 runes of 2 bytes", pw: "æøåæøåæøå", wantCodes: []string{"password.too_short"}},
		{name: "128 runes", pw: strings.Repeat("ab", 64), wantCodes: nil},
		{name: "129 runes", pw: strings.Repeat("ab", 64) + "c", wantCodes: []string{"password.too_long"}},
		{name: "common", pw: "qwertyuiop", wantCodes: []string{"password.common"}},
		{name: "common in other case", pw: "BasketBall", wantCodes: []string{"password.common"}},
		{name: "common, 10 digits", pw: "1234567890", wantCodes: []string{"password.common"}},
		{name: "one repeated character", pw: "aaaaaaaaaaaa", wantCodes: []string{"password.common"}},
		{name: "one repeated non-ASCII character", pw: "øøøøøøøøøø", wantCodes: []string{"password.common"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.CheckPassword(tt.pw, "newPassword")
			if codes := codesFor(t, got, "newPassword"); !equalStrings(codes, tt.wantCodes) {
				t.Errorf("CheckPassword(%q) codes = %v, want %v", tt.pw, codes, tt.wantCodes)
			}
		})
	}
}

func TestCheckPasswordFor(t *testing.T) {
	tests := []struct {
		name      string
		pw        string
		login     string
		wantCodes []string
	}{
		{name: "different from login", pw: "blue tractor in the rain", login: "anna@example.dk", wantCodes: nil},
		{name: "same as login", pw: "anna@example.dk", login: "anna@example.dk", wantCodes: []string{"password.same_as_login"}},
		{name: "same as login in other case", pw: "Anna@Example.DK", login: "anna@example.dk", wantCodes: []string{"password.same_as_login"}},
		{name: "phone login", pw: "+4512345678", login: "+4512345678", wantCodes: []string{"password.same_as_login"}},
		{name: "short and same as login", pw: "anna", login: "anna", wantCodes: []string{"password.too_short", "password.same_as_login"}},
		{name: "no login yet", pw: "blue tractor in the rain", login: "", wantCodes: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.CheckPasswordFor(tt.pw, tt.login, "password")
			if codes := codesFor(t, got, "password"); !equalStrings(codes, tt.wantCodes) {
				t.Errorf("CheckPasswordFor(%q, %q) codes = %v, want %v", tt.pw, tt.login, codes, tt.wantCodes)
			}
		})
	}
}

// codesFor returns the codes of errs, checking each names field and has a message.
func codesFor(t *testing.T, errs []apperr.FieldError, field string) []string {
	t.Helper()
	var codes []string
	for _, fe := range errs {
		if fe.Field != field || fe.Message == "" {
			t.Errorf("field error %+v, want field %q and a message", fe, field)
		}
		codes = append(codes, fe.Code)
	}
	return codes
}
