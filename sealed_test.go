package dyvms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// observer records everything the SDK hands to a middleware, a logger and
// the hooks: URLs, headers, bodies, the printed request and context, the
// AttemptInfo, responses (headers, body, Request) and errors at every
// depth of their chain.
type observer struct {
	mu       sync.Mutex
	seen     []string
	attempts []dyvms.AttemptInfo
	calls    []dyvms.CallInfo
	records  []dyvms.AttemptRecord
	log      bytes.Buffer
}

func (o *observer) add(s ...string) {
	o.mu.Lock()
	o.seen = append(o.seen, s...)
	o.mu.Unlock()
}

// addErr records err's message, its printed forms and every error in its
// chain.
func (o *observer) addErr(err error) {
	if err == nil {
		return
	}
	o.add(err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
	eachWrapped(err, func(e error) { o.add(e.Error(), fmt.Sprintf("%#v", e)) })
}

func eachWrapped(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		eachWrapped(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			eachWrapped(e, f)
		}
	}
}

func (o *observer) middleware(next http.RoundTripper) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		ai, _ := dyvms.AttemptInfoFromContext(r.Context())
		o.mu.Lock()
		o.attempts = append(o.attempts, ai)
		o.mu.Unlock()
		o.add(r.URL.String(), r.URL.RawQuery, fmt.Sprint(r.URL.Query()), fmt.Sprint(r.Header),
			fmt.Sprintf("%#v", r), fmt.Sprintf("%v %+v %#v", r.Context(), r.Context(), r.Context()))
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			o.add(string(b))
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		resp, err := next.RoundTrip(r)
		o.addErr(err)
		if resp != nil {
			o.add(strconv.Itoa(resp.StatusCode), fmt.Sprint(resp.Header), resp.Request.URL.String(), fmt.Sprint(resp.Request.Header))
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			o.addErr(rerr)
			o.add(string(b))
			resp.Body = io.NopCloser(bytes.NewReader(b))
		}
		return resp, err
	})
}

