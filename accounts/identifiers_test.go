package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/apperr"
)

// normaliser is the shape of NormaliseLogin, NormaliseEmail and NormalisePhone.
type normaliser func(s, field string) (string, error)

var normalisers = map[string]normaliser{
	"NormaliseLogin": accounts.NormaliseLogin,
	"NormaliseEmail": accounts.NormaliseEmail,
	"NormalisePhone": accounts.NormalisePhone,
}

// emailOfLength returns a syntactically valid address of exactly n bytes
// (n ≥ 70), with a 64-byte local part and DNS labels of at most 63 bytes.
func emailOfLength(t *testing.T, n int) string {
	t.Helper()
	local := strings.Repeat("a", 64)
	domainLen := n - len(local) - 1
	var labels []string
	for rest := domainLen - len(".dk"); rest > 0; {
		l := min(63, rest)
		if rest-l == 1 { // avoid leaving room for only the dot
			l--
		}
		labels = append(labels, strings.Repeat("b", l))
		rest -= l + 1
	}
	addr := local + "@" + strings.Join(labels, ".") + ".dk"
	if len(addr) != n {
		t.Fatalf("emailOfLength(%d) built %d bytes", n, len(addr))
	}
	return addr
}

func TestNormaliseAccepts(t *testing.T) {
	longest := emailOfLength(t, 254)
	tests := []struct {
		fn    string
		input string
		want  string
	}{
		{fn: "NormaliseLogin", input: "20 12 34 56", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "+45 20123456", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "004520123456", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "20-12-34-56", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "20123456", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "+4520123456", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "  0045 20 12 34 56  ", want: "+4520123456"},
		{fn: "NormaliseLogin", input: "99 99 99 99", want: "+4599999999"},
		{fn: "NormaliseLogin", input: " Anna@Example.DK ", want: "anna@example.dk"},
		{fn: "NormaliseLogin", input: "anna.b.jensen+job@mail.example.dk", want: "anna.b.jensen+job@mail.example.dk"},
		{fn: "NormaliseLogin", input: "Søren@Example.dk", want: "søren@example.dk"},
		{fn: "NormalisePhone", input: "20 12 34 56", want: "+4520123456"},
		{fn: "NormalisePhone", input: "+45 20 12 34 56", want: "+4520123456"},
		{fn: "NormalisePhone", input: "0045-2012-3456", want: "+4520123456"},
		{fn: "NormalisePhone", input: "\t31 12 34 56\n", want: "+4531123456"},
		{fn: "NormaliseEmail", input: " Anna@Example.DK ", want: "anna@example.dk"},
		{fn: "NormaliseEmail", input: "a@b.dk", want: "a@b.dk"},
		{fn: "NormaliseEmail", input: longest, want: longest},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"/"+tt.input, func(t *testing.T) {
			got, err := normalisers[tt.fn](tt.input, "login")
			if err != nil {
				t.Fatalf("%s(%q) error = %v, want nil", tt.fn, tt.input, err)
			}
			if got != tt.want {
				t.Errorf("%s(%q) = %q, want %q", tt.fn, tt.input, got, tt.want)
			}
		})
	}
}

