package dyvms

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"
)

// This file holds the callcenter group: batch voice tasks (CreateCallTask,
// ExecuteCallTask, ListCallTask, ListCallTaskDetail), call records
// (QueryCallDetailByCallId, QueryCallDetailByTaskId) and the legacy
// call-centre Actions (DescribeRecordData, DoubleCallSeat, ListOrderedNumbers,
// ListOutboundStrategies, StartMicroOutbound).

// CallTaskBizType is the template type of a batch voice task.
type CallTaskBizType string

// Batch voice task template types, as the catalogue documents them.
const (
	// CallTaskBizVoiceTTS ("VMS_VOICE_TTS") is a text-to-speech notification.
	CallTaskBizVoiceTTS CallTaskBizType = "VMS_VOICE_TTS"
	// CallTaskBizVoiceCode ("VMS_VOICE_CODE") is a voice notification that
	// plays an approved voice file.
	CallTaskBizVoiceCode CallTaskBizType = "VMS_VOICE_CODE"
	// CallTaskBizTTS ("VMS_TTS") is a voice verification code.
	CallTaskBizTTS CallTaskBizType = "VMS_TTS"
)

// CallTaskDataType is the format of a batch voice task's called-number data.
type CallTaskDataType string

// Called-number data formats.
const (
	// CallTaskDataList ("LIST") is a bare comma-separated list of numbers.
	CallTaskDataList CallTaskDataType = "LIST"
	// CallTaskDataJSON ("JSON") is a CallTaskData document: numbers with
	// per-number template parameters.
	CallTaskDataJSON CallTaskDataType = "JSON"
	// CallTaskDataFile ("FILE") is an uploaded spreadsheet. It appears in
	// ListCallTask results only; CreateCallTask does not accept it.
	CallTaskDataFile CallTaskDataType = "FILE"
)

// CallTaskResourceType is the type of a batch voice task's calling-number
// resource.
type CallTaskResourceType string

// CallTaskResourceList ("LIST") is the only documented resource type: the
// Resource field lists the calling numbers.
const CallTaskResourceList CallTaskResourceType = "LIST"

// CallTaskStatus is the state of a batch voice task: a filter of
// ListCallTask, a field of CallTask, and the target state of ExecuteCallTask
// (which accepts CallTaskRunning, CallTaskStop and CallTaskCancel).
type CallTaskStatus string

// Batch voice task states.
const (
	// CallTaskInit ("INIT") is a task that was created and not yet started.
	CallTaskInit CallTaskStatus = "INIT"
	// CallTaskRelease ("RELEASE") is a released task.
	CallTaskRelease CallTaskStatus = "RELEASE"
	// CallTaskRunning ("RUNNING") is a running task; ExecuteCallTask with
	// it starts (or resumes) a task.
	CallTaskRunning CallTaskStatus = "RUNNING"
	// CallTaskStop ("STOP") is a task stopped by the user; ExecuteCallTask
	// with it pauses a task.
	CallTaskStop CallTaskStatus = "STOP"
	// CallTaskSystemStop ("SYSTEM_STOP") is a task stopped by the system.
	CallTaskSystemStop CallTaskStatus = "SYSTEM_STOP"
	// CallTaskCancel ("CANCEL") is a task cancelled by the user;
	// ExecuteCallTask with it cancels a task.
	CallTaskCancel CallTaskStatus = "CANCEL"
	// CallTaskSystemCancel ("SYSTEM_CANCEL") is a task cancelled by the
	// system.
	CallTaskSystemCancel CallTaskStatus = "SYSTEM_CANCEL"
	// CallTaskDone ("DONE") is a finished task.
	CallTaskDone CallTaskStatus = "DONE"
	// CallTaskTiming ("TIMING") is a scheduled task. Only the printed API
	// reference lists it as an ExecuteCallTask state; the newer SDK does
	// not, so the service may reject it.
	CallTaskTiming CallTaskStatus = "TIMING"
)

// CallTaskCalleeStatus is the result of one called number of a batch voice
// task (ListCallTaskDetail).
type CallTaskCalleeStatus string

// Per-number results of a batch voice task.
const (
	// CallTaskCalleeSuccess ("SUCCESS"): the call was made.
	CallTaskCalleeSuccess CallTaskCalleeStatus = "SUCCESS"
	// CallTaskCalleeFail ("FAIL"): the call failed.
	CallTaskCalleeFail CallTaskCalleeStatus = "FAIL"
	// CallTaskCalleeInit ("INIT"): the number has not been called yet.
	CallTaskCalleeInit CallTaskCalleeStatus = "INIT"
)

// CallProductID identifies the product that placed a call
// (QueryCallDetailByCallId's ProdId).
type CallProductID int64

