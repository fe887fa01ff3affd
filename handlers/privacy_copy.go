package handlers

import (
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/privacy"
)

// consentCopy is what a participant reads before saying yes or no: short,
// plain, and clear that no is fine. A change of wording is a new version
// in privacy.TextVersions.
var consentCopy = map[models.ConsentPurpose][2]text{
	models.ConsentTerms: {
		{"Vilkår for appen", "Terms of the app"},
		{"Appen er Jobbankens service til dig. Vi gemmer kun det, der skal til for at hjælpe dig, og du kan altid se og hente dine oplysninger.",
			"The app is Jobbanken's service to you. We keep only what is needed to help you, and you can always see and download your data."},
	},
	models.ConsentPush: {
		{"Beskeder på telefonen", "Notifications on your phone"},
		{"Vi må sende dig påmindelser og beskeder som notifikationer. Siger du nej, finder du dem stadig i appen.",
			"We may send you reminders and messages as notifications. If you say no, you will still find them in the app."},
	},
	models.ConsentStatistics: {
		{"Brug i statistik", "Use in statistics"},
		{"Jobbanken må bruge oplysninger om dit forløb i statistik og evalueringer. Ingen kan se, at det er dig. Du kan altid sige nej igen, og det ændrer ikke din hjælp.",
			"Jobbanken may use information about your course in statistics and evaluations. Nobody can tell it is you. You can always say no again, and it does not change the help you get."},
	},
	models.ConsentEmployerContact: {
		{"Kontakt til din arbejdsplads", "Contact with your workplace"},
		{"Jobbanken må kontakte din arbejdsplads om dit job. Du bestemmer for hver arbejdsplads.",
			"Jobbanken may contact your workplace about your job. You decide for each workplace."},
	},
}

func withConsentTexts(l lang, v privacy.ConsentView) privacy.ConsentView {
	c := consentCopy[v.Purpose]
	v.Title, v.Text = pick(l, c[0]), pick(l, c[1])
	return v
}

// accessAreas name the part of a participant's data an action touches, as
// the participant reads it in "who has looked at my data".
var accessAreas = map[auth.Action]text{
	auth.ReadParticipant:     {"Dine oplysninger", "Your details"},
	auth.ManageParticipant:   {"Din adgang til appen", "Your access to the app"},
	auth.ReassignCounselor:   {"Din vejleder", "Your counselor"},
	auth.ReadRoster:          {"Deltagerlisten til en aktivitet", "An activity's list of participants"},
	auth.CancelEnrollment:    {"Dine tilmeldinger", "Your sign-ups"},
	auth.DecideEnrollment:    {"Dine tilmeldinger", "Your sign-ups"},
	auth.ListEnrollmentsFor:  {"Dine tilmeldinger", "Your sign-ups"},
	auth.RecordAttendance:    {"Dit fremmøde", "Your attendance"},
	auth.ReadWork:            {"Dit job, dine timer og din pension", "Your job, hours and pension"},
	auth.ManageWork:          {"Dit job, dine timer og din pension", "Your job, hours and pension"},
	auth.ManageFollowUps:     {"Opfølgning på dit job", "Follow-up on your job"},
	auth.ReadPlan:            {"Din plan", "Your plan"},
	auth.ManagePlan:          {"Din plan", "Your plan"},
	auth.PlanProgress:        {"Din plan", "Your plan"},
	auth.UseConversation:     {"Din samtale med Jobbanken", "Your conversation with Jobbanken"},
	auth.ReadCheckInResults:  {"Dine svar på \"Hvordan går det?\"", "Your answers to \"How are you?\""},
	auth.ManageCelebrations:  {"Fejring af dit jubilæum", "Celebration of your anniversary"},
	auth.ReadConsents:        {"Dine samtykker", "Your consents"},
	auth.ManageConsents:      {"Dine samtykker", "Your consents"},
	auth.ExportData:          {"Alle dine oplysninger (udtræk)", "All your data (export)"},
	auth.WithdrawParticipant: {"Din udmeldelse", "Your leaving"},
	auth.UndoWithdrawal:      {"Din udmeldelse", "Your leaving"},
}

var otherArea = text{"Dine oplysninger", "Your details"}

func withArea(l lang, v privacy.AccessView) privacy.AccessView {
	t, ok := accessAreas[auth.Action(v.Action)]
	if !ok {
		t = otherArea
	}
	v.Area = pick(l, t)
	return v
}
