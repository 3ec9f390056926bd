package dyvmstest

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

const ent = "7000002"

// tryCall runs action through Client.Do and returns the body and error.
func tryCall(c *dyvms.Client, action string, params url.Values) (map[string]any, error) {
	out := map[string]any{}
	err := c.Do(context.Background(), action, params, &out)
	return out, err
}

// wantBusiness fails unless err is the business error isv.INVALID_PARAMETERS
// whose message contains what.
func wantBusiness(t *testing.T, err error, what string) {
	t.Helper()
	var e *dyvms.Error
	if !errors.As(err, &e) || e.Code != "isv.INVALID_PARAMETERS" || e.HTTPStatus != 200 || !strings.Contains(e.Message, what) {
		t.Fatalf("got %v, want isv.INVALID_PARAMETERS %q", err, what)
	}
}

// list returns the objects of the list at keys (a list of one may arrive
// as an object in XML; an empty list is absent in XML).
func list(out map[string]any, keys ...string) []map[string]any {
	return objects(dig(out, keys...))
}

func cnos(items []map[string]any, key ...string) []string {
	var out []string
	for _, it := range items {
		v := any(it)
		for _, k := range key {
			v = v.(map[string]any)[k]
		}
		out = append(out, str(v))
	}
	return out
}

// An agent created can be got, listed, logged in, seen online and free,
// logged out and deleted; a second enterprise's agents are apart.
func TestCloudAgentFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			c := client(t, newServer(t), dyvms.WithFormat(f))
			created := call(t, c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", "2001", "Name", "Li Lei",
				"AreaCode", "021", "ObClidProperty", `{"isMatchCapital":1}`))
			if got := dig(created, "Data", "Agent", "Cno"); str(got) != "2001" || str(dig(created, "Data", "Agent", "Name")) != "Li Lei" ||
				str(dig(created, "Data", "Agent", "ObClidProperty")) != `{"isMatchCapital":1}` {
				t.Fatalf("created %v", created)
			}
			_, err := tryCall(c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", "2001", "Name", "x", "AreaCode", "010"))
			wantBusiness(t, err, "already in use")
			call(t, c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", "2002", "Name", "Han Meimei", "AreaCode", "010"))
			call(t, c, "CloudCreateAgent", vals("EnterpriseId", "9", "Cno", "2003", "Name", "Other", "AreaCode", "010"))

			got := call(t, c, "CloudGetAgent", vals("EnterpriseId", ent, "Cno", "2001"))
			a := list(got, "Data", "Agent")
			if len(a) != 1 || str(a[0]["Name"]) != "Li Lei" || str(a[0]["AreaCode"]) != "021" || str(a[0]["EnterpriseId"]) != ent ||
				str(a[0]["Status"]) != "0" {
				t.Fatalf("CloudGetAgent %v", got)
			}
			all := call(t, c, "CloudQueryAgent", vals("EnterpriseId", ent))
			if n := cnos(list(all, "Data", "Agents"), "Agent", "Cno"); str(dig(all, "Data", "Total")) != "2" || strings.Join(n, ",") != "2001,2002" {
				t.Fatalf("CloudQueryAgent %v", all)
			}
			one := call(t, c, "CloudQueryAgent", vals("EnterpriseId", ent, "Cnos", "2002", "Limit", "5"))
			if n := cnos(list(one, "Data", "Agents"), "Agent", "Cno"); strings.Join(n, ",") != "2002" {
				t.Fatalf("CloudQueryAgent Cnos=2002: %v", one)
			}

			status := call(t, c, "CloudGetAgentStatus", vals("EnterpriseId", ent, "Cno", "2001"))
			if str(dig(status, "Data", "LoginStatus")) != "0" || str(dig(status, "Data", "State")) != "offline" {
				t.Fatalf("status before login %v", status)
			}
			if on := list(call(t, c, "CloudListOnlineAgent", vals("EnterpriseId", ent)), "Data", "AgentStatuses"); len(on) != 0 {
				t.Fatalf("online before login: %v", on)
			}
			call(t, c, "CloudAgentLogin", vals("EnterpriseId", ent, "Cno", "2001", "BindTel", "13800001111", "BindType", "1"))
			status = call(t, c, "CloudGetAgentStatus", vals("EnterpriseId", ent, "Cno", "2001"))
			if str(dig(status, "Data", "LoginStatus")) != "1" || str(dig(status, "Data", "State")) != "idle" {
				t.Fatalf("status after login %v", status)
			}
			on := list(call(t, c, "CloudListOnlineAgent", vals("EnterpriseId", ent)), "Data", "AgentStatuses")
			if len(on) != 1 || str(on[0]["Cno"]) != "2001" || str(on[0]["BindTel"]) != "13800001111" {
				t.Fatalf("online after login: %v", on)
			}
			if free := cnos(list(call(t, c, "CloudListFreeAgent", vals("EnterpriseId", ent)), "Data", "List"), "Cno"); strings.Join(free, ",") != "2001" {
				t.Fatalf("free agents %v", free)
			}
			call(t, c, "CloudAgentLogout", vals("EnterpriseId", ent, "Cno", "2001"))
			if on := list(call(t, c, "CloudListOnlineAgent", vals("EnterpriseId", ent)), "Data", "AgentStatuses"); len(on) != 0 {
				t.Fatalf("online after logout: %v", on)
			}

			del := call(t, c, "CloudDeleteAgent", vals("EnterpriseId", ent, "Cno", "2001"))
			if str(dig(del, "Data", "Result")) != "0" {
				t.Fatalf("delete %v", del)
			}
			_, err = tryCall(c, "CloudGetAgent", vals("EnterpriseId", ent, "Cno", "2001"))
			wantBusiness(t, err, "agent does not exist")
			_, err = tryCall(c, "CloudAgentLogin", vals("EnterpriseId", ent, "Cno", "2001", "BindTel", "1", "BindType", "1"))
			wantBusiness(t, err, "agent does not exist")
			if str(dig(call(t, c, "CloudQueryAgent", vals("EnterpriseId", ent)), "Data", "Total")) != "1" {
				t.Fatal("deleted agent still listed")
			}
		})
	}
}

