package dyvmsotel_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	dyvmsotel "github.com/dyvms/dyvms-go/otel"
)

const testToken = "CAIS-test-security-token-0123456789abcdef"

// wire records the real Signature of every request leaving the client.
type wire struct {
	mu   sync.Mutex
	sigs []string
	next http.RoundTripper
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	sig, token := q.Get("Signature"), q.Get("SecurityToken")
	if auth := r.Header.Get("Authorization"); auth != "" { // signature V3
		_, sig, _ = strings.Cut(auth, ",Signature=")
		token = r.Header.Get("X-Acs-Security-Token")
	}
	w.mu.Lock()
	w.sigs = append(w.sigs, sig)
	w.mu.Unlock()
	if token != testToken || sig == "REDACTED" {
		return nil, errors.New("the wire must carry the real signature and token")
	}
	return w.next.RoundTrip(r)
}

type fixture struct {
	fake   *dyvmstest.Server
	client *dyvms.Client
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	wire   *wire
}

func newFixture(t *testing.T, extra ...dyvms.Option) *fixture {
	t.Helper()
	f := &fixture{fake: dyvmstest.NewServer(), spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	t.Cleanup(f.fake.Close)
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	f.wire = &wire{next: base}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(f.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(f.reader))
	opts, err := dyvmsotel.ClientOptions(dyvmsotel.WithTracerProvider(tp), dyvmsotel.WithMeterProvider(mp))
	require.NoError(t, err)
	opts = append(opts,
		dyvms.WithSecurityToken(testToken),
		dyvms.WithHTTPClient(&http.Client{Transport: f.wire}),
		dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
	)
	f.client, err = f.fake.Client(append(opts, extra...)...)
	require.NoError(t, err)
	return f
}

func (f *fixture) tts(outID string) (*dyvms.SingleCallByTtsResponse, error) {
	return f.client.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: outID})
}

func (f *fixture) queryDetail() error {
	params := url.Values{"CallId": {"116014888060^10281631"}, "ProdId": {"11000000300006"}, "QueryDate": {strconv.FormatInt(time.Now().UnixMilli(), 10)}}
	return f.client.Do(context.Background(), "QueryCallDetailByCallId", params, nil)
}

// tree returns the ended spans: the one call span and its attempt spans,
// checking their parentage.
func (f *fixture) tree(t *testing.T) (sdktrace.ReadOnlySpan, []sdktrace.ReadOnlySpan) {
	t.Helper()
	var calls, attempts []sdktrace.ReadOnlySpan
	for _, s := range f.spans.Ended() {
		if s.Parent().IsValid() {
			attempts = append(attempts, s)
		} else {
			calls = append(calls, s)
		}
	}
	require.Len(t, calls, 1, "one root span per call")
	for _, a := range attempts {
		assert.Equal(t, calls[0].SpanContext().SpanID(), a.Parent().SpanID(), "attempt spans are children of the call span")
		assert.Equal(t, calls[0].SpanContext().TraceID(), a.SpanContext().TraceID())
	}
	return calls[0], attempts
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func assertRPC(t *testing.T, a map[attribute.Key]attribute.Value, action string) {
	t.Helper()
	assert.Equal(t, "aliyun-pop", a["rpc.system"].AsString())
	assert.Equal(t, "Dyvmsapi", a["rpc.service"].AsString())
	assert.Equal(t, action, a["rpc.method"].AsString())
}

// assertNoSecret checks every span name, attribute, event and status, and
// every metric attribute, for the secret, the token and each signature
// the wire carried, in every encoding.
func (f *fixture) assertNoSecret(t *testing.T) {
	t.Helper()
	var seen []string
	for _, s := range f.spans.Ended() {
		seen = append(seen, s.Name(), s.Status().Description)
		for _, kv := range s.Attributes() {
			seen = append(seen, kv.Value.String())
		}
		for _, e := range s.Events() {
			seen = append(seen, e.Name)
			for _, kv := range e.Attributes {
				seen = append(seen, kv.Value.String())
			}
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, f.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			for _, set := range metricAttrSets(m) {
				for _, kv := range set.ToSlice() {
					seen = append(seen, kv.Value.String())
				}
			}
		}
	}
	f.wire.mu.Lock()
	secrets := append([]string{dyvmstest.DefaultAccessKeySecret, testToken}, f.wire.sigs...)
	f.wire.mu.Unlock()
	require.Greater(t, len(secrets), 2)
	all := strings.Join(seen, "\n")
	for _, s := range secrets {
		once := dyvms.SpecialURLEncode(s)
		for _, form := range []string{s, once, dyvms.SpecialURLEncode(once), url.QueryEscape(s)} {
			assert.NotContains(t, all, form, "a secret reached a span or a metric")
		}
	}
}

func metricAttrSets(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	}
	return out
}

