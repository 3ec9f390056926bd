package dyvms

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"slices"
	"sync"
	"sync/atomic"
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
	// DefaultReceiptReadTimeout bounds the time to read a push body, inside
	// the 700 ms the service waits for the answer: a body that has not
	// arrived by then is not worth waiting for.
	DefaultReceiptReadTimeout = 500 * time.Millisecond
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
// delivered once. Keys come from Receipt.DedupKey. The handler asks
// Delivered before it calls the function and calls MarkDelivered only after
// the function returned nil for the receipt's batch, so a receipt whose
// delivery failed, or whose process died mid-delivery, is delivered again
// when the service re-pushes it. Within one handler, a push that overlaps a
// delivery still running waits for it (see NewReceiptHandler); across
// processes sharing one Deduper, two overlapping pushes may both deliver a
// receipt: at least once, never lost.
//
// Implementations must be safe for concurrent use; one shared by several
// processes (a Redis SET with a TTL, a unique index) de-duplicates across
// them.
type Deduper interface {
	// Delivered reports whether key was marked delivered and is still
	// remembered.
	Delivered(key ReceiptKey) bool
	// MarkDelivered records that the receipt with key was delivered.
	MarkDelivered(key ReceiptKey)
}

// BatchDeduper is a Deduper that also answers for many keys in one call.
// When the handler's Deduper has these methods it checks, and later marks,
// all the receipts of a push with one call each, instead of one call per
// receipt: one lock for MemoryDeduper, one round trip for a shared store
// (a pipelined Redis, one SQL statement), which a push of thousands of
// receipts needs to be answered within the service's 700 ms. The methods
// must not modify keys, nor keep it after they return.
type BatchDeduper interface {
	Deduper
	// DeliveredBatch sets delivered[i] to Delivered(keys[i]), for every i
	// (the two slices have the same length).
	DeliveredBatch(keys []ReceiptKey, delivered []bool)
	// MarkDeliveredBatch marks every key delivered, as MarkDelivered does.
	MarkDeliveredBatch(keys []ReceiptKey)
}

// MemoryDeduper is the default Deduper: the keys of delivered receipts, each
// remembered for a TTL, at most a fixed number of them (the oldest go
// first). A key is 32 bytes however large the receipt, so the memory is
// bounded: some 60 bytes a key, 6 MB at DefaultDedupEntries. It is safe for
// concurrent use, and its zero value is ready to use with the defaults. It
// forgets everything when the process restarts and is not shared between
// processes.
type MemoryDeduper struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	index markIndex // key -> sequence number of its latest mark
	ring  markRing  // the marks, each key with when it was marked; grows up to max
	count int       // marks in the ring: sequence numbers seq-count+1 to seq
	seq   uint64    // the latest mark's sequence number
	now   func() time.Time
}

// NewMemoryDeduper returns a MemoryDeduper remembering at most maxEntries
// keys, each for ttl. Zero or negative values take DefaultDedupEntries and
// DefaultDedupTTL.
func NewMemoryDeduper(maxEntries int, ttl time.Duration) *MemoryDeduper {
	d := &MemoryDeduper{max: maxEntries, ttl: ttl}
	d.init()
	return d
}

// init fills in the defaults; the caller holds d.mu (or owns d).
func (d *MemoryDeduper) init() {
	if d.max <= 0 {
		d.max = DefaultDedupEntries
	}
	if d.ttl <= 0 {
		d.ttl = DefaultDedupTTL
	}
	if d.now == nil {
		d.now = time.Now
	}
}

// Delivered reports whether key was marked within the TTL.
func (d *MemoryDeduper) Delivered(key ReceiptKey) bool {
	var delivered [1]bool
	d.DeliveredBatch([]ReceiptKey{key}, delivered[:])
	return delivered[0]
}

// DeliveredBatch sets delivered[i] to whether keys[i] was marked within the
// TTL, under one lock.
func (d *MemoryDeduper) DeliveredBatch(keys []ReceiptKey, delivered []bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	now := d.now().UnixNano()
	for i := range keys {
		seq, ok := d.index.get(&keys[i], d.ring)
		delivered[i] = ok && now-d.ring.at(seq).at < int64(d.ttl)
	}
}

