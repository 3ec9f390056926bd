package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"receipt handler listening at http://127.0.0.1:",
		"call detail: state 200000 (执行完成), callee *******1234, talked 7s",
		"answered; listened to the end, callee *******1234, talked 7s",
	)
	exampletest.Lacks(t, out, "13900001234")
	// The receipt is the one of the call placed.
	m := regexp.MustCompile(`call placed: CallId (\S+) \(code \d{6} to \*+1234, OutId (vc\d+),`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no CallId printed")
	}
	exampletest.Contains(t, out, "receipt: VoiceReport for CallId "+m[1]+" (OutId "+m[2]+"): 200000 ")
}

// With credentials but without DYVMS_EXAMPLE_TO the example refuses to run
// rather than call a sample number; it sends nothing.
func TestRunRefusesWithoutNumber(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	t.Setenv("DYVMS_EXAMPLE_TO", "")
	t.Setenv("DYVMS_EXAMPLE_TTS_CODE", "")
	var out strings.Builder
	err := run(context.Background(), &out)
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_TO") || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_TTS_CODE") {
		t.Fatalf("run = %v, want a refusal naming the settings", err)
	}
	if strings.Contains(out.String(), "call placed") {
		t.Errorf("placed a call: %s", out.String())
	}
}
