package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func callTts(c *Client) (*SingleCallByTtsResponse, error) {
	return c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1"})
}

// Error envelopes in both formats, at each status, decode into *Error with
// every field, whatever Format was asked for.
func TestErrorEnvelopes(t *testing.T) {
	cases := []struct {
		status int
		code   string
	}{
		{400, "Throttling.User"},
		{403, "Forbidden.RAM"},
		{404, "InvalidApi.NotFound"},
		{500, "InternalError"},
		{503, "ServiceUnavailable"},
	}
	for _, tc := range cases {
		jsonBody := fmt.Sprintf(`{"RequestId":"REQ-%d","HostId":"dyvmsapi.aliyuncs.com","Code":"%s","Message":"msg %d","Recommend":"https://next.api.aliyun.com/troubleshoot?q=%s"}`, tc.status, tc.code, tc.status, tc.code)
		xmlBody := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>REQ-%d</RequestId><HostId>dyvmsapi.aliyuncs.com</HostId><Code>%s</Code><Message>msg %d</Message><Recommend>https://next.api.aliyun.com/troubleshoot?q=%s</Recommend></Error>`, tc.status, tc.code, tc.status, tc.code)
		for _, body := range []string{jsonBody, xmlBody} {
			for _, asked := range []Format{FormatJSON, FormatXML} {
				name := fmt.Sprintf("%d/%s/asked-%s/body-%c", tc.status, tc.code, asked, body[0])
				t.Run(name, func(t *testing.T) {
					rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
						w.Header().Set("x-acs-request-id", "HEADER-ID")
						w.WriteHeader(tc.status)
						fmt.Fprint(w, body)
					})
					c := newTestClient(t, rec.srv.URL, WithFormat(asked))
					resp, err := callTts(c)
					require.Nil(t, resp)
					var e *Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, "SingleCallByTts", e.Action)
					assert.Equal(t, tc.status, e.HTTPStatus)
					assert.Equal(t, ErrorCode(tc.code), e.Code)
					assert.Equal(t, fmt.Sprintf("msg %d", tc.status), e.Message)
					assert.Equal(t, fmt.Sprintf("REQ-%d", tc.status), e.RequestID)
					assert.Equal(t, "dyvmsapi.aliyuncs.com", e.HostID)
					assert.Equal(t, "https://next.api.aliyun.com/troubleshoot?q="+tc.code, e.Recommend)
					assert.Equal(t, fmt.Sprintf("REQ-%d", tc.status), RequestID(err))
					assert.Equal(t, ErrorCode(tc.code), CodeOf(err))
					assert.NotErrorIs(t, err, ErrUnexpectedResponse)
					assert.Contains(t, err.Error(), tc.code)
					assert.Contains(t, err.Error(), e.RequestID)
					assert.Equal(t, tc.code == "Throttling.User", IsThrottling(err))
					assert.Equal(t, tc.status == 404, IsNotFound(err))
				})
			}
		}
	}
}

// An HTTP 200 whose Code is not the Action's success code is an *Error.
func TestBusinessErrorOn200(t *testing.T) {
	for _, body := range []string{
		`{"RequestId":"R1","Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发流控"}`,
		`<SingleCallByTtsResponse><RequestId>R1</RequestId><Code>isv.BUSINESS_LIMIT_CONTROL</Code><Message>触发流控</Message></SingleCallByTtsResponse>`,
	} {
		rec := newRecorder(t, replyBody(200, "application/json", body))
		c := newTestClient(t, rec.srv.URL)
		resp, err := callTts(c)
		require.Nil(t, resp)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 200, e.HTTPStatus)
		assert.Equal(t, ErrorCodeBusinessLimit, e.Code)
		assert.Equal(t, "触发流控", e.Message)
		assert.Equal(t, "R1", e.RequestID)
		assert.True(t, IsBusinessLimit(err))
		assert.True(t, IsBusinessError(err))
		assert.False(t, IsThrottling(err))
	}
}

