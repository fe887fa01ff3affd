package work

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
)

// ProfileInput is what the participant or counselor enters for the estimate.
type ProfileInput struct {
	Household            string
	OtherIncomeKr        int64
	PartnerWorkIncomeKr  int64
	PartnerOtherIncomeKr int64
	PlannedWeeklyHours   *float64
}

// ProfileView is the pension profile; Saved is false while nobody has
// entered one (then the estimate assumes a single person).
type ProfileView struct {
	models.PensionProfile
	PlannedWeeklyHours *float64 `json:"plannedWeeklyHours,omitempty"`
	Saved              bool     `json:"saved"`
}

const maxYearlyKr = 100_000_000

func profileView(pp models.PensionProfile, saved bool) ProfileView {
	v := ProfileView{PensionProfile: pp, Saved: saved}
	if pp.PlannedWeeklyMinutes != nil {
		h := hoursOf(*pp.PlannedWeeklyMinutes)
		v.PlannedWeeklyHours = &h
	}
	return v
}

func (s *Service) profile(ctx context.Context, participantID string) (models.PensionProfile, bool, error) {
	pp, ok, err := s.store.PensionProfile(ctx, participantID)
	if err != nil {
		return pp, false, err
	}
	if !ok {
		pp = models.PensionProfile{ParticipantID: participantID, Household: string(pension.Single)}
	}
	return pp, ok, nil
}

// PensionProfile returns the participant's pension profile.
func (s *Service) PensionProfile(ctx context.Context, p auth.Principal, participantID string) (ProfileView, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return ProfileView{}, err
	}
	pp, ok, err := s.profile(ctx, participantID)
	if err != nil {
		return ProfileView{}, err
	}
	return profileView(pp, ok), nil
}

// UpdatePensionProfile saves the participant's pension profile.
func (s *Service) UpdatePensionProfile(ctx context.Context, p auth.Principal, participantID string, in ProfileInput) (ProfileView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return ProfileView{}, err
	}
	var f apperr.Fields
	if !pension.Status(in.Household).Valid() {
		f.Add("household", "pension.household", "Choose single, couple or couple_both_pensioners.")
	}
	for _, a := range []struct {
		name string
		kr   int64
	}{{"otherIncomeKr", in.OtherIncomeKr}, {"partnerWorkIncomeKr", in.PartnerWorkIncomeKr}, {"partnerOtherIncomeKr", in.PartnerOtherIncomeKr}} {
		if a.kr < 0 || a.kr > maxYearlyKr {
			f.Add(a.name, "pension.amount", "Enter whole kroner from 0 to 100000000.")
		}
	}
	if pension.Status(in.Household) == pension.Single && (in.PartnerWorkIncomeKr != 0 || in.PartnerOtherIncomeKr != 0) {
		f.Add("household", "pension.partner_single", "A single person has no partner income: use 0 or choose a couple.")
	}
	pp := models.PensionProfile{ParticipantID: u.ID, Household: in.Household, OtherIncomeKr: in.OtherIncomeKr,
		PartnerWorkIncomeKr: in.PartnerWorkIncomeKr, PartnerOtherIncomeKr: in.PartnerOtherIncomeKr}
	now := s.now()
	pp.UpdatedAt = &now
	if in.PlannedWeeklyHours != nil {
		m := weeklyMinutes(&f, "plannedWeeklyHours", *in.PlannedWeeklyHours)
		pp.PlannedWeeklyMinutes = &m
	}
	if err := f.Err(); err != nil {
		return ProfileView{}, err
	}
	if err := s.store.PutPensionProfile(ctx, pp); err != nil {
		return ProfileView{}, err
	}
	if err := s.checkThresholds(ctx, u); err != nil {
		return ProfileView{}, err
	}
	return profileView(pp, true), nil
}

// PensionStatus is the estimate for one income year with what it rests on.
// Notes name what the reader should know (texts are chosen at the edge).
type PensionStatus struct {
	pension.Projection
	ProfileSaved bool `json:"profileSaved"`
	// ThresholdUsedPercent is the projected base as a share of the
	// threshold, rounded down.
	ThresholdUsedPercent int64 `json:"thresholdUsedPercent"`
	// Notes say, in order, what the reader should know: the headline, how
	// the rest of the year was projected (not for a finished year), and the
	// caveats. The HTTP edge fills in each Text in the reader's language.
	Notes []Note `json:"notes"`
}

