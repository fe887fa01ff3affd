package notifications

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// The categories a person can choose for: push, inbox only, or off.
const (
	CatActivityReminders = "activity_reminders" // reminders, cancellations, decisions about sign-ups
	CatWaitlistOffers    = "waitlist_offers"
	CatMessages          = "messages" // cannot be switched off, only muted as push
	CatFollowUps         = "follow_ups"
	CatWorkWarnings      = "work_warnings" // pension and hours
	CatCelebrations      = "celebrations"
	CatCheckIns          = "check_ins"
	CatBroadcasts        = "broadcasts" // everything else
	CatApprovals         = "approvals"  // staff: sign-ups waiting for their decision
)

// Categories lists every category, in the order the app shows them.
var Categories = []string{CatActivityReminders, CatWaitlistOffers, CatMessages, CatFollowUps, CatWorkWarnings,
	CatCelebrations, CatCheckIns, CatBroadcasts, CatApprovals}

// mustKeep are the categories that cannot be switched off entirely: a
// direct message from the counselor always reaches the inbox.
var mustKeep = map[string]bool{CatMessages: true}

// text is a message in Danish and English.
type text struct{ da, en string }

func (t text) in(lang string) string {
	if lang == "en" {
		return t.en
	}
	return t.da
}

// Template words one kind of notification. Texts are short and calm,
// never scolding: "Husk: yoga i morgen kl. 10.00", never "You have not…".
// {name} is replaced by a parameter; {when:startsAt} by a time as people
// say it ("i morgen kl. 10.00"); {answer:answer} by yes/no/maybe in
// words; {date:returnDate} by a calendar date
// ("mandag den 23. november"); {day:date} by a date worded for the day it
// is read ("i dag", "i morgen", "i går", else as {date}); {plural:n:one:many} picks by a count, "#"
// in many standing for the number.
type Template struct {
	Category string
	Urgent   bool // may be pushed in quiet hours (e.g. a session cancelled)
	// Retracts names the parameter of what this notification cancels
	// ("sessionId", "activityId"): the recipient's earlier notifications
	// about it are retracted, and the push tells the phone to do the same.
	Retracts string
	Title    text
	Body     text
	// Tensed, when set, words the body for the day it is read (a push is
	// worded when sent, the inbox when listed): before, on or after the
	// calendar date in parameter Tensed.By.
	Tensed *tensed
}

// tensed holds a body's wordings for before (Ahead), on (Today) and after
// (Past) the day its date parameter By names, in Copenhagen.
type tensed struct {
	By                 string
	Ahead, Today, Past text
}

// body returns t's body for params read at now.
func (t Template) body(params map[string]string, now time.Time) text {
	if t.Tensed == nil {
		return t.Body
	}
	d, err := time.Parse(time.DateOnly, params[t.Tensed.By])
	if err != nil {
		return t.Body
	}
	switch today := now.In(copenhagen()).Format(time.DateOnly); {
	case d.Format(time.DateOnly) > today:
		return t.Tensed.Ahead
	case d.Format(time.DateOnly) == today:
		return t.Tensed.Today
	}
	return t.Tensed.Past
}

