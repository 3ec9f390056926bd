package dyvms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiptSoak is the state of the receipts soak: what the function
// delivered, and what the pushers saw.
type receiptSoak struct {
	mu        sync.Mutex
	delivered map[string]int // call ID -> deliveries

	pushes, storms, refused, ackedAhead, injected atomic.Int64
}

// fn is the receipt function: it fails or panics at random, sometimes
// slowly, so that re-pushes overlap its deliveries; it records a batch only
// when it succeeds.
func (s *receiptSoak) fn(ctx context.Context, rs []Receipt) error {
	r := rand.IntN(100)
	if r < 30 {
		time.Sleep(time.Duration(rand.IntN(4)) * time.Millisecond)
	}
	switch {
	case r < 12:
		s.injected.Add(1)
		return errors.New("soak: store unavailable")
	case r < 15:
		s.injected.Add(1)
		panic("soak: bug")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rc := range rs {
		s.delivered[rc.CallID()]++
	}
	return nil
}

// deliveredAll reports whether every receipt of ids was delivered.
func (s *receiptSoak) deliveredAll(ids []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if s.delivered[id] == 0 {
			return false
		}
	}
	return true
}

// push sends one push; it reports whether it was acknowledged, and checks
// that an acknowledged push's receipts had all been delivered by then.
func (s *receiptSoak) push(t *testing.T, c *http.Client, url string, ids []string) bool {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"call_id":%q,"status_code":"200000","callee":"139%08d"}`, id, i)
	}
	b.WriteByte(']')
	s.pushes.Add(1)
	resp, err := c.Post(url, "application/json", strings.NewReader(b.String()))
	if err != nil {
		return false // as the service: a failed push is pushed again
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.refused.Add(1)
		return false
	}
	if !s.deliveredAll(ids) {
		s.ackedAhead.Add(1)
	}
	return true
}

// deliverBatch pushes ids until acknowledged, each time as a storm of 1 to
// 4 identical pushes at once, sometimes merged with receipts pushed before.
func (s *receiptSoak) deliverBatch(t *testing.T, c *http.Client, url string, ids, earlier []string) {
	for attempt := 0; attempt < 200; attempt++ {
		push := ids
		if len(earlier) > 0 && rand.IntN(4) == 0 {
			push = append(append([]string(nil), ids...), earlier[rand.IntN(len(earlier))])
		}
		n := 1 + rand.IntN(4)
		if n > 1 {
			s.storms.Add(1)
		}
		var acked atomic.Bool
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if s.push(t, c, url, push) {
					acked.Store(true)
				}
			}()
		}
		wg.Wait()
		if acked.Load() {
			return
		}
	}
	t.Errorf("batch starting %s never acknowledged", ids[0])
}

// TestReceiptSoak pushes receiptSoakReceipts receipts (6,000 in CI, 60,000
// with -tags soak) in batches of 1 to 40 through a loopback server, as
// storms of overlapping identical pushes, merged re-pushes, and a function
// that fails, panics or is slow at random. Every receipt must be delivered
// at least once, no push acknowledged before its receipts were delivered,
// and no goroutine left behind.
func TestReceiptSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	baseline := runtime.NumGoroutine()
	start := time.Now()
	s := &receiptSoak{delivered: map[string]int{}}
	h := NewReceiptHandler(s.fn, WithReceiptTypes(ReceiptVoiceReport), WithReceiptTimeout(5*time.Second))
	srv := httptest.NewServer(h)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

	var batches [][]string
	for next := 0; next < receiptSoakReceipts; {
		n := min(1+rand.IntN(40), receiptSoakReceipts-next)
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("soak-%06d", next+i)
		}
		batches = append(batches, ids)
		next += n
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var earlier []string
				if i > 0 {
					earlier = batches[rand.IntN(i)]
				}
				s.deliverBatch(t, client, srv.URL, batches[i], earlier)
			}
		}()
	}
	for i := range batches {
		work <- i
	}
	close(work)
	wg.Wait()

	srv.Close()
	client.CloseIdleConnections()
	require.NoError(t, h.Close())

	missing, twice := 0, 0
	for i := 0; i < receiptSoakReceipts; i++ {
		switch s.delivered[fmt.Sprintf("soak-%06d", i)] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	st := h.Stats()
	t.Logf("receipts soak: %d receipts in %d batches, %d pushes (%d storms of 2-4 identical pushes), %d answered 5xx, "+
		"%d function failures or panics injected; delivered %d, skipped as duplicates %d, failed %d; "+
		"%d never delivered, %d delivered twice, %d acknowledged ahead of delivery; %s",
		receiptSoakReceipts, len(batches), s.pushes.Load(), s.storms.Load(), s.refused.Load(), s.injected.Load(),
		st.Delivered, st.Duplicates, st.Failed, missing, twice, s.ackedAhead.Load(), time.Since(start).Round(time.Millisecond))
	assert.Zero(t, missing, "every receipt delivered at least once")
	assert.Zero(t, s.ackedAhead.Load(), "no push acknowledged before its receipts were delivered")
	assert.Zero(t, twice, "one process: no receipt delivered twice")
	waitReceiptGoroutines(t, baseline)
}
