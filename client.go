package dyvms

import (
	"context"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Ptr returns a pointer to v, for request fields where zero is a meaningful
// value to send (Speed, Volume, ...): Speed: dyvms.Ptr(0).
func Ptr[T any](v T) *T { return &v }

// Client calls Dyvmsapi. It is immutable after NewClient and safe for
// concurrent use by many goroutines.
type Client struct {
	requestEnv
	region     string
	format     Format
	httpClient *http.Client
	creds      CredentialsProvider
	maxBody    int64
	// buildV3 builds each request signed with V3; nil signs with V2
	// (WithSignatureVersion).
	buildV3 requestBuilder
	// sealing, set when the client has middleware (WithMiddleware), seals
	// each attempt's request (sealed.go); each attempt's context then
	// carries AttemptInfo for the middleware.
	sealing *sealing

	retry          RetryPolicy
	attemptTimeout time.Duration
	limiter        RateLimiter
	attemptLogger  attemptLogger // nil without WithLogger or WithHooks
	hooks          []Hooks       // nil without WithHooks
	hooking        *hooking      // nil without WithHooks
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
		requestEnv: requestEnv{endpoint: endpoint, now: o.now, nonce: o.nonce, uaHeader: o.userAgentHeader()},
		region:     region,
		format:     o.format,
		httpClient: hc,
		creds:      creds,
		maxBody:    o.maxBody,
		sealing:    o.sealing,

		buildV3: o.buildV3,

		retry:          retry,
		attemptTimeout: o.attemptTimeout,
		limiter:        o.limiter,
		attemptLogger:  o.clientAttemptLogger(),
		hooks:          o.hooks,
		hooking:        o.hooking,
		rand:           o.rand,
		sleep:          o.sleep,
	}, nil
}

// Endpoint returns the endpoint the client sends to ("" for a nil Client).
func (c *Client) Endpoint() string {
	if c == nil {
		return ""
	}
	return c.endpoint
}

// String describes the client: its endpoint, region and credentials
// provider, never a secret.
func (c *Client) String() string {
	if c == nil {
		return "dyvms.Client(nil)"
	}
	creds := "none"
	if c.creds != nil {
		creds = describeProvider(c.creds)
	}
	return "dyvms.Client{endpoint: " + c.endpoint + ", region: " + c.region + ", credentials: " + creds + "}"
}

// Format implements fmt.Formatter: every verb prints String.
func (c *Client) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

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
	if c == nil || c.creds == nil || c.httpClient == nil {
		return fmt.Errorf("%w (calling %s)", ErrNilClient, action)
	}
	if ctx == nil {
		return errorf("%s: nil context", action)
	}
	if c.hooking != nil && !claimCall(ctx) {
		return c.hooking.call(ctx, c.hooks, action, func(ctx context.Context) error {
			return c.invoke(ctx, action, req, out, opts)
		})
	}
	co := newCallOptions(opts)
	params, err := buildParams(action, req, co.extra)
	if err != nil {
		return err
	}
	params, outID := ensureOutID(action, params)
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
			if r, ok := out.(interface{ setOutID(string) }); ok {
				r.setOutID(outID) // the response of a call-placing Action
			}
			return nil
		}
		rec.outcome = classify(action, attemptFailure{err: res.err, sent: res.sent, resent: res.resent, callerDone: ctx.Err() != nil})
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

// ensureOutID returns the OutId params carry, and for a call-placing
// Action without one, params with a generated OutId added: the call must
// be reconcilable through receipts whatever happens. params is the SDK's
// own slice, so the caller's request is untouched.
func ensureOutID(action string, params []param) ([]param, string) {
	outID := paramValue(params, "OutId")
	if outID == "" && actionTable[action].placesCall {
		outID = newOutID()
		params = append(params, param{"OutId", outID})
	}
	return params, outID
}

// newOutID returns a fresh OutId for a call-placing request that has
// none: 15 characters of base32 (72 random bits), within the service's
// 15-byte limit, unique for all practical purposes.
func newOutID() string {
	var b [9]byte
	_, _ = cryptorand.Read(b[:])
	return base32Encode9(b)
}

