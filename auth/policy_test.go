package auth_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// The caller in every policy case has this ID; subjects are described
// relative to it.
const me = "user-me"

// subjectKind names a participant record as seen from the caller.
type subjectKind string

const (
	ownRecord       subjectKind = "own participant record"
	otherRecord     subjectKind = "another participant's record"
	assignedToMe    subjectKind = "participant assigned to me"
	assignedToOther subjectKind = "participant assigned to another counselor"
	noSubject       subjectKind = "zero subject"
	standingInForMe subjectKind = "participant whose counselor I stand in for"
	myStaffRecord   subjectKind = "my own staff settings"
	otherStaff      subjectKind = "another staff member's settings"
	myDepartment    subjectKind = "my own department"
	otherDepartment subjectKind = "another department"
	servedByMe      subjectKind = "a department an admin has me serve too"
	// Sign-ups in a department (the activity's), by whether the participant
	// has an active counselor.
	noCounselorHere  subjectKind = "participant without a counselor, in my department"
	noCounselorThere subjectKind = "participant without a counselor, in another department"
	counselledHere   subjectKind = "participant with another counselor, in my department"
)

var subjects = map[subjectKind]auth.Subject{
	ownRecord:       {ParticipantID: me, CounselorID: "counselor-9"},
	otherRecord:     {ParticipantID: "participant-2", CounselorID: "counselor-9"},
	assignedToMe:    {ParticipantID: "participant-3", CounselorID: me},
	assignedToOther: {ParticipantID: "participant-4", CounselorID: "counselor-9"},
	noSubject:       {},
	standingInForMe: {ParticipantID: "participant-5", CounselorID: "counselor-9", StandInID: me},
	myStaffRecord:   {StaffID: me},
	otherStaff:      {StaffID: "counselor-9"},
	myDepartment:    {DepartmentID: "dept-1"},
	otherDepartment: {DepartmentID: "dept-2"},
	servedByMe:      {DepartmentID: "dept-3"},

	noCounselorHere:  {ParticipantID: "participant-6", DepartmentID: "dept-1"},
	noCounselorThere: {ParticipantID: "participant-7", DepartmentID: "dept-2"},
	counselledHere:   {ParticipantID: "participant-8", CounselorID: "counselor-9", DepartmentID: "dept-1"},
}

var (
	subjectKinds = []subjectKind{ownRecord, otherRecord, assignedToMe, assignedToOther, noSubject, standingInForMe, myStaffRecord, otherStaff, myDepartment, otherDepartment,
		servedByMe, noCounselorHere, noCounselorThere, counselledHere}
	// inMyDepartments are the subjects in a department a coordinator serves.
	inMyDepartments = []subjectKind{myDepartment, servedByMe, noCounselorHere, counselledHere}
	roles           = []models.Role{models.RoleParticipant, models.RoleCounselor, models.RoleCoordinator, models.RoleAdmin}
	anySubject      = subjectKinds
)

