package handlers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/stats"
)

// Statistics is the management figures' surface; *stats.Service satisfies it.
type Statistics interface {
	RetentionCoefficient(ctx context.Context, p auth.Principal, q stats.RetentionQuery) (stats.Retention, error)
	Statistics(ctx context.Context, p auth.Principal, q stats.Query) (stats.Report, error)
	Export(ctx context.Context, p auth.Principal, q stats.Query, rows string) ([]byte, error)
}

type statisticsRoutes struct{ svc Statistics }

// refuseStatistics answers non-admins before anything is read or parsed.
func refuseStatistics(c *fiber.Ctx) error {
	return auth.Require(principal(c).Role, auth.ReadStatistics)
}

// queryDate reads a "YYYY-MM-DD" query parameter ("" when absent).
func queryDate(c *fiber.Ctx, f *apperr.Fields, name string) string {
	v := c.Query(name)
	if v == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		f.Add(name, "field.invalid_date", "Write the date as YYYY-MM-DD.")
		return ""
	}
	return v
}

// queryYear reads a year from 2000 on (0 when absent).
func queryYear(c *fiber.Ctx, f *apperr.Fields, name string) int {
	v := c.Query(name)
	if v == "" {
		return 0
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		f.Add(name, "field.year", "Use a year such as 2026.")
		return 0
	}
	return y
}

// statsQuery reads ?date=&from=&to= as calendar dates.
func statsQuery(c *fiber.Ctx) (stats.Query, error) {
	var f apperr.Fields
	q := stats.Query{Date: queryDate(c, &f, "date"), From: queryDate(c, &f, "from"), To: queryDate(c, &f, "to")}
	return q, f.Err()
}

