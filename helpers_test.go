package dyvms

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	testKeyID  = "testId"
	testSecret = "testSecret-0123456789"
	testToken  = "STS.token-abcdefghijklmnop"
)

// captured is one request as the test server saw it.
type captured struct {
	method string
	path   string
	query  url.Values
	form   url.Values // the Action's own parameters, from the POST body
	header http.Header
	body   string
}

// all returns query and form parameters together, first values only.
func (c captured) all() map[string]string {
	m := map[string]string{}
	for k, v := range c.query {
		m[k] = v[0]
	}
	for k, v := range c.form {
		m[k] = v[0]
	}
	return m
}

// recorder is a test server that records requests and answers with reply.
type recorder struct {
	mu    sync.Mutex
	reqs  []captured
	reply func(w http.ResponseWriter, r *http.Request)
	srv   *httptest.Server
}

func newRecorder(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{reply: reply}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, captured{method: r.Method, path: r.URL.Path, query: r.URL.Query(), form: form, header: r.Header.Clone(), body: string(body)})
		rec.mu.Unlock()
		rec.reply(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) requests() []captured {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]captured(nil), rec.reqs...)
}

// replyBody answers every request with status, content type and body.
func replyBody(status int, contentType, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// fixedTime is the clock of test clients.
var fixedTime = time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC)

// newTestClient returns a client for endpoint with test keys, a fixed clock
// and a fixed nonce.
func newTestClient(t *testing.T, endpoint string, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithAccessKey(testKeyID, testSecret),
		WithEndpoint(endpoint),
		withClock(func() time.Time { return fixedTime }),
		withNonce(func() string { return "nonce-0001" }),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// requireSigned checks a captured request against an independent
// recomputation of its signature, and the common parameters.
func requireSigned(t *testing.T, c captured, action, secret string) {
	t.Helper()
	require.Equal(t, http.MethodPost, c.method)
	require.Equal(t, "/", c.path)
	require.Equal(t, "application/x-www-form-urlencoded", c.header.Get("Content-Type"))
	q := c.query
	require.Equal(t, action, q.Get("Action"))
	require.Equal(t, APIVersion, q.Get("Version"))
	require.Equal(t, testKeyID, q.Get("AccessKeyId"))
	require.Equal(t, "HMAC-SHA1", q.Get("SignatureMethod"))
	require.Equal(t, "1.0", q.Get("SignatureVersion"))
	require.NotEmpty(t, q.Get("SignatureNonce"))
	require.NotEmpty(t, q.Get("Format"))
	require.Equal(t, "cn-hangzhou", q.Get("RegionId"))
	_, err := time.Parse("2006-01-02T15:04:05Z", q.Get("Timestamp"))
	require.NoError(t, err, "Timestamp %q", q.Get("Timestamp"))
	for k := range c.form {
		require.Empty(t, q[k], "parameter %s sent in both query and body", k)
	}
	all := c.all()
	sig := all["Signature"]
	require.NotEmpty(t, sig)
	require.Equal(t, refSign("POST", all, secret), sig, "signature does not match an independent recomputation")
}

// newDefaultTransport is the client's own transport with the default
// connect timeout.
func newDefaultTransport() *http.Transport { return newTransport(DefaultConnectTimeout) }

// decodeResponse turns a response into out or an *Error, as an attempt does.
func decodeResponse(action string, status int, header http.Header, body []byte, out any, red redactor) error {
	_, _, err := decodeEnvelope(action, status, header, body, out, red)
	return err
}
