// Package readmetest runs every command line of the project's README.md,
// so that what a newcomer copies from it works on a fresh machine.
//
// Each line of a ```sh block is one command (a trailing "\" continues it,
// "# ..." is a comment). Every command must match one of the runners in
// readmeRunners; a command no runner knows fails the test, so a README
// change is always tested. Runners run the command as written, except
// where running it literally would recurse or take minutes; each such
// runner says what it does instead and why.
package readmetest

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
)

// root is the repository's top directory.
const root = "../.."

// module is the module path users go get.
const module = "github.com/dyvms/dyvms-go"

// A runner runs one README command (already split into words) in env.
type runner struct {
	// match says whether the runner takes the command.
	match *regexp.Regexp
	run   func(t *testing.T, env *readmeEnv, args []string)
}

var readmeRunners = []runner{
	// The README's test command is what .ci/run runs; running it again from
	// inside itself would recurse, so check that CI runs exactly it.
	{regexp.MustCompile(`^go test -race \./\.\.\.$`), runCITestCommand},
	// The in-package benchmarks: run as written, once each (-benchtime=1x).
	{regexp.MustCompile(`^go test -run '\^\$' -bench \. -benchmem$`), runBenchOnce},
	// go run ./examples/NAME, without credentials: against the embedded fake.
	{regexp.MustCompile(`^go run \./examples/[a-z-]+$`), runGoCommand},
	// go get and go install @latest, through a module proxy on disk that
	// serves this checkout as the latest version.
	{regexp.MustCompile(`^go get ` + regexp.QuoteMeta(module) + `$`), runGoGet},
	{regexp.MustCompile(`^go install ` + regexp.QuoteMeta(module) + `/cmd/dyvms@latest$`), runGoInstall},
	// Shell completion: the script sourced by bash, with dyvms on PATH.
	{regexp.MustCompile(`^source <\(dyvms completion bash\)$`), runSourceCompletion},
	// The long-running servers, on a free port (":8080" becomes ":0"),
	// until they say they are up; then SIGINT, which must exit 0.
	{regexp.MustCompile(`^dyvms (fake|receipts listen)( |$)`), runDyvmsServer},
	// The command line, built from this checkout, against a fake server.
	{regexp.MustCompile(`^dyvms( |$)`), runDyvms},
	// The benchmarks module's script, with one short pass, on a copy of the
	// module (it rewrites its README with the results).
	{regexp.MustCompile(`^cd benchmarks && \./run\.sh$`), runBenchmarksScript},
}

// TestREADMECommands runs every command line of README.md.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs builds and programs; not in -short")
	}
	cmds := readmeCommands(t, filepath.Join(root, "README.md"))
	if len(cmds) < 5 {
		t.Fatalf("found only %d commands in README.md", len(cmds))
	}
	env := newReadmeEnv(t)
	for _, cmd := range cmds {
		r := findRunner(cmd.line)
		if r == nil {
			t.Errorf("README.md:%d: no runner in internal/readmetest knows %q; add one so the command is tested", cmd.lineNo, cmd.line)
			continue
		}
		t.Run(fmt.Sprintf("line%d", cmd.lineNo), func(t *testing.T) {
			args, err := splitWords(cmd.line)
			if err != nil {
				t.Fatalf("README.md:%d: %v", cmd.lineNo, err)
			}
			t.Logf("README.md:%d: %s", cmd.lineNo, cmd.line)
			r.run(t, env, args)
		})
	}
}

func findRunner(line string) *runner {
	for i := range readmeRunners {
		if readmeRunners[i].match.MatchString(line) {
			return &readmeRunners[i]
		}
	}
	return nil
}

// readmeCommand is one command line of the README and where it starts.
type readmeCommand struct {
	line   string
	lineNo int
}

// readmeCommands returns the commands of the ```sh (or ```bash) blocks.
func readmeCommands(t *testing.T, path string) []readmeCommand {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeCommand
	var cur strings.Builder
	inBlock, start := false, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			lang := strings.TrimPrefix(line, "```")
			inBlock = !inBlock && (lang == "sh" || lang == "bash")
			continue
		case !inBlock:
			continue
		}
		text := strings.TrimSpace(stripComment(line))
		if cur.Len() == 0 {
			if text == "" {
				continue
			}
			start = n
		}
		if cont, ok := strings.CutSuffix(text, "\\"); ok {
			cur.WriteString(strings.TrimSpace(cont) + " ")
			continue
		}
		cur.WriteString(text)
		out = append(out, readmeCommand{line: strings.TrimSpace(cur.String()), lineNo: start})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// stripComment drops a "#" comment that starts outside quotes after a space.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}

