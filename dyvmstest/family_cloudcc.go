package dyvmstest

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// cloudCCHandlers are the hosted call-centre Actions with state: agents
// (create, get, list, update, log in and out, status, delete), outbound
// tasks (create, update, import numbers, start, pause, get, list,
// monitor, delete), webcalls and preview outbound calls with their call
// records. Every other
// cloud Action is answered by the schema-driven answerer.
var cloudCCHandlers = map[string]handler{
	"CloudCreateAgent":          cloudCreateAgent,
	"CloudUpdateAgent":          cloudUpdateAgent,
	"CloudGetAgent":             cloudGetAgent,
	"CloudDeleteAgent":          cloudDeleteAgent,
	"CloudQueryAgent":           cloudQueryAgent,
	"CloudQueryAgentCnoAndName": cloudQueryAgentCnoAndName,
	"CloudAgentLogin":           cloudAgentLogin,
	"CloudAgentLogout":          cloudAgentLogout,
	"CloudGetAgentStatus":       cloudGetAgentStatus,
	"CloudBatchGetAgentStatus":  cloudGetAgentStatus,
	"CloudListOnlineAgent":      cloudListOnlineAgent,
	"CloudListFreeAgent":        cloudListFreeAgent,
	"CloudCreateTask":           cloudCreateTask,
	"CloudUpdateTask":           cloudUpdateTask,
	"CloudGetTask":              cloudGetTask,
	"CloudQueryTask":            cloudQueryTask,
	"CloudImportTaskTel":        cloudImportTaskTel,
	"CloudListTaskFile":         cloudListTaskFile,
	"CloudStartTask":            cloudStartTask,
	"CloudPauseTask":            cloudPauseTask,
	"CloudDeleteTask":           cloudDeleteTask,
	"CloudMonitorTask":          cloudMonitorTask,
	"CloudWebcall":              cloudWebcall,
	"CloudQueryWebcallCdr":      cloudQueryWebcallCdr,
	"CloudPreviewoutcall":       cloudPreviewOutcall,
	"CloudQueryObCdr":           cloudQueryObCdr,
	"CloudGetObCdr":             cloudGetObCdr,
}

// cloudState is the hosted call centre: agents, tasks and webcall records
// of every enterprise (EnterpriseId).
type cloudState struct {
	seq      int64
	agents   map[string]record // by cloudKey(EnterpriseId, Cno)
	tasks    map[string]*cloudTask
	webcalls []record
	outcalls []record // preview outbound call records
}

// cloudTask is an outbound task with its imported number batches.
type cloudTask struct {
	rec   record
	files []record
	tels  int64
}

// newCloudState is an empty call centre.
func newCloudState() cloudState {
	return cloudState{seq: 1000, agents: map[string]record{}, tasks: map[string]*cloudTask{}}
}

func (c *cloudState) next() string {
	c.seq++
	return strconv.FormatInt(c.seq, 10)
}

// cloudKey is the key of an agent, task or client of an enterprise.
func cloudKey(enterprise, id string) string { return enterprise + "/" + id }

var (
	errNoAgent     = businessErr("isv.INVALID_PARAMETERS", "The specified agent does not exist.")
	errAgentExists = businessErr("isv.INVALID_PARAMETERS", "The agent number is already in use.")
	errNoCloudTask = businessErr("isv.INVALID_PARAMETERS", "The specified task does not exist.")
	errTaskState   = businessErr("isv.INVALID_PARAMETERS", "The task cannot do this in its current status.")
)

// result answers Data.Result 0, the call centre's success.
func result(x *exchange) *apiError {
	path(x.body, "Data")["Result"] = num(0)
	return nil
}

// agent returns the agent the request names (EnterpriseId, Cno).
func (x *exchange) agent() (record, *apiError) {
	a := x.st.cloud.agents[cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno"))]
	if a == nil {
		return nil, errNoAgent
	}
	return a, nil
}

// enterpriseAgents returns the agents of the request's enterprise that
// pass keep, oldest first.
func (x *exchange) enterpriseAgents(keep func(record) bool) []record {
	var out []record
	for _, a := range x.st.cloud.agents {
		if a["EnterpriseId"] == x.p.Get("EnterpriseId") && keep(a) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i]["Id"]) < atoi(out[j]["Id"]) })
	return out
}

// cloudCreateAgent keeps a new agent, offline; a Cno in use is refused.
func cloudCreateAgent(x *exchange) *apiError {
	key := cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno"))
	if x.st.cloud.agents[key] != nil {
		return errAgentExists
	}
	a := record{"Active": "1", "AgentType": "1", "Status": "0", "LoginStatus": "0", "State": "offline",
		"StateAction": "offline", "DeviceStatus": "-1", "BindTel": "", "BindTelType": "", "LoginTime": "",
		"CreateTime": local(x.now), "UpdateTime": local(x.now)}
	a.setParams(x.action, x.p)
	a["Id"] = x.st.cloud.next()
	x.st.cloud.agents[key] = a
	return showAgent(x, a)
}

// cloudUpdateAgent changes the properties the request carries.
func cloudUpdateAgent(x *exchange) *apiError {
	a, err := x.agent()
	if err != nil {
		return err
	}
	a.setParams(x.action, x.p)
	a["UpdateTime"] = local(x.now)
	return showAgent(x, a)
}