// MarkDelivered records key, forgetting every key older than the TTL and,
// when the deduper is full, the oldest key.
func (d *MemoryDeduper) MarkDelivered(key ReceiptKey) {
	d.MarkDeliveredBatch([]ReceiptKey{key})
}

// MarkDeliveredBatch records every key, as MarkDelivered does, under one
// lock.
func (d *MemoryDeduper) MarkDeliveredBatch(keys []ReceiptKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	now := d.now().UnixNano()
	for i := range keys {
		d.mark(&keys[i], now)
	}
}

// mark records key as marked at now; the caller holds d.mu.
func (d *MemoryDeduper) mark(key *ReceiptKey, now int64) {
	for d.count > 0 && (d.count >= d.max || now-d.ring.at(d.oldest()).at >= int64(d.ttl)) {
		d.evictOldest()
	}
	if d.count == len(d.ring) {
		d.growRing()
	}
	d.seq++
	*d.ring.at(d.seq) = dedupEntry{key: *key, at: now}
	d.index.set(key, d.seq, d.ring)
	d.count++
}

// oldest returns the oldest mark's sequence number; d.count > 0.
func (d *MemoryDeduper) oldest() uint64 { return d.seq - uint64(d.count) + 1 }

// evictOldest drops the oldest mark; the key goes with it unless it was
// marked again since.
func (d *MemoryDeduper) evictOldest() {
	seq := d.oldest()
	e := d.ring.at(seq)
	d.index.delIf(&e.key, seq, d.ring)
	*e = dedupEntry{}
	d.count--
}

// growRing doubles the ring, up to max entries, each mark moving to the
// position its sequence number gives in the new ring.
func (d *MemoryDeduper) growRing() {
	ring := make(markRing, min(max(2*len(d.ring), 64), d.max))
	for i := 0; i < d.count; i++ {
		seq := d.seq - uint64(i)
		*ring.at(seq) = *d.ring.at(seq)
	}
	d.ring = ring
}

// Len returns how many keys are remembered.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.index.used
}

// ReceiptHandlerOption configures NewReceiptHandler.
type ReceiptHandlerOption func(*receiptConfig)

type receiptConfig struct {
	types       []ReceiptType
	token       string
	tokenSet    bool
	maxBytes    int64
	dedup       Deduper
	timeout     time.Duration
	readTimeout time.Duration
	workers     int
	queue       int
	onError     func(ctx context.Context, receipts []Receipt, err error)
	logger      *slog.Logger
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
// everything when, say, an environment variable is unset: check the value
// before you pass it.
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
// waiting anyway: return the context's error and the batch comes again. The
// same deadline bounds how long a push waits for an overlapping delivery of
// the same receipts (see NewReceiptHandler).
func WithReceiptTimeout(d time.Duration) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.timeout = d }
}

// WithReceiptReadTimeout bounds the time to read a push body (default
// DefaultReceiptReadTimeout; 0 or less turns the bound off). The handler
// sets it as the connection's read deadline through
// http.ResponseController, so a sender that stalls mid-body gets HTTP 408
// and lets go of the goroutine and the connection. When the ResponseWriter
// cannot set deadlines (a middleware wrapper without Unwrap), the server's
// ReadTimeout is the only bound: set one.
func WithReceiptReadTimeout(d time.Duration) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.readTimeout = d }
}

// WithReceiptAsync switches to asynchronous mode: the handler acknowledges a
// batch as soon as it is parsed, de-duplicated and queued, and workers
// goroutines call the function from a queue of queueSize batches. Use it when
// the function cannot reliably finish within the service's 700 ms.
//
// The trade-off: once a batch is acknowledged the service will not push it
// again. A failure of the function, and a batch still queued when Shutdown's
// deadline passes, lose those receipts: each one is logged (to
// WithReceiptLogger's logger, else slog.Default(); IDs and status only, no
// phone number), counted in Stats (Failed, Dropped) and reported to
// WithReceiptErrorHandler. When the queue is full the handler answers HTTP
// 503 and the service pushes the batch again later. Call Shutdown (or Close)
// to stop the workers; values below 1 become 1.
func WithReceiptAsync(workers, queueSize int) ReceiptHandlerOption {
	return func(c *receiptConfig) {
		c.workers, c.queue = max(workers, 1), max(queueSize, 1)
	}
}

