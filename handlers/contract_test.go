package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/checkin"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/stats"
	"github.com/jobbanken/jobkunde/work"
)

// contractPath is the contract the binary embeds and serves.
const contractPath = "../openapi.yaml"

// loadContract loads and validates openapi.yaml.
func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(contractPath)
	if err != nil {
		t.Fatalf("load %s: %v", contractPath, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not a valid OpenAPI document: %v", contractPath, err)
	}
	return doc
}

var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)(<[^>]*>)?\??`)

// openAPIPath turns a Fiber route path into an OpenAPI path template:
// ":id" becomes "{id}" and a trailing "*" becomes "{path}".
func openAPIPath(p string) string {
	p = fiberParam.ReplaceAllString(p, "{$1}")
	if strings.HasSuffix(p, "*") {
		p = strings.TrimSuffix(p, "*") + "{path}"
	}
	return p
}

// routedOperations lists "METHOD /path" for every route NewApp registers,
// without HEAD (Fiber adds it to every GET) and middleware mounts.
func routedOperations(t *testing.T) map[string]bool {
	t.Helper()
	app := NewApp(Deps{
		Log:     slog.New(slog.DiscardHandler),
		Metrics: prometheus.NewRegistry(),
		JWKS:    []byte("{}"),
		OpenAPI: []byte("x"),
		Ready:   func(context.Context) error { return nil },
	})
	out := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == "USE" {
			continue
		}
		out[r.Method+" "+openAPIPath(r.Path)] = true
	}
	if len(out) == 0 {
		t.Fatal("NewApp registered no routes")
	}
	return out
}

// specOperations lists "METHOD /path" for every operation in the contract.
func specOperations(doc *openapi3.T) map[string]*openapi3.Operation {
	out := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[strings.ToUpper(method)+" "+path] = op
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// contractOperations is what the contract promises for each route:
// operationId, whether the route needs a bearer token (authed in app.go) and
// whether it takes an Idempotency-Key (once in app.go).
var contractOperations = []struct {
	method, path, id string
	authed, once     bool
}{
	{"POST", "/v1/auth/login", "login", false, false},
	{"POST", "/v1/auth/refresh", "refreshToken", false, false},
	{"POST", "/v1/auth/logout", "logout", false, false},
	{"POST", "/v1/auth/activate", "activateAccount", false, false},
	{"GET", "/v1/me", "getMe", true, false},
	{"POST", "/v1/participants", "enrollParticipant", true, true},
	{"POST", "/v1/participants/{id}/activation-code", "reissueActivationCode", true, true},
	{"GET", "/v1/participants", "listParticipants", true, false},
	{"GET", "/v1/participants/{id}", "getParticipant", true, false},
	{"PUT", "/v1/participants/{id}/counselor", "reassignCounselor", true, false},
	{"POST", "/v1/staff", "createStaff", true, true},
	{"GET", "/v1/staff", "listStaff", true, false},
	{"PUT", "/v1/staff/{id}/departments", "setStaffDepartments", true, false},
	{"GET", "/v1/approvals", "listPendingApprovals", true, false},
	{"GET", "/v1/departments", "listDepartments", true, false},
	{"POST", "/v1/departments", "createDepartment", true, true},

	{"GET", "/v1/activities", "listActivities", true, false},
	{"POST", "/v1/activities", "createActivity", true, true},
	{"GET", "/v1/activities/{id}", "getActivity", true, false},
	{"PUT", "/v1/activities/{id}", "updateActivity", true, false},
	{"POST", "/v1/activities/{id}/cancel", "cancelActivity", true, false},
	{"POST", "/v1/activities/{id}/sessions", "createSessions", true, true},
	{"GET", "/v1/activities/{id}/roster", "getRoster", true, false},
	{"POST", "/v1/activities/{id}/enrollments", "signUp", true, true},
	{"POST", "/v1/sessions/{id}/cancel", "cancelSession", true, false},
	{"POST", "/v1/enrollments/{id}/cancel", "cancelEnrollment", true, false},
	{"POST", "/v1/enrollments/{id}/approve", "approveEnrollment", true, false},
	{"POST", "/v1/enrollments/{id}/decline", "declineEnrollment", true, false},
	{"GET", "/v1/me/enrollments", "listMyEnrollments", true, false},
	{"GET", "/v1/participants/{id}/enrollments", "listParticipantEnrollments", true, false},
	{"GET", "/v1/participants/{id}/counselor-history", "listCounselorHistory", true, false},
	{"GET", "/v1/activities/{id}/roster.csv", "exportRoster", true, false},
	{"GET", "/v1/activities/{id}/figures", "getActivityFigures", true, false},
	{"POST", "/v1/sessions/{id}/attendance", "recordAttendance", true, false},

	{"GET", "/v1/participants/{id}/employments", "listEmployments", true, false},
	{"POST", "/v1/participants/{id}/employments", "createEmployment", true, true},
	{"GET", "/v1/participants/{id}/employments/{employmentId}", "getEmployment", true, false},
	{"PUT", "/v1/participants/{id}/employments/{employmentId}", "updateEmployment", true, false},
	{"POST", "/v1/participants/{id}/employments/{employmentId}/end", "endEmployment", true, false},
	{"PUT", "/v1/participants/{id}/employments/{employmentId}/employer-consent", "setEmployerContactConsent", true, false},
	{"GET", "/v1/participants/{id}/hours", "listHours", true, false},
	{"POST", "/v1/participants/{id}/hours", "logHours", true, true},
	{"PUT", "/v1/participants/{id}/hours/{entryId}", "updateHours", true, false},
	{"DELETE", "/v1/participants/{id}/hours/{entryId}", "deleteHours", true, false},
	{"GET", "/v1/participants/{id}/payslips", "listPayslips", true, false},
	{"POST", "/v1/participants/{id}/payslips", "recordPayslip", true, true},
	{"GET", "/v1/participants/{id}/pension-profile", "getPensionProfile", true, false},
	{"PUT", "/v1/participants/{id}/pension-profile", "updatePensionProfile", true, false},
	{"GET", "/v1/participants/{id}/pension-status", "getPensionStatus", true, false},
	{"POST", "/v1/participants/{id}/pension-simulation", "simulatePension", true, false},
	{"GET", "/v1/participants/{id}/follow-ups", "listFollowUps", true, false},
	{"PATCH", "/v1/participants/{id}/follow-ups/{followUpId}", "updateFollowUp", true, false},
	{"GET", "/v1/pension-rules", "listPensionRules", true, false},
	{"PUT", "/v1/pension-rules/{year}", "putPensionRules", true, false},
	{"GET", "/v1/participants/{id}/plan", "getPlan", true, false},
	{"POST", "/v1/participants/{id}/plan/goals", "createGoal", true, true},
	{"PATCH", "/v1/participants/{id}/plan/goals/{goalId}", "updateGoal", true, false},
	{"DELETE", "/v1/participants/{id}/plan/goals/{goalId}", "deleteGoal", true, false},
	{"PUT", "/v1/counselors/{id}/away", "setAway", true, false},
	{"DELETE", "/v1/counselors/{id}/away", "clearAway", true, false},
	{"PUT", "/v1/counselors/{id}/office-hours", "setOfficeHours", true, false},

	{"GET", "/v1/me/conversation", "getMyConversation", true, false},
	{"GET", "/v1/participants/{id}/conversation", "getConversation", true, false},
	{"GET", "/v1/participants/{id}/conversation/messages", "listMessages", true, false},
	{"POST", "/v1/participants/{id}/conversation/messages", "sendMessage", true, true},
	{"POST", "/v1/participants/{id}/conversation/read", "markConversationRead", true, false},
	{"POST", "/v1/participants/{id}/conversation/callback", "requestCallback", true, true},
	{"POST", "/v1/participants/{id}/conversation/attachments", "uploadAttachment", true, true},
	{"GET", "/v1/participants/{id}/conversation/attachments/{attachmentId}", "getAttachment", true, false},
	{"GET", "/v1/inbox", "listInbox", true, false},
	{"GET", "/v1/me/saved-replies", "listSavedReplies", true, false},
	{"POST", "/v1/me/saved-replies", "createSavedReply", true, true},
	{"DELETE", "/v1/me/saved-replies/{id}", "deleteSavedReply", true, false},
	{"GET", "/v1/messaging/stats", "getMessagingStats", true, false},

	{"PUT", "/v1/me/devices", "registerDevice", true, false},
	{"DELETE", "/v1/me/devices/{token}", "unregisterDevice", true, false},
	{"GET", "/v1/me/notifications", "listNotifications", true, false},
	{"POST", "/v1/me/notifications/read", "markNotificationsRead", true, false},
	{"GET", "/v1/me/notification-preferences", "getNotificationPreferences", true, false},
	{"PUT", "/v1/me/notification-preferences", "updateNotificationPreferences", true, false},
	{"POST", "/v1/check-ins", "sendCheckIn", true, true},
	{"POST", "/v1/check-ins/{id}/answer", "answerCheckIn", true, false},
	{"GET", "/v1/check-ins/{id}/results", "getCheckInResults", true, false},
	{"GET", "/v1/celebrations", "listCelebrations", true, false},
	{"POST", "/v1/celebrations", "createCelebration", true, true},
	{"POST", "/v1/celebrations/{id}/rsvp", "rsvpCelebration", true, false},
	{"GET", "/v1/statistics/retention-coefficient", "getRetentionCoefficient", true, false},
	{"GET", "/v1/statistics", "getStatistics", true, false},
	{"GET", "/v1/statistics.csv", "exportStatistics", true, false},

	{"GET", "/v1/me/consents", "listMyConsents", true, false},
	{"GET", "/v1/participants/{id}/consents", "listParticipantConsents", true, false},
	{"PUT", "/v1/participants/{id}/consents/{purpose}", "setConsent", true, false},
	{"GET", "/v1/me/data-export", "exportMyData", true, false},
	{"GET", "/v1/participants/{id}/data-export", "exportParticipantData", true, false},
	{"GET", "/v1/me/access-log", "listMyAccessLog", true, false},
	{"GET", "/v1/access-log", "searchAccessLog", true, false},
	{"POST", "/v1/participants/{id}/withdrawal", "withdrawParticipant", true, true},
	{"GET", "/v1/participants/{id}/withdrawal", "getWithdrawal", true, false},
	{"DELETE", "/v1/participants/{id}/withdrawal", "undoWithdrawal", true, false},

	{"GET", "/healthz", "getHealth", false, false},
	{"GET", "/readyz", "getReadiness", false, false},
	{"GET", "/metrics", "getMetrics", false, false},
	{"GET", "/.well-known/jwks.json", "getJWKS", false, false},
	{"GET", "/openapi.yaml", "getOpenAPI", false, false},
	{"GET", "/docs", "getDocs", false, false},
	{"GET", "/docs/{path}", "getDocsAsset", false, false},
}

func TestRoutesMatchContract(t *testing.T) {
	doc := loadContract(t)
	routed := routedOperations(t)
	spec := specOperations(doc)

	var problems []string
	for _, k := range sortedKeys(routed) {
		if spec[k] == nil {
			problems = append(problems, "routed but not in openapi.yaml: "+k)
		}
	}
	for _, k := range sortedKeys(spec) {
		if !routed[k] {
			problems = append(problems, "in openapi.yaml but not routed: "+k)
		}
	}

	ids := map[string]string{}
	for _, k := range sortedKeys(spec) {
		id := spec[k].OperationID
		if id == "" {
			problems = append(problems, "no operationId: "+k)
			continue
		}
		if prev, dup := ids[id]; dup {
			problems = append(problems, fmt.Sprintf("operationId %q used by both %s and %s", id, prev, k))
		}
		ids[id] = k
	}

	for _, want := range contractOperations {
		k := want.method + " " + want.path
		if !routed[k] {
			problems = append(problems, "expected route is not routed: "+k)
		}
		op := spec[k]
		if op == nil {
			problems = append(problems, fmt.Sprintf("operation %s (%s) is missing from openapi.yaml", want.id, k))
			continue
		}
		if op.OperationID != want.id {
			problems = append(problems, fmt.Sprintf("%s: operationId is %q, want %q", k, op.OperationID, want.id))
		}
		if got := usesBearer(op); got != want.authed {
			problems = append(problems, fmt.Sprintf("%s: bearerAuth security is %v, want %v", k, got, want.authed))
		}
		if got := hasHeaderParam(op, "Idempotency-Key"); got != want.once {
			problems = append(problems, fmt.Sprintf("%s: Idempotency-Key parameter is %v, want %v", k, got, want.once))
		}
		for _, status := range []string{"500", "503"} {
			if op.Responses.Value(status) == nil {
				problems = append(problems, fmt.Sprintf("%s: no %s response", k, status))
			}
		}
		if want.authed && op.Responses.Value("401") == nil {
			problems = append(problems, k+": authenticated route without a 401 response")
		}
	}
	if doc.Security != nil && len(doc.Security) > 0 {
		problems = append(problems, "global security must be empty: ops routes and /v1/auth/* need no token")
	}

	if len(problems) > 0 {
		t.Errorf("routes and openapi.yaml disagree (%d):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
}

func usesBearer(op *openapi3.Operation) bool {
	if op.Security == nil {
		return false
	}
	for _, req := range *op.Security {
		if _, ok := req["bearerAuth"]; ok {
			return true
		}
	}
	return false
}

func hasHeaderParam(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInHeader && strings.EqualFold(p.Value.Name, name) {
			return true
		}
	}
	return false
}

// TestContractProblemCodes keeps the documented problem codes true: every
// code with a translation and every code ErrorHandler derives from a status
// is listed, with a meaning, in the contract's x-problem-codes.
func TestContractProblemCodes(t *testing.T) {
	doc := loadContract(t)
	raw, ok := doc.Extensions["x-problem-codes"]
	if !ok {
		t.Fatal("openapi.yaml has no top-level x-problem-codes")
	}
	listed, ok := raw.(map[string]any)
	if !ok {
		t.Fatalf("x-problem-codes is %T, want a mapping of code to entry", raw)
	}

	want := map[string]string{}
	for code := range details {
		want[code] = "a key of details in i18n.go"
	}
	for status, code := range codeByStatus {
		want[code] = fmt.Sprintf("codeByStatus[%d] in errors.go", status)
	}

	var missing []string
	for _, code := range sortedKeys(want) {
		if _, ok := listed[code]; !ok {
			missing = append(missing, fmt.Sprintf("%s (%s)", code, want[code]))
		}
	}
	var bad []string
	for _, code := range sortedKeys(listed) {
		entry, ok := listed[code].(map[string]any)
		if !ok {
			bad = append(bad, code+": entry is not a mapping")
			continue
		}
		if m, _ := entry["meaning"].(string); strings.TrimSpace(m) == "" {
			bad = append(bad, code+": no meaning")
		}
		if entry["status"] == nil {
			bad = append(bad, code+": no status")
		}
	}
	if len(missing) > 0 {
		t.Errorf("problem codes the service emits but openapi.yaml does not list under x-problem-codes:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(bad) > 0 {
		t.Errorf("malformed x-problem-codes entries:\n  %s", strings.Join(bad, "\n  "))
	}
}

// TestOperationProblemCodes checks each operation's x-problem-codes (status
// → codes, what an app switches on for that operation): every code is in
// the global x-problem-codes, with that status (a field code with 400).
// The end-to-end suite (cmd/api) checks that every problem it meets is
// listed for its operation and status.
func TestOperationProblemCodes(t *testing.T) {
	doc := loadContract(t)
	global, _ := doc.Extensions["x-problem-codes"].(map[string]any)
	statuses := func(code string) []string {
		entry, _ := global[code].(map[string]any)
		if entry == nil {
			return nil
		}
		if entry["in"] == "field" {
			return []string{"400"}
		}
		if list, ok := entry["status"].([]any); ok {
			var out []string
			for _, v := range list {
				out = append(out, fmt.Sprint(v))
			}
			return out
		}
		return []string{fmt.Sprint(entry["status"])}
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			codes, ok := op.Extensions["x-problem-codes"].(map[string]any)
			if !ok {
				if strings.HasPrefix(path, "/v1/") {
					t.Errorf("%s %s (%s) has no x-problem-codes", method, path, op.OperationID)
				}
				continue
			}
			n++
			for status, list := range codes {
				items, _ := list.([]any)
				for _, c := range items {
					if code := fmt.Sprint(c); !slices.Contains(statuses(code), status) {
						t.Errorf("%s: %s under %s, but x-problem-codes gives it %v", op.OperationID, code, status, statuses(code))
					}
				}
			}
		}
	}
	if n < 90 {
		t.Errorf("only %d operations carry x-problem-codes", n)
	}
}

// TestContractSchemasMatchTypes checks that each schema names exactly the
// JSON fields of the Go type it documents. For response types the required
// list must be the fields without omitempty; request types must refuse
// unknown fields, as decodeJSON does.
func TestContractSchemasMatchTypes(t *testing.T) {
	doc := loadContract(t)
	cases := []struct {
		schema   string
		value    any
		response bool
	}{
		{"User", models.User{}, true},
		{"Department", models.Department{}, true},
		{"IssuedCode", models.IssuedCode{}, true},
		{"CreatedAccount", createdAccount{}, true},
		{"Session", sessionResponse{}, true},
		{"UserList", list[models.User]{}, true},
		{"DepartmentList", list[models.Department]{}, true},
		{"Problem", problem{}, true},
		{"FieldError", apperr.FieldError{}, true},
		{"LoginRequest", loginRequest{}, false},
		{"ActivateRequest", activateRequest{}, false},
		{"RefreshRequest", refreshRequest{}, false},
		{"DepartmentRequest", departmentRequest{}, false},
		{"StaffRequest", staffRequest{}, false},
		{"EnrollRequest", enrollRequest{}, false},
		{"ReassignRequest", reassignRequest{}, false},

		{"Text", models.Text{}, true},
		{"Activity", models.Activity{}, true},
		{"ActivitySummary", activity.Summary{}, true},
		{"ActivityDetail", activity.Detail{}, true},
		{"ActivitySession", models.Session{}, true},
		{"SessionView", activity.SessionView{}, true},
		{"Enrollment", models.EnrollmentView{}, true},
		{"Roster", activity.Roster{}, true},
		{"RosterEntry", activity.RosterEntry{}, true},
		{"ActivityList", list[activity.Summary]{}, true},
		{"EnrollmentList", list[models.EnrollmentView]{}, true},
		{"ActivityRequest", activityRequest{}, false},
		{"SessionTimes", timesRequest{}, false},
		{"SessionsRequest", sessionsRequest{}, false},
		{"Recurrence", recurrenceRequest{}, false},
		{"SignUpRequest", signUpRequest{}, false},
		{"DeclineRequest", declineRequest{}, false},

		{"Company", models.Company{}, true},
		{"ConsentState", work.ConsentState{}, true},
		{"InternshipCounter", work.InternshipCounter{}, true},
		{"Employment", work.EmploymentView{}, true},
		{"EmploymentList", list[work.EmploymentView]{}, true},
		{"HoursEntry", work.HoursView{}, true},
		{"WeekSummary", work.WeekSummary{}, true},
		{"MonthSummary", work.MonthSummary{}, true},
		{"HoursReport", work.HoursReport{}, true},
		{"Payslip", work.PayslipView{}, true},
		{"PayslipList", list[work.PayslipView]{}, true},
		{"PensionProfile", work.ProfileView{}, true},
		{"PensionStatus", work.PensionStatus{}, true},
		{"PensionNote", work.Note{}, true},
		{"UsedFigure", pension.UsedFigure{}, true},
		{"FollowUp", work.FollowUpView{}, true},
		{"FollowUpNote", models.FollowUpNote{}, true},
		{"FollowUpList", list[work.FollowUpView]{}, true},
		{"EmploymentRequest", employmentRequest{}, false},
		{"UpdateEmploymentRequest", updateEmploymentRequest{}, false},
		{"EndEmploymentRequest", endEmploymentRequest{}, false},
		{"ConsentRequest", consentRequest{}, false},
		{"HoursRequest", hoursRequest{}, false},
		{"PayslipRequest", payslipRequest{}, false},
		{"PensionProfileRequest", pensionProfileRequest{}, false},
		{"SimulationRequest", simulationRequest{}, false},
		{"FollowUpRequest", followUpRequest{}, false},

		{"Person", messaging.Person{}, true},
		{"AwayView", messaging.AwayView{}, true},
		{"ExpectedReply", messaging.ExpectedReply{}, true},
		{"CallbackInfo", messaging.CallbackInfo{}, true},
		{"Conversation", messaging.ConversationView{}, true},
		{"Attachment", models.Attachment{}, true},
		{"AutoReply", messaging.AutoReply{}, true},
		{"Message", messaging.MessageView{}, true},
		{"MessagePage", messagePage{}, true},
		{"InboxItem", messaging.InboxItem{}, true},
		{"InboxList", list[messaging.InboxItem]{}, true},
		{"SavedReply", models.SavedReply{}, true},
		{"SavedReplyList", list[models.SavedReply]{}, true},
		{"ReplyFigures", messaging.ReplyFigures{}, true},
		{"CounselorReplyFigures", messaging.CounselorFigures{}, true},
		{"DepartmentReplyFigures", messaging.DepartmentFigures{}, true},
		{"MessagingStats", messaging.Stats{}, true},
		{"SendMessageRequest", sendMessageRequest{}, false},
		{"MarkReadRequest", markReadRequest{}, false},
		{"CallbackRequest", callbackRequest{}, false},
		{"SavedReplyRequest", savedReplyRequest{}, false},

		{"Device", models.Device{}, true},
		{"NotificationItem", notifications.Item{}, true},
		{"NotificationList", notificationList{}, true},
		{"NotificationPreferences", models.NotificationPrefs{}, true},
		{"DeviceRequest", deviceRequest{}, false},
		{"MarkNotificationsRequest", markNotificationsRequest{}, false},
		{"PreferencesRequest", preferencesRequest{}, false},

		{"ConsentList", consentList{}, true},
		{"Consent", privacy.ConsentView{}, true},
		{"ConsentRecord", models.ConsentRecord{}, true},
		{"ConsentChangeRequest", setConsentRequest{}, false},
		{"AccessLogPage", list[privacy.AccessView]{}, true},
		{"AccessLogEntry", privacy.AccessView{}, true},
		{"WithdrawalRequest", withdrawRequest{}, false},
		{"Withdrawal", privacy.WithdrawalView{}, true},
		{"DataExport", models.DataExport{}, true},
		{"PensionFigure", pension.Figure{}, true},
		{"PensionFigures", pension.Figures{}, true},
		{"PensionCommon", pension.Common{}, true},
		{"PensionRuleEditor", work.RuleEditor{}, true},
		{"PensionRuleChange", work.RuleChange{}, true},
		{"PensionRuleYear", work.RuleYear{}, true},
		{"PensionRules", work.RuleList{}, true},
		{"PensionRulesRequest", pensionRulesRequest{}, false},
		{"Plan", models.Plan{}, true},
		{"Goal", models.Goal{}, true},
		{"SubGoal", models.SubGoal{}, true},
		{"GoalNote", models.GoalNote{}, true},
		{"Progress", models.Progress{}, true},
		{"CreateGoalRequest", createGoalRequest{}, false},
		{"NewSubGoal", newSubGoalRequest{}, false},
		{"UpdateGoalRequest", updateGoalRequest{}, false},
		{"SubGoalChange", subGoalChangeRequest{}, false},
		{"OfficeHours", models.OfficeHours{}, true},
		{"OfficeDay", models.OfficeDay{}, true},
		{"OfficeHours", officeHoursRequest{}, false},
		{"OfficeDay", officeDayRequest{}, false},
		{"Absence", availability.AbsenceView{}, true},
		{"AwayRequest", awayRequest{}, false},

		{"CheckInRequest", checkInRequest{}, false},
		{"CheckIn", models.CheckIn{}, true},
		{"CheckInAnswerRequest", checkInAnswerRequest{}, false},
		{"CheckInAnswer", checkin.AnswerView{}, true},
		{"CheckInCounts", checkin.Counts{}, true},
		{"CheckInDepartmentTally", checkin.DepartmentTally{}, true},
		{"CheckInParticipantAnswer", checkin.ParticipantAnswer{}, true},
		{"CheckInResults", checkin.Results{}, true},
		{"Guest", models.Guest{}, true},
		{"GuestRequest", guestRequest{}, false},
		{"CelebrationRequest", celebrationRequest{}, false},
		{"RSVP", models.RSVP{}, true},
		{"RSVPRequest", rsvpRequest{}, false},
		{"Celebration", activity.CelebrationView{}, true},
		{"CelebrationList", list[activity.CelebrationView]{}, true},
		{"StatisticsFigure", stats.Figure{}, true},
		{"DepartmentFigure", stats.DepartmentFigure{}, true},
		{"YearFigure", stats.YearFigure{}, true},
		{"ReferenceYear", stats.ReferenceYear{}, true},
		{"StatisticsReference", stats.Reference{}, true},
		{"RetentionCoefficient", stats.Retention{}, true},
		{"Measure", stats.Measure{}, true},
		{"Caseload", stats.Caseload{}, true},
		{"Statistics", stats.Report{}, true},
	}
	var problems []string
	for _, c := range cases {
		ref := doc.Components.Schemas[c.schema]
		if ref == nil || ref.Value == nil {
			problems = append(problems, c.schema+": not in components/schemas")
			continue
		}
		s := ref.Value
		fields, required := jsonFields(reflect.TypeOf(c.value))
		props := sortedKeys(s.Properties)
		if !slices.Equal(props, fields) {
			problems = append(problems, fmt.Sprintf("%s: properties %v, Go type has %v", c.schema, props, fields))
		}
		if c.response {
			got := slices.Clone(s.Required)
			sort.Strings(got)
			if !slices.Equal(got, required) {
				problems = append(problems, fmt.Sprintf("%s: required %v, Go type always sends %v", c.schema, got, required))
			}
		} else if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			problems = append(problems, c.schema+": needs additionalProperties: false (the server rejects unknown fields)")
		}
	}
	if len(problems) > 0 {
		t.Errorf("schemas and Go types disagree:\n  %s", strings.Join(problems, "\n  "))
	}
}

// jsonFields returns the JSON names of t's fields and those without
// omitempty, both sorted; fields tagged "-" are never sent. The fields of an
// embedded struct without a JSON name are flattened into t, as
// encoding/json does.
func jsonFields(t reflect.Type) (all, required []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && f.Type.Kind() == reflect.Struct && tag == "" {
			a, r := jsonFields(f.Type)
			all, required = append(all, a...), append(required, r...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			required = append(required, name)
		}
	}
	sort.Strings(all)
	sort.Strings(required)
	return all, required
}

// TestContractResponsesMatchSchemas sends requests that need no services
// and checks each answer against the schema the contract gives for its
// route, status and media type.
func TestContractResponsesMatchSchemas(t *testing.T) {
	doc := loadContract(t)
	app := NewApp(Deps{
		Log:     slog.New(slog.DiscardHandler),
		Metrics: prometheus.NewRegistry(),
		JWKS:    []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"k1","use":"sig","alg":"EdDSA"}]}`),
		OpenAPI: []byte("openapi: 3.0.3"),
		Ready:   func(context.Context) error { return errors.New("database down") },
	})
	cases := []struct {
		name, method, path, spec string // spec: the contract's path template ("" for an unknown route)
		contentType, body, lang  string
		status                   int
		code                     string // expected problem code, if a problem
	}{
		{"health", "GET", "/healthz", "/healthz", "", "", "", 200, ""},
		{"not ready", "GET", "/readyz", "/readyz", "", "", "", 503, "service.unavailable"},
		{"jwks", "GET", "/.well-known/jwks.json", "/.well-known/jwks.json", "", "", "", 200, ""},
		{"no token", "GET", "/v1/me", "/v1/me", "", "", "", 401, "auth.missing_token"},
		{"no token, english", "GET", "/v1/participants/abc", "/v1/participants/{id}", "", "", "en", 401, "auth.missing_token"},
		{"not json", "POST", "/v1/auth/login", "/v1/auth/login", "text/plain", "x", "", 415, "request.unsupported_media_type"},
		{"bad json", "POST", "/v1/auth/activate", "/v1/auth/activate", "application/json", "{", "", 400, "request.invalid_json"},
		{"unknown field", "POST", "/v1/auth/refresh", "/v1/auth/refresh", "application/json", `{"refreshToken":"x","extra":1}`, "en", 400, "request.invalid_fields"},
		{"wrong type", "POST", "/v1/auth/logout", "/v1/auth/logout", "application/json", `{"refreshToken":5}`, "", 400, "request.invalid_fields"},
		{"unknown route", "GET", "/v1/nowhere", "", "", "", "", 404, "route.not_found"},
		{"no token, activities", "GET", "/v1/activities", "/v1/activities", "", "", "en", 401, "auth.missing_token"},
		{"no token, sign-up", "POST", "/v1/activities/abc/enrollments", "/v1/activities/{id}/enrollments", "", "", "", 401, "auth.missing_token"},
		{"no token, pension rules", "PUT", "/v1/pension-rules/2026", "/v1/pension-rules/{year}", "application/json", `{}`, "en", 401, "auth.missing_token"},
		{"no token, statistics", "GET", "/v1/statistics?date=2026-01-01", "/v1/statistics", "", "", "", 401, "auth.missing_token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			if c.lang != "" {
				req.Header.Set("Accept-Language", c.lang)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, raw)
			}

			var spec *openapi3.Response
			if c.spec == "" {
				spec = doc.Components.Responses["NotFound"].Value
			} else {
				item := doc.Paths.Value(c.spec)
				if item == nil || item.GetOperation(c.method) == nil {
					t.Fatalf("no operation %s %s in openapi.yaml", c.method, c.spec)
				}
				ref := item.GetOperation(c.method).Responses.Status(c.status)
				if ref == nil || ref.Value == nil {
					t.Fatalf("openapi.yaml has no %d response for %s %s", c.status, c.method, c.spec)
				}
				spec = ref.Value
			}
			mediaType, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
			mt := spec.Content.Get(strings.TrimSpace(mediaType))
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				t.Fatalf("openapi.yaml has no schema for %d %s", c.status, mediaType)
			}
			var body any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, raw)
			}
			if err := mt.Schema.Value.VisitJSON(body); err != nil {
				t.Errorf("body does not match the contract: %v\n%s", err, raw)
			}
			if c.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if c.code != "" {
				if mediaType != "application/problem+json" {
					t.Errorf("Content-Type %q, want application/problem+json", mediaType)
				}
				if got, _ := body.(map[string]any)["code"].(string); got != c.code {
					t.Errorf("code %q, want %q", got, c.code)
				}
				wantLang := "da"
				if c.lang == "en" {
					wantLang = "en"
				}
				if got := resp.Header.Get("Content-Language"); got != wantLang {
					t.Errorf("Content-Language %q, want %q", got, wantLang)
				}
			}
		})
	}
}
