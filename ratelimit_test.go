package dyvms

import (
	"context"
	"errors"
	"net/http"
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

func TestTokenBucketPaces(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewTokenBucketLimiter(0.5) // GetToken: 20/s → 10/s, burst 10
	l.now = clock.now
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		start := time.Now()
		require.NoError(t, l.Wait(ctx, "GetToken"))
		require.Less(t, time.Since(start), 50*time.Millisecond, "the burst passes at once")
	}
	// The 11th waits about 100 ms of real time (the fake clock stands still).
	start := time.Now()
	require.NoError(t, l.Wait(ctx, "GetToken"))
	assert.InDelta(t, 100*time.Millisecond, time.Since(start), float64(80*time.Millisecond))

	// Refill by the clock.
	clock.advance(time.Second)
	for i := 0; i < 9; i++ {
		start := time.Now()
		require.NoError(t, l.Wait(ctx, "GetToken"))
		require.Less(t, time.Since(start), 50*time.Millisecond)
	}

	// A wait past the deadline fails at once and gives its token back.
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	l.mu.Lock()
	l.buckets["GetToken"].tokens = -5 // half a second behind
	l.mu.Unlock()
	start = time.Now()
	err := l.Wait(dctx, "GetToken")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 15*time.Millisecond)
	l.mu.Lock()
	assert.Equal(t, -5.0, l.buckets["GetToken"].tokens)
	l.mu.Unlock()

	// Unlimited Actions never wait.
	for i := 0; i < 1000; i++ {
		require.NoError(t, l.Wait(ctx, "BatchRobotSmartCall"))
	}
}

func TestTokenBucketConcurrentRate(t *testing.T) {
	l := NewTokenBucketLimiter(0.05) // QueryCallDetailByCallId: 100/s → 5/s, burst 5
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, l.Wait(context.Background(), "QueryCallDetailByCallId"))
		}()
	}
	wg.Wait()
	// 5 pass at once, the next 5 at 200 ms intervals: about 1 s in all.
	elapsed := time.Since(start)
	assert.Greater(t, elapsed, 800*time.Millisecond)
	assert.Less(t, elapsed, 2*time.Second)
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
