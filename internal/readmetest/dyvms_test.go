package readmetest

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// runSourceCompletion sources dyvms's bash completion script in bash, as
// the README line does, and asks it to complete "dyvms SingleCallByT".
func runSourceCompletion(t *testing.T, e *readmeEnv, args []string) {
	e.dyvmsBin(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script := strings.Join(args, " ") + `
COMP_WORDS=(dyvms SingleCallByT); COMP_CWORD=1; _dyvms; printf '%s\n' "${COMPREPLY[@]}"`
	out := execIn(t, e.dir, e.fakeEnv(), time.Minute, "bash", "-c", script)
	if strings.TrimSpace(out) != "SingleCallByTts" {
		t.Fatalf("completion of SingleCallByT after %q: %q", strings.Join(args, " "), out)
	}
}

// runDyvmsServer runs a long-running dyvms command (fake, receipts
// listen) on a free port until it says it is up, then stops it with
// SIGINT and wants exit code 0.
func runDyvmsServer(t *testing.T, e *readmeEnv, args []string) {
	bin := e.dyvmsBin(t)
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, ":8080", ":0")
	}
	cmd := exec.Command(bin, args[1:]...)
	cmd.Dir, cmd.Env = e.dir, e.fakeEnv()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	up := make(chan struct{})
	go func() {
		s := bufio.NewScanner(pr)
		for s.Scan() {
			if l := s.Text(); strings.HasPrefix(l, "Press Ctrl+C") || strings.Contains(l, "listening for receipts") {
				close(up)
				break
			}
		}
		io.Copy(io.Discard, pr) //nolint:errcheck
	}()
	select {
	case <-up:
	case <-time.After(30 * time.Second):
		t.Errorf("%s: not up after 30s", strings.Join(args, " "))
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	pw.Close()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("%s: exit %d after SIGINT", strings.Join(args, " "), ee.ExitCode())
	}
}
