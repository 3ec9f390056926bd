package dyvms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// With middleware (WithMiddleware) the request of an attempt is sealed:
// the request the middleware chain sees carries redactedValue where the
// Signature and the SecurityToken go (V2: query parameters; V3: the
// Authorization header's Signature and the x-acs-security-token header;
// the receipt queue's MNS requests: the Authorization's signature and the
// security-token header).
// The real values ride in the request's context under an unexported key,
// and unsealTransport, the innermost RoundTripper (below every middleware,
// right above the transport that sends), puts them back. On the way up it
// redacts what the service's answer may echo (a Location header, an error
// body quoting its string to sign) and any error of the transport below.
// An answer that carries credentials (QueryTokenForMnsQueue's temporary
// AccessKeySecret and SecurityToken) is shown with them redacted; the SDK
// decodes the real one, kept in the seal (realAnswer).
// Without middleware nothing is sealed: nothing but the SDK and the
// sending transport sees the request.

// redactedValue stands for a secret in a request a middleware sees.
const redactedValue = "REDACTED"

// attemptSeal is what an attempt needs of its seal: sealing the signed
// request and reading the real answer back.
type attemptSeal interface {
	seal(req *http.Request, red redactor)
	realAnswer(body []byte) []byte
}

// sealing is what WithMiddleware switches on: start gives an attempt its
// seal, wrap puts unsealTransport below the middleware. A client without
// middleware holds none, and a program that never calls WithMiddleware
// does not link the sealing code.
type sealing struct {
	start func(ctx context.Context, red redactor, maxBody int64) (context.Context, attemptSeal)
	wrap  func(next http.RoundTripper) http.RoundTripper
}

// withSealing is the sealing of every client with middleware.
var withSealing = &sealing{
	start: func(ctx context.Context, red redactor, maxBody int64) (context.Context, attemptSeal) {
		return newSealedAttempt(ctx, red, maxBody)
	},
	wrap: func(next http.RoundTripper) http.RoundTripper { return unsealTransport{next} },
}

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
	// answer is the answer's real body when the one shown to the
	// middleware had credentials redacted.
	answer []byte
}

type sealedHeader struct{ name, shown, real string }

// String and GoString keep the secrets out of a printed context.
func (s *sealedAttempt) String() string   { return "dyvms.sealed" }
func (s *sealedAttempt) GoString() string { return "dyvms.sealed" }

// redactError returns err without the attempt's secrets, in its message
// and at every depth of its chain: when an error it wraps still quotes a
// secret, the chain is cut above it and only its clean causes stay
// reachable for errors.Is and errors.As.
func (s *sealedAttempt) redactError(err error) error {
	if !s.holdsSecret(err) {
		return err
	}
	return &sealedError{msg: s.red.redact(err.Error()), causes: s.cleanCauses(err, nil)}
}

// holdsSecret reports whether err or an error it wraps quotes a secret.
func (s *sealedAttempt) holdsSecret(err error) bool {
	if msg := err.Error(); s.red.redact(msg) != msg {
		return true
	}
	for _, e := range unwrapAll(err) {
		if s.holdsSecret(e) {
			return true
		}
	}
	return false
}

// cleanCauses appends to dst the errors in err's chain that hold no
// secret, the highest of each branch.
func (s *sealedAttempt) cleanCauses(err error, dst []error) []error {
	if !s.holdsSecret(err) {
		return append(dst, err)
	}
	for _, e := range unwrapAll(err) {
		dst = s.cleanCauses(e, dst)
	}
	return dst
}

func unwrapAll(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return []error{e}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// sealedError is an error from below the middleware whose chain quoted a
// secret: its message is redacted and it wraps only the clean causes.
type sealedError struct {
	msg    string
	causes []error
}

func (e *sealedError) Error() string   { return e.msg }
func (e *sealedError) Unwrap() []error { return e.causes }

// Timeout reports whether a cause is a timeout, as net.Error does.
func (e *sealedError) Timeout() bool {
	for _, c := range e.causes {
		var t interface{ Timeout() bool }
		if errors.As(c, &t) && t.Timeout() {
			return true
		}
	}
	return false
}

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
		if i := strings.LastIndex(v, "Signature="); i >= 0 { // ACS3-HMAC-SHA256
			s.sealHeader(req.Header, "Authorization", v[:i]+"Signature="+redactedValue)
		} else if i := strings.LastIndexByte(v, ':'); strings.HasPrefix(v, "MNS ") && i >= 0 {
			s.sealHeader(req.Header, "Authorization", v[:i+1]+redactedValue)
		}
	}
	for _, name := range [...]string{"X-Acs-Security-Token", "Security-Token"} { // V3, MNS
		if req.Header.Get(name) != "" {
			s.sealHeader(req.Header, name, redactedValue)
		}
	}
}

// sealQuery returns q with the values of Signature and SecurityToken
// replaced by redactedValue, and keeps them.
func (s *sealedAttempt) sealQuery(q string) string {
	for _, key := range [...]string{"Signature", "SecurityToken"} {
		if i, j, ok := findParam(q, key); ok {
			s.query = append(s.query, param{key, q[i:j]})
			q = q[:i] + redactedValue + q[j:]
		}
	}
	return q
}