// Note is one thing to tell the reader about an estimate.
type Note struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// The note codes of a PensionStatus.
const (
	NoteHeadroom        = "headroom"       // below the threshold: how much more before a reduction
	NoteOverThreshold   = "over_threshold" // above: the estimated reduction
	NoteBasisPlan       = "basis_plan"     // the rest of the year at the planned hours
	NoteBasisRecent     = "basis_recent_average"
	NoteBasisYTDOnly    = "basis_ytd_only"
	NoteEstimate        = "estimate"          // always: the official calculation comes from Udbetaling Danmark
	NoteOlderFigures    = "older_figures"     // EstimateBasedOnYear is set
	NoteProfileMissing  = "profile_missing"   // no profile: a single person is assumed
	NoteFlexjob         = "flexjob"           // a flexjob replaces the pension
	NoteInternshipWages = "internship_unpaid" // internship hours count 0 kr
	// NoteWhatIfNoDaysLeft: a what-if asked when no day of the year is left
	// to count (31 December, or a payslip for December is in): the estimate
	// is the year's as it stands.
	NoteWhatIfNoDaysLeft = "what_if_no_days_left"
	// NoteFigureFromEarlierYear: a single figure the year lacks (such as the
	// cap on a pensioner partner's income) was taken from an earlier year;
	// pension.UsedFigure.Fallback marks which.
	NoteFigureFromEarlierYear = "figure_from_earlier_year"
	// NotePensionStops replaces NoteOverThreshold when the estimated pension
	// for the year is 0 kr (at or above the cut-off, or below the minimum
	// payout).
	NotePensionStops = "pension_stops"
	// A finished year (a past year, or this year on 31 December) is a
	// result, not a projection: its headline is one of these instead of
	// NoteHeadroom, NoteOverThreshold or NotePensionStops, and no basis note
	// follows (nothing is projected).
	NoteYearEndedBelow        = "year_ended_below"         // what was earned; how far below the threshold
	NoteYearEndedOver         = "year_ended_over"          // what was earned; how far above; the reduction
	NoteYearEndedPensionStops = "year_ended_pension_stops" // what was earned; the pension for the year is 0 kr
)

