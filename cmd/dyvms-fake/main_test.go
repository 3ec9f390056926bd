package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

func TestRunServesUntilStopped(t *testing.T) {
	pr, pw := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-addr", "127.0.0.1:0", "-access-key-id", "id1", "-access-key-secret", "s1"}, pw, stop)
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
	stop <- os.Interrupt
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	err := run([]string{"-addr", "0.0.0.0:0"}, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v", err)
	}
	if err := run([]string{"-addr", "127.0.0.1:0", "-retry", "soon"}, io.Discard, nil); err == nil {
		t.Fatal("bad -retry accepted")
	}
}
