package dyvmstest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The fake's own signer against the published vectors (common.json).
func TestSignatureVectors(t *testing.T) {
	sms := url.Values{}
	for k, v := range map[string]string{
		"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
		"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
		"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
		"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
	} {
		sms.Set(k, v)
	}
	seed := url.Values{}
	for k, v := range map[string]string{
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb",
		"AccessKeyId": "testId", "SignatureVersion": "1.0", "Timestamp": "2017-09-28T14:31:56Z",
		"Format": "XML", "Action": "SingleCallByTts", "Version": "2017-05-25", "RegionId": "cn-hangzhou",
		"CalledShowNumber": "05711234****", "CalledNumber": "13900001234",
		"TtsParam": `{"code":"1234","product":"test"}`, "TtsCode": "TTS_0000000", "OutId": "123",
	} {
		seed.Set(k, v)
	}
	for _, tc := range []struct {
		name   string
		params url.Values
		sts    string
		sig    string
	}{
		{"sms-doc", sms, "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25", "zJDF+Lrzhj/ThnlvIToysFRq6t4="},
		{"seed-as-printed", seed, "GET&%2F&AccessKeyId%3DtestId%26Action%3DSingleCallByTts%26CalledNumber%3D13900001234%26CalledShowNumber%3D05711234%252A%252A%252A%252A%26Format%3DXML%26OutId%3D123%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Df7d2d4ef-6d5f-4da4-86ed-88e001abbabb%26SignatureVersion%3D1.0%26Timestamp%3D2017-09-28T14%253A31%253A56Z%26TtsCode%3DTTS_0000000%26TtsParam%3D%257B%2522code%2522%253A%25221234%2522%252C%2522product%2522%253A%2522test%2522%257D%26Version%3D2017-05-25", "Z76jw3BtU65rbEtoX1ncKVZN3W0="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stringToSign("GET", tc.params); got != tc.sts {
				t.Fatalf("string to sign:\n got %s\nwant %s", got, tc.sts)
			}
			if got := signString(tc.sts, "testSecret"); got != tc.sig {
				t.Fatalf("signature %s, want %s", got, tc.sig)
			}
		})
	}
	if got := percentEncode("a b*c~d/é"); got != "a%20b%2Ac~d%2F%C3%A9" {
		t.Fatalf("percentEncode = %s", got)
	}
}

var ttsParams = map[string]string{"CalledNumber": "13900001234", "TtsCode": "TTS_100000", "OutId": "o-1"}

// agentParams create a cloud call-centre agent with a name that needs
// percent-encoding and a JSON parameter.
var agentParams = map[string]string{"EnterpriseId": "7000002", "Cno": "2001", "Name": "李雷 Li", "AreaCode": "010",
	"ObClidProperty": `{"isMatchCapital":0,"areaCodeRule":1}`}

// A request to an Action of every new group, signed by the tests' own
// signer, is accepted and answered in the Action's response root.
func TestNewGroupsSigned(t *testing.T) {
	srv := newServer(t)
	for _, rr := range []rawReq{
		{action: "CloudCreateAgent", params: agentParams},
		{action: "SingleCallByVideo", params: map[string]string{"CalledNumber": "13900001234", "VideoCode": "v", "VoiceCode": "a.wav"}},
		{action: "ClinkListClients", params: map[string]string{"EnterpriseId": "7000002"}, method: http.MethodGet},
	} {
		r := send(t, rr.build(t, srv))
		if r.status != 200 || r.root != rr.action+"Response" || r.fields["Code"] != "OK" || r.fields["RequestId"] == "" {
			t.Fatalf("%s: HTTP %d %s", rr.action, r.status, r.raw)
		}
	}
	if reqs := srv.Requests(); len(reqs) != 3 || reqs[0].Param("Name") != "李雷 Li" {
		t.Fatalf("recorded %+v", reqs)
	}
}

