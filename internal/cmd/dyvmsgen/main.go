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
	flag.Parse()
	if err := run(*overlayPath, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "dyvmsgen:", err)
		os.Exit(1)
	}
}

func run(overlayPath, outDir string) error {
	b, err := os.ReadFile(overlayPath)
	if err != nil {
		return err
	}
	var ov Overlay
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ov); err != nil {
		return fmt.Errorf("%s: %w", overlayPath, err)
	}
	g := newGenerator(catalog.Load(), &ov)
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
