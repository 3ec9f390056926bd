// Package dyvmsotel traces and measures the calls of a dyvms.Client with
// OpenTelemetry. It lives in its own module so that the SDK itself keeps
// a single dependency.
//
//	opts, err := dyvmsotel.ClientOptions() // global providers
//	client, err := dyvms.NewClient(append(opts, dyvms.WithRegion("cn-hangzhou"))...)
//
// Each call is a span named "Dyvmsapi/<Action>" with a child span per
// attempt (HTTP POST); each call also counts in the metrics. Everything is
// built on the SDK's Hooks and Middleware, so nothing recorded holds the
// AccessKeySecret, a Signature or a SecurityToken: the url.full of an
// attempt reads Signature=REDACTED.
package dyvmsotel

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	dyvms "github.com/dyvms/dyvms-go"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/dyvms/dyvms-go/otel"

// Attribute values and keys this package records.
const (
	// RPCSystem is the rpc.system of every span and metric: Alibaba
	// Cloud's POP RPC protocol.
	RPCSystem = "aliyun-pop"
	// RPCService is the rpc.service: the Voice Messaging Service's API.
	RPCService = "Dyvmsapi"

	// AttrCode is the service's Code of a call or attempt ("OK" on success).
	AttrCode = attribute.Key("dyvms.code")
	// AttrRequestID is the RequestId the service gave a call or attempt.
	AttrRequestID = attribute.Key("dyvms.request_id")
	// AttrAttempt is an attempt's number, 1 for the first.
	AttrAttempt = attribute.Key("dyvms.attempt")
	// AttrAttempts is how many attempts a call made.
	AttrAttempts = attribute.Key("dyvms.attempts")
	// AttrAmbiguous marks a call or attempt whose outcome is unknown (the
	// request may have been executed; see dyvms.ErrAmbiguous).
	AttrAmbiguous = attribute.Key("dyvms.ambiguous")
	// AttrRetry marks an attempt after which the client tries again.
	AttrRetry = attribute.Key("dyvms.retry")
)

// Semantic-convention keys, spelled out so that no semconv package
// version is pinned.
const (
	keyRPCSystem       = attribute.Key("rpc.system")
	keyRPCService      = attribute.Key("rpc.service")
	keyRPCMethod       = attribute.Key("rpc.method")
	keyErrorType       = attribute.Key("error.type")
	keyHTTPMethod      = attribute.Key("http.request.method")
	keyHTTPStatus      = attribute.Key("http.response.status_code")
	keyHTTPResend      = attribute.Key("http.request.resend_count")
	keyURLFull         = attribute.Key("url.full")
	keyServerAddress   = attribute.Key("server.address")
	errorTypeTransport = "transport"
)

// Option configures ClientOptions.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets the tracer provider (default: otel's global).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the meter provider (default: otel's global).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// instruments holds the tracer and the metric instruments.
type instruments struct {
	tracer   trace.Tracer
	calls    metric.Int64Counter
	attempts metric.Int64Counter
	errors   metric.Int64Counter
	duration metric.Float64Histogram
}

// ClientOptions returns the dyvms.Options that trace and measure every call
// of a client: give them to dyvms.NewClient. Metrics:
//
//   - dyvms.client.calls: calls made, by rpc.method;
//   - dyvms.client.attempts: attempts made, by rpc.method;
//   - dyvms.client.errors: calls that failed, by rpc.method, error.type
//     (the service's Code, else the HTTP status, else "transport") and
//     dyvms.ambiguous;
//   - dyvms.client.call.duration: call latency in seconds, retries and
//     pauses included, by rpc.method and error.type (absent on success).
func ClientOptions(opts ...Option) ([]dyvms.Option, error) {
	cfg := config{tp: otel.GetTracerProvider(), mp: otel.GetMeterProvider()}
	for _, o := range opts {
		o(&cfg)
	}
	in, err := newInstruments(cfg)
	if err != nil {
		return nil, err
	}
	return []dyvms.Option{
		dyvms.WithHooks(dyvms.Hooks{CallStart: in.callStart, Attempt: in.attempt, Call: in.call}),
		dyvms.WithMiddleware(in.middleware),
	}, nil
}

func newInstruments(cfg config) (*instruments, error) {
	m := cfg.mp.Meter(ScopeName)
	in := &instruments{tracer: cfg.tp.Tracer(ScopeName)}
	var err error
	if in.calls, err = m.Int64Counter("dyvms.client.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls made to the Voice Messaging Service.")); err != nil {
		return nil, err
	}
	if in.attempts, err = m.Int64Counter("dyvms.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP attempts made, retries included.")); err != nil {
		return nil, err
	}
	if in.errors, err = m.Int64Counter("dyvms.client.errors", metric.WithUnit("{call}"),
		metric.WithDescription("Calls that ended with an error, by the service's Code.")); err != nil {
		return nil, err
	}
	if in.duration, err = m.Float64Histogram("dyvms.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of calls, retries and pauses included.")); err != nil {
		return nil, err
	}
	return in, nil
}

// callState is the state of one call, in its context: the call's span
// and the attempt spans the middleware started and the Attempt hook ends.
type callState struct {
	span     trace.Span
	mu       sync.Mutex
	attempts map[int]trace.Span
}

type callStateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

func rpcAttrs(action string) []attribute.KeyValue {
	return []attribute.KeyValue{keyRPCSystem.String(RPCSystem), keyRPCService.String(RPCService), keyRPCMethod.String(action)}
}

