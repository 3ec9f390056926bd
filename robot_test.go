package dyvms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test helpers of the ivr and robot groups (named robot* so they cannot
// collide with other groups' helpers in the same package).

const robotTestSecret = "robotTestSecret"

// robotFake is a loopback Dyvmsapi that records every request and answers
// with respond(n, form), n counting requests from 1.
type robotFake struct {
	mu      sync.Mutex
	queries []url.Values
	forms   []url.Values
	respond func(n int, form url.Values) (status int, body string)
}

func (f *robotFake) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.forms)
}

func (f *robotFake) form(i int) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.forms[i]
}

// newRobotFake starts a fake server and a client that talks to it with a
// fixed clock and nonce.
func newRobotFake(t *testing.T, respond func(n int, form url.Values) (int, string)) (*Client, *robotFake) {
	t.Helper()
	f := &robotFake{respond: respond}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.queries = append(f.queries, r.URL.Query())
		f.forms = append(f.forms, form)
		n := len(f.forms)
		f.mu.Unlock()
		status, out := f.respond(n, form)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, out)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(
		WithEndpoint(srv.URL),
		WithAccessKey("robotTestId", robotTestSecret),
		withClock(func() time.Time { return time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC) }),
		withNonce(func() string { return "robot-nonce" }),
	)
	require.NoError(t, err)
	return c, f
}

// robotOK answers every request with the same success body.
func robotOK(body string) func(int, url.Values) (int, string) {
	return func(int, url.Values) (int, string) { return http.StatusOK, body }
}

// robotSample returns the catalogue's sample body of action ("json" or
// "xml").
func robotSample(t *testing.T, action, format string) string {
	t.Helper()
	a := catalog.Lookup(action)
	require.NotNil(t, a, action)
	if format == "xml" {
		return a.Samples.XML
	}
	return a.Samples.JSON
}

// robotInvalidCase is a request that must be refused before anything is
// sent, naming field.
type robotInvalidCase struct {
	name  string
	call  func(*Client) error
	field string
}

func robotCheckInvalid(t *testing.T, cases []robotInvalidCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newRobotFake(t, robotOK(`{"Code":"OK"}`))
			err := tc.call(c)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidParameter), "%v", err)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, 0, f.requests(), "nothing may be sent")
		})
	}
}

// ---------------------------------------------------------------------------
// Wire: every Action with a fully filled request.