// templates by event type; "<type>@staff" words it for staff when staff
// and participants get the same type.
var templates = map[string]Template{
	"enrollment.promoted": {Category: CatWaitlistOffers,
		Title: text{"Du har fået en plads", "You have a place"},
		Body:  text{"Der er blevet plads til dig på {activityTitle}.", "A place has opened up for you on {activityTitle}."}},
	"enrollment.approved": {Category: CatActivityReminders,
		Title: text{"Du er tilmeldt", "You are signed up"},
		Body:  text{"Din tilmelding til {activityTitle} er godkendt.", "Your sign-up for {activityTitle} has been approved."}},
	"enrollment.approval_requested": {Category: CatApprovals,
		Title: text{"En tilmelding venter på dig", "A sign-up is waiting for you"},
		Body:  text{"{participantName} vil gerne deltage i {activityTitle}. Godkend eller afvis tilmeldingen.", "{participantName} would like to join {activityTitle}. Approve or decline the sign-up."}},
	"enrollment.declined": {Category: CatActivityReminders,
		Title: text{"Om din tilmelding", "About your sign-up"},
		Body:  text{"Der blev ikke plads til dig på {activityTitle} denne gang. Din vejleder kan fortælle mere.", "There was no place for you on {activityTitle} this time. Your counselor can tell you more."}},
	"enrollment.demoted": {Category: CatActivityReminders,
		Title: text{"Ændring i {activityTitle}", "Change to {activityTitle}"},
		Body:  text{"Der er færre pladser på {activityTitle}, så du står nu på ventelisten. Vi giver besked, hvis der bliver plads.", "There are fewer places on {activityTitle}, so you are now on the waitlist. We will tell you if a place opens up."}},
	"activity.cancelled": {Category: CatActivityReminders, Urgent: true, Retracts: "activityId",
		Title: text{"Aflyst: {activityTitle}", "Cancelled: {activityTitle}"},
		Body:  text{"{activityTitle} er aflyst. Du behøver ikke gøre noget.", "{activityTitle} has been cancelled. You do not need to do anything."}},
	"session.cancelled": {Category: CatActivityReminders, Urgent: true, Retracts: "sessionId",
		Title: text{"Aflyst: {activityTitle}", "Cancelled: {activityTitle}"},
		Body:  text{"{activityTitle} {when:startsAt} er aflyst.", "{activityTitle} {when:startsAt} has been cancelled."}},
	"message.received": {Category: CatMessages,
		Title: text{"Ny besked", "New message"},
		Body:  text{"Du har fået en besked fra {senderName}.", "You have a message from {senderName}."}},
	"message.received@staff": {Category: CatMessages,
		Title: text{"Ny besked fra {participantName}", "New message from {participantName}"},
		Body:  text{"{participantName} har skrevet til dig.", "{participantName} has written to you."}},
	"participant.counselor_changed": {Category: CatBroadcasts,
		Title: text{"Din vejleder", "Your counselor"},
		Body:  text{"{counselorName} er nu din vejleder. Du kan skrive til {counselorName} i appen.", "{counselorName} is now your counselor. You can write to {counselorName} in the app."}},
	"counselor.participant_assigned": {Category: CatBroadcasts,
		Title: text{"Ny jobkunde", "New participant"},
		Body:  text{"Du er nu vejleder for {participantName}.", "You are now the counselor of {participantName}."}},
	"counselor.stand_in_assigned": {Category: CatBroadcasts,
		Title: text{"Du dækker for {counselorName}", "You are covering for {counselorName}"},
		Body:  text{"{counselorName} er ikke på arbejde og er tilbage {date:returnDate}. Indtil da svarer du på beskeder fra {counselorName}s jobkunder.", "{counselorName} is not at work and is back on {date:returnDate}. Until then you answer messages from {counselorName}'s participants."}},
	"employment.added": {Category: CatFollowUps,
		Title: text{"Nyt job", "New job"},
		Body:  text{"{participantName} har skrevet et nyt job ind.", "{participantName} has added a new job."}},
	"employment.ended": {Category: CatFollowUps,
		Title: text{"Et job er slut", "A job has ended"},
		Body:  text{"{participantName}s job er slut. Tal sammen om, hvad der skal ske nu.", "{participantName}'s job has ended. Talk together about what comes next."}},
	// A consent recorded on the participant's behalf is never silent: it
	// goes with messages, which cannot be switched off.
	"consent.recorded": {Category: CatMessages,
		Title: text{"Dine samtykker", "Your consents"},
		Body:  text{"{senderName} har noteret dit svar om et samtykke. Du kan se og ændre det under Samtykker i appen.", "{senderName} has noted your answer about a consent. You can see and change it under Consents in the app."}},
	"participant.left": {Category: CatFollowUps,
		Title: text{"En jobkunde har meldt sig ud", "A participant has left"},
		Body:  text{"{participantName} er meldt ud. I kan fortryde det sammen, indtil oplysningerne slettes.", "{participantName} has left. You can undo it together until the data is erased."}},
	"internship.week_warning": {Category: CatFollowUps,
		Title: text{"Praktikken nærmer sig sin slutning", "The internship is nearing its end"},
		Body:  text{"{participantName} er i uge {weeksUsed} af {maxWeeks} i praktikken.", "{participantName} is in week {weeksUsed} of {maxWeeks} of the internship."}},
	"hours.over_agreed": {Category: CatWorkWarnings,
		Title: text{"Dine timer i uge {week}", "Your hours in week {week}"},
		Body:  text{"Du har skrevet {hours} timer ind i uge {week}. I har aftalt {agreedHours}. Tal gerne med din vejleder, hvis det passer dig.", "You have entered {hours} hours for week {week}. You agreed on {agreedHours}. Talk to your counselor if you like."}},
	"pension.threshold_80": {Category: CatWorkWarnings,
		Title: text{"Din pension og din løn", "Your pension and your pay"},
		Body:  text{"Du nærmer dig grænsen for, hvad du kan tjene i år, før din pension bliver sat ned. Se skønnet i appen, og tal gerne med din vejleder.", "You are getting close to what you can earn this year before your pension is reduced. See the estimate in the app, and talk to your counselor if you like."}},
	"checkin.sent": {Category: CatCheckIns,
		Title: text{"Hvordan går det?", "How are you doing?"},
		Body:  text{"{senderName} spørger, hvordan det går. Tryk for at svare. Det tager kun et øjeblik.", "{senderName} asks how you are doing. Tap to answer. It only takes a moment."}},
	"celebration.invited": {Category: CatCelebrations,
		Title: text{"Godt gået!", "Well done!"},
		Body:  text{"Vi vil gerne fejre dig {when:startsAt}. Sig gerne til, om du kommer.", "We would like to celebrate you {when:startsAt}. Let us know if you can come."}},
	"celebration.cancelled": {Category: CatCelebrations, Retracts: "celebrationId",
		Title: text{"Om fejringen", "About the celebration"},
		Body:  text{"Fejringen {when:startsAt} er aflyst. Spørg gerne din vejleder, hvis du vil vide mere.", "The celebration {when:startsAt} has been cancelled. Ask your counselor if you would like to know more."}},
	"celebration.answered": {Category: CatCelebrations,
		Title: text{"Svar på invitationen", "Answer to the invitation"},
		Body:  text{"{participantName} har svaret {answer:answer} til fejringen {when:startsAt}.", "{participantName} has answered {answer:answer} to the celebration {when:startsAt}."}},
	"session.reminder": {Category: CatActivityReminders,
		Title: text{"Husk: {activityTitle}", "Reminder: {activityTitle}"},
		Body:  text{"Husk: {activityTitle} {when:startsAt}{at:location}.", "Reminder: {activityTitle} {when:startsAt}{at:location}."}},
	"follow_up.reminder": {Category: CatFollowUps,
		Title: text{"Opfølgningsmøde", "Follow-up meeting"},
		Body:  text{"Husk: opfølgningsmøde om dit job hos {companyName} {day:date}.", "Reminder: follow-up meeting about your job at {companyName} {day:date}."}},
	"follow_up.reminder_staff": {Category: CatFollowUps,
		Title: text{"Opfølgningsmøde", "Follow-up meeting"},
		Body:  text{"Opfølgningsmøde med {participantName} ({companyName}) {day:date}.", "Follow-up meeting with {participantName} ({companyName}) {day:date}."}},
	"employment.anniversary": {Category: CatCelebrations,
		Title: text{"Tillykke!", "Congratulations!"},
		Body:  text{"Du har {years} års jubilæum hos {companyName} {day:anniversaryDate}. Godt gået!", "You celebrate {years} years at {companyName} {day:anniversaryDate}. Well done!"},
		Tensed: &tensed{By: "anniversaryDate",
			Ahead: text{"Du runder {years} år hos {companyName} {day:anniversaryDate}. Godt gået!", "You reach {years} years at {companyName} {day:anniversaryDate}. Well done!"},
			Today: text{"I dag har du været {years} år hos {companyName}. Godt gået!", "Today you have been at {companyName} for {years} years. Well done!"},
			Past:  text{"Du rundede {years} år hos {companyName} {day:anniversaryDate}. Godt gået!", "You reached {years} years at {companyName} {day:anniversaryDate}. Well done!"},
		}},
	"employment.anniversary_staff": {Category: CatCelebrations,
		Title: text{"Godt Gået: {years} år", "Godt Gået: {years} years"},
		Body:  text{"{participantName} har {years} års jubilæum hos {companyName} {day:anniversaryDate}. Tid til at planlægge fejringen.", "{participantName} celebrates {years} years at {companyName} {day:anniversaryDate}. Time to plan the celebration."},
		Tensed: &tensed{By: "anniversaryDate",
			Ahead: text{"{participantName} har {years} års jubilæum hos {companyName} {day:anniversaryDate}. Tid til at planlægge fejringen.", "{participantName} celebrates {years} years at {companyName} {day:anniversaryDate}. Time to plan the celebration."},
			Today: text{"{participantName} har {years} års jubilæum hos {companyName} i dag. Tid til at planlægge fejringen.", "{participantName} celebrates {years} years at {companyName} today. Time to plan the celebration."},
			Past:  text{"{participantName} havde {years} års jubilæum hos {companyName} {day:anniversaryDate}. Tid til at planlægge fejringen.", "{participantName} celebrated {years} years at {companyName} {day:anniversaryDate}. Time to plan the celebration."},
		}},
	"pension.threshold_100": {Category: CatWorkWarnings,
		Title: text{"Din pension og din løn", "Your pension and your pay"},
		Body:  text{"Efter vores skøn bliver din pension sat lidt ned i år. Det er helt i orden at arbejde. Tal med din vejleder om, hvad det betyder for dig.", "By our estimate your pension will be reduced a little this year. Working is absolutely fine. Talk to your counselor about what it means for you."}},
}

