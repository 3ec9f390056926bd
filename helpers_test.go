package dyvms

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// The test helpers every group's tests use: a recording loopback server
// (recorder), a client with test keys and a fixed clock (newTestClient),
// success bodies (okBody, okReply), the wire check with the signature
// recomputed independently (requireSigned, checkWire), and flatValues.

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

// okBody is a success envelope for action: its documented success code
// ("OK" or "200"), a RequestId, and any extra JSON members given
// (`"CallId":"1^2"`).
func okBody(action string, extra ...string) string {
	code := "OK"
	if info := actionTable[action]; info.successCode != "" {
		code = info.successCode
	}
	body := `{"RequestId":"REQ-OK-1","Code":"` + code + `","Message":"OK"`
	for _, e := range extra {
		body += "," + e
	}
	return body + "}"
}

// okReply answers every Action with okBody, for fakes that take a
// respond(action, form) function.
func okReply(action string, _ url.Values) string { return okBody(action) }

// flatValues turns url.Values into single values, failing on a repeated
// parameter.
func flatValues(t *testing.T, v url.Values) map[string]string {
	t.Helper()
	m := make(map[string]string, len(v))
	for k, vs := range v {
		require.Len(t, vs, 1, "parameter %s sent %d times", k, len(vs))
		m[k] = vs[0]
	}
	return m
}

// firstValues is v with the first value of each parameter.
func firstValues(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k, vs := range v {
		m[k] = vs[0]
	}
	return m
}

// wireCase is one Action called with a fully filled request, and the exact
// parameters it must put in the form body.
type wireCase struct {
	action string
	call   func(ctx context.Context, c *Client) error
	want   map[string]string
}

// wireCall binds a method expression such as (*Client).GetRtcToken to a
// request, for a wireCase.
func wireCall[Req, Resp any](m func(*Client, context.Context, *Req, ...CallOption) (*Resp, error), req *Req) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := m(c, ctx, req)
		return err
	}
}

// checkWire runs each case against a recording server answering okBody and
// checks the one request it sends: the form body is exactly want, the query
// holds only the common parameters, and requireSigned recomputes the
// Signature over both independently.
func checkWire(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				replyBody(http.StatusOK, "application/json", okBody(r.URL.Query().Get("Action")))(w, r)
			})
			require.NoError(t, tc.call(context.Background(), newTestClient(t, rec.srv.URL)))
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tc.want, flatValues(t, reqs[0].form), "form body")
			for k := range reqs[0].query {
				assert.True(t, k == "Signature" || commonParams[k], "query carries the non-common parameter %s", k)
			}
			requireSigned(t, reqs[0], tc.action, testSecret)
		})
	}
}

// checkWireCatalogue is checkWire, and also holds each case to the
// catalogue: every wire name sent is a request parameter of the Action,
// and every catalogue parameter was sent (a list's item fields at least
// once), so a case fills the request completely.
func checkWireCatalogue(t *testing.T, cases []wireCase) {
	t.Helper()
	checkWire(t, cases)
	for _, tc := range cases {
		a := catalog.Lookup(tc.action)
		require.NotNil(t, a, tc.action)
		for k := range tc.want {
			assert.True(t, catalogueHasParam(a, k), "%s: %s is not a catalogue parameter", tc.action, k)
		}
		for _, p := range a.Request {
			if p.Type != "list" {
				assert.Contains(t, tc.want, p.Name, "%s: catalogue parameter not sent", tc.action)
				continue
			}
			for _, it := range p.ItemFields {
				assert.Contains(t, tc.want, p.Name+".1."+it.Name, "%s: catalogue list field not sent", tc.action)
			}
		}
	}
}

// catalogueHasParam reports whether wire name k (possibly flattened,
// Name.N.Field) is a request parameter of a.
func catalogueHasParam(a *catalog.Action, k string) bool {
	if a.Param(k) != nil {
		return true
	}
	for _, p := range a.Request {
		if p.Type != "list" {
			continue
		}
		for _, it := range p.ItemFields {
			for n := 1; n <= 20; n++ {
				if k == p.Name+"."+strconv.Itoa(n)+"."+it.Name {
					return true
				}
			}
		}
	}
	return false
}