// Products whose calls QueryCallDetailByCallId can find.
const (
	// ProductVoiceNotification is a voice-file notification (SingleCallByVoice).
	ProductVoiceNotification CallProductID = 11000000300006
	// ProductVoiceTTS is a voice verification code or TTS notification
	// (SingleCallByTts).
	ProductVoiceTTS CallProductID = 11010000138001
	// ProductIVR is an interactive voice response call (IvrCall).
	ProductIVR CallProductID = 11000000300005
	// ProductClickToDial is, probably, a two-party call (ClickToDial). Only
	// the printed API reference lists it, and its label there is illegible.
	ProductClickToDial CallProductID = 11000000300004
	// ProductSIP is a SIP call.
	ProductSIP CallProductID = 11000000300009
	// ProductSmartOutbound is an intelligent (robot) outbound call.
	ProductSmartOutbound CallProductID = 11030000180001
)

// CallTaskData is the called-number list of CreateCallTask in its JSON form
// (DataType CallTaskDataJSON): the names of the template variables, and for
// each number the values of those variables, in the same order. It is sent
// as {"paramNames":[...],"calleeList":[{"callee":"...","params":[...]}]}.
type CallTaskData struct {
	// ParamNames names the template variables, for example
	// []string{"name", "code"}. Every callee gives one value for each.
	ParamNames []string `json:"paramNames"`
	// CalleeList is the numbers to call, each with its variable values.
	CalleeList []CallTaskCallee `json:"calleeList"`
}

// CallTaskCallee is one called number of a CallTaskData.
type CallTaskCallee struct {
	// Callee is the number to call.
	Callee string `json:"callee"`
	// Params are the values of the template variables, in the order of
	// CallTaskData.ParamNames; as many values as there are names.
	Params []string `json:"params"`
}

// MarshalJSON writes the wire form of d. It rejects a callee without a
// number or whose Params do not match ParamNames one to one; CreateCallTask
// then fails with a *ValidationError for Data and sends nothing. Nil slices
// are written as [] rather than null.
func (d CallTaskData) MarshalJSON() ([]byte, error) {
	type callee struct {
		Callee string   `json:"callee"`
		Params []string `json:"params"`
	}
	type wire struct {
		ParamNames []string `json:"paramNames"`
		CalleeList []callee `json:"calleeList"`
	}
	w := wire{ParamNames: d.ParamNames, CalleeList: make([]callee, len(d.CalleeList))}
	if w.ParamNames == nil {
		w.ParamNames = []string{}
	}
	for i, c := range d.CalleeList {
		if strings.TrimSpace(c.Callee) == "" {
			return nil, fmt.Errorf("calleeList[%d] has no callee number", i)
		}
		if len(c.Params) != len(d.ParamNames) {
			return nil, fmt.Errorf("calleeList[%d] (%s) has %d params for %d paramNames", i, c.Callee, len(c.Params), len(d.ParamNames))
		}
		w.CalleeList[i] = callee(c)
		if w.CalleeList[i].Params == nil {
			w.CalleeList[i].Params = []string{}
		}
	}
	s, err := marshalJSON(w) // no HTML escaping, like every json parameter
	return []byte(s), err
}

// CreateCallTaskRequest is the input of CreateCallTask.
//
// The catalogue marks no field required (its contradiction #12): the newer
// SDK marks none, although a task can hardly be created without TaskName,
// BizType, TemplateCode and the called numbers. The SDK therefore requires
// none and leaves the check to the service.
type CreateCallTaskRequest struct {
	// TaskName is the task's name, for example "Aliyun". Not marked
	// required by the catalogue, but the service most likely needs it.
	TaskName string `dyvms:"TaskName"`
	// BizType is the template type. Not marked required by the catalogue,
	// but the service most likely needs it.
	BizType CallTaskBizType `dyvms:"BizType"`
	// TemplateCode is the ID of the approved template to use, for example
	// "TTS_2122****". Not marked required by the catalogue, but the service
	// most likely needs it.
	TemplateCode string `dyvms:"TemplateCode"`
	// TemplateName is the template's name.
	TemplateName string `dyvms:"TemplateName"`
	// DataType is the format of Data; set CallTaskDataJSON together with
	// Data.
	DataType CallTaskDataType `dyvms:"DataType"`
	// Data is the numbers to call with their template variables, sent as
	// a JSON document (see CallTaskData). For the plain LIST form (DataType
	// CallTaskDataList: comma-separated numbers without variables), leave
	// Data empty and pass the list with
	// WithExtraParams(url.Values{"Data": {"1390000****,1390001****"}}).
	Data CallTaskData `dyvms:"Data,json"`
	// Resource is the calling number(s); only virtual numbers are
	// supported, for example "05516214****".
	Resource string `dyvms:"Resource"`
	// ResourceType is the type of Resource; only CallTaskResourceList.
	ResourceType CallTaskResourceType `dyvms:"ResourceType"`
	// FireTime is reserved ("not available" in the catalogue).
	FireTime string `dyvms:"FireTime"`
	// ScheduleType is reserved ("not available" in the catalogue).
	ScheduleType string `dyvms:"ScheduleType"`
	// StopTime is reserved ("not available" in the catalogue).
	StopTime string `dyvms:"StopTime"`
}

