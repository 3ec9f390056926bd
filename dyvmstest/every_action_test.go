package dyvmstest

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// Every Action of the catalogue, called through the SDK's escape hatch
// Client.Do with its required parameters filled from the catalogue's
// examples, answers in both formats with its success code and every
// response field of the catalogue, at every depth. Actions that act on
// something (an agent, a task, a call) get it created first.
func TestEveryActionAnswers(t *testing.T) {
	actions := catalog.Load().Actions
	if len(actions) != 184 || len(Actions()) != 184 {
		t.Fatalf("catalogue has %d Actions, server answers %d; want 184", len(actions), len(Actions()))
	}
	for _, f := range formats {
		for i := range actions {
			a := &actions[i]
			t.Run(string(f)+"/"+a.Name, func(t *testing.T) {
				srv := newServer(t)
				c := client(t, srv, dyvms.WithFormat(f))
				params := requiredParams(t, a)
				if prep := prepare[a.Name]; prep != nil {
					prep(t, c, params)
				}
				before := srv.Count(a.Name)
				out := map[string]any{}
				if err := c.Do(context.Background(), a.Name, params, &out); err != nil {
					t.Fatalf("%v (params %v)", err, params)
				}
				want := "OK"
				if a.SuccessCode != nil {
					want = *a.SuccessCode
				}
				if str(out["Code"]) != want || str(out["RequestId"]) == "" {
					t.Fatalf("Code %v RequestId %v, want %s", out["Code"], out["RequestId"], want)
				}
				checkFields(t, f, a.Name, out, a.Response)
				if n := srv.Count(a.Name); n != before+1 {
					t.Fatalf("Count(%s) = %d, want %d", a.Name, n, before+1)
				}
			})
		}
	}
}

// requiredParams fills every required parameter from the catalogue's
// example, or a value of its type where the example is missing.
func requiredParams(t *testing.T, a *catalog.Action) url.Values {
	t.Helper()
	p := url.Values{}
	for _, prm := range a.Request {
		switch {
		case prm.Type == "list" && prm.IsRequired():
			for _, it := range prm.ItemFields {
				p.Set(prm.Name+".1."+it.Name, exampleValue(it))
			}
		case prm.IsRequired():
			p.Set(prm.Name, exampleValue(prm))
		}
	}
	return p
}

// exampleValue is the parameter's catalogue example as sent on the wire,
// or a value of its type where the example is missing or masked.
func exampleValue(p catalog.Param) string {
	if len(p.Example) > 0 && string(p.Example) != "null" {
		s := string(p.Example)
		var unquoted string
		if json.Unmarshal(p.Example, &unquoted) == nil {
			s = unquoted
		}
		if strings.Contains(s, "*") && strings.Trim(s, "0123456789*,+") == "" {
			// Masked digits ("1590****000", "2256****") stand for digits:
			// the SDK refuses a phone number with a '*' in it.
			s = strings.ReplaceAll(s, "*", "0")
		}
		if s != "" && scalarFits(p.Type, s) {
			return s
		}
	}
	switch p.Type {
	case "int32", "int64":
		return "1"
	case "bool":
		return "true"
	case "float":
		return "0.5"
	case "json-string":
		return "{}"
	}
	return "x"
}

// checkFields checks that out holds every field of the schema: in nested
// objects, in every list element, and inside JSON-in-string fields, whose
// value must be JSON of the inner shape. A float must decode as a number.
// XML cannot tell an empty list from an absent one, so an absent list is
// accepted in XML only.
func checkFields(t *testing.T, f dyvms.Format, where string, out map[string]any, fields []catalog.Field) {
	t.Helper()
	for _, fld := range fields {
		v, ok := out[fld.Name]
		name := where + "." + fld.Name
		if !ok {
			if !(f == dyvms.FormatXML && fld.Type == "array") {
				t.Errorf("%s missing from %v", name, out)
			}
			continue
		}
		checkValue(t, f, name, v, fld)
	}
}