// income gathers what the engine needs for year: wage up to today (or the
// whole year for a past year) with payslips replacing hours × wage, the
// current wage and agreed hours, and the recent weekly average.
func (s *Service) income(ctx context.Context, participantID string, year int, pp models.PensionProfile) (pension.ProjectionInput, []string, error) {
	today := s.today()
	asOf := today
	if year < today.Year() {
		asOf = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	in := pension.ProjectionInput{
		Status: pension.Status(pp.Household), Today: pension.DateOf(asOf),
		OtherIncomeKr: pp.OtherIncomeKr,
		Partner:       pension.Partner{WorkIncomeKr: pp.PartnerWorkIncomeKr, OtherIncomeKr: pp.PartnerOtherIncomeKr},
	}
	emps, err := s.employmentsByID(ctx, participantID)
	if err != nil {
		return in, nil, err
	}
	jan1 := fmt.Sprintf("%04d-01-01", year)
	entries, err := s.store.Hours(ctx, participantID, jan1, day(asOf))
	if err != nil {
		return in, nil, err
	}
	slips, err := s.store.Payslips(ctx, participantID, jan1[:7], day(asOf)[:7])
	if err != nil {
		return in, nil, err
	}
	counts := func(e models.Employment) bool { return pension.EmploymentType(e.Type).CountsAsIncome() }
	var ytdOre int64
	for _, m := range monthTotals(entries, slips, emps, counts) {
		ytdOre += m.EarnedOre
	}
	in.YTDGrossWageKr = kroner(ytdOre)

	// The employments in a fixed order (IDs are time-ordered), so notes
	// and plans come out the same on every call.
	ordered := make([]models.Employment, 0, len(emps))
	for _, id := range slices.Sorted(maps.Keys(emps)) {
		ordered = append(ordered, emps[id])
	}
	var notes []string
	for _, e := range ordered {
		if e.EndedAt != nil || !e.Active(day(asOf)) {
			continue
		}
		switch e.Type {
		case models.EmploymentFlexjob:
			notes = append(notes, NoteFlexjob)
		case models.EmploymentInternship:
			notes = append(notes, NoteInternshipWages)
		}
	}
	if year < today.Year() {
		return in, notes, nil // a past year is history: nothing to project
	}
	// A payslip covers its whole month: with one for this month, the
	// projection starts on the 1st of next month.
	projToday := asOf
	for _, ps := range slips {
		if ps.Month == day(asOf)[:7] && counts(emps[ps.EmploymentID]) {
			projToday = time.Date(asOf.Year(), asOf.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		}
	}
	in.Today = pension.DateOf(projToday)

	// The plan: each paid employment at its agreed hours and wage, from
	// tomorrow (or its start) to its end; or the participant's own planned
	// weekly hours instead.
	var plans []pension.Plan
	var planMin int
	var wageWeighted, wageMax int64
	first := projToday.AddDate(0, 0, 1)
	for _, e := range ordered {
		if !counts(e) || e.HourlyWageOre == 0 {
			continue
		}
		from, _ := parseDay(e.StartDate)
		from = maxTime(from, first)
		to := time.Date(asOf.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		if end, ok := parseDay(e.EndDate); ok && end.Before(to) {
			to = end
		}
		if to.Before(from) {
			continue
		}
		wageMax = max(wageMax, e.HourlyWageOre)
		if e.WeeklyMinutes == 0 {
			continue
		}
		plans = append(plans, pension.Plan{WeeklyHours: hoursOf(e.WeeklyMinutes), HourlyWageOre: e.HourlyWageOre,
			From: pension.DateOf(from), To: pension.DateOf(to)})
		planMin += e.WeeklyMinutes
		wageWeighted += int64(e.WeeklyMinutes) * e.HourlyWageOre
	}
	wage := wageMax
	if planMin > 0 {
		wage = (wageWeighted + int64(planMin)/2) / int64(planMin)
	}
	in.CurrentHourlyWageOre = wage
	if pp.PlannedWeeklyMinutes != nil {
		plans = []pension.Plan{{WeeklyHours: hoursOf(*pp.PlannedWeeklyMinutes), HourlyWageOre: wage}}
	}
	in.Plans = plans

	// The recent average: regular pay (hours × wage) over the last four
	// weeks, or since the first paid employment began if that is later;
	// without hours, the latest payslip's month.
	from := asOf.AddDate(0, 0, -27)
	earliest := asOf
	for _, e := range emps {
		if start, ok := parseDay(e.StartDate); ok && counts(e) && start.Before(earliest) {
			earliest = start
		}
	}
	from = maxTime(from, earliest)
	var recentOre int64
	seen := false
	for _, h := range entries {
		if d, _ := parseDay(h.Date); d.Before(from) || !counts(emps[h.EmploymentID]) {
			continue
		}
		seen = true
		recentOre += earnedOre(h.Minutes, emps[h.EmploymentID].HourlyWageOre)
	}
	switch days := int64(asOf.Sub(from).Hours()/24) + 1; {
	case seen:
		weekly := kroner(recentOre * 7 / days)
		in.RecentWeeklyGrossKr = &weekly
	default:
		for i := len(slips) - 1; i >= 0; i-- {
			ps := slips[i]
			if !counts(emps[ps.EmploymentID]) || ps.GrossOre == 0 {
				continue
			}
			m, _ := time.Parse("2006-01", ps.Month)
			inMonth := int64(m.AddDate(0, 1, -1).Day())
			weekly := kroner(ps.GrossOre * 7 / inMonth)
			in.RecentWeeklyGrossKr = &weekly
			break
		}
	}
	return in, notes, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Status estimates the participant's pension for year (0: this year).
func (s *Service) Status(ctx context.Context, p auth.Principal, participantID string, year int) (PensionStatus, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return PensionStatus{}, err
	}
	return s.status(ctx, participantID, year, nil)
}

// WhatIfInput is "if I work N hours a week at W øre an hour from date D".
type WhatIfInput struct {
	WeeklyHours   float64
	HourlyWageOre int64
	From          string // "" means tomorrow
}

// Simulate answers a what-if for the rest of this year.
func (s *Service) Simulate(ctx context.Context, p auth.Principal, participantID string, w WhatIfInput) (PensionStatus, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return PensionStatus{}, err
	}
	var f apperr.Fields
	weeklyMinutes(&f, "weeklyHours", w.WeeklyHours)
	if w.HourlyWageOre < 0 || w.HourlyWageOre > maxWageOre {
		f.Add("hourlyWageOre", "employment.wage", "Enter the hourly wage in øre, from 0 to 10000000.")
	}
	today := s.today()
	from := today.AddDate(0, 0, 1)
	if w.From != "" {
		d, ok := parseDay(w.From)
		switch {
		case !ok:
			f.Add("from", "field.invalid_date", "Write the date as YYYY-MM-DD.")
		case d.Year() != today.Year() || !d.After(today):
			f.Add("from", "pension.what_if_from", "Choose a day after today in this year.")
		default:
			from = d
		}
	}
	if err := f.Err(); err != nil {
		return PensionStatus{}, err
	}
	// On 31 December "tomorrow" is next year: pension.WhatIf then finds no
	// day left and answers the year's estimate.
	return s.status(ctx, participantID, 0, &whatIf{hours: w.WeeklyHours, wageOre: w.HourlyWageOre, from: pension.DateOf(from)})
}

// whatIf is a what-if's plan for the rest of the year.
type whatIf struct {
	hours   float64
	wageOre int64
	from    pension.Date
}

// status computes the estimate; a what-if replaces the participant's own
// plans from its date on.
func (s *Service) status(ctx context.Context, participantID string, year int, w *whatIf) (PensionStatus, error) {
	today := s.today()
	thisYear := today.Year()
	if year == 0 {
		year = thisYear
	}
	if year > thisYear {
		return PensionStatus{}, rule("pension.future_year", "An estimate can be made for this year or earlier years.")
	}
	pp, saved, err := s.profile(ctx, participantID)
	if err != nil {
		return PensionStatus{}, err
	}
	in, notes, err := s.income(ctx, participantID, year, pp)
	if err != nil {
		return PensionStatus{}, err
	}
	rules, err := s.rules.Current(ctx)
	if err != nil {
		return PensionStatus{}, err
	}
	var proj pension.Projection
	if w != nil {
		proj, err = rules.WhatIf(in, w.hours, w.wageOre, w.from)
	} else {
		proj, err = rules.Project(in)
	}
	if err != nil {
		return PensionStatus{}, err
	}
	st := PensionStatus{Projection: proj, ProfileSaved: saved}
	if proj.ThresholdKr > 0 {
		st.ThresholdUsedPercent = proj.ProjectedBaseKr * 100 / proj.ThresholdKr
	}
	// A past year, or this one on its last day, is over: what was earned
	// is the result, and there is no rest of the year to project.
	finished := year < thisYear || (today.Month() == time.December && today.Day() == 31)
	over := proj.ProjectedBaseKr > proj.ThresholdKr
	var codes []string
	switch {
	case finished && over && proj.EstimatedPensionKr == 0:
		codes = append(codes, NoteYearEndedPensionStops)
	case finished && over:
		codes = append(codes, NoteYearEndedOver)
	case finished:
		codes = append(codes, NoteYearEndedBelow)
	case over && proj.EstimatedPensionKr == 0:
		codes = append(codes, NotePensionStops)
	case over:
		codes = append(codes, NoteOverThreshold)
	default:
		codes = append(codes, NoteHeadroom)
	}
	switch {
	case finished: // nothing was projected
	case proj.Basis == pension.BasisPlan:
		codes = append(codes, NoteBasisPlan)
	case proj.Basis == pension.BasisRecentAverage:
		codes = append(codes, NoteBasisRecent)
	default:
		codes = append(codes, NoteBasisYTDOnly)
	}
	codes = append(codes, NoteEstimate)
	if proj.EstimateBasedOnYear != 0 {
		codes = append(codes, NoteOlderFigures)
	}
	if slices.ContainsFunc(proj.FiguresUsed, func(f pension.UsedFigure) bool { return f.Fallback }) {
		codes = append(codes, NoteFigureFromEarlierYear)
	}
	if !saved {
		codes = append(codes, NoteProfileMissing)
	}
	if w != nil && in.Today.Month == time.December && in.Today.Day == 31 {
		codes = append(codes, NoteWhatIfNoDaysLeft)
	}
	for _, n := range notes {
		if !slices.Contains(codes, n) {
			codes = append(codes, n)
		}
	}
	st.Notes = make([]Note, len(codes))
	for i, c := range codes {
		st.Notes[i] = Note{Code: c}
	}
	return st, nil
}

// checkThresholds raises one event per year when the estimate first
// reaches 80 % and when it first passes 100 % of the threshold. A year
// without figures raises nothing.
func (s *Service) checkThresholds(ctx context.Context, u models.User) error {
	st, err := s.status(ctx, u.ID, 0, nil)
	if apperr.Is(err, apperr.RuleViolation) {
		return nil
	}
	if err != nil {
		return err
	}
	params := map[string]any{"year": st.Year, "percent": st.ThresholdUsedPercent, "counselorId": u.CounselorID}
	if st.ThresholdUsedPercent >= 80 {
		key := fmt.Sprintf("pension.threshold_80/%s/%d", u.ID, st.Year)
		if err := s.store.RecordEvent(ctx, s.event(key, "pension.threshold_80", u.ID, params)); err != nil {
			return err
		}
	}
	if st.ProjectedBaseKr > st.ThresholdKr {
		key := fmt.Sprintf("pension.threshold_100/%s/%d", u.ID, st.Year)
		if err := s.store.RecordEvent(ctx, s.event(key, "pension.threshold_100", u.ID, params)); err != nil {
			return err
		}
	}
	return nil
}