// A cloud outbound task goes create -> import numbers -> start, with its
// status visible in CloudGetTask and CloudQueryTask; it pauses, resumes and
// is deleted once no longer running.
func TestCloudTaskFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			c := client(t, newServer(t), dyvms.WithFormat(f))
			created := call(t, c, "CloudCreateTask", vals("EnterpriseId", ent, "Name", "Renewals", "Type", "1",
				"UserFields", `[{"k":"v"}]`))
			id := str(dig(created, "Data", "Id"))
			if id == "" || str(dig(created, "Data", "Status")) != "0" || str(dig(created, "Data", "Name")) != "Renewals" ||
				str(dig(created, "Data", "UserFields")) != `[{"k":"v"}]` {
				t.Fatalf("created %v", created)
			}
			taskStatus := func() string {
				got := call(t, c, "CloudGetTask", vals("EnterpriseId", ent, "TaskId", id))
				return str(dig(got, "Data", "TaskProperty", "Status"))
			}
			if s := taskStatus(); s != "0" {
				t.Fatalf("status %s after create", s)
			}

			imp := call(t, c, "CloudImportTaskTel", vals("EnterpriseId", ent, "TaskId", id, "Name", "batch-1",
				"TaskTelList", `[{"Tel":"13900001111"},{"Tel":"13900002222","Priority":5},{"Tel":"not a number"}]`))
			if str(dig(imp, "Data", "ImportTotal")) != "3" || str(dig(imp, "Data", "SuccessTotal")) != "2" ||
				str(dig(imp, "Data", "InvalidTotal")) != "1" || str(dig(imp, "Data", "TaskId")) != id {
				t.Fatalf("import %v", imp)
			}
			files := list(call(t, c, "CloudListTaskFile", vals("EnterpriseId", ent, "TaskId", id)), "Data", "TaskFileList")
			if len(files) != 1 || str(files[0]["Name"]) != "batch-1" || str(files[0]["ImportCount"]) != "2" {
				t.Fatalf("files %v", files)
			}

			call(t, c, "CloudStartTask", vals("EnterpriseId", ent, "TaskId", id))
			if s := taskStatus(); s != "1" {
				t.Fatalf("status %s after start", s)
			}
			running := list(call(t, c, "CloudQueryTask", vals("EnterpriseId", ent, "Type", "1", "Status", "1")), "Data", "TaskProperties")
			if len(running) != 1 || str(running[0]["Id"]) != id || str(running[0]["Name"]) != "Renewals" {
				t.Fatalf("running tasks %v", running)
			}
			mon := call(t, c, "CloudMonitorTask", vals("EnterpriseId", ent, "TaskId", id))
			if str(dig(mon, "Data", "Statistic", "CalledCount")) != "2" || str(dig(mon, "Data", "Statistic", "CtiLinkTaskProperty", "Status")) != "1" {
				t.Fatalf("monitor %v", mon)
			}
			_, err := tryCall(c, "CloudDeleteTask", vals("EnterpriseId", ent, "TaskId", id))
			wantBusiness(t, err, "current status")

			call(t, c, "CloudPauseTask", vals("EnterpriseId", ent, "TaskId", id))
			if s := taskStatus(); s != "2" {
				t.Fatalf("status %s after pause", s)
			}
			_, err = tryCall(c, "CloudPauseTask", vals("EnterpriseId", ent, "TaskId", id))
			wantBusiness(t, err, "current status")
			if l := list(call(t, c, "CloudQueryTask", vals("EnterpriseId", ent, "Type", "1", "Status", "1")), "Data", "TaskProperties"); len(l) != 0 {
				t.Fatalf("paused task listed as running: %v", l)
			}
			call(t, c, "CloudDeleteTask", vals("EnterpriseId", ent, "TaskId", id))
			_, err = tryCall(c, "CloudStartTask", vals("EnterpriseId", ent, "TaskId", id))
			wantBusiness(t, err, "task does not exist")
		})
	}
}

