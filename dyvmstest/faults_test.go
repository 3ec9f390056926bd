package dyvmstest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

func placeCall(c *dyvms.Client) (*dyvms.SingleCallByTtsResponse, error) {
	return c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "o-1",
	})
}

func asError(t *testing.T, err error) *dyvms.Error {
	t.Helper()
	var e *dyvms.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *dyvms.Error", err, err)
	}
	return e
}

func TestFaultThrottle(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			srv.InjectFault(Fault{Action: "SingleCallByTts", Kind: FaultThrottle, Times: 2, RetryAfter: 1500 * time.Millisecond})
			for i := 0; i < 2; i++ {
				_, err := placeCall(c)
				e := asError(t, err)
				if e.Code != "Throttling.User" || e.HTTPStatus != 400 || e.RetryAfter != 1500*time.Millisecond || e.HostID != HostID {
					t.Fatalf("attempt %d: %+v", i, e)
				}
			}
			do(t, c, "GetMqttToken") // other Actions are not affected
			if _, err := placeCall(c); err != nil {
				t.Fatalf("third call: %v", err)
			}
			if n := srv.Count("SingleCallByTts"); n != 1 {
				t.Fatalf("Count = %d, want 1: throttled calls are not placed", n)
			}
		})
	}
}

func TestFaultServerError(t *testing.T) {
	srv := newServer(t)
	c := client(t, srv)
	srv.InjectFault(Fault{Kind: FaultServerError, Times: 1})
	srv.InjectFault(Fault{Kind: FaultServerError, Status: 503, Times: 1})
	srv.InjectFault(Fault{Action: "SingleCallByTts", Kind: FaultServerError, Times: 1, Executed: true})
	_, err := placeCall(c)
	if e := asError(t, err); e.HTTPStatus != 500 || e.Code != "InternalError" {
		t.Fatalf("first: %+v", e)
	}
	_, err = placeCall(c)
	if e := asError(t, err); e.HTTPStatus != 503 || e.Code != "ServiceUnavailable" {
		t.Fatalf("second: %+v", e)
	}
	if srv.Count("") != 0 {
		t.Fatal("a 5xx without Executed placed the call")
	}
	_, err = placeCall(c)
	if e := asError(t, err); e.HTTPStatus != 500 {
		t.Fatalf("third: %+v", e)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Fault != FaultServerError || len(srv.Calls()) != 1 {
		t.Fatalf("an Executed 5xx must place the call: %+v", reqs)
	}
	if _, err := placeCall(c); err != nil {
		t.Fatalf("faults used up, still failing: %v", err)
	}
}

func TestFaultLatency(t *testing.T) {
	srv := newServer(t)
	c := client(t, srv)
	srv.InjectFault(Fault{Kind: FaultLatency, Delay: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	if _, err := placeCall(c); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	srv.InjectFault(Fault{Kind: FaultLatency, Delay: time.Hour})
	_, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a timeout, got %v", err)
	}
	if srv.Count("SingleCallByTts") != 1 {
		t.Fatalf("Count = %d, want 1", srv.Count("SingleCallByTts"))
	}
}

func TestFaultCloseAfterRead(t *testing.T) {
	srv := newServer(t)
	c := client(t, srv)
	srv.InjectFault(Fault{Action: "SingleCallByTts", Kind: FaultCloseAfterRead, Times: 1})
	_, err := placeCall(c)
	var te *dyvms.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("want a *TransportError, got %v (%T)", err, err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Fault != FaultCloseAfterRead || reqs[0].Param("OutId") != "o-1" {
		t.Fatalf("the call happened and must be recorded: %+v", reqs)
	}
	if calls := srv.Calls(); len(calls) != 1 || calls[0].OutID != "o-1" {
		t.Fatalf("Calls() = %+v", calls)
	}
}

func TestFaultBadBodies(t *testing.T) {
	for _, kind := range []FaultKind{FaultMalformed, FaultTruncated, FaultHTML} {
		for _, f := range formats {
			t.Run(kind.String()+"/"+string(f), func(t *testing.T) {
				srv := newServer(t)
				c := client(t, srv, dyvms.WithFormat(f))
				srv.InjectFault(Fault{Kind: kind, Times: 1})
				_, err := placeCall(c)
				if !errors.Is(err, dyvms.ErrUnexpectedResponse) {
					t.Fatalf("want ErrUnexpectedResponse, got %v", err)
				}
				e := asError(t, err)
				wantStatus, wantCalls := 200, 1
				if kind == FaultHTML {
					wantStatus, wantCalls = 502, 0
				}
				if e.HTTPStatus != wantStatus || e.RequestID == "" {
					t.Fatalf("%+v", e)
				}
				if srv.Count("SingleCallByTts") != wantCalls {
					t.Fatalf("Count = %d, want %d", srv.Count("SingleCallByTts"), wantCalls)
				}
			})
		}
	}
}

func TestFaultBusiness(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			srv.InjectFault(Fault{Action: "SingleCallByTts", Kind: FaultBusiness, Code: "isv.AMOUNT_NOT_ENOUGH", Message: "余额不足"})
			for i := 0; i < 3; i++ {
				_, err := placeCall(c)
				if e := asError(t, err); e.Code != "isv.AMOUNT_NOT_ENOUGH" || e.HTTPStatus != 200 || e.Message != "余额不足" {
					t.Fatalf("%+v", e)
				}
			}
			srv.ClearFaults()
			if _, err := placeCall(c); err != nil {
				t.Fatal(err)
			}
			if srv.Count("") != 1 {
				t.Fatalf("Count = %d", srv.Count(""))
			}
		})
	}
}

