package dyvms

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// This file holds the robot group: intelligent (robot) outbound calls
// driven by your own dialogue service (SmartCall, SmartCallOperate), batch
// robocalls (BatchRobotSmartCall), robocall tasks and their life cycle
// (CreateRobotTask, UploadRobotTaskCalledFile, Start/Stop/Cancel/
// CancelOrder/DeleteRobotTask), their reports (QueryRobotTask*,
// ListRobotTaskCalls) and the robots (communication scripts) of the account.
//
// Task operations answer with a Data string "true" or "false"; the service
// sometimes sends a bare JSON boolean instead, which the tolerant decoder
// turns into the same string.

// RobotTaskStatus is the state of a robocall task.
type RobotTaskStatus string

// Robocall task states.
const (
	RobotTaskInit         RobotTaskStatus = "INIT"          // not started
	RobotTaskReady        RobotTaskStatus = "READY"         // ready to start
	RobotTaskDispatch     RobotTaskStatus = "DISPATCH"      // numbers being parsed
	RobotTaskExecuting    RobotTaskStatus = "EXCUTING"      // running; the misspelling is the wire value
	RobotTaskManualStop   RobotTaskStatus = "MANUAL_STOP"   // paused by the user
	RobotTaskSystemStop   RobotTaskStatus = "SYSTEM_STOP"   // paused by the system
	RobotTaskArrearsStop  RobotTaskStatus = "ARREARS_STOP"  // paused for an overdue payment
	RobotTaskCancel       RobotTaskStatus = "CANCEL"        // cancelled by the user
	RobotTaskSystemCancel RobotTaskStatus = "SYSTEM_CANCEL" // cancelled by the system
	RobotTaskFinish       RobotTaskStatus = "FINISH"        // finished
)

// RobotScheduleType says how a robocall task starts.
type RobotScheduleType string

// Robocall task schedule types.
const (
	RobotScheduleSingle RobotScheduleType = "SINGLE" // started on creation
	RobotScheduleOrder  RobotScheduleType = "ORDER"  // started at a scheduled time
)

// RobotCallResult is a call state code of a robocall: the filter of
// QueryRobotTaskCallList and ListRobotTaskCalls, and (joined with commas)
// the redial triggers of CreateRobotTask's RecallStateCodes.
type RobotCallResult string

// Robocall call state codes.
const (
	RobotCallBusy         RobotCallResult = "200002" // busy
	RobotCallNoAnswer     RobotCallResult = "200003" // no answer (a redial trigger only)
	RobotCallUnreachable  RobotCallResult = "200005" // cannot be connected
	RobotCallPoweredOff   RobotCallResult = "200010" // powered off
	RobotCallOutOfService RobotCallResult = "200011" // number out of service
	RobotCallLost         RobotCallResult = "200012" // call lost
)

// RobotHangupDirection says which side hung up, as a filter of
// QueryRobotTaskCallList and ListRobotTaskCalls.
//
// The sources disagree on the codes: the request filter is documented as
// 0 = called party, 1 = robot, while the newer SDK's descriptions of the
// hangupDirection field in the responses give the opposite mapping for
// QueryRobotTaskCallList. The constants follow the request documentation;
// check against your own data before relying on the meaning.
type RobotHangupDirection string

// Hang-up sides, as documented for the request filter.
const (
	RobotHangupCalled RobotHangupDirection = "0" // the called party hung up
	RobotHangupRobot  RobotHangupDirection = "1" // the robot hung up
)

// RobotAuditStatus is the review state of a robot (communication script).
type RobotAuditStatus string

// Robot review states.
const (
	RobotAuditConfigurable RobotAuditStatus = "CONFIGURABLE" // being configured
	RobotAuditAuditing     RobotAuditStatus = "AUDITING"     // under review
	RobotAuditPass         RobotAuditStatus = "AUDITPASS"    // approved
	RobotAuditFail         RobotAuditStatus = "AUDITFAIL"    // rejected
)

// RobotRetryType switches CreateRobotTask's automatic redial on or off.
type RobotRetryType int32

// Automatic redial switch values.
const (
	RobotRetryOff RobotRetryType = 0
	RobotRetryOn  RobotRetryType = 1
)

// AsrBaseModel is the base speech-recognition model of a SmartCall.
type AsrBaseModel string

// ASR base models.
const (
	AsrBaseCustomerService8k        AsrBaseModel = "customer_service_8k"         // Mandarin (the default)
	AsrBaseDialectCustomerService8k AsrBaseModel = "dialect_customer_service_8k" // strong regional accents
)

// SmartCallCommand is a command of SmartCallOperate.
type SmartCallCommand string

// SmartCallOperate commands.
const (
	// SmartCallParallelBridge bridges the called party to a call-centre
	// agent; it is the only command supported.
	SmartCallParallelBridge SmartCallCommand = "parallelBridge"
)

// RobotTtsAllNumbers is the RobotTtsParam Number that applies the values to
// every called number (UploadRobotTaskCalledFile); values given for a
// specific number take precedence.
const RobotTtsAllNumbers = "all"

// RobotTtsParam gives the variable values for one called number of a batch
// robocall or robocall task. The values are matched by position to the
// variable names of the request's TtsParamHead.
type RobotTtsParam struct {
	// Number is the called number, or RobotTtsAllNumbers.
	Number string `json:"number"`
	// Params are the variable values, in the order of TtsParamHead.
	Params []string `json:"params"`
}

// --- SmartCall -------------------------------------------------------------

