package dyvms

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets. Seeds are in testdata/fuzz/<Target>/ (committed) and in
// the f.Add calls; CI runs each for a few seconds:
//
//	go test -run='^$' -fuzz='^FuzzSpecialURLEncode$' -fuzztime=10s .

// FuzzSpecialURLEncode holds the signer's encoding to an independent
// reference (net/url's QueryEscape with the POP replacements) over
// arbitrary strings, valid UTF-8 or not, and the whole signature to an
// independent recomputation.
func FuzzSpecialURLEncode(f *testing.F) {
	for _, s := range []string{"", "a", " ", "*", "~", "+", "%", "%7E", "a b*c~d", "中文", "😀", "\x00", "\xff\xfe",
		`{"code":"1234","product":"test"}`, "05711234****", "2017-09-28T14:31:56Z", "é\u0301", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SpecialURLEncode(s)
		if want := refEncode(s); got != want {
			t.Fatalf("SpecialURLEncode(%q) = %q, reference %q", s, got, want)
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			if c == '%' {
				if i+2 >= len(got) || !strings.ContainsRune("0123456789ABCDEF", rune(got[i+1])) || !strings.ContainsRune("0123456789ABCDEF", rune(got[i+2])) {
					t.Fatalf("bad escape in %q", got)
				}
				continue
			}
			if !unreserved(c) {
				t.Fatalf("reserved byte %q left in %q", c, got)
			}
		}
		if back, err := url.PathUnescape(got); err != nil || back != s {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
		params := map[string]string{"Action": "SingleCallByTts", "TtsParam": s, "CalledNumber": "13900001234"}
		if s != "" && s != "Signature" {
			params[s] = "v"
		}
		secret := "fuzz-secret"
		if utf8.ValidString(s) {
			secret += s
		}
		if got, want := Sign("POST", toValues(params), secret), refSign("POST", params, secret); got != want {
			t.Fatalf("Sign with %q: %s, reference %s", s, got, want)
		}
	})
}

// relFuzzItem is a recursive list item, for the lenient decoder.
type relFuzzItem struct {
	Name  string        `json:"Name"`
	Value int32         `json:"Value"`
	Flag  bool          `json:"Flag"`
	Sub   []relFuzzItem `json:"Sub"`
	Next  *relFuzzItem  `json:"Next"`
}

// relFuzzOut has a field of every kind the decoder assigns.
type relFuzzOut struct {
	ResponseMeta
	CallID string            `json:"CallId"`
	Status bool              `json:"Status"`
	Total  int64             `json:"Total"`
	Small  int8              `json:"Small"`
	Count  uint16            `json:"Count"`
	Rate   float32           `json:"Rate"`
	Ptr    *int32            `json:"Ptr"`
	Any    any               `json:"Any"`
	Data   string            `json:"Data"`
	Map    map[string]string `json:"Map"`
	Ints   map[string]int    `json:"Ints"`
	Names  []string          `json:"Names"`
	List   []relFuzzItem     `json:"List"`
	Ptrs   []*relFuzzItem    `json:"Ptrs"`
	One    relFuzzItem       `json:"One"`
	OneP   *relFuzzItem      `json:"OneP"`
	Bytes  []byte            `json:"Bytes"`
	Array  [2]string         `json:"Array"`
}

// relFuzzStatuses maps a fuzzed byte to an HTTP status.
var relFuzzStatuses = []int{200, 200, 204, 400, 403, 404, 429, 500, 502, 503, 302, 0, 599}

