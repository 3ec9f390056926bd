package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// TestParameterNamesLoose: any case and kebab-case reach the wire under
// the API's spelling; an unknown name gets a suggestion.
func TestParameterNamesLoose(t *testing.T) {
	srv := newStubServer(t)
	for _, flag := range []string{"--callednumber", "--calledNumber", "--called-number", "--CALLED_NUMBER", "--CalledNumber=13900001234"} {
		args := []string{"SingleCallByTts", "--tts-code", "TTS_1"}
		if strings.Contains(flag, "=") {
			args = append(args, flag)
		} else {
			args = append(args, flag, "13900001234")
		}
		runCLI(t, srv, "", args...).want(t, exitOK)
	}
	runCLI(t, srv, "", "IvrCall", "--called-number", "13900000001", "--calledshownumber", "057100000002", "--start-code", "TTS_1",
		"--menu-key-map.1.key", "1", "--MENUKEYMAP.1.code", "TTS_2").want(t, exitOK)
	reqs := srv.requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 6", len(reqs))
	}
	for i, p := range reqs[:5] {
		if p.Get("CalledNumber") != "13900001234" || p.Get("TtsCode") != "TTS_1" {
			t.Errorf("request %d: CalledNumber %q TtsCode %q", i, p.Get("CalledNumber"), p.Get("TtsCode"))
		}
	}
	if p := reqs[5]; p.Get("MenuKeyMap.1.Key") != "1" || p.Get("MenuKeyMap.1.Code") != "TTS_2" || p.Get("CalledShowNumber") != "057100000002" {
		t.Errorf("IvrCall params %v", p)
	}
	r := runCLI(t, srv, "", "SingleCallByTts", "--caled-number", "1")
	if r.code != exitUsage || !strings.Contains(r.stderr, "did you mean --CalledNumber?") {
		t.Errorf("typo: %+v", r)
	}
	r = runCLI(t, srv, "", "SingleCallByTts", "--called-number", "1", "--CalledNumber", "2")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--CalledNumber given twice (as --called-number and --CalledNumber)") {
		t.Errorf("duplicate: %+v", r)
	}
	if _, err := matchName("ab", []string{"A_B", "a-b"}); err == nil || !strings.Contains(err.Error(), "--ab is ambiguous: write --A_B or --a-b") {
		t.Errorf("ambiguous name: %v", err)
	}
}

// TestValuesCheckedAndNamed: allowed values are checked in any case and
// sent as the API spells them; SDK constant names stand for their values.
func TestValuesCheckedAndNamed(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("CreateCallTask", func(url.Values) (int, string) { return 200, `{"RequestId":"r","Code":"200","Data":1}` })
	runCLI(t, srv, "", "CreateCallTask", "--TaskName", "t", "--BizType", "vms_voice_tts", "--TemplateCode", "TTS_1",
		"--DataType", "LIST", "--Data", "13900000000").want(t, exitOK)
	runCLI(t, srv, "", "QueryCallDetailByCallId", "--CallId", "c", "--ProdId", "ProductVoiceTTS", "--QueryDate", "2024-05-01").want(t, exitOK)
	runCLI(t, srv, "", "QueryCallDetailByCallId", "--CallId", "c", "--ProdId", "productvoicetts", "--QueryDate", "2024-05-01").want(t, exitOK)
	runCLI(t, srv, "", "CreateCallTask", "--TaskName", "t", "--BizType", "CallTaskBizTTS", "--TemplateCode", "TTS_1",
		"--DataType", "LIST", "--Data", "13900000000").want(t, exitOK)
	reqs := srv.requests()
	if got := reqs[0].Get("BizType"); got != "VMS_VOICE_TTS" {
		t.Errorf("BizType sent %q, want VMS_VOICE_TTS", got)
	}
	for _, p := range reqs[1:3] {
		if got := p.Get("ProdId"); got != "11010000138001" {
			t.Errorf("ProdId sent %q, want 11010000138001", got)
		}
	}
	if got := reqs[3].Get("BizType"); got != "VMS_TTS" {
		t.Errorf("BizType by constant name sent %q, want VMS_TTS", got)
	}
	r := runCLI(t, srv, "", "CreateCallTask", "--TaskName", "t", "--BizType", "VMS_VOICE_TTZ", "--TemplateCode", "T", "--DataType", "LIST", "--Data", "1")
	if r.code != exitUsage || len(srv.requests()) != 4 {
		t.Errorf("VMS_VOICE_TTZ: exit %d, %d requests", r.code, len(srv.requests()))
	}
	// A comma-separated list of allowed values is allowed.
	f := fieldInfo{wire: "RecallStateCodes", typ: reflectString, cat: &catalogParamEnum}
	if v, err := canonicalValue(f, "200010,200011"); err != nil || v != "200010,200011" {
		t.Errorf("list of allowed values: %q, %v", v, err)
	}
	if _, err := canonicalValue(f, "200010,999"); err == nil {
		t.Error("a list with a value outside the allowed ones was accepted")
	}
	r = runCLI(t, nil, "", "QueryCallDetailByCallId", "--help")
	if !strings.Contains(r.stdout, "One of: 11000000300006 (ProductVoiceNotification), 11010000138001 (ProductVoiceTTS)") {
		t.Errorf("help does not name the allowed values:\n%s", r.stdout)
	}
}

