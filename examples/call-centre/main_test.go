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
		"agent 2001 (Example Agent 2001) created in enterprise 7000002: Id ",
		"agent 2001 logged in on *******1111: login status 1, state idle",
		"webcall placed to *******1234 (RequestUniqueId example-",
		"customer *******1234, agent 2001 (Example Agent 2001) on *******1111, status 24 双方接听, talked 7s",
		"agent 2001 logged out and deleted",
	)
	exampletest.Lacks(t, out, "13900001234", "13800001111", "CloudAgentLogout:", "CloudDeleteAgent:")
	if !regexp.MustCompile(`call record medias_1-\d+\.\d+: `).MatchString(out) {
		t.Error("no call record printed")
	}
}

// With credentials but without the settings the example refuses to run
// rather than create an agent or call a sample number; it sends nothing.
func TestRunRefusesWithoutSettings(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	for _, v := range []string{"DYVMS_EXAMPLE_ENTERPRISE_ID", "DYVMS_EXAMPLE_CNO", "DYVMS_EXAMPLE_AGENT_TEL", "DYVMS_EXAMPLE_TO"} {
		t.Setenv(v, "")
	}
	var out strings.Builder
	err := run(context.Background(), &out)
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_ENTERPRISE_ID") || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_AGENT_TEL") {
		t.Fatalf("run = %v, want a refusal naming the settings", err)
	}
	if strings.Contains(out.String(), "agent") {
		t.Errorf("did something: %s", out.String())
	}
}