// splitWords splits a command line as a POSIX shell would for the simple
// quoting the README uses: '...', "..." and backslash escapes.
func splitWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				w.WriteByte(c)
			}
		case quote == '"':
			if c == '"' {
				quote = 0
			} else if c == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`, line[i+1]) >= 0 {
				i++
				w.WriteByte(line[i])
			} else {
				w.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// readmeEnv is what the commands share: a fake server, a work directory,
// a GOBIN, and an environment without real credentials.
type readmeEnv struct {
	fake     *dyvmstest.Server
	dir      string // the working directory of dyvms commands
	gobin    string // where go install puts dyvms
	proxy    string // file:// URL of the module proxy serving this checkout
	proxyDir string // where it is laid out, empty until a command needs it
	env      []string
}

func newReadmeEnv(t *testing.T) *readmeEnv {
	fake := dyvmstest.NewServer()
	t.Cleanup(fake.Close)
	e := &readmeEnv{fake: fake, dir: t.TempDir(), gobin: t.TempDir(), proxyDir: t.TempDir()}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ALIBABA_CLOUD_") && !strings.HasPrefix(kv, "DYVMS_") && !strings.HasPrefix(kv, "GOBIN=") {
			e.env = append(e.env, kv)
		}
	}
	e.env = append(e.env, "GOBIN="+e.gobin, "GOFLAGS=-mod=mod")
	// A callee list for the --callees-csv example.
	if err := os.WriteFile(filepath.Join(e.dir, "callees.csv"), []byte("callee,code\n13900001234,1234\n13900005678,5678\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// fakeEnv is env plus the settings that point dyvms at the fake.
func (e *readmeEnv) fakeEnv() []string {
	return append(append([]string{}, e.env...),
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+e.fake.AccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+e.fake.AccessKeySecret,
		"ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
		"DYVMS_ENDPOINT="+e.fake.URL,
		"PATH="+e.gobin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// execIn runs name args in dir with env under a deadline and returns its
// combined output; it fails the test on a non-zero exit.
func execIn(t *testing.T, dir string, env []string, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out))
	}
	return string(out)
}

func tail(out []byte) string {
	if len(out) > 4000 {
		return "..." + string(out[len(out)-4000:])
	}
	return string(out)
}

func runCITestCommand(t *testing.T, _ *readmeEnv, args []string) {
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(args, " ")
	for _, line := range strings.Split(string(ci), "\n") {
		if f := strings.Fields(line); strings.Join(f, " ") == want || strings.Join(removeCount(f), " ") == want {
			return
		}
	}
	t.Fatalf(".ci/run does not run the README's test command %q", want)
}

// removeCount drops -count=1, which CI adds to defeat the test cache.
func removeCount(f []string) []string {
	var out []string
	for _, w := range f {
		if w != "-count=1" {
			out = append(out, w)
		}
	}
	return out
}

func runBenchOnce(t *testing.T, e *readmeEnv, args []string) {
	out := execIn(t, root, e.env, 5*time.Minute, args[0], append(args[1:], "-benchtime=1x")...)
	if !strings.Contains(out, "Benchmark") || !strings.Contains(out, "allocs/op") {
		t.Fatalf("no benchmark results:\n%s", tail([]byte(out)))
	}
}

func runGoCommand(t *testing.T, e *readmeEnv, args []string) {
	out := execIn(t, root, e.env, 3*time.Minute, args[0], args[1:]...)
	if !strings.Contains(out, "embedded fake") {
		t.Fatalf("the example did not say it used the embedded fake:\n%s", tail([]byte(out)))
	}
}

// runGoGet runs go get in a new module, with this checkout served as the
// latest version of the module by a proxy on disk.
func runGoGet(t *testing.T, e *readmeEnv, args []string) {
	mod := t.TempDir()
	env := e.proxyEnv(t)
	execIn(t, mod, env, time.Minute, "go", "mod", "init", "example.com/newcomer")
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sums, 0o644); err != nil {
		t.Fatal(err)
	}
	execIn(t, mod, env, 3*time.Minute, args[0], args[1:]...)
	gomod, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), module+" "+proxyVersion()) {
		t.Fatalf("go.mod does not require %s:\n%s", module, gomod)
	}
}

func runGoInstall(t *testing.T, e *readmeEnv, args []string) {
	execIn(t, t.TempDir(), e.proxyEnv(t), 5*time.Minute, args[0], args[1:]...)
	if _, err := os.Stat(filepath.Join(e.gobin, "dyvms")); err != nil {
		t.Fatalf("go install did not put dyvms in GOBIN: %v", err)
	}
}

// dyvmsBin returns the installed (or, if no README line installed it, the
// freshly built) dyvms.
func (e *readmeEnv) dyvmsBin(t *testing.T) string {
	bin := filepath.Join(e.gobin, "dyvms")
	if _, err := os.Stat(bin); err != nil {
		execIn(t, root, e.env, 3*time.Minute, "go", "build", "-o", bin, "./cmd/dyvms")
	}
	return bin
}

// runDyvms runs dyvms against the fake server.
func runDyvms(t *testing.T, e *readmeEnv, args []string) {
	bin := e.dyvmsBin(t)
	out := execIn(t, e.dir, e.fakeEnv(), time.Minute, bin, args[1:]...)
	if strings.TrimSpace(out) == "" {
		t.Fatalf("dyvms %s printed nothing", strings.Join(args[1:], " "))
	}
}

func runBenchmarksScript(t *testing.T, e *readmeEnv, _ []string) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	// A copy of the repository (run.sh rewrites benchmarks/README.md and
	// benchmarks/results), with the benchmarks module's replace intact.
	dst := t.TempDir()
	copyTree(t, root, dst)
	env := append(append([]string{}, e.env...), "COUNT=1", "BENCHTIME=1x")
	execIn(t, filepath.Join(dst, "benchmarks"), env, 8*time.Minute, "bash", "./run.sh")
	table, err := os.ReadFile(filepath.Join(dst, "benchmarks", "results", "table.md"))
	if err != nil || !strings.Contains(string(table), "dyvms-one") {
		t.Fatalf("run.sh wrote no results table (%v)", err)
	}
}

// proxyVersion is the version the on-disk proxy serves this checkout as:
// v0.0.0-readme.HASH, HASH a digest of the checkout's files. The module
// cache is shared by every run on the machine and never re-reads a version
// it holds, so a fixed version would install whichever checkout was served
// first.
var proxyVersion = sync.OnceValue(func() string {
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || isNestedModule(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(p), len(data))
		h.Write(data)
		return err
	})
	if err != nil {
		panic("readmetest: hashing the checkout: " + err.Error())
	}
	return fmt.Sprintf("v0.0.0-readme.%x", h.Sum(nil)[:6])
})

// proxyEnv returns env with GOPROXY pointing only at a module proxy on
// disk that serves this checkout as the latest version of the module; the
// module's dependencies come from the module cache, which the test run
// that got here has filled. The checksum database is not asked (no public
// host is reached from a test): the dependencies are checked against this
// checkout's go.sum, which runGoGet copies into the new module.
func (e *readmeEnv) proxyEnv(t *testing.T) []string {
	if e.proxy == "" {
		e.proxy = writeProxy(t, e.proxyDir)
	}
	env := append([]string{}, e.env...)
	return append(env, "GOPROXY="+e.proxy, "GOSUMDB=off", "GOFLAGS=-mod=mod")
}

// writeProxy lays out a GOPROXY directory serving this checkout as
// module@proxyVersion, and returns its file:// URL.
func writeProxy(t *testing.T, dir string) string {
	base := filepath.Join(dir, filepath.FromSlash(module), "@v")
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"list":                   proxyVersion() + "\n",
		proxyVersion() + ".info": `{"Version":"` + proxyVersion() + `","Time":"2026-01-01T00:00:00Z"}`,
		proxyVersion() + ".mod":  string(gomod),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(base, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeModuleZip(t, filepath.Join(base, proxyVersion()+".zip"))
	return "file://" + filepath.ToSlash(dir)
}

// writeModuleZip zips the module's files as the go command expects: every
// path under module@version/, without .git, nested modules or testdata of
// other modules.
func writeModuleZip(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	prefix := module + "@" + proxyVersion() + "/"
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || isNestedModule(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		w, err := zw.Create(prefix + rel)
		if err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func isNestedModule(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}

// copyTree copies the repository's files (not .git) from src to dst.
func copyTree(t *testing.T, src, dst string) {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
