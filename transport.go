package dyvms

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// formContentType is the Content-Type of every request body.
var formContentType = []string{"application/x-www-form-urlencoded"}

// newTransport is the client's own transport (never
// http.DefaultTransport, which other code may change): proxies from the
// environment, the dial bounded by connect and the TLS handshake by twice
// that.
func newTransport(connect time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 2 * connect
	t.MaxIdleConnsPerHost = 64
	return t
}

// parseEndpoint checks an endpoint URL and returns it as scheme://host[:port].
func parseEndpoint(raw string, allowHTTP bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errorf("invalid endpoint %q: %v", raw, err)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", errorf("invalid endpoint %q: want scheme://host[:port]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP && !isLoopback(u.Hostname()) {
			return "", errorf("endpoint %q is plain http on a non-loopback host; use https, or WithAllowHTTP", raw)
		}
	default:
		return "", errorf("invalid endpoint %q: scheme must be https or http", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// isLoopback reports whether host is a literal loopback IP or "localhost".
// Other names, *.localhost included, resolve through DNS and may lead
// anywhere.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// connTrace records whether the transport asked for a connection and got
// one. A request that asked and never got one was provably not written
// (DNS failure, connection refused, TLS handshake failure, dial timeout).
// A transport that reports nothing (a test double, a custom RoundTripper)
// proves nothing, so its requests count as possibly sent.
//
// It also counts the complete writes of the request: more than one means
// the transport sent it again below the SDK (HTTP/2 replays a request
// after a refused stream or a GOAWAY; a user's RoundTripper may retry),
// so an answer may come from a later copy while an earlier one ran.
type connTrace struct {
	getConn, gotConn atomic.Bool
	writes           atomic.Int32
}

func (t *connTrace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) { t.getConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { t.gotConn.Store(true) },
		WroteRequest: func(w httptrace.WroteRequestInfo) {
			if w.Err == nil {
				t.writes.Add(1)
			}
		},
	}
}

// resent reports whether the transport wrote the request more than once.
func (t *connTrace) resent() bool { return t.writes.Load() > 1 }

// maybeSent reports whether any byte of the request may have been written.
func (t *connTrace) maybeSent() bool {
	return !t.getConn.Load() || t.gotConn.Load()
}

// readBody reads a response body, at most max bytes.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= max {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("reading response body: %w", err)
		}
		return buf, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, 512))
	read, err := buf.ReadFrom(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading response body: %w", err)
	}
	if read > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
	}
	return buf.Bytes(), nil
}
