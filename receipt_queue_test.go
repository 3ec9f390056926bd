package dyvms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

const testQueue = "Alicom-Queue-1234567890-VoiceReport"

// queueHarness is a fake of the receipt queues and a client holding the
// account key pair it accepts.
type queueHarness struct {
	queues *dyvmstest.Queues
	client *dyvms.Client
}

func newQueueHarness(t *testing.T, opts ...dyvmstest.QueuesOption) *queueHarness {
	t.Helper()
	q := dyvmstest.NewQueues(opts...)
	t.Cleanup(q.Close)
	c, err := dyvms.NewClient(dyvms.WithAccessKey(q.AccessKeyID, q.AccessKeySecret), dyvms.WithEndpoint(q.URL))
	require.NoError(t, err)
	return &queueHarness{queues: q, client: c}
}

// consumer returns a consumer of testQueue on the fake with a short long
// poll.
func (h *queueHarness) consumer(t *testing.T, fn dyvms.ReceiptFunc, opts ...dyvms.ReceiptQueueOption) *dyvms.ReceiptQueueConsumer {
	t.Helper()
	opts = append([]dyvms.ReceiptQueueOption{
		dyvms.WithReceiptQueueEndpoint(h.queues.URL), dyvms.WithReceiptTokenEndpoint(h.queues.URL),
		dyvms.WithReceiptQueueWait(1),
	}, opts...)
	c, err := dyvms.NewReceiptQueueConsumer(h.client, dyvms.ReceiptVoiceReport, testQueue, fn, opts...)
	require.NoError(t, err)
	return c
}

// run runs c until cond holds (checked every 5 ms) or 20 s pass, then stops
// it and waits for Run to return.
func run(t *testing.T, c *dyvms.ReceiptQueueConsumer, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	require.True(t, cond(), "condition not reached; stats %+v", c.Stats())
}

func voiceReportJSON(callID, outID string) []byte {
	b, _ := json.Marshal(map[string]any{
		"call_id": callID, "out_id": outID, "status_code": "200000", "status_msg": "用户听完",
		"callee": "13900001234", "caller": "057100000000", "duration": "7",
		"start_time": "2026-11-29 19:57:46", "end_time": "2026-11-29 19:57:53",
	})
	return b
}

// recording is a ReceiptFunc that records each delivered receipt's call ID.
type recording struct {
	mu        sync.Mutex
	delivered map[string]int
	reports   []*dyvms.VoiceReport
}

func (r *recording) fn(_ context.Context, rcs []dyvms.Receipt) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.delivered == nil {
		r.delivered = map[string]int{}
	}
	for _, rc := range rcs {
		r.delivered[rc.CallID()]++
		if v, ok := rc.VoiceReport(); ok {
			r.reports = append(r.reports, v)
		}
	}
	return nil
}

func (r *recording) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.delivered)
}

func TestReceiptQueueDeliversTypedReceiptsAndDeletesThem(t *testing.T) {
	h := newQueueHarness(t)
	for i := 0; i < 3; i++ {
		h.queues.SendReceipt(testQueue, voiceReportJSON(fmt.Sprintf("1160123541%02d^102813780001", i), fmt.Sprintf("order-%d", i)))
	}
	var rec recording
	c := h.consumer(t, rec.fn)
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 3 })

	require.Len(t, rec.reports, 3)
	r := rec.reports[0]
	assert.Equal(t, "116012354100^102813780001", r.CallID)
	assert.Equal(t, "order-0", r.OutID)
	assert.Equal(t, dyvms.CallStatus("200000"), r.StatusCode)
	assert.EqualValues(t, 7, r.Duration)
	assert.Equal(t, dyvmstest.QueueStats{Deleted: 3}, h.queues.Stats(testQueue))
	s := c.Stats()
	assert.Equal(t, int64(3), s.Received)
	assert.Equal(t, int64(3), s.Delivered)
	assert.Equal(t, int64(3), s.Deleted)
	assert.Equal(t, 1, h.queues.Requests()["QueryTokenForMnsQueue"], "one token for all pollers")
}

// A failed function leaves its messages in the queue: they come back after
// the visibility timeout and are delivered then; nothing is deleted before
// its receipt was delivered.
func TestReceiptQueueFailureLeavesMessagesForRedelivery(t *testing.T) {
	var rec recording
	var deletedEarly atomic.Int32
	h := newQueueHarness(t, dyvmstest.WithVisibilityTimeout(150*time.Millisecond),
		dyvmstest.WithDeleteHook(func(_ string, m dyvmstest.QueueMessage) {
			if rec.count() == 0 {
				deletedEarly.Add(1)
			}
		}))
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^1", "a"))
	var calls atomic.Int32
	fn := func(ctx context.Context, rcs []dyvms.Receipt) error {
		if calls.Add(1) == 1 {
			return errors.New("database down")
		}
		return rec.fn(ctx, rcs)
	}
	c := h.consumer(t, fn, dyvms.WithReceiptQueuePollers(1))
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 1 })
	assert.EqualValues(t, 2, calls.Load())
	assert.Zero(t, deletedEarly.Load())
	assert.Equal(t, int64(1), c.Stats().Failed)
	assert.Equal(t, int64(1), c.Stats().Delivered)
}