// sums returns a counter's data points as attribute set -> value.
func (f *fixture) sums(t *testing.T, name string) map[attribute.Set]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, f.reader.Collect(context.Background(), &rm))
	out := map[attribute.Set]int64{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, dyvmsotel.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				out[p.Attributes] = p.Value
			}
		}
	}
	return out
}

func rpcSet(action string, extra ...attribute.KeyValue) attribute.Set {
	return attribute.NewSet(append([]attribute.KeyValue{
		attribute.String("rpc.system", "aliyun-pop"), attribute.String("rpc.service", "Dyvmsapi"), attribute.String("rpc.method", action),
	}, extra...)...)
}

func TestCallSpanWithOneAttempt(t *testing.T) {
	f := newFixture(t)
	resp, err := f.tts("o-otel-1")
	require.NoError(t, err, "the fake verified the real signature")
	require.Equal(t, 1, f.fake.Count("SingleCallByTts"))

	call, attempts := f.tree(t)
	assert.Equal(t, "Dyvmsapi/SingleCallByTts", call.Name())
	assert.Equal(t, trace.SpanKindClient, call.SpanKind())
	assert.Equal(t, codes.Unset, call.Status().Code)
	ca := attrs(call)
	assertRPC(t, ca, "SingleCallByTts")
	assert.Equal(t, "OK", ca["dyvms.code"].AsString())
	assert.Equal(t, resp.RequestID, ca["dyvms.request_id"].AsString())
	assert.Equal(t, int64(200), ca["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(1), ca["dyvms.attempts"].AsInt64())
	_, amb := ca["dyvms.ambiguous"]
	assert.False(t, amb)

	require.Len(t, attempts, 1)
	aa := attrs(attempts[0])
	assert.Equal(t, "POST", attempts[0].Name())
	assertRPC(t, aa, "SingleCallByTts")
	assert.Equal(t, int64(1), aa["dyvms.attempt"].AsInt64())
	assert.Equal(t, int64(200), aa["http.response.status_code"].AsInt64())
	assert.Equal(t, "OK", aa["dyvms.code"].AsString())
	assert.Equal(t, resp.RequestID, aa["dyvms.request_id"].AsString())
	assert.Contains(t, aa["url.full"].AsString(), "Signature=REDACTED", "url.full is recorded, sealed")
	assert.Contains(t, aa["url.full"].AsString(), "SecurityToken=REDACTED")
	assert.False(t, attempts[0].StartTime().Before(call.StartTime()))
	assert.False(t, attempts[0].EndTime().After(call.EndTime()))

	assert.Equal(t, map[attribute.Set]int64{rpcSet("SingleCallByTts"): 1}, f.sums(t, "dyvms.client.calls"))
	assert.Empty(t, f.sums(t, "dyvms.client.errors"))
	f.assertNoSecret(t)
}

func TestRetriedCallHasTwoAttemptSpans(t *testing.T) {
	f := newFixture(t)
	f.fake.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Times: 1, Status: 503})
	require.NoError(t, f.queryDetail())

	call, attempts := f.tree(t)
	assert.Equal(t, int64(2), attrs(call)["dyvms.attempts"].AsInt64())
	assert.Equal(t, codes.Unset, call.Status().Code)
	require.Len(t, attempts, 2)
	byNumber := map[int64]sdktrace.ReadOnlySpan{}
	for _, a := range attempts {
		byNumber[attrs(a)["dyvms.attempt"].AsInt64()] = a
	}
	first, second := attrs(byNumber[1]), attrs(byNumber[2])
	assert.Equal(t, int64(503), first["http.response.status_code"].AsInt64())
	assert.True(t, first["dyvms.retry"].AsBool())
	assert.Equal(t, codes.Error, byNumber[1].Status().Code)
	assert.NotEmpty(t, first["error.type"].AsString())
	assert.Equal(t, int64(200), second["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(1), second["http.request.resend_count"].AsInt64())
	assert.Equal(t, codes.Unset, byNumber[2].Status().Code)
	assert.False(t, byNumber[2].StartTime().Before(byNumber[1].EndTime()), "attempts follow each other")

	assert.Equal(t, map[attribute.Set]int64{rpcSet("QueryCallDetailByCallId"): 2}, f.sums(t, "dyvms.client.attempts"))
	assert.Equal(t, map[attribute.Set]int64{rpcSet("QueryCallDetailByCallId"): 1}, f.sums(t, "dyvms.client.calls"))
	f.assertNoSecret(t)
}

func TestAmbiguousCallIsMarked(t *testing.T) {
	f := newFixture(t)
	f.fake.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultServerError, Times: 1, Status: 502, Executed: true})
	_, err := f.tts("o-otel-amb")
	require.ErrorIs(t, err, dyvms.ErrAmbiguous)

	call, attempts := f.tree(t)
	ca := attrs(call)
	assert.True(t, ca["dyvms.ambiguous"].AsBool())
	assert.Equal(t, int64(502), ca["http.response.status_code"].AsInt64())
	assert.Equal(t, codes.Error, call.Status().Code)
	require.Len(t, attempts, 1, "an ambiguous call is not retried")
	assert.True(t, attrs(attempts[0])["dyvms.ambiguous"].AsBool())
	var exception bool
	for _, e := range call.Events() {
		exception = exception || e.Name == "exception"
	}
	assert.True(t, exception, "the error is recorded on the call span")

	errs := f.sums(t, "dyvms.client.errors")
	require.Len(t, errs, 1)
	for set, n := range errs {
		assert.Equal(t, int64(1), n)
		v, _ := set.Value("dyvms.ambiguous")
		assert.True(t, v.AsBool())
	}
	f.assertNoSecret(t)
}

