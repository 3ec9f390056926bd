package dyvms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked example of the Alibaba Cloud documentation of signature V3
// ("Request syntax and signature method V3", section "Signature examples",
// fixed parameter values): RunInstances on ecs.cn-shanghai.aliyuncs.com,
// two query parameters, an empty body.
const (
	docV3KeyID    = "YourAccessKeyId"
	docV3Secret   = "YourAccessKeySecret"
	docV3Host     = "ecs.cn-shanghai.aliyuncs.com"
	docV3Date     = "2023-10-26T10:22:32Z"
	docV3Nonce    = "3156853299f313e23d1673dc12e1703d"
	docV3Action   = "RunInstances"
	docV3Version  = "2014-05-26"
	docV3Query    = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
	docV3CanonReq = "POST\n/\n" + docV3Query + "\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\n" +
		"x-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\n" +
		"x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n" +
		"x-acs-version:2014-05-26\n" +
		"\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	docV3StringToSign  = "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
	docV3Signature     = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	docV3Authorization = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=" + docV3Signature
)

func TestSignV3DocumentedExample(t *testing.T) {
	ps := []param{
		{"RegionId", "cn-shanghai"},
		{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
	}
	sortParams(ps)
	query := appendQuery(nil, ps)
	require.Equal(t, docV3Query, string(query))
	headers := []headerV3{
		{"host", docV3Host},
		{"x-acs-action", docV3Action},
		{"x-acs-content-sha256", emptyPayloadSHA256},
		{"x-acs-date", docV3Date},
		{"x-acs-signature-nonce", docV3Nonce},
		{"x-acs-version", docV3Version},
	}
	cr := canonicalRequestV3("POST", query, headers, emptyPayloadSHA256)
	assert.Equal(t, docV3CanonReq, string(cr))
	assert.Equal(t, len(cr), cap(cr), "canonical request sized exactly")
	sts := stringToSignV3(cr)
	assert.Equal(t, docV3StringToSign, string(sts[:]))
	sig := signV3(sts, docV3Secret)
	assert.Equal(t, docV3Signature, sig)
	assert.Equal(t, docV3Authorization, authorizationV3(docV3KeyID, headers, sig))

	// The independent reference agrees with the document too.
	refHeaders := map[string]string{
		"host": docV3Host, "x-acs-action": docV3Action, "x-acs-content-sha256": emptyPayloadSHA256,
		"x-acs-date": docV3Date, "x-acs-signature-nonce": docV3Nonce, "x-acs-version": docV3Version,
	}
	refQuery := url.Values{"ImageId": {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, "RegionId": {"cn-shanghai"}}
	assert.Equal(t, docV3CanonReq, refCanonicalRequestV3("POST", refQuery, refHeaders, ""))
	assert.Equal(t, docV3Signature, refSignV3("POST", refQuery, refHeaders, "", docV3Secret))
	empty := sha256.Sum256(nil)
	assert.Equal(t, hex.EncodeToString(empty[:]), emptyPayloadSHA256)
}

// refCanonicalRequestV3 and refSignV3 recompute signature V3 from the
// documentation's pseudocode, on top of net/url and strings rather than the
// production code. body is the request body, "" for none.
func refCanonicalRequestV3(method string, query url.Values, headers map[string]string, body string) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, refEncode(k)+"="+refEncode(query.Get(k)))
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	var canon strings.Builder
	for _, n := range names {
		canon.WriteString(n + ":" + strings.TrimSpace(headers[n]) + "\n")
	}
	payload := sha256.Sum256([]byte(body))
	return strings.Join([]string{
		method, "/", strings.Join(pairs, "&"), canon.String(), strings.Join(names, ";"), hex.EncodeToString(payload[:]),
	}, "\n")
}

