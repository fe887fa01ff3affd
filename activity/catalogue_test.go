package activity_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// departments adds departments named names besides the fixture's Herning
// and returns every department's ID by name.
func (f *fixture) departments(t *testing.T, names ...string) map[string]string {
	t.Helper()
	ids := map[string]string{"Herning": f.deptID}
	for _, n := range names {
		d := models.Department{ID: uuid.Must(uuid.NewV7()).String(), Name: n, CreatedAt: t0}
		if err := f.st.InsertDepartment(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		ids[n] = d.ID
	}
	// The fixture's coordinator serves them all, to fill their catalogues.
	var served []string
	for _, n := range names {
		served = append(served, ids[n])
	}
	coord, err := f.st.User(context.Background(), f.coord.UserID)
	if err != nil {
		f.user(t, models.User{ID: f.coord.UserID, Role: models.RoleCoordinator, Name: "Sofie", DepartmentID: f.deptID, ServesDepartmentIDs: served})
		return ids
	}
	if err := f.st.SetServedDepartments(context.Background(), coord.ID, append(coord.ServesDepartmentIDs, served...)); err != nil {
		t.Fatal(err)
	}
	return ids
}

// catalogue follows the catalogue page by page and returns each item as
// "title@departmentName", with the number of pages it took.
func catalogue(t *testing.T, svc *activity.Service, p auth.Principal, f activity.Filter, limit int) ([]string, int) {
	t.Helper()
	var got []string
	pages := 0
	for pg := (models.Page{Limit: limit}); ; {
		items, next, err := svc.Activities(context.Background(), p, f, pg)
		if err != nil {
			t.Fatalf("page %d (limit %d): %v", pages+1, limit, err)
		}
		pages++
		if len(items) > limit {
			t.Fatalf("page %d holds %d items, limit %d", pages, len(items), limit)
		}
		for _, a := range items {
			got = append(got, a.Title.Da+"@"+a.DepartmentName)
		}
		if next == "" {
			return got, pages
		}
		if pages > 20 {
			t.Fatalf("no end after %d pages: %v", pages, got)
		}
		pg.After = next
	}
}

// TestCatalogueOwnDepartmentFirst lists activities created in an order
// that mixes three departments: a participant of Herning sees Herning's
// first and then the others, each part in creation order, every item
// naming its department, and no page size repeats, skips or leaves an
// empty last page; without a department (an admin), or with a department
// filter, the order is creation order.
func TestCatalogueOwnDepartmentFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	depts := f.departments(t, "Aarhus", "København")
	created := map[string]string{}
	for _, c := range []struct{ title, dept string }{
		{"a1", "Aarhus"}, {"h1", "Herning"}, {"k1", "København"}, {"h2", "Herning"}, {"a2", "Aarhus"}, {"h3", "Herning"},
	} {
		a := f.create(t, 5, func(d *activity.Details) { d.Title.Da, d.DepartmentID = c.title, depts[c.dept] })
		created[c.title] = a.ID
	}
	anna := auth.Principal{UserID: "participant-anna", Role: models.RoleParticipant, DeptID: depts["Herning"]}
	ownFirst := []string{"h1@Herning", "h2@Herning", "h3@Herning", "a1@Aarhus", "k1@København", "a2@Aarhus"}
	for limit := 1; limit <= 7; limit++ {
		got, pages := catalogue(t, f.svc, anna, activity.Filter{}, limit)
		if !slices.Equal(got, ownFirst) {
			t.Errorf("limit %d: Herning's participant sees %v, want %v", limit, got, ownFirst)
		}
		if want := (len(ownFirst) + limit - 1) / limit; pages != want {
			t.Errorf("limit %d: %d pages, want %d (no empty last page)", limit, pages, want)
		}
	}
	byCreation := []string{"a1@Aarhus", "h1@Herning", "k1@København", "h2@Herning", "a2@Aarhus", "h3@Herning"}
	if got, _ := catalogue(t, f.svc, f.admin(), activity.Filter{}, 4); !slices.Equal(got, byCreation) {
		t.Errorf("the admin sees %v, want %v", got, byCreation)
	}
	aarhus := activity.Filter{ActivityFilter: models.ActivityFilter{DepartmentID: depts["Aarhus"]}}
	if got, _ := catalogue(t, f.svc, anna, aarhus, 1); !slices.Equal(got, []string{"a1@Aarhus", "a2@Aarhus"}) {
		t.Errorf("Herning's participant, filtered to Aarhus, sees %v", got)
	}
	lyngby := auth.Principal{UserID: "participant-bo", Role: models.RoleParticipant, DeptID: f.departments(t, "Lyngby")["Lyngby"]}
	if got, _ := catalogue(t, f.svc, lyngby, activity.Filter{}, 2); !slices.Equal(got, byCreation) {
		t.Errorf("a participant of a department without activities sees %v, want %v", got, byCreation)
	}
	_, _, err := f.svc.Activities(ctx, anna, activity.Filter{}, models.Page{Limit: 2, After: created["a1"]})
	var ae *apperr.Error
	if !asError(err, &ae) || ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Code != "pagination.cursor" {
		t.Errorf("a cursor that is not the catalogue's: %v, want Invalid pagination.cursor", err)
	}
	d, err := f.svc.Activity(ctx, anna, created["k1"])
	if err != nil || d.DepartmentName != "København" {
		t.Errorf("getActivity k1: departmentName %q, %v; want København", d.DepartmentName, err)
	}
}

// TestCatalogueOwnDepartmentFirstKeepsFilters checks that the parts of the
// catalogue keep the caller's other filters (kind, free seats).
func TestCatalogueOwnDepartmentFirstKeepsFilters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	depts := f.departments(t, "Aarhus")
	for i, c := range []struct {
		dept     string
		kind     models.ActivityKind
		capacity int
	}{
		{"Aarhus", models.KindSport, 5}, {"Herning", models.KindCourse, 5}, {"Herning", models.KindSport, 1},
		{"Aarhus", models.KindSport, 1}, {"Herning", models.KindSport, 5},
	} {
		a := f.create(t, c.capacity, func(d *activity.Details) {
			d.Title.Da, d.DepartmentID, d.Kind = fmt.Sprint(i), depts[c.dept], c.kind
		})
		if c.capacity == 1 {
			if _, _, err := f.svc.SignUp(ctx, participant(1), a.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	anna := auth.Principal{UserID: "participant-anna", Role: models.RoleParticipant, DeptID: depts["Herning"]}
	sport := activity.Filter{ActivityFilter: models.ActivityFilter{Kind: models.KindSport}}
	if got, _ := catalogue(t, f.svc, anna, sport, 2); !slices.Equal(got, []string{"2@Herning", "4@Herning", "0@Aarhus", "3@Aarhus"}) {
		t.Errorf("sport, own department first: %v", got)
	}
	sport.FreeSeats = true
	if got, _ := catalogue(t, f.svc, anna, sport, 2); !slices.Equal(got, []string{"4@Herning", "0@Aarhus"}) {
		t.Errorf("sport with free seats, own department first: %v", got)
	}
}
