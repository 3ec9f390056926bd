package dyvms

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Documented example payloads (receipts-and-errors.md section 2; values
// masked as in the docs).
const (
	sampleVoiceReport = `[{"call_id":"1000016165XX^1000018714XX","status_code":"200000","smart_status_code":"ANSWERED",
  "status_msg":"执行完成","out_id":"order-123","caller":"0571XXXXXXXX","callee":"1390000XXXX",
  "originate_time":"2023-03-13 11:18:16","ring_time":"2023-03-13 11:18:24",
  "start_time":"2023-03-13 11:18:36","end_time":"2023-03-13 11:18:43","duration":"7",
  "b_duration":7,"hangup_direction":"用户","voice_type":"voice"}]`
	sampleVoiceCallReport   = `[{"call_id":"1XXX^1XXX","status_code":"300000","smart_status_code":"ANSWERED","dtmf":"1","status_time":"2023-03-06 16:21:12","out_id":"43XX"}]`
	sampleVoiceRecordReport = `[{"call_id":"116012854210^102814279****","start_time":"2023-03-13 11:18:36","end_time":"2023-03-13 11:18:46",
  "duration":"10","status_code":"200000","record_file":"https://example.oss-cn-hangzhou.aliyuncs.com/rec.wav?Expires=1&Signature=x",
  "out_id":"abcdefgh","record_begin_time":"2023-03-13 11:18:35"}]`
	sampleVoiceRTASRReport = `[{"role":"user","identity":"1390000****","words":"你好，请问有什么事","begin_offset":1200,"end_offset":"3400",
  "begin_time":"2023-03-13 11:18:38","call_id":"116012854210^102814279****","out_id":"abcdefgh"}]`
)

func receiptCST(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.FixedZone("UTC+8", 8*3600))
}

func TestParseVoiceReportsDocumentedExample(t *testing.T) {
	rs, err := ParseVoiceReports([]byte(sampleVoiceReport))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, "1000016165XX^1000018714XX", r.CallID)
	assert.Equal(t, StatusAnswered, r.StatusCode)
	assert.Equal(t, SmartAnswered, r.SmartStatusCode)
	assert.Equal(t, "执行完成", r.StatusMsg)
	assert.Equal(t, "order-123", r.OutID)
	assert.Equal(t, "0571XXXXXXXX", r.Caller)
	assert.Equal(t, "1390000XXXX", r.Callee)
	assert.Equal(t, int64(7), r.Duration, "duration arrives as a string")
	assert.Equal(t, int64(7), r.BDuration, "b_duration arrives as a number")
	assert.Equal(t, 7*time.Second, r.TalkDuration())
	assert.Equal(t, HangupByUser, r.HangupDirection)
	assert.Equal(t, VoiceTypeVoice, r.VoiceType)
	assert.True(t, r.Answered())
	assert.False(t, r.Busy())
	assert.True(t, r.StartTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 36)))
	assert.True(t, r.EndTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 43)))
	assert.True(t, r.OriginateTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 16)))
	assert.True(t, r.RingTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 24)))
	assert.True(t, r.BStartTime.IsZero())
	assert.True(t, r.BStartTime.Time().IsZero())
}

func TestParseVoiceCallReportsDocumentedExamples(t *testing.T) {
	rs, err := ParseVoiceCallReports([]byte(sampleVoiceCallReport))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, "1XXX^1XXX", r.CallID)
	assert.Equal(t, StatusDTMF, r.StatusCode)
	assert.True(t, r.StatusCode.IsDTMF())
	assert.Equal(t, "1", r.DTMF)
	assert.Equal(t, "43XX", r.OutID)
	assert.True(t, r.StatusTime.Time().Equal(receiptCST(2023, 3, 6, 16, 21, 12)))

	// The catalogue's sample.
	var sample string
	for _, mt := range receiptTypesFromCatalogue(t) {
		if mt.Name == "VoiceCallReport" {
			sample = mt.Sample
		}
	}
	require.NotEmpty(t, sample)
	rs, err = ParseVoiceCallReports([]byte(sample))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, StatusCallEnded, rs[0].StatusCode)
	assert.Equal(t, SmartAnswered, rs[0].SmartStatusCode)
	assert.Equal(t, "1***********3^1***********2", rs[0].CallID)
	assert.False(t, rs[0].Answered(), "200100 in a VoiceCallReport only means ended")

	// Inbound variant.
	rs, err = ParseVoiceCallReports([]byte(`[{"extend":"12345","status_code":"200102","smart_status_code":"ANSWERED","status_time":"2023-03-06 16:23:59","biz_id":"1234^5678"}]`))
	require.NoError(t, err)
	assert.Equal(t, "12345", rs[0].Extend)
	assert.Equal(t, "1234^5678", rs[0].BizID)
	assert.True(t, rs[0].Answered())
}

