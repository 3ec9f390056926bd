package dyvms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/token"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pushAsync serves one push in a goroutine; the channel gets its status.
func pushAsync(h http.Handler, body string) <-chan int {
	out := make(chan int, 1)
	go func() {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		out <- w.Code
	}()
	return out
}

// A re-push that overlaps a delivery still running is never acknowledged
// ahead of it: it waits, and is refused when that delivery fails, so the
// receipts come again and are delivered.
func TestReceiptOverlappingDuplicateWaitsForDelivery(t *testing.T) {
	for _, firstOK := range []bool{false, true} {
		name := map[bool]string{false: "first delivery fails", true: "first delivery succeeds"}[firstOK]
		t.Run(name, func(t *testing.T) {
			entered, release := make(chan struct{}), make(chan struct{})
			var calls atomic.Int32
			var mu sync.Mutex
			var delivered []string
			h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
				if calls.Add(1) == 1 {
					close(entered)
					<-release
					if !firstOK {
						return errors.New("database down")
					}
				}
				mu.Lock()
				defer mu.Unlock()
				for _, r := range rs {
					delivered = append(delivered, r.CallID())
				}
				return nil
			}, WithReceiptTypes(ReceiptVoiceReport), WithReceiptTimeout(5*time.Second))
			defer h.Close()
			var once sync.Once
			unblock := func() { once.Do(func() { close(release) }) }
			defer unblock()

			body := `[{"call_id":"1^1","status_code":"200000"}]`
			first := pushAsync(h, body)
			<-entered
			second := pushAsync(h, body)
			select {
			case code := <-second:
				t.Fatalf("the overlapping re-push was answered %d while the first delivery was still running", code)
			case <-time.After(50 * time.Millisecond):
			}
			unblock()
			if !firstOK {
				assert.Equal(t, http.StatusInternalServerError, <-first)
				assert.Equal(t, http.StatusServiceUnavailable, <-second, "refused: the receipts were not delivered")
				assert.Empty(t, delivered)
				// The service pushes again: now they are delivered.
				assert.Equal(t, http.StatusOK, <-pushAsync(h, body))
				assert.Equal(t, []string{"1^1"}, delivered)
				return
			}
			assert.Equal(t, http.StatusOK, <-first)
			assert.Equal(t, http.StatusOK, <-second, "acknowledged once the first delivery succeeded")
			assert.Equal(t, int32(1), calls.Load(), "delivered once")
			assert.Equal(t, []string{"1^1"}, delivered)
		})
	}
}

// A push overlapping another for part of its receipts delivers its own and
// waits for the rest; neither push waits for the other in a cycle.
func TestReceiptPartlyOverlappingPushes(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		for _, r := range rs {
			got[r.CallID()]++
		}
		return nil
	}, WithReceiptTypes(ReceiptVoiceReport))
	defer h.Close()
	a := pushAsync(h, `[{"call_id":"1"},{"call_id":"2"}]`)
	b := pushAsync(h, `[{"call_id":"2"},{"call_id":"1"},{"call_id":"3"}]`)
	assert.Equal(t, http.StatusOK, <-a)
	assert.Equal(t, http.StatusOK, <-b)
	assert.Equal(t, map[string]int{"1": 1, "2": 1, "3": 1}, got)
}

