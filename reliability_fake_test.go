package dyvms_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// Retry behaviour against the fake server's fault modes: the fake records
// which requests it carried out and which calls it placed, so these tests
// see what the service would have done, not only what the client saw.

const fakeToken = "fakeStsTokenMustNeverAppearCAIS0123456789abcdef"

// fakeHarness is a fake server and what a test needs to check that no
// secret, Signature or SecurityToken escapes.
type fakeHarness struct {
	srv  *dyvmstest.Server
	log  *lockedBuffer
	sigs sync.Map // every Signature sent
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newFakeHarness(t *testing.T) *fakeHarness {
	t.Helper()
	h := &fakeHarness{srv: dyvmstest.NewServer(), log: &lockedBuffer{}}
	t.Cleanup(h.srv.Close)
	return h
}

// client returns a client of the fake with an STS token, a logger and a
// middleware that collects every Signature; fast backoff.
func (h *fakeHarness) client(t *testing.T, opts ...dyvms.Option) *dyvms.Client {
	t.Helper()
	collect := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			h.sigs.Store(r.URL.Query().Get("Signature"), true)
			return next.RoundTrip(r)
		})
	}
	base := []dyvms.Option{
		dyvms.WithSecurityToken(fakeToken),
		dyvms.WithLogger(slog.New(slog.NewJSONHandler(h.log, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		dyvms.WithMiddleware(collect),
		dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: 2 * time.Millisecond, MaxDelay: 50 * time.Millisecond}),
	}
	c, err := h.srv.Client(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

var base64Sig = regexp.MustCompile(`[A-Za-z0-9+/]{27}=|(?:[A-Za-z0-9]|%2B|%2F){27}%3D`)

// assertNoLeak checks text for the secret, the token and any Signature
// sent, raw or encoded.
func (h *fakeHarness) assertNoLeak(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{h.srv.AccessKeySecret, fakeToken} {
		for _, form := range []string{s, dyvms.SpecialURLEncode(s), url.QueryEscape(s)} {
			if strings.Contains(text, form) {
				t.Errorf("%s leaks a secret: %.200s", what, text)
			}
		}
	}
	for _, m := range base64Sig.FindAllString(text, -1) {
		sig, _ := url.QueryUnescape(m)
		if _, ok := h.sigs.Load(sig); ok {
			t.Errorf("%s leaks a Signature %s", what, m)
		}
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func queryCallDetail(ctx context.Context, c *dyvms.Client) error {
	_, err := c.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{
		CallID: "116012354148^102813780001", ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now(),
	})
	return err
}

func placeTts(ctx context.Context, c *dyvms.Client, outID, callee string) (*dyvms.SingleCallByTtsResponse, error) {
	return c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: callee, TtsCode: "TTS_100000", OutID: outID})
}

// callsWith counts the calls the fake placed with outID.
func callsWith(srv *dyvmstest.Server, outID string) int {
	n := 0
	for _, c := range srv.Calls() {
		if c.OutID == outID {
			n++
		}
	}
	return n
}

func TestFakeReadOnlyRecoversFrom503(t *testing.T) {
	h := newFakeHarness(t)
	h.srv.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Status: 503, Times: 2})
	c := h.client(t)
	require.NoError(t, queryCallDetail(context.Background(), c))
	assert.Equal(t, 1, h.srv.Count("QueryCallDetailByCallId"))
	assert.Equal(t, 3, strings.Count(h.log.String(), `"action":"QueryCallDetailByCallId"`), "one record per attempt")
	h.assertNoLeak(t, "log", h.log.String())
}

func TestFakeReadOnlyRecoversFromThrottling(t *testing.T) {
	h := newFakeHarness(t)
	h.srv.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultThrottle, Times: 2, RetryAfter: 20 * time.Millisecond})
	c := h.client(t)
	start := time.Now()
	require.NoError(t, queryCallDetail(context.Background(), c))
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "x-acs-retry-after honoured")
	assert.Equal(t, 1, h.srv.Count("QueryCallDetailByCallId"))
}

// The fake closes the connection after reading (and carrying out) the
// request: exactly one call is placed, the client does not resend, and
// the error says the outcome is unknown.
func TestFakeCallPlacingAttemptedOnceOnDrop(t *testing.T) {
	h := newFakeHarness(t)
	h.srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultCloseAfterRead, Times: 1})
	c := h.client(t)
	_, err := placeTts(context.Background(), c, "drop-1", "13900001234")
	require.Error(t, err)
	assert.True(t, dyvms.IsAmbiguous(err))
	var te *dyvms.TransportError
	assert.ErrorAs(t, err, &te)
	assert.Equal(t, 1, h.srv.Count("SingleCallByTts"))
	assert.Equal(t, 1, callsWith(h.srv, "drop-1"), "the fake's record shows one call")
	assert.Contains(t, err.Error(), "drop-1")
	h.assertNoLeak(t, "error", err.Error())
	h.assertNoLeak(t, "log", h.log.String())
}