// CreateCallTaskResponse is the output of CreateCallTask (success Code "200").
type CreateCallTaskResponse struct {
	ResponseMeta
	// TaskID is the ID of the new batch task (wire name Data), for
	// ExecuteCallTask and ListCallTaskDetail.
	TaskID int64 `json:"Data"`
}

// CreateCallTask creates a batch voice task — a TTS notification, voice
// notification or voice verification code sent to many numbers — and
// returns its ID. The task does not run until ExecuteCallTask starts it.
// No field is required by the catalogue (see CreateCallTaskRequest).
// QPS: 100 per user, 500 for the API.
//
// It creates a task, so a failure after the request may have reached the
// service is never retried blindly: look for the task with ListCallTask
// (by TaskName) before creating it again.
func (c *Client) CreateCallTask(ctx context.Context, req *CreateCallTaskRequest, opts ...CallOption) (*CreateCallTaskResponse, error) {
	return invokeTyped[CreateCallTaskResponse](ctx, c, "CreateCallTask", req, opts)
}

// ExecuteCallTaskRequest is the input of ExecuteCallTask.
type ExecuteCallTaskRequest struct {
	// TaskID is the ID of the batch task, from CreateCallTask (required).
	TaskID int64 `dyvms:"TaskId,required"`
	// Status is the state to move the task to (required): CallTaskRunning
	// to start it, CallTaskStop to pause it, CallTaskCancel to cancel it.
	Status CallTaskStatus `dyvms:"Status,required"`
	// FireTime is when to run the task; zero means now. It is sent as
	// "yyyy-MM-dd HH:mm:ss" in China Standard Time (UTC+8), whatever the
	// time's location.
	FireTime time.Time `dyvms:"FireTime,datetime"`
}

// ExecuteCallTaskResponse is the output of ExecuteCallTask (success Code "200").
type ExecuteCallTaskResponse struct {
	ResponseMeta
	// Changed reports whether the state change succeeded (wire name Data).
	Changed bool `json:"Data"`
}

// ExecuteCallTask starts, stops or cancels a batch voice task created with
// CreateCallTask. Required: TaskID, Status. QPS: 100 per user, 500 for the
// API.
//
// Starting a task places calls, so a failure after the request may have
// reached the service is never retried blindly: read the task's state with
// ListCallTask first.
func (c *Client) ExecuteCallTask(ctx context.Context, req *ExecuteCallTaskRequest, opts ...CallOption) (*ExecuteCallTaskResponse, error) {
	return invokeTyped[ExecuteCallTaskResponse](ctx, c, "ExecuteCallTask", req, opts)
}

// ListCallTaskRequest is the input of ListCallTask. All fields are optional
// filters.
type ListCallTaskRequest struct {
	// PageNumber is the page to return, from 1 (default 1).
	PageNumber int32 `dyvms:"PageNumber"`
	// PageSize is the number of tasks per page (default 10).
	PageSize int32 `dyvms:"PageSize"`
	// TaskID filters by task ID. The catalogue types it as a string here,
	// unlike the int64 TaskId of the other task Actions: use
	// strconv.FormatInt(id, 10).
	TaskID string `dyvms:"TaskId"`
	// TaskName filters by task name.
	TaskName string `dyvms:"TaskName"`
	// TemplateName filters by template name.
	TemplateName string `dyvms:"TemplateName"`
	// BizType filters by template type.
	BizType CallTaskBizType `dyvms:"BizType"`
	// Status filters by task state.
	Status CallTaskStatus `dyvms:"Status"`
}

// CallTask is one batch voice task of a ListCallTask page.
type CallTask struct {
	// ID is the task ID.
	ID int64 `json:"Id"`
	// TaskName is the task's name.
	TaskName string `json:"TaskName"`
	// BizType is the template type.
	BizType CallTaskBizType `json:"BizType"`
	// Status is the task's state.
	Status CallTaskStatus `json:"Status"`
	// TemplateCode is the template's ID.
	TemplateCode string `json:"TemplateCode"`
	// TemplateName is the template's name.
	TemplateName string `json:"TemplateName"`
	// Resource is the calling number.
	Resource string `json:"Resource"`
	// DataType is the format of the called-number data (LIST, JSON or FILE).
	DataType CallTaskDataType `json:"DataType"`
	// Data refers to the called-number data, for example the name of an
	// uploaded spreadsheet.
	Data string `json:"Data"`
	// TotalCount is the number of called numbers.
	TotalCount int64 `json:"TotalCount"`
	// CompletedCount is the number of calls completed.
	CompletedCount int64 `json:"CompletedCount"`
	// CompletedRate is the task's progress in hundredths of a percent
	// (10000 for a finished task).
	CompletedRate int32 `json:"CompletedRate"`
	// FireTime is when the task started, in Unix milliseconds as a string;
	// see FireTimeAt.
	FireTime string `json:"FireTime"`
	// CompleteTime is when the task finished, in Unix milliseconds as a
	// string; see CompleteTimeAt.
	CompleteTime string `json:"CompleteTime"`
	// StopTime is reserved.
	StopTime string `json:"StopTime"`
}

