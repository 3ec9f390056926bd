package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const (
	testKeyID  = "testAccessKeyId"
	testSecret = "testSecretDoNotPrint"
)

// stubServer answers Dyvmsapi requests with canned JSON bodies and records
// the parameters of each request.
type stubServer struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []url.Values
	answers map[string]func(params url.Values) (int, string)
}

func newStubServer(t *testing.T) *stubServer {
	t.Helper()
	s := &stubServer{answers: map[string]func(url.Values) (int, string){}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		params := r.Form
		s.mu.Lock()
		s.reqs = append(s.reqs, params)
		answer := s.answers[params.Get("Action")]
		s.mu.Unlock()
		status, body := 200, `{"RequestId":"req-ok","Code":"OK","Message":"OK"}`
		if answer != nil {
			status, body = answer(params)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// answer sets the body the server gives action.
func (s *stubServer) answer(action string, fn func(url.Values) (int, string)) {
	s.mu.Lock()
	s.answers[action] = fn
	s.mu.Unlock()
}

// requests returns the recorded requests.
func (s *stubServer) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.reqs...)
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command in-process against srv (nil: no endpoint) with
// test credentials.
func runCLI(t *testing.T, srv *stubServer, stdin string, args ...string) result {
	t.Helper()
	endpoint := ""
	if srv != nil {
		endpoint = srv.URL
	}
	return runWith(t, endpoint, testKeyID, testSecret, stdin, args...)
}

// runWith runs the command in-process against endpoint with the given
// AccessKey in the environment, and fails the test if any output shows
// the secret.
func runWith(t *testing.T, endpoint, keyID, secret, stdin string, args ...string) result {
	t.Helper()
	setEnv(t, endpoint, keyID, secret)
	return runEnv(t, secret, stdin, args...)
}

// runEnv runs the command in-process in the current environment and
// fails the test if any output shows secret.
func runEnv(t *testing.T, secret, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runContext(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	r := result{code, out.String(), errOut.String()}
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, secret) {
			t.Fatalf("output shows the AccessKey secret:\n%s", s)
		}
	}
	return r
}

// setEnv sets the environment the command reads, isolated from the
// machine's own credentials.
func setEnv(t *testing.T, endpoint, keyID, secret string) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", keyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	t.Setenv("ALIBABA_CLOUD_PROFILE", "")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv(envEndpoint, endpoint)
	t.Setenv(envRegion, "")
}

