package handlers

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// decodeJSON reads the body into v: JSON media type required, unknown
// fields and trailing data rejected, type errors named by field.
func decodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(c.Get(fiber.HeaderContentType), ";")[0]))
	if ct != fiber.MIMEApplicationJSON {
		return fiber.NewError(fiber.StatusUnsupportedMediaType)
	}
	return decodeBody(c.Body(), v)
}

// decodeBody is decodeJSON without the HTTP parts (fuzzed on its own).
func decodeBody(body []byte, v any) error {
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		return apperr.New(apperr.Invalid, "request.invalid_json", "The body must hold one JSON object.")
	}
	// encoding/json would store invalid UTF-8 as U+FFFD: refuse it instead
	// (RFC 8259 §8.1), so what is stored is what was sent.
	if !utf8.Valid(body) || !pairedSurrogates(body) {
		return apperr.New(apperr.Invalid, "request.invalid_utf8", "The body must be UTF-8 text.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "request.invalid_json", "The body must hold one JSON object.")
	}
	return nil
}

// pairedSurrogates reports whether every \uD800–\uDFFF escape in body's
// strings is half of a high-low pair: encoding/json would store a lone half
// as U+FFFD, as it does invalid UTF-8 bytes. Text outside strings is left
// to the decoder.
func pairedSurrogates(body []byte) bool {
	inString, wantLow := false, false
	for i := 0; i < len(body); i++ {
		b := body[i]
		switch {
		case !inString:
			inString = b == '"'
			continue
		case b == '"':
			inString = false
		case b == '\\' && i+1 < len(body):
			i++
			if body[i] != 'u' || i+4 >= len(body) {
				break
			}
			r, err := strconv.ParseUint(string(body[i+1:i+5]), 16, 16)
			if err != nil {
				return true // not an escape: the decoder says what is wrong
			}
			i += 4
			switch {
			case r >= 0xD800 && r < 0xDC00: // high half: a low one must follow
				if wantLow {
					return false
				}
				wantLow = true
				continue
			case r >= 0xDC00 && r < 0xE000:
				if !wantLow {
					return false
				}
				wantLow = false
				continue
			}
		}
		if wantLow {
			return false
		}
	}
	return !wantLow
}

// jsonError turns a decoding error into a problem that names the field.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return apperr.InvalidField(field, "field.invalid_type", "The value has the wrong type.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			field = "body"
		}
		return apperr.InvalidField(field, "field.unknown", "This field is not known.")
	default:
		return apperr.Wrap(err, apperr.Invalid, "request.invalid_json", "The body is not valid JSON.")
	}
}

const (
	defaultLimit = 20
	maxLimit     = 100
)

// pageOf reads ?limit= and ?cursor= into a Page.
func pageOf(c *fiber.Ctx) (models.Page, error) {
	var fields apperr.Fields
	p := models.Page{Limit: limitOf(c, &fields, defaultLimit)}
	p.After = decodeCursor(&fields, "cursor", c.Query("cursor"))
	return p, fields.Err()
}

// limitOf reads ?limit= (1 to maxLimit), def when absent.
func limitOf(c *fiber.Ctx, fields *apperr.Fields, def int) int {
	s := c.Query("limit")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		fields.Add("limit", "pagination.limit", "limit must be a number from 1 to 100.")
	}
	return n
}

// Cursors are opaque to clients: the ID to continue from, base64url.
func encodeCursor(id string) *string {
	if id == "" {
		return nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte(id))
	return &c
}

// decodeCursor reads the cursor s of query parameter field ("" when absent),
// recording a field error when it is not one of ours.
func decodeCursor(fields *apperr.Fields, field, s string) string {
	if s == "" {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		fields.Add(field, "pagination.cursor", "Invalid cursor. Start again from the first page.")
	}
	return string(b)
}

// list is the envelope of every list response: one page of items and the
// cursor for the next page (null on the last page).
type list[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

func newList[T any](items []T, next string) list[T] {
	l := list[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	l.Next = encodeCursor(next)
	return l
}
