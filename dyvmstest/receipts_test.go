package dyvmstest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// receiver is a receipt endpoint that fails its first fails pushes per path.
type receiver struct {
	mu     sync.Mutex
	fails  map[string]int
	bodies map[string][][]byte
	delay  time.Duration
	answer string
}

func newReceiver(t *testing.T, fails map[string]int) (*receiver, *httptest.Server) {
	rc := &receiver{fails: fails, bodies: map[string][][]byte{}, answer: `{"code":0,"msg":"接收成功"}`}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies[r.URL.Path] = append(rc.bodies[r.URL.Path], b)
		fail := rc.fails[r.URL.Path] > 0
		if fail {
			rc.fails[r.URL.Path]--
		}
		delay, answer := rc.delay, rc.answer
		rc.mu.Unlock()
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			http.Error(w, "bad push", 400)
			return
		}
		time.Sleep(delay)
		if fail {
			http.Error(w, "consumer failure", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(answer))
	}))
	t.Cleanup(hs.Close)
	return rc, hs
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func delivered(srv *Server, typ ReceiptType) (ok bool, attempts int) {
	for _, d := range srv.Deliveries() {
		if d.Type == typ {
			attempts++
			ok = ok || d.OK
		}
	}
	return ok, attempts
}

func TestReceiptsPushedAndRepushed(t *testing.T) {
	rc, hs := newReceiver(t, map[string]int{"/voice-report": 2})
	srv := newServer(t,
		WithReceiptURL(VoiceReport, hs.URL+"/voice-report"),
		WithReceiptURL(VoiceCallReport, hs.URL+"/call-report"),
		WithRetrySchedule(10*time.Millisecond, 20*time.Millisecond, 30*time.Millisecond))
	c := client(t, srv)
	resp, err := placeCall(c)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both receipts", func() bool {
		a, _ := delivered(srv, VoiceReport)
		b, _ := delivered(srv, VoiceCallReport)
		return a && b
	})
	if _, n := delivered(srv, VoiceReport); n != 3 {
		t.Fatalf("VoiceReport took %d attempts, want 3 (two failures, then success)", n)
	}
	if _, n := delivered(srv, VoiceCallReport); n != 1 {
		t.Fatalf("VoiceCallReport took %d attempts, want 1", n)
	}
	for _, d := range srv.Deliveries() {
		if d.Type == VoiceReport && d.Attempt < 3 && (d.OK || d.Status != 500 || d.Err == "") {
			t.Fatalf("failed attempt recorded as %+v", d)
		}
	}

	rc.mu.Lock()
	defer rc.mu.Unlock()
	var report []map[string]any
	if err := json.Unmarshal(rc.bodies["/voice-report"][2], &report); err != nil {
		t.Fatal(err)
	}
	r := report[0]
	if len(report) != 1 || r["call_id"] != resp.CallID || r["out_id"] != "o-1" || r["status_code"] != "200000" ||
		r["callee"] != "13900001234" || r["duration"] != "7" || r["smart_status_code"] != "ANSWERED" || r["start_time"] == "" {
		t.Fatalf("VoiceReport %v", report)
	}
	var events []map[string]any
	if err := json.Unmarshal(rc.bodies["/call-report"][0], &events); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, e := range events {
		codes = append(codes, e["status_code"].(string))
		if e["call_id"] != resp.CallID || e["out_id"] != "o-1" || len(e["status_time"].(string)) != len("2006-01-02 15:04:05") {
			t.Fatalf("VoiceCallReport event %v", e)
		}
	}
	if strings.Join(codes, ",") != "200101,200201,200102,200100" {
		t.Fatalf("VoiceCallReport states %v", codes)
	}
}

