package dyvmstest

import (
	"net"
	"sync"
	"time"
)

// config is what Options set.
type config struct {
	keyID, secret string
	listener      net.Listener
	now           func() time.Time
	flowControl   bool
	receiptURLs   map[ReceiptType]string
	receiptQueues map[ReceiptType]receiptQueue
	retry         []time.Duration
	pushTimeout   time.Duration
	outcome       func(Call) CallOutcome
	recordDelay   time.Duration
	sts           *STSServer
}

// Option configures a Server in NewServer.
type Option func(*config)

// WithAccessKey sets the one AccessKey pair the server accepts (default
// DefaultAccessKeyID and DefaultAccessKeySecret).
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return func(c *config) { c.keyID, c.secret = accessKeyID, accessKeySecret }
}

// WithListener serves on l instead of a new listener on a free loopback
// port. The server takes ownership of l and closes it on Close.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithClock replaces the clock of the simulated world: it runs flow
// control, dates calls, tasks, records and receipts, and finishes running
// call tasks. A *Clock's Now method fits; time.Now is the default. Request
// Timestamps and nonces are always checked against the wall clock, which
// clients sign with.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithFlowControl turns on the documented per-callee flow control of the
// call-placing Actions (SingleCallByTts, SingleCallByVoice, IvrCall,
// SmartCall): at most 1 call a minute, 5 an hour and 20 in 24 hours to the
// same CalledNumber, on the server's clock. A call over a limit is answered
// with HTTP 200 and Code isv.BUSINESS_LIMIT_CONTROL and is not placed.
func WithFlowControl() Option {
	return func(c *config) { c.flowControl = true }
}

// WithReceiptURL makes the server push receipts of type t to url after each
// call it places, as the real service does once HTTP batch push is set up
// in the console.
func WithReceiptURL(t ReceiptType, url string) Option {
	return func(c *config) { c.receiptURLs[t] = url }
}

// WithReceiptQueue makes the server put the receipts of type t of each
// call it places into queue name of q, one message per receipt, as the
// real service does once the console's MNS mode is set up for t.
func WithReceiptQueue(t ReceiptType, q *Queues, name string) Option {
	return func(c *config) {
		if c.receiptQueues == nil {
			c.receiptQueues = map[ReceiptType]receiptQueue{}
		}
		c.receiptQueues[t] = receiptQueue{q: q, name: name}
	}
}

type receiptQueue struct {
	q    *Queues
	name string
}

// WithRetrySchedule sets the delays between a failed receipt push and its
// re-pushes (default DefaultRetrySchedule, the real 1, 5 and 10 minutes
// shortened). After the last one the receipt is dropped. No delays means no
// re-push.
func WithRetrySchedule(delays ...time.Duration) Option {
	return func(c *config) { c.retry = append([]time.Duration(nil), delays...) }
}

// WithPushTimeout sets how long the server waits for a receiver's answer to
// a push before counting it failed (default DefaultPushTimeout, 700 ms, as
// the real service).
func WithPushTimeout(d time.Duration) Option {
	return func(c *config) { c.pushTimeout = d }
}

// WithCallRecordDelay makes a call's record (QueryCallDetailByCallId)
// appear only d after the call was placed, on the server's clock, as the
// real service writes it some time after the call ends; until then the
// query answers success with no record. The default is 0: at once.
func WithCallRecordDelay(d time.Duration) Option {
	return func(c *config) { c.recordDelay = d }
}

// WithCallOutcome decides how each placed call ends (default: answered and
// heard to the end after 7 seconds, status 200000). The outcome shows in
// QueryCallDetailByCallId and in the receipts.
func WithCallOutcome(fn func(Call) CallOutcome) Option {
	return func(c *config) { c.outcome = fn }
}

// Clock is a settable clock for WithClock, so tests of Timestamps and flow
// control need not sleep. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
