package dyvms

import (
	"container/list"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"sync"
	"time"
)

// Defaults of NewReceiptHandler.
const (
	// DefaultMaxReceiptBytes bounds a push body (1 MiB); larger bodies get
	// HTTP 413 and are not read.
	DefaultMaxReceiptBytes = 1 << 20
	// DefaultReceiptTimeout is the deadline of the context given to the
	// receipt function in synchronous mode. The service waits 700 ms for the
	// answer, including the time to send and read the body; an answer after
	// that counts as a failure and the batch is pushed again.
	DefaultReceiptTimeout = 600 * time.Millisecond
	// DefaultDedupEntries is how many keys the default deduper remembers.
	DefaultDedupEntries = 100_000
	// DefaultDedupTTL is how long the default deduper remembers a key. The
	// service re-pushes a failed batch after 1, 5 and 10 minutes, so an hour
	// covers every re-push.
	DefaultDedupTTL = time.Hour
)

// receiptAck is the answer the service expects: HTTP 200 and a JSON object
// whose code is a number.
const receiptAck = `{"code":0,"msg":"接收成功"}`

// WriteReceiptAck writes the acknowledgement the service expects for a
// push: HTTP 200 with {"code":0,"msg":"接收成功"}. NewReceiptHandler does this
// itself; use WriteReceiptAck in a handler of your own built on
// ParseReceipts.
func WriteReceiptAck(w http.ResponseWriter) { writeReceiptAnswer(w, http.StatusOK, receiptAck) }

func writeReceiptAnswer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func writeReceiptFailure(w http.ResponseWriter, status int) {
	writeReceiptAnswer(w, status, fmt.Sprintf(`{"code":%d,"msg":%q}`, status, http.StatusText(status)))
}

// ReceiptFunc receives a batch of receipts. In synchronous mode its error
// makes the handler answer HTTP 500, so the service pushes the batch again
// (after 1, 5 and 10 minutes, then gives up). The batch holds only receipts
// not delivered before (see Deduper) and is never empty.
type ReceiptFunc func(ctx context.Context, receipts []Receipt) error

// Deduper remembers which receipts were delivered, so a re-pushed receipt is
// delivered once. Keys come from Receipt.DedupKey. Implementations must be
// safe for concurrent use; one shared by several processes (Redis SETNX with
// a TTL, a unique index) de-duplicates across them.
type Deduper interface {
	// Seen records key and reports whether it was recorded already.
	Seen(key string) bool
	// Forget removes key: its receipt failed, and a re-push must deliver
	// it again.
	Forget(key string)
}

// MemoryDeduper is the default Deduper: an in-memory LRU of keys, each
// remembered for a TTL. It is safe for concurrent use. It forgets
// everything when the process restarts and is not shared between processes.
type MemoryDeduper struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	ll  *list.List // front = most recent; values are *dedupEntry
	m   map[string]*list.Element
	now func() time.Time
}

type dedupEntry struct {
	key  string
	seen time.Time
}

// NewMemoryDeduper returns a MemoryDeduper remembering at most maxEntries
// keys, each for ttl. Zero or negative values take DefaultDedupEntries and
// DefaultDedupTTL.
func NewMemoryDeduper(maxEntries int, ttl time.Duration) *MemoryDeduper {
	if maxEntries <= 0 {
		maxEntries = DefaultDedupEntries
	}
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	return &MemoryDeduper{max: maxEntries, ttl: ttl, ll: list.New(), m: map[string]*list.Element{}, now: time.Now}
}

// Seen records key and reports whether it was recorded within the TTL.
func (d *MemoryDeduper) Seen(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if el, ok := d.m[key]; ok {
		e := el.Value.(*dedupEntry)
		if now.Sub(e.seen) < d.ttl {
			d.ll.MoveToFront(el)
			return true
		}
		e.seen = now
		d.ll.MoveToFront(el)
		return false
	}
	d.m[key] = d.ll.PushFront(&dedupEntry{key: key, seen: now})
	for d.ll.Len() > d.max {
		d.remove(d.ll.Back())
	}
	// Drop expired keys from the old end, a few at a time.
	for i := 0; i < 4; i++ {
		el := d.ll.Back()
		if el == nil || now.Sub(el.Value.(*dedupEntry).seen) < d.ttl {
			break
		}
		d.remove(el)
	}
	return false
}

