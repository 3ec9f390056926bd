package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// buildCLI builds the command into a temporary directory, as a user
// would, and returns the binary's path.
func buildCLI(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "dyvms")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cleanEnv is the process environment without the variables the command
// reads, plus extra.
func cleanEnv(home string, extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ALIBABA_CLOUD_") || strings.HasPrefix(kv, "DYVMS_") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, append([]string{"HOME=" + home}, extra...)...)
}

// exitCode runs cmd and returns its exit code, stdout and stderr.
func exitCode(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// startFake starts bin's fake server with args and returns the export
// line's variables and a function that stops it (SIGINT) and returns its
// exit code.
func startFake(t *testing.T, bin, home string, args ...string) (env []string, stop func() int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"fake"}, args...)...)
	cmd.Env = cleanEnv(home)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	exportRE := regexp.MustCompile(`^\s*export (.*)$`)
	deadline := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		if m := exportRE.FindStringSubmatch(lines.Text()); m != nil {
			env = strings.Fields(m[1])
		}
		if strings.HasPrefix(lines.Text(), "Press") {
			break
		}
	}
	go io.Copy(io.Discard, out) //nolint:errcheck
	if len(env) != 3 {
		t.Fatalf("no export line from the fake (%v)", env)
	}
	return env, func() int {
		cmd.Process.Signal(os.Interrupt)
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return 0
	}
}

// TestBinaryAgainstFake runs the built command against the built
// command's fake on loopback, faults included, as an operator would.
func TestBinaryAgainstFake(t *testing.T) {
	bin := buildCLI(t)
	home := t.TempDir()
	fakeEnv, stop := startFake(t, bin, home, "--addr", "127.0.0.1:0", "--fault", "SingleCallByTts=close-after-read:1")
	defer func() {
		if code := stop(); code != 0 {
			t.Errorf("fake exited %d", code)
		}
	}()
	run := func(args ...string) result {
		cmd := exec.Command(bin, args...)
		cmd.Env = cleanEnv(home, fakeEnv...)
		return exitCode(t, cmd)
	}
	call := []string{"SingleCallByTts", "--called-number", "13900001234", "--tts-code", "TTS_1", "--OutId", "bin-1"}
	r := run(call...)
	if r.code != exitUnknown || !strings.Contains(r.stderr, "OutId:     bin-1") || !strings.Contains(r.stderr, "Do not re-run") {
		t.Errorf("close after read: exit %d\n%s", r.code, r.stderr)
	}
	r = run(append(call, "-q", "CallId", "-o", "table")...)
	callID := strings.TrimSpace(r.stdout)
	if r.code != exitOK || callID == "" {
		t.Fatalf("second call: exit %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = run("QueryCallDetailByCallId", "--CallId", callID, "--ProdId", "ProductVoiceTTS",
		"--QueryDate", time.Now().Format(time.RFC3339), "-q", "Data.callee", "-o", "table")
	if r.code != exitOK || r.stdout != "13900001234\n" {
		t.Errorf("query: exit %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	if r := run("SingleCallByTts", "--TtsCode", "T"); r.code != exitUsage || !strings.Contains(r.stderr, "CalledNumber") {
		t.Errorf("missing parameter: exit %d\n%s", r.code, r.stderr)
	}
	if r := run("--help"); r.code != exitOK || !strings.Contains(r.stdout, "3  outcome unknown") {
		t.Errorf("--help: exit %d", r.code)
	}
}

// TestBashCompletion sources the bash script and runs its function the
// way bash does on TAB.
func TestBashCompletion(t *testing.T) {
	bin := buildCLI(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	complete := func(words ...string) []string {
		script := `source <(dyvms completion bash)
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dyvms; printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, append([]string{"-c", script, "bash", "dyvms"}, words...)...)
		cmd.Env = cleanEnv(t.TempDir(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		r := exitCode(t, cmd)
		if r.code != 0 {
			t.Fatalf("bash: %d %s", r.code, r.stderr)
		}
		return strings.Fields(r.stdout)
	}
	if got := complete("SingleCallByT"); strings.Join(got, " ") != "SingleCallByTts" {
		t.Errorf("SingleCallByT -> %v", got)
	}
	if got := strings.Join(complete("CreateCallTask", "--BizType", "VMS_VOICE_"), " "); got != "VMS_VOICE_TTS VMS_VOICE_CODE" {
		t.Errorf("--BizType VMS_VOICE_ -> %v", got)
	}
	if got := strings.Join(complete("SingleCallByTts", "--CalledN"), " "); got != "--CalledNumber" {
		t.Errorf("--CalledN -> %v", got)
	}

}

// shellComplete runs script in shell with the built dyvms on PATH and
// returns the words it prints; args are the script's $0, $1, ... (fish
// has no $0: its args are $argv).
func shellComplete(t *testing.T, bin, shell, script string, args ...string) []string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		t.Skipf("no %s", shell)
	}
	cmd := exec.Command(path, append([]string{"-c", script}, args...)...)
	cmd.Env = cleanEnv(t.TempDir(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	r := exitCode(t, cmd)
	if r.code != 0 {
		t.Fatalf("%s: exit %d %s", shell, r.code, r.stderr)
	}
	return strings.Fields(r.stdout)
}

// TestZshCompletion runs the zsh script's function with compadd and
// compdef stubbed (they exist only inside zsh's completion system).
func TestZshCompletion(t *testing.T) {
	bin := buildCLI(t)
	script := `compdef() { :; }; compadd() { [[ $1 == -a ]] && print -l -- ${(P)2}; }
source <(dyvms completion zsh); words=(dyvms "$@"); CURRENT=$#words; _dyvms`
	if got := strings.Join(shellComplete(t, bin, "zsh", script, "zsh", "SingleCallByT"), " "); got != "SingleCallByTts" {
		t.Errorf("SingleCallByT -> %q", got)
	}
	if got := strings.Join(shellComplete(t, bin, "zsh", script, "zsh", "SingleCallByTts", "--CalledN"), " "); got != "--CalledNumber" {
		t.Errorf("--CalledN -> %q", got)
	}
}

// TestFishCompletion asks fish what it would complete (complete -C).
func TestFishCompletion(t *testing.T) {
	bin := buildCLI(t)
	script := `dyvms completion fish | source; complete -C"$argv"`
	if got := strings.Join(shellComplete(t, bin, "fish", script, "dyvms SingleCallByT"), " "); got != "SingleCallByTts" {
		t.Errorf("SingleCallByT -> %q", got)
	}
	if got := strings.Join(shellComplete(t, bin, "fish", script, "dyvms ListCallTask -o "), " "); got != "json raw table" && got != "json table raw" {
		t.Errorf("-o -> %q", got)
	}
}