// A panicking function is a failure like any other.
func TestReceiptQueuePanicIsContained(t *testing.T) {
	h := newQueueHarness(t, dyvmstest.WithVisibilityTimeout(100*time.Millisecond))
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^2", "b"))
	var calls atomic.Int32
	c := h.consumer(t, func(context.Context, []dyvms.Receipt) error {
		if calls.Add(1) == 1 {
			panic("boom")
		}
		return nil
	}, dyvms.WithReceiptQueuePollers(1))
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 1 })
	assert.Equal(t, int64(1), c.Stats().Failed)
}

// The same receipt twice (the service wrote it twice, or a delete was
// lost): the function sees it once, both messages are deleted.
func TestReceiptQueueDuplicatesDeliveredOnce(t *testing.T) {
	h := newQueueHarness(t)
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^3", "c"))
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^3", "c"))
	var rec recording
	c := h.consumer(t, rec.fn, dyvms.WithReceiptQueuePollers(1), dyvms.WithReceiptQueueBatch(1))
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 2 })
	assert.Equal(t, map[string]int{"116012354148^3": 1}, rec.delivered)
	assert.Equal(t, int64(1), c.Stats().Duplicates)
}

// A message that holds no receipt is left in the queue and counted, and
// the receipts beside it are delivered.
func TestReceiptQueueMalformedMessageLeftAndCounted(t *testing.T) {
	h := newQueueHarness(t, dyvmstest.WithVisibilityTimeout(time.Hour))
	h.queues.Send(testQueue, "not base64 ~~~")
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^4", "d"))
	var rec recording
	var logs bytes.Buffer
	c := h.consumer(t, rec.fn, dyvms.WithReceiptQueueLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 1 && c.Stats().Malformed == 1 })
	assert.Equal(t, 1, rec.count())
	assert.Equal(t, dyvmstest.QueueStats{InFlight: 1, Deleted: 1}, h.queues.Stats(testQueue))
	assert.Contains(t, logs.String(), "message holds no receipt")
}

