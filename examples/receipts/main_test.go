package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"call placed: CallId 116012354149^102813780001",
		"200101 (calling)", "200201 (ringing)", "200102 (answered", "200100 (call ended)",
		"VoiceReport      CallId 116012354149^102813780001  OutId order-42  200000 (answered; listened to the end)  callee *******1234",
		"talked 7s",
	)
	exampletest.Lacks(t, out, "13900001234")
	if n := strings.Count(out, "VoiceReport      CallId"); n != 1 {
		t.Errorf("%d VoiceReports printed, want 1", n)
	}
}

// With credentials, the example serves the real service's pushes only when
// told where and with which token.
func TestRunRealNeedsListenAndToken(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	t.Setenv("DYVMS_EXAMPLE_LISTEN", "127.0.0.1:0")
	t.Setenv("DYVMS_EXAMPLE_RECEIPT_TOKEN", "short")
	err := run(context.Background(), &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_RECEIPT_TOKEN") {
		t.Fatalf("run = %v", err)
	}
}

// syncBuffer is a strings.Builder safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// With credentials, the example serves pushes on DYVMS_EXAMPLE_LISTEN until
// interrupted; a push there, with the token, is printed. (No call is placed:
// the push is made here, on loopback.)
func TestRunRealServes(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	t.Setenv("DYVMS_EXAMPLE_LISTEN", "127.0.0.1:0")
	t.Setenv("DYVMS_EXAMPLE_RECEIPT_TOKEN", "0123456789abcdef")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out) }()

	addr := regexp.MustCompile(`serving receipts on (\S+) `)
	var m []string
	for deadline := time.Now().Add(5 * time.Second); m == nil; m = addr.FindStringSubmatch(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("not serving: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	post := func(path string) int {
		body := `[{"call_id":"1^2","out_id":"o1","status_code":"200000","callee":"13900001234","duration":"3"}]`
		resp, err := http.Post("http://"+m[1]+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("/dyvms/voice-report/wrong-token"); got != http.StatusForbidden {
		t.Errorf("push with a wrong token: HTTP %d, want 403", got)
	}
	if got := post("/dyvms/voice-report/0123456789abcdef"); got != http.StatusOK {
		t.Errorf("push: HTTP %d, want 200", got)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), "VoiceReport      CallId 1^2  OutId o1  200000"); {
		if time.Now().After(deadline) {
			t.Fatalf("receipt not printed: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	exampletest.Lacks(t, out.String(), "13900001234")
}
