package dyvms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultReceiptQueueEndpoint is the MNS endpoint of the receipt queues.
// The queues belong to an Alibaba Cloud account of the service, in
// cn-hangzhou, whatever the region of the caller.
const DefaultReceiptQueueEndpoint = "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com"

// DefaultReceiptTokenEndpoint is the Dybaseapi endpoint that hands out the
// receipt queues' temporary credentials (QueryTokenForMnsQueue).
const DefaultReceiptTokenEndpoint = "https://dybaseapi.aliyuncs.com"

// receiptTokenRefresh is how long before its expiry a queue token is
// replaced.
const receiptTokenRefresh = 2 * time.Minute

// ReceiptQueueConsumer pulls receipts from the queue the service writes
// them into (the console's MNS mode, one queue per message type) and hands
// them to a ReceiptFunc. Any number of consumers, on any number of
// machines, may pull from one queue: each message goes to one of them at a
// time.
//
// Delivery is at least once. A message is deleted from the queue only
// after the function returned nil for it; when the function fails (or
// panics, or the consumer stops first) the message stays and is received
// again once its visibility timeout has passed, by this consumer or
// another. A receipt already delivered (a duplicate, or a message whose
// deletion failed) is recognised by its DedupKey and deleted without
// calling the function again, as far as the Deduper remembers.
//
// Create it with NewReceiptQueueConsumer and run it with Run.
type ReceiptQueueConsumer struct {
	typ    ReceiptType
	fn     ReceiptFunc
	cfg    receiptQueueConfig
	tokens *queueTokens
	mns    *mnsClient

	stats receiptQueueCounters
}

// ReceiptQueueStats counts what a consumer has done since it was created.
type ReceiptQueueStats struct {
	// Received is the number of messages received from the queue,
	// duplicates and redeliveries included.
	Received int64
	// Delivered is the number of receipts the function accepted.
	Delivered int64
	// Duplicates is the number of messages whose receipt had already been
	// delivered; they were deleted without calling the function.
	Duplicates int64
	// Failed is the number of receipts the function failed (or panicked)
	// on; their messages were left in the queue.
	Failed int64
	// Malformed is the number of messages that held no receipt; they were
	// left in the queue and logged.
	Malformed int64
	// Deleted is the number of messages deleted from the queue.
	Deleted int64
	// Errors is the number of failed requests to the queue or to the token
	// service.
	Errors int64
}

type receiptQueueCounters struct {
	received, delivered, duplicates, failed, malformed, deleted, errors atomic.Int64
}

// ReceiptQueueOption configures a ReceiptQueueConsumer.
type ReceiptQueueOption func(*receiptQueueConfig)

type receiptQueueConfig struct {
	queueEndpoint, tokenEndpoint string
	pollers, batch, wait         int
	drain                        time.Duration
	dedup                        Deduper
	logger                       *slog.Logger
	minBackoff, maxBackoff       time.Duration
}

// WithReceiptQueueEndpoint sets the MNS endpoint (scheme://host[:port];
// default DefaultReceiptQueueEndpoint).
func WithReceiptQueueEndpoint(endpoint string) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.queueEndpoint = endpoint }
}

// WithReceiptTokenEndpoint sets the Dybaseapi endpoint that issues the
// queue's temporary credentials (default DefaultReceiptTokenEndpoint).
func WithReceiptTokenEndpoint(endpoint string) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.tokenEndpoint = endpoint }
}

// WithReceiptQueuePollers sets how many batches the consumer receives and
// delivers at once (default 2). Each poller calls the function with one
// batch at a time, so the function may run this many times concurrently.
func WithReceiptQueuePollers(n int) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.pollers = n }
}

// WithReceiptQueueBatch sets how many messages one receive asks for, 1 to
// 16 (default 16).
func WithReceiptQueueBatch(n int) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.batch = n }
}

// WithReceiptQueueWait sets the long-polling wait of one receive in
// seconds, 0 to 30 (default 30): how long the queue holds a receive open
// when it is empty.
func WithReceiptQueueWait(seconds int) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.wait = seconds }
}

// WithReceiptQueueDrain sets how long Run, once its context is done, lets
// batches already received finish: the function and the deletion of what
// it accepted (default 10 s). A batch not finished by then is not deleted
// and is received again later.
func WithReceiptQueueDrain(d time.Duration) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.drain = d }
}

