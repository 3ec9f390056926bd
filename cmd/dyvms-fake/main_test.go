package main

import (
	"bufio"
	"bytes"
	"context"

	"io"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// serve starts run in the background and returns the banner's key: value
// lines and a stop function that returns run's exit code.
func serve(t *testing.T, args ...string) (map[string]string, func() int) {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	got := map[string]string{}
	for lines.Scan() {
		if k, v, ok := strings.Cut(lines.Text(), ":"); ok {
			got[k] = strings.TrimSpace(v)
		}
		if strings.HasPrefix(lines.Text(), "Press") {
			break
		}
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck
	return got, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("run did not stop")
			return -1
		}
	}
}

func TestRunServesUntilStopped(t *testing.T) {
	got, stop := serve(t, "--addr", "127.0.0.1:0", "--access-key-id", "id1", "--access-key-secret", "s1")
	if got["AccessKeyId"] != "id1" || got["AccessKeySecret"] != "s1" || !strings.HasPrefix(got["URL"], "http://127.0.0.1:") {
		t.Fatalf("printed %v", got)
	}
	c, err := dyvms.NewClient(dyvms.WithEndpoint(got["URL"]), dyvms.WithAccessKey("id1", "s1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1"}); err != nil {
		t.Fatal(err)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// TestRunInjectsFaults: --fault throttles the named Action twice, then
// lets it through; other Actions are untouched.
func TestRunInjectsFaults(t *testing.T) {
	got, stop := serve(t, "--addr", "127.0.0.1:0", "--fault", "SingleCallByTts=throttle:2")
	defer stop()
	if got["Fault"] != "SingleCallByTts: Throttle on the next 2 request(s)" {
		t.Errorf("banner fault line %q", got["Fault"])
	}
	c, err := dyvms.NewClient(dyvms.WithEndpoint(got["URL"]), dyvms.WithAccessKey(got["AccessKeyId"], got["AccessKeySecret"]), dyvms.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	req := &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1"}
	for i := 0; i < 2; i++ {
		if _, err := c.SingleCallByTts(context.Background(), req); !dyvms.IsThrottling(err) {
			t.Fatalf("call %d: err = %v, want throttling", i+1, err)
		}
	}
	if _, err := c.SingleCallByTts(context.Background(), req); err != nil {
		t.Fatalf("third call: %v", err)
	}
}

func TestRunRefusesBadCommandLines(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "not a loopback address"},
		{[]string{"--addr", "127.0.0.1:0", "--retry", "soon"}, "bad --retry"},
		{[]string{"-addr", "127.0.0.1:0"}, "write it --addr"},
		{[]string{"--fault", "NoSuchAction=throttle"}, `unknown Action "NoSuchAction"`},
		{[]string{"--fault", "SingleCallByTts=explode"}, `unknown kind "explode"`},
		{[]string{"--fault", "latency:delay=soon"}, `delay: bad value "soon"`},
		{[]string{"--fault", "throttle:0"}, "count must be 1 or more"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), tc.args, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, io.Discard, &stderr); code != 0 || !strings.Contains(stderr.String(), "--fault") {
		t.Errorf("--help: exit %d\n%s", code, stderr.String())
	}

}
