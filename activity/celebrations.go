package activity

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Celebrations ("Godt Gået") are activities of kind celebration with one
// session, planned by a coordinator for one participant, with a guest list
// of people who need no account. They live here, beside the catalogue,
// because the catalogue's own rules must keep them private: a celebration
// is never listed, nobody signs up for it, and among participants only the
// celebrated one can see it. The participant is invited by an outbox event
// and answers yes, no or maybe (append-only; the latest answer counts).

// CelebrationStore is the persistence celebrations need beyond the
// activity's own.
type CelebrationStore interface {
	InsertCelebration(ctx context.Context, c models.Celebration) error
	Celebration(ctx context.Context, id string) (models.Celebration, error)
	CelebrationBySlot(ctx context.Context, slot string) (models.Celebration, error)
	ReleaseCelebrationSlot(ctx context.Context, id string) error
	Celebrations(ctx context.Context, f models.CelebrationFilter, p models.Page) ([]models.Celebration, string, error)
	InsertRSVP(ctx context.Context, r models.RSVP) error
	LatestRSVPs(ctx context.Context, celebrationIDs []string) (map[string]models.RSVP, error)
	ActivitiesByID(ctx context.Context, ids []string) (map[string]models.Activity, error)
	UsersByID(ctx context.Context, ids []string) ([]models.User, error)
	ParticipantsOf(ctx context.Context, counselorIDs []string) ([]models.User, error)
	Employment(ctx context.Context, participantID, id string) (models.Employment, error)
}

// Limits of a celebration.
const (
	maxGuestLines     = 50
	maxGuestsPerLine  = 100
	maxMilestoneYears = 60
	maxRSVPNoteRunes  = 500
	defaultPartyHours = 2
)

// catalogueKinds are the kinds the catalogue offers.
var catalogueKinds = []models.ActivityKind{models.KindSport, models.KindNetwork, models.KindCourse}

func errActivityNotFound() error {
	return apperr.New(apperr.NotFound, "activity.not_found", "No such activity.")
}

func errCelebrationNotFound() error {
	return apperr.New(apperr.NotFound, "celebration.not_found", "No such celebration.")
}

func errSingleSession() error {
	return rule("celebration.single_session", "A celebration has one date: cancel it and plan it again to move it.")
}