// "OK" is not success for an Action whose success code is "200", and the
// reverse.
func TestSuccessCodeIsPerAction(t *testing.T) {
	assert.True(t, isSuccessCode("SingleCallByTts", "OK"))
	assert.False(t, isSuccessCode("SingleCallByTts", "200"))
	assert.True(t, isSuccessCode("CreateCallTask", "200"))
	assert.False(t, isSuccessCode("CreateCallTask", "OK"))
	assert.True(t, isSuccessCode("BindNumberAndVoipId", "OK")) // undocumented: both
	assert.True(t, isSuccessCode("BindNumberAndVoipId", "200"))
	assert.True(t, isSuccessCode("UnknownAction", "OK"))
	assert.False(t, isSuccessCode("UnknownAction", "isv.X"))
}

// Bodies that are no envelope are typed errors naming the status, with a
// snippet; never a panic.
func TestNonEnvelopeBodies(t *testing.T) {
	long := "<html><body>" + strings.Repeat("502 Bad Gateway ", 100) + "</body>"
	cases := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"html", 502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n", "502 Bad Gateway"},
		{"html-200", 200, "<!DOCTYPE html><html><body>login</body></html>", "DOCTYPE"},
		{"empty", 200, "", ""},
		{"empty-503", 503, "   ", ""},
		{"truncated-json", 200, `{"RequestId":"R","Code":"OK","CallId":"1160`, `{"RequestId":"R"`},
		{"truncated-xml", 200, `<SingleCallByTtsResponse><RequestId>R</RequestId><Code>OK`, "<SingleCallByTtsResponse>"},
		{"plain-text", 500, "upstream connect error", "upstream connect error"},
		{"json-array", 200, `["not","an","object"]`, "not"},
		{"long-html", 502, long, "502 Bad Gateway"},
		{"envelope-without-code", 500, `{"RequestId":"R9","Message":"boom"}`, "boom"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("x-acs-request-id", "HDR-REQ")
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			c := newTestClient(t, rec.srv.URL)
			resp, err := callTts(c)
			require.Nil(t, resp)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			assert.Equal(t, tc.status, e.HTTPStatus)
			assert.Contains(t, err.Error(), fmt.Sprintf("HTTP %d", tc.status))
			assert.Contains(t, e.Body, tc.want)
			assert.LessOrEqual(t, len(e.Body), snippetLen+len("…"))
			assert.NotEmpty(t, e.RequestID)
		})
	}
}

func TestResponseBodyIsBounded(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(200)
		chunk := strings.Repeat("x", 1024)
		for i := 0; i < 64; i++ { // 64 KiB
			fmt.Fprint(w, chunk)
		}
	})
	c := newTestClient(t, rec.srv.URL, WithMaxResponseBytes(4096))
	_, err := callTts(c)
	require.ErrorIs(t, err, ErrResponseTooLarge)
	var te *TransportError
	require.ErrorAs(t, err, &te)
}

