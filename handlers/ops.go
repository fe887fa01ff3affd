package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"net/http"
	"regexp"
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
	if !d.MetricsElsewhere {
		app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{})))
	}
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
	policy string          // the page's Content-Security-Policy
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
	page := &pageRecorder{header: http.Header{}}
	req, _ := http.NewRequest(http.MethodGet, "/docs/", nil) // a constant URL: cannot fail
	h.ServeHTTP(page, req)
	return docsSite{serve: adaptor.HTTPHandler(h), assets: assets, policy: docsPolicy(page.body.Bytes())}
}

var (
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	inlineStyle  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
)

// docsPolicy is the Content-Security-Policy of the docs page: its scripts,
// stylesheet and icons from this server only, the page's own inline script
// and style allowed by their hashes (no 'unsafe-inline'), the contract and
// "try it out" fetched from this server, images also as data: URLs (the
// stylesheet's icons), and nothing else: no plugins, frames, forms, base
// URL or framing by other sites. The hashes are taken from the page as
// rendered, so an upgrade of the UI cannot leave a stale one behind.
func docsPolicy(page []byte) string {
	hashes := func(re *regexp.Regexp) string {
		var b strings.Builder
		for _, m := range re.FindAllSubmatch(page, -1) {
			sum := sha256.Sum256(m[1])
			b.WriteString(" 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'")
		}
		return b.String()
	}
	return "default-src 'none'" +
		"; script-src 'self'" + hashes(inlineScript) +
		"; style-src 'self'" + hashes(inlineStyle) +
		"; img-src 'self' data:; connect-src 'self'" +
		"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// pageRecorder keeps what an http.Handler writes: the docs page, rendered
// once at start-up to hash its inline script and style.
type pageRecorder struct {
	header http.Header
	body   bytes.Buffer
}

func (r *pageRecorder) Header() http.Header         { return r.header }
func (r *pageRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *pageRecorder) WriteHeader(int)             {}
