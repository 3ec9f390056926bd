package dyvms

import (
	"context"
	"net/http"
)

// Middleware wraps the http.RoundTripper that sends every attempt, for
// tracing, metrics or request inspection without a tracing dependency in
// the SDK. The request's context carries an AttemptInfo.
//
// A middleware never sees a secret: in the request it is handed, the
// Signature and SecurityToken query parameters (and, signed with V3, the
// Signature in the Authorization header and the x-acs-security-token
// header) read "REDACTED", so r.URL.String() and the headers may be
// recorded as they are. The SDK puts the real values back below the last
// middleware, right before the transport that sends (the http.Client
// given with WithHTTPClient, whose transport does see them). On the way
// back, secrets the answer may echo (a Location header, an error message
// quoting the string to sign) are redacted from the response's headers and
// body, the response's Request is the request the middleware sent, and
// errors from below are redacted too. An answer that carries credentials
// (QueryTokenForMnsQueue's AccessKeySecret and SecurityToken) reads
// REDACTED there as well; the SDK decodes the real one. The receipt queue
// consumer's MNS requests are sealed the same way (the signature in
// Authorization, the security-token header). A middleware passes the REDACTED
// values on unchanged and keeps the request's context (a context derived
// from r.Context() is fine): the real values are found through it.
type Middleware func(next http.RoundTripper) http.RoundTripper

// AttemptInfo identifies one attempt of a call, for middleware.
type AttemptInfo struct {
	// Action is the API Action being called.
	Action string
	// Attempt is 1 for the first attempt, 2 for the first retry, ...
	Attempt int
}

type attemptInfoKey struct{}

// withAttemptInfo returns ctx carrying ai, for AttemptInfoFromContext.
func withAttemptInfo(ctx context.Context, ai AttemptInfo) context.Context {
	return context.WithValue(ctx, attemptInfoKey{}, ai)
}

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
func wrapHTTPClient(hc *http.Client, mw []Middleware, seal *sealing) *http.Client {
	var rt http.RoundTripper = delegateTransport{hc}
	if seal != nil {
		rt = seal.wrap(rt)
	}
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