func TestContextDeadlineAndCancel(t *testing.T) {
	release := make(chan struct{})
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, rec.srv.URL)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)

	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel2() }()
	_, err = c.SingleCallByTts(ctx2, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"})
	require.ErrorIs(t, err, context.Canceled)

	// Already cancelled: nothing useful is sent, the error says so.
	ctx3, cancel3 := context.WithCancel(context.Background())
	cancel3()
	_, err = c.SingleCallByTts(ctx3, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"})
	require.ErrorIs(t, err, context.Canceled)
}

// No error string ever holds the secret, the signature or the token: not a
// transport error (whose *url.Error carries the signed URL), not a server
// message that echoes the string-to-sign.
func TestNoSecretInErrors(t *testing.T) {
	assertClean := func(t *testing.T, err error, signature string) {
		t.Helper()
		require.Error(t, err)
		for _, s := range []string{testSecret, testToken, SpecialURLEncode(testToken), signature, SpecialURLEncode(signature)} {
			if s != "" {
				assert.NotContains(t, err.Error(), s)
				assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), s)
			}
		}
	}

	t.Run("SignatureDoesNotMatch echoes the string-to-sign", func(t *testing.T) {
		var signature string
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			signature = r.URL.Query().Get("Signature")
			q := r.URL.Query()
			sts := "POST&%2F&AccessKeyId%3DtestId%26SecurityToken%3D" + SpecialURLEncode(SpecialURLEncode(q.Get("SecurityToken")))
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:%s signature %s secret %s token %s"}`,
				sts, signature, testSecret, q.Get("SecurityToken"))
		})
		c := newTestClient(t, rec.srv.URL, WithSecurityToken(testToken))
		_, err := callTts(c)
		assert.True(t, IsSignatureMismatch(err))
		assertClean(t, err, signature)
		assert.Contains(t, err.Error(), "server string to sign is")
	})

	t.Run("transport error carries no query string", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		go func() {
			conn, err := ln.Accept()
			if err == nil {
				buf := make([]byte, 4096)
				conn.Read(buf)
				conn.Close()
			}
		}()
		defer ln.Close()
		c := newTestClient(t, "http://"+addr, WithSecurityToken(testToken))
		_, err = callTts(c)
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.NotContains(t, err.Error(), "?")
		assert.NotContains(t, err.Error(), "Signature=")
		assert.NotContains(t, err.Error(), "AccessKeyId")
		assertClean(t, err, "")
	})

	t.Run("credentials print redacted", func(t *testing.T) {
		cr := Credentials{AccessKeyID: "LTAI5tExample", AccessKeySecret: testSecret, SecurityToken: testToken}
		for _, s := range []string{cr.String(), fmt.Sprintf("%v %+v %#v", cr, cr, cr), cr.LogValue().String()} {
			assert.NotContains(t, s, testSecret)
			assert.NotContains(t, s, testToken)
			assert.NotContains(t, s, "LTAI5tExample")
		}
		p := NewStaticCredentialsProvider("LTAI5tExample", testSecret, testToken)
		assert.NotContains(t, fmt.Sprintf("%v %+v", p, p), testSecret)
	})
}

// httpmock works with the client's own *http.Client, as the README shows.
func TestHTTPMockActivateNonDefault(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateAndReset()
	var form map[string][]string
	httpmock.RegisterResponder("POST", "https://dyvmsapi.aliyuncs.com/",
		func(r *http.Request) (*http.Response, error) {
			if err := r.ParseForm(); err != nil {
				return nil, err
			}
			form = r.PostForm
			return httpmock.NewStringResponse(200, okCallJSON), nil
		})
	c, err := NewClient(WithAccessKey(testKeyID, testSecret), WithHTTPClient(hc))
	require.NoError(t, err)
	resp, err := callTts(c)
	require.NoError(t, err)
	assert.Equal(t, "116012354148^10281378****", resp.CallID)
	assert.Equal(t, 1, httpmock.GetTotalCallCount())
	assert.Equal(t, []string{"13900001234"}, form["CalledNumber"])
}