func (r result) want(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func TestHelpListsActionsByGroup(t *testing.T) {
	r := runCLI(t, nil, "", "help")
	r.want(t, exitOK)
	for _, s := range []string{"voice:", "callcenter:", "SingleCallByTts", "CreateCallTask", "-o, --output FORMAT", "--dry-run", "Exit codes", "3  outcome unknown", "ALIBABA_CLOUD_REGION_ID"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("help lacks %q", s)
		}
	}
	if r := runCLI(t, nil, "", "help", "IvrCal"); r.code != exitUsage || !strings.Contains(r.stderr, "did you mean IvrCall?") {
		t.Errorf("help of an unknown Action: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, sub := range []string{"fake", "receipts", "configure"} {
		if r := runCLI(t, nil, "", "help", sub); r.code != exitOK || !strings.Contains(r.stderr, "Usage: dyvms "+sub) {
			t.Errorf("help %s: exit %d\n%s", sub, r.code, r.stderr)
		}
	}
	if r := runCLI(t, nil, "", "version"); r.code != exitOK || !strings.Contains(r.stdout, "2017-05-25") {
		t.Errorf("version: %+v", r)
	}
	if r := runCLI(t, nil, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no arguments: exit %d, stderr %q; want usage and exit 2", r.code, r.stderr)
	}
}

func TestActionHelp(t *testing.T) {
	for _, args := range [][]string{{"IvrCall", "--help"}, {"help", "IvrCall"}, {"IvrCall", "-h"}} {
		r := runCLI(t, nil, "", args...)
		r.want(t, exitOK)
		for _, s := range []string{
			"--CalledNumber  (phone number, required)",
			"--PlayTimes  (int64, 1..3)",
			"--OutId  (string, at most 15 bytes)",
			"--MenuKeyMap.N.Key  (string)",
			"--StartTtsParams  (JSON object, at most 4096 bytes)",
			"Example: TTS_1234****",
			"dyvms IvrCall --CalledNumber 15900000000 --CalledShowNumber 057100005678 --StartCode 'TTS_1234****'",
		} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%v: help lacks %q:\n%s", args, s, r.stdout)
			}
		}
	}
	r := runCLI(t, nil, "", "QueryCallDetailByCallId", "--help")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "time, sent as Unix ms") || !strings.Contains(r.stdout, "Times: Unix milliseconds") {
		t.Errorf("time parameter help:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "", "ListCallTask", "--help")
	if !strings.Contains(r.stdout, "[--all]") {
		t.Errorf("paged Action help lacks --all:\n%s", r.stdout)
	}
}

func TestEveryActionHasHelpAndIsTyped(t *testing.T) {
	for _, name := range actionNames() {
		r := runCLI(t, nil, "", name, "--help")
		r.want(t, exitOK)
		if !strings.Contains(r.stdout, "Example:\n  dyvms "+name) {
			t.Errorf("%s: help lacks an example", name)
		}
		if _, ok := typedMethod(name); !ok {
			t.Errorf("%s: no typed method (the command would send it through Client.Do)", name)
		}
	}
}

func TestUnknownActionAndFlags(t *testing.T) {
	srv := newStubServer(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"SingleCallByTTS2"}, `did you mean SingleCallByTts?`},
		{[]string{"SingleCallByTts", "--CaledNumber", "1"}, "did you mean --CalledNumber?"},
		{[]string{"SingleCallByTts", "--bogus", "1"}, "SingleCallByTts has no parameter --bogus"},
		{[]string{"SingleCallByTts", "-output", "json"}, "write it --output"},
		{[]string{"SingleCallByTts", "-x", "1"}, "unknown flag -x"},
		{[]string{"SingleCallByTts", "--outptu", "json"}, "unknown flag --outptu; did you mean --output?"},
		{[]string{"SingleCallByTts", "--dryrun"}, "unknown flag --dryrun; did you mean --dry-run?"},
		{[]string{"SingleCallByTts", "--CalledNumber", "1", "--TtsCode", "T", "--All", "true"}, "SingleCallByTts has no parameter --All"},
		{[]string{"SingleCallByTts", "--query", "Data..x"}, "misplaced dot"},
		{[]string{"SingleCallByTts", "-o", "raw", "-q", "CallId"}, "does not apply to --output raw"},
		{[]string{"CreateCallTask", "--BizType", "VMS_VOICE_TTZ"}, `--BizType: "VMS_VOICE_TTZ" is not one of VMS_VOICE_TTS (CallTaskBizVoiceTTS), VMS_VOICE_CODE (CallTaskBizVoiceCode), VMS_TTS (CallTaskBizTTS); did you mean VMS_VOICE_TTS?`},
		{[]string{"QueryCallDetailByCallId", "--ProdId", "ProductVoiceTTZ"}, "did you mean ProductVoiceTTS?"},
		{[]string{"QueryCallDetailByCallId", "--ProdId", "123"}, "is not one of 11000000300006 (ProductVoiceNotification), 11010000138001 (ProductVoiceTTS)"},
		{[]string{"SingleCallByTts", "--output", "yaml"}, "--output must be json, table or raw"},
		{[]string{"SingleCallByTts", "--CalledNumber"}, "--CalledNumber needs a value"},
		{[]string{"SingleCallByTts", "extra"}, `unexpected argument "extra"`},
		{[]string{"SingleCallByTts", "--all"}, "not a paged Action"},
		{[]string{"SingleCallByTts", "--callees-csv", "x.csv"}, "CreateCallTask only"},
		{[]string{"IvrCall", "--PlayTimes", "abc"}, `--PlayTimes: "abc" is not an integer (int64)`},
		{[]string{"IvrCall", "--Timeout", "99999999999"}, "out of range for an integer (int32)"},
		{[]string{"IvrCall", "--StartTtsParams", "{bad"}, "want a JSON value"},
		{[]string{"IvrCall", "--MenuKeyMap.x.Key", "1"}, "list index"},
		{[]string{"IvrCall", "--MenuKeyMap.1.Nope", "1"}, "items have no field"},
		{[]string{"IvrCall", "--MenuKeyMap", `[{"Nope":1}]`}, `unknown field "Nope"`},
		{[]string{"IvrCall", "--OutId", "a", "--OutId", "b"}, "given twice"},
		{[]string{"QueryCallDetailByCallId", "--QueryDate", "yesterday"}, "is not a time"},
		{[]string{"SingleCallByTts", "--CalledNumber", "13900000001", "--TtsCode", "T", "--endpoint", "ftp://x"}, "invalid endpoint"},
	}
	for _, tc := range cases {
		r := runCLI(t, srv, "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests reached the server; want none", n)
	}
}