func refSignV3(method string, query url.Values, headers map[string]string, body, secret string) string {
	hashed := sha256.Sum256([]byte(refCanonicalRequestV3(method, query, headers, body)))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(hashed[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// Hard parameter values, each signed by the SDK and checked against the
// independent reference.
func TestSignV3SpecialCharacters(t *testing.T) {
	for _, s := range []string{
		"语音验证码 您的验证码是1234", "emoji 📞☎️", "star*tilde~plus+amp&eq=slash/q?pct%",
		"line1\nline2", `{"code":"1234","product":"阿里云"}`, "%20 already-encoded %2A", "",
	} {
		ps := []param{{"TtsParam", s}, {"CalledNumber", "13900001234"}, {"A.10.B", "x"}, {"A.2.B", "y"}}
		sortParams(ps)
		headers := []headerV3{
			{"host", "127.0.0.1:8080"}, {"x-acs-action", "SingleCallByTts"},
			{"x-acs-content-sha256", emptyPayloadSHA256}, {"x-acs-date", "2026-11-29T11:00:00Z"},
			{"x-acs-security-token", testToken}, {"x-acs-signature-nonce", "n-1"}, {"x-acs-version", APIVersion},
		}
		got := signV3(stringToSignV3(canonicalRequestV3("POST", appendQuery(nil, ps), headers, emptyPayloadSHA256)), testSecret)
		q := url.Values{}
		hm := map[string]string{}
		for _, p := range ps {
			q.Set(p.key, p.value)
		}
		for _, h := range headers {
			hm[h.name] = h.value
		}
		assert.Equal(t, refSignV3("POST", q, hm, "", testSecret), got, "value %q", s)
	}
}

// v3Server records the requests it receives with their Host, and answers
// with reply.
type v3Server struct {
	mu    sync.Mutex
	reqs  []*http.Request
	reply func(w http.ResponseWriter, r *http.Request)
	srv   *httptest.Server
}

func newV3Server(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) *v3Server {
	t.Helper()
	s := &v3Server{reply: reply}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r2 := r.Clone(context.Background())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.reqs = append(s.reqs, r2)
		s.mu.Unlock()
		s.reply(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *v3Server) requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// requireSignedV3 checks a received request against an independent
// recomputation of its V3 signature, and returns its query parameters.
func requireSignedV3(t *testing.T, r *http.Request, action, keyID, secret string) url.Values {
	t.Helper()
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/", r.URL.Path)
	body, _ := io.ReadAll(r.Body)
	require.Empty(t, body, "a V3 request carries its parameters in the query")
	q := r.URL.Query()
	for _, k := range []string{"Signature", "AccessKeyId", "SecurityToken", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Action", "Version", "Format", "RegionId"} {
		require.NotContains(t, q, k, "V3 query carries %s", k)
	}
	require.Equal(t, action, r.Header.Get("x-acs-action"))
	require.Equal(t, APIVersion, r.Header.Get("x-acs-version"))
	require.Equal(t, emptyPayloadSHA256, r.Header.Get("x-acs-content-sha256"))
	require.NotEmpty(t, r.Header.Get("x-acs-signature-nonce"))
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, r.Header.Get("x-acs-date"))

	headers := map[string]string{"host": r.Host}
	for name, vs := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") {
			headers[n] = vs[0]
		}
	}
	signed := make([]string, 0, len(headers))
	for n := range headers {
		signed = append(signed, n)
	}
	sort.Strings(signed)
	want := "ACS3-HMAC-SHA256 Credential=" + keyID + ",SignedHeaders=" + strings.Join(signed, ";") +
		",Signature=" + refSignV3(r.Method, q, headers, string(body), secret)
	require.Equal(t, want, r.Header.Get("Authorization"), "Authorization does not match an independent recomputation")
	return q
}

func TestClientV3OnTheWire(t *testing.T) {
	srv := newV3Server(t, replyBody(200, "application/json", okCallJSON))
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3), WithSecurityToken(testToken))
	resp, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{
		CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
		TtsParam: map[string]string{"code": "1234", "product": "阿里云 *~"}, OutID: "order-42",
	})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.CallID)
	assert.NotEmpty(t, resp.RequestID)

	reqs := srv.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	q := requireSignedV3(t, r, "SingleCallByTts", testKeyID, testSecret)
	assert.Equal(t, url.Values{
		"CalledNumber": {"13900001234"}, "CalledShowNumber": {"057112345678"}, "TtsCode": {"TTS_100000"},
		"TtsParam": {`{"code":"1234","product":"阿里云 *~"}`}, "OutId": {"order-42"},
	}, q)
	assert.Equal(t, testToken, r.Header.Get("x-acs-security-token"))
	assert.Equal(t, "2026-11-29T11:00:00Z", r.Header.Get("x-acs-date"))
	assert.Equal(t, "nonce-0001", r.Header.Get("x-acs-signature-nonce"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Empty(t, r.Header.Get("Content-Type"))
	assert.Contains(t, r.Header.Get("Authorization"), "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,")
	// No credential anywhere in the URL.
	assert.NotContains(t, r.URL.String(), testKeyID)
	assert.NotContains(t, r.URL.String(), "STS.")
}

// The same validation runs before any I/O with either signer.
func TestClientV3ValidatesBeforeSending(t *testing.T) {
	srv := newV3Server(t, replyBody(200, "application/json", okCallJSON))
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3))
	_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{TtsCode: "TTS_1"})
	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.Empty(t, srv.requests())
}

// Retries go through the same path, each attempt signed anew.
func TestClientV3RetriesSignEachAttempt(t *testing.T) {
	n := 0
	srv := newV3Server(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(503)
			io.WriteString(w, `{"RequestId":"R1","Code":"ServiceUnavailable","Message":"busy"}`)
			return
		}
		replyBody(200, "application/json", `{"RequestId":"R2","Code":"OK","Data":{"CallId":"c1"}}`)(w, r)
	})
	nonces := 0
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3), withRetryClock(nil, func(context.Context, time.Duration) error { return nil }),
		withNonce(func() string { nonces++; return fmt.Sprintf("nonce-%d", nonces) }))
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: CallProductID(11000000300006), QueryDate: fixedTime})
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	for i, r := range reqs {
		requireSignedV3(t, r, "QueryCallDetailByCallId", testKeyID, testSecret)
		assert.Equal(t, fmt.Sprintf("nonce-%d", i+1), r.Header.Get("x-acs-signature-nonce"))
	}
	assert.NotEqual(t, reqs[0].Header.Get("Authorization"), reqs[1].Header.Get("Authorization"))
}