// expected is the policy written out by hand from the product rules:
// participants touch only their own data; counselors only the participants
// assigned to them; coordinators no participant data (they may list
// departments and staff and read themselves); admins everything. A role
// missing from an action's map may do nothing; the listed subject kinds are
// the only ones allowed.
var expected = map[auth.Action]map[models.Role][]subjectKind{
	auth.ReadSelf: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	auth.ListDepartments: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	auth.ManageDepartments: {
		models.RoleAdmin: anySubject,
	},
	auth.ListStaff: {
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	auth.ManageStaff: {
		models.RoleAdmin: anySubject,
	},
	auth.ListParticipants: {
		models.RoleCounselor: anySubject, // the list itself is filtered to their own
		models.RoleAdmin:     anySubject,
	},
	auth.EnrollParticipant: {
		models.RoleCounselor: anySubject,
		models.RoleAdmin:     anySubject,
	},
	auth.ReadParticipant: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
		models.RoleAdmin:       anySubject,
	},
	auth.ManageParticipant: {
		models.RoleCounselor: {assignedToMe},
		models.RoleAdmin:     anySubject,
	},
	auth.ReassignCounselor: {
		models.RoleCounselor: {assignedToMe},
		models.RoleAdmin:     anySubject,
	},
	// Activities: everyone browses; coordinators run them and their rosters;
	// a participant signs up only themselves; counselors decide for their own.
	auth.ListActivities: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	// Coordinators only in the departments they serve.
	auth.ManageActivities: {
		models.RoleCoordinator: inMyDepartments,
		models.RoleAdmin:       anySubject,
	},
	auth.ReadRoster: {
		models.RoleCoordinator: inMyDepartments,
		models.RoleAdmin:       anySubject,
	},
	auth.SignUp: {
		models.RoleParticipant: {ownRecord},
	},
	auth.CancelEnrollment: {
		models.RoleParticipant: {ownRecord},
		models.RoleCoordinator: inMyDepartments,
		models.RoleAdmin:       anySubject,
	},
	// The counselor (or the stand-in) decides; a coordinator only for a
	// participant without one, in a department they serve.
	auth.DecideEnrollment: {
		models.RoleCounselor:   {assignedToMe, standingInForMe},
		models.RoleCoordinator: {noCounselorHere},
		models.RoleAdmin:       anySubject,
	},
	auth.ListPendingApprovals: {
		models.RoleCounselor: anySubject, // the list holds only their caseload and the ones they cover
	},
	auth.RecordAttendance: {
		models.RoleCoordinator: inMyDepartments,
		models.RoleAdmin:       anySubject,
	},
	auth.ListEnrollmentsFor: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
		models.RoleAdmin:       anySubject,
	},
	// A calendar feed link is the participant's own; staff have no schedule.
	auth.ManageCalendarFeed: {
		models.RoleParticipant: {ownRecord},
	},
	// Work, hours and pension: the participant and their counselor only.
	auth.ReadWork: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	auth.ManageWork: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	// Follow-up meetings are the counselor's to plan.
	auth.ManageFollowUps: {
		models.RoleCounselor: {assignedToMe},
	},
	// The pension figures are public knowledge with their sources: everyone
	// reads them; only admins enter or correct a year's figures.
	auth.ReadPensionRules: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	auth.ManagePensionRules: {
		models.RoleAdmin: anySubject,
	},
	// A conversation: the participant, their counselor and the counselor's
	// stand-in during an absence; nobody else (admins included).
	auth.UseConversation: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe, standingInForMe},
	},
	auth.RequestCallback: {
		models.RoleParticipant: {ownRecord},
	},
	auth.ListInbox: {
		models.RoleCounselor: anySubject,
	},
	auth.ManageSavedReplies: {
		models.RoleCounselor: anySubject,
	},
	auth.ReadMessagingStats: {
		models.RoleAdmin: anySubject,
	},
	// Everyone has their own devices, inbox and preferences.
	auth.ManageOwnNotifications: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	// The plan: the participant's own and their counselor's, nobody else's
	// (admins included). Only the counselor shapes goals; both tick and write notes.
	auth.ReadPlan: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	auth.ManagePlan: {
		models.RoleCounselor: {assignedToMe},
	},
	auth.PlanProgress: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	// Office hours and away status: a counselor their own, an admin any
	// counselor's; participants and coordinators never.
	auth.ManageAvailability: {
		models.RoleCounselor: {myStaffRecord},
		models.RoleAdmin:     anySubject,
	},
	// Check-ins: counselors in their own department, admins anywhere;
	// participants answer only for themselves; coordinators never.
	auth.SendCheckIn: {
		models.RoleCounselor: {myDepartment, noCounselorHere, counselledHere},
		models.RoleAdmin:     anySubject,
	},
	auth.AnswerCheckIn: {
		models.RoleParticipant: {ownRecord},
	},
	auth.ReadCheckInResults: {
		models.RoleCounselor: {myDepartment, noCounselorHere, counselledHere},
		models.RoleAdmin:     anySubject,
	},
	// Celebrations: everyone lists (filtered to what is theirs to see);
	// coordinators plan their own department's, admins any; only the
	// celebrated participant answers the invitation.
	auth.ListCelebrations: {
		models.RoleParticipant: anySubject,
		models.RoleCounselor:   anySubject,
		models.RoleCoordinator: anySubject,
		models.RoleAdmin:       anySubject,
	},
	auth.ManageCelebrations: {
		models.RoleCoordinator: inMyDepartments,
		models.RoleAdmin:       anySubject,
	},
	auth.AnswerCelebration: {
		models.RoleParticipant: {ownRecord},
	},
	// Privacy: consents and the export belong to the participant and
	// their counselor; leaving can be chosen by the participant, their
	// counselor or an admin, and taken back only by staff; the access log
	// is searched by admins and read by each participant (their own).
	auth.ReadConsents: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	auth.ManageConsents: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	auth.ExportData: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
	},
	auth.ReadOwnAccessLog: {
		models.RoleParticipant: anySubject,
	},
	auth.SearchAccessLog: {
		models.RoleAdmin: anySubject,
	},
	auth.WithdrawParticipant: {
		models.RoleParticipant: {ownRecord},
		models.RoleCounselor:   {assignedToMe},
		models.RoleAdmin:       anySubject,
	},
	auth.UndoWithdrawal: {
		models.RoleCounselor: {assignedToMe},
		models.RoleAdmin:     anySubject,
	},
	auth.ReadStatistics: {
		models.RoleAdmin: anySubject,
	},
}