// TestDryRunSendsNothing: --dry-run prints the request with every
// parameter and the endpoint, secrets redacted, and sends nothing.
func TestDryRunSendsNothing(t *testing.T) {
	srv := newStubServer(t)
	r := runCLI(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1",
		"--TtsParam", `{"code":"1234"}`, "--OutId", "o-1", "--dry-run", "--region", "cn-shanghai")
	r.want(t, exitOK)
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("--dry-run sent %d requests", n)
	}
	var got sentRequest
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("dry run output %q: %v", r.stdout, err)
	}
	if got.Action != "SingleCallByTts" || got.Method != "POST" || got.Endpoint != srv.URL+"/" {
		t.Errorf("dry run %+v", got)
	}
	for k, v := range map[string]string{"CalledNumber": "13900001234", "TtsCode": "TTS_1", "TtsParam": `{"code":"1234"}`, "OutId": "o-1"} {
		if got.Parameters[k] != v {
			t.Errorf("Parameters[%s] = %q, want %q", k, got.Parameters[k], v)
		}
	}
	for k, v := range map[string]string{"Signature": redacted, "AccessKeyId": "test****", "RegionId": "cn-shanghai", "Version": "2017-05-25"} {
		if got.CommonParameters[k] != v {
			t.Errorf("CommonParameters[%s] = %q, want %q", k, got.CommonParameters[k], v)
		}
	}
	if !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("stderr %q", r.stderr)
	}
	// With an STS token: redacted too.
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "tokenDoNotPrint")
	r = runEnv(t, "tokenDoNotPrint", "", "QueryRobotInfoList", "--dry-run", "-o", "table")
	r.want(t, exitOK)
	if strings.Contains(r.stdout, "tokenDoNotPrint") || !regexp.MustCompile(`CommonParameters.SecurityToken +`+redacted).MatchString(r.stdout) {
		t.Errorf("token in dry run:\n%s", r.stdout)
	}
	// Invalid: exit 2, nothing sent.
	r = runCLI(t, srv, "", "SingleCallByTts", "--TtsCode", "TTS_1", "--dry-run")
	r.want(t, exitUsage)
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("--dry-run sent %d requests", n)
	}
}

// TestDebugPrintsEveryAttemptRedacted: --debug shows each attempt's
// request, status, RequestId and timing on stderr, never the Signature,
// token or secret; phone numbers masked.
func TestDebugPrintsEveryAttemptRedacted(t *testing.T) {
	srv := newStubServer(t)
	calls := 0
	srv.answer("QueryCallDetailByCallId", func(url.Values) (int, string) {
		if calls++; calls == 1 {
			return 503, `{"RequestId":"req-503","Code":"ServiceUnavailable","Message":"busy"}`
		}
		return 200, `{"RequestId":"req-dbg","Code":"OK","Message":"OK","Data":""}`
	})
	setEnv(t, srv.URL, testKeyID, testSecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "tokenDoNotPrint")
	r := runEnv(t, testSecret, "", "QueryCallDetailByCallId", "--CallId", "c1", "--ProdId", "11010000138001", "--QueryDate", "2024-05-01", "--debug")
	r.want(t, exitOK)
	for _, s := range []string{
		"QueryCallDetailByCallId attempt 1: POST " + srv.URL + "/", "QueryCallDetailByCallId attempt 2:",
		"HTTP 503 after", "HTTP 200 after", "request_id=req-dbg", "request_id=req-503", "Signature=" + redacted,
		"SecurityToken=" + redacted, "CallId=c1", "latency=",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("debug output lacks %q:\n%s", s, r.stderr)
		}
	}
	for _, p := range srv.requests() {
		if sig := p.Get("Signature"); sig == "" || strings.Contains(r.stderr, sig) {
			t.Errorf("the Signature %q is in the debug output", sig)
		}
	}
	if strings.Contains(r.stderr, "tokenDoNotPrint") {
		t.Error("the SecurityToken is in the debug output")
	}
	r = runCLI(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1", "--debug")
	r.want(t, exitOK)
	if strings.Contains(r.stderr, "13900001234") || !strings.Contains(r.stderr, "CalledNumber=*******1234") {
		t.Errorf("the phone number is not masked:\n%s", r.stderr)
	}
}

