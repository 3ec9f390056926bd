package dyvms

import (
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"
)

// coreLayers is the core's layering as CONTRIBUTING.md states it: a file
// may use package-level names of its own layer or of a lower one, never of
// a higher one. Files not listed (the groups of Actions, receipts) build on
// the whole core.
var coreLayers = map[string]int{
	"mask.go": 1, "actions.go": 1, "action_table.go": 1, "signer.go": 1, "signer_v3.go": 1, "time.go": 1, "version.go": 1, "paginate.go": 1, "doc.go": 1, "format.go": 1, "redact.go": 1, "phone.go": 1,
	"errors.go": 2,
	"encode.go": 3, "response.go": 3, "decode.go": 3, "xml.go": 3, "record.go": 3, "transport.go": 3,
	"credentials.go": 4, "credentials_providers.go": 4,
	"retry.go": 5, "ratelimit.go": 5, "middleware.go": 5, "logging.go": 5, "sealed.go": 5, "hooks.go": 5, "request_v3.go": 5,
	"options.go": 6,
	"client.go":  7, "request.go": 7,
}

// topLayer is the layer of every file coreLayers does not list.
const topLayer = 100

// TestCoreLayering fails when a core file uses a package-level name
// (function, type, variable or constant) defined in a file that builds on
// it, for example options.go reaching back into client.go, or the core
// needing a group file.
func TestCoreLayering(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	files := pkgs["dyvms"].Files
	definedIn := map[string]string{} // package-level name -> file
	for name, f := range files {
		for _, obj := range f.Scope.Objects {
			definedIn[obj.Name] = name
		}
	}
	layer := func(file string) int {
		file = strings.TrimPrefix(file, "./")
		if l, ok := coreLayers[file]; ok {
			return l
		}
		if strings.HasPrefix(file, "credentials") {
			return coreLayers["credentials.go"] // every credentials*.go file
		}
		return topLayer
	}
	var problems []string
	for name, f := range files {
		from := layer(name)
		if from == topLayer {
			continue
		}
		seen := map[string]bool{}
		for _, id := range f.Unresolved {
			def, ok := definedIn[id.Name]
			if !ok || seen[id.Name] || layer(def) <= from {
				continue
			}
			seen[id.Name] = true
			problems = append(problems, name+" uses "+id.Name+" from "+def)
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
