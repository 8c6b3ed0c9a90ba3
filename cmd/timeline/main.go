// Command timeline serves and maintains the Japan–DPRK diplomacy
// chronology: timeline serve | init | import | export | check | synth |
// user | token | backup | restore | version.
//
// main only calls run(ctx, args, getenv, stdin, stdout, stderr), which
// picks the subcommand; each has its own file (serve.go, init.go,
// import.go, export.go, check.go, synth.go, user.go, token.go, backup.go
// with restore), and flags.go holds their shared flag handling.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ue usageError
		// Errors from the timeline package already say where they come
		// from; say it once.
		fmt.Fprintln(os.Stderr, "timeline:", strings.TrimPrefix(err.Error(), "timeline: "))
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `timeline: the Japan–DPRK diplomacy chronology

Usage:
  timeline serve   [--addr 127.0.0.1:8080] [--db ./timeline.db]   serve the site (creates the database, with the shipped dataset, when missing)
  timeline init    [--db PATH] [--empty]                          create a database: with the shipped dataset, or --empty (schema only)
  timeline user    add|list|disable|enable [--db PATH] [--role editor|admin] [NAME]   manage editors and admins
  timeline token   add|list|revoke [--db PATH] [USER|ID]            manage API tokens
  timeline export  --format csv|json|ics|md|timelinejs [--db PATH] [--from D] [--to D] [--category C]… [--actor A]… [--tag T]… [--sig N] [--q TEXT] [--out FILE]   export a view
  timeline import  [--db PATH] [--format json|csv|timelinejs] [--dry-run] [--user NAME] FILE|-   import events from FILE (- for standard input), all or nothing
  timeline backup  [--db PATH] [--force] DEST                      copy the live database to DEST (consistent; the server keeps serving)
  timeline restore [--db PATH] SRC                                 check SRC and replace the database with it (stop the server first)
  timeline build-site --out DIR [--db PATH] [--base-url URL]       write a static copy of the public site (rebuilds write only what changed)
  timeline check   [--db PATH]                                    check the database for damage and broken rules (exit 1 on any problem)
  timeline synth   --db PATH --events N [--seed S]                 fill a scratch database with synthetic events (benchmarks)
  timeline version                                                 print the version

Every command but serve, init, synth and restore refuses a --db that does not exist.
Flags may come before or after the arguments.
Environment: TIMELINE_ADDR and TIMELINE_DB set the defaults of --addr and --db.
Run "timeline COMMAND --help" for a command's arguments and flags.
`

// run is the whole program, with its inputs and outputs passed in so that
// tests can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the help was asked for and printed
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], getenv, stdout, stderr)
	case "init":
		return cmdInit(ctx, args[1:], getenv, stdout, stderr)
	case "synth":
		return cmdSynth(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "token":
		return cmdToken(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], getenv, stdout, stderr)
	case "build-site":
		return cmdBuildSite(ctx, args[1:], getenv, stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-version":
		if wantHelp(args[1:]) {
			fmt.Fprintln(stdout, "Usage: timeline version\n\nPrints the version.")
			return nil
		}
		if len(args) > 1 {
			return usageError{fmt.Sprintf("version: unexpected argument %q", args[1])}
		}
		fmt.Fprintln(stdout, "timeline", version)
		return nil
	case "help", "--help", "-h":
		if len(args) > 1 && args[1] != "help" && !wantHelp(args[1:]) {
			return dispatch(ctx, []string{args[1], "--help"}, getenv, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}
