// Package apperr is the error vocabulary every layer shares. Stores translate
// driver errors into it, capabilities return it, and the HTTP layer maps it to
// RFC 9457 problem documents in exactly one place.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the client can do about it.
type Kind int

// The kinds. Internal is the zero value so an unclassified error is never
// shown to a client by accident.
const (
	Internal         Kind = iota // a fault of ours; the client sees only a generic title
	Invalid                      // malformed input; Fields says which
	Unauthenticated              // no or bad credentials
	Forbidden                    // authenticated, but not allowed
	NotFound                     // no such thing (or not visible to the caller)
	Conflict                     // clashes with existing state
	RuleViolation                // well-formed, but breaks a business rule
	TooManyRequests              // throttled; retry later
	Unavailable                  // a dependency is down; retry later
	TooLarge                     // the content is over a size limit
	UnsupportedMedia             // the content is of a type that is not accepted
)

var kindNames = [...]string{"internal", "invalid", "unauthenticated", "forbidden", "not_found", "conflict", "rule_violation", "too_many_requests", "unavailable", "too_large", "unsupported_media"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// FieldError names one bad input field. Code is stable and machine-readable;
// Message is an English fallback that the HTTP layer may translate by Code.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// InvalidField returns the Invalid error for one bad field.
func InvalidField(field, code, message string) *Error {
	return InvalidFields([]FieldError{{Field: field, Code: code, Message: message}})
}

// Error is safe to show to clients: Code and Detail carry no internals. Err
// (the cause) is only ever logged.
type Error struct {
	Kind   Kind
	Code   string // stable, machine-readable, e.g. "auth.invalid_credentials"
	Detail string // human-readable English fallback, no internals
	Fields []FieldError
	// RetryAfterSeconds, when positive, tells a throttled client when to retry.
	RetryAfterSeconds int
	Err               error
}

// New returns an Error of kind k with a stable code and an English detail.
func New(k Kind, code, detail string) *Error {
	return &Error{Kind: k, Code: code, Detail: detail}
}

// Wrap returns an Error of kind k that keeps err as its (logged only) cause.
func Wrap(err error, k Kind, code, detail string) *Error {
	return &Error{Kind: k, Code: code, Detail: detail, Err: err}
}

// InvalidFields returns the Invalid error for a request with bad fields.
func InvalidFields(fields []FieldError) *Error {
	return &Error{Kind: Invalid, Code: "request.invalid_fields", Detail: "Some fields are not valid.", Fields: fields}
}

func (e *Error) Error() string {
	s := e.Kind.String() + ": " + e.Code
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Kind
	}
	return Internal
}

// Is reports whether err carries an *Error of kind k.
func Is(err error, k Kind) bool {
	return err != nil && KindOf(err) == k
}

// Fields collects field errors while a request is parsed.
type Fields []FieldError

// Add records a problem with field.
func (f *Fields) Add(field, code, message string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message})
}

// Err returns nil when no field was bad, else the Invalid error listing them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return InvalidFields(f)
}