// WithReceiptErrorHandler sets a function called with every batch the
// receipt function failed on (it returned an error or panicked), in both
// modes, and in asynchronous mode with every batch Shutdown dropped. A panic
// in it is recovered and logged; it never takes the process down.
func WithReceiptErrorHandler(f func(ctx context.Context, receipts []Receipt, err error)) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.onError = f }
}

// WithReceiptLogger logs rejected pushes and failed batches to l (default:
// no logging, except acknowledged receipts lost in asynchronous mode, which
// go to slog.Default()). Log lines hold counts, types, call IDs and status
// codes; digit runs that may be phone numbers are masked to their last 4
// digits.
func WithReceiptLogger(l *slog.Logger) ReceiptHandlerOption {
	return func(c *receiptConfig) { c.logger = l }
}

// ReceiptStats counts receipts by what became of them, since the handler
// was made.
type ReceiptStats struct {
	// Delivered is how many receipts the function returned nil for.
	Delivered uint64
	// Duplicates is how many receipts a push did not give to the function
	// because they had been delivered already, were repeated within the
	// push, or were being delivered by an overlapping push.
	Duplicates uint64
	// Failed is how many receipts were in batches the function failed on.
	// In synchronous mode the service pushes them again; in asynchronous
	// mode they had been acknowledged and are lost.
	Failed uint64
	// Dropped is how many acknowledged receipts asynchronous mode dropped,
	// never given to the function, because Shutdown's deadline passed.
	Dropped uint64
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
	queue  chan *receiptBatch
	wg     sync.WaitGroup // workers, and in-flight synchronous calls

	flights flightTable
	stats   struct{ delivered, duplicates, failed, dropped atomic.Uint64 }
}

// NewReceiptHandler returns an http.Handler for receipts pushed by the
// service. For each POST it reads the body (bounded in size,
// WithMaxReceiptBytes, and in time, WithReceiptReadTimeout), parses it
// (ParseReceipts with the WithReceiptTypes types), drops receipts delivered
// before (Deduper, on by default), and calls fn with the rest:
//
//   - fn returns nil: HTTP 200 {"code":0,"msg":"接收成功"}, the answer the
//     service expects. Only now are the receipts marked delivered.
//   - fn returns an error or panics: HTTP 500, and the service pushes the
//     batch again.
//   - some receipts of the push are being delivered right now by an
//     overlapping push (a re-push that came early): the push waits for that
//     delivery, within the WithReceiptTimeout deadline, and is acknowledged
//     only if it succeeded; otherwise HTTP 503 and the service pushes again.
//     A push is never acknowledged ahead of the delivery of its receipts.
//   - the body is not a receipt batch: HTTP 400, fn is not called.
//   - not POST: 405; wrong token (WithReceiptToken): 403; body too large:
//     413; body too slow: 408; after Shutdown: 503.
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
		maxBytes:    DefaultMaxReceiptBytes,
		dedup:       NewMemoryDeduper(0, 0),
		timeout:     DefaultReceiptTimeout,
		readTimeout: DefaultReceiptReadTimeout,
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
		h.queue = make(chan *receiptBatch, cfg.queue)
		h.wg.Add(cfg.workers)
		for i := 0; i < cfg.workers; i++ {
			go h.worker()
		}
	}
	return h
}

// Stats returns the handler's counts so far.
func (h *ReceiptHandler) Stats() ReceiptStats {
	return ReceiptStats{
		Delivered:  h.stats.delivered.Load(),
		Duplicates: h.stats.duplicates.Load(),
		Failed:     h.stats.failed.Load(),
		Dropped:    h.stats.dropped.Load(),
	}
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
	body, status := h.readBody(w, r)
	if status != http.StatusOK {
		writeReceiptFailure(w, status)
		return
	}
	receipts, err := parseReceipts(body, h.cfg.types, false)
	if err != nil {
		h.log(r.Context(), slog.LevelWarn, "dyvms: receipt push rejected", "error", maskDigitRuns(err.Error()))
		writeReceiptFailure(w, http.StatusBadRequest)
		return
	}
	if status := h.deliver(r.Context(), receipts); status != http.StatusOK {
		writeReceiptFailure(w, status)
		return
	}
	WriteReceiptAck(w)
}

