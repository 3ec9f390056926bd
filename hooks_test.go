package dyvms_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

type hookKey struct{}

func TestCallHookOncePerCallWithItsOutcome(t *testing.T) {
	fake := dyvmstest.NewServer()
	defer fake.Close()
	var calls []dyvms.CallInfo
	var records []dyvms.AttemptRecord
	var seenInMiddleware []any
	c, err := fake.Client(
		dyvms.WithHooks(dyvms.Hooks{
			CallStart: func(ctx context.Context, action string) context.Context {
				return context.WithValue(ctx, hookKey{}, "started "+action)
			},
			Attempt: func(ctx context.Context, a dyvms.AttemptRecord) {
				assert.Equal(t, "started SingleCallByTts", ctx.Value(hookKey{}))
				records = append(records, a)
			},
		}),
		dyvms.WithCallHook(func(ctx context.Context, ci dyvms.CallInfo) {
			if ci.Action == "SingleCallByTts" {
				assert.Equal(t, "started SingleCallByTts", ctx.Value(hookKey{}), "Call gets the CallStart context")
			}
			calls = append(calls, ci)
		}),
		dyvms.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) {
				seenInMiddleware = append(seenInMiddleware, r.Context().Value(hookKey{}))
				return next.RoundTrip(r)
			})
		}),
		dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
	)
	require.NoError(t, err)
	fake.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultThrottle, Times: 1, RetryAfter: time.Millisecond})
	start := time.Now()
	resp, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-hook"})
	require.NoError(t, err)
	elapsed := time.Since(start)

	require.Len(t, calls, 1, "one CallInfo per call, whatever the attempts")
	ci := calls[0]
	assert.Equal(t, "SingleCallByTts", ci.Action)
	assert.Equal(t, 2, ci.Attempts)
	assert.Equal(t, 200, ci.HTTPStatus)
	assert.Equal(t, "OK", ci.Code)
	assert.Equal(t, resp.RequestID, ci.RequestID)
	assert.Equal(t, "o-hook", ci.OutID)
	assert.False(t, ci.Ambiguous)
	assert.NoError(t, ci.Err)
	assert.True(t, ci.Duration > 0 && ci.Duration <= elapsed)
	assert.False(t, ci.Start.Before(start))

	require.Len(t, records, 2)
	assert.Equal(t, dyvms.AttemptInfo{Action: "SingleCallByTts", Attempt: 1}, records[0].AttemptInfo)
	assert.True(t, records[0].Retry)
	assert.Equal(t, "Throttling.User", records[0].Code)
	assert.Error(t, records[0].Err)
	assert.Equal(t, 2, records[1].Attempt)
	assert.NoError(t, records[1].Err)
	assert.Equal(t, []any{"started SingleCallByTts", "started SingleCallByTts"}, seenInMiddleware, "attempts carry the call's context")

	// A call refused before any I/O is still one call, with no attempt.
	_, err = c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{TtsCode: "TTS_100000"})
	require.ErrorIs(t, err, dyvms.ErrInvalidParameter)
	require.Len(t, calls, 2)
	assert.Equal(t, 0, calls[1].Attempts)
	assert.ErrorIs(t, calls[1].Err, dyvms.ErrInvalidParameter)
	assert.Len(t, records, 2, "no attempt record without an attempt")
}

// A call made from inside a hook, with the hook's context, is a call of its
// own: it gets its own CallInfo and does not disturb the outer one.
func TestCallHookNestedCall(t *testing.T) {
	fake := dyvmstest.NewServer()
	defer fake.Close()
	var c *dyvms.Client
	var calls []dyvms.CallInfo
	c, err := fake.Client(dyvms.WithHooks(dyvms.Hooks{
		Attempt: func(ctx context.Context, a dyvms.AttemptRecord) {
			if a.Action == "SingleCallByTts" {
				_, err := c.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{CallID: "1", ProdID: 11000000300006, QueryDate: time.Now()})
				assert.NoError(t, err)
			}
		},
		Call: func(_ context.Context, ci dyvms.CallInfo) { calls = append(calls, ci) },
	}))
	require.NoError(t, err)
	_, err = c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-nest"})
	require.NoError(t, err)
	require.Len(t, calls, 2)
	assert.Equal(t, "QueryCallDetailByCallId", calls[0].Action)
	assert.Equal(t, 1, calls[0].Attempts)
	assert.Equal(t, "SingleCallByTts", calls[1].Action)
	assert.Equal(t, 1, calls[1].Attempts)
	assert.Equal(t, "o-nest", calls[1].OutID)
}