func TestRobotWire(t *testing.T) {
	ctx := context.Background()
	checkWireCatalogue(t, []wireCase{
		{
			action: "SmartCall",
			call: func(_ context.Context, c *Client) error {
				_, err := c.SmartCall(ctx, &SmartCallRequest{
					CalledNumber:        "159000000000",
					CalledShowNumber:    "057100005678",
					VoiceCode:           "2d4c-4e78-8d2a-afbb06cf****.wav,$name$",
					VoiceCodeParam:      map[string]string{"name": "hello"},
					EarlyMediaAsr:       true,
					RecordFlag:          true,
					SessionTimeout:      120,
					DynamicID:           "abcdefgh",
					AsrBaseID:           AsrBaseCustomerService8k,
					AsrModelID:          "2070aca1eff146f9a7bc826f1c3d****",
					StreamAsr:           1,
					EnableITN:           Ptr(true),
					MuteTime:            10000,
					PauseTime:           800,
					NoiseThreshold:      0.5,
					ActionCodeBreak:     Ptr(false),
					ActionCodeTimeBreak: 120,
					Volume:              Ptr(int32(0)),
					Speed:               1,
					TtsConf:             true,
					TtsStyle:            "xiaoyun",
					TtsVolume:           10,
					TtsSpeed:            100,
					BackgroundFileCode:  "2d4c-4e78-8d2a-afbb06cf****.wav",
					BackgroundSpeed:     1,
					BackgroundVolume:    1,
					OutID:               "342268*****",
				})
				return err
			},
			want: map[string]string{
				"CalledNumber": "159000000000", "CalledShowNumber": "057100005678",
				"VoiceCode": "2d4c-4e78-8d2a-afbb06cf****.wav,$name$", "VoiceCodeParam": `{"name":"hello"}`,
				"EarlyMediaAsr": "true", "RecordFlag": "true", "SessionTimeout": "120", "DynamicId": "abcdefgh",
				"AsrBaseId": "customer_service_8k", "AsrModelId": "2070aca1eff146f9a7bc826f1c3d****",
				"StreamAsr": "1", "EnableITN": "true", "MuteTime": "10000", "PauseTime": "800",
				"NoiseThreshold": "0.5", "ActionCodeBreak": "false", "ActionCodeTimeBreak": "120",
				"Volume": "0", "Speed": "1", "TtsConf": "true", "TtsStyle": "xiaoyun", "TtsVolume": "10",
				"TtsSpeed": "100", "BackgroundFileCode": "2d4c-4e78-8d2a-afbb06cf****.wav",
				"BackgroundSpeed": "1", "BackgroundVolume": "1", "OutId": "342268*****",
			},
		},
		{
			action: "SmartCallOperate",
			call: func(_ context.Context, c *Client) error {
				_, err := c.SmartCallOperate(ctx, &SmartCallOperateRequest{CallID: "116012854210^1028142****", Command: SmartCallParallelBridge, Param: "Param"})
				return err
			},
			want: map[string]string{"CallId": "116012854210^1028142****", "Command": "parallelBridge", "Param": "Param"},
		},
		{
			action: "BatchRobotSmartCall",
			call: func(_ context.Context, c *Client) error {
				_, err := c.BatchRobotSmartCall(ctx, &BatchRobotSmartCallRequest{
					TaskName:         "Batch Tasks",
					DialogID:         "1234567",
					CalledNumber:     "13900000000,13900010000",
					CalledShowNumber: "222",
					CorpName:         "Alibaba",
					IsSelfLine:       true,
					EarlyMediaAsr:    true,
					ScheduleCall:     true,
					ScheduleTime:     time.UnixMilli(1562297550000).In(ChinaStandardTime()),
					TtsParamHead:     []string{"name1", "name2", "name3"},
					TtsParam:         []RobotTtsParam{{Number: "1390000****", Params: []string{"Miss li", "miss wang", "Mr.li"}}},
				})
				return err
			},
			want: map[string]string{
				"TaskName": "Batch Tasks", "DialogId": "1234567", "CalledNumber": "13900000000,13900010000",
				"CalledShowNumber": "222", "CorpName": "Alibaba", "IsSelfLine": "true", "EarlyMediaAsr": "true",
				"ScheduleCall": "true", "ScheduleTime": "1562297550000",
				"TtsParamHead": `["name1","name2","name3"]`,
				"TtsParam":     `[{"number":"1390000****","params":["Miss li","miss wang","Mr.li"]}]`,
			},
		},
		{
			action: "CreateRobotTask",
			call: func(_ context.Context, c *Client) error {
				_, err := c.CreateRobotTask(ctx, &CreateRobotTaskRequest{
					TaskName:          "Test Template",
					DialogID:          10000231234,
					Caller:            "0571****5678",
					NumberStatusIdent: Ptr(false),
					RetryType:         Ptr(RobotRetryOff),
					RecallStateCodes:  string(RobotCallPoweredOff) + "," + string(RobotCallOutOfService),
					RecallTimes:       1,
					RecallInterval:    5,
					CorpName:          "Alibaba",
					IsSelfLine:        Ptr(false),
				})
				return err
			},
			want: map[string]string{
				"TaskName": "Test Template", "DialogId": "10000231234", "Caller": "0571****5678",
				"NumberStatusIdent": "false", "RetryType": "0", "RecallStateCodes": "200010,200011",
				"RecallTimes": "1", "RecallInterval": "5", "CorpName": "Alibaba", "IsSelfLine": "false",
			},
		},
		{
			action: "UploadRobotTaskCalledFile",
			call: func(_ context.Context, c *Client) error {
				_, err := c.UploadRobotTaskCalledFile(ctx, &UploadRobotTaskCalledFileRequest{
					ID:           1045001,
					CalledNumber: "13700000000,13700000111",
					TtsParamHead: []string{"name1"},
					TtsParam:     []RobotTtsParam{{Number: RobotTtsAllNumbers, Params: []string{"小王"}}, {Number: "1370****000", Params: []string{"xiaoli"}}},
				})
				return err
			},
			want: map[string]string{
				"Id": "1045001", "CalledNumber": "13700000000,13700000111", "TtsParamHead": `["name1"]`,
				"TtsParam": `[{"number":"all","params":["小王"]},{"number":"1370****000","params":["xiaoli"]}]`,
			},
		},
		{
			action: "StartRobotTask",
			call: func(_ context.Context, c *Client) error {
				// 06:55:23 UTC is 14:55:23 China Standard Time.
				_, err := c.StartRobotTask(ctx, &StartRobotTaskRequest{TaskID: 1045001, ScheduleTime: time.Date(2019, 6, 14, 6, 55, 23, 0, time.UTC)})
				return err
			},
			want: map[string]string{"TaskId": "1045001", "ScheduleTime": "2019-06-14 14:55:23"},
		},
		{
			action: "StopRobotTask",
			call: func(_ context.Context, c *Client) error {
				_, err := c.StopRobotTask(ctx, &StopRobotTaskRequest{TaskID: 1045001})
				return err
			},
			want: map[string]string{"TaskId": "1045001"},
		},
		{
			action: "CancelRobotTask",
			call: func(_ context.Context, c *Client) error {
				_, err := c.CancelRobotTask(ctx, &CancelRobotTaskRequest{TaskID: 1045001})
				return err
			},
			want: map[string]string{"TaskId": "1045001"},
		},
		{
			action: "CancelOrderRobotTask",
			call: func(_ context.Context, c *Client) error {
				_, err := c.CancelOrderRobotTask(ctx, &CancelOrderRobotTaskRequest{TaskID: 1045001})
				return err
			},
			want: map[string]string{"TaskId": "1045001"},
		},
		{
			action: "DeleteRobotTask",
			call: func(_ context.Context, c *Client) error {
				_, err := c.DeleteRobotTask(ctx, &DeleteRobotTaskRequest{TaskID: 1045001})
				return err
			},
			want: map[string]string{"TaskId": "1045001"},
		},
		{
			action: "QueryRobotTaskList",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotTaskList(ctx, &QueryRobotTaskListRequest{TaskName: "Test Template", Status: RobotTaskExecuting, Time: "2019-06-14", PageNo: 1, PageSize: 20})
				return err
			},
			want: map[string]string{"TaskName": "Test Template", "Status": "EXCUTING", "Time": "2019-06-14", "PageNo": "1", "PageSize": "20"},
		},
		{
			action: "QueryRobotTaskDetail",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotTaskDetail(ctx, &QueryRobotTaskDetailRequest{ID: 1045001})
				return err
			},
			want: map[string]string{"Id": "1045001"},
		},
		{
			action: "QueryRobotTaskCallList",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotTaskCallList(ctx, &QueryRobotTaskCallListRequest{
					TaskID: "1045001", Called: "1300****0000", CallResult: RobotCallBusy, HangupDirection: RobotHangupRobot,
					DurationFrom: "0", DurationTo: "60", DialogCountFrom: "0", DialogCountTo: "5", PageNo: 1, PageSize: 20,
				})
				return err
			},
			want: map[string]string{
				"TaskId": "1045001", "Called": "1300****0000", "CallResult": "200002", "HangupDirection": "1",
				"DurationFrom": "0", "DurationTo": "60", "DialogCountFrom": "0", "DialogCountTo": "5", "PageNo": "1", "PageSize": "20",
			},
		},
		{
			action: "ListRobotTaskCalls",
			call: func(_ context.Context, c *Client) error {
				_, err := c.ListRobotTaskCalls(ctx, &ListRobotTaskCallsRequest{
					TaskID: "1045001", Called: "1300****0000", CallResult: RobotCallPoweredOff, HangupDirection: RobotHangupCalled,
					DurationFrom: "1", DurationTo: "60", DialogCountFrom: "1", DialogCountTo: "5", PageNo: 2, PageSize: 50,
				})
				return err
			},
			want: map[string]string{
				"TaskId": "1045001", "Called": "1300****0000", "CallResult": "200010", "HangupDirection": "0",
				"DurationFrom": "1", "DurationTo": "60", "DialogCountFrom": "1", "DialogCountTo": "5", "PageNo": "2", "PageSize": "50",
			},
		},
		{
			action: "QueryRobotTaskCallDetail",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotTaskCallDetail(ctx, &QueryRobotTaskCallDetailRequest{TaskID: 1045001, Callee: "130****0000", QueryDate: time.UnixMilli(1562297550000)})
				return err
			},
			want: map[string]string{"TaskId": "1045001", "Callee": "130****0000", "QueryDate": "1562297550000"},
		},
		{
			action: "QueryRobotInfoList",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotInfoList(ctx, &QueryRobotInfoListRequest{AuditStatus: RobotAuditAuditing})
				return err
			},
			want: map[string]string{"AuditStatus": "AUDITING"},
		},
		{
			action: "QueryRobotv2AllList",
			call: func(_ context.Context, c *Client) error {
				_, err := c.QueryRobotv2AllList(ctx, &QueryRobotv2AllListRequest{})
				return err
			},
			want: map[string]string{},
		},
	})
}