// TestUnknownOutcomeExits3: an ambiguous failure of a call-placing Action
// exits 3 and says what to do; an HTML body is an unexpected response.
func TestUnknownOutcomeExits3(t *testing.T) {
	srv := newFake(t)
	srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultCloseAfterRead, Times: 1})
	r := runFake(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1", "--OutId", "order-42")
	r.want(t, exitUnknown)
	for _, s := range []string{"OUTCOME UNKNOWN: the call may have been placed", "OutId:     order-42", "Do not re-run this command blindly", "Look for OutId order-42"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	if srv.Count("SingleCallByTts") != 1 || r.stdout != "" {
		t.Errorf("%d calls placed, stdout %q", srv.Count("SingleCallByTts"), r.stdout)
	}
	srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultHTML, Times: 1})
	r = runFake(t, srv, "", "SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1", "--OutId", "order-43")
	r.want(t, exitUnknown)
	if !strings.Contains(r.stderr, "unexpected response (HTTP 502)") || strings.Contains(r.stderr, "without a Code") {
		t.Errorf("HTML answer:\n%s", r.stderr)
	}
	srv.InjectFault(dyvmstest.Fault{Action: "QueryRobotInfoList", Kind: dyvmstest.FaultHTML})
	r = runFake(t, srv, "", "QueryRobotInfoList")
	r.want(t, exitFailure)
	if !strings.Contains(r.stderr, "unexpected response: the body is not a Dyvmsapi answer") || strings.Contains(r.stderr, "without a Code") {
		t.Errorf("HTML answer to a query:\n%s", r.stderr)
	}
	r = runCLI(t, nil, "", "--help")
	if !strings.Contains(r.stdout, "3  outcome unknown") {
		t.Errorf("help lacks exit code 3")
	}
}

