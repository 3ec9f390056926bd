package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strings"
	"time"
)

// Ptr returns a pointer to v, for request fields where zero is a meaningful
// value to send (Speed, Volume, ...): Speed: dyvms.Ptr(0).
func Ptr[T any](v T) *T { return &v }

// Client calls Dyvmsapi. It is immutable after NewClient and safe for
// concurrent use by many goroutines.
type Client struct {
	endpoint   string // scheme://host[:port], no trailing slash
	region     string
	format     Format
	httpClient *http.Client
	creds      CredentialsProvider
	maxBody    int64
	now        func() time.Time
	nonce      func() string
	uaHeader   []string // User-Agent, shared by every request
	// signatureVersion is how requests are signed (WithSignatureVersion).
	signatureVersion SignatureVersion
	// attemptInfo puts AttemptInfo in each attempt's context, for
	// middleware (WithMiddleware).
	attemptInfo bool

	retry          RetryPolicy
	attemptTimeout time.Duration
	limiter        RateLimiter
	attemptLogger  attemptLogger // nil without WithLogger
	rand           func(int64) int64
	sleep          func(context.Context, time.Duration) error
}

// NewClient returns a Client configured by opts. Without a credentials
// option it reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, and
// returns ErrNoCredentials when they are unset. WithDefaultCredentialsChain
// adds OIDC, the Alibaba Cloud CLI's profile file, the ECS RAM role and a
// credentials endpoint. Without WithRegion the region is
// ALIBABA_CLOUD_REGION_ID, else cn-hangzhou.
//
// Calls are retried by default (see RetryPolicy and ErrAmbiguous), each
// attempt bounded by DefaultAttemptTimeout and the context.
func NewClient(opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	retry, err := o.check()
	if err != nil {
		return nil, err
	}
	endpoint, err := parseEndpoint(o.endpoint, o.allowHTTP)
	if err != nil {
		return nil, err
	}
	creds, err := o.credentials()
	if err != nil {
		return nil, err
	}
	region, err := o.clientRegion(creds)
	if err != nil {
		return nil, err
	}
	hc, err := o.client()
	if err != nil {
		return nil, err
	}
	return &Client{
		endpoint:    endpoint,
		region:      region,
		format:      o.format,
		httpClient:  hc,
		creds:       creds,
		maxBody:     o.maxBody,
		now:         o.now,
		nonce:       o.nonce,
		uaHeader:    o.userAgentHeader(),
		attemptInfo: len(o.middleware) > 0,

		signatureVersion: o.signatureVersion,

		retry:          retry,
		attemptTimeout: o.attemptTimeout,
		limiter:        o.limiter,
		attemptLogger:  o.attemptLogger,
		rand:           o.rand,
		sleep:          o.sleep,
	}, nil
}

// Endpoint returns the endpoint the client sends to.
func (c *Client) Endpoint() string { return c.endpoint }