func TestErrorsCountedByCode(t *testing.T) {
	f := newFixture(t)
	f.fake.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultBusiness, Times: 2, Code: "isv.OUT_OF_SERVICE", Message: "suspended"})
	for i := range 3 {
		_, err := f.tts("o-otel-c" + strconv.Itoa(i))
		if i < 2 {
			require.Equal(t, dyvms.ErrorCode("isv.OUT_OF_SERVICE"), dyvms.CodeOf(err))
		} else {
			require.NoError(t, err)
		}
	}
	assert.Equal(t, map[attribute.Set]int64{
		rpcSet("SingleCallByTts", attribute.String("error.type", "isv.OUT_OF_SERVICE"), attribute.Bool("dyvms.ambiguous", false)): 2,
	}, f.sums(t, "dyvms.client.errors"))
	assert.Equal(t, map[attribute.Set]int64{rpcSet("SingleCallByTts"): 3}, f.sums(t, "dyvms.client.calls"))

	var rm metricdata.ResourceMetrics
	require.NoError(t, f.reader.Collect(context.Background(), &rm))
	var counts []uint64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == "dyvms.client.call.duration" {
				assert.Equal(t, "s", m.Unit)
				for _, p := range m.Data.(metricdata.Histogram[float64]).DataPoints {
					counts = append(counts, p.Count)
					assert.Greater(t, p.Sum, 0.0)
				}
			}
		}
	}
	assert.ElementsMatch(t, []uint64{2, 1}, counts, "latency by outcome: 2 failed, 1 succeeded")
	f.assertNoSecret(t)
}

// Signed with V3 (signature in Authorization, token in a header), a
// retried call's spans and metrics hold no secret either.
func TestSignatureV3SpansHoldNoSecret(t *testing.T) {
	f := newFixture(t, dyvms.WithSignatureVersion(dyvms.SignatureV3))
	f.fake.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Times: 1, Status: 503})
	require.NoError(t, f.queryDetail(), "the fake verified the real V3 signature")
	call, attempts := f.tree(t)
	assert.Equal(t, int64(2), attrs(call)["dyvms.attempts"].AsInt64())
	assert.Len(t, attempts, 2)
	f.assertNoSecret(t)
}
