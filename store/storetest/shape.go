package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/jobbanken/jobkunde/store"
)

// Command is one database command as the driver's monitor saw it.
type Command struct {
	Name       string   // find, aggregate, update, …
	Collection string   // "" for commands on the database (ping, …)
	Body       bson.Raw // the command document
	Returned   int      // documents in the reply (a count's n included)
	Failed     bool
}

// Recorder is a command monitor that keeps, for every request, the commands
// sent on its behalf. key tells from a command's context which request sent
// it ("" for work outside a request, which is not kept).
type Recorder struct {
	key func(context.Context) string

	mu      sync.Mutex
	pending map[int64]pending // by the driver's request ID, until the reply
	byKey   map[string][]Command
}

type pending struct {
	key string
	cmd Command
}

// NewRecorder returns a Recorder that files commands under key(ctx).
func NewRecorder(key func(context.Context) string) *Recorder {
	return &Recorder{key: key, pending: map[int64]pending{}, byKey: map[string][]Command{}}
}

// Monitor is the command monitor to hand to the driver.
func (r *Recorder) Monitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Started: func(ctx context.Context, e *event.CommandStartedEvent) {
			k := r.key(ctx)
			if k == "" {
				return
			}
			c := Command{Name: e.CommandName, Body: slices.Clone(e.Command)}
			if v, ok := e.Command.Lookup(e.CommandName).StringValueOK(); ok {
				c.Collection = v
			}
			r.mu.Lock()
			r.pending[e.RequestID] = pending{key: k, cmd: c}
			r.mu.Unlock()
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			r.finish(e.RequestID, returned(e.Reply), false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			r.finish(e.RequestID, 0, true)
		},
	}
}

func (r *Recorder) finish(id int64, n int, failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.pending[id]
	if !ok {
		return
	}
	delete(r.pending, id)
	p.cmd.Returned, p.cmd.Failed = n, failed
	r.byKey[p.key] = append(r.byKey[p.key], p.cmd)
}

// Take returns and forgets the commands filed under key.
func (r *Recorder) Take(key string) []Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.byKey[key]
	delete(r.byKey, key)
	return out
}

// returned counts the documents in a reply: a cursor's batch, or a count.
func returned(reply bson.Raw) int {
	if cur, ok := reply.Lookup("cursor").DocumentOK(); ok {
		for _, batch := range []string{"firstBatch", "nextBatch"} {
			if a, ok := cur.Lookup(batch).ArrayOK(); ok {
				vals, _ := a.Values()
				return len(vals)
			}
		}
	}
	if v, ok := reply.Lookup("value").DocumentOK(); ok && len(v) > 0 { // findAndModify
		return 1
	}
	return 0
}

// A Problem is one way a command breaks the query-shape rules.
type Problem struct {
	Rule string // "index": no declared index serves it; "bound": a read without a bound; "regex": an unanchored $regex; "operator": an operator no index serves
	Text string
}

func (p Problem) String() string { return p.Rule + ": " + p.Text }