// invokeTyped runs action with req and decodes a success into a new Resp:
// the body of every typed Action method.
func invokeTyped[Resp any](ctx context.Context, c *Client, action string, req any, opts []CallOption) (*Resp, error) {
	out := new(Resp)
	if err := c.invoke(ctx, action, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Do calls any Action by name with raw parameters (lists already flattened
// as Name.N.Field), signed, sent and checked exactly like the typed calls.
// A success is decoded into out: a pointer to a struct with json tags (the
// lenient rules of the typed responses apply), a *map[string]any, or nil.
// It is the escape hatch for Actions or parameters the typed API lacks.
// An Action the SDK does not know is retried as cautiously as one that
// places calls (see ErrAmbiguous).
func (c *Client) Do(ctx context.Context, action string, params url.Values, out any) error {
	if action == "" {
		return errorf("Do: action must not be empty")
	}
	return c.invoke(ctx, action, nil, out, []CallOption{WithExtraParams(params)})
}

// Validate checks a typed request exactly as every call does before it
// sends anything: required fields, ranges, byte lengths, list items, JSON
// parameters, and the extra parameters of WithExtraParams. req is a pointer
// to one of the XxxRequest types; its Action is the type's name without
// "Request". It returns a *ValidationError or nil, and does no I/O.
func Validate(req any, opts ...CallOption) error {
	t := reflect.TypeOf(req)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct || !strings.HasSuffix(t.Elem().Name(), "Request") {
		return errorf("Validate: want a pointer to an XxxRequest struct, not %T", req)
	}
	co := newCallOptions(opts)
	_, err := buildParams(strings.TrimSuffix(t.Elem().Name(), "Request"), req, co.extra)
	return err
}

// commonParams are set by the client; a request may not set them.
var commonParams = map[string]bool{
	"AccessKeyId": true, "Action": true, "Format": true, "RegionId": true, "SecurityToken": true,
	"Signature": true, "SignatureMethod": true, "SignatureNonce": true, "SignatureVersion": true,
	"Timestamp": true, "Version": true,
}

// invoke is the one request path: build params, validate, then attempt
// (pace, sign, send, decode the envelope into out or an *Error) until an
// attempt succeeds or classify says to stop. Each attempt is signed anew,
// with a fresh nonce and timestamp.
func (c *Client) invoke(ctx context.Context, action string, req any, out any, opts []CallOption) error {
	if ctx == nil {
		return errorf("%s: nil context", action)
	}
	co := newCallOptions(opts)
	params, err := buildParams(action, req, co.extra)
	if err != nil {
		return err
	}
	outID := paramValue(params, "OutId")
	var called string
	if c.attemptLogger != nil {
		called = paramValue(params, "CalledNumber")
	}
	// stale is set for the attempt after the service refused the
	// security token; refreshed says that happened once already.
	var stale *Credentials
	var refreshed bool
	var last error
	for n := 1; ; n++ {
		creds, err := c.retrieveCredentials(ctx, action, stale)
		if errors.Is(err, errSameCredentials) {
			return last
		}
		if err != nil {
			return err
		}
		stale = nil
		red := newRedactor(creds.AccessKeySecret, creds.SecurityToken)
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx, action); err != nil {
				return fmt.Errorf("dyvms: %s: rate limiter: %w", action, err)
			}
		}
		start := time.Now()
		res := c.attempt(ctx, action, n, params, creds, red, out)
		rec := attemptRecord{
			action: action, attempt: n, status: res.status, code: res.code, requestID: res.requestID,
			latency: time.Since(start), err: res.err, called: called, outID: outID,
		}
		if res.err == nil {
			c.attemptLogger.log(ctx, res.red, rec)
			return nil
		}
		rec.outcome = classify(action, attemptFailure{err: res.err, sent: res.sent, callerDone: ctx.Err() != nil})
		switch {
		case rec.outcome == retryable && isStaleTokenError(res.err):
			// Retried at once and only once, with credentials retrieved
			// anew: waiting cures nothing here.
			if !refreshed && n < c.retry.MaxAttempts {
				refreshed, stale, rec.retry = true, &creds, true
			}
		case rec.outcome == retryable && n < c.retry.MaxAttempts:
			rec.backoff, rec.retry = c.retry.delay(ctx, n, res.err, c.rand)
		}
		c.attemptLogger.log(ctx, res.red, rec)
		last = res.err
		switch {
		case rec.outcome == ambiguous:
			return &AmbiguousError{Action: action, OutID: outID, Attempts: n, Err: res.err}
		case !rec.retry:
			return res.err
		}
		if err := c.sleep(ctx, rec.backoff); err != nil {
			return &TransportError{Action: action, Err: &retryWaitError{ctxErr: err, last: res.err, attempts: n}}
		}
	}
}

// errSameCredentials: the provider gave again the credentials the
// service refused; the call ends with the service's error.
var errSameCredentials = errors.New("same credentials")

// retrieveCredentials returns the credentials of one attempt. After the
// service refused rejected, it invalidates them first, and returns
// errSameCredentials when the provider hands the same ones out again.
func (c *Client) retrieveCredentials(ctx context.Context, action string, rejected *Credentials) (Credentials, error) {
	if rejected != nil {
		if inv, ok := c.creds.(CredentialsInvalidator); ok {
			inv.Invalidate(*rejected)
		}
	}
	creds, err := c.creds.Retrieve(ctx)
	switch {
	case err != nil:
		return Credentials{}, fmt.Errorf("dyvms: %s: credentials: %w", action, err)
	case !creds.valid():
		return Credentials{}, fmt.Errorf("dyvms: %s: %w", action, ErrNoCredentials)
	case rejected != nil && creds.AccessKeyID == rejected.AccessKeyID && creds.SecurityToken == rejected.SecurityToken:
		return Credentials{}, errSameCredentials
	}
	return creds, nil
}

// buildParams encodes and validates the request and the extra parameters.
func buildParams(action string, req any, extra url.Values) ([]param, error) {
	params, err := encodeRequest(action, req, make([]param, 0, 16))
	if err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return params, nil
	}
	set := make(map[string]bool, len(params))
	for _, p := range params {
		set[p.key] = true
	}
	for key, values := range extra {
		switch {
		case commonParams[key]:
			return nil, &ValidationError{Action: action, Field: key, Reason: "is a common parameter set by the client"}
		case set[key]:
			return nil, &ValidationError{Action: action, Field: key, Reason: "is already set by the request"}
		case key == "":
			return nil, &ValidationError{Action: action, Field: `""`, Reason: "parameter names must not be empty"}
		case len(values) != 1:
			return nil, &ValidationError{Action: action, Field: key, Reason: "must have exactly one value; flatten lists as Name.N"}
		}
		params = append(params, param{key, values[0]})
	}
	return params, nil
}