// FireTimeAt returns FireTime as a time, or the zero time if it is empty
// or not a number of milliseconds.
func (t CallTask) FireTimeAt() time.Time { return epochMillis(t.FireTime) }

// CompleteTimeAt returns CompleteTime as a time, or the zero time if it is
// empty or not a number of milliseconds.
func (t CallTask) CompleteTimeAt() time.Time { return epochMillis(t.CompleteTime) }

// ListCallTaskResponse is the output of ListCallTask (success Code "200").
type ListCallTaskResponse struct {
	ResponseMeta
	// Tasks are the tasks on this page (wire name Data).
	Tasks []CallTask `json:"Data"`
	// PageNumber is the page returned.
	PageNumber int64 `json:"PageNumber"`
	// PageSize is the number of tasks per page.
	PageSize int64 `json:"PageSize"`
	// Total is the number of tasks in the whole listing.
	Total int64 `json:"Total"`
}

// ListCallTask lists batch voice tasks, one page at a time, with optional
// filters. No field is required. QPS: 1000 per user, 500 for the API.
// ListCallTaskAll walks every page.
func (c *Client) ListCallTask(ctx context.Context, req *ListCallTaskRequest, opts ...CallOption) (*ListCallTaskResponse, error) {
	return invokeTyped[ListCallTaskResponse](ctx, c, "ListCallTask", req, opts)
}

// ListCallTaskAll iterates over every task ListCallTask returns for req,
// from req.PageNumber (or 1) to the last page, fetching a page at a time.
// It stops at the listing's Total, at the first error (yielded once), or
// when ctx is done; req itself is never modified.
func (c *Client) ListCallTaskAll(ctx context.Context, req *ListCallTaskRequest, opts ...CallOption) iter.Seq2[CallTask, error] {
	return listAll(ctx, req, func(r *ListCallTaskRequest) *int32 { return &r.PageNumber },
		func(ctx context.Context, r *ListCallTaskRequest) (page[CallTask], error) {
			resp, err := c.ListCallTask(ctx, r, opts...)
			if err != nil {
				return page[CallTask]{}, err
			}
			return page[CallTask]{items: resp.Tasks, total: resp.Total, size: pageSizeOr(resp.PageSize, int64(r.PageSize))}, nil
		})
}

// ListCallTaskDetailRequest is the input of ListCallTaskDetail.
type ListCallTaskDetailRequest struct {
	// TaskID is the ID of the batch task (required).
	TaskID int64 `dyvms:"TaskId,required"`
	// PageNumber is the page to return, from 1 (default 1).
	PageNumber int32 `dyvms:"PageNumber"`
	// PageSize is the number of entries per page (default 10).
	PageSize int32 `dyvms:"PageSize"`
	// CalledNum filters by called number.
	CalledNum string `dyvms:"CalledNum"`
	// Status filters by per-number result.
	Status CallTaskCalleeStatus `dyvms:"Status"`
}

// CallTaskCallResult is the result of one called number of a batch voice
// task (a ListCallTaskDetail entry).
type CallTaskCallResult struct {
	// CalledNum is the called number.
	CalledNum string `json:"CalledNum"`
	// Caller is the calling number.
	Caller string `json:"Caller"`
	// Duration is the call's length in seconds.
	Duration int64 `json:"Duration"`
	// Status is the result.
	Status CallTaskCalleeStatus `json:"Status"`
	// ID is reserved; only the newer SDK documents it.
	ID int64 `json:"Id"`
}

// ListCallTaskDetailResponse is the output of ListCallTaskDetail (success
// Code "OK").
type ListCallTaskDetailResponse struct {
	ResponseMeta
	// Results are the per-number results on this page (wire name Data).
	Results []CallTaskCallResult `json:"Data"`
	// PageNumber is the page returned.
	PageNumber int64 `json:"PageNumber"`
	// PageSize is the number of entries per page.
	PageSize int64 `json:"PageSize"`
	// Total is the number of called numbers in the task.
	Total int64 `json:"Total"`
	// TotalPage is the number of pages.
	TotalPage int64 `json:"TotalPage"`
}

// ListCallTaskDetail lists the per-number results of one batch voice task,
// one page at a time. Required: TaskID. QPS: 1000 per user, 500 for the
// API. ListCallTaskDetailAll walks every page.
func (c *Client) ListCallTaskDetail(ctx context.Context, req *ListCallTaskDetailRequest, opts ...CallOption) (*ListCallTaskDetailResponse, error) {
	return invokeTyped[ListCallTaskDetailResponse](ctx, c, "ListCallTaskDetail", req, opts)
}

// ListCallTaskDetailAll iterates over every per-number result
// ListCallTaskDetail returns for req, from req.PageNumber (or 1) to the
// last page. It stops at the listing's Total, at the first error (yielded
// once), or when ctx is done; req itself is never modified.
func (c *Client) ListCallTaskDetailAll(ctx context.Context, req *ListCallTaskDetailRequest, opts ...CallOption) iter.Seq2[CallTaskCallResult, error] {
	return listAll(ctx, req, func(r *ListCallTaskDetailRequest) *int32 { return &r.PageNumber },
		func(ctx context.Context, r *ListCallTaskDetailRequest) (page[CallTaskCallResult], error) {
			resp, err := c.ListCallTaskDetail(ctx, r, opts...)
			if err != nil {
				return page[CallTaskCallResult]{}, err
			}
			return page[CallTaskCallResult]{items: resp.Results, total: resp.Total, size: pageSizeOr(resp.PageSize, int64(r.PageSize))}, nil
		})
}

