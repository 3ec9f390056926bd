package dyvms

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Benchmarks of the request path. Compare them as ratios within one run:
//
//	go test -run '^$' -bench . -benchmem
//
// BenchmarkBaselineBareGET is the floor: a bare net/http GET of a URL
// signed once, decoded into a 4-field struct. BenchmarkBaselineBareSigned
// adds signing per call with a minimal reference signer.
// BenchmarkSingleCallByTts is the SDK end to end.

type benchCallResponse struct {
	RequestID string `json:"RequestId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	CallID    string `json:"CallId"`
}

// newBenchServer is a minimal HTTP/1.1 keep-alive responder on loopback
// that answers every request with okCallJSON. It allocates next to nothing
// per request, so allocs/op measure the client; every contender in this
// file uses it.
func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &benchServer{ln: ln, URL: "http://" + ln.Addr().String()}
	s.wg.Add(1)
	go s.serve()
	b.Cleanup(s.Close)
	return s
}

type benchServer struct {
	URL string
	ln  net.Listener
	wg  sync.WaitGroup
	mu  sync.Mutex
	cs  []net.Conn
}

var benchReply = []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: " +
	strconv.Itoa(len(okCallJSON)) + "\r\n\r\n" + okCallJSON)

func (s *benchServer) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.cs = append(s.cs, conn)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.handle(conn)
	}
}

// handle reads requests (headers, then Content-Length bytes of body) and
// answers each with benchReply.
func (s *benchServer) handle(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 64<<10)
	for {
		length := 0
		for {
			line, err := r.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(line) <= 2 {
				break
			}
			if len(line) > 16 && (line[0] == 'C' || line[0] == 'c') && strings.EqualFold(string(line[:15]), "content-length:") {
				length, _ = strconv.Atoi(strings.TrimSpace(string(line[15:])))
			}
		}
		if _, err := r.Discard(length); err != nil {
			return
		}
		if _, err := conn.Write(benchReply); err != nil {
			return
		}
	}
}

func (s *benchServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.cs {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func benchParams() map[string]string {
	return map[string]string{
		"AccessKeyId": testKeyID, "Action": "SingleCallByTts", "Format": "JSON", "RegionId": "cn-hangzhou",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "Version": APIVersion,
		"CalledNumber": "13900001234", "CalledShowNumber": "057112345678", "TtsCode": "TTS_100000",
		"TtsParam": `{"code":"1234","product":"dyvms"}`, "OutId": "order-42",
	}
}

func bareGet(b *testing.B, hc *http.Client, u string) {
	resp, err := hc.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	var out benchCallResponse
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || out.CallID == "" {
		b.Fatal(err)
	}
}

func BenchmarkBaselineBareGET(b *testing.B) {
	srv := newBenchServer(b)
	hc := &http.Client{Transport: newDefaultTransport()}
	p := benchParams()
	p["SignatureNonce"] = uuid.NewString()
	p["Timestamp"] = time.Now().UTC().Format(timestampLayout)
	p["Signature"] = refSign("GET", p, testSecret)
	q := url.Values{}
	for k, v := range p {
		q.Set(k, v)
	}
	u := srv.URL + "/?" + q.Encode()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bareGet(b, hc, u)
	}
}

func BenchmarkBaselineBareSigned(b *testing.B) {
	srv := newBenchServer(b)
	hc := &http.Client{Transport: newDefaultTransport()}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := benchParams()
		p["SignatureNonce"] = uuid.NewString()
		p["Timestamp"] = time.Now().UTC().Format(timestampLayout)
		p["Signature"] = refSign("GET", p, testSecret)
		q := url.Values{}
		for k, v := range p {
			q.Set(k, v)
		}
		bareGet(b, hc, srv.URL+"/?"+q.Encode())
	}
}

func BenchmarkSingleCallByTts(b *testing.B) {
	srv := newBenchServer(b)
	c, err := NewClient(WithAccessKey(testKeyID, testSecret), WithEndpoint(srv.URL))
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

// BenchmarkSign is the SDK's signing of a SingleCallByTts request: encode
// the typed request, add the common parameters, sort, build the
// string-to-sign, HMAC and base64.
func BenchmarkSign(b *testing.B) {
	p := benchParams()
	p["SignatureNonce"] = "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb"
	p["Timestamp"] = "2026-11-29T11:00:00Z"
	ps := make([]param, 0, len(p))
	for k, v := range p {
		ps = append(ps, param{k, v})
	}
	scratch := make([]param, len(ps))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(scratch, ps)
		sortParams(scratch)
		if signBytes(stringToSign("POST", scratch), testSecret) == "" {
			b.Fatal("empty signature")
		}
	}
}

// BenchmarkSignReference is the minimal reference signer, for the ratio.
func BenchmarkSignReference(b *testing.B) {
	p := benchParams()
	p["SignatureNonce"] = "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb"
	p["Timestamp"] = "2026-11-29T11:00:00Z"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if refSign("POST", p, testSecret) == "" {
			b.Fatal("empty signature")
		}
	}
}

// BenchmarkDecodeResponse is the envelope decode of a success body.
func BenchmarkDecodeResponse(b *testing.B) {
	body := []byte(okCallJSON)
	h := http.Header{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var out SingleCallByTtsResponse
		if err := decodeResponse("SingleCallByTts", 200, h, body, &out, redactor{}); err != nil || out.CallID == "" {
			b.Fatal(err)
		}
	}
}