// readBody reads the push body within the size and time bounds; the status
// is 200 or the failure to answer.
func (h *ReceiptHandler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int) {
	if r.ContentLength > h.cfg.maxBytes {
		return nil, http.StatusRequestEntityTooLarge
	}
	rc := http.NewResponseController(w)
	deadline := h.cfg.readTimeout > 0 && rc.SetReadDeadline(time.Now().Add(h.cfg.readTimeout)) == nil
	body, err := readAllSized(http.MaxBytesReader(w, r.Body, h.cfg.maxBytes), r.ContentLength)
	if err == nil {
		if deadline {
			// The body is in: lift the deadline, or the server's watch for
			// a closed connection would time out and cancel the request's
			// context while fn runs. (After a failed read it stays, so the
			// server's drain of the unread body cannot hang either.)
			_ = rc.SetReadDeadline(time.Time{})
		}
		return body, http.StatusOK
	}
	w.Header().Set("Connection", "close")
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		h.log(r.Context(), slog.LevelWarn, "dyvms: receipt push rejected: body not received in time", "timeout", h.cfg.readTimeout)
		return nil, http.StatusRequestTimeout
	}
	return nil, http.StatusBadRequest
}

// readAllSized reads r to the end, in one allocation when size (a
// Content-Length) is known.
func readAllSized(r io.Reader, size int64) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, size+1)
	n, err := io.ReadFull(r, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return buf[:n], nil
	}
	if err != nil {
		return nil, err
	}
	rest, err := io.ReadAll(r) // more than announced: MaxBytesReader bounds it
	return append(buf, rest...), err
}

// tokenOK reports whether the request's URL carries the token.
func (h *ReceiptHandler) tokenOK(r *http.Request) bool {
	want := []byte(h.cfg.token)
	q := r.URL.Query().Get("token")
	okQuery := subtle.ConstantTimeCompare([]byte(q), want) == 1
	okPath := subtle.ConstantTimeCompare([]byte(path.Base(r.URL.Path)), want) == 1
	return okQuery || okPath
}

// deliver claims the receipts, hands the fresh ones to fn (or the queue)
// and waits for overlapping deliveries; it returns the status to answer.
func (h *ReceiptHandler) deliver(ctx context.Context, receipts []Receipt) int {
	b, others := h.claim(receipts)
	ctx, cancel := h.callContext(ctx)
	defer cancel()
	if len(b.receipts) > 0 {
		if status := h.run(ctx, b); status != http.StatusOK {
			return status
		}
	} else {
		h.finish(b, true)
	}
	if !awaitFlights(ctx, others) {
		h.log(ctx, slog.LevelWarn, "dyvms: receipts of this push are being delivered by another push that has not succeeded (yet); asking for a re-push")
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

// run delivers b synchronously or queues it; it returns the status to
// answer.
func (h *ReceiptHandler) run(ctx context.Context, b *receiptBatch) int {
	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		h.finish(b, false)
		return http.StatusServiceUnavailable
	}
	if h.queue != nil {
		select {
		case h.queue <- b:
			h.mu.RUnlock()
			return http.StatusOK
		default:
			h.mu.RUnlock()
			h.finish(b, false)
			h.log(ctx, slog.LevelWarn, "dyvms: receipt queue full; asking for a re-push", "count", len(b.receipts))
			return http.StatusServiceUnavailable
		}
	}
	h.wg.Add(1)
	h.mu.RUnlock()
	defer h.wg.Done()
	ok := h.call(ctx, b.receipts) == nil
	h.finish(b, ok)
	if !ok {
		return http.StatusInternalServerError
	}
	return http.StatusOK
}

// callContext returns the context for fn and for waiting on overlapping
// deliveries: the request's, bounded by WithReceiptTimeout and cancelled
// when Shutdown gives up.
func (h *ReceiptHandler) callContext(parent context.Context) (context.Context, context.CancelFunc) {
	var ctx context.Context
	var cancel context.CancelFunc
	if h.cfg.timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, h.cfg.timeout)
	} else {
		ctx, cancel = context.WithCancel(parent)
	}
	stop := context.AfterFunc(h.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// call runs fn, turning a panic into an error; on failure it logs and
// reports.
func (h *ReceiptHandler) call(ctx context.Context, receipts []Receipt) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dyvms: receipt function panicked: %v", p)
		}
		if err != nil {
			h.stats.failed.Add(uint64(len(receipts)))
			h.log(ctx, slog.LevelError, "dyvms: receipt function failed",
				"count", len(receipts), "first", receipts[0], "error", maskDigitRuns(err.Error()))
			h.report(ctx, receipts, err)
			return
		}
		h.stats.delivered.Add(uint64(len(receipts)))
	}()
	return h.fn(ctx, receipts)
}