// QueryCallDetailByCallIdRequest is the input of QueryCallDetailByCallId.
type QueryCallDetailByCallIdRequest struct {
	// CallID is the call's ID, as returned by the call Action (required),
	// for example "116014888060^10281631****".
	CallID string `dyvms:"CallId,required"`
	// ProdID is the product that placed the call (required).
	ProdID CallProductID `dyvms:"ProdId,required"`
	// QueryDate is the start of the 24-hour window to search (required);
	// the call must have been placed in it. It is sent as Unix milliseconds.
	QueryDate time.Time `dyvms:"QueryDate,ms,required"`
}

// CallDetail is the record of one call (QueryCallDetailByCallId). Its
// date strings are "yyyy-MM-dd HH:mm:ss" in China Standard Time; the
// methods ending in At parse them.
type CallDetail struct {
	// Caller is the calling number.
	Caller string `json:"caller"`
	// CallerShowNumber is the calling number shown.
	CallerShowNumber string `json:"callerShowNumber"`
	// Callee is the called number.
	Callee string `json:"callee"`
	// CalleeShowNumber is the number shown to the called party.
	CalleeShowNumber string `json:"calleeShowNumber"`
	// State is the carrier-reported call state code, for example "200000"
	// or "502".
	State string `json:"state"`
	// StateDesc describes State.
	StateDesc string `json:"stateDesc"`
	// Duration is the call's length in seconds; 0 if not connected.
	Duration int64 `json:"duration"`
	// GmtCreate is when the request was received.
	GmtCreate string `json:"gmtCreate"`
	// StartDate is when the call was answered; empty if it was not.
	StartDate string `json:"startDate"`
	// EndDate is when the call ended.
	EndDate string `json:"endDate"`
	// ARingTime is when leg A started ringing.
	ARingTime string `json:"aRingTime"`
	// AEndTime is when leg A stopped ringing.
	AEndTime string `json:"aEndTime"`
	// BRingTime is when leg B started ringing.
	BRingTime string `json:"bRingTime"`
	// BEndTime is when leg B stopped ringing.
	BEndTime string `json:"bEndTime"`
}

// CreatedAt returns GmtCreate as a time (China Standard Time), or the zero
// time if it is empty or malformed.
func (d CallDetail) CreatedAt() time.Time { return chinaDateTime(d.GmtCreate) }

// StartedAt returns StartDate as a time, or the zero time if the call was
// not answered.
func (d CallDetail) StartedAt() time.Time { return chinaDateTime(d.StartDate) }

// EndedAt returns EndDate as a time, or the zero time if it is empty or
// malformed.
func (d CallDetail) EndedAt() time.Time { return chinaDateTime(d.EndDate) }

// QueryCallDetailByCallIdResponse is the output of QueryCallDetailByCallId.
type QueryCallDetailByCallIdResponse struct {
	ResponseMeta
	// Data is the call record as the service sent it: a JSON object in a
	// string. Detail decodes it.
	Data string `json:"Data"`
}

// Detail decodes Data. When the service found no record of the call
// (Data is empty) it returns ErrNoRecord; data that is not a JSON object
// gives an error, but never failed the call.
func (r *QueryCallDetailByCallIdResponse) Detail() (CallDetail, error) {
	return decodeRecord[CallDetail]("QueryCallDetailByCallId", "Data", r.Data)
}

// QueryCallDetailByCallId returns the record of one call, found by its
// CallId, the product that placed it and the day it was placed. Required:
// CallID, ProdID, QueryDate. QPS: 100 per user, 500 for the API.
func (c *Client) QueryCallDetailByCallId(ctx context.Context, req *QueryCallDetailByCallIdRequest, opts ...CallOption) (*QueryCallDetailByCallIdResponse, error) {
	return invokeTyped[QueryCallDetailByCallIdResponse](ctx, c, "QueryCallDetailByCallId", req, opts)
}

// QueryCallDetailByTaskIdRequest is the input of QueryCallDetailByTaskId.
type QueryCallDetailByTaskIdRequest struct {
	// TaskID is the ID of the robocall task, from BatchRobotSmartCall
	// (required).
	TaskID string `dyvms:"TaskId,required"`
	// Callee is the one called number whose record is wanted (required).
	Callee string `dyvms:"Callee,required"`
	// QueryDate is the task's start time (required), sent as Unix
	// milliseconds. (The newer SDK's example shows a date string, which
	// contradicts its int64 type; milliseconds are sent.)
	QueryDate time.Time `dyvms:"QueryDate,ms,required"`
}