// ---------------------------------------------------------------------------
// Validation: a missing required field (or a value out of range) is refused
// and nothing is sent.

func TestRobotInvalid(t *testing.T) {
	ctx := context.Background()
	smart := func(mod func(*SmartCallRequest)) func(*Client) error {
		return func(c *Client) error {
			r := &SmartCallRequest{CalledNumber: "13900000001", CalledShowNumber: "13900000002", VoiceCode: "3"}
			mod(r)
			_, err := c.SmartCall(ctx, r)
			return err
		}
	}
	batch := func(mod func(*BatchRobotSmartCallRequest)) func(*Client) error {
		return func(c *Client) error {
			r := &BatchRobotSmartCallRequest{TaskName: "t", DialogID: "1", CalledNumber: "13900000002", CalledShowNumber: "13900000003"}
			mod(r)
			_, err := c.BatchRobotSmartCall(ctx, r)
			return err
		}
	}
	create := func(mod func(*CreateRobotTaskRequest)) func(*Client) error {
		return func(c *Client) error {
			r := &CreateRobotTaskRequest{TaskName: "t", DialogID: 1, Caller: "2", NumberStatusIdent: Ptr(true), RetryType: Ptr(RobotRetryOn)}
			mod(r)
			_, err := c.CreateRobotTask(ctx, r)
			return err
		}
	}
	op := func(f func(*Client) error) func(*Client) error { return f }
	robotCheckInvalid(t, []robotInvalidCase{
		{"SmartCall no CalledNumber", smart(func(r *SmartCallRequest) { r.CalledNumber = "" }), "CalledNumber"},
		{"SmartCall no CalledShowNumber", smart(func(r *SmartCallRequest) { r.CalledShowNumber = "" }), "CalledShowNumber"},
		{"SmartCall no VoiceCode", smart(func(r *SmartCallRequest) { r.VoiceCode = "" }), "VoiceCode"},
		{"SmartCall Volume 5", smart(func(r *SmartCallRequest) { r.Volume = Ptr(int32(5)) }), "Volume"},
		{"SmartCall MuteTime 999", smart(func(r *SmartCallRequest) { r.MuteTime = 999 }), "MuteTime"},
		{"SmartCall PauseTime 1201", smart(func(r *SmartCallRequest) { r.PauseTime = 1201 }), "PauseTime"},
		{"SmartCall SessionTimeout 3601", smart(func(r *SmartCallRequest) { r.SessionTimeout = 3601 }), "SessionTimeout"},
		{"SmartCall TtsSpeed -201", smart(func(r *SmartCallRequest) { r.TtsSpeed = -201 }), "TtsSpeed"},
		{"SmartCall TtsVolume 101", smart(func(r *SmartCallRequest) { r.TtsVolume = 101 }), "TtsVolume"},
		{"SmartCall StreamAsr 2", smart(func(r *SmartCallRequest) { r.StreamAsr = 2 }), "StreamAsr"},
		{"SmartCall OutId 16 bytes", smart(func(r *SmartCallRequest) { r.OutID = strings.Repeat("9", 16) }), "OutId"},
		{"SmartCallOperate no CallId", op(func(c *Client) error {
			_, err := c.SmartCallOperate(ctx, &SmartCallOperateRequest{Command: SmartCallParallelBridge})
			return err
		}), "CallId"},
		{"SmartCallOperate no Command", op(func(c *Client) error {
			_, err := c.SmartCallOperate(ctx, &SmartCallOperateRequest{CallID: "1"})
			return err
		}), "Command"},
		{"BatchRobotSmartCall no TaskName", batch(func(r *BatchRobotSmartCallRequest) { r.TaskName = "" }), "TaskName"},
		{"BatchRobotSmartCall no DialogId", batch(func(r *BatchRobotSmartCallRequest) { r.DialogID = "" }), "DialogId"},
		{"BatchRobotSmartCall no CalledNumber", batch(func(r *BatchRobotSmartCallRequest) { r.CalledNumber = "" }), "CalledNumber"},
		{"BatchRobotSmartCall no CalledShowNumber", batch(func(r *BatchRobotSmartCallRequest) { r.CalledShowNumber = "" }), "CalledShowNumber"},
		{"CreateRobotTask no TaskName", create(func(r *CreateRobotTaskRequest) { r.TaskName = "" }), "TaskName"},
		{"CreateRobotTask no DialogId", create(func(r *CreateRobotTaskRequest) { r.DialogID = 0 }), "DialogId"},
		{"CreateRobotTask no Caller", create(func(r *CreateRobotTaskRequest) { r.Caller = "" }), "Caller"},
		{"CreateRobotTask no NumberStatusIdent", create(func(r *CreateRobotTaskRequest) { r.NumberStatusIdent = nil }), "NumberStatusIdent"},
		{"CreateRobotTask no RetryType", create(func(r *CreateRobotTaskRequest) { r.RetryType = nil }), "RetryType"},
		{"CreateRobotTask RetryType 2", create(func(r *CreateRobotTaskRequest) { r.RetryType = Ptr(RobotRetryType(2)) }), "RetryType"},
		{"CreateRobotTask RecallInterval 31", create(func(r *CreateRobotTaskRequest) { r.RecallInterval = 31 }), "RecallInterval"},
		{"UploadRobotTaskCalledFile no Id", op(func(c *Client) error {
			_, err := c.UploadRobotTaskCalledFile(ctx, &UploadRobotTaskCalledFileRequest{CalledNumber: "13900000001"})
			return err
		}), "Id"},
		{"UploadRobotTaskCalledFile no CalledNumber", op(func(c *Client) error {
			_, err := c.UploadRobotTaskCalledFile(ctx, &UploadRobotTaskCalledFileRequest{ID: 1})
			return err
		}), "CalledNumber"},
		{"StartRobotTask no TaskId", op(func(c *Client) error { _, err := c.StartRobotTask(ctx, &StartRobotTaskRequest{}); return err }), "TaskId"},
		{"StopRobotTask no TaskId", op(func(c *Client) error { _, err := c.StopRobotTask(ctx, nil); return err }), "TaskId"},
		{"CancelOrderRobotTask no TaskId", op(func(c *Client) error {
			_, err := c.CancelOrderRobotTask(ctx, &CancelOrderRobotTaskRequest{})
			return err
		}), "TaskId"},
		{"DeleteRobotTask no TaskId", op(func(c *Client) error { _, err := c.DeleteRobotTask(ctx, &DeleteRobotTaskRequest{}); return err }), "TaskId"},
		{"QueryRobotTaskDetail no Id", op(func(c *Client) error {
			_, err := c.QueryRobotTaskDetail(ctx, &QueryRobotTaskDetailRequest{})
			return err
		}), "Id"},
		{"QueryRobotTaskCallList no TaskId", op(func(c *Client) error {
			_, err := c.QueryRobotTaskCallList(ctx, &QueryRobotTaskCallListRequest{PageNo: 1})
			return err
		}), "TaskId"},
		{"QueryRobotTaskCallDetail no TaskId", op(func(c *Client) error {
			_, err := c.QueryRobotTaskCallDetail(ctx, &QueryRobotTaskCallDetailRequest{Callee: "1", QueryDate: time.UnixMilli(1)})
			return err
		}), "TaskId"},
		{"QueryRobotTaskCallDetail no Callee", op(func(c *Client) error {
			_, err := c.QueryRobotTaskCallDetail(ctx, &QueryRobotTaskCallDetailRequest{TaskID: 1, QueryDate: time.UnixMilli(1)})
			return err
		}), "Callee"},
		{"QueryRobotTaskCallDetail no QueryDate", op(func(c *Client) error {
			_, err := c.QueryRobotTaskCallDetail(ctx, &QueryRobotTaskCallDetailRequest{TaskID: 1, Callee: "1"})
			return err
		}), "QueryDate"},
	})
}

