package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// redacted replaces the value of a secret parameter in what the command
// prints.
const redacted = "<redacted>"

// secretParams are the parameters whose values are never printed.
var secretParams = map[string]bool{"signature": true, "securitytoken": true, "accesskeysecret": true}

// sentRequest is one request as the command shows it (--dry-run, --debug):
// the signature, token and secret redacted, the AccessKey ID masked.
type sentRequest struct {
	Action           string            `json:"Action"`
	Method           string            `json:"Method"`
	Endpoint         string            `json:"Endpoint"`
	Parameters       map[string]string `json:"Parameters"`
	CommonParameters map[string]string `json:"CommonParameters"`
}

// describeRequest reads r (without consuming its body) into a
// sentRequest: the query's common parameters and the form body's Action
// parameters.
func describeRequest(r *http.Request) (*sentRequest, error) {
	body, err := requestBody(r)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("request body: %v", err)
	}
	query := r.URL.Query()
	endpoint := url.URL{Scheme: r.URL.Scheme, Host: r.URL.Host, Path: r.URL.Path}
	return &sentRequest{
		Action:           query.Get("Action"),
		Method:           r.Method,
		Endpoint:         endpoint.String(),
		Parameters:       redactValues(form),
		CommonParameters: redactValues(query),
	}, nil
}

// requestBody returns a copy of r's body, leaving r's own readable.
func requestBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.GetBody == nil {
		return nil, errors.New("request body cannot be read twice")
	}
	rc, err := r.GetBody()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxCapture))
}

// redactValues flattens v to one value per name, with secrets redacted
// and the AccessKey ID masked.
func redactValues(v url.Values) map[string]string {
	out := make(map[string]string, len(v))
	for k, vals := range v {
		val := strings.Join(vals, ",")
		switch {
		case secretParams[strings.ToLower(k)]:
			val = redacted
		case strings.EqualFold(k, "AccessKeyId"):
			val = maskKeyID(val)
		}
		out[k] = val
	}
	return out
}

// dryRun is a middleware that records the request the client would send
// and sends nothing.
type dryRun struct {
	mu  sync.Mutex
	req *sentRequest
	err error
}

// errDryRun stops a dry run's request at the transport.
var errDryRun = errors.New("dry run: not sent")

// middleware implements dyvms.Middleware: it never calls next.
func (d *dryRun) middleware(http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		req, err := describeRequest(r)
		d.mu.Lock()
		d.req, d.err = req, err
		d.mu.Unlock()
		return nil, errDryRun
	})
}

// result returns the recorded request, or an error when none was.
func (d *dryRun) result() (*sentRequest, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return nil, d.err
	}
	if d.req == nil {
		return nil, errors.New("dry run: the client built no request")
	}
	return d.req, nil
}

// roundTripFunc is a function as an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip implements http.RoundTripper.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// debugOptions returns the client options of --debug: a middleware that
// prints each attempt's request (redacted, phone numbers masked), HTTP
// status and time to w, and the SDK's attempt log (Code, RequestId,
// latency, retry decision) to w.
func debugOptions(w io.Writer) []dyvms.Option {
	lw := &lockedWriter{w: w}
	mw := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return debugRoundTrip(lw, next, r)
		})
	}
	h := slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropTime})
	return []dyvms.Option{dyvms.WithMiddleware(mw), dyvms.WithLogger(slog.New(h))}
}

// debugRoundTrip prints one attempt around next.RoundTrip.
func debugRoundTrip(w io.Writer, next http.RoundTripper, r *http.Request) (*http.Response, error) {
	info, _ := dyvms.AttemptInfoFromContext(r.Context())
	prefix := fmt.Sprintf("dyvms debug: %s attempt %d:", info.Action, info.Attempt)
	if req, err := describeRequest(r); err == nil {
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %s %s\n", prefix, req.Method, req.Endpoint)
		fmt.Fprintf(&b, "  common:     %s\n", paramLine(req.CommonParameters, false))
		fmt.Fprintf(&b, "  parameters: %s\n", paramLine(req.Parameters, true))
		w.Write(b.Bytes()) //nolint:errcheck // stderr
	}
	start := time.Now()
	resp, err := next.RoundTrip(r)
	took := time.Since(start).Round(time.Microsecond)
	if err != nil {
		fmt.Fprintf(w, "%s no response after %s: %s\n", prefix, took, redactText(err.Error()))
		return resp, err
	}
	line := fmt.Sprintf("%s HTTP %d after %s", prefix, resp.StatusCode, took)
	if id := resp.Header.Get("x-acs-request-id"); id != "" {
		line += ", x-acs-request-id " + redactText(id)
	}
	fmt.Fprintln(w, line)
	return resp, nil
}

// paramLine writes params as sorted name=value pairs; with mask, phone
// numbers are masked to their last 4 digits and long values cut.
func paramLine(params map[string]string, mask bool) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := params[k]
		if mask && holdsPhoneNumbers(k) {
			v = maskDigitRuns(v)
		}
		if len(v) > 200 {
			v = v[:200] + fmt.Sprintf("…(%d bytes)", len(v))
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}

// holdsPhoneNumbers reports whether a parameter of this name carries
// phone numbers, which logs show masked.
func holdsPhoneNumbers(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"number", "phone", "callee", "caller", "mobile", "tel"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return n == "data"
}

// maskDigitRuns replaces every run of 7 or more digits but its last 4
// with '*'.
func maskDigitRuns(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j-i >= 7 {
			for k := i; k < j-4; k++ {
				b[k] = '*'
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return string(b)
}

// secretInText finds a secret parameter quoted in a message.
var secretInText = regexp.MustCompile(`(?i)(signature|securitytoken|accesskeysecret)(=|%3D)[^&"\s]*`)

// redactText removes a Signature, SecurityToken or AccessKeySecret value
// from an error message, as a last line of defence (the SDK's errors carry
// no query string).
func redactText(s string) string {
	return secretInText.ReplaceAllString(s, "${1}${2}"+redacted)
}

// dropTime removes the time from slog records: each debug line is read
// next to the command that printed it.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// lockedWriter serialises writes from concurrent attempts.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write implements io.Writer.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
