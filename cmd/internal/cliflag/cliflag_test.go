package cliflag

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestParseOneStyle(t *testing.T) {
	newFS := func() (*flag.FlagSet, *string, *bytes.Buffer) {
		var out bytes.Buffer
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(&out)
		addr := fs.String("addr", "a", "where")
		fs.StringVar(addr, "o", "a", "short")
		SetUsage(fs, "x [--addr A]")
		return fs, addr, &out
	}
	fs, addr, _ := newFS()
	if err := Parse(fs, []string{"--addr", "b"}); err != nil || *addr != "b" {
		t.Errorf("--addr b: %v %q", err, *addr)
	}
	fs, addr, _ = newFS()
	if err := Parse(fs, []string{"-o=c"}); err != nil || *addr != "c" {
		t.Errorf("-o=c: %v %q", err, *addr)
	}
	fs, _, out := newFS()
	if err := Parse(fs, []string{"-addr", "b"}); err == nil || !strings.Contains(out.String(), "write it --addr") {
		t.Errorf("-addr accepted: %v %q", err, out)
	}
	fs, _, out = newFS()
	if err := Parse(fs, []string{"--help"}); err != flag.ErrHelp || !strings.Contains(out.String(), "  --addr string\n      where (default a)") || !strings.Contains(out.String(), "  -o string") {
		t.Errorf("help: %v\n%s", err, out)
	}
}
