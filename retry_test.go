package dyvms

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The retry table: every Action is classified, by the naming rule the
// issue gives, and every call-placing Action is mutating.
func TestActionTableRetryClasses(t *testing.T) {
	require.Len(t, actionTable, 184)
	for name, info := range actionTable {
		want := mutating
		if expectReadOnly(name) {
			want = readOnly
		}
		assert.Equal(t, want, info.class, name)
	}
	for _, name := range []string{"SingleCallByTts", "SingleCallByVoice", "IvrCall", "ClickToDial", "SmartCall",
		"BatchRobotSmartCall", "CreateCallTask", "ExecuteCallTask", "StartRobotTask", "SendVerification",
		"StartMicroOutbound", "DoubleCallSeat", "CreateRobotTask", "SingleCallByVideo", "CloudWebcall",
		"CloudPreviewoutcall", "CloudCreateAgent", "CloudDeleteAgent", "CloudAgentLogin", "CloudCreateQueue",
		"CloudCreateTask", "CloudStartTask", "CloudImportTaskTel", "ClinkCreateClient", "ClinkCreateQueue"} {
		assert.Equal(t, mutating, actionTable[name].class, name)
	}
	// An Action the SDK does not know (Do with a new name) is treated as
	// mutating: never retried blindly.
	assert.Equal(t, ambiguous, classify("SomeFutureAction", attemptFailure{err: &Error{HTTPStatus: 503, Code: "ServiceUnavailable"}, sent: true}))
}

func TestClassify(t *testing.T) {
	transport := &TransportError{Action: "X", Err: io.ErrUnexpectedEOF}
	tlsFailure := &TransportError{Action: "X", Err: &tls.CertificateVerificationError{Err: errors.New("x509: unknown authority")}}
	tooLarge := &TransportError{Action: "X", Err: fmt.Errorf("%w: more than 10 bytes", ErrResponseTooLarge)}
	cases := []struct {
		name      string
		f         attemptFailure
		ro, mutat outcome
	}{
		{"not sent (dial failure)", attemptFailure{err: transport, sent: false}, retryable, retryable},
		{"not sent, caller gave up", attemptFailure{err: transport, sent: false, callerDone: true}, final, final},
		{"sent, connection dropped", attemptFailure{err: transport, sent: true}, retryable, ambiguous},
		{"sent, caller gave up", attemptFailure{err: transport, sent: true, callerDone: true}, final, ambiguous},
		{"certificate failure", attemptFailure{err: tlsFailure, sent: false}, final, final},
		{"body too large", attemptFailure{err: tooLarge, sent: true}, final, ambiguous},
		{"503", attemptFailure{err: &Error{HTTPStatus: 503, Code: "ServiceUnavailable"}, sent: true}, retryable, ambiguous},
		{"500 InternalError", attemptFailure{err: &Error{HTTPStatus: 500, Code: "InternalError"}, sent: true}, retryable, ambiguous},
		{"200 isp.SYSTEM_ERROR", attemptFailure{err: &Error{HTTPStatus: 200, Code: "isp.SYSTEM_ERROR"}, sent: true}, retryable, ambiguous},
		{"Throttling.User", attemptFailure{err: &Error{HTTPStatus: 400, Code: "Throttling.User"}, sent: true}, retryable, retryable},
		{"Throttling at 503", attemptFailure{err: &Error{HTTPStatus: 503, Code: "Throttling"}, sent: true}, retryable, retryable},
		{"429 page", attemptFailure{err: &Error{HTTPStatus: 429, unexpected: true}, sent: true}, retryable, retryable},
		{"isv business error", attemptFailure{err: &Error{HTTPStatus: 200, Code: "isv.BUSINESS_LIMIT_CONTROL"}, sent: true}, final, final},
		{"isv at 500", attemptFailure{err: &Error{HTTPStatus: 500, Code: "isv.OUT_OF_SERVICE"}, sent: true}, final, final},
		{"signature mismatch", attemptFailure{err: &Error{HTTPStatus: 400, Code: "SignatureDoesNotMatch"}, sent: true}, final, final},
		{"nonce used", attemptFailure{err: &Error{HTTPStatus: 400, Code: "SignatureNonceUsed"}, sent: true}, retryable, ambiguous},
		{"unreadable 2xx", attemptFailure{err: &Error{HTTPStatus: 200, unexpected: true}, sent: true}, retryable, ambiguous},
		{"proxy 404 page", attemptFailure{err: &Error{HTTPStatus: 404, unexpected: true}, sent: true}, final, ambiguous},
		{"validation", attemptFailure{err: &ValidationError{Action: "X", Field: "F", Reason: "r"}}, final, final},
		{"request not built", attemptFailure{err: errors.New("dyvms: bad URL")}, final, final},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.ro, classify("QueryCallDetailByCallId", tc.f), "read-only: %s", tc.name)
		assert.Equal(t, tc.mutat, classify("SingleCallByTts", tc.f), "mutating: %s", tc.name)
	}
}