// report calls the error handler, containing its panic.
func (h *ReceiptHandler) report(ctx context.Context, receipts []Receipt, err error) {
	if h.cfg.onError == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			h.lossLogger().Log(ctx, slog.LevelError, "dyvms: receipt error handler panicked",
				"count", len(receipts), "panic", maskDigitRuns(fmt.Sprint(p)))
		}
	}()
	h.cfg.onError(ctx, receipts, err)
}

func (h *ReceiptHandler) worker() {
	defer h.wg.Done()
	for b := range h.queue {
		if h.ctx.Err() != nil {
			h.drop(b)
			continue
		}
		err := h.call(h.ctx, b.receipts)
		h.finish(b, err == nil)
		if err != nil {
			h.logLost(b.receipts, "dyvms: acknowledged receipt lost: the receipt function failed")
		}
	}
}

// drop gives up on a queued batch when Shutdown's deadline has passed: its
// receipts stay unmarked, so a later push of them is delivered, but the
// service will not push them again by itself.
func (h *ReceiptHandler) drop(b *receiptBatch) {
	h.finish(b, false)
	h.stats.dropped.Add(uint64(len(b.receipts)))
	h.logLost(b.receipts, "dyvms: acknowledged receipt dropped: Shutdown's deadline passed before it was delivered")
	h.report(h.ctx, b.receipts, fmt.Errorf("dyvms: receipt batch dropped at shutdown: %w", h.ctx.Err()))
}

// logLost logs each acknowledged receipt that was not delivered, to the
// configured logger or slog.Default(): type, IDs and status, no phone
// number.
func (h *ReceiptHandler) logLost(receipts []Receipt, msg string) {
	l := h.lossLogger()
	for _, rc := range receipts {
		l.Error(msg, "receipt", rc)
	}
}

