// Package exampletest runs the programs under examples/ in their tests:
// against the embedded fake, in-process, with a check that none leaves a
// goroutine behind.
package exampletest

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// Run calls an example's run function with the ALIBABA_CLOUD_* credentials
// unset, so that it uses the embedded fake and never the network, and
// returns what it printed. It fails the test if run fails, takes longer than
// 30 seconds, or leaves goroutines running.
func Run(t *testing.T, run func(context.Context, io.Writer) error) string {
	t.Helper()
	t.Setenv(dyvms.EnvAccessKeyID, "")
	t.Setenv(dyvms.EnvAccessKeySecret, "")
	t.Setenv(dyvms.EnvSecurityToken, "")

	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, &out)
	t.Logf("output:\n%s", out.String())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(out.String(), "using the embedded fake Dyvmsapi at http://127.0.0.1:") {
		t.Errorf("the example does not say it uses the embedded fake")
	}
	checkGoroutines(t, before)
	return out.String()
}

// checkGoroutines waits up to 2 seconds for the number of goroutines to
// fall back to before.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Errorf("%d goroutines before the example, %d after:\n%s", before, runtime.NumGoroutine(), buf[:n])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Contains fails the test for each of wants that out lacks.
func Contains(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
		}
	}
}

// Lacks fails the test for each of unwanted that out contains: full phone
// numbers, which the examples print masked.
func Lacks(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(out, u) {
			t.Errorf("output contains %q", u)
		}
	}
}