// findParam returns the bounds q[i:j] of the value of the first parameter
// named key in the raw query q.
func findParam(q, key string) (i, j int, ok bool) {
	for off := 0; off < len(q); {
		end := strings.IndexByte(q[off:], '&')
		if end < 0 {
			end = len(q)
		} else {
			end += off
		}
		pair := q[off:end]
		if len(pair) > len(key) && pair[len(key)] == '=' && pair[:len(key)] == key {
			return off + len(key) + 1, end, true
		}
		off = end + 1
	}
	return 0, 0, false
}

func (s *sealedAttempt) sealHeader(h http.Header, name, shown string) {
	s.header = append(s.header, sealedHeader{name, shown, h.Get(name)})
	h[name] = []string{shown}
}

// unseal returns the request to send: r with the real values back where r
// still shows redactedValue. r itself is left as it is.
func (s *sealedAttempt) unseal(r *http.Request) *http.Request {
	out := new(http.Request)
	*out = *r // as r.WithContext does
	if len(s.query) > 0 {
		u := *r.URL
		for _, p := range s.query {
			if i, j, ok := findParam(u.RawQuery, p.key); ok && u.RawQuery[i:j] == redactedValue {
				u.RawQuery = u.RawQuery[:i] + p.value + u.RawQuery[j:]
			}
		}
		out.URL = &u
	}
	if len(s.header) > 0 {
		out.Header = r.Header.Clone()
		for _, h := range s.header {
			if vs := out.Header[h.name]; len(vs) == 1 && vs[0] == h.shown {
				out.Header[h.name] = []string{h.real}
			}
		}
	}
	return out
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

// redactResponse returns resp, which the transport below handed to this
// attempt alone, with the secrets redacted from its headers and body, and
// r, the request as the middleware sent it, as its Request. The body is
// read here, at most maxBody+1 bytes (the client refuses a longer one
// anyway); a read error is kept for the reader, redacted.
func (s *sealedAttempt) redactResponse(resp *http.Response, r *http.Request) *http.Response {
	resp.Request = r
	s.redactHeader(resp.Header)
	if resp.Body == nil || resp.Body == http.NoBody {
		return resp
	}
	body, err := readAtMost(resp, s.maxBody+1)
	resp.Body.Close()
	if shown := s.hideCredentials(body); shown != nil {
		s.answer, body = body, shown
		resp.Header.Del("Content-Length")
	}
	if red := s.red.redact(string(body)); red != string(body) {
		body = []byte(red)
		resp.Header.Del("Content-Length")
	}
	if err != nil {
		err = s.redactError(err)
		resp.ContentLength = -1
	} else {
		resp.ContentLength = int64(len(body))
		if resp.Header.Get("Content-Length") != "" {
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	resp.Body = &redactedBody{Reader: bytes.NewReader(body), err: err}
	return resp
}

// credentialFields are the answer fields that hold credentials.
var credentialFields = [...]string{"AccessKeySecret", "SecurityToken"}

// hideCredentials returns body with the values of its credential fields
// (in JSON "Name":"value" or XML <Name>value</Name>) replaced by
// redactedValue, or nil when it has none.
func (s *sealedAttempt) hideCredentials(body []byte) []byte {
	var secrets []string
	for _, name := range credentialFields {
		for _, open := range [...]string{`"` + name + `":"`, "<" + name + ">"} {
			closing := `"`
			if open[0] == '<' {
				closing = "</" + name + ">"
			}
			for rest := body; ; {
				i := bytes.Index(rest, []byte(open))
				if i < 0 {
					break
				}
				rest = rest[i+len(open):]
				j := bytes.Index(rest, []byte(closing))
				if j < 0 {
					break
				}
				if j > 0 {
					secrets = append(secrets, string(rest[:j]))
				}
				rest = rest[j:]
			}
		}
	}
	if len(secrets) == 0 {
		return nil
	}
	shown := string(body)
	for _, sec := range secrets {
		shown = strings.ReplaceAll(shown, sec, redactedValue)
	}
	return []byte(shown)
}

// realAnswer returns the body the SDK decodes: the real one when the
// middleware was shown it with credentials hidden, else body, what came
// up through the middleware.
func (s *sealedAttempt) realAnswer(body []byte) []byte {
	if s.answer != nil {
		return s.answer
	}
	return body
}

// redactHeader redacts the secrets from every header value; it looks at
// them one by one only when they hold one at all.
func (s *sealedAttempt) redactHeader(h http.Header) {
	var all strings.Builder
	for _, vs := range h {
		for _, v := range vs {
			all.WriteString(v)
			all.WriteByte('\n')
		}
	}
	if joined := all.String(); s.red.redact(joined) == joined {
		return
	}
	for name, vs := range h {
		red := make([]string, len(vs))
		for i, v := range vs {
			red[i] = s.red.redact(v)
		}
		h[name] = red
	}
}

// readAtMost reads resp's body, at most limit bytes, into a buffer sized
// by its Content-Length when it has one.
func readAtMost(resp *http.Response, limit int64) ([]byte, error) {
	size := int64(512)
	if n := resp.ContentLength; n >= 0 && n < limit {
		size = n + 1 // room to see the end
	}
	buf := make([]byte, 0, size)
	lr := io.LimitReader(resp.Body, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
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