func TestParseVoiceRecordReportsExample(t *testing.T) {
	rs, err := ParseVoiceRecordReports([]byte(sampleVoiceRecordReport))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, int64(10), r.Duration)
	assert.Equal(t, StatusAnswered, r.StatusCode)
	assert.Contains(t, r.RecordFile, "https://")
	assert.Equal(t, "abcdefgh", r.OutID)
	assert.True(t, r.RecordBeginTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 35)))
}

func TestParseVoiceRTASRReportsExample(t *testing.T) {
	rs, err := ParseVoiceRTASRReports([]byte(sampleVoiceRTASRReport))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, "user", r.Role)
	assert.Equal(t, "你好，请问有什么事", r.Words)
	assert.Equal(t, int64(1200), r.BeginOffset)
	assert.Equal(t, int64(3400), r.EndOffset, "end_offset arrives as a string")
	assert.True(t, r.BeginTime.Time().Equal(receiptCST(2023, 3, 13, 11, 18, 38)))
}

// Every field the catalogue documents for a receipt type has a json tag on
// the Go type.
func TestReceiptFieldsCoverCatalogue(t *testing.T) {
	types := map[string]reflect.Type{
		"VoiceReport":       reflect.TypeOf(VoiceReport{}),
		"VoiceCallReport":   reflect.TypeOf(VoiceCallReport{}),
		"VoiceRecordReport": reflect.TypeOf(VoiceRecordReport{}),
		"VoiceRTASRReport":  reflect.TypeOf(VoiceRTASRReport{}),
	}
	mts := receiptTypesFromCatalogue(t)
	require.NotEmpty(t, mts)
	for _, mt := range mts {
		typ, ok := types[mt.Name]
		require.True(t, ok, "no Go type for receipt type %s", mt.Name)
		tags := receiptJSONTags(typ)
		for _, f := range append(mt.FieldsOutbound, mt.FieldsInbound...) {
			assert.Contains(t, tags, f.Name, "%s.%s", mt.Name, f.Name)
		}
	}
	// And the fields of receipts-and-errors.md section 2 the catalogue does not list.
	want := map[string][]string{
		"VoiceReport": {"call_id", "start_time", "end_time", "duration", "status_code", "smart_status_code", "status_msg",
			"out_id", "caller", "callee", "early_media_code", "hangup_direction", "toll_type", "originate_time", "ring_time",
			"b_originate_time", "b_ring_time", "b_start_time", "b_end_time", "b_duration", "voice_type", "dtmf", "extend",
			"parallel_leg_hangup_cause", "dialog_id", "a_originate_time", "a_ring_time", "a_start_time", "a_end_time",
			"a_duration", "caller_show_num", "callee_show_num"},
		"VoiceCallReport":   {"call_id", "status_code", "smart_status_code", "status_time", "out_id", "dtmf", "extend", "biz_id"},
		"VoiceRecordReport": {"call_id", "start_time", "end_time", "duration", "status_code", "record_file", "out_id", "record_begin_time"},
		"VoiceRTASRReport":  {"role", "identity", "words", "begin_offset", "end_offset", "begin_time", "call_id", "out_id"},
	}
	for name, fields := range want {
		tags := receiptJSONTags(types[name])
		for _, f := range fields {
			assert.Contains(t, tags, f, "%s.%s", name, f)
		}
		assert.Len(t, tags, len(fields), "%s has fields the design notes do not list", name)
	}
}

type catalogueReceiptType struct {
	Name           string                  `json:"name"`
	FieldsOutbound []struct{ Name string } `json:"fields_outbound"`
	FieldsInbound  []struct{ Name string } `json:"fields_inbound"`
	Sample         string                  `json:"sample"`
}

func receiptTypesFromCatalogue(t *testing.T) []catalogueReceiptType {
	t.Helper()
	var out []catalogueReceiptType
	require.NoError(t, json.Unmarshal(catalog.Load().ReceiptMessageTypes, &out))
	return out
}

