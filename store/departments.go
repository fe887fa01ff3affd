package store

import (
	"context"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/models"
)

// departmentDoc adds the case-folded name that the unique index guards, so
// "Aarhus" and "aarhus" cannot both exist.
type departmentDoc struct {
	models.Department `bson:",inline"`
	NameKey           string `bson:"nameKey"`
}

// InsertDepartment stores a department; a name already in use is a Conflict.
func (s *Store) InsertDepartment(ctx context.Context, d models.Department) error {
	doc := departmentDoc{Department: d, NameKey: strings.ToLower(strings.TrimSpace(d.Name))}
	return insert(ctx, s.c(colDepartments), doc, "department.exists", "A department with this name already exists.")
}

// Department returns the department with id, or a NotFound error.
func (s *Store) Department(ctx context.Context, id string) (models.Department, error) {
	var d departmentDoc
	err := findOne(ctx, s.c(colDepartments), byID(id), &d, "department.not_found", "No such department.")
	return d.Department, err
}

// DepartmentsByID returns the departments with the given IDs, by ID, in one
// query; IDs of no department are left out.
func (s *Store) DepartmentsByID(ctx context.Context, ids []string) (map[string]models.Department, error) {
	out := map[string]models.Department{}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := findAll[departmentDoc](ctx, s.c(colDepartments), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.ID] = d.Department
	}
	return out, nil
}

// Departments lists departments, one page at a time.
func (s *Store) Departments(ctx context.Context, p models.Page) ([]models.Department, string, error) {
	docs, next, err := page(ctx, s.c(colDepartments), bson.D{}, p, func(d departmentDoc) string { return d.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]models.Department, len(docs))
	for i, d := range docs {
		out[i] = d.Department
	}
	return out, next, nil
}
