package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// urlCarrier is a middleware's error that keeps the request URL in a
// field and says nothing of it in its message.
type urlCarrier struct {
	URL string
	Err error
}

func (e *urlCarrier) Error() string { return "carrier failed" }
func (e *urlCarrier) Unwrap() error { return e.Err }

// walkChain visits err and every error it wraps, single or joined.
func walkChain(err error, visit func(error)) {
	if err == nil {
		return
	}
	visit(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walkChain(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walkChain(e, visit)
		}
	}
}

// TestErrorChainRedacted: a middleware or transport error that holds the
// signed URL, at any depth of its chain, reaches the caller redacted at
// every depth of errors.Unwrap, while errors.Is and errors.As still find
// the causes that hold no secret.
func TestErrorChainRedacted(t *testing.T) {
	cause := &net.OpError{Op: "read", Net: "tcp", Err: context.DeadlineExceeded}
	mws := map[string]func(r *http.Request) error{
		"wrapped": func(r *http.Request) error { return fmt.Errorf("sending %s: %w", r.URL, cause) },
		"deep": func(r *http.Request) error {
			return fmt.Errorf("outer: %w", fmt.Errorf("mid: %w", fmt.Errorf("inner %s: %w", r.URL.RawQuery, cause)))
		},
		"field":    func(r *http.Request) error { return &urlCarrier{URL: r.URL.String(), Err: cause} },
		"joined":   func(r *http.Request) error { return errors.Join(cause, errors.New("query "+r.URL.RawQuery)) },
		"urlError": func(r *http.Request) error { return &url.Error{Op: "Post", URL: r.URL.String(), Err: cause} },
		"escaped": func(r *http.Request) error {
			return fmt.Errorf("sending %q: %w", url.QueryEscape(r.URL.String()), cause)
		},
	}
	// The transport that sends sees the signed request (a middleware sees
	// it sealed) and fails with it in its error; with a middleware above
	// it the error passes the seal too.
	passThrough := func(next http.RoundTripper) http.RoundTripper { return next }
	for key, fail := range mws {
		for _, underMiddleware := range []bool{false, true} {
			name := key
			var sig string
			send := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sig = r.URL.Query().Get("Signature")
				return nil, fail(r)
			})
			opts := []Option{WithHTTPClient(&http.Client{Transport: send}), WithNoRetries()}
			if underMiddleware {
				name += " under a middleware"
				opts = append(opts, WithMiddleware(passThrough))
			}
			assertChainRedacted(t, name, newRelClient(t, "http://127.0.0.1:1", opts...), &sig)
		}
	}
}

// assertChainRedacted makes one call with c, which fails below every
// middleware with the signed request in its error, and checks every error
// of the chain for *sig, the signature that request carried.
func assertChainRedacted(t *testing.T, name string, c *Client, sig *string) {
	t.Helper()
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: 11000000300006, QueryDate: fixedTime})
	require.Error(t, err, name)
	require.NotEmpty(t, *sig, name)
	require.NotEqual(t, "REDACTED", *sig, name)
	depth := 0
	walkChain(err, func(e error) {
		depth++
		relAssertNoLeak(t, name+" Error()", e.Error(), *sig)
		relAssertNoLeak(t, name+" %#v", fmt.Sprintf("%#v", e), *sig)
		relAssertNoLeak(t, name+" %+v", fmt.Sprintf("%+v", e), *sig)
	})
	require.Greater(t, depth, 2, name)
	require.ErrorIs(t, err, context.DeadlineExceeded, name)
	var op *net.OpError
	require.True(t, errors.As(err, &op), name)
	var te *TransportError
	require.True(t, errors.As(err, &te), name)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
