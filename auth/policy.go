package auth

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID    string
	Role      models.Role
	DeptID    string
	SessionID string // the refresh-token family the access token came from
	// Serves lists the further departments a coordinator serves besides
	// DeptID (an admin sets them). It is not in the token: a capability
	// that scopes a coordinator loads it when it needs it, so
	// a change takes effect at once.
	Serves []string
	// Trail, when set, collects the participants whose data this request
	// was allowed to touch, for the access log. Requests share it through
	// the pointer; Authorize adds to it.
	Trail *Trail
}

// Touch is one participant's data reached through one action.
type Touch struct {
	ParticipantID string
	Action        Action
}

// Trail collects the touches of one request. It is safe for concurrent use.
type Trail struct {
	mu      sync.Mutex
	touches []Touch
}

// Saw records that a staff principal was shown the data of these
// participants through action a (a roster lists many; Authorize records the
// one participant of a subject). Participants' own reads are not logged.
func (p Principal) Saw(a Action, participantIDs ...string) {
	if p.Trail == nil || !p.Role.Staff() {
		return
	}
	p.Trail.mu.Lock()
	defer p.Trail.mu.Unlock()
	for _, id := range participantIDs {
		if id == "" {
			continue
		}
		if t := (Touch{ParticipantID: id, Action: a}); !slices.Contains(p.Trail.touches, t) {
			p.Trail.touches = append(p.Trail.touches, t)
		}
	}
}

// Touches returns what the request touched, in order, each once.
func (t *Trail) Touches() []Touch {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Touch(nil), t.touches...)
}

type principalKey struct{}

// WithPrincipal returns a context that carries p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, if a request was authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Action names something a principal wants to do. Every route maps to one.
type Action string

// The actions. A new capability adds its own and a row in the policy table.
const (
	ReadSelf          Action = "self.read"
	ListDepartments   Action = "department.list"
	ManageDepartments Action = "department.manage"
	ListStaff         Action = "staff.list"
	ManageStaff       Action = "staff.manage"
	ListParticipants  Action = "participant.list"
	EnrollParticipant Action = "participant.enroll"
	ReadParticipant   Action = "participant.read"
	ManageParticipant Action = "participant.manage" // re-issue an activation code
	ReassignCounselor Action = "participant.reassign"

	ListActivities   Action = "activity.list" // the catalogue and one activity
	ManageActivities Action = "activity.manage"
	ReadRoster       Action = "activity.roster"
	SignUp           Action = "enrollment.sign_up"
	CancelEnrollment Action = "enrollment.cancel"
	DecideEnrollment Action = "enrollment.decide" // approve or decline
	// ListPendingApprovals lists the sign-ups waiting for the caller's decision.
	ListPendingApprovals Action = "enrollment.list_pending"
	ListEnrollmentsFor   Action = "enrollment.list" // a participant's enrolments
	RecordAttendance     Action = "attendance.record"

	ManageCalendarFeed Action = "calendar.manage" // issue, rotate or revoke one's calendar feed link

	ReadWork           Action = "work.read"            // employments, follow-ups, hours, payslips, the pension estimate
	ManageWork         Action = "work.manage"          // enter and change them
	ManageFollowUps    Action = "follow_up.manage"     // move, complete or cancel a follow-up meeting, add notes
	ReadPensionRules   Action = "pension_rules.read"   // the pension figures and their sources (transparency)
	ManagePensionRules Action = "pension_rules.manage" // enter or correct a year's figures
	ReadPlan           Action = "plan.read"            // a participant's goals, sub-goals, notes and progress
	ManagePlan         Action = "plan.manage"          // create, change and delete goals (made together in a meeting)
	PlanProgress       Action = "plan.progress"        // tick sub-goals done and add notes

	UseConversation    Action = "conversation.use"      // read and write a participant's conversation and its attachments
	RequestCallback    Action = "conversation.callback" // ask the counselor to call
	ListInbox          Action = "conversation.inbox"    // the counselor's inbox of conversations
	ManageSavedReplies Action = "saved_reply.manage"    // a counselor's own saved replies
	ReadMessagingStats Action = "messaging.stats"       // reply-time figures

	ManageOwnNotifications Action = "notifications.own"   // one's own devices, inbox and preferences
	ManageAvailability     Action = "availability.manage" // a counselor's office hours and away status with a stand-in

	SendCheckIn        Action = "checkin.send"       // ask a department (or everyone) "Hvordan går det?"
	AnswerCheckIn      Action = "checkin.answer"     // answer a check-in one was asked
	ReadCheckInResults Action = "checkin.results"    // the tally of a check-in (and one's own participants' answers)
	ListCelebrations   Action = "celebration.list"   // upcoming "Godt Gået" celebrations (the list is filtered per role)
	ManageCelebrations Action = "celebration.manage" // plan a celebration with its guest list
	AnswerCelebration  Action = "celebration.rsvp"   // the celebrated participant answers the invitation

	ReadConsents        Action = "consent.read"                // a participant's consents and their history
	ManageConsents      Action = "consent.manage"              // give or withdraw a consent (staff: on the participant's behalf, with a reason)
	ExportData          Action = "privacy.export"              // everything held about a participant, as one document
	ReadOwnAccessLog    Action = "access_log.own"              // who among staff read or changed my data
	SearchAccessLog     Action = "access_log.search"           // the access log of everyone
	WithdrawParticipant Action = "participant.withdraw"        // end a participation (udmeldelse)
	UndoWithdrawal      Action = "participant.undo_withdrawal" // take a leaving back before erasure
	ReadStatistics      Action = "statistics.read"             // management figures and their CSV
)

