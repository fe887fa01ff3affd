package handlers

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
)

// lang is a supported response language. Danish is the default.
type lang string

const (
	da lang = "da"
	en lang = "en"
)

var matcher = language.NewMatcher([]language.Tag{language.Danish, language.English})

// langOf picks Danish or English from Accept-Language (Danish by default).
func langOf(c *fiber.Ctx) lang {
	h := c.Get(fiber.HeaderAcceptLanguage)
	if h == "" {
		return da
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return da
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i == 0 {
		return da
	}
	return en
}

// text is one message in both languages.
type text struct{ da, en string }

var titles = map[int]text{
	http.StatusBadRequest:            {"Forespørgslen kan ikke bruges", "Bad request"},
	http.StatusUnauthorized:          {"Du er ikke logget ind", "Not signed in"},
	http.StatusForbidden:             {"Ingen adgang", "Forbidden"},
	http.StatusNotFound:              {"Findes ikke", "Not found"},
	http.StatusMethodNotAllowed:      {"Metoden er ikke tilladt", "Method not allowed"},
	http.StatusConflict:              {"Konflikt", "Conflict"},
	http.StatusRequestEntityTooLarge: {"For stor forespørgsel", "Request too large"},
	http.StatusUnsupportedMediaType:  {"Forkert indholdstype", "Unsupported media type"},
	http.StatusUnprocessableEntity:   {"Kan ikke gennemføres", "Unprocessable request"},
	http.StatusTooManyRequests:       {"For mange forsøg", "Too many requests"},
	http.StatusInternalServerError:   {"Der skete en fejl hos os", "Internal server error"},
	http.StatusServiceUnavailable:    {"Tjenesten er midlertidigt utilgængelig", "Service unavailable"},
}

func title(l lang, status int) string {
	t, ok := titles[status]
	if !ok {
		return http.StatusText(status)
	}
	return pick(l, t)
}

// details translates problem and field codes. Texts are calm and short:
// participants read them on a phone and must never feel blamed.
var details = map[string]text{
	"request.invalid":                {"Forespørgslen kunne ikke læses.", "The request could not be read."},
	"request.invalid_json":           {"Indholdet er ikke gyldig JSON.", "The body is not valid JSON."},
	"request.invalid_fields":         {"Nogle felter skal rettes.", "Some fields need a change."},
	"request.unsupported_media_type": {"Send indholdet som application/json.", "Send the body as application/json."},
	"request.too_large":              {"Indholdet er for stort.", "The body is too large."},
	"request.timeout":                {"Det tog for lang tid. Prøv igen.", "This took too long. Please try again."},
	"route.not_found":                {"Adressen findes ikke.", "There is nothing at this address."},
	"route.method_not_allowed":       {"Metoden kan ikke bruges her.", "This method is not allowed here."},
	"internal":                       {"Noget gik galt hos os. Prøv igen om lidt.", "Something went wrong on our side. Please try again shortly."},
	"service.unavailable":            {"Tjenesten svarer ikke lige nu. Prøv igen om lidt.", "The service is not answering right now. Please try again shortly."},

	"auth.missing_token":       {"Log ind for at fortsætte.", "Please log in to continue."},
	"auth.invalid_token":       {"Log ind igen for at fortsætte.", "Please log in again to continue."},
	"auth.token_expired":       {"Din adgang er udløbet. Den fornyes automatisk.", "Your access has expired. It renews automatically."},
	"auth.invalid_credentials": {"Login eller adgangskode passer ikke.", "The login or password is not correct."},
	"auth.too_many_attempts":   {"Der har været mange forsøg. Vent lidt, og prøv så igen.", "There have been many attempts. Please wait a little and try again."},
	"auth.invalid_refresh":     {"Log ind igen for at fortsætte.", "Please log in again to continue."},
	"auth.refresh_reused":      {"Af sikkerhedshensyn skal du logge ind igen.", "For your security, please log in again."},
	"auth.account_gone":        {"Kontoen findes ikke længere.", "This account no longer exists."},
	"auth.forbidden":           {"Du har ikke adgang til dette.", "You do not have access to this."},

	"activation.invalid_code": {"Koden virker ikke. Din vejleder kan give dig en ny.", "The code does not work. Your counselor can give you a new one."},
	"activation.used":         {"Koden er allerede brugt. Din vejleder kan give dig en ny.", "The code has already been used. Your counselor can give you a new one."},
	"login.taken":             {"Dette login er allerede i brug. Vælg et andet.", "This login is already in use. Choose another."},

	"user.not_found":        {"Kontoen findes ikke.", "No such account."},
	"participant.not_found": {"Jobkunden findes ikke.", "No such participant."},
	"department.not_found":  {"Afdelingen findes ikke.", "No such department."},
	"department.exists":     {"Der findes allerede en afdeling med det navn.", "A department with this name already exists."},
	"counselor.not_found":   {"Vejlederen findes ikke.", "No such counselor."},

	"idempotency.invalid_key": {"Idempotency-Key skal være 1-255 synlige tegn.", "Idempotency-Key must be 1-255 visible characters."},
	"idempotency.in_progress": {"Den samme forespørgsel er i gang. Prøv igen om lidt.", "The same request is in progress. Please retry shortly."},
	"idempotency.key_reused":  {"Idempotency-Key er brugt til en anden forespørgsel.", "This Idempotency-Key was used for a different request."},
	"idempotency.gone":        {"Den tidligere forespørgsel findes ikke længere. Prøv igen.", "The earlier request is gone. Please retry."},

	"field.required":         {"Skal udfyldes.", "This field is required."},
	"field.too_long":         {"Højst 200 tegn.", "Use at most 200 characters."},
	"field.unknown":          {"Feltet kendes ikke.", "This field is not known."},
	"field.invalid_type":     {"Værdien har forkert type.", "The value has the wrong type."},
	"email.invalid":          {"Skriv en gyldig e-mailadresse.", "Enter a valid email address."},
	"phone.invalid":          {"Skriv et dansk telefonnummer med 8 cifre.", "Enter a Danish phone number with 8 digits."},
	"role.invalid":           {"Vælg counselor, coordinator eller admin.", "Choose counselor, coordinator or admin."},
	"password.too_short":     {"Brug mindst 10 tegn.", "Use at least 10 characters."},
	"password.too_long":      {"Brug højst 128 tegn.", "Use at most 128 characters."},
	"password.common":        {"Adgangskoden er for almindelig. Vælg en anden, gerne nogle ord i træk.", "This password is too common. Choose another, a few words in a row work well."},
	"password.same_as_login": {"Adgangskoden må ikke være det samme som dit login.", "The password must not be the same as your login."},
	"pagination.limit":       {"limit skal være et tal fra 1 til 100.", "limit must be a number from 1 to 100."},
	"pagination.cursor":      {"Ugyldig cursor. Start forfra.", "Invalid cursor. Start again from the first page."},
}

// detail translates code, falling back to the English text the error carried.
func detail(l lang, code, fallback string) string {
	if t, ok := details[code]; ok {
		return pick(l, t)
	}
	return fallback
}

func pick(l lang, t text) string {
	if l == en {
		return t.en
	}
	return t.da
}
