// Command receipts-queue receives call receipts from the queue the service
// writes them into (the console's MNS mode) with
// dyvms.NewReceiptQueueConsumer: no public endpoint is needed, and any
// number of consumers, on any number of machines, share the work.
//
//	go run ./examples/receipts-queue
//
// Without ALIBABA_CLOUD_* credentials it runs end to end on loopback: a fake
// receipt queue, the embedded fake Dyvmsapi set to put each call's
// VoiceReport into it, three calls placed, and two consumers sharing the
// queue, printing each receipt once it is delivered.
//
// With credentials it consumes the real queue named by
// DYVMS_EXAMPLE_QUEUE (the console shows it, for example
// Alicom-Queue-1234567890123456-VoiceReport) and prints VoiceReports until
// interrupted. Run it on as many machines as you like.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

// offlineQueue is the queue's name on the fake.
const offlineQueue = "Alicom-Queue-1234567890123456-VoiceReport"

// receiptWait bounds the wait for the receipts of the calls placed offline.
const receiptWait = 10 * time.Second

func main() { exampleenv.Main("receipts-queue", run) }

func run(ctx context.Context, out io.Writer) error {
	if !exampleenv.Offline() {
		return runReal(ctx, out)
	}
	queues := dyvmstest.NewQueues()
	defer queues.Close()
	env, err := exampleenv.Setup(out, dyvmstest.WithReceiptQueue(dyvmstest.VoiceReport, queues, offlineQueue))
	if err != nil {
		return err
	}
	defer env.Close()
	fmt.Fprintf(out, "fake receipt queue %s at %s\n", offlineQueue, queues.URL)

	var outIDs []string
	for i := 1; i <= 3; i++ {
		req := &dyvms.SingleCallByTtsRequest{CalledNumber: fmt.Sprintf("1390000%04d", 1233+i), TtsCode: "TTS_100000",
			TtsParam: map[string]string{"code": "1234"}, OutID: fmt.Sprintf("order-%d", 40+i)}
		resp, err := env.Client.SingleCallByTts(ctx, req)
		if err != nil {
			return fmt.Errorf("SingleCallByTts: %w", err)
		}
		outIDs = append(outIDs, req.OutID)
		fmt.Fprintf(out, "call placed: CallId %s (OutId %s)\n", resp.CallID, req.OutID)
	}
	return consumeOffline(ctx, out, env.Client, queues, len(outIDs))
}

// consumeOffline runs two consumers on the fake queue until want receipts
// are delivered.
func consumeOffline(ctx context.Context, out io.Writer, client *dyvms.Client, queues *dyvmstest.Queues, want int) error {
	p := &printer{out: out, done: make(chan struct{}), want: want}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var err error
	for i := 1; i <= 2; i++ {
		c, cerr := dyvms.NewReceiptQueueConsumer(client, dyvms.ReceiptVoiceReport, offlineQueue, p.deliver(i),
			dyvms.WithReceiptQueueEndpoint(queues.URL), dyvms.WithReceiptTokenEndpoint(queues.URL), dyvms.WithReceiptQueueWait(1))
		if cerr != nil {
			return cerr
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Run(cctx)
		}()
	}
	select {
	case <-p.done:
	case <-time.After(receiptWait):
		err = errors.New("the receipts did not all arrive in time")
	case <-ctx.Done():
		err = ctx.Err()
	}
	// Stop receiving; the consumers finish the batches they hold, deleting
	// the messages of the receipts delivered.
	cancel()
	wg.Wait()
	if err == nil {
		fmt.Fprintf(out, "%d receipts delivered; %d messages deleted from the queue\n", want, queues.Stats(offlineQueue).Deleted)
	}
	return err
}

// printer prints delivered receipts and says when it has seen want.
type printer struct {
	mu   sync.Mutex
	out  io.Writer
	seen int
	want int
	done chan struct{}
}

// deliver is consumer n's receipt function. Returning nil lets the
// consumer delete the messages; an error leaves them in the queue for a
// later delivery.
func (p *printer) deliver(n int) dyvms.ReceiptFunc {
	return func(_ context.Context, receipts []dyvms.Receipt) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, rc := range receipts {
			if r, ok := rc.VoiceReport(); ok {
				fmt.Fprintf(p.out, "consumer %d: VoiceReport CallId %s  OutId %s  %s (%s)  callee %s  talked %s\n",
					n, r.CallID, r.OutID, r.StatusCode, r.StatusCode.Meaning(), exampleenv.Mask(r.Callee), r.TalkDuration())
			}
			if p.seen++; p.seen == p.want {
				close(p.done)
			}
		}
		return nil
	}
}

// runReal consumes the real queue until interrupted.
func runReal(ctx context.Context, out io.Writer) error {
	queue := os.Getenv("DYVMS_EXAMPLE_QUEUE")
	if queue == "" {
		return errors.New("with ALIBABA_CLOUD_* credentials set this example consumes a real receipt queue: " +
			"set DYVMS_EXAMPLE_QUEUE to the VoiceReport queue's name the console shows")
	}
	client, err := dyvms.NewClient()
	if err != nil {
		return err
	}
	p := &printer{out: out, want: -1}
	c, err := dyvms.NewReceiptQueueConsumer(client, dyvms.ReceiptVoiceReport, queue, p.deliver(1))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "consuming %s; Ctrl+C to stop\n", queue)
	if err := c.Run(ctx); !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