// TestJSONInStringsDecoded: a field holding JSON in a string prints as
// the decoded value in json and table output; raw stays byte-exact.
func TestJSONInStringsDecoded(t *testing.T) {
	srv := newStubServer(t)
	body := `{"RequestId":"r","Code":"OK","Message":"OK","Data":"{\"callee\":\"13900001234\",\"duration\":7,\"state\":\"200000\"}"}`
	srv.answer("QueryCallDetailByCallId", func(url.Values) (int, string) { return 200, body })
	args := []string{"QueryCallDetailByCallId", "--CallId", "c", "--ProdId", "ProductVoiceTTS", "--QueryDate", "2024-05-01"}
	r := runCLI(t, srv, "", args...)
	r.want(t, exitOK)
	var got struct {
		Data struct {
			Callee   string
			Duration int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Data.Callee != "13900001234" || got.Data.Duration != 7 {
		t.Errorf("json output (%v):\n%s", err, r.stdout)
	}
	r = runCLI(t, srv, "", append(args, "-o", "table")...)
	if !strings.Contains(r.stdout, "Data.duration  7") {
		t.Errorf("table output:\n%s", r.stdout)
	}
	r = runCLI(t, srv, "", append(args, "-o", "raw")...)
	if r.stdout != body+"\n" {
		t.Errorf("raw output %q", r.stdout)
	}
	r = runCLI(t, srv, "", append(args, "-q", "Data.state", "-o", "table")...)
	if r.stdout != "200000\n" {
		t.Errorf("query into decoded Data: %q", r.stdout)
	}
	// Not JSON: kept as the string it is.
	srv.answer("QueryCallDetailByCallId", func(url.Values) (int, string) {
		return 200, `{"RequestId":"r","Code":"OK","Data":"not json"}`
	})
	if r := runCLI(t, srv, "", append(args, "-q", "Data")...); r.stdout != "\"not json\"\n" {
		t.Errorf("non-JSON Data: %q", r.stdout)
	}
}

// TestEmptyListsAndQuery: an empty page prints []; --query picks fields.
func TestEmptyListsAndQuery(t *testing.T) {
	srv := newStubServer(t)
	srv.answer("ListCallTask", func(p url.Values) (int, string) {
		if p.Get("TaskName") == "none" {
			return 200, `{"RequestId":"r","Code":"200","PageNumber":1,"PageSize":10,"Total":0}`
		}
		return 200, `{"RequestId":"r","Code":"200","Data":[{"Id":1,"TaskName":"a"},{"Id":2,"TaskName":"b"}],"PageNumber":1,"PageSize":10,"Total":2}`
	})
	r := runCLI(t, srv, "", "ListCallTask", "--TaskName", "none")
	if !strings.Contains(r.stdout, `"Data": []`) {
		t.Errorf("empty page:\n%s", r.stdout)
	}
	if r := runCLI(t, srv, "", "ListCallTask", "--TaskName", "none", "--all"); r.stdout != "[]\n" {
		t.Errorf("--all of nothing: %q", r.stdout)
	}
	for q, want := range map[string]string{
		"Data[].TaskName":   "[\n  \"a\",\n  \"b\"\n]\n",
		"Data[0].Id":        "1\n",
		"data[-1].taskname": "\"b\"\n",
		"Total":             "2\n",
		"Data[5]":           "null\n",
	} {
		r := runCLI(t, srv, "", "ListCallTask", "-q", q)
		if r.code != exitOK || r.stdout != want {
			t.Errorf("--query %s: exit %d, %q; want %q", q, r.code, r.stdout, want)
		}
	}
	if r := runCLI(t, srv, "", "ListCallTask", "-q", "Data[0].Nope"); !strings.Contains(r.stderr, `Data[0] has no field "Nope" (it has Id, TaskName`) {
		t.Errorf("missing field note: %q", r.stderr)
	}
	if r := runCLI(t, srv, "", "ListCallTask", "--all", "-q", "[].TaskName", "-o", "table"); r.stdout != "a\nb\n" {
		t.Errorf("--all --query table: %q", r.stdout)
	}
	for _, bad := range []string{"", ".a", "a.", "a..b", "a[x]", "a[0", "a[0]b"} {
		if _, err := parseQuery(bad); err == nil {
			t.Errorf("parseQuery(%q) accepted", bad)
		}
	}
	q, err := parseQuery("a[].b[].c")
	if err != nil {
		t.Fatal(err)
	}
	tree := toTree(map[string]any{"a": []any{map[string]any{"b": []any{map[string]any{"c": 1}, map[string]any{"c": 2}}}, map[string]any{"b": []any{map[string]any{"c": 3}}}}})
	if got, _ := q.eval(tree); compact(got) != "[1,2,3]" {
		t.Errorf("flattening projection: %s", compact(got))
	}
}

// TestRegionAndConfigureList: the aliyun names are honoured, DYVMS_*
// overrides them, and configure list shows where each came from.
func TestRegionAndConfigureList(t *testing.T) {
	srv := newStubServer(t)
	setEnv(t, srv.URL, testKeyID, testSecret)
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
	cfg := `{"current":"p1","profiles":[{"name":"p1","mode":"AK","access_key_id":"LTAIprofile1","access_key_secret":"profileSecretDoNotPrint","region_id":"cn-beijing"},
		{"name":"arn","mode":"RamRoleArn","access_key_id":"LTAIarn","access_key_secret":"arnSecretDoNotPrint","ram_role_arn":"acs:ram::1:role/x","region_id":"cn-shenzhen"}]}`
	os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(cfg), 0o600)
	region := func(extra ...string) string {
		t.Helper()
		r := runEnv(t, testSecret, "", append([]string{"QueryRobotInfoList", "--dry-run"}, extra...)...)
		var got sentRequest
		json.Unmarshal([]byte(r.stdout), &got)
		return got.CommonParameters["RegionId"]
	}
	if got := region(); got != "cn-beijing" {
		t.Errorf("profile region_id: %q", got)
	}
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "cn-shanghai")
	if got := region(); got != "cn-shanghai" {
		t.Errorf("ALIBABA_CLOUD_REGION_ID: %q", got)
	}
	t.Setenv(envRegion, "cn-qingdao")
	if got := region(); got != "cn-qingdao" {
		t.Errorf("DYVMS_REGION: %q", got)
	}
	if got := region("--region", "cn-hongkong"); got != "cn-hongkong" {
		t.Errorf("--region: %q", got)
	}
	t.Setenv(envRegion, "")
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "")
	r := runConfigure(t, "configure", "list")
	for _, s := range []string{"Profile       p1", "current profile of " + filepath.Join(home, ".aliyun", "config.json"), "Region        cn-beijing",
		"RegionFrom    region_id of profile p1", "EndpointFrom  $DYVMS_ENDPOINT", "AK from the environment ($ALIBABA_CLOUD_ACCESS_KEY_ID test****)"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("configure list lacks %q:\n%s", s, r.stdout)
		}
	}
	r = runConfigure(t, "configure", "list", "--profile", "arn", "-o", "json")
	var got map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got["Credentials"] != "RamRoleArn from profile arn (role acs:ram::1:role/x)" || got["Region"] != "cn-shenzhen" {
		t.Errorf("configure list --profile arn (%v):\n%s", err, r.stdout)
	}
	if r := runConfigure(t, "configure", "list", "--profile", "nope"); r.code != exitUsage {
		t.Errorf("unknown profile: %+v", r)
	}
}

