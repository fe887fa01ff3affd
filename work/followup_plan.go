package work

import "time"

type plannedFollowUp struct {
	kind string
	date time.Time
}

// followUpPlan is replaced by the schedule in schedule.go when it lands.
func followUpPlan(start time.Time) []plannedFollowUp {
	out := []plannedFollowUp{{"14d", start.AddDate(0, 0, 14)}, {"3m", start.AddDate(0, 3, 0)}, {"6m", start.AddDate(0, 6, 0)}, {"12m", start.AddDate(0, 12, 0)}}
	for i := range out {
		for out[i].date.Weekday() == time.Saturday || out[i].date.Weekday() == time.Sunday {
			out[i].date = out[i].date.AddDate(0, 0, 1)
		}
	}
	return out
}
