package dyvms

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"strconv"
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
	b.WriteString(errPrefix)
	b.WriteString(e.Action)
	b.WriteString(": outcome unknown, the request may have been executed; not retried")
	if e.OutID != "" {
		b.WriteString(" (reconcile by OutId ")
		b.WriteString(e.OutID)
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(errorDetail(e.Err))
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

// retryWaitError is the context ending while the client waited to retry.
type retryWaitError struct {
	ctxErr, last error
	attempts     int
}

func (e *retryWaitError) Error() string {
	return e.ctxErr.Error() + " while waiting to retry after attempt " + strconv.Itoa(e.attempts) + ": " + errorDetail(e.last)
}

func (e *retryWaitError) Unwrap() []error { return []error{e.ctxErr, e.last} }

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
var serverFaultCodes = map[ErrorCode]bool{
	ErrorCodeInternalError: true, ErrorCodeServiceUnavailable: true, "isp.SYSTEM_ERROR": true,
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
	case IsThrottling(e) || e.HTTPStatus == 429:
		// Flow control rejects a request before it runs.
		return retryable
	case isStaleTokenCode(e.Code):
		// The gateway refused the SecurityToken (expired, or not the one
		// of this AccessKey): authentication failed, so the Action never
		// ran and a retry with fresh credentials is safe even for one that
		// places calls. The client retries such an attempt once, after
		// invalidating the cached credentials.
		return retryable
	case IsBusinessError(e):
		return final
	case e.Code == ErrorCodeSignatureNonceUsed:
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
func isStaleTokenCode(code ErrorCode) bool {
	return strings.HasPrefix(string(code), string(ErrorCodeInvalidSecurityToken))
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

// delay returns the pause before retry n after err, and false when the
// retries should stop instead: the server asked for a longer pause than the
// policy allows, or the pause would outlast ctx's deadline. rnd is the
// jitter source (see backoff).
func (p RetryPolicy) delay(ctx context.Context, n int, err error, rnd func(int64) int64) (time.Duration, bool) {
	d := p.backoff(n, rnd)
	if e := asError(err); e != nil && e.RetryAfter > 0 {
		hint := e.RetryAfter
		if hint > p.MaxDelay {
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