// runConfigure runs the command and fails if any secret of the test
// profiles shows.
func runConfigure(t *testing.T, args ...string) result {
	t.Helper()
	r := runEnv(t, testSecret, "", args...)
	for _, s := range []string{"profileSecretDoNotPrint", "arnSecretDoNotPrint"} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Fatalf("a secret shows:\n%s%s", r.stdout, r.stderr)
		}
	}
	return r
}

var (
	reflectString    = reflect.TypeOf("")
	catalogParamEnum = catalog.Param{Name: "RecallStateCodes", Type: "string", Enum: []json.RawMessage{[]byte(`"200010"`), []byte(`"200011"`)}}
)

// TestJSONInStringsOfItems: with --all the items of a list are decoded
// by the catalogue's description of that list, wherever it sits.
func TestJSONInStringsOfItems(t *testing.T) {
	act := &catalog.Action{Name: "X", Response: []catalog.Field{
		{Name: "Data", Type: "object", Fields: []catalog.Field{
			{Name: "List", Type: "array", Fields: []catalog.Field{
				{Name: "Id"}, {Name: "Headers", JSONInString: true}, {Name: "Name"},
			}},
		}},
	}}
	tree := toTree([]any{
		map[string]any{"Id": 1, "Headers": `{"a":"b"}`, "Name": "n"},
		map[string]any{"Id": 2, "Headers": `not json`},
	})
	decodeJSONInStrings(act, tree, true)
	if got := compact(tree); got != `[{"Headers":{"a":"b"},"Id":1,"Name":"n"},{"Headers":"not json","Id":2}]` {
		t.Errorf("items: %s", got)
	}
	resp := toTree(map[string]any{"Data": map[string]any{"List": []any{map[string]any{"Headers": `[1,2]`}}}})
	decodeJSONInStrings(act, resp, false)
	if got := compact(resp); got != `{"Data":{"List":[{"Headers":[1,2]}]}}` {
		t.Errorf("nested: %s", got)
	}
}

// TestDryRunNeedsCredentials: a dry run signs like a real call, so with
// no credentials it says so and exits 2.
func TestDryRunNeedsCredentials(t *testing.T) {
	srv := newStubServer(t)
	setEnv(t, srv.URL, "", "")
	r := runEnv(t, "unused", "", "QueryRobotInfoList", "--dry-run")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no credentials") || len(srv.requests()) != 0 {
		t.Errorf("exit %d, %d requests\n%s", r.code, len(srv.requests()), r.stderr)
	}
}