func TestNewClient(t *testing.T) {
	t.Run("no credentials", func(t *testing.T) {
		t.Setenv(EnvAccessKeyID, "")
		t.Setenv(EnvAccessKeySecret, "")
		_, err := NewClient()
		require.ErrorIs(t, err, ErrNoCredentials)
		assert.Contains(t, err.Error(), "ALIBABA_CLOUD_ACCESS_KEY_ID")
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv(EnvAccessKeyID, testKeyID)
		t.Setenv(EnvAccessKeySecret, testSecret)
		t.Setenv(EnvSecurityToken, testToken)
		rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
		c, err := NewClient(WithEndpoint(rec.srv.URL))
		require.NoError(t, err)
		_, err = callTts(c)
		require.NoError(t, err)
		got := rec.requests()[0]
		assert.Equal(t, testToken, got.query.Get("SecurityToken"))
		requireSigned(t, got, "SingleCallByTts", testSecret)
	})
	t.Run("half an access key", func(t *testing.T) {
		_, err := NewClient(WithAccessKey(testKeyID, ""))
		require.Error(t, err)
	})
	t.Run("endpoints", func(t *testing.T) {
		good := map[string]string{
			"https://dyvmsapi.aliyuncs.com":  "https://dyvmsapi.aliyuncs.com",
			"https://dyvmsapi.aliyuncs.com/": "https://dyvmsapi.aliyuncs.com",
			"http://127.0.0.1:8080":          "http://127.0.0.1:8080",
			"http://localhost:9":             "http://localhost:9",
			"http://[::1]:9":                 "http://[::1]:9",
		}
		for in, want := range good {
			c, err := NewClient(WithAccessKey("a", "b"), WithEndpoint(in))
			require.NoError(t, err, in)
			assert.Equal(t, want, c.Endpoint())
		}
		for _, bad := range []string{"dyvmsapi.aliyuncs.com", "ftp://x", "http://dyvmsapi.aliyuncs.com", "https://x/path", "https://x/?a=b", "https://u:p@x", "://"} {
			_, err := NewClient(WithAccessKey("a", "b"), WithEndpoint(bad))
			assert.Error(t, err, bad)
		}
		_, err := NewClient(WithAccessKey("a", "b"), WithEndpoint("http://fake.internal:8080"), WithAllowHTTP())
		assert.NoError(t, err)
	})
	t.Run("format and region", func(t *testing.T) {
		_, err := NewClient(WithAccessKey("a", "b"), WithFormat("YAML"))
		assert.Error(t, err)
		_, err = NewClient(WithAccessKey("a", "b"), WithRegion(""))
		assert.Error(t, err)
		rec := newRecorder(t, replyBody(200, "text/xml", `<SingleCallByTtsResponse><Code>OK</Code><CallId>X</CallId></SingleCallByTtsResponse>`))
		c := newTestClient(t, rec.srv.URL, WithRegion("cn-shanghai"), WithFormat(FormatXML), WithUserAgent("myapp/1.2"))
		resp, err := callTts(c)
		require.NoError(t, err)
		assert.Equal(t, "X", resp.CallID)
		got := rec.requests()[0]
		assert.Equal(t, "cn-shanghai", got.query.Get("RegionId"))
		assert.Equal(t, "XML", got.query.Get("Format"))
		assert.Contains(t, got.header.Get("User-Agent"), "dyvms-go/"+SDKVersion)
		assert.Contains(t, got.header.Get("User-Agent"), "myapp/1.2")
	})
	t.Run("the injected http.Client is not modified", func(t *testing.T) {
		tr := &http.Transport{}
		hc := &http.Client{Transport: tr, Timeout: 7 * time.Second}
		rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
		c := newTestClient(t, rec.srv.URL, WithHTTPClient(hc))
		_, err := callTts(c)
		require.NoError(t, err)
		assert.Same(t, tr, hc.Transport)
		assert.Equal(t, 7*time.Second, hc.Timeout)
		assert.Nil(t, hc.CheckRedirect)
		assert.Nil(t, hc.Jar)
	})
	t.Run("fresh nonce per request", func(t *testing.T) {
		rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
		c, err := NewClient(WithAccessKey(testKeyID, testSecret), WithEndpoint(rec.srv.URL))
		require.NoError(t, err)
		for i := 0; i < 3; i++ {
			_, err := callTts(c)
			require.NoError(t, err)
		}
		seen := map[string]bool{}
		for _, r := range rec.requests() {
			n := r.query.Get("SignatureNonce")
			assert.Len(t, n, 36, "a UUID")
			assert.False(t, seen[n], "nonce reused")
			seen[n] = true
			ts, err := time.Parse("2006-01-02T15:04:05Z", r.query.Get("Timestamp"))
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now(), ts, time.Minute)
			requireSigned(t, r, "SingleCallByTts", testSecret)
		}
	})
}

func TestErrorPredicatesOnOtherErrors(t *testing.T) {
	err := errors.New("plain")
	assert.False(t, IsThrottling(err))
	assert.Equal(t, "", RequestID(err))
	assert.Equal(t, ErrorCode(""), CodeOf(nil))
	wrapped := fmt.Errorf("outer: %w", &Error{Code: "Throttling", RequestID: "R"})
	assert.True(t, IsThrottling(wrapped))
	assert.Equal(t, "R", RequestID(wrapped))
}