func TestBackoffFullJitter(t *testing.T) {
	p := DefaultRetryPolicy()
	top := func(n int64) int64 { return n - 1 }
	assert.Equal(t, 100*time.Millisecond-1, p.backoff(1, top))
	assert.Equal(t, 200*time.Millisecond-1, p.backoff(2, top))
	assert.Equal(t, 400*time.Millisecond-1, p.backoff(3, top))
	assert.Equal(t, 5*time.Second-1, p.backoff(30, top), "capped")
	assert.Equal(t, time.Duration(0), p.backoff(1, func(int64) int64 { return 0 }))
	for i := 0; i < 1000; i++ {
		d := p.backoff(4, randInt63n)
		require.True(t, d >= 0 && d < 800*time.Millisecond, "%v", d)
	}
}

func TestRetryOptionsValidation(t *testing.T) {
	base := []Option{WithAccessKey(relKeyID, relSecret)}
	for _, bad := range []Option{
		WithMaxAttempts(0), WithMaxAttempts(-2), WithAttemptTimeout(-time.Second), WithConnectTimeout(0),
		WithRetryPolicy(RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Millisecond}),
		WithRetryPolicy(RetryPolicy{MaxAttempts: -1}),
	} {
		_, err := NewClient(append(base, bad)...)
		assert.Error(t, err)
	}
	_, err := NewClient(append(base, WithHTTPClient(&http.Client{}), WithConnectTimeout(time.Second))...)
	assert.ErrorContains(t, err, "WithConnectTimeout")

	c, err := NewClient(append(base, WithRetryPolicy(RetryPolicy{MaxAttempts: 5}))...)
	require.NoError(t, err)
	assert.Equal(t, RetryPolicy{MaxAttempts: 5, BaseDelay: DefaultRetryBaseDelay, MaxDelay: DefaultRetryMaxDelay}, c.retry)
	assert.Equal(t, DefaultAttemptTimeout, c.attemptTimeout)
	c, err = NewClient(append(base, WithNoRetries())...)
	require.NoError(t, err)
	assert.Equal(t, 1, c.retry.MaxAttempts)
}

// relQueryDetail calls a read-only Action through Do.
func relQueryDetail(ctx context.Context, c *Client) error {
	return c.Do(ctx, "QueryCallDetailByCallId", url.Values{"CallId": {"116012354148^102813780001"}, "ProdId": {"11000000300006"}, "QueryDate": {"1577255564000"}}, nil)
}

func relCallTts(ctx context.Context, c *Client, outID string) (*SingleCallByTtsResponse, error) {
	return c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: outID})
}