func TestExpectationsCoverEveryAction(t *testing.T) {
	var got, want []string
	for _, a := range auth.Actions() {
		got = append(got, string(a))
	}
	for a := range expected {
		want = append(want, string(a))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("auth.Actions() = %v, want the actions with written expectations %v", got, want)
	}
}

// policyCase is one (action, role, subject) cell of the matrix.
type policyCase struct {
	name    string
	action  auth.Action
	role    models.Role
	subject auth.Subject
	want    bool
}

func policyMatrix() []policyCase {
	var cases []policyCase
	for _, a := range auth.Actions() {
		for _, r := range roles {
			for _, k := range subjectKinds {
				cases = append(cases, policyCase{
					name:    fmt.Sprintf("%s/%s/%s", a, r, k),
					action:  a,
					role:    r,
					subject: subjects[k],
					want:    slices.Contains(expected[a][r], k),
				})
			}
		}
	}
	return cases
}

func TestAuthorize(t *testing.T) {
	for _, tt := range policyMatrix() {
		t.Run(tt.name, func(t *testing.T) {
			p := auth.Principal{UserID: me, Role: tt.role, DeptID: "dept-1", Serves: []string{"dept-3"}}
			err := auth.Authorize(p, tt.action, tt.subject)
			if got := err == nil; got != tt.want {
				t.Errorf("Authorize(%s, %s, %+v) allowed = %v (err %v), want %v", tt.role, tt.action, tt.subject, got, err, tt.want)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	for _, a := range auth.Actions() {
		for _, r := range roles {
			want := len(expected[a][r]) > 0
			if got := auth.Allowed(r, a); got != want {
				t.Errorf("Allowed(%s, %s) = %v, want %v", r, a, got, want)
			}
		}
	}
}

func TestAuthorizeDeniesUnknown(t *testing.T) {
	var cases []policyCase
	unknownActions := []auth.Action{"participant.delete", "", "SELF.READ"}
	for _, a := range unknownActions {
		for _, r := range roles {
			for _, k := range subjectKinds {
				cases = append(cases, policyCase{name: fmt.Sprintf("action %q/%s/%s", a, r, k), action: a, role: r, subject: subjects[k]})
			}
		}
	}
	unknownRoles := []models.Role{"", "superuser", "Admin", "ADMIN", " admin"}
	for _, a := range auth.Actions() {
		for _, r := range unknownRoles {
			for _, k := range subjectKinds {
				cases = append(cases, policyCase{name: fmt.Sprintf("role %q/%s/%s", r, a, k), action: a, role: r, subject: subjects[k]})
			}
		}
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := auth.Principal{UserID: me, Role: tt.role}
			if err := auth.Authorize(p, tt.action, tt.subject); err == nil {
				t.Errorf("Authorize(%q, %q, %+v) = nil, want a Forbidden error", tt.role, tt.action, tt.subject)
			}
			if auth.Allowed(tt.role, tt.action) {
				t.Errorf("Allowed(%q, %q) = true, want false", tt.role, tt.action)
			}
		})
	}
}

// TestAuthorizeEmptyIDsNeverMatch guards against a caller without a user ID
// matching a subject without a participant or counselor.
func TestAuthorizeEmptyIDsNeverMatch(t *testing.T) {
	tests := []struct {
		name    string
		role    models.Role
		action  auth.Action
		subject auth.Subject
	}{
		{name: "participant without ID, zero subject", role: models.RoleParticipant, action: auth.ReadParticipant, subject: auth.Subject{}},
		{name: "participant without ID, unassigned participant", role: models.RoleParticipant, action: auth.ReadParticipant, subject: auth.Subject{ParticipantID: "participant-5"}},
		{name: "counselor without ID, zero subject", role: models.RoleCounselor, action: auth.ReadParticipant, subject: auth.Subject{}},
		{name: "counselor without ID, unassigned participant", role: models.RoleCounselor, action: auth.ReadParticipant, subject: auth.Subject{ParticipantID: "participant-5"}},
		{name: "counselor without ID, manage unassigned", role: models.RoleCounselor, action: auth.ManageParticipant, subject: auth.Subject{ParticipantID: "participant-5"}},
		{name: "counselor without ID, reassign unassigned", role: models.RoleCounselor, action: auth.ReassignCounselor, subject: auth.Subject{ParticipantID: "participant-5"}},
		{name: "counselor without ID, availability of nobody", role: models.RoleCounselor, action: auth.ManageAvailability, subject: auth.Subject{}},
		{name: "counselor without department, check-in to nobody's department", role: models.RoleCounselor, action: auth.SendCheckIn, subject: auth.Subject{}},
		{name: "coordinator without department, celebration in no department", role: models.RoleCoordinator, action: auth.ManageCelebrations, subject: auth.Subject{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := auth.Principal{Role: tt.role}
			if err := auth.Authorize(p, tt.action, tt.subject); err == nil {
				t.Errorf("Authorize(%+v, %s, %+v) = nil, want a Forbidden error", p, tt.action, tt.subject)
			}
		})
	}
}

func TestAuthorizeErrorIsForbidden(t *testing.T) {
	tests := []struct {
		name    string
		role    models.Role
		action  auth.Action
		subject auth.Subject
	}{
		{name: "participant reads another participant", role: models.RoleParticipant, action: auth.ReadParticipant, subject: subjects[otherRecord]},
		{name: "coordinator reads a participant", role: models.RoleCoordinator, action: auth.ReadParticipant, subject: subjects[assignedToMe]},
		{name: "counselor manages staff", role: models.RoleCounselor, action: auth.ManageStaff, subject: auth.Subject{}},
		{name: "unknown action", role: models.RoleAdmin, action: "participant.delete", subject: auth.Subject{}},
		{name: "unknown role", role: "superuser", action: auth.ReadSelf, subject: auth.Subject{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.Authorize(auth.Principal{UserID: me, Role: tt.role}, tt.action, tt.subject)
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("Authorize() error = %v (%T), want an *apperr.Error", err, err)
			}
			if ae.Kind != apperr.Forbidden || ae.Code != "auth.forbidden" {
				t.Errorf("Authorize() error kind, code = %s, %q, want %s, %q", ae.Kind, ae.Code, apperr.Forbidden, "auth.forbidden")
			}
		})
	}
}

func TestSubjectOf(t *testing.T) {
	u := models.User{ID: "participant-1", Role: models.RoleParticipant, CounselorID: "counselor-1"}
	want := auth.Subject{ParticipantID: "participant-1", CounselorID: "counselor-1"}
	if got := auth.SubjectOf(u); got != want {
		t.Errorf("SubjectOf(%+v) = %+v, want %+v", u, got, want)
	}
}

func TestAuthorizeLeavesATrailForStaffOnly(t *testing.T) {
	trail := &auth.Trail{}
	counselor := auth.Principal{UserID: me, Role: models.RoleCounselor, Trail: trail}
	if err := auth.Authorize(counselor, auth.ReadWork, subjects[assignedToMe]); err != nil {
		t.Fatal(err)
	}
	_ = auth.Authorize(counselor, auth.ReadWork, subjects[assignedToOther]) // refused: no trail
	_ = auth.Authorize(counselor, auth.ReadWork, subjects[assignedToMe])    // the same touch again
	counselor.Saw(auth.ReadRoster, "participant-7", "")
	participant := auth.Principal{UserID: me, Role: models.RoleParticipant, Trail: trail}
	_ = auth.Authorize(participant, auth.ReadWork, subjects[ownRecord])
	want := []auth.Touch{{ParticipantID: "participant-3", Action: auth.ReadWork}, {ParticipantID: "participant-7", Action: auth.ReadRoster}}
	if got := trail.Touches(); !slices.Equal(got, want) {
		t.Errorf("touches = %v, want %v", got, want)
	}
}
