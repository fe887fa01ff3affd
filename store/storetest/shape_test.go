package storetest

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/store"
)

func TestShape(t *testing.T) {
	declared := map[string][]store.Index{
		"hours": {{Keys: []string{"participantId", "date", "_id"}}},
		"codes": {{Keys: []string{"codeHash"}, Unique: true}},
	}
	find := func(col string, body bson.D) Command {
		raw, err := bson.Marshal(append(bson.D{{Key: "find", Value: col}}, body...))
		if err != nil {
			t.Fatal(err)
		}
		return Command{Name: "find", Collection: col, Body: raw}
	}
	eq := bson.D{{Key: "participantId", Value: "p"}}
	for _, tc := range []struct {
		name string
		cmd  Command
		want string // the rules broken, joined by " "
	}{
		{"equality, sort and range in index order", find("hours", bson.D{
			{Key: "filter", Value: bson.D{{Key: "participantId", Value: "p"}, {Key: "date", Value: bson.D{{Key: "$gte", Value: "2026-01-01"}}}}},
			{Key: "sort", Value: bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}}, {Key: "limit", Value: 50}}), ""},
		{"no limit", find("hours", bson.D{{Key: "filter", Value: eq}}), "bound"},
		{"a sort the index does not hold", find("hours", bson.D{{Key: "filter", Value: eq},
			{Key: "sort", Value: bson.D{{Key: "hours", Value: 1}}}, {Key: "limit", Value: 5}}), "index"},
		{"a field no index leads with", find("hours", bson.D{{Key: "filter", Value: bson.D{{Key: "date", Value: "2026-01-01"}}}, {Key: "limit", Value: 5}}), "index"},
		{"a unique key needs no limit", find("codes", bson.D{{Key: "filter", Value: bson.D{{Key: "codeHash", Value: "x"}}}}), ""},
		{"_id by $in needs no limit", find("codes", bson.D{{Key: "filter", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}}}}), ""},
		{"a unique key by $in of many is no bound", find("codes", bson.D{{Key: "filter", Value: bson.D{{Key: "codeHash", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}}}}), "bound"},
		{"an unanchored regex", find("hours", bson.D{{Key: "filter", Value: bson.D{{Key: "participantId", Value: bson.Regex{Pattern: "p"}}}}, {Key: "limit", Value: 5}}), "regex index"},
		{"an anchored regex is a range", find("hours", bson.D{{Key: "filter", Value: bson.D{{Key: "participantId", Value: bson.Regex{Pattern: "^p"}}}}, {Key: "limit", Value: 5}}), ""},
		{"whole collection", find("hours", bson.D{{Key: "filter", Value: bson.D{}}}), "index bound"},
		{"an $or branch without an index", find("hours", bson.D{{Key: "filter", Value: bson.D{{Key: "$or", Value: bson.A{eq, bson.D{{Key: "date", Value: "x"}}}}}}, {Key: "limit", Value: 5}}), "index"},
		{"$where", find("hours", bson.D{{Key: "filter", Value: bson.D{{Key: "participantId", Value: "p"}, {Key: "$where", Value: "1"}}}, {Key: "limit", Value: 5}}), "operator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rules []string
			for _, p := range Shape(tc.cmd, declared) {
				rules = append(rules, p.Rule)
			}
			if got := strings.Join(rules, " "); got != tc.want {
				t.Errorf("rules broken: %q, want %q", got, tc.want)
			}
		})
	}
}
