package messaging

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

// ReplyFigures are first-reply times in office hours.
type ReplyFigures struct {
	Replies       int      `json:"replies"`
	MedianMinutes *float64 `json:"medianMinutes,omitempty"` // absent without replies
	P90Minutes    *float64 `json:"p90Minutes,omitempty"`
	// Waiting counts conversations now waiting longer than one working day.
	Waiting int `json:"waiting"`
}

// CounselorFigures are one counselor's figures: the first replies they
// wrote (as counselor or stand-in) and their caseload's waiting
// conversations.
type CounselorFigures struct {
	CounselorID  string `json:"counselorId"`
	Name         string `json:"name"`
	DepartmentID string `json:"departmentId"`
	ReplyFigures
}

// DepartmentFigures are a department's figures.
type DepartmentFigures struct {
	DepartmentID string `json:"departmentId"`
	ReplyFigures
}

// Stats are the messaging figures for management.
type Stats struct {
	From        time.Time           `json:"from"`
	To          time.Time           `json:"to"`
	Overall     ReplyFigures        `json:"overall"`
	Counselors  []CounselorFigures  `json:"counselors"`
	Departments []DepartmentFigures `json:"departments"`
}

// waitingLookback is how far back an unanswered message is looked for.
const waitingLookback = 180 * 24 * time.Hour

// Stats computes, for the last `days` days (1–365; 30 by default), the
// median and 90th percentile time to first reply in office hours per
// counselor, per department and overall, and the conversations waiting
// longer than one working day (the counselor's average office day) now.
// Reply times are measured in the replier's office hours.
func (s *Service) Stats(ctx context.Context, p auth.Principal, days int) (Stats, error) {
	if err := auth.Require(p.Role, auth.ReadMessagingStats); err != nil {
		return Stats{}, err
	}
	if days == 0 {
		days = 30
	}
	if days < 1 || days > 365 {
		return Stats{}, apperr.InvalidField("days", "stats.days", "Choose 1 to 365 days.")
	}
	now := s.now()
	from := now.Add(-time.Duration(days) * 24 * time.Hour)
	counselors, err := s.store.Counselors(ctx)
	if err != nil {
		return Stats{}, err
	}
	participants, err := s.store.StatsParticipants(ctx)
	if err != nil {
		return Stats{}, err
	}
	ids := make([]string, len(participants))
	for i, u := range participants {
		ids[i] = u.ID
	}
	msgs, err := s.store.MessagesSince(ctx, ids, now.Add(-max(waitingLookback, time.Duration(days)*24*time.Hour)))
	if err != nil {
		return Stats{}, err
	}
	hours := map[string]models.OfficeHours{}
	for _, c := range counselors {
		h, err := s.avail.OfficeHours(ctx, c.ID)
		if err != nil {
			return Stats{}, err
		}
		hours[c.ID] = h
	}
	hoursOf := func(id string) models.OfficeHours {
		if h, ok := hours[id]; ok {
			return h
		}
		return models.DefaultOfficeHours()
	}

	byCounselor := map[string][]float64{}
	var all []float64
	for _, w := range firstReplies(msgs, time.Time{}) {
		if w.to.Before(from) {
			continue
		}
		m := availability.WorkingTime(hoursOf(w.replierID), w.from, w.to).Minutes()
		byCounselor[w.replierID] = append(byCounselor[w.replierID], m)
		all = append(all, m)
	}
	// Waiting now: the caseload's conversations whose oldest unanswered
	// message waited more than one working day of its counselor.
	byParticipant := map[string][]models.Message{}
	for _, m := range msgs {
		byParticipant[m.ParticipantID] = append(byParticipant[m.ParticipantID], m)
	}
	waiting := map[string]int{}
	for _, u := range participants {
		list := byParticipant[u.ID]
		slices.Reverse(list)
		sum := summarize(list, "", false)
		if sum.waitingSince == nil || u.CounselorID == "" {
			continue
		}
		h := hoursOf(u.CounselorID)
		if availability.WorkingTime(h, *sum.waitingSince, now) > availability.AverageDay(h) {
			waiting[u.CounselorID]++
		}
	}

	out := Stats{From: from, To: now, Overall: figures(all), Counselors: []CounselorFigures{}, Departments: []DepartmentFigures{}}
	byDept := map[string][]float64{}
	deptWaiting := map[string]int{}
	for _, c := range counselors {
		f := CounselorFigures{CounselorID: c.ID, Name: c.Name, DepartmentID: c.DepartmentID, ReplyFigures: figures(byCounselor[c.ID])}
		f.Waiting = waiting[c.ID]
		out.Overall.Waiting += f.Waiting
		out.Counselors = append(out.Counselors, f)
		byDept[c.DepartmentID] = append(byDept[c.DepartmentID], byCounselor[c.ID]...)
		deptWaiting[c.DepartmentID] += f.Waiting
	}
	for d, minutes := range byDept {
		f := DepartmentFigures{DepartmentID: d, ReplyFigures: figures(minutes)}
		f.Waiting = deptWaiting[d]
		out.Departments = append(out.Departments, f)
	}
	// Counselors of the same name come in ID order.
	slices.SortFunc(out.Counselors, func(a, b CounselorFigures) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.CounselorID, b.CounselorID))
	})
	slices.SortFunc(out.Departments, func(a, b DepartmentFigures) int { return strings.Compare(a.DepartmentID, b.DepartmentID) })
	return out, nil
}

func figures(minutes []float64) ReplyFigures {
	f := ReplyFigures{Replies: len(minutes)}
	if len(minutes) == 0 {
		return f
	}
	sorted := slices.Sorted(slices.Values(minutes))
	med, p90 := percentile(sorted, 0.5), percentile(sorted, 0.9)
	f.MedianMinutes, f.P90Minutes = &med, &p90
	return f
}
