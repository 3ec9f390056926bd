package dyvms

import (
	"context"
	"errors"
	"time"
)

// Hooks observe every call a Client makes, once per call and once per
// attempt, for metrics, tracing or audit. Every field is optional. A hook
// runs on the caller's goroutine and delays the call while it runs; it
// must not keep the context past its return.
//
// Nothing a hook receives holds the AccessKeySecret, a Signature or a
// SecurityToken: errors are the redacted errors the call returns, and a
// middleware that finds the call's context in a request sees sealed
// secrets only (see Middleware).
type Hooks struct {
	// CallStart runs when a call begins, before its request is validated.
	// The context it returns (derived from ctx, or ctx itself) is the
	// call's from then on: each attempt's request carries it (a
	// middleware finds it in r.Context()) and Attempt and Call receive it.
	CallStart func(ctx context.Context, action string) context.Context
	// Attempt runs after each attempt, with what it left.
	Attempt func(ctx context.Context, a AttemptRecord)
	// Call runs once when the call ends, with its outcome.
	Call func(ctx context.Context, c CallInfo)
}

// AttemptRecord describes one attempt of a call, for Hooks.Attempt.
type AttemptRecord struct {
	// AttemptInfo names the Action and the attempt number, as a middleware
	// sees them.
	AttemptInfo
	// Start is when the attempt began.
	Start time.Time
	// Duration is how long the attempt took, up to its decoded answer or
	// its error.
	Duration time.Duration
	// HTTPStatus is the answer's status, 0 when there was no answer.
	HTTPStatus int
	// Code is the service's Code, when it answered with one.
	Code string
	// RequestID is the service's RequestId, when it answered with one.
	RequestID string
	// Err is the attempt's error (nil on success), redacted.
	Err error
	// Retry says whether the client will try again.
	Retry bool
	// Backoff is the pause before the next attempt, when Retry.
	Backoff time.Duration
	// Ambiguous says that the request may have been executed and the
	// call ends with an ErrAmbiguous.
	Ambiguous bool
}

// CallInfo describes one finished call, for Hooks.Call.
type CallInfo struct {
	// Action is the API Action called.
	Action string
	// OutID is the request's OutId, "" for an Action without one.
	OutID string
	// Attempts is how many attempts were made: 0 when the call ended
	// before any (an invalid request, no credentials, a done context).
	Attempts int
	// Start is when the call began.
	Start time.Time
	// Duration is how long the call took in all, pauses between attempts
	// included.
	Duration time.Duration
	// HTTPStatus is the last attempt's HTTP status, 0 without an answer.
	HTTPStatus int
	// Code is the service's Code in the last answer, "" without one.
	Code string
	// RequestID is the RequestId of the last answer, "" without one.
	RequestID string
	// Ambiguous says the outcome is unknown: errors.Is(Err, ErrAmbiguous).
	Ambiguous bool
	// Err is the error the call returns (nil on success), redacted.
	Err error
}

// hooking is how a client with hooks runs its calls and logs its
// attempts. Only WithHooks refers to it, so a program without hooks does
// not link them.
type hooking struct {
	call   func(ctx context.Context, hooks []Hooks, action string, invoke func(context.Context) error) error
	logger func(log attemptLogger, hooks []Hooks) attemptLogger
}

// withHooking is the hooking of every client with hooks.
var withHooking = &hooking{call: callHooked, logger: hookedAttemptLogger}

// callHooked runs invoke, one call of action, between the call's hooks:
// the CallStart hooks first, the Call hooks with its outcome last.
func callHooked(ctx context.Context, hooks []Hooks, action string, invoke func(context.Context) error) error {
	start := time.Now()
	hctx := ctx
	for _, h := range hooks {
		if h.CallStart != nil {
			if next := h.CallStart(hctx, action); next != nil {
				hctx = next
			}
		}
	}
	t := &callTrack{hookCtx: hctx}
	err := invoke(context.WithValue(hctx, callTrackKey{}, t))
	info := CallInfo{
		Action: action, OutID: t.outID, Attempts: t.n, Start: start, Duration: time.Since(start),
		HTTPStatus: t.last.HTTPStatus, Code: t.last.Code, RequestID: t.last.RequestID,
		Ambiguous: errors.Is(err, ErrAmbiguous), Err: err,
	}
	for _, h := range hooks {
		if h.Call != nil {
			h.Call(hctx, info)
		}
	}
	return err
}

// callTrack is what a hooked call gathers from its attempts. It rides in
// the call's context so that the attempt logger finds it.
type callTrack struct {
	claimed bool // the call's invoke has started
	hookCtx context.Context
	last    AttemptRecord
	n       int
	outID   string
}

type callTrackKey struct{}

// claimCall reports whether ctx is the context invokeHooked prepared for
// this call, and marks it used so that a nested call with the same context
// gets hooks of its own.
func claimCall(ctx context.Context) bool {
	t, _ := ctx.Value(callTrackKey{}).(*callTrack)
	if t == nil || t.claimed {
		return false
	}
	t.claimed = true
	return true
}

// hookedAttemptLogger returns the attempt logger of a client with hooks:
// it records each attempt for the call's CallInfo, runs the Attempt hooks,
// then logs as log does (log may be nil).
func hookedAttemptLogger(log attemptLogger, hooks []Hooks) attemptLogger {
	if len(hooks) == 0 {
		return log
	}
	return func(ctx context.Context, red redactor, a attemptRecord) {
		if log != nil {
			log(ctx, red, a)
		}
		t, _ := ctx.Value(callTrackKey{}).(*callTrack)
		if t == nil {
			return
		}
		rec := AttemptRecord{
			AttemptInfo: AttemptInfo{Action: a.action, Attempt: a.attempt},
			Start:       time.Now().Add(-a.latency), Duration: a.latency,
			HTTPStatus: a.status, Code: red.redact(a.code), RequestID: red.redact(a.requestID),
			Err: a.err, Retry: a.retry, Backoff: a.backoff, Ambiguous: a.outcome == ambiguous,
		}
		t.last, t.n, t.outID = rec, a.attempt, a.outID
		for _, h := range hooks {
			if h.Attempt != nil {
				h.Attempt(t.hookCtx, rec)
			}
		}
	}
}
