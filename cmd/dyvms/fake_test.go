package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
)

// runFake runs the command in-process against the fake server.
func runFake(t *testing.T, srv *dyvmstest.Server, stdin string, args ...string) result {
	t.Helper()
	return runWith(t, srv.URL, srv.AccessKeyID, srv.AccessKeySecret, stdin, args...)
}

func newFake(t *testing.T, opts ...dyvmstest.Option) *dyvmstest.Server {
	t.Helper()
	srv := dyvmstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func TestFakeCallAndQuery(t *testing.T) {
	srv := newFake(t)
	r := runFake(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_100000",
		"--TtsParam", `{"code":"1234"}`, "--OutId", "order-1")
	r.want(t, exitOK)
	var resp struct{ CallId, RequestId, Code string }
	if err := json.Unmarshal([]byte(r.stdout), &resp); err != nil || resp.CallId == "" || resp.Code != "OK" {
		t.Fatalf("response %q: %v", r.stdout, err)
	}
	if got := srv.Requests()[0].Param("TtsParam"); got != `{"code":"1234"}` {
		t.Errorf("TtsParam = %q", got)
	}
	r = runFake(t, srv, "", "QueryCallDetailByCallId", "--CallId", resp.CallId, "--ProdId", "11010000138001",
		"--QueryDate", time.Now().Format("2006-01-02 15:04:05"), "--output", "table")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "RequestId") {
		t.Errorf("table:\n%s", r.stdout)
	}
}

func TestFakeNothingSentOnUsageErrors(t *testing.T) {
	srv := newFake(t)
	for _, args := range [][]string{
		{"SingleCallByTts", "--TtsCode", "TTS_1"},
		{"IvrCall", "--CalledNumber", "13900000001", "--CalledShowNumber", "057100000002", "--StartCode", "3", "--PlayTimes", "4"},
		{"ListCallTaskDetail"},
		{"NoSuchAction"},
		{"SingleCallByTts", "--CalledNumber", "13900000001", "--TtsCode", "T", "--Nope", "x"},
	} {
		runFake(t, srv, "", args...).want(t, exitUsage)
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests reached the fake; want none", n)
	}
}

func TestFakeServiceErrors(t *testing.T) {
	srv := newFake(t)
	srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultBusiness, Code: "isv.OUT_OF_SERVICE", Message: "业务停机"})
	r := runFake(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "Code:        isv.OUT_OF_SERVICE") || !regexp.MustCompile(`RequestId:\s+\S+`).MatchString(r.stderr) {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// A wrong secret: the fake's signature check fails.
	r = runWith(t, srv.URL, srv.AccessKeyID, "wrongSecretValue", "", "QueryRobotInfoList")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "SignatureDoesNotMatch") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestFakeCalleesCSVAndAll(t *testing.T) {
	srv := newFake(t)
	f := filepath.Join(t.TempDir(), "callees.csv")
	var b strings.Builder
	b.WriteString("callee,name\n")
	for i := 0; i < 23; i++ {
		fmt.Fprintf(&b, "139%08d,user%d\n", i, i)
	}
	os.WriteFile(f, []byte(b.String()), 0o600)
	r := runFake(t, srv, "", "CreateCallTask", "--TaskName", "csv", "--BizType", "VMS_VOICE_TTS",
		"--TemplateCode", "TTS_1", "--callees-csv", f)
	r.want(t, exitOK)
	var created struct{ Data int64 }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.Data == 0 {
		t.Fatalf("CreateCallTask: %q %v", r.stdout, err)
	}
	id := fmt.Sprint(created.Data)
	r = runFake(t, srv, "", "ListCallTaskDetail", "--TaskId", id, "--PageSize", "5", "--all")
	r.want(t, exitOK)
	var items []struct{ CalledNum string }
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatalf("--all: %v\n%s", err, r.stdout)
	}
	if len(items) != 23 || items[22].CalledNum != "13900000022" {
		t.Errorf("--all gave %d items: %+v", len(items), items)
	}
	if n := srv.Count("ListCallTaskDetail"); n != 5 {
		t.Errorf("%d pages fetched; want 5", n)
	}
	r = runFake(t, srv, "", "ListCallTask", "--all", "--output", "table")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "csv") || !strings.HasPrefix(r.stdout, "Id") {
		t.Errorf("ListCallTask --all table:\n%s", r.stdout)
	}
}