func TestValidationErrorsSendNothing(t *testing.T) {
	srv := newStubServer(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"SingleCallByTts", "--TtsCode", "TTS_1"}, "invalid parameter CalledNumber: is required"},
		{[]string{"IvrCall", "--CalledNumber", "13900000001", "--CalledShowNumber", "057100000002", "--StartCode", "3", "--PlayTimes", "9"}, "PlayTimes: is 9; must be in [1, 3]"},
		{[]string{"IvrCall", "--CalledNumber", "13900000001", "--CalledShowNumber", "057100000002", "--StartCode", "3", "--OutId", "0123456789abcdefg"}, "OutId: is 17 bytes long"},
	}
	for _, tc := range cases {
		r := runCLI(t, srv, "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "nothing was sent") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests reached the server; want none", n)
	}
}

func TestNoCredentials(t *testing.T) {
	srv := newStubServer(t)
	t.Setenv("HOME", t.TempDir())
	var out, errOut bytes.Buffer
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA", "")
	t.Setenv(envEndpoint, srv.URL)
	code := runContext(context.Background(), []string{"SingleCallByTts", "--CalledNumber", "13900000001", "--TtsCode", "T"}, nil, &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), "no credentials") {
		t.Errorf("exit %d, stderr %q; want 2 and no credentials", code, errOut.String())
	}
}

func TestCallPrintsJSON(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("SingleCallByTts", func(url.Values) (int, string) {
		return 200, `{"RequestId":"req-1","Code":"OK","Message":"OK","CallId":"116012354148^10281378****"}`
	})
	r := runCLI(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode=TTS_100000",
		"--TtsParam", `{"code":1234,"name":"张三"}`, "--PlayTimes", "2", "--Volume", "0", "--region", "cn-shanghai")
	r.want(t, exitOK)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if got["CallId"] != "116012354148^10281378****" || got["RequestId"] != "req-1" {
		t.Errorf("output %v", got)
	}
	if !strings.Contains(r.stdout, "\n  \"CallId\"") {
		t.Errorf("output is not indented:\n%s", r.stdout)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	p := reqs[0]
	for k, v := range map[string]string{
		"Action": "SingleCallByTts", "CalledNumber": "13900001234", "TtsCode": "TTS_100000",
		"TtsParam": `{"code":"1234","name":"张三"}`, "PlayTimes": "2", "Volume": "0", "RegionId": "cn-shanghai",
	} {
		if p.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, p.Get(k), v)
		}
	}
}

func TestListParams(t *testing.T) {
	srv := newStubServer(t)
	base := []string{"IvrCall", "--CalledNumber", "13900000001", "--CalledShowNumber", "057100000002", "--StartCode", "TTS_1"}
	runCLI(t, srv, "", append(base, "--MenuKeyMap.1.Key", "1", "--MenuKeyMap.1.Code", "TTS_2",
		"--MenuKeyMap.2.Key", "2", "--MenuKeyMap.2.TtsParams", `{"a":"b"}`)...).want(t, exitOK)
	runCLI(t, srv, "", append(base, "--MenuKeyMap",
		`[{"Key":"1","Code":"TTS_2"},{"Key":2,"TtsParams":{"a":"b"}}]`)...).want(t, exitOK)
	reqs := srv.requests()
	for i, p := range reqs {
		for k, v := range map[string]string{
			"MenuKeyMap.1.Key": "1", "MenuKeyMap.1.Code": "TTS_2", "MenuKeyMap.2.Key": "2", "MenuKeyMap.2.TtsParams": `{"a":"b"}`,
		} {
			if p.Get(k) != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, p.Get(k), v)
			}
		}
	}
}