// WithReceiptQueueDeduper replaces the default de-duplication (an
// in-memory record of 100,000 keys kept for an hour). Share one Deduper
// between consumers of one process; pass nil to turn de-duplication off.
func WithReceiptQueueDeduper(d Deduper) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.dedup = d }
}

// WithReceiptQueueLogger logs failures (phone numbers masked, never a
// credential).
func WithReceiptQueueLogger(l *slog.Logger) ReceiptQueueOption {
	return func(c *receiptQueueConfig) { c.logger = l }
}

// NewReceiptQueueConsumer returns a consumer of the queue queueName, which
// holds receipts of type typ (one of ReceiptVoiceReport,
// ReceiptVoiceCallReport, ...; the console shows the queue of each type,
// named like Alicom-Queue-<account>-VoiceReport). client's credentials
// obtain the queue's temporary credentials from Dybaseapi
// (QueryTokenForMnsQueue), which are refreshed two minutes before they
// expire. Nothing is sent before Run.
func NewReceiptQueueConsumer(client *Client, typ ReceiptType, queueName string, fn ReceiptFunc, opts ...ReceiptQueueOption) (*ReceiptQueueConsumer, error) {
	cfg := receiptQueueConfig{
		queueEndpoint: DefaultReceiptQueueEndpoint, tokenEndpoint: DefaultReceiptTokenEndpoint,
		pollers: 2, batch: 16, wait: 30, drain: 10 * time.Second,
		dedup: NewMemoryDeduper(100_000, time.Hour), minBackoff: 200 * time.Millisecond, maxBackoff: 30 * time.Second,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.validate(client, typ, queueName, fn); err != nil {
		return nil, err
	}
	queueEndpoint, err := parseEndpoint(cfg.queueEndpoint, false)
	if err != nil {
		return nil, err
	}
	tokenClient, err := client.withEndpoint(cfg.tokenEndpoint)
	if err != nil {
		return nil, err
	}
	return &ReceiptQueueConsumer{
		typ: typ, fn: fn, cfg: cfg,
		tokens: &queueTokens{client: tokenClient, typ: typ, queue: queueName, now: client.now},
		mns:    &mnsClient{endpoint: queueEndpoint, queue: queueName, http: client.httpClient, now: client.now, sealed: client.sealing != nil},
	}, nil
}

// validate lists every problem of the consumer's settings at once.
func (c *receiptQueueConfig) validate(client *Client, typ ReceiptType, queueName string, fn ReceiptFunc) error {
	var problems []string
	if client == nil {
		problems = append(problems, "client is nil")
	}
	if fn == nil {
		problems = append(problems, "function is nil")
	}
	if typ == ReceiptUnknown {
		problems = append(problems, "receipt type is empty")
	}
	if queueName == "" || strings.ContainsAny(queueName, "/?#% \t\r\n") {
		problems = append(problems, fmt.Sprintf("queue name %q is empty or not a queue name", queueName))
	}
	if c.pollers < 1 || c.pollers > 64 {
		problems = append(problems, fmt.Sprintf("pollers %d not in 1..64", c.pollers))
	}
	if c.batch < 1 || c.batch > 16 {
		problems = append(problems, fmt.Sprintf("batch %d not in 1..16", c.batch))
	}
	if c.wait < 0 || c.wait > 30 {
		problems = append(problems, fmt.Sprintf("wait %d s not in 0..30", c.wait))
	}
	if len(problems) > 0 {
		return errorf("NewReceiptQueueConsumer: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Stats returns the consumer's counts so far.
func (q *ReceiptQueueConsumer) Stats() ReceiptQueueStats {
	s := &q.stats
	return ReceiptQueueStats{
		Received: s.received.Load(), Delivered: s.delivered.Load(), Duplicates: s.duplicates.Load(),
		Failed: s.failed.Load(), Malformed: s.malformed.Load(), Deleted: s.deleted.Load(), Errors: s.errors.Load(),
	}
}

// Run receives and delivers receipts until ctx is done, then lets the
// batches it holds finish (see WithReceiptQueueDrain) and returns
// ctx.Err(). Failed requests are retried with exponential backoff and
// jitter; Run never gives up on its own. Run may be called once.
func (q *ReceiptQueueConsumer) Run(ctx context.Context) error {
	if ctx == nil {
		return errorf("ReceiptQueueConsumer.Run: nil context")
	}
	var wg sync.WaitGroup
	for i := 0; i < q.cfg.pollers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.poll(ctx)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// poll is one poller: receive a batch, deliver it, delete what was
// delivered, until ctx is done.
func (q *ReceiptQueueConsumer) poll(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		msgs, err := q.receive(ctx)
		switch {
		case errors.Is(err, errMNSNoMessage):
			failures = 0
			continue
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			failures++
			q.stats.errors.Add(1)
			q.log(ctx, slog.LevelWarn, "dyvms: receipt queue: receive failed", "error", err, "failures", failures)
			q.backoff(ctx, failures)
			continue
		}
		failures = 0
		q.deliver(ctx, msgs)
	}
}

// receive gets the queue's credentials and one batch of messages. A
// rejection of the credentials drops them, so the next receive asks for
// new ones.
func (q *ReceiptQueueConsumer) receive(ctx context.Context) ([]mnsMessage, error) {
	creds, err := q.tokens.get(ctx)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, time.Duration(q.cfg.wait)*time.Second+15*time.Second)
	defer cancel()
	msgs, err := q.mns.receive(rctx, creds, q.cfg.batch, q.cfg.wait)
	if isAuthRejection(err) {
		q.tokens.invalidate(creds)
	}
	if err == nil {
		q.stats.received.Add(int64(len(msgs)))
	}
	return msgs, err
}

// deliver parses a batch, calls the function with the receipts not
// delivered before and deletes the messages of those it accepted and of
// the duplicates. It runs on a context that outlives ctx by the drain
// time, so a batch received before a stop is finished rather than lost.
func (q *ReceiptQueueConsumer) deliver(ctx context.Context, msgs []mnsMessage) {
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(q.cfg.drain, cancel)
		context.AfterFunc(dctx, func() { t.Stop() })
	})
	defer stop()

	var fresh []Receipt
	var freshKeys []ReceiptKey
	var freshHandles, done []string
	inBatch := map[ReceiptKey]bool{}
	for _, m := range msgs {
		rc, err := ParseMNSReceipt([]byte(m.MessageBody), q.typ)
		if err != nil {
			q.stats.malformed.Add(1)
			q.log(dctx, slog.LevelError, "dyvms: receipt queue: message holds no receipt; left in the queue",
				"message_id", m.MessageID, "dequeue_count", m.DequeueCount, "error", maskDigitRuns(err.Error()))
			continue
		}
		key := rc.DedupKey()
		if q.cfg.dedup != nil && (inBatch[key] || q.cfg.dedup.Delivered(key)) {
			// A repeat within the batch is deleted with the batch's
			// delivered messages, and only if they are.
			q.stats.duplicates.Add(1)
			if inBatch[key] {
				freshHandles = append(freshHandles, m.ReceiptHandle)
			} else {
				done = append(done, m.ReceiptHandle)
			}
			continue
		}
		inBatch[key] = true
		fresh = append(fresh, rc)
		freshKeys = append(freshKeys, key)
		freshHandles = append(freshHandles, m.ReceiptHandle)
	}
	if len(fresh) > 0 {
		if err := q.call(dctx, fresh); err != nil {
			q.stats.failed.Add(int64(len(fresh)))
			q.log(dctx, slog.LevelError, "dyvms: receipt function failed; messages left in the queue",
				"count", len(fresh), "first", fresh[0], "error", maskDigitRuns(err.Error()))
		} else {
			q.markDelivered(freshKeys)
			q.stats.delivered.Add(int64(len(fresh)))
			done = append(done, freshHandles...)
		}
	}
	q.delete(dctx, done)
}

// call runs the function, turning a panic into an error.
func (q *ReceiptQueueConsumer) call(ctx context.Context, receipts []Receipt) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dyvms: receipt function panicked: %v", p)
		}
	}()
	return q.fn(ctx, receipts)
}