// Optional-everywhere Actions send an empty (or nil) request.
func TestRobotNoRequiredFields(t *testing.T) {
	ctx := context.Background()
	c, f := newRobotFake(t, robotOK(`{"RequestId":"r","Code":"OK"}`))
	_, err := c.CancelRobotTask(ctx, nil)
	require.NoError(t, err)
	_, err = c.QueryRobotTaskList(ctx, nil)
	require.NoError(t, err)
	_, err = c.QueryRobotInfoList(ctx, nil)
	require.NoError(t, err)
	_, err = c.QueryRobotv2AllList(ctx, nil)
	require.NoError(t, err)
	_, err = c.ListRobotTaskCalls(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 5, f.requests())
	for i := 0; i < 5; i++ {
		assert.Empty(t, f.form(i))
	}
}

// ---------------------------------------------------------------------------
// Responses: the catalogue's sample bodies, XML and JSON.

var robotSampleMeta = ResponseMeta{RequestID: "D9CB3933-9FE3-4870-BA8E-2BEE91B69D23", Code: "OK", Message: "OK"}

func TestRobotTaskOperationSamples(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		action string
		call   func(*Client) (any, error)
		json   any
		xml    any
	}{
		{"StartRobotTask", func(c *Client) (any, error) { return c.StartRobotTask(ctx, &StartRobotTaskRequest{TaskID: 1}) },
			&StartRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"},
			&StartRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"}},
		{"StopRobotTask", func(c *Client) (any, error) { return c.StopRobotTask(ctx, &StopRobotTaskRequest{TaskID: 1}) },
			&StopRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"},
			&StopRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"}},
		{"CancelRobotTask", func(c *Client) (any, error) { return c.CancelRobotTask(ctx, &CancelRobotTaskRequest{TaskID: 1}) },
			&CancelRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"},
			&CancelRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"}},
		{"CancelOrderRobotTask", func(c *Client) (any, error) {
			return c.CancelOrderRobotTask(ctx, &CancelOrderRobotTaskRequest{TaskID: 1})
		},
			&CancelOrderRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"},
			&CancelOrderRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"}},
		{"DeleteRobotTask", func(c *Client) (any, error) { return c.DeleteRobotTask(ctx, &DeleteRobotTaskRequest{TaskID: 1}) },
			&DeleteRobotTaskResponse{ResponseMeta: robotSampleMeta, Data: "true"},
			&DeleteRobotTaskResponse{ResponseMeta: robotSampleMeta, TaskID: "4001112222"}},
		{"UploadRobotTaskCalledFile", func(c *Client) (any, error) {
			return c.UploadRobotTaskCalledFile(ctx, &UploadRobotTaskCalledFileRequest{ID: 1, CalledNumber: "13900000001"})
		},
			&UploadRobotTaskCalledFileResponse{ResponseMeta: robotSampleMeta, Data: "10450****"},
			&UploadRobotTaskCalledFileResponse{ResponseMeta: robotSampleMeta, Data: "10450****"}},
	}
	for _, tc := range cases {
		for _, format := range []string{"json", "xml"} {
			t.Run(tc.action+"/"+format, func(t *testing.T) {
				c, _ := newRobotFake(t, robotOK(robotSample(t, tc.action, format)))
				got, err := tc.call(c)
				require.NoError(t, err)
				want := tc.json
				if format == "xml" {
					want = tc.xml
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// A task operation's Data may be a bare boolean false, too.
func TestRobotTaskOperationBareFalse(t *testing.T) {
	c, _ := newRobotFake(t, robotOK(`{"RequestId":"r","Code":"OK","Message":"OK","Data":false}`))
	resp, err := c.StopRobotTask(context.Background(), &StopRobotTaskRequest{TaskID: 1})
	require.NoError(t, err)
	assert.Equal(t, "false", resp.Data)
}

func TestQueryRobotTaskListSamples(t *testing.T) {
	want := []RobotTask{{
		ID: 1045001, TaskName: "[illegible]", RobotID: 1000000075003, RobotName: "[illegible]",
		Status: RobotTaskInit, ScheduleType: RobotScheduleSingle,
		CreateTime: "2019.06.14 14:55:23", CompleteTime: "2019.06.14 14:55:23", FireTime: "2019.06.14 14:55:23",
		TotalCount: 1000, FinishCount: 998,
	}}
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			c, _ := newRobotFake(t, robotOK(robotSample(t, "QueryRobotTaskList", format)))
			resp, err := c.QueryRobotTaskList(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, robotSampleMeta, resp.ResponseMeta)
			assert.Equal(t, "1", resp.PageNo)
			assert.Equal(t, "1", resp.PageSize)
			assert.Equal(t, "1", resp.TotalCount)
			assert.True(t, strings.HasPrefix(strings.TrimSpace(resp.Data), "["), "raw Data kept: %q", resp.Data)
			tasks, err := resp.Tasks()
			require.NoError(t, err)
			assert.Equal(t, want, tasks)
		})
	}
}

func TestQueryRobotTaskDetailSamples(t *testing.T) {
	want := RobotTaskDetail{
		ID: 1045001, TaskName: "[illegible]", RobotID: 1000000075003, RobotName: "[illegible]", CorpName: "[illegible]",
		Caller: "0571568xxxx,0571568xxxx", NumberStatusIdent: true, Status: RobotTaskInit, ScheduleType: RobotScheduleSingle,
		RetryType: 1, RecallStateCodes: "200010,200011", RecallTimes: 2, RecallInterval: 5,
		CreateTime: "2019-06-14 11:04:19", FireTime: "2019-06-14 11:05:23", CompleteTime: "2019-06-14 18:21:06",
		Called: []RobotCalledFile{{
			FileName:    "5102636f-7be6-4a2d-9ac7-755a2e140a50--robotCallApi",
			OssFilePath: "http://test.cn-hangzhou.oss.aliyun-inc.com/5102636f-7be6-4a2d-9ac7-755a2e140a50--robotCallApi.xlsx",
		}},
	}
	// The samples show Data as an inline object (contradiction #1); it is
	// kept as JSON text and decodes the same as a JSON string would.
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			c, _ := newRobotFake(t, robotOK(robotSample(t, "QueryRobotTaskDetail", format)))
			resp, err := c.QueryRobotTaskDetail(context.Background(), &QueryRobotTaskDetailRequest{ID: 1045001})
			require.NoError(t, err)
			assert.Equal(t, robotSampleMeta, resp.ResponseMeta)
			d, err := resp.Detail()
			require.NoError(t, err)
			assert.Equal(t, want, d)
		})
	}
	t.Run("json-in-string", func(t *testing.T) {
		r := &QueryRobotTaskDetailResponse{Data: `{"id":"1045001","numberStatusIdent":"true","called":{"fileName":"f"}}`}
		d, err := r.Detail()
		require.NoError(t, err)
		assert.Equal(t, RobotTaskDetail{ID: 1045001, NumberStatusIdent: true, Called: []RobotCalledFile{{FileName: "f"}}}, d)
	})
}

// robotSampleCall is the row both call-list samples print, once the
// unquoted transferNumber is quoted.
var robotSampleCall = RobotTaskCall{
	TaskID: 1045001, CallID: "116950320375^10375010****", Called: "130****0000",
	Duration: "60", Label: "[illegible]", DialogCount: "3", CallResult: "[illegible]", HangupDirection: "1",
	TransferResult: "3", TransferNumber: "0571-8833****", TransferFailReason: "[illegible]", RecallCurTimes: 2,
	CallStartTime: "2019.06.14 15:22:23", CallEndTime: "2019.06.14 15:22:55", SureCount: 2, DenyCount: 2,
}

// robotQuoteTransferNumber repairs the samples' invalid inner JSON.
func robotQuoteTransferNumber(s string) string {
	return strings.Replace(s, `"transferNumber" : 0571-8833****,`, `"transferNumber" : "0571-8833****",`, 1)
}

func TestQueryRobotTaskCallListSamples(t *testing.T) {
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			c, _ := newRobotFake(t, robotOK(robotSample(t, "QueryRobotTaskCallList", format)))
			resp, err := c.QueryRobotTaskCallList(context.Background(), &QueryRobotTaskCallListRequest{TaskID: "1045001"})
			require.NoError(t, err, "malformed inner JSON must not fail the call")
			assert.Equal(t, robotSampleMeta, resp.ResponseMeta)
			assert.Contains(t, resp.Data, `"callId" : "116950320375^10375010****"`)
			_, err = resp.Calls()
			assert.Error(t, err, "the sample's transferNumber is unquoted")

			resp.Data = robotQuoteTransferNumber(resp.Data)
			calls, err := resp.Calls()
			require.NoError(t, err)
			want := robotSampleCall
			want.Caller = "0571-889****"
			assert.Equal(t, []RobotTaskCall{want}, calls)
		})
	}
}

