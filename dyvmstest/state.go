package dyvmstest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// cst is China Standard Time, the zone of the service's local times.
var cst = time.FixedZone("CST", 8*3600)

const (
	localLayout = "2006-01-02 15:04:05"
	dottedDate  = "2006.01.02 15:04:05"
)

// Call is a call the server placed.
type Call struct {
	// ID is the CallId returned to the caller.
	ID string
	// Action is the Action that placed it, for example "SingleCallByTts".
	Action string
	// CalledNumber is the number called.
	CalledNumber string
	// CalledShowNumber is the caller ID shown to the called party.
	CalledShowNumber string
	// OutID is the OutId the request carried.
	OutID string
	// Placed is when the call was placed, on the server's clock.
	Placed time.Time
	// Outcome is how the call ended.
	Outcome CallOutcome
}

// CallOutcome is how a placed call ends (see WithCallOutcome).
type CallOutcome struct {
	// StatusCode is the final call status code: "200000" (heard to the end),
	// "200001" (hung up early), "200003" (no answer), "200010" (powered
	// off), ...
	StatusCode string
	// SmartStatusCode is the smart status: ANSWERED, NO_ANSWER, POWERED_OFF...
	SmartStatusCode string
	// StatusMsg is the human-readable status.
	StatusMsg string
	// Duration is the talk time; zero if the call was not answered.
	Duration time.Duration
}

// answered reports whether the callee picked up.
func (o CallOutcome) answered() bool { return o.Duration > 0 }

func defaultOutcome(Call) CallOutcome {
	return CallOutcome{StatusCode: "200000", SmartStatusCode: "ANSWERED", StatusMsg: "执行完成", Duration: 7 * time.Second}
}

// callTask is a batch voice task (CreateCallTask).
type callTask struct {
	id                                 int64
	name, bizType, templateCode        string
	templateName, resource, data, kind string
	status                             string
	created, fired, completed          time.Time
	callees                            []string
	done                               []bool
}

// robotTask is a robocall task (CreateRobotTask).
type robotTask struct {
	id                                   int64
	name, caller, corpName, recallStates string
	dialogID                             int64
	numberStatusIdent                    bool
	retryType, recallTimes, recallIntvl  int64
	status, scheduleType                 string
	created, fired, completed            time.Time
	called                               []string
}

// relation is one virtual-number association.
type relation struct {
	phoneNum, relatedNum, prodCode, corpName string
	routeType                                string
	created                                  time.Time
}

// state is what the fake remembers between requests; guarded by Server.mu.
type state struct {
	callSeq   int64
	calls     map[string]*Call
	callOrder []string
	taskSeq   int64
	callTasks map[int64]*callTask
	robotSeq  int64
	robots    map[int64]*robotTask
	relations []relation
	cloud     cloudState
	clink     map[string]record      // Clink clients by cloudKey(EnterpriseId, Cno)
	videos    map[string]*videoState // by CallId
}

func newState() state {
	return state{
		callSeq:   116012354148,
		calls:     map[string]*Call{},
		taskSeq:   1951000,
		callTasks: map[int64]*callTask{},
		robotSeq:  1045000,
		robots:    map[int64]*robotTask{},
		cloud:     newCloudState(),
		clink:     map[string]record{},
		videos:    map[string]*videoState{},
	}
}

// Calls returns the calls the server placed, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, 0, len(s.st.callOrder))
	for _, id := range s.st.callOrder {
		out = append(out, *s.st.calls[id])
	}
	return out
}

func local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format(localLayout)
}

func dotted(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format(dottedDate)
}

func millis(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return num(t.UnixMilli())
}

func num(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// match reports whether the optional filter parameter name is absent or
// equals v.
func match(p url.Values, name, v string) bool {
	f := p.Get(name)
	return f == "" || f == v
}

// paginate cuts items to the requested page and returns page, size, total.
func paginate(p url.Values, pageName, sizeName string, defSize int64, items *[]any) (page, size, total int64) {
	page, size = atoi(p.Get(pageName)), atoi(p.Get(sizeName))
	if page < 1 {
		page = 1
	}
	if size < 1 {
		size = defSize
	}
	total = int64(len(*items))
	offset := total // a page past the end, however large
	if page-1 <= total/size {
		offset = (page - 1) * size
	}
	*items = cut(*items, offset, size, defSize)
	return page, size, total
}

// splitList splits a comma- or newline-separated list of numbers.
func splitList(s string) []string {
	out := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' })
	if len(out) == 0 {
		return nil
	}
	return out
}

// parseCallees reads CreateCallTask's Data: a JSON object with a calleeList
// ({"calleeList":[{"callee":"..."}]}) or a plain list of numbers.
func parseCallees(data string) []string {
	data = strings.TrimSpace(data)
	if strings.HasPrefix(data, "{") {
		var v struct {
			CalleeList []struct {
				Callee string `json:"callee"`
			} `json:"calleeList"`
		}
		if json.Unmarshal([]byte(data), &v) == nil {
			var out []string
			for _, c := range v.CalleeList {
				out = append(out, c.Callee)
			}
			return out
		}
	}
	return splitList(data)
}

// setBool sets body[key] to ok, as a bool where the sample has one and as
// the string "true"/"false" otherwise.
func setBool(body map[string]any, key string, ok bool) {
	if _, isBool := body[key].(bool); isBool {
		body[key] = ok
		return
	}
	body[key] = strconv.FormatBool(ok)
}

func (st *state) sortedCallTasks() []*callTask {
	out := make([]*callTask, 0, len(st.callTasks))
	for _, t := range st.callTasks {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id > out[j].id }) // newest first
	return out
}

