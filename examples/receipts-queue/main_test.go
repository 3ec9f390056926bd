package main

import (
	"context"
	"strings"
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"fake receipt queue Alicom-Queue-1234567890123456-VoiceReport at http://127.0.0.1:",
		"OutId order-41", "OutId order-42", "OutId order-43",
		"200000 (answered; listened to the end)  callee *******1234  talked 7s",
		"3 receipts delivered; 3 messages deleted from the queue",
	)
	exampletest.Lacks(t, out, "13900001234")
	if n := strings.Count(out, ": VoiceReport CallId"); n != 3 {
		t.Errorf("%d VoiceReports printed, want 3 (each once)", n)
	}
}

// With credentials, the example needs the queue's name.
func TestRunRealNeedsQueue(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	t.Setenv("DYVMS_EXAMPLE_QUEUE", "")
	err := run(context.Background(), &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_QUEUE") {
		t.Fatalf("run = %v", err)
	}
}
