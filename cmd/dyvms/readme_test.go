package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
)

// readmeCommands returns the command lines of the README's "Command line"
// section: its sh block, continuation lines joined.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Command line\n")
	if !ok {
		t.Fatal("README has no Command line section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```sh\n")
	if !ok {
		t.Fatal("the Command line section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	cur := ""
	for _, l := range strings.Split(block, "\n") {
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		if l = strings.TrimSpace(cur + l); l != "" {
			lines = append(lines, l)
		}
		cur = ""
	}
	return lines
}

// TestReadmeCommandLines runs every command line of the README's Command
// line section with bash, the built command on PATH, against the fake on
// loopback. The go install line is checked by building the same package
// (a test cannot fetch @latest); the long-running fake and receipts
// listen lines run on a free port (":8080" becomes ":0") until they are
// up, then are stopped with SIGINT.
func TestReadmeCommandLines(t *testing.T) {
	bin := buildCLI(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	srv := dyvmstest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "callees.csv"), []byte("callee,code\n13900000000,1234\n13900000001,5678\n"), 0o600)
	env := cleanEnv(t.TempDir(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		envEndpoint+"="+srv.URL, "ALIBABA_CLOUD_ACCESS_KEY_ID="+srv.AccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET="+srv.AccessKeySecret)
	lines := readmeCommands(t)
	if len(lines) < 10 {
		t.Fatalf("only %d command lines found", len(lines))
	}
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "go install github.com/dyvms/dyvms-go/cmd/dyvms@latest"):
			// buildCLI built this package.
		case strings.HasPrefix(line, "dyvms fake"), strings.HasPrefix(line, "dyvms receipts listen"):
			runUntilUp(t, bash, dir, env, strings.ReplaceAll(line, ":8080", ":0"))
		default:
			cmd := exec.Command(bash, "-c", line)
			cmd.Dir, cmd.Env = dir, env
			if r := exitCode(t, cmd); r.code != 0 {
				t.Errorf("%s\nexit %d\n%s%s", line, r.code, r.stdout, r.stderr)
			}
		}
	}
	if srv.Count("CreateCallTask") != 1 || srv.Count("SingleCallByTts") != 2 || srv.Count("IvrCall") != 1 {
		t.Errorf("the README's calls did not all reach the fake: %d CreateCallTask, %d SingleCallByTts, %d IvrCall",
			srv.Count("CreateCallTask"), srv.Count("SingleCallByTts"), srv.Count("IvrCall"))
	}
}

// runUntilUp runs a long-running command line until it prints that it
// is serving, then stops it with SIGINT and wants exit code 0.
func runUntilUp(t *testing.T, bash, dir string, env []string, line string) {
	t.Helper()
	cmd := exec.Command(bash, "-c", "exec "+line)
	cmd.Dir, cmd.Env = dir, env
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	up := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(pr)
		seen := false
		for s.Scan() {
			if !seen && (strings.HasPrefix(s.Text(), "Press Ctrl+C") || strings.Contains(s.Text(), "listening for receipts")) {
				seen = true
				up <- true
			}
		}
	}()
	select {
	case <-up:
	case <-time.After(10 * time.Second):
		t.Errorf("%s: not up after 10s", line)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	pw.Close()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Errorf("%s: exit %d", line, ee.ExitCode())
	}
}
