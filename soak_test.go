package dyvms_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// The soak: thousands of concurrent logical calls through the fake, over
// plain HTTP/1.1, HTTP/1.1 over TLS and HTTP/2 over TLS, with every fault
// mixed in: the fake's server faults, refused connections, and faults a
// middleware injects below the client (a redirect to another host, an
// x-acs-retry-after that overflows, a transport error quoting the signed
// URL, a request the transport sends twice) and bad input. CI runs a short
// soak (TestSoak); `go test -tags soak -run TestSoakLong` runs 21,000 calls.

const soakWorkers = 64

// soakFault is one kind of fault of the fake's mix, with its weight in 1000.
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
	{"slow (attempt timeout)", 50, dyvmstest.Fault{Kind: dyvmstest.FaultLatency, Delay: 2 * time.Second}},
}

// clientFaults are injected by a middleware below the client, per attempt,
// with their weight in 1000 (the rest pass through).
var clientFaults = []struct {
	name   string
	weight int
}{
	{"redirect", 12}, {"retry-after-overflow", 12}, {"url-error", 12}, {"replay", 15},
}

// soakMode is how the client reaches the fake.
type soakMode struct {
	name  string
	tls   bool
	http2 bool
}

var soakModes = []soakMode{{"http/1.1", false, false}, {"tls http/1.1", true, false}, {"tls h2", true, true}}

// soakResult is what one logical call ended with.
type soakResult struct {
	action string
	outID  string // the OutId the call carried, when known
	ownID  bool   // the caller gave the OutId
	kind   string // success, ambiguous, service-error, transport-error, invalid, untyped
	err    error
}

// TestSoak is the short soak CI runs: 2,400 calls over the three modes.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	for _, m := range soakModes {
		t.Run(m.name, func(t *testing.T) { runSoak(t, m, 800, 60*time.Second) })
	}
}

// soakListener returns a loopback listener for the fake, with TLS (and
// HTTP/2 offered) for the TLS modes, and a transport that trusts it.
func soakListener(t *testing.T, m soakMode, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (net.Listener, string, *http.Transport) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tr := &http.Transport{MaxIdleConnsPerHost: 128, DialContext: dial}
	if !m.tls {
		return ln, "http://" + ln.Addr().String(), tr
	}
	// httptest's certificate for 127.0.0.1, and a client that trusts it.
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.EnableHTTP2 = m.http2
	ts.StartTLS()
	cfg := ts.TLS.Clone()
	tr.TLSClientConfig = ts.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	ts.Close()
	if m.http2 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
		tr.ForceAttemptHTTP2 = true
	} else {
		cfg.NextProtos = []string{"http/1.1"}
	}
	return tls.NewListener(ln, cfg), "https://" + ln.Addr().String(), tr
}

