package dyvms

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenBucketLimits(t *testing.T) {
	l := NewTokenBucketLimiter(1)
	assert.Equal(t, 1000.0, l.Limit("SingleCallByTts"), "per-user QPS")
	assert.Equal(t, 100.0, l.Limit("QueryCallDetailByCallId"))
	assert.Equal(t, 100.0, l.Limit("GetMqttToken"), "per-user where the API figure is 0")
	assert.Equal(t, 0.0, l.Limit("BatchRobotSmartCall"), "no documented QPS: not limited")
	assert.Equal(t, 0.0, l.Limit("NoSuchAction"))
	assert.Equal(t, 250.0, NewTokenBucketLimiter(0.25).Limit("SingleCallByTts"), "a fleet share")
	assert.Equal(t, 1000.0, NewTokenBucketLimiter(7).Limit("SingleCallByTts"), "bad fraction: 1")
}

// newPacedLimiter is a limiter on a clock that stands still unless the test
// moves it, whose pauses are recorded instead of slept.
func newPacedLimiter(fraction float64) (*TokenBucketLimiter, *relClock, *relSleeps) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sleeps := &relSleeps{}
	l := NewTokenBucketLimiter(fraction)
	l.now, l.sleep = clock.now, sleeps.sleep
	return l, clock, sleeps
}

func TestTokenBucketPaces(t *testing.T) {
	l, clock, sleeps := newPacedLimiter(0.5) // GetToken: 20/s → 10/s, burst 10
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		require.NoError(t, l.Wait(ctx, "GetToken"))
	}
	assert.Empty(t, sleeps.recorded(), "the burst passes at once")
	// The 11th waits for one token at 10/s.
	require.NoError(t, l.Wait(ctx, "GetToken"))
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, sleeps.recorded())

	// Refill by the clock: a second later 9 more pass at once (the 11th
	// borrowed one token).
	clock.advance(time.Second)
	for i := 0; i < 9; i++ {
		require.NoError(t, l.Wait(ctx, "GetToken"))
	}
	assert.Len(t, sleeps.recorded(), 1)

	// A wait past the deadline fails without pausing and gives its token
	// back.
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	l.mu.Lock()
	l.buckets["GetToken"].tokens = -5 // half a second behind
	l.mu.Unlock()
	err := l.Wait(dctx, "GetToken")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, sleeps.recorded(), 1, "no pause for a wait that cannot end in time")
	l.mu.Lock()
	assert.Equal(t, -5.0, l.buckets["GetToken"].tokens)
	l.mu.Unlock()

	// A pause the context cuts short gives its token back too.
	cctx, cancelNow := context.WithCancel(ctx)
	cancelNow()
	l.mu.Lock()
	l.buckets["GetToken"].tokens = 0
	l.mu.Unlock()
	assert.ErrorIs(t, l.Wait(cctx, "GetToken"), context.Canceled)

	// Unlimited Actions never wait.
	for i := 0; i < 1000; i++ {
		require.NoError(t, l.Wait(ctx, "BatchRobotSmartCall"))
	}
	assert.Len(t, sleeps.recorded(), 1)
}

func TestTokenBucketConcurrentRate(t *testing.T) {
	l, _, sleeps := newPacedLimiter(0.05) // QueryCallDetailByCallId: 100/s → 5/s, burst 5
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, l.Wait(context.Background(), "QueryCallDetailByCallId"))
		}()
	}
	wg.Wait()
	// 5 pass at once; the next 5 are paced 200 ms apart, whatever order
	// the goroutines ran in.
	got := sleeps.recorded()
	slices.Sort(got)
	assert.Equal(t, []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 600 * time.Millisecond,
		800 * time.Millisecond, 1000 * time.Millisecond}, got)
}

func TestClientCallsLimiterPerAttempt(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			relFail(w, 503, "ServiceUnavailable", nil)
			return
		}
		relOK(w, r)
	})
	var waits atomic.Int32
	var actions sync.Map
	lim := RateLimiterFunc(func(ctx context.Context, action string) error {
		waits.Add(1)
		actions.Store(action, true)
		return nil
	})
	c := newRelClient(t, srv.URL, WithRateLimiter(lim))
	require.NoError(t, relQueryDetail(context.Background(), c))
	assert.Equal(t, int32(2), waits.Load(), "once per attempt")
	_, ok := actions.Load("QueryCallDetailByCallId")
	assert.True(t, ok)

	denied := errors.New("fleet budget exhausted")
	c = newRelClient(t, srv.URL, WithRateLimiter(RateLimiterFunc(func(context.Context, string) error { return denied })))
	before := len(srv.requests())
	err := relQueryDetail(context.Background(), c)
	assert.ErrorIs(t, err, denied)
	assert.Len(t, srv.requests(), before, "nothing sent")

	c = newRelClient(t, srv.URL, WithRateLimiter(NewTokenBucketLimiter(1)))
	require.NoError(t, relQueryDetail(context.Background(), c))
}