func TestReadOnlyRecoversFrom503AndThrottling(t *testing.T) {
	for _, fail := range []struct {
		status int
		code   string
	}{{503, "ServiceUnavailable"}, {400, "Throttling.User"}, {500, "InternalError"}} {
		t.Run(fail.code, func(t *testing.T) {
			srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < 2 {
					relFail(w, fail.status, fail.code, nil)
					return
				}
				relOK(w, r)
			})
			sleeps := &relSleeps{}
			var log relLog
			c := newRelClient(t, srv.URL, withRetryClock(nil, sleeps.sleep), WithLogger(log.logger()))
			require.NoError(t, relQueryDetail(context.Background(), c))
			reqs := srv.requests()
			require.Len(t, reqs, 3)
			// Each attempt is signed anew: fresh nonce, valid signature.
			nonces := map[string]bool{}
			for _, r := range reqs {
				assert.True(t, r.SigOK, "signature verifies")
				nonces[r.Nonce] = true
			}
			assert.Len(t, nonces, 3, "a fresh SignatureNonce per attempt")
			// Full jitter with the test's rnd (half the ceiling).
			assert.Equal(t, []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}, sleeps.recorded())
			assert.Len(t, log.lines(), 3, "one record per attempt")
			relAssertNoLeak(t, "log", log.String(), srv.signatures()...)
		})
	}
}

func TestRetryFreshTimestampPerAttempt(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			relFail(w, 503, "ServiceUnavailable", nil)
			return
		}
		relOK(w, r)
	})
	var tick atomic.Int64
	clock := func() time.Time {
		return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(tick.Add(1)) * time.Second)
	}
	c := newRelClient(t, srv.URL, withClock(clock))
	require.NoError(t, relQueryDetail(context.Background(), c))
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	assert.NotEqual(t, reqs[0].Timestamp, reqs[1].Timestamp)
	assert.NotEqual(t, reqs[0].Signature, reqs[1].Signature)
}

func TestRetriesExhausted(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 503, "ServiceUnavailable", nil)
	})
	c := newRelClient(t, srv.URL)
	err := relQueryDetail(context.Background(), c)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.HTTPStatus)
	assert.False(t, IsAmbiguous(err))
	assert.Len(t, srv.requests(), DefaultMaxAttempts)

	c = newRelClient(t, srv.URL, WithMaxAttempts(5))
	before := len(srv.requests())
	require.Error(t, relQueryDetail(context.Background(), c))
	assert.Len(t, srv.requests(), before+5)

	c = newRelClient(t, srv.URL, WithNoRetries())
	before = len(srv.requests())
	require.Error(t, relQueryDetail(context.Background(), c))
	assert.Len(t, srv.requests(), before+1)
}

func TestRetryAfterHonoured(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			relFail(w, 400, "Throttling.Api", map[string]string{"x-acs-retry-after": "1500"})
		case 1:
			// A throttled gateway may answer no envelope at all.
			w.Header().Set("x-acs-retry-after", "700")
			w.WriteHeader(429)
			_, _ = io.WriteString(w, "<html>too many requests</html>")
		default:
			relOK(w, r)
		}
	})
	sleeps := &relSleeps{}
	c := newRelClient(t, srv.URL, withRetryClock(nil, sleeps.sleep))
	_, err := relCallTts(context.Background(), c, "out-ra")
	require.NoError(t, err, "a throttled call-placing Action is retried")
	assert.Equal(t, []time.Duration{1500 * time.Millisecond, 700 * time.Millisecond}, sleeps.recorded())
	assert.Len(t, srv.requests(), 3)
}

func TestRetryAfterLongerThanPolicyStops(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 400, "Throttling.User", map[string]string{"x-acs-retry-after": "60000"})
	})
	c := newRelClient(t, srv.URL)
	err := relQueryDetail(context.Background(), c)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, IsThrottling(err))
	assert.Equal(t, 60*time.Second, e.RetryAfter)
	assert.Len(t, srv.requests(), 1)
}