func receiptJSONTags(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func TestReceiptsLenientScalars(t *testing.T) {
	// Numbers as strings, strings as numbers, empty strings, null.
	body := `[{"call_id":123456,"status_code":200003,"duration":"","b_duration":"12","a_duration":null,
		"start_time":"","out_id":42,"caller":13900001234,"early_media_code":200003}]`
	rs, err := ParseVoiceReports([]byte(body))
	require.NoError(t, err)
	r := rs[0]
	assert.Equal(t, "123456", r.CallID)
	assert.Equal(t, StatusNoAnswer, r.StatusCode)
	assert.True(t, r.StatusCode.NoAnswer())
	assert.Equal(t, int64(0), r.Duration)
	assert.Equal(t, int64(12), r.BDuration)
	assert.Equal(t, int64(0), r.ADuration)
	assert.Equal(t, "42", r.OutID)
	assert.Equal(t, "13900001234", r.Caller)
	assert.Equal(t, StatusNoAnswer, r.EarlyMediaCode)
	assert.True(t, r.StartTime.IsZero())

	// Garbage in a numeric field leaves zero, does not fail the batch.
	rs2, err := ParseVoiceRTASRReports([]byte(`[{"begin_offset":"soon","end_offset":1.5e3,"words":7}]`))
	require.NoError(t, err)
	assert.Equal(t, int64(0), rs2[0].BeginOffset)
	assert.Equal(t, int64(1500), rs2[0].EndOffset)
	assert.Equal(t, "7", rs2[0].Words)
}

func TestReceiptTime(t *testing.T) {
	tm, err := ReceiptTime("2023-03-13 11:18:36").Parse()
	require.NoError(t, err)
	assert.Equal(t, "2023-03-13T03:18:36Z", tm.UTC().Format(time.RFC3339), "China Standard Time is UTC+8")

	tm, err = ReceiptTime("").Parse()
	require.NoError(t, err)
	assert.True(t, tm.IsZero())

	tm, err = ReceiptTime("1678677516000").Parse() // epoch ms
	require.NoError(t, err)
	assert.Equal(t, int64(1678677516), tm.Unix())
	tm, err = ReceiptTime("1678677516").Parse() // epoch s
	require.NoError(t, err)
	assert.Equal(t, int64(1678677516), tm.Unix())

	_, err = ReceiptTime("13/03/2023").Parse()
	assert.Error(t, err)
	assert.True(t, ReceiptTime("13/03/2023").Time().IsZero())
	assert.True(t, ReceiptTime("  ").IsZero())
}

func TestCallStatusHelpers(t *testing.T) {
	cases := []struct {
		s                                                                  CallStatus
		answered, busy, noAnswer, invalid, unreachable, restricted, system bool
	}{
		{s: "200000", answered: true},
		{s: "200001", answered: true},
		{s: "200100", answered: true},
		{s: " 200000 ", answered: true},
		{s: "200002", busy: true},
		{s: "200112", busy: true},
		{s: "200003", noAnswer: true},
		{s: "200113", noAnswer: true},
		{s: "200004", invalid: true},
		{s: "200116", invalid: true},
		{s: "482", invalid: true},
		{s: "200005", unreachable: true},
		{s: "200007", unreachable: true},
		{s: "200010", unreachable: true},
		{s: "200011", unreachable: true},
		{s: "200104", restricted: true},
		{s: "200121", restricted: true},
		{s: "999999", system: true},
		{s: "200006", system: true},
		{s: "300000"},
		{s: ""},
		{s: "123"},
	}
	for _, c := range cases {
		assert.Equal(t, c.answered, c.s.Answered(), "%q Answered", c.s)
		assert.Equal(t, c.busy, c.s.Busy(), "%q Busy", c.s)
		assert.Equal(t, c.noAnswer, c.s.NoAnswer(), "%q NoAnswer", c.s)
		assert.Equal(t, c.invalid, c.s.InvalidNumber(), "%q InvalidNumber", c.s)
		assert.Equal(t, c.unreachable, c.s.Unreachable(), "%q Unreachable", c.s)
		assert.Equal(t, c.restricted, c.s.Restricted(), "%q Restricted", c.s)
		assert.Equal(t, c.system, c.s.SystemError(), "%q SystemError", c.s)
	}
	assert.Equal(t, "answered; listened to the end", StatusAnswered.Meaning())
	assert.Equal(t, "busy", StatusBusy.Meaning())
	assert.True(t, StatusDTMF.Known())
	assert.False(t, CallStatus("123").Known())
	assert.Empty(t, CallStatus("123").Meaning())
	assert.True(t, SmartStatus("answered").Answered())
	assert.True(t, SmartUserBusy.Busy())
}

func TestParseReceiptsTypes(t *testing.T) {
	mixed := `[` + strings.Trim(sampleVoiceReport, "[]") + `,` + strings.Trim(sampleVoiceCallReport, "[]") + `,` +
		strings.Trim(sampleVoiceRecordReport, "[]") + `,` + strings.Trim(sampleVoiceRTASRReport, "[]") + `,{"foo":"bar"}]`

	rs, err := ParseReceipts([]byte(mixed))
	require.NoError(t, err)
	require.Len(t, rs, 5)
	assert.Equal(t, ReceiptVoiceReport, rs[0].Type)
	assert.Equal(t, ReceiptVoiceCallReport, rs[1].Type)
	assert.Equal(t, ReceiptVoiceRecordReport, rs[2].Type)
	assert.Equal(t, ReceiptVoiceRTASRReport, rs[3].Type)
	assert.Equal(t, ReceiptUnknown, rs[4].Type)
	assert.Nil(t, rs[4].Report())
	assert.JSONEq(t, `{"foo":"bar"}`, string(rs[4].Raw))

	v, ok := rs[0].VoiceReport()
	require.True(t, ok)
	assert.Equal(t, int64(7), v.Duration)
	_, ok = rs[0].VoiceCallReport()
	assert.False(t, ok)
	c, ok := rs[1].VoiceCallReport()
	require.True(t, ok)
	assert.Equal(t, "1", c.DTMF)
	rec, ok := rs[2].VoiceRecordReport()
	require.True(t, ok)
	assert.Equal(t, int64(10), rec.Duration)
	asr, ok := rs[3].VoiceRTASRReport()
	require.True(t, ok)
	assert.Equal(t, int64(1200), asr.BeginOffset)

	assert.Equal(t, "1000016165XX^1000018714XX", rs[0].CallID())
	assert.Equal(t, "order-123", rs[0].OutID())
	assert.Equal(t, StatusAnswered, rs[0].StatusCode())
	assert.Equal(t, StatusDTMF, rs[1].StatusCode())
	assert.Empty(t, rs[3].StatusCode())

	// DecodeAs reads fields the SDK does not know.
	var extra struct {
		Foo string `json:"foo"`
	}
	require.NoError(t, rs[4].DecodeAs(&extra))
	assert.Equal(t, "bar", extra.Foo)

	// One configured type wins over inference.
	rs, err = ParseReceipts([]byte(mixed), ReceiptVoiceReport)
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, ReceiptVoiceReport, r.Type)
		_, ok := r.VoiceReport()
		assert.True(t, ok)
	}

	// Several configured types restrict inference.
	rs, err = ParseReceipts([]byte(mixed), ReceiptVoiceReport, ReceiptVoiceCallReport)
	require.NoError(t, err)
	assert.Equal(t, []ReceiptType{ReceiptVoiceReport, ReceiptVoiceCallReport, ReceiptVoiceReport, ReceiptUnknown, ReceiptUnknown},
		[]ReceiptType{rs[0].Type, rs[1].Type, rs[2].Type, rs[3].Type, rs[4].Type})

	// A single object is a batch of one.
	rs, err = ParseReceipts([]byte(strings.Trim(sampleVoiceCallReport, "[]")))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, ReceiptVoiceCallReport, rs[0].Type)

	// Empty batch.
	rs, err = ParseReceipts([]byte(" [ ] "))
	require.NoError(t, err)
	assert.Empty(t, rs)

	assert.Equal(t, ReceiptVoiceRecordReport, DetectReceiptType([]byte(`{"record_file":"x","duration":1}`)))
	assert.Equal(t, ReceiptVoiceReport, DetectReceiptType([]byte(`{"record_file":"x","duration":1}`), ReceiptVoiceReport))
	assert.Equal(t, ReceiptUnknown, DetectReceiptType([]byte(`[]`)))
	assert.True(t, ReceiptVoiceRTASRReport.Valid())
	assert.False(t, ReceiptType("RobotCallReport").Valid())
}