// TaskCallDetail is the record of one number's call within a robocall
// task (QueryCallDetailByTaskId). The catalogue calls its fields
// indicative. Date strings are "yyyy-MM-dd HH:mm:ss" in China Standard
// Time.
type TaskCallDetail struct {
	// CallID is the call's ID.
	CallID string `json:"callId"`
	// Callee is the called number.
	Callee string `json:"callee"`
	// CalleeShowNumber is the number shown to the callee.
	CalleeShowNumber string `json:"calleeShowNumber"`
	// State is the call state code.
	State string `json:"state"`
	// StatusCode is the status code.
	StatusCode string `json:"statusCode"`
	// StateDesc is the hang-up (or early-media) reason.
	StateDesc string `json:"stateDesc"`
	// Duration is the billed duration.
	Duration int64 `json:"duration"`
	// GmtCreate is when the task was created.
	GmtCreate string `json:"gmtCreate"`
	// StartDate is when the call was answered.
	StartDate string `json:"startDate"`
	// EndDate is when the call ended.
	EndDate string `json:"endDate"`
	// HangupDirection says which side hung up. The sources disagree on
	// which value means the robot (catalogue contradiction #10).
	HangupDirection int64 `json:"hangupDirection"`
	// Tags are the call's tags.
	Tags string `json:"tags"`
	// DialogCount is the number of dialogue rounds.
	DialogCount int64 `json:"dialogCount"`
	// SureCount is how many times the callee affirmed.
	SureCount int64 `json:"sureCount"`
	// DenyCount is how many times the callee denied.
	DenyCount int64 `json:"denyCount"`
	// RejectCount is how many times the callee refused.
	RejectCount int64 `json:"rejectCount"`
	// CustomCount is the number of custom-intent hits.
	CustomCount int64 `json:"customCount"`
	// KnowledgeCount is the number of knowledge-base hits.
	KnowledgeCount int64 `json:"knowledgeCount"`
	// KnowledgeCommonCount is the number of common knowledge-base hits.
	KnowledgeCommonCount int64 `json:"knowledgeCommonCount"`
	// KnowledgeBusinessCount is the number of business knowledge-base hits.
	KnowledgeBusinessCount int64 `json:"knowledgeBusinessCount"`
	// DefaultCount is the number of default replies.
	DefaultCount int64 `json:"defaultCount"`
	// RecordFile is the recording's URL, valid for 48 hours.
	RecordFile string `json:"recordFile"`
	// RecordStatus is 1 when a recording is available, 2 when not.
	RecordStatus int64 `json:"recordStatus"`
	// DialogDetail are the dialogue's turns.
	DialogDetail []TaskCallDialogTurn `json:"dialogDetail"`
}

// TaskCallDialogTurn is one turn of a robocall dialogue. The catalogue
// names its fields (role, content, time) without typing them, so all are
// kept as strings.
type TaskCallDialogTurn struct {
	// Role says who spoke (the robot or the callee).
	Role string `json:"role"`
	// Content is what was said.
	Content string `json:"content"`
	// Time is when it was said, as the service writes it.
	Time string `json:"time"`
}

// CreatedAt returns GmtCreate as a time (China Standard Time), or the zero
// time if it is empty or malformed.
func (d TaskCallDetail) CreatedAt() time.Time { return chinaDateTime(d.GmtCreate) }

// StartedAt returns StartDate as a time, or the zero time if the call was
// not answered.
func (d TaskCallDetail) StartedAt() time.Time { return chinaDateTime(d.StartDate) }

// EndedAt returns EndDate as a time, or the zero time if it is empty or
// malformed.
func (d TaskCallDetail) EndedAt() time.Time { return chinaDateTime(d.EndDate) }

// QueryCallDetailByTaskIdResponse is the output of QueryCallDetailByTaskId.
type QueryCallDetailByTaskIdResponse struct {
	ResponseMeta
	// Data is the call record as the service sent it: a JSON object in a
	// string. Detail decodes it.
	Data string `json:"Data"`
}

// Detail decodes Data. When the service found no record (Data is empty)
// it returns ErrNoRecord; data that is not a JSON object gives an error,
// but never failed the call.
func (r *QueryCallDetailByTaskIdResponse) Detail() (TaskCallDetail, error) {
	return decodeRecord[TaskCallDetail]("QueryCallDetailByTaskId", "Data", r.Data)
}

// QueryCallDetailByTaskId returns the record of one called number's call
// within a robocall task started with BatchRobotSmartCall. Required:
// TaskID, Callee, QueryDate. No QPS limit is documented.
func (c *Client) QueryCallDetailByTaskId(ctx context.Context, req *QueryCallDetailByTaskIdRequest, opts ...CallOption) (*QueryCallDetailByTaskIdResponse, error) {
	return invokeTyped[QueryCallDetailByTaskIdResponse](ctx, c, "QueryCallDetailByTaskId", req, opts)
}

