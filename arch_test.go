package jobkunde_test

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is this module's path; its own packages are named below it.
const module = "github.com/jobbanken/jobkunde"

// stdlibOr forbids every dependency outside the standard library (import
// paths whose first element has no dot) except the given module packages.
func stdlibOr(allowed ...string) func(dep string) bool {
	return func(dep string) bool {
		first, _, _ := strings.Cut(dep, "/")
		if !strings.Contains(first, ".") {
			return false
		}
		for _, a := range allowed {
			if dep == a {
				return false
			}
		}
		return true
	}
}

// underAny forbids the given path prefixes. A prefix ending in "/" matches
// everything below it; any other prefix matches that package and its
// subpackages.
func underAny(prefixes ...string) func(dep string) bool {
	return func(dep string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(dep, p) && (strings.HasSuffix(p, "/") || len(dep) == len(p) || dep[len(p)] == '/') {
				return true
			}
		}
		return false
	}
}

// goListDeps returns the import paths pkg depends on, itself included.
func goListDeps(t *testing.T, pkg string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go tool not in PATH: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(goBin, "list", "-deps", pkg)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr.String())
	}
	return strings.Fields(string(out))
}

func filter(deps []string, bad func(string) bool) []string {
	var out []string
	for _, d := range deps {
		if bad(d) {
			out = append(out, d)
		}
	}
	return out
}

// TestDependencyDirection enforces style.md §3: pure packages stay pure.
func TestDependencyDirection(t *testing.T) {
	capabilityForbidden := underAny("github.com/gofiber/", "go.mongodb.org/", "firebase.google.com/", "github.com/FerretDB/")
	tests := []struct {
		pkg        string
		importPath string
		rule       string
		forbidden  func(dep string) bool
	}{
		{
			pkg:        "./models",
			importPath: module + "/models",
			rule:       "standard library only",
			forbidden:  stdlibOr(module+"/models", module+"/apperr"),
		},
		{
			pkg:        "./apperr",
			importPath: module + "/apperr",
			rule:       "standard library only",
			forbidden:  stdlibOr(module+"/models", module+"/apperr"),
		},
		{
			pkg:        "./pension",
			importPath: module + "/pension",
			rule:       "pure rules: standard library, apperr and models only",
			forbidden:  stdlibOr(module+"/models", module+"/apperr", module+"/pension"),
		},
		{
			pkg:        "./accounts",
			importPath: module + "/accounts",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./plan",
			importPath: module + "/plan",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./activity",
			importPath: module + "/activity",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./messaging",
			importPath: module + "/messaging",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./work",
			importPath: module + "/work",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./availability",
			importPath: module + "/availability",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./checkin",
			importPath: module + "/checkin",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./privacy",
			importPath: module + "/privacy",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./stats",
			importPath: module + "/stats",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./jobs",
			importPath: module + "/jobs",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./notifications",
			importPath: module + "/notifications",
			rule:       "no Fiber, MongoDB driver or FerretDB (Firebase is its own)",
			forbidden:  underAny("github.com/gofiber/", "go.mongodb.org/", "github.com/FerretDB/"),
		},
		{
			pkg:        "./auth",
			importPath: module + "/auth",
			rule:       "no Fiber, MongoDB driver, Firebase or FerretDB",
			forbidden:  capabilityForbidden,
		},
		{
			pkg:        "./handlers",
			importPath: module + "/handlers",
			rule:       "no MongoDB driver and no store",
			forbidden:  underAny("go.mongodb.org/", module+"/store"),
		},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.pkg, "./"), func(t *testing.T) {
			t.Parallel()
			deps := goListDeps(t, tt.pkg)
			if !slices.Contains(deps, tt.importPath) {
				t.Fatalf("go list -deps %s does not list %s itself; got %d packages", tt.pkg, tt.importPath, len(deps))
			}
			if bad := filter(deps, tt.forbidden); len(bad) > 0 {
				t.Errorf("%s must have %s; got %d forbidden dependencies:\n\t%s", tt.importPath, tt.rule, len(bad), strings.Join(bad, "\n\t"))
			}
		})
	}
}

// TestDependencyRules checks the predicates themselves, so a typo in a rule
// cannot make TestDependencyDirection pass vacuously.
func TestDependencyRules(t *testing.T) {
	stdOnly := stdlibOr(module+"/models", module+"/apperr")
	capability := underAny("github.com/gofiber/", "go.mongodb.org/")
	noStore := underAny(module + "/store")
	tests := []struct {
		name      string
		forbidden func(string) bool
		dep       string
		want      bool
	}{
		{name: "stdlib is fine", forbidden: stdOnly, dep: "encoding/json", want: false},
		{name: "stdlib vendor is fine", forbidden: stdOnly, dep: "vendor/golang.org/x/net/idna", want: false},
		{name: "own models is fine", forbidden: stdOnly, dep: module + "/models", want: false},
		{name: "own store is not", forbidden: stdOnly, dep: module + "/store", want: true},
		{name: "x/text is not stdlib", forbidden: stdOnly, dep: "golang.org/x/text/language", want: true},
		{name: "fiber is forbidden", forbidden: capability, dep: "github.com/gofiber/fiber/v2", want: true},
		{name: "driver is forbidden", forbidden: capability, dep: "go.mongodb.org/mongo-driver/v2/bson", want: true},
		{name: "fasthttp is allowed by the capability rule", forbidden: capability, dep: "github.com/valyala/fasthttp", want: false},
		{name: "store is forbidden", forbidden: noStore, dep: module + "/store", want: true},
		{name: "store subpackage is forbidden", forbidden: noStore, dep: module + "/store/embedded", want: true},
		{name: "storefront is not store", forbidden: noStore, dep: module + "/storefront", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.forbidden(tt.dep); got != tt.want {
				t.Errorf("forbidden(%q) = %v, want %v", tt.dep, got, tt.want)
			}
		})
	}
}