func (h *ReceiptHandler) lossLogger() *slog.Logger {
	if h.cfg.logger != nil {
		return h.cfg.logger
	}
	return slog.Default()
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
// given, drops the batches still queued, waits for the running calls to
// return, and returns ctx's error. In asynchronous mode the dropped batches
// had been acknowledged, so their receipts are lost: each is logged
// (WithReceiptLogger's logger, else slog.Default()), counted in
// Stats().Dropped and reported to WithReceiptErrorHandler. No goroutine of
// the handler outlives Shutdown, provided the function honours its context.
// Shutdown may be called more than once.
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

// receiptBatch is the receipts one push delivers, and the in-flight record
// that overlapping pushes of the same receipts wait on.
type receiptBatch struct {
	receipts []Receipt    // to give to fn
	keys     []ReceiptKey // the key of every receipt of the push, in push order; set when b is in the flight table
	holds    []flightKey  // the keys it holds, in key order: what other pushes look up
	fresh    []ReceiptKey // the keys of receipts, marked delivered if fn succeeds
	done     chan struct{}
	ok       bool // fn succeeded; set before done is closed
}

// flightTable is the batches being delivered. A push looks its keys up in
// the keys each of them holds: both sides sorted, so a lookup is a merge,
// sequential in memory (a binary search per key in a batch many times
// longer), and a batch that finishes leaves in one step. With no table
// keyed by receipt there is nothing to grow or to clear per key when a
// burst of pushes arrives; a push pays for the keys in flight, which the
// body bound and the number of concurrent pushes bound.
type flightTable struct {
	mu      sync.Mutex
	batches []*receiptBatch
}

// flightKey is a key of a batch in the order lookups use: its first 8 bytes
// (keys are SHA-256, so they spread evenly) and its index in the batch's
// keys, which breaks ties and finds the whole key.
type flightKey struct {
	prefix uint64
	i      uint32
}

// claim returns the batch of receipts this push delivers and the batches
// of overlapping pushes delivering the others. Receipts already delivered,
// or repeated within the push, are in neither.
func (h *ReceiptHandler) claim(receipts []Receipt) (*receiptBatch, []*receiptBatch) {
	b := &receiptBatch{done: make(chan struct{})}
	if h.cfg.dedup == nil {
		b.receipts = receipts
		return b, nil
	}
	b.keys = make([]ReceiptKey, len(receipts))
	for i := range receipts {
		b.keys[i] = receipts[i].DedupKey()
	}
	// Held first, then asked about: a key is in flight or delivered at
	// every moment of another push's delivery (see finish).
	fresh, others := h.flights.hold(b)
	delivered := deliveredKeys(h.cfg.dedup, b.keys)
	m := 0
	for i := range receipts {
		if fresh[i] = fresh[i] && !delivered[i]; fresh[i] {
			receipts[m] = receipts[i]
			m++
		}
	}
	b.receipts, b.fresh = receipts[:m], freshKeys(b.keys, fresh, m)
	h.stats.duplicates.Add(uint64(len(receipts) - m))
	return b, others
}

// freshKeys returns the m keys marked fresh, in order: keys itself when
// all are (the usual push), else a copy, since the flight table refers to
// keys by index.
func freshKeys(keys []ReceiptKey, fresh []bool, m int) []ReceiptKey {
	if m == len(keys) {
		return keys
	}
	out := make([]ReceiptKey, 0, m)
	for i, k := range keys {
		if fresh[i] {
			out = append(out, k)
		}
	}
	return out
}

// hold registers b as holding every key of it not in flight yet, and not
// repeated earlier in the push; it reports which keys b holds, and returns
// the batches holding the others.
func (t *flightTable) hold(b *receiptBatch) ([]bool, []*receiptBatch) {
	sorted := sortKeys(b.keys)
	held := firstOccurrences(b.keys, sorted)
	var others []*receiptBatch
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, g := range t.batches {
		if takeHeld(b.keys, sorted, g, held) {
			others = append(others, g)
		}
	}
	n := 0
	for _, fk := range sorted {
		if held[fk.i] {
			sorted[n] = fk
			n++
		}
	}
	b.holds = sorted[:n]
	t.batches = append(t.batches, b)
	return held, others
}

// release drops b from the table.
func (t *flightTable) release(b *receiptBatch) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i := slices.Index(t.batches, b); i >= 0 {
		last := len(t.batches) - 1
		t.batches[i], t.batches[last] = t.batches[last], nil
		t.batches = t.batches[:last]
	}
}

// sortKeys returns the keys' flightKeys, sorted by prefix, then index: a
// least-significant-digit radix sort, a byte at a time, stable, so equal
// prefixes stay in index order. Linear whatever the keys: a sender who grinds
// keys with equal prefixes cannot make it slower.
func sortKeys(keys []ReceiptKey) []flightKey {
	sorted := make([]flightKey, len(keys))
	if len(keys) == 0 {
		return sorted
	}
	for i := range keys {
		sorted[i] = flightKey{binary.BigEndian.Uint64(keys[i][:8]), uint32(i)}
	}
	scratch := getFlightScratch(len(keys))
	defer flightScratch.Put(scratch)
	from, to := sorted, (*scratch)[:len(keys)]
	for shift := 0; shift < 64; shift += 8 {
		var count [257]int
		for _, fk := range from {
			count[int(byte(fk.prefix>>shift))+1]++
		}
		if count[int(byte(from[0].prefix>>shift))+1] == len(from) {
			continue // one digit for all: this pass would change nothing
		}
		for d := 1; d < len(count); d++ {
			count[d] += count[d-1]
		}
		for _, fk := range from {
			d := byte(fk.prefix >> shift)
			to[count[d]] = fk
			count[d]++
		}
		from, to = to, from
	}
	if &from[0] != &sorted[0] {
		copy(sorted, from)
	}
	return sorted
}

