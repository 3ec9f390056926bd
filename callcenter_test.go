package dyvms

import (
	"context"
	"encoding/json"
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

// ccFake is a loopback Dyvmsapi for the callcenter and hotline tests. It
// records each request's query (common parameters) and form body (the
// Action's own parameters) and answers with respond(action, body).
type ccFake struct {
	mu      sync.Mutex
	queries []url.Values
	bodies  []url.Values
	respond func(action string, body url.Values) string
}

func (f *ccFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	body, err := url.ParseQuery(string(raw))
	if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	out := f.respond(q.Get("Action"), body)
	if strings.HasPrefix(out, "<") {
		w.Header().Set("Content-Type", "application/xml")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	_, _ = io.WriteString(w, out)
}

func (f *ccFake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *ccFake) all() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.bodies...)
}

func (f *ccFake) last() (query, body url.Values) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queries[len(f.queries)-1], f.bodies[len(f.bodies)-1]
}

// ccClient starts a fake answering respond and returns a client for it.
func ccClient(t *testing.T, respond func(action string, body url.Values) string) (*Client, *ccFake) {
	t.Helper()
	f := &ccFake{respond: respond}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithAccessKey("testid", "testsecret"), WithEndpoint(srv.URL),
		withClock(func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }),
		withNonce(func() string { return "nonce" }))
	require.NoError(t, err)
	return c, f
}

var ccDay = time.Date(2022, 12, 21, 0, 0, 0, 0, ChinaStandardTime()) // 1671552000000 ms

