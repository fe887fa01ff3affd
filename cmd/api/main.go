// Command api is the jobkunde backend: the HTTP API and its maintenance
// subcommands. Run `api --help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // calendar rules run in Europe/Copenhagen on any base image
)

const usage = `api is the jobkunde backend.

Usage:
  api [serve] [--demo]          run the HTTP API (--demo seeds demo data; embedded engine only)
  api migrate                   create the indexes, run the one-off data migrations, then exit
  api create-admin --email E [--name N]
                                create the first admin; the password is read from standard input
  api keygen                    print a new Ed25519 signing key (PEM) for JWT_PRIVATE_KEY
  api backup --to FILE          write a consistent backup of DATA_DIR (embedded engine; the service may run)
  api restore --from FILE       unpack a backup into an empty DATA_DIR (the service stopped)
  api copy-data --to URI [--to-database NAME] [--allow-nonempty]
                                copy every collection and index to another MongoDB, then verify the counts
  api seed --participants N [--months M] [--seed S] [--force-reseed]
                                fill an empty database with a generated organisation (N participants,
                                M months of history, default 12) for benchmarks and load tests;
                                every login's password is jobbanken-seed-2026; refuses real data
  api --help                    show this help

Configuration comes from environment variables; see .env.example.
`

// errUsage marks a command-line mistake: exit code 2, no stack of logs.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand. It owns no globals: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") || cmd == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))

	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(stderr)
		demo := fs.Bool("demo", false, "seed demo data (embedded engine only)")
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		return serve(ctx, cfg, log, serveOptions{demo: *demo, demoOut: stdout})
	case "migrate":
		return migrate(ctx, cfg, log)
	case "create-admin":
		fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
		fs.SetOutput(stderr)
		email := fs.String("email", "", "the admin's email address (their login)")
		name := fs.String("name", "Administrator", "the admin's name")
		if err := fs.Parse(args); err != nil || *email == "" {
			fmt.Fprintln(stderr, "usage: api create-admin --email <email> [--name <name>] < password")
			return errUsage
		}
		return createAdmin(ctx, cfg, *name, *email, stdin, stdout)
	case "keygen":
		return keygen(stdout)
	case "copy-data":
		fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
		fs.SetOutput(stderr)
		to := fs.String("to", "", "the target MongoDB (mongodb:// or mongodb+srv:// address)")
		db := fs.String("to-database", cfg.MongoDatabase, "the target database name")
		allow := fs.Bool("allow-nonempty", false, "write into a target that holds documents (a re-run: documents are replaced by _id)")
		if err := fs.Parse(args); err != nil || *to == "" {
			fmt.Fprintln(stderr, "usage: api copy-data --to mongodb://… [--to-database NAME] [--allow-nonempty]")
			return errUsage
		}
		return copyData(ctx, cfg, *to, *db, *allow, stdout)
	case "backup", "restore":
		fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
		fs.SetOutput(stderr)
		to := fs.String("to", "", "the backup file to write")
		from := fs.String("from", "", "the backup file to restore")
		if err := fs.Parse(args); err != nil || (cmd == "backup" && *to == "") || (cmd == "restore" && *from == "") {
			fmt.Fprintln(stderr, "usage: api backup --to FILE | api restore --from FILE")
			return errUsage
		}
		if cmd == "backup" {
			return backup(ctx, cfg, *to, stdout)
		}
		return restore(cfg, *from, stdout)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		fs.SetOutput(stderr)
		var o seedOptions
		fs.IntVar(&o.participants, "participants", 0, fmt.Sprintf("how many participants (1–%d); staff and departments follow", seedMaxParticipants))
		fs.IntVar(&o.months, "months", seedDefaultMonths, fmt.Sprintf("months of history up to now (1–%d)", seedMaxMonths))
		fs.Int64Var(&o.seed, "seed", seedDefaultSeed, "the generator's seed: the same flags give the same data")
		fs.BoolVar(&o.forceReseed, "force-reseed", false, "drop a database api seed filled before and seed it again (never one with real data)")
		if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
			return errUsage
		}
		if err := o.check(); err != nil {
			fmt.Fprintf(stderr, "%v\nusage: api seed --participants N [--months M] [--seed S] [--force-reseed]\n", err)
			return errUsage
		}
		o.now = time.Now()
		return seedDatabase(ctx, cfg, o, stdout)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}
