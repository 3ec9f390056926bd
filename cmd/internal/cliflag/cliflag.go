// Package cliflag gives the dyvms commands one flag style: long flags are
// written with two dashes (--addr 127.0.0.1:8080 or --addr=127.0.0.1:8080)
// and one-letter short forms with one (-o json). The standard flag package
// accepts either dash count; this package refuses -addr so that every
// subcommand reads the same way, and prints help in the same style.
package cliflag

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Parse checks that every flag in args is written in the commands' style,
// then parses args into fs. A long flag with one dash is an error that
// names the right spelling.
func Parse(fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if len(name) > 1 && fs.Lookup(name) != nil {
			err := fmt.Errorf("flag %s: write it --%s (long flags take two dashes)", a, name)
			fmt.Fprintln(fs.Output(), err)
			return err
		}
	}
	return fs.Parse(args)
}

// SetUsage makes fs print usage (the command line) and then every flag as
// --name TYPE with its help, on fs.Output().
func SetUsage(fs *flag.FlagSet, usage string) {
	fs.Usage = func() { WriteUsage(fs.Output(), fs, usage) }
}

// WriteUsage writes usage and fs's flags in the commands' style to w.
func WriteUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", usage)
	fs.VisitAll(func(f *flag.Flag) {
		typ, help := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if typ != "" {
			line += " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" {
			help += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, help)
	})
}