// hiddenFrom reports whether a is a celebration p may not see: one of
// another participant. Staff see celebrations (not their guest lists).
func (s *Service) hiddenFrom(ctx context.Context, p auth.Principal, a models.Activity) (bool, error) {
	if a.Kind != models.KindCelebration || p.Role != models.RoleParticipant {
		return false, nil
	}
	c, err := s.store.Celebration(ctx, a.ID)
	if apperr.Is(err, apperr.NotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return c.ParticipantID != p.UserID, nil
}

// CelebrationInput is what a coordinator gives to plan a celebration.
type CelebrationInput struct {
	ParticipantID  string
	EmploymentID   string // optional: the job celebrated
	MilestoneYears int    // optional: years in that job (needs EmploymentID)
	Title          models.Text
	Description    models.Text
	Location       string
	StartsAt       time.Time
	EndsAt         time.Time // zero: two hours after the start
	Guests         []models.Guest
}

// check trims in and returns every problem with it as field errors.
func (in *CelebrationInput) check(now time.Time) apperr.Fields {
	var f apperr.Fields
	in.ParticipantID = strings.TrimSpace(in.ParticipantID)
	if in.ParticipantID == "" {
		f.Add("participantId", "field.required", "This field is required.")
	}
	if in.MilestoneYears < 0 || in.MilestoneYears > maxMilestoneYears {
		f.Add("milestoneYears", "celebration.milestone", "Give the years in the job, 1 to 60, together with employmentId.")
	} else if in.MilestoneYears > 0 && in.EmploymentID == "" {
		f.Add("employmentId", "field.required", "A milestone is counted in one job: give employmentId.")
	}
	if strings.TrimSpace(in.Title.Da) == "" && strings.TrimSpace(in.Title.En) == "" {
		in.Title = models.Text{Da: "Godt Gået", En: "Well done"}
	}
	checkText(&f, "title", in.Title, 200, true)
	checkText(&f, "description", in.Description, 5000, false)
	in.Location = strings.TrimSpace(in.Location)
	if utf8.RuneCountInString(in.Location) > 300 {
		f.Add("location", "field.too_long", "Use at most 300 characters.")
	}
	if in.EndsAt.IsZero() && !in.StartsAt.IsZero() {
		in.EndsAt = in.StartsAt.Add(defaultPartyHours * time.Hour)
	}
	switch {
	case in.StartsAt.IsZero():
		f.Add("startsAt", "field.required", "Give a start time.")
	case !in.EndsAt.After(in.StartsAt) || in.EndsAt.Sub(in.StartsAt) > 24*time.Hour:
		f.Add("endsAt", "session.times", "A celebration ends after it starts, within 24 hours.")
	case !in.StartsAt.After(now):
		f.Add("startsAt", "session.past", "A celebration must start in the future.")
	}
	if len(in.Guests) > maxGuestLines {
		f.Add("guests", "celebration.too_many_guests", "At most 50 lines of guests.")
	}
	for i, g := range in.Guests {
		field := fmt.Sprintf("guests[%d]", i)
		g.Name = strings.TrimSpace(g.Name)
		switch {
		case g.Name == "":
			f.Add(field+".name", "field.required", "Give a name, or a group such as \"Kolleger\".")
		case utf8.RuneCountInString(g.Name) > 100:
			f.Add(field+".name", "field.too_long", "Use at most 100 characters.")
		}
		if !g.Relation.Valid() {
			f.Add(field+".relation", "celebration.guest_relation", "Choose company, colleague, relative or other.")
		}
		if g.Count < 1 || g.Count > maxGuestsPerLine { // 0 too, never read as "left out" (the API's default is 1)
			f.Add(field+".count", "celebration.guest_count", "Count 1 to 100 guests per line.")
		}
		in.Guests[i] = g
	}
	return f
}

// CelebrationView is a celebration as one reader sees it. Guests (names of
// third parties) are shown only to the celebration's own circle: the
// participant, their counselor and the department's coordinators; admins
// see how many are coming. RSVP is the participant's latest answer.
type CelebrationView struct {
	ID              string         `json:"id"` // also the activity's ID
	ParticipantID   string         `json:"participantId"`
	ParticipantName string         `json:"participantName"`
	DepartmentID    string         `json:"departmentId"`
	EmploymentID    string         `json:"employmentId,omitempty"`
	MilestoneYears  int            `json:"milestoneYears,omitempty"`
	Title           models.Text    `json:"title"`
	Description     models.Text    `json:"description"`
	Location        string         `json:"location"`
	StartsAt        time.Time      `json:"startsAt"`
	EndsAt          time.Time      `json:"endsAt"`
	State           string         `json:"state"`
	GuestCount      int            `json:"guestCount"`
	Guests          []models.Guest `json:"guests,omitempty"`
	RSVP            *models.RSVP   `json:"rsvp,omitempty"`
	CreatedAt       time.Time      `json:"createdAt"`
}

// CreateCelebration plans a celebration: an activity of kind celebration
// with one session, capacity for the guests and the participant, in the
// participant's department; the participant is invited (outbox event
// "celebration.invited"). A coordinator plans for their own department's
// participants. A milestone (employment and years) is celebrated once while
// its celebration is not cancelled: a second is a Conflict.
func (s *Service) CreateCelebration(ctx context.Context, p auth.Principal, in CelebrationInput) (CelebrationView, error) {
	if err := auth.Require(p.Role, auth.ManageCelebrations); err != nil {
		return CelebrationView{}, err
	}
	in.Guests = append([]models.Guest(nil), in.Guests...)
	if err := in.check(s.now()).Err(); err != nil {
		return CelebrationView{}, err
	}
	u, err := s.store.User(ctx, in.ParticipantID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleParticipant) {
		return CelebrationView{}, apperr.InvalidField("participantId", "participant.not_found", "No such participant.")
	}
	if err != nil {
		return CelebrationView{}, err
	}
	if err := s.authorizeIn(ctx, p, auth.ManageCelebrations, auth.Subject{ParticipantID: u.ID, DepartmentID: u.DepartmentID}); err != nil {
		return CelebrationView{}, err
	}
	if u.WithdrawnAt != nil {
		return CelebrationView{}, auth.ErrParticipantWithdrawn()
	}
	if in.EmploymentID != "" {
		_, err := s.store.Employment(ctx, u.ID, in.EmploymentID)
		if apperr.Is(err, apperr.NotFound) {
			return CelebrationView{}, apperr.InvalidField("employmentId", "employment.not_found", "No such employment for this participant.")
		}
		if err != nil {
			return CelebrationView{}, err
		}
	}
	id := s.newID()
	c := models.Celebration{
		ID: id, ParticipantID: u.ID, DepartmentID: u.DepartmentID, EmploymentID: in.EmploymentID,
		MilestoneYears: in.MilestoneYears, Guests: in.Guests, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(),
		SlotKey: "celebration/" + id, CreatedBy: p.UserID, CreatedAt: s.now(),
	}
	if c.Guests == nil {
		c.Guests = []models.Guest{}
	}
	if in.MilestoneYears > 0 {
		c.SlotKey = models.MilestoneSlot(u.ID, in.EmploymentID, in.MilestoneYears)
		if _, err := s.store.CelebrationBySlot(ctx, c.SlotKey); err == nil {
			return CelebrationView{}, errCelebrationExists()
		} else if !apperr.Is(err, apperr.NotFound) {
			return CelebrationView{}, err
		}
	}
	d := Details{
		Kind: models.KindCelebration, Title: in.Title, Description: in.Description, Location: in.Location,
		DepartmentID: u.DepartmentID, Mode: models.ModeActivity, Capacity: guestCount(c.Guests) + 1,
	}
	if err := s.insertActivity(ctx, p, id, d, []Times{{StartsAt: c.StartsAt, EndsAt: c.EndsAt}}); err != nil {
		return CelebrationView{}, err
	}
	if err := s.store.InsertCelebration(ctx, c); err != nil {
		// Another coordinator planned the same milestone a moment ago: the
		// activity just made is cancelled (it is never shown), theirs stands.
		if cerr := s.store.CancelActivity(ctx, id, s.now()); cerr != nil {
			return CelebrationView{}, cerr
		}
		if apperr.Is(err, apperr.Conflict) {
			return CelebrationView{}, errCelebrationExists()
		}
		return CelebrationView{}, err
	}
	params := map[string]any{"celebrationId": id, "startsAt": c.StartsAt}
	if c.MilestoneYears > 0 {
		params["milestoneYears"] = c.MilestoneYears
	}
	if err := s.recordUntil(ctx, "celebration.invited", u.ID, "celebration.invited:"+id, "celebration:"+id, c.StartsAt, params); err != nil {
		return CelebrationView{}, err
	}
	views, err := s.celebrationViews(ctx, p, []models.Celebration{c})
	if err != nil {
		return CelebrationView{}, err
	}
	return views[0], nil
}

func errCelebrationExists() error {
	return apperr.New(apperr.Conflict, "celebration.exists", "This milestone already has a celebration. Cancel it first to plan it again.")
}

func guestCount(gs []models.Guest) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}

