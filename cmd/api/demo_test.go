package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/store/storetest"
	"github.com/jobbanken/jobkunde/work"
)

// TestDemoSeedShowsEveryCapability seeds the demo twice (the second start
// only prints the logins) and checks that a demo participant has a job,
// hours and an estimate to look at.
func TestDemoSeedShowsEveryCapability(t *testing.T) {
	ctx := context.Background()
	st := storetest.Store(t, testNow)
	rules, err := pension.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Keys: auth.NewKeySet(key), Issuer: "test", Audience: "test", TTL: time.Minute, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(st, tokens, accounts.DefaultLimits, testNow, newID)
	act := activity.New(st, availability.New(st, testNow, newID), testNow, newID)
	wrk := work.New(st, work.NewRuleBook(st, rules, testNow, newID), work.Config{}, testNow, newID)
	for range 2 {
		var out bytes.Buffer
		if err := seedDemo(ctx, st, acc, act, wrk, plan.New(st, testNow, newID), privacy.New(st, act, privacy.Config{}, testNow, newID), &out, testNow()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), demoParticipants[0].login) {
			t.Fatalf("demo output lacks the participant login:\n%s", out.String())
		}
	}
	anna, err := st.UserByLogin(ctx, demoParticipants[0].login)
	if err != nil {
		t.Fatal(err)
	}
	p := auth.Principal{UserID: anna.ID, Role: models.RoleParticipant}
	emps, err := wrk.Employments(ctx, p, anna.ID)
	if err != nil || len(emps) != 1 || !emps[0].Current || !emps[0].EmployerContact.Given {
		t.Fatalf("Anna's employments = %+v, %v", emps, err)
	}
	st2, err := wrk.Status(ctx, p, anna.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Basis != pension.Basis(plannedBasis()) || !st2.ProfileSaved || (testNow().YearDay() > 7 && st2.YTDGrossWageKr == 0) {
		t.Errorf("Anna's estimate = %+v", st2)
	}
	bo, err := st.UserByLogin(ctx, demoParticipants[1].login)
	if err != nil {
		t.Fatal(err)
	}
	emps, err = wrk.Employments(ctx, auth.Principal{UserID: bo.ID, Role: models.RoleParticipant}, bo.ID)
	if err != nil || len(emps) != 1 || emps[0].Internship == nil || emps[0].Internship.WeeksUsed != 10 {
		t.Fatalf("Bo's internship = %+v, %v", emps, err)
	}
	parties, _, err := act.Celebrations(ctx, p, "", models.Page{Limit: 10})
	if err != nil || len(parties) != 1 || parties[0].GuestCount != 4 || parties[0].StartsAt.Before(testNow().AddDate(0, 0, 7)) {
		t.Fatalf("Anna's celebrations = %+v, %v; want one, a week or more ahead, four guests", parties, err)
	}
}