// TestRamRoleArnProfile: a RamRoleArn profile assumes its role through
// STS (the fake's) and the call is signed with the issued credentials,
// whether the profile is named with --profile or is the current one.
func TestRamRoleArnProfile(t *testing.T) {
	sts := dyvmstest.NewSTSServer()
	defer sts.Close()
	srv := newFake(t, dyvmstest.WithSTS(sts))
	setEnv(t, srv.URL, "", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	t.Setenv("ALIBABA_CLOUD_STS_ENDPOINT", sts.URL)
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
	cfg := `{"current":"arn","profiles":[{"name":"arn","mode":"RamRoleArn","access_key_id":"` + sts.AccessKeyID +
		`","access_key_secret":"` + sts.AccessKeySecret + `","ram_role_arn":"acs:ram::1234567890:role/dyvms","ram_session_name":"cli","region_id":"cn-shanghai"}]}`
	os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(cfg), 0o600)
	for _, args := range [][]string{{"QueryRobotInfoList", "--profile", "arn"}, {"QueryRobotInfoList"}} {
		r := runEnv(t, sts.AccessKeySecret, "", args...)
		r.want(t, exitOK)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests reached the fake", len(reqs))
	}
	for _, rq := range reqs {
		if id := rq.Params.Get("AccessKeyId"); id == sts.AccessKeyID || id == "" || rq.Params.Get("RegionId") != "cn-shanghai" {
			t.Errorf("request signed with AccessKeyId %q, RegionId %q; want the issued credentials and the profile's region", id, rq.Params.Get("RegionId"))
		}
	}
	r := runEnv(t, sts.AccessKeySecret, "", "configure", "list")
	if !strings.Contains(r.stdout, "RamRoleArn from profile arn (role acs:ram::1234567890:role/dyvms)") {
		t.Errorf("configure list:\n%s", r.stdout)
	}
}

// TestBrokenConfigFileWithEnvCredentials: as in the SDK's chain, a
// configuration file that cannot be read does not stop a call whose
// credentials come from the environment; configure list says why it was
// not used, and --profile names it as the problem.
func TestBrokenConfigFileWithEnvCredentials(t *testing.T) {
	srv := newStubServer(t)
	setEnv(t, srv.URL, testKeyID, testSecret)
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
	os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte("{not json"), 0o600)
	runEnv(t, testSecret, "", "QueryRobotInfoList").want(t, exitOK)
	r := runEnv(t, testSecret, "", "configure", "list")
	if !strings.Contains(r.stdout, "(unusable: ") || !strings.Contains(r.stdout, "AK from the environment") {
		t.Errorf("configure list:\n%s", r.stdout)
	}
	r = runEnv(t, testSecret, "", "QueryRobotInfoList", "--profile", "x")
	if r.code != exitUsage || !strings.Contains(r.stderr, "not a valid aliyun CLI configuration file") {
		t.Errorf("--profile with a broken file: %+v", r)
	}
}

