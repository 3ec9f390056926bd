package dyvms

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// WithLogger makes the client write one record to l for every attempt of
// every call: the Action, the attempt number, the HTTP status, the service
// Code, the RequestID and the latency, and for a failure the error, whether
// it will be retried (and after what pause) and whether its outcome is
// ambiguous. Successful attempts are logged at Debug, failed ones at Warn,
// so a logger at Info level records only what went wrong.
//
// Records never carry the AccessKeySecret, a Signature or a SecurityToken,
// and phone numbers in them are masked to their last 4 digits. Without
// WithLogger the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l == nil {
			o.logAttempt = nil
			return
		}
		// The client holds a function, not the logger, so that programs
		// which never call WithLogger do not link log/slog's machinery.
		o.logAttempt = func(ctx context.Context, red redactor, a attemptLog) { writeAttemptLog(l, ctx, red, a) }
	}
}

// attemptLogger writes the record of one attempt.
type attemptLogger func(ctx context.Context, red redactor, a attemptLog)

// Middleware wraps the http.RoundTripper that sends every attempt, for
// tracing, metrics or request inspection without a tracing dependency in
// the SDK. The request's context carries an AttemptInfo.
//
// With SignatureV2 the request URL's query carries the AccessKeyId, the
// Signature and (with STS credentials) the SecurityToken: record r.URL.Path
// or the AttemptInfo, never r.URL.String(). With SignatureV3 the signature
// is in the Authorization header and the STS token in x-acs-security-token:
// never record those two headers either.
type Middleware func(next http.RoundTripper) http.RoundTripper

// WithMiddleware wraps the transport in mw, the first given outermost. The
// http.Client given with WithHTTPClient is not modified: the SDK sends
// through a client of its own that delegates to its transport, keeping its
// cookie jar and timeout (redirects are never followed, see
// WithHTTPClient).
func WithMiddleware(mw ...Middleware) Option {
	return func(o *options) { o.middleware = append(o.middleware, mw...) }
}

// AttemptInfo identifies one attempt of a call, for middleware.
type AttemptInfo struct {
	// Action is the API Action being called.
	Action string
	// Attempt is 1 for the first attempt, 2 for the first retry, ...
	Attempt int
}

type attemptInfoKey struct{}

// AttemptInfoFromContext returns the AttemptInfo of the request whose
// context is ctx (inside a Middleware: r.Context()).
func AttemptInfoFromContext(ctx context.Context) (AttemptInfo, bool) {
	ai, ok := ctx.Value(attemptInfoKey{}).(AttemptInfo)
	return ai, ok
}

// wrapHTTPClient returns the client the SDK sends with: a new http.Client
// that delegates to hc's transport, through the middleware chain, and
// never follows a redirect (a redirect would carry the signed query, and
// on 307/308 the body, to another host, and return its answer as the
// service's). hc is read, never written: its Transport is looked up at
// each request, so a test double installed on hc later
// (httpmock.ActivateNonDefault) still applies. hc's cookie jar and timeout
// are kept; its redirect policy is not.
func wrapHTTPClient(hc *http.Client, mw []Middleware) *http.Client {
	var rt http.RoundTripper = delegateTransport{hc}
	for i := len(mw) - 1; i >= 0; i-- {
		if mw[i] != nil {
			rt = mw[i](rt)
		}
	}
	return &http.Client{Transport: rt, CheckRedirect: refuseRedirect, Jar: hc.Jar, Timeout: hc.Timeout}
}

// refuseRedirect makes http.Client return a 3xx answer as it is; the
// decoder turns it into an *Error naming the redacted Location.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// delegateTransport sends through the transport of a user's http.Client.
type delegateTransport struct{ hc *http.Client }

func (d delegateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t := d.hc.Transport; t != nil {
		return t.RoundTrip(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// maxLoggedValue bounds a request value copied into a log record.
const maxLoggedValue = 64

// attemptLog is what one attempt leaves for its log record.
type attemptLog struct {
	action    string
	attempt   int
	status    int
	code      string
	requestID string
	latency   time.Duration
	err       error
	outcome   outcome
	retry     bool
	backoff   time.Duration
	called    string // the CalledNumber parameter, unmasked
	outID     string
}

// logAttempt writes the record of one attempt, if the client has a logger.
func (c *Client) logAttempt(ctx context.Context, red redactor, a attemptLog) {
	if c.attemptLogger != nil {
		c.attemptLogger(ctx, red, a)
	}
}

// writeAttemptLog writes the record of one attempt to l.
func writeAttemptLog(l *slog.Logger, ctx context.Context, red redactor, a attemptLog) {
	level := slog.LevelDebug
	if a.err != nil {
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 14)
	attrs = append(attrs,
		slog.String("action", a.action),
		slog.Int("attempt", a.attempt),
		slog.Int("status", a.status),
		slog.String("code", red.redact(a.code)),
		slog.String("request_id", red.redact(a.requestID)),
		slog.Duration("latency", a.latency),
	)
	if a.called != "" {
		called := a.called
		if len(called) > maxLoggedValue {
			called = called[:maxLoggedValue] + "…"
		}
		attrs = append(attrs, slog.String("called_number", maskDigitRuns(red.redact(called))))
	}
	if a.outID != "" {
		attrs = append(attrs, slog.String("out_id", red.redact(a.outID)))
	}
	if a.err != nil {
		msg := maskDigitRuns(red.redact(a.err.Error()))
		attrs = append(attrs, slog.String("error", msg), slog.Bool("retry", a.retry))
		if a.retry {
			attrs = append(attrs, slog.Duration("backoff", a.backoff))
		}
		if a.outcome == ambiguous {
			attrs = append(attrs, slog.Bool("ambiguous", true))
		}
	}
	l.LogAttrs(ctx, level, "dyvms attempt", attrs...)
}

// paramValue returns the value of the parameter named key, or "".
func paramValue(params []param, key string) string {
	for _, p := range params {
		if p.key == key {
			return p.value
		}
	}
	return ""
}

// trimDyvmsPrefix removes the "dyvms: Action: " prefix an error message
// repeats when it is wrapped.
func trimDyvmsPrefix(msg, action string) string {
	return strings.TrimPrefix(msg, "dyvms: "+action+": ")
}
