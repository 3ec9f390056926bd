package dyvmstest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/google/uuid"
)

// The fake's V3 verifier reproduces the worked example of the signature V3
// documentation (RunInstances on ecs.cn-shanghai.aliyuncs.com).
func TestV3DocumentedExample(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "http://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
	r.Header.Set("x-acs-version", "2014-05-26")
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	sts := stringToSignV3(canonicalRequestV3(r, r.URL.Query(), signed))
	if want := "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"; sts != want {
		t.Fatalf("string to sign %q, want %q", sts, want)
	}
	if got := signStringV3(sts, "YourAccessKeySecret"); got != "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" {
		t.Fatalf("signature %s", got)
	}
	a, ok := parseAuthorizationV3("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")
	if !ok || a.accessKeyID != "YourAccessKeyId" || strings.Join(a.signedHeaders, ";") != strings.Join(signed, ";") || a.algorithm != algorithmV3 {
		t.Fatalf("parsed %+v %v", a, ok)
	}
}

// v3Req is a hand-made V3 request, signed by the test's own code.
type v3Req struct {
	action      string            // default SingleCallByTts
	query       map[string]string // Action parameters, in the query
	form        string            // a form body, if any
	date        string            // default now
	nonce       string            // default a fresh UUID
	keyID       string            // default the server's
	secret      string            // default the server's
	token       string            // x-acs-security-token, if any
	unsign      string            // a header left out of SignedHeaders
	algorithm   string            // default ACS3-HMAC-SHA256
	auth        string            // replaces the Authorization header
	afterSigned func(r *http.Request)
}

func (v v3Req) build(t *testing.T, srv *Server) *http.Request {
	t.Helper()
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	q := url.Values{}
	for k, val := range v.query {
		q.Set(k, val)
	}
	u := srv.URL + "/"
	if len(q) > 0 {
		u += "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	r, err := http.NewRequest(http.MethodPost, u, strings.NewReader(v.form))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(v.form))
	h := map[string]string{
		"host":                  r.URL.Host,
		"x-acs-action":          def(v.action, "SingleCallByTts"),
		"x-acs-version":         dyvms.APIVersion,
		"x-acs-date":            def(v.date, time.Now().UTC().Format("2006-01-02T15:04:05Z")),
		"x-acs-signature-nonce": def(v.nonce, uuid.NewString()),
		"x-acs-content-sha256":  hex.EncodeToString(sum[:]),
	}
	if v.form != "" {
		h["content-type"] = "application/x-www-form-urlencoded"
	}
	if v.token != "" {
		h["x-acs-security-token"] = v.token
	}
	var names []string
	for n, val := range h {
		if n != "host" {
			r.Header.Set(n, val)
		}
		if n != v.unsign {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, testEncode(k)+"="+testEncode(q.Get(k)))
	}
	var canon strings.Builder
	for _, n := range names {
		canon.WriteString(n + ":" + h[n] + "\n")
	}
	cr := strings.Join([]string{"POST", "/", strings.Join(pairs, "&"), canon.String(), strings.Join(names, ";"), h["x-acs-content-sha256"]}, "\n")
	hashed := sha256.Sum256([]byte(cr))
	mac := hmac.New(sha256.New, []byte(def(v.secret, srv.AccessKeySecret)))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(hashed[:])))
	auth := def(v.algorithm, "ACS3-HMAC-SHA256") + " Credential=" + def(v.keyID, srv.AccessKeyID) +
		",SignedHeaders=" + strings.Join(names, ";") + ",Signature=" + hex.EncodeToString(mac.Sum(nil))
	r.Header.Set("Authorization", def(v.auth, auth))
	if v.afterSigned != nil {
		v.afterSigned(r)
	}
	return r
}

var v3TTS = map[string]string{"CalledNumber": "13900001234", "TtsCode": "TTS_100000", "OutId": "o-1", "TtsParam": `{"code":"12 34*~"}`}

