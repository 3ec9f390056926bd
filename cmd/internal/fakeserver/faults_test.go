package fakeserver

import (
	"strings"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
)

func TestParseFault(t *testing.T) {
	cases := map[string]dyvmstest.Fault{
		"throttle":                             {Kind: dyvmstest.FaultThrottle},
		"SingleCallByTts=throttle:2":           {Action: "SingleCallByTts", Kind: dyvmstest.FaultThrottle, Times: 2},
		"IvrCall=throttle:retry-after=500ms":   {Action: "IvrCall", Kind: dyvmstest.FaultThrottle, RetryAfter: 500 * time.Millisecond},
		"5xx:status=503:executed":              {Kind: dyvmstest.FaultServerError, Status: 503, Executed: true},
		"server-error:code=InternalError":      {Kind: dyvmstest.FaultServerError, Code: "InternalError"},
		"latency:delay=3s":                     {Kind: dyvmstest.FaultLatency, Delay: 3 * time.Second},
		"close":                                {Kind: dyvmstest.FaultCloseAfterRead},
		"close-after-read:1":                   {Kind: dyvmstest.FaultCloseAfterRead, Times: 1},
		"malformed":                            {Kind: dyvmstest.FaultMalformed},
		"truncated":                            {Kind: dyvmstest.FaultTruncated},
		"html:status=504":                      {Kind: dyvmstest.FaultHTML, Status: 504},
		"business:code=isv.X:message=no money": {Kind: dyvmstest.FaultBusiness, Code: "isv.X", Message: "no money"},
	}
	for spec, want := range cases {
		got, err := ParseFault(spec)
		if err != nil || got != want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for spec, msg := range map[string]string{
		"Nope=throttle":          `unknown Action "Nope"`,
		"boom":                   `unknown kind "boom"`,
		"throttle:-1":            "count must be 1 or more",
		"html:status=9":          `status: bad value "9"`,
		"latency:delay=x":        `delay: bad value "x"`,
		"throttle:color=red":     `unknown option "color=red"`,
		"SingleCallByTts=":       `unknown kind ""`,
		"retry-after=1s:latency": `unknown Action "retry-after"`,
	} {
		if _, err := ParseFault(spec); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseFault(%q) error %v; want %q", spec, err, msg)
		}
	}
}