// TestListCallTaskDataDecoded: a call task created with a JSON callee
// list lists with that list as JSON inside its Data string; json and
// table output print it decoded (no escaped 150-character column), raw
// leaves it alone, and a LIST task's comma-separated Data stays a string.
func TestListCallTaskDataDecoded(t *testing.T) {
	srv := newStubServer(t)
	inner := `{"paramNames":["name"],"calleeList":[{"callee":"13900001234","params":["Zhang"]}]}`
	innerJSON, _ := json.Marshal(inner)
	body := `{"RequestId":"r","Code":"200","PageNumber":1,"PageSize":10,"Total":2,"Data":[` +
		`{"Id":1,"TaskName":"a","DataType":"JSON","Data":` + string(innerJSON) + `},` +
		`{"Id":2,"TaskName":"b","DataType":"LIST","Data":"13900001234,13900005678"}]}`
	srv.answer("ListCallTask", func(url.Values) (int, string) { return 200, body })
	r := runCLI(t, srv, "", "ListCallTask")
	r.want(t, exitOK)
	var got struct {
		Data []struct {
			Data any
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got.Data) != 2 {
		t.Fatalf("json output (%v):\n%s", err, r.stdout)
	}
	task, _ := got.Data[0].Data.(map[string]any)
	list, _ := task["calleeList"].([]any)
	if first, _ := firstItem(list).(map[string]any); len(list) != 1 || first["callee"] != "13900001234" {
		t.Errorf("JSON task's Data not decoded:\n%s", r.stdout)
	}
	if got.Data[1].Data != "13900001234,13900005678" {
		t.Errorf("LIST task's Data: %#v", got.Data[1].Data)
	}
	r = runCLI(t, srv, "", "ListCallTask", "-o", "table")
	if strings.Contains(r.stdout, `\"`) || !strings.Contains(r.stdout, `{"paramNames":["name"],"calleeList":`) {
		t.Errorf("table output:\n%s", r.stdout)
	}
	if r := runCLI(t, srv, "", "ListCallTask", "-q", "Data[0].Data.calleeList[].callee", "-o", "table"); r.stdout != "13900001234\n" {
		t.Errorf("query into the decoded Data: %q", r.stdout)
	}
	if r := runCLI(t, srv, "", "ListCallTask", "-o", "raw"); r.stdout != body+"\n" {
		t.Errorf("raw output %q", r.stdout)
	}
}

func firstItem(list []any) any {
	if len(list) == 0 {
		return nil
	}
	return list[0]
}

// TestCallPlacingActionsAlwaysCarryAnOutId: a call placed without --OutId
// is sent with one the SDK generates (15 characters, a new one each run),
// printed with the response, named by --dry-run as generated at send time
// and named on stderr when the outcome is unknown, so there is always an
// OutId to reconcile by. A given --OutId is sent as it is; an Action that
// places no call gets none.
func TestCallPlacingActionsAlwaysCarryAnOutId(t *testing.T) {
	srv := newFake(t)
	placing := [][]string{
		{"SingleCallByTts", "--CalledNumber", "13900001234", "--TtsCode", "TTS_1"},
		{"SingleCallByVoice", "--CalledNumber", "13900001234", "--VoiceCode", "v.wav"},
		{"IvrCall", "--CalledNumber", "13900001234", "--CalledShowNumber", "057100000000", "--StartCode", "TTS_1"},
	}
	seen := map[string]bool{}
	for _, args := range placing {
		r := runFake(t, srv, "", args...)
		r.want(t, exitOK)
		reqs := srv.Requests()
		id := reqs[len(reqs)-1].Params.Get("OutId")
		if !regexp.MustCompile(`^[A-Z2-7]{15}$`).MatchString(id) || seen[id] {
			t.Errorf("%s sent OutId %q (seen before: %v)", args[0], id, seen[id])
		}
		seen[id] = true
		var out struct{ OutId string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.OutId != id {
			t.Errorf("%s printed OutId %q, sent %q (%v):\n%s", args[0], out.OutId, id, err, r.stdout)
		}
	}
	r := runFake(t, srv, "", append(placing[0], "--OutId", "mine-1")...)
	r.want(t, exitOK)
	reqs := srv.Requests()
	if id := reqs[len(reqs)-1].Params.Get("OutId"); id != "mine-1" || !strings.Contains(r.stdout, `"OutId": "mine-1"`) {
		t.Errorf("given --OutId sent as %q, printed:\n%s", id, r.stdout)
	}
	runFake(t, srv, "", "QueryRobotInfoList").want(t, exitOK)
	reqs = srv.Requests()
	if p := reqs[len(reqs)-1].Params; p.Has("OutId") {
		t.Errorf("QueryRobotInfoList sent OutId %q", p.Get("OutId"))
	}

	r = runFake(t, srv, "", append(placing[0], "--dry-run")...)
	r.want(t, exitOK)
	var dry struct{ Parameters map[string]string }
	if err := json.Unmarshal([]byte(r.stdout), &dry); err != nil || dry.Parameters["OutId"] != outIDAtSend {
		t.Errorf("dry run shows OutId %q, want %q (%v):\n%s", dry.Parameters["OutId"], outIDAtSend, err, r.stdout)
	}
	r = runFake(t, srv, "", append(placing[0], "--OutId", "mine-2", "--dry-run")...)
	if err := json.Unmarshal([]byte(r.stdout), &dry); err != nil || dry.Parameters["OutId"] != "mine-2" {
		t.Errorf("dry run with --OutId shows %q (%v):\n%s", dry.Parameters["OutId"], err, r.stdout)
	}

	srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultCloseAfterRead, Times: 1})
	r = runFake(t, srv, "", placing[0]...)
	r.want(t, exitUnknown)
	reqs = srv.Requests()
	id := reqs[len(reqs)-1].Params.Get("OutId")
	if id == "" || !strings.Contains(r.stderr, "OutId:     "+id) || !strings.Contains(r.stderr, "Look for OutId "+id) || strings.Contains(r.stderr, "none was sent") {
		t.Errorf("unknown outcome, OutId %q sent:\n%s", id, r.stderr)
	}
}

