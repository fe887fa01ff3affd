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
	"request.invalid_utf8":           {"Indholdet er ikke gyldig UTF-8-tekst. Prøv at skrive teksten igen.", "The body is not valid UTF-8 text. Try typing the text again."},
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

	"user.not_found":             {"Kontoen findes ikke.", "No such account."},
	"participant.not_found":      {"Jobkunden findes ikke.", "No such participant."},
	"department.not_found":       {"Afdelingen findes ikke.", "No such department."},
	"staff.not_found":            {"Der er ingen koordinator med det id.", "No such coordinator."},
	"staff.departments_too_many": {"Vælg højst 50 afdelinger.", "Give at most 50 departments."},
	"department.exists":          {"Der findes allerede en afdeling med det navn.", "A department with this name already exists."},
	"counselor.not_found":        {"Vejlederen findes ikke.", "No such counselor."},

	"idempotency.invalid_key": {"Idempotency-Key skal være 1-255 synlige tegn.", "Idempotency-Key must be 1-255 visible characters."},
	"idempotency.in_progress": {"Den samme forespørgsel er i gang. Prøv igen om lidt.", "The same request is in progress. Please retry shortly."},
	"idempotency.key_reused":  {"Idempotency-Key er brugt til en anden forespørgsel.", "This Idempotency-Key was used for a different request."},
	"idempotency.gone":        {"Den tidligere forespørgsel findes ikke længere. Prøv igen.", "The earlier request is gone. Please retry."},

	"attendance.too_many":     {"Højst 500 på én gang.", "At most 500 at a time."},
	"attendance.mark":         {"Vælg fremmødt, udeblevet eller afbud.", "Choose attended, no-show or excused."},
	"attendance.not_enrolled": {"Personen er ikke tilmeldt denne gang.", "This person is not signed up for this session."},
	"attendance.too_early":    {"Fremmøde kan registreres, når aktiviteten er begyndt.", "Attendance can be recorded once the session has started."},

	"field.required":         {"Skal udfyldes.", "This field is required."},
	"field.too_long":         {"Teksten er for lang.", "The text is too long."},
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
	"field.invalid_time":     {"Skriv tidspunktet som fx 2026-03-01T10:00:00+01:00.", "Use an RFC 3339 time such as 2026-03-01T10:00:00+01:00."},

	"activity.not_found":                {"Aktiviteten findes ikke.", "No such activity."},
	"activity.cancelled":                {"Aktiviteten er aflyst.", "This activity has been cancelled."},
	"activity.started":                  {"Aktiviteten er allerede begyndt.", "This activity has already started."},
	"activity.no_sessions":              {"Aktiviteten har ingen datoer endnu.", "This activity has no dates yet."},
	"activity.capacity_below_confirmed": {"Der er flere bekræftede deltagere end pladser. Bekræft, at de sidste flyttes til ventelisten; de får besked.", "More participants are confirmed than there would be seats. Confirm to move the last ones back to the waitlist; they will be told."},
	"activity.kind":                     {"Vælg sport, network eller course.", "Choose sport, network or course."},
	"activity.mode":                     {"Vælg activity eller session.", "Choose activity or session."},
	"activity.mode_fixed":               {"Tilmeldingsformen kan ikke ændres, når aktiviteten er oprettet.", "The enrolment mode cannot change after creation."},
	"activity.capacity":                 {"Antal pladser skal være et tal fra 1 til 10000.", "Capacity is a number from 1 to 10000."},
	"activity.window":                   {"Tilmeldingen skal lukke, efter den åbner.", "Sign-up must close after it opens."},
	"activity.deadline":                 {"Brug 0 til 720 timer.", "Use 0 to 720 hours."},
	"activity.completion":               {"Brug et tal på 0 eller mere.", "Use 0 or more sessions."},
	"activity.state":                    {"Vælg scheduled eller cancelled.", "Choose scheduled or cancelled."},

	"session.not_found":      {"Tidspunktet findes ikke.", "No such session."},
	"session.cancelled":      {"Dette tidspunkt er aflyst.", "This session has been cancelled."},
	"session.past":           {"Tidspunktet er allerede passeret.", "This time has already passed."},
	"session.not_applicable": {"Her gælder tilmeldingen hele aktiviteten, ikke et enkelt tidspunkt.", "This activity is signed up for as a whole, not per session."},
	"session.times":          {"Sluttiden skal ligge efter starttiden og højst 24 timer senere.", "A session ends after it starts, within 24 hours."},
	"signup.not_open":        {"Tilmeldingen er ikke åbnet endnu.", "Sign-up has not opened yet."},
	"signup.closed":          {"Tilmeldingen er lukket.", "Sign-up has closed."},

	"enrollment.not_found":    {"Tilmeldingen findes ikke.", "No such enrolment."},
	"enrollment.exists":       {"Du er allerede tilmeldt.", "You are already signed up."},
	"enrollment.not_awaiting": {"Tilmeldingen venter ikke længere på godkendelse.", "This enrolment is no longer waiting for approval."},
	"enrollment.started":      {"Det er allerede begyndt, så der kan ikke længere meldes fra.", "This has already started, so it can no longer be cancelled."},

	"calendar.not_found": {"Kalenderlinket virker ikke længere. Du kan lave et nyt i appen.", "This calendar link no longer works. You can make a new one in the app."},

	"recurrence.bad_weekday":    {"Vælg en ugedag på engelsk, fx tuesday.", "Use a weekday name such as tuesday."},
	"recurrence.bad_time":       {"Skriv klokkeslættet som TT:MM, fra 00:00 til 23:59.", "Write the time as HH:MM, from 00:00 to 23:59."},
	"recurrence.bad_duration":   {"Varigheden skal være over 0 minutter og højst 24 timer.", "A session lasts more than 0 minutes and at most 24 hours."},
	"recurrence.bad_date":       {"Skriv datoen som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD."},
	"recurrence.range":          {"Slutdatoen ligger før startdatoen.", "The last date is before the first date."},
	"recurrence.too_many":       {"Højst 104 tidspunkter ad gangen.", "At most 104 sessions at a time."},
	"recurrence.except_outside": {"Datoen er ikke en af seriens datoer.", "This date is not one of the series' dates."},

	"device.platform":          {"Vælg ios eller android.", "Choose ios or android."},
	"device.locale":            {"Vælg da eller en.", "Choose da or en."},
	"notifications.too_many":   {"Højst 500 ad gangen.", "At most 500 at a time."},
	"notifications.category":   {"Den slags besked findes ikke.", "There is no such category."},
	"notifications.channel":    {"Vælg push, inbox eller off.", "Choose push, inbox or off."},
	"notifications.required":   {"Beskeder fra din vejleder kommer altid i din indbakke. Du kan slå lyden fra.", "Messages from your counselor always reach your inbox. You can turn off the push."},
	"notifications.quiet_time": {"Skriv tidspunktet som TT:MM, fx 21:00.", "Write the time as HH:MM, e.g. 21:00."},

	"message.too_long":             {"En besked kan højst have 4.000 tegn.", "A message has at most 4,000 characters."},
	"message.too_many_attachments": {"Højst 10 vedhæftede filer pr. besked.", "At most 10 attachments per message."},
	"message.not_found":            {"Beskeden findes ikke i samtalen.", "There is no such message in this conversation."},
	"messages.both_cursors":        {"Brug enten before eller after, ikke begge.", "Use either before or after, not both."},
	"attachment.not_found":         {"Filen er ikke længere gemt. Vedhæft den igen.", "The file is no longer stored. Attach it again."},
	"attachment.empty":             {"Filen er tom.", "The file is empty."},
	"attachment.too_large":         {"Filen er for stor. Den må højst fylde 10 MB.", "The file is too large. It may be at most 10 MB."},
	"attachment.unreadable":        {"Billedet kan ikke læses. Det er måske beskadiget eller ikke sendt helt. Prøv at sende det igen.", "The photo cannot be read. It may be damaged or not fully uploaded. Try sending it again."},
	"attachment.type":              {"Filen kan ikke sendes. Du kan sende billeder (JPEG, PNG, WebP, HEIC) eller PDF-filer.", "The file cannot be sent. You can send photos (JPEG, PNG, WebP, HEIC) or PDF files."},
	"callback.reason":              {"Vælg hvad det handler om: pension, arbejde, en svær dag eller andet.", "Choose what it is about: pension, work, a hard day or something else."},
	"inbox.filter":                 {"Vælg all, unanswered eller callbacks.", "Choose all, unanswered or callbacks."},
	"saved_reply.not_found":        {"Standardsvaret findes ikke.", "No such saved reply."},
	"saved_reply.too_many":         {"Du kan højst have 100 standardsvar. Slet et først.", "You can have at most 100 saved replies. Delete one first."},
	"stats.days":                   {"Vælg 1 til 365 dage.", "Choose 1 to 365 days."},

	"statistics.future_date": {"Vælg i dag eller en tidligere dag.", "Choose today or an earlier day."},
	"statistics.future_year": {"Vælg i år eller et tidligere år.", "Choose this year or an earlier one."},
	"statistics.year_order":  {"Det første år skal ligge før eller være lig med det sidste.", "The first year must not come after the last."},
	"statistics.date_order":  {"Den første dag skal ligge før eller være lig med den sidste.", "The first day must not come after the last."},
	"statistics.rows":        {"Vælg figures eller participants.", "Choose figures or participants."},

	"field.invalid_date":          {"Skriv datoen som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD."},
	"field.year":                  {"Skriv et årstal, fx 2026.", "Use a year such as 2026."},
	"employment.not_found":        {"Ansættelsen findes ikke.", "No such employment."},
	"employment.changed":          {"Ansættelsen er blevet ændret imens. Hent den igen.", "This employment was changed meanwhile. Load it again."},
	"employment.ended":            {"Ansættelsen er afsluttet.", "This employment has ended."},
	"employment.type":             {"Vælg praktik, løntilskud, ordinært job eller fleksjob.", "Choose internship, wage subsidy, ordinary job or flexjob."},
	"employment.phone":            {"Skriv telefonnummeret med cifre, fx +45 12 34 56 78.", "Write the phone number in digits, e.g. +45 12 34 56 78."},
	"employment.end_before_start": {"Den sidste dag ligger før den første.", "The last day is before the first day."},
	"employment.wage":             {"Skriv timelønnen i øre, fra 0 til 10.000.000.", "Enter the hourly wage in øre, from 0 to 10,000,000."},
	"employment.internship_paid":  {"En praktik er ulønnet. Skriv 0.", "An internship is unpaid. Use 0."},
	"employment.weekly_hours":     {"Skriv 0 til 60 timer i kvarter, fx 12,25.", "Use 0 to 60 hours in quarter hours, e.g. 12.25."},
	"employment.end_too_late":     {"Vælg en sidste dag inden for et år fra i dag.", "Choose a last day within a year from today."},
	"employment.end_reason":       {"Vælg en af grundene på listen.", "Choose one of the listed reasons."},
	"consent.reason_required":     {"Skriv, hvorfor du registrerer det på jobkundens vegne.", "Say why you record this on the participant's behalf."},
	"hours.not_found":             {"Timeregistreringen findes ikke.", "No such hours entry."},
	"hours.amount":                {"Skriv 0,25 til 24 timer i kvarter, fx 7,5.", "Use 0.25 to 24 hours in quarter hours, e.g. 7.5."},
	"hours.employment_required":   {"Du har flere job den dag. Vælg hvilket.", "You have several jobs on that day. Choose one."},
	"hours.range":                 {"Vælg en periode på højst 366 dage, der slutter efter den begynder.", "Choose a period of at most 366 days that ends after it starts."},
	"hours.future_date":           {"Timer kan skrives ind, når dagen er kommet.", "Hours can be entered once the day has come."},
	"hours.closed_year":           {"Timer fra i år kan skrives ind og rettes. I januar kan du også stadig rette sidste års.", "This year's hours can be entered and changed; in January last year's too."},
	"hours.no_employment":         {"Der er ikke noget job den dag. Tilføj jobbet først.", "There is no job on that day. Add the job first."},
	"hours.outside_employment":    {"Dagen ligger uden for jobbets periode.", "The day is outside this job's period."},
	"hours.day_full":              {"En dag har højst 24 timer i alt.", "A day has at most 24 hours in all."},
	"payslip.month":               {"Skriv måneden som ÅÅÅÅ-MM.", "Write the month as YYYY-MM."},
	"payslip.gross":               {"Skriv bruttolønnen i øre, fra 0 til 1.000.000.000.", "Enter the gross pay in øre, from 0 to 1,000,000,000."},
	"payslip.hours":               {"Skriv 0 til 744 timer i kvarter.", "Use 0 to 744 hours in quarter hours."},
	"payslip.future_month":        {"En lønseddel kan skrives ind, når måneden er begyndt.", "A payslip can be entered once its month has begun."},
	"payslip.outside_employment":  {"Måneden ligger uden for jobbets periode.", "The month is outside this job's period."},
	"payslip.internship":          {"En praktik er ulønnet, så der er ingen løn at skrive ind.", "An internship is unpaid, so there is no pay to enter."},
	"pension.household":           {"Vælg enlig, gift/samlevende eller gift/samlevende med en pensionist.", "Choose single, couple, or couple where both receive a pension."},
	"pension.amount":              {"Skriv hele kroner fra 0 til 100.000.000.", "Enter whole kroner from 0 to 100,000,000."},
	"pension.partner_single":      {"Når du bor alene, er der ingen indkomst for en partner. Skriv 0.", "When you live alone there is no partner income. Use 0."},
	"pension.what_if_from":        {"Vælg en dag efter i dag i år.", "Choose a day after today in this year."},
	"pension.future_year":         {"Et skøn kan laves for i år eller tidligere år.", "An estimate can be made for this year or earlier years."},
	"pension.no_figures":          {"Vi har ikke de satser, der skal til for at lave skønnet. Spørg din vejleder.", "We do not have the figures this estimate needs. Ask your counselor."},
	"pension.scheme_unsupported":  {"Skønnet kan kun laves for førtidspension efter reglerne fra 2003.", "The estimate covers the post-2003 disability pension only."},
	"pension.status_invalid":      {"Vælg en husstandstype på listen.", "Choose a household type from the list."},
	"follow_up.not_found":         {"Opfølgningsmødet findes ikke.", "No such follow-up meeting."},
	"follow_up.status":            {"Vælg planlagt, holdt, flyttet eller aflyst.", "Choose planned, done, moved or cancelled."},
	"follow_up.no_change":         {"Skriv en ny dato, en status eller en note.", "Give a new date, a status or a note."},
	"pension.rules_changed":       {"Satserne for året er lige blevet ændret af en anden. Hent dem igen, og indtast din ændring igen.", "The figures for this year were just changed by someone else. Load them again and re-enter your change."},
	"pension.year_range":          {"Satser kan indtastes for årene fra 2000 til og med næste år.", "Figures can be entered for the years from 2000 up to and including next year."},
	"pension.scheme":              {"Her kan kun ordningen post2003 (førtidspension tilkendt fra 2003) have satser.", "Only the post2003 scheme (førtidspension granted from 2003) can have figures here."},
	"pension.base_version":        {"Brug det versionsnummer, satserne har nu (0 for de indbyggede).", "Use the version number the figures have now (0 for the built-in ones)."},
	"pension.value_negative":      {"Beløbet må ikke være negativt.", "The amount must not be negative."},
	"pension.value_too_large":     {"Beløbet er urimeligt stort.", "The amount is implausibly large."},
	"pension.rate_range":          {"En sats i basispoint skal være fra 1 til 10000 (100 %).", "A rate in basis points is from 1 to 10000 (100 %)."},
	"pension.figure_invalid":      {"Tallet kan ikke bruges.", "This figure cannot be used."},
	"plan.goal_not_found":         {"Målet findes ikke.", "No such goal."},
	"plan.goal_changed":           {"Målet er lige blevet ændret. Hent det igen, og prøv så igen.", "The goal was changed a moment ago. Load it again, then try again."},
	"plan.counselor_only":         {"Det kan du og din vejleder ændre sammen. Du kan selv sætte flueben ved delmål og skrive en note.", "You and your counselor change this together. You can tick sub-goals and write a note yourself."},
	"plan.too_many_goals":         {"En plan kan have højst 50 mål.", "A plan can have at most 50 goals."},
	"plan.too_many_subgoals":      {"Et mål kan have højst 20 delmål.", "A goal can have at most 20 sub-goals."},
	"plan.target_date":            {"Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-05-01.", "Write the date as YYYY-MM-DD, for example 2026-05-01."},
	"plan.goal_status":            {"Vælg active, achieved eller dropped.", "Choose active, achieved or dropped."},
	"plan.subgoal_not_found":      {"Delmålet findes ikke (længere) i målet.", "This sub-goal is not (or no longer) part of the goal."},
	"plan.subgoal_change":         {"En ændring tilføjer et delmål (title uden id), fjerner et (id og remove) eller retter et (id og title, targetDate eller done).", "A change adds a sub-goal (title, no id), removes one (id and remove) or changes one (id and title, targetDate or done)."},
	"plan.subgoal_repeated":       {"Det samme delmål står flere gange.", "The same sub-goal is listed more than once."},

	"availability.days":             {"Angiv kontortid for 1 til 7 ugedage.", "Give office hours for 1 to 7 weekdays."},
	"availability.weekday":          {"Brug en ugedag fra 1 (mandag) til 7 (søndag).", "Use a weekday from 1 (Monday) to 7 (Sunday)."},
	"availability.weekday_repeated": {"Hver ugedag kan have ét tidsrum med kontortid.", "Each weekday can have one stretch of office hours."},
	"availability.clock_time":       {"Skriv klokkeslættet som TT:MM, fra 00:00 til 24:00.", "Write the time as HH:MM, from 00:00 to 24:00."},
	"availability.time_order":       {"Kontortiden skal slutte, efter den begynder.", "The office hours must end after they begin."},
	"availability.return_date":      {"Vælg en dag efter den første fraværsdag og højst et år frem.", "Choose a day after the first day away and at most a year ahead."},
	"availability.stand_in":         {"Vælg en anden vejleder, der bruger appen, som stedfortræder.", "Choose another counselor who uses the app as stand-in."},
	"availability.stand_in_away":    {"Kollegaen er også væk på det tidspunkt. Vælg en anden.", "This colleague is away at that time too. Choose another."},

	"checkin.not_found":             {"Dette check-in findes ikke.", "No such check-in."},
	"checkin.closed":                {"Der kan ikke længere svares på dette check-in. Skriv gerne til din vejleder, hvis du har lyst.", "This check-in no longer takes answers. You are welcome to write to your counselor."},
	"checkin.answer_changed":        {"Dit svar blev ændret i samme øjeblik fra en anden telefon. Prøv igen.", "Your answer was changed at the same moment from another phone. Please try again."},
	"checkin.choice":                {"Vælg godt, okay eller at du gerne vil tale med nogen.", "Choose good, okay or that you would like to talk."},
	"checkin.audience":              {"Vælg en afdeling (department) eller alle (everyone). Til alle udelades departmentId.", "Choose a department or everyone; leave departmentId out for everyone."},
	"checkin.open_days":             {"Vælg 1 til 14 dage.", "Choose 1 to 14 days."},
	"celebration.not_found":         {"Fejringen findes ikke.", "No such celebration."},
	"celebration.exists":            {"Dette jubilæum har allerede en fejring. Aflys den først, hvis den skal flyttes.", "This milestone already has a celebration. Cancel it first to move it."},
	"celebration.single_session":    {"En fejring har én dato. Aflys den, og planlæg den igen for at flytte den.", "A celebration has one date. Cancel it and plan it again to move it."},
	"celebration.milestone":         {"Skriv antal år i jobbet, 1 til 60, sammen med employmentId.", "Give the years in the job, 1 to 60, together with employmentId."},
	"celebration.too_many_guests":   {"Højst 50 linjer med gæster.", "At most 50 lines of guests."},
	"celebration.guest_relation":    {"Vælg virksomhed, kollega, familie eller andet.", "Choose company, colleague, relative or other."},
	"celebration.guest_count":       {"Skriv 1 til 100 gæster pr. linje.", "Count 1 to 100 guests per line."},
	"celebration.answer":            {"Vælg ja, nej eller måske.", "Choose yes, no or maybe."},
	"activity.invitation_only":      {"Fejringen er kun for inviterede. Svar på invitationen i stedet.", "This celebration is by invitation. Answer the invitation instead."},
	"activity.kind_fixed":           {"En fejring forbliver en fejring, og andre aktiviteter kan ikke blive til en.", "A celebration stays a celebration, and other activities cannot become one."},
	"auth.session_ended":            {"Du er logget ud. Log ind igen.", "You have been logged out. Please log in again."},
	"account.withdrawn":             {"Din deltagelse er afsluttet, så appen er lukket for dig. Kontakt Jobbanken, hvis det er en fejl.", "Your participation has ended, so the app is closed for you. Contact Jobbanken if this is a mistake."},
	"participant.withdrawn":         {"Jobkunden er meldt ud. Fortryd udmeldelsen først.", "This participant has left. Undo the leaving first."},
	"participant.already_withdrawn": {"Jobkunden er allerede meldt ud.", "This participant has already left."},
	"participant.not_withdrawn":     {"Jobkunden er ikke meldt ud.", "This participant has not left."},
	"withdrawal.unknown_reason":     {"Vælg en af grundene på listen.", "Choose one of the listed reasons."},
	"withdrawal.erasure_due":        {"Opbevaringsperioden er slut, og oplysningerne slettes. Udmeldelsen kan ikke fortrydes.", "The retention period has ended and the data is being erased. The leaving can no longer be undone."},
	"consent.unknown_purpose":       {"Vælg et af samtykkerne på listen.", "Choose one of the listed consents."},
	"consent.no_employment":         {"Kun kontakt til arbejdspladsen gives for et bestemt job.", "Only employer contact is given for a particular job."},
	"consent.text_changed":          {"Teksten er blevet ændret. Læs den nye tekst, før du svarer.", "The text has changed. Please read the new text before you answer."},
	"field.time":                    {"Skriv en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt.", "Use a date (YYYY-MM-DD) or a time."},
	"range.invalid":                 {"Slutningen skal ligge efter starten.", "The end must be after the start."},
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
