package main

import (
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// The words `api seed` builds its people and their history from: Danish
// names, Jobbanken's offices and catalogue, and the short, calm texts
// participants and counselors write to each other.

var seedFirstNames = []string{
	"Anna", "Mette", "Jonas", "Søren", "Ida", "Mads", "Freja", "Lars", "Pia", "Henrik",
	"Camilla", "Rasmus", "Louise", "Martin", "Sofie", "Thomas", "Line", "Peter", "Julie", "Anders",
	"Maria", "Kasper", "Signe", "Morten", "Emma", "Jesper", "Karen", "Niels", "Lone", "Jens",
	"Marianne", "Frederik", "Hanne", "Christian", "Birgitte", "Mikkel", "Tina", "Ole", "Susanne", "Jakob",
	"Malene", "Bo", "Cecilie", "Kim", "Laura", "Torben", "Nanna", "Poul", "Helle", "Simon",
	"Astrid", "Emil", "Bente", "Steen", "Katrine", "Allan", "Maja", "Brian", "Gitte", "Nikolaj",
}

var seedLastNames = []string{
	"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen",
	"Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen",
	"Knudsen", "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Holm",
	"Eriksen", "Kristiansen", "Nørgaard", "Bach", "Dahl", "Lauridsen", "Østergaard", "Vestergaard", "Iversen", "Kjær",
}

// seedCities are the offices, in the order departments are made: Jobbanken's
// three first, then where it would go next.
var seedCities = []string{
	"Herning", "Aarhus", "København", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Horsens", "Vejle",
	"Roskilde", "Silkeborg", "Næstved", "Fredericia", "Viborg", "Køge", "Holstebro", "Slagelse", "Hillerød", "Sønderborg",
	"Svendborg", "Hjørring", "Holbæk", "Frederikshavn", "Ringsted", "Haderslev", "Skive", "Nykøbing Falster", "Aabenraa", "Kalundborg",
	"Thisted", "Nyborg", "Ikast", "Middelfart", "Grenaa", "Hobro", "Varde", "Tønder", "Vordingborg", "Lemvig",
}

// seedCompanies are employers; a company's city is added where it fits.
var seedCompanies = []struct {
	name, slug string
	local      bool // a branch: "Netto Herning"
}{
	{"Netto", "netto", true}, {"Føtex", "foetex", true}, {"Bibliotekerne", "bibliotek", true}, {"Genbrugsbutikken", "genbrug", true},
	{"Kommunens Materielgård", "materielgaard", true}, {"Café Klostergården", "klostergaarden", false}, {"Bygma", "bygma", true},
	{"Jysk", "jysk", true}, {"Plantagen", "plantagen", true}, {"Dagli'Brugsen", "brugsen", true}, {"Vognmand Hansen", "vognmandhansen", false},
	{"Tekstilkompagniet", "tekstil", false}, {"Lokalavisen", "lokalavisen", true}, {"Plejecenter Solbakken", "solbakken", false},
	{"Den Grønne Gartner", "gronnegartner", false}, {"Cykelværkstedet", "cykelvaerkstedet", true}, {"Kantinen på Rådhuset", "raadhuskantinen", true},
	{"Lagerhotellet", "lagerhotellet", false}, {"Dyreinternatet", "dyreinternatet", true}, {"Boligforeningen", "boligforeningen", true},
}

var seedTaskNotes = []string{
	"Varer på hylder om formiddagen. Ingen kasse. Pause når der er brug for det.",
	"Sortering og pakning i roligt tempo. Fast makker de første uger.",
	"Opvask og klargøring i køkkenet. Ikke i travle frokosttimer.",
	"Pasning af bede og græs. Arbejde alene er i orden; ingen maskiner de første måneder.",
	"Modtagelse af varer og oprydning på lageret. Korte dage, højst fire timer.",
	"Registrering af bøger og ordning af hylder. Stille arbejdsplads.",
	"Klargøring af cykler. Fast mødetid kl. 9, kan gå hjem ved behov.",
	"Hjælp i caféen uden kasse. Samme opgaver hver dag.",
}

var seedEndNotes = []string{
	"Butikken lukkede afdelingen.",
	"Aftalt sammen; der ledes efter noget nyt.",
	"Opgaverne forsvandt ved en omlægning.",
}

// seedParticipantTexts open a conversation from the participant's side.
var seedParticipantTexts = []string{
	"Hej. Jeg har fået min lønseddel, men forstår ikke helt, hvad der er trukket. Kan du kigge på den med mig?",
	"Hej, jeg er syg i dag og kommer ikke på arbejde. Skal jeg gøre andet end at ringe til min leder?",
	"Må jeg arbejde en time mere om ugen uden at det går ud over min pension?",
	"Jeg vil gerne på yoga igen. Er der plads på næste hold?",
	"Det gik godt på arbejdet i denne uge. Jeg tør godt tage en dag mere.",
	"Hej. Jeg har haft en svær uge og har brug for at tale med dig.",
	"Jeg har fået et brev fra Udbetaling Danmark. Kan vi se på det sammen?",
	"Kan vi flytte vores møde på torsdag? Jeg har en tid hos lægen.",
	"Tak for i går. Det hjalp at tale om det.",
	"Min chef spørger, om jeg kan tage en ekstra vagt. Hvad tænker du?",
	"Jeg har skrevet mine timer ind for sidste uge. Passer det med det, vi aftalte?",
	"Hej, jeg er lidt nervøs for opfølgningsmødet. Hvad skal vi tale om?",
	"Jeg har søgt en praktik i en genbrugsbutik. Vil du læse min ansøgning?",
	"Jeg kan ikke finde ud af at logge ind på e-Boks. Kan du hjælpe?",
	"Hej. Jeg vil gerne høre mere om kurset Når du tjener penge.",
}

// seedCounselorReplies answer the participant.
var seedCounselorReplies = []string{
	"Hej. Tak for din besked. Send et billede af lønsedlen, så kigger jeg på den i dag.",
	"God bedring. Du har gjort det rigtige. Skriv, når du er klar igen, så tager vi den derfra.",
	"Godt spørgsmål. Lad os regne på det sammen på torsdag. Indtil da er du trygt under grænsen.",
	"Jeg har skrevet dig på listen. Du får besked, så snart der er plads.",
	"Hvor er det godt at høre. Lad os tale om det, når vi ses, så det ikke bliver for meget.",
	"Tak fordi du skriver. Jeg ringer til dig i morgen formiddag, hvis det passer dig.",
	"Tag brevet med, når vi ses. Du behøver ikke gøre noget før.",
	"Det er helt i orden. Vil fredag kl. 10 passe dig i stedet?",
	"Det var så lidt. Du gjorde det rigtig godt.",
	"Det er din beslutning. Husk den aftale, vi lavede om pauser. Vi kan tale om det i morgen.",
	"Ja, det ser fint ud. Godt du holder styr på det.",
	"Vi taler om, hvordan det går, og om der er noget, der skal ændres. Intet af det er en prøve.",
	"Ja, meget gerne. Send den, så giver jeg dig svar i morgen.",
	"Det kan vi sagtens. Kom forbi kontoret, så gør vi det sammen.",
	"Der er et nyt hold om tre uger. Skal jeg skrive dig på?",
}

// seedCounselorOpeners are messages a counselor starts with.
var seedCounselorOpeners = []string{
	"Hej. Jeg ville bare høre, hvordan det går med det nye job?",
	"Husk vores møde på tirsdag kl. 10. Skriv, hvis tiden ikke passer.",
	"Hej. Der er åbnet for tilmelding til Klædt på til job. Skal vi tale om, om det er noget for dig?",
	"Hej. Jeg har fundet et par praktikpladser, som måske passer dig. Skal vi kigge på dem sammen?",
	"Hej. Jeg har set dine timer for sidste måned. Det ser rigtig fint ud.",
}

// seedThanks follow a reply.
var seedThanks = []string{
	"Tak, det gør jeg.",
	"Tusind tak.",
	"Det passer fint. Tak.",
	"Okay. Så ses vi.",
	"Tak for hjælpen.",
}

var seedClosers = []string{
	"Det var så lidt. God weekend.",
	"Godt. Vi ses.",
	"Skriv endelig, hvis der er mere.",
}

var seedCallbackNotes = map[models.CallbackReason][]string{
	models.CallbackPension:  {"Det handler om min pension og min løn.", ""},
	models.CallbackWork:     {"Der er noget på arbejdet, jeg gerne vil tale om.", ""},
	models.CallbackHardDay:  {"Jeg har en svær dag.", ""},
	models.CallbackSomeElse: {"", "Det er ikke så vigtigt, men ring gerne."},
}

var seedCheckInTexts = map[models.CheckInChoice][]string{
	models.CheckInGood: {"Det går fint.", "Godt at være i gang igen.", "Jeg har det godt på arbejdet."},
	models.CheckInOkay: {"Lidt træt, men det går.", "Det går op og ned.", "Travlt, men okay."},
	models.CheckInTalk: {"Jeg vil gerne tale om mine timer.", "Det har været en svær måned.", "Ring gerne."},
}

var seedFollowUpNotes = []string{
	"God start. Lederen er tilfreds, og opgaverne passer.",
	"Timerne passer fint. Vi aftalte at se på det igen om tre måneder.",
	"Lidt træt i starten; pauserne er nu skrevet ind i aftalen.",
	"Alt i orden. Ønsker på sigt en dag mere om ugen.",
	"Aftalt at opgaverne ved kassen venter.",
}

var seedGoals = []struct {
	title, wish string
	subGoals    []string
}{
	{"Få en praktikplads i en butik", "Jeg vil gerne arbejde med mennesker i et roligt tempo.",
		[]string{"Skrive CV sammen med min vejleder", "Besøge to butikker og spørge om praktik", "Starte i praktik et par timer om ugen"}},
	{"Komme ud af huset to gange om ugen", "Jeg vil gerne have faste rammer i ugen og møde andre.",
		[]string{"Gå til svømning om torsdagen", "Tage med på museumsbesøg"}},
	{"Arbejde en dag mere om ugen", "Jeg har det godt på jobbet og vil gerne lidt mere.",
		[]string{"Tale med min leder om en ekstra dag", "Regne på pensionen med min vejleder", "Prøve en ekstra dag i en måned"}},
	{"Forstå min lønseddel", "Jeg vil gerne selv kunne se, om lønnen passer.",
		[]string{"Gå på kurset Når du tjener penge", "Gennemgå en lønseddel med min vejleder"}},
	{"Lære at bruge en computer", "Jeg vil kunne klare e-Boks og mails selv.",
		[]string{"Oprette MitID", "Gå på Office for begyndere", "Sende en mail til min vejleder"}},
	{"Finde et arbejde med dyr", "Jeg har altid holdt af dyr.",
		[]string{"Besøge dyreinternatet", "Spørge om praktik", "Aftale timer og pauser"}},
}

var seedGoalNotes = []string{
	"Det var rart at gøre det sammen.",
	"Det gik bedre, end jeg troede.",
	"Jeg vil gerne tage det lidt langsomt.",
}

var seedSavedReplies = []struct{ title, text string }{
	{"Tak for beskeden", "Tak for din besked. Jeg vender tilbage i løbet af dagen."},
	{"Syg", "God bedring. Skriv, når du er klar igen, så finder vi ud af det sammen."},
	{"Lønseddel", "Send gerne et billede af lønsedlen, så kigger jeg på den."},
}

// seedTemplate is one kind of activity a department runs again and
// again: a course run, a sports hold, a trip, or a weekly drop-in series.
type seedTemplate struct {
	kind        models.ActivityKind
	title       models.Text
	description models.Text
	whatToBring models.Text
	place       string // the location; %s is the city
	mode        models.EnrollmentMode
	capacity    int
	approval    bool
	deadlineH   int
	completion  int
	sessions    int  // per run (a drop-in series: one a week over the whole window)
	consecutive bool // days in a row (a trip) instead of a week apart
	weekday     time.Weekday
	start       string // local "HH:MM"
	duration    time.Duration
	everyMonths int // a new run every n months; 0: one drop-in series
	offsetDays  int // the first run starts this many days into the window
	onlyInMonth time.Month
	interest    int // relative weight when a participant picks something
}

var seedCatalogue = []seedTemplate{
	{kind: models.KindCourse, title: text("Klædt på til job", "Ready for work"),
		description: text("Fire gange tre timer om uddannelse og arbejde som førtidspensionist, afklaring af kompetencer, jobsøgning, jobsamtalen og kulturen på en arbejdsplads. Din vejleder godkender tilmeldingen.", "Four times three hours on education and work on a disability pension, your skills, job search, the job interview and workplace culture. Your counselor approves the sign-up."),
		whatToBring: text("Gerne dit CV, hvis du har et.", "Your CV, if you have one."),
		place:       "Jobbanken %s", mode: models.ModeActivity, capacity: 12, approval: true, deadlineH: 48, completion: 3,
		sessions: 4, weekday: time.Tuesday, start: "09:00", duration: 3 * time.Hour, everyMonths: 2, offsetDays: 10, interest: 3},
	{kind: models.KindCourse, title: text("Når du tjener penge", "When you earn money"),
		description: text("Hvad betyder løn for din pension, boligstøtte og andre ydelser? Vi gennemgår reglerne i ro og mag, og der er tid til dine spørgsmål.", "What does a wage mean for your pension, housing benefit and other benefits? We go through the rules calmly, with time for your questions."),
		place:       "Jobbanken %s", mode: models.ModeActivity, capacity: 20, deadlineH: 24,
		sessions: 1, weekday: time.Wednesday, start: "13:00", duration: 2 * time.Hour, everyMonths: 1, offsetDays: 5, interest: 5},
	{kind: models.KindCourse, title: text("CV-værksted", "CV workshop"),
		description: text("Vi skriver og retter CV sammen, to formiddage. Der er altid en vejleder til at hjælpe.", "We write and improve CVs together over two mornings. A counselor is always there to help."),
		whatToBring: text("Dit CV, hvis du har et, og gerne en bærbar.", "Your CV, if you have one, and a laptop if you can."),
		place:       "Jobbanken %s", mode: models.ModeActivity, capacity: 10, deadlineH: 24,
		sessions: 2, weekday: time.Thursday, start: "10:00", duration: 150 * time.Minute, everyMonths: 1, offsetDays: 12, interest: 3},
	{kind: models.KindCourse, title: text("Office for begyndere", "Office for beginners"),
		description: text("Tre gange om Word, mails og e-Boks, i dit eget tempo.", "Three sessions on Word, email and e-Boks, at your own pace."),
		place:       "Jobbanken %s", mode: models.ModeActivity, capacity: 10, deadlineH: 24,
		sessions: 3, weekday: time.Monday, start: "10:00", duration: 2 * time.Hour, everyMonths: 3, offsetDays: 20, interest: 2},
	{kind: models.KindSport, title: text("Svømning", "Swimming"),
		description: text("Et hold på tolv gange i den lokale svømmehal, en gang om ugen. Entré er betalt.", "A hold of twelve weekly sessions at the local pool. Entry is paid for."),
		whatToBring: text("Badetøj og håndklæde.", "Swimwear and a towel."),
		place:       "Svømmehallen, %s", mode: models.ModeActivity, capacity: 30, deadlineH: 24,
		sessions: 12, weekday: time.Thursday, start: "14:00", duration: 90 * time.Minute, everyMonths: 3, offsetDays: 0, interest: 10},
	{kind: models.KindSport, title: text("Yoga", "Yoga"),
		description: text("Rolig yoga for alle niveauer, tolv gange, en gang om ugen.", "Calm yoga for every level, twelve weekly sessions."),
		whatToBring: text("Behageligt tøj og en vandflaske.", "Comfortable clothes and a water bottle."),
		place:       "Jobbanken %s, salen", mode: models.ModeActivity, capacity: 30, deadlineH: 24,
		sessions: 12, weekday: time.Tuesday, start: "10:00", duration: time.Hour, everyMonths: 3, offsetDays: 30, interest: 10},
	{kind: models.KindSport, title: text("Styrketræning", "Strength training"),
		description: text("Let styrketræning med instruktør, tolv gange, en gang om ugen. Alle kan være med.", "Light strength training with an instructor, twelve weekly sessions. Anyone can join."),
		whatToBring: text("Indendørssko og en vandflaske.", "Indoor shoes and a water bottle."),
		place:       "Fitnesscentret, %s", mode: models.ModeActivity, capacity: 24, deadlineH: 24,
		sessions: 12, weekday: time.Monday, start: "13:00", duration: time.Hour, everyMonths: 3, offsetDays: 60, interest: 8},
	{kind: models.KindSport, title: text("Cykeltur", "Cycling trip"),
		description: text("En rolig tur på ca. 25 km med pause og madpakke.", "An easy ride of about 25 km with a break and a packed lunch."),
		whatToBring: text("Cykel, hjelm og madpakke.", "Bike, helmet and a packed lunch."),
		place:       "Mødested: Jobbanken %s", mode: models.ModeActivity, capacity: 15, deadlineH: 24,
		sessions: 1, weekday: time.Friday, start: "10:00", duration: 5 * time.Hour, everyMonths: 1, offsetDays: 8, interest: 3},
	{kind: models.KindNetwork, title: text("Museumsbesøg", "Museum visit"),
		description: text("Vi ser udstillingen sammen og slutter med kaffe.", "We see the exhibition together and finish with coffee."),
		place:       "Kunstmuseet, %s", mode: models.ModeActivity, capacity: 15, deadlineH: 24,
		sessions: 1, weekday: time.Wednesday, start: "13:00", duration: 3 * time.Hour, everyMonths: 2, offsetDays: 25, interest: 3},
	{kind: models.KindNetwork, title: text("Netværkscafé", "Network café"),
		description: text("Kaffe, jobopslag og en snak med andre jobkunder og en vejleder. Kig ind, når det passer dig.", "Coffee, job ads and a chat with other participants and a counselor. Drop in when it suits you."),
		place:       "Jobbanken %s, caféen", mode: models.ModeSession, capacity: 15, deadlineH: 3,
		weekday: time.Wednesday, start: "10:00", duration: 2 * time.Hour, interest: 3},
	{kind: models.KindNetwork, title: text("Tre dage på Anholt", "Three days on Anholt"),
		description: text("Vandretur og fællesskab på Anholt. Overnatning og mad er betalt.", "Hiking and company on Anholt. Lodging and meals are paid for."),
		whatToBring: text("Vandresko, regntøj og sovepose.", "Walking shoes, rain gear and a sleeping bag."),
		place:       "Anholt", mode: models.ModeActivity, capacity: 14, deadlineH: 7 * 24,
		sessions: 3, consecutive: true, weekday: time.Monday, start: "09:00", duration: 10 * time.Hour, everyMonths: 12, onlyInMonth: time.June, interest: 2},
}