// Subject describes the participant an action touches, for object-level
// checks. The zero Subject is used for actions on no particular participant.
type Subject struct {
	ParticipantID string
	CounselorID   string // the participant's assigned counselor
	StandInID     string // the counselor's stand-in while an absence is in force
	StaffID       string // the staff member whose own settings an action touches (availability)
	DepartmentID  string // the department an action concerns (check-ins, celebrations, an activity's department)
}

// SubjectOf returns the Subject for a participant account.
func SubjectOf(u models.User) Subject {
	return Subject{ParticipantID: u.ID, CounselorID: u.CounselorID}
}

// rule decides one action for one role; nil in the table means "never".
type rule func(p Principal, s Subject) bool

func always(Principal, Subject) bool { return true }

// self: a participant acting on their own data.
func self(p Principal, s Subject) bool { return s.ParticipantID != "" && s.ParticipantID == p.UserID }

// assigned: a counselor acting on a participant assigned to them.
func assigned(p Principal, s Subject) bool { return s.CounselorID != "" && s.CounselorID == p.UserID }

// assignedOrStandIn: the participant's counselor, or the colleague standing
// in for them during an absence (the caller sets StandInID only then).
func assignedOrStandIn(p Principal, s Subject) bool {
	return assigned(p, s) || (s.StandInID != "" && s.StandInID == p.UserID)
}

// staffSelf: a staff member acting on their own settings.
func staffSelf(p Principal, s Subject) bool { return s.StaffID != "" && s.StaffID == p.UserID }

// ownDepartment: a staff member acting on their own department.
func ownDepartment(p Principal, s Subject) bool {
	return s.DepartmentID != "" && s.DepartmentID == p.DeptID
}

// servesDepartment: a coordinator acting in a department they serve (their
// own, or one an admin added).
func servesDepartment(p Principal, s Subject) bool {
	return s.DepartmentID != "" && (s.DepartmentID == p.DeptID || slices.Contains(p.Serves, s.DepartmentID))
}

// noCounselorInServedDepartment: a coordinator deciding for a participant
// who has no active counselor (the caller leaves CounselorID empty then),
// on an activity of a department they serve.
func noCounselorInServedDepartment(p Principal, s Subject) bool {
	return s.ParticipantID != "" && s.CounselorID == "" && servesDepartment(p, s)
}