// markDelivered records the keys of receipts the function accepted: only
// then, so a receipt whose delivery failed is never taken for a duplicate.
func (q *ReceiptQueueConsumer) markDelivered(keys []ReceiptKey) {
	if q.cfg.dedup != nil {
		markDelivered(q.cfg.dedup, keys)
	}
}

// delete deletes delivered messages. A failure leaves them in the queue:
// they come back after their visibility timeout and are recognised as
// duplicates.
func (q *ReceiptQueueConsumer) delete(ctx context.Context, handles []string) {
	if len(handles) == 0 {
		return
	}
	err := q.deleteOnce(ctx, handles)
	if isAuthRejection(err) {
		// The credentials expired (or were revoked) since the receive: the
		// handles are still good, so delete again with new ones rather
		// than let the delivered messages come back.
		q.stats.errors.Add(1)
		err = q.deleteOnce(ctx, handles)
	}
	if err != nil {
		q.stats.errors.Add(1)
		q.log(ctx, slog.LevelWarn, "dyvms: receipt queue: delete failed; the messages will be received again", "count", len(handles), "error", err)
		return
	}
	q.stats.deleted.Add(int64(len(handles)))
}

// deleteOnce deletes with the current credentials, dropping them when
// the queue refuses them.
func (q *ReceiptQueueConsumer) deleteOnce(ctx context.Context, handles []string) error {
	creds, err := q.tokens.get(ctx)
	if err != nil {
		return err
	}
	err = q.mns.delete(ctx, creds, handles)
	if isAuthRejection(err) {
		q.tokens.invalidate(creds)
	}
	return err
}

