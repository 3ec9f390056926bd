package dyvmstest

import (
	"fmt"
	"time"
)

// The call-placing Actions of every family (voice, ivr, robot, callcenter,
// video) share one way of placing a call, so that every call is findable
// with QueryCallDetailByCallId and pushes the same receipts.

// voiceHandlers are the voice notifications.
var voiceHandlers = map[string]handler{
	"SingleCallByTts":   dial,
	"SingleCallByVoice": dial,
	"ClickToDial":       dial,
}

// ivrHandlers is the interactive voice response call.
var ivrHandlers = map[string]handler{
	"IvrCall": dial,
}

// hotlineHandlers and rtcHandlers are empty: those Actions keep no state
// and are answered by the schema-driven answerer.
var (
	hotlineHandlers = map[string]handler{}
	rtcHandlers     = map[string]handler{}
)

// flowControlled are the call-placing Actions under per-callee flow control.
var flowControlled = map[string]bool{
	"SingleCallByTts": true, "SingleCallByVoice": true, "IvrCall": true, "SmartCall": true,
	"SingleCallByVideo": true,
}

// firstCallSeq is the sequence number the first CallId is made from.
const firstCallSeq = 116012354148

// dial places a call to CalledNumber, under flow control where the
// Action has it, and answers its CallId.
func dial(x *exchange) *apiError {
	s, st, p := x.s, x.st, x.p
	c := Call{
		Action:           x.action.Name,
		CalledNumber:     p.Get("CalledNumber"),
		CalledShowNumber: p.Get("CalledShowNumber"),
		OutID:            p.Get("OutId"),
		Placed:           x.now,
	}
	if s.cfg.flowControl && flowControlled[c.Action] {
		if e := s.flowCheck(c.CalledNumber, x.now); e != nil {
			return e
		}
		s.flow[c.CalledNumber] = append(s.flow[c.CalledNumber], x.now)
	}
	st.callSeq++
	c.ID = fmt.Sprintf("%d^%d", st.callSeq, st.callSeq-firstCallSeq+102813780000)
	c.Outcome = s.cfg.outcome(c)
	st.calls[c.ID] = &c
	st.callOrder = append(st.callOrder, c.ID)
	x.body["CallId"] = c.ID
	x.call = &c
	return nil
}

// queryCallDetail answers QueryCallDetailByCallId from the call placed, or
// with an empty Data for a CallId the server never gave or whose record is
// not written yet (WithCallRecordDelay).
func queryCallDetail(x *exchange) *apiError {
	c := x.st.calls[x.p.Get("CallId")]
	if c == nil || x.now.Before(c.Placed.Add(x.s.cfg.recordDelay)) {
		x.body["Data"] = ""
		return nil
	}
	x.body["Data"] = string(marshalJSON(callDetail(c)))
	return nil
}

// flowCheck applies the per-callee limits: 1 a minute, 5 an hour, 20 a day.
func (s *Server) flowCheck(callee string, now time.Time) *apiError {
	var kept []time.Time
	for _, t := range s.flow[callee] {
		if now.Sub(t) < 24*time.Hour {
			kept = append(kept, t)
		}
	}
	s.flow[callee] = kept
	for _, l := range []struct {
		window time.Duration
		max    int
		name   string
	}{{time.Minute, 1, "分钟"}, {time.Hour, 5, "小时"}, {24 * time.Hour, 20, "天"}} {
		n := 0
		for _, t := range kept {
			if now.Sub(t) < l.window {
				n++
			}
		}
		if n >= l.max {
			return businessErr("isv.BUSINESS_LIMIT_CONTROL",
				fmt.Sprintf("该被叫号触发被叫%s级流控Permits:%d", l.name, l.max))
		}
	}
	return nil
}

// callDetail is the QueryCallDetailByCallId record of c.
func callDetail(c *Call) map[string]any {
	o := c.Outcome
	ring := c.Placed.Add(2 * time.Second)
	d := map[string]any{
		"caller": orDefault(c.CalledShowNumber, "057100000000"), "callee": c.CalledNumber,
		"callerShowNumber": orDefault(c.CalledShowNumber, "057100000000"), "calleeShowNumber": orDefault(c.CalledShowNumber, "057100000000"),
		"gmtCreate": local(c.Placed), "state": o.StatusCode, "stateDesc": o.StatusMsg,
		"duration": int64(o.Duration / time.Second), "startDate": "", "endDate": local(ring.Add(20 * time.Second)),
		"aRingTime": local(ring), "aEndTime": local(ring.Add(20 * time.Second)), "bRingTime": "", "bEndTime": "",
	}
	if o.answered() {
		start := ring.Add(6 * time.Second)
		d["startDate"], d["endDate"], d["aEndTime"] = local(start), local(start.Add(o.Duration)), local(start)
	}
	return d
}