func TestParseReceiptsMalformed(t *testing.T) {
	for _, body := range []string{
		``, `   `, `{`, `[`, `[{"call_id":"1"}`, `"x"`, `42`, `null`, `true`, `[1]`, `[null]`,
		`[{"call_id":"1"}, "x"]`, `[[]]`, `[{"a":1}] trailing`, `<xml/>`, "\x00\x01",
	} {
		_, err := ParseReceipts([]byte(body))
		assert.ErrorIs(t, err, ErrMalformedReceipt, "%q", body)
		_, err = ParseVoiceReports([]byte(body))
		assert.ErrorIs(t, err, ErrMalformedReceipt, "%q", body)
	}
}

func TestParseMNSReceipt(t *testing.T) {
	obj := strings.Trim(sampleVoiceReport, "[]")
	b64 := base64.StdEncoding.EncodeToString([]byte(obj))

	r, err := ParseMNSReceipt([]byte(b64), ReceiptVoiceReport)
	require.NoError(t, err)
	assert.Equal(t, ReceiptVoiceReport, r.Type)
	v, ok := r.VoiceReport()
	require.True(t, ok)
	assert.Equal(t, "1000016165XX^1000018714XX", v.CallID)
	assert.Equal(t, int64(7), v.BDuration)

	// Unknown type: inferred.
	r, err = ParseMNSReceipt([]byte(b64), ReceiptUnknown)
	require.NoError(t, err)
	assert.Equal(t, ReceiptVoiceReport, r.Type)

	// Line-wrapped, unpadded base64, and already-decoded JSON.
	wrapped := b64[:40] + "\n" + b64[40:]
	for _, body := range []string{wrapped, strings.TrimRight(b64, "="), obj} {
		r, err = ParseMNSReceipt([]byte(body), ReceiptVoiceReport)
		require.NoError(t, err, body)
		assert.Equal(t, "1000016165XX^1000018714XX", r.CallID())
	}

	for _, body := range []string{"", "!!!not base64!!!", base64.StdEncoding.EncodeToString([]byte("hello")),
		base64.StdEncoding.EncodeToString([]byte(`[{"a":1},{"b":2}]`)), `[]`} {
		_, err = ParseMNSReceipt([]byte(body), ReceiptVoiceReport)
		assert.ErrorIs(t, err, ErrMalformedReceipt, "%q", body)
	}
}

