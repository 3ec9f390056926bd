package dyvms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// receiptBodies makes push bodies of at most DefaultMaxReceiptBytes, each
// receipt with a call ID never used before (so the deduper lets it through).
type receiptBodies struct {
	next  int
	shape func(id string) string
}

// smallReceipt is the smallest useful receipt: ~53,000 fit in 1 MiB.
func smallReceipt(id string) string { return `{"call_id":"` + id + `"}` }

// callReportReceipt is a typical VoiceCallReport.
func callReportReceipt(id string) string {
	return `{"call_id":"` + id + `^1028","status_code":"200101","status_time":"2023-03-06 16:21:12","out_id":"o-` + id + `"}`
}

// voiceReportReceipt is a typical VoiceReport, as in the documentation.
func voiceReportReceipt(id string) string {
	return `{"call_id":"1000016165` + id + `^1000018714` + id + `","status_code":"200000","smart_status_code":"ANSWERED",` +
		`"status_msg":"执行完成","out_id":"o-` + id + `","caller":"0571XXXXXXXX","callee":"1390000XXXX",` +
		`"originate_time":"2023-03-13 11:18:16","ring_time":"2023-03-13 11:18:24","start_time":"2023-03-13 11:18:36",` +
		`"end_time":"2023-03-13 11:18:43","duration":"7","b_duration":7,"hangup_direction":"用户","voice_type":"voice"}`
}

// body returns a 1 MiB (at most) push body and its receipt count.
func (g *receiptBodies) body() ([]byte, int) {
	var b bytes.Buffer
	b.Grow(DefaultMaxReceiptBytes)
	b.WriteByte('[')
	n := 0
	for {
		id := strconv.FormatInt(int64(g.next), 36)
		for len(id) < 5 {
			id = "0" + id
		}
		r := g.shape(id)
		if b.Len()+len(r)+2 > DefaultMaxReceiptBytes {
			break
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r)
		g.next++
		n++
	}
	b.WriteByte(']')
	return b.Bytes(), n
}

func discardReceipts(context.Context, []Receipt) error { return nil }

// readReceipts is a function that looks at every receipt's report, so the
// reports are decoded.
func readReceipts(_ context.Context, rs []Receipt) error {
	for _, r := range rs {
		if r.Type != ReceiptUnknown && r.Report() == nil {
			return errors.New("no report")
		}
	}
	return nil
}

// readIDs is a function that reads each receipt's IDs and status only.
func readIDs(_ context.Context, rs []Receipt) error {
	n := 0
	for _, r := range rs {
		n += len(r.CallID()) + len(r.OutID()) + len(r.StatusCode())
	}
	if n == 0 && len(rs) > 0 {
		return errors.New("no IDs")
	}
	return nil
}

// pushCase is a push benchmark's case: the receipts' shape, the function,
// and the one type the URL receives (ReceiptUnknown: untyped).
type pushCase struct {
	name  string
	shape func(string) string
	fn    ReceiptFunc
	typ   ReceiptType
}

// pushCases are the cases of the push benchmarks.
var pushCases = []pushCase{
	{"small-untyped", smallReceipt, discardReceipts, ReceiptUnknown},
	{"small-VoiceCallReport", smallReceipt, discardReceipts, ReceiptVoiceCallReport},
	{"small-VoiceReport", smallReceipt, discardReceipts, ReceiptVoiceReport},
	{"callreport-typed", callReportReceipt, discardReceipts, ReceiptVoiceCallReport},
	{"small-VoiceCallReport-read", smallReceipt, readReceipts, ReceiptVoiceCallReport},
	{"small-VoiceReport-read", smallReceipt, readReceipts, ReceiptVoiceReport},
	{"callreport-typed-read", callReportReceipt, readReceipts, ReceiptVoiceCallReport},
	{"voicereport-typed-read", voiceReportReceipt, readReceipts, ReceiptVoiceReport},
	{"small-VoiceReport-ids", smallReceipt, readIDs, ReceiptVoiceReport},
	{"voicereport-typed-ids", voiceReportReceipt, readIDs, ReceiptVoiceReport},
}

// handler returns the case's handler, with its defaults otherwise.
func (c pushCase) handler() *ReceiptHandler {
	if c.typ == ReceiptUnknown {
		return NewReceiptHandler(c.fn)
	}
	return NewReceiptHandler(c.fn, WithReceiptTypes(c.typ))
}

// BenchmarkReceiptPush1MiB serves one 1 MiB push per iteration through the
// handler with its defaults (de-duplication on, the deduper full after a
// warm-up), every receipt new. The metric alloc/body is the bytes allocated
// per push divided by the body size (the target: at most 10). The
// function discards the receipts, or with "read" asks for every report, so
// the reports (decoded on first use) are paid for too, or with "ids" reads
// the IDs and status of each, which decodes no report.
func BenchmarkReceiptPush1MiB(b *testing.B) {
	for _, tc := range pushCases {
		b.Run(tc.name, func(b *testing.B) {
			h := tc.handler()
			defer h.Close()
			gen := receiptBodies{shape: tc.shape}
			// Warm up: the deduper fills to its bound, and stays there.
			for i := 0; i < 3; i++ {
				body, _ := gen.body()
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)))
			}
			var alloc, bodyBytes uint64
			var ms runtime.MemStats
			receipts := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				body, n := gen.body()
				receipts = n
				req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
				w := httptest.NewRecorder()
				runtime.ReadMemStats(&ms)
				before := ms.TotalAlloc
				b.StartTimer()
				h.ServeHTTP(w, req)
				b.StopTimer()
				runtime.ReadMemStats(&ms)
				alloc += ms.TotalAlloc - before
				bodyBytes += uint64(len(body))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(alloc)/float64(bodyBytes), "alloc/body")
			b.ReportMetric(float64(receipts), "receipts/push")
		})
	}
}

