package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/jobs"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/work"
)

// seedJob is one generated employment with its end, if it ended.
type seedJob struct {
	emp models.Employment
	end *models.EmploymentEnd
}

// writeHistories writes, participant by participant, everything that is
// theirs alone: the counselor assignment, consents, pension profile,
// employments with hours, payslips and follow-ups, the plan, answers to
// check-ins, the conversation with its read marks, and the access log.
func (g *seedGen) writeHistories(ctx context.Context) error {
	for _, p := range g.people {
		h := &seedHistory{g: g, p: p, r: g.rng(streamHistory, p.idx)}
		if err := h.write(ctx); err != nil {
			return fmt.Errorf("seed participant %d: %w", p.idx+1, err)
		}
	}
	return nil
}

// seedHistory generates one participant's history.
type seedHistory struct {
	g    *seedGen
	p    *seedPerson
	r    *rand.Rand
	jobs []seedJob
	// calls are the moments the participant asks to be called (a check-in
	// answered "I'd like to talk"), woven into the conversation.
	calls []seedCall
}

type seedCall struct {
	at   time.Time
	note string
}

func (h *seedHistory) write(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	a := models.CounselorAssignment{ID: v7(r, p.user.CreatedAt), ParticipantID: p.user.ID, CounselorID: p.counselor.ID,
		AssignedBy: p.counselor.ID, AssignedAt: p.user.CreatedAt}
	if err := g.put(ctx, "counselor_assignments", a); err != nil {
		return err
	}
	steps := []func(context.Context) error{h.consents, h.profile, h.employments, h.plan, h.checkIns, h.conversation}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (h *seedHistory) consent(ctx context.Context, c *models.ConsentRecord) error {
	c.ID = v7(h.r, c.At)
	return h.g.put(ctx, "consents", *c)
}

// consents: the terms when the app was first opened, push for most, and
// the statistics declaration for most (some signed on paper and recorded
// by the counselor, which the participant is told about).
func (h *seedHistory) consents(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	at := p.user.ActivatedAt.Add(30 * time.Second)
	self := func(purpose models.ConsentPurpose, given bool, at time.Time) *models.ConsentRecord {
		return &models.ConsentRecord{ParticipantID: p.user.ID, Purpose: purpose, Given: given, At: at, ByID: p.user.ID,
			ByRole: models.RoleParticipant, TextVersion: privacy.TextVersions[purpose]}
	}
	if err := h.consent(ctx, self(models.ConsentTerms, true, at)); err != nil {
		return err
	}
	push := chance(r, 0.88)
	g.noPush[p.user.ID] = !push
	if err := h.consent(ctx, self(models.ConsentPush, push, at.Add(10*time.Second))); err != nil {
		return err
	}
	switch x := r.Float64(); {
	case x < 0.6:
		return h.consent(ctx, self(models.ConsentStatistics, true, at.Add(20*time.Second)))
	case x < 0.8: // the signed declaration, entered by the counselor
		on := earlierOf(p.user.ActivatedAt.Add(between(r, days(1), days(20))), g.now.Add(-time.Minute))
		c := &models.ConsentRecord{ParticipantID: p.user.ID, Purpose: models.ConsentStatistics, Given: true, At: on, ByID: p.counselor.ID,
			ByRole: models.RoleCounselor, Reason: "Underskrevet erklæring på papir", TextVersion: privacy.TextVersions[models.ConsentStatistics]}
		if err := h.consent(ctx, c); err != nil {
			return err
		}
		return g.tell(ctx, r, models.Event{DedupeKey: privacy.EventConsentRecorded + "/" + c.ID, Type: privacy.EventConsentRecorded,
			RecipientID: p.user.ID, Params: map[string]any{"senderId": p.counselor.ID, "purpose": string(c.Purpose), "given": true},
			CreatedAt: c.At, DueAt: c.At})
	case x < 0.9:
		return h.consent(ctx, self(models.ConsentStatistics, false, at.Add(20*time.Second)))
	}
	return nil // not asked yet
}

// profile: most have told the app about their household.
func (h *seedHistory) profile(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	if !chance(r, 0.7) {
		return nil
	}
	at := earlierOf(p.user.ActivatedAt.Add(between(r, days(1), days(60))), g.now.Add(-time.Minute))
	pp := models.PensionProfile{ParticipantID: p.user.ID, Household: "single", UpdatedAt: &at}
	switch x := r.Float64(); {
	case x < 0.3:
		pp.Household = "couple"
		pp.PartnerWorkIncomeKr = int64(150_000 + 1000*r.IntN(250))
		pp.PartnerOtherIncomeKr = int64(1000 * r.IntN(40))
	case x < 0.4:
		pp.Household = "couple_both_pensioners"
		pp.PartnerOtherIncomeKr = int64(100_000 + 1000*r.IntN(100))
	}
	if chance(r, 0.2) {
		pp.OtherIncomeKr = int64(5_000 + 1000*r.IntN(25))
	}
	if chance(r, 0.15) {
		m := 60 * (3 + r.IntN(8))
		pp.PlannedWeeklyMinutes = &m
	}
	return g.put(ctx, "pension_profiles", pp)
}

// newJob makes an employment of typ from start (a local midnight) to end
// (zero: open), entered by the counselor or the participant around its start.
func (h *seedHistory) newJob(typ models.EmploymentType, start, end time.Time) models.Employment {
	g, p, r := h.g, h.p, h.r
	c := pick(r, seedCompanies)
	name := c.name
	if c.local {
		name += " " + g.depts[p.dept].Name
	}
	contact := pick(r, seedFirstNames)
	wage := int64(0)
	switch typ {
	case models.EmploymentWageSubsidy:
		wage = int64(130_00 + 50*r.IntN(600))
	case models.EmploymentOrdinary:
		wage = int64(150_00 + 50*r.IntN(900))
	}
	created := laterOf(g.clock(start.AddDate(0, 0, -r.IntN(10)), 10, r.IntN(60)), p.user.ActivatedAt.Add(time.Hour))
	created = earlierOf(created, g.now.Add(-time.Hour))
	by := p.counselor.ID
	if chance(r, 0.3) {
		by = p.user.ID
	}
	e := models.Employment{
		ID: v7(r, created), ParticipantID: p.user.ID, Type: typ, StartDate: g.date(start),
		Company: models.Company{Name: name, ContactPerson: contact + " " + pick(r, seedLastNames),
			Phone: fmt.Sprintf("+45 %02d %02d %02d %02d", 20+r.IntN(80), r.IntN(100), r.IntN(100), r.IntN(100)),
			Email: asciiFold(contact) + "@" + c.slug + ".example.dk"},
		HourlyWageOre: wage, WeeklyMinutes: 60 * pick(r, []int{3, 4, 4, 5, 5, 6, 6, 8, 10, 12}),
		TaskNotes: pick(r, seedTaskNotes), CreatedBy: by, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
	if !end.IsZero() {
		e.EndDate = g.date(end)
	}
	return e
}

// employments: about 55 % are in work now (some after an internship that
// led to the job); a few more had a job that ended during the window.
func (h *seedHistory) employments(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	today := g.midnight(g.now)
	joined := g.midnight(*p.user.ActivatedAt).AddDate(0, 0, 1)
	types := []models.EmploymentType{models.EmploymentWageSubsidy, models.EmploymentWageSubsidy, models.EmploymentWageSubsidy,
		models.EmploymentOrdinary, models.EmploymentOrdinary, models.EmploymentInternship}
	const weeks13 = 13 * 7 // an internship's longest (INTERNSHIP_MAX_WEEKS' default)
	switch {
	case chance(r, 0.55):
		typ := pick(r, types)
		if typ == models.EmploymentInternship {
			start := laterOf(today.AddDate(0, 0, -7-r.IntN(77)), joined)
			if start.After(today) {
				return nil
			}
			h.jobs = append(h.jobs, seedJob{emp: h.newJob(typ, start, start.AddDate(0, 0, weeks13-1))})
			break
		}
		start := joined.AddDate(0, 0, 30+r.IntN(370))
		if limit := today.AddDate(0, 0, -14); start.After(limit) {
			start = laterOf(today.AddDate(0, 0, -14-r.IntN(30)), joined)
		}
		if start.After(today) {
			return nil
		}
		if intern := start.AddDate(0, 0, -weeks13); intern.After(joined) && chance(r, 0.4) {
			e := h.newJob(models.EmploymentInternship, intern, start.AddDate(0, 0, -1))
			reason := models.EndBecameWageSubsidy
			if typ == models.EmploymentOrdinary {
				reason = models.EndBecameOrdinary
			}
			h.jobs = append(h.jobs, seedJob{emp: e, end: h.endOf(e, start.AddDate(0, 0, -1), reason, "")})
		}
		h.jobs = append(h.jobs, seedJob{emp: h.newJob(typ, start, time.Time{})})
	case chance(r, 0.2):
		start := joined.AddDate(0, 0, 30+r.IntN(300))
		end := start.AddDate(0, 0, 60+r.IntN(340))
		if end.Before(g.midnight(g.from)) || !end.Before(today.AddDate(0, 0, -7)) {
			return nil
		}
		e := h.newJob(models.EmploymentWageSubsidy, start, time.Time{})
		reason := pick(r, []models.EndReason{models.EndCompanyEnded, models.EndOther})
		h.jobs = append(h.jobs, seedJob{emp: e, end: h.endOf(e, end, reason, pick(r, seedEndNotes))})
	}
	for _, j := range h.jobs {
		if err := h.writeJob(ctx, j); err != nil {
			return err
		}
	}
	return nil
}

// endOf is the end record of e on the day end, entered by the counselor.
func (h *seedHistory) endOf(e models.Employment, end time.Time, reason models.EndReason, note string) *models.EmploymentEnd {
	at := earlierOf(h.g.clock(end.AddDate(0, 0, 1), 11, h.r.IntN(60)), h.g.now.Add(-time.Minute))
	return &models.EmploymentEnd{EmploymentID: e.ID, ParticipantID: e.ParticipantID, EndDate: h.g.date(end), Reason: reason, Note: note,
		At: at, ByID: h.p.counselor.ID, ByRole: models.RoleCounselor}
}

// writeJob writes an employment, its end, the employer-contact consent,
// the hours of every week in the window, monthly payslips and the
// follow-up meetings with their reminders and notes.
func (h *seedHistory) writeJob(ctx context.Context, j seedJob) error {
	g, p, r := h.g, h.p, h.r
	e := j.emp
	if j.end != nil {
		e.EndDate = j.end.EndDate // the actual last day, as ending writes it
	}
	if err := g.put(ctx, "employments", e); err != nil {
		return err
	}
	if j.end != nil {
		if err := g.put(ctx, "employment_ends", *j.end); err != nil {
			return err
		}
	}
	if e.CreatedBy == p.user.ID {
		if err := g.tell(ctx, r, models.Event{DedupeKey: "employment.added/" + e.ID, Type: "employment.added", RecipientID: p.counselor.ID,
			Params: map[string]any{"participantId": p.user.ID, "employmentId": e.ID, "type": string(e.Type)}, CreatedAt: e.CreatedAt}); err != nil {
			return err
		}
	}
	if chance(r, 0.7) {
		c := &models.ConsentRecord{ParticipantID: p.user.ID, Purpose: models.ConsentEmployerContact, SubjectID: e.ID, Given: true,
			At: e.CreatedAt.Add(2 * time.Minute), ByID: p.user.ID, ByRole: models.RoleParticipant}
		if chance(r, 0.3) {
			c.ByID, c.ByRole, c.Reason = p.counselor.ID, models.RoleCounselor, "Aftalt i telefonen"
		}
		if err := h.consent(ctx, c); err != nil {
			return err
		}
	}
	if err := h.hours(ctx, e); err != nil {
		return err
	}
	return h.followUps(ctx, e, j.end)
}

// hours logs the hours of every week of e in the window: two or three
// days a week, a little under the agreed hours on average, now and then a
// week above them (which tells the participant, gently). A month's
// payslip follows early the next month.
func (h *seedHistory) hours(ctx context.Context, e models.Employment) error {
	g, p, r := h.g, h.p, h.r
	start, _ := time.ParseInLocation(time.DateOnly, e.StartDate, g.loc)
	last := g.midnight(g.now)
	if e.EndDate != "" {
		end, _ := time.ParseInLocation(time.DateOnly, e.EndDate, g.loc)
		last = earlierOf(last, end)
	}
	first := laterOf(start, g.midnight(p.active))
	minutesByMonth := map[string]int{}
	for monday := g.weekdayFrom(first.AddDate(0, 0, -6), time.Monday); !monday.After(last); monday = monday.AddDate(0, 0, 7) {
		if chance(r, 0.05) { // ill, on holiday, or simply forgot
			continue
		}
		var open []time.Time
		for d := range 5 {
			day := monday.AddDate(0, 0, d)
			if !day.Before(first) && !day.After(last) && work.IsWorkingDay(day) {
				open = append(open, day)
			}
		}
		if len(open) == 0 {
			continue
		}
		k := min(len(open), pick(r, []int{2, 2, 2, 3, 3}))
		r.Shuffle(len(open), func(i, j int) { open[i], open[j] = open[j], open[i] })
		open = open[:k]
		slices.SortFunc(open, func(a, b time.Time) int { return a.Compare(b) })
		over := chance(r, 0.1) // a good week: more than agreed
		total := 0
		week := ""
		for i, day := range open {
			minutes := int(float64(e.WeeklyMinutes)/float64(k)*(0.6+0.45*r.Float64())/15) * 15
			if over && i == k-1 {
				minutes += 60 + 15*r.IntN(5)
			}
			minutes = min(max(minutes, 15), 12*60)
			at := g.clock(day, 15+r.IntN(6), r.IntN(60))
			by := models.RoleParticipant
			if chance(r, 0.08) {
				by, at = models.RoleCounselor, g.clock(day.AddDate(0, 0, 1), 10, r.IntN(60))
			}
			if at.After(g.now) {
				continue
			}
			entry := models.HoursEntry{ID: v7(r, at), ParticipantID: p.user.ID, EmploymentID: e.ID, Date: g.date(day), Minutes: minutes,
				ByRole: by, ReceivedAt: at, UpdatedAt: at}
			if err := g.put(ctx, "hours", entry); err != nil {
				return err
			}
			minutesByMonth[entry.Date[:7]] += minutes
			total += minutes
			if total > e.WeeklyMinutes && week == "" {
				y, w := day.ISOWeek()
				week = fmt.Sprintf("%04d-W%02d", y, w)
				if err := g.tell(ctx, r, models.Event{DedupeKey: "hours.over_agreed/" + e.ID + "/" + week, Type: "hours.over_agreed",
					RecipientID: p.user.ID, CreatedAt: at, Params: map[string]any{"employmentId": e.ID, "week": week,
						"hours": float64(total) / 60, "agreedHours": float64(e.WeeklyMinutes) / 60}}); err != nil {
					return err
				}
			}
		}
	}
	if e.HourlyWageOre == 0 {
		return nil // an internship is unpaid: no payslips
	}
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, g.loc); m.Before(last); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		minutes := minutesByMonth[month]
		at := g.clock(m.AddDate(0, 1, 2+r.IntN(10)), 12, r.IntN(60))
		if minutes == 0 || at.After(g.now) {
			continue
		}
		by := models.RoleParticipant
		if chance(r, 0.4) {
			by = models.RoleCounselor
		}
		ps := models.Payslip{ID: e.ID + "-" + month, ParticipantID: p.user.ID, EmploymentID: e.ID, Month: month,
			GrossOre: (int64(minutes)*e.HourlyWageOre + 30) / 60, Minutes: minutes, ByRole: by, ReceivedAt: at}
		if err := g.put(ctx, "payslips", ps); err != nil {
			return err
		}
	}
	return nil
}

