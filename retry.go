package dyvms

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
)

// Retry defaults.
const (
	// DefaultMaxAttempts is how many times a call is attempted at most,
	// the first attempt included.
	DefaultMaxAttempts = 3
	// DefaultRetryBaseDelay is the backoff before the first retry, before
	// jitter; it doubles with each further retry.
	DefaultRetryBaseDelay = 100 * time.Millisecond
	// DefaultRetryMaxDelay caps the backoff between two attempts.
	DefaultRetryMaxDelay = 5 * time.Second
)

// RetryPolicy says how often and how patiently a call is attempted. Which
// failures may be retried at all is not part of the policy: that depends
// on the Action and is decided by the client (see ErrAmbiguous).
//
// The pause before retry n (n = 1, 2, ...) is drawn uniformly from
// [0, min(MaxDelay, BaseDelay·2^(n-1))) ("full jitter"). When the server
// sends an x-acs-retry-after hint the pause is at least that long; a hint
// longer than MaxDelay, or a pause that would outlast the context's
// deadline, ends the retries and returns the last error (whose RetryAfter
// field carries the hint).
type RetryPolicy struct {
	// MaxAttempts is the most attempts of one call, the first included:
	// 1 turns retries off, 0 means DefaultMaxAttempts.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry, before jitter
	// (0 means DefaultRetryBaseDelay).
	BaseDelay time.Duration
	// MaxDelay caps the backoff, and is the longest server hint honoured
	// (0 means DefaultRetryMaxDelay).
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns the policy a client uses unless told
// otherwise: 3 attempts, 100 ms base delay, 5 s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: DefaultMaxAttempts, BaseDelay: DefaultRetryBaseDelay, MaxDelay: DefaultRetryMaxDelay}
}

// withDefaults fills zero fields and checks the others.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
		return p, errorf("retry policy: MaxAttempts, BaseDelay and MaxDelay must not be negative")
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = DefaultRetryBaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultRetryMaxDelay
	}
	if p.MaxDelay < p.BaseDelay {
		return p, errorf("retry policy: MaxDelay %v is shorter than BaseDelay %v", p.MaxDelay, p.BaseDelay)
	}
	return p, nil
}

// backoff returns the jittered pause before retry n (n >= 1); rnd(k)
// returns a uniform value in [0, k).
func (p RetryPolicy) backoff(n int, rnd func(int64) int64) time.Duration {
	ceiling := p.BaseDelay
	for i := 1; i < n && ceiling < p.MaxDelay; i++ {
		ceiling *= 2
	}
	if ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rnd(int64(ceiling)))
}

// WithRetryPolicy sets how often and how patiently calls are attempted.
// Zero fields take their defaults.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) { o.retry = p }
}

// WithMaxAttempts sets the most attempts of one call, the first included
// (default 3). 1 turns retries off; n < 1 is an error.
func WithMaxAttempts(n int) Option {
	return func(o *options) {
		if n < 1 {
			o.fail(errorf("WithMaxAttempts(%d): a call needs at least 1 attempt", n))
			return
		}
		o.retry.MaxAttempts = n
	}
}

// WithNoRetries makes every call a single attempt.
func WithNoRetries() Option {
	return func(o *options) { o.retry.MaxAttempts = 1 }
}

// Timeout defaults.
const (
	// DefaultAttemptTimeout bounds one attempt: connecting, sending and
	// reading the whole answer.
	DefaultAttemptTimeout = 30 * time.Second
	// DefaultConnectTimeout bounds the TCP dial of the client's own
	// transport; its TLS handshake gets twice as long.
	DefaultConnectTimeout = 5 * time.Second
)

// WithAttemptTimeout bounds each attempt of a call (default 30 s): the
// connection, the request and the whole answer. 0 leaves attempts bounded
// by the context alone. The context's deadline always wins: an attempt
// never outlives it.
func WithAttemptTimeout(d time.Duration) Option {
	return func(o *options) {
		if d < 0 {
			o.fail(errorf("WithAttemptTimeout(%v): negative", d))
			return
		}
		o.attemptTimeout = d
	}
}