// showAgent answers Data.Agent and the agent's skills (SkillIds with
// SkillLevels) as Data.AgentSkills.
func showAgent(x *exchange, a record) *apiError {
	data := path(x.body, "Data")
	a.writeOver(path(data, "Agent"))
	levels := strings.Split(a["SkillLevels"], ",")
	var skills []record
	for i, id := range strings.Split(a["SkillIds"], ",") {
		if id == "" || id == "0" {
			continue
		}
		s := record{"AgentId": a["Id"], "Cno": a["Cno"], "EnterpriseId": a["EnterpriseId"],
			"CreateTime": a["CreateTime"], "Id": a["Id"] + strconv.Itoa(i), "SkillId": id, "SkillLevel": "1"}
		if i < len(levels) && levels[i] != "" {
			s["SkillLevel"] = levels[i]
		}
		skills = append(skills, s)
	}
	listOf(data, "AgentSkills", skills)
	return nil
}

// cloudGetAgent answers the agent as the one element of Data.Agent.
func cloudGetAgent(x *exchange) *apiError {
	a, err := x.agent()
	if err != nil {
		return err
	}
	listOf(path(x.body, "Data"), "Agent", []record{a})
	return nil
}

// cloudDeleteAgent forgets the agent.
func cloudDeleteAgent(x *exchange) *apiError {
	if _, err := x.agent(); err != nil {
		return err
	}
	delete(x.st.cloud.agents, cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno")))
	return result(x)
}

// cloudQueryAgent lists the enterprise's agents, filtered by Cnos, Name
// (contained), Comment (prefix), Active and Status, ordered by creation
// (Order 1: newest first), a page of Start and Limit.
func cloudQueryAgent(x *exchange) *apiError {
	p := x.p
	agents := x.enterpriseAgents(func(a record) bool {
		return matchCnos(p, a["Cno"]) && matchRecord(p, a, "Active", "Status") && strings.Contains(a["Name"], p.Get("Name")) &&
			strings.HasPrefix(a["Comment"], p.Get("Comment"))
	})
	if p.Get("Order") == "1" {
		for i, j := 0, len(agents)-1; i < j; i, j = i+1, j-1 {
			agents[i], agents[j] = agents[j], agents[i]
		}
	}
	data := path(x.body, "Data")
	data["Total"] = num(int64(len(agents)))
	page := window(p, agents, 10)
	item := proto(data, "Agents")
	items := make([]any, 0, len(page))
	for _, a := range page {
		it := deepCopy(item).(map[string]any)
		if ag, ok := it["Agent"].(map[string]any); ok {
			a.writeOver(ag)
		}
		items = append(items, it)
	}
	data["Agents"] = items
	return nil
}

// cloudQueryAgentCnoAndName lists the agents' numbers and names.
func cloudQueryAgentCnoAndName(x *exchange) *apiError {
	agents := x.enterpriseAgents(func(a record) bool { return matchCnos(x.p, a["Cno"]) })
	listOf(path(x.body, "Data"), "List", agents)
	return nil
}

// cloudAgentLogin binds the agent to BindTel and puts it online: idle, or
// busy with LoginStatus 2.
func cloudAgentLogin(x *exchange) *apiError {
	a, err := x.agent()
	if err != nil {
		return err
	}
	a["Status"], a["BindTel"], a["BindTelType"] = "1", x.p.Get("BindTel"), x.p.Get("BindType")
	a["LoginTime"] = strconv.FormatInt(x.now.Unix(), 10)
	a["LoginStatus"], a["State"], a["StateAction"], a["DeviceStatus"] = "1", "idle", "idle", "0"
	if x.p.Get("LoginStatus") == "2" {
		a["LoginStatus"], a["State"], a["StateAction"] = "2", "busy", "pause"
	}
	return result(x)
}

// cloudAgentLogout puts the agent offline (RemoveBinding 1 also unbinds
// its phone).
func cloudAgentLogout(x *exchange) *apiError {
	a, err := x.agent()
	if err != nil {
		return err
	}
	a["Status"], a["LoginTime"] = "0", ""
	a["LoginStatus"], a["State"], a["StateAction"], a["DeviceStatus"] = "0", "offline", "offline", "-1"
	if x.p.Get("RemoveBinding") == "1" {
		a["BindTel"], a["BindTelType"] = "", ""
	}
	return result(x)
}

// cloudGetAgentStatus answers the status of Cno, or of the first of Cnos.
func cloudGetAgentStatus(x *exchange) *apiError {
	cno := x.p.Get("Cno")
	if cno == "" {
		cno = strings.TrimSpace(strings.Split(x.p.Get("Cnos"), ",")[0])
	}
	a := x.st.cloud.agents[cloudKey(x.p.Get("EnterpriseId"), cno)]
	if a == nil {
		return errNoAgent
	}
	a.writeOver(path(x.body, "Data"))
	return nil
}

// online reports whether the agent is logged in.
func online(a record) bool { return a["Status"] == "1" }

// withDurations returns a copy of a with how long it has been logged in
// and in its device state, in seconds.
func withDurations(a record, now time.Time) record {
	c := record{}
	for k, v := range a {
		c[k] = v
	}
	d := strconv.FormatInt(max(now.Unix()-atoi(a["LoginTime"]), 0), 10)
	c["LoginStatusDuration"], c["DeviceStatusDuration"] = d, d
	return c
}

// cloudListOnlineAgent lists the agents logged in, with how long.
func cloudListOnlineAgent(x *exchange) *apiError {
	var out []record
	for _, a := range x.enterpriseAgents(func(a record) bool { return online(a) && matchCnos(x.p, a["Cno"]) }) {
		out = append(out, withDurations(a, x.now))
	}
	listOf(path(x.body, "Data"), "AgentStatuses", out)
	return nil
}

// cloudListFreeAgent lists the agents logged in and idle.
func cloudListFreeAgent(x *exchange) *apiError {
	free := x.enterpriseAgents(func(a record) bool { return online(a) && a["State"] == "idle" })
	listOf(path(x.body, "Data"), "List", free)
	return nil
}