func TestQueryRobotTaskCallDetailSamples(t *testing.T) {
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			c, _ := newRobotFake(t, robotOK(robotSample(t, "QueryRobotTaskCallDetail", format)))
			resp, err := c.QueryRobotTaskCallDetail(context.Background(), &QueryRobotTaskCallDetailRequest{
				TaskID: 1045001, Callee: "130****0000", QueryDate: time.UnixMilli(1562297550000),
			})
			require.NoError(t, err, "malformed inner JSON must not fail the call")
			assert.Equal(t, robotSampleMeta, resp.ResponseMeta)
			_, err = resp.Detail()
			assert.Error(t, err, "the sample's transferNumber is unquoted")

			resp.Data = robotQuoteTransferNumber(resp.Data)
			d, err := resp.Detail()
			require.NoError(t, err)
			want := robotSampleCall
			want.Caller = "0571-8899****"
			// XML unescapes the &amp; the API reference prints; JSON keeps it.
			amp := "&amp;"
			if format == "xml" {
				amp = "&"
			}
			assert.Equal(t, RobotTaskCallDetail{
				RobotTaskCall: want,
				RecordStatus:  1,
				RecordFile: "http://alicom-fc-record-biz.cn-hangzhou.oss.aliyun-inc.com/Freeswitch_RU_117074080001_ccd71132-8256-4eb4-9217-884e1d87c0d4_record.wav?Expires=1562740186" +
					amp + "OSSAccessKeyId=bypFNbGJVk7****" + amp + "Signature=99losPmytVl%2BMH85noZGD******",
				DialogDetail: []RobotDialogTurn{{Role: "robot", SpeakTime: "2019-06-19 20:44:17", Content: "[illegible]"}},
			}, d)
		})
	}
}