func TestCallcenterWire(t *testing.T) {
	checkWire(t, []wireCase{
		{"CreateCallTask", func(ctx context.Context, c *Client) error {
			_, err := c.CreateCallTask(ctx, &CreateCallTaskRequest{
				TaskName: "Aliyun", BizType: CallTaskBizVoiceTTS, TemplateCode: "TTS_2122****",
				TemplateName: "Test Template", DataType: CallTaskDataJSON,
				Data: CallTaskData{ParamNames: []string{"name", "code"}, CalleeList: []CallTaskCallee{
					{Callee: "1390000****", Params: []string{"李雷", "1234"}},
					{Callee: "1390001****", Params: []string{"A&B <x>", "5678"}},
				}},
				Resource: "05516214****", ResourceType: CallTaskResourceList,
				FireTime: "1", ScheduleType: "2", StopTime: "3",
			})
			return err
		}, map[string]string{
			"TaskName": "Aliyun", "BizType": "VMS_VOICE_TTS", "TemplateCode": "TTS_2122****",
			"TemplateName": "Test Template", "DataType": "JSON",
			"Data":     `{"paramNames":["name","code"],"calleeList":[{"callee":"1390000****","params":["李雷","1234"]},{"callee":"1390001****","params":["A&B <x>","5678"]}]}`,
			"Resource": "05516214****", "ResourceType": "LIST", "FireTime": "1", "ScheduleType": "2", "StopTime": "3",
		}},
		{"ExecuteCallTask", func(ctx context.Context, c *Client) error {
			_, err := c.ExecuteCallTask(ctx, &ExecuteCallTaskRequest{TaskID: 22560001, Status: CallTaskRunning,
				FireTime: time.Date(2021, 3, 9, 0, 0, 0, 0, time.UTC)})
			return err
		}, map[string]string{"TaskId": "22560001", "Status": "RUNNING", "FireTime": "2021-03-09 08:00:00"}},
		{"ListCallTask", func(ctx context.Context, c *Client) error {
			_, err := c.ListCallTask(ctx, &ListCallTaskRequest{PageNumber: 2, PageSize: 10, TaskID: "151001",
				TaskName: "Aliyun", TemplateName: "Test Template", BizType: CallTaskBizVoiceCode, Status: CallTaskDone})
			return err
		}, map[string]string{"PageNumber": "2", "PageSize": "10", "TaskId": "151001", "TaskName": "Aliyun",
			"TemplateName": "Test Template", "BizType": "VMS_VOICE_CODE", "Status": "DONE"}},
		{"ListCallTaskDetail", func(ctx context.Context, c *Client) error {
			_, err := c.ListCallTaskDetail(ctx, &ListCallTaskDetailRequest{TaskID: 1500011, PageNumber: 1, PageSize: 10,
				CalledNum: "1300000****", Status: CallTaskCalleeSuccess})
			return err
		}, map[string]string{"TaskId": "1500011", "PageNumber": "1", "PageSize": "10", "CalledNum": "1300000****", "Status": "SUCCESS"}},
		{"QueryCallDetailByCallId", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallDetailByCallId(ctx, &QueryCallDetailByCallIdRequest{CallID: "116014888060^10281631****",
				ProdID: ProductVoiceTTS, QueryDate: ccDay})
			return err
		}, map[string]string{"CallId": "116014888060^10281631****", "ProdId": "11010000138001", "QueryDate": "1671552000000"}},
		{"QueryCallDetailByTaskId", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallDetailByTaskId(ctx, &QueryCallDetailByTaskIdRequest{TaskID: "4001112222",
				Callee: "1390000****", QueryDate: ccDay.In(time.UTC)})
			return err
		}, map[string]string{"TaskId": "4001112222", "Callee": "1390000****", "QueryDate": "1671552000000"}},
		{"DescribeRecordData", func(ctx context.Context, c *Client) error {
			_, err := c.DescribeRecordData(ctx, &DescribeRecordDataRequest{AccountID: "a1", AccountType: "t",
				Acid: "100", ProdCode: "dyvms", SecLevel: 2})
			return err
		}, map[string]string{"AccountId": "a1", "AccountType": "t", "Acid": "100", "ProdCode": "dyvms", "SecLevel": "2"}},
		{"DoubleCallSeat", func(ctx context.Context, c *Client) error {
			_, err := c.DoubleCallSeat(ctx, &DoubleCallSeatRequest{CallerNumber: "13900000001", CallerShowNumber: "13900000002",
				CalledNumber: "13900000003", CalledShowNumber: "13900000004", CallType: "t", VoiceCode: "v.wav", RecordFlag: true,
				RecordPoint: 1, AsrFlag: true, AsrModelID: "m", SessionTimeout: 120, OutID: "out-1"})
			return err
		}, map[string]string{"CallerNumber": "13900000001", "CallerShowNumber": "13900000002", "CalledNumber": "13900000003", "CalledShowNumber": "13900000004",
			"CallType": "t", "VoiceCode": "v.wav", "RecordFlag": "true", "RecordPoint": "1", "AsrFlag": "true",
			"AsrModelId": "m", "SessionTimeout": "120", "OutId": "out-1"}},
		{"ListOrderedNumbers", func(ctx context.Context, c *Client) error {
			_, err := c.ListOrderedNumbers(ctx, &ListOrderedNumbersRequest{ProdCode: "dyvms"})
			return err
		}, map[string]string{"ProdCode": "dyvms"}},
		{"ListOutboundStrategies", func(ctx context.Context, c *Client) error {
			_, err := c.ListOutboundStrategies(ctx, &ListOutboundStrategiesRequest{BuID: 7, Keyword: "k", ProdCode: "p"})
			return err
		}, map[string]string{"BuId": "7", "Keyword": "k", "ProdCode": "p"}},
		{"StartMicroOutbound", func(ctx context.Context, c *Client) error {
			_, err := c.StartMicroOutbound(ctx, &StartMicroOutboundRequest{AccountID: "a", AccountType: "t", AppName: "app",
				CalledNumber: "1", CallingNumber: "2", CommandCode: "c", ExtInfo: `{"k":"v"}`, ProdCode: "p"})
			return err
		}, map[string]string{"AccountId": "a", "AccountType": "t", "AppName": "app", "CalledNumber": "1",
			"CallingNumber": "2", "CommandCode": "c", "ExtInfo": `{"k":"v"}`, "ProdCode": "p"}},
	})
}

// ccInvalidCase is a request that must fail validation with nothing sent.
type ccInvalidCase struct {
	name  string
	call  func(ctx context.Context, c *Client) error
	field string
}

func ccRunInvalid(t *testing.T, cases []ccInvalidCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := ccClient(t, okReply)
			err := tc.call(context.Background(), c)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, ErrInvalidParameter)
			assert.Equal(t, tc.field, ve.Field)
			assert.Zero(t, f.count(), "nothing may be sent")
		})
	}
}

