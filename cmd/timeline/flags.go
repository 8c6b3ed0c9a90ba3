package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// flagSet is a command's flags with its synopsis, for --help and for
// usage errors.
type flagSet struct {
	*flag.FlagSet
	synopsis string // "timeline import [flags] FILE|-"
	about    string // one paragraph on what the command does and its arguments
	stdout   io.Writer
	stderr   io.Writer
}

// newFlags makes the flag set of one command. synopsis names the
// command's arguments (FILE, DEST, SRC…); about says what it does.
func newFlags(name, synopsis, about string, stdout, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), synopsis: synopsis, about: about, stdout: stdout, stderr: stderr}
	fs.SetOutput(io.Discard) // parse prints the usage itself, to the right stream
	fs.Usage = func() {}
	return fs
}

// usage writes the synopsis, the description and every flag to w.
func (fs *flagSet) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n", fs.synopsis)
	if fs.about != "" {
		fmt.Fprintf(w, "\n%s\n", fs.about)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// parse parses args, taking flags wherever they stand among the
// positional arguments ("import f.json --db t.db" as well as "import --db
// t.db f.json"); "--" ends the flags. --help (or -h) prints the usage on
// standard output and returns flag.ErrHelp, which run turns into a
// successful exit. Any other mistake prints the usage on standard error
// and returns a usageError.
func (fs *flagSet) parse(args []string) error {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' { // "-" alone is standard input
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // Parse reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 == len(args) {
			// Left to Parse, it would take the "--" added below as the
			// value.
			fs.usage(fs.stderr)
			return usageError{fmt.Sprintf("%s: flag needs an argument: -%s", fs.Name(), name)}
		}
		i++
		flags = append(flags, args[i])
	}
	err := fs.Parse(append(append(flags, "--"), positional...))
	if errors.Is(err, flag.ErrHelp) {
		fs.usage(fs.stdout)
		return flag.ErrHelp
	}
	if err != nil {
		fs.usage(fs.stderr)
		return usageError{fs.Name() + ": " + err.Error()}
	}
	return nil
}

// wantHelp reports whether args ask for help (for commands with
// subcommands, before their flags are known).
func wantHelp(args []string) bool {
	return len(args) > 0 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h" || args[0] == "help")
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// requireDB returns an error naming path when no database is there, so that
// a mistyped --db is not silently created (only serve and init create one).
func requireDB(cmd, path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no database at %s (check --db or TIMELINE_DB; create one with: timeline init --db %s)", cmd, path, path)
	case err != nil:
		return fmt.Errorf("%s: %w", cmd, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: %s is not a database file", cmd, path)
	}
	return nil
}
