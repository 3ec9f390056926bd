package dyvmstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// client returns a client of srv that does not retry: these tests check
// the fake's answers, not the SDK's retries.
func client(t *testing.T, srv *Server, opts ...dyvms.Option) *dyvms.Client {
	t.Helper()
	c, err := srv.Client(append([]dyvms.Option{dyvms.WithNoRetries()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// do calls action with Client.Do and returns the decoded body.
func do(t *testing.T, c *dyvms.Client, action string, kv ...string) map[string]any {
	t.Helper()
	out, err := tryDo(c, action, kv...)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return out
}

func tryDo(c *dyvms.Client, action string, kv ...string) (map[string]any, error) {
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	out := map[string]any{}
	err := c.Do(context.Background(), action, p, &out)
	return out, err
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// inner decodes a JSON-in-string field.
func inner(t *testing.T, v any, into any) {
	t.Helper()
	if err := json.Unmarshal([]byte(str(v)), into); err != nil {
		t.Fatalf("inner JSON %q: %v", str(v), err)
	}
}

var formats = []dyvms.Format{dyvms.FormatJSON, dyvms.FormatXML}

func TestCallThenQueryCallDetail(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			ctx := context.Background()
			tts, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
				CalledNumber: "13900001234", TtsCode: "TTS_100000",
				TtsParam: map[string]string{"code": "1234"}, OutID: "order-1",
			})
			if err != nil {
				t.Fatal(err)
			}
			ivr := do(t, c, "IvrCall", "CalledNumber", "13900005678", "CalledShowNumber", "057100000001", "StartCode", "TTS_1")
			for _, id := range []string{tts.CallID, str(ivr["CallId"])} {
				if !strings.Contains(id, "^") {
					t.Fatalf("CallId %q", id)
				}
				d := do(t, c, "QueryCallDetailByCallId", "CallId", id, "ProdId", "11000000300006",
					"QueryDate", strconv.FormatInt(time.Now().UnixMilli(), 10))
				var rec map[string]any
				inner(t, d["Data"], &rec)
				if rec["state"] != "200000" || rec["callee"] == "" || rec["duration"] != float64(7) {
					t.Fatalf("detail of %s: %v", id, rec)
				}
			}
			d := do(t, c, "QueryCallDetailByCallId", "CallId", "1^2", "ProdId", "1", "QueryDate", "1")
			if str(d["Data"]) != "" {
				t.Fatalf("unknown CallId found: %v", d)
			}
			calls := srv.Calls()
			if len(calls) != 2 || calls[0].ID != tts.CallID || calls[0].OutID != "order-1" || calls[0].CalledNumber != "13900001234" {
				t.Fatalf("Calls() = %+v", calls)
			}
			reqs := srv.Requests()
			if len(reqs) != 5 || reqs[0].Action != "SingleCallByTts" || reqs[0].Param("TtsParam") != `{"code":"1234"}` {
				t.Fatalf("Requests() = %+v", reqs)
			}
			for _, r := range reqs {
				if r.Param("Signature") != "" || r.Params.Has("Signature") || r.Param("AccessKeyId") != srv.AccessKeyID {
					t.Fatalf("recorded params not redacted: %v", r.Params)
				}
			}
			if srv.Count("SingleCallByTts") != 1 || srv.Count("QueryCallDetailByCallId") != 3 {
				t.Fatal("Count wrong")
			}
			srv.ResetRequests()
			if srv.Count("") != 0 {
				t.Fatal("ResetRequests")
			}
		})
	}
}

func TestSecurityTokenNotRecorded(t *testing.T) {
	srv := newServer(t)
	c := client(t, srv, dyvms.WithSecurityToken("sts-token-secret"))
	do(t, c, "GetMqttToken")
	if r := srv.Requests()[0]; r.Params.Has("SecurityToken") {
		t.Fatalf("SecurityToken recorded: %v", r.Params)
	}
}

func TestCallTaskFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			clock := NewClock(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC))
			srv := newServer(t, WithClock(clock.Now))
			c := client(t, srv, dyvms.WithFormat(f))
			data := `{"paramNames":["name"],"calleeList":[{"callee":"13100000001","params":["a"]},{"callee":"13100000002","params":["b"]}]}`
			cr := do(t, c, "CreateCallTask", "TaskName", "spring", "BizType", "VMS_VOICE_TTS", "TemplateCode", "TTS_1",
				"Resource", "05516214000", "DataType", "JSON", "Data", data)
			id := str(cr["Data"])
			if _, err := strconv.ParseInt(id, 10, 64); err != nil || cr["Code"] != "200" {
				t.Fatalf("CreateCallTask: %v", cr)
			}
			do(t, c, "CreateCallTask", "TaskName", "other")

			list := do(t, c, "ListCallTask", "TaskId", id)
			task := first(t, list["Data"])
			if str(task["Status"]) != "INIT" || str(task["TotalCount"]) != "2" || str(task["TaskName"]) != "spring" || str(list["Total"]) != "1" {
				t.Fatalf("ListCallTask after create: %v", list)
			}
			all := do(t, c, "ListCallTask", "PageSize", "1", "PageNumber", "2")
			if str(all["Total"]) != "2" || str(first(t, all["Data"])["Id"]) != id {
				t.Fatalf("paging: %v", all)
			}
			det := do(t, c, "ListCallTaskDetail", "TaskId", id)
			if str(det["Total"]) != "2" || str(first(t, det["Data"])["Status"]) != "INIT" {
				t.Fatalf("detail before run: %v", det)
			}

			if r := do(t, c, "ExecuteCallTask", "TaskId", id, "Status", "STOP"); str(r["Data"]) != "false" {
				t.Fatalf("STOP of an INIT task: %v", r)
			}
			if r := do(t, c, "ExecuteCallTask", "TaskId", id, "Status", "RUNNING"); str(r["Data"]) != "true" {
				t.Fatalf("RUNNING: %v", r)
			}
			if s := str(first(t, do(t, c, "ListCallTask", "TaskId", id)["Data"])["Status"]); s != "RUNNING" {
				t.Fatalf("status %s, want RUNNING", s)
			}
			det = do(t, c, "ListCallTaskDetail", "TaskId", id, "Status", "SUCCESS")
			if str(det["Total"]) != "2" || str(first(t, det["Data"])["Caller"]) != "05516214000" {
				t.Fatalf("detail after run: %v", det)
			}
			clock.Advance(2 * time.Second)
			task = first(t, do(t, c, "ListCallTask", "TaskId", id)["Data"])
			if str(task["Status"]) != "DONE" || str(task["CompletedRate"]) != "10000" {
				t.Fatalf("after run time: %v", task)
			}
			if r := do(t, c, "ExecuteCallTask", "TaskId", id, "Status", "CANCEL"); str(r["Data"]) != "false" {
				t.Fatalf("CANCEL of a DONE task: %v", r)
			}
			_, err := tryDo(c, "ExecuteCallTask", "TaskId", "999", "Status", "RUNNING")
			if e := (*dyvms.Error)(nil); !errors.As(err, &e) || e.Code != "isv.INVALID_PARAMETERS" || e.HTTPStatus != 200 {
				t.Fatalf("unknown task: %v", err)
			}
		})
	}
}

// first returns the first object of a list that may have arrived as a list
// or (XML, one element) as a single object.
func first(t *testing.T, v any) map[string]any {
	t.Helper()
	switch l := v.(type) {
	case []any:
		if len(l) > 0 {
			if m, ok := l[0].(map[string]any); ok {
				return m
			}
		}
	case map[string]any:
		return l
	}
	t.Fatalf("not a list of objects: %#v", v)
	return nil
}

type robotItem struct {
	ID       int64  `json:"id"`
	TaskName string `json:"taskName"`
	Status   string `json:"status"`
	RobotID  int64  `json:"robotId"`
}

func TestRobotTaskFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			create := func(name string) string {
				r := do(t, c, "CreateRobotTask", "TaskName", name, "Caller", "057100000001", "DialogId", "1000023001",
					"NumberStatusIdent", "true", "RetryType", "1", "RecallTimes", "2")
				return str(r["Data"])
			}
			id, other := create("robot-a"), create("robot-b")
			do(t, c, "UploadRobotTaskCalledFile", "Id", id, "CalledNumber", "13100000001,13100000002")

			status := func(id string) string {
				var d map[string]any
				inner(t, do(t, c, "QueryRobotTaskDetail", "Id", id)["Data"], &d)
				return str(d["status"])
			}
			transition := func(action, id, want string) {
				t.Helper()
				r := do(t, c, action, "TaskId", id)
				if str(r["Data"]) != want {
					t.Fatalf("%s: Data %v, want %s", action, r["Data"], want)
				}
			}
			if s := status(id); s != "INIT" {
				t.Fatalf("new task %s", s)
			}
			transition("StopRobotTask", id, "false")
			transition("StartRobotTask", id, "true")
			if s := status(id); s != "EXCUTING" {
				t.Fatalf("started task %s", s)
			}
			transition("DeleteRobotTask", id, "false") // not while running
			transition("StopRobotTask", id, "true")
			if s := status(id); s != "MANUAL_STOP" {
				t.Fatalf("stopped task %s", s)
			}
			transition("CancelRobotTask", id, "true")
			transition("StartRobotTask", id, "false")
			if s := status(id); s != "CANCEL" {
				t.Fatalf("cancelled task %s", s)
			}

			list := do(t, c, "QueryRobotTaskList", "Status", "CANCEL")
			var items []robotItem
			inner(t, list["Data"], &items)
			if len(items) != 1 || strconv.FormatInt(items[0].ID, 10) != id || items[0].TaskName != "robot-a" || str(list["TotalCount"]) != "1" {
				t.Fatalf("QueryRobotTaskList: %v", list)
			}
			inner(t, do(t, c, "QueryRobotTaskList")["Data"], &items)
			if len(items) != 2 {
				t.Fatalf("all tasks: %v", items)
			}

			transition("DeleteRobotTask", id, "true")
			inner(t, do(t, c, "QueryRobotTaskList")["Data"], &items)
			if len(items) != 1 || strconv.FormatInt(items[0].ID, 10) != other {
				t.Fatalf("after delete: %v", items)
			}
			_, err := tryDo(c, "QueryRobotTaskDetail", "Id", id)
			if e := (*dyvms.Error)(nil); !errors.As(err, &e) || e.Code != "isv.INVALID_PARAMETERS" {
				t.Fatalf("deleted task detail: %v", err)
			}
		})
	}
}

func TestVirtualNumberRelations(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			r := do(t, c, "AddVirtualNumberRelation", "PhoneNum", "05516214000", "NumberList", "13211110000,13222220000", "RouteType", "0", "ProdCode", "dyvms")
			if str(r["Data"]) != "" || r["Code"] != "200" {
				t.Fatalf("add: %v", r)
			}
			r = do(t, c, "AddVirtualNumberRelation", "PhoneNum", "05516214000", "NumberList", "13211110000,13233330000", "RouteType", "0")
			if str(r["Data"]) != "13211110000" {
				t.Fatalf("duplicate not reported: %v", r)
			}
			var page struct {
				Data []struct {
					RelatedNum string `json:"relatedNum"`
					CreateTime string `json:"createTime"`
				} `json:"data"`
				Total, PageNo, PageSize int
			}
			inner(t, do(t, c, "QueryVirtualNumberRelation", "PhoneNum", "05516214000")["Data"], &page)
			if page.Total != 3 || len(page.Data) != 3 || page.Data[0].RelatedNum != "13211110000" || page.Data[0].CreateTime == "" {
				t.Fatalf("query: %+v", page)
			}
			inner(t, do(t, c, "QueryVirtualNumberRelation", "RelatedNum", "13233330000", "PageSize", "1")["Data"], &page)
			if page.Total != 1 || page.PageSize != 1 {
				t.Fatalf("filtered: %+v", page)
			}
			inner(t, do(t, c, "QueryVirtualNumberRelation", "PhoneNum", "000")["Data"], &page)
			if page.Total != 0 || page.Data == nil {
				t.Fatalf("empty: %+v", page)
			}
		})
	}
}