func TestNormaliseRejects(t *testing.T) {
	tooLong := emailOfLength(t, 255)
	tests := []struct {
		name     string
		fn       string
		input    string
		field    string
		wantCode string
	}{
		{name: "7 digits", fn: "NormaliseLogin", input: "2012345", field: "login", wantCode: "phone.invalid"},
		{name: "9 digits", fn: "NormaliseLogin", input: "201234567", field: "login", wantCode: "phone.invalid"},
		{name: "leading 0", fn: "NormaliseLogin", input: "02123456", field: "login", wantCode: "phone.invalid"},
		{name: "leading 1", fn: "NormaliseLogin", input: "12345678", field: "login", wantCode: "phone.invalid"},
		{name: "leading 0 after +45", fn: "NormaliseLogin", input: "+45 02123456", field: "login", wantCode: "phone.invalid"},
		{name: "Swedish prefix", fn: "NormaliseLogin", input: "+46 20123456", field: "login", wantCode: "phone.invalid"},
		{name: "0046 prefix", fn: "NormaliseLogin", input: "004620123456", field: "login", wantCode: "phone.invalid"},
		{name: "45 without plus", fn: "NormaliseLogin", input: "4520123456", field: "login", wantCode: "phone.invalid"},
		{name: "plus not first", fn: "NormaliseLogin", input: "45+20123456", field: "login", wantCode: "phone.invalid"},
		{name: "two plus signs", fn: "NormaliseLogin", input: "++4520123456", field: "login", wantCode: "phone.invalid"},
		{name: "letters", fn: "NormaliseLogin", input: "2012345a", field: "login", wantCode: "phone.invalid"},
		{name: "word", fn: "NormaliseLogin", input: "anna", field: "login", wantCode: "phone.invalid"},
		{name: "parentheses", fn: "NormaliseLogin", input: "(20) 12 34 56", field: "login", wantCode: "phone.invalid"},
		{name: "full-width digits", fn: "NormaliseLogin", input: "２０１２３４５６", field: "login", wantCode: "phone.invalid"},
		{name: "Arabic-Indic digits", fn: "NormaliseLogin", input: "٢٠١٢٣٤٥٦", field: "login", wantCode: "phone.invalid"},
		{name: "empty", fn: "NormaliseLogin", input: "", field: "login", wantCode: "phone.invalid"},
		{name: "blank", fn: "NormaliseLogin", input: "   ", field: "login", wantCode: "phone.invalid"},
		{name: "plus only", fn: "NormaliseLogin", input: "+", field: "login", wantCode: "phone.invalid"},
		{name: "no domain", fn: "NormaliseLogin", input: "anna@", field: "login", wantCode: "email.invalid"},
		{name: "no local part", fn: "NormaliseLogin", input: "@example.dk", field: "login", wantCode: "email.invalid"},
		{name: "domain without dot", fn: "NormaliseLogin", input: "a@b", field: "login", wantCode: "email.invalid"},
		{name: "domain without TLD", fn: "NormaliseLogin", input: "anna@example", field: "login", wantCode: "email.invalid"},
		{name: "display name", fn: "NormaliseLogin", input: "Anna <a@b.dk>", field: "login", wantCode: "email.invalid"},
		{name: "angle brackets only", fn: "NormaliseLogin", input: "<a@b.dk>", field: "login", wantCode: "email.invalid"},
		{name: "comment", fn: "NormaliseLogin", input: "a@b.dk (Anna)", field: "login", wantCode: "email.invalid"},
		{name: "two addresses", fn: "NormaliseLogin", input: "a@b.dk, c@d.dk", field: "login", wantCode: "email.invalid"},
		{name: "space inside", fn: "NormaliseLogin", input: "an na@example.dk", field: "login", wantCode: "email.invalid"},
		{name: "two at signs", fn: "NormaliseLogin", input: "anna@b@example.dk", field: "login", wantCode: "email.invalid"},
		{name: "over-long email", fn: "NormaliseLogin", input: tooLong, field: "login", wantCode: "email.invalid"},
		{name: "email: over-long", fn: "NormaliseEmail", input: tooLong, field: "email", wantCode: "email.invalid"},
		{name: "email: display name", fn: "NormaliseEmail", input: "Anna <a@b.dk>", field: "email", wantCode: "email.invalid"},
		{name: "email: no at sign", fn: "NormaliseEmail", input: "anna.example.dk", field: "email", wantCode: "email.invalid"},
		{name: "email: empty", fn: "NormaliseEmail", input: "", field: "email", wantCode: "email.invalid"},
		{name: "email: phone number", fn: "NormaliseEmail", input: "20123456", field: "email", wantCode: "email.invalid"},
		{name: "phone: email", fn: "NormalisePhone", input: "a@b.dk", field: "phone", wantCode: "phone.invalid"},
		{name: "phone: 7 digits", fn: "NormalisePhone", input: "20 12 34 5", field: "phone", wantCode: "phone.invalid"},
		{name: "phone: Swedish prefix", fn: "NormalisePhone", input: "+46 20123456", field: "phone", wantCode: "phone.invalid"},
		{name: "phone: field name kept", fn: "NormalisePhone", input: "x", field: "contact.phone", wantCode: "phone.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalisers[tt.fn](tt.input, tt.field)
			if err == nil {
				t.Fatalf("%s(%q) = %q, nil; want an Invalid error", tt.fn, tt.input, got)
			}
			if got != "" {
				t.Errorf("%s(%q) returned %q with the error, want \"\"", tt.fn, tt.input, got)
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%s(%q) error = %v (%T), want an *apperr.Error", tt.fn, tt.input, err, err)
			}
			if ae.Kind != apperr.Invalid {
				t.Errorf("%s(%q) error kind = %s, want %s", tt.fn, tt.input, ae.Kind, apperr.Invalid)
			}
			if len(ae.Fields) != 1 {
				t.Fatalf("%s(%q) field errors = %+v, want exactly one", tt.fn, tt.input, ae.Fields)
			}
			if f := ae.Fields[0]; f.Field != tt.field || f.Code != tt.wantCode || f.Message == "" {
				t.Errorf("%s(%q) field error = %+v, want field %q, code %q and a message", tt.fn, tt.input, f, tt.field, tt.wantCode)
			}
		})
	}
}
