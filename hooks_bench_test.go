package dyvms

import (
	"context"
	"net/http"
	"testing"
)

// benchCall runs BenchmarkSingleCallByTts's call on a client with opts.
func benchCall(b *testing.B, opts ...Option) {
	srv := newBenchServer(b)
	c, err := NewClient(append([]Option{WithAccessKey(testKeyID, testSecret), WithEndpoint(srv.URL)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	req := &SingleCallByTtsRequest{
		CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
		TtsParam: map[string]string{"code": "1234", "product": "dyvms"}, OutID: "order-42",
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.SingleCallByTts(ctx, req)
		if err != nil || resp.CallID == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkSingleCallByTtsMiddleware: the call through one pass-through
// middleware, so each attempt is sealed and unsealed.
func BenchmarkSingleCallByTtsMiddleware(b *testing.B) {
	benchCall(b, WithMiddleware(func(next http.RoundTripper) http.RoundTripper { return next }))
}

// BenchmarkSingleCallByTtsCallHook: the call with a per-call hook.
func BenchmarkSingleCallByTtsCallHook(b *testing.B) {
	var n int
	benchCall(b, WithCallHook(func(context.Context, CallInfo) { n++ }))
}