func TestCallcenterValidation(t *testing.T) {
	ccRunInvalid(t, []ccInvalidCase{
		{"ExecuteCallTask/TaskId", func(ctx context.Context, c *Client) error {
			_, err := c.ExecuteCallTask(ctx, &ExecuteCallTaskRequest{Status: CallTaskStop})
			return err
		}, "TaskId"},
		{"ExecuteCallTask/Status", func(ctx context.Context, c *Client) error {
			_, err := c.ExecuteCallTask(ctx, &ExecuteCallTaskRequest{TaskID: 1})
			return err
		}, "Status"},
		{"ListCallTaskDetail/TaskId", func(ctx context.Context, c *Client) error {
			_, err := c.ListCallTaskDetail(ctx, &ListCallTaskDetailRequest{PageNumber: 1})
			return err
		}, "TaskId"},
		{"QueryCallDetailByCallId/QueryDate", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallDetailByCallId(ctx, &QueryCallDetailByCallIdRequest{CallID: "x", ProdID: ProductIVR})
			return err
		}, "QueryDate"},
		{"QueryCallDetailByCallId/nil", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallDetailByCallId(ctx, nil)
			return err
		}, "CallId"},
		{"QueryCallDetailByTaskId/Callee", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallDetailByTaskId(ctx, &QueryCallDetailByTaskIdRequest{TaskID: "1", QueryDate: ccDay})
			return err
		}, "Callee"},
		{"CreateCallTask/params", func(ctx context.Context, c *Client) error {
			_, err := c.CreateCallTask(ctx, &CreateCallTaskRequest{TaskName: "t", DataType: CallTaskDataJSON,
				Data: CallTaskData{ParamNames: []string{"a", "b"}, CalleeList: []CallTaskCallee{{Callee: "1", Params: []string{"x"}}}}})
			return err
		}, "Data"},
		{"CreateCallTask/callee", func(ctx context.Context, c *Client) error {
			_, err := c.CreateCallTask(ctx, &CreateCallTaskRequest{Data: CallTaskData{CalleeList: []CallTaskCallee{{}}}})
			return err
		}, "Data"},
		{"DoubleCallSeat/OutId", func(ctx context.Context, c *Client) error {
			_, err := c.DoubleCallSeat(ctx, &DoubleCallSeatRequest{OutID: "0123456789abcdef"})
			return err
		}, "OutId"},
	})
}

// A callee list without variables is sent with empty arrays, never null.
func TestCallTaskDataEmptyParams(t *testing.T) {
	s, err := marshalJSON(CallTaskData{CalleeList: []CallTaskCallee{{Callee: "1390000****"}}})
	require.NoError(t, err)
	assert.Equal(t, `{"paramNames":[],"calleeList":[{"callee":"1390000****","params":[]}]}`, s)
}

// The catalogue's example of Data decodes into CallTaskData and encodes
// back to the same bytes.
func TestCallTaskDataCatalogueExample(t *testing.T) {
	var ex string
	require.NoError(t, json.Unmarshal(catalog.Lookup("CreateCallTask").Param("Data").Example, &ex))
	var d CallTaskData
	require.NoError(t, UnmarshalLenient([]byte(ex), &d))
	require.Len(t, d.CalleeList, 2)
	s, err := marshalJSON(d)
	require.NoError(t, err)
	assert.Equal(t, ex, s)
}

// ccSampleCase decodes the catalogue's sample bodies of action, or body
// when the catalogue has none, and compares the result with want.
type ccSampleCase struct {
	action string
	body   string // used when the catalogue has no sample
	call   func(ctx context.Context, c *Client) (any, error)
	want   any
}

func ccRunSamples(t *testing.T, cases []ccSampleCase) {
	t.Helper()
	for _, tc := range cases {
		bodies := map[string]string{}
		if s := catalog.Lookup(tc.action).Samples; s.JSON != "" || s.XML != "" {
			bodies["json"], bodies["xml"] = s.JSON, s.XML
		} else {
			bodies["handmade"] = tc.body
		}
		for kind, body := range bodies {
			if body == "" {
				continue
			}
			t.Run(tc.action+"/"+kind, func(t *testing.T) {
				c, _ := ccClient(t, func(string, url.Values) string { return body })
				got, err := tc.call(context.Background(), c)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			})
		}
	}
}