func TestDedupKey(t *testing.T) {
	a, err := ParseReceipts([]byte(`[{"call_id":"1^2","status_code":"200000","duration":"7"}]`), ReceiptVoiceReport)
	require.NoError(t, err)
	b, err := ParseReceipts([]byte(`[ {"duration":7, "status_code":200000, "call_id":"1^2"} ]`), ReceiptVoiceReport)
	require.NoError(t, err)
	assert.Equal(t, a[0].DedupKey(), b[0].DedupKey(), "a re-push with other formatting is the same receipt")

	c, err := ParseReceipts([]byte(`[{"call_id":"1^2","status_code":"200002"}]`), ReceiptVoiceReport)
	require.NoError(t, err)
	assert.NotEqual(t, a[0].DedupKey(), c[0].DedupKey())

	// Same call, same id, other type.
	d, err := ParseReceipts([]byte(`[{"call_id":"1^2","status_code":"200000"}]`), ReceiptVoiceCallReport)
	require.NoError(t, err)
	assert.NotEqual(t, a[0].DedupKey(), d[0].DedupKey())

	// Two DTMF keys of one call are two receipts.
	e, err := ParseReceipts([]byte(`[{"call_id":"1^2","status_code":"300000","dtmf":"1","status_time":"2023-03-06 16:21:12"},
		{"call_id":"1^2","status_code":"300000","dtmf":"2","status_time":"2023-03-06 16:21:13"}]`), ReceiptVoiceCallReport)
	require.NoError(t, err)
	assert.NotEqual(t, e[0].DedupKey(), e[1].DedupKey())

	// Inbound VoiceCallReport: keyed on biz_id.
	f, err := ParseReceipts([]byte(`[{"biz_id":"9^9","status_code":"200102","status_time":"2023-03-06 16:21:12"}]`), ReceiptVoiceCallReport)
	require.NoError(t, err)
	f2, err := ParseReceipts([]byte(`[{"call_id":"9^9","status_code":"200102","status_time":"2023-03-06 16:21:12"}]`), ReceiptVoiceCallReport)
	require.NoError(t, err)
	assert.Equal(t, f2[0].DedupKey(), f[0].DedupKey())

	// No id: hash of the compacted raw JSON.
	g1, _ := ParseReceipts([]byte(`[{"foo":"bar"}]`))
	g2, _ := ParseReceipts([]byte(`[ { "foo" : "bar" } ]`))
	g3, _ := ParseReceipts([]byte(`[{"foo":"baz"}]`))
	assert.Equal(t, g1[0].DedupKey(), g2[0].DedupKey())
	assert.NotEqual(t, g1[0].DedupKey(), g3[0].DedupKey())
}

