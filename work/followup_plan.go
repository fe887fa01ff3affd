package work

import "time"

type plannedFollowUp struct {
	kind string
	date time.Time
}

// followUpPlan lists an employment's follow-ups (FollowUpDates) by kind and
// working day.
func followUpPlan(start time.Time) []plannedFollowUp {
	dues := FollowUpDates(start)
	out := make([]plannedFollowUp, len(dues))
	for i, d := range dues {
		out[i] = plannedFollowUp{kind: string(d.Kind), date: d.Due}
	}
	return out
}