// WithConnectTimeout bounds the TCP dial of the client's own transport
// (default 5 s; the TLS handshake gets twice as long). It cannot be
// combined with WithHTTPClient, whose transport the SDK never changes: set
// the dial timeout there.
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			o.fail(errorf("WithConnectTimeout(%v): must be positive", d))
			return
		}
		o.connectTimeout = d
	}
}

// fail records the first invalid option for NewClient to return.
func (o *options) fail(err error) {
	if o.err == nil {
		o.err = err
	}
}

// withRetryClock makes jitter and backoff sleeps deterministic in tests.
func withRetryClock(rnd func(int64) int64, sleep func(context.Context, time.Duration) error) Option {
	return func(o *options) {
		if rnd != nil {
			o.rand = rnd
		}
		if sleep != nil {
			o.sleep = sleep
		}
	}
}

// ErrAmbiguous matches an error after which nobody knows whether the
// service executed the request: a call-placing or state-changing Action
// (SingleCallByTts, IvrCall, CreateCallTask, ...) whose request may have
// reached the service, but whose answer was lost (a dropped connection, a
// timeout after the request was written, an HTTP 5xx, an unreadable body,
// SignatureNonceUsed, or any error answer to a request the transport wrote
// more than once, since an earlier copy may have run).
// Such a request is never sent again automatically, because there is no
// idempotency key: a resend could ring a phone twice. Reconcile instead
// through receipts, by the OutId the call carried (AmbiguousError.OutID:
// every call-placing Action sends one, generated when the request has
// none). There is no CallId to query after an unknown outcome.
//
// The error is an *AmbiguousError; errors.As to *Error or *TransportError
// still finds the underlying failure.
var ErrAmbiguous = errors.New("dyvms: outcome unknown: the request may have been executed")

// AmbiguousError is the error of a call whose outcome is unknown (see
// ErrAmbiguous). errors.Is(err, ErrAmbiguous) holds for it, and Unwrap
// returns the failure of the last attempt.
type AmbiguousError struct {
	// Action is the API Action that was called.
	Action string
	// OutID is the OutId the request carried: the request's own, or the
	// one the client generated for a call-placing Action that had none.
	// Find the call in receipts by it. It is "" only for Actions that take
	// no OutId.
	OutID string
	// Attempts is how many attempts were made.
	Attempts int
	// Err is the failure of the last attempt: a *TransportError or an *Error.
	Err error
}

// Error implements error.
func (e *AmbiguousError) Error() string {
	var b strings.Builder
	b.WriteString("dyvms: ")
	b.WriteString(e.Action)
	b.WriteString(": outcome unknown, the request may have been executed; not retried")
	if e.OutID != "" {
		b.WriteString(" (reconcile by OutId ")
		b.WriteString(e.OutID)
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(trimDyvmsPrefix(e.Err.Error(), e.Action))
	}
	return b.String()
}

// Unwrap returns the failure of the last attempt.
func (e *AmbiguousError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrAmbiguous) hold.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// IsAmbiguous reports whether err means the request may or may not have
// been executed (errors.Is(err, ErrAmbiguous)).
func IsAmbiguous(err error) bool { return errors.Is(err, ErrAmbiguous) }

// outcome is what the client concludes from one failed attempt.
type outcome uint8

const (
	// final: report the error as it is; do not retry.
	final outcome = iota
	// retryable: the attempt may be repeated.
	retryable
	// ambiguous: the request may have been executed; report it wrapped
	// in *AmbiguousError and do not retry.
	ambiguous
)

// serverFaultCodes are Codes of a failure inside the service: for a
// mutating Action the request may have been executed.
var serverFaultCodes = map[string]bool{
	"InternalError": true, "ServiceUnavailable": true, "isp.SYSTEM_ERROR": true,
	"isp.GATEWAY_ERROR": true, "isp.UNKNOWN": true,
}

// attemptFailure describes a failed attempt for classify.
type attemptFailure struct {
	err error
	// sent is false only when the request provably never left the client:
	// the transport tried to get a connection and did not get one (DNS
	// failure, connection refused, TLS handshake failure, dial timeout).
	sent bool
	// resent is true when the transport wrote the request more than once
	// (a replay below the SDK): whatever the answer, an earlier copy may
	// have run.
	resent bool
	// callerDone is true when the caller's context ended.
	callerDone bool
}

