package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/japan-dprk/timeline/timeline"
)

const userUsage = `Usage:
  timeline user add     [--db PATH] [--role editor|admin] NAME   add a user; the password is read from the terminal (not echoed) or from standard input
  timeline user list    [--db PATH]                               list users
  timeline user disable [--db PATH] NAME                          disable a user and end their sessions
  timeline user enable  [--db PATH] NAME                          enable a user again
  timeline user name    [--db PATH] NAME DISPLAY-NAME             set the name public history shows for the user`

var userAbout = map[string]string{
	"add":     "Adds the user NAME. The password is read from the terminal (not echoed, asked twice) or, for scripts,\nas the first line of standard input.",
	"list":    "Lists the users.",
	"disable": "Disables the user NAME and ends their sessions.",
	"enable":  "Enables the user NAME again.",
	"name":    "Sets the name the user NAME appears under in the public history (revisions, recent changes, the feed and\nthe API). Until one is set, history shows \"Editor N\" (N the account's number), never the sign-in name.",
}

// cmdUser manages the accounts of editors and admins.
func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, userUsage)
		return usageError{"user: no subcommand given"}
	}
	if wantHelp(args) {
		fmt.Fprintln(stdout, userUsage)
		return flag.ErrHelp
	}
	synopsis := map[string]string{"add": "add [--db PATH] [--role editor|admin] NAME", "list": "list [--db PATH]", "disable": "disable [--db PATH] NAME", "enable": "enable [--db PATH] NAME",
		"name": "name [--db PATH] NAME DISPLAY-NAME"}[args[0]]
	if synopsis == "" {
		fmt.Fprintln(stderr, userUsage)
		return usageError{fmt.Sprintf("user: unknown subcommand %q", args[0])}
	}
	fs := newFlags("user "+args[0], "timeline user "+synopsis, userAbout[args[0]], stdout, stderr)
	dbPath := fs.String("db", envOr(getenv, "TIMELINE_DB", "./timeline.db"), "SQLite database file, which must exist (TIMELINE_DB sets the default)")
	role := fs.String("role", timeline.RoleEditor, "role of a new user: editor or admin")
	if err := fs.parse(args[1:]); err != nil {
		return err
	}
	wantArgs := map[string]int{"list": 0, "name": 2}[args[0]]
	if args[0] != "list" && args[0] != "name" {
		wantArgs = 1
	}
	if fs.NArg() != wantArgs {
		fs.usage(stderr)
		return usageError{fmt.Sprintf("user %s: wrong number of arguments", args[0])}
	}
	if !timeline.ValidRole(*role) {
		// Before the password is asked for.
		fs.usage(stderr)
		return usageError{fmt.Sprintf("user %s: --role %q: must be editor or admin", args[0], *role)}
	}
	name := fs.Arg(0)
	if err := requireDB("user "+args[0], *dbPath); err != nil {
		return err
	}
	store, err := timeline.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "add":
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := store.CreateUser(ctx, name, *role, password)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		if err := store.Audit(ctx, timeline.AuditEntry{Actor: "cli", Action: timeline.AuditUserAdd, Target: u.Name, Detail: "role " + u.Role}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Name, u.Role)
	case "list":
		users, err := store.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tCREATED\tSHOWN AS")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, status, u.CreatedAt.Format("2006-01-02"), u.DisplayName)
		}
		return tw.Flush()
	case "name":
		if err := store.SetDisplayName(ctx, name, fs.Arg(1)); err != nil {
			return fmt.Errorf("user name: %w", err)
		}
		if err := store.Audit(ctx, timeline.AuditEntry{Actor: "cli", Action: timeline.AuditUserName, Target: name, Detail: "display name " + fs.Arg(1)}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s appears as %q in public history\n", name, strings.TrimSpace(fs.Arg(1)))
	case "disable", "enable":
		disabled := args[0] == "disable"
		if err := store.SetUserDisabled(ctx, name, disabled); err != nil {
			return fmt.Errorf("user %s: %w", args[0], err)
		}
		action := timeline.AuditUserEnable
		if disabled {
			action = timeline.AuditUserDisable
		}
		if err := store.Audit(ctx, timeline.AuditEntry{Actor: "cli", Action: action, Target: name}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd %s\n", args[0], name)
	}
	return nil
}

// readPassword reads a new password: from the terminal without echo
// (asked twice), or as the first line of standard input when that is not a
// terminal (for scripts).
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Password again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(p1) != string(p2) {
			return "", errors.New("the two passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given on standard input")
	}
	return line, nil
}
