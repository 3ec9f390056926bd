package dyvms

import (
	"context"
	"testing"
)

// BenchmarkSignV3 is BenchmarkSign's work for signature V3: sort the
// Action's parameters into the canonical query, build the canonical request
// with its signed headers, SHA-256 it, HMAC-SHA256 the string to sign, and
// build the Authorization header.
func BenchmarkSignV3(b *testing.B) {
	p := benchParams()
	ps := make([]param, 0, len(p))
	for k, v := range p {
		if !commonParams[k] {
			ps = append(ps, param{k, v})
		}
	}
	scratch := make([]param, len(ps))
	headers := []headerV3{
		{"host", "dyvmsapi.aliyuncs.com"}, {"x-acs-action", "SingleCallByTts"},
		{"x-acs-content-sha256", emptyPayloadSHA256}, {"x-acs-date", "2026-11-29T11:00:00Z"},
		{"x-acs-signature-nonce", "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb"}, {"x-acs-version", APIVersion},
	}
	var query []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(scratch, ps)
		sortParams(scratch)
		query = appendQuery(query[:0], scratch)
		sig := signV3(stringToSignV3(canonicalRequestV3("POST", query, headers, emptyPayloadSHA256)), testSecret)
		if authorizationV3(testKeyID, headers, sig) == "" {
			b.Fatal("empty Authorization")
		}
	}
}

// BenchmarkSingleCallByTtsV3 is BenchmarkSingleCallByTts signed with V3.
func BenchmarkSingleCallByTtsV3(b *testing.B) {
	srv := newBenchServer(b)
	c, err := NewClient(WithAccessKey(testKeyID, testSecret), WithEndpoint(srv.URL), WithSignatureVersion(SignatureV3))
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
