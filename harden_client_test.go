package dyvms

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUserAgentControlCharsRefused: a User-Agent suffix with CR, LF or any
// control character is refused by NewClient instead of failing every call.
func TestUserAgentControlCharsRefused(t *testing.T) {
	for _, ua := range []string{"app/1\r\nX-Evil: 1", "app\n", "app\r", "a\x00b", "a\tb", "a\x7fb"} {
		_, err := NewClient(WithAccessKey("id", "secret"), WithUserAgent(ua))
		require.Error(t, err, "%q", ua)
		require.Contains(t, err.Error(), "WithUserAgent")
	}
	c, err := NewClient(WithAccessKey("id", "secret"), WithUserAgent("myapp/1.2 (batch; 中文)"))
	require.NoError(t, err)
	require.Contains(t, c.uaHeader[0], "myapp/1.2 (batch; 中文)")
}

// TestPlainHTTPLoopbackOnlyLiteral: only literal loopback IPs and
// "localhost" may be plain http without WithAllowHTTP; *.localhost names
// resolve through DNS and do not count.
func TestPlainHTTPLoopbackOnlyLiteral(t *testing.T) {
	for _, ok := range []string{"http://localhost", "http://localhost:8080", "http://127.0.0.1:1", "http://127.9.9.9", "http://[::1]:80"} {
		_, err := NewClient(WithAccessKey("id", "secret"), WithEndpoint(ok))
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://evil.localhost", "http://a.b.localhost:80", "http://localhost.evil.com", "http://127.0.0.1.nip.io", "http://0x7f000001"} {
		_, err := NewClient(WithAccessKey("id", "secret"), WithEndpoint(bad))
		require.Error(t, err, bad)
		_, err = NewClient(WithAccessKey("id", "secret"), WithEndpoint(bad), WithAllowHTTP())
		require.NoError(t, err, bad)
	}
}

// TestNilClientAndNilContext: a nil *Client, a Client{} and an XxxAll
// iterator with a nil ctx return a clear error instead of panicking: the
// one the plain methods give.
func TestNilClientAndNilContext(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]*Client{"nil": nil, "zero": {}} {
		_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "T"})
		require.ErrorIs(t, err, ErrNilClient, name)
		require.ErrorIs(t, c.Do(ctx, "SingleCallByTts", nil, nil), ErrNilClient, name)
		n := 0
		for _, err := range c.ListCallTaskAll(ctx, nil) {
			n++
			require.ErrorIs(t, err, ErrNilClient, name)
		}
		require.Equal(t, 1, n, name)
		require.Equal(t, "", c.Endpoint())
	}
	rec := newRecorder(t, replyBody(200, "application/json", `{"RequestId":"r","Code":"200","Data":[],"Total":0}`))
	c := newTestClient(t, rec.srv.URL)
	//lint:ignore SA1012 a nil context on purpose
	_, plainErr := c.ListCallTask(nil, &ListCallTaskRequest{})
	require.Error(t, plainErr)
	n := 0
	//lint:ignore SA1012 a nil context on purpose
	for _, err := range c.ListCallTaskAll(nil, &ListCallTaskRequest{}) {
		n++
		require.EqualError(t, err, plainErr.Error())
		require.False(t, errors.Is(err, ErrNilClient))
	}
	require.Equal(t, 1, n)
	require.Empty(t, rec.requests())
	require.True(t, strings.Contains(plainErr.Error(), "nil context"))
}

// TestSuccessLoggedAtDebug: a successful attempt is a Debug record, so a
// logger at Info level records failures only.
func TestSuccessLoggedAtDebug(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			relFail(w, 400, "Throttling.User", nil)
			return
		}
		relOK(w, r)
	})
	var buf strings.Builder
	var mu sync.Mutex
	l := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelInfo}))
	c := newRelClient(t, srv.URL, WithLogger(l))
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: 11000000300006, QueryDate: fixedTime})
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 1, buf.String())
	require.Contains(t, lines[0], "level=WARN")
	require.Contains(t, lines[0], "attempt=1")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