func TestBackoffPastDeadlineStops(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 503, "ServiceUnavailable", nil)
	})
	c := newRelClient(t, srv.URL, WithRetryPolicy(RetryPolicy{BaseDelay: 4 * time.Second, MaxDelay: 4 * time.Second}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := relQueryDetail(ctx, c)
	var e *Error
	require.ErrorAs(t, err, &e, "the last error, not a context error")
	assert.Len(t, srv.requests(), 1)
}

// A call-placing Action whose connection drops after the server read the
// request is attempted exactly once and reported as ambiguous.
func TestMutatingConnectionDropIsAmbiguous(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relHangUp(t, w)
	})
	var log relLog
	c := newRelClient(t, srv.URL, WithLogger(log.logger()))
	_, err := relCallTts(context.Background(), c, "order-42")
	require.Error(t, err)
	assert.Len(t, srv.requests(), 1, "never sent twice")
	assert.True(t, IsAmbiguous(err))
	assert.ErrorIs(t, err, ErrAmbiguous)
	var te *TransportError
	assert.ErrorAs(t, err, &te, "the underlying failure is still there")
	var ae *AmbiguousError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "order-42", ae.OutID)
	assert.Equal(t, 1, ae.Attempts)
	assert.Contains(t, err.Error(), "order-42")
	assert.Contains(t, log.String(), `"ambiguous":true`)
	relAssertNoLeak(t, "error", err.Error(), srv.signatures()...)
	relAssertNoLeak(t, "log", log.String(), srv.signatures()...)
}

func TestMutating5xxIsAmbiguous(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 503, "ServiceUnavailable", nil)
	})
	c := newRelClient(t, srv.URL)
	_, err := relCallTts(context.Background(), c, "o1")
	require.True(t, IsAmbiguous(err))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.HTTPStatus)
	assert.Equal(t, "REQ-ERR-1", RequestID(err))
	assert.Len(t, srv.requests(), 1)
}

func TestBusinessErrorsNeverRetried(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 200, "isv.BUSINESS_LIMIT_CONTROL", nil)
	})
	c := newRelClient(t, srv.URL)
	_, err := relCallTts(context.Background(), c, "o2")
	assert.True(t, IsBusinessLimit(err))
	assert.False(t, IsAmbiguous(err))
	assert.Len(t, srv.requests(), 1)
	require.Error(t, relQueryDetail(context.Background(), c))
	assert.Len(t, srv.requests(), 2)
}

// dialer returns a DialContext that sends the first `refuse` dials to a
// closed port (a real "connection refused") and the rest to their address.
func relRefusingDialer(t *testing.T, refuse int32, dials *atomic.Int32) func(ctx context.Context, network, addr string) (net.Conn, error) {
	closed := relClosedPort(t)
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= refuse {
			return d.DialContext(ctx, network, closed)
		}
		return d.DialContext(ctx, network, addr)
	}
}

func TestMutatingRetriedAfterConnectionRefused(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) { relOK(w, r) })
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: relRefusingDialer(t, 2, &dials)}}
	var log relLog
	c := newRelClient(t, srv.URL, WithHTTPClient(hc), WithLogger(log.logger()))
	resp, err := relCallTts(context.Background(), c, "o3")
	require.NoError(t, err)
	assert.Equal(t, "116012354148^102813780001", resp.CallID)
	assert.Equal(t, int32(3), dials.Load())
	assert.Len(t, srv.requests(), 1, "executed once")
	assert.Len(t, log.lines(), 3)
	assert.Contains(t, log.lines()[0], "refused")
}

func TestConnectionRefusedExhausts(t *testing.T) {
	var log relLog
	c := newRelClient(t, "http://"+relClosedPort(t), WithLogger(log.logger()))
	_, err := relCallTts(context.Background(), c, "o4")
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, IsAmbiguous(err), "never reached the server")
	assert.Len(t, log.lines(), DefaultMaxAttempts)
}

// A TLS handshake failure: the server accepts TCP and hangs up.
func TestMutatingRetriedAfterTLSHandshakeFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var accepts atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			_ = conn.Close()
		}
	}()
	c := newRelClient(t, "https://"+ln.Addr().String())
	_, err = relCallTts(context.Background(), c, "o5")
	require.Error(t, err)
	assert.False(t, IsAmbiguous(err), "the handshake failed: nothing was sent")
	assert.Equal(t, int32(DefaultMaxAttempts), accepts.Load())
}

func TestCertificateFailureNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { relOK(w, r) }))
	defer srv.Close()
	var log relLog
	c := newRelClient(t, srv.URL, WithLogger(log.logger()))
	_, err := relCallTts(context.Background(), c, "o6")
	require.Error(t, err)
	assert.False(t, IsAmbiguous(err))
	assert.Len(t, log.lines(), 1, "a certificate failure is not retried")
}

// A transport that reports no connection events (a test double) proves
// nothing: a failure of a mutating Action through it is ambiguous.
func TestOpaqueTransportFailureIsAmbiguous(t *testing.T) {
	var calls atomic.Int32
	rt := relRoundTrip(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return nil, errors.New("connection reset by peer")
	})
	c := newRelClient(t, "https://dyvmsapi.example.invalid", WithHTTPClient(&http.Client{Transport: rt}))
	_, err := relCallTts(context.Background(), c, "o7")
	assert.True(t, IsAmbiguous(err))
	assert.Equal(t, int32(1), calls.Load())
	// A read-only Action retries the same failure.
	assert.Error(t, relQueryDetail(context.Background(), c))
	assert.Equal(t, int32(1+DefaultMaxAttempts), calls.Load())
}

type relRoundTrip func(*http.Request) (*http.Response, error)

func (f relRoundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		relFail(w, 503, "ServiceUnavailable", nil)
	})
	// Real sleeps, long ones.
	c := newRelClient(t, srv.URL, withRetryClock(nil, sleepCtx),
		WithRetryPolicy(RetryPolicy{BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(srv.requests()) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	err := relQueryDetail(ctx, c)
	elapsed := time.Since(start)
	assert.Less(t, elapsed, 2*time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	var e *Error
	assert.ErrorAs(t, err, &e, "the last attempt's error is kept")
	assert.Contains(t, err.Error(), "while waiting to retry")
	assert.Len(t, srv.requests(), 1)
}

func TestAttemptTimeoutRetriesReadOnly(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		relOK(w, r)
	})
	c := newRelClient(t, srv.URL, WithAttemptTimeout(150*time.Millisecond))
	start := time.Now()
	require.NoError(t, relQueryDetail(context.Background(), c))
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.Len(t, srv.requests(), 2)

	// The same timeout on a call-placing Action is ambiguous.
	srv2 := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c2 := newRelClient(t, srv2.URL, WithAttemptTimeout(150*time.Millisecond))
	_, err := relCallTts(context.Background(), c2, "o8")
	assert.True(t, IsAmbiguous(err))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, srv2.requests(), 1)
}

func TestContextDeadlineWins(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := newRelClient(t, srv.URL, WithAttemptTimeout(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := relQueryDetail(ctx, c)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, srv.requests(), 1, "the caller's deadline ends the call: no retry")
}

func TestEndlessBodyIsBounded(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"RequestId":"x","Code":"OK","Data":"`)
		chunk := []byte(strings.Repeat("A", 32<<10))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c := newRelClient(t, srv.URL, WithMaxResponseBytes(1<<20))
	start := time.Now()
	err := relQueryDetail(context.Background(), c)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Len(t, srv.requests(), 1, "not retried: the answer would be as large again")

	_, err = relCallTts(context.Background(), c, "o9")
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.True(t, IsAmbiguous(err))
}

func TestTruncatedBodyRetriedForReadOnly(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			_, _ = io.WriteString(w, `{"RequestId":"x","Co`)
			return
		}
		relOK(w, r)
	})
	c := newRelClient(t, srv.URL)
	require.NoError(t, relQueryDetail(context.Background(), c))
	_, err := relCallTts(context.Background(), newRelClient(t, newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		_, _ = io.WriteString(w, `{"RequestId":"x","Co`)
	}).URL), "o10")
	assert.True(t, IsAmbiguous(err))
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
}