func checkValue(t *testing.T, f dyvms.Format, name string, v any, fld catalog.Field) {
	t.Helper()
	switch {
	case fld.JSONInString && fld.InnerType != "":
		var inner any
		if err := json.Unmarshal([]byte(str(v)), &inner); err != nil || !innerShape(inner, fld.InnerType) {
			t.Errorf("%s = %q, want a JSON %s", name, str(v), fld.InnerType)
			return
		}
		for _, m := range objects(inner) {
			checkFields(t, dyvms.FormatJSON, name, m, fld.InnerFields)
		}
	case fld.Type == "object":
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s = %#v, want an object", name, v)
			return
		}
		checkFields(t, f, name, m, fld.Fields)
	case fld.Type == "array" && (fld.Items == "object" || len(fld.Fields) > 0):
		if len(objects(v)) == 0 {
			t.Errorf("%s is an empty list: nothing of it checked", name)
		}
		for _, m := range objects(v) {
			checkFields(t, f, name, m, fld.Fields)
		}
	case fld.Type == "float":
		if !scalarFits("float", str(v)) {
			t.Errorf("%s = %#v, want a float", name, v)
		}
	}
}

// objects returns the objects of a list, or the one object that stands for
// a list of one in XML.
func objects(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		var out []map[string]any
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// call runs action with params through Client.Do and fails the test on an
// error.
func call(t *testing.T, c *dyvms.Client, action string, params url.Values) map[string]any {
	t.Helper()
	out := map[string]any{}
	if err := c.Do(context.Background(), action, params, &out); err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return out
}

// dig returns the value at the keys of out, the first element where a key
// holds a list.
func dig(out map[string]any, keys ...string) any {
	var v any = out
	for _, k := range keys {
		if l, ok := v.([]any); ok && len(l) > 0 {
			v = l[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func vals(kv ...string) url.Values {
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

// prepare creates what an Action acts on and points its parameters at it.
var prepare = map[string]func(t *testing.T, c *dyvms.Client, p url.Values){}

func init() {
	for _, a := range []string{"CloudGetAgent", "CloudDeleteAgent", "CloudAgentLogin",
		"CloudAgentLogout", "CloudGetAgentStatus", "CloudBatchGetAgentStatus", "CloudQueryAgent",
		"CloudQueryAgentCnoAndName"} {
		prepare[a] = prepAgent(false)
	}
	for _, a := range []string{"CloudListOnlineAgent", "CloudListFreeAgent"} {
		prepare[a] = prepAgent(true)
	}
	for _, a := range []string{"CloudUpdateTask", "CloudGetTask", "CloudImportTaskTel", "CloudListTaskFile",
		"CloudStartTask", "CloudDeleteTask", "CloudMonitorTask", "CloudQueryTask"} {
		prepare[a] = prepCloudTask(false)
	}
	prepare["CloudPauseTask"] = prepCloudTask(true)
	for _, a := range []string{"CloudPreviewoutcall", "CloudQueryObCdr", "CloudGetObCdr"} {
		prepare[a] = prepOutcall
	}
	prepare["CloudQueryWebcallCdr"] = func(t *testing.T, c *dyvms.Client, p url.Values) {
		prepAgent(true)(t, c, vals("EnterpriseId", p.Get("EnterpriseId"), "Cno", "2000"))
		call(t, c, "CloudWebcall", vals("EnterpriseId", p.Get("EnterpriseId"), "Tel", "13900001234"))
	}
	for _, a := range []string{"PlayVideoFile", "PauseVideoFile", "QueryVideoPlayProgress", "GetCallMediaType",
		"GetCallProgress", "UpgradeVideoFile", "DegradeVideoFile", "ChangeMediaType", "SeekVideoFile", "SkipVideoFile"} {
		prepare[a] = prepVideoCall("")
	}
	prepare["ResumeVideoFile"] = prepVideoCall("PauseVideoFile")
	for _, a := range []string{"ClinkUpdateClient", "ClinkDescribeClient", "ClinkListClients", "ClinkDeleteClient",
		"ClinkBindClientTel", "ClinkAgentStatusDetail"} {
		prepare[a] = prepClinkClient
	}
	prepare["CloudCreateAgent"] = withSkills
	prepare["CloudUpdateAgent"] = func(t *testing.T, c *dyvms.Client, p url.Values) {
		prepAgent(false)(t, c, p)
		withSkills(t, c, p)
	}
	for _, a := range []string{"ExecuteCallTask", "ListCallTaskDetail", "ListCallTask"} {
		prepare[a] = prepCallTask
	}
	for _, a := range []string{"UploadRobotTaskCalledFile", "StartRobotTask", "StopRobotTask", "CancelRobotTask",
		"DeleteRobotTask", "QueryRobotTaskDetail", "QueryRobotTaskList"} {
		prepare[a] = prepRobotTask
	}
	prepare["QueryCallDetailByCallId"] = func(t *testing.T, c *dyvms.Client, p url.Values) {
		out := call(t, c, "SingleCallByTts", vals("CalledNumber", "13900001234", "TtsCode", "TTS_1"))
		p.Set("CallId", str(out["CallId"]))
	}
}

// withSkills gives the agent two skills, so that AgentSkills is not empty.
func withSkills(_ *testing.T, _ *dyvms.Client, p url.Values) {
	p.Set("SkillIds", "11,12")
	p.Set("SkillLevels", "1,5")
}

// prepAgent creates the agent named by EnterpriseId and Cno (or the first
// of Cnos), logged in if login.
func prepAgent(login bool) func(t *testing.T, c *dyvms.Client, p url.Values) {
	return func(t *testing.T, c *dyvms.Client, p url.Values) {
		ent, cno := p.Get("EnterpriseId"), p.Get("Cno")
		if cno == "" {
			cno = strings.Split(orDefault(p.Get("Cnos"), "1111"), ",")[0]
		}
		call(t, c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", cno, "Name", "Agent "+cno, "AreaCode", "010"))
		if login {
			call(t, c, "CloudAgentLogin", vals("EnterpriseId", ent, "Cno", cno, "BindTel", "13800001111", "BindType", "1"))
		}
	}
}

// prepCloudTask creates an outbound task (of the request's Type where it
// has one), with one imported number, started if start.
func prepCloudTask(start bool) func(t *testing.T, c *dyvms.Client, p url.Values) {
	return func(t *testing.T, c *dyvms.Client, p url.Values) {
		ent := p.Get("EnterpriseId")
		out := call(t, c, "CloudCreateTask", vals("EnterpriseId", ent, "Name", "task", "Type", orDefault(p.Get("Type"), "1")))
		id := str(dig(out, "Data", "Id"))
		p.Set("TaskId", id)
		call(t, c, "CloudImportTaskTel", vals("EnterpriseId", ent, "TaskId", id, "Name", "batch",
			"TaskTelList", `[{"Tel":"13900001234"}]`))
		if start {
			call(t, c, "CloudStartTask", vals("EnterpriseId", ent, "TaskId", id))
		}
	}
}

// prepVideoCall places a video call to the request's called number and
// points the request at it; then runs first (for example a pause) on it.
func prepVideoCall(first string) func(t *testing.T, c *dyvms.Client, p url.Values) {
	return func(t *testing.T, c *dyvms.Client, p url.Values) {
		number := "13900001234"
		out := call(t, c, "SingleCallByVideo", vals("CalledNumber", number, "VideoCode", "v-1", "VoiceCode", "a.wav"))
		p.Set("CallId", str(out["CallId"]))
		for _, k := range []string{"CalledNumber", "CalledNum"} {
			if p.Get(k) != "" {
				p.Set(k, number)
			}
		}
		if first != "" {
			call(t, c, first, vals("CallId", str(out["CallId"]), "CalledNumber", number))
		}
	}
}

// prepOutcall logs in an agent (the request's Cno, or 2000) and, except
// for CloudPreviewoutcall itself, has it call a customer; CloudGetObCdr
// is pointed at that call.
func prepOutcall(t *testing.T, c *dyvms.Client, p url.Values) {
	ent, cno := p.Get("EnterpriseId"), orDefault(p.Get("Cno"), "2000")
	prepAgent(true)(t, c, vals("EnterpriseId", ent, "Cno", cno))
	if p.Get("Tel") != "" {
		return
	}
	call(t, c, "CloudPreviewoutcall", vals("EnterpriseId", ent, "Cno", cno, "Tel", "13900001234"))
	if p.Get("UniqueId") != "" {
		out := call(t, c, "CloudQueryObCdr", vals("EnterpriseId", ent))
		p.Set("UniqueId", str(dig(out, "Data", "List", "UniqueId")))
	}
}

// prepClinkClient creates the Clink client named by EnterpriseId and Cno.
func prepClinkClient(t *testing.T, c *dyvms.Client, p url.Values) {
	call(t, c, "ClinkCreateClient", vals("EnterpriseId", p.Get("EnterpriseId"), "Cno", orDefault(p.Get("Cno"), "1111"),
		"Name", "Client", "AreaCode", "010", "Password", "pw", "Permission", `{"Call":1}`, "Qnos", `["0001"]`))
}

func prepCallTask(t *testing.T, c *dyvms.Client, p url.Values) {
	out := call(t, c, "CreateCallTask", vals("TaskName", "t", "BizType", "VMS_TTS", "TemplateCode", "TTS_1",
		"TemplateName", "n", "Resource", "0571000000", "DataType", "JSON", "Data", `{"calleeList":[{"callee":"13100000001"}]}`))
	p.Set("TaskId", str(out["Data"]))
}

func prepRobotTask(t *testing.T, c *dyvms.Client, p url.Values) {
	out := call(t, c, "CreateRobotTask", vals("TaskName", "t", "DialogId", "1", "Caller", "0571000000",
		"CorpName", "c", "NumberStatusIdent", "false", "RetryType", "0"))
	id := str(out["Data"])
	p.Set("TaskId", id)
	p.Set("Id", id)
	call(t, c, "UploadRobotTaskCalledFile", vals("Id", id, "CalledNumber", "13100000001", "TtsParam", "{}", "TtsParamHead", "[]"))
}

// A request without one of its Action's required parameters is refused by
// the gateway with MissingXxx (HTTP 400), in both formats, for every
// Action that has one; nothing is carried out.
func TestEveryActionMissingParameter(t *testing.T) {
	for _, f := range formats {
		srv := newServer(t)
		c := client(t, srv, dyvms.WithFormat(f))
		checked := 0
		for _, a := range catalog.Load().Actions {
			p := requiredParams(t, &a)
			var drop string
			for _, prm := range a.Request {
				if prm.IsRequired() && prm.Type != "list" {
					drop = prm.Name
					break
				}
			}
			if drop == "" {
				continue
			}
			p.Del(drop)
			err := c.Do(context.Background(), a.Name, p, &map[string]any{})
			var e *dyvms.Error
			if !errors.As(err, &e) || string(e.Code) != "Missing"+drop || e.HTTPStatus != 400 || e.RequestID == "" {
				t.Errorf("%s/%s without %s: %v", f, a.Name, drop, err)
			}
			checked++
		}
		// 148 of the 184 Actions have a required parameter that is not a list.
		if checked != 148 || srv.Count("") != 0 {
			t.Fatalf("%s: checked %d Actions, %d requests carried out", f, checked, srv.Count(""))
		}
	}
}

// No Action's handler fails on odd but well-typed values (negative
// numbers, zero, punctuation, empty JSON) in every optional parameter,
// with or without the things it acts on: each answer is a success or an
// error envelope below HTTP 500, never a dropped connection.
func TestEveryActionOddValues(t *testing.T) {
	odd := map[string][]string{
		"int32": {"-1", "0", "2147483647"}, "int64": {"-1", "0", "9223372036854775807"},
		"float": {"-0.5", "0", "1e300"}, "bool": {"false", "true"},
		"string": {"%", ",", "0"}, "json-string": {"{}", "[]", "[{}]"},
	}
	for _, a := range catalog.Load().Actions {
		for round := 0; round < 6; round++ {
			c := client(t, newServer(t))
			p := requiredParams(t, &a)
			if prep := prepare[a.Name]; prep != nil && round >= 3 {
				prep(t, c, p) // the second three rounds act on something
			}
			for _, prm := range a.Request {
				if vs := odd[prm.Type]; len(vs) > 0 && !prm.IsRequired() {
					p.Set(prm.Name, vs[round%len(vs)])
				}
			}
			err := c.Do(context.Background(), a.Name, p, &map[string]any{})
			var e *dyvms.Error
			if err != nil && (!errors.As(err, &e) || e.HTTPStatus >= 500) {
				t.Errorf("%s round %d: %v", a.Name, round, err)
			}
		}
	}
}