func (o *observer) options() []dyvms.Option {
	return []dyvms.Option{
		dyvms.WithMiddleware(o.middleware),
		dyvms.WithLogger(slog.New(slog.NewJSONHandler(&observerLog{o: o}, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		dyvms.WithHooks(dyvms.Hooks{
			Attempt: func(_ context.Context, a dyvms.AttemptRecord) {
				o.mu.Lock()
				o.records = append(o.records, a)
				o.mu.Unlock()
				o.add(fmt.Sprintf("%+v", a))
				o.addErr(a.Err)
			},
			Call: func(ctx context.Context, c dyvms.CallInfo) {
				o.mu.Lock()
				o.calls = append(o.calls, c)
				o.mu.Unlock()
				o.add(fmt.Sprintf("%+v", c), fmt.Sprint(ctx))
				o.addErr(c.Err)
			},
		}),
		dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
	}
}

type observerLog struct{ o *observer }

func (w *observerLog) Write(p []byte) (int, error) {
	w.o.mu.Lock()
	defer w.o.mu.Unlock()
	return w.o.log.Write(p)
}

// assertNoSecret fails for every secret, in any of its encodings, in
// anything the observer saw.
func (o *observer) assertNoSecret(t *testing.T, secrets ...string) {
	t.Helper()
	o.mu.Lock()
	seen := append(append([]string(nil), o.seen...), o.log.String())
	o.mu.Unlock()
	for _, s := range secrets {
		require.GreaterOrEqual(t, len(s), 8, "a secret to look for")
		once := dyvms.SpecialURLEncode(s)
		for _, form := range []string{s, once, dyvms.SpecialURLEncode(once), url.QueryEscape(s), url.PathEscape(s), strings.Trim(strconv.Quote(s), `"`)} {
			for _, item := range seen {
				if i := strings.Index(item, form); i >= 0 {
					t.Errorf("a secret reached a middleware, the logger or a hook: ...%s...", item[max(0, i-120):i])
					break
				}
			}
		}
	}
}

// wire records the real signature and token of every request that left
// the client, below every middleware.
type wire struct {
	mu         sync.Mutex
	signatures []string
	tokens     []string
	next       http.RoundTripper
}

func newWire(t *testing.T) *wire {
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	return &wire{next: base}
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	sig, token := q.Get("Signature"), q.Get("SecurityToken")
	if auth := r.Header.Get("Authorization"); auth != "" { // signature V3
		_, sig, _ = strings.Cut(auth, ",Signature=")
		token = r.Header.Get("X-Acs-Security-Token")
	}
	w.mu.Lock()
	w.signatures = append(w.signatures, sig)
	w.tokens = append(w.tokens, token)
	w.mu.Unlock()
	return w.next.RoundTrip(r)
}

func (w *wire) secrets(t *testing.T) []string {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	require.NotEmpty(t, w.signatures, "requests reached the wire")
	var out []string
	for i, sig := range w.signatures {
		require.NotEqual(t, "REDACTED", sig, "the wire carries the real signature")
		require.NotEqual(t, "REDACTED", w.tokens[i], "the wire carries the real token")
		out = append(out, sig, w.tokens[i])
	}
	return out
}

// sealedFixture is a fake Dyvmsapi trusting a fake STS, and temporary
// credentials the STS issued.
type sealedFixture struct {
	api    *dyvmstest.Server
	issued dyvmstest.IssuedCredentials
	wire   *wire
	obs    *observer
	v3     bool // the client signs with V3
	opts   []dyvms.Option
}

// signatureVersions are the versions every sealed test runs with, and the
// client options that select them.
var signatureVersions = map[string][]dyvms.Option{"V2": nil, "V3": {dyvms.WithSignatureVersion(dyvms.SignatureV3)}}

// forEachSignature runs test with a new fixture for each signature
// version.
func forEachSignature(t *testing.T, test func(*testing.T, *sealedFixture)) {
	for name, opts := range signatureVersions {
		t.Run(name, func(t *testing.T) {
			f := newSealedFixture(t)
			f.v3, f.opts = name == "V3", opts
			test(t, f)
		})
	}
}

func newSealedFixture(t *testing.T) *sealedFixture {
	t.Helper()
	credsEnv(t)
	p := newSTSPair(t)
	cp, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:  dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL},
	})
	require.NoError(t, err)
	_, err = cp.Retrieve(context.Background())
	require.NoError(t, err)
	issued := p.sts.Issued()
	require.Len(t, issued, 1)
	return &sealedFixture{api: p.api, issued: issued[0], wire: newWire(t), obs: &observer{}}
}

// client signs with the issued credentials, or with secret instead of
// the issued secret when it is not "".
func (f *sealedFixture) client(t *testing.T, endpoint, secret string, opts ...dyvms.Option) *dyvms.Client {
	t.Helper()
	if secret == "" {
		secret = f.issued.AccessKeySecret
	}
	all := append([]dyvms.Option{
		dyvms.WithEndpoint(endpoint),
		dyvms.WithCredentialsProvider(dyvms.NewStaticCredentialsProvider(f.issued.AccessKeyID, secret, f.issued.SecurityToken)),
		dyvms.WithHTTPClient(&http.Client{Transport: f.wire, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}),
	}, f.obs.options()...)
	all = append(all, f.opts...)
	c, err := dyvms.NewClient(append(all, opts...)...)
	require.NoError(t, err)
	return c
}