// policy is the one table of who may do what. Coordinators see rosters (later
// capabilities), never participants' private data; admins administer.
var policy = map[Action]map[models.Role]rule{
	ReadSelf:          {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	ListDepartments:   {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	ManageDepartments: {models.RoleAdmin: always},
	ListStaff:         {models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	ManageStaff:       {models.RoleAdmin: always},
	ListParticipants:  {models.RoleCounselor: always, models.RoleAdmin: always}, // counselors see only their own: the list is filtered
	EnrollParticipant: {models.RoleCounselor: always, models.RoleAdmin: always},
	ReadParticipant:   {models.RoleParticipant: self, models.RoleCounselor: assigned, models.RoleAdmin: always},
	ManageParticipant: {models.RoleCounselor: assigned, models.RoleAdmin: always},
	ReassignCounselor: {models.RoleCounselor: assigned, models.RoleAdmin: always},

	ListActivities: {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	// Coordinators manage, read and mark the activities of the departments
	// they serve (Subject.DepartmentID is the activity's); anyone may join
	// an activity of any department.
	ManageActivities: {models.RoleCoordinator: servesDepartment, models.RoleAdmin: always},
	ReadRoster:       {models.RoleCoordinator: servesDepartment, models.RoleAdmin: always},
	SignUp:           {models.RoleParticipant: self},
	CancelEnrollment: {models.RoleParticipant: self, models.RoleCoordinator: servesDepartment, models.RoleAdmin: always},
	// A sign-up that needs approval is the participant's counselor's to
	// decide (or the stand-in's while they are away); a coordinator decides
	// only for a participant without an active counselor.
	DecideEnrollment:     {models.RoleCounselor: assignedOrStandIn, models.RoleCoordinator: noCounselorInServedDepartment, models.RoleAdmin: always},
	ListPendingApprovals: {models.RoleCounselor: always}, // their caseload and the caseloads they cover
	ListEnrollmentsFor:   {models.RoleParticipant: self, models.RoleCounselor: assigned, models.RoleAdmin: always},
	RecordAttendance:     {models.RoleCoordinator: servesDepartment, models.RoleAdmin: always},

	ManageCalendarFeed: {models.RoleParticipant: self},

	// Work and pension data is the participant's and their counselor's
	// only: coordinators and admins have no need to see it.
	ReadWork:           {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ManageWork:         {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ManageFollowUps:    {models.RoleCounselor: assigned},
	ReadPensionRules:   {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	ManagePensionRules: {models.RoleAdmin: always},
	// The plan is between the participant and their counselor; coordinators
	// and admins have no need for it.
	// A conversation is the participant's, their counselor's and, during an
	// absence, the stand-in's: nobody else's, admins and coordinators included.
	UseConversation:    {models.RoleParticipant: self, models.RoleCounselor: assignedOrStandIn},
	RequestCallback:    {models.RoleParticipant: self},
	ListInbox:          {models.RoleCounselor: always}, // the inbox holds only their own (and covered) conversations
	ManageSavedReplies: {models.RoleCounselor: always}, // one's own saved replies only
	ReadMessagingStats: {models.RoleAdmin: always},

	ManageOwnNotifications: {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},

	ReadPlan:     {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ManagePlan:   {models.RoleCounselor: assigned},
	PlanProgress: {models.RoleParticipant: self, models.RoleCounselor: assigned},
	// A counselor sets their own office hours and away status; an admin
	// may for any counselor (someone is ill and cannot do it).
	ManageAvailability: {models.RoleCounselor: staffSelf, models.RoleAdmin: always},

	// Check-ins: a counselor asks and follows up in their own department,
	// an admin anywhere (or everyone at once). Coordinators are not asked to
	// read how participants are doing.
	SendCheckIn:        {models.RoleCounselor: ownDepartment, models.RoleAdmin: always},
	AnswerCheckIn:      {models.RoleParticipant: self},
	ReadCheckInResults: {models.RoleCounselor: ownDepartment, models.RoleAdmin: always},
	// "Godt Gået": coordinators plan their department's celebrations; the
	// list is filtered (a participant sees their own, a counselor their
	// participants', a coordinator their department's).
	ListCelebrations:   {models.RoleParticipant: always, models.RoleCounselor: always, models.RoleCoordinator: always, models.RoleAdmin: always},
	ManageCelebrations: {models.RoleCoordinator: servesDepartment, models.RoleAdmin: always},
	AnswerCelebration:  {models.RoleParticipant: self},

	// Privacy: the participant and their counselor see and change consents
	// and can produce the export; leaving is the participant's own choice,
	// their counselor's, or an admin's (who acts for the organisation, e.g.
	// when the counselor is away; the counselor is told), and only staff
	// can take it back, as the participant has no access then.
	ReadConsents:        {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ManageConsents:      {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ExportData:          {models.RoleParticipant: self, models.RoleCounselor: assigned},
	ReadOwnAccessLog:    {models.RoleParticipant: always},
	SearchAccessLog:     {models.RoleAdmin: always},
	WithdrawParticipant: {models.RoleParticipant: self, models.RoleCounselor: assigned, models.RoleAdmin: always},
	UndoWithdrawal:      {models.RoleCounselor: assigned, models.RoleAdmin: always},
	ReadStatistics:      {models.RoleAdmin: always},
}

// Authorize returns nil when p may do a to s, else a Forbidden error. An
// action missing from the table is denied to everyone.
//
// A staff principal allowed to touch a participant's data leaves a Touch on
// the request's Trail, so every such read or change reaches the access log
// from this one place.
func Authorize(p Principal, a Action, s Subject) error {
	if r := policy[a][p.Role]; r != nil && r(p, s) {
		p.Saw(a, s.ParticipantID)
		return nil
	}
	return ErrForbidden()
}

// ErrForbidden is the one answer for an action the caller may not take.
func ErrForbidden() error {
	return apperr.New(apperr.Forbidden, "auth.forbidden", "You do not have access to this.")
}

// Require refuses early, before any data is loaded, when role may never do
// a (the coarse half of the policy; Authorize decides per subject).
func Require(role models.Role, a Action) error {
	if !Allowed(role, a) {
		return ErrForbidden()
	}
	return nil
}

// Allowed reports whether role may do a to at least some subjects; routes use
// it to refuse early, before any data is loaded.
func Allowed(role models.Role, a Action) bool { return policy[a][role] != nil }

// Actions lists every action in the policy table, for tests that walk it.
func Actions() []Action {
	out := make([]Action, 0, len(policy))
	for a := range policy {
		out = append(out, a)
	}
	return out
}

// ErrParticipantNotFound is the one answer for a participant that does not
// exist, or that the caller (a participant) may not know exists.
func ErrParticipantNotFound() error {
	return apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
}

// ErrParticipantWithdrawn is the answer for something that needs the
// participant to take part, asked about one who has left.
func ErrParticipantWithdrawn() error {
	return apperr.New(apperr.Conflict, "participant.withdrawn",
		"This participation has ended. It can be taken back (undo the leaving) until the data is erased.")
}

// Participant loads participant id with load and checks that p may do a to
// them. A role that may never do a is refused before anything is loaded,
// so it learns nothing about whether id exists; a participant asking about
// anyone else gets NotFound, as for an unknown ID; staff who may do a to
// some participants get Forbidden for the others.
func Participant(ctx context.Context, p Principal, a Action, id string, load func(context.Context, string) (models.User, error)) (models.User, error) {
	if err := Require(p.Role, a); err != nil {
		return models.User{}, err
	}
	if p.Role == models.RoleParticipant && p.UserID != id {
		return models.User{}, ErrParticipantNotFound()
	}
	u, err := load(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleParticipant) {
		return models.User{}, ErrParticipantNotFound()
	}
	if err != nil {
		return models.User{}, fmt.Errorf("load participant: %w", err)
	}
	if err := Authorize(p, a, SubjectOf(u)); err != nil {
		return models.User{}, err
	}
	return u, nil
}