// FuzzDecodeResponse feeds arbitrary bytes, as both envelope formats, to
// the response decoder under several Actions and output types: it must
// never panic, must answer nil only for a 2xx status, must otherwise give
// an *Error, and the error's text must never contain the secret or the
// token, even when the body echoes them.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{
		`{"RequestId":"A","Code":"OK","Message":"OK","CallId":"1^2"}`,
		`<?xml version="1.0" encoding="UTF-8"?><SingleCallByTtsResponse><RequestId>A</RequestId><Code>OK</Code><CallId>1</CallId></SingleCallByTtsResponse>`,
		`<Error><RequestId>A</RequestId><HostId>h</HostId><Code>Throttling.User</Code><Message>m</Message></Error>`,
		`{"RequestId":"A","Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"` + relSecret + `"}`,
		`{"Code":"` + relToken + `","RequestId":"` + relSecret + `","Recommend":"` + relSecret + `"}`,
		`<html><body>502 Bad Gateway</body></html>`,
		`{"Data":"{\"List\":[{\"Name\":\"a\",\"Value\":\"7\"}]}","List":{"Item":[{"Name":1}]},"Names":"[\"x\"]"}`,
		`{"RequestId":"A","Code":"OK","List":[{"Sub":[{"Sub":[{"Next":{"Next":{}}}]}]}],"Ptr":"12","Rate":"1e40","Small":300}`,
		`<QueryCallDetailByCallIdResponse><Code>OK</Code><List><Item><Name>a</Name></Item><Item><Name>b</Name></Item></List></QueryCallDetailByCallIdResponse>`,
		"", " ", "{", "<", "{}", "[]", "null", `{"a":1}{"b":2}`, "<a></a><b></b>", strings.Repeat("<a>", 100),
		strings.Repeat(`{"a":`, 100), "\xff\xfe<\x00", `<?xml version="1.0" encoding="GBK"?><Error><Code>x</Code></Error>`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	actions := []string{"SingleCallByTts", "QueryCallDetailByCallId", "CreateCallTask", "CancelCall", "NoSuchAction"}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		status := relFuzzStatuses[int(pick)%len(relFuzzStatuses)]
		action := actions[int(pick/16)%len(actions)]
		red := newRedactor(relSecret, relToken)
		header := http.Header{"X-Acs-Request-Id": {"H-" + relSecret}, "X-Acs-Retry-After": {string(body[:min(len(body), 8)])}}
		outs := []any{nil, new(relFuzzOut), new(SingleCallByTtsResponse), new(CancelCallResponse), new(map[string]any), new(any)}
		for _, out := range outs {
			err := decodeResponse(action, status, header, body, out, red)
			if err == nil {
				if status < 200 || status > 299 {
					t.Fatalf("status %d decoded as success", status)
				}
				continue
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			msg := err.Error()
			for _, s := range []string{relSecret, relToken} {
				if strings.Contains(msg, s) || strings.Contains(string(e.Code), s) || strings.Contains(e.RequestID, s) ||
					strings.Contains(e.Body, s) || strings.Contains(e.Message, s) || strings.Contains(e.Recommend, s) {
					t.Fatalf("secret in error: %q", msg)
				}
			}
			_ = classify(action, attemptFailure{err: err, sent: true})
		}
	})
}

// FuzzUnmarshalLenient feeds arbitrary bytes to the lenient decoder that
// JSON-in-string fields and Do's callers use: never a panic, whatever the
// target type.
func FuzzUnmarshalLenient(f *testing.F) {
	for _, s := range []string{
		`{"Name":"a","Value":"12","Flag":"true","Sub":{"Item":[{"Name":"b"}]}}`,
		`[{"Name":"a"},{"Name":"b","Next":{"Value":1.0}}]`,
		`<R><List><Item><Name>x</Name></Item></List><Total>3</Total></R>`,
		`{"List":"[{\"Value\":\"9\"}]","One":"{\"Name\":\"in\"}","Map":{"k":1},"Ints":{"a":"2","b":true}}`,
		`{"Total":9223372036854775808,"Count":-1,"Small":"1e2","Rate":"NaN","Bytes":"AQID","Array":["a","b","c"]}`,
		`{"Any":{"deep":[[[[{}]]]]}}`, "", "[", "[]", "{}", "<x/>", `"str"`, "12", "true", "\x00",
		strings.Repeat("[", 200), strings.Repeat(`{"Next":`, 120) + "{}" + strings.Repeat("}", 120),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []any{new(relFuzzOut), new(relFuzzItem), new([]relFuzzItem), new(map[string]any),
			new(map[string]relFuzzItem), new([]string), new(any), new(string), new(int64)}
		for _, out := range targets {
			_ = UnmarshalLenient(data, out)
		}
		_ = UnmarshalLenient(data, nil)
		var nilPtr *relFuzzOut
		_ = UnmarshalLenient(data, nilPtr)
	})
}