// Importing numbers with ImportTelAutoStart 1 starts the task.
func TestCloudTaskAutoStart(t *testing.T) {
	c := client(t, newServer(t))
	id := str(dig(call(t, c, "CloudCreateTask", vals("EnterpriseId", ent, "Name", "n", "Type", "2")), "Data", "Id"))
	call(t, c, "CloudImportTaskTel", vals("EnterpriseId", ent, "TaskId", id, "Name", "b", "ImportTelAutoStart", "1",
		"TaskTelList", `[{"Tel":"13900001111"}]`))
	got := call(t, c, "CloudGetTask", vals("EnterpriseId", ent, "TaskId", id))
	if str(dig(got, "Data", "TaskProperty", "Status")) != "1" || str(dig(got, "Data", "TaskProperty", "StartTime")) == "" {
		t.Fatalf("%v", got)
	}
	// Not scheduled (AutoStart defaults to 0): listed under that filter.
	listed := list(call(t, c, "CloudQueryTask", vals("EnterpriseId", ent, "Type", "2", "AutoStart", "0")), "Data", "TaskProperties")
	if len(listed) != 1 || str(listed[0]["Id"]) != id {
		t.Fatalf("AutoStart=0 lists %v", listed)
	}
}

// A webcall is bridged to an agent that is logged in and idle, and its
// record names the agent and the customer; with no agent free the
// customer answers the IVR alone.
func TestWebcallRecord(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			c := client(t, newServer(t), dyvms.WithFormat(f))
			call(t, c, "CloudWebcall", vals("EnterpriseId", ent, "Tel", "13900009999", "RequestUniqueId", "req-0"))
			call(t, c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", "2001", "Name", "Li Lei", "AreaCode", "010"))
			call(t, c, "CloudAgentLogin", vals("EnterpriseId", ent, "Cno", "2001", "BindTel", "13800001111", "BindType", "1"))
			call(t, c, "CloudWebcall", vals("EnterpriseId", ent, "Tel", "13900001234,13900005678", "RequestUniqueId", "req-1"))

			cdrs := list(call(t, c, "CloudQueryWebcallCdr", vals("EnterpriseId", ent, "RequestUniqueId", "req-1")), "Data", "List")
			if len(cdrs) != 1 {
				t.Fatalf("records %v", cdrs)
			}
			r := cdrs[0]
			if str(r["CustomerNumber"]) != "13900001234" || str(r["Cno"]) != "2001" || str(r["AgentName"]) != "Li Lei" ||
				str(r["CalleeNumber"]) != "13800001111" || str(r["StatusCode"]) != "24" || str(r["CallType"]) != "webcall" ||
				str(r["BridgeDuration"]) != "7" || str(r["UniqueId"]) == "" {
				t.Fatalf("record %v", r)
			}
			status := call(t, c, "CloudGetAgentStatus", vals("EnterpriseId", ent, "Cno", "2001"))
			if str(dig(status, "Data", "MainUniqueId")) != str(r["UniqueId"]) {
				t.Fatalf("agent's MainUniqueId %v, want %v", dig(status, "Data", "MainUniqueId"), r["UniqueId"])
			}
			alone := list(call(t, c, "CloudQueryWebcallCdr", vals("EnterpriseId", ent, "RequestUniqueId", "req-0")), "Data", "List")
			if len(alone) != 1 || str(alone[0]["StatusCode"]) != "22" || str(alone[0]["Cno"]) != "" {
				t.Fatalf("record without agent %v", alone)
			}
			byID := list(call(t, c, "CloudQueryWebcallCdr", vals("EnterpriseId", ent, "UniqueId", str(r["UniqueId"]))), "Data", "List")
			all := list(call(t, c, "CloudQueryWebcallCdr", vals("EnterpriseId", ent)), "Data", "List")
			if len(byID) != 1 || len(all) != 2 || str(all[0]["RequestUniqueId"]) != "req-1" {
				t.Fatalf("by UniqueId %v; all %v", byID, all)
			}
		})
	}
}