// callStart starts the call's span.
func (in *instruments) callStart(ctx context.Context, action string) context.Context {
	ctx, span := in.tracer.Start(ctx, RPCService+"/"+action,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(rpcAttrs(action)...))
	return context.WithValue(ctx, callStateKey{}, &callState{span: span, attempts: map[int]trace.Span{}})
}

// middleware starts each attempt's span, a child of the call's, around
// the HTTP exchange. The request it sees is sealed by the SDK: its URL
// holds no secret.
func (in *instruments) middleware(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		ai, _ := dyvms.AttemptInfoFromContext(r.Context())
		attrs := append(rpcAttrs(ai.Action),
			AttrAttempt.Int(ai.Attempt), keyHTTPMethod.String(r.Method),
			keyURLFull.String(r.URL.String()), keyServerAddress.String(r.URL.Hostname()))
		if ai.Attempt > 1 {
			attrs = append(attrs, keyHTTPResend.Int(ai.Attempt-1))
		}
		ctx, span := in.tracer.Start(r.Context(), r.Method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
		st := stateFrom(r.Context())
		if st != nil {
			st.mu.Lock()
			st.attempts[ai.Attempt] = span
			st.mu.Unlock()
		}
		resp, err := next.RoundTrip(r.WithContext(ctx))
		switch {
		case err != nil:
			span.SetAttributes(keyErrorType.String(errorTypeTransport))
			span.SetStatus(codes.Error, err.Error())
		default:
			span.SetAttributes(keyHTTPStatus.Int(resp.StatusCode))
			if rid := resp.Header.Get("x-acs-request-id"); rid != "" {
				span.SetAttributes(AttrRequestID.String(rid))
			}
		}
		if st == nil { // a client without the hooks: nobody else ends it
			span.End()
		}
		return resp, err
	})
}

// attempt completes and ends the attempt's span with what the SDK made
// of the answer: Code, RequestId, error, retry.
func (in *instruments) attempt(ctx context.Context, a dyvms.AttemptRecord) {
	in.attempts.Add(ctx, 1, metric.WithAttributes(rpcAttrs(a.Action)...))
	st := stateFrom(ctx)
	if st == nil {
		return
	}
	st.mu.Lock()
	span := st.attempts[a.Attempt]
	delete(st.attempts, a.Attempt)
	st.mu.Unlock()
	if span == nil { // the attempt never reached the transport
		return
	}
	span.SetAttributes(outcomeAttrs(a.HTTPStatus, a.Code, a.RequestID, a.Ambiguous)...)
	span.SetAttributes(AttrRetry.Bool(a.Retry))
	if a.Err != nil {
		span.SetAttributes(keyErrorType.String(errorType(a.Code, a.HTTPStatus)))
		span.RecordError(a.Err)
		span.SetStatus(codes.Error, a.Err.Error())
	}
	span.End(trace.WithTimestamp(a.Start.Add(a.Duration)))
}

// call ends the call's span and counts the call.
func (in *instruments) call(ctx context.Context, c dyvms.CallInfo) {
	attrs := rpcAttrs(c.Action)
	in.calls.Add(ctx, 1, metric.WithAttributes(attrs...))
	durAttrs := attrs
	if c.Err != nil {
		et := keyErrorType.String(errorType(c.Code, c.HTTPStatus))
		durAttrs = append(attrs[:len(attrs):len(attrs)], et)
		in.errors.Add(ctx, 1, metric.WithAttributes(append(attrs[:len(attrs):len(attrs)], et, AttrAmbiguous.Bool(c.Ambiguous))...))
	}
	in.duration.Record(ctx, c.Duration.Seconds(), metric.WithAttributes(durAttrs...))
	st := stateFrom(ctx)
	if st == nil {
		return
	}
	st.mu.Lock()
	for n, span := range st.attempts { // attempts the hook never saw
		span.End()
		delete(st.attempts, n)
	}
	st.mu.Unlock()
	span := st.span
	span.SetAttributes(outcomeAttrs(c.HTTPStatus, c.Code, c.RequestID, c.Ambiguous)...)
	span.SetAttributes(AttrAttempts.Int(c.Attempts))
	if c.Err != nil {
		span.SetAttributes(keyErrorType.String(errorType(c.Code, c.HTTPStatus)))
		span.RecordError(c.Err)
		span.SetStatus(codes.Error, c.Err.Error())
	}
	span.End(trace.WithTimestamp(c.Start.Add(c.Duration)))
}

// outcomeAttrs are the attributes of an answer, those known.
func outcomeAttrs(status int, code, requestID string, ambiguous bool) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 4)
	if status != 0 {
		attrs = append(attrs, keyHTTPStatus.Int(status))
	}
	if code != "" {
		attrs = append(attrs, AttrCode.String(code))
	}
	if requestID != "" {
		attrs = append(attrs, AttrRequestID.String(requestID))
	}
	if ambiguous {
		attrs = append(attrs, AttrAmbiguous.Bool(true))
	}
	return attrs
}

// errorType is the error.type of a failure: the service's Code, else the
// HTTP status of an answer without one, else "transport".
func errorType(code string, status int) string {
	switch {
	case code != "":
		return code
	case status != 0:
		return strconv.Itoa(status)
	}
	return errorTypeTransport
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
