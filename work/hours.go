package work

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// HoursInput is one quick entry: hours worked on a day. EmploymentID may be
// empty when exactly one employment covers the day.
type HoursInput struct {
	Date         string
	Hours        float64
	EmploymentID string
}

// HoursView is an entry with its hours as a decimal number. Its id and
// receivedAt are the participant's receipt for what they reported.
type HoursView struct {
	models.HoursEntry
	Hours float64 `json:"hours"`
}

func hoursView(h models.HoursEntry) HoursView {
	return HoursView{HoursEntry: h, Hours: hoursOf(h.Minutes)}
}

const maxDayMinutes = 24 * 60

// openYear reports whether hours dated d may still be entered or changed
// today: this year's, and during January also last year's (the last days
// of December are often reported after New Year).
func openYear(d, today time.Time) bool {
	return d.Year() == today.Year() || (d.Year() == today.Year()-1 && today.Month() == time.January)
}

func errClosedYear() error {
	return rule("hours.closed_year", "Only this year's hours (and in January last year's) can be entered or changed.")
}

// checkEntry validates an entry's day and hours and picks its employment.
// Entries belong to the current calendar year: earlier years are settled.
func (s *Service) checkEntry(ctx context.Context, participantID string, in HoursInput) (models.Employment, int, error) {
	var f apperr.Fields
	d, okDate := parseDay(in.Date)
	if !okDate {
		f.Add("date", "field.invalid_date", "Write the date as YYYY-MM-DD.")
	}
	minutes, ok := minutesOf(in.Hours)
	if !ok || minutes == 0 || minutes > maxDayMinutes {
		f.Add("hours", "hours.amount", "Use 0.25 to 24 hours in quarter hours, e.g. 7.5.")
	}
	if err := f.Err(); err != nil {
		return models.Employment{}, 0, err
	}
	today := s.today()
	if d.After(today) {
		return models.Employment{}, 0, rule("hours.future_date", "Hours can be entered once the day has come.")
	}
	if !openYear(d, today) {
		return models.Employment{}, 0, errClosedYear()
	}
	if in.EmploymentID != "" {
		e, err := s.employment(ctx, participantID, in.EmploymentID)
		if err != nil {
			return models.Employment{}, 0, err
		}
		if !e.Active(in.Date) {
			return models.Employment{}, 0, rule("hours.outside_employment", "The day is outside this employment's period.")
		}
		return e, minutes, nil
	}
	all, err := s.employments(ctx, participantID)
	if err != nil {
		return models.Employment{}, 0, err
	}
	var on []models.Employment
	for _, e := range all {
		if e.Active(in.Date) {
			on = append(on, e)
		}
	}
	switch len(on) {
	case 0:
		return models.Employment{}, 0, rule("hours.no_employment", "There is no employment on this day. Add it first.")
	case 1:
		return on[0], minutes, nil
	}
	return models.Employment{}, 0, apperr.InvalidField("employmentId", "hours.employment_required",
		"Several employments cover this day: choose one.")
}

// checkDayTotal refuses an entry that would make a day longer than 24 hours.
func (s *Service) checkDayTotal(ctx context.Context, participantID, date, exceptID string, minutes int) error {
	same, err := s.store.Hours(ctx, participantID, date, date)
	if err != nil {
		return err
	}
	total := minutes
	for _, h := range same {
		if h.ID != exceptID {
			total += h.Minutes
		}
	}
	if total > maxDayMinutes {
		return rule("hours.day_full", "A day has at most 24 hours in all.")
	}
	return nil
}

// LogHours records hours worked, by the participant or their counselor.
func (s *Service) LogHours(ctx context.Context, p auth.Principal, participantID string, in HoursInput) (HoursView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return HoursView{}, err
	}
	e, minutes, err := s.checkEntry(ctx, participantID, in)
	if err != nil {
		return HoursView{}, err
	}
	if err := s.checkDayTotal(ctx, participantID, in.Date, "", minutes); err != nil {
		return HoursView{}, err
	}
	now := s.now()
	h := models.HoursEntry{ID: s.newID(), ParticipantID: participantID, EmploymentID: e.ID, Date: in.Date,
		Minutes: minutes, ByRole: p.Role, ReceivedAt: now, UpdatedAt: now}
	if err := s.store.InsertHours(ctx, h); err != nil {
		return HoursView{}, fmt.Errorf("log hours: %w", err)
	}
	if err := s.afterIncomeChange(ctx, u, e, in.Date); err != nil {
		return HoursView{}, err
	}
	return hoursView(h), nil
}