// DescribeRecordDataRequest is the input of DescribeRecordData. No source
// says which fields are required (the Action is undocumented), so none is
// checked here and the service decides.
type DescribeRecordDataRequest struct {
	// AccountID is the account the call belongs to.
	AccountID string `dyvms:"AccountId"`
	// AccountType is the type of AccountID (values undocumented).
	AccountType string `dyvms:"AccountType"`
	// Acid is the call ID of the recorded call.
	Acid string `dyvms:"Acid"`
	// ProdCode is the product code.
	ProdCode string `dyvms:"ProdCode"`
	// SecLevel is the security level of the returned link (values
	// undocumented).
	SecLevel int32 `dyvms:"SecLevel"`
}

// DescribeRecordDataResponse is the output of DescribeRecordData.
type DescribeRecordDataResponse struct {
	ResponseMeta
	// Acid is the call ID of the recording.
	Acid string `json:"Acid"`
	// AgentID is the agent associated with the call.
	AgentID string `json:"AgentId"`
	// OssLink is the recording's download URL.
	OssLink string `json:"OssLink"`
}

// DescribeRecordData returns a download link for the recording of a call
// identified by its call ID (Acid). A legacy Action without public
// documentation: no field is known to be required, and no QPS limit or
// success code is documented.
func (c *Client) DescribeRecordData(ctx context.Context, req *DescribeRecordDataRequest, opts ...CallOption) (*DescribeRecordDataResponse, error) {
	return invokeTyped[DescribeRecordDataResponse](ctx, c, "DescribeRecordData", req, opts)
}