// Forget removes key.
func (d *MemoryDeduper) Forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.m[key]; ok {
		d.remove(el)
	}
}

// Len returns how many keys are remembered (expired ones included until
// they are evicted).
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ll.Len()
}

func (d *MemoryDeduper) remove(el *list.Element) {
	d.ll.Remove(el)
	delete(d.m, el.Value.(*dedupEntry).key)
}

// ReceiptHandlerOption configures NewReceiptHandler.
type ReceiptHandlerOption func(*receiptConfig)

type receiptConfig struct {
	types    []ReceiptType
	token    string
	tokenSet bool
	maxBytes int64
	dedup    Deduper
	timeout  time.Duration
	workers  int
	queue    int
	onError  func(ctx context.Context, receipts []Receipt, err error)
	logger   *slog.Logger
}

// WithReceiptTypes says which message types the URL receives. The console
// configures the push URL per message type, so one type is the usual case:
// every element of a batch is then decoded as that type. With several types
// (one URL for several message types), each element's type is inferred from
// its fields (DetectReceiptType). Without this option the type is inferred
// among all four.
func WithReceiptTypes(types ...ReceiptType) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.types = append([]ReceiptType(nil), types...) }
}

// WithReceiptToken makes the handler accept only pushes whose URL carries
// token, as the query parameter "token" or as the last path segment
// (https://example.com/dyvms/receipts/<token>); others get HTTP 403. The
// service signs nothing, so an unguessable token in the URL configured in
// the console is the only way to tell its pushes from anyone else's; use
// HTTPS so it stays secret. The comparison is constant-time.
// NewReceiptHandler panics if token is empty, rather than silently accepting
// everything when, say, an environment variable is unset.
func WithReceiptToken(token string) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.token, c.tokenSet = token, true }
}

// WithMaxReceiptBytes bounds the push body (default DefaultMaxReceiptBytes).
// A larger body gets HTTP 413.
func WithMaxReceiptBytes(n int64) ReceiptHandlerOption {
	return func(c *receiptConfig) {
		if n > 0 {
			c.maxBytes = n
		}
	}
}

// WithReceiptDeduper replaces the default in-memory deduper
// (NewMemoryDeduper(DefaultDedupEntries, DefaultDedupTTL)). nil turns
// de-duplication off: every push, re-pushes included, reaches the function.
func WithReceiptDeduper(d Deduper) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.dedup = d }
}

// WithReceiptTimeout sets the deadline of the context the function gets in
// synchronous mode (default DefaultReceiptTimeout); 0 or less means only the
// request's own context. When the deadline passes the service has stopped
// waiting anyway: return the context's error and the batch comes again.
func WithReceiptTimeout(d time.Duration) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.timeout = d }
}

// WithReceiptAsync switches to asynchronous mode: the handler acknowledges a
// batch as soon as it is parsed, de-duplicated and queued, and workers
// goroutines call the function from a queue of queueSize batches. Use it when
// the function cannot reliably finish within the service's 700 ms.
//
// The trade-off: once a batch is acknowledged the service will not push it
// again, so a failure of the function is reported only to
// WithReceiptErrorHandler and the logger. When the queue is full the handler
// answers HTTP 503 and the service pushes the batch again later. Call
// Shutdown (or Close) to stop the workers; values below 1 become 1.
func WithReceiptAsync(workers, queueSize int) ReceiptHandlerOption {
	return func(c *receiptConfig) {
		c.workers, c.queue = max(workers, 1), max(queueSize, 1)
	}
}

// WithReceiptErrorHandler sets a function called with every batch the
// receipt function failed on (it returned an error or panicked), in both
// modes. In asynchronous mode it is the only way to learn of a failure.
func WithReceiptErrorHandler(f func(ctx context.Context, receipts []Receipt, err error)) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.onError = f }
}

