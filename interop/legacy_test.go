package interop

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dyvmsapi"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// TestLegacySDK drives the typed Dyvmsapi client of
// github.com/aliyun/alibaba-cloud-sdk-go v1 (HMAC-SHA1, parameters in the
// query string) against the fake, answers in JSON and in XML, each decoded
// into the SDK's own response structs.
func TestLegacySDK(t *testing.T) {
	for _, tc := range []struct {
		name, format, token string
	}{
		{"JSON", "JSON", ""},
		{"XML", "XML", ""},
		{"JSON-STS", "JSON", "STS.interop-token-0123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dyvmstest.NewServer()
			defer srv.Close()
			var c *dyvmsapi.Client
			var err error
			if tc.token != "" {
				c, err = dyvmsapi.NewClientWithStsToken("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret, tc.token)
			} else {
				c, err = dyvmsapi.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret)
			}
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(srv.URL)
			prep := func(r *requests.RpcRequest) {
				r.Scheme = "http"
				r.Domain = u.Host
				r.AcceptFormat = tc.format
			}

			call := dyvmsapi.CreateSingleCallByTtsRequest()
			prep(call.RpcRequest)
			call.CalledNumber, call.CalledShowNumber, call.TtsCode = "13900001234", "057112345678", "TTS_100000"
			call.TtsParam, call.OutId, call.PlayTimes = `{"code":"1234","product":"阿里云 *~"}`, "interop-1", requests.NewInteger(2)
			placed, err := c.SingleCallByTts(call)
			if err != nil || placed.Code != "OK" || placed.CallId == "" || placed.RequestId == "" {
				t.Fatalf("SingleCallByTts: %+v %v", placed, err)
			}

			q := dyvmsapi.CreateQueryCallDetailByCallIdRequest()
			prep(q.RpcRequest)
			q.CallId, q.ProdId, q.QueryDate = placed.CallId, requests.NewInteger64(11000000300006), requests.NewInteger64(time.Now().UnixMilli())
			detail, err := c.QueryCallDetailByCallId(q)
			if err != nil || detail.Code != "OK" {
				t.Fatalf("QueryCallDetailByCallId: %+v %v", detail, err)
			}
			var d struct {
				Callee string `json:"callee"`
			}
			if err := json.Unmarshal([]byte(detail.Data), &d); err != nil || d.Callee != "13900001234" {
				t.Fatalf("detail %q: %v", detail.Data, err)
			}

			for i := 1; i <= 3; i++ {
				ct := dyvmsapi.CreateCreateCallTaskRequest()
				prep(ct.RpcRequest)
				ct.TaskName, ct.BizType, ct.TemplateCode, ct.TemplateName = "interop-"+strconv.Itoa(i), "VMS_VOICE_TTS", "TTS_100000", "interop"
				ct.Resource, ct.ResourceType, ct.DataType, ct.Data, ct.ScheduleType = "057112345678", "LIST", "LIST", "13900000001,13900000002", "NOW"
				created, err := c.CreateCallTask(ct)
				if err != nil || created.Data == 0 {
					t.Fatalf("CreateCallTask: %+v %v", created, err)
				}
			}
			var names []string
			for page := 1; page <= 2; page++ {
				l := dyvmsapi.CreateListCallTaskRequest()
				prep(l.RpcRequest)
				l.PageNumber, l.PageSize = requests.NewInteger(page), requests.NewInteger(2)
				list, err := c.ListCallTask(l)
				if err != nil || list.Total != 3 || list.PageNumber != int64(page) {
					t.Fatalf("ListCallTask page %d: %+v %v", page, list, err)
				}
				for _, it := range list.Data {
					names = append(names, it.TaskName)
				}
			}
			if got := strings.Join(names, ","); got != "interop-1,interop-2,interop-3" && got != "interop-3,interop-2,interop-1" {
				t.Fatalf("paged task names %v", names)
			}

			reqs := srv.Requests()
			if len(reqs) != 7 {
				t.Fatalf("%d requests recorded", len(reqs))
			}
			for _, r := range reqs {
				if r.SignatureAlgorithm != "HMAC-SHA1" {
					t.Fatalf("%s signed %s", r.Action, r.SignatureAlgorithm)
				}
			}
			if p := reqs[0].Params; p.Get("TtsParam") != call.TtsParam || p.Get("Format") != tc.format {
				t.Fatalf("SingleCallByTts parameters as the fake read them: %v", p)
			}
		})
	}
}

// A wrong secret is the gateway's SignatureDoesNotMatch, decoded by the
// legacy SDK into its ServerError.
func TestLegacySDKWrongSecret(t *testing.T) {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	c, err := dyvmsapi.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, "not-the-secret")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	call := dyvmsapi.CreateSingleCallByTtsRequest()
	call.Scheme, call.Domain = "http", u.Host
	call.CalledNumber, call.TtsCode = "13900001234", "TTS_100000"
	_, err = c.SingleCallByTts(call)
	if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("%v", err)
	}
	if srv.Count("") != 0 {
		t.Fatal("a rejected request was recorded")
	}
}
