package dyvms

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiptRecorder is a ReceiptFunc that records what it got.
type receiptRecorder struct {
	mu      sync.Mutex
	batches [][]Receipt
	err     error
}

func (r *receiptRecorder) fn(ctx context.Context, rs []Receipt) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, rs)
	return r.err
}

func (r *receiptRecorder) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.batches)
}

func (r *receiptRecorder) receipts() []Receipt {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Receipt
	for _, b := range r.batches {
		out = append(out, b...)
	}
	return out
}

func pushReceipts(t *testing.T, h http.Handler, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestReceiptHandlerAcksTypedBatch(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithReceiptTypes(ReceiptVoiceReport))
	defer h.Close()

	w := pushReceipts(t, h, "/receipts", sampleVoiceReport)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"code":0,"msg":"接收成功"}`, w.Body.String())
	assert.Equal(t, `{"code":0,"msg":"接收成功"}`, w.Body.String())
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))

	require.Equal(t, 1, rec.calls())
	rs := rec.receipts()
	require.Len(t, rs, 1)
	v, ok := rs[0].VoiceReport()
	require.True(t, ok)
	assert.Equal(t, "1000016165XX^1000018714XX", v.CallID)
	assert.True(t, v.Answered())
}

func TestReceiptHandlerMixedBatch(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()
	body := `[` + strings.Trim(sampleVoiceReport, "[]") + `,` + strings.Trim(sampleVoiceCallReport, "[]") + `]`
	w := pushReceipts(t, h, "/", body)
	require.Equal(t, http.StatusOK, w.Code)
	rs := rec.receipts()
	require.Len(t, rs, 2)
	assert.Equal(t, ReceiptVoiceReport, rs[0].Type)
	assert.Equal(t, ReceiptVoiceCallReport, rs[1].Type)
}

func TestReceiptHandlerMalformed(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()
	for _, body := range []string{``, `{`, `not json`, `[1,2]`, `"x"`, `[{"call_id":"1"},null]`} {
		w := pushReceipts(t, h, "/", body)
		assert.Equal(t, http.StatusBadRequest, w.Code, "%q", body)
	}
	assert.Zero(t, rec.calls())
}

func TestReceiptHandlerEmptyBatchNoCall(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()
	w := pushReceipts(t, h, "/", `[]`)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Zero(t, rec.calls())
}

func TestReceiptHandlerMethod(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodHead} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(m, "/", strings.NewReader(sampleVoiceReport)))
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
		assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
	}
	assert.Zero(t, rec.calls())
}

func TestReceiptHandlerErrorGives5xxAndRedelivers(t *testing.T) {
	rec := receiptRecorder{err: errors.New("database down")}
	var reported atomic.Int32
	h := NewReceiptHandler(rec.fn, WithReceiptErrorHandler(func(ctx context.Context, rs []Receipt, err error) {
		reported.Add(1)
	}))
	defer h.Close()

	w := pushReceipts(t, h, "/", sampleVoiceReport)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.NotContains(t, w.Body.String(), "database down", "the error text stays in the process")
	assert.Equal(t, int32(1), reported.Load())

	// The service pushes again: the failed receipt is delivered again.
	rec.mu.Lock()
	rec.err = nil
	rec.mu.Unlock()
	w = pushReceipts(t, h, "/", sampleVoiceReport)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 2, rec.calls())

	// A third push (a duplicate of a delivered batch) is acknowledged, not delivered.
	w = pushReceipts(t, h, "/", sampleVoiceReport)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 2, rec.calls())
}

func TestReceiptHandlerPanicGives5xx(t *testing.T) {
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error { panic("boom") })
	defer h.Close()
	w := pushReceipts(t, h, "/", sampleVoiceReport)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
}

func TestReceiptHandlerDuplicatesDeliveredOnce(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn)
	defer h.Close()

	// The same batch pushed twice, then re-merged with a new receipt.
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", sampleVoiceCallReport).Code)
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", sampleVoiceCallReport).Code)
	merged := `[{"call_id":"1XXX^1XXX","status_code":300000,"smart_status_code":"ANSWERED","dtmf":"1","status_time":"2023-03-06 16:21:12","out_id":"43XX"},
		{"call_id":"1XXX^1XXX","status_code":"200100","status_time":"2023-03-06 16:23:59","out_id":"43XX"}]`
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", merged).Code)

	require.Equal(t, 2, rec.calls())
	rs := rec.receipts()
	require.Len(t, rs, 2)
	assert.Equal(t, StatusDTMF, rs[0].StatusCode())
	assert.Equal(t, StatusCallEnded, rs[1].StatusCode())

	// Duplicates inside one batch.
	var rec2 receiptRecorder
	h2 := NewReceiptHandler(rec2.fn)
	defer h2.Close()
	dup := `[` + strings.Trim(sampleVoiceReport, "[]") + `,` + strings.Trim(sampleVoiceReport, "[]") + `]`
	require.Equal(t, http.StatusOK, pushReceipts(t, h2, "/", dup).Code)
	assert.Len(t, rec2.receipts(), 1)

	// Without a deduper every push is delivered.
	var rec3 receiptRecorder
	h3 := NewReceiptHandler(rec3.fn, WithReceiptDeduper(nil))
	defer h3.Close()
	pushReceipts(t, h3, "/", sampleVoiceReport)
	pushReceipts(t, h3, "/", sampleVoiceReport)
	assert.Equal(t, 2, rec3.calls())
}

func TestReceiptHandlerConcurrentDuplicates(t *testing.T) {
	var delivered sync.Map
	var dupes atomic.Int32
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		for _, r := range rs {
			if _, loaded := delivered.LoadOrStore(r.DedupKey(), true); loaded {
				dupes.Add(1)
			}
		}
		return nil
	})
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()

	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := fmt.Sprintf(`[{"call_id":"%d^1","status_code":"200000"},{"call_id":"%d^1","status_code":"200000"}]`, i%5, (i+1)%5)
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		}(i)
	}
	wg.Wait()
	assert.Zero(t, dupes.Load())
	n := 0
	delivered.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, 5, n)
}

func TestReceiptHandlerSizeBound(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithMaxReceiptBytes(64))
	defer h.Close()
	big := `[{"call_id":"1^2","status_msg":"` + strings.Repeat("x", 100) + `"}]`

	// With a Content-Length.
	w := pushReceipts(t, h, "/", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)

	// Without one (chunked): the read is cut off.
	req := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)

	// Just under the bound is fine.
	small := `[{"call_id":"1^2","status_code":"200000"}]`
	require.LessOrEqual(t, len(small), 64)
	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/", small).Code)
	assert.Equal(t, 1, rec.calls())

	// The default bound.
	h2 := NewReceiptHandler(rec.fn)
	defer h2.Close()
	huge := `[{"status_msg":"` + strings.Repeat("x", DefaultMaxReceiptBytes) + `"}]`
	assert.Equal(t, http.StatusRequestEntityTooLarge, pushReceipts(t, h2, "/", huge).Code)
	assert.Equal(t, 1, rec.calls())
}

func TestReceiptHandlerToken(t *testing.T) {
	var rec receiptRecorder
	h := NewReceiptHandler(rec.fn, WithReceiptToken("s3cr3t-t0ken"), WithReceiptDeduper(nil))
	defer h.Close()

	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/receipts?token=s3cr3t-t0ken", sampleVoiceReport).Code)
	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/receipts/s3cr3t-t0ken", sampleVoiceReport).Code)
	assert.Equal(t, 2, rec.calls())
	for _, target := range []string{"/receipts", "/receipts?token=wrong", "/receipts/s3cr3t", "/s3cr3t-t0ken/x", "/receipts?token="} {
		w := pushReceipts(t, h, target, sampleVoiceReport)
		assert.Equal(t, http.StatusForbidden, w.Code, target)
	}
	assert.Equal(t, 2, rec.calls())

	assert.Panics(t, func() { NewReceiptHandler(rec.fn, WithReceiptToken("")) })
	assert.Panics(t, func() { NewReceiptHandler(nil) })
}

func TestReceiptHandlerTimeout(t *testing.T) {
	var deadline time.Duration
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		d, ok := ctx.Deadline()
		require.True(t, ok)
		deadline = time.Until(d)
		return nil
	})
	defer h.Close()
	pushReceipts(t, h, "/", sampleVoiceReport)
	assert.Greater(t, deadline, time.Duration(0))
	assert.LessOrEqual(t, deadline, DefaultReceiptTimeout)

	// A function that overruns its deadline and returns ctx.Err() gets a re-push.
	h2 := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		<-ctx.Done()
		return ctx.Err()
	}, WithReceiptTimeout(20*time.Millisecond))
	defer h2.Close()
	assert.Equal(t, http.StatusInternalServerError, pushReceipts(t, h2, "/", sampleVoiceReport).Code)

	// No deadline.
	h3 := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		_, ok := ctx.Deadline()
		assert.False(t, ok)
		return nil
	}, WithReceiptTimeout(0))
	defer h3.Close()
	assert.Equal(t, http.StatusOK, pushReceipts(t, h3, "/", sampleVoiceReport).Code)
}

func TestReceiptHandlerNeverLogsPhoneNumbers(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	body := `[{"call_id":"1^2","status_code":"200000","caller":"057188880000","callee":"13900001234"}]`
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		v, _ := rs[0].VoiceReport()
		return fmt.Errorf("cannot store call to %s from %s", v.Callee, v.Caller)
	}, WithReceiptLogger(logger))
	defer h.Close()

	w := pushReceipts(t, h, "/", body)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	out := logs.String() + w.Body.String()
	assert.Contains(t, logs.String(), "receipt function failed")
	assert.NotContains(t, out, "13900001234")
	assert.NotContains(t, out, "057188880000")
	assert.Contains(t, logs.String(), "*******1234")

	// A panic value is masked the same way.
	logs.Reset()
	h2 := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error { panic("bad number 13900001234") }, WithReceiptLogger(logger))
	defer h2.Close()
	pushReceipts(t, h2, "/", body)
	assert.NotContains(t, logs.String(), "13900001234")
}

// waitReceiptGoroutines waits until the goroutine count falls to at most n.
func waitReceiptGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d > %d\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestReceiptHandlerAsync(t *testing.T) {
	before := runtime.NumGoroutine()

	release := make(chan struct{})
	var rec receiptRecorder
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		<-release
		return rec.fn(ctx, rs)
	}, WithReceiptAsync(2, 1), WithReceiptDeduper(nil))
	assert.GreaterOrEqual(t, runtime.NumGoroutine(), before+2)

	// Acknowledged at once although the function blocks: two batches in the
	// workers, one in the queue.
	for i := 0; i < 3; i++ {
		w := pushReceipts(t, h, "/", fmt.Sprintf(`[{"call_id":"%d^1","status_code":"200000"}]`, i))
		require.Equal(t, http.StatusOK, w.Code, "push %d", i)
		if i < 2 {
			// Let a worker take the batch before the next push.
			require.Eventually(t, func() bool { return len(h.queue) == 0 }, time.Second, time.Millisecond)
		}
	}
	// The queue is full: ask for a re-push.
	w := pushReceipts(t, h, "/", `[{"call_id":"9^1","status_code":"200000"}]`)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)

	close(release)
	require.NoError(t, h.Close())
	assert.Equal(t, 3, rec.calls(), "queued batches are delivered before Shutdown returns")

	// After Shutdown: 503, no call.
	assert.Equal(t, http.StatusServiceUnavailable, pushReceipts(t, h, "/", `[{"call_id":"8^1"}]`).Code)
	assert.Equal(t, 3, rec.calls())
	require.NoError(t, h.Close(), "Shutdown twice is fine")

	waitReceiptGoroutines(t, before)
}

func TestReceiptHandlerAsyncQueueFullForgetsKeys(t *testing.T) {
	release := make(chan struct{})
	var rec receiptRecorder
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		<-release
		return rec.fn(ctx, rs)
	}, WithReceiptAsync(1, 1))
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"1^1","status_code":"200000"}]`).Code)
	require.Eventually(t, func() bool { return len(h.queue) == 0 }, time.Second, time.Millisecond)
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"2^1","status_code":"200000"}]`).Code)
	require.Equal(t, http.StatusServiceUnavailable, pushReceipts(t, h, "/", `[{"call_id":"3^1","status_code":"200000"}]`).Code)
	close(release)
	require.Eventually(t, func() bool { return rec.calls() == 2 }, time.Second, time.Millisecond)
	// The re-push of the refused batch is delivered.
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"3^1","status_code":"200000"}]`).Code)
	require.NoError(t, h.Close())
	assert.Equal(t, 3, rec.calls())
}