func (st *state) sortedRobots() []*robotTask {
	out := make([]*robotTask, 0, len(st.robots))
	for _, t := range st.robots {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id > out[j].id })
	return out
}

func (st *state) related(phone, n string) bool {
	for _, r := range st.relations {
		if r.phoneNum == phone && r.relatedNum == n {
			return true
		}
	}
	return false
}

// callTaskRunTime is how long a running call task takes, on the server's
// clock, before it is DONE.
const callTaskRunTime = time.Second

// execute applies ExecuteCallTask's Status and reports whether the state
// changed. A task that starts RUNNING calls every callee at once and is
// DONE callTaskRunTime later.
func (t *callTask) execute(status string, now time.Time) bool {
	switch status {
	case "RUNNING":
		if t.status != "INIT" && t.status != "STOP" && t.status != "RELEASE" {
			return false
		}
		t.status, t.fired = "RUNNING", now
		for i := range t.done {
			t.done[i] = true
		}
	case "STOP":
		if t.status != "RUNNING" {
			return false
		}
		t.status = "STOP"
	case "CANCEL":
		if t.status == "DONE" || t.status == "CANCEL" || t.status == "SYSTEM_CANCEL" {
			return false
		}
		t.status, t.completed = "CANCEL", now
	default:
		return false
	}
	return true
}

// advance finishes a running task whose run time has passed.
func (t *callTask) advance(now time.Time) {
	if t.status == "RUNNING" && now.Sub(t.fired) >= callTaskRunTime {
		t.status, t.completed = "DONE", t.fired.Add(callTaskRunTime)
	}
}

func (t *callTask) item() map[string]any {
	completed := int64(0)
	for _, d := range t.done {
		if d {
			completed++
		}
	}
	rate := int64(0)
	if len(t.callees) > 0 {
		rate = completed * 10000 / int64(len(t.callees))
	}
	return map[string]any{
		"Id": num(t.id), "TaskName": t.name, "BizType": t.bizType, "TemplateCode": t.templateCode,
		"TemplateName": t.templateName, "Resource": t.resource, "Data": t.data, "DataType": t.kind,
		"Status": t.status, "FireTime": millis(t.fired), "CompleteTime": millis(t.completed), "StopTime": "",
		"TotalCount": num(int64(len(t.callees))), "CompletedCount": num(completed), "CompletedRate": num(rate),
	}
}

// transition applies a robot-task Action and reports whether it was
// allowed: Start from INIT, READY or MANUAL_STOP (to READY when scheduled
// in the future, else EXCUTING); Stop from READY or EXCUTING; Cancel from
// any state but CANCEL and FINISH; Delete from any state but EXCUTING.
func (t *robotTask) transition(action, schedule string, now time.Time) bool {
	switch action {
	case "StartRobotTask":
		if t.status != "INIT" && t.status != "READY" && t.status != "MANUAL_STOP" {
			return false
		}
		t.status, t.fired = "EXCUTING", now
		if at, err := time.ParseInLocation(localLayout, schedule, cst); err == nil && at.After(now) {
			t.status, t.fired, t.scheduleType = "READY", at, "ORDER"
		}
	case "StopRobotTask":
		if t.status != "READY" && t.status != "EXCUTING" {
			return false
		}
		t.status = "MANUAL_STOP"
	case "CancelRobotTask":
		if t.status == "CANCEL" || t.status == "FINISH" {
			return false
		}
		t.status, t.completed = "CANCEL", now
	case "DeleteRobotTask":
		return t.status != "EXCUTING"
	}
	return true
}

// robotTaskRunTime is how long a started robot task runs before it
// finishes on its own, on the server's clock.
const robotTaskRunTime = 30 * time.Second

// advance moves a task on with the server's clock: a scheduled task starts
// at its time, and a running one finishes robotTaskRunTime after it
// started.
func (t *robotTask) advance(now time.Time) {
	if t.status == "READY" && !now.Before(t.fired) {
		t.status = "EXCUTING"
	}
	if t.status == "EXCUTING" && now.Sub(t.fired) >= robotTaskRunTime {
		t.status, t.completed = "FINISH", t.fired.Add(robotTaskRunTime)
	}
}

func (t *robotTask) finished() int {
	if t.status == "FINISH" {
		return len(t.called)
	}
	return 0
}

func robotName(id int64) string { return "Robot " + strconv.FormatInt(id, 10) }

func (t *robotTask) detail() map[string]any {
	called := []any{}
	if len(t.called) > 0 {
		called = append(called, map[string]any{
			"fileName":    fmt.Sprintf("task-%d-called", t.id),
			"ossFilePath": fmt.Sprintf("http://test.cn-hangzhou.oss.aliyun-inc.com/task-%d-called.xlsx", t.id),
		})
	}
	return map[string]any{
		"id": t.id, "taskName": t.name, "robotId": t.dialogID, "robotName": robotName(t.dialogID),
		"corpName": t.corpName, "caller": t.caller, "numberStatusIdent": t.numberStatusIdent,
		"status": t.status, "scheduleType": t.scheduleType, "retryType": t.retryType,
		"recallStateCodes": t.recallStates, "recallTimes": t.recallTimes, "recallInterval": t.recallIntvl,
		"createTime": local(t.created), "fireTime": local(t.fired), "completeTime": local(t.completed),
		"called": called,
	}
}