func TestReceiptsDroppedAfterSchedule(t *testing.T) {
	_, hs := newReceiver(t, map[string]int{"/r": 100})
	srv := newServer(t, WithReceiptURL(VoiceReport, hs.URL+"/r"), WithRetrySchedule(5*time.Millisecond, 5*time.Millisecond))
	if _, err := placeCall(client(t, srv)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three attempts", func() bool { _, n := delivered(srv, VoiceReport); return n == 3 })
	time.Sleep(50 * time.Millisecond)
	if ok, n := delivered(srv, VoiceReport); ok || n != 3 {
		t.Fatalf("ok=%v attempts=%d, want a drop after 1 push + 2 re-pushes", ok, n)
	}
}

func TestReceiptsTimeoutAndBadAnswer(t *testing.T) {
	rc, hs := newReceiver(t, nil)
	rc.delay = 100 * time.Millisecond
	srv := newServer(t, WithReceiptURL(VoiceReport, hs.URL+"/slow"), WithPushTimeout(30*time.Millisecond),
		WithRetrySchedule(5*time.Millisecond), WithCallOutcome(func(Call) CallOutcome {
			return CallOutcome{StatusCode: "200003", SmartStatusCode: "NO_ANSWER", StatusMsg: "无人接听"}
		}))
	c := client(t, srv)
	if _, err := placeCall(c); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two attempts", func() bool { _, n := delivered(srv, VoiceReport); return n == 2 })
	if ok, _ := delivered(srv, VoiceReport); ok {
		t.Fatal("a push answered after the timeout counted as delivered")
	}

	// An answer without a numeric code is a failure too; the outcome shows
	// in the receipt and in QueryCallDetailByCallId.
	rc.mu.Lock()
	rc.delay, rc.answer = 0, `{"code":"ok"}`
	rc.mu.Unlock()
	srv2 := newServer(t, WithReceiptURL(VoiceReport, hs.URL+"/bad"), WithRetrySchedule(),
		WithCallOutcome(func(Call) CallOutcome {
			return CallOutcome{StatusCode: "200003", SmartStatusCode: "NO_ANSWER", StatusMsg: "无人接听"}
		}))
	c2 := client(t, srv2)
	resp, err := placeCall(c2)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "one attempt", func() bool { _, n := delivered(srv2, VoiceReport); return n == 1 })
	d := srv2.Deliveries()[0]
	if d.OK || d.Status != 200 {
		t.Fatalf("%+v", d)
	}
	var report []map[string]any
	json.Unmarshal(d.Body, &report)
	if report[0]["status_code"] != "200003" || report[0]["duration"] != "0" || report[0]["start_time"] != "" {
		t.Fatalf("unanswered call receipt %v", report)
	}
	var rec map[string]any
	inner(t, do(t, c2, "QueryCallDetailByCallId", "CallId", resp.CallID, "ProdId", "1", "QueryDate", "1")["Data"], &rec)
	if rec["state"] != "200003" || rec["startDate"] != "" {
		t.Fatalf("detail %v", rec)
	}
}

// No goroutine of the server outlives Close: not the pushers waiting to
// re-push, not a handler sleeping in an injected latency.
func TestCloseStopsGoroutines(t *testing.T) {
	_, hs := newReceiver(t, map[string]int{"/r": 1000})
	hc := &http.Client{Transport: &http.Transport{}}
	srv := NewServer(WithReceiptURL(VoiceReport, hs.URL+"/r"), WithReceiptURL(VoiceCallReport, hs.URL+"/r"),
		WithRetrySchedule(time.Hour))
	c := client(t, srv, dyvms.WithHTTPClient(hc))
	for i := 0; i < 3; i++ {
		if _, err := placeCall(c); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "first pushes", func() bool { return len(srv.Deliveries()) == 6 })

	srv.InjectFault(Fault{Kind: FaultLatency, Delay: time.Hour})
	errc := make(chan error, 1)
	go func() { _, err := placeCall(c); errc <- err }()
	waitFor(t, "the slow request to arrive", hasHandler)

	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := <-errc; err == nil {
		t.Fatal("the request in flight succeeded after Close")
	}
	hc.CloseIdleConnections()
	waitFor(t, "server goroutines to end", func() bool { return serverGoroutines() == 0 })
	srv.Close() // twice is fine
	if _, err := placeCall(c); err == nil {
		t.Fatal("a closed server answered")
	}
}

// serverGoroutines counts goroutines running code of a *Server.
func serverGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "dyvmstest.(*Server)") && !strings.Contains(g, "dyvmstest.serverGoroutines") {
			n++
		}
	}
	return n
}

func hasHandler() bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "dyvmstest.(*Server).serveHTTP")
}
