package main

import (
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"placed a call to *******1234 on the fake: CallId 116012354149^102813780001\n",
		"placed a call to *******5678 on the fake: CallId 116012354150^102813780002\n",
		"CallId 116012354149^102813780001:\n  ********0000 -> *******1234 (shown ********0000)\n  state 200000 (执行完成), talked 12s\n",
		"  answered 8s after it was placed\n",
		"CallId 116012354150^102813780002:\n  ********0000 -> *******5678 (shown ********0000)\n  state 200003 (无人接听), talked 0s\n",
		", answered -, ended ",
	)
	exampletest.Lacks(t, out, "13900001234", "13900005678")
}
