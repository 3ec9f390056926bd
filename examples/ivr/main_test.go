package main

import (
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"IVR call placed to *******1234: CallId 116012354149^",
		"  MenuKeyMap.1.Code=TTS_1235\n",
		"  MenuKeyMap.1.Key=1\n",
		`  MenuKeyMap.1.TtsParams={"balance":"100.00"}`,
		"  MenuKeyMap.2.Code=2d4c-4e78-8d2a-afbb06cf0000.wav\n",
		"  MenuKeyMap.2.Key=2\n",
		"call detail: state 200000 (执行完成), talked 7s",
	)
	exampletest.Lacks(t, out, "13900001234", "MenuKeyMap.2.TtsParams")
}
