package dyvmstest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// ReceiptType is a receipt (callback) message type.
type ReceiptType string

// Receipt types the server pushes after a call.
const (
	// VoiceReport is the final record of a call, one per call, after
	// hang-up.
	VoiceReport ReceiptType = "VoiceReport"
	// VoiceCallReport carries the intermediate states of a call: calling
	// (200101), ringing (200201), answered (200102), ended (200100).
	VoiceCallReport ReceiptType = "VoiceCallReport"
)

// DefaultRetrySchedule is the default delay before each re-push of a failed
// receipt: the real service's 1, 5 and 10 minutes, shortened 600 times.
var DefaultRetrySchedule = []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, time.Second}

// DefaultPushTimeout is how long a receiver has to answer a push, as the
// real service allows.
const DefaultPushTimeout = 700 * time.Millisecond

// Delivery is one attempt to push receipts.
type Delivery struct {
	// Type is the receipt type.
	Type ReceiptType
	// URL is where it was pushed.
	URL string
	// Body is the JSON array that was POSTed.
	Body []byte
	// Attempt is 1 for the first push, 2 for the first re-push, ...
	Attempt int
	// Status is the receiver's HTTP status, 0 if it gave none.
	Status int
	// OK reports whether the receiver accepted the push: HTTP 200 with a
	// JSON body whose code is a number, within the push timeout.
	OK bool
	// Err says why the push failed, "" if it succeeded.
	Err string
	// Time is when the attempt was made (wall clock).
	Time time.Time
}

// Deliveries returns every push attempt so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	copy(out, s.deliveries)
	return out
}

// scheduleReceipts starts pushing the receipts of a call placed now, one
// goroutine per configured receipt type.
func (s *Server) scheduleReceipts(c Call) {
	for _, t := range []ReceiptType{VoiceCallReport, VoiceReport} {
		if rq, ok := s.cfg.receiptQueues[t]; ok {
			for _, r := range receipts(t, c) {
				rq.q.SendReceipt(rq.name, marshalJSON(r))
			}
		}
		u := s.cfg.receiptURLs[t]
		if u == "" {
			continue
		}
		body := marshalJSON(receipts(t, c))
		if !s.begin() {
			return
		}
		go s.pushLoop(t, u, body)
	}
}

// pushLoop pushes body, then re-pushes on the retry schedule until the
// receiver accepts it, the schedule runs out or the server closes.
func (s *Server) pushLoop(t ReceiptType, u string, body []byte) {
	defer s.wg.Done()
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			timer := time.NewTimer(s.cfg.retry[attempt-2])
			select {
			case <-timer.C:
			case <-s.ctx.Done():
				timer.Stop()
				return
			}
		}
		d := s.pushOnce(t, u, body)
		d.Attempt = attempt
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
		if d.OK || attempt > len(s.cfg.retry) || s.ctx.Err() != nil {
			return
		}
	}
}

func (s *Server) pushOnce(t ReceiptType, u string, body []byte) Delivery {
	d := Delivery{Type: t, URL: u, Body: body, Time: time.Now()}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.pushTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		d.Err = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	resp, err := s.push.Do(req)
	if err != nil {
		d.Err = err.Error()
		return d
	}
	defer resp.Body.Close()
	d.Status = resp.StatusCode
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		d.Err = "reading the answer: " + err.Error()
		return d
	}
	if resp.StatusCode != http.StatusOK {
		d.Err = "HTTP " + strconv.Itoa(resp.StatusCode)
		return d
	}
	var ack struct {
		Code json.Number `json:"code"`
	}
	if err := json.Unmarshal(b, &ack); err != nil || ack.Code == "" {
		d.Err = `answer is not {"code":<number>,...}`
		return d
	}
	d.OK = true
	return d
}

// receipts builds the JSON array of receipts of type t for call c.
func receipts(t ReceiptType, c Call) []map[string]any {
	o := c.Outcome
	originate := c.Placed
	ring := originate.Add(2 * time.Second)
	start := ring.Add(6 * time.Second)
	end := start.Add(o.Duration)
	if !o.answered() {
		end = ring.Add(20 * time.Second)
	}
	caller := orDefault(c.CalledShowNumber, "057100000000")
	switch t {
	case VoiceCallReport:
		ev := func(code string, at time.Time) map[string]any {
			return map[string]any{"call_id": c.ID, "status_code": code, "smart_status_code": o.SmartStatusCode,
				"status_time": local(at), "out_id": c.OutID}
		}
		if o.answered() {
			return []map[string]any{ev("200101", originate), ev("200201", ring), ev("200102", start), ev("200100", end)}
		}
		return []map[string]any{ev("200101", originate), ev("200201", ring), ev("200100", end)}
	default:
		r := map[string]any{
			"call_id": c.ID, "status_code": o.StatusCode, "smart_status_code": o.SmartStatusCode,
			"status_msg": o.StatusMsg, "out_id": c.OutID, "caller": caller, "callee": c.CalledNumber,
			"originate_time": local(originate), "ring_time": local(ring),
			"start_time": "", "end_time": local(end), "duration": "0",
			"hangup_direction": "用户", "toll_type": "UNKNOWN", "voice_type": "voice",
		}
		if o.answered() {
			r["start_time"] = local(start)
			r["duration"] = strconv.FormatInt(int64(o.Duration/time.Second), 10)
		}
		return []map[string]any{r}
	}
}