// Responses the catalogue has no sample for, in the shapes it documents.
func TestRobotResponsesWithoutSamples(t *testing.T) {
	ctx := context.Background()
	const meta = `"RequestId":"r1","Code":"OK","Message":"OK"`
	m := ResponseMeta{RequestID: "r1", Code: "OK", Message: "OK"}

	t.Run("SmartCall", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`{`+meta+`,"CallId":"116012354148^10281378****"}`))
		resp, err := c.SmartCall(ctx, &SmartCallRequest{CalledNumber: "13900000001", CalledShowNumber: "13900000002", VoiceCode: "3", OutID: "o1"})
		require.NoError(t, err)
		assert.Equal(t, &SmartCallResponse{ResponseMeta: m, CallID: "116012354148^10281378****", OutID: "o1"}, resp)
	})
	t.Run("SmartCallOperate", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`<SmartCallOperateResponse><RequestId>r1</RequestId><Code>OK</Code><Message>OK</Message><Status>true</Status></SmartCallOperateResponse>`))
		resp, err := c.SmartCallOperate(ctx, &SmartCallOperateRequest{CallID: "1", Command: SmartCallParallelBridge})
		require.NoError(t, err)
		assert.Equal(t, &SmartCallOperateResponse{ResponseMeta: m, Status: true}, resp)
	})
	t.Run("BatchRobotSmartCall", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`{`+meta+`,"TaskId":"1234****"}`))
		resp, err := c.BatchRobotSmartCall(ctx, &BatchRobotSmartCallRequest{TaskName: "t", DialogID: "1", CalledNumber: "13900000002", CalledShowNumber: "13900000003"})
		require.NoError(t, err)
		assert.Equal(t, &BatchRobotSmartCallResponse{ResponseMeta: m, TaskID: "1234****"}, resp)
	})
	t.Run("CreateRobotTask", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`{`+meta+`,"Data":"1045001"}`))
		resp, err := c.CreateRobotTask(ctx, &CreateRobotTaskRequest{TaskName: "t", DialogID: 1, Caller: "2", NumberStatusIdent: Ptr(true), RetryType: Ptr(RobotRetryOn)})
		require.NoError(t, err)
		assert.Equal(t, &CreateRobotTaskResponse{ResponseMeta: m, Data: "1045001"}, resp)
		id, err := resp.TaskID()
		require.NoError(t, err)
		assert.Equal(t, int64(1045001), id)
		_, err = (&CreateRobotTaskResponse{Data: "x"}).TaskID()
		assert.Error(t, err)
	})
	t.Run("QueryRobotInfoList", func(t *testing.T) {
		for _, body := range []string{
			`{` + meta + `,"Data":"[{\"id\":1000000075003,\"robotName\":\"r\",\"robotType\":\"CUSTOM\",\"auditStatus\":\"AUDITPASS\",\"gmtCreate\":\"2019-06-14 11:04:19\",\"gmtModified\":\"2019-06-15 11:04:19\",\"partnerId\":42,\"asrId\":\"a1\",\"asrType\":\"public\",\"remark\":\"x\"}]"}`,
			`<QueryRobotInfoListResponse><RequestId>r1</RequestId><Code>OK</Code><Message>OK</Message><Data>[{"id":"1000000075003","robotName":"r","robotType":"CUSTOM","auditStatus":"AUDITPASS","gmtCreate":"2019-06-14 11:04:19","gmtModified":"2019-06-15 11:04:19","partnerId":"42","asrId":"a1","asrType":"public","remark":"x"}]</Data></QueryRobotInfoListResponse>`,
		} {
			c, _ := newRobotFake(t, robotOK(body))
			resp, err := c.QueryRobotInfoList(ctx, &QueryRobotInfoListRequest{AuditStatus: RobotAuditPass})
			require.NoError(t, err)
			assert.Equal(t, m, resp.ResponseMeta)
			robots, err := resp.Robots()
			require.NoError(t, err)
			assert.Equal(t, []RobotInfo{{
				ID: 1000000075003, RobotName: "r", RobotType: "CUSTOM", AuditStatus: RobotAuditPass,
				GmtCreate: "2019-06-14 11:04:19", GmtModified: "2019-06-15 11:04:19", PartnerID: 42,
				AsrID: "a1", AsrType: "public", Remark: "x",
			}}, robots)
		}
	})
	t.Run("QueryRobotv2AllList", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`{`+meta+`,"Data":"[{\"id\":7,\"robotName\":\"s\",\"robotType\":\"CUSTOM\"}]"}`))
		resp, err := c.QueryRobotv2AllList(ctx, nil)
		require.NoError(t, err)
		scripts, err := resp.Scripts()
		require.NoError(t, err)
		assert.Equal(t, []RobotScript{{ID: 7, RobotName: "s", RobotType: "CUSTOM"}}, scripts)
	})
	t.Run("ListRobotTaskCalls success code 200", func(t *testing.T) {
		// No source gives its success code, so both OK and 200 count.
		c, _ := newRobotFake(t, robotOK(`{"RequestId":"r1","Code":"200","Data":"[{\"taskId\":\"1\",\"callId\":\"1^2\"}]","PageNo":"1","PageSize":"10","TotalCount":"1"}`))
		resp, err := c.ListRobotTaskCalls(ctx, &ListRobotTaskCallsRequest{TaskID: "1"})
		require.NoError(t, err)
		assert.Equal(t, "1", resp.TotalCount)
		calls, err := resp.Calls()
		require.NoError(t, err)
		assert.Equal(t, []RobotTaskCall{{TaskID: 1, CallID: "1^2"}}, calls)
	})
}

