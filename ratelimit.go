package dyvms

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// RateLimiter paces requests on the client side. The client calls Wait
// before every attempt (retries included) and sends only when it returns
// nil; an error ends the call with that error wrapped. Wait must be safe
// for concurrent use and should return promptly when ctx ends.
//
// TokenBucketLimiter paces one process by the documented per-Action QPS;
// a fleet-wide limiter (one backed by a shared store) plugs in through this
// interface or RateLimiterFunc.
type RateLimiter interface {
	Wait(ctx context.Context, action string) error
}

// RateLimiterFunc adapts a function to RateLimiter.
type RateLimiterFunc func(ctx context.Context, action string) error

// Wait implements RateLimiter.
func (f RateLimiterFunc) Wait(ctx context.Context, action string) error { return f(ctx, action) }

// TokenBucketLimiter allows each Action its documented per-user QPS (the
// API-level QPS where no per-user figure is documented), times a fraction,
// with a burst of one second's worth. Actions without a documented QPS,
// and Actions the SDK does not know, are not limited.
type TokenBucketLimiter struct {
	fraction float64
	// now and sleep are the clock and the pause, replaced in tests as the
	// retrier's are (withRetryClock).
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu      sync.Mutex
	buckets map[string]*tokenBucket
}

type tokenBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// NewTokenBucketLimiter returns a limiter at fraction of the documented
// QPS: 1 for a single process, 1/N for each of N processes that share one
// account. A fraction outside (0, 1] is treated as 1.
func NewTokenBucketLimiter(fraction float64) *TokenBucketLimiter {
	if !(fraction > 0 && fraction <= 1) {
		fraction = 1
	}
	return &TokenBucketLimiter{fraction: fraction, now: time.Now, sleep: sleepCtx, buckets: map[string]*tokenBucket{}}
}

// Limit returns the rate applied to action in requests per second, or 0
// when it is not limited.
func (l *TokenBucketLimiter) Limit(action string) float64 {
	info := actionTable[action]
	qps := info.userQPS
	if qps == 0 {
		qps = info.apiQPS
	}
	return float64(qps) * l.fraction
}

// Wait implements RateLimiter: it takes a token from action's bucket,
// sleeping until one is due. When the sleep would outlast ctx's deadline it
// returns at once with an error matching context.DeadlineExceeded.
func (l *TokenBucketLimiter) Wait(ctx context.Context, action string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rate := l.Limit(action)
	if rate <= 0 {
		return nil
	}
	l.mu.Lock()
	b := l.buckets[action]
	now := l.now()
	if b == nil {
		burst := rate
		if burst < 1 {
			burst = 1
		}
		b = &tokenBucket{rate: rate, burst: burst, tokens: burst, last: now}
		l.buckets[action] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens += elapsed * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
	b.tokens--
	var wait time.Duration
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	l.mu.Unlock()
	if wait == 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		l.giveBack(b)
		return fmt.Errorf("rate limit of %g/s for %s needs a wait of %v, past the context deadline: %w", rate, action, wait, context.DeadlineExceeded)
	}
	if err := l.sleep(ctx, wait); err != nil {
		l.giveBack(b)
		return err
	}
	return nil
}

// giveBack returns a token reserved by a Wait that did not send.
func (l *TokenBucketLimiter) giveBack(b *tokenBucket) {
	l.mu.Lock()
	b.tokens++
	if b.tokens > b.burst {
		b.tokens = b.burst
	}
	l.mu.Unlock()
}
