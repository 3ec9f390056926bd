package interop

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// newDarabonba returns the official Darabonba client pointed at srv.
// algorithm "" keeps its default signature (V3, ACS3-HMAC-SHA256); "v2"
// makes it sign with HMAC-SHA1.
func newDarabonba(t *testing.T, srv *dyvmstest.Server, algorithm, secret, token string) *openapi.Client {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(srv.AccessKeyID),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(u.Host),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	if token != "" {
		cfg.SecurityToken = dara.String(token)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// placement says where the Action's parameters go: the query string (what
// the generated Dyvmsapi client does today) or a form body (what its
// older versions did).
type placement int

const (
	inQuery placement = iota
	inForm
)

// callAPI calls action through CallApi, as the generated Dyvmsapi client
// does (RPC style, POST, JSON answer), and returns the decoded body.
func callAPI(c *openapi.Client, action string, params map[string]any, where placement) (map[string]any, error) {
	p := &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String("2017-05-25"),
		Protocol:    dara.String("HTTP"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
	req := &openapi.OpenApiRequest{}
	if where == inQuery {
		req.Query = openapiutil.Query(params)
	} else {
		req.Body = params
	}
	runtime := &dara.RuntimeOptions{}
	res, err := c.CallApi(p, req, runtime)
	if err != nil {
		return nil, err
	}
	if s := fmt.Sprint(res["statusCode"]); s != "200" {
		return nil, fmt.Errorf("status %s", s)
	}
	body, ok := res["body"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("body %T", res["body"])
	}
	return body, nil
}

func TestDarabonba(t *testing.T) {
	for _, tc := range []struct {
		name, algorithm, token string
		where                  placement
		wantSigned             string
	}{
		{"default-V3-query", "", "", inQuery, "ACS3-HMAC-SHA256"},
		{"default-V3-query-STS", "", "STS.interop-token-0123", inQuery, "ACS3-HMAC-SHA256"},
		{"default-V3-form-body", "", "", inForm, "ACS3-HMAC-SHA256"},
		{"v2-query", "v2", "", inQuery, "HMAC-SHA1"},
		{"v2-form-body-STS", "v2", "STS.interop-token-0123", inForm, "HMAC-SHA1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dyvmstest.NewServer()
			defer srv.Close()
			c := newDarabonba(t, srv, tc.algorithm, srv.AccessKeySecret, tc.token)
			call := func(action string, params map[string]any) map[string]any {
				t.Helper()
				body, err := callAPI(c, action, params, tc.where)
				if err != nil {
					t.Fatalf("%s: %v", action, err)
				}
				if !success(body) {
					t.Fatalf("%s: %v", action, body)
				}
				return body
			}
			runScenario(t, srv, call, tc.wantSigned)
		})
	}
}

// runScenario places a SingleCallByTts, queries its detail, creates three
// call tasks and pages through them two at a time, through call; then it
// checks what the fake verified and recorded.
func runScenario(t *testing.T, srv *dyvmstest.Server, call func(string, map[string]any) map[string]any, wantSigned string) {
	t.Helper()
	placed := call("SingleCallByTts", map[string]any{
		"CalledNumber": "13900001234", "CalledShowNumber": "057112345678", "TtsCode": "TTS_100000",
		"TtsParam": `{"code":"1234","product":"阿里云 *~"}`, "OutId": "interop-1", "PlayTimes": 2,
	})
	callID, _ := placed["CallId"].(string)
	if callID == "" {
		t.Fatalf("no CallId: %v", placed)
	}
	detail := call("QueryCallDetailByCallId", map[string]any{
		"CallId": callID, "ProdId": 11000000300006, "QueryDate": time.Now().UnixMilli(),
	})
	var d struct {
		Callee string `json:"callee"`
	}
	if s, _ := detail["Data"].(string); json.Unmarshal([]byte(s), &d) != nil || d.Callee != "13900001234" {
		t.Fatalf("detail: %v", detail)
	}
	for i := 1; i <= 3; i++ {
		created := call("CreateCallTask", map[string]any{
			"TaskName": "interop-" + strconv.Itoa(i), "BizType": "VMS_VOICE_TTS", "TemplateCode": "TTS_100000",
			"TemplateName": "interop", "Resource": "057112345678", "ResourceType": "LIST", "DataType": "LIST",
			"Data": "13900000001,13900000002", "ScheduleType": "NOW",
		})
		if fmt.Sprint(created["Data"]) == "" {
			t.Fatalf("CreateCallTask: %v", created)
		}
	}
	var names []string
	for page := 1; page <= 2; page++ {
		list := call("ListCallTask", map[string]any{"PageNumber": page, "PageSize": 2})
		if fmt.Sprint(list["Total"]) != "3" || fmt.Sprint(list["PageNumber"]) != strconv.Itoa(page) {
			t.Fatalf("page %d: %v", page, list)
		}
		items, _ := list["Data"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			names = append(names, fmt.Sprint(m["TaskName"]))
		}
	}
	if strings.Join(names, ",") != "interop-1,interop-2,interop-3" && strings.Join(names, ",") != "interop-3,interop-2,interop-1" {
		t.Fatalf("paged task names %v", names)
	}

	reqs := srv.Requests()
	if len(reqs) != 7 {
		t.Fatalf("%d requests recorded, want 7", len(reqs))
	}
	for _, r := range reqs {
		if r.SignatureAlgorithm != wantSigned {
			t.Fatalf("%s signed %q, want %q", r.Action, r.SignatureAlgorithm, wantSigned)
		}
	}
	if p := reqs[0].Params; p.Get("TtsParam") != `{"code":"1234","product":"阿里云 *~"}` || p.Get("OutId") != "interop-1" || p.Get("PlayTimes") != "2" {
		t.Fatalf("SingleCallByTts parameters as the fake read them: %v", p)
	}
}

// A wrong secret is turned away by the fake with the gateway's code, and
// the official client decodes that error.
func TestDarabonbaWrongSecret(t *testing.T) {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	for _, alg := range []string{"", "v2"} {
		c := newDarabonba(t, srv, alg, "not-the-secret", "")
		_, err := callAPI(c, "SingleCallByTts", map[string]any{"CalledNumber": "13900001234", "TtsCode": "TTS_100000"}, inQuery)
		if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
			t.Fatalf("algorithm %q: %v", alg, err)
		}
	}
	if srv.Count("") != 0 {
		t.Fatal("a rejected request was recorded")
	}
}

// success reports whether a decoded body is a success envelope: a
// RequestId and the Action's success Code ("OK", or "200" for the call-task
// Actions).
func success(body map[string]any) bool {
	code := fmt.Sprint(body["Code"])
	return fmt.Sprint(body["RequestId"]) != "" && (code == "OK" || code == "200")
}
