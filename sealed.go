package dyvms

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// With middleware (WithMiddleware) the request of an attempt is sealed:
// the request the middleware chain sees carries redactedValue where the
// Signature and the SecurityToken go (V2: query parameters; V3: the
// Authorization header's Signature and the x-acs-security-token header).
// The real values ride in the request's context under an unexported key,
// and unsealTransport, the innermost RoundTripper (below every middleware,
// right above the transport that sends), puts them back. On the way up it
// redacts what the service's answer may echo (a Location header, an error
// body quoting its string to sign) and any error of the transport below.
// Without middleware nothing is sealed: nothing but the SDK and the
// sending transport sees the request.

// redactedValue stands for a secret in a request a middleware sees.
const redactedValue = "REDACTED"

// sealedKey is the context key of an attempt's *sealedAttempt.
type sealedKey struct{}

// sealedAttempt holds the secrets of one attempt's request and what
// unsealTransport needs to redact the answer.
type sealedAttempt struct {
	// query holds, for each query parameter shown as redactedValue, its
	// name and real escaped value.
	query []param
	// header holds, for each header shown redacted, its canonical name, the
	// value shown and the real value.
	header []sealedHeader
	red    redactor
	// maxBody bounds how much of a response body is read to redact it.
	maxBody int64
}

type sealedHeader struct{ name, shown, real string }

// String and GoString keep the secrets out of a printed context.
func (s *sealedAttempt) String() string   { return "dyvms.sealed" }
func (s *sealedAttempt) GoString() string { return "dyvms.sealed" }

// redactError returns err without the attempt's secrets, in its message
// and its chain.
func (s *sealedAttempt) redactError(err error) error { return s.red.sanitizeTransportError(err) }

// newSealedAttempt returns an empty seal and ctx carrying it; seal fills it
// once the request is signed.
func newSealedAttempt(ctx context.Context, red redactor, maxBody int64) (context.Context, *sealedAttempt) {
	s := &sealedAttempt{red: red, maxBody: maxBody}
	return context.WithValue(ctx, sealedKey{}, s), s
}

// seal replaces the secrets in req, a request the SDK has just built and
// signed, by redactedValue, and keeps the real values in s. red redacts
// the attempt's secrets, its signature included.
func (s *sealedAttempt) seal(req *http.Request, red redactor) {
	s.red = red
	if q := req.URL.RawQuery; q != "" {
		req.URL.RawQuery = s.sealQuery(q)
	}
	if v := req.Header.Get("Authorization"); v != "" {
		if i := strings.LastIndex(v, "Signature="); i >= 0 {
			s.sealHeader(req.Header, "Authorization", v[:i]+"Signature="+redactedValue)
		}
	}
	if req.Header.Get("X-Acs-Security-Token") != "" {
		s.sealHeader(req.Header, "X-Acs-Security-Token", redactedValue)
	}
}

// sealQuery returns q with the values of Signature and SecurityToken
// replaced by redactedValue, and keeps them.
func (s *sealedAttempt) sealQuery(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	for i, pair := range strings.Split(q, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		key, value, _ := strings.Cut(pair, "=")
		if key == "Signature" || key == "SecurityToken" {
			s.query = append(s.query, param{key, value})
			pair = key + "=" + redactedValue
		}
		b.WriteString(pair)
	}
	return b.String()
}

func (s *sealedAttempt) sealHeader(h http.Header, name, shown string) {
	s.header = append(s.header, sealedHeader{name, shown, h.Get(name)})
	h[name] = []string{shown}
}

// unseal returns the request to send: r with the real values back where r
// still shows redactedValue. r itself is left as it is.
func (s *sealedAttempt) unseal(r *http.Request) *http.Request {
	out := r.Clone(r.Context())
	if len(s.query) > 0 {
		out.URL.RawQuery = s.unsealQuery(out.URL.RawQuery)
	}
	for _, h := range s.header {
		if vs := out.Header[h.name]; len(vs) == 1 && vs[0] == h.shown {
			out.Header[h.name] = []string{h.real}
		}
	}
	return out
}

func (s *sealedAttempt) unsealQuery(q string) string {
	pairs := strings.Split(q, "&")
	for i, pair := range pairs {
		key, value, _ := strings.Cut(pair, "=")
		if value != redactedValue {
			continue
		}
		for _, p := range s.query {
			if p.key == key {
				pairs[i] = key + "=" + p.value
			}
		}
	}
	return strings.Join(pairs, "&")
}

// unsealTransport is the innermost RoundTripper of a client with
// middleware: it sends the unsealed request through next and hands back an
// answer and an error that hold none of the attempt's secrets.
type unsealTransport struct{ next http.RoundTripper }

func (t unsealTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s, _ := r.Context().Value(sealedKey{}).(*sealedAttempt)
	if s == nil {
		return t.next.RoundTrip(r)
	}
	resp, err := t.next.RoundTrip(s.unseal(r))
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, s.redactError(err)
	}
	return s.redactResponse(resp, r), nil
}

// redactResponse returns resp with the secrets redacted from its headers
// and body, and r, the request as the middleware sent it, as its Request.
// The body is read here, at most maxBody+1 bytes (the client refuses a
// longer one anyway); a read error is kept for the reader, redacted.
func (s *sealedAttempt) redactResponse(resp *http.Response, r *http.Request) *http.Response {
	out := new(http.Response)
	*out = *resp
	out.Request = r
	out.Header = make(http.Header, len(resp.Header))
	for name, vs := range resp.Header {
		red := make([]string, len(vs))
		for i, v := range vs {
			red[i] = s.red.redact(v)
		}
		out.Header[name] = red
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		return out
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.maxBody+1))
	resp.Body.Close()
	if red := s.red.redact(string(body)); red != string(body) {
		body = []byte(red)
		out.Header.Del("Content-Length")
	}
	if err != nil {
		err = s.redactError(err)
		out.ContentLength = -1
	} else {
		out.ContentLength = int64(len(body))
		if out.Header.Get("Content-Length") != "" {
			out.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	out.Body = &redactedBody{Reader: bytes.NewReader(body), err: err}
	return out
}

// redactedBody is a response body already read and redacted; err, if set,
// is returned after its bytes, as the original body returned it.
type redactedBody struct {
	*bytes.Reader
	err error
}

func (b *redactedBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF && b.err != nil {
		return n, b.err
	}
	return n, err
}

func (b *redactedBody) Close() error { return nil }