// Async Shutdown past its deadline drops acknowledged batches: every
// dropped receipt is logged (no phone number), even with no logger or
// error handler configured, and counted.
func TestReceiptAsyncShutdownDropsAreLoggedAndCounted(t *testing.T) {
	var logs syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)

	started := make(chan struct{}, 1)
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}, WithReceiptAsync(1, 8), WithReceiptTypes(ReceiptVoiceReport))
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"1^1","callee":"13900001111"}]`).Code)
	<-started
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"2^1","callee":"13900002222"}]`).Code)
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"3^1","callee":"13900003333"},{"call_id":"4^1"}]`).Code)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, h.Shutdown(ctx), context.DeadlineExceeded)

	out := logs.String()
	for _, id := range []string{"2^1", "3^1", "4^1"} {
		assert.Contains(t, out, "dropped", "each dropped receipt is logged")
		assert.Contains(t, out, "call_id="+id)
	}
	assert.Contains(t, out, "call_id=1^1", "the running batch failed after its acknowledgement: logged too")
	for _, phone := range []string{"13900001111", "13900002222", "13900003333"} {
		assert.NotContains(t, out, phone)
	}
	st := h.Stats()
	assert.Equal(t, uint64(3), st.Dropped)
	assert.Equal(t, uint64(1), st.Failed)
	assert.Zero(t, st.Delivered)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A panic in the error handler is contained like a panic of the function,
// in both modes.
func TestReceiptErrorHandlerPanicContained(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	onError := func(ctx context.Context, rs []Receipt, err error) { panic("handler bug for 13900001234") }
	fail := func(ctx context.Context, rs []Receipt) error { return errors.New("nope") }

	h := NewReceiptHandler(fail, WithReceiptErrorHandler(onError), WithReceiptLogger(logger))
	assert.Equal(t, http.StatusInternalServerError, pushReceipts(t, h, "/", sampleVoiceReport).Code)
	require.NoError(t, h.Close())

	a := NewReceiptHandler(fail, WithReceiptAsync(1, 4), WithReceiptErrorHandler(onError), WithReceiptLogger(logger))
	assert.Equal(t, http.StatusOK, pushReceipts(t, a, "/", sampleVoiceReport).Code)
	require.NoError(t, a.Close()) // the worker survived to drain the queue and stop
	assert.Equal(t, uint64(1), a.Stats().Failed)
	assert.Contains(t, logs.String(), "error handler panicked")
	assert.NotContains(t, logs.String(), "13900001234")
}

// The zero MemoryDeduper is ready to use.
func TestReceiptZeroMemoryDeduper(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithReceiptDeduper(&MemoryDeduper{}))
	defer h.Close()
	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/", sampleVoiceReport).Code)
	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/", sampleVoiceReport).Code)
	assert.Equal(t, 1, rec.calls())
}

// Remembering delivered receipts costs a bounded size per receipt, however
// large its fields.
func TestReceiptDedupMemoryBoundedInBytes(t *testing.T) {
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error { return nil }, WithReceiptTypes(ReceiptVoiceReport))
	defer h.Close()
	big := strings.Repeat("7", 1_000_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 20; i++ {
		body := `[{"call_id":"` + big + string(rune('a'+i)) + `","status_code":"200000"}]`
		require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", body).Code)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, grown, int64(4<<20), "20 receipts with 1 MB call IDs must not keep 20 MB alive")
	runtime.KeepAlive(h)
}

// Keys differing only in invalid UTF-8 bytes, or in where a field ends, are
// different keys.
func TestReceiptKeysDoNotCollide(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithReceiptTypes(ReceiptVoiceCallReport))
	defer h.Close()
	for _, body := range []string{
		"[{\"call_id\":\"a\xff\",\"status_code\":\"200000\"}]",
		"[{\"call_id\":\"a\xfe\",\"status_code\":\"200000\"}]",
		"[{\"call_id\":\"a\xc3\",\"status_code\":\"200000\"}]",
		`[{"call_id":"1|2","status_code":"3","status_time":"","dtmf":""}]`,
		`[{"call_id":"1","status_code":"2|3","status_time":"","dtmf":""}]`,
	} {
		require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", body).Code)
	}
	assert.Len(t, rec.receipts(), 5, "five different receipts, five deliveries")

	rs, err := ParseReceipts([]byte("[{\"call_id\":\"a\xff\"},{\"call_id\":\"a\xfe\"},{\"call_id\":\"a\ufffd\"}]"), ReceiptVoiceReport)
	require.NoError(t, err)
	assert.NotEqual(t, rs[0].DedupKey(), rs[1].DedupKey())
	assert.NotEqual(t, rs[0].DedupKey(), rs[2].DedupKey())
	assert.Equal(t, "a\xff", rs[0].CallID(), "kept byte for byte")
}

// rawPost sends a POST whose body stops after part of its Content-Length,
// and returns the status line the server answers (or the read error).
func rawPost(t *testing.T, addr string, partial string, wait time.Duration) (string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /r HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + partial))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	return bufio.NewReader(conn).ReadString('\n')
}

// A push that stalls mid-body is answered 408 and lets go of the handler
// goroutine, though the server itself sets no ReadTimeout.
func TestReceiptStalledBodyTimesOut(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithReceiptReadTimeout(100*time.Millisecond))
	defer h.Close()
	srv := httptest.NewServer(h) // no ReadTimeout
	defer srv.Close()
	line, err := rawPost(t, srv.Listener.Addr().String(), `[{"call_id":"1^`, 5*time.Second)
	require.NoError(t, err, "the handler must answer a stalled push, not wait for ever")
	assert.Contains(t, line, "408")
	assert.Zero(t, rec.calls())
}

// The read deadline ends with the body: a function that takes longer than
// the read timeout still gets an intact context and its answer is 200.
func TestReceiptReadDeadlineLiftedAfterBody(t *testing.T) {
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		select {
		case <-time.After(250 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, WithReceiptReadTimeout(50*time.Millisecond))
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(sampleVoiceReport))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// noDeadlines hides the ResponseWriter's deadline support, as a middleware
// wrapper without Unwrap does.
type noDeadlines struct{ http.ResponseWriter }

// Without deadline support the handler works as before (the server's
// ReadTimeout is then the bound).
func TestReceiptReadDeadlineNotSupported(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(noDeadlines{w}, r)
	}))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(sampleVoiceReport))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, rec.calls())
}

// The README's receipts snippet is valid Go and checks RECEIPT_TOKEN before
// WithReceiptToken, which panics on an empty token.
func TestReadmeReceiptsSnippet(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Receipts\n")
	require.True(t, ok)
	_, block, ok := strings.Cut(section, "```go\n")
	require.True(t, ok)
	snippet, _, ok := strings.Cut(block, "```")
	require.True(t, ok)
	_, err = parser.ParseFile(token.NewFileSet(), "snippet.go", "package p\nfunc f() {\n"+snippet+"}\n", 0)
	require.NoError(t, err, "the snippet is valid Go")
	assert.NotContains(t, snippet, "WithReceiptToken(os.Getenv", "an unset variable would make NewReceiptHandler panic")
	check := strings.Index(snippet, `os.Getenv("RECEIPT_TOKEN")`)
	require.GreaterOrEqual(t, check, 0)
	assert.Less(t, strings.Index(snippet, "log.Fatal"), strings.Index(snippet, "NewReceiptHandler"), "the token is checked first")
}

// ParseReceipts does not keep its caller's buffer: Raw survives the buffer's
// reuse.
func TestParseReceiptsCopiesBody(t *testing.T) {
	body := []byte(`[{"call_id":"1^2","status_code":"200000"}]`)
	rs, err := ParseReceipts(body, ReceiptVoiceReport)
	require.NoError(t, err)
	for i := range body {
		body[i] = ' '
	}
	assert.JSONEq(t, `{"call_id":"1^2","status_code":"200000"}`, string(rs[0].Raw))
}
