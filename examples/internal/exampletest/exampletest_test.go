package exampletest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every program under examples/ has a test that runs it against the fake,
// so none can rot unnoticed.
func TestEveryExampleIsRun(t *testing.T) {
	mains, err := filepath.Glob("../../*/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(mains) < 8 {
		t.Fatalf("found only %d examples: %v", len(mains), mains)
	}
	for _, m := range mains {
		dir := filepath.Dir(m)
		src, err := os.ReadFile(filepath.Join(dir, "main_test.go"))
		if err != nil {
			t.Errorf("%s has no main_test.go: %v", filepath.Base(dir), err)
			continue
		}
		if !strings.Contains(string(src), "exampletest.Run(t, run)") {
			t.Errorf("%s/main_test.go does not run the example with exampletest.Run", filepath.Base(dir))
		}
	}
}