func TestTimeParams(t *testing.T) {
	srv := newStubServer(t)
	for _, v := range []string{"1714521600000", "2024-05-01T08:00:00+08:00", "2024-05-01 08:00:00"} {
		runCLI(t, srv, "", "QueryCallDetailByCallId", "--CallId", "c", "--ProdId", "11000000300006", "--QueryDate", v).want(t, exitOK)
	}
	for i, p := range srv.requests() {
		if got := p.Get("QueryDate"); got != "1714521600000" {
			t.Errorf("request %d: QueryDate = %q, want 1714521600000", i, got)
		}
	}
}

func TestServiceError(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("SingleCallByTts", func(url.Values) (int, string) {
		return 400, `{"RequestId":"req-err-1","Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发流控 testSecretDoNotPrint"}`
	})
	r := runCLI(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1")
	r.want(t, exitFailure)
	for _, s := range []string{"SingleCallByTts failed", "isv.BUSINESS_LIMIT_CONTROL", "req-err-1", "触发流控", "HTTPStatus:  400"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout %q on failure; want nothing", r.stdout)
	}
}

func TestTransportError(t *testing.T) {
	srv := newStubServer(t)
	srv.Close()
	r := runCLI(t, srv, "", "QueryRobotInfoList")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "QueryRobotInfoList") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestOutputFormats(t *testing.T) {
	srv := newStubServer(t)
	body := `{"RequestId":"req-t","Code":"OK","Message":"OK","Data":[` +
		`{"Id":1,"TaskName":"a","Status":"RUNNING","TotalCount":2},` +
		`{"Id":2,"TaskName":"b\tc","Status":"STOP","TotalCount":3}],"PageNumber":1,"PageSize":10,"Total":2}`
	srv.answer("ListCallTask", func(url.Values) (int, string) {
		return 200, strings.Replace(body, `"OK","Message"`, `"200","Message"`, 1)
	})

	r := runCLI(t, srv, "", "ListCallTask", "--output", "table")
	r.want(t, exitOK)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasPrefix(lines[0], "RequestId") || !strings.Contains(r.stdout, "\nData:\n") {
		t.Errorf("table:\n%s", r.stdout)
	}
	header := lines[len(lines)-3]
	if !strings.HasPrefix(header, "Id  ") || !strings.Contains(header, "TaskName") || !strings.Contains(lines[len(lines)-1], `b\tc`) {
		t.Errorf("table rows:\n%s", r.stdout)
	}

	r = runCLI(t, srv, "", "ListCallTask", "-o", "raw")
	r.want(t, exitOK)
	if r.stdout != strings.Replace(body, `"OK","Message"`, `"200","Message"`, 1)+"\n" {
		t.Errorf("raw output %q is not the body", r.stdout)
	}

	r = runCLI(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900000001", "--TtsCode", "T", "--output=table")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "RequestId  req-ok") {
		t.Errorf("key/value table:\n%s", r.stdout)
	}
}

func TestAllWalksEveryPage(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("ListCallTask", func(p url.Values) (int, string) {
		page, _ := strconv.Atoi(p.Get("PageNumber"))
		var items []string
		for i := 0; i < 2 && (page-1)*2+i < 5; i++ {
			items = append(items, fmt.Sprintf(`{"Id":%d,"TaskName":"t%d"}`, (page-1)*2+i+1, (page-1)*2+i+1))
		}
		return 200, fmt.Sprintf(`{"RequestId":"r%d","Code":"200","Data":[%s],"PageNumber":%d,"PageSize":2,"Total":5}`, page, strings.Join(items, ","), page)
	})
	r := runCLI(t, srv, "", "ListCallTask", "--PageSize", "2", "--all")
	r.want(t, exitOK)
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(items) != 5 || items[4]["TaskName"] != "t5" {
		t.Errorf("items %v", items)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("%d requests, want 3 pages", n)
	}
	if r.stderr != "" {
		t.Errorf("progress on a non-terminal stderr: %q", r.stderr)
	}
	r = runCLI(t, srv, "", "ListCallTask", "--PageSize", "2", "--all", "--output", "table")
	r.want(t, exitOK)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 6 || !strings.HasPrefix(lines[0], "Id") {
		t.Errorf("--all table:\n%s", r.stdout)
	}
	r = runCLI(t, srv, "", "ListCallTask", "--PageSize", "2", "--all", "--output", "raw")
	r.want(t, exitOK)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 3 {
		t.Errorf("--all raw: want one body per page:\n%s", r.stdout)
	}
}

func TestAllStopsOnError(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("ListCallTask", func(p url.Values) (int, string) {
		if p.Get("PageNumber") == "2" {
			return 400, `{"RequestId":"req-p2","Code":"InvalidParameter","Message":"bad page"}`
		}
		return 200, `{"RequestId":"r1","Code":"200","Data":[{"Id":1},{"Id":2}],"PageSize":2,"Total":5}`
	})
	r := runCLI(t, srv, "", "ListCallTask", "--PageSize", "2", "--all")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "req-p2") || r.stdout != "" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestCalleesCSV(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("CreateCallTask", func(url.Values) (int, string) {
		return 200, `{"RequestId":"req-c","Code":"200","Data":123456}`
	})
	dir := t.TempDir()
	good := filepath.Join(dir, "callees.csv")
	var b strings.Builder
	b.WriteString("\ufeffcallee,name,code\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "139%08d,\"Zhang, San\",%d\n", i, i)
	}
	os.WriteFile(good, []byte(b.String()), 0o600)
	r := runCLI(t, srv, "", "CreateCallTask", "--TaskName", "t", "--BizType", "VMS_VOICE_TTS", "--TemplateCode", "TTS_1", "--callees-csv", good)
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, `"Data": 123456`) {
		t.Errorf("stdout %s", r.stdout)
	}
	p := srv.requests()[0]
	var data struct {
		ParamNames []string `json:"paramNames"`
		CalleeList []struct {
			Callee string   `json:"callee"`
			Params []string `json:"params"`
		} `json:"calleeList"`
	}
	if err := json.Unmarshal([]byte(p.Get("Data")), &data); err != nil {
		t.Fatalf("Data %q: %v", p.Get("Data"), err)
	}
	if p.Get("DataType") != "JSON" || len(data.CalleeList) != 2000 || strings.Join(data.ParamNames, "|") != "name|code" ||
		data.CalleeList[1].Callee != "13900000001" || strings.Join(data.CalleeList[1].Params, "|") != "Zhang, San|1" {
		t.Errorf("DataType %q, Data %+v", p.Get("DataType"), data.ParamNames)
	}

	// From stdin.
	runCLI(t, srv, "callee\n13900000000\n", "CreateCallTask", "--callees-csv", "-").want(t, exitOK)

	bad := []struct{ csv, want string }{
		{"callee,name\n13900000000,a\n1390000000x,b\n", "line 3: callee \"1390000000x\" is not a phone number"},
		{"callee,name\n13900000000,a\n13900000001\n", "line 3: 1 fields, but the header has 2"},
		{"callee,name,name\n", "column \"name\" appears twice"},
		{"callee,name\n", "no callees"},
		{"", "is empty"},
	}
	for i, tc := range bad {
		f := filepath.Join(dir, fmt.Sprintf("bad%d.csv", i))
		os.WriteFile(f, []byte(tc.csv), 0o600)
		r := runCLI(t, srv, "", "CreateCallTask", "--callees-csv", f)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.csv, r.code, r.stderr, tc.want)
		}
	}
	r = runCLI(t, srv, "", "CreateCallTask", "--callees-csv", filepath.Join(dir, "missing.csv"))
	r.want(t, exitUsage)
	r = runCLI(t, srv, "", "CreateCallTask", "--callees-csv", good, "--Data", "{}")
	r.want(t, exitUsage)
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests; want 2 (bad files send nothing)", n)
	}
}

func TestCreateCallTaskListData(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("CreateCallTask", func(url.Values) (int, string) { return 200, `{"RequestId":"r","Code":"200","Data":1}` })
	runCLI(t, srv, "", "CreateCallTask", "--DataType", "LIST", "--Data", "13900000000,13900000001").want(t, exitOK)
	if got := srv.requests()[0].Get("Data"); got != "13900000000,13900000001" {
		t.Errorf("Data = %q", got)
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "read %d callees")
	p.update(5)
	p.done(7)
	if buf.String() != "\rread 5 callees\rread 7 callees\n" {
		t.Errorf("progress %q", buf.String())
	}
	if isTerminal(&buf) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
}
