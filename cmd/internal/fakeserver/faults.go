package fakeserver

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// faultKinds maps the --fault kind names to the dyvmstest fault kinds.
var faultKinds = map[string]dyvmstest.FaultKind{
	"throttle":         dyvmstest.FaultThrottle,
	"server-error":     dyvmstest.FaultServerError,
	"5xx":              dyvmstest.FaultServerError,
	"latency":          dyvmstest.FaultLatency,
	"close-after-read": dyvmstest.FaultCloseAfterRead,
	"close":            dyvmstest.FaultCloseAfterRead,
	"malformed":        dyvmstest.FaultMalformed,
	"truncated":        dyvmstest.FaultTruncated,
	"html":             dyvmstest.FaultHTML,
	"business":         dyvmstest.FaultBusiness,
}

// FaultSyntax documents the --fault value, for help texts.
const FaultSyntax = `[ACTION=]KIND[:N][:key=value...]
      KIND: throttle, server-error (or 5xx), latency, close-after-read (or close),
      malformed, truncated, html, business. N: how many requests it affects
      (default: every request). Keys: status=503, code=isv.X, message=text,
      delay=2s (latency), retry-after=500ms (throttle), executed (server-error
      and html: carry the request out first). Without ACTION= every Action.
      Examples: SingleCallByTts=throttle:2  QueryCallDetailByCallId=latency:delay=3s
      SingleCallByTts=5xx:1:status=503:executed  IvrCall=business:code=isv.OUT_OF_SERVICE`

// ParseFault reads one --fault value (see FaultSyntax).
func ParseFault(spec string) (dyvmstest.Fault, error) {
	var f dyvmstest.Fault
	rest := spec
	if action, r, ok := strings.Cut(spec, "="); ok && !strings.Contains(action, ":") {
		if catalog.Lookup(action) == nil {
			return f, fmt.Errorf("--fault %q: unknown Action %q", spec, action)
		}
		f.Action, rest = action, r
	}
	parts := strings.Split(rest, ":")
	kind, ok := faultKinds[strings.ToLower(parts[0])]
	if !ok {
		return f, fmt.Errorf("--fault %q: unknown kind %q; kinds are %s", spec, parts[0], strings.Join(kindNames(), ", "))
	}
	f.Kind = kind
	for _, p := range parts[1:] {
		if err := setFaultOption(&f, p); err != nil {
			return f, fmt.Errorf("--fault %q: %v", spec, err)
		}
	}
	return f, nil
}

// setFaultOption applies one :option of a --fault value to f.
func setFaultOption(f *dyvmstest.Fault, opt string) error {
	if n, err := strconv.Atoi(opt); err == nil {
		if n < 1 {
			return errors.New("the count must be 1 or more")
		}
		f.Times = n
		return nil
	}
	key, value, _ := strings.Cut(opt, "=")
	var err error
	switch key {
	case "executed":
		f.Executed = true
	case "status":
		f.Status, err = strconv.Atoi(value)
		if err == nil && (f.Status < 100 || f.Status > 599) {
			err = errors.New("not an HTTP status")
		}
	case "code":
		f.Code = value
	case "message":
		f.Message = value
	case "delay":
		f.Delay, err = time.ParseDuration(value)
	case "retry-after":
		f.RetryAfter, err = time.ParseDuration(value)
	default:
		return fmt.Errorf("unknown option %q (a count, status=, code=, message=, delay=, retry-after= or executed)", opt)
	}
	if err != nil {
		return fmt.Errorf("%s: bad value %q", key, value)
	}
	return nil
}

// kindNames returns the fault kind names, sorted.
func kindNames() []string {
	names := make([]string, 0, len(faultKinds))
	for k := range faultKinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// describeFault is a one-line account of f for the startup banner.
func describeFault(f dyvmstest.Fault) string {
	who := "every Action"
	if f.Action != "" {
		who = f.Action
	}
	times := "every request"
	if f.Times > 0 {
		times = fmt.Sprintf("the next %d request(s)", f.Times)
	}
	return fmt.Sprintf("%s: %s on %s", who, strings.TrimPrefix(f.Kind.String(), "Fault"), times)
}