// runSoak runs calls logical calls in mode m and checks every invariant.
func runSoak(t *testing.T, m soakMode, calls int, budget time.Duration) {
	baseline := runtime.NumGoroutine()
	start := time.Now()

	// 3% of new connections are refused.
	closed := closedAddr(t)
	var refusals, dials atomic.Int64
	var rngMu sync.Mutex
	rng := rand.New(rand.NewPCG(3, 4))
	draw := func(n int) int {
		rngMu.Lock()
		defer rngMu.Unlock()
		return rng.IntN(n)
	}
	var d net.Dialer
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		if draw(100) < 3 {
			refusals.Add(1)
			addr = closed
		}
		return d.DialContext(ctx, network, addr)
	}
	ln, url, tr := soakListener(t, m, dial)
	h := &fakeHarness{srv: dyvmstest.NewServer(dyvmstest.WithListener(ln)), log: &lockedBuffer{}}
	defer h.srv.Close()

	// A host a redirect points to: it must never hear from the client.
	var stolen atomic.Int64
	thief := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { stolen.Add(1) }))
	defer thief.Close()

	injected := map[string]int{}
	for i := 0; i < calls*3/2; i++ {
		r, acc := draw(1000), 0
		for _, f := range soakMix {
			if acc += f.weight; r < acc {
				f.fault.Times = 1
				h.srv.InjectFault(f.fault)
				injected[f.name]++
				break
			}
		}
	}
	var attempts, answered, h2 atomic.Int64
	var injMu sync.Mutex
	count := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			attempts.Add(1)
			resp, err := next.RoundTrip(r)
			if resp != nil {
				answered.Add(1)
			}
			if resp != nil && resp.ProtoMajor == 2 {
				h2.Add(1)
			}
			return resp, err
		})
	}
	inject := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			name := ""
			x, acc := draw(1000), 0
			for _, f := range clientFaults {
				if acc += f.weight; x < acc {
					name = f.name
					break
				}
			}
			if name != "" {
				injMu.Lock()
				injected["client: "+name]++
				injMu.Unlock()
			}
			return injectClientFault(name, next, r, thief.URL)
		})
	}
	c := h.client(t, dyvms.WithEndpoint(url), dyvms.WithHTTPClient(&http.Client{Transport: tr}),
		dyvms.WithMiddleware(count, inject), dyvms.WithAttemptTimeout(time.Second))

	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	jobs := make(chan int)
	results := make([]soakResult, calls)
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
	for i := 0; i < calls; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	require.NoError(t, ctx.Err(), "the soak ran out of its time budget")

	kinds, errText := checkSoakResults(t, results)
	twice := checkPlacedOnce(t, h.srv, results)
	assert.Zero(t, stolen.Load(), "a redirect target received a request")
	if m.http2 {
		// Of the attempts that got an answer: under load many attempts
		// end in the attempt timeout with none, which says nothing of
		// the protocol.
		assert.Greater(t, h2.Load(), answered.Load()/2, "answers came over HTTP/2")
	} else {
		assert.Zero(t, h2.Load(), "no HTTP/2 in an HTTP/1.1 mode")
	}

	// Nothing leaks: no error at any depth of its chain, no log line.
	h.assertNoLeak(t, "errors", errText)
	logs := h.log.String()
	h.assertNoLeak(t, "logs", logs)
	records := strings.Count(logs, `"msg":"dyvms attempt"`)
	assert.Equal(t, int(attempts.Load()), records, "one record per attempt (a refused dial is an attempt too)")

	// Every goroutine ends.
	h.srv.Close()
	thief.Close()
	tr.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), baseline+2, "goroutines back to baseline")

	var mix []string
	for k, n := range injected {
		mix = append(mix, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(mix)
	t.Logf("soak %s: %d calls, %d workers, %v, %d HTTP attempts (%d answered over HTTP/2), %d log records, %d dials (%d refused), goroutines %d -> %d",
		m.name, calls, soakWorkers, elapsed.Round(time.Millisecond), attempts.Load(), h2.Load(), records, dials.Load(), refusals.Load(), baseline, runtime.NumGoroutine())
	t.Logf("soak %s: faults injected: %s", m.name, strings.Join(mix, ", "))
	t.Logf("soak %s: results: %s; calls placed %d; OutIds placed twice: %d; requests to the redirect target: %d",
		m.name, kinds, len(h.srv.Calls()), twice, stolen.Load())
}

// injectClientFault answers one attempt with the named fault, or passes it
// on.
func injectClientFault(name string, next http.RoundTripper, r *http.Request, thief string) (*http.Response, error) {
	synthetic := func(status int, header http.Header, body string) *http.Response {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	}
	switch name {
	case "redirect":
		// The Location carries the signed query, as a hostile proxy would.
		return synthetic(307, http.Header{"Location": {thief + "/steal?" + r.URL.RawQuery}}, ""), nil
	case "retry-after-overflow":
		return synthetic(400, http.Header{"Content-Type": {"application/json"}, "X-Acs-Retry-After": {"9223372036854775807"}},
			`{"RequestId":"SOAK-RA","Code":"Throttling.User","Message":"slow down"}`), nil
	case "url-error":
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("proxy dropped %s (query %s): %w", r.URL, r.URL.RawQuery, syscall.ECONNRESET)
	case "replay":
		// Sent twice below the client, as HTTP/2 does after a refused
		// stream: the second copy carries the same nonce.
		first, err := next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, first.Body)
		first.Body.Close()
		again := r.Clone(r.Context())
		if again.Body, err = r.GetBody(); err != nil {
			return nil, err
		}
		return next.RoundTrip(again)
	}
	return next.RoundTrip(r)
}

