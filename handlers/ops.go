package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/swaggest/swgui/v5emb"

	"github.com/jobbanken/jobkunde/apperr"
)

// mountOps adds the routes outside /v1: probes, metrics, keys and docs.
func mountOps(app *fiber.App, d Deps) {
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
	// Swagger UI with its assets embedded in the binary: works offline.
	docs := adaptor.HTTPHandler(v5emb.New("jobkunde API", "/openapi.yaml", "/docs/"))
	// Routing is not strict, so this route also matches "/docs/".
	app.Get("/docs", func(c *fiber.Ctx) error {
		if c.Path() == "/docs" {
			return c.Redirect("/docs/", fiber.StatusMovedPermanently)
		}
		return docs(c)
	})
	app.Get("/docs/*", docs)
}