// flightScratch is the radix sort's second buffer, reused between pushes.
var flightScratch sync.Pool // *[]flightKey

// getFlightScratch returns a scratch buffer of at least n flightKeys.
func getFlightScratch(n int) *[]flightKey {
	if p, ok := flightScratch.Get().(*[]flightKey); ok && cap(*p) >= n {
		return p
	}
	s := make([]flightKey, n)
	return &s
}

// firstOccurrences reports, per index, whether the key is the first of its
// value in keys (sorted is sortKeys(keys)).
func firstOccurrences(keys []ReceiptKey, sorted []flightKey) []bool {
	first := make([]bool, len(keys))
	for run := 0; run < len(sorted); {
		end := run + 1
		for end < len(sorted) && sorted[end].prefix == sorted[run].prefix {
			end++
		}
		for j := run; j < end; j++ { // a run is one key but for a crafted prefix collision
			first[sorted[j].i] = !slices.ContainsFunc(sorted[run:j], func(e flightKey) bool {
				return keys[e.i] == keys[sorted[j].i]
			})
		}
		run = end
	}
	return first
}

// takeHeld clears held for every key that g holds and reports whether
// there was one. ours is sortKeys(keys).
func takeHeld(keys []ReceiptKey, ours []flightKey, g *receiptBatch, held []bool) bool {
	found := false
	theirs := g.holds
	for _, fk := range ours {
		// Skip to fk's prefix: one step at a time when the two lists are of a
		// size, by binary search when theirs is much longer.
		if len(theirs) > 16*len(ours) {
			j, _ := slices.BinarySearchFunc(theirs, fk.prefix, func(e flightKey, p uint64) int { return cmp.Compare(e.prefix, p) })
			theirs = theirs[j:]
		} else {
			for len(theirs) > 0 && theirs[0].prefix < fk.prefix {
				theirs = theirs[1:]
			}
		}
		for _, e := range theirs {
			if e.prefix != fk.prefix {
				break
			}
			if g.keys[e.i] == keys[fk.i] {
				held[fk.i], found = false, true
				break
			}
		}
	}
	return found
}

// finish ends b's delivery: on success its fresh keys are marked delivered
// before any key is released, so no push sees a key neither in flight nor
// delivered while it is delivered.
func (h *ReceiptHandler) finish(b *receiptBatch, ok bool) {
	if ok && h.cfg.dedup != nil && len(b.fresh) > 0 {
		markDelivered(h.cfg.dedup, b.fresh)
	}
	if b.keys != nil {
		h.flights.release(b)
	}
	b.ok = ok
	close(b.done)
}

// deliveredKeys asks d which keys are delivered: in one call if d is a
// BatchDeduper.
func deliveredKeys(d Deduper, keys []ReceiptKey) []bool {
	delivered := make([]bool, len(keys))
	if bd, ok := d.(BatchDeduper); ok {
		bd.DeliveredBatch(keys, delivered)
		return delivered
	}
	for i := range keys {
		delivered[i] = d.Delivered(keys[i])
	}
	return delivered
}

// markDelivered marks keys delivered in d: in one call if d is a
// BatchDeduper.
func markDelivered(d Deduper, keys []ReceiptKey) {
	if bd, ok := d.(BatchDeduper); ok {
		bd.MarkDeliveredBatch(keys)
		return
	}
	for _, k := range keys {
		d.MarkDelivered(k)
	}
}

// awaitFlights waits for the batches to finish; it reports whether all
// succeeded before ctx ended.
func awaitFlights(ctx context.Context, batches []*receiptBatch) bool {
	for _, b := range batches {
		select {
		case <-b.done:
			if !b.ok {
				return false
			}
		case <-ctx.Done():
			return false
		}
	}
	return true
}