// UpdateHours changes an entry of the current year.
func (s *Service) UpdateHours(ctx context.Context, p auth.Principal, participantID, id string, in HoursInput) (HoursView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return HoursView{}, err
	}
	h, err := s.store.HoursEntry(ctx, participantID, id)
	if err != nil {
		return HoursView{}, err
	}
	if old, _ := parseDay(h.Date); !openYear(old, s.today()) {
		return HoursView{}, errClosedYear()
	}
	if in.EmploymentID == "" {
		in.EmploymentID = h.EmploymentID
	}
	e, minutes, err := s.checkEntry(ctx, participantID, in)
	if err != nil {
		return HoursView{}, err
	}
	if err := s.checkDayTotal(ctx, participantID, in.Date, h.ID, minutes); err != nil {
		return HoursView{}, err
	}
	h.Date, h.EmploymentID, h.Minutes, h.UpdatedAt = in.Date, e.ID, minutes, s.now()
	if err := s.store.UpdateHours(ctx, h); err != nil {
		return HoursView{}, err
	}
	if err := s.afterIncomeChange(ctx, u, e, in.Date); err != nil {
		return HoursView{}, err
	}
	return hoursView(h), nil
}

// DeleteHours removes an entry of the current year.
func (s *Service) DeleteHours(ctx context.Context, p auth.Principal, participantID, id string) error {
	if _, err := s.participant(ctx, p, auth.ManageWork, participantID); err != nil {
		return err
	}
	h, err := s.store.HoursEntry(ctx, participantID, id)
	if err != nil {
		return err
	}
	if d, _ := parseDay(h.Date); !openYear(d, s.today()) {
		return errClosedYear()
	}
	return s.store.DeleteHours(ctx, participantID, id)
}

// WeekSummary sums one ISO week.
type WeekSummary struct {
	Week      string  `json:"week"` // ISO 8601, e.g. "2026-W07"
	From      string  `json:"from"` // its Monday
	Hours     float64 `json:"hours"`
	EarnedOre int64   `json:"earnedOre"` // hours × wage
	// AgreedHours is the agreed weekly hours of the employments worked that
	// week; OverAgreed is true when any of them got more than agreed.
	AgreedHours float64 `json:"agreedHours"`
	OverAgreed  bool    `json:"overAgreed"`
}

// MonthSummary sums one calendar month; a payslip replaces hours × wage for
// its employment and month.
type MonthSummary struct {
	Month       string  `json:"month"` // "YYYY-MM"
	Hours       float64 `json:"hours"`
	EarnedOre   int64   `json:"earnedOre"`
	FromPayslip bool    `json:"fromPayslip"`
}

// HoursReport is a participant's entries in a period with weekly and
// monthly sums.
type HoursReport struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Items  []HoursView    `json:"items"`
	Weeks  []WeekSummary  `json:"weeks"`
	Months []MonthSummary `json:"months"`
}

const maxReportDays = 366

// Hours lists entries dated from..to (default: this year so far) with
// weekly and monthly summaries.
func (s *Service) Hours(ctx context.Context, p auth.Principal, participantID, from, to string) (HoursReport, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return HoursReport{}, err
	}
	today := s.today()
	if from == "" {
		from = fmt.Sprintf("%04d-01-01", today.Year())
	}
	if to == "" {
		to = day(today)
	}
	var f apperr.Fields
	fd, okFrom := parseDay(from)
	if !okFrom {
		f.Add("from", "field.invalid_date", "Write the date as YYYY-MM-DD.")
	}
	td, okTo := parseDay(to)
	if !okTo {
		f.Add("to", "field.invalid_date", "Write the date as YYYY-MM-DD.")
	}
	if okFrom && okTo && (td.Before(fd) || td.Sub(fd) >= maxReportDays*24*time.Hour) {
		f.Add("to", "hours.range", "Choose a period of at most 366 days, ending after it starts.")
	}
	if err := f.Err(); err != nil {
		return HoursReport{}, err
	}
	entries, err := s.store.Hours(ctx, participantID, from, to)
	if err != nil {
		return HoursReport{}, err
	}
	slips, err := s.store.Payslips(ctx, participantID, from[:7], to[:7])
	if err != nil {
		return HoursReport{}, err
	}
	emps, err := s.employmentsByID(ctx, participantID)
	if err != nil {
		return HoursReport{}, err
	}
	r := HoursReport{From: from, To: to, Items: make([]HoursView, len(entries))}
	for i, h := range entries {
		r.Items[i] = hoursView(h)
	}
	r.Weeks = weekSummaries(entries, emps)
	r.Months = monthSummaries(entries, slips, emps)
	return r, nil
}

