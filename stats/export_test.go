package stats

import (
	"maps"
	"slices"
	"testing"
)

// The per-participant sheet's "Øvrige afdelinger": every department under
// 5 rows merged, and the smallest others folded in while the group holds 1
// to 4 rows.
func TestOtherDepartmentsGroup(t *testing.T) {
	w := world{deptNames: map[string]string{"a": "A", "b": "Zeta", "c": "Alpha", "d": "D"}}
	tests := []struct {
		name    string
		perDept map[string]int
		want    []string
	}{
		{name: "a small department alone takes the smallest other with it", perDept: map[string]int{"a": 3, "b": 12, "c": 20}, want: []string{"a", "b"}},
		{name: "small departments of 3 and 3 make a group of 6", perDept: map[string]int{"a": 3, "d": 3, "b": 12}, want: []string{"a", "d"}},
		{name: "2 and 2 make 4: the smallest other is folded in", perDept: map[string]int{"a": 2, "d": 2, "b": 12, "c": 30}, want: []string{"a", "b", "d"}},
		{name: "no small department, no group", perDept: map[string]int{"a": 5, "b": 12}, want: nil},
		{name: "equal sizes: by name", perDept: map[string]int{"a": 1, "b": 10, "c": 10}, want: []string{"a", "c"}},
		{name: "rows without a department are small too", perDept: map[string]int{"": 2, "b": 12, "c": 30}, want: []string{"", "b"}},
		{name: "everyone in one small department", perDept: map[string]int{"a": 3}, want: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(w.otherGroup(tt.perDept)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("merged %q, want %q", got, tt.want)
			}
		})
	}
}