// TestDedupKeyReadFromRaw holds DedupKey, which reads the identity from the
// raw JSON without decoding the report, to the key of the decoded report on
// the members where the two could part: names in another case or escaped,
// repeated members (the last one decoding keeps), nulls, numbers and
// objects in string fields, integers in strings, the biz_id fallback.
func TestDedupKeyReadFromRaw(t *testing.T) {
	objs := []string{
		`{"call_id":"1^2","status_code":"200000"}`,
		`{"CALL_ID":"1^2","Status_Code":200000}`,
		`{"call\u005fid":"1\u005e2","status_code":"200000"}`,
		`{"call_id":"a","call_id":"b","status_code":"1","STATUS_CODE":null}`,
		`{"call_id":"a","CALL_ID":null}`,
		`{"call_id":null,"biz_id":"9^9","status_time":"2023-03-06 16:21:12","dtmf":{"k":[1,2]}}`,
		`{"call_id":"","biz_id":"9^9","dtmf":1.5e3}`,
		`{"call_id":true,"status_code":false}`,
		`{"call_id":{"nested":"x"},"record_file":["a"]}`,
		`{"call_id":"x","begin_offset":"1200","end_offset":3400.0,"role":"user"}`,
		`{"call_id":"x","begin_offset":"nope","begin_offset":7,"end_offset":"99999999999999999999"}`,
		`{"call_id":"x","begin_offset":true,"end_offset":null,"ROLE":"a","role":"b"}`,
		`{"foo":"bar"}`,
		`{"call_id":"\ud800","status_code":"\u0032"}`,
	}
	for _, obj := range objs {
		for _, typ := range append([]ReceiptType{ReceiptUnknown}, knownReceiptTypes...) {
			var types []ReceiptType
			if typ != ReceiptUnknown {
				types = []ReceiptType{typ}
			}
			rs, err := ParseReceipts([]byte(obj), types...)
			require.NoError(t, err)
			sameIDsFromRaw(t, rs[0])
			assert.Equal(t, legacyDedupKey(rs[0]), rs[0].DedupKey(), "%s %s", typ, obj)
			built := Receipt{Type: rs[0].Type, Raw: rs[0].Raw}
			assert.Equal(t, rs[0].DedupKey(), built.DedupKey(), "a Receipt built from Type and Raw: %s %s", typ, obj)
		}
	}
}

// exactly returns b with no spare capacity, so reading past its end panics.
func exactly(b string) json.RawMessage { return json.RawMessage([]byte(b)[:len(b):len(b)]) }

