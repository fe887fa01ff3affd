package handlers

import (
	"context"
	"io/fs"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/swaggest/swgui/v5/static"
	"github.com/swaggest/swgui/v5emb"

	"github.com/jobbanken/jobkunde/apperr"
)

// mountOps adds the routes outside /v1: probes, metrics, keys and docs.
func mountOps(app *fiber.App, d Deps, docs docsSite) {
	app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := d.Ready(ctx); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "service.unavailable", "The database is not reachable.")
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{})))
	app.Get("/.well-known/jwks.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(d.JWKS)
	})
	app.Get("/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(d.OpenAPI)
	})
	// Routing is not strict, so this route also matches "/docs/".
	app.Get("/docs", func(c *fiber.Ctx) error {
		if c.Path() == "/docs" {
			return c.Redirect("/docs/", fiber.StatusMovedPermanently)
		}
		return docs.serve(c)
	})
	app.Get("/docs/*", func(c *fiber.Ctx) error {
		if name := c.Params("*"); name != "" && !docs.assets[name] {
			return fiber.ErrNotFound // a problem, not the file server's plain-text 404
		}
		return docs.serve(c)
	})
}

// docsSite is the offline API browser at /docs/: Swagger UI with its
// assets embedded in the binary.
type docsSite struct {
	serve  fiber.Handler   // the page (at /docs/) and its assets
	assets map[string]bool // the file names served under /docs/
}

// newDocsSite builds the docs page for the contract at /openapi.yaml.
func newDocsSite() docsSite {
	h := v5emb.New("jobkunde API", "/openapi.yaml", "/docs/")
	assets := map[string]bool{}
	files, _ := fs.ReadDir(static.FS, ".") // an embed.FS: cannot fail
	for _, f := range files {
		// The file server answers "x.js" from "x.js.gz", in the encoding asked for.
		assets[strings.TrimSuffix(f.Name(), ".gz")] = true
	}
	return docsSite{serve: adaptor.HTTPHandler(h), assets: assets}
}
