package dyvmstest

import (
	"encoding/json"
	"strconv"
)

// callCenterHandlers are the call-centre Actions with state: the seat call,
// the call detail of any call placed, and the batch call tasks.
var callCenterHandlers = map[string]handler{
	"DoubleCallSeat":          dial,
	"QueryCallDetailByCallId": queryCallDetail,
	"CreateCallTask":          createCallTask,
	"ListCallTask":            listCallTask,
	"ExecuteCallTask":         executeCallTask,
	"ListCallTaskDetail":      listCallTaskDetail,
}

var errNoTask = businessErr("isv.INVALID_PARAMETERS", "The specified task does not exist.")

// createCallTask keeps a call task (INIT) with its callees from Data.
func createCallTask(x *exchange) *apiError {
	p, st := x.p, x.st
	st.taskSeq++
	t := &callTask{
		id: st.taskSeq, name: p.Get("TaskName"), bizType: p.Get("BizType"),
		templateCode: p.Get("TemplateCode"), templateName: p.Get("TemplateName"),
		resource: p.Get("Resource"), data: p.Get("Data"), kind: p.Get("DataType"),
		status: "INIT", created: x.now, callees: parseCallees(p.Get("Data")),
	}
	t.done = make([]bool, len(t.callees))
	st.callTasks[t.id] = t
	x.body["Data"] = json.Number(strconv.FormatInt(t.id, 10))
	return nil
}

// listCallTask lists the call tasks, newest first, filtered and paged.
func listCallTask(x *exchange) *apiError {
	p := x.p
	var items []any
	for _, t := range x.st.sortedCallTasks() {
		t.advance(x.now)
		if !match(p, "TaskId", strconv.FormatInt(t.id, 10)) || !match(p, "TaskName", t.name) ||
			!match(p, "Status", t.status) || !match(p, "BizType", t.bizType) ||
			!match(p, "TemplateName", t.templateName) {
			continue
		}
		items = append(items, t.item())
	}
	page, size, total := paginate(p, "PageNumber", "PageSize", 10, &items)
	b := x.body
	b["Data"], b["PageNumber"], b["PageSize"], b["Total"] = items, num(page), num(size), num(total)
	return nil
}

// executeCallTask starts, stops or cancels a call task (Data says
// whether its state changed).
func executeCallTask(x *exchange) *apiError {
	t := x.st.callTasks[atoi(x.p.Get("TaskId"))]
	if t == nil {
		return errNoTask
	}
	t.advance(x.now)
	x.body["Data"] = t.execute(x.p.Get("Status"), x.now)
	return nil
}

// listCallTaskDetail lists a call task's callees with their results.
func listCallTaskDetail(x *exchange) *apiError {
	p := x.p
	t := x.st.callTasks[atoi(p.Get("TaskId"))]
	if t == nil {
		return errNoTask
	}
	t.advance(x.now)
	var items []any
	for i, callee := range t.callees {
		status, dur := "INIT", int64(0)
		if t.done[i] {
			status, dur = "SUCCESS", 7
		}
		if !match(p, "CalledNum", callee) || !match(p, "Status", status) {
			continue
		}
		items = append(items, map[string]any{"Id": num(int64(i + 1)), "CalledNum": callee,
			"Caller": t.resource, "Duration": num(dur), "Status": status})
	}
	page, size, total := paginate(p, "PageNumber", "PageSize", 10, &items)
	pages := int64(0)
	if total > 0 {
		pages = (total-1)/size + 1
	}
	b := x.body
	b["Data"], b["PageNumber"], b["PageSize"], b["Total"], b["TotalPage"] =
		items, num(page), num(size), num(total), num(pages)
	return nil
}