// classify is the one place that decides, for every Action, whether a
// failed attempt may be retried, must be reported as ambiguous, or is
// final. Read-only Actions retry every transient failure; mutating ones
// (and Actions the client does not know) retry only what provably did not
// run: a request that never left the client, or one the gateway rejected
// with throttling.
func classify(action string, f attemptFailure) outcome {
	mutates := actionTable[action].class != readOnly
	var ve *ValidationError
	if errors.As(f.err, &ve) {
		return final
	}
	if e := asError(f.err); e != nil {
		if mutates && f.resent {
			return ambiguous // the answer is one copy's; another may have run
		}
		return classifyServerError(mutates, e)
	}
	var te *TransportError
	if !errors.As(f.err, &te) {
		return final // the request could not be built: nothing to retry
	}
	// A transport failure: no response, or one whose body was lost.
	if !f.sent {
		if f.callerDone || permanentTLS(f.err) {
			return final
		}
		return retryable
	}
	switch {
	case mutates:
		return ambiguous
	case f.callerDone, errors.Is(f.err, ErrResponseTooLarge), permanentTLS(f.err):
		return final
	}
	return retryable
}

// classifyServerError classifies an answer from the service.
func classifyServerError(mutates bool, e *Error) outcome {
	switch {
	case strings.HasPrefix(e.Code, "Throttling") || e.HTTPStatus == 429:
		// Flow control rejects a request before it runs.
		return retryable
	case isStaleTokenCode(e.Code):
		// The gateway refused the SecurityToken (expired, or not the one
		// of this AccessKey): authentication failed, so the Action never
		// ran and a retry with fresh credentials is safe even for one that
		// places calls. The client retries such an attempt once, after
		// invalidating the cached credentials.
		return retryable
	case strings.HasPrefix(e.Code, "isv."):
		return final
	case e.Code == "SignatureNonceUsed":
		// Every attempt has a fresh nonce, so the gateway has seen this
		// very request before: something replayed it, and that copy may
		// have run.
		if mutates {
			return ambiguous
		}
		return retryable
	case e.unexpected, e.HTTPStatus >= 500, serverFaultCodes[e.Code]:
		if mutates {
			return ambiguous
		}
		if e.unexpected && e.HTTPStatus >= 300 && e.HTTPStatus < 500 {
			return final // a redirect or a proxy's 4xx page: repeating it changes nothing
		}
		return retryable
	}
	return final
}

// isStaleTokenCode reports whether a service error Code says the request's
// SecurityToken was refused: InvalidSecurityToken.Expired,
// InvalidSecurityToken.MismatchWithAccessKey, InvalidSecurityToken.Malformed
// and any other InvalidSecurityToken code.
func isStaleTokenCode(code string) bool {
	return strings.HasPrefix(code, "InvalidSecurityToken")
}

// isStaleTokenError reports whether err is the service refusing the
// request's SecurityToken.
func isStaleTokenError(err error) bool {
	e := asError(err)
	return e != nil && isStaleTokenCode(e.Code)
}

// permanentTLS reports whether err is a certificate failure, which no
// retry cures.
func permanentTLS(err error) bool {
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var he x509.HostnameError
	var cie x509.CertificateInvalidError
	return errors.As(err, &cve) || errors.As(err, &uae) || errors.As(err, &he) || errors.As(err, &cie)
}

// retryDelay returns the pause before retry n after err, and false when
// the retries should stop instead: the server asked for a longer pause
// than the policy allows, or the pause would outlast ctx's deadline.
func (c *Client) retryDelay(ctx context.Context, n int, err error) (time.Duration, bool) {
	d := c.retry.backoff(n, c.rand)
	if e := asError(err); e != nil && e.RetryAfter > 0 {
		// Compare in milliseconds first: a huge hint would overflow a
		// Duration and wrap to a negative (no) pause.
		if e.RetryAfter > c.retry.MaxDelay.Milliseconds() {
			return 0, false
		}
		hint := time.Duration(e.RetryAfter) * time.Millisecond
		if hint > c.retry.MaxDelay {
			return 0, false
		}
		if hint > d {
			d = hint
		}
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return 0, false
	}
	return d, true
}

// randInt63n is the default jitter source.
func randInt63n(n int64) int64 { return rand.Int64N(n) }

// sleepCtx pauses for d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