// The typed Data decoders: empty Data, lenient values, the misspelt
// konwledgeCount key.
func TestRobotDataDecoders(t *testing.T) {
	calls, err := (&QueryRobotTaskCallListResponse{}).Calls()
	require.NoError(t, err)
	assert.Nil(t, calls)
	tasks, err := (&QueryRobotTaskListResponse{Data: " null "}).Tasks()
	require.NoError(t, err)
	assert.Nil(t, tasks)

	calls, err = (&QueryRobotTaskCallListResponse{Data: `[{"taskId":"5","recallCurTimes":"2","konwledgeCount":7},{"knowledgeCount":3,"konwledgeCount":7}]`}).Calls()
	require.NoError(t, err)
	assert.Equal(t, []RobotTaskCall{{TaskID: 5, RecallCurTimes: 2, KnowledgeCount: 7}, {KnowledgeCount: 3}}, calls)

	d, err := (&QueryRobotTaskCallDetailResponse{Data: `{"konwledgeCount":4,"recordStatus":"2"}`}).Detail()
	require.NoError(t, err)
	assert.Equal(t, RobotTaskCallDetail{RobotTaskCall: RobotTaskCall{KnowledgeCount: 4}, RecordStatus: 2}, d)

	_, err = (&QueryRobotInfoListResponse{Data: `[{"id":`}).Robots()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "QueryRobotInfoList")
}

// ---------------------------------------------------------------------------
// Paged listings.

// robotTaskPages serves QueryRobotTaskList over total tasks, honouring
// PageNo and PageSize.
func robotTaskPages(total int) func(int, url.Values) (int, string) {
	return func(_ int, form url.Values) (int, string) {
		no, _ := strconv.Atoi(form.Get("PageNo"))
		size, _ := strconv.Atoi(form.Get("PageSize"))
		var rows []string
		for id := (no-1)*size + 1; id <= no*size && id <= total; id++ {
			rows = append(rows, fmt.Sprintf(`{"id":%d,"status":"FINISH"}`, id))
		}
		data, _ := json.Marshal("[" + strings.Join(rows, ",") + "]")
		return http.StatusOK, fmt.Sprintf(`{"RequestId":"r","Code":"OK","Message":"OK","Data":%s,"PageNo":"%d","PageSize":"%d","TotalCount":"%d"}`, data, no, size, total)
	}
}

func TestQueryRobotTaskListAll(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		total       int
		first       int32
		wantIDs     []int64
		wantPageNos []string
	}{
		{"short last page", 5, 0, []int64{1, 2, 3, 4, 5}, []string{"1", "2", "3"}},
		{"stops at the total without asking for an empty page", 4, 0, []int64{1, 2, 3, 4}, []string{"1", "2"}},
		{"starts at the caller's PageNo", 5, 2, []int64{3, 4, 5}, []string{"2", "3"}},
		{"empty listing", 0, 0, nil, []string{"1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newRobotFake(t, robotTaskPages(tc.total))
			req := &QueryRobotTaskListRequest{Status: RobotTaskFinish, PageSize: 2, PageNo: tc.first}
			before := *req
			var ids []int64
			for task, err := range c.QueryRobotTaskListAll(ctx, req) {
				require.NoError(t, err)
				ids = append(ids, task.ID)
			}
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, before, *req, "the caller's request is unchanged")
			var pageNos []string
			for i := 0; i < f.requests(); i++ {
				pageNos = append(pageNos, f.form(i).Get("PageNo"))
				assert.Equal(t, "FINISH", f.form(i).Get("Status"))
			}
			assert.Equal(t, tc.wantPageNos, pageNos)
		})
	}
}

func TestQueryRobotTaskListAllStopsEarly(t *testing.T) {
	ctx := context.Background()
	t.Run("break", func(t *testing.T) {
		c, f := newRobotFake(t, robotTaskPages(100))
		for range c.QueryRobotTaskListAll(ctx, &QueryRobotTaskListRequest{PageSize: 2}) {
			break
		}
		assert.Equal(t, 1, f.requests())
	})
	t.Run("error yielded once", func(t *testing.T) {
		pages := robotTaskPages(100)
		c, f := newRobotFake(t, func(n int, form url.Values) (int, string) {
			if n >= 2 { // page 2 and every retry of it
				return http.StatusServiceUnavailable, `{"RequestId":"r","Code":"ServiceUnavailable","Message":"busy"}`
			}
			return pages(n, form)
		})
		var ids []int64
		var errs []error
		for task, err := range c.QueryRobotTaskListAll(ctx, &QueryRobotTaskListRequest{PageSize: 2}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, task.ID)
		}
		assert.Equal(t, []int64{1, 2}, ids)
		require.Len(t, errs, 1)
		assert.Equal(t, ErrorCodeServiceUnavailable, CodeOf(errs[0]))
		assert.Equal(t, 1+DefaultMaxAttempts, f.requests(), "page 1, then page 2 attempted until retries ran out")
	})
	t.Run("malformed Data is an error", func(t *testing.T) {
		c, _ := newRobotFake(t, robotOK(`{"RequestId":"r","Code":"OK","Data":"[{","TotalCount":"9"}`))
		var errs int
		for _, err := range c.QueryRobotTaskListAll(ctx, nil) {
			require.Error(t, err)
			errs++
		}
		assert.Equal(t, 1, errs)
	})
	t.Run("cancelled context", func(t *testing.T) {
		c, f := newRobotFake(t, robotTaskPages(100))
		cctx, cancel := context.WithCancel(ctx)
		var got int
		for _, err := range c.QueryRobotTaskListAll(cctx, &QueryRobotTaskListRequest{PageSize: 2}) {
			if err != nil {
				assert.ErrorIs(t, err, context.Canceled)
				break
			}
			got++
			if got == 2 {
				cancel()
			}
		}
		cancel()
		assert.Equal(t, 2, got)
		assert.Equal(t, 1, f.requests())
	})
}

