package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/japan-dprk/timeline/timeline"
)

const tokenUsage = `Usage:
  timeline token add    [--db PATH] [--label TEXT] USER   make an API token for USER; printed once, on standard output
  timeline token list   [--db PATH]                       list tokens (never the tokens themselves)
  timeline token revoke [--db PATH] ID                    revoke a token`

var tokenAbout = map[string]string{
	"add":    "Makes an API token for the user USER. It is printed once, on standard output.",
	"list":   "Lists the tokens (never the tokens themselves).",
	"revoke": "Revokes the token with the ID that timeline token list shows.",
}

// cmdToken manages API tokens.
func cmdToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, tokenUsage)
		return usageError{"token: no subcommand given"}
	}
	if wantHelp(args) {
		fmt.Fprintln(stdout, tokenUsage)
		return flag.ErrHelp
	}
	synopsis := map[string]string{"add": "add [--db PATH] [--label TEXT] USER", "list": "list [--db PATH]", "revoke": "revoke [--db PATH] ID"}[args[0]]
	if synopsis == "" {
		fmt.Fprintln(stderr, tokenUsage)
		return usageError{fmt.Sprintf("token: unknown subcommand %q", args[0])}
	}
	fs := newFlags("token "+args[0], "timeline token "+synopsis, tokenAbout[args[0]], stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, which must exist (TIMELINE_DB sets the default)")
	label := fs.String("label", "", "what the token is for")
	if err := fs.parse(args[1:]); err != nil {
		return err
	}
	want := 1
	if args[0] == "list" {
		want = 0
	}
	if fs.NArg() != want {
		fs.usage(stderr)
		return usageError{fmt.Sprintf("token %s: wrong number of arguments", args[0])}
	}
	var id int64
	if args[0] == "revoke" {
		n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil || n < 1 {
			return usageError{fmt.Sprintf("token revoke: %q is not a token ID (see timeline token list)", fs.Arg(0))}
		}
		id = n
	}
	if err := requireDB("token "+args[0], *dbPath); err != nil {
		return err
	}
	store, err := timeline.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "add":
		token, err := store.CreateToken(ctx, fs.Arg(0), *label)
		if err != nil {
			return fmt.Errorf("token add: %w", err)
		}
		if err := store.Audit(ctx, timeline.AuditEntry{Actor: "cli", Action: timeline.AuditTokenAdd, Target: fs.Arg(0), Detail: *label}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
		fmt.Fprintln(stderr, "This token is shown only now: keep it safe.")
	case "list":
		tokens, err := store.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED\tLAST USED\tSTATUS")
		for _, t := range tokens {
			used, status := "never", "active"
			if t.LastUsedAt != nil {
				used = t.LastUsedAt.Format("2006-01-02 15:04")
			}
			if t.RevokedAt != nil {
				status = "revoked " + t.RevokedAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserName, t.Label, t.CreatedAt.Format("2006-01-02"), used, status)
		}
		return tw.Flush()
	case "revoke":
		if err := store.RevokeToken(ctx, id); err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
		if err := store.Audit(ctx, timeline.AuditEntry{Actor: "cli", Action: timeline.AuditTokenRevoke, Target: strconv.FormatInt(id, 10)}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d\n", id)
	}
	return nil
}
