package stats

import (
	"context"
	"strconv"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
)

// RetentionQuery asks for the retention coefficient at Date ("" = today)
// and its yearly series FromYear..ToYear (0 = the first year with data /
// this year).
type RetentionQuery struct {
	Date             string
	FromYear, ToYear int
}

// Retention is the retention coefficient (fastholdelseskoefficient) at a
// date, by department and overall, with a yearly series and Jobbanken's
// own earlier figures for comparison.
type Retention struct {
	Date        string             `json:"date"`
	Method      string             `json:"method"` // how it is computed, in the caller's language (filled by the HTTP layer)
	Overall     Figure             `json:"overall"`
	Departments []DepartmentFigure `json:"departments"`
	Series      []YearFigure       `json:"series"`
	Reference   Reference          `json:"reference"`
}

// YearFigure is the coefficient on one day of the series: 31 December, or
// today in the current year.
type YearFigure struct {
	Year int    `json:"year"`
	Date string `json:"date"`
	Figure
}

// Reference is a published series management is used to.
type Reference struct {
	Source string          `json:"source"`
	Note   string          `json:"note"` // how it differs from ours (filled by the HTTP layer)
	Series []ReferenceYear `json:"series"`
}

// ReferenceYear is one year of a reference series.
type ReferenceYear struct {
	Year    int     `json:"year"`
	Value   float64 `json:"value"`
	Display string  `json:"display"`
}

// JobbankenReference is Jobbanken's own retention coefficient 2016–2019,
// as reported (report 001 §5; BRIEF "Measures management uses").
var JobbankenReference = Reference{
	Source: "Jobbanken, rapport 001 §5",
	Series: []ReferenceYear{
		{Year: 2016, Value: 33.6, Display: Percent(33.6)},
		{Year: 2017, Value: 36.3, Display: Percent(36.3)},
		{Year: 2018, Value: 39.1, Display: Percent(39.1)},
		{Year: 2019, Value: 40.6, Display: Percent(40.6)},
	},
}

// coefficient counts, among the consented courses affiliated on day, those
// in paid work (ordinary, wage subsidy or flexjob; not internships).
func coefficient(cs []course, day string) *tally {
	t := newTally()
	for i, c := range cs {
		if !c.affiliated(day) {
			continue
		}
		t.add(c.dept, b2i(c.working(day, true)), 1, courseKey(i))
	}
	return t
}

// RetentionCoefficient computes the coefficient at q.Date and the series.
// Admins only (Forbidden otherwise); a date after today, a year after this
// year or from after to is Invalid.
func (s *Service) RetentionCoefficient(ctx context.Context, p auth.Principal, q RetentionQuery) (Retention, error) {
	if err := auth.Require(p.Role, auth.ReadStatistics); err != nil {
		return Retention{}, err
	}
	today := s.today()
	var f apperr.Fields
	day := s.checkDate(&f, "date", q.Date, today)
	thisYear, _ := strconv.Atoi(today[:4])
	to := q.ToYear
	if to == 0 {
		to = thisYear
	}
	if to > thisYear {
		f.Add("to", "statistics.future_year", "Choose this year or an earlier one.")
	}
	if q.FromYear != 0 && q.FromYear > to {
		f.Add("from", "statistics.year_order", "The first year must not come after the last.")
	}
	if err := f.Err(); err != nil {
		return Retention{}, err
	}
	w, err := s.load(ctx)
	if err != nil {
		return Retention{}, err
	}
	from := q.FromYear
	if from == 0 {
		from = to
		for _, c := range w.courses {
			if y, err := strconv.Atoi(c.start[:min(4, len(c.start))]); err == nil && y < from {
				from = y
			}
		}
	}
	t := coefficient(w.courses, day)
	overall, departments := w.figures(t, Share)
	out := Retention{
		Date:        day,
		Overall:     overall,
		Departments: departments,
		Series:      []YearFigure{},
		Reference:   JobbankenReference,
	}
	for y := from; y <= to; y++ {
		d := strconv.Itoa(y) + "-12-31"
		if y == thisYear {
			d = today
		}
		yt := coefficient(w.courses, d)
		out.Series = append(out.Series, YearFigure{Year: y, Date: d, Figure: yt.overall.figure(Share)})
	}
	return out, nil
}

// checkDate returns the figures' day: given ("2006-01-02", already checked
// for form) or today; a day after today is noted in f.
func (s *Service) checkDate(f *apperr.Fields, field, given, today string) string {
	if given == "" {
		return today
	}
	if given > today {
		f.Add(field, "statistics.future_date", "Choose today or an earlier day.")
	}
	return given
}
