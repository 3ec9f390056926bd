package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestFunctionsAreSmall holds the command's code (cmd/dyvms,
// cmd/dyvms-fake and cmd/internal, tests excepted) to the project's rule:
// every function under 80 lines.
func TestFunctionsAreSmall(t *testing.T) {
	var files []string
	for _, pattern := range []string{"*.go", "internal/*/*.go", "../dyvms-fake/*.go", "../internal/*/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_gen.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			var what string
			switch fn := n.(type) {
			case *ast.FuncDecl:
				body, what = fn.Body, fn.Name.Name
			case *ast.FuncLit:
				body, what = fn.Body, "a function literal"
			}
			if body == nil {
				return true
			}
			lines := fset.Position(body.End()).Line - fset.Position(n.Pos()).Line + 1
			if lines >= 80 {
				t.Errorf("%s: %s is %d lines; keep functions under 80", fset.Position(n.Pos()), what, lines)
			}
			return true
		})
	}
	if len(files) < 10 {
		t.Fatalf("only %d files found", len(files))
	}
}