func TestReceiptHandlerAsyncErrorsReported(t *testing.T) {
	var mu sync.Mutex
	var got []error
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error { return errors.New("nope") },
		WithReceiptAsync(1, 4),
		WithReceiptErrorHandler(func(ctx context.Context, rs []Receipt, err error) {
			mu.Lock()
			got = append(got, err)
			mu.Unlock()
		}))
	assert.Equal(t, http.StatusOK, pushReceipts(t, h, "/", sampleVoiceReport).Code, "acknowledged before the function runs")
	require.NoError(t, h.Close())
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	assert.EqualError(t, got[0], "nope")
}

func TestReceiptHandlerShutdownDeadline(t *testing.T) {
	before := runtime.NumGoroutine()

	started := make(chan struct{}, 1)
	var dropped atomic.Int32
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		started <- struct{}{}
		<-ctx.Done() // honours its context, but only returns when cancelled
		return ctx.Err()
	}, WithReceiptAsync(1, 8), WithReceiptErrorHandler(func(ctx context.Context, rs []Receipt, err error) {
		dropped.Add(1)
	}))
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"1^1"}]`).Code)
	<-started
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"2^1"}]`).Code)
	require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", `[{"call_id":"3^1"}]`).Code)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := h.Shutdown(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int32(3), dropped.Load(), "the running batch failed, the two queued were dropped")

	waitReceiptGoroutines(t, before)
}

