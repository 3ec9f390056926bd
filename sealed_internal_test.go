package dyvms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindParam(t *testing.T) {
	for q, want := range map[string]string{
		"Signature=abc":                        "abc",
		"A=1&Signature=abc%2B":                 "abc%2B",
		"XSignature=no&Signature=yes&Z=1":      "yes",
		"SignatureMethod=HMAC-SHA1&Signature=": "",
		"Signatur=x&ASignature=y":              "<none>",
	} {
		i, j, ok := findParam(q, "Signature")
		got := "<none>"
		if ok {
			got = q[i:j]
		}
		assert.Equal(t, want, got, q)
	}
}

// sealedRequest builds a request the way attempt does, sealed, with ctx
// carrying its seal.
func sealedRequest(t *testing.T, rawURL string, header http.Header, secrets ...string) (*http.Request, *sealedAttempt) {
	t.Helper()
	ctx, s := newSealedAttempt(context.Background(), newRedactor(secrets...), 1<<10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, http.NoBody)
	require.NoError(t, err)
	req.Header = header
	s.seal(req, newRedactor(secrets...))
	return req, s
}

func TestSealUnsealV2(t *testing.T) {
	req, s := sealedRequest(t, "https://dyvmsapi.aliyuncs.com/?AccessKeyId=AK&SecurityToken=tok%2Fen-123&Signature=sig%3D%3D&Version=1", http.Header{},
		"tok/en-123", "sig==-long")
	assert.Equal(t, "AccessKeyId=AK&SecurityToken=REDACTED&Signature=REDACTED&Version=1", req.URL.RawQuery)
	assert.NotContains(t, s.String()+s.GoString(), "tok")

	// A middleware adds a parameter and a header: the real values still go.
	shown := req.Clone(req.Context())
	shown.URL.RawQuery += "&Trace=1"
	shown.Header.Set("Traceparent", "00-1")
	sent := s.unseal(shown)
	assert.Equal(t, "AccessKeyId=AK&SecurityToken=tok%2Fen-123&Signature=sig%3D%3D&Version=1&Trace=1", sent.URL.RawQuery)
	assert.Equal(t, "00-1", sent.Header.Get("Traceparent"))
	assert.Equal(t, "AccessKeyId=AK&SecurityToken=REDACTED&Signature=REDACTED&Version=1&Trace=1", shown.URL.RawQuery, "the middleware's request is untouched")
}

func TestSealUnsealV3(t *testing.T) {
	auth := "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-action,Signature=0123abcd0123abcd"
	req, s := sealedRequest(t, "https://dyvmsapi.aliyuncs.com/?CalledNumber=1", http.Header{
		"Authorization": {auth}, "X-Acs-Security-Token": {"the-token"}, "X-Acs-Action": {"SingleCallByTts"},
	}, "the-token", "0123abcd0123abcd")
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-action,Signature=REDACTED", req.Header.Get("Authorization"))
	assert.Equal(t, "REDACTED", req.Header.Get("X-Acs-Security-Token"))
	assert.Equal(t, "CalledNumber=1", req.URL.RawQuery)
	sent := s.unseal(req)
	assert.Equal(t, auth, sent.Header.Get("Authorization"))
	assert.Equal(t, "the-token", sent.Header.Get("X-Acs-Security-Token"))
	assert.Equal(t, "REDACTED", req.Header.Get("X-Acs-Security-Token"), "the middleware's request is untouched")
}

type failingBody struct {
	data string
	err  error
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}
func (b *failingBody) Close() error { return nil }

func TestUnsealTransportRedactsTheAnswer(t *testing.T) {
	const token = "tok-secret-42"
	req, _ := sealedRequest(t, "https://h/?SecurityToken=tok-secret-42&Signature=sig-secret-42", http.Header{}, token, "sig-secret-42")
	cause := errors.New("reset")
	below := relRoundTrip(func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "SecurityToken=tok-secret-42&Signature=sig-secret-42", r.URL.RawQuery)
		body := "string to sign: SecurityToken%253D" + url.QueryEscape(url.QueryEscape(token)) + " and " + token
		return &http.Response{
			StatusCode: 400, ContentLength: int64(len(body)),
			Header: http.Header{"Location": {"https://x/?Signature=sig-secret-42"}, "Content-Length": {"99"}},
			Body:   &failingBody{data: body, err: &url.Error{Op: "read", URL: r.URL.String(), Err: cause}},
		}, nil
	})
	resp, err := unsealTransport{below}.RoundTrip(req)
	require.NoError(t, err)
	assert.Same(t, req, resp.Request, "the answer's Request is the sealed one")
	assert.NotContains(t, resp.Header.Get("Location"), "sig-secret-42")
	b, rerr := io.ReadAll(resp.Body)
	assert.NotContains(t, string(b), "tok-secret")
	assert.Contains(t, string(b), "string to sign")
	require.Error(t, rerr, "the body's read error is kept")
	assert.ErrorIs(t, rerr, cause)
	assert.NotContains(t, rerr.Error(), "secret-42")
	assert.Equal(t, "", resp.Header.Get("Content-Length"), "a redacted body's length changed")
}

