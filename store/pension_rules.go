package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/work"
)

// colPensionRuleVersions holds the pension figures admins entered, one
// document per version of a year's figures, never updated or deleted: the
// history of who entered which figure when. A unique index on (year,
// scheme, version) lets exactly one of two racing admins store a version.
const colPensionRuleVersions = "pension_rule_versions"

// InsertPensionRuleVersion stores a new version of a year's figures. A
// version number the year and scheme already have is a Conflict
// "pension.rules_changed": someone stored a version first.
func (s *Store) InsertPensionRuleVersion(ctx context.Context, v work.RuleVersion) error {
	return insert(ctx, s.c(colPensionRuleVersions), v, "pension.rules_changed",
		"The figures for this year were just changed by someone else: load them again and re-enter the change.")
}

// PensionRuleVersions returns every stored version, ordered by year, scheme
// and version. The collection stays small (a few corrections a year).
func (s *Store) PensionRuleVersions(ctx context.Context) ([]work.RuleVersion, error) {
	sort := bson.D{{Key: "year", Value: 1}, {Key: "scheme", Value: 1}, {Key: "version", Value: 1}}
	return findAll[work.RuleVersion](ctx, s.c(colPensionRuleVersions), bson.D{}, options.Find().SetSort(sort))
}
