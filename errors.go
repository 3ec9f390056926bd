package dyvms

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNoCredentials is returned by NewClient when no credentials were given
	// and none were found in the environment.
	ErrNoCredentials = errors.New("dyvms: no credentials: use WithAccessKey or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")

	// ErrInvalidParameter matches every *ValidationError: a request that was
	// rejected before anything was sent.
	ErrInvalidParameter = errors.New("dyvms: invalid parameter")

	// ErrUnexpectedResponse matches an *Error whose body was not a Dyvmsapi
	// envelope (an HTML page from a proxy, an empty or truncated body).
	ErrUnexpectedResponse = errors.New("dyvms: unexpected response")

	// ErrNilClient is returned (wrapped) by every call made on a nil
	// *Client or a Client{} not made by NewClient.
	ErrNilClient = errors.New("dyvms: client not initialised: create it with NewClient")

	// ErrResponseTooLarge is returned (wrapped) when a response body exceeds the
	// client's limit (WithMaxResponseBytes).
	ErrResponseTooLarge = errors.New("dyvms: response body too large")
)

// Error is the one error type for every failure the service reports: an
// error envelope (XML <Error> or JSON) with any HTTP status, an HTTP 2xx
// whose Code is not the Action's success code, and a body that is no
// envelope at all (then errors.Is(err, ErrUnexpectedResponse) holds and Body
// has a short snippet).
//
// Error strings never contain the AccessKeySecret, a Signature or a
// SecurityToken: Message and Body are redacted before the error is built.
type Error struct {
	// Action is the API Action that failed, for example "SingleCallByTts".
	Action string
	// HTTPStatus is the HTTP status code of the response.
	HTTPStatus int
	// Code is the service's error code, for example
	// ErrorCodeBusinessLimit ("isv.BUSINESS_LIMIT_CONTROL") or
	// ErrorCodeThrottlingUser; empty when the body was no envelope.
	Code ErrorCode
	// Message is the service's description of Code.
	Message string
	// RequestID identifies the request; quote it to Alibaba Cloud support.
	RequestID string
	// HostID is the host that served the request.
	HostID string
	// Recommend is the error-centre URL the gateway suggests, if any.
	Recommend string
	// Body is a short snippet of the response body when it was no envelope.
	Body string
	// RetryAfter is the pause the server asked for before a retry (its
	// x-acs-retry-after header), or 0.
	RetryAfter time.Duration

	unexpected bool
}

// Error implements error. It names the Action, the Code and Message, the HTTP
// status and the RequestID.
func (e *Error) Error() string { return prefixed(e.Action, e.detail()) }