// Shape checks one command against the declared indexes (store.Declared-
// Indexes) and returns what is wrong with it, if anything:
//   - a read, update or delete whose filter no declared index serves: the
//     index's leading fields must be the filter's equality fields, then the
//     sort's fields (if any), then at most one range field, and at least one
//     field must be used; every branch of an $or must be served;
//   - an unanchored $regex;
//   - a read (find, aggregate, count, distinct) without a bound: a limit,
//     or equality on every field of a unique index (_id included).
func Shape(c Command, declared map[string][]store.Index) []Problem {
	ixs := append([]store.Index{store.IDIndex}, declared[c.Collection]...)
	var filter, sort bson.Raw
	var limited, read bool
	switch c.Name {
	case "find":
		read = true
		filter, _ = c.Body.Lookup("filter").DocumentOK()
		sort, _ = c.Body.Lookup("sort").DocumentOK()
		limited = positive(c.Body.Lookup("limit"))
	case "count":
		read = true
		filter, _ = c.Body.Lookup("query").DocumentOK()
		limited = positive(c.Body.Lookup("limit"))
	case "distinct":
		read = true
		filter, _ = c.Body.Lookup("query").DocumentOK()
	case "aggregate":
		read = true
		stages, _ := c.Body.Lookup("pipeline").ArrayOK()
		vals, _ := stages.Values()
		for i, v := range vals {
			st, _ := v.DocumentOK()
			el, err := st.IndexErr(0)
			if err != nil {
				continue
			}
			switch el.Key() {
			case "$match":
				if i == 0 {
					filter, _ = el.Value().DocumentOK()
				}
			case "$sort":
				if i <= 1 && sort == nil {
					sort, _ = el.Value().DocumentOK()
				}
			case "$limit":
				limited = true
			}
		}
	case "findAndModify":
		filter, _ = c.Body.Lookup("query").DocumentOK()
		sort, _ = c.Body.Lookup("sort").DocumentOK()
	case "update", "delete":
		field, q := "updates", "q"
		if c.Name == "delete" {
			field = "deletes"
		}
		arr, _ := c.Body.Lookup(field).ArrayOK()
		vals, _ := arr.Values()
		var out []Problem
		for _, v := range vals {
			d, _ := v.DocumentOK()
			f, _ := d.Lookup(q).DocumentOK()
			out = append(out, served(c, f, nil, ixs)...)
		}
		return out
	default:
		return nil // inserts, getMore, ping, index and admin commands
	}
	if len(filter) <= 5 && len(sort) <= 5 && limited && c.Name == "find" {
		return nil // no filter, no order: the first documents found, up to the limit
	}
	out := served(c, filter, sort, ixs)
	if read && !limited && !unique(parseFilter(filter), ixs) {
		out = append(out, Problem{"bound", fmt.Sprintf("%s on %s has no bound (no limit, no unique key): %s", c.Name, c.Collection, c.Body)})
	}
	return out
}

func positive(v bson.RawValue) bool {
	switch v.Type {
	case bson.TypeInt32:
		return v.Int32() > 0
	case bson.TypeInt64:
		return v.Int64() > 0
	case bson.TypeDouble:
		return v.Double() > 0
	}
	return false
}

// terms is a filter taken apart: fields compared for equality (or $in), fields
// compared by range, $or branches, and anything no index can serve.
type terms struct {
	eq, rng   []string
	or        []terms
	problems  []Problem
	uniqueEqs []string // equality on one value (not $in of many)
}

func parseFilter(f bson.Raw) terms {
	var t terms
	els, _ := f.Elements()
	for _, el := range els {
		k, v := el.Key(), el.Value()
		switch k {
		case "$and":
			arr, _ := v.ArrayOK()
			vals, _ := arr.Values()
			for _, sub := range vals {
				d, _ := sub.DocumentOK()
				st := parseFilter(d)
				t.eq, t.rng, t.uniqueEqs = append(t.eq, st.eq...), append(t.rng, st.rng...), append(t.uniqueEqs, st.uniqueEqs...)
				t.or, t.problems = append(t.or, st.or...), append(t.problems, st.problems...)
			}
			continue
		case "$or":
			arr, _ := v.ArrayOK()
			vals, _ := arr.Values()
			for _, sub := range vals {
				d, _ := sub.DocumentOK()
				t.or = append(t.or, parseFilter(d))
			}
			continue
		}
		if strings.HasPrefix(k, "$") {
			t.problems = append(t.problems, Problem{"operator", "operator " + k + " cannot use an index"})
			continue
		}
		if v.Type == bson.TypeRegex {
			pattern, _ := v.Regex()
			t.classifyRegex(k, pattern)
			continue
		}
		d, isDoc := v.DocumentOK()
		if !isDoc || !isOperatorDoc(d) {
			t.eq, t.uniqueEqs = append(t.eq, k), append(t.uniqueEqs, k)
			continue
		}
		ops, _ := d.Elements()
		kind := ""
		for _, op := range ops {
			switch op.Key() {
			case "$eq":
				kind = "eq"
				t.uniqueEqs = append(t.uniqueEqs, k)
			case "$in":
				if kind == "" {
					kind = "in"
				}
				if arr, ok := op.Value().ArrayOK(); ok {
					if vals, _ := arr.Values(); len(vals) == 1 {
						t.uniqueEqs = append(t.uniqueEqs, k)
					}
				}
			case "$gt", "$gte", "$lt", "$lte":
				if kind == "" {
					kind = "rng"
				}
			case "$regex":
				pattern, _ := op.Value().StringValueOK()
				t.classifyRegex(k, pattern)
			}
		}
		switch kind {
		case "eq", "in":
			t.eq = append(t.eq, k)
		case "rng":
			t.rng = append(t.rng, k)
		}
	}
	return t
}

