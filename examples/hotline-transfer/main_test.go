package main

import (
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"SMS verification code sent to *******1234: true\n",
		"registered *******5678 as a transfer target of 4001112222: registration 1\n",
		"callee pool of 4001112222 set (round robin over *******5678): true\n",
		"callee pool of 4001112222: mode random, timeout 30s, created 2021-06-08 15:23:22, targets: *******\n",
	)
	exampletest.Lacks(t, out, "13900001234", "13900005678", "110101")
}
