package dyvmstest

import "strconv"

// robotHandlers are the robocall Actions with state: the smart call and the
// robot tasks.
var robotHandlers = map[string]handler{
	"SmartCall":                 dial,
	"CreateRobotTask":           createRobotTask,
	"UploadRobotTaskCalledFile": uploadRobotTaskCalled,
	"StartRobotTask":            transitionRobotTask,
	"StopRobotTask":             transitionRobotTask,
	"CancelRobotTask":           transitionRobotTask,
	"DeleteRobotTask":           transitionRobotTask,
	"QueryRobotTaskList":        queryRobotTaskList,
	"QueryRobotTaskDetail":      queryRobotTaskDetail,
}

// createRobotTask keeps a robot task (INIT).
func createRobotTask(x *exchange) *apiError {
	p, st := x.p, x.st
	st.robotSeq++
	t := &robotTask{
		id: st.robotSeq, name: p.Get("TaskName"), caller: p.Get("Caller"), corpName: p.Get("CorpName"),
		dialogID: atoi(p.Get("DialogId")), numberStatusIdent: p.Get("NumberStatusIdent") == "true",
		retryType: atoi(p.Get("RetryType")), recallTimes: atoi(p.Get("RecallTimes")),
		recallIntvl: atoi(p.Get("RecallInterval")), recallStates: p.Get("RecallStateCodes"),
		status: "INIT", scheduleType: "SINGLE", created: x.now,
	}
	st.robots[t.id] = t
	x.body["Data"] = strconv.FormatInt(t.id, 10)
	return nil
}

// uploadRobotTaskCalled adds numbers to a robot task.
func uploadRobotTaskCalled(x *exchange) *apiError {
	t := x.st.robots[atoi(x.p.Get("Id"))]
	if t == nil {
		return errNoTask
	}
	t.called = append(t.called, splitList(x.p.Get("CalledNumber"))...)
	x.body["Data"] = strconv.FormatInt(t.id, 10)
	return nil
}

// transitionRobotTask starts, stops, cancels or deletes a robot task.
func transitionRobotTask(x *exchange) *apiError {
	id := atoi(x.p.Get("TaskId"))
	t := x.st.robots[id]
	if t == nil {
		return errNoTask
	}
	t.advance(x.now)
	ok := t.transition(x.action.Name, x.p.Get("ScheduleTime"), x.now)
	if ok && x.action.Name == "DeleteRobotTask" {
		delete(x.st.robots, id)
	}
	setBool(x.body, "Data", ok)
	return nil
}

// queryRobotTaskList lists the robot tasks, newest first, filtered and
// paged, as JSON in Data.
func queryRobotTaskList(x *exchange) *apiError {
	p := x.p
	var items []any
	for _, t := range x.st.sortedRobots() {
		t.advance(x.now)
		if !match(p, "TaskName", t.name) || !match(p, "Status", t.status) ||
			!match(p, "Time", t.created.In(cst).Format("2006-01-02")) {
			continue
		}
		items = append(items, map[string]any{
			"id": t.id, "taskName": t.name, "robotId": t.dialogID, "robotName": robotName(t.dialogID),
			"status": t.status, "scheduleType": t.scheduleType, "createTime": dotted(t.created),
			"fireTime": dotted(t.fired), "completeTime": dotted(t.completed),
			"totalCount": len(t.called), "finishCount": t.finished(),
		})
	}
	page, size, total := paginate(p, "PageNo", "PageSize", 10, &items)
	if items == nil {
		items = []any{}
	}
	b := x.body
	b["Data"] = string(marshalJSON(items))
	b["PageNo"], b["PageSize"], b["TotalCount"] =
		strconv.FormatInt(page, 10), strconv.FormatInt(size, 10), strconv.FormatInt(total, 10)
	return nil
}

// queryRobotTaskDetail answers a robot task as JSON in Data.
func queryRobotTaskDetail(x *exchange) *apiError {
	t := x.st.robots[atoi(x.p.Get("Id"))]
	if t == nil {
		return errNoTask
	}
	t.advance(x.now)
	x.body["Data"] = string(marshalJSON(t.detail()))
	return nil
}