func (f *sealedFixture) check(t *testing.T) {
	t.Helper()
	secrets := append(f.wire.secrets(t), f.issued.AccessKeySecret, f.issued.SecurityToken, dyvmstest.DefaultAccessKeySecret)
	f.obs.assertNoSecret(t, secrets...)
	f.obs.mu.Lock()
	defer f.obs.mu.Unlock()
	joined := strings.Join(f.obs.seen, "\n")
	assert.Contains(t, joined, "Signature=REDACTED", "the middleware saw the placeholder")
	if f.v3 {
		assert.Contains(t, joined, "X-Acs-Security-Token:[REDACTED]", "the middleware saw the placeholder")
		assert.Contains(t, joined, "Credential="+f.issued.AccessKeyID+",SignedHeaders=", "the rest of Authorization is as sent")
		return
	}
	assert.Contains(t, joined, "SecurityToken=REDACTED", "the middleware saw the placeholder")
	assert.Contains(t, joined, "AccessKeyId="+f.issued.AccessKeyID, "the rest of the query is as sent")
}

func TestSealedMiddlewareSuccess(t *testing.T) { forEachSignature(t, testSealedSuccess) }

func testSealedSuccess(t *testing.T, f *sealedFixture) {
	c := f.client(t, f.api.URL, "")
	resp, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-sealed"})
	require.NoError(t, err, "the fake verified the real signature and token")
	assert.NotEmpty(t, resp.CallID)
	require.Equal(t, 1, f.api.Count("SingleCallByTts"))
	assert.Equal(t, "13900001234", f.api.Requests()[0].Param("CalledNumber"))
	f.check(t)
	assert.Equal(t, []dyvms.AttemptInfo{{Action: "SingleCallByTts", Attempt: 1}}, f.obs.attempts)
	require.Len(t, f.obs.calls, 1)
	call := f.obs.calls[0]
	assert.Equal(t, "SingleCallByTts", call.Action)
	assert.Equal(t, 1, call.Attempts)
	assert.Equal(t, http.StatusOK, call.HTTPStatus)
	assert.Equal(t, "OK", call.Code)
	assert.Equal(t, resp.RequestID, call.RequestID)
	assert.Equal(t, "o-sealed", call.OutID)
	assert.False(t, call.Ambiguous)
	assert.NoError(t, call.Err)
}

func TestSealedMiddlewareRetriedServerError(t *testing.T) {
	forEachSignature(t, testSealedRetriedServerError)
}

func testSealedRetriedServerError(t *testing.T, f *sealedFixture) {
	c := f.client(t, f.api.URL, "")
	f.api.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Times: 1, Status: 503})
	params := url.Values{"CallId": {"116014888060^10281631"}, "ProdId": {"11000000300006"}, "QueryDate": {strconv.FormatInt(time.Now().UnixMilli(), 10)}}
	err := c.Do(context.Background(), "QueryCallDetailByCallId", params, nil)
	// The fake knows no such call: the second attempt reached it, signed.
	var e *dyvms.Error
	if err != nil {
		require.ErrorAs(t, err, &e)
		assert.NotEqual(t, "SignatureDoesNotMatch", e.Code)
		assert.NotEqual(t, http.StatusServiceUnavailable, e.HTTPStatus)
	}
	f.check(t)
	assert.Equal(t, []dyvms.AttemptInfo{{Action: "QueryCallDetailByCallId", Attempt: 1}, {Action: "QueryCallDetailByCallId", Attempt: 2}}, f.obs.attempts)
	require.Len(t, f.obs.records, 2)
	assert.Equal(t, 503, f.obs.records[0].HTTPStatus)
	assert.True(t, f.obs.records[0].Retry)
	require.Len(t, f.obs.calls, 1)
	assert.Equal(t, 2, f.obs.calls[0].Attempts)
}

func TestSealedMiddlewareAmbiguousServerError(t *testing.T) {
	forEachSignature(t, testSealedAmbiguousServerError)
}