// DoubleCallSeatRequest is the input of DoubleCallSeat. No source says
// which fields are required (the Action is undocumented), so none is
// checked here; the service surely needs the four numbers.
type DoubleCallSeatRequest struct {
	// CallerNumber is the agent's (seat's) number, rung first.
	CallerNumber string `dyvms:"CallerNumber,phone"`
	// CallerShowNumber is the number shown to the agent.
	CallerShowNumber string `dyvms:"CallerShowNumber,phone"`
	// CalledNumber is the customer's number, rung second.
	CalledNumber string `dyvms:"CalledNumber,phone"`
	// CalledShowNumber is the number shown to the customer.
	CalledShowNumber string `dyvms:"CalledShowNumber,phone"`
	// CallType is the kind of double call (values undocumented).
	CallType string `dyvms:"CallType"`
	// VoiceCode is a voice file to play, for example while connecting
	// (semantics undocumented).
	VoiceCode string `dyvms:"VoiceCode"`
	// RecordFlag records the call.
	RecordFlag bool `dyvms:"RecordFlag"`
	// RecordPoint is where recording starts (values undocumented).
	RecordPoint int32 `dyvms:"RecordPoint"`
	// AsrFlag turns on real-time speech recognition.
	AsrFlag bool `dyvms:"AsrFlag"`
	// AsrModelID is the ASR model to use.
	AsrModelID string `dyvms:"AsrModelId"`
	// SessionTimeout is the longest the call may last, in seconds.
	SessionTimeout int32 `dyvms:"SessionTimeout"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// DoubleCallSeatResponse is the output of DoubleCallSeat.
type DoubleCallSeatResponse struct {
	ResponseMeta
	// CallID identifies the call, for QueryCallDetailByCallId.
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *DoubleCallSeatResponse) setOutID(id string) { r.OutID = id }

// DoubleCallSeat places an agent (seat) double call: the service rings the
// agent, then connects the customer, with optional recording and speech
// recognition. A legacy Action without public documentation: no field is
// known to be required, and no QPS limit or success code is documented.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) DoubleCallSeat(ctx context.Context, req *DoubleCallSeatRequest, opts ...CallOption) (*DoubleCallSeatResponse, error) {
	return invokeTyped[DoubleCallSeatResponse](ctx, c, "DoubleCallSeat", req, opts)
}

// ListOrderedNumbersRequest is the input of ListOrderedNumbers. No source
// says whether ProdCode is required (the Action is undocumented).
type ListOrderedNumbersRequest struct {
	// ProdCode is the product whose purchased numbers are listed.
	ProdCode string `dyvms:"ProdCode"`
}

// ListOrderedNumbersResponse is the output of ListOrderedNumbers.
type ListOrderedNumbersResponse struct {
	ResponseMeta
	// Numbers are the purchased phone numbers.
	Numbers []string `json:"Numbers"`
}

// ListOrderedNumbers lists the phone numbers the account purchased for a
// product. A legacy Action without public documentation: no field is
// known to be required, and no QPS limit or success code is documented.
func (c *Client) ListOrderedNumbers(ctx context.Context, req *ListOrderedNumbersRequest, opts ...CallOption) (*ListOrderedNumbersResponse, error) {
	return invokeTyped[ListOrderedNumbersResponse](ctx, c, "ListOrderedNumbers", req, opts)
}

// ListOutboundStrategiesRequest is the input of ListOutboundStrategies. No
// source says which fields are required (the Action is undocumented).
type ListOutboundStrategiesRequest struct {
	// BuID is the business unit's ID.
	BuID int64 `dyvms:"BuId"`
	// Keyword filters strategies by name.
	Keyword string `dyvms:"Keyword"`
	// ProdCode is the product code.
	ProdCode string `dyvms:"ProdCode"`
}

// OutboundStrategy is one outbound-call strategy of ListOutboundStrategies.
// The Action is undocumented; the field meanings are the legacy SDK's names.
type OutboundStrategy struct {
	// ID is the strategy's ID.
	ID int64 `json:"Id"`
	// Name is the strategy's name (wire name "name", in lower case).
	Name string `json:"name"`
	// BuID is the business unit's ID.
	BuID int64 `json:"BuId"`
	// DepartmentID is the department's ID.
	DepartmentID int64 `json:"DepartmentId"`
	// CreatorID is the creator's ID.
	CreatorID int64 `json:"CreatorId"`
	// CreatorName is the creator's name.
	CreatorName string `json:"CreatorName"`
	// ModifierID is the last modifier's ID.
	ModifierID int64 `json:"ModifierId"`
	// ModifierName is the last modifier's name.
	ModifierName string `json:"ModifierName"`
	// GmtCreateStr is the creation time, as the service writes it.
	GmtCreateStr string `json:"GmtCreateStr"`
	// GmtModifiedStr is the last modification time, as the service writes it.
	GmtModifiedStr string `json:"GmtModifiedStr"`
	// ExtAttr holds extra attributes.
	ExtAttr string `json:"ExtAttr"`
	// NumType is the type of outbound numbers used.
	NumType int32 `json:"NumType"`
	// OutboundNum is the outbound number(s).
	OutboundNum string `json:"OutboundNum"`
	// Process is the progress.
	Process int32 `json:"Process"`
	// ResourceAllocation is the resource allocation mode.
	ResourceAllocation int32 `json:"ResourceAllocation"`
	// RobotID is the robot's ID.
	RobotID string `json:"RobotId"`
	// RobotName is the robot's name.
	RobotName string `json:"RobotName"`
	// RobotType is the robot's type.
	RobotType int32 `json:"RobotType"`
	// RuleCode is the rule code.
	RuleCode int64 `json:"RuleCode"`
	// SceneName is the scene's name.
	SceneName string `json:"SceneName"`
	// Status is the strategy's state.
	Status int32 `json:"Status"`
	// SuccessRate is the success rate.
	SuccessRate int32 `json:"SuccessRate"`
}

// ListOutboundStrategiesResponse is the output of ListOutboundStrategies.
type ListOutboundStrategiesResponse struct {
	ResponseMeta
	// OutboundStrategies are the strategies found.
	OutboundStrategies []OutboundStrategy `json:"OutboundStrategies"`
}

// ListOutboundStrategies lists the outbound-call strategies (robot, number
// and scene settings) of a business unit. A legacy Action without public
// documentation: no field is known to be required, and no QPS limit or
// success code is documented.
func (c *Client) ListOutboundStrategies(ctx context.Context, req *ListOutboundStrategiesRequest, opts ...CallOption) (*ListOutboundStrategiesResponse, error) {
	return invokeTyped[ListOutboundStrategiesResponse](ctx, c, "ListOutboundStrategies", req, opts)
}

// StartMicroOutboundRequest is the input of StartMicroOutbound. No source
// says which fields are required (the Action is undocumented).
type StartMicroOutboundRequest struct {
	// AccountID is the account identifier.
	AccountID string `dyvms:"AccountId"`
	// AccountType is the type of AccountID.
	AccountType string `dyvms:"AccountType"`
	// AppName is the name of the calling application.
	AppName string `dyvms:"AppName"`
	// CalledNumber is the number to call.
	CalledNumber string `dyvms:"CalledNumber"`
	// CallingNumber is the calling number.
	CallingNumber string `dyvms:"CallingNumber"`
	// CommandCode is the code of the command to execute.
	CommandCode string `dyvms:"CommandCode"`
	// ExtInfo is extra information passed through; its format is
	// undocumented, so it is sent as given.
	ExtInfo string `dyvms:"ExtInfo"`
	// ProdCode is the product code.
	ProdCode string `dyvms:"ProdCode"`
}

// StartMicroOutboundResponse is the output of StartMicroOutbound.
type StartMicroOutboundResponse struct {
	ResponseMeta
	// CustomerInfo is customer information returned by the command (format
	// undocumented).
	CustomerInfo string `json:"CustomerInfo"`
	// InvokeCmdID is the ID of the invoked command.
	InvokeCmdID string `json:"InvokeCmdId"`
	// InvokeCreateTime is when the command was invoked, as the service
	// writes it.
	InvokeCreateTime string `json:"InvokeCreateTime"`
}

// StartMicroOutbound triggers a micro outbound-call command for an account
// (an internal call-centre integration). A legacy Action without public
// documentation: no field is known to be required, and no QPS limit or
// success code is documented.
//
// It may place a call, so a failure after the request may have reached the
// service is never retried blindly.
func (c *Client) StartMicroOutbound(ctx context.Context, req *StartMicroOutboundRequest, opts ...CallOption) (*StartMicroOutboundResponse, error) {
	return invokeTyped[StartMicroOutboundResponse](ctx, c, "StartMicroOutbound", req, opts)
}
