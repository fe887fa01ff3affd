package stats

import (
	"math"
	"strconv"
	"strings"
)

// MinCell is the smallest number of participants a shown figure may rest on.
const MinCell = 5

// Suppressed is how a hidden figure is shown.
const Suppressed = "< 5"

// Unit says what a figure counts.
type Unit int

// The units.
const (
	Share  Unit = iota // a percentage of a base, one decimal
	Count              // a number of participants (or seats)
	People             // (of a tally) the number of different participants counted
)

// Figure is one published number. When it rests on too few participants,
// Value and N are null and Display is "< 5": nothing about the real
// numbers is left in it.
type Figure struct {
	Value      *float64 `json:"value"`
	N          *int     `json:"n"` // the base the figure is computed from
	Suppressed bool     `json:"suppressed,omitempty"`
	Display    string   `json:"display"` // as reports show it: "36,3 %", "120", "< 5"
}

// NewFigure is the one small-cell rule. num is the count (of a share: its
// numerator), base what a share divides by (of a count: the participants
// it is counted among), people how many different participants the figure
// rests on (for most figures the base itself). A figure is suppressed when
// it rests on fewer than MinCell participants (none included), when its
// base is under MinCell, or when it is a count of 1 to 4.
func NewFigure(u Unit, num, base, people int) Figure {
	hide := people < MinCell || base < MinCell || (u == Count && num > 0 && num < MinCell)
	if hide {
		return Figure{Suppressed: true, Display: Suppressed}
	}
	n := base
	if u == Count {
		v := float64(num)
		return Figure{Value: &v, N: &n, Display: groupThousands(num)}
	}
	v := math.Round(1000*float64(num)/float64(base)) / 10
	return Figure{Value: &v, N: &n, Display: Percent(v)}
}

// Percent shows a percentage the Danish way: "36,3 %".
func Percent(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1) + " %"
}

// groupThousands writes n with Danish thousands separators: 1.234.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell counts one figure's parts while records are walked: the numerator,
// the base and the different participants (or courses) it rests on.
type cell struct {
	num, base int
	people    map[string]struct{}
}

// figure is the cell as a published figure; a People figure counts the
// different participants themselves.
func (c *cell) figure(u Unit) Figure {
	if c == nil {
		c = &cell{}
	}
	if u == People {
		n := len(c.people)
		return NewFigure(Count, n, n, n)
	}
	return NewFigure(u, c.num, c.base, len(c.people))
}

// tally keeps a cell per department and overall.
type tally struct {
	overall cell
	byDept  map[string]*cell
}

func newTally() *tally { return &tally{byDept: map[string]*cell{}} }

// add counts num and base into dept and overall, with the participants
// (or courses) who they rest on.
func (t *tally) add(dept string, num, base int, who ...string) {
	c := t.byDept[dept]
	if c == nil {
		c = &cell{}
		t.byDept[dept] = c
	}
	for _, x := range []*cell{c, &t.overall} {
		x.num += num
		x.base += base
		if x.people == nil {
			x.people = map[string]struct{}{}
		}
		for _, id := range who {
			x.people[id] = struct{}{}
		}
	}
}

// publish is the one complementary (secondary) suppression rule: it turns a
// tally into its overall figure and one figure per listed department (in
// the order of depts), each first through NewFigure, and then makes sure
// the hidden part cannot be recovered by subtraction.
//
// The residual is what "overall minus the shown departments" gives: the
// records of the hidden departments and of records outside the listed
// departments (num and base as published, for People the difference of the
// published counts), resting on the participants of those records. While
// the overall is shown and the residual is neither empty (nothing but
// empty cells hidden) nor a figure NewFigure would show itself, the shown
// department with the smallest base (then fewest participants, then list
// order) is suppressed as well; when no department is left to suppress,
// the overall is suppressed.
func (t *tally) publish(u Unit, depts []string) (Figure, []Figure) {
	overall := t.overall.figure(u)
	figs := make([]Figure, len(depts))
	shown := map[string]bool{}
	for i, id := range depts {
		figs[i] = t.byDept[id].figure(u)
		if !figs[i].Suppressed {
			shown[id] = true
		}
	}
	for !overall.Suppressed && !t.residualSafe(u, shown) {
		next := -1
		for i, id := range depts {
			if !shown[id] {
				continue
			}
			if next < 0 || t.smaller(u, id, depts[next]) {
				next = i
			}
		}
		if next < 0 {
			overall = Figure{Suppressed: true, Display: Suppressed}
			break
		}
		figs[next] = Figure{Suppressed: true, Display: Suppressed}
		delete(shown, depts[next])
	}
	return overall, figs
}

// published is a cell's num and base as its figure shows them (People:
// the number of different participants, both).
func (c *cell) published(u Unit) (num, base int) {
	if c == nil {
		return 0, 0
	}
	if u == People {
		return len(c.people), len(c.people)
	}
	return c.num, c.base
}

// smaller orders candidates for secondary suppression: smaller base first,
// then fewer participants.
func (t *tally) smaller(u Unit, a, b string) bool {
	_, ba := t.byDept[a].published(u)
	_, bb := t.byDept[b].published(u)
	if ba != bb {
		return ba < bb
	}
	return len(t.byDept[a].people) < len(t.byDept[b].people)
}

// residualSafe reports whether overall minus the shown departments is
// either empty or a figure NewFigure would show.
func (t *tally) residualSafe(u Unit, shown map[string]bool) bool {
	num, base := t.overall.published(u)
	people := map[string]struct{}{}
	for id, c := range t.byDept {
		if shown[id] {
			n, b := c.published(u)
			num -= n
			base -= b
			continue
		}
		for p := range c.people {
			people[p] = struct{}{}
		}
	}
	if num == 0 && base == 0 && len(people) == 0 {
		return true
	}
	if u == People {
		u = Count
	}
	return !NewFigure(u, num, base, len(people)).Suppressed
}