// detail is the message after the "dyvms: Action: " prefix.
func (e *Error) detail() string {
	var b strings.Builder
	switch {
	case e.unexpected:
		b.WriteString("unexpected response")
		if e.Message != "" {
			b.WriteString(" (")
			b.WriteString(e.Message)
			b.WriteString(")")
		}
	case e.Code != "":
		b.WriteString(string(e.Code))
		if e.Message != "" {
			b.WriteString(": ")
			b.WriteString(e.Message)
		}
	default:
		b.WriteString(e.Message)
	}
	b.WriteString(" (HTTP ")
	b.WriteString(strconv.Itoa(e.HTTPStatus))
	if e.RequestID != "" {
		b.WriteString(", RequestId ")
		b.WriteString(e.RequestID)
	}
	b.WriteString(")")
	if e.unexpected && e.Body != "" {
		b.WriteString(": body: ")
		b.WriteString(strconv.Quote(e.Body))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrUnexpectedResponse) hold for a non-envelope body.
func (e *Error) Is(target error) bool {
	return target == ErrUnexpectedResponse && e.unexpected
}

// ValidationError reports a request rejected before any network I/O. It
// lists every problem of the request, not only the first.
// errors.Is(err, ErrInvalidParameter) holds for it.
type ValidationError struct {
	// Action is the API Action whose request was invalid.
	Action string
	// Field is the wire name of the first invalid parameter, for example
	// "CalledNumber" or "MenuKeyMap.2.Key".
	Field string
	// Reason says what is wrong with Field, for example "is required".
	Reason string
	// Problems lists every invalid parameter, the first (Field, Reason)
	// included, in the order of the request's fields.
	Problems []FieldError
}

// FieldError is one problem of a request: a parameter and what is wrong.
type FieldError struct {
	// Field is the parameter's wire name.
	Field string
	// Reason says what is wrong, for example "is required".
	Reason string
}

// newValidationError returns the *ValidationError listing problems (at
// least one).
func newValidationError(action string, problems []FieldError) *ValidationError {
	return &ValidationError{Action: action, Field: problems[0].Field, Reason: problems[0].Reason, Problems: problems}
}

// Error implements error. It names every problem.
func (e *ValidationError) Error() string { return prefixed(e.Action, e.detail()) }

// detail is the message after the "dyvms: Action: " prefix.
func (e *ValidationError) detail() string {
	if len(e.Problems) <= 1 {
		return "invalid parameter " + e.Field + ": " + e.Reason
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" invalid parameters: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidParameter) hold.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParameter }

// TransportError is a failure to get a response at all: DNS, connect, TLS,
// a reset connection, a timeout, a cancelled context, or a body that could
// not be read. Its message carries no query string, so no AccessKeyId,
// Signature or SecurityToken. Unwrap gives the underlying error, so
// errors.Is(err, context.DeadlineExceeded) works.
type TransportError struct {
	// Action is the API Action being called.
	Action string
	// Err is the underlying error, with any URL stripped of its query.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string { return prefixed(e.Action, e.detail()) }

// detail is the message after the "dyvms: Action: " prefix.
func (e *TransportError) detail() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// asError returns err as an *Error, or nil.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// ErrorCode is a service error code, as *Error.Code carries it. The
// constants below are the codes a program usually branches on; the service
// has many more (isv.* business rejections above all), which arrive as they
// are spelled.
type ErrorCode string

// Error codes the service and its gateway answer with.
const (
	// ErrorCodeThrottling, ErrorCodeThrottlingUser and ErrorCodeThrottlingAPI
	// are gateway flow control: the request was rejected before it ran.
	// IsThrottling matches every Throttling* code.
	ErrorCodeThrottling     ErrorCode = "Throttling"
	ErrorCodeThrottlingUser ErrorCode = "Throttling.User"
	ErrorCodeThrottlingAPI  ErrorCode = "Throttling.Api"
	// ErrorCodeBusinessLimit is the per-callee flow control (IsBusinessLimit).
	ErrorCodeBusinessLimit ErrorCode = "isv.BUSINESS_LIMIT_CONTROL"
	// ErrorCodeInvalidParameters is a request the service found invalid.
	ErrorCodeInvalidParameters ErrorCode = "isv.INVALID_PARAMETERS"
	// ErrorCodeAmountNotEnough is an account without enough balance.
	ErrorCodeAmountNotEnough ErrorCode = "isv.AMOUNT_NOT_ENOUGH"
	// ErrorCodeSignatureDoesNotMatch and ErrorCodeIncompleteSignature are a
	// rejected signature, usually a wrong AccessKeySecret
	// (IsSignatureMismatch).
	ErrorCodeSignatureDoesNotMatch ErrorCode = "SignatureDoesNotMatch"
	ErrorCodeIncompleteSignature   ErrorCode = "IncompleteSignature"
	// ErrorCodeSignatureNonceUsed is a SignatureNonce the gateway has seen:
	// the very request was sent before.
	ErrorCodeSignatureNonceUsed ErrorCode = "SignatureNonceUsed"
	// ErrorCodeInvalidAccessKeyNotFound and ErrorCodeInvalidAccessKeyInactive
	// are an unknown or disabled AccessKeyId (IsInvalidAccessKey).
	ErrorCodeInvalidAccessKeyNotFound ErrorCode = "InvalidAccessKeyId.NotFound"
	ErrorCodeInvalidAccessKeyInactive ErrorCode = "InvalidAccessKeyId.Inactive"
	// ErrorCodeInvalidSecurityToken begins every code of a refused STS
	// SecurityToken (InvalidSecurityToken.Expired, ...); the client
	// retrieves credentials anew and retries once.
	ErrorCodeInvalidSecurityToken        ErrorCode = "InvalidSecurityToken"
	ErrorCodeInvalidSecurityTokenExpired ErrorCode = "InvalidSecurityToken.Expired"
	// ErrorCodeInternalError and ErrorCodeServiceUnavailable are failures
	// inside the service.
	ErrorCodeInternalError      ErrorCode = "InternalError"
	ErrorCodeServiceUnavailable ErrorCode = "ServiceUnavailable"
)

// CodeOf returns the service error code carried by err, or "".
func CodeOf(err error) ErrorCode {
	if e := asError(err); e != nil {
		return e.Code
	}
	return ""
}

// RequestID returns the RequestID carried by err, or "".
func RequestID(err error) string {
	if e := asError(err); e != nil {
		return e.RequestID
	}
	return ""
}

// hasCodePrefix reports whether err carries a code in the family prefix
// (Throttling, Throttling.User, ...).
func hasCodePrefix(err error, prefix ErrorCode) bool {
	return strings.HasPrefix(string(CodeOf(err)), string(prefix))
}

// IsThrottling reports whether err is gateway flow control (Code Throttling,
// Throttling.User, Throttling.Api, ...). The request was rejected before it
// ran, so it is safe to send again after a pause.
func IsThrottling(err error) bool {
	return hasCodePrefix(err, ErrorCodeThrottling)
}

// IsBusinessLimit reports whether err is isv.BUSINESS_LIMIT_CONTROL: the
// per-callee flow control (documented as 1 call a minute, 5 an hour, 20 a
// day). Retrying soon is pointless.
func IsBusinessLimit(err error) bool {
	return CodeOf(err) == ErrorCodeBusinessLimit
}

// IsBusinessError reports whether err is a Dyvmsapi business rejection
// (Code isv.*). Such errors are never retried automatically.
func IsBusinessError(err error) bool {
	return hasCodePrefix(err, "isv.")
}

// IsSignatureMismatch reports whether the server rejected the signature
// (SignatureDoesNotMatch or IncompleteSignature): usually a wrong
// AccessKeySecret.
func IsSignatureMismatch(err error) bool {
	c := CodeOf(err)
	return c == ErrorCodeSignatureDoesNotMatch || c == ErrorCodeIncompleteSignature
}

// IsInvalidAccessKey reports whether the AccessKeyId is unknown or disabled
// (InvalidAccessKeyId.NotFound, InvalidAccessKeyId.Inactive, ...).
func IsInvalidAccessKey(err error) bool {
	return hasCodePrefix(err, "InvalidAccessKeyId")
}

// IsNotFound reports whether the service answered HTTP 404 or a *.NotFound
// code for what the request asked about. An unknown AccessKeyId, which the
// gateway also answers with 404 and InvalidAccessKeyId.NotFound, is not a
// missing resource: IsInvalidAccessKey reports it, and IsNotFound does not.
func IsNotFound(err error) bool {
	e := asError(err)
	return e != nil && !IsInvalidAccessKey(err) && (e.HTTPStatus == 404 || strings.HasSuffix(string(e.Code), "NotFound"))
}

// redactor removes secrets from text that may leave the SDK (error
// messages, body snippets, transport errors): each secret in every encoding
// redactAll (redact.go) recognises. Text is examined only when it is
// redacted, so a successful call pays nothing.
type redactor struct {
	// fixed holds the usual secrets (AccessKeySecret, SecurityToken,
	// Signature) without an allocation; more holds any beyond them.
	fixed [3]string
	n     int
	more  []string
}

// newRedactor returns a redactor for the given secrets; empty ones and ones
// too short to search for safely are skipped.
func newRedactor(secrets ...string) redactor {
	var r redactor
	return r.with(secrets...)
}

// with returns a redactor that also redacts the given secrets.
func (r redactor) with(secrets ...string) redactor {
	for _, s := range secrets {
		switch {
		case len(s) < 4:
		case r.n < len(r.fixed):
			r.fixed[r.n] = s
			r.n++
		default:
			r.more = append(r.more[:len(r.more):len(r.more)], s)
		}
	}
	return r
}

// all returns every secret r redacts.
func (r redactor) all() []string {
	return append(r.fixed[:r.n:r.n], r.more...)
}

// redact returns s with every encoded form of every secret replaced by
// "***" (see redactAll).
func (r redactor) redact(s string) string {
	return redactAll(s, r.all(), false)
}

// snippetLen is the most bytes of a body an error quotes.
const snippetLen = 256

// snippet returns a redacted, valid-UTF-8 prefix of body of at most
// snippetLen bytes. It redacts first and cuts after, and then redacts the
// cut end again, so no part of a secret straddling the cut survives. Only
// the part of the body that can reach the snippet is examined.
func (r redactor) snippet(body []byte) string {
	secrets := r.all()
	window := snippetLen + 16
	for _, sec := range secrets {
		window = max(window, snippetLen+len(sec)*maxUnitLen)
	}
	cut := len(body) > window
	if cut {
		body = body[:window]
	}
	s := redactAll(strings.TrimSpace(string(body)), secrets, false)
	if cut || len(s) > snippetLen {
		if len(s) > snippetLen {
			s = s[:snippetLen]
		}
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s = redactAll(s, secrets, true) + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// sanitizeTransportError returns err with every error of its chain
// redacted: the query string stripped from each *url.Error's URL, and each
// error whose message (or whose wrapped errors) hold a secret replaced by
// a redacted copy, so errors.Unwrap reaches no secret at any depth. Errors
// that hold no secret are kept as they are, so errors.Is and errors.As
// still find context.DeadlineExceeded, a *net.OpError or a TLS error.
func (r redactor) sanitizeTransportError(err error) error {
	secrets := r.all()
	if err == nil || !chainHolds(err, secrets) {
		return stripURLQuery(err)
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: redactAll(withoutQuery(ue.URL), secrets, false), Err: r.sanitizeTransportError(ue.Err)}
	}
	msg := redactAll(err.Error(), secrets, false)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return &redactedError{msg: msg, err: r.sanitizeTransportError(u.Unwrap()), timeout: isTimeout(err)}
	case interface{ Unwrap() []error }:
		var errs []error
		for _, e := range u.Unwrap() {
			errs = append(errs, r.sanitizeTransportError(e))
		}
		return &redactedErrors{msg: msg, errs: errs}
	}
	return &redactedError{msg: msg, timeout: isTimeout(err)}
}

// chainHolds reports whether err or any error it wraps mentions a secret,
// in its message or in its fields (as %#v prints them).
func chainHolds(err error, secrets []string) bool {
	if err == nil {
		return false
	}
	for _, text := range [...]string{err.Error(), fmt.Sprintf("%#v", err)} {
		if redactAll(text, secrets, false) != text {
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return chainHolds(u.Unwrap(), secrets)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if chainHolds(e, secrets) {
				return true
			}
		}
	}
	return false
}

// stripURLQuery returns err with the query removed from the URL of a
// top-level *url.Error (the one http.Client returns), which carries the
// AccessKeyId.
func stripURLQuery(err error) error {
	if ue, ok := err.(*url.Error); ok && strings.ContainsAny(ue.URL, "?#") {
		return &url.Error{Op: ue.Op, URL: withoutQuery(ue.URL), Err: ue.Err}
	}
	return err
}

// withoutQuery cuts a URL at its query or fragment.
func withoutQuery(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// isTimeout reports whether err says it is a timeout (net.Error).
func isTimeout(err error) bool {
	t, ok := err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

// redactedError stands for an error whose message held a secret: the
// redacted message, and the redacted copy of what it wrapped.
type redactedError struct {
	msg     string
	err     error
	timeout bool
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Timeout keeps the timeout property of the error it stands for.
func (e *redactedError) Timeout() bool { return e.timeout }

// redactedErrors is redactedError for an error that wraps several.
type redactedErrors struct {
	msg  string
	errs []error
}

func (e *redactedErrors) Error() string   { return e.msg }
func (e *redactedErrors) Unwrap() []error { return e.errs }

// errPrefix begins every message of an error the SDK builds.
const errPrefix = "dyvms: "

// errorf builds a plain error with the dyvms prefix.
func errorf(format string, args ...any) error {
	return fmt.Errorf(errPrefix+format, args...)
}

// prefixed returns "dyvms: action: detail", or "dyvms: detail" without an
// action: the one place an error message gets its prefix.
func prefixed(action, detail string) string {
	if action == "" {
		return errPrefix + detail
	}
	return errPrefix + action + ": " + detail
}

// detailer is an error of this package that can give its message without
// the prefix, so that an error wrapping it for the same Action builds its
// own message once instead of repeating "dyvms: Action: ".
type detailer interface{ detail() string }

// errorDetail returns err's message without the "dyvms: Action: " prefix
// when err is one of the SDK's Action errors, else err.Error().
func errorDetail(err error) string {
	if d, ok := err.(detailer); ok {
		return d.detail()
	}
	return err.Error()
}