// syncBuffer is a bytes.Buffer safe to read while the command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// waitFor polls buf until re matches, and returns the first submatch.
func waitFor(t *testing.T, buf *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(buf.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %s in %q", re, buf.String())
	return ""
}

// start runs the command in the background until the returned stop is
// called; stop returns its exit code.
func start(args ...string) (stdout, stderr *syncBuffer, stop func() int) {
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- runContext(ctx, args, strings.NewReader(""), stdout, stderr) }()
	return stdout, stderr, func() int { cancel(); return <-done }
}

func TestFakeSubcommand(t *testing.T) {
	setEnv(t, "", "", "")
	stdout, stderr, stop := start("fake", "--addr", "127.0.0.1:0")
	url := waitFor(t, stdout, regexp.MustCompile(`DYVMS_ENDPOINT=(\S+)`))
	r := runWith(t, url, dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, "", "QueryRobotInfoList")
	r.want(t, exitOK)
	if code := stop(); code != exitOK {
		t.Errorf("fake exited %d: %s", code, stderr)
	}
	if r := runCLI(t, nil, "", "fake", "--addr", "0.0.0.0:0"); r.code != exitUsage || !strings.Contains(r.stderr, "not a loopback") {
		t.Errorf("non-loopback fake: %+v", r)
	}
}

func TestReceiptsListen(t *testing.T) {
	setEnv(t, "", "", "")
	stdout, stderr, stop := start("receipts", "listen", "--addr", "127.0.0.1:0", "--path", "/hook", "--type", "VoiceReport")
	hook := waitFor(t, stderr, regexp.MustCompile(`receipts at (http://\S+)`))
	srv := newFake(t, dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, hook),
		dyvmstest.WithCallOutcome(func(dyvmstest.Call) dyvmstest.CallOutcome {
			return dyvmstest.CallOutcome{StatusCode: "200000", Duration: time.Second}
		}))
	r := runFake(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1", "--OutId", "r-1")
	r.want(t, exitOK)
	line := waitFor(t, stdout, regexp.MustCompile(`(\{"type":"VoiceReport".*\})\n`))
	var got struct {
		Type    string
		Receipt map[string]any
	}
	if err := json.Unmarshal([]byte(line), &got); err != nil || got.Receipt["out_id"] != "r-1" {
		t.Errorf("receipt line %q: %v", line, err)
	}
	if code := stop(); code != exitOK {
		t.Errorf("listen exited %d: %s", code, stderr)
	}
	if r := runCLI(t, nil, "", "receipts", "listen", "--type", "Nope"); r.code != exitUsage {
		t.Errorf("bad --type: %+v", r)
	}
	if r := runCLI(t, nil, "", "receipts"); r.code != exitUsage {
		t.Errorf("receipts without listen: %+v", r)
	}
}

// TestFakeEveryActionFromItsHelpExample runs the example command line of
// every Action's help against the fake: the help's example is a command
// that works.
func TestFakeEveryActionFromItsHelpExample(t *testing.T) {
	srv := newFake(t)
	for _, name := range actionNames() {
		r := runFake(t, srv, "", name, "--help")
		r.want(t, exitOK)
		_, after, _ := strings.Cut(r.stdout, "Example:\n  ")
		line, _, _ := strings.Cut(after, "\n")
		args := splitShell(line)[1:]
		// The line must be valid; the fake may still answer a business
		// error (an example task ID it does not know).
		r = runFake(t, srv, "", args...)
		if r.code != exitOK && (r.code != exitFailure || !strings.Contains(r.stderr, "Code:")) {
			t.Errorf("%s: exit %d\n%s", line, r.code, r.stderr)
		}
	}
}