// A Receipt whose Raw is not a JSON object (built by hand, or with Raw
// replaced after parsing) answers every method without a panic: no ID, no
// status, a key from the raw bytes.
func TestReceiptWithBrokenRaw(t *testing.T) {
	parsed, err := ParseReceipts([]byte(sampleVoiceCallReport), ReceiptVoiceCallReport)
	require.NoError(t, err)
	for _, raw := range []string{`{"call_id"`, `{"call_id":`, `{"call_id":"1`, `{"a" "b"}`, `{`, `"`, ``, `{"call_id":"1"`, `[`, `{"k\`} {
		for _, typ := range append([]ReceiptType{ReceiptUnknown}, knownReceiptTypes...) {
			built := Receipt{Type: typ, Raw: exactly(raw)}
			replaced := parsed[0]
			replaced.Type, replaced.Raw = typ, exactly(raw)
			for _, r := range []Receipt{built, replaced} {
				assert.NotPanics(t, func() {
					_ = r.DedupKey()
					_, _, _ = r.CallID(), r.OutID(), r.StatusCode()
					_ = r.LogValue().String()
				}, "%s %q", typ, raw)
			}
			assert.Equal(t, "", built.CallID(), "%s %q", typ, raw)
			assert.Equal(t, Receipt{Type: typ, Raw: exactly(" " + raw)}.DedupKey(), built.DedupKey(),
				"keyed on the raw bytes without white space: %s %q", typ, raw)
			assert.NotPanics(t, func() { _ = built.Report() })
		}
	}
}

// TestReceiptReportDecodedOnce checks the report is decoded on first use,
// shared by copies and by goroutines, and that a Receipt built outside the
// package decodes its Raw too.
func TestReceiptReportDecodedOnce(t *testing.T) {
	rs, err := ParseReceipts([]byte(sampleVoiceCallReport), ReceiptVoiceCallReport)
	require.NoError(t, err)
	assert.Nil(t, rs[0].cell.p.Load(), "nothing decoded before it is asked for")
	_ = rs[0].DedupKey()
	assert.Nil(t, rs[0].cell.p.Load(), "DedupKey reads Raw, not the report")

	copied := rs[0]
	got := make(chan any, 8)
	for i := 0; i < 8; i++ {
		go func() { got <- copied.Report() }()
	}
	first := <-got
	for i := 1; i < 8; i++ {
		assert.Same(t, first, <-got, "every goroutine sees the same report")
	}
	v, ok := rs[0].VoiceCallReport()
	require.True(t, ok)
	assert.Same(t, first, v, "copies share the report")
	assert.Equal(t, "1XXX^1XXX", v.CallID)
	assert.Equal(t, "1", v.DTMF)

	built := Receipt{Type: ReceiptVoiceCallReport, Raw: json.RawMessage(`{"call_id":"7^7","dtmf":"2"}`)}
	b, ok := built.VoiceCallReport()
	require.True(t, ok)
	assert.Equal(t, "7^7", b.CallID)
	assert.Equal(t, "7^7", built.CallID())
	bad := Receipt{Type: ReceiptVoiceReport, Raw: json.RawMessage(`{"call_id":`)}
	r, ok := bad.VoiceReport()
	require.True(t, ok, "a typed Receipt has a report, zero when Raw is not an object")
	assert.Equal(t, VoiceReport{}, *r)
	assert.Nil(t, Receipt{Raw: json.RawMessage(`{"call_id":"1"}`)}.Report())
}

func TestReceiptLogValueMasksPhones(t *testing.T) {
	rs, err := ParseReceipts([]byte(`[{"call_id":"1^2","status_code":"200000","caller":"057188880000","callee":"13900001234"}]`), ReceiptVoiceReport)
	require.NoError(t, err)
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	v, _ := rs[0].VoiceReport()
	l.Info("got", "report", v, "receipt", rs[0])
	out := buf.String()
	assert.NotContains(t, out, "13900001234")
	assert.NotContains(t, out, "057188880000")
	assert.Contains(t, out, "*******1234")
	assert.Contains(t, out, "call_id=1^2")
}

func TestMalformedErrorIsSentinel(t *testing.T) {
	_, err := ParseReceipts([]byte(`[1]`))
	assert.True(t, errors.Is(err, ErrMalformedReceipt))
	assert.Contains(t, err.Error(), "element 0")
}

// FuzzParseReceipts: the parsers never panic, and whatever they accept can
// be used through every accessor.
func FuzzParseReceipts(f *testing.F) {
	for _, s := range []string{
		sampleVoiceReport, sampleVoiceCallReport, sampleVoiceRecordReport, sampleVoiceRTASRReport,
		`[]`, `{}`, `[{}]`, `[1]`, `[{"duration":"1e400"}]`, `[{"status_code":{"a":[1,2]}}]`,
		`[{"call_id":null,"start_time":"1678677516000"}]`, `[{"b_duration":-9223372036854775809}]`,
		`[{"words":"\ud800"}]`, strings.Repeat("[", 200), `[{"a":` + strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat("}", 101) + `]`,
		base64.StdEncoding.EncodeToString([]byte(`{"call_id":"1^2"}`)),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, types := range [][]ReceiptType{nil, {ReceiptVoiceReport}, {ReceiptVoiceCallReport, ReceiptVoiceRTASRReport}} {
			rs, err := ParseReceipts(data, types...)
			for _, r := range rs {
				sameIDsFromRaw(t, r)
			}
			sameAsTreeDecoder(t, data, types, rs, err)
			if err != nil {
				if !errors.Is(err, ErrMalformedReceipt) {
					t.Fatalf("error %v does not match ErrMalformedReceipt", err)
				}
				continue
			}
			for _, r := range rs {
				if got, want := r.DedupKey(), legacyDedupKey(r); got != want {
					t.Fatalf("DedupKey of %s %q read from Raw differs from the one of its decoded report", r.Type, r.Raw)
				}
				_ = r.CallID()
				_ = r.OutID()
				_ = r.StatusCode().Meaning()
				_ = r.LogValue().String()
				switch v := r.Report().(type) {
				case *VoiceReport:
					_ = v.StartTime.Time()
					_ = v.LogValue().String()
				case *VoiceCallReport:
					_ = v.StatusTime.Time()
				case *VoiceRecordReport:
					_ = v.RecordBeginTime.Time()
				case *VoiceRTASRReport:
					_ = v.BeginTime.Time()
				case nil:
					if r.Type != ReceiptUnknown {
						t.Fatalf("type %q without a report", r.Type)
					}
				}
			}
		}
		parsed, _ := ParseReceipts([]byte(sampleVoiceCallReport))
		for _, typ := range append([]ReceiptType{ReceiptUnknown}, knownReceiptTypes...) {
			built := Receipt{Type: typ, Raw: json.RawMessage(data[:len(data):len(data)])}
			replaced := parsed[0] // Raw replaced after parsing: read without a check
			replaced.Type, replaced.Raw = typ, built.Raw
			for _, r := range []Receipt{built, replaced} {
				_, _, _, _ = r.DedupKey(), r.CallID(), r.OutID(), r.StatusCode()
			}
			_ = built.Report()
		}
		_, _ = ParseVoiceReports(data)
		_, _ = ParseVoiceRTASRReports(data)
		_, _ = ParseMNSReceipt(data, ReceiptUnknown)
		_ = DetectReceiptType(data)
	})
}

// sameIDsFromRaw checks that CallID, OutID and StatusCode, read from Raw
// before the report is decoded, are the report's once it is.
func sameIDsFromRaw(t *testing.T, r Receipt) {
	t.Helper()
	if _, decoded := r.decoded(); decoded {
		t.Fatalf("%s %q decoded before it was asked for", r.Type, r.Raw)
	}
	id, out, status := r.CallID(), r.OutID(), r.StatusCode()
	wantID, wantOut, wantStatus := reportIDs(r.Report())
	if id != wantID || out != wantOut || status != wantStatus {
		t.Fatalf("%s %q: from Raw %q %q %q, from the report %q %q %q", r.Type, r.Raw, id, out, status, wantID, wantOut, wantStatus)
	}
	if id2, out2, status2 := r.CallID(), r.OutID(), r.StatusCode(); id2 != id || out2 != out || status2 != status {
		t.Fatalf("%s %q: from the decoded report %q %q %q", r.Type, r.Raw, id2, out2, status2)
	}
}

// sameAsTreeDecoder checks the typed decoder against the generic-tree
// decoder it replaced: the same bodies accepted, the same types, raw JSON
// and reports. Where they differ by design it checks nothing: invalid UTF-8
// (kept byte for byte now, U+FFFD before) and keys repeated in another case
// (the tree assigned them in map order, at random).
func sameAsTreeDecoder(t *testing.T, data []byte, types []ReceiptType, rs []Receipt, err error) {
	want, wantErr := legacyParseReceipts(data, types...)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("typed decoder error %v, tree decoder error %v", err, wantErr)
	}
	if err != nil || !utf8.Valid(data) {
		return
	}
	if len(rs) != len(want) {
		t.Fatalf("%d receipts, tree decoder %d", len(rs), len(want))
	}
	for i := range rs {
		if caseCollidingKeys(want[i].Raw) {
			continue
		}
		if rs[i].Type != want[i].Type || !bytes.Equal(rs[i].Raw, want[i].Raw) || !reflect.DeepEqual(rs[i].Report(), want[i].Report()) {
			t.Fatalf("element %d: typed %s %q %+v, tree %s %q %+v", i, rs[i].Type, rs[i].Raw, rs[i].Report(),
				want[i].Type, want[i].Raw, want[i].Report())
		}
	}
}

func caseCollidingKeys(obj []byte) bool {
	m, err := parseJSONObject(obj)
	if err != nil {
		return true
	}
	seen := map[string]bool{}
	for k := range m {
		l := strings.ToLower(k)
		if seen[l] {
			return true
		}
		seen[l] = true
	}
	return false
}