// A video call is a call: QueryCallDetailByCallId finds it; the in-call
// controls find it by CallId or by the called number and play, pause,
// resume, seek and switch media on it.
func TestVideoCallFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			clock := NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, cst))
			srv := newServer(t, WithClock(clock.Now))
			c := client(t, srv, dyvms.WithFormat(f))
			placed := call(t, c, "SingleCallByVideo", vals("CalledNumber", "13900001234", "VideoCode", "video-1",
				"VoiceCode", "voice-1.wav", "OutId", "v-1"))
			id := str(placed["CallId"])
			if calls := srv.Calls(); len(calls) != 1 || calls[0].ID != id || calls[0].Action != "SingleCallByVideo" || calls[0].OutID != "v-1" {
				t.Fatalf("calls %+v", calls)
			}
			detail := call(t, c, "QueryCallDetailByCallId", vals("CallId", id, "ProdId", "11000000300006", "QueryDate", "1"))
			var d struct{ Callee, State string }
			inner(t, detail["Data"], &d)
			if d.Callee != "13900001234" || d.State != "200000" {
				t.Fatalf("detail %+v", d)
			}

			progress := func(kv ...string) map[string]any {
				t.Helper()
				return call(t, c, "QueryVideoPlayProgress", vals(kv...))["Data"].(map[string]any)
			}
			if p := progress("CalledNumber", "13900001234"); str(p["callId"]) != id || str(p["videoId"]) != "video-1" ||
				str(p["playStatus"]) != "playing" || str(p["mediaType"]) != "video" {
				t.Fatalf("progress after the call %v", p)
			}
			if m := call(t, c, "PlayVideoFile", vals("CallId", id, "VideoId", "video-2")); str(m["Model"]) != "true" {
				t.Fatalf("play %v", m)
			}
			paused := call(t, c, "PauseVideoFile", vals("CallId", id, "CalledNumber", "13900001234"))
			if p := paused["Data"].(map[string]any); str(p["playStatus"]) != "paused" || str(p["videoId"]) != "video-2" {
				t.Fatalf("pause %v", paused)
			}
			_, err := tryCall(c, "PauseVideoFile", vals("CallId", id, "CalledNumber", "13900001234"))
			wantBusiness(t, err, "No video file is playing")
			call(t, c, "ResumeVideoFile", vals("CalledNumber", "13900001234"))
			call(t, c, "SeekVideoFile", vals("CallId", id, "SeekTimes", "30"))
			call(t, c, "SeekVideoFile", vals("CallId", id, "SeekTimes", "-10"))
			if p := progress("CallId", id, "CalledNumber", "x"); str(p["playStatus"]) != "playing" || str(p["progress"]) != "20" {
				t.Fatalf("progress after resume and seeks %v", p)
			}
			call(t, c, "DegradeVideoFile", vals("CalledNumber", "13900001234"))
			media := call(t, c, "GetCallMediaType", vals("CalledNumber", "13900001234"))["Data"].(map[string]any)
			if str(media["mediaType"]) != "voice" {
				t.Fatalf("media after degrade %v", media)
			}
			call(t, c, "ChangeMediaType", vals("CalledNum", "13900001234", "MediaType", "video"))
			if p := progress("CalledNumber", "13900001234"); str(p["mediaType"]) != "video" {
				t.Fatalf("media after change %v", p)
			}

			if s := str(call(t, c, "GetCallProgress", vals("CalledNum", "13900001234"))["Model"].(map[string]any)["status"]); s != "calling" {
				t.Fatalf("progress at once %s", s)
			}
			clock.Advance(10 * time.Second)
			if s := str(call(t, c, "GetCallProgress", vals("CalledNum", "13900001234"))["Model"].(map[string]any)["status"]); s != "answered" {
				t.Fatalf("progress after 10 s %s", s)
			}
			clock.Advance(time.Minute)
			if s := str(call(t, c, "GetCallProgress", vals("CalledNum", "13900001234"))["Model"].(map[string]any)["status"]); s != "ended" {
				t.Fatalf("progress after a minute %s", s)
			}
			_, err = tryCall(c, "PauseVideoFile", vals("CalledNumber", "13700000000"))
			wantBusiness(t, err, "call does not exist")
		})
	}
}