// followUps writes the follow-up meetings of an employment that started
// within the last year and a half (none for a flexjob): those past held,
// with a note now and then, those ahead planned, those after an end
// cancelled by the service; with the reminders two days before.
func (h *seedHistory) followUps(ctx context.Context, e models.Employment, end *models.EmploymentEnd) error {
	g, p, r := h.g, h.p, h.r
	start, _ := time.Parse(time.DateOnly, e.StartDate)
	if e.Type == models.EmploymentFlexjob || start.Before(g.from.AddDate(0, -6, 0)) {
		return nil
	}
	today := g.date(g.now)
	for _, d := range work.FollowUpDates(start) {
		date := d.Due.Format(time.DateOnly)
		f := models.FollowUp{ID: e.ID + "-" + string(d.Kind), ParticipantID: p.user.ID, EmploymentID: e.ID, Kind: string(d.Kind),
			Date: date, ScheduledDate: date, Status: models.FollowUpPlanned, UpdatedAt: e.CreatedAt}
		switch {
		case end != nil && date > end.EndDate:
			f.Status, f.AutoCancelled, f.UpdatedAt = models.FollowUpCancelled, true, end.At
		case date < today:
			done := g.clock(d.Due, 10, r.IntN(60)).Add(time.Hour)
			f.Status, f.DoneAt, f.UpdatedAt = models.FollowUpDone, &done, done
		}
		if err := g.put(ctx, "follow_ups", f); err != nil {
			return err
		}
		if f.Status == models.FollowUpDone && chance(r, 0.5) {
			at := f.DoneAt.Add(30 * time.Minute)
			n := models.FollowUpNote{ID: v7(r, at), FollowUpID: f.ID, ParticipantID: p.user.ID, Text: pick(r, seedFollowUpNotes),
				Internal: chance(r, 0.3), ByID: p.counselor.ID, At: at}
			if err := g.put(ctx, "follow_up_notes", n); err != nil {
				return err
			}
		}
		if f.Status == models.FollowUpCancelled {
			continue
		}
		day, _ := time.Parse(time.DateOnly, date)
		at, expires := jobs.FollowUpReminderAt(day), jobs.At(day, 0)
		if at.Before(g.from) || at.Before(e.CreatedAt) {
			continue
		}
		params := map[string]any{"followUpId": f.ID, "employmentId": e.ID, "kind": f.Kind, "date": f.Date, "companyName": e.Company.Name}
		staff := map[string]any{"participantId": p.user.ID}
		for k, v := range params {
			staff[k] = v
		}
		for _, to := range []struct {
			id, typ string
			params  map[string]any
		}{{p.user.ID, jobs.EventFollowUpReminder, params}, {p.counselor.ID, jobs.EventFollowUpReminderStaff, staff}} {
			ev := models.Event{DedupeKey: jobs.EventFollowUpReminder + "/" + f.ID + "/" + f.Date + "/" + to.id, Type: to.typ, RecipientID: to.id,
				CreatedAt: at.Add(-between(r, 0, 25*time.Minute)), DueAt: at, ExpiresAt: &expires, CollapseKey: "follow_up/" + f.ID, Params: to.params}
			if err := g.tell(ctx, r, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// plan: most have a plan from their first meeting, one to three goals in
// their own words, with sub-goals ticked off along the way.
func (h *seedHistory) plan(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	if !chance(r, 0.8) {
		return nil
	}
	made := earlierOf(g.office(r, p.user.ActivatedAt.Add(between(r, days(3), days(21)))), g.now.Add(-time.Hour))
	order := r.Perm(len(seedGoals))
	for pos, k := range order[:1+r.IntN(3)] {
		tmpl := seedGoals[k]
		at := made.Add(time.Duration(pos) * time.Minute)
		goal := models.Goal{ID: v7(r, at), ParticipantID: p.user.ID, Version: 1, Position: pos + 1, Title: tmpl.title, Wish: tmpl.wish,
			Status: models.GoalActive, SubGoals: []models.SubGoal{}, CreatedAt: at, CreatedBy: p.counselor.ID, UpdatedAt: at, UpdatedBy: p.counselor.ID}
		goal.RevisionID = models.GoalRevisionID(goal.ID, 1)
		var ticks []models.SubGoalTick
		for j, title := range tmpl.subGoals {
			sg := models.SubGoal{ID: v7(r, at.Add(time.Duration(j+1)*time.Millisecond)), Title: title}
			target := g.midnight(at).AddDate(0, 0, 14*(j+1))
			if chance(r, 0.8) {
				sg.TargetDate = g.date(target)
			}
			goal.SubGoals = append(goal.SubGoals, sg)
			if done := g.clock(target, 18, r.IntN(60)); done.Before(g.now) && chance(r, 0.65) {
				ticks = append(ticks, models.SubGoalTick{ID: v7(r, done), GoalID: goal.ID, ParticipantID: p.user.ID, SubGoalID: sg.ID,
					Done: true, At: done, By: p.user.ID, ByRole: models.RoleParticipant})
			}
		}
		if err := g.put(ctx, "plan_goals", goal); err != nil {
			return err
		}
		for _, t := range ticks {
			if err := g.put(ctx, "plan_ticks", t); err != nil {
				return err
			}
		}
		if len(ticks) > 0 && chance(r, 0.35) {
			at := ticks[0].At.Add(time.Minute)
			n := models.GoalNote{ID: v7(r, at), GoalID: goal.ID, ParticipantID: p.user.ID, AuthorID: p.user.ID,
				AuthorRole: models.RoleParticipant, Text: pick(r, seedGoalNotes), CreatedAt: at}
			if err := g.put(ctx, "plan_notes", n); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkIns: asked in every check-in of their department since they
// joined; about 60 % answer, and "I'd like to talk" asks the counselor to
// call (a call-me request in the conversation).
func (h *seedHistory) checkIns(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	for _, c := range g.checkIns[p.dept] {
		if !p.user.ActivatedAt.Before(c.CreatedAt) {
			continue
		}
		rec := models.CheckInRecipient{ID: models.CheckInRecipientID(c.ID, p.user.ID), CheckInID: c.ID, ParticipantID: p.user.ID, DepartmentID: c.DepartmentID}
		if err := g.put(ctx, "checkin_recipients", rec); err != nil {
			return err
		}
		closes := c.ClosesAt
		if err := g.tell(ctx, r, models.Event{DedupeKey: "checkin.sent:" + c.ID + ":" + p.user.ID, Type: "checkin.sent", RecipientID: p.user.ID,
			CreatedAt: *c.SentAt, DueAt: *c.SentAt, ExpiresAt: &closes, CollapseKey: "checkin",
			Params: map[string]any{"checkInId": c.ID, "senderId": c.SenderID, "closesAt": c.ClosesAt}}); err != nil {
			return err
		}
		at := c.SentAt.Add(between(r, 10*time.Minute, days(3)))
		if !chance(r, 0.6) || at.After(g.now) {
			continue
		}
		choice := models.CheckInGood
		switch x := r.Float64(); {
		case x < 0.1:
			choice = models.CheckInTalk
		case x < 0.45:
			choice = models.CheckInOkay
		}
		txt := ""
		if choice == models.CheckInTalk || chance(r, 0.4) {
			txt = pick(r, seedCheckInTexts[choice])
		}
		ans := models.CheckInAnswer{ID: models.CheckInAnswerID(c.ID, p.user.ID, 1), CheckInID: c.ID, ParticipantID: p.user.ID,
			DepartmentID: c.DepartmentID, Version: 1, Choice: choice, Text: txt, AnsweredAt: at}
		if err := g.put(ctx, "checkin_answers", ans); err != nil {
			return err
		}
		if choice == models.CheckInTalk {
			h.calls = append(h.calls, seedCall{at: at, note: txt})
		}
	}
	return nil
}

// conversation writes the participant's conversation with their counselor:
// about four messages a month, mostly the participant asking and the
// counselor answering within office hours, sometimes the counselor
// writing first, now and then a "please call me"; each message tells the
// other side, and each staff reply leaves its access-log lines (reading
// the conversation, then writing). The latest question may still wait.
func (h *seedHistory) conversation(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	var msgs []models.Message
	lastStaff, callbackOpen := "none", false
	send := func(at time.Time, from models.User, kind models.MessageKind, text string, reason models.CallbackReason) error {
		m := models.Message{ID: v7(r, at), ParticipantID: p.user.ID, Kind: kind, SenderID: from.ID, SenderRole: from.Role,
			Text: text, CallbackReason: reason, CreatedAt: at}
		if kind == models.MessageCallback {
			m.DedupeKey = "callback/" + p.user.ID + "/" + lastStaff
			callbackOpen = true
		} else {
			m.ClientID = uuid4(r)
			m.DedupeKey = p.user.ID + "/" + from.ID + "/" + m.ClientID
		}
		to := p.user.ID
		if from.Role == models.RoleParticipant {
			to = p.counselor.ID
		} else {
			lastStaff, callbackOpen = m.ID, false
			route := "/v1/participants/:id/conversation/messages"
			if err := g.access(ctx, r, p, from.ID, from.Role, "conversation.use", "GET "+route, at.Add(-between(r, time.Minute, 8*time.Minute))); err != nil {
				return err
			}
			if err := g.access(ctx, r, p, from.ID, from.Role, "conversation.use", "POST "+route, at); err != nil {
				return err
			}
		}
		msgs = append(msgs, m)
		if err := g.put(ctx, "messages", m); err != nil {
			return err
		}
		return g.tell(ctx, r, models.Event{DedupeKey: "message/" + m.ID, Type: "message.received", RecipientID: to, CreatedAt: at,
			Params: map[string]any{"participantId": p.user.ID, "messageId": m.ID, "kind": string(m.Kind), "senderId": m.SenderID}})
	}
	reply := func(after time.Time, text string) (time.Time, bool, error) {
		at := g.office(r, after.Add(between(r, 20*time.Minute, 20*time.Hour)))
		if at.After(g.now) {
			return after, false, nil
		}
		return at, true, send(at, p.counselor, models.MessageText, text, "")
	}
	reasons := []models.CallbackReason{models.CallbackPension, models.CallbackWork, models.CallbackHardDay, models.CallbackSomeElse}
	calls := h.calls
	next := p.active.Add(between(r, time.Hour, days(15)))
	for !next.After(g.now) || len(calls) > 0 {
		at, last := next, next
		var err error
		switch {
		case len(calls) > 0 && (!calls[0].at.After(next) || next.After(g.now)):
			at, last = calls[0].at, calls[0].at
			note := calls[0].note
			calls = calls[1:]
			if callbackOpen {
				break // asking again meets the open request
			}
			if err = send(at, p.user, models.MessageCallback, note, models.CallbackSomeElse); err != nil {
				return err
			}
			last, _, err = reply(at, "Tak for dit svar. Jeg ringer til dig i løbet af i morgen.")
		case chance(r, 0.8): // the participant asks
			kind, text, reason := models.MessageText, pick(r, seedParticipantTexts), models.CallbackReason("")
			if chance(r, 0.05) && !callbackOpen {
				reason = pick(r, reasons)
				kind, text = models.MessageCallback, pick(r, seedCallbackNotes[reason])
			}
			if err = send(at, p.user, kind, text, reason); err != nil {
				return err
			}
			answer := pick(r, seedCounselorReplies)
			if kind == models.MessageCallback {
				answer = "Jeg ringer til dig i dag inden kl. 15."
			}
			var ok bool
			if last, ok, err = reply(at, answer); err != nil || !ok {
				break
			}
			if thanks := last.Add(between(r, 10*time.Minute, 6*time.Hour)); chance(r, 0.3) && !thanks.After(g.now) {
				if err = send(thanks, p.user, models.MessageText, pick(r, seedThanks), ""); err != nil {
					return err
				}
				last = thanks
				if chance(r, 0.5) {
					last, _, err = reply(thanks, pick(r, seedClosers))
				}
			}
		default: // the counselor writes first
			at = g.office(r, at)
			if at.After(g.now) {
				next = at
				continue
			}
			if err = send(at, p.counselor, models.MessageText, pick(r, seedCounselorOpeners), ""); err != nil {
				return err
			}
			last = at
			if answer := at.Add(between(r, time.Hour, days(2))); chance(r, 0.7) && !answer.After(g.now) {
				if err = send(answer, p.user, models.MessageText, pick(r, seedThanks), ""); err != nil {
					return err
				}
				last = answer
				if chance(r, 0.6) {
					last, _, err = reply(answer, pick(r, seedClosers))
				}
			}
		}
		if err != nil {
			return err
		}
		gap := time.Duration(r.ExpFloat64() * float64(days(16)))
		next = laterOf(next, last.Add(min(max(gap, 6*time.Hour), days(60))))
	}
	if err := h.readMarks(ctx, msgs); err != nil {
		return err
	}
	return h.workReads(ctx)
}

// readMarks sets how far each side has read: the participant has read the
// counselor's last message (unless it is very recent), the counselor every
// message they answered and mostly the one still waiting.
func (h *seedHistory) readMarks(ctx context.Context, msgs []models.Message) error {
	g, p, r := h.g, h.p, h.r
	var mine, theirs *models.ReadMark // the participant's, the counselor's
	for i, m := range msgs {
		repliedAt := time.Time{}
		for _, later := range msgs[i+1:] {
			if (later.SenderRole == models.RoleParticipant) != (m.SenderRole == models.RoleParticipant) {
				repliedAt = later.CreatedAt
				break
			}
		}
		read := repliedAt
		if read.IsZero() {
			if age := g.now.Sub(m.CreatedAt); age < 4*time.Hour || !chance(r, 0.7) {
				continue
			}
			read = earlierOf(m.CreatedAt.Add(between(r, 5*time.Minute, 4*time.Hour)), g.now)
		}
		if m.SenderRole == models.RoleParticipant {
			theirs = &models.ReadMark{ID: p.user.ID + "/" + p.counselor.ID, ParticipantID: p.user.ID, UserID: p.counselor.ID, LastReadID: m.ID, At: read}
		} else {
			mine = &models.ReadMark{ID: p.user.ID + "/" + p.user.ID, ParticipantID: p.user.ID, UserID: p.user.ID, LastReadID: m.ID, At: read}
		}
	}
	for _, m := range []*models.ReadMark{mine, theirs} {
		if m != nil {
			if err := g.put(ctx, "read_marks", *m); err != nil {
				return err
			}
		}
	}
	return nil
}

// workReads: the counselor looks at the pension estimate of a participant
// in work about every other month.
func (h *seedHistory) workReads(ctx context.Context) error {
	g, p, r := h.g, h.p, h.r
	if len(h.jobs) == 0 {
		return nil
	}
	for m := p.active; m.Before(g.now); m = m.AddDate(0, 1, 0) {
		at := g.office(r, m.Add(between(r, 0, days(28))))
		if at.After(g.now) || !chance(r, 0.4) {
			continue
		}
		if err := g.access(ctx, r, p, p.counselor.ID, models.RoleCounselor, "work.read", "GET /v1/participants/:id/pension-status", at); err != nil {
			return err
		}
	}
	return nil
}