// BenchmarkReceiptPush16Concurrent pushes 16 fresh 1 MiB bodies at once
// over loopback HTTP to one handler, and reports the slowest and median
// answer time of each round (the service waits 700 ms) and the peak live
// heap seen while they ran. cold-max-ms is the slowest answer of the first
// round, to a new handler whose deduper and Go heap grow while it runs (as
// after a restart); max-ms the slowest of the rounds after it. Run it with -cpu 2. On a shared machine the
// answer times measure the load as much as the code: cpu-ms, the process's
// CPU time for the round (server and client), divided by the cores is what
// the round takes on an idle machine. The cases: ~53,000 small receipts
// untyped and typed (the function discards them, reads their IDs, or reads
// every report), and ~10,000 typical VoiceCallReports read by the function.
func BenchmarkReceiptPush16Concurrent(b *testing.B) {
	for _, tc := range pushCases {
		if !slices.Contains([]string{"small-untyped", "small-VoiceReport", "small-VoiceReport-ids",
			"small-VoiceReport-read", "callreport-typed-read"}, tc.name) {
			continue
		}
		b.Run(tc.name, func(b *testing.B) {
			h := tc.handler()
			defer h.Close()
			pushConcurrently(b, h, &receiptBodies{shape: tc.shape})
		})
	}
}

// pushConcurrently runs b.N rounds of 16 concurrent pushes to h and reports
// their answer times, peak live heap and CPU time.
func pushConcurrently(b *testing.B, h http.Handler, gen *receiptBodies) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	var worst, medians, cpu []float64
	var coldWorst float64
	var peak atomic.Uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bodies := make([][]byte, 16)
		for j := range bodies {
			bodies[j], _ = gen.body()
		}
		runtime.GC()
		stop := sampleHeap(&peak)
		cpu0 := processCPU()
		b.StartTimer()
		lat := postAll(b, client, srv.URL, bodies)
		b.StopTimer()
		cpu = append(cpu, float64(processCPU()-cpu0)/1e6)
		stop()
		if testing.Verbose() {
			b.Logf("round %d: slowest %v ms, median %v ms, cpu %.0f ms", i, lat[15], lat[7], cpu[len(cpu)-1])
		}
		if i == 0 {
			coldWorst = lat[15]
		} else {
			worst = append(worst, lat[15])
		}
		medians = append(medians, lat[7])
		b.StartTimer()
	}
	sort.Float64s(worst)
	sort.Float64s(medians)
	sort.Float64s(cpu)
	b.ReportMetric(coldWorst, "cold-max-ms")
	if len(worst) > 0 {
		b.ReportMetric(worst[len(worst)-1], "max-ms")
	}
	b.ReportMetric(medians[len(medians)/2], "p50-ms")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(cpu[len(cpu)/2], "cpu-ms")
}

// postAll posts every body at once and returns the answer times in
// milliseconds, sorted.
func postAll(b *testing.B, client *http.Client, url string, bodies [][]byte) []float64 {
	lat := make([]float64, len(bodies))
	var wg sync.WaitGroup
	for j := range bodies {
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			start := time.Now()
			resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[j]))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			lat[j] = float64(time.Since(start).Milliseconds())
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
			}
		}(j)
	}
	wg.Wait()
	sort.Float64s(lat)
	return lat
}

// sampleHeap records the largest live heap (objects) into peak every
// millisecond until stop is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// BenchmarkParseReceipts parses the same 1 MiB body with the typed decoder
// and with the generic-tree decoder it replaced (kept in the tests), in the
// same run: compare B/op and alloc/body.
func BenchmarkParseReceipts(b *testing.B) {
	for _, shape := range []struct {
		name  string
		shape func(string) string
		types []ReceiptType
	}{
		{"small-untyped", smallReceipt, nil},
		{"callreport-typed", callReportReceipt, []ReceiptType{ReceiptVoiceCallReport}},
	} {
		gen := receiptBodies{shape: shape.shape}
		body, _ := gen.body()
		for _, dec := range []struct {
			name  string
			parse func([]byte, ...ReceiptType) ([]Receipt, error)
		}{{"tree", legacyParseReceipts}, {"typed", ParseReceipts}} {
			b.Run(shape.name+"/"+dec.name, func(b *testing.B) {
				b.ReportAllocs()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				before := ms.TotalAlloc
				for i := 0; i < b.N; i++ {
					if _, err := dec.parse(body, shape.types...); err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.TotalAlloc-before)/float64(b.N)/float64(len(body)), "alloc/body")
			})
		}
	}
}