// A JSON-valued parameter must hold JSON of the catalogue's shape; the
// gateway refuses it with InvalidParameter otherwise, and every example of
// the catalogue fits.
func TestJSONParameterShape(t *testing.T) {
	c := client(t, newServer(t))
	id := str(dig(call(t, c, "CloudCreateTask", vals("EnterpriseId", ent, "Name", "n", "Type", "1")), "Data", "Id"))
	for _, bad := range []string{`not json`, `{"Tel":"13900001111"}`, `[1,2]`, `[{"Tel":"1","Priority":"high"}]`} {
		_, err := tryCall(c, "CloudImportTaskTel", vals("EnterpriseId", ent, "TaskId", id, "Name", "b", "TaskTelList", bad))
		var e *dyvms.Error
		if !errors.As(err, &e) || e.Code != "InvalidParameter" || e.HTTPStatus != 400 || !strings.Contains(e.Message, "TaskTelList") {
			t.Errorf("TaskTelList %s: %v", bad, err)
		}
	}
	queue := exampleValue(*catalog.Lookup("CloudCreateQueue").Param("Queue"))
	call(t, c, "CloudCreateQueue", vals("EnterpriseId", ent, "Queue", queue, "QueueSkills", `[{"SkillId":1,"SkillLevel":"2"}]`))
	_, err := tryCall(c, "CloudCreateQueue", vals("EnterpriseId", ent, "Queue", queue, "QueueSkills", `[{"SkillId":1}]`))
	if e := (*dyvms.Error)(nil); !errors.As(err, &e) || e.Code != "InvalidParameter" || !strings.Contains(e.Message, "QueueSkills") {
		t.Errorf("QueueSkills without the required SkillLevel: %v", err)
	}
	n := 0
	for _, a := range catalog.Load().Actions {
		for _, p := range a.Request {
			if p.InnerSchema == nil || len(p.Example) == 0 || string(p.Example) == "null" {
				continue
			}
			if !jsonFits(exampleValue(p), p.InnerSchema) {
				t.Errorf("%s.%s: the catalogue's example %s does not fit", a.Name, p.Name, p.Example)
			}
			n++
		}
	}
	if n < 25 {
		t.Fatalf("only %d examples checked", n)
	}
}

// A video call's final receipt carries its CallId, OutId and voice_type
// video.
func TestVideoCallReceipt(t *testing.T) {
	_, hs := newReceiver(t, nil)
	srv := newServer(t, WithReceiptURL(VoiceReport, hs.URL+"/report"))
	c := client(t, srv)
	id := str(call(t, c, "SingleCallByVideo", vals("CalledNumber", "13900001234", "VideoCode", "v", "VoiceCode", "a.wav",
		"OutId", "vid-7"))["CallId"])
	waitFor(t, "the receipt", func() bool { ok, _ := delivered(srv, VoiceReport); return ok })
	var rs []map[string]any
	inner(t, string(srv.Deliveries()[0].Body), &rs)
	if len(rs) != 1 || rs[0]["call_id"] != id || rs[0]["out_id"] != "vid-7" || rs[0]["voice_type"] != "video" {
		t.Fatalf("receipts %v", rs)
	}
}