// paramValue returns the value of the parameter named key, or "".
func paramValue(params []param, key string) string {
	for _, p := range params {
		if p.key == key {
			return p.value
		}
	}
	return ""
}

// attemptResult is what one attempt leaves.
type attemptResult struct {
	err error
	// sent is false when the request provably never left the client.
	sent      bool
	status    int
	code      string
	requestID string
	// red redacts this attempt's secrets, its Signature included.
	red redactor
}

// attempt signs and sends one HTTP request and decodes its response. The
// attempt is bounded by the client's attempt timeout (and ctx), and traced
// to learn whether the request may have been written.
func (c *Client) attempt(ctx context.Context, action string, n int, params []param, creds Credentials, red redactor, out any) attemptResult {
	res := attemptResult{red: red}
	actx := ctx
	if c.attemptInfo {
		actx = withAttemptInfo(ctx, AttemptInfo{Action: action, Attempt: n})
	}
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, c.attemptTimeout)
		defer cancel()
	}
	var tr connTrace
	actx = httptrace.WithClientTrace(actx, tr.clientTrace())
	httpReq, signature, err := c.newRequest(actx, action, params, creds)
	if err != nil {
		res.err = err
		return res
	}
	res.red = red.with(signature)
	resp, err := c.httpClient.Do(httpReq)
	if err != nil {
		res.err = &TransportError{Action: action, Err: res.red.sanitizeTransportError(err)}
		res.sent = tr.maybeSent()
		return res
	}
	defer resp.Body.Close()
	res.sent = true
	res.status = resp.StatusCode
	res.requestID = resp.Header.Get("x-acs-request-id")
	body, err := readBody(resp, c.maxBody)
	if err != nil {
		res.err = &TransportError{Action: action, Err: res.red.sanitizeTransportError(err)}
		return res
	}
	var rid string
	res.code, rid, res.err = decodeEnvelope(action, resp.StatusCode, resp.Header, body, out, res.red)
	if rid != "" {
		res.requestID = rid
	}
	return res
}