// getRetentionCoefficient handles GET /v1/statistics/retention-coefficient.
func (r statisticsRoutes) getRetentionCoefficient(c *fiber.Ctx) error {
	if err := refuseStatistics(c); err != nil {
		return err
	}
	var f apperr.Fields
	q := stats.RetentionQuery{Date: queryDate(c, &f, "date"), FromYear: queryYear(c, &f, "from"), ToYear: queryYear(c, &f, "to")}
	if err := f.Err(); err != nil {
		return err
	}
	out, err := r.svc.RetentionCoefficient(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	l := langOf(c)
	out.Method = pick(l, retentionMethod) + " " + pick(l, consentRule)
	out.Reference.Note = pick(l, referenceNote)
	return c.JSON(out)
}

// getStatistics handles GET /v1/statistics.
func (r statisticsRoutes) getStatistics(c *fiber.Ctx) error {
	if err := refuseStatistics(c); err != nil {
		return err
	}
	q, err := statsQuery(c)
	if err != nil {
		return err
	}
	out, err := r.svc.Statistics(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	l := langOf(c)
	out.Method = pick(l, consentRule)
	for i, m := range out.Measures {
		out.Measures[i].Note = measureNote(l, m)
	}
	return c.JSON(out)
}

// exportStatistics handles GET /v1/statistics.csv.
func (r statisticsRoutes) exportStatistics(c *fiber.Ctx) error {
	if err := refuseStatistics(c); err != nil {
		return err
	}
	q, err := statsQuery(c)
	if err != nil {
		return err
	}
	b, err := r.svc.Export(c.UserContext(), principal(c), q, c.Query("rows"))
	if err != nil {
		return err
	}
	name := "statistik.csv"
	if c.Query("rows") == stats.RowsParticipants {
		name = "statistik-forloeb.csv"
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}

// measureNote words a measure's definition; {months} and {kind} are filled in.
func measureNote(l lang, m stats.Measure) string {
	key := m.Code
	if m.Level != "" {
		key += "/" + m.Level
	}
	return strings.NewReplacer("{months}", strconv.Itoa(m.Months), "{kind}", string(m.Kind)).Replace(pick(l, measureNotes[key]))
}

// The definitions, next to the figures (README "Statistics" says the same).
var (
	consentRule = text{
		"Tal om jobkundernes eget forløb (fastholdelseskoefficient, varige job, fastholdelse efter ansættelse, job inden for det første år, deltagelse og udeblivelser) tæller kun jobkunder, hvis seneste samtykke til statistik er givet, samt udmeldte med samtykke. Tal om Jobbankens drift (belægning, sagsstammer, svartider) tæller alle. Et tal, der bygger på færre end 5 personer, vises som \"< 5\" uden tal og grundlag, og flere afdelinger skjules, når \"i alt\" minus de viste afdelinger ellers ville afsløre et skjult tal. n er grundlaget.",
		"Figures about participants' own course (retention coefficient, lasting jobs, retention after hiring, job within the first year, participation and no-shows) count only participants whose latest statistics consent is given, plus leavers who consented. Figures about Jobbanken's operation (fill rate, caseloads, reply times) count everyone. A figure resting on fewer than 5 people is shown as \"< 5\" without value or base, and more departments are hidden when the overall minus the shown departments would otherwise give a hidden figure back. n is the base.",
	}
	retentionMethod = text{
		"Fastholdelseskoefficient på en dag = jobkunder i arbejde den dag ÷ tilknyttede jobkunder den dag, i procent med én decimal. Tilknyttet: startet (oprettet) senest den dag og ikke udmeldt den dag eller før. I arbejde: en ansættelse som ordinært job, løntilskud eller fleksjob, der dækker dagen; praktik tæller ikke, for den er ulønnet og ikke et job. En ansættelse tæller kun, mens jobkunden er tilknyttet. Serien er værdien den 31. december hvert år, i indeværende år i dag.",
		"Retention coefficient on a day = participants in work that day ÷ participants affiliated that day, in per cent with one decimal. Affiliated: started (enrolled) on or before the day and not left on or before it. In work: an ordinary job, wage-subsidy job or flexjob covering the day; an internship does not count, as it is unpaid and not a job. An employment counts only while the participant is affiliated. The series is the value on 31 December of each year, in the current year today.",
	}
	referenceNote = text{
		"Jobbankens egne tal 2016–2019 fra rapport 001 §5, til sammenligning. De er talt af Jobbanken før appen, på alle tilknyttede, og er derfor ikke helt det samme grundlag som vores, der kun tæller jobkunder med samtykke.",
		"Jobbanken's own figures 2016–2019 from report 001 §5, for comparison. Jobbanken counted them before the app, among everyone affiliated, so their base is not quite ours, which counts consenting participants only.",
	}
	measureNotes = map[string]text{
		stats.CodeLastingJobs: {
			"Tilknyttede jobkunder, der på dagen har været i det samme lønnede job (ordinært, løntilskud eller fleksjob) uafbrudt i mindst 12 måneder. n: tilknyttede jobkunder.",
			"Affiliated participants who on the day have been in the same paid job (ordinary, wage subsidy or flexjob) without a break for at least 12 months. n: affiliated participants."},
		stats.CodeRetentionHiring + "/" + stats.LevelDesiredJob: {
			"Af lønnede ansættelser begyndt, mens jobkunden var tilknyttet, og mindst {months} måneder før dagen: andelen, hvor jobkunden {months} måneder efter stadig var i samme ansættelse. n: ansættelser.",
			"Of paid employments begun while the participant was affiliated and at least {months} months before the day: the share where the participant was still in the same employment {months} months later. n: employments."},
		stats.CodeRetentionHiring + "/" + stats.LevelLabourMarket: {
			"Af de samme ansættelser: andelen, hvor jobkunden {months} måneder efter var i en hvilken som helst ansættelse, praktik medregnet. n: ansættelser.",
			"Of the same employments: the share where the participant was in any employment {months} months later, internships included. n: employments."},
		stats.CodeRetentionHiring + "/" + stats.LevelProgramme: {
			"Af de samme ansættelser: andelen, hvor jobkunden {months} måneder efter stadig var tilknyttet Jobbanken. n: ansættelser.",
			"Of the same employments: the share where the participant was still affiliated with Jobbanken {months} months later. n: employments."},
		stats.CodeFirstYearJob: {
			"Af jobkunder, der startede mindst 12 måneder før dagen: andelen med en ansættelse (praktik medregnet), der begyndte inden for deres første 12 måneder. n: jobkunder.",
			"Of participants who started at least 12 months before the day: the share with an employment (internships included) that began within their first 12 months. n: participants."},
		stats.CodeParticipation: {
			"Forskellige jobkunder med en bekræftet plads på et hold af typen {kind} med et tidspunkt i perioden, efter aktivitetens afdeling.",
			"Different participants with a confirmed seat at a {kind} activity with a session in the period, by the activity's department."},
		stats.CodeFillRate: {
			"Besatte pladser ÷ pladser for {kind} i perioden: pr. aktivitet (tilmelding til hele forløbet) eller pr. tidspunkt (drop-in). Tæller alle. n: pladser.",
			"Seats taken ÷ seats for {kind} in the period: per activity (signed up as a whole) or per session (drop-in). Counts everyone. n: seats."},
		stats.CodeNoShowRate: {
			"Udeblivelser ÷ registreret fremmøde (fremmødt, udeblevet, afbud) for {kind} på tidspunkter i perioden. n: registreringer.",
			"No-shows ÷ attendance records (attended, no-show, excused) for {kind} at sessions in the period. n: records."},
	}
)