// recordUntil records an event that stops being worth telling at until
// (zero: never), collapsing with others of the same collapse key on the
// phone (empty: none); record is the plain case.
func (s *Service) recordUntil(ctx context.Context, typ, recipient, dedupe, collapse string, until time.Time, params map[string]any) error {
	now := s.now()
	e := models.Event{
		ID: s.newID(), DedupeKey: dedupe, Type: typ, RecipientID: recipient, Params: params,
		CreatedAt: now, DueAt: now, CollapseKey: collapse,
	}
	if !until.IsZero() {
		e.ExpiresAt = &until
	}
	if err := s.store.RecordEvent(ctx, e); err != nil {
		return fmt.Errorf("record %s: %w", typ, err)
	}
	return nil
}

// celebrationCancelled frees a cancelled celebration's milestone and tells
// the participant (once).
func (s *Service) celebrationCancelled(ctx context.Context, id string) error {
	c, err := s.store.Celebration(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil // a celebration that lost a race: nobody was invited
	}
	if err != nil {
		return err
	}
	if err := s.store.ReleaseCelebrationSlot(ctx, id); err != nil {
		return err
	}
	if !c.StartsAt.After(s.now()) {
		return nil // already over: nothing to retract
	}
	params := map[string]any{"celebrationId": id, "startsAt": c.StartsAt}
	return s.recordUntil(ctx, "celebration.cancelled", c.ParticipantID, "celebration.cancelled:"+id, "celebration:"+id, c.StartsAt, params)
}

// Celebrations lists upcoming celebrations (not yet over, cancelled ones
// included) by start time: a participant's own, a counselor's
// participants', a coordinator's department's, and every department's or
// one's (departmentID) for admins.
func (s *Service) Celebrations(ctx context.Context, p auth.Principal, departmentID string, pg models.Page) ([]CelebrationView, string, error) {
	if err := auth.Require(p.Role, auth.ListCelebrations); err != nil {
		return nil, "", err
	}
	f := models.CelebrationFilter{DepartmentID: departmentID, EndsAfter: s.now()}
	switch p.Role {
	case models.RoleParticipant:
		f.ParticipantIDs = []string{p.UserID}
	case models.RoleCounselor:
		mine, err := s.store.ParticipantsOf(ctx, []string{p.UserID})
		if err != nil {
			return nil, "", err
		}
		f.ParticipantIDs = make([]string, 0, len(mine))
		for _, u := range mine {
			f.ParticipantIDs = append(f.ParticipantIDs, u.ID)
		}
	case models.RoleCoordinator:
		if departmentID != "" && departmentID != p.DeptID {
			return nil, "", auth.ErrForbidden()
		}
		if p.DeptID == "" {
			return []CelebrationView{}, "", nil
		}
		f.DepartmentID = p.DeptID
	}
	if f.ParticipantIDs != nil && len(f.ParticipantIDs) == 0 {
		return []CelebrationView{}, "", nil
	}
	items, next, err := s.store.Celebrations(ctx, f, pg)
	if err != nil {
		return nil, "", err
	}
	out, err := s.celebrationViews(ctx, p, items)
	return out, next, err
}