// A FaultBusiness without a Code is a business rejection: for a call-placing
// Action the SDK returns a final *dyvms.Error that IsBusinessError, not an
// unknown outcome, and sends nothing again.
func TestFaultBusinessDefaultIsFinal(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c, err := srv.Client(dyvms.WithFormat(f)) // retries on: none may happen
			if err != nil {
				t.Fatal(err)
			}
			srv.InjectFault(Fault{Action: "SingleCallByTts", Kind: FaultBusiness, Times: 1})
			_, err = placeCall(c)
			var amb *dyvms.AmbiguousError
			if errors.As(err, &amb) {
				t.Fatalf("a default business fault is reported as an unknown outcome: %v", err)
			}
			e := asError(t, err)
			if e.Code != "isv.OUT_OF_SERVICE" || e.HTTPStatus != 200 || e.Message != "The business is suspended." ||
				!dyvms.IsBusinessError(err) {
				t.Fatalf("%+v", e)
			}
			if n := srv.Count(""); n != 0 {
				t.Fatalf("Count = %d, want 0: a business rejection is not carried out", n)
			}
			if _, err := placeCall(c); err != nil { // the fault was used up by one request
				t.Fatal(err)
			}
		})
	}
}

// Faults are used up exactly once each under concurrency.
func TestFaultsConcurrent(t *testing.T) {
	srv := newServer(t)
	c := client(t, srv)
	srv.InjectFault(Fault{Kind: FaultThrottle, Times: 5})
	var wg sync.WaitGroup
	var mu sync.Mutex
	throttled := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := tryDo(c, "GetMqttToken")
			if err != nil {
				mu.Lock()
				throttled++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if throttled != 5 || srv.Count("GetMqttToken") != 15 {
		t.Fatalf("throttled %d (want 5), accepted %d (want 15)", throttled, srv.Count(""))
	}
}

func TestFlowControl(t *testing.T) {
	clock := NewClock(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC))
	srv := newServer(t, WithClock(clock.Now), WithFlowControl())
	c := client(t, srv)
	call := func(callee string) error {
		_, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{CalledNumber: callee, TtsCode: "T"})
		return err
	}
	limited := func(err error, level string) {
		t.Helper()
		e := asError(t, err)
		if e.Code != "isv.BUSINESS_LIMIT_CONTROL" || e.HTTPStatus != http.StatusOK || !strings.Contains(e.Message, level) {
			t.Fatalf("want %s-level flow control, got %v", level, err)
		}
	}
	const a = "13900000001"
	if err := call(a); err != nil {
		t.Fatal(err)
	}
	limited(call(a), "分钟")
	if err := call("13900000002"); err != nil {
		t.Fatalf("another callee: %v", err)
	}
	for i := 0; i < 4; i++ { // calls 2..5 of the hour
		clock.Advance(61 * time.Second)
		if err := call(a); err != nil {
			t.Fatalf("call %d: %v", i+2, err)
		}
	}
	clock.Advance(61 * time.Second)
	limited(call(a), "小时")
	clock.Advance(time.Hour)
	ok := 5
	for ok < 20 {
		if err := call(a); err != nil {
			t.Fatalf("call %d: %v", ok+1, err)
		}
		ok++
		clock.Advance(13 * time.Minute)
	}
	limited(call(a), "天")
	clock.Advance(24 * time.Hour)
	if err := call(a); err != nil {
		t.Fatalf("after a day: %v", err)
	}
	if n := srv.Count("SingleCallByTts"); n != 22 {
		t.Fatalf("Count = %d, want 22 (limited calls are not placed)", n)
	}
}