// Every fault that leaves a call-placing request's outcome unknown is
// ambiguous and never resent; every fault that proves it was not carried
// out is retried or reported plainly.
func TestFakeCallPlacingFaultModes(t *testing.T) {
	cases := []struct {
		fault     dyvmstest.Fault
		ambiguous bool
		succeeds  bool
		calls     int
	}{
		{dyvmstest.Fault{Kind: dyvmstest.FaultServerError, Executed: true}, true, false, 1},
		{dyvmstest.Fault{Kind: dyvmstest.FaultServerError, Status: 503}, true, false, 0},
		{dyvmstest.Fault{Kind: dyvmstest.FaultTruncated}, true, false, 1},
		{dyvmstest.Fault{Kind: dyvmstest.FaultMalformed}, true, false, 1},
		{dyvmstest.Fault{Kind: dyvmstest.FaultHTML, Executed: true}, true, false, 1},
		{dyvmstest.Fault{Kind: dyvmstest.FaultThrottle, RetryAfter: 5 * time.Millisecond}, false, true, 1},
		{dyvmstest.Fault{Kind: dyvmstest.FaultBusiness, Code: "isv.BUSINESS_LIMIT_CONTROL"}, false, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			h := newFakeHarness(t)
			f := tc.fault
			f.Action, f.Times = "SingleCallByTts", 1
			h.srv.InjectFault(f)
			c := h.client(t)
			_, err := placeTts(context.Background(), c, "fm-1", "13900001234")
			assert.Equal(t, tc.succeeds, err == nil, "%v", err)
			assert.Equal(t, tc.ambiguous, dyvms.IsAmbiguous(err), "%v", err)
			assert.Equal(t, tc.calls, callsWith(h.srv, "fm-1"))
			if err != nil {
				h.assertNoLeak(t, "error", err.Error())
			}
			h.assertNoLeak(t, "log", h.log.String())
		})
	}
}

// refusingTransport sends the dials it is told to refuse to a closed port,
// a real "connection refused".
func refusingTransport(t *testing.T, refuse func() bool) *http.Transport {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	var d net.Dialer
	tr := &http.Transport{
		MaxIdleConnsPerHost: 128,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if refuse() {
				addr = closed
			}
			return d.DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func TestFakeCallPlacingRetriedAfterConnectionRefused(t *testing.T) {
	h := newFakeHarness(t)
	var dials atomic.Int32
	tr := refusingTransport(t, func() bool { return dials.Add(1) == 1 })
	c := h.client(t, dyvms.WithHTTPClient(&http.Client{Transport: tr}))
	resp, err := placeTts(context.Background(), c, "refused-1", "13900001234")
	require.NoError(t, err)
	assert.NotEmpty(t, resp.CallID)
	assert.Equal(t, int32(2), dials.Load())
	assert.Equal(t, 1, callsWith(h.srv, "refused-1"))
	assert.Contains(t, h.log.String(), "connection refused")
	h.assertNoLeak(t, "log", h.log.String())
}

func TestFakeCancelDuringBackoff(t *testing.T) {
	h := newFakeHarness(t)
	h.srv.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Status: 503})
	c := h.client(t, dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: 20 * time.Second, MaxDelay: 20 * time.Second}))
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	go func() {
		// Cancel as soon as the first attempt is logged: the client is
		// then in its (up to 20 s) backoff.
		for !strings.Contains(h.log.String(), `"attempt":1`) {
			time.Sleep(time.Millisecond)
		}
		cancelled = time.Now()
		cancel()
	}()
	err := queryCallDetail(ctx, c)
	returned := time.Now()
	assert.Less(t, returned.Sub(cancelled), 500*time.Millisecond, "returns promptly")
	assert.ErrorIs(t, err, context.Canceled)
	var e *dyvms.Error
	assert.ErrorAs(t, err, &e)
	assert.False(t, errors.Is(err, dyvms.ErrAmbiguous))
}

// An unknown AccessKeyId reaches the caller as an *Error the predicates
// name: IsInvalidAccessKey holds, and it is not a missing resource, although
// the gateway answers it with HTTP 404.
func TestInvalidAccessKeyIsReachable(t *testing.T) {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	client, err := dyvms.NewClient(dyvms.WithEndpoint(srv.URL), dyvms.WithAccessKey("LTAIunknown", "some-secret-value"))
	require.NoError(t, err)
	_, err = client.QueryCallDetailByCallId(context.Background(), &dyvms.QueryCallDetailByCallIdRequest{
		CallID: "1^2", ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now(),
	})
	require.Error(t, err)
	assert.Equal(t, dyvms.ErrorCodeInvalidAccessKeyNotFound, dyvms.CodeOf(err))
	assert.True(t, dyvms.IsInvalidAccessKey(err))
	assert.False(t, dyvms.IsNotFound(err))
	assert.False(t, dyvms.IsAmbiguous(err))
	assert.Zero(t, srv.Count("QueryCallDetailByCallId"), "the fake carried out nothing for a rejected key")
}