// isAuthRejection reports whether the queue refused the credentials.
func isAuthRejection(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden)
}

// backoff sleeps before the next receive after n failures in a row:
// exponential from the minimum to the maximum, with full jitter.
func (q *ReceiptQueueConsumer) backoff(ctx context.Context, n int) {
	d := q.cfg.minBackoff << min(n-1, 16)
	if d <= 0 || d > q.cfg.maxBackoff {
		d = q.cfg.maxBackoff
	}
	d = time.Duration(rand.Int64N(int64(d)) + 1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (q *ReceiptQueueConsumer) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if q.cfg.logger != nil {
		q.cfg.logger.Log(ctx, level, msg, args...)
	}
}

// queueTokens holds the queue's temporary credentials and replaces them
// before they expire.
type queueTokens struct {
	client *Client
	typ    ReceiptType
	queue  string
	now    func() time.Time

	mu      sync.Mutex
	current mnsCredentials
	expires time.Time
}

// messageToken is the answer of QueryTokenForMnsQueue.
type messageToken struct {
	ResponseMeta
	MessageTokenDTO struct {
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string `json:"AccessKeySecret"`
		SecurityToken   string `json:"SecurityToken"`
		CreateTime      string `json:"CreateTime"`
		ExpireTime      string `json:"ExpireTime"`
	} `json:"MessageTokenDTO"`
}

// get returns credentials valid for at least receiptTokenRefresh more,
// asking Dybaseapi for new ones when needed (one request for all pollers).
func (t *queueTokens) get(ctx context.Context) (mnsCredentials, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current.accessKeyID != "" && t.now().Add(receiptTokenRefresh).Before(t.expires) {
		return t.current, nil
	}
	var out messageToken
	params := url.Values{"MessageType": {string(t.typ)}, "QueueName": {t.queue}}
	if err := t.client.Do(ctx, "QueryTokenForMnsQueue", params, &out); err != nil {
		return mnsCredentials{}, err
	}
	dto := out.MessageTokenDTO
	expires := chinaDateTime(dto.ExpireTime)
	if dto.AccessKeyID == "" || dto.AccessKeySecret == "" || expires.IsZero() {
		e := newError("QueryTokenForMnsQueue", http.StatusOK, nil, redactor{})
		e.RequestID = out.RequestID
		return mnsCredentials{}, e.notEnvelope("answer without AccessKeyId, AccessKeySecret or a valid ExpireTime", nil, redactor{})
	}
	t.current = mnsCredentials{accessKeyID: dto.AccessKeyID, accessKeySecret: dto.AccessKeySecret, securityToken: dto.SecurityToken}
	t.expires = expires
	return t.current, nil
}

// invalidate drops creds if they are still the current ones.
func (t *queueTokens) invalidate(creds mnsCredentials) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current == creds {
		t.current, t.expires = mnsCredentials{}, time.Time{}
	}
}

// withEndpoint returns a copy of c that sends to endpoint, with the same
// credentials, transport, retries and logging.
func (c *Client) withEndpoint(endpoint string) (*Client, error) {
	ep, err := parseEndpoint(endpoint, false)
	if err != nil {
		return nil, err
	}
	cp := *c
	cp.endpoint = ep
	return &cp, nil
}
