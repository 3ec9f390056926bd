package dyvmstest

import (
	"bytes"
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a kind of injected failure.
type FaultKind int

// Fault kinds. Each says whether the Action is carried out (the call is
// placed, the task created) before the fault shapes the answer.
const (
	// FaultNone is no fault.
	FaultNone FaultKind = iota
	// FaultThrottle answers HTTP 400 Throttling.User with an
	// x-acs-retry-after header (Fault.RetryAfter, in milliseconds). Not
	// carried out.
	FaultThrottle
	// FaultServerError answers an HTTP 5xx error envelope: Fault.Status
	// (default 500) with Fault.Code (default InternalError, or
	// ServiceUnavailable for 503). Carried out only if Fault.Executed.
	FaultServerError
	// FaultLatency delays the answer by Fault.Delay, then answers normally.
	FaultLatency
	// FaultCloseAfterRead reads the whole request, carries it out, then
	// closes the connection without any response: the caller cannot know
	// whether the call was placed.
	FaultCloseAfterRead
	// FaultMalformed carries the request out and answers HTTP 200 with a
	// body that does not parse.
	FaultMalformed
	// FaultTruncated carries the request out and answers HTTP 200 with
	// the first half of the success body (the Content-Length matches what
	// is sent).
	FaultTruncated
	// FaultHTML answers an HTML error page from a proxy, HTTP Fault.Status
	// (default 502). Carried out only if Fault.Executed.
	FaultHTML
	// FaultBusiness answers the Action's response with Fault.Code and
	// Fault.Message (default isv.OUT_OF_SERVICE, a business rejection) and
	// HTTP Fault.Status (default 200), as the service reports business
	// errors. Not carried out. A Code of isp.* is a failure inside the
	// service, which the SDK reports as an unknown outcome for an Action
	// that changes something.
	FaultBusiness
)

// defaultBusinessCode and defaultBusinessMessage are the error of a
// FaultBusiness without a Code: an isv.* code, which the SDK reports as a
// final business rejection (IsBusinessError), never as an unknown outcome.
const (
	defaultBusinessCode    = "isv.OUT_OF_SERVICE"
	defaultBusinessMessage = "The business is suspended."
)

var faultNames = [...]string{"FaultNone", "FaultThrottle", "FaultServerError", "FaultLatency",
	"FaultCloseAfterRead", "FaultMalformed", "FaultTruncated", "FaultHTML", "FaultBusiness"}

// String returns the constant's name.
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a failure injected with InjectFault. It applies only to
// requests that pass authentication and validation.
type Fault struct {
	// Action is the Action affected; "" affects every Action.
	Action string
	// Kind is what goes wrong.
	Kind FaultKind
	// Times is how many requests the fault affects; 0 means every request
	// until ClearFaults.
	Times int
	// Status overrides the HTTP status of FaultServerError, FaultHTML and
	// FaultBusiness.
	Status int
	// Code and Message override the error of FaultServerError and
	// FaultBusiness.
	Code, Message string
	// Delay is the added latency of FaultLatency.
	Delay time.Duration
	// RetryAfter is the x-acs-retry-after hint of FaultThrottle (default
	// one second).
	RetryAfter time.Duration
	// Executed makes FaultServerError and FaultHTML carry the request out
	// before answering, as when the service placed the call but a
	// gateway failed on the way back.
	Executed bool
}

// executes reports whether the Action is carried out under f.
func (f *Fault) executes() bool {
	switch f.Kind {
	case FaultLatency, FaultCloseAfterRead, FaultMalformed, FaultTruncated:
		return true
	case FaultServerError, FaultHTML:
		return f.Executed
	}
	return false
}

// InjectFault adds a fault. Faults are matched in the order they were
// injected; the first active one matching a request's Action applies, and
// uses up one of its Times.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := f
	if c.Times == 0 {
		c.Times = -1
	}
	s.faults = append(s.faults, &c)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns a copy of the fault for action and uses one of its
// Times.
func (s *Server) takeFault(action string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Action != "" && f.Action != action {
			continue
		}
		c := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &c
	}
	return nil
}

const htmlErrorPage = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>Tengine</center>
</body>
</html>
`

// answerFault answers under fault f; body is the success body when the
// Action was carried out.
func (s *Server) answerFault(a *answer, f *Fault, body map[string]any) {
	switch f.Kind {
	case FaultThrottle:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		a.w.Header().Set("x-acs-retry-after", strconv.FormatInt(ra.Milliseconds(), 10))
		a.error(gatewayErr(http.StatusBadRequest, orDefault(f.Code, "Throttling.User"),
			orDefault(f.Message, "Request was denied due to user flow control.")))
	case FaultServerError:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		code, msg := "InternalError", "The request processing has failed due to some unknown error, exception or failure."
		if status == http.StatusServiceUnavailable {
			code, msg = "ServiceUnavailable", "The request has failed due to a temporary failure of the server."
		}
		a.error(gatewayErr(status, orDefault(f.Code, code), orDefault(f.Message, msg)))
	case FaultBusiness:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		e := businessErr(orDefault(f.Code, defaultBusinessCode), orDefault(f.Message, defaultBusinessMessage))
		e.status = status
		a.error(e)
	case FaultHTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		a.raw(status, "text/html", []byte(htmlErrorPage))
	case FaultCloseAfterRead:
		if hj, ok := a.w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // aborts the response without writing it
	case FaultMalformed:
		ct, b := a.encode(body)
		if a.format == "JSON" {
			b = bytes.Replace(b, []byte(`":`), []byte(`"=`), 1)
		} else {
			i := bytes.LastIndex(b, []byte("</"))
			b = append(b[:i:i], "</Malformed>"...)
		}
		a.raw(http.StatusOK, ct, b)
	case FaultTruncated:
		ct, b := a.encode(body)
		a.raw(http.StatusOK, ct, b[:len(b)/2])
	default:
		a.success(body)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
