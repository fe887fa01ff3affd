package stats

import (
	"fmt"
	"slices"
	"testing"
)

// grp is a department's records for a hand-made tally: n records (each its
// own participant unless people says fewer), num of them counted.
type grp struct {
	dept           string
	num, n, people int
}

func tallyOf(groups ...grp) *tally {
	t := newTally()
	for gi, g := range groups {
		people := g.people
		if people == 0 {
			people = g.n
		}
		for i := range g.n {
			who := fmt.Sprintf("%s-%d-%d", g.dept, gi, i%people)
			t.add(g.dept, b2i(i < g.num), 1, who)
		}
	}
	return t
}

// hidden lists which of depts publish suppresses ("" first when the
// overall is).
func hidden(t *tally, u Unit, depts []string) []string {
	overall, figs := t.publish(u, depts)
	var out []string
	if overall.Suppressed {
		out = append(out, "")
	}
	for i, f := range figs {
		if f.Suppressed {
			out = append(out, depts[i])
		}
	}
	return out
}

// The complementary suppression rule (README "Statistics"): overall minus
// the shown departments must be empty or itself a figure NewFigure shows.
func TestComplementarySuppression(t *testing.T) {
	abcd := []string{"a", "b", "c", "d"}
	tests := []struct {
		name   string
		unit   Unit
		t      *tally
		depts  []string
		hidden []string
	}{
		{name: "one small department hides the next smallest too", unit: Share,
			t: tallyOf(grp{"a", 1, 3, 0}, grp{"b", 4, 10, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 30, 0}), depts: abcd, hidden: []string{"a", "b"}},
		{name: "nothing small, nothing hidden", unit: Share,
			t: tallyOf(grp{"a", 1, 5, 0}, grp{"b", 4, 10, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 30, 0}), depts: abcd, hidden: nil},
		{name: "an empty department is hidden alone (overall minus the rest is 0, no one)", unit: Share,
			t: tallyOf(grp{"b", 4, 10, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 30, 0}), depts: abcd, hidden: []string{"a"}},
		{name: "two small departments of 2 and 2 (4 together) hide one more", unit: Share,
			t: tallyOf(grp{"a", 1, 2, 0}, grp{"b", 1, 2, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 8, 0}), depts: abcd, hidden: []string{"a", "b", "d"}},
		{name: "two small departments of 3 and 3 (6 together) hide no more", unit: Share,
			t: tallyOf(grp{"a", 1, 3, 0}, grp{"b", 1, 3, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 8, 0}), depts: abcd, hidden: []string{"a", "b"}},
		{name: "records outside the listed departments count as hidden", unit: Share,
			t: tallyOf(grp{"", 1, 2, 0}, grp{"b", 4, 10, 0}, grp{"c", 5, 20, 0}, grp{"d", 9, 30, 0}), depts: []string{"b", "c", "d"}, hidden: []string{"b"}},
		{name: "a base of employments resting on 3 participants is still small", unit: Share,
			t: tallyOf(grp{"a", 2, 6, 3}, grp{"b", 4, 10, 0}, grp{"c", 5, 20, 0}), depts: []string{"a", "b", "c"}, hidden: []string{"a", "b"}},
		{name: "a hidden count of 3 among many needs the residual count to reach 5", unit: Count,
			// a: 3 of 30 (hidden: a count of 1-4); hiding b (0 of 6) leaves a
			// residual count of 3, so c goes too; the residual is then the overall.
			t: tallyOf(grp{"a", 3, 30, 0}, grp{"b", 0, 6, 0}, grp{"c", 10, 40, 0}), depts: []string{"a", "b", "c"}, hidden: []string{"a", "b", "c"}},
		{name: "a hidden count with a residual count of 5 or more stops", unit: Count,
			t: tallyOf(grp{"a", 3, 30, 0}, grp{"b", 6, 6, 0}, grp{"c", 10, 40, 0}), depts: []string{"a", "b", "c"}, hidden: []string{"a", "b"}},
		{name: "equal bases: the department listed first goes", unit: Share,
			t: tallyOf(grp{"a", 1, 3, 0}, grp{"b", 4, 10, 0}, grp{"c", 5, 10, 0}), depts: []string{"a", "b", "c"}, hidden: []string{"a", "b"}},
		{name: "a suppressed overall leaves the departments as they are", unit: Share,
			t: tallyOf(grp{"a", 1, 2, 0}, grp{"b", 1, 1, 0}), depts: []string{"a", "b"}, hidden: []string{"", "a", "b"}},
		{name: "people: one small department hides the next smallest", unit: People,
			t: tallyOf(grp{"a", 0, 2, 0}, grp{"b", 0, 7, 0}, grp{"c", 0, 9, 0}), depts: []string{"a", "b", "c"}, hidden: []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hidden(tt.t, tt.unit, tt.depts)
			if !slices.Equal(got, tt.hidden) {
				t.Errorf("hidden %q, want %q", got, tt.hidden)
			}
			overall, figs := tt.t.publish(tt.unit, tt.depts)
			if overall.Suppressed {
				return
			}
			// What subtraction gives is never a group of 1 to 4.
			rest := *overall.N
			for _, f := range figs {
				if !f.Suppressed {
					rest -= *f.N
				}
			}
			if rest > 0 && rest < MinCell {
				t.Errorf("overall n minus the shown departments = %d", rest)
			}
		})
	}
}
