package checkin

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Counts is a tally of current answers.
type Counts struct {
	Asked    int `json:"asked"`
	Good     int `json:"good"`
	Okay     int `json:"okay"`
	Talk     int `json:"talk"`
	NoAnswer int `json:"noAnswer"`
}

func (c *Counts) add(choice models.CheckInChoice) {
	switch choice {
	case models.CheckInGood:
		c.Good++
	case models.CheckInOkay:
		c.Okay++
	case models.CheckInTalk:
		c.Talk++
	}
}

// DepartmentTally is the tally of one department.
type DepartmentTally struct {
	DepartmentID   string `json:"departmentId"`
	DepartmentName string `json:"departmentName"`
	Counts
}

// ParticipantAnswer is one of a counselor's own participants and their
// current answer (no Choice: not answered yet).
type ParticipantAnswer struct {
	ParticipantID string               `json:"participantId"`
	Name          string               `json:"name"`
	Choice        models.CheckInChoice `json:"choice,omitempty"`
	Text          string               `json:"text,omitempty"`
	AnsweredAt    *time.Time           `json:"answeredAt,omitempty"`
}

// Results is the live state of a check-in: counts per department (no
// names), and for a counselor their own participants' answers by name,
// those who would like to talk first.
type Results struct {
	CheckIn        models.CheckIn      `json:"checkIn"`
	Open           bool                `json:"open"`
	Total          Counts              `json:"total"`
	Departments    []DepartmentTally   `json:"departments"`
	MyParticipants []ParticipantAnswer `json:"myParticipants,omitempty"`
}

// Results returns the tally of a check-in, derived from who was asked and
// the answers as they are now. Admins see every department asked, counts
// only. A counselor sees their own department's counts (for a check-in to
// that department or to everyone) and the answers of their own
// participants who were asked, by name, so they can follow up.
func (s *Service) Results(ctx context.Context, p auth.Principal, id string) (Results, error) {
	if err := auth.Require(p.Role, auth.ReadCheckInResults); err != nil {
		return Results{}, err
	}
	c, err := s.store.CheckIn(ctx, id)
	if err != nil {
		return Results{}, err
	}
	// Every department was asked by a check-in to everyone: a counselor's
	// own is among them.
	dept := cmp.Or(c.DepartmentID, p.DeptID)
	if err := auth.Authorize(p, auth.ReadCheckInResults, auth.Subject{DepartmentID: dept}); err != nil {
		return Results{}, err
	}
	only := "" // admins: every department
	if p.Role != models.RoleAdmin {
		only = dept
	}
	asked, err := s.store.AskedByDepartment(ctx, c.ID)
	if err != nil {
		return Results{}, err
	}
	answers, err := s.store.CheckInAnswers(ctx, c.ID, only, nil)
	if err != nil {
		return Results{}, err
	}
	res := Results{CheckIn: c, Open: s.now().Before(c.ClosesAt), Departments: []DepartmentTally{}}
	byDept := map[string]*DepartmentTally{}
	for d, n := range asked {
		if only != "" && d != only {
			continue
		}
		name := ""
		if dd, err := s.store.Department(ctx, d); err == nil {
			name = dd.Name
		} else if !apperr.Is(err, apperr.NotFound) {
			return Results{}, err
		}
		byDept[d] = &DepartmentTally{DepartmentID: d, DepartmentName: name, Counts: Counts{Asked: n}}
	}
	for _, a := range current(answers) {
		if t := byDept[a.DepartmentID]; t != nil {
			t.add(a.Choice)
		}
	}
	for _, t := range byDept {
		t.NoAnswer = max(0, t.Asked-t.Good-t.Okay-t.Talk)
		res.Total.Asked += t.Asked
		res.Total.Good += t.Good
		res.Total.Okay += t.Okay
		res.Total.Talk += t.Talk
		res.Total.NoAnswer += t.NoAnswer
		res.Departments = append(res.Departments, *t)
	}
	slices.SortFunc(res.Departments, func(a, b DepartmentTally) int {
		return cmp.Or(cmp.Compare(a.DepartmentName, b.DepartmentName), cmp.Compare(a.DepartmentID, b.DepartmentID))
	})
	if p.Role == models.RoleCounselor {
		if res.MyParticipants, err = s.mine(ctx, p, c); err != nil {
			return Results{}, err
		}
	}
	return res, nil
}

// mine lists the counselor's own participants who were asked, with their
// current answers: "I'd like to talk" first, then those who have not
// answered, then okay, then good; by name within each.
func (s *Service) mine(ctx context.Context, p auth.Principal, c models.CheckIn) ([]ParticipantAnswer, error) {
	caseload, err := s.store.ParticipantsOf(ctx, []string{p.UserID})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(caseload))
	ids := make([]string, 0, len(caseload))
	for _, u := range caseload {
		names[u.ID] = u.Name
		ids = append(ids, u.ID)
	}
	asked, err := s.store.CheckInRecipientsAmong(ctx, c.ID, ids)
	if err != nil {
		return nil, err
	}
	out := []ParticipantAnswer{}
	if len(asked) == 0 {
		return out, nil
	}
	askedIDs := make([]string, len(asked))
	for i, r := range asked {
		askedIDs[i] = r.ParticipantID
	}
	answers, err := s.store.CheckInAnswers(ctx, c.ID, "", askedIDs)
	if err != nil {
		return nil, err
	}
	latest := current(answers)
	for _, id := range askedIDs {
		pa := ParticipantAnswer{ParticipantID: id, Name: names[id]}
		if a, ok := latest[id]; ok {
			at := a.AnsweredAt
			pa.Choice, pa.Text, pa.AnsweredAt = a.Choice, a.Text, &at
			p.Saw(auth.ReadCheckInResults, id) // an answer read by their counselor is in their access log
		}
		out = append(out, pa)
	}
	rank := map[models.CheckInChoice]int{models.CheckInTalk: 0, "": 1, models.CheckInOkay: 2, models.CheckInGood: 3}
	slices.SortFunc(out, func(a, b ParticipantAnswer) int {
		return cmp.Or(cmp.Compare(rank[a.Choice], rank[b.Choice]), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ParticipantID, b.ParticipantID))
	})
	return out, nil
}

// current keeps each participant's highest answer version.
func current(all []models.CheckInAnswer) map[string]models.CheckInAnswer {
	out := make(map[string]models.CheckInAnswer, len(all))
	for _, a := range all {
		if prev, ok := out[a.ParticipantID]; !ok || a.Version > prev.Version {
			out[a.ParticipantID] = a
		}
	}
	return out
}