// WithReceiptLogger logs rejected pushes and failed batches to l (default:
// no logging). Log lines hold counts, types, call IDs and status codes;
// digit runs that may be phone numbers are masked to their last 4 digits.
func WithReceiptLogger(l *slog.Logger) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.logger = l }
}

// ReceiptHandler is the http.Handler for HTTP batch push (HTTP批量推送):
// mount it at the URL configured in the console. See NewReceiptHandler.
type ReceiptHandler struct {
	fn  ReceiptFunc
	cfg receiptConfig

	ctx    context.Context // cancelled when Shutdown gives up waiting
	cancel context.CancelFunc

	mu     sync.RWMutex // guards closed and sends on queue
	closed bool
	queue  chan asyncBatch
	wg     sync.WaitGroup // workers, and in-flight synchronous calls
}

type asyncBatch struct {
	receipts []Receipt
	keys     []string
}

// NewReceiptHandler returns an http.Handler for receipts pushed by the
// service. For each POST it reads the body (bounded, WithMaxReceiptBytes),
// parses it (ParseReceipts with the WithReceiptTypes types), drops receipts
// delivered before (Deduper, on by default), and calls fn with the rest:
//
//   - fn returns nil: HTTP 200 {"code":0,"msg":"接收成功"}, the answer the
//     service expects.
//   - fn returns an error or panics: HTTP 500, the receipts are forgotten by
//     the deduper, and the service pushes the batch again.
//   - the body is not a receipt batch: HTTP 400, fn is not called.
//   - not POST: 405; wrong token (WithReceiptToken): 403; body too large:
//     413; after Shutdown: 503.
//
// The service waits 700 ms for the answer. In the default synchronous mode
// fn gets a context with a DefaultReceiptTimeout deadline, and should only
// record the batch durably (a database insert, a queue publish) and return;
// slow work belongs behind that. If even that cannot be made fast, use
// WithReceiptAsync. Response bodies and log lines never contain fn's error
// text unmasked, nor a phone number.
//
// NewReceiptHandler panics if fn is nil or WithReceiptToken was given "".
func NewReceiptHandler(fn ReceiptFunc, opts ...ReceiptHandlerOption) *ReceiptHandler {
	if fn == nil {
		panic("dyvms: NewReceiptHandler: nil ReceiptFunc")
	}
	cfg := receiptConfig{
		maxBytes: DefaultMaxReceiptBytes,
		dedup:    NewMemoryDeduper(0, 0),
		timeout:  DefaultReceiptTimeout,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.tokenSet && cfg.token == "" {
		panic("dyvms: NewReceiptHandler: WithReceiptToken with an empty token")
	}
	h := &ReceiptHandler{fn: fn, cfg: cfg}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	if cfg.workers > 0 {
		h.queue = make(chan asyncBatch, cfg.queue)
		h.wg.Add(cfg.workers)
		for i := 0; i < cfg.workers; i++ {
			go h.worker()
		}
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *ReceiptHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeReceiptFailure(w, http.StatusMethodNotAllowed)
		return
	}
	if h.cfg.tokenSet && !h.tokenOK(r) {
		h.log(r.Context(), slog.LevelWarn, "dyvms: receipt push rejected: missing or wrong token")
		writeReceiptFailure(w, http.StatusForbidden)
		return
	}
	if r.ContentLength > h.cfg.maxBytes {
		writeReceiptFailure(w, http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeReceiptFailure(w, http.StatusRequestEntityTooLarge)
			return
		}
		writeReceiptFailure(w, http.StatusBadRequest)
		return
	}
	receipts, err := ParseReceipts(body, h.cfg.types...)
	if err != nil {
		h.log(r.Context(), slog.LevelWarn, "dyvms: receipt push rejected", "error", maskDigitRuns(err.Error()))
		writeReceiptFailure(w, http.StatusBadRequest)
		return
	}
	fresh, keys := h.dedup(receipts)
	if len(fresh) == 0 {
		WriteReceiptAck(w)
		return
	}

	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		h.forget(keys)
		writeReceiptFailure(w, http.StatusServiceUnavailable)
		return
	}
	if h.queue != nil {
		select {
		case h.queue <- asyncBatch{receipts: fresh, keys: keys}:
			h.mu.RUnlock()
			WriteReceiptAck(w)
		default:
			h.mu.RUnlock()
			h.forget(keys)
			h.log(r.Context(), slog.LevelWarn, "dyvms: receipt queue full; asking for a re-push", "count", len(fresh))
			writeReceiptFailure(w, http.StatusServiceUnavailable)
		}
		return
	}
	h.wg.Add(1)
	h.mu.RUnlock()
	defer h.wg.Done()

	ctx := r.Context()
	var cancel context.CancelFunc
	if h.cfg.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, h.cfg.timeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	stop := context.AfterFunc(h.ctx, cancel)
	defer stop()

	if err := h.call(ctx, fresh, keys); err != nil {
		writeReceiptFailure(w, http.StatusInternalServerError)
		return
	}
	WriteReceiptAck(w)
}