// SmartCallRequest is the input of SmartCall.
type SmartCallRequest struct {
	// CalledNumber is the number to call (required); mainland China only.
	CalledNumber string `dyvms:"CalledNumber,required,phone"`
	// CalledShowNumber is the caller ID (required): a number purchased by
	// the account.
	CalledShowNumber string `dyvms:"CalledShowNumber,required,phone"`
	// VoiceCode is what is played first (required): a comma-separated list
	// of recording file URLs, uploaded voice IDs and TTS variables written
	// as $name$, for example "2d4c-4e78-8d2a-afbb06cf****.wav,$name$".
	VoiceCode string `dyvms:"VoiceCode,required"`
	// VoiceCodeParam gives the values of the $variables$ of VoiceCode, sent
	// as a JSON object with its keys sorted.
	VoiceCodeParam map[string]string `dyvms:"VoiceCodeParam,json,maxbytes=4096"`
	// EarlyMediaAsr runs speech recognition on early media, to record why a
	// call was not answered (default false).
	EarlyMediaAsr bool `dyvms:"EarlyMediaAsr"`
	// RecordFlag records the conversation.
	RecordFlag bool `dyvms:"RecordFlag"`
	// SessionTimeout is the longest the call may last, in seconds (at most
	// 3600).
	SessionTimeout int32 `dyvms:"SessionTimeout,max=3600"`
	// DynamicID is your own extension ID, passed back to your callback URL.
	DynamicID string `dyvms:"DynamicId"`
	// AsrBaseID is the base ASR model (default AsrBaseCustomerService8k).
	AsrBaseID AsrBaseModel `dyvms:"AsrBaseId"`
	// AsrModelID is the ID of a custom ASR model; it must not conflict with
	// AsrBaseID when both are given.
	AsrModelID string `dyvms:"AsrModelId"`
	// StreamAsr turns streaming ASR (judging intent from the first words)
	// on (1) or off (0).
	StreamAsr int32 `dyvms:"StreamAsr,min=0,max=1"`
	// EnableITN converts spoken Chinese numerals to digits in the
	// recognition output. Nil leaves the service's default (false);
	// Ptr(false) sends false explicitly.
	EnableITN *bool `dyvms:"EnableITN"`
	// MuteTime is the silence, in milliseconds, after which the user's turn
	// is over: 1000 to 20000 (the service uses 10000 otherwise).
	MuteTime int32 `dyvms:"MuteTime,min=1000,max=20000"`
	// PauseTime is the pause, in milliseconds, that ends a sentence: 300 to
	// 1200 (the service uses 800 otherwise).
	PauseTime int32 `dyvms:"PauseTime,min=300,max=1200"`
	// NoiseThreshold is the noise threshold of speech detection. It exists
	// only in the newest SDK and is undocumented.
	NoiseThreshold float64 `dyvms:"NoiseThreshold"`
	// ActionCodeBreak lets the user interrupt the recording being played
	// (the service's default is true, so Ptr(false) turns it off).
	ActionCodeBreak *bool `dyvms:"ActionCodeBreak"`
	// ActionCodeTimeBreak is how many milliseconds of continuous user
	// speech interrupt playback; it needs ActionCodeBreak.
	ActionCodeTimeBreak int32 `dyvms:"ActionCodeTimeBreak"`
	// Volume is the volume of the recording played, -4 to 4 (1 is
	// recommended). Use Ptr(0) to send 0.
	Volume *int32 `dyvms:"Volume,min=-4,max=4"`
	// Speed is reserved by the service.
	Speed int32 `dyvms:"Speed"`
	// TtsConf makes TtsStyle, TtsVolume and TtsSpeed apply.
	TtsConf bool `dyvms:"TtsConf"`
	// TtsStyle is the voice used for TTS variables (default "xiaoyun").
	TtsStyle string `dyvms:"TtsStyle"`
	// TtsVolume is the volume of TTS variables, 0 to 100 (default 0).
	TtsVolume int32 `dyvms:"TtsVolume,min=0,max=100"`
	// TtsSpeed is the speed of TTS variables, -200 to 200 (default 0).
	TtsSpeed int32 `dyvms:"TtsSpeed,min=-200,max=200"`
	// BackgroundFileCode is the voice ID of a background sound played
	// during the conversation.
	BackgroundFileCode string `dyvms:"BackgroundFileCode"`
	// BackgroundSpeed is reserved by the service.
	BackgroundSpeed int32 `dyvms:"BackgroundSpeed"`
	// BackgroundVolume is reserved by the service.
	BackgroundVolume int32 `dyvms:"BackgroundVolume"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// SmartCallResponse is the output of SmartCall.
type SmartCallResponse struct {
	ResponseMeta
	// CallID identifies the call in receipts, in SmartCallOperate and in
	// QueryCallDetailByCallId, for example "116012354148^10281378****".
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *SmartCallResponse) setOutID(id string) { r.OutID = id }

// SmartCall places an intelligent (robot) outbound call whose dialogue is
// driven by your HTTP callback service and the ASR/TTS settings of the
// request. Required: CalledNumber, CalledShowNumber, VoiceCode. QPS: 1000
// per user (the API reference's figure may also read 100), 2000 for the API.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) SmartCall(ctx context.Context, req *SmartCallRequest, opts ...CallOption) (*SmartCallResponse, error) {
	return invokeTyped[SmartCallResponse](ctx, c, "SmartCall", req, opts)
}

// SmartCallOperateRequest is the input of SmartCallOperate.
type SmartCallOperateRequest struct {
	// CallID is the call to act on, as returned by SmartCall (required).
	CallID string `dyvms:"CallId,required"`
	// Command is the command to apply (required); only
	// SmartCallParallelBridge is supported.
	Command SmartCallCommand `dyvms:"Command,required"`
	// Param is an extension field of the command.
	Param string `dyvms:"Param"`
}

// SmartCallOperateResponse is the output of SmartCallOperate.
type SmartCallOperateResponse struct {
	ResponseMeta
	// Status reports whether the command was accepted.
	Status bool `json:"Status"`
}

// SmartCallOperate sends a control command to a SmartCall call in
// progress; today only a bridge to a call-centre agent. Required: CallID,
// Command. No QPS limit is documented.
func (c *Client) SmartCallOperate(ctx context.Context, req *SmartCallOperateRequest, opts ...CallOption) (*SmartCallOperateResponse, error) {
	return invokeTyped[SmartCallOperateResponse](ctx, c, "SmartCallOperate", req, opts)
}

// --- BatchRobotSmartCall ---------------------------------------------------

// BatchRobotSmartCallRequest is the input of BatchRobotSmartCall.
type BatchRobotSmartCallRequest struct {
	// TaskName is the task's name, up to 30 characters (required).
	TaskName string `dyvms:"TaskName,required"`
	// DialogID is the ID of the robot (communication script) to use
	// (required).
	DialogID string `dyvms:"DialogId,required"`
	// CalledNumber is the comma-separated list of numbers to call, mainland
	// China mobiles only, up to 1,000 (required).
	CalledNumber string `dyvms:"CalledNumber,required,phones=1000"`
	// CalledShowNumber is the comma-separated list of caller IDs purchased
	// by the account, up to 100 (required).
	CalledShowNumber string `dyvms:"CalledShowNumber,required,phones=100"`
	// CorpName is the company name registered in qualification management.
	// It is required unless IsSelfLine is true.
	CorpName string `dyvms:"CorpName"`
	// IsSelfLine calls through your own line (default false).
	IsSelfLine bool `dyvms:"IsSelfLine"`
	// EarlyMediaAsr recognises early media to learn why calls were not
	// answered (default false).
	EarlyMediaAsr bool `dyvms:"EarlyMediaAsr"`
	// ScheduleCall schedules the task for ScheduleTime instead of starting
	// it now.
	ScheduleCall bool `dyvms:"ScheduleCall"`
	// ScheduleTime is when a scheduled task starts, sent as Unix
	// milliseconds (an instant, so its time zone does not matter). It is
	// required when ScheduleCall is true and ignored otherwise.
	ScheduleTime time.Time `dyvms:"ScheduleTime,ms"`
	// TtsParamHead names the script's variables, sent as a JSON array, for
	// example ["name1","name2"]; it goes with TtsParam.
	TtsParamHead []string `dyvms:"TtsParamHead,json"`
	// TtsParam gives each number's variable values, sent as a JSON array of
	// {"number":..., "params":[...]} objects; it goes with TtsParamHead.
	TtsParam []RobotTtsParam `dyvms:"TtsParam,json"`
}

// BatchRobotSmartCallResponse is the output of BatchRobotSmartCall.
type BatchRobotSmartCallResponse struct {
	ResponseMeta
	// TaskID identifies the batch task, for QueryCallDetailByTaskId.
	TaskID string `json:"TaskId"`
}

// BatchRobotSmartCall creates a batch robocall task that calls up to 1,000
// numbers with a robot (communication script), now or at ScheduleTime.
// Required: TaskName, DialogID, CalledNumber, CalledShowNumber. No QPS limit
// is documented.
//
// It places calls, so a failure after the request may have reached the
// service is never retried blindly: reconcile through the task's records
// (QueryCallDetailByTaskId) before sending it again.
func (c *Client) BatchRobotSmartCall(ctx context.Context, req *BatchRobotSmartCallRequest, opts ...CallOption) (*BatchRobotSmartCallResponse, error) {
	return invokeTyped[BatchRobotSmartCallResponse](ctx, c, "BatchRobotSmartCall", req, opts)
}

// --- Robocall tasks --------------------------------------------------------

// CreateRobotTaskRequest is the input of CreateRobotTask.
type CreateRobotTaskRequest struct {
	// TaskName is the task's name, up to 30 characters (required).
	TaskName string `dyvms:"TaskName,required"`
	// DialogID is the ID of the robot (communication script) (required).
	DialogID int64 `dyvms:"DialogId,required"`
	// Caller is the comma-separated list of calling numbers purchased by
	// the account (required).
	Caller string `dyvms:"Caller,required"`
	// NumberStatusIdent identifies number status so that the reason for an
	// unanswered call is recorded (required: Ptr(true) or Ptr(false)).
	NumberStatusIdent *bool `dyvms:"NumberStatusIdent,required"`
	// RetryType switches automatic redial on or off (required:
	// Ptr(RobotRetryOn) or Ptr(RobotRetryOff)).
	RetryType *RobotRetryType `dyvms:"RetryType,required,min=0,max=1"`
	// RecallStateCodes is the comma-separated list of call states that
	// trigger a redial: RobotCallResult codes such as "200010,200011".
	RecallStateCodes string `dyvms:"RecallStateCodes"`
	// RecallTimes is the number of redial attempts.
	RecallTimes int32 `dyvms:"RecallTimes"`
	// RecallInterval is the time between redials in minutes, 1 to 30.
	RecallInterval int32 `dyvms:"RecallInterval,min=1,max=30"`
	// CorpName is the company name registered in qualification management.
	CorpName string `dyvms:"CorpName"`
	// IsSelfLine calls through your own line; the calling numbers are then
	// not checked. Nil leaves the service's default (false); Ptr(false)
	// sends false explicitly.
	IsSelfLine *bool `dyvms:"IsSelfLine"`
}

// CreateRobotTaskResponse is the output of CreateRobotTask.
type CreateRobotTaskResponse struct {
	ResponseMeta
	// Data is the ID of the new task, a numeric string; see TaskID.
	Data string `json:"Data"`
}

// TaskID returns the ID of the new task (Data) as a number, the form the
// other robocall-task Actions take.
func (r *CreateRobotTaskResponse) TaskID() (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.Data), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dyvms: CreateRobotTask: Data %q is not a task ID", r.Data)
	}
	return id, nil
}

// CreateRobotTask creates a robocall task: its robot, calling numbers and
// redial policy. Add the numbers to call with UploadRobotTaskCalledFile,
// then start it with StartRobotTask. Required: TaskName, DialogID, Caller,
// NumberStatusIdent, RetryType. No QPS limit is documented.
func (c *Client) CreateRobotTask(ctx context.Context, req *CreateRobotTaskRequest, opts ...CallOption) (*CreateRobotTaskResponse, error) {
	return invokeTyped[CreateRobotTaskResponse](ctx, c, "CreateRobotTask", req, opts)
}

// UploadRobotTaskCalledFileRequest is the input of UploadRobotTaskCalledFile.
type UploadRobotTaskCalledFileRequest struct {
	// ID is the robocall task, as returned by CreateRobotTask (required).
	ID int64 `dyvms:"Id,required"`
	// CalledNumber is the comma-separated list of numbers to call
	// (required); a task takes up to 300,000 numbers, uploaded in batches.
	CalledNumber string `dyvms:"CalledNumber,required,phones"`
	// TtsParamHead names the script's variables, sent as a JSON array; it
	// goes with TtsParam.
	TtsParamHead []string `dyvms:"TtsParamHead,json"`
	// TtsParam gives each number's variable values, sent as a JSON array;
	// a Number of RobotTtsAllNumbers applies to every number.
	TtsParam []RobotTtsParam `dyvms:"TtsParam,json"`
}

// UploadRobotTaskCalledFileResponse is the output of
// UploadRobotTaskCalledFile.
type UploadRobotTaskCalledFileResponse struct {
	ResponseMeta
	// Data is the ID of the task the numbers were added to.
	Data string `json:"Data"`
}

// UploadRobotTaskCalledFile adds numbers to call (and their variable
// values) to a robocall task. Required: ID, CalledNumber. No QPS limit is
// documented.
func (c *Client) UploadRobotTaskCalledFile(ctx context.Context, req *UploadRobotTaskCalledFileRequest, opts ...CallOption) (*UploadRobotTaskCalledFileResponse, error) {
	return invokeTyped[UploadRobotTaskCalledFileResponse](ctx, c, "UploadRobotTaskCalledFile", req, opts)
}

// StartRobotTaskRequest is the input of StartRobotTask.
type StartRobotTaskRequest struct {
	// TaskID is the robocall task, as returned by CreateRobotTask
	// (required).
	TaskID int64 `dyvms:"TaskId,required"`
	// ScheduleTime is when to start the task; leave it zero to start now.
	// It is sent as "yyyy-MM-dd HH:mm:ss" in China Standard Time (UTC+8),
	// whatever the time's own location.
	ScheduleTime time.Time `dyvms:"ScheduleTime,datetime"`
}

// StartRobotTaskResponse is the output of StartRobotTask.
type StartRobotTaskResponse struct {
	ResponseMeta
	// Data is "true" when the task was started (or scheduled), "false"
	// otherwise. A bare boolean on the wire arrives as the same string.
	Data string `json:"Data"`
}

// StartRobotTask starts a robocall task now or at ScheduleTime; it also
// resumes a task paused by StopRobotTask. Required: TaskID. QPS: 1000 per
// user, 500 for the API.
//
// It places calls, so a failure after the request may have reached the
// service is never retried blindly: check the task's state with
// QueryRobotTaskDetail first.
func (c *Client) StartRobotTask(ctx context.Context, req *StartRobotTaskRequest, opts ...CallOption) (*StartRobotTaskResponse, error) {
	return invokeTyped[StartRobotTaskResponse](ctx, c, "StartRobotTask", req, opts)
}

// StopRobotTaskRequest is the input of StopRobotTask.
type StopRobotTaskRequest struct {
	// TaskID is the robocall task to pause (required).
	TaskID int64 `dyvms:"TaskId,required"`
}

// StopRobotTaskResponse is the output of StopRobotTask.
type StopRobotTaskResponse struct {
	ResponseMeta
	// Data is "true" when the task was paused, "false" otherwise. A bare
	// boolean on the wire arrives as the same string.
	Data string `json:"Data"`
}

// StopRobotTask pauses a running robocall task; StartRobotTask resumes it.
// Required: TaskID. QPS: 100 per user, 500 for the API.
func (c *Client) StopRobotTask(ctx context.Context, req *StopRobotTaskRequest, opts ...CallOption) (*StopRobotTaskResponse, error) {
	return invokeTyped[StopRobotTaskResponse](ctx, c, "StopRobotTask", req, opts)
}

// CancelRobotTaskRequest is the input of CancelRobotTask.
type CancelRobotTaskRequest struct {
	// TaskID is the robocall task to cancel. The catalogue does not mark it
	// required (the newer SDK does not), so it is not checked here, but the
	// call means nothing without it.
	TaskID int64 `dyvms:"TaskId"`
}

// CancelRobotTaskResponse is the output of CancelRobotTask.
type CancelRobotTaskResponse struct {
	ResponseMeta
	// Data is "true" when the task was cancelled, "false" otherwise. A bare
	// boolean on the wire arrives as the same string.
	Data string `json:"Data"`
}

// CancelRobotTask cancels (terminates) a robocall task; a cancelled task
// cannot be restarted. No field is marked required (see TaskID). QPS: 1000
// per user, 500 for the API.
func (c *Client) CancelRobotTask(ctx context.Context, req *CancelRobotTaskRequest, opts ...CallOption) (*CancelRobotTaskResponse, error) {
	return invokeTyped[CancelRobotTaskResponse](ctx, c, "CancelRobotTask", req, opts)
}

// CancelOrderRobotTaskRequest is the input of CancelOrderRobotTask.
type CancelOrderRobotTaskRequest struct {
	// TaskID is the scheduled robocall task to cancel (required).
	TaskID int64 `dyvms:"TaskId,required"`
}

// CancelOrderRobotTaskResponse is the output of CancelOrderRobotTask.
type CancelOrderRobotTaskResponse struct {
	ResponseMeta
	// Data is "true" when the schedule was cancelled, "false" otherwise. A
	// bare boolean on the wire arrives as the same string.
	Data string `json:"Data"`
}

// CancelOrderRobotTask cancels a robocall task scheduled to start later.
// Required: TaskID. QPS: 100 per user, 500 for the API.
func (c *Client) CancelOrderRobotTask(ctx context.Context, req *CancelOrderRobotTaskRequest, opts ...CallOption) (*CancelOrderRobotTaskResponse, error) {
	return invokeTyped[CancelOrderRobotTaskResponse](ctx, c, "CancelOrderRobotTask", req, opts)
}

// DeleteRobotTaskRequest is the input of DeleteRobotTask.
type DeleteRobotTaskRequest struct {
	// TaskID is the robocall task to delete (required).
	TaskID int64 `dyvms:"TaskId,required"`
}

// DeleteRobotTaskResponse is the output of DeleteRobotTask.
type DeleteRobotTaskResponse struct {
	ResponseMeta
	// Data is "true" when the task was deleted, "false" otherwise. A bare
	// boolean on the wire arrives as the same string.
	Data string `json:"Data"`
	// TaskID is the deleted task's ID. Only the API reference's XML sample
	// carries it (in place of Data); the SDKs and the JSON sample do not.
	TaskID string `json:"TaskId"`
}

// DeleteRobotTask deletes a robocall task. Required: TaskID. QPS: 100 per
// user, 500 for the API.
func (c *Client) DeleteRobotTask(ctx context.Context, req *DeleteRobotTaskRequest, opts ...CallOption) (*DeleteRobotTaskResponse, error) {
	return invokeTyped[DeleteRobotTaskResponse](ctx, c, "DeleteRobotTask", req, opts)
}

// --- Task reports ----------------------------------------------------------

// RobotTask is one robocall task of QueryRobotTaskList.
type RobotTask struct {
	// ID identifies the task.
	ID int64 `json:"id"`
	// TaskName is the task's name.
	TaskName string `json:"taskName"`
	// RobotID identifies the task's robot (communication script).
	RobotID int64 `json:"robotId"`
	// RobotName is the robot's name.
	RobotName string `json:"robotName"`
	// Status is the task's state.
	Status RobotTaskStatus `json:"status"`
	// ScheduleType says whether the task started on creation or on a
	// schedule.
	ScheduleType RobotScheduleType `json:"scheduleType"`
	// CreateTime is when the task was created, "yyyy.MM.dd HH:mm:ss" as
	// sent (China Standard Time).
	CreateTime string `json:"createTime"`
	// CompleteTime is when the task completed, as sent.
	CompleteTime string `json:"completeTime"`
	// FireTime is when the task started, as sent.
	FireTime string `json:"fireTime"`
	// TotalCount is the number of calls of the task.
	TotalCount int64 `json:"totalCount"`
	// FinishCount is the number of calls completed.
	FinishCount int64 `json:"finishCount"`
}

// QueryRobotTaskListRequest is the input of QueryRobotTaskList.
type QueryRobotTaskListRequest struct {
	// TaskName filters by task name.
	TaskName string `dyvms:"TaskName"`
	// Status filters by task state.
	Status RobotTaskStatus `dyvms:"Status"`
	// Time filters by creation date, "yyyy-MM-dd" (a China Standard Time
	// date), sent as given.
	Time string `dyvms:"Time"`
	// PageNo is the page to return, from 1.
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of tasks per page.
	PageSize int32 `dyvms:"PageSize"`
}

// QueryRobotTaskListResponse is the output of QueryRobotTaskList.
type QueryRobotTaskListResponse struct {
	ResponseMeta
	// Data is the page's tasks as a JSON array in a string; Tasks decodes
	// it.
	Data string `json:"Data"`
	// PageNo is the page returned (a numeric string).
	PageNo string `json:"PageNo"`
	// PageSize is the page size (a numeric string).
	PageSize string `json:"PageSize"`
	// TotalCount is the number of tasks matching the filters (a numeric
	// string).
	TotalCount string `json:"TotalCount"`
}

// Tasks decodes Data. A malformed Data returns an error here without
// having failed the call; an empty Data is no tasks.
func (r *QueryRobotTaskListResponse) Tasks() ([]RobotTask, error) {
	return decodeInner[[]RobotTask]("QueryRobotTaskList", "Data", r.Data)
}

// QueryRobotTaskList lists robocall tasks, filtered by name, state and
// creation date, one page at a time; QueryRobotTaskListAll walks every
// page. No field is required. QPS: 1000 per user (the API reference's
// figure may also read 100), 500 for the API.
func (c *Client) QueryRobotTaskList(ctx context.Context, req *QueryRobotTaskListRequest, opts ...CallOption) (*QueryRobotTaskListResponse, error) {
	return invokeTyped[QueryRobotTaskListResponse](ctx, c, "QueryRobotTaskList", req, opts)
}

// QueryRobotTaskListAll iterates over every task QueryRobotTaskList
// returns, page after page from req.PageNo (or 1), with req.PageSize per
// page. It works on a copy of req, which it never modifies; it stops after
// TotalCount tasks, on an empty page, at the first error (yielded once) or
// when ctx is done, and starts no goroutine.
func (c *Client) QueryRobotTaskListAll(ctx context.Context, req *QueryRobotTaskListRequest, opts ...CallOption) iter.Seq2[RobotTask, error] {
	return listAll(ctx, req, func(r *QueryRobotTaskListRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *QueryRobotTaskListRequest) (page[RobotTask], error) {
			resp, err := c.QueryRobotTaskList(ctx, r, opts...)
			if err != nil {
				return page[RobotTask]{}, err
			}
			items, err := resp.Tasks()
			if err != nil {
				return page[RobotTask]{}, err
			}
			return page[RobotTask]{items: items, total: robotCount(resp.TotalCount), size: pageSizeOr(robotCount(resp.PageSize), int64(r.PageSize))}, nil
		})
}

// RobotCalledFile is one file of called numbers of a robocall task.
type RobotCalledFile struct {
	// FileName is the file's name.
	FileName string `json:"fileName"`
	// OssFilePath is the file's OSS URL.
	OssFilePath string `json:"ossFilePath"`
}

// RobotTaskDetail is the configuration and state of a robocall task, as
// QueryRobotTaskDetail returns it.
type RobotTaskDetail struct {
	// ID identifies the task.
	ID int64 `json:"id"`
	// TaskName is the task's name.
	TaskName string `json:"taskName"`
	// RobotID identifies the task's robot (communication script).
	RobotID int64 `json:"robotId"`
	// RobotName is the robot's name.
	RobotName string `json:"robotName"`
	// CorpName is the company name.
	CorpName string `json:"corpName"`
	// Caller is the comma-separated list of calling numbers.
	Caller string `json:"caller"`
	// NumberStatusIdent reports whether number-status identification is on.
	NumberStatusIdent bool `json:"numberStatusIdent"`
	// Status is the task's state.
	Status RobotTaskStatus `json:"status"`
	// ScheduleType says whether the task started on creation or on a
	// schedule.
	ScheduleType RobotScheduleType `json:"scheduleType"`
	// RetryType is 1 when automatic redial is on, 0 when off.
	RetryType int64 `json:"retryType"`
	// RecallStateCodes is the comma-separated list of call states that
	// trigger a redial.
	RecallStateCodes string `json:"recallStateCodes"`
	// RecallTimes is the number of redial attempts.
	RecallTimes int64 `json:"recallTimes"`
	// RecallInterval is the time between redials in minutes.
	RecallInterval int64 `json:"recallInterval"`
	// CreateTime is when the task was created, as sent (China Standard
	// Time).
	CreateTime string `json:"createTime"`
	// FireTime is when the task started, as sent.
	FireTime string `json:"fireTime"`
	// CompleteTime is when the task completed, as sent.
	CompleteTime string `json:"completeTime"`
	// Called lists the files of called numbers.
	Called []RobotCalledFile `json:"called"`
}

// QueryRobotTaskDetailRequest is the input of QueryRobotTaskDetail.
type QueryRobotTaskDetailRequest struct {
	// ID is the robocall task (required).
	ID int64 `dyvms:"Id,required"`
}

// QueryRobotTaskDetailResponse is the output of QueryRobotTaskDetail.
type QueryRobotTaskDetailResponse struct {
	ResponseMeta
	// Data is the task as a JSON object in a string (the API reference
	// also shows it as an inline object, kept here as its JSON text);
	// Detail decodes it.
	Data string `json:"Data"`
}

// Detail decodes Data. A malformed Data returns an error here without
// having failed the call.
func (r *QueryRobotTaskDetailResponse) Detail() (RobotTaskDetail, error) {
	return decodeInner[RobotTaskDetail]("QueryRobotTaskDetail", "Data", r.Data)
}

// QueryRobotTaskDetail returns the configuration and state of one robocall
// task. Required: ID. QPS: 1000 per user, 500 for the API.
func (c *Client) QueryRobotTaskDetail(ctx context.Context, req *QueryRobotTaskDetailRequest, opts ...CallOption) (*QueryRobotTaskDetailResponse, error) {
	return invokeTyped[QueryRobotTaskDetailResponse](ctx, c, "QueryRobotTaskDetail", req, opts)
}

// RobotTaskCall is one call of a robocall task, as QueryRobotTaskCallList
// and ListRobotTaskCalls return it. Counts and durations are typed as the
// catalogue types them; some arrive as strings.
type RobotTaskCall struct {
	// TaskID identifies the task.
	TaskID int64 `json:"taskId"`
	// CallID identifies the call (taskId^bizId).
	CallID string `json:"callId"`
	// Caller is the calling number.
	Caller string `json:"caller"`
	// Called is the called number.
	Called string `json:"called"`
	// Duration is the call's length in seconds.
	Duration string `json:"duration"`
	// Label is the label given to the called party.
	Label string `json:"label"`
	// DialogCount is the number of dialogue rounds.
	DialogCount string `json:"dialogCount"`
	// CallResult is the call's result.
	CallResult string `json:"callResult"`
	// HangupDirection says who hung up; the sources disagree on the codes
	// (see RobotHangupDirection).
	HangupDirection string `json:"hangupDirection"`
	// TransferResult is the agent-transfer result: "1" transferred, "0"
	// failed, "3" not transferred.
	TransferResult string `json:"transferResult"`
	// TransferNumber is the agent's number.
	TransferNumber string `json:"transferNumber"`
	// TransferFailReason says why the transfer failed.
	TransferFailReason string `json:"transferFailReason"`
	// RecallCurTimes is the number of redials so far.
	RecallCurTimes int64 `json:"recallCurTimes"`
	// CallStartTime is when the call started, as sent (China Standard
	// Time).
	CallStartTime string `json:"callStartTime"`
	// CallEndTime is when the call ended, as sent.
	CallEndTime string `json:"callEndTime"`
	// SureCount is the number of affirmations.
	SureCount int64 `json:"sureCount"`
	// DenyCount is the number of denials.
	DenyCount int64 `json:"denyCount"`
	// RejectCount is the number of refusals.
	RejectCount int64 `json:"rejectCount"`
	// CustomCount is the number of custom-intent hits.
	CustomCount int64 `json:"customCount"`
	// KnowledgeCount is the number of knowledge-base hits. The API
	// reference's samples spell the key "konwledgeCount"; either spelling
	// fills this field.
	KnowledgeCount int64 `json:"knowledgeCount"`
	// DefaultCount is the number of default replies.
	DefaultCount int64 `json:"defaultCount"`
	// KnowledgeBusinessCount is the number of business knowledge-base hits.
	KnowledgeBusinessCount int64 `json:"knowledgeBusinessCount"`
	// KnowledgeCommonCount is the number of common knowledge-base hits.
	KnowledgeCommonCount int64 `json:"knowledgeCommonCount"`
}

// robotTaskCallWire is a RobotTaskCall with the misspelt key the API
// reference prints.
type robotTaskCallWire struct {
	RobotTaskCall
	// KonwledgeCount is folded into KnowledgeCount by call.
	KonwledgeCount int64 `json:"konwledgeCount"`
}

func (w robotTaskCallWire) call() RobotTaskCall {
	c := w.RobotTaskCall
	if c.KnowledgeCount == 0 {
		c.KnowledgeCount = w.KonwledgeCount
	}
	return c
}

func robotCalls(action, data string) ([]RobotTaskCall, error) {
	wire, err := decodeInner[[]robotTaskCallWire](action, "Data", data)
	if err != nil || wire == nil {
		return nil, err
	}
	out := make([]RobotTaskCall, len(wire))
	for i, w := range wire {
		out[i] = w.call()
	}
	return out, nil
}

// QueryRobotTaskCallListRequest is the input of QueryRobotTaskCallList.
type QueryRobotTaskCallListRequest struct {
	// TaskID is the robocall task (required). The catalogue types it as a
	// string here.
	TaskID string `dyvms:"TaskId,required"`
	// Called filters by called number.
	Called string `dyvms:"Called"`
	// CallResult filters by call result.
	CallResult RobotCallResult `dyvms:"CallResult"`
	// HangupDirection filters by the side that hung up.
	HangupDirection RobotHangupDirection `dyvms:"HangupDirection"`
	// DurationFrom is the shortest call duration, in seconds (a numeric
	// string).
	DurationFrom string `dyvms:"DurationFrom"`
	// DurationTo is the longest call duration, in seconds (a numeric
	// string).
	DurationTo string `dyvms:"DurationTo"`
	// DialogCountFrom is the fewest dialogue rounds (a numeric string).
	DialogCountFrom string `dyvms:"DialogCountFrom"`
	// DialogCountTo is the most dialogue rounds (a numeric string).
	DialogCountTo string `dyvms:"DialogCountTo"`
	// PageNo is the page to return, from 1.
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of calls per page.
	PageSize int32 `dyvms:"PageSize"`
}

// QueryRobotTaskCallListResponse is the output of QueryRobotTaskCallList.
// It carries no paging metadata.
type QueryRobotTaskCallListResponse struct {
	ResponseMeta
	// Data is the page's calls as a JSON array in a string; Calls decodes
	// it.
	Data string `json:"Data"`
}

// Calls decodes Data. A malformed Data returns an error here without
// having failed the call; an empty Data is no calls.
func (r *QueryRobotTaskCallListResponse) Calls() ([]RobotTaskCall, error) {
	return robotCalls("QueryRobotTaskCallList", r.Data)
}

// QueryRobotTaskCallList lists the calls of a robocall task, filtered by
// number, result, hang-up side, duration and dialogue rounds, one page at a
// time; QueryRobotTaskCallListAll walks every page. Required: TaskID. QPS:
// 100 per user, 500 for the API.
func (c *Client) QueryRobotTaskCallList(ctx context.Context, req *QueryRobotTaskCallListRequest, opts ...CallOption) (*QueryRobotTaskCallListResponse, error) {
	return invokeTyped[QueryRobotTaskCallListResponse](ctx, c, "QueryRobotTaskCallList", req, opts)
}

// QueryRobotTaskCallListAll iterates over every call QueryRobotTaskCallList
// returns, page after page from req.PageNo (or 1). The response has no
// total, so it stops at a page shorter than req.PageSize (or, with no
// PageSize, at an empty page), at the first error (yielded once) or when
// ctx is done. It works on a copy of req, which it never modifies, and
// starts no goroutine.
func (c *Client) QueryRobotTaskCallListAll(ctx context.Context, req *QueryRobotTaskCallListRequest, opts ...CallOption) iter.Seq2[RobotTaskCall, error] {
	return listAll(ctx, req, func(r *QueryRobotTaskCallListRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *QueryRobotTaskCallListRequest) (page[RobotTaskCall], error) {
			resp, err := c.QueryRobotTaskCallList(ctx, r, opts...)
			if err != nil {
				return page[RobotTaskCall]{}, err
			}
			items, err := resp.Calls()
			if err != nil {
				return page[RobotTaskCall]{}, err
			}
			return page[RobotTaskCall]{items: items, size: int64(r.PageSize)}, nil
		})
}

// ListRobotTaskCallsRequest is the input of ListRobotTaskCalls. The
// catalogue does not know which fields are required (the Action is
// undocumented), so none is checked here; TaskID is needed in practice.
type ListRobotTaskCallsRequest struct {
	// TaskID is the robocall task. The catalogue types it as a string.
	TaskID string `dyvms:"TaskId"`
	// Called filters by called number.
	Called string `dyvms:"Called"`
	// CallResult filters by call result.
	CallResult RobotCallResult `dyvms:"CallResult"`
	// HangupDirection filters by the side that hung up.
	HangupDirection RobotHangupDirection `dyvms:"HangupDirection"`
	// DurationFrom is the shortest call duration, in seconds (a numeric
	// string).
	DurationFrom string `dyvms:"DurationFrom"`
	// DurationTo is the longest call duration, in seconds (a numeric
	// string).
	DurationTo string `dyvms:"DurationTo"`
	// DialogCountFrom is the fewest dialogue rounds (a numeric string).
	DialogCountFrom string `dyvms:"DialogCountFrom"`
	// DialogCountTo is the most dialogue rounds (a numeric string).
	DialogCountTo string `dyvms:"DialogCountTo"`
	// PageNo is the page to return, from 1.
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of calls per page.
	PageSize int32 `dyvms:"PageSize"`
}

// ListRobotTaskCallsResponse is the output of ListRobotTaskCalls.
type ListRobotTaskCallsResponse struct {
	ResponseMeta
	// Data is the page's calls as a JSON array in a string; Calls decodes
	// it.
	Data string `json:"Data"`
	// PageNo is the page returned (a numeric string).
	PageNo string `json:"PageNo"`
	// PageSize is the page size (a numeric string).
	PageSize string `json:"PageSize"`
	// TotalCount is the number of calls matching the filters (a numeric
	// string).
	TotalCount string `json:"TotalCount"`
}

// Calls decodes Data, presumably the rows of QueryRobotTaskCallList (the
// Action is undocumented). A malformed Data returns an error here without
// having failed the call; an empty Data is no calls.
func (r *ListRobotTaskCallsResponse) Calls() ([]RobotTaskCall, error) {
	return robotCalls("ListRobotTaskCalls", r.Data)
}

// ListRobotTaskCalls lists the calls of a robocall task with paging
// metadata: the older, undocumented twin of QueryRobotTaskCallList, kept
// for the legacy SDK's callers. The catalogue knows no required field, no
// success code (OK and 200 are accepted) and no QPS limit.
// ListRobotTaskCallsAll walks every page.
func (c *Client) ListRobotTaskCalls(ctx context.Context, req *ListRobotTaskCallsRequest, opts ...CallOption) (*ListRobotTaskCallsResponse, error) {
	return invokeTyped[ListRobotTaskCallsResponse](ctx, c, "ListRobotTaskCalls", req, opts)
}

// ListRobotTaskCallsAll iterates over every call ListRobotTaskCalls
// returns, page after page from req.PageNo (or 1). It works on a copy of
// req, which it never modifies; it stops after TotalCount calls, on an empty
// page, at the first error (yielded once) or when ctx is done, and starts no
// goroutine.
func (c *Client) ListRobotTaskCallsAll(ctx context.Context, req *ListRobotTaskCallsRequest, opts ...CallOption) iter.Seq2[RobotTaskCall, error] {
	return listAll(ctx, req, func(r *ListRobotTaskCallsRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *ListRobotTaskCallsRequest) (page[RobotTaskCall], error) {
			resp, err := c.ListRobotTaskCalls(ctx, r, opts...)
			if err != nil {
				return page[RobotTaskCall]{}, err
			}
			items, err := resp.Calls()
			if err != nil {
				return page[RobotTaskCall]{}, err
			}
			return page[RobotTaskCall]{items: items, total: robotCount(resp.TotalCount), size: pageSizeOr(robotCount(resp.PageSize), int64(r.PageSize))}, nil
		})
}

// RobotDialogTurn is one turn of a robocall's dialogue.
type RobotDialogTurn struct {
	// Role is who spoke, for example "robot".
	Role string `json:"role"`
	// Content is what was said.
	Content string `json:"content"`
	// SpeakTime is when it was said, as sent (China Standard Time).
	SpeakTime string `json:"speakTime"`
}

// RobotTaskCallDetail is one call of a robocall task with its recording and
// transcript, as QueryRobotTaskCallDetail returns it.
type RobotTaskCallDetail struct {
	RobotTaskCall
	// RecordStatus is 1 when a recording is available, 2 when not.
	RecordStatus int64 `json:"recordStatus"`
	// RecordFile is the recording's URL.
	RecordFile string `json:"recordFile"`
	// DialogDetail is the dialogue, turn by turn.
	DialogDetail []RobotDialogTurn `json:"dialogDetail"`
}

// QueryRobotTaskCallDetailRequest is the input of QueryRobotTaskCallDetail.
type QueryRobotTaskCallDetailRequest struct {
	// TaskID is the robocall task (required).
	TaskID int64 `dyvms:"TaskId,required"`
	// Callee is the called number whose call is wanted (required).
	Callee string `dyvms:"Callee,required"`
	// QueryDate is the time of the call (required), sent as Unix
	// milliseconds (an instant, so its time zone does not matter).
	QueryDate time.Time `dyvms:"QueryDate,required,ms"`
}

// QueryRobotTaskCallDetailResponse is the output of QueryRobotTaskCallDetail.
type QueryRobotTaskCallDetailResponse struct {
	ResponseMeta
	// Data is the call as a JSON object in a string; Detail decodes it.
	Data string `json:"Data"`
}

// Detail decodes Data. A malformed Data returns an error here without
// having failed the call.
func (r *QueryRobotTaskCallDetailResponse) Detail() (RobotTaskCallDetail, error) {
	w, err := decodeInner[struct {
		RobotTaskCallDetail
		KonwledgeCount int64 `json:"konwledgeCount"`
	}]("QueryRobotTaskCallDetail", "Data", r.Data)
	d := w.RobotTaskCallDetail
	if d.KnowledgeCount == 0 {
		d.KnowledgeCount = w.KonwledgeCount
	}
	return d, err
}

// QueryRobotTaskCallDetail returns the call a robocall task made to one
// number, with its recording and dialogue transcript. Required: TaskID,
// Callee, QueryDate. QPS: 100 per user, 500 for the API.
func (c *Client) QueryRobotTaskCallDetail(ctx context.Context, req *QueryRobotTaskCallDetailRequest, opts ...CallOption) (*QueryRobotTaskCallDetailResponse, error) {
	return invokeTyped[QueryRobotTaskCallDetailResponse](ctx, c, "QueryRobotTaskCallDetail", req, opts)
}

// --- Robots ----------------------------------------------------------------

// RobotInfo is one robot (communication script) of QueryRobotInfoList.
type RobotInfo struct {
	// ID identifies the robot; it is the DialogID of the call Actions.
	ID int64 `json:"id"`
	// RobotName is the robot's name.
	RobotName string `json:"robotName"`
	// RobotType is the robot's type, for example "CUSTOM".
	RobotType string `json:"robotType"`
	// AuditStatus is the robot's review state.
	AuditStatus RobotAuditStatus `json:"auditStatus"`
	// GmtCreate is when the robot was created, as sent.
	GmtCreate string `json:"gmtCreate"`
	// GmtModified is when the robot was last modified, as sent.
	GmtModified string `json:"gmtModified"`
	// PartnerID identifies the partner.
	PartnerID int64 `json:"partnerId"`
	// AsrID identifies the robot's ASR model.
	AsrID string `json:"asrId"`
	// AsrType is the ASR type (public or private).
	AsrType string `json:"asrType"`
	// Remark is the robot's remarks.
	Remark string `json:"remark"`
}

// QueryRobotInfoListRequest is the input of QueryRobotInfoList.
type QueryRobotInfoListRequest struct {
	// AuditStatus filters by review state.
	AuditStatus RobotAuditStatus `dyvms:"AuditStatus"`
}

// QueryRobotInfoListResponse is the output of QueryRobotInfoList.
type QueryRobotInfoListResponse struct {
	ResponseMeta
	// Data is the robots as a JSON array in a string; Robots decodes it.
	Data string `json:"Data"`
}

// Robots decodes Data. A malformed Data returns an error here without
// having failed the call; an empty Data is no robots.
func (r *QueryRobotInfoListResponse) Robots() ([]RobotInfo, error) {
	return decodeInner[[]RobotInfo]("QueryRobotInfoList", "Data", r.Data)
}

// QueryRobotInfoList lists the robots (communication scripts) of the
// account, optionally filtered by review state. No field is required. No
// QPS limit is documented.
func (c *Client) QueryRobotInfoList(ctx context.Context, req *QueryRobotInfoListRequest, opts ...CallOption) (*QueryRobotInfoListResponse, error) {
	return invokeTyped[QueryRobotInfoListResponse](ctx, c, "QueryRobotInfoList", req, opts)
}

// RobotScript is one robot communication script of QueryRobotv2AllList.
type RobotScript struct {
	// ID identifies the script.
	ID int64 `json:"id"`
	// RobotName is the script's name.
	RobotName string `json:"robotName"`
	// RobotType is the script's type.
	RobotType string `json:"robotType"`
}

// QueryRobotv2AllListRequest is the input of QueryRobotv2AllList, which
// takes no parameters of its own.
type QueryRobotv2AllListRequest struct{}

// QueryRobotv2AllListResponse is the output of QueryRobotv2AllList.
type QueryRobotv2AllListResponse struct {
	ResponseMeta
	// Data is the scripts as JSON in a string; Scripts decodes it.
	Data string `json:"Data"`
}

// Scripts decodes Data. A malformed Data returns an error here without
// having failed the call; an empty Data is no scripts.
func (r *QueryRobotv2AllListResponse) Scripts() ([]RobotScript, error) {
	return decodeInner[[]RobotScript]("QueryRobotv2AllList", "Data", r.Data)
}

// QueryRobotv2AllList lists every robot communication script available to
// the account. It takes no parameters; req may be nil. No QPS limit is
// documented.
func (c *Client) QueryRobotv2AllList(ctx context.Context, req *QueryRobotv2AllListRequest, opts ...CallOption) (*QueryRobotv2AllListResponse, error) {
	return invokeTyped[QueryRobotv2AllListResponse](ctx, c, "QueryRobotv2AllList", req, opts)
}

// --- helpers ---------------------------------------------------------------

// robotCount parses a numeric-string paging field; 0 when absent or bad.
func robotCount(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
