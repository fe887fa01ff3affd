package stats

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// The row sets of Export.
const (
	RowsFigures      = "figures"      // one row per figure and department (the default)
	RowsParticipants = "participants" // one pseudonymous row per consented participant
)

// OtherDepartments stands, in the per-participant sheet, for the merged
// group of every department with fewer than MinCell rows (see otherGroup),
// so its rows count no department of 1 to 4.
const OtherDepartments = "Øvrige afdelinger"

// labelsDa name the figures in the sheet.
var labelsDa = map[string]string{
	CodeRetention:       "Fastholdelseskoefficient",
	CodeLastingJobs:     "I varigt job (mindst 12 måneder)",
	CodeRetentionHiring: "Fastholdelse efter ansættelse",
	CodeFirstYearJob:    "Job inden for det første år",
	CodeParticipation:   "Deltagere i aktiviteter",
	CodeFillRate:        "Belægning",
	CodeNoShowRate:      "Udeblivelser",
	CodeCaseload:        "Sagsstamme",
	CodeReplyMedian:     "Svartid, median (minutter i kontortid)",
}

var levelsDa = map[string]string{
	LevelDesiredJob:   "i det ønskede job",
	LevelLabourMarket: "på arbejdsmarkedet",
	LevelProgramme:    "i forløbet",
}

var kindsDa = map[models.ActivityKind]string{models.KindSport: "Sport", models.KindNetwork: "Netværk", models.KindCourse: "Kursus"}

var typesDa = map[models.EmploymentType]string{
	models.EmploymentInternship:  "praktik",
	models.EmploymentWageSubsidy: "løntilskud",
	models.EmploymentOrdinary:    "ordinært job",
	models.EmploymentFlexjob:     "fleksjob",
}

var reasonsDa = map[models.LeaveReason]string{
	models.LeaveNoLongerWanted: "ønsker ikke længere støtte",
	models.LeaveFlexjob:        "fleksjob",
	models.LeaveOldAgePension:  "folkepension",
	models.LeavePoorMatch:      "passede ikke",
	models.LeaveNoConsent:      "samtykkede ikke",
	models.LeaveOther:          "andet",
}

// Export writes the figures of q as CSV (UTF-8 with a byte-order mark, as
// the roster), either one row per figure and department (rows
// RowsFigures or "") or one pseudonymous row per consented participant
// (RowsParticipants). Admins only; bad query values are Invalid.
func (s *Service) Export(ctx context.Context, p auth.Principal, q Query, rows string) ([]byte, error) {
	if err := auth.Require(p.Role, auth.ReadStatistics); err != nil {
		return nil, err
	}
	var f apperr.Fields
	win := s.checkQuery(&f, q)
	if rows != "" && rows != RowsFigures && rows != RowsParticipants {
		f.Add("rows", "statistics.rows", "Choose figures or participants.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	w, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	if rows == RowsParticipants {
		w.writeParticipants(cw)
	} else {
		rep, err := s.report(ctx, p, w, win)
		if err != nil {
			return nil, err
		}
		w.writeFigures(cw, rep)
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// writeFigures writes one row per figure and department; a suppressed
// figure has "< 5" and no base.
func (w world) writeFigures(cw *csv.Writer, rep Report) {
	_ = cw.Write([]string{"Tal", "Niveau", "Aktivitet", "Afdeling", "Vejleder", "Værdi", "Grundlag (n)", "Dato", "Periode"})
	period := rep.From + "–" + rep.To
	row := func(m Measure, dept, counselor string, fig Figure) {
		level := ""
		if m.Months > 0 {
			level = strconv.Itoa(m.Months) + " måneder, " + levelsDa[m.Level]
		}
		n := ""
		if fig.N != nil {
			n = strconv.Itoa(*fig.N)
		}
		_ = cw.Write([]string{labelsDa[m.Code], level, kindsDa[m.Kind], activity.SafeCell(dept), activity.SafeCell(counselor), fig.Display, n, rep.Date, period})
	}
	measures := append([]Measure{w.measure(Measure{Code: CodeRetention}, coefficient(w.courses, rep.Date), Share)}, rep.Measures...)
	for _, m := range measures {
		row(m, "Alle", "", m.Overall)
		for _, d := range m.Departments {
			row(m, d.Name, "", d.Figure)
		}
	}
	for _, c := range rep.Caseloads {
		row(Measure{Code: CodeCaseload}, w.deptNames[c.DepartmentID], c.Name, c.Figure)
	}
	minutes := func(r int, median *float64) Figure {
		if median == nil {
			return Figure{Display: "–"}
		}
		v := *median
		return Figure{Value: &v, N: &r, Display: strings.Replace(strconv.FormatFloat(v, 'f', 0, 64), ".", ",", 1)}
	}
	rt := rep.ReplyTimes
	row(Measure{Code: CodeReplyMedian}, "Alle", "", minutes(rt.Overall.Replies, rt.Overall.MedianMinutes))
	for _, d := range rt.Departments {
		row(Measure{Code: CodeReplyMedian}, w.deptNames[d.DepartmentID], "", minutes(d.Replies, d.MedianMinutes))
	}
}

// writeParticipants writes one row per consented course in random order,
// numbered with random numbers drawn for this export: department, dates,
// leaving reason and employments, nothing that names or reaches a person.
// The departments of otherGroup are shown as OtherDepartments.
func (w world) writeParticipants(cw *csv.Writer) {
	perDept := map[string]int{}
	for _, c := range w.courses {
		perDept[c.dept]++
	}
	other := w.otherGroup(perDept)
	_ = cw.Write([]string{"Nr.", "Afdeling", "Startdato", "Slutdato", "Udmeldelsesgrund", "Ansættelser"})
	order := rand.Perm(len(w.courses))
	used := map[int]bool{}
	for _, i := range order {
		c := w.courses[i]
		id := 0
		for id == 0 || used[id] {
			id = 100_000 + rand.IntN(900_000)
		}
		used[id] = true
		dept := w.deptNames[c.dept]
		if other[c.dept] {
			dept = OtherDepartments
		}
		jobs := make([]string, len(c.jobs))
		for k, j := range c.jobs {
			jobs[k] = typesDa[j.typ] + " " + j.start + "–" + j.end
		}
		_ = cw.Write([]string{strconv.Itoa(id), activity.SafeCell(dept), c.start, c.left, reasonsDa[c.reason], strings.Join(jobs, "; ")})
	}
}

// otherGroup picks the departments the per-participant sheet merges into
// OtherDepartments, from the rows per department: every department with
// fewer than MinCell rows, and while that group holds 1 to MinCell-1 rows,
// also the smallest remaining department (then by name and ID), until it
// holds MinCell or more rows or every row is in it.
func (w world) otherGroup(perDept map[string]int) map[string]bool {
	other := map[string]bool{}
	rows := 0
	var big []string
	for d, n := range perDept {
		if n < MinCell {
			other[d] = true
			rows += n
		} else {
			big = append(big, d)
		}
	}
	slices.SortFunc(big, func(a, b string) int {
		return cmp.Or(cmp.Compare(perDept[a], perDept[b]), strings.Compare(w.deptNames[a], w.deptNames[b]), strings.Compare(a, b))
	})
	for _, d := range big {
		if rows == 0 || rows >= MinCell {
			break
		}
		other[d] = true
		rows += perDept[d]
	}
	return other
}