// robotCallPages serves call rows over total calls; withTotal adds the
// ListRobotTaskCalls paging fields.
func robotCallPages(total int, withTotal bool) func(int, url.Values) (int, string) {
	return func(_ int, form url.Values) (int, string) {
		no, _ := strconv.Atoi(form.Get("PageNo"))
		size, _ := strconv.Atoi(form.Get("PageSize"))
		var rows []string
		for id := (no-1)*size + 1; id <= no*size && id <= total; id++ {
			rows = append(rows, fmt.Sprintf(`{"taskId":1,"callId":"1^%d"}`, id))
		}
		data, _ := json.Marshal("[" + strings.Join(rows, ",") + "]")
		paging := ""
		if withTotal {
			paging = fmt.Sprintf(`,"PageNo":"%d","PageSize":"%d","TotalCount":"%d"`, no, size, total)
		}
		return http.StatusOK, fmt.Sprintf(`{"RequestId":"r","Code":"OK","Data":%s%s}`, data, paging)
	}
}

func TestRobotCallListingsAll(t *testing.T) {
	ctx := context.Background()
	collect := func(seq func(func(RobotTaskCall, error) bool)) []string {
		var ids []string
		for call, err := range seq {
			require.NoError(t, err)
			ids = append(ids, call.CallID)
		}
		return ids
	}
	t.Run("QueryRobotTaskCallListAll stops at a short page", func(t *testing.T) {
		c, f := newRobotFake(t, robotCallPages(5, false))
		req := &QueryRobotTaskCallListRequest{TaskID: "1", PageSize: 2}
		before := *req
		assert.Equal(t, []string{"1^1", "1^2", "1^3", "1^4", "1^5"}, collect(c.QueryRobotTaskCallListAll(ctx, req)))
		assert.Equal(t, 3, f.requests())
		assert.Equal(t, before, *req)
		assert.Equal(t, "1", f.form(2).Get("TaskId"))
	})
	t.Run("QueryRobotTaskCallListAll stops at an empty page", func(t *testing.T) {
		c, f := newRobotFake(t, robotCallPages(4, false))
		assert.Len(t, collect(c.QueryRobotTaskCallListAll(ctx, &QueryRobotTaskCallListRequest{TaskID: "1", PageSize: 2})), 4)
		assert.Equal(t, 3, f.requests(), "without a total, only an empty page ends a listing of full pages")
	})
	t.Run("QueryRobotTaskCallListAll validates", func(t *testing.T) {
		c, f := newRobotFake(t, robotCallPages(4, false))
		var errs []error
		for _, err := range c.QueryRobotTaskCallListAll(ctx, &QueryRobotTaskCallListRequest{PageSize: 2}) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrInvalidParameter)
		assert.Equal(t, 0, f.requests())
	})
	t.Run("ListRobotTaskCallsAll stops at the total", func(t *testing.T) {
		c, f := newRobotFake(t, robotCallPages(6, true))
		req := &ListRobotTaskCallsRequest{TaskID: "1", PageSize: 3}
		before := *req
		assert.Len(t, collect(c.ListRobotTaskCallsAll(ctx, req)), 6)
		assert.Equal(t, 2, f.requests())
		assert.Equal(t, before, *req)
	})
}

// Every top-level key of the catalogue's response fields and sample bodies
// has a field in the typed response.
func TestRobotResponseFieldsCoverCatalogue(t *testing.T) {
	types := map[string]reflect.Type{
		"IvrCall":                   reflect.TypeOf(IvrCallResponse{}),
		"BatchRobotSmartCall":       reflect.TypeOf(BatchRobotSmartCallResponse{}),
		"CancelOrderRobotTask":      reflect.TypeOf(CancelOrderRobotTaskResponse{}),
		"CancelRobotTask":           reflect.TypeOf(CancelRobotTaskResponse{}),
		"CreateRobotTask":           reflect.TypeOf(CreateRobotTaskResponse{}),
		"DeleteRobotTask":           reflect.TypeOf(DeleteRobotTaskResponse{}),
		"ListRobotTaskCalls":        reflect.TypeOf(ListRobotTaskCallsResponse{}),
		"QueryRobotInfoList":        reflect.TypeOf(QueryRobotInfoListResponse{}),
		"QueryRobotTaskCallDetail":  reflect.TypeOf(QueryRobotTaskCallDetailResponse{}),
		"QueryRobotTaskCallList":    reflect.TypeOf(QueryRobotTaskCallListResponse{}),
		"QueryRobotTaskDetail":      reflect.TypeOf(QueryRobotTaskDetailResponse{}),
		"QueryRobotTaskList":        reflect.TypeOf(QueryRobotTaskListResponse{}),
		"QueryRobotv2AllList":       reflect.TypeOf(QueryRobotv2AllListResponse{}),
		"SmartCall":                 reflect.TypeOf(SmartCallResponse{}),
		"SmartCallOperate":          reflect.TypeOf(SmartCallOperateResponse{}),
		"StartRobotTask":            reflect.TypeOf(StartRobotTaskResponse{}),
		"StopRobotTask":             reflect.TypeOf(StopRobotTaskResponse{}),
		"UploadRobotTaskCalledFile": reflect.TypeOf(UploadRobotTaskCalledFileResponse{}),
	}
	groups := catalog.Groups()
	require.ElementsMatch(t, append(append([]string{}, groups["ivr"]...), groups["robot"]...), robotMapKeys(types))
	for name, typ := range types {
		a := catalog.Lookup(name)
		for _, f := range a.Response {
			assert.Contains(t, indexFor(typ).exact, f.Name, "%s: no field for %s", name, f.Name)
		}
		for _, body := range []string{a.Samples.JSON, a.Samples.XML} {
			if body == "" {
				continue
			}
			_, tree, err := parseBody([]byte(body))
			require.NoError(t, err, name)
			for k := range tree {
				assert.Contains(t, indexFor(typ).exact, k, "%s: sample key %s has no field", name, k)
			}
		}
	}
}

func robotMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