// base32Alphabet is the standard base32 alphabet (RFC 4648).
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// base32Encode9 returns the 15 characters of b in standard base32 with no
// padding, as encoding/base32 would, without linking it.
func base32Encode9(b [9]byte) string {
	var out [15]byte
	var acc uint64
	bits, n := 0, 0
	for _, v := range b {
		acc = acc<<8 | uint64(v)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[n] = base32Alphabet[acc>>bits&31]
			n++
		}
	}
	out[n] = base32Alphabet[acc<<(5-bits)&31] // 72 bits: 14 whole characters and 2 bits
	return string(out[:])
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

// buildParams encodes and validates the Action name, the request and the
// extra parameters, and reports every problem of all three at once.
func buildParams(action string, req any, extra url.Values) ([]param, error) {
	var problems []FieldError
	if reason := checkActionName(action); reason != "" {
		problems = append(problems, FieldError{Field: "Action", Reason: reason})
	}
	params, err := encodeRequest(action, req, make([]param, 0, 16))
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		problems = append(problems, ve.Problems...)
	case err != nil:
		return nil, err
	}
	problems = append(problems, checkExtraParams(params, extra)...)
	if len(problems) > 0 {
		return nil, newValidationError(action, problems)
	}
	for key, values := range extra {
		params = append(params, param{key, values[0]})
	}
	return params, nil
}

// checkActionName returns why action is not an Action name, or "". Action
// names are ASCII letters and digits.
func checkActionName(action string) string {
	if action == "" || len(action) > 128 {
		return "must be 1 to 128 ASCII letters and digits"
	}
	for i := 0; i < len(action); i++ {
		if c := action[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "must be ASCII letters and digits only"
		}
	}
	return ""
}

// checkExtraParams lists the problems of the parameters given with
// WithExtraParams: a name that is not a plain parameter name, or one that
// matches a common parameter or one the request sets, ignoring case and
// surrounding space (a gateway may read "signature" or "AccessKeyId " as
// the real one).
func checkExtraParams(params []param, extra url.Values) []FieldError {
	if len(extra) == 0 {
		return nil
	}
	set := make(map[string]bool, len(params))
	for _, p := range params {
		set[strings.ToLower(p.key)] = true
	}
	var problems []FieldError
	for _, key := range slices.Sorted(maps.Keys(extra)) {
		norm := strings.ToLower(strings.TrimSpace(key))
		field := strconv.Quote(key)
		switch {
		case !validParamName(key):
			problems = append(problems, FieldError{field, "is not a parameter name: ASCII letters, digits, '.', '_' and '-' only"})
		case commonParamsLower[norm]:
			problems = append(problems, FieldError{field, "is a common parameter set by the client"})
		case set[norm]:
			problems = append(problems, FieldError{field, "is already set by the request"})
		case len(extra[key]) != 1:
			problems = append(problems, FieldError{field, "must have exactly one value; flatten lists as Name.N"})
		}
	}
	return problems
}

// commonParamsLower is commonParams in lower case.
var commonParamsLower = func() map[string]bool {
	m := make(map[string]bool, len(commonParams))
	for k := range commonParams {
		m[strings.ToLower(k)] = true
	}
	return m
}()

// validParamName reports whether key is a plain parameter name: ASCII
// letters, digits, '.', '_' and '-' (Name.N.Field for lists).
func validParamName(key string) bool {
	if key == "" || len(key) > 256 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
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
	sent bool
	// resent is true when the transport wrote the request more than once.
	resent    bool
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
	if c.sealing != nil {
		actx = withAttemptInfo(ctx, AttemptInfo{Action: action, Attempt: n})
	}
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, c.attemptTimeout)
		defer cancel()
	}
	var seal attemptSeal
	if c.sealing != nil {
		actx, seal = c.sealing.start(actx, red, c.maxBody)
	}
	var tr connTrace
	actx = httptrace.WithClientTrace(actx, tr.clientTrace())
	httpReq, signature, err := c.newRequest(actx, action, params, creds)
	if err != nil {
		res.err = err
		return res
	}
	res.red = red.with(signature)
	if seal != nil {
		seal.seal(httpReq, res.red)
	}
	resp, err := c.httpClient.Do(httpReq)
	res.resent = tr.resent()
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
	if seal != nil {
		body = seal.realAnswer(body)
	}
	var rid string
	res.code, rid, res.err = decodeEnvelope(action, resp.StatusCode, resp.Header, body, out, res.red)
	if rid != "" {
		res.requestID = rid
	}
	return res
}