// fallback words an event type no template knows yet; it is never scolding
// and says nothing it cannot know.
var fallback = Template{Category: CatBroadcasts,
	Title: text{"Jobbanken", "Jobbanken"},
	Body:  text{"Der er nyt til dig i appen.", "There is something new for you in the app."}}

// templateFor returns the template of an event type for a recipient role.
func templateFor(typ string, role models.Role) Template {
	if role != models.RoleParticipant {
		if t, ok := templates[typ+"@staff"]; ok {
			return t
		}
	}
	if t, ok := templates[typ]; ok {
		return t
	}
	return fallback
}

var placeholder = regexp.MustCompile(`\{([a-zA-Z]+)(?::([^}]*))?\}`)

// render fills a template text for lang at time now.
func render(s, lang string, params map[string]string, now time.Time) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		name, arg := sub[1], sub[2]
		switch name {
		case "when":
			t, err := time.Parse(time.RFC3339, params[arg])
			if err != nil {
				return ""
			}
			return SayWhen(lang, t, now)
		case "date":
			d, err := time.Parse(time.DateOnly, params[arg])
			if err != nil {
				return ""
			}
			return SayDate(lang, d)
		case "day":
			d, err := time.Parse(time.DateOnly, params[arg])
			if err != nil {
				return ""
			}
			return SayDay(lang, d, now)
		case "at":
			if v := params[arg]; v != "" {
				return ", " + v
			}
			return ""
		case "answer":
			words := map[string]text{"yes": {"ja", "yes"}, "no": {"nej", "no"}, "maybe": {"måske", "maybe"}}
			if w, ok := words[params[arg]]; ok {
				return w.in(lang)
			}
			return ""
		case "plural":
			parts := strings.SplitN(arg, ":", 3)
			if len(parts) != 3 {
				return m
			}
			n, _ := strconv.Atoi(params[parts[0]])
			if n == 1 {
				return parts[1]
			}
			return strings.ReplaceAll(parts[2], "#", strconv.Itoa(n))
		}
		if lang == "en" {
			if v, ok := params[name+"En"]; ok && v != "" {
				return v
			}
		}
		return params[name]
	})
}