// splitShell splits the help's example line: words separated by spaces,
// single quotes as a POSIX shell reads them.
func splitShell(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, started := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && !inQuote:
			inQuote, started = true, true
		case c == '\'' && inQuote:
			inQuote = false
		case c == '\\' && !inQuote && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == ' ' && !inQuote:
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

// writeProfile writes an aliyun CLI configuration file under a new HOME.
func writeProfile(t *testing.T, current string, profiles map[string][2]string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	type profile struct {
		Name            string `json:"name"`
		Mode            string `json:"mode"`
		AccessKeyID     string `json:"access_key_id"`
		AccessKeySecret string `json:"access_key_secret"`
	}
	cfg := struct {
		Current  string    `json:"current"`
		Profiles []profile `json:"profiles"`
	}{Current: current}
	for name, keys := range profiles {
		cfg.Profiles = append(cfg.Profiles, profile{name, "AK", keys[0], keys[1]})
	}
	b, _ := json.Marshal(cfg)
	os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestProfiles(t *testing.T) {
	srv := newFake(t)
	run := func(args ...string) result {
		t.Helper()
		var out, errOut bytes.Buffer
		code := runContext(context.Background(), args, strings.NewReader(""), &out, &errOut)
		r := result{code, out.String(), errOut.String()}
		if strings.Contains(r.stdout+r.stderr, srv.AccessKeySecret) {
			t.Fatalf("output shows the secret:\n%s%s", r.stdout, r.stderr)
		}
		return r
	}
	setEnv(t, srv.URL, "", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	writeProfile(t, "wrong", map[string][2]string{
		"wrong": {srv.AccessKeyID, "notTheSecret"},
		"fake":  {srv.AccessKeyID, srv.AccessKeySecret},
	})

	// --profile picks the profile.
	run("QueryRobotInfoList", "--profile", "fake").want(t, exitOK)
	// Without it, the file's current profile (whose secret is wrong).
	r := run("QueryRobotInfoList")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "SignatureDoesNotMatch") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	// ALIBABA_CLOUD_PROFILE, through the SDK's default chain.
	t.Setenv("ALIBABA_CLOUD_PROFILE", "fake")
	run("QueryRobotInfoList").want(t, exitOK)
	// A profile the file lacks is a usage error; nothing is sent.
	before := srv.Count("")
	r = run("QueryRobotInfoList", "--profile", "nope")
	r.want(t, exitUsage)
	if !strings.Contains(r.stderr, "--profile nope: no such profile") || srv.Count("") != before {
		t.Errorf("stderr %q, %d requests sent", r.stderr, srv.Count("")-before)
	}
}

// TestReceiptsListenDropsStalledPush: a push that stops mid-body is cut
// off after --read-timeout instead of holding its connection.
func TestReceiptsListenDropsStalledPush(t *testing.T) {
	setEnv(t, "", "", "")
	_, stderr, stop := start("receipts", "listen", "--addr", "127.0.0.1:0", "--path", "/hook", "--read-timeout", "300ms")
	defer stop()
	hook := waitFor(t, stderr, regexp.MustCompile(`receipts at http://(\S+)/hook`))
	conn, err := net.Dial("tcp", hook)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"call_id\":")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	began := time.Now()
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the stalled push still holds its connection after %v", time.Since(began))
	}
}

// TestFakeSubcommandFaults: dyvms fake --fault injects the fault it
// names, per Action.
func TestFakeSubcommandFaults(t *testing.T) {
	setEnv(t, "", "", "")
	stdout, stderr, stop := start("fake", "--addr", "127.0.0.1:0", "--fault", "SingleCallByTts=business:1:code=isv.OUT_OF_SERVICE",
		"--fault", "QueryRobotInfoList=5xx:status=503")
	defer stop()
	url := waitFor(t, stdout, regexp.MustCompile(`DYVMS_ENDPOINT=(\S+)`))
	if !strings.Contains(stdout.String(), "Fault:           SingleCallByTts: Business on the next 1 request(s)") {
		t.Errorf("banner:\n%s", stdout)
	}
	r := runWith(t, url, dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "T")
	if r.code != exitFailure || !strings.Contains(r.stderr, "isv.OUT_OF_SERVICE") {
		t.Errorf("business fault: exit %d\n%s", r.code, r.stderr)
	}
	runWith(t, url, dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "T").want(t, exitOK)
	r = runWith(t, url, dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, "", "QueryRobotInfoList")
	if r.code != exitFailure || !strings.Contains(r.stderr, "ServiceUnavailable") || !strings.Contains(r.stderr, "HTTPStatus:  503") {
		t.Errorf("5xx fault: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "", "fake", "--fault", "Nope=throttle"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown Action "Nope"`) {
		t.Errorf("bad fault: %+v (%s)", r, stderr)
	}
}