func TestReceiptHandlerSyncShutdownWaitsForInFlight(t *testing.T) {
	before := runtime.NumGoroutine()
	entered := make(chan struct{})
	release := make(chan struct{})
	h := NewReceiptHandler(func(ctx context.Context, rs []Receipt) error {
		close(entered)
		<-release
		return nil
	}, WithReceiptTimeout(0))
	srv := httptest.NewServer(h)

	done := make(chan int)
	go func() {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(sampleVoiceReport))
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-entered
	shut := make(chan error)
	go func() { shut <- h.Close() }()
	select {
	case <-shut:
		t.Fatal("Shutdown returned while a call was in flight")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	require.NoError(t, <-shut)
	assert.Equal(t, http.StatusOK, <-done)

	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(sampleVoiceCallReport))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	srv.Close()
	http.DefaultClient.CloseIdleConnections()
	waitReceiptGoroutines(t, before)
}

func dkey(s string) ReceiptKey { return sha256.Sum256([]byte(s)) }

func TestMemoryDeduper(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := NewMemoryDeduper(3, time.Minute)
	d.now = func() time.Time { return now }

	assert.False(t, d.Delivered(dkey("a")))
	d.MarkDelivered(dkey("a"))
	assert.True(t, d.Delivered(dkey("a")))
	d.MarkDelivered(dkey("b"))
	d.MarkDelivered(dkey("c"))
	d.MarkDelivered(dkey("d")) // full: evicts a, the oldest
	assert.Equal(t, 3, d.Len())
	assert.False(t, d.Delivered(dkey("a")))
	assert.True(t, d.Delivered(dkey("b")))
	assert.True(t, d.Delivered(dkey("d")))

	// Marked again: remembered from the new mark, the stale one is skipped.
	d.MarkDelivered(dkey("b"))
	d.MarkDelivered(dkey("e")) // evicts the first mark of b (stale) and c
	assert.True(t, d.Delivered(dkey("b")))
	assert.LessOrEqual(t, d.Len(), 3)

	// TTL.
	now = now.Add(2 * time.Minute)
	assert.False(t, d.Delivered(dkey("b")), "expired")
	d.MarkDelivered(dkey("x"))
	assert.Equal(t, 1, d.Len(), "expired keys go when a key is marked")
	assert.True(t, d.Delivered(dkey("x")))

	// Defaults.
	dd := NewMemoryDeduper(0, 0)
	assert.Equal(t, DefaultDedupEntries, dd.max)
	assert.Equal(t, DefaultDedupTTL, dd.ttl)
}