// checkSoakResults fails on any untyped error, counts the results by kind
// and returns the text of every error at every depth of its chain.
func checkSoakResults(t *testing.T, results []soakResult) (string, string) {
	kinds := map[string]int{}
	var errText strings.Builder
	for _, r := range results {
		kinds[r.kind]++
		if r.kind == "untyped" {
			t.Errorf("%s %s: untyped error %T: %v", r.action, r.outID, r.err, r.err)
		}
		walkErrors(r.err, func(e error) {
			errText.WriteString(e.Error())
			errText.WriteString(fmt.Sprintf(" %+v\n", e))
		})
	}
	var list []string
	for k, n := range kinds {
		list = append(list, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(list)
	return strings.Join(list, ", "), errText.String()
}

// checkPlacedOnce checks the fake's record: no OutId placed more than one
// call; a success placed exactly one; a plain (non-ambiguous) failure of a
// call with its own OutId placed none. It returns the OutIds placed twice.
func checkPlacedOnce(t *testing.T, srv *dyvmstest.Server, results []soakResult) int {
	placed := map[string]int{}
	for _, call := range srv.Calls() {
		placed[call.OutID]++
	}
	twice := 0
	for id, n := range placed {
		if n > 1 {
			twice++
			t.Errorf("OutId %q placed %d calls", id, n)
		}
		if id == "" {
			t.Errorf("%d calls placed without an OutId", n)
		}
	}
	for _, r := range results {
		if r.action != "SingleCallByTts" {
			continue
		}
		n := placed[r.outID]
		switch {
		case r.kind == "success" && n != 1:
			t.Errorf("%s succeeded but placed %d calls", r.outID, n)
		case r.kind == "ambiguous" && r.outID == "":
			t.Errorf("an ambiguous call has no OutId to reconcile by: %v", r.err)
		case r.ownID && r.kind != "success" && r.kind != "ambiguous" && n != 0:
			t.Errorf("%s failed plainly (%v) but a call was placed", r.outID, r.err)
		}
	}
	return twice
}

// walkErrors visits err and every error it wraps.
func walkErrors(err error, visit func(error)) {
	if err == nil {
		return
	}
	visit(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walkErrors(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walkErrors(e, visit)
		}
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// soakCall makes logical call i: two in three place a call (one in seven
// of them without an OutId, which the client then generates; one in a
// hundred with a bad number, refused before sending), one in three reads a
// call record.
func soakCall(ctx context.Context, c *dyvms.Client, i int) soakResult {
	var r soakResult
	switch {
	case i%3 == 2:
		r.action = "QueryCallDetailByCallId"
		r.err = queryCallDetail(ctx, c)
	default:
		r.action = "SingleCallByTts"
		callee := fmt.Sprintf("139%08d", i)
		if i%100 == 1 {
			callee = "139 0000 " + callee[:4] // refused: spaces
		}
		if i%7 != 0 {
			r.outID, r.ownID = fmt.Sprintf("soak-%06d", i), true
		}
		var resp *dyvms.SingleCallByTtsResponse
		resp, r.err = placeTts(ctx, c, r.outID, callee)
		if resp != nil {
			r.outID = resp.OutID
		}
	}
	var e *dyvms.Error
	var te *dyvms.TransportError
	var ve *dyvms.ValidationError
	switch {
	case r.err == nil:
		r.kind = "success"
	case dyvms.IsAmbiguous(r.err):
		r.kind = "ambiguous"
		var ae *dyvms.AmbiguousError
		if !errors.As(r.err, &ae) || (!errors.As(r.err, &e) && !errors.As(r.err, &te)) {
			r.kind = "untyped"
		} else if r.outID == "" {
			r.outID = ae.OutID
		} else if ae.OutID != r.outID {
			r.kind = "untyped" // the wrong OutId: as bad as no type
		}
	case errors.As(r.err, &ve):
		r.kind = "invalid"
	case errors.As(r.err, &e):
		r.kind = "service-error"
	case errors.As(r.err, &te):
		r.kind = "transport-error"
	default:
		r.kind = "untyped"
	}
	return r
}