// FuzzJSONInString puts arbitrary text in the JSON-in-string field (Data,
// as a string and inline) of every response that has a typed accessor,
// decodes the envelope and calls the accessor: never a panic.
func FuzzJSONInString(f *testing.F) {
	for _, s := range []string{
		`{"CallId":"1^2","Duration":"12","StartDate":"2026-01-02 03:04:05"}`,
		`[{"Id":1,"TaskName":"t"}]`, `{"List":{"Item":[{"A":1}]},"Total":"3"}`, `12345`, `"x"`, ``, `null`,
		`{"Token":"abc","ExpireTime":"1e30"}`, `[{"Callee":"13900001234"}]`, `{"FailedNumbers":"1,2,3"}`,
		strings.Repeat(`[`, 300), `{"a":` + strings.Repeat(`{"a":`, 80) + `1` + strings.Repeat(`}`, 81),
	} {
		f.Add(s)
	}
	type accessor struct {
		action string
		out    any
		call   func(any)
	}
	accessors := func() []accessor {
		return []accessor{
			{"QueryCallDetailByCallId", new(QueryCallDetailByCallIdResponse), func(o any) { _, _ = o.(*QueryCallDetailByCallIdResponse).Detail() }},
			{"QueryCallDetailByTaskId", new(QueryCallDetailByTaskIdResponse), func(o any) { _, _ = o.(*QueryCallDetailByTaskIdResponse).Detail() }},
			{"CreateRobotTask", new(CreateRobotTaskResponse), func(o any) { _, _ = o.(*CreateRobotTaskResponse).TaskID() }},
			{"QueryRobotTaskList", new(QueryRobotTaskListResponse), func(o any) { _, _ = o.(*QueryRobotTaskListResponse).Tasks() }},
			{"QueryRobotTaskDetail", new(QueryRobotTaskDetailResponse), func(o any) { _, _ = o.(*QueryRobotTaskDetailResponse).Detail() }},
			{"QueryRobotTaskCallList", new(QueryRobotTaskCallListResponse), func(o any) { _, _ = o.(*QueryRobotTaskCallListResponse).Calls() }},
			{"ListRobotTaskCalls", new(ListRobotTaskCallsResponse), func(o any) { _, _ = o.(*ListRobotTaskCallsResponse).Calls() }},
			{"QueryRobotTaskCallDetail", new(QueryRobotTaskCallDetailResponse), func(o any) { _, _ = o.(*QueryRobotTaskCallDetailResponse).Detail() }},
			{"QueryRobotInfoList", new(QueryRobotInfoListResponse), func(o any) { _, _ = o.(*QueryRobotInfoListResponse).Robots() }},
			{"QueryRobotv2AllList", new(QueryRobotv2AllListResponse), func(o any) { _, _ = o.(*QueryRobotv2AllListResponse).Scripts() }},
			{"GetRtcToken", new(GetRtcTokenResponse), func(o any) { _, _ = o.(*GetRtcTokenResponse).Token() }},
			{"VoipGetToken", new(VoipGetTokenResponse), func(o any) { _, _ = o.(*VoipGetTokenResponse).Token() }},
			{"QueryVirtualNumber", new(QueryVirtualNumberResponse), func(o any) { _, _ = o.(*QueryVirtualNumberResponse).Page() }},
			{"QueryVirtualNumberRelation", new(QueryVirtualNumberRelationResponse), func(o any) { _, _ = o.(*QueryVirtualNumberRelationResponse).Page() }},
			{"AddVirtualNumberRelation", new(AddVirtualNumberRelationResponse), func(o any) { _ = o.(*AddVirtualNumberRelationResponse).FailedNumbers() }},
		}
	}
	f.Fuzz(func(t *testing.T, data string) {
		quoted, err := json.Marshal(data)
		if err != nil {
			return
		}
		for _, a := range accessors() {
			code := actionTable[a.action].successCode
			if code == "" {
				code = "OK"
			}
			head := `{"RequestId":"r","Code":"` + code + `","Data":`
			for _, body := range []string{head + string(quoted) + `}`, head + data + `}`} {
				if decodeResponse(a.action, 200, http.Header{}, []byte(body), a.out, redactor{}) == nil {
					a.call(a.out)
				}
			}
		}
	})
}