func (t *terms) classifyRegex(field, pattern string) {
	if !strings.HasPrefix(pattern, "^") {
		t.problems = append(t.problems, Problem{"regex", "unanchored $regex on " + field})
		return
	}
	t.rng = append(t.rng, field) // an anchored prefix is a range scan
}

func isOperatorDoc(d bson.Raw) bool {
	el, err := d.IndexErr(0)
	return err == nil && strings.HasPrefix(el.Key(), "$")
}

// served reports why no index serves filter and sort, or nothing.
func served(c Command, filter, sort bson.Raw, ixs []store.Index) []Problem {
	t := parseFilter(filter)
	var sortKeys []string
	els, _ := sort.Elements()
	for _, el := range els {
		sortKeys = append(sortKeys, el.Key())
	}
	out := slices.Clone(t.problems)
	for i := range out {
		out[i].Text = fmt.Sprintf("%s on %s: %s: %s", c.Name, c.Collection, out[i].Text, c.Body)
	}
	if len(t.or) > 0 && len(t.eq)+len(t.rng) == 0 {
		for _, branch := range t.or {
			if !usable(branch, sortKeys, ixs) {
				out = append(out, Problem{"index", fmt.Sprintf("%s on %s: an $or branch no declared index serves: %s", c.Name, c.Collection, c.Body)})
				break
			}
		}
		return out
	}
	if !usable(t, sortKeys, ixs) {
		out = append(out, Problem{"index", fmt.Sprintf("%s on %s: no declared index serves it (equality %v, sort %v, range %v): %s", c.Name, c.Collection, t.eq, sortKeys, t.rng, c.Body)})
	}
	return out
}

// usable reports whether some index serves t sorted by sortKeys: its
// leading fields are t's equality fields, then the sort fields, then at
// most one range field, and at least one field is used. A sort need not be
// served when the equality fields pin a unique index (one document).
func usable(t terms, sortKeys []string, ixs []store.Index) bool {
	if unique(t, ixs) {
		return true
	}
	for _, ix := range ixs {
		i := 0
		for i < len(ix.Keys) && slices.Contains(t.eq, ix.Keys[i]) {
			i++
		}
		if len(sortKeys) > 0 {
			rest := sortKeys
			for len(rest) > 0 && slices.Contains(t.eq, rest[0]) {
				rest = rest[1:] // sorting by a field pinned to one value
			}
			if len(rest) > 0 {
				if i+len(rest) > len(ix.Keys) || !slices.Equal(ix.Keys[i:i+len(rest)], rest) {
					continue
				}
				i += len(rest)
			}
		}
		if i < len(ix.Keys) && slices.Contains(t.rng, ix.Keys[i]) {
			i++
		}
		if i > 0 {
			return true
		}
	}
	return false
}

// unique reports whether t pins every field of a unique index to one value.
func unique(t terms, ixs []store.Index) bool {
	for _, ix := range ixs {
		if !ix.Unique {
			continue
		}
		all := true
		for _, k := range ix.Keys {
			if !slices.Contains(t.uniqueEqs, k) && !(k == "_id" && slices.Contains(t.eq, k)) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