// Every gateway check gives the real code and HTTP status, in JSON and XML,
// and nothing rejected is recorded.
func TestGatewayErrors(t *testing.T) {
	old := time.Now().Add(-16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	future := time.Now().Add(16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	cases := []struct {
		name   string
		req    rawReq
		status int
		code   string
		msg    string // substring of Message
	}{
		{"bad signature", rawReq{params: ttsParams, badSign: true}, 400, "SignatureDoesNotMatch", "server string to sign is:POST&%2F&AccessKeyId%3D"},
		{"wrong secret", rawReq{params: ttsParams, secret: "nope"}, 400, "SignatureDoesNotMatch", "not matched"},
		{"unsupported method", rawReq{params: ttsParams, method: http.MethodPut}, 400, "UnsupportedHTTPMethod", "PUT"},
		{"old timestamp", rawReq{params: ttsParams, common: map[string]string{"Timestamp": old}}, 400, "InvalidTimeStamp.Expired", "expired"},
		{"future timestamp", rawReq{params: ttsParams, common: map[string]string{"Timestamp": future}}, 400, "InvalidTimeStamp.Expired", "expired"},
		{"timestamp format", rawReq{params: ttsParams, common: map[string]string{"Timestamp": "2024-01-01 10:00:00"}}, 400, "InvalidTimeStamp.Format", "not well formatted"},
		{"missing required parameter", rawReq{params: map[string]string{"CalledNumber": "13900001234"}}, 400, "MissingTtsCode", "TtsCode is mandatory"},
		{"missing required list", rawReq{action: "SetTransferCalleePoolConfig", params: map[string]string{"CalledRouteMode": "1", "PhoneNumber": "1", "QualificationId": "2"}}, 400, "MissingDetails", "Details is mandatory"},
		{"bad integer", rawReq{params: map[string]string{"CalledNumber": "1", "TtsCode": "T", "PlayTimes": "three"}}, 400, "InvalidParameter", "PlayTimes"},
		{"missing nonce", rawReq{params: ttsParams, common: map[string]string{"SignatureNonce": ""}}, 400, "MissingSignatureNonce", "mandatory"},
		{"unknown Action", rawReq{action: "SendSms", params: ttsParams}, 400, "UnsupportedOperation", "not supported"},
		{"bad Version", rawReq{params: ttsParams, common: map[string]string{"Version": "2020-01-01"}}, 400, "InvalidVersion", "Version"},
		{"unknown AccessKeyId", rawReq{params: ttsParams, common: map[string]string{"AccessKeyId": "LTAIunknown"}}, 404, "InvalidAccessKeyId.NotFound", "access key is not found"},
		{"signature method", rawReq{params: ttsParams, common: map[string]string{"SignatureMethod": "HMAC-SHA256"}}, 400, "InvalidSignatureMethod", "not supported"},
		{"bad signature, cloud agent", rawReq{action: "CloudCreateAgent", params: agentParams, badSign: true}, 400, "SignatureDoesNotMatch", "CloudCreateAgent"},
		{"missing required, video call", rawReq{action: "SingleCallByVideo", params: map[string]string{"CalledNumber": "13900001234"}}, 400, "MissingVideoCode", "VideoCode is mandatory"},
		{"JSON parameter not JSON", rawReq{action: "CloudImportTaskTel", params: map[string]string{"EnterpriseId": "1", "TaskId": "1", "Name": "b", "TaskTelList": `[{"Tel":`}}, 400, "InvalidParameter", "TaskTelList"},
		{"TtsParam not JSON", rawReq{params: map[string]string{"CalledNumber": "1", "TtsCode": "T", "TtsParam": "code=1"}}, 400, "InvalidParameter", "TtsParam"},
		{"JSON parameter with trailing text", rawReq{params: map[string]string{"CalledNumber": "1", "TtsCode": "T", "TtsParam": `{"code":"1"} x`}}, 400, "InvalidParameter", "TtsParam"},
		{"bad float", rawReq{action: "CloudCreateTask", params: map[string]string{"EnterpriseId": "1", "Name": "n", "Type": "1", "Quotiety": "high"}}, 400, "InvalidParameter", "Quotiety"},
	}
	for _, format := range []string{"JSON", "XML"} {
		for _, tc := range cases {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				srv := newServer(t)
				rr := tc.req
				rr.format = format
				r := send(t, rr.build(t, srv))
				checkError(t, r, format, tc.status, tc.code, tc.msg)
				if n := srv.Count(""); n != 0 {
					t.Fatalf("%d requests recorded, want 0", n)
				}
			})
		}
	}
}

func checkError(t *testing.T, r reply, format string, status int, code, msg string) {
	t.Helper()
	if r.status != status || r.fields["Code"] != code {
		t.Fatalf("got HTTP %d %q, want %d %q; body %s", r.status, r.fields["Code"], status, code, r.raw)
	}
	if !strings.Contains(r.fields["Message"], msg) {
		t.Fatalf("Message %q lacks %q", r.fields["Message"], msg)
	}
	if format == "XML" && r.root != "Error" {
		t.Fatalf("XML root %q, want Error: %s", r.root, r.raw)
	}
	if format == "JSON" && r.root != "" {
		t.Fatalf("asked for JSON, got XML: %s", r.raw)
	}
	if r.fields["RequestId"] == "" || r.fields["HostId"] != HostID || r.header.Get("x-acs-request-id") != r.fields["RequestId"] {
		t.Fatalf("envelope lacks RequestId/HostId: %s", r.raw)
	}
}

func TestReplayedNonce(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		t.Run(format, func(t *testing.T) {
			srv := newServer(t)
			rr := rawReq{params: ttsParams, format: format}
			req := rr.build(t, srv)
			r := send(t, req)
			if r.status != 200 || r.fields["Code"] != "OK" {
				t.Fatalf("first: HTTP %d %s", r.status, r.raw)
			}
			// The same signed request again, byte for byte.
			body := url.Values{}
			for k, v := range ttsParams {
				body.Set(k, v)
			}
			again, err := http.NewRequest(http.MethodPost, req.URL.String(), strings.NewReader(body.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			again.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			checkError(t, send(t, again), format, 400, "SignatureNonceUsed", "nonce")
			if n := srv.Count("SingleCallByTts"); n != 1 {
				t.Fatalf("Count = %d, want 1", n)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	srv := newServer(t)
	// Format omitted: XML, as the real gateway; errors too.
	r := send(t, rawReq{params: ttsParams}.build(t, srv))
	if r.root != "SingleCallByTtsResponse" || r.fields["Code"] != "OK" || !strings.Contains(r.fields["CallId"], "^") {
		t.Fatalf("default format: %s", r.raw)
	}
	r = send(t, rawReq{params: ttsParams, badSign: true}.build(t, srv))
	if r.root != "Error" {
		t.Fatalf("default-format error: %s", r.raw)
	}
	// A bad Format is itself reported, in XML.
	r = send(t, rawReq{params: ttsParams, format: "YAML"}.build(t, srv))
	checkError(t, r, "XML", 400, "InvalidParameter.Format", "Format")
	// GET with everything in the query string.
	r = send(t, rawReq{params: ttsParams, method: http.MethodGet, format: "JSON"}.build(t, srv))
	if r.status != 200 || r.fields["Code"] != "OK" || r.fields["CallId"] == "" {
		t.Fatalf("GET: HTTP %d %s", r.status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
	if srv.Count("SingleCallByTts") != 2 {
		t.Fatalf("Count = %d, want 2", srv.Count("SingleCallByTts"))
	}
}
