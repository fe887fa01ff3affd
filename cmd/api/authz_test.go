package main

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The roles of the matrix: who calls. p1 is counselor A's participant.
var matrixRoles = []string{"anonymous", "p1-self", "p2-other", "counselor-of-p1", "other-counselor", "coordinator", "admin"}

// matrixRow is one secured operation and the status each role gets.
type matrixRow struct {
	op, method, path string
	body             func(w *world, role string) any // path placeholders: {p1}, and the fixtures' {activity}, {request}, {goal}, ...
	want             [7]int                          // in matrixRoles order
	// audits names the participant (a placeholder) whose access log must
	// get a line, with this request's ID, when staff succeed; rows whose
	// path holds {p1} audit p1 unless they say otherwise. "-" for none.
	audits string
}

// publicOps need no token; the flow tests cover them.
var publicOps = map[string]bool{
	"login": true, "refreshToken": true, "logout": true, "activateAccount": true,
	"getHealth": true, "getReadiness": true, "getMetrics": true, "getJWKS": true,
	"getOpenAPI": true, "getDocs": true, "getDocsAsset": true,
	"getMyCalendarFeed": true, // the secret token in the path is the credential; calendar_test.go covers it
}

// own200 is the answer to reading or changing p1's own data: p1 and their
// counselor may, another participant learns nothing, other staff are refused.
var own200 = [7]int{401, 200, 404, 200, 403, 403, 403}