func (s *Service) employmentsByID(ctx context.Context, participantID string) (map[string]models.Employment, error) {
	list, err := s.employments(ctx, participantID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]models.Employment, len(list))
	for _, e := range list {
		out[e.ID] = e
	}
	return out, nil
}

func isoWeek(date string) (key, monday string) {
	d, _ := parseDay(date)
	y, w := d.ISOWeek()
	back := (int(d.Weekday()) + 6) % 7 // days since Monday
	return fmt.Sprintf("%04d-W%02d", y, w), day(d.AddDate(0, 0, -back))
}

func weekSummaries(entries []models.HoursEntry, emps map[string]models.Employment) []WeekSummary {
	type acc struct {
		sum   WeekSummary
		byEmp map[string]int
	}
	weeks := map[string]*acc{}
	var order []string
	for _, h := range entries {
		k, monday := isoWeek(h.Date)
		a := weeks[k]
		if a == nil {
			a = &acc{sum: WeekSummary{Week: k, From: monday}, byEmp: map[string]int{}}
			weeks[k] = a
			order = append(order, k)
		}
		a.byEmp[h.EmploymentID] += h.Minutes
		a.sum.EarnedOre += earnedOre(h.Minutes, emps[h.EmploymentID].HourlyWageOre)
	}
	slices.Sort(order)
	out := make([]WeekSummary, 0, len(order))
	for _, k := range order {
		a := weeks[k]
		total, agreed := 0, 0
		for id, m := range a.byEmp {
			total += m
			e := emps[id]
			agreed += e.WeeklyMinutes
			if e.WeeklyMinutes > 0 && m > e.WeeklyMinutes {
				a.sum.OverAgreed = true
			}
		}
		a.sum.Hours, a.sum.AgreedHours = hoursOf(total), hoursOf(agreed)
		out = append(out, a.sum)
	}
	return out
}

// monthTotals sums, per month, the minutes and øre earned; a payslip for an
// employment and month replaces that employment's entries in the month.
// Only employments for which keep returns true count.
func monthTotals(entries []models.HoursEntry, slips []models.Payslip, emps map[string]models.Employment,
	keep func(models.Employment) bool) map[string]*MonthSummary {
	months := map[string]*MonthSummary{}
	at := func(m string) *MonthSummary {
		if months[m] == nil {
			months[m] = &MonthSummary{Month: m}
		}
		return months[m]
	}
	slipped := map[string]bool{}
	minutes := map[string]int{}
	for _, p := range slips {
		if !keep(emps[p.EmploymentID]) {
			continue
		}
		slipped[p.EmploymentID+"/"+p.Month] = true
		m := at(p.Month)
		m.EarnedOre += p.GrossOre
		minutes[p.Month] += p.Minutes
		m.FromPayslip = true
	}
	for _, h := range entries {
		month := h.Date[:7]
		if slipped[h.EmploymentID+"/"+month] || !keep(emps[h.EmploymentID]) {
			continue
		}
		m := at(month)
		m.EarnedOre += earnedOre(h.Minutes, emps[h.EmploymentID].HourlyWageOre)
		minutes[month] += h.Minutes
	}
	for k, m := range months {
		m.Hours = hoursOf(minutes[k])
	}
	return months
}

func monthSummaries(entries []models.HoursEntry, slips []models.Payslip, emps map[string]models.Employment) []MonthSummary {
	months := monthTotals(entries, slips, emps, func(models.Employment) bool { return true })
	keys := make([]string, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]MonthSummary, len(keys))
	for i, k := range keys {
		out[i] = *months[k]
	}
	return out
}

// PayslipInput is one month's payslip for one employment.
type PayslipInput struct {
	EmploymentID string
	Month        string // "YYYY-MM"
	GrossOre     int64
	Hours        float64
}

// PayslipView is a payslip with its hours as a decimal number; Replaced
// tells whether it corrected an earlier payslip for the same month.
type PayslipView struct {
	models.Payslip
	Hours    float64 `json:"hours"`
	Replaced bool    `json:"replaced"`
}

const (
	maxMonthGrossOre = 10_000_000_00 // 10 mio. kr
	maxMonthMinutes  = 31 * 24 * 60
)