func TestV3Accepted(t *testing.T) {
	srv := newServer(t)
	for _, v := range []v3Req{
		{query: v3TTS},
		{query: v3TTS, token: "STS.token-0123456789"},
		{form: "CalledNumber=13900001234&TtsCode=TTS_100000&OutId=o-2"},
		// Under V3 a parameter called Signature is an ordinary, signed one.
		{query: map[string]string{"CalledNumber": "13900001234", "TtsCode": "TTS_100000", "Signature": "not-a-v2-signature"}},
	} {
		rep := send(t, v.build(t, srv))
		if rep.status != 200 || rep.fields["Code"] != "OK" || rep.fields["CallId"] == "" {
			t.Fatalf("status %d: %s", rep.status, rep.raw)
		}
		if !strings.HasPrefix(rep.header.Get("Content-Type"), "application/json") {
			t.Fatalf("a V3 request without Format is answered in JSON, got %s", rep.header.Get("Content-Type"))
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests recorded", len(reqs))
	}
	for _, r := range reqs {
		if r.SignatureAlgorithm != "ACS3-HMAC-SHA256" || r.Action != "SingleCallByTts" || r.Param("Action") != "SingleCallByTts" ||
			r.Param("Version") != dyvms.APIVersion || r.Param("CalledNumber") != "13900001234" {
			t.Fatalf("recorded %+v", r)
		}
	}
	if reqs[0].Param("TtsParam") != v3TTS["TtsParam"] {
		t.Fatalf("TtsParam %q", reqs[0].Param("TtsParam"))
	}
}

// Every V3 check gives the gateway's code and HTTP status, and nothing
// rejected is recorded.
func TestV3GatewayErrors(t *testing.T) {
	old := time.Now().Add(-16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	future := time.Now().Add(16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	cases := []struct {
		name   string
		req    v3Req
		status int
		code   string
		msg    string
	}{
		{"wrong secret", v3Req{query: v3TTS, secret: "nope-nope"}, 400, "SignatureDoesNotMatch", "server string to sign is:ACS3-HMAC-SHA256\n"},
		{"query changed after signing", v3Req{query: v3TTS, afterSigned: func(r *http.Request) { r.URL.RawQuery += "&PlayTimes=2" }}, 400, "SignatureDoesNotMatch", "not matched"},
		{"header changed after signing", v3Req{query: v3TTS, afterSigned: func(r *http.Request) { r.Header.Set("x-acs-action", "SingleCallByVoice") }}, 400, "SignatureDoesNotMatch", "not matched"},
		{"body changed after signing", v3Req{form: "CalledNumber=1&TtsCode=T", afterSigned: func(r *http.Request) {
			r.Body = http.NoBody
			r.ContentLength = 0
		}}, 400, "IncompleteSignature", "x-acs-content-sha256"},
		{"token not signed", v3Req{query: v3TTS, token: "STS.token-0123456789", unsign: "x-acs-security-token"}, 400, "IncompleteSignature", "x-acs-security-token is not signed"},
		{"host not signed", v3Req{query: v3TTS, unsign: "host"}, 400, "IncompleteSignature", "host is not signed"},
		{"nonce not signed", v3Req{query: v3TTS, unsign: "x-acs-signature-nonce"}, 400, "IncompleteSignature", "not signed"},
		{"malformed Authorization", v3Req{query: v3TTS, auth: "ACS3-HMAC-SHA256 Credential=x"}, 400, "IncompleteSignature", "malformed"},
		{"other algorithm", v3Req{query: v3TTS, algorithm: "ACS3-HMAC-SM3"}, 400, "InvalidSignatureMethod", "not supported"},
		{"old x-acs-date", v3Req{query: v3TTS, date: old}, 400, "InvalidTimeStamp.Expired", "expired"},
		{"future x-acs-date", v3Req{query: v3TTS, date: future}, 400, "InvalidTimeStamp.Expired", "expired"},
		{"x-acs-date format", v3Req{query: v3TTS, date: "Tue, 01 Dec 2026 10:00:00 GMT"}, 400, "InvalidTimeStamp.Format", "not well formatted"},
		{"unknown key", v3Req{query: v3TTS, keyID: "LTAI-unknown"}, 404, "InvalidAccessKeyId.NotFound", "not found"},
		{"missing x-acs-action", v3Req{query: v3TTS, afterSigned: func(r *http.Request) { r.Header.Del("x-acs-action") }}, 400, "MissingAction", "mandatory"},
		{"unknown Action", v3Req{action: "SendSms", query: v3TTS}, 400, "UnsupportedOperation", "not supported"},
		{"missing required parameter", v3Req{query: map[string]string{"CalledNumber": "13900001234"}}, 400, "MissingTtsCode", "mandatory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			rep := send(t, tc.req.build(t, srv))
			if rep.status != tc.status || rep.fields["Code"] != tc.code || !strings.Contains(rep.fields["Message"], tc.msg) {
				t.Fatalf("got %d %s %q, want %d %s containing %q", rep.status, rep.fields["Code"], rep.fields["Message"], tc.status, tc.code, tc.msg)
			}
			if srv.Count("") != 0 {
				t.Fatalf("a rejected request was recorded")
			}
		})
	}
}

func TestV3NonceReused(t *testing.T) {
	srv := newServer(t)
	v := v3Req{query: v3TTS, nonce: "nonce-" + uuid.NewString()}
	if rep := send(t, v.build(t, srv)); rep.status != 200 {
		t.Fatalf("first: %d %s", rep.status, rep.raw)
	}
	rep := send(t, v.build(t, srv))
	if rep.status != 400 || rep.fields["Code"] != "SignatureNonceUsed" {
		t.Fatalf("replay: %d %s", rep.status, rep.raw)
	}
	if srv.Count("") != 1 {
		t.Fatalf("%d recorded", srv.Count(""))
	}
}

// The SDK's V3 client, end to end against the fake: a call, its detail and
// a paged listing, every request verified by the fake's V3 code.
func TestV3ClientAgainstFake(t *testing.T) {
	srv := newServer(t)
	c, err := srv.Client(dyvms.WithSignatureVersion(dyvms.SignatureV3), dyvms.WithSecurityToken("STS.token-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	call, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "v3-1",
		TtsParam: map[string]string{"code": "1234"}})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := c.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{CallID: call.CallID, ProdID: dyvms.ProductVoiceNotification, QueryDate: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := detail.Detail()
	if err != nil || d.Callee != "13900001234" {
		t.Fatalf("detail %+v %v", d, err)
	}
	if _, err := c.ListCallTask(ctx, &dyvms.ListCallTaskRequest{PageNumber: 1, PageSize: 10}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.SignatureAlgorithm != "ACS3-HMAC-SHA256" {
			t.Fatalf("%s signed %s", r.Action, r.SignatureAlgorithm)
		}
	}
	if srv.Count("") != 3 {
		t.Fatalf("%d requests", srv.Count(""))
	}

	// A wrong secret is the gateway's SignatureDoesNotMatch, and the
	// signature and the token never show in the error.
	bad, err := dyvms.NewClient(dyvms.WithEndpoint(srv.URL), dyvms.WithAccessKey(srv.AccessKeyID, "wrong-secret-123"),
		dyvms.WithSignatureVersion(dyvms.SignatureV3), dyvms.WithSecurityToken("STS.token-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{CallID: call.CallID, ProdID: dyvms.ProductVoiceNotification, QueryDate: time.Now()})
	if !dyvms.IsSignatureMismatch(err) || strings.Contains(err.Error(), "STS.token-0123456789") || strings.Contains(err.Error(), "wrong-secret-123") {
		t.Fatalf("err %v", err)
	}
}