// tokenOK reports whether the request's URL carries the token.
func (h *ReceiptHandler) tokenOK(r *http.Request) bool {
	want := []byte(h.cfg.token)
	q := r.URL.Query().Get("token")
	okQuery := subtle.ConstantTimeCompare([]byte(q), want) == 1
	okPath := subtle.ConstantTimeCompare([]byte(path.Base(r.URL.Path)), want) == 1
	return okQuery || okPath
}

// dedup returns the receipts not seen before and their keys.
func (h *ReceiptHandler) dedup(receipts []Receipt) ([]Receipt, []string) {
	if h.cfg.dedup == nil {
		return receipts, nil
	}
	fresh := receipts[:0:0]
	var keys []string
	for _, rc := range receipts {
		k := rc.DedupKey()
		if h.cfg.dedup.Seen(k) {
			continue
		}
		fresh = append(fresh, rc)
		keys = append(keys, k)
	}
	return fresh, keys
}

func (h *ReceiptHandler) forget(keys []string) {
	if h.cfg.dedup == nil {
		return
	}
	for _, k := range keys {
		h.cfg.dedup.Forget(k)
	}
}

// call runs fn, turning a panic into an error; on failure it forgets the
// keys, logs and reports.
func (h *ReceiptHandler) call(ctx context.Context, receipts []Receipt, keys []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dyvms: receipt function panicked: %v", p)
		}
		if err != nil {
			h.forget(keys)
			h.log(ctx, slog.LevelError, "dyvms: receipt function failed",
				"count", len(receipts), "first", receipts[0], "error", maskDigitRuns(err.Error()))
			if h.cfg.onError != nil {
				h.cfg.onError(ctx, receipts, err)
			}
		}
	}()
	return h.fn(ctx, receipts)
}

func (h *ReceiptHandler) worker() {
	defer h.wg.Done()
	for b := range h.queue {
		if h.ctx.Err() != nil {
			// Shutdown gave up waiting: drop what is left, unmarked so a
			// later replay is delivered.
			h.forget(b.keys)
			if h.cfg.onError != nil {
				h.cfg.onError(h.ctx, b.receipts, h.ctx.Err())
			}
			continue
		}
		_ = h.call(h.ctx, b.receipts, b.keys)
	}
}

func (h *ReceiptHandler) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if h.cfg.logger != nil {
		h.cfg.logger.Log(ctx, level, msg, args...)
	}
}

// Shutdown stops the handler: later pushes get HTTP 503 (the service pushes
// them again, to whichever process answers next), queued batches are still
// delivered, and Shutdown waits for the workers and any in-flight calls to
// return. If ctx ends first, Shutdown cancels the context the function was
// given, drops the batches still queued (reporting them to
// WithReceiptErrorHandler), waits for the running calls to return, and
// returns ctx's error. No goroutine of the handler outlives Shutdown, provided
// the function honours its context. Shutdown may be called more than once.
func (h *ReceiptHandler) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		if h.queue != nil {
			close(h.queue)
		}
	}
	h.mu.Unlock()

	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		h.cancel()
		return nil
	case <-ctx.Done():
		h.cancel()
		<-done
		return ctx.Err()
	}
}

// Close is Shutdown without a deadline.
func (h *ReceiptHandler) Close() error { return h.Shutdown(context.Background()) }