// TestEveryProblemListed: a command line with several bad parameters is
// answered with every problem, each on its own line, before anything is
// sent: unknown names, values of the wrong type or outside the allowed
// ones, and what the SDK's validation finds (a missing required
// parameter, a value out of range).
func TestEveryProblemListed(t *testing.T) {
	srv := newStubServer(t)
	r := runCLI(t, srv, "", "SingleCallByTts", "--Volume", "abc", "--PlayTimes", "9", "--CaledNumber", "1")
	r.want(t, exitUsage)
	for _, want := range []string{
		`dyvms: --Volume: "abc" is not an integer`,
		"dyvms: SingleCallByTts has no parameter --CaledNumber; did you mean --CalledNumber?",
		"dyvms: SingleCallByTts: invalid parameter CalledNumber: is required",
	} {
		if !strings.Contains(r.stderr, want+"") {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = runCLI(t, srv, "", "CreateCallTask", "--BizType", "VMS_VOICE_TTZ", "--DataType", "CALLEE")
	r.want(t, exitUsage)
	if !strings.Contains(r.stderr, "dyvms: --BizType:") || !strings.Contains(r.stderr, "dyvms: --DataType:") {
		t.Errorf("both bad values not named:\n%s", r.stderr)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestInvalidEndpointRefusedWithoutItsPassword: an endpoint the SDK would
// refuse is refused by configure list too (it used to show it as the
// endpoint a call would use), and no message repeats the password of an
// endpoint written with user:password@.
func TestInvalidEndpointRefusedWithoutItsPassword(t *testing.T) {
	srv := newStubServer(t)
	bad := strings.Replace(srv.URL, "://", "://user:endpointPassword@", 1)
	for _, args := range [][]string{
		{"configure", "list", "--endpoint", bad},
		{"QueryRobotInfoList", "--endpoint", bad},
		{"QueryRobotInfoList", "--endpoint", bad, "--dry-run"},
		{"configure", "list", "--endpoint", srv.URL + "/?x=1"},
	} {
		r := runCLI(t, srv, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "invalid endpoint") || strings.Contains(r.stdout+r.stderr, "endpointPassword") {
			t.Errorf("%v: exit %d\nstdout %s\nstderr %s", args, r.code, r.stdout, r.stderr)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDryRunFetchesNoCredentials: --dry-run sends nothing anywhere, STS
// included: with a RamRoleArn profile it signs with placeholders (shown
// as an STS key and a redacted token) instead of assuming the role.
func TestDryRunFetchesNoCredentials(t *testing.T) {
	sts := dyvmstest.NewSTSServer()
	defer sts.Close()
	srv := newFake(t, dyvmstest.WithSTS(sts))
	setEnv(t, srv.URL, "", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	t.Setenv("ALIBABA_CLOUD_STS_ENDPOINT", sts.URL)
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
	cfg := `{"current":"arn","profiles":[{"name":"arn","mode":"RamRoleArn","access_key_id":"` + sts.AccessKeyID +
		`","access_key_secret":"` + sts.AccessKeySecret + `","ram_role_arn":"acs:ram::1234567890:role/dyvms","ram_session_name":"cli","region_id":"cn-shanghai"}]}`
	os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(cfg), 0o600)
	for _, args := range [][]string{{"QueryRobotInfoList", "--dry-run"}, {"QueryRobotInfoList", "--dry-run", "--profile", "arn"}} {
		r := runEnv(t, sts.AccessKeySecret, "", args...)
		r.want(t, exitOK)
		var got sentRequest
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, r.stdout)
		}
		if got.CommonParameters["AccessKeyId"] != "STS.****" || got.CommonParameters["SecurityToken"] != redacted || got.CommonParameters["RegionId"] != "cn-shanghai" {
			t.Errorf("%v: common parameters %v", args, got.CommonParameters)
		}
	}
	if n := len(sts.Requests()); n != 0 {
		t.Errorf("the dry runs sent %d requests to STS", n)
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("the dry runs sent %d requests", n)
	}
}