func testSealedAmbiguousServerError(t *testing.T, f *sealedFixture) {
	c := f.client(t, f.api.URL, "")
	f.api.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultServerError, Times: 1, Status: 502, Executed: true})
	_, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-amb"})
	require.ErrorIs(t, err, dyvms.ErrAmbiguous)
	f.check(t)
	require.Len(t, f.obs.calls, 1)
	assert.True(t, f.obs.calls[0].Ambiguous)
	assert.Equal(t, 502, f.obs.calls[0].HTTPStatus)
	assert.Equal(t, "o-amb", f.obs.calls[0].OutID)
	assert.True(t, f.obs.records[0].Ambiguous)
}

// A SignatureDoesNotMatch answer quotes the string to sign, which holds
// the SecurityToken: the middleware reads the body with it redacted.
func TestSealedMiddlewareEchoedStringToSign(t *testing.T) {
	forEachSignature(t, testSealedEchoedStringToSign)
}

func testSealedEchoedStringToSign(t *testing.T, f *sealedFixture) {
	c := f.client(t, f.api.URL, "not-the-issued-secret")
	_, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-echo"})
	require.Error(t, err)
	assert.Equal(t, dyvms.ErrorCode("SignatureDoesNotMatch"), dyvms.CodeOf(err))
	f.check(t)
	f.obs.mu.Lock()
	defer f.obs.mu.Unlock()
	assert.Contains(t, strings.Join(f.obs.seen, "\n"), "server string to sign is:", "the middleware saw the body")
}

// A transport below the middleware that fails with the URL it was given
// (real signature and token) in its error, as a *url.Error and in text.
func TestSealedMiddlewareTransportError(t *testing.T) { forEachSignature(t, testSealedTransportError) }

func testSealedTransportError(t *testing.T, f *sealedFixture) {
	var once sync.Once
	real := f.wire.next
	f.wire.next = rtFunc(func(r *http.Request) (*http.Response, error) {
		var err error
		once.Do(func() {
			err = fmt.Errorf("proxy refused %s (token %s%s, %s): %w", r.URL.RawQuery, r.URL.Query().Get("SecurityToken"),
				r.Header.Get("X-Acs-Security-Token"), r.Header.Get("Authorization"),
				&url.Error{Op: "Post", URL: r.URL.String(), Err: errors.New("connection reset, query " + r.URL.RawQuery)})
		})
		if err != nil {
			return nil, err
		}
		return real.RoundTrip(r)
	})
	c := f.client(t, f.api.URL, "")
	params := url.Values{"CallId": {"116014888060^10281631"}, "ProdId": {"11000000300006"}, "QueryDate": {strconv.FormatInt(time.Now().UnixMilli(), 10)}}
	err := c.Do(context.Background(), "QueryCallDetailByCallId", params, nil)
	assert.NotEqual(t, dyvms.ErrorCode("SignatureDoesNotMatch"), dyvms.CodeOf(err))
	f.check(t)
	require.Len(t, f.obs.records, 2, "the transport error was retried")
	assert.Contains(t, f.obs.records[0].Err.Error(), "proxy refused")
}

// A redirect the client refuses: the Location and the body echo the
// signed query.
func TestSealedMiddlewareRedirect(t *testing.T) { forEachSignature(t, testSealedRedirect) }

func testSealedRedirect(t *testing.T, f *sealedFixture) {
	var followed int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed++ }))
	defer other.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", other.URL+"/?"+r.URL.RawQuery)
		w.Header().Set("X-Echo", r.URL.Query().Get("SecurityToken"))
		w.WriteHeader(http.StatusFound)
		fmt.Fprintf(w, "moved: %s", r.URL.RawQuery)
	}))
	defer redirector.Close()
	// The user's client would not follow either; the SDK refuses redirects
	// whatever it says.
	c := f.client(t, redirector.URL, "")
	_, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-redir"})
	require.Error(t, err)
	assert.Zero(t, followed, "the redirect was not followed")
	f.check(t)
	f.obs.mu.Lock()
	defer f.obs.mu.Unlock()
	assert.Contains(t, strings.Join(f.obs.seen, "\n"), "302", "the middleware saw the redirect")
}