// copenhagen is Europe/Copenhagen (models.Copenhagen).
var copenhagen = models.Copenhagen

var (
	weekdaysDa = [...]string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}
	monthsDa   = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}
)

// SayDate says a calendar date as people do: "mandag den 30. november",
// "Monday 30 November". d's own date is meant (a date-only value).
func SayDate(lang string, d time.Time) string {
	if lang == "en" {
		return d.Format("Monday 2 January")
	}
	return fmt.Sprintf("%s den %d. %s", weekdaysDa[d.Weekday()], d.Day(), monthsDa[d.Month()-1])
}

// SayDay says calendar date d as people do on the day now is in
// Copenhagen: "i dag", "i morgen", "i går", else "lørdag den 5. december"
// ("today", "tomorrow", "yesterday", "on Saturday 5 December").
func SayDay(lang string, d, now time.Time) string {
	y, m, dd := now.In(copenhagen()).Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	y, m, dd = d.Date()
	diff := int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Sub(today).Hours() / 24)
	words := map[int]text{0: {"i dag", "today"}, 1: {"i morgen", "tomorrow"}, -1: {"i går", "yesterday"}}
	if w, ok := words[diff]; ok {
		return w.in(lang)
	}
	if lang == "en" {
		return "on " + SayDate(lang, d)
	}
	return SayDate(lang, d)
}

// SayWhen says a time as people do, in Copenhagen: "i dag kl. 10.00", "i
// morgen kl. 10.00", "tirsdag den 24. november kl. 10.00" ("today at
// 10:00", "tomorrow at 10:00", "on Tuesday 24 November at 10:00").
func SayWhen(lang string, t, now time.Time) string {
	t, now = t.In(copenhagen()), now.In(copenhagen())
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	diff := int(day(t).Sub(day(now)).Hours() / 24)
	if lang == "en" {
		clock := t.Format("15:04")
		switch diff {
		case 0:
			return "today at " + clock
		case 1:
			return "tomorrow at " + clock
		}
		return "on " + SayDate(lang, t) + " at " + clock
	}
	clock := "kl. " + t.Format("15.04")
	switch diff {
	case 0:
		return "i dag " + clock
	case 1:
		return "i morgen " + clock
	}
	return SayDate(lang, t) + " " + clock
}

// Render returns a notification's title and body in lang ("da" or "en").
func Render(n models.Notification, lang string, now time.Time) (title, body string) {
	t := templateFor(n.Template, n.RecipientRole)
	return render(t.Title.in(lang), lang, n.Params, now), render(t.body(n.Params, now).in(lang), lang, n.Params, now)
}
