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
	m := regexp.MustCompile(`video call placed: CallId (\S+) \(to \*+1234, video video-welcome.mp4, OutId (vid\d+),`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no CallId printed")
	}
	call := "callId=" + m[1] + " calledNumber=*******1234 mediaType=video"
	exampletest.Contains(t, out,
		"playing video-offer.mp4 in the call: true",
		"paused: "+call+" playStatus=paused progress=0 videoId=video-offer.mp4",
		"progress: "+call+" playStatus=paused progress=0 videoId=video-offer.mp4",
		"resumed: "+call+" playStatus=playing progress=0 videoId=video-offer.mp4",
	)
	exampletest.Lacks(t, out, "13900001234")
}

// With credentials but without the settings the example refuses to run
// rather than call a sample number; it sends nothing.
func TestRunRefusesWithoutSettings(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	for _, v := range []string{"DYVMS_EXAMPLE_TO", "DYVMS_EXAMPLE_VIDEO_CODE", "DYVMS_EXAMPLE_VOICE_CODE", "DYVMS_EXAMPLE_VIDEO_ID"} {
		t.Setenv(v, "")
	}
	var out strings.Builder
	err := run(context.Background(), &out)
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_TO") || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_VIDEO_ID") {
		t.Fatalf("run = %v, want a refusal naming the settings", err)
	}
	if strings.Contains(out.String(), "call placed") {
		t.Errorf("placed a call: %s", out.String())
	}
}
