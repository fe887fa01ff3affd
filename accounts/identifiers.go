package accounts

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/jobbanken/jobkunde/apperr"
)

// NormaliseLogin turns what a person typed as their login into its stored
// form: an email address in lower case, or a Danish mobile number as
// +45XXXXXXXX (spaces, dashes and a +45/0045 prefix are accepted). It returns
// an Invalid error naming field when the input is neither.
func NormaliseLogin(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		return NormaliseEmail(s, field)
	}
	return NormalisePhone(s, field)
}

// NormaliseEmail validates an email address and lower-cases it.
func NormaliseEmail(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		return "", apperr.InvalidField(field, "email.invalid", "Enter a valid email address.")
	}
	at := strings.LastIndexByte(s, '@')
	if !strings.Contains(s[at+1:], ".") {
		return "", apperr.InvalidField(field, "email.invalid", "Enter a valid email address.")
	}
	return strings.ToLower(s), nil
}

// NormalisePhone validates a Danish phone number (8 digits, optionally
// prefixed with +45 or 0045) and returns it as +45XXXXXXXX.
func NormalisePhone(s, field string) (string, error) {
	var digits strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsDigit(r) && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-':
		default:
			return "", apperr.InvalidField(field, "phone.invalid", "Enter a Danish phone number with 8 digits.")
		}
	}
	d := digits.String()
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		if !strings.HasPrefix(d, "45") {
			return "", apperr.InvalidField(field, "phone.invalid", "Enter a Danish phone number with 8 digits.")
		}
		d = d[2:]
	} else if strings.HasPrefix(d, "0045") {
		d = d[4:]
	}
	if len(d) != 8 || d[0] == '0' || d[0] == '1' {
		return "", apperr.InvalidField(field, "phone.invalid", "Enter a Danish phone number with 8 digits.")
	}
	return "+45" + d, nil
}