// A Clink client created can be described, listed (by queue too), bound
// to a phone (then IDLE) and deleted.
func TestClinkClientFlow(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			c := client(t, newServer(t), dyvms.WithFormat(f))
			created := call(t, c, "ClinkCreateClient", vals("EnterpriseId", ent, "Cno", "3001", "Name", "Wang", "AreaCode", "010",
				"Password", "pw", "Permission", `{"Call":1,"Record":3}`, "Qnos", `["0001","0002"]`))
			if str(dig(created, "Data", "Client", "Name")) != "Wang" || str(dig(created, "Data", "Client", "Permission", "Record")) != "3" {
				t.Fatalf("created %v", created)
			}
			_, err := tryCall(c, "ClinkCreateClient", vals("EnterpriseId", ent, "Cno", "3001", "Name", "x", "AreaCode", "010",
				"Password", "pw", "Permission", `{}`))
			wantBusiness(t, err, "already in use")
			call(t, c, "ClinkCreateClient", vals("EnterpriseId", ent, "Cno", "3002", "Name", "Zhao", "AreaCode", "010",
				"Password", "pw", "Permission", `{}`, "Qnos", `["0003"]`))
			all := call(t, c, "ClinkListClients", vals("EnterpriseId", ent))
			if n := cnos(list(all, "Data", "Clients"), "Cno"); strings.Join(n, ",") != "3001,3002" || str(dig(all, "Data", "TotalCount")) != "2" {
				t.Fatalf("clients %v", all)
			}
			inQueue := list(call(t, c, "ClinkListClients", vals("EnterpriseId", ent, "Qno", "0002")), "Data", "Clients")
			if n := cnos(inQueue, "Cno"); strings.Join(n, ",") != "3001" {
				t.Fatalf("clients of queue 0002: %v", n)
			}
			status := func() string {
				return str(dig(call(t, c, "ClinkAgentStatusDetail", vals("EnterpriseId", ent, "Cno", "3001")), "Data", "AgentStatusDetail", "Status"))
			}
			if s := status(); s != "OFFLINE" {
				t.Fatalf("status before binding %s", s)
			}
			call(t, c, "ClinkBindClientTel", vals("EnterpriseId", ent, "Cno", "3001", "Tel", "13800002222"))
			desc := call(t, c, "ClinkDescribeClient", vals("EnterpriseId", ent, "Cno", "3001"))
			if str(dig(desc, "Data", "Client", "BindTel")) != "13800002222" || status() != "IDLE" {
				t.Fatalf("described %v", desc)
			}
			call(t, c, "ClinkDeleteClient", vals("EnterpriseId", ent, "Cno", "3001"))
			_, err = tryCall(c, "ClinkDescribeClient", vals("EnterpriseId", ent, "Cno", "3001"))
			wantBusiness(t, err, "client does not exist")
		})
	}
}

// A preview outbound call needs the agent online; its record is found by
// CloudQueryObCdr and CloudGetObCdr.
func TestPreviewOutcallRecord(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			c := client(t, newServer(t), dyvms.WithFormat(f))
			call(t, c, "CloudCreateAgent", vals("EnterpriseId", ent, "Cno", "2001", "Name", "Li Lei", "AreaCode", "010"))
			_, err := tryCall(c, "CloudPreviewoutcall", vals("EnterpriseId", ent, "Cno", "2001", "Tel", "13900001234"))
			wantBusiness(t, err, "not online")
			call(t, c, "CloudAgentLogin", vals("EnterpriseId", ent, "Cno", "2001", "BindTel", "13800001111", "BindType", "1"))
			call(t, c, "CloudPreviewoutcall", vals("EnterpriseId", ent, "Cno", "2001", "Tel", "13900001234", "RequestUniqueId", "r-9"))
			recs := list(call(t, c, "CloudQueryObCdr", vals("EnterpriseId", ent, "Cno", "2001")), "Data", "List")
			if len(recs) != 1 || str(recs[0]["CustomerNumber"]) != "13900001234" || str(recs[0]["AgentNumber"]) != "13800001111" ||
				str(recs[0]["StatusCode"]) != "33" || str(recs[0]["RequestUniqueId"]) != "r-9" {
				t.Fatalf("records %v", recs)
			}
			got := list(call(t, c, "CloudGetObCdr", vals("EnterpriseId", ent, "UniqueId", str(recs[0]["UniqueId"]))), "Data", "List")
			if len(got) != 1 || str(got[0]["Cno"]) != "2001" || str(got[0]["CalleeNumber"]) != "13900001234" {
				t.Fatalf("record by UniqueId %v", got)
			}
			if none := list(call(t, c, "CloudQueryObCdr", vals("EnterpriseId", ent, "Cno", "9999")), "Data", "List"); len(none) != 0 {
				t.Fatalf("records of another agent %v", none)
			}
		})
	}
}