// celebrationViews dresses celebrations for p: the activity's title, place
// and state, the participant's name, the latest answer and, for the
// celebration's circle, the guest list.
func (s *Service) celebrationViews(ctx context.Context, p auth.Principal, cs []models.Celebration) ([]CelebrationView, error) {
	out := make([]CelebrationView, 0, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	ids, people := make([]string, len(cs)), make([]string, 0, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
		people = append(people, c.ParticipantID)
	}
	acts, err := s.store.ActivitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	users, err := s.store.UsersByID(ctx, people)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	answers, err := s.store.LatestRSVPs(ctx, ids)
	if err != nil {
		return nil, err
	}
	circle := p.Role != models.RoleAdmin // the list is already filtered to what each role may see
	for _, c := range cs {
		a := acts[c.ID]
		v := CelebrationView{
			ID: c.ID, ParticipantID: c.ParticipantID, ParticipantName: names[c.ParticipantID], DepartmentID: c.DepartmentID,
			EmploymentID: c.EmploymentID, MilestoneYears: c.MilestoneYears, Title: a.Title, Description: a.Description,
			Location: a.Location, StartsAt: c.StartsAt, EndsAt: c.EndsAt, State: a.State,
			GuestCount: guestCount(c.Guests), CreatedAt: c.CreatedAt,
		}
		if v.State == "" {
			v.State = models.StateScheduled
		}
		if circle {
			v.Guests = c.Guests
		}
		if r, ok := answers[c.ID]; ok {
			if !circle {
				r.Note = "" // the participant's words are for those who plan with them
			}
			v.RSVP = &r
		}
		out = append(out, v)
	}
	return out, nil
}

// RSVP records the celebrated participant's answer (yes, no or maybe, and
// an optional note) until the celebration starts; answering again replaces
// the answer (the latest counts). Whoever planned the celebration is told.
// Anyone else asking gets NotFound.
func (s *Service) RSVP(ctx context.Context, p auth.Principal, id string, answer models.RSVPAnswer, note string) (CelebrationView, error) {
	if err := auth.Require(p.Role, auth.AnswerCelebration); err != nil {
		return CelebrationView{}, err
	}
	c, err := s.store.Celebration(ctx, id) // NotFound "celebration.not_found"
	if err != nil {
		return CelebrationView{}, err
	}
	if err := auth.Authorize(p, auth.AnswerCelebration, auth.Subject{ParticipantID: c.ParticipantID}); err != nil {
		return CelebrationView{}, errCelebrationNotFound()
	}
	var f apperr.Fields
	if !answer.Valid() {
		f.Add("answer", "celebration.answer", "Choose yes, no or maybe.")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxRSVPNoteRunes {
		f.Add("note", "field.too_long", "Use at most 500 characters.")
	}
	if err := f.Err(); err != nil {
		return CelebrationView{}, err
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return CelebrationView{}, err
	}
	switch {
	case a.State == models.StateCancelled:
		return CelebrationView{}, rule("activity.cancelled", "This activity has been cancelled.")
	case !s.now().Before(c.StartsAt):
		return CelebrationView{}, rule("activity.started", "This activity has already started.")
	}
	r := models.RSVP{ID: s.newID(), CelebrationID: c.ID, ParticipantID: p.UserID, Answer: answer, Note: note, AnsweredAt: s.now()}
	if err := s.store.InsertRSVP(ctx, r); err != nil {
		return CelebrationView{}, err
	}
	params := map[string]any{"celebrationId": c.ID, "participantId": c.ParticipantID, "answer": string(answer)}
	if err := s.recordUntil(ctx, "celebration.answered", c.CreatedBy, "celebration.answered:"+r.ID, "celebration.answered:"+c.ID, c.StartsAt, params); err != nil {
		return CelebrationView{}, err
	}
	views, err := s.celebrationViews(ctx, p, []models.Celebration{c})
	if err != nil {
		return CelebrationView{}, err
	}
	return views[0], nil
}