func TestCallcenterSamples(t *testing.T) {
	ccRunSamples(t, []ccSampleCase{
		{action: "CreateCallTask", call: func(ctx context.Context, c *Client) (any, error) {
			return c.CreateCallTask(ctx, &CreateCallTaskRequest{TaskName: "t"})
		}, want: &CreateCallTaskResponse{ResponseMeta{"ED815433-724A-4357-9991-A54AD2FF09FD", "200", ""}, 123456}},
		{action: "ExecuteCallTask", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ExecuteCallTask(ctx, &ExecuteCallTaskRequest{TaskID: 1, Status: CallTaskStop})
		}, want: &ExecuteCallTaskResponse{ResponseMeta{"53D0F0Fe-cbbB-De28-6FCd-DdbBcefA46dD", "200", ""}, true}},
		{action: "ListCallTask", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListCallTask(ctx, nil)
		}, want: &ListCallTaskResponse{
			ResponseMeta: ResponseMeta{"5B0F201F-DCDA-45C2-AA92-1AE177F94991", "200", ""},
			Tasks: []CallTask{
				{ID: 1951001, TaskName: "[illegible]", BizType: CallTaskBizVoiceTTS, Status: CallTaskDone,
					TemplateCode: "TTS_21194****", TemplateName: "[illegible]", Resource: "05516214****",
					DataType: CallTaskDataList, Data: "0fec3add-ef76-4c24-9728-666ababae9d6--alicomTask.xlsx",
					TotalCount: 1, CompletedCount: 1, CompletedRate: 10000, FireTime: "1614330978000", CompleteTime: "1614330986000"},
				{ID: 195002, TaskName: "[illegible]", BizType: CallTaskBizVoiceTTS, Status: CallTaskDone,
					TemplateCode: "TTS_21194****", TemplateName: "[illegible]", Resource: "05516214****",
					DataType: CallTaskDataFile, Data: "dyvms_51bae600-1e0c-4f65-9fb5-5811fd2226b7.xlsx",
					TotalCount: 2, CompletedCount: 2, CompletedRate: 10000, FireTime: "1614159414000", CompleteTime: "1614159424000"},
			},
			PageNumber: 1, PageSize: 2, Total: 20,
		}},
		{action: "ListCallTaskDetail", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListCallTaskDetail(ctx, &ListCallTaskDetailRequest{TaskID: 1})
		}, want: &ListCallTaskDetailResponse{
			ResponseMeta: ResponseMeta{"7C943A5D-E12A-4184-A5F8-CF57B92815E3", "OK", ""},
			Results: []CallTaskCallResult{
				{CalledNum: "1300001****", Caller: "05516214****", Status: CallTaskCalleeFail},
				{CalledNum: "1310000****", Caller: "05516214****", Status: CallTaskCalleeFail},
			},
			PageNumber: 1, PageSize: 2, Total: 1000, TotalPage: 500,
		}},
		{action: "QueryCallDetailByCallId", call: func(ctx context.Context, c *Client) (any, error) {
			r, err := c.QueryCallDetailByCallId(ctx, &QueryCallDetailByCallIdRequest{CallID: "x", ProdID: ProductIVR, QueryDate: ccDay})
			if err != nil {
				return nil, err
			}
			d, err := r.Detail()
			return d, err
		}, want: CallDetail{Caller: "18767****", CallerShowNumber: "05344****", Callee: "1373546****",
			CalleeShowNumber: "053447****", State: "502", StateDesc: "502", GmtCreate: "2017-11-27 20:09:06",
			BRingTime: "2022-01-01 12:02:00", BEndTime: "2022-01-01 12:02:28"}},
		{action: "QueryCallDetailByTaskId", body: `{"Code":"OK","RequestId":"R","Data":"{\"callId\":\"c1\",\"callee\":\"1390000****\",\"calleeShowNumber\":\"0571****\",\"state\":\"200000\",\"statusCode\":\"200000\",\"stateDesc\":\"ok\",\"duration\":\"12\",\"gmtCreate\":\"2020-10-09 09:02:03\",\"startDate\":\"2020-10-09 09:02:10\",\"endDate\":\"2020-10-09 09:02:22\",\"hangupDirection\":1,\"tags\":\"a,b\",\"dialogCount\":3,\"sureCount\":1,\"denyCount\":0,\"rejectCount\":0,\"customCount\":2,\"knowledgeCount\":1,\"knowledgeCommonCount\":1,\"knowledgeBusinessCount\":0,\"defaultCount\":0,\"recordFile\":\"https://x/r.wav\",\"recordStatus\":1,\"dialogDetail\":[{\"role\":\"robot\",\"content\":\"hello\",\"time\":1602205330000}]}"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				r, err := c.QueryCallDetailByTaskId(ctx, &QueryCallDetailByTaskIdRequest{TaskID: "1", Callee: "2", QueryDate: ccDay})
				if err != nil {
					return nil, err
				}
				return r.Detail()
			}, want: TaskCallDetail{CallID: "c1", Callee: "1390000****", CalleeShowNumber: "0571****", State: "200000",
				StatusCode: "200000", StateDesc: "ok", Duration: 12, GmtCreate: "2020-10-09 09:02:03",
				StartDate: "2020-10-09 09:02:10", EndDate: "2020-10-09 09:02:22", HangupDirection: RobotHangupRobot, Tags: "a,b",
				DialogCount: 3, SureCount: 1, CustomCount: 2, KnowledgeCount: 1, KnowledgeCommonCount: 1,
				RecordFile: "https://x/r.wav", RecordStatus: 1,
				DialogDetail: []TaskCallDialogTurn{{Role: "robot", Content: "hello", Time: "1602205330000"}}}},
		{action: "DescribeRecordData", body: `<DescribeRecordDataResponse><Code>OK</Code><RequestId>R</RequestId><Acid>100</Acid><AgentId>7</AgentId><OssLink>https://oss/x.wav</OssLink></DescribeRecordDataResponse>`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.DescribeRecordData(ctx, nil)
			}, want: &DescribeRecordDataResponse{ResponseMeta{"R", "OK", ""}, "100", "7", "https://oss/x.wav"}},
		{action: "DoubleCallSeat", body: `{"Code":"OK","Message":"OK","RequestId":"R","CallId":"116012354148^10281378****"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				resp, err := c.DoubleCallSeat(ctx, &DoubleCallSeatRequest{OutID: "dcs-1"})
				return resp, err
			}, want: &DoubleCallSeatResponse{ResponseMeta: ResponseMeta{"R", "OK", "OK"}, CallID: "116012354148^10281378****", OutID: "dcs-1"}},
		{action: "ListOrderedNumbers", body: `<ListOrderedNumbersResponse><Code>OK</Code><RequestId>R</RequestId><Numbers><Numbers>0571000****</Numbers><Numbers>0571001****</Numbers></Numbers></ListOrderedNumbersResponse>`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListOrderedNumbers(ctx, nil)
			}, want: &ListOrderedNumbersResponse{ResponseMeta{"R", "OK", ""}, []string{"0571000****", "0571001****"}}},
		{action: "ListOutboundStrategies", body: `{"Code":"OK","RequestId":"R","OutboundStrategies":[{"Id":1,"name":"s","BuId":2,"DepartmentId":3,"CreatorId":4,"CreatorName":"c","ModifierId":5,"ModifierName":"m","GmtCreateStr":"2020-01-01 00:00:00","GmtModifiedStr":"2020-01-02 00:00:00","ExtAttr":"{}","NumType":1,"OutboundNum":"0571","Process":50,"ResourceAllocation":1,"RobotId":"r","RobotName":"rn","RobotType":2,"RuleCode":9,"SceneName":"sc","Status":1,"SuccessRate":80}]}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListOutboundStrategies(ctx, nil)
			}, want: &ListOutboundStrategiesResponse{ResponseMeta{"R", "OK", ""}, []OutboundStrategy{{ID: 1, Name: "s", BuID: 2,
				DepartmentID: 3, CreatorID: 4, CreatorName: "c", ModifierID: 5, ModifierName: "m", GmtCreateStr: "2020-01-01 00:00:00",
				GmtModifiedStr: "2020-01-02 00:00:00", ExtAttr: "{}", NumType: 1, OutboundNum: "0571", Process: 50,
				ResourceAllocation: 1, RobotID: "r", RobotName: "rn", RobotType: 2, RuleCode: 9, SceneName: "sc", Status: 1, SuccessRate: 80}}}},
		{action: "StartMicroOutbound", body: `{"Code":"OK","RequestId":"R","CustomerInfo":"ci","InvokeCmdId":"cmd","InvokeCreateTime":"2020-01-01 00:00:00"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.StartMicroOutbound(ctx, nil)
			}, want: &StartMicroOutboundResponse{ResponseMeta{"R", "OK", ""}, "ci", "cmd", "2020-01-01 00:00:00"}},
	})
}

// The call-task Actions succeed with Code "200" and fail with "OK" where
// the catalogue says so (the client's action table, not this file, decides).
func TestCallcenterSuccessCodes(t *testing.T) {
	c, _ := ccClient(t, func(string, url.Values) string { return `{"Code":"OK","RequestId":"R","Data":1}` })
	_, err := c.CreateCallTask(context.Background(), &CreateCallTaskRequest{TaskName: "t"})
	assert.Equal(t, ErrorCode("OK"), CodeOf(err))
	_, err = c.ListCallTaskDetail(context.Background(), &ListCallTaskDetailRequest{TaskID: 1})
	assert.NoError(t, err)
}

// Malformed JSON inside Data never fails the call; Detail reports it.
func TestCallDetailMalformedInner(t *testing.T) {
	for _, data := range []string{`{"caller":`, `not json`} {
		c, _ := ccClient(t, func(string, url.Values) string {
			return `{"Code":"OK","RequestId":"R","Data":` + strconv.Quote(data) + `}`
		})
		r, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "x", ProdID: ProductIVR, QueryDate: ccDay})
		require.NoError(t, err)
		assert.Equal(t, data, r.Data)
		_, err = r.Detail()
		assert.Error(t, err)
		_, err = (&QueryCallDetailByTaskIdResponse{Data: data}).Detail()
		assert.Error(t, err)
	}
	d, err := (&QueryCallDetailByCallIdResponse{}).Detail()
	assert.ErrorIs(t, err, ErrNoRecord, "an empty Data is no record")
	assert.Zero(t, d)
	// An inline object instead of a string is accepted too.
	c, _ := ccClient(t, func(string, url.Values) string {
		return `{"Code":"OK","RequestId":"R","Data":{"caller":"1","duration":"5","gmtCreate":"2017-11-27 20:09:06"}}`
	})
	r, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "x", ProdID: ProductIVR, QueryDate: ccDay})
	require.NoError(t, err)
	d, err = r.Detail()
	require.NoError(t, err)
	assert.Equal(t, int64(5), d.Duration)
	assert.Equal(t, time.Date(2017, 11, 27, 12, 9, 6, 0, time.UTC), d.CreatedAt().UTC())
	assert.True(t, d.StartedAt().IsZero())
}

func TestCallTaskTimes(t *testing.T) {
	ct := CallTask{FireTime: "1614330978000", CompleteTime: ""}
	assert.Equal(t, time.UnixMilli(1614330978000).UTC(), ct.FireTimeAt().UTC())
	assert.True(t, ct.CompleteTimeAt().IsZero())
}

// ccPager serves a paged listing of total items: the request's page
// parameter (pageKey) selects the page, page size fixed by the server.
func ccPager(pageKey string, total, size int, render func(pageNo, from, to int) string) func(string, url.Values) string {
	return func(_ string, body url.Values) string {
		n := 1
		if v := body.Get(pageKey); v != "" {
			n, _ = strconv.Atoi(v)
		}
		from := (n - 1) * size
		to := min(from+size, total)
		if from > total {
			from = total
		}
		return render(n, from, to)
	}
}

// ccPaging is one iterator under test: run walks the listing with a request
// asking for page size 2 and returns the item keys and the request as it
// is after the walk (it must be unchanged).
type ccPaging struct {
	name    string
	pageKey string
	render  func(pageNo, from, to int) string
	run     func(ctx context.Context, c *Client, stopAfter int) (keys []string, reqUnchanged bool, err error)
}

func ccRunPaging(t *testing.T, cases []ccPaging) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := ccClient(t, ccPager(tc.pageKey, 5, 2, tc.render))
			keys, same, err := tc.run(context.Background(), c, -1)
			require.NoError(t, err)
			assert.Equal(t, []string{"k0", "k1", "k2", "k3", "k4"}, keys)
			assert.Equal(t, 3, f.count(), "three pages, then stop at the total")
			for i, b := range f.all() {
				assert.Equal(t, strconv.Itoa(i+1), b.Get(tc.pageKey))
			}
			assert.True(t, same, "caller's request changed")

			// Cancelling the context after the first item stops the walk
			// before the next page.
			c, f = ccClient(t, ccPager(tc.pageKey, 5, 2, tc.render))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			keys, _, err = tc.run(ctx, c, 1)
			cancel()
			_ = keys
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, 1, f.count())
		})
	}
}

// ccWalk drains seq; with stopAfter > 0 it calls cancel after that many
// items and keeps going until the iterator ends.
func ccWalk[T any](seq func(func(T, error) bool), key func(T) string, stopAfter int, cancel func()) ([]string, error) {
	var keys []string
	var err error
	seq(func(it T, e error) bool {
		if e != nil {
			err = e
			return false
		}
		keys = append(keys, key(it))
		if stopAfter > 0 && len(keys) == stopAfter {
			cancel()
		}
		return true
	})
	return keys, err
}

func TestCallcenterPaging(t *testing.T) {
	items := func(from, to int, f func(i int) string) string {
		parts := []string{}
		for i := from; i < to; i++ {
			parts = append(parts, f(i))
		}
		return strings.Join(parts, ",")
	}
	ccRunPaging(t, []ccPaging{
		{name: "ListCallTaskAll", pageKey: "PageNumber",
			render: func(n, from, to int) string {
				return `{"Code":"200","RequestId":"R","PageNumber":` + strconv.Itoa(n) + `,"PageSize":2,"Total":5,"Data":[` +
					items(from, to, func(i int) string { return `{"Id":` + strconv.Itoa(i) + `,"TaskName":"k` + strconv.Itoa(i) + `"}` }) + `]}`
			},
			run: func(ctx context.Context, c *Client, stopAfter int) ([]string, bool, error) {
				req := &ListCallTaskRequest{PageSize: 2, Status: CallTaskDone}
				orig := *req
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				keys, err := ccWalk(c.ListCallTaskAll(ctx, req), func(t CallTask) string { return t.TaskName }, stopAfter, cancel)
				return keys, *req == orig, err
			}},
		{name: "ListCallTaskDetailAll", pageKey: "PageNumber",
			render: func(n, from, to int) string {
				return `{"Code":"OK","RequestId":"R","PageNumber":` + strconv.Itoa(n) + `,"PageSize":2,"Total":5,"TotalPage":3,"Data":[` +
					items(from, to, func(i int) string { return `{"CalledNum":"k` + strconv.Itoa(i) + `"}` }) + `]}`
			},
			run: func(ctx context.Context, c *Client, stopAfter int) ([]string, bool, error) {
				req := &ListCallTaskDetailRequest{TaskID: 9, PageSize: 2}
				orig := *req
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				keys, err := ccWalk(c.ListCallTaskDetailAll(ctx, req), func(r CallTaskCallResult) string { return r.CalledNum }, stopAfter, cancel)
				return keys, *req == orig, err
			}},
	})
}

// TestCallcenterHotlineMatchCatalogue holds the request and response types
// of both groups to internal/catalog: every wire name, required flag and
// list item, and every response field (nested and JSON-in-string ones too).
func TestCallcenterHotlineMatchCatalogue(t *testing.T) {
	types := map[string][2]reflect.Type{}
	add := func(name string, req, resp any) {
		types[name] = [2]reflect.Type{reflect.TypeOf(req).Elem(), reflect.TypeOf(resp)}
	}
	add("CreateCallTask", &CreateCallTaskRequest{}, &CreateCallTaskResponse{})
	add("DescribeRecordData", &DescribeRecordDataRequest{}, &DescribeRecordDataResponse{})
	add("DoubleCallSeat", &DoubleCallSeatRequest{}, &DoubleCallSeatResponse{})
	add("ExecuteCallTask", &ExecuteCallTaskRequest{}, &ExecuteCallTaskResponse{})
	add("ListCallTask", &ListCallTaskRequest{}, &ListCallTaskResponse{})
	add("ListCallTaskDetail", &ListCallTaskDetailRequest{}, &ListCallTaskDetailResponse{})
	add("ListOrderedNumbers", &ListOrderedNumbersRequest{}, &ListOrderedNumbersResponse{})
	add("ListOutboundStrategies", &ListOutboundStrategiesRequest{}, &ListOutboundStrategiesResponse{})
	add("QueryCallDetailByCallId", &QueryCallDetailByCallIdRequest{}, &QueryCallDetailByCallIdResponse{})
	add("QueryCallDetailByTaskId", &QueryCallDetailByTaskIdRequest{}, &QueryCallDetailByTaskIdResponse{})
	add("StartMicroOutbound", &StartMicroOutboundRequest{}, &StartMicroOutboundResponse{})
	add("GetHotlineQualificationByOrder", &GetHotlineQualificationByOrderRequest{}, &GetHotlineQualificationByOrderResponse{})
	add("ListHotlineTransferNumber", &ListHotlineTransferNumberRequest{}, &ListHotlineTransferNumberResponse{})
	add("ListHotlineTransferRegisterFile", &ListHotlineTransferRegisterFileRequest{}, &ListHotlineTransferRegisterFileResponse{})
	add("QueryCallInPoolTransferConfig", &QueryCallInPoolTransferConfigRequest{}, &QueryCallInPoolTransferConfigResponse{})
	add("QueryCallInTransferRecord", &QueryCallInTransferRecordRequest{}, &QueryCallInTransferRecordResponse{})
	add("SendVerification", &SendVerificationRequest{}, &SendVerificationResponse{})
	add("SetTransferCalleePoolConfig", &SetTransferCalleePoolConfigRequest{}, &SetTransferCalleePoolConfigResponse{})
	add("SubmitHotlineTransferRegister", &SubmitHotlineTransferRegisterRequest{}, &SubmitHotlineTransferRegisterResponse{})
	add("RecoverCallInConfig", &RecoverCallInConfigRequest{}, &RecoverCallInConfigResponse{})
	add("StopCallInConfig", &StopCallInConfigRequest{}, &StopCallInConfigResponse{})

	groups := catalog.Groups()
	want := append(append([]string{}, groups["callcenter"]...), groups["hotline"]...)
	require.Len(t, want, 21)
	for _, name := range want {
		tt, ok := types[name]
		if !assert.True(t, ok, "no types for %s", name) {
			continue
		}
		a := catalog.Lookup(name)
		ccCheckParams(t, name, tt[0], a.Request)
		ccCheckFields(t, name, tt[1], a.Response)
		m, ok := tt[1].MethodByName("Detail")
		for _, f := range a.Response {
			if f.JSONInString {
				require.True(t, ok, "%s: no Detail method for %s", name, f.Name)
				ccCheckFields(t, name+".Data", m.Type.Out(0), f.InnerFields)
			}
		}
		// The client's methods exist under the Action's own name.
		_, ok = reflect.TypeOf(&Client{}).MethodByName(name)
		assert.True(t, ok, "no Client.%s", name)
	}
}

func ccCheckParams(t *testing.T, where string, rt reflect.Type, params []catalog.Param) {
	t.Helper()
	tags := map[string][]string{}
	for i := 0; i < rt.NumField(); i++ {
		if tag, ok := rt.Field(i).Tag.Lookup("dyvms"); ok {
			parts := strings.Split(tag, ",")
			tags[parts[0]] = parts[1:]
		}
	}
	assert.Len(t, tags, len(params), "%s: field count", where)
	for _, p := range params {
		opts, ok := tags[p.Name]
		if !assert.True(t, ok, "%s: no field for %s", where, p.Name) {
			continue
		}
		hasReq := false
		for _, o := range opts {
			hasReq = hasReq || o == "required"
		}
		assert.Equal(t, p.IsRequired(), hasReq, "%s.%s required", where, p.Name)
		if p.Type == "list" {
			for i := 0; i < rt.NumField(); i++ {
				if strings.Split(rt.Field(i).Tag.Get("dyvms"), ",")[0] == p.Name {
					ccCheckParams(t, where+"."+p.Name, rt.Field(i).Type.Elem(), p.ItemFields)
				}
			}
		}
	}
}

func ccCheckFields(t *testing.T, where string, rt reflect.Type, fields []catalog.Field) {
	t.Helper()
	for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
		rt = rt.Elem()
	}
	byTag := map[string]reflect.Type{}
	for _, sf := range reflect.VisibleFields(rt) {
		if sf.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		byTag[name] = sf.Type
	}
	for _, f := range fields {
		ft, ok := byTag[f.Name]
		if !assert.True(t, ok, "%s: no field for %s", where, f.Name) {
			continue
		}
		if len(f.Fields) > 0 {
			ccCheckFields(t, where+"."+f.Name, ft, f.Fields)
		}
	}
}