func TestMemoryDeduperConcurrent(t *testing.T) {
	d := NewMemoryDeduper(1000, time.Hour)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if !d.Delivered(dkey(fmt.Sprint(i))) {
					d.MarkDelivered(dkey(fmt.Sprint(i)))
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 500, d.Len())
	for i := 0; i < 500; i++ {
		assert.True(t, d.Delivered(dkey(fmt.Sprint(i))))
	}
}

// countingDeduper counts the calls the handler makes to a Deduper, with or
// without the batch methods.
type countingDeduper struct {
	d                     *MemoryDeduper
	single, marks, checks atomic.Int64
	checked, marked       atomic.Int64 // keys passed to the batch methods
}

func (c *countingDeduper) Delivered(k ReceiptKey) bool { c.single.Add(1); return c.d.Delivered(k) }
func (c *countingDeduper) MarkDelivered(k ReceiptKey)  { c.single.Add(1); c.d.MarkDelivered(k) }

type countingBatchDeduper struct{ *countingDeduper }

func (c countingBatchDeduper) DeliveredBatch(keys []ReceiptKey, delivered []bool) {
	c.checks.Add(1)
	c.checked.Add(int64(len(keys)))
	c.d.DeliveredBatch(keys, delivered)
}

func (c countingBatchDeduper) MarkDeliveredBatch(keys []ReceiptKey) {
	c.marks.Add(1)
	c.marked.Add(int64(len(keys)))
	c.d.MarkDeliveredBatch(keys)
}

