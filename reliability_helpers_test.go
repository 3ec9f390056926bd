package dyvms

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Test secrets: long and distinctive, so a leak is easy to find.
const (
	relKeyID  = "LTAI5tRelTestKeyId0001"
	relSecret = "relSecretMustNeverAppear0123456789"
	relToken  = "relStsTokenMustNeverAppearCAIS0123456789abcdef"
)

// relRequest is one request a relServer received.
type relRequest struct {
	Action    string
	Nonce     string
	Timestamp string
	Signature string
	Params    url.Values // query and form together, Signature excluded
	SigOK     bool       // the signature matches an independent recomputation with relSecret
}

// relServer is an httptest server that verifies and records every request
// and answers with the handler for the request's index (0-based).
type relServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []relRequest
}

type relHandler func(w http.ResponseWriter, r *http.Request, n int)

func newRelServer(t *testing.T, h relHandler) *relServer {
	t.Helper()
	s := &relServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", 400)
			return
		}
		all := url.Values{}
		for k, v := range r.Form {
			all[k] = v
		}
		sig := all.Get("Signature")
		all.Del("Signature")
		rr := relRequest{
			Action: all.Get("Action"), Nonce: all.Get("SignatureNonce"), Timestamp: all.Get("Timestamp"),
			Signature: sig, Params: all, SigOK: sig != "" && refSign(r.Method, firstValues(all), relSecret) == sig,
		}
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, rr)
		s.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *relServer) requests() []relRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]relRequest(nil), s.reqs...)
}

func (s *relServer) signatures() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.Signature)
	}
	return out
}

// relOK answers a success envelope for action.
func relOK(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(okBody(r.Form.Get("Action"), `"CallId":"116012354148^102813780001"`)))
}

// relFail answers an error envelope.
func relFail(w http.ResponseWriter, status int, code string, header map[string]string) {
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"RequestId":"REQ-ERR-1","HostId":"dyvmsapi.aliyuncs.com","Code":"` + code + `","Message":"failure ` + code + `"}`))
}

// relHangUp reads the request, then closes the connection without an
// answer: the request reached the server, the response is lost.
func relHangUp(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	require.True(t, ok)
	conn, _, err := hj.Hijack()
	require.NoError(t, err)
	_ = conn.Close()
}

// relSleeps replaces backoff sleeps: it records the pauses and
// returns at once (or the context's error).
type relSleeps struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *relSleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.delays = append(s.delays, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *relSleeps) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

// relLog captures a client's slog output.
type relLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *relLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *relLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *relLog) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// lines returns the captured records.
func (l *relLog) lines() []string {
	s := strings.TrimSpace(l.String())
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// newRelClient returns a client with the test credentials (and STS token)
// aimed at srv, with recorded sleeps unless opts override them.
func newRelClient(t *testing.T, endpoint string, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithEndpoint(endpoint),
		WithAccessKey(relKeyID, relSecret),
		WithSecurityToken(relToken),
		withRetryClock(func(n int64) int64 { return n / 2 }, (&relSleeps{}).sleep),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// relAssertNoLeak fails when text contains the secret, the token, or any of
// the signatures, raw or in any encoded form the redactor knows.
func relAssertNoLeak(t *testing.T, what, text string, signatures ...string) {
	t.Helper()
	secrets := append([]string{relSecret, relToken}, signatures...)
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, SpecialURLEncode(s), url.QueryEscape(s)} {
			if strings.Contains(text, form) {
				t.Errorf("%s leaks a secret (%.6s…): %s", what, s, text)
			}
		}
	}
}

// relClosedPort returns a loopback address nothing listens on.
func relClosedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
