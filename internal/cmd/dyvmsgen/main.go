// Command dyvmsgen generates the typed surface of the dyvms package from the
// project's catalogue (internal/catalog/actions.json) and its overlay
// (internal/catalog/overlay.json): one file per group of Actions (voice.go,
// ivr.go, robot.go, callcenter.go, hotline.go, rtc.go, virtualnumber.go,
// video.go, cloudcc.go, clink.go) and the action table (action_table.go).
//
// It runs from the package directory through `go generate ./...`:
//
//	//go:generate go run ./internal/cmd/dyvmsgen
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// groups are the group files, in the order the action table lists them.
var groups = []string{"voice", "ivr", "robot", "callcenter", "hotline", "rtc", "virtualnumber", "video", "cloudcc", "clink"}

func main() {
	overlayPath := flag.String("overlay", "internal/catalog/overlay.json", "overlay file")
	outDir := flag.String("out", ".", "directory of the dyvms package")
	defaults := flag.Bool("defaults", false, "print the Go name and type derived for every parameter and scalar response field, as JSON, and exit (to see which overlay entries are redundant)")
	flag.Parse()
	if *defaults {
		if err := printDefaults(*overlayPath); err != nil {
			fmt.Fprintln(os.Stderr, "dyvmsgen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*overlayPath, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "dyvmsgen:", err)
		os.Exit(1)
	}
}

func readOverlay(path string) (*Overlay, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ov Overlay
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ov); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &ov, nil
}

// printDefaults prints, by Action, the Go name and type the generator
// derives for each parameter and scalar response field.
func printDefaults(overlayPath string) error {
	ov, err := readOverlay(overlayPath)
	if err != nil {
		return err
	}
	g := newGenerator(catalog.Load(), ov)
	out := map[string]map[string][2]string{}
	for i := range g.cat.Actions {
		a := &g.cat.Actions[i]
		d := deriver{g: g, a: a, dry: true}
		m := map[string][2]string{}
		for _, p := range a.Request {
			if p.InnerSchema == nil {
				f := d.param(p)
				m["request."+p.Name] = [2]string{f.Go, f.Type}
			}
		}
		for _, f := range a.Response {
			if f.Type != "object" && f.Type != "array" && !f.JSONInString {
				r := d.field(a.Name, "", f)
				m["response."+f.Name] = [2]string{r.Go, r.Type}
			}
		}
		out[a.Name] = m
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(b, '\n'))
	return err
}

func run(overlayPath, outDir string) error {
	ov, err := readOverlay(overlayPath)
	if err != nil {
		return err
	}
	g := newGenerator(catalog.Load(), ov)
	files, err := g.files()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := format.Source(files[name])
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, numbered(files[name]))
		}
		if err := os.WriteFile(filepath.Join(outDir, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// numbered prefixes each line with its number, for a gofmt error.
func numbered(b []byte) string {
	var out bytes.Buffer
	for i, line := range bytes.Split(b, []byte("\n")) {
		fmt.Fprintf(&out, "%5d %s\n", i+1, line)
	}
	return out.String()
}
