package main

import (
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"created robot task 1045001\n",
		"added numbers *******1234,*******5678\n",
		"started: true\n",
		`  task 1045001 "dyvms-go example": status EXCUTING, robot 1000003 (Robot 1000003), caller ********5678, redial 1 time(s) every 5 min on 200002,200010`,
		"stopped: true\n",
		"status MANUAL_STOP",
		"deleted: true\n",
	)
	exampletest.Lacks(t, out, "13900001234", "13900005678")
}