// Credentials are refreshed two minutes before they expire; a rejected
// token is dropped and a new one asked for; no credential reaches a log.
func TestReceiptQueueTokenRefreshAndNoSecretInLogs(t *testing.T) {
	h := newQueueHarness(t, dyvmstest.WithQueueTokenTTL(2*time.Minute+time.Second))
	var rec recording
	var logs lockedWriter
	c := h.consumer(t, rec.fn, dyvms.WithReceiptQueuePollers(1), dyvms.WithReceiptQueueWait(0),
		dyvms.WithReceiptQueueLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	go func() {
		for i := 0; i < 4; i++ {
			time.Sleep(700 * time.Millisecond)
			h.queues.SendReceipt(testQueue, voiceReportJSON(fmt.Sprintf("116012354148^9%d", i), "e"))
		}
	}()
	run(t, c, func() bool { return rec.count() == 4 && h.queues.Stats(testQueue).Deleted == 4 })
	assert.GreaterOrEqual(t, h.queues.Requests()["QueryTokenForMnsQueue"], 2, "the short-lived token was replaced")
	assert.NotContains(t, logs.String(), h.queues.AccessKeySecret)
}

// Credentials the queue refuses (revoked, expired early) are dropped and
// new ones asked for.
func TestReceiptQueueRejectedTokenIsReplaced(t *testing.T) {
	h := newQueueHarness(t)
	var rec recording
	c := h.consumer(t, rec.fn, dyvms.WithReceiptQueuePollers(1), dyvms.WithReceiptQueueWait(0))
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^6", "g"))
	go func() {
		for h.queues.Stats(testQueue).Deleted == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		h.queues.RevokeTokens()
		h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^7", "h"))
	}()
	run(t, c, func() bool { return rec.count() == 2 && h.queues.Stats(testQueue).Deleted == 2 })
	assert.Equal(t, 2, h.queues.Requests()["QueryTokenForMnsQueue"])
	assert.GreaterOrEqual(t, c.Stats().Errors, int64(1))
}

// Credentials that expire while the function runs do not bring the
// delivered messages back: the delete is made again with new credentials.
func TestReceiptQueueTokenRevokedDuringDelivery(t *testing.T) {
	h := newQueueHarness(t, dyvmstest.WithVisibilityTimeout(time.Hour))
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^8", "i"))
	var rec recording
	c := h.consumer(t, func(ctx context.Context, rcs []dyvms.Receipt) error {
		h.queues.RevokeTokens()
		return rec.fn(ctx, rcs)
	}, dyvms.WithReceiptQueuePollers(1))
	run(t, c, func() bool { return h.queues.Stats(testQueue).Deleted == 1 })
	assert.Equal(t, 1, rec.count())
	assert.Equal(t, 2, h.queues.Requests()["QueryTokenForMnsQueue"])
	assert.Equal(t, int64(1), c.Stats().Deleted)
}

type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// The account key is wrong: no token, the consumer backs off and retries,
// counts the errors, delivers nothing and stops when asked.
func TestReceiptQueueWrongAccountKey(t *testing.T) {
	h := newQueueHarness(t)
	bad, err := dyvms.NewClient(dyvms.WithAccessKey(h.queues.AccessKeyID, "wrong-secret"), dyvms.WithEndpoint(h.queues.URL), dyvms.WithMaxAttempts(1))
	require.NoError(t, err)
	h.client = bad
	h.queues.SendReceipt(testQueue, voiceReportJSON("116012354148^5", "f"))
	var rec recording
	c := h.consumer(t, rec.fn)
	run(t, c, func() bool { return c.Stats().Errors >= 2 })
	assert.Zero(t, rec.count())
	assert.Equal(t, 1, h.queues.Stats(testQueue).Visible)
}

func TestNewReceiptQueueConsumerListsEveryProblem(t *testing.T) {
	_, err := dyvms.NewReceiptQueueConsumer(nil, "", "bad/name", nil,
		dyvms.WithReceiptQueuePollers(0), dyvms.WithReceiptQueueBatch(17), dyvms.WithReceiptQueueWait(31))
	require.Error(t, err)
	for _, want := range []string{"client is nil", "function is nil", "receipt type is empty", `queue name "bad/name"`, "pollers 0", "batch 17", "wait 31"} {
		assert.Contains(t, err.Error(), want)
	}
}

// The test: 4 consumers (2 pollers each) on one queue of 10,000
// receipts, a function that fails 5 % of the time. Every receipt is
// delivered, and no message is deleted before its receipt was delivered.
func TestReceiptQueueFourConsumersTenThousandReceipts(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 receipts")
	}
	const total = 10_000
	var (
		mu        sync.Mutex
		delivered = map[string]bool{}
		early     []string
	)
	h := newQueueHarness(t, dyvmstest.WithVisibilityTimeout(300*time.Millisecond),
		dyvmstest.WithDeleteHook(func(_ string, m dyvmstest.QueueMessage) {
			rc, err := dyvms.ParseMNSReceipt([]byte(m.Body), dyvms.ReceiptVoiceReport)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || !delivered[rc.CallID()] {
				early = append(early, m.ID)
			}
		}))
	for i := 0; i < total; i++ {
		h.queues.SendReceipt(testQueue, voiceReportJSON(fmt.Sprintf("1160%08d^1", i), fmt.Sprintf("o%d", i)))
	}
	var calls, failures atomic.Int64
	fn := func(_ context.Context, rcs []dyvms.Receipt) error {
		if calls.Add(1)%20 == 0 { // 5 %
			failures.Add(1)
			return errors.New("transient failure")
		}
		mu.Lock()
		defer mu.Unlock()
		for _, rc := range rcs {
			delivered[rc.CallID()] = true
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	consumers := make([]*dyvms.ReceiptQueueConsumer, 4)
	var wg sync.WaitGroup
	for i := range consumers {
		consumers[i] = h.consumer(t, fn)
		wg.Add(1)
		go func(c *dyvms.ReceiptQueueConsumer) {
			defer wg.Done()
			c.Run(ctx)
		}(consumers[i])
	}
	deadline := time.Now().Add(60 * time.Second)
	for h.queues.Stats(testQueue).Deleted < total && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, delivered, total, "every receipt delivered")
	assert.Empty(t, early, "messages deleted before their receipt was delivered")
	assert.Equal(t, dyvmstest.QueueStats{Deleted: total}, h.queues.Stats(testQueue))
	assert.Positive(t, failures.Load())
	var sum dyvms.ReceiptQueueStats
	for _, c := range consumers {
		s := c.Stats()
		sum.Delivered += s.Delivered
		sum.Failed += s.Failed
		assert.Positive(t, s.Delivered, "every consumer took part")
	}
	assert.GreaterOrEqual(t, sum.Delivered, int64(total))
	t.Logf("%d calls of the function, %d failed (%d receipts), %d receipts delivered", calls.Load(), failures.Load(), sum.Failed, sum.Delivered)
}

// A call placed on the fake Dyvmsapi lands its VoiceReport in the queue,
// and a consumer receives it.
func TestReceiptQueueFilledByTheFakesCallFlow(t *testing.T) {
	h := newQueueHarness(t)
	srv := dyvmstest.NewServer(dyvmstest.WithReceiptQueue(dyvmstest.VoiceReport, h.queues, testQueue))
	defer srv.Close()
	api, err := srv.Client()
	require.NoError(t, err)
	resp, err := api.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "order-77",
	})
	require.NoError(t, err)
	var rec recording
	c := h.consumer(t, rec.fn)
	run(t, c, func() bool { return rec.count() == 1 })
	require.Len(t, rec.reports, 1)
	assert.Equal(t, resp.CallID, rec.reports[0].CallID)
	assert.Equal(t, "order-77", rec.reports[0].OutID)
	assert.True(t, strings.HasSuffix(rec.reports[0].Callee, "1234"))
}
