package dyvmstest

import (
	"encoding/json"
	"sort"
	"strconv"
)

// Outbound tasks of the hosted call centre go 0 initial -> 1 running <->
// 2 paused; numbers are imported in batches (CloudImportTaskTel) before or
// while the task runs.
const (
	taskInitial = "0"
	taskRunning = "1"
	taskPaused  = "2"
)

var taskStatusText = map[string]string{taskInitial: "初始", taskRunning: "执行中", taskPaused: "暂停", "3": "完成"}

func (t *cloudTask) setStatus(status string) {
	t.rec["Status"], t.rec["StatusDescription"] = status, taskStatusText[status]
}

// task returns the task the request names (EnterpriseId, TaskId).
func (x *exchange) task() (*cloudTask, *apiError) {
	t := x.st.cloud.tasks[cloudKey(x.p.Get("EnterpriseId"), x.p.Get("TaskId"))]
	if t == nil {
		return nil, errNoCloudTask
	}
	return t, nil
}

// cloudCreateTask keeps a new task, status 0 (initial).
func cloudCreateTask(x *exchange) *apiError {
	t := &cloudTask{rec: record{"CreateTime": local(x.now), "StartTime": "", "OverTime": "", "PauseTime": "",
		"AutoStart": "0", "AutoStop": "0"}}
	t.rec.setParams(x.action, x.p)
	t.rec["Id"] = x.st.cloud.next()
	t.setStatus(taskInitial)
	x.st.cloud.tasks[cloudKey(x.p.Get("EnterpriseId"), t.rec["Id"])] = t
	t.rec.writeOver(path(x.body, "Data"))
	return nil
}

// cloudUpdateTask changes the properties the request carries.
func cloudUpdateTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	id := t.rec["Id"]
	t.rec.setParams(x.action, x.p)
	t.rec["Id"] = id
	t.rec.writeOver(path(x.body, "Data"))
	return nil
}

// cloudGetTask answers the task as Data.TaskProperty.
func cloudGetTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	t.rec.writeOver(path(x.body, "Data", "TaskProperty"))
	return nil
}

// cloudQueryTask lists the enterprise's tasks of Type, filtered by Name,
// Status, AutoStart and AutoStop, newest first, a page of Start and Limit.
func cloudQueryTask(x *exchange) *apiError {
	var recs []record
	for _, t := range x.st.cloud.tasks {
		if t.rec["EnterpriseId"] == x.p.Get("EnterpriseId") &&
			matchRecord(x.p, t.rec, "Type", "Name", "Status", "AutoStart", "AutoStop") {
			recs = append(recs, t.rec)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return atoi(recs[i]["Id"]) > atoi(recs[j]["Id"]) })
	listOf(path(x.body, "Data"), "TaskProperties", window(x.p, recs, 10))
	return nil
}

// cloudImportTaskTel adds a batch of numbers (TaskTelList) to a task; an
// entry without a Tel of digits is counted invalid. ImportTelAutoStart 1
// starts the task.
func cloudImportTaskTel(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	var tels []map[string]any
	if json.Unmarshal([]byte(x.p.Get("TaskTelList")), &tels) != nil {
		return invalidParam("TaskTelList")
	}
	valid := int64(0)
	for _, tel := range tels {
		if s, ok := tel["Tel"].(string); ok && s != "" && digitsOnly(s) {
			valid++
		}
	}
	t.tels += valid
	file := record{"Id": x.st.cloud.next(), "Name": x.p.Get("Name"), "TaskId": t.rec["Id"],
		"EnterpriseId": t.rec["EnterpriseId"], "CreateTime": local(x.now), "Status": "1",
		"ImportCount": strconv.FormatInt(valid, 10), "Priority": orDefault(x.p.Get("Priority"), "0"),
		"RepeatCount": "0", "RestrictCount": "0"}
	t.files = append(t.files, file)
	if x.p.Get("ImportTelAutoStart") == "1" && t.rec["Status"] != taskRunning {
		t.start(x)
	}
	record{"FileId": file["Id"], "TaskId": t.rec["Id"], "ImportTotal": strconv.Itoa(len(tels)),
		"SuccessTotal": strconv.FormatInt(valid, 10), "InvalidTotal": strconv.FormatInt(int64(len(tels))-valid, 10),
	}.writeOver(path(x.body, "Data"))
	return nil
}

// digitsOnly reports whether s is a phone number: digits, maybe with
// an extension after "-".
func digitsOnly(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// cloudListTaskFile lists the task's imported batches.
func cloudListTaskFile(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	var files []record
	for _, f := range t.files {
		if matchRecord(x.p, f, "Status") {
			files = append(files, f)
		}
	}
	data := path(x.body, "Data")
	data["TotalCount"] = strconv.Itoa(len(files))
	listOf(data, "TaskFileList", window(x.p, files, 10))
	return nil
}

func (t *cloudTask) start(x *exchange) {
	t.setStatus(taskRunning)
	if t.rec["StartTime"] == "" {
		t.rec["StartTime"] = local(x.now)
	}
}

// cloudStartTask runs an initial or paused task.
func cloudStartTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	if t.rec["Status"] != taskInitial && t.rec["Status"] != taskPaused {
		return errTaskState
	}
	t.start(x)
	return result(x)
}

// cloudPauseTask pauses a running task.
func cloudPauseTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	if t.rec["Status"] != taskRunning {
		return errTaskState
	}
	t.setStatus(taskPaused)
	t.rec["PauseTime"] = local(x.now)
	return result(x)
}

// cloudDeleteTask forgets a task that is not running.
func cloudDeleteTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	if t.rec["Status"] == taskRunning {
		return errTaskState
	}
	delete(x.st.cloud.tasks, cloudKey(x.p.Get("EnterpriseId"), x.p.Get("TaskId")))
	return result(x)
}

// cloudMonitorTask answers a task's progress: a running task has called
// every number imported.
func cloudMonitorTask(x *exchange) *apiError {
	t, err := x.task()
	if err != nil {
		return err
	}
	called := int64(0)
	if t.rec["Status"] != taskInitial {
		called = t.tels
	}
	on := x.enterpriseAgents(online)
	counts := record{"CalledCount": strconv.FormatInt(called, 10), "UncalledCount": strconv.FormatInt(t.tels-called, 10),
		"AgentCount": strconv.Itoa(len(on)), "OnlineCount": strconv.Itoa(len(on)),
		"TotalCount": strconv.Itoa(len(x.enterpriseAgents(func(record) bool { return true })))}
	data := path(x.body, "Data")
	for _, k := range []string{"Statistic", "TodayStatistic", "AgentInfo"} {
		m := path(data, k)
		counts.writeOver(m)
		t.rec.writeOver(path(m, "CtiLinkTaskProperty"))
	}
	return nil
}
