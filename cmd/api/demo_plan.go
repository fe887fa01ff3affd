package main

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/plan"
)

// seedDemoPlan gives a demo participant the plan made at a first meeting
// with their counselor: two goals from their own wishes, one sub-goal
// already ticked by the participant, with a note.
func seedDemoPlan(ctx context.Context, pl *plan.Service, counselor, participant auth.Principal, now time.Time) error {
	today := now.In(activity.Copenhagen())
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	goals := []plan.NewGoal{
		{
			Title: "Få en praktikplads i en butik",
			Wish:  "Jeg vil gerne arbejde med tøj og møde mennesker, i et roligt tempo.",
			SubGoals: []plan.NewSubGoal{
				{Title: "Skrive CV sammen med min rådgiver", TargetDate: date(14)},
				{Title: "Besøge to butikker og spørge om praktik", TargetDate: date(35)},
				{Title: "Starte i praktik et par timer om ugen", TargetDate: date(70)},
			},
		},
		{
			Title: "Komme ud af huset to gange om ugen",
			Wish:  "Jeg vil gerne have mere faste rammer i ugen og møde andre.",
			SubGoals: []plan.NewSubGoal{
				{Title: "Gå til svømning om torsdagen"},
				{Title: "Tage med på museumsbesøg", TargetDate: date(12)},
			},
		},
	}
	var ids []string
	var firstSub string
	for _, in := range goals {
		g, err := pl.CreateGoal(ctx, counselor, participant.UserID, in)
		if err != nil {
			return err
		}
		ids = append(ids, g.ID)
		if firstSub == "" {
			firstSub = g.SubGoals[0].ID
		}
	}
	done, note := true, "CV'et er skrevet. Det var rart at gøre det sammen."
	_, err := pl.UpdateGoal(ctx, participant, participant.UserID, ids[0], plan.GoalChange{
		SubGoals: []plan.SubGoalChange{{ID: firstSub, Done: &done}}, Note: &note,
	})
	return err
}
