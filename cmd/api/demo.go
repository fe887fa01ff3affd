package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/privacy"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/work"
)

// demoPassword is shared by every demo login. Demo data exists only on the
// embedded engine (serve refuses --demo with MONGODB_URI).
const demoPassword = "jobbanken-demo-2026"

const demoAdmin = "admin@demo.jobbanken.dk"

type demoPerson struct {
	role  models.Role
	name  string
	login string
	dept  int // index into the departments
}

var demoDepartments = []string{"Herning", "Aarhus", "København"}

var demoStaff = []demoPerson{
	{models.RoleCounselor, "Mette Vejleder", "mette@demo.jobbanken.dk", 0},
	{models.RoleCounselor, "Jonas Vejleder", "jonas@demo.jobbanken.dk", 1},
	{models.RoleCoordinator, "Sofie Koordinator", "sofie@demo.jobbanken.dk", 0},
}

// demoParticipants belong to the first counselor; the last is left invited
// so the activation flow can be tried with a fresh code.
var demoParticipants = []demoPerson{
	{models.RoleParticipant, "Anna Jobkunde", "+4520000001", 0},
	{models.RoleParticipant, "Bo Jobkunde", "bo@demo.jobbanken.dk", 0},
	{models.RoleParticipant, "Carla Jobkunde", "", 0},
}

// seedDemo creates the demo people once and prints their logins. On later
// starts it only prints them, with a fresh code for the invited participant.
func seedDemo(ctx context.Context, st *store.Store, acc *accounts.Service, act *activity.Service, wrk *work.Service, pl *plan.Service, prv *privacy.Service, out io.Writer, now time.Time) error {
	admin, err := st.UserByLogin(ctx, demoAdmin)
	if apperr.Is(err, apperr.NotFound) {
		admin, err = seedDemoPeople(ctx, st, acc, act, wrk, pl, prv, now)
	}
	if err != nil {
		return err
	}
	invited, _, err := st.Users(ctx, models.UserFilter{Roles: []models.Role{models.RoleParticipant}}, models.Page{Limit: 100})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nDemo logins (password for all: %s)\n", demoPassword)
	fmt.Fprintf(out, "  %-12s %s\n", "admin", demoAdmin)
	for _, p := range demoStaff {
		fmt.Fprintf(out, "  %-12s %s\n", p.role, p.login)
	}
	for _, p := range demoParticipants[:len(demoParticipants)-1] {
		fmt.Fprintf(out, "  %-12s %s\n", p.role, p.login)
	}
	for _, u := range invited {
		if u.Status != models.StatusInvited {
			continue
		}
		code, err := acc.ReissueCode(ctx, auth.Principal{UserID: admin.ID, Role: models.RoleAdmin}, u.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-12s %s has not activated yet: activation code %s\n", u.Role, u.Name, code.Code)
	}
	fmt.Fprintln(out)
	return nil
}

// seedDemoPeople creates the demo departments, people and their data as of now.
func seedDemoPeople(ctx context.Context, st *store.Store, acc *accounts.Service, act *activity.Service, wrk *work.Service, pl *plan.Service, prv *privacy.Service, now time.Time) (models.User, error) {
	admin, err := acc.CreateAdmin(ctx, "Demo Admin", demoAdmin, demoPassword)
	if err != nil {
		return models.User{}, err
	}
	as := auth.Principal{UserID: admin.ID, Role: models.RoleAdmin}
	var depts []models.Department
	for _, name := range demoDepartments {
		d, err := acc.CreateDepartment(ctx, as, name)
		if err != nil {
			return models.User{}, err
		}
		depts = append(depts, d)
	}
	var firstCounselor, coordinator models.User
	for _, p := range demoStaff {
		u, code, err := acc.CreateStaff(ctx, as, accounts.NewStaff{Role: p.role, Name: p.name, Email: p.login, DepartmentID: depts[p.dept].ID})
		if err != nil {
			return models.User{}, err
		}
		if _, err := acc.Activate(ctx, accounts.Activation{Code: code.Code, Login: p.login, Password: demoPassword}, "demo-seed"); err != nil {
			return models.User{}, err
		}
		if firstCounselor.ID == "" && p.role == models.RoleCounselor {
			firstCounselor = u
		}
		if p.role == models.RoleCoordinator {
			coordinator = u
		}
	}
	// The demo coordinator runs every department's catalogue.
	var others []string
	for _, d := range depts {
		others = append(others, d.ID)
	}
	if _, err := acc.SetServedDepartments(ctx, as, coordinator.ID, others); err != nil {
		return models.User{}, err
	}
	counselor := auth.Principal{UserID: firstCounselor.ID, Role: models.RoleCounselor, DeptID: firstCounselor.DepartmentID}
	var active []auth.Principal
	for _, p := range demoParticipants {
		u, code, err := acc.Enroll(ctx, counselor, accounts.NewParticipant{Name: p.name})
		if err != nil {
			return models.User{}, err
		}
		if p.login == "" {
			continue
		}
		active = append(active, auth.Principal{UserID: u.ID, Role: models.RoleParticipant, DeptID: u.DepartmentID})
		if _, err := acc.Activate(ctx, accounts.Activation{Code: code.Code, Login: p.login, Password: demoPassword}, "demo-seed"); err != nil {
			return models.User{}, err
		}
	}
	if err := seedDemoConsents(ctx, prv, active); err != nil {
		return models.User{}, err
	}
	coord := auth.Principal{UserID: coordinator.ID, Role: models.RoleCoordinator, DeptID: coordinator.DepartmentID}
	if err := seedDemoActivities(ctx, act, coord, depts, active, now); err != nil {
		return models.User{}, err
	}
	if err := seedDemoCafe(ctx, st, act, coord, depts[0].ID, active, now); err != nil {
		return models.User{}, err
	}
	if err := seedDemoWork(ctx, wrk, counselor, active, now); err != nil {
		return models.User{}, err
	}
	if err := seedDemoPlan(ctx, pl, counselor, active[0], now); err != nil {
		return models.User{}, err
	}
	if err := seedDemoCelebration(ctx, act, wrk, coord, active[0], now); err != nil {
		return models.User{}, err
	}
	return admin, nil
}

// seedDemoConsents has the demo participants accept the terms and push
// notifications in the app, and all but the last consent to statistics
// (someone always says no, and the figures must cope).
func seedDemoConsents(ctx context.Context, prv *privacy.Service, active []auth.Principal) error {
	for i, p := range active {
		purposes := []models.ConsentPurpose{models.ConsentTerms, models.ConsentPush}
		if i < len(active)-1 {
			purposes = append(purposes, models.ConsentStatistics)
		}
		for _, purpose := range purposes {
			in := privacy.ConsentInput{Purpose: purpose, Given: true, TextVersion: privacy.TextVersions[purpose]}
			if _, err := prv.SetConsent(ctx, p, p.UserID, in); err != nil {
				return fmt.Errorf("demo consent: %w", err)
			}
		}
	}
	return nil
}