func TestUnsealTransportKeepsTooLargeBodiesTooLarge(t *testing.T) {
	ctx, s := newSealedAttempt(context.Background(), newRedactor("sig-secret-42"), 16)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://h/?Signature=sig-secret-42", http.NoBody)
	require.NoError(t, err)
	s.seal(req, newRedactor("sig-secret-42"))
	body := strings.Repeat("x", 100)
	below := relRoundTrip(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, ContentLength: -1, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
	resp, err := unsealTransport{below}.RoundTrip(req)
	require.NoError(t, err)
	_, err = readBody(resp, 16)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
}

func TestUnsealTransportRedactsErrors(t *testing.T) {
	req, _ := sealedRequest(t, "https://h/?Signature=sig-secret-42", http.Header{}, "sig-secret-42")
	below := relRoundTrip(func(r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: errors.New("refused")}
	})
	_, err := unsealTransport{below}.RoundTrip(req)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sig-secret-42")
}

func TestHideCredentials(t *testing.T) {
	var s sealedAttempt
	assert.Nil(t, s.hideCredentials([]byte(`{"Code":"OK","CallId":"1"}`)), "no credentials, nothing to hide")
	got := s.hideCredentials([]byte(`{"MessageTokenDTO":{"AccessKeyId":"STS.x","AccessKeySecret":"sec-1234","SecurityToken":"tok-5678"}}`))
	assert.Equal(t, `{"MessageTokenDTO":{"AccessKeyId":"STS.x","AccessKeySecret":"REDACTED","SecurityToken":"REDACTED"}}`, string(got))
	got = s.hideCredentials([]byte(`<R><MessageTokenDTO><AccessKeySecret>sec-1234</AccessKeySecret><SecurityToken>tok-5678</SecurityToken></MessageTokenDTO></R>`))
	assert.Equal(t, `<R><MessageTokenDTO><AccessKeySecret>REDACTED</AccessKeySecret><SecurityToken>REDACTED</SecurityToken></MessageTokenDTO></R>`, string(got))
	s.answer = []byte("real")
	assert.Equal(t, "real", string(s.realAnswer([]byte("shown"))))
}

// An error from below whose chain quotes a secret at any depth reaches the
// middleware redacted, cut above the dirty errors, with its clean causes
// (a timeout among them) still reachable.
func TestSealedErrorChain(t *testing.T) {
	s := &sealedAttempt{red: newRedactor("sig-secret-42")}
	cause := &net.OpError{Op: "read", Net: "tcp", Err: context.DeadlineExceeded}
	deep := fmt.Errorf("outer: %w", fmt.Errorf("mid: %w", errors.Join(
		fmt.Errorf("inner Signature=sig-secret-42: %w", cause), io.ErrUnexpectedEOF)))
	got := s.redactError(deep)
	var walk func(error)
	walk = func(e error) {
		assert.NotContains(t, e.Error(), "sig-secret-42")
		assert.NotContains(t, fmt.Sprintf("%#v %+v", e, e), "sig-secret-42")
		for _, c := range unwrapAll(e) {
			walk(c)
		}
	}
	walk(got)
	assert.Contains(t, got.Error(), "inner Signature=***")
	assert.ErrorIs(t, got, io.ErrUnexpectedEOF, "a clean cause stays reachable")
	assert.ErrorIs(t, got, context.DeadlineExceeded, "the clean cause under the dirty wrapper stays reachable")
	var op *net.OpError
	assert.ErrorAs(t, got, &op)
	var te interface{ Timeout() bool }
	require.ErrorAs(t, got, &te)
	assert.True(t, te.Timeout())

	clean := errors.New("connection refused")
	assert.Same(t, clean, s.redactError(clean), "a clean error passes as it is")
}
