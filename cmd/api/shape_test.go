package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// The query-shape guarantees (issue 13, style principle 6), checked on every
// request any end-to-end test sends through testServer.do: each command is
// served by a declared index and bounded (storetest.Shape), the hot calls
// stay within their command budget, and no call returns more documents
// than its page plus a few.

// commandBudget is the most commands one request of a hot operation may
// send, the session check included.
var commandBudget = map[string]int{
	"getMe":             3,
	"listActivities":    3,
	"getActivity":       3,
	"listMyEnrollments": 3,
	"listMessages":      3,
	"getPensionStatus":  3,
	"listNotifications": 3,
	"listInbox":         5,
	"signUp":            5,
	"sendMessage":       5,
	"logHours":          5,
}

// extraDocuments is how many documents a call may read beyond its page: the
// signed-in user, their session, a summary or two.
const extraDocuments = 5

var declaredIndexes = store.DeclaredIndexes()

// shapeReport gathers, over the whole run, the most commands and documents
// any request of each operation took; TestMain writes it to the file named
// by JOBKUNDE_SHAPE_REPORT.
var shapeReport = struct {
	sync.Mutex
	ops  map[string]*opShape
	owed map[string]int // debts met, by key
}{ops: map[string]*opShape{}, owed: map[string]int{}}

type opShape struct {
	requests, maxCommands, maxReturned, totalCommands, totalReturned int
}

// checkShapes checks the commands one request sent.
func (s *testServer) checkShapes(op *openapi3.Operation, hr *http.Request, status int, cmds []storetest.Command) {
	s.t.Helper()
	name := hr.Method + " " + hr.URL.Path
	opID := name
	if op != nil {
		opID = op.OperationID
	}
	returned := 0
	for _, c := range cmds {
		returned += c.Returned
		for _, p := range storetest.Shape(c, declaredIndexes) {
			if owed(opID + " " + c.Name + " " + c.Collection + " " + p.Rule) {
				continue
			}
			s.t.Errorf("%s (%s): %s", name, opID, p)
		}
	}
	recordShape(opID, len(cmds), returned)
	if status >= 300 {
		return // an error may stop early; budgets are for answers
	}
	limit, ok := commandBudget[opID]
	if owedLimit, owes := budgetDebt[opID]; owes {
		limit = owedLimit
	}
	if ok && len(cmds) > limit {
		s.t.Errorf("%s (%s): %d commands, budget %d:\n%s", name, opID, len(cmds), limit, listCommands(cmds))
	}
	page := pageSize(op, hr)
	allowed := page + extraDocuments
	if owedDocs, owes := documentDebt[opID]; owes {
		allowed = max(allowed, owedDocs)
	}
	if page > 0 && returned > allowed {
		s.t.Errorf("%s (%s): %d documents read for a page of %d:\n%s", name, opID, returned, page, listCommands(cmds))
	}
}

// pageSize is the page a list request asked for (its limit, or the
// operation's default limit), or 0 for an operation that takes no limit.
func pageSize(op *openapi3.Operation, hr *http.Request) int {
	if op == nil {
		return 0
	}
	p := op.Parameters.GetByInAndName("query", "limit")
	if p == nil {
		return 0
	}
	if v, err := strconv.Atoi(hr.URL.Query().Get("limit")); err == nil && v > 0 {
		return v
	}
	if p.Schema != nil && p.Schema.Value != nil {
		if d, ok := p.Schema.Value.Default.(float64); ok {
			return int(d)
		}
	}
	return 0
}

func listCommands(cmds []storetest.Command) string {
	var b strings.Builder
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %s %s → %d: %.300s\n", c.Name, c.Collection, c.Returned, c.Body.String())
	}
	return b.String()
}

func recordShape(opID string, commands, returned int) {
	shapeReport.Lock()
	defer shapeReport.Unlock()
	o := shapeReport.ops[opID]
	if o == nil {
		o = &opShape{}
		shapeReport.ops[opID] = o
	}
	o.requests++
	o.totalCommands += commands
	o.totalReturned += returned
	o.maxCommands = max(o.maxCommands, commands)
	o.maxReturned = max(o.maxReturned, returned)
}

// writeShapeReport writes the run's figures per operation to the file
// JOBKUNDE_SHAPE_REPORT names, if any.
func writeShapeReport() error {
	path := os.Getenv("JOBKUNDE_SHAPE_REPORT")
	if path == "" {
		return nil
	}
	shapeReport.Lock()
	defer shapeReport.Unlock()
	names := make([]string, 0, len(shapeReport.ops))
	for n := range shapeReport.ops {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintln(&b, "operation\trequests\tmax commands\tmean commands\tmax documents\tmean documents")
	for _, n := range names {
		o := shapeReport.ops[n]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%.1f\t%d\t%.1f\n", n, o.requests, o.maxCommands,
			float64(o.totalCommands)/float64(o.requests), o.maxReturned, float64(o.totalReturned)/float64(o.requests))
	}
	// Debts no request of this run met: repaid (delete them), or met only
	// by tests this run skipped.
	var unmet []string
	for k := range shapeDebt {
		if shapeReport.owed[k] == 0 {
			unmet = append(unmet, k)
		}
	}
	slices.Sort(unmet)
	for _, k := range unmet {
		fmt.Fprintf(&b, "debt not met\t%s\n", k)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// owed reports whether a break of the rules is a known debt (shapeDebt),
// and counts it for the report.
func owed(key string) bool {
	if !shapeDebt[key] {
		return false
	}
	shapeReport.Lock()
	shapeReport.owed[key]++
	shapeReport.Unlock()
	return true
}
