package dyvms_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// Soak figures: bounded in count and time, under -race in CI.
const (
	soakCalls   = 2000
	soakWorkers = 64
	soakBudget  = 60 * time.Second
)

// soakFault is one kind of fault of the soak mix, with its weight in 1000.
type soakFault struct {
	name   string
	weight int
	fault  dyvmstest.Fault
}

var soakMix = []soakFault{
	{"none", 560, dyvmstest.Fault{Kind: dyvmstest.FaultLatency}},
	{"throttle", 90, dyvmstest.Fault{Kind: dyvmstest.FaultThrottle, RetryAfter: 3 * time.Millisecond}},
	{"503", 80, dyvmstest.Fault{Kind: dyvmstest.FaultServerError, Status: 503}},
	{"500-executed", 50, dyvmstest.Fault{Kind: dyvmstest.FaultServerError, Executed: true}},
	{"close-after-read", 50, dyvmstest.Fault{Kind: dyvmstest.FaultCloseAfterRead}},
	{"truncated", 30, dyvmstest.Fault{Kind: dyvmstest.FaultTruncated}},
	{"malformed", 30, dyvmstest.Fault{Kind: dyvmstest.FaultMalformed}},
	{"html-502", 30, dyvmstest.Fault{Kind: dyvmstest.FaultHTML}},
	{"business", 30, dyvmstest.Fault{Kind: dyvmstest.FaultBusiness, Code: "isv.BUSINESS_LIMIT_CONTROL"}},
	{"slow (attempt timeout)", 50, dyvmstest.Fault{Kind: dyvmstest.FaultLatency, Delay: 400 * time.Millisecond}},
}

// soakResult is what one logical call ended with.
type soakResult struct {
	action string
	outID  string
	kind   string // success, ambiguous, service-error, transport-error
	err    error
}

// TestSoak sends thousands of concurrent calls through the fake with mixed
// faults and connection refusals. It checks that every result is a success
// or a typed error, that no call-placing Action was carried out twice for
// one logical call (nor at all after a plain, non-ambiguous failure), that
// nothing leaks a secret, a Signature or a SecurityToken, and that every
// goroutine ends.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	baseline := runtime.NumGoroutine()
	start := time.Now()
	h := newFakeHarness(t)

	// One single-use fault per expected attempt, drawn from the mix; the
	// fake uses them in arrival order.
	rng := rand.New(rand.NewPCG(1, 2))
	injected := map[string]int{}
	for i := 0; i < soakCalls*3/2; i++ {
		r, acc := rng.IntN(1000), 0
		for _, m := range soakMix {
			if acc += m.weight; r < acc {
				f := m.fault
				f.Times = 1
				h.srv.InjectFault(f)
				injected[m.name]++
				break
			}
		}
	}
	// 3% of new connections are refused.
	var refusals, dials atomic.Int64
	var refuseMu sync.Mutex
	refuseRng := rand.New(rand.NewPCG(3, 4))
	tr := refusingTransport(t, func() bool {
		dials.Add(1)
		refuseMu.Lock()
		defer refuseMu.Unlock()
		if refuseRng.IntN(100) < 3 {
			refusals.Add(1)
			return true
		}
		return false
	})
	var attempts atomic.Int64
	count := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			attempts.Add(1)
			return next.RoundTrip(r)
		})
	}
	c := h.client(t, dyvms.WithHTTPClient(&http.Client{Transport: tr}), dyvms.WithMiddleware(count),
		dyvms.WithAttemptTimeout(200*time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), soakBudget)
	defer cancel()
	jobs := make(chan int)
	results := make([]soakResult, soakCalls)
	var wg sync.WaitGroup
	for w := 0; w < soakWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = soakCall(ctx, c, i)
			}
		}()
	}
	for i := 0; i < soakCalls; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	require.NoError(t, ctx.Err(), "the soak ran out of its time budget")

	// Every result is a success or a typed error.
	kinds := map[string]int{}
	var errText strings.Builder
	for _, r := range results {
		kinds[r.kind]++
		if r.kind == "untyped" {
			t.Errorf("%s %s: untyped error %T: %v", r.action, r.outID, r.err, r.err)
		}
		if r.err != nil {
			errText.WriteString(r.err.Error())
			errText.WriteByte('\n')
		}
	}

	// The fake's record: no call-placing Action carried out twice for one
	// logical call; a success placed exactly one call; a plain
	// (non-ambiguous) failure placed none.
	placed := map[string]int{}
	for _, call := range h.srv.Calls() {
		placed[call.OutID]++
	}
	twice := 0
	for _, r := range results {
		if r.action != "SingleCallByTts" {
			continue
		}
		n := placed[r.outID]
		switch {
		case n > 1:
			twice++
			t.Errorf("%s placed %d calls", r.outID, n)
		case r.kind == "success" && n != 1:
			t.Errorf("%s succeeded but placed %d calls", r.outID, n)
		case r.kind != "success" && r.kind != "ambiguous" && n != 0:
			t.Errorf("%s failed plainly (%v) but a call was placed", r.outID, r.err)
		}
	}

	// Nothing leaks.
	h.assertNoLeak(t, "errors", errText.String())
	logs := h.log.String()
	h.assertNoLeak(t, "logs", logs)
	records := strings.Count(logs, `"msg":"dyvms attempt"`)
	assert.Equal(t, int(attempts.Load()), records, "one record per attempt (a refused dial is an attempt too)")

	// Every goroutine ends.
	h.srv.Close()
	tr.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), baseline+2, "goroutines back to baseline")

	var mix []string
	for _, m := range soakMix {
		mix = append(mix, fmt.Sprintf("%s %d", m.name, injected[m.name]))
	}
	var kindList []string
	for k, n := range kinds {
		kindList = append(kindList, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kindList)
	t.Logf("soak: %d calls (%d SingleCallByTts, the rest QueryCallDetailByCallId), %d workers, %v, %d HTTP attempts, %d log records, %d dials (%d refused)",
		soakCalls, soakCalls*2/3, soakWorkers, elapsed.Round(time.Millisecond), attempts.Load(), records, dials.Load(), refusals.Load())
	t.Logf("soak: faults injected (single-use, in arrival order): %s", strings.Join(mix, ", "))
	t.Logf("soak: results: %s; calls placed %d; placed twice for one OutId: %d", strings.Join(kindList, ", "), len(h.srv.Calls()), twice)
}

// soakCall makes logical call i: two in three place a call, one in three
// reads a call record.
func soakCall(ctx context.Context, c *dyvms.Client, i int) soakResult {
	var r soakResult
	if i%3 == 2 {
		r.action = "QueryCallDetailByCallId"
		r.err = queryCallDetail(ctx, c)
	} else {
		r.action = "SingleCallByTts"
		r.outID = fmt.Sprintf("soak-%05d", i)
		_, r.err = placeTts(ctx, c, r.outID, fmt.Sprintf("139%08d", i))
	}
	var e *dyvms.Error
	var te *dyvms.TransportError
	switch {
	case r.err == nil:
		r.kind = "success"
	case dyvms.IsAmbiguous(r.err):
		r.kind = "ambiguous"
		var ae *dyvms.AmbiguousError
		if !errors.As(r.err, &ae) || (!errors.As(r.err, &e) && !errors.As(r.err, &te)) {
			r.kind = "untyped"
		}
	case errors.As(r.err, &e):
		r.kind = "service-error"
	case errors.As(r.err, &te):
		r.kind = "transport-error"
	default:
		r.kind = "untyped"
	}
	return r
}