// queueWire records, below every middleware, the receipt queue's
// temporary credentials (from the QueryTokenForMnsQueue answers) and the
// signatures and tokens of the MNS requests.
type queueWire struct {
	mu      sync.Mutex
	secrets []string
	mns     int
	next    http.RoundTripper
}

func (w *queueWire) RoundTrip(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "MNS ") {
		_, sig, _ := strings.Cut(auth, ":")
		w.secrets = append(w.secrets, sig, r.Header.Get("security-token"))
		w.mns++
	}
	w.mu.Unlock()
	resp, err := w.next.RoundTrip(r)
	if err != nil || r.URL.Query().Get("Action") != "QueryTokenForMnsQueue" {
		return resp, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var out struct {
		MessageTokenDTO struct{ AccessKeySecret, SecurityToken string }
	}
	if json.Unmarshal(b, &out) == nil {
		w.mu.Lock()
		w.secrets = append(w.secrets, out.MessageTokenDTO.AccessKeySecret, out.MessageTokenDTO.SecurityToken)
		w.mu.Unlock()
	}
	return resp, nil
}

// The receipt queue consumer sends its MNS requests through the client's
// middleware too: they are sealed (Authorization's signature, the
// security-token header), and the queue credentials in the
// QueryTokenForMnsQueue answer are hidden from the middleware while the
// consumer gets them.
func TestSealedReceiptQueue(t *testing.T) {
	q := dyvmstest.NewQueues()
	defer q.Close()
	const queue = "Alicom-Queue-1234567890-VoiceReport"
	for i := 0; i < 3; i++ {
		q.SendReceipt(queue, []byte(fmt.Sprintf(`{"call_id":"1160%02d^1028","out_id":"o-%d","status_code":"200000","callee":"13900001234"}`, i, i)))
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	defer base.CloseIdleConnections()
	wire := &queueWire{next: base}
	obs := &observer{}
	c, err := dyvms.NewClient(dyvms.WithAccessKey(q.AccessKeyID, q.AccessKeySecret), dyvms.WithEndpoint(q.URL),
		dyvms.WithHTTPClient(&http.Client{Transport: wire}), dyvms.WithMiddleware(obs.middleware))
	require.NoError(t, err)
	var mu sync.Mutex
	delivered := 0
	consumer, err := dyvms.NewReceiptQueueConsumer(c, dyvms.ReceiptVoiceReport, queue, func(_ context.Context, rs []dyvms.Receipt) error {
		mu.Lock()
		delivered += len(rs)
		mu.Unlock()
		return nil
	}, dyvms.WithReceiptQueueEndpoint(q.URL), dyvms.WithReceiptTokenEndpoint(q.URL), dyvms.WithReceiptQueueWait(1), dyvms.WithReceiptQueuePollers(1))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- consumer.Run(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); q.Stats(queue).Deleted < 3 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Equal(t, 3, q.Stats(queue).Deleted, "the fake verified the real MNS signatures and token")
	mu.Lock()
	assert.Equal(t, 3, delivered)
	mu.Unlock()

	wire.mu.Lock()
	secrets := append([]string{q.AccessKeySecret}, wire.secrets...)
	mns := wire.mns
	wire.mu.Unlock()
	require.GreaterOrEqual(t, mns, 2, "receive and delete went through the wire")
	obs.assertNoSecret(t, secrets...)
	obs.mu.Lock()
	defer obs.mu.Unlock()
	joined := strings.Join(obs.seen, "\n")
	assert.Contains(t, joined, "Security-Token:[REDACTED]")
	assert.Contains(t, joined, `"AccessKeySecret":"REDACTED"`)
	var actions []string
	for _, ai := range obs.attempts {
		actions = append(actions, ai.Action)
	}
	assert.Contains(t, actions, "BatchReceiveMessage")
	assert.Contains(t, actions, "BatchDeleteMessage")
}