// A BatchDeduper is asked once per push to check and once to mark, a plain
// Deduper once per receipt; both de-duplicate the same way.
func TestReceiptHandlerBatchDeduper(t *testing.T) {
	var body strings.Builder
	body.WriteString("[")
	for i := 0; i < 1000; i++ {
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, `{"call_id":"%d","status_code":"200000"}`, i)
	}
	body.WriteString("]")
	for _, batch := range []bool{true, false} {
		c := &countingDeduper{d: NewMemoryDeduper(0, 0)}
		var d Deduper = c
		if batch {
			d = countingBatchDeduper{c}
		}
		rec := &receiptRecorder{}
		h := NewReceiptHandler(rec.fn, WithReceiptTypes(ReceiptVoiceReport), WithReceiptDeduper(d))
		require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", body.String()).Code)
		require.Equal(t, http.StatusOK, pushReceipts(t, h, "/", body.String()).Code, "the re-push")
		require.NoError(t, h.Close())
		assert.Len(t, rec.receipts(), 1000, "delivered once")
		assert.Equal(t, 1000, c.d.Len())
		if batch {
			assert.Zero(t, c.single.Load(), "no per-key call")
			assert.Equal(t, int64(2), c.checks.Load(), "one check per push")
			assert.Equal(t, int64(2000), c.checked.Load())
			assert.Equal(t, int64(1), c.marks.Load(), "one mark for the push delivered")
			assert.Equal(t, int64(1000), c.marked.Load())
		} else {
			assert.Equal(t, int64(3000), c.single.Load(), "2,000 checks and 1,000 marks")
		}
	}
}

