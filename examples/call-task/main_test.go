package main

import (
	"regexp"
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"created call task 1951001 with 3 callees\n",
		"started: true\n",
		"  *******1234: SUCCESS, 7s, from *******4000\n",
		"  *******5678: SUCCESS, 7s, from *******4000\n",
		"  *******9012: SUCCESS, 7s, from *******4000\n",
	)
	// The fake finishes a running task a second after it starts.
	if !regexp.MustCompile(`task 1951001 "dyvms-go example": (RUNNING|DONE), 3 of 3 calls completed`).MatchString(out) {
		t.Error("no task line")
	}
	exampletest.Lacks(t, out, "13900001234", "13900005678", "13900009012")
}