// A call-placing Action's unknown outcome is ErrAmbiguous under V3 too.
func TestClientV3AmbiguousOutcome(t *testing.T) {
	srv := newV3Server(t, replyBody(503, "application/json", `{"RequestId":"R1","Code":"ServiceUnavailable","Message":"busy"}`))
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3))
	_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1", OutID: "o-1"})
	require.ErrorIs(t, err, ErrAmbiguous)
	assert.Len(t, srv.requests(), 1)
}

// The signature and the STS token never reach an error or a log, even when
// the server quotes the Authorization and x-acs-security-token headers back.
func TestClientV3Redaction(t *testing.T) {
	srv := newV3Server(t, func(w http.ResponseWriter, r *http.Request) {
		msg := "Specified signature is not matched. got " + r.Header.Get("Authorization") + " token " + r.Header.Get("x-acs-security-token")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"RequestId":"R1","Code":"SignatureDoesNotMatch","Message":%q,"Recommend":%q}`, msg, msg)
	})
	var logs bytes.Buffer
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3), WithSecurityToken(testToken),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: CallProductID(11000000300006), QueryDate: fixedTime})
	require.Error(t, err)
	assert.True(t, IsSignatureMismatch(err))
	reqs := srv.requests()
	require.NotEmpty(t, reqs)
	auth := reqs[0].Header.Get("Authorization")
	sig := auth[strings.LastIndex(auth, "Signature=")+len("Signature="):]
	require.Len(t, sig, 64)
	var e *Error
	require.True(t, errors.As(err, &e))
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", e), e.Message, e.Recommend, logs.String()} {
		assert.NotContains(t, text, sig)
		assert.NotContains(t, text, testToken)
		assert.NotContains(t, text, testSecret)
	}
	assert.Contains(t, e.Message, "***")
}

func TestWithSignatureVersionRejectsUnknown(t *testing.T) {
	_, err := NewClient(WithAccessKey(testKeyID, testSecret), WithSignatureVersion(SignatureVersion(7)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SignatureV2 or SignatureV3")
	assert.Equal(t, "V2", SignatureV2.String())
	assert.Equal(t, "V3", SignatureV3.String())
}

// Every typed Action signed with V3: its exact parameters in the query,
// the signature recomputed independently, the sample answer decoded.
func TestEveryActionV3(t *testing.T) {
	for _, a := range catalog.Load().Actions {
		m, reqType, _, ok := actionMethod(a.Name)
		if !ok {
			continue
		}
		a := a
		t.Run(a.Name, func(t *testing.T) {
			req := reflect.New(reqType)
			want := fillFromExamples(t, req.Elem(), a.Request, "")
			body := a.Samples.JSON
			if body == "" {
				body = synthesizeBody(t, &a)
			}
			srv := newV3Server(t, replyBody(200, "application/json", body))
			c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3))
			out := m.Func.Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background()), req})
			if err, _ := out[1].Interface().(error); err != nil {
				require.NoError(t, err)
			}
			reqs := srv.requests()
			require.Len(t, reqs, 1)
			q := requireSignedV3(t, reqs[0], a.Name, testKeyID, testSecret)
			assertWire(t, want, captured{form: q})
			checkDecoded(t, a.Name, out[0].Elem(), sampleTree(t, body))
		})
	}
}

// A body that is no envelope (a proxy's page quoting the request headers)
// is quoted in Error.Body with the V3 signature and the token redacted.
func TestClientV3RedactsBodySnippet(t *testing.T) {
	srv := newV3Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprintf(w, "<html>bad gateway for %s / %s</html>", r.Header.Get("Authorization"), r.Header.Get("x-acs-security-token"))
	})
	c := newTestClient(t, srv.srv.URL, WithSignatureVersion(SignatureV3), WithSecurityToken(testToken), WithNoRetries())
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: ProductVoiceNotification, QueryDate: fixedTime})
	var e *Error
	require.True(t, errors.As(err, &e), "%v", err)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	auth := srv.requests()[0].Header.Get("Authorization")
	sig := auth[strings.LastIndex(auth, "=")+1:]
	assert.Contains(t, e.Body, "ACS3-HMAC-SHA256 Credential="+testKeyID)
	for _, text := range []string{e.Body, err.Error()} {
		assert.NotContains(t, text, sig)
		assert.NotContains(t, text, testToken)
	}
}