// The batch methods of MemoryDeduper answer as the per-key ones.
func TestMemoryDeduperBatch(t *testing.T) {
	d := NewMemoryDeduper(3, time.Minute)
	d.MarkDeliveredBatch([]ReceiptKey{dkey("a"), dkey("b"), dkey("c"), dkey("d")})
	keys := []ReceiptKey{dkey("a"), dkey("b"), dkey("c"), dkey("d"), dkey("e")}
	got := make([]bool, len(keys))
	d.DeliveredBatch(keys, got)
	assert.Equal(t, []bool{false, true, true, true, false}, got, "a evicted, the oldest of four in three entries")
	for i, k := range keys {
		assert.Equal(t, got[i], d.Delivered(k))
	}
	var zero MemoryDeduper
	zero.MarkDeliveredBatch(keys[:1])
	zero.DeliveredBatch(keys[:2], got[:2])
	assert.Equal(t, []bool{true, false}, got[:2], "the zero value works")
}

func TestWriteReceiptAck(t *testing.T) {
	w := httptest.NewRecorder()
	WriteReceiptAck(w)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, `{"code":0,"msg":"接收成功"}`, w.Body.String())
}

// The flight table finds the keys other batches hold, by merge and by
// binary search, and keys repeated within a push, also when keys share
// their first 8 bytes (which sorting uses).
func TestFlightTableHold(t *testing.T) {
	var ft flightTable
	batch := func(keys ...ReceiptKey) *receiptBatch { return &receiptBatch{keys: keys} }
	collide := func(tail byte) ReceiptKey { // same prefix, other keys
		k := dkey("prefix")
		k[31] = tail
		return k
	}
	a := batch(dkey("a"), collide(1), dkey("b"))
	held, others := ft.hold(a)
	assert.Equal(t, []bool{true, true, true}, held)
	assert.Empty(t, others)

	b := batch(collide(2), dkey("c"), collide(1), dkey("c"), collide(2))
	held, others = ft.hold(b)
	assert.Equal(t, []bool{true, true, false, false, false}, held, "collide(1) is a's; c and collide(2) repeat")
	assert.Equal(t, []*receiptBatch{a}, others)
	assert.Len(t, b.holds, 2)

	// A small push against a long batch: binary search.
	var long []ReceiptKey
	for i := 0; i < 1000; i++ {
		long = append(long, dkey(fmt.Sprint("long", i)))
	}
	c := batch(long...)
	ft.hold(c)
	d := batch(dkey("long7"), dkey("b"), dkey("new"), collide(2))
	held, others = ft.hold(d)
	assert.Equal(t, []bool{false, false, true, false}, held)
	assert.ElementsMatch(t, []*receiptBatch{a, b, c}, others)

	for _, x := range []*receiptBatch{a, b, c, d} {
		ft.release(x)
	}
	assert.Empty(t, ft.batches)
	held, others = ft.hold(batch(dkey("a"), collide(1)))
	assert.Equal(t, []bool{true, true}, held, "released keys are free")
	assert.Empty(t, others)
}

// sortKeys orders as a comparison sort by prefix, then index, with random
// keys, keys sharing bytes of their prefix, and none.
func TestSortKeys(t *testing.T) {
	for _, n := range []int{0, 1, 2, 100, 5000, -50} {
		oddPasses := n < 0 // one byte the same in every key: a pass skipped
		n = max(n, -n)
		keys := make([]ReceiptKey, n)
		for i := range keys {
			keys[i] = dkey(fmt.Sprint(i))
			if oddPasses {
				keys[i][7] = 0x42
			}
			if i%3 == 0 { // the first bytes shared by a third of the keys
				copy(keys[i][:5], "same!")
			}
			if i%7 == 0 && i > 0 { // and whole prefixes repeated
				copy(keys[i][:8], keys[i-1][:8])
			}
		}
		want := make([]flightKey, n)
		for i := range keys {
			want[i] = flightKey{binary.BigEndian.Uint64(keys[i][:8]), uint32(i)}
		}
		slices.SortFunc(want, func(a, b flightKey) int {
			if c := cmp.Compare(a.prefix, b.prefix); c != 0 {
				return c
			}
			return cmp.Compare(a.i, b.i)
		})
		assert.Equal(t, want, sortKeys(keys), "%d keys", n)
	}
}