func authzMatrix() []matrixRow {
	return []matrixRow{
		{op: "getMe", method: "GET", path: "/v1/me", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "listDepartments", method: "GET", path: "/v1/departments", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "createDepartment", method: "POST", path: "/v1/departments",
			body: func(_ *world, role string) any { return map[string]string{"name": "Afdeling " + role} },
			want: [7]int{401, 403, 403, 403, 403, 403, 201}},
		{op: "listStaff", method: "GET", path: "/v1/staff", want: [7]int{401, 403, 403, 200, 200, 200, 200}},
		{op: "setStaffDepartments", method: "PUT", path: "/v1/staff/{coordinator}/departments",
			body: func(w *world, _ string) any { return map[string][]string{"departmentIds": {w.deptID}} },
			want: [7]int{401, 403, 403, 403, 403, 403, 200}, audits: "-"},
		{op: "createStaff", method: "POST", path: "/v1/staff",
			body: func(w *world, role string) any {
				return map[string]string{"role": "coordinator", "name": "Ny", "email": role + "@staff.example.dk", "departmentId": w.deptID}
			},
			want: [7]int{401, 403, 403, 403, 403, 403, 201}},
		{op: "listParticipants", method: "GET", path: "/v1/participants", want: [7]int{401, 403, 403, 200, 200, 403, 200}},
		{op: "enrollParticipant", method: "POST", path: "/v1/participants",
			body: func(w *world, role string) any {
				return map[string]string{"name": "Ny " + role, "departmentId": w.deptID, "counselorId": w.counselorAID}
			},
			want: [7]int{401, 403, 403, 201, 201, 403, 201}},
		{op: "getParticipant", method: "GET", path: "/v1/participants/{p1}", want: [7]int{401, 200, 404, 200, 403, 403, 200}},
		{op: "reassignCounselor", method: "PUT", path: "/v1/participants/{p1}/counselor",
			body: func(w *world, _ string) any { return map[string]string{"counselorId": w.counselorAID} },
			want: [7]int{401, 403, 403, 200, 403, 403, 200}},
		{op: "listCounselorHistory", method: "GET", path: "/v1/participants/{p1}/counselor-history", want: [7]int{401, 200, 404, 200, 403, 403, 200}},
		{op: "reissueActivationCode", method: "POST", path: "/v1/participants/{p1}/activation-code", want: [7]int{401, 403, 403, 201, 403, 403, 201}},

		{op: "listActivities", method: "GET", path: "/v1/activities", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "getActivity", method: "GET", path: "/v1/activities/{activity}", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "createActivity", method: "POST", path: "/v1/activities",
			body: func(w *world, _ string) any { return activityBody(w, false, true) },
			want: [7]int{401, 403, 403, 403, 403, 201, 201}},
		{op: "updateActivity", method: "PUT", path: "/v1/activities/{activity}",
			body: func(w *world, _ string) any { return activityBody(w, false, false) },
			want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		{op: "createSessions", method: "POST", path: "/v1/activities/{activity}/sessions",
			body: func(*world, string) any { return map[string]any{"sessions": []map[string]string{futureSession(30)}} },
			want: [7]int{401, 403, 403, 403, 403, 201, 201}},
		{op: "getRoster", method: "GET", path: "/v1/activities/{activity}/roster", want: [7]int{401, 403, 403, 403, 403, 200, 200}, audits: "{p1}"},
		// p1 is already signed up: the same enrolment comes back (200).
		{op: "signUp", method: "POST", path: "/v1/activities/{activity}/enrollments", want: [7]int{401, 200, 201, 403, 403, 403, 403}},
		// Cancelled by its owner first; a later cancel by staff answers the same (200).
		{op: "cancelEnrollment", method: "POST", path: "/v1/enrollments/{enrollment}/cancel", want: [7]int{401, 200, 404, 403, 403, 200, 200}},
		// Decided by the participant's counselor first; later deciders meet a decided request (409).
		// p1 has an active counselor: the coordinator may not decide.
		{op: "approveEnrollment", method: "POST", path: "/v1/enrollments/{request}/approve", want: [7]int{401, 403, 403, 200, 403, 403, 409}, audits: "{p1}"},
		{op: "declineEnrollment", method: "POST", path: "/v1/enrollments/{request2}/decline", want: [7]int{401, 403, 403, 200, 403, 403, 409}, audits: "{p1}"},
		{op: "listPendingApprovals", method: "GET", path: "/v1/approvals", want: [7]int{401, 403, 403, 200, 200, 403, 403}, audits: "-"},
		{op: "listMyEnrollments", method: "GET", path: "/v1/me/enrollments", want: [7]int{401, 200, 200, 403, 403, 403, 200}},
		{op: "listParticipantEnrollments", method: "GET", path: "/v1/participants/{p1}/enrollments", want: [7]int{401, 200, 404, 200, 403, 403, 200}},
		{op: "cancelSession", method: "POST", path: "/v1/sessions/{session}/cancel", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		{op: "cancelActivity", method: "POST", path: "/v1/activities/{activity2}/cancel", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		{op: "exportRoster", method: "GET", path: "/v1/activities/{activity}/roster.csv", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		{op: "getActivityFigures", method: "GET", path: "/v1/activities/{activity}/figures", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		// The session has not started: allowed callers meet the rule (422).
		{op: "recordAttendance", method: "POST", path: "/v1/sessions/{session}/attendance",
			body: func(*world, string) any {
				return map[string]any{"entries": []map[string]string{{"enrollmentId": "x", "mark": "attended"}}}
			},
			want: [7]int{401, 403, 403, 403, 403, 422, 422}},
		// Each participant issues and revokes only their own calendar feed link.
		{op: "rotateCalendarFeed", method: "POST", path: "/v1/me/calendar-feed", want: [7]int{401, 201, 201, 403, 403, 403, 403}},
		{op: "revokeCalendarFeed", method: "DELETE", path: "/v1/me/calendar-feed", want: [7]int{401, 204, 204, 403, 403, 403, 403}},

		// Work and pension: the participant and their counselor only; another
		// participant learns nothing (404), other staff are refused (403).
		{op: "listEmployments", method: "GET", path: "/v1/participants/{p1}/employments", want: own200},
		{op: "createEmployment", method: "POST", path: "/v1/participants/{p1}/employments",
			body: func(w *world, _ string) any { return employmentBody(w.s.t) }, want: [7]int{401, 201, 404, 201, 403, 403, 403}},
		{op: "getEmployment", method: "GET", path: "/v1/participants/{p1}/employments/{employment}", want: own200},
		// Both send version 1: the counselor's edit meets the participant's (409).
		{op: "updateEmployment", method: "PUT", path: "/v1/participants/{p1}/employments/{employment}",
			body: func(w *world, _ string) any { b := employmentBody(w.s.t); b["version"] = 1; return b },
			want: [7]int{401, 200, 404, 409, 403, 403, 403}},
		// Ended by the participant first; the counselor meets an ended employment (409).
		{op: "endEmployment", method: "POST", path: "/v1/participants/{p1}/employments/{employment2}/end",
			body: func(*world, string) any { return map[string]string{"reason": "participant_left"} },
			want: [7]int{401, 200, 404, 409, 403, 403, 403}},
		{op: "setEmployerContactConsent", method: "PUT", path: "/v1/participants/{p1}/employments/{employment}/employer-consent",
			body: func(*world, string) any { return map[string]any{"given": true, "reason": "Aftalt ved mødet"} }, want: own200},
		{op: "listHours", method: "GET", path: "/v1/participants/{p1}/hours", want: own200},
		{op: "logHours", method: "POST", path: "/v1/participants/{p1}/hours",
			body: func(w *world, _ string) any {
				return map[string]any{"date": today(w.s.t), "hours": 0.25, "employmentId": w.work["employment"]}
			},
			want: [7]int{401, 201, 404, 201, 403, 403, 403}},
		{op: "updateHours", method: "PUT", path: "/v1/participants/{p1}/hours/{hours}",
			body: func(w *world, _ string) any { return map[string]any{"date": today(w.s.t), "hours": 1.5} }, want: own200},
		// Deleted by the participant first; then it is gone (404).
		{op: "deleteHours", method: "DELETE", path: "/v1/participants/{p1}/hours/{hours2}", want: [7]int{401, 204, 404, 404, 403, 403, 403}},
		{op: "listPayslips", method: "GET", path: "/v1/participants/{p1}/payslips", want: own200},
		// The first payslip for the month is new (201), the next corrects it (200).
		{op: "recordPayslip", method: "POST", path: "/v1/participants/{p1}/payslips",
			body: func(w *world, _ string) any {
				return map[string]any{"employmentId": w.work["employment"], "month": today(w.s.t)[:7], "grossOre": 150000, "hours": 10}
			},
			want: [7]int{401, 201, 404, 200, 403, 403, 403}},
		{op: "getPensionProfile", method: "GET", path: "/v1/participants/{p1}/pension-profile", want: own200},
		{op: "updatePensionProfile", method: "PUT", path: "/v1/participants/{p1}/pension-profile",
			body: func(*world, string) any { return map[string]any{"household": "single"} }, want: own200},
		{op: "getPensionStatus", method: "GET", path: "/v1/participants/{p1}/pension-status", want: own200},
		{op: "simulatePension", method: "POST", path: "/v1/participants/{p1}/pension-simulation",
			body: func(*world, string) any { return map[string]any{"weeklyHours": 10, "hourlyWageOre": 15000} }, want: own200},
		{op: "listFollowUps", method: "GET", path: "/v1/participants/{p1}/follow-ups", want: own200},
		// Follow-up meetings are the counselor's to change.
		{op: "updateFollowUp", method: "PATCH", path: "/v1/participants/{p1}/follow-ups/{followUp}",
			body: func(*world, string) any { return map[string]any{"note": "Mødet aftalt i butikken."} },
			want: [7]int{401, 403, 403, 200, 403, 403, 403}},
		// Everyone reads the pension figures; only admins enter them.
		{op: "listPensionRules", method: "GET", path: "/v1/pension-rules", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "putPensionRules", method: "PUT", path: "/v1/pension-rules/2025",
			body: func(*world, string) any {
				return map[string]any{"baseVersion": 0, "figures": map[string]any{"thresholdSingleKr": map[string]any{"value": 88_000, "source": "https://bm.dk/"}}}
			},
			want: [7]int{401, 403, 403, 403, 403, 403, 200}},
		// The plan is the participant's and their counselor's only; admins
		// and coordinators have no need for it. The note is what a
		// participant may add; the goal is deleted by the counselor last.
		{op: "getPlan", method: "GET", path: "/v1/participants/{p1}/plan", want: [7]int{401, 200, 404, 200, 403, 403, 403}},
		{op: "createGoal", method: "POST", path: "/v1/participants/{p1}/plan/goals",
			body: func(*world, string) any { return map[string]any{"title": "Få en praktikplads i en butik"} },
			want: [7]int{401, 403, 403, 201, 403, 403, 403}},
		{op: "updateGoal", method: "PATCH", path: "/v1/participants/{p1}/plan/goals/{goal}",
			body: func(_ *world, role string) any { return map[string]any{"note": "En note fra " + role} },
			want: [7]int{401, 200, 404, 200, 403, 403, 403}},
		{op: "deleteGoal", method: "DELETE", path: "/v1/participants/{p1}/plan/goals/{goal}", want: [7]int{401, 403, 403, 204, 403, 403, 403}},
		// The conversation: the participant and their counselor (or a
		// stand-in, see messaging_test.go); nobody else, admins included.
		{op: "getMyConversation", method: "GET", path: "/v1/me/conversation", want: [7]int{401, 200, 200, 403, 403, 403, 403}},
		{op: "getConversation", method: "GET", path: "/v1/participants/{p1}/conversation", want: own200},
		{op: "listMessages", method: "GET", path: "/v1/participants/{p1}/conversation/messages", want: own200},
		{op: "sendMessage", method: "POST", path: "/v1/participants/{p1}/conversation/messages",
			body: func(_ *world, role string) any {
				return map[string]string{"clientMessageId": "matrix-" + role, "text": "Hej"}
			},
			want: [7]int{401, 201, 404, 201, 403, 403, 403}},
		{op: "markConversationRead", method: "POST", path: "/v1/participants/{p1}/conversation/read",
			body: func(w *world, _ string) any { return map[string]string{"upToMessageId": w.msg["message"]} },
			want: [7]int{401, 204, 404, 204, 403, 403, 403}},
		{op: "requestCallback", method: "POST", path: "/v1/participants/{p1}/conversation/callback",
			body: func(*world, string) any { return map[string]string{"reason": "work"} },
			want: [7]int{401, 201, 404, 403, 403, 403, 403}},
		{op: "uploadAttachment", method: "POST", path: "/v1/participants/{p1}/conversation/attachments",
			body: func(*world, string) any { return testPDF }, want: [7]int{401, 201, 404, 201, 403, 403, 403}},
		{op: "getAttachment", method: "GET", path: "/v1/participants/{p1}/conversation/attachments/{attachment}", want: own200},
		{op: "listInbox", method: "GET", path: "/v1/inbox", want: [7]int{401, 403, 403, 200, 200, 403, 403}},
		{op: "listSavedReplies", method: "GET", path: "/v1/me/saved-replies", want: [7]int{401, 403, 403, 200, 200, 403, 403}},
		{op: "createSavedReply", method: "POST", path: "/v1/me/saved-replies",
			body: func(*world, string) any { return map[string]string{"title": "Hej", "text": "Hej, tak for beskeden."} },
			want: [7]int{401, 403, 403, 201, 201, 403, 403}},
		// Deleted by its owner first; for the other counselor it is not theirs (404).
		{op: "deleteSavedReply", method: "DELETE", path: "/v1/me/saved-replies/{savedReply}", want: [7]int{401, 403, 403, 204, 404, 403, 403}},
		{op: "getMessagingStats", method: "GET", path: "/v1/messaging/stats", want: [7]int{401, 403, 403, 403, 403, 403, 200}},
		{op: "getRetentionCoefficient", method: "GET", path: "/v1/statistics/retention-coefficient", want: [7]int{401, 403, 403, 403, 403, 403, 200}},
		{op: "getStatistics", method: "GET", path: "/v1/statistics", want: [7]int{401, 403, 403, 403, 403, 403, 200}},
		{op: "exportStatistics", method: "GET", path: "/v1/statistics.csv", want: [7]int{401, 403, 403, 403, 403, 403, 200}},

		// Everyone has their own devices, inbox and preferences.
		{op: "registerDevice", method: "PUT", path: "/v1/me/devices",
			body: func(_ *world, role string) any {
				return map[string]string{"token": "matrix-" + role, "platform": "android"}
			},
			want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "unregisterDevice", method: "DELETE", path: "/v1/me/devices/matrix-token", want: [7]int{401, 204, 204, 204, 204, 204, 204}},
		{op: "listNotifications", method: "GET", path: "/v1/me/notifications", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "markNotificationsRead", method: "POST", path: "/v1/me/notifications/read",
			body: func(*world, string) any { return map[string]bool{"all": true} }, want: [7]int{401, 204, 204, 204, 204, 204, 204}},
		{op: "getNotificationPreferences", method: "GET", path: "/v1/me/notification-preferences", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "updateNotificationPreferences", method: "PUT", path: "/v1/me/notification-preferences",
			body: func(*world, string) any {
				return map[string]any{"categories": map[string]string{"celebrations": "inbox"}}
			},
			want: [7]int{401, 200, 200, 200, 200, 200, 200}},

		// Office hours and away status: counselor A ({counselorA}, p1's
		// counselor) their own, an admin any counselor's; nobody else, not
		// even another counselor.
		{op: "setAway", method: "PUT", path: "/v1/counselors/{counselorA}/away",
			body: func(w *world, _ string) any {
				return map[string]any{"returnDate": inDays(w.s.t, 7), "standInId": w.cBID}
			},
			want: [7]int{401, 403, 403, 200, 403, 403, 200}},
		{op: "clearAway", method: "DELETE", path: "/v1/counselors/{counselorA}/away", want: [7]int{401, 403, 403, 204, 403, 403, 204}},
		{op: "setOfficeHours", method: "PUT", path: "/v1/counselors/{counselorA}/office-hours",
			body: func(*world, string) any {
				return map[string]any{"days": []map[string]any{{"weekday": 1, "from": "09:00", "to": "15:00"}}}
			},
			want: [7]int{401, 403, 403, 200, 403, 403, 200}},

		// Check-ins: counselors ask their own department, admins any; the
		// department's participants answer (both were asked); the
		// department's counselors and admins read the tally.
		{op: "sendCheckIn", method: "POST", path: "/v1/check-ins",
			body: func(w *world, _ string) any {
				return map[string]any{"audience": "department", "departmentId": w.deptID}
			},
			want: [7]int{401, 403, 403, 201, 201, 403, 201}},
		{op: "answerCheckIn", method: "POST", path: "/v1/check-ins/{checkIn}/answer",
			body: func(*world, string) any { return map[string]any{"choice": "okay"} },
			want: [7]int{401, 200, 200, 403, 403, 403, 403}},
		{op: "getCheckInResults", method: "GET", path: "/v1/check-ins/{checkIn}/results", want: [7]int{401, 403, 403, 200, 200, 403, 200}},
		// Celebrations: everyone lists what is theirs to see; coordinators
		// and admins plan; only the celebrated participant (p1) answers.
		{op: "listCelebrations", method: "GET", path: "/v1/celebrations", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{op: "createCelebration", method: "POST", path: "/v1/celebrations",
			body: func(w *world, _ string) any { return celebrationBody(w) },
			want: [7]int{401, 403, 403, 403, 403, 201, 201}, audits: "{p1}"},
		{op: "rsvpCelebration", method: "POST", path: "/v1/celebrations/{celebration}/rsvp",
			body: func(*world, string) any { return map[string]any{"answer": "yes"} },
			want: [7]int{401, 200, 404, 403, 403, 403, 403}},

		// Privacy: consents and the export are the participant's and their
		// counselor's; the access log is read by each participant (their
		// own) and searched by admins.
		{op: "listMyConsents", method: "GET", path: "/v1/me/consents", want: [7]int{401, 200, 200, 403, 403, 403, 403}},
		{op: "listParticipantConsents", method: "GET", path: "/v1/participants/{p1}/consents", want: own200},
		{op: "setConsent", method: "PUT", path: "/v1/participants/{p1}/consents/statistics",
			body: func(*world, string) any {
				return map[string]any{"given": true, "textVersion": "2026-11", "reason": "Underskrevet erklæring"}
			}, want: own200},
		{op: "exportMyData", method: "GET", path: "/v1/me/data-export", want: [7]int{401, 200, 200, 403, 403, 403, 403}},
		{op: "exportParticipantData", method: "GET", path: "/v1/participants/{p1}/data-export", want: own200},
		{op: "listMyAccessLog", method: "GET", path: "/v1/me/access-log", want: [7]int{401, 200, 200, 403, 403, 403, 403}},
		{op: "searchAccessLog", method: "GET", path: "/v1/access-log", want: [7]int{401, 403, 403, 403, 403, 403, 200}, audits: "-"},
		// Leaving acts on p3 (counselor A's other participant), so p1 keeps
		// access: p1 and p2 learn nothing of p3; A withdraws, the admin then
		// meets the done leaving (409); A takes it back, and there is then
		// nothing for the admin to take back (404).
		{op: "withdrawParticipant", method: "POST", path: "/v1/participants/{p3}/withdrawal",
			body: func(*world, string) any { return map[string]any{"reason": "no_longer_wanted"} },
			want: [7]int{401, 404, 404, 201, 403, 403, 409}, audits: "{p3}"},
		{op: "getWithdrawal", method: "GET", path: "/v1/participants/{p3}/withdrawal", want: [7]int{401, 403, 403, 200, 403, 403, 200}, audits: "{p3}"},
		{op: "undoWithdrawal", method: "DELETE", path: "/v1/participants/{p3}/withdrawal", want: [7]int{401, 403, 403, 204, 403, 403, 404}, audits: "{p3}"},
	}
}

// TestAuthorizationMatrix calls every secured route as every role. It fails
// when a secured operation in openapi.yaml has no row, so it grows with the API.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	tokens := map[string]string{
		"anonymous": "", "p1-self": w.p1.AccessToken, "p2-other": w.p2.AccessToken,
		"counselor-of-p1": w.counselorA.AccessToken, "other-counselor": w.counselorB.AccessToken,
		"coordinator": w.coord.AccessToken, "admin": w.admin.AccessToken,
	}
	fx := activityFixture(t, w)
	w.work = workFixture(t, w)
	for k, v := range w.work {
		fx[k] = v
	}
	maps.Copy(fx, planFixture(t, w))
	w.msg = messagingFixture(t, w)
	maps.Copy(fx, w.msg)
	fx["counselorA"] = w.counselorAID
	fx["coordinator"] = w.coord.User.ID
	maps.Copy(fx, checkInFixture(t, w))
	maps.Copy(fx, privacyFixture(t, w))
	fx["p1"] = w.p1ID
	staffIDs := map[string]string{"counselor-of-p1": w.counselorAID, "other-counselor": w.cBID, "coordinator": w.coord.User.ID, "admin": w.admin.User.ID}
	rows := authzMatrix()
	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.op] = true
		for i, role := range matrixRoles {
			t.Run(row.op+"/"+role, func(t *testing.T) {
				path := strings.ReplaceAll(row.path, "{p1}", w.p1ID)
				for k, v := range fx {
					path = strings.ReplaceAll(path, "{"+k+"}", v)
				}
				var body any
				if row.body != nil {
					body = row.body(w, role)
				}
				r := w.s.do(req{method: row.method, path: path, token: tokens[role], body: body})
				if r.Status != row.want[i] {
					t.Fatalf("%s %s as %s: %d, want %d; body %s", row.method, path, role, r.Status, row.want[i], r.Body)
				}
				if r.Status >= 400 {
					r.problemCode(t)
				}
				if staff := staffIDs[role]; staff != "" && r.Status < 300 {
					checkAudited(t, w, row, fx, staff, r)
				}
			})
		}
	}

	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// x-roles in the contract says which roles may call each operation at
	// all: exactly those the matrix answers with neither 401 nor 403.
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	callers := map[string][]string{"participant": {"p1-self", "p2-other"}, "counselor": {"counselor-of-p1", "other-counselor"},
		"coordinator": {"coordinator"}, "admin": {"admin"}}
	// Roles allowed only in a case the matrix does not set up: a
	// coordinator decides for a participant without an active counselor
	// (p1 has one; activity/approvals_test.go covers the case).
	alsoAllowed := map[string][]string{"approveEnrollment": {"coordinator"}, "declineEnrollment": {"coordinator"}}
	for _, row := range rows {
		var want []string
		for _, role := range []string{"participant", "counselor", "coordinator", "admin"} {
			for _, caller := range callers[role] {
				st := row.want[slices.Index(matrixRoles, caller)]
				if (st != 401 && st != 403 || slices.Contains(alsoAllowed[row.op], role)) && !slices.Contains(want, role) {
					want = append(want, role)
				}
			}
		}
		var got []string
		if op := ops[row.op]; op != nil {
			if list, ok := op.Extensions["x-roles"].([]any); ok {
				for _, r := range list {
					got = append(got, fmt.Sprint(r))
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: x-roles %v in openapi.yaml, but the server lets %v call it", row.op, got, want)
		}
	}

	var missing []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !publicOps[op.OperationID] && !covered[op.OperationID] {
				missing = append(missing, fmt.Sprintf("%s %s (%s)", method, path, op.OperationID))
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations without a row in the authorization matrix: %v", missing)
	}
}

// checkAudited asserts that a staff member's successful call on a
// participant's data left a line in that participant's access log, with
// the call's request ID.
func checkAudited(t *testing.T, w *world, row matrixRow, fx map[string]string, staffID string, r response) {
	t.Helper()
	who := row.audits
	if who == "" && strings.Contains(row.path, "{p1}") {
		who = "{p1}"
	}
	if who == "" || who == "-" {
		return
	}
	participant := fx[strings.Trim(who, "{}")]
	q := w.s.do(req{method: "GET", path: "/v1/access-log?limit=5&participantId=" + participant + "&actorId=" + staffID, token: w.admin.AccessToken})
	mustStatus(t, "search access log", q, http.StatusOK)
	var page struct {
		Items []struct{ RequestID, Action, Kind, Route string }
	}
	q.json(t, &page)
	reqID := r.Header.Get("X-Request-Id")
	for _, e := range page.Items {
		if e.RequestID == reqID {
			return
		}
	}
	t.Errorf("%s %s by %s: no access-log line with request ID %q for participant %s (newest: %+v)", row.method, row.path, staffID, reqID, who, page.Items)
}