// RecordPayslip stores a month's payslip for an employment; a second one
// for the same month corrects the first.
func (s *Service) RecordPayslip(ctx context.Context, p auth.Principal, participantID string, in PayslipInput) (PayslipView, error) {
	u, err := s.participant(ctx, p, auth.ManageWork, participantID)
	if err != nil {
		return PayslipView{}, err
	}
	var f apperr.Fields
	month, errMonth := time.Parse("2006-01", in.Month)
	if errMonth != nil {
		f.Add("month", "payslip.month", "Write the month as YYYY-MM.")
	}
	if in.GrossOre < 0 || in.GrossOre > maxMonthGrossOre {
		f.Add("grossOre", "payslip.gross", "Enter the gross pay in øre, from 0 to 1000000000.")
	}
	minutes, ok := minutesOf(in.Hours)
	if !ok || minutes > maxMonthMinutes {
		f.Add("hours", "payslip.hours", "Use 0 to 744 hours in quarter hours.")
	}
	if in.EmploymentID == "" {
		f.Add("employmentId", "field.required", "This field is required.")
	}
	if err := f.Err(); err != nil {
		return PayslipView{}, err
	}
	today := s.today()
	if month.After(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		return PayslipView{}, rule("payslip.future_month", "A payslip can be entered once its month has begun.")
	}
	e, err := s.employment(ctx, participantID, in.EmploymentID)
	if err != nil {
		return PayslipView{}, err
	}
	first, last := in.Month+"-01", day(month.AddDate(0, 1, -1))
	if e.StartDate > last || (e.EndDate != "" && e.EndDate < first) {
		return PayslipView{}, rule("payslip.outside_employment", "The month is outside this employment's period.")
	}
	if e.Type == models.EmploymentInternship && in.GrossOre > 0 {
		return PayslipView{}, rule("payslip.internship", "An internship is unpaid, so it has no pay to enter.")
	}
	ps := models.Payslip{ID: e.ID + "-" + in.Month, ParticipantID: participantID, EmploymentID: e.ID, Month: in.Month,
		GrossOre: in.GrossOre, Minutes: minutes, ByRole: p.Role, ReceivedAt: s.now()}
	replaced, err := s.store.PutPayslip(ctx, ps)
	if err != nil {
		return PayslipView{}, err
	}
	if err := s.afterIncomeChange(ctx, u, e, last); err != nil {
		return PayslipView{}, err
	}
	return PayslipView{Payslip: ps, Hours: hoursOf(minutes), Replaced: replaced}, nil
}

// Payslips lists a participant's payslips of one year (0: this year).
func (s *Service) Payslips(ctx context.Context, p auth.Principal, participantID string, year int) ([]PayslipView, error) {
	if _, err := s.participant(ctx, p, auth.ReadWork, participantID); err != nil {
		return nil, err
	}
	if year == 0 {
		year = s.today().Year()
	}
	list, err := s.store.Payslips(ctx, participantID, fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-12", year))
	if err != nil {
		return nil, err
	}
	out := make([]PayslipView, len(list))
	for i, ps := range list {
		out[i] = PayslipView{Payslip: ps, Hours: hoursOf(ps.Minutes)}
	}
	return out, nil
}

// afterIncomeChange raises the gentle events that new hours or pay may
// call for: hours above the agreed weekly hours, and the pension estimate
// crossing 80 % or 100 % of the threshold. Each at most once (dedupe keys).
func (s *Service) afterIncomeChange(ctx context.Context, u models.User, e models.Employment, date string) error {
	if e.WeeklyMinutes > 0 {
		week, monday := isoWeek(date)
		mon, _ := parseDay(monday)
		entries, err := s.store.Hours(ctx, u.ID, monday, day(mon.AddDate(0, 0, 6)))
		if err != nil {
			return err
		}
		total := 0
		for _, h := range entries {
			if h.EmploymentID == e.ID {
				total += h.Minutes
			}
		}
		if total > e.WeeklyMinutes {
			if err := s.store.RecordEvent(ctx, s.event("hours.over_agreed/"+e.ID+"/"+week, "hours.over_agreed", u.ID,
				map[string]any{"employmentId": e.ID, "week": week, "hours": hoursOf(total), "agreedHours": hoursOf(e.WeeklyMinutes)})); err != nil {
				return err
			}
		}
	}
	return s.checkThresholds(ctx, u)
}
