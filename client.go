// Package dyvms is a Go client for Alibaba Cloud's Voice Messaging Service
// (product Dyvmsapi, API version 2017-05-25): voice verification codes and
// notifications, IVR calls, robot outbound campaigns, call tasks and call
// records, 400-hotline transfer, virtual numbers and RTC/VoIP/MQTT tokens.
//
// Every Action is a method on *Client that takes a context and a typed
// request and returns a typed response or an error:
//
//	client, err := dyvms.NewClient(dyvms.WithAccessKey(id, secret))
//	resp, err := client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
//		CalledNumber: "13900001234",
//		TtsCode:      "TTS_100000",
//		TtsParam:     map[string]string{"code": "1234"},
//	})
//
// Each call follows one path: the request is encoded and validated (a bad
// request returns a *ValidationError and nothing is sent), signed with the
// POP HMAC-SHA1 signature (or with ACS3-HMAC-SHA256, see
// WithSignatureVersion), sent as an HTTPS POST, and the XML or JSON answer
// is decoded into the typed response or into *Error, the one error type for
// everything the service reports.
package dyvms

import (
	"bytes"
	"context"
	"crypto/hmac"
	cryptorand "crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// SDKVersion is the version of this SDK, sent in the User-Agent.
const SDKVersion = "0.1.0"

// APIVersion is the Dyvmsapi API version this SDK speaks.
const APIVersion = "2017-05-25"

// DefaultEndpoint is the central Dyvmsapi endpoint.
const DefaultEndpoint = "https://dyvmsapi.aliyuncs.com"

// DefaultRegion is the region sent as RegionId when none is configured.
const DefaultRegion = "cn-hangzhou"

// DefaultMaxResponseBytes bounds how much of a response body is read.
const DefaultMaxResponseBytes = 10 << 20

// Format is the response format asked of the service. Both are decoded
// whatever was asked for, since a gateway may answer XML to a JSON request.
type Format string

// Response formats.
const (
	FormatJSON Format = "JSON"
	FormatXML  Format = "XML"
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
	macs        sync.Pool // *macState, reused HMAC-SHA1 states

	retry          RetryPolicy
	attemptTimeout time.Duration
	limiter        RateLimiter
	attemptLogger  attemptLogger // nil without WithLogger
	rand           func(int64) int64
	sleep          func(context.Context, time.Duration) error
}

// formContentType is the Content-Type of every request body.
var formContentType = []string{"application/x-www-form-urlencoded"}

// macState is a reusable HMAC keyed with one secret.
type macState struct {
	secret string
	mac    hash.Hash
	sum    [sha1.Size]byte
}

// sign returns base64(HMAC-SHA1(secret + "&", stringToSign)), reusing a
// pooled HMAC state when it was keyed with the same secret.
func (c *Client) sign(stringToSign []byte, secret string) string {
	st, _ := c.macs.Get().(*macState)
	if st == nil || st.secret != secret {
		st = &macState{secret: secret, mac: hmac.New(sha1.New, []byte(secret+"&"))}
	} else {
		st.mac.Reset()
	}
	st.mac.Write(stringToSign)
	var out [28]byte
	base64.StdEncoding.Encode(out[:], st.mac.Sum(st.sum[:0]))
	c.macs.Put(st)
	return string(out[:])
}

// options is what Option functions set; NewClient copies it into a Client.
type options struct {
	endpoint    string
	region      string
	regionSet   bool
	format      Format
	userAgent   string
	httpClient  *http.Client
	creds       CredentialsProvider
	chain       func() (CredentialsProvider, error)
	accessKeyID string
	secret      string
	token       string
	maxBody     int64
	allowHTTP   bool
	now         func() time.Time
	nonce       func() string

	signatureVersion SignatureVersion

	retry          RetryPolicy
	attemptTimeout time.Duration
	connectTimeout time.Duration
	limiter        RateLimiter
	logAttempt     attemptLogger
	middleware     []Middleware
	rand           func(int64) int64
	sleep          func(context.Context, time.Duration) error
	// err is the first invalid option, reported by NewClient.
	err error
}

// Option configures a Client in NewClient.
type Option func(*options)

// WithAccessKey signs requests with a long-lived AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return func(o *options) { o.accessKeyID, o.secret = accessKeyID, accessKeySecret }
}

// WithDefaultCredentialsChain takes credentials from
// NewDefaultCredentialsProvider's chain: the ALIBABA_CLOUD_* environment
// variables, then OIDC (RRSA) from ALIBABA_CLOUD_ROLE_ARN,
// ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE, then
// the profile file the Alibaba Cloud CLI writes (~/.aliyun/config.json,
// profile ALIBABA_CLOUD_PROFILE), then the ECS instance's RAM role named by
// ALIBABA_CLOUD_ECS_METADATA, then the credentials endpoint
// ALIBABA_CLOUD_CREDENTIALS_URI. NewClient returns the chain's error when
// none of them is present. Unless WithRegion is given, the region_id of
// the profile read sets the client's region (ALIBABA_CLOUD_REGION_ID wins
// over it).
//
// It is an option, not NewClient's default, so that programs which pass
// their keys do not carry the profile and metadata code.
func WithDefaultCredentialsChain() Option {
	return func(o *options) { o.chain = NewDefaultCredentialsProvider }
}

// WithSecurityToken adds an STS security token to the AccessKey given with
// WithAccessKey, for temporary credentials.
func WithSecurityToken(token string) Option {
	return func(o *options) { o.token = token }
}

// WithCredentialsProvider takes credentials from p on every call, for
// credentials that rotate. It overrides WithAccessKey.
func WithCredentialsProvider(p CredentialsProvider) Option {
	return func(o *options) { o.creds = p }
}

// WithEndpoint sets the service endpoint: scheme and host, with an optional
// port, for example "https://dyvmsapi.aliyuncs.com" (the default) or the URL
// of a fake server. Plain http is accepted only for a literal loopback
// address (127.0.0.1, [::1]) or "localhost" unless WithAllowHTTP is given
// too: other names, *.localhost included, are resolved through DNS.
func WithEndpoint(rawURL string) Option {
	return func(o *options) { o.endpoint = rawURL }
}

// WithAllowHTTP accepts a plain-http endpoint on a non-loopback host (a test
// server on a private network). Requests then cross the network unencrypted.
func WithAllowHTTP() Option {
	return func(o *options) { o.allowHTTP = true }
}

// EnvRegionID is the region a client uses when WithRegion is not given.
const EnvRegionID = "ALIBABA_CLOUD_REGION_ID"

// WithRegion sets the RegionId sent with every request. Without it the
// region is ALIBABA_CLOUD_REGION_ID, else the region_id of the CLI profile
// the default credentials chain read, else cn-hangzhou.
func WithRegion(region string) Option {
	return func(o *options) { o.region, o.regionSet = region, true }
}

// WithHTTPClient sends requests through hc's transport, keeping its cookie
// jar and timeout. hc is never modified, so httpmock.ActivateNonDefault(hc)
// works with it. Redirects are never followed, whatever hc's CheckRedirect
// says: the signed query would reach the other host. A 3xx answer is an
// *Error naming where it pointed.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) { o.httpClient = hc }
}

// WithFormat sets the response format asked of the service (JSON by default).
func WithFormat(f Format) Option {
	return func(o *options) { o.format = f }
}

// WithUserAgent appends s to the SDK's User-Agent header. NewClient refuses
// s when it holds a control character (CR, LF, NUL, ...).
func WithUserAgent(s string) Option {
	return func(o *options) { o.userAgent = s }
}

// WithMaxResponseBytes bounds how many bytes of a response body are read
// (default 10 MiB); a longer body fails with ErrResponseTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) { o.maxBody = n }
}

// withClock and withNonce make signatures reproducible in tests.
func withClock(now func() time.Time) Option { return func(o *options) { o.now = now } }
func withNonce(nonce func() string) Option  { return func(o *options) { o.nonce = nonce } }

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
	o := options{
		endpoint:       DefaultEndpoint,
		region:         DefaultRegion,
		format:         FormatJSON,
		maxBody:        DefaultMaxResponseBytes,
		now:            time.Now,
		nonce:          uuid.NewString,
		retry:          DefaultRetryPolicy(),
		attemptTimeout: DefaultAttemptTimeout,
		rand:           randInt63n,
		sleep:          sleepCtx,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.err != nil {
		return nil, o.err
	}
	retry, err := o.retry.withDefaults()
	if err != nil {
		return nil, err
	}
	if o.attemptTimeout < 0 {
		return nil, errorf("attempt timeout must not be negative")
	}
	endpoint, err := parseEndpoint(o.endpoint, o.allowHTTP)
	if err != nil {
		return nil, err
	}
	if o.format != FormatJSON && o.format != FormatXML {
		return nil, errorf("format must be FormatJSON or FormatXML, not %q", o.format)
	}
	if o.region == "" {
		return nil, errorf("region must not be empty")
	}
	if o.maxBody <= 0 {
		return nil, errorf("max response bytes must be positive")
	}
	creds := o.creds
	switch {
	case creds != nil:
	case o.accessKeyID != "" || o.secret != "":
		if o.accessKeyID == "" || o.secret == "" {
			return nil, errorf("WithAccessKey needs both an AccessKey ID and a secret")
		}
		creds = NewStaticCredentialsProvider(o.accessKeyID, o.secret, o.token)
	case o.chain != nil:
		p, err := o.chain()
		if err != nil {
			return nil, err
		}
		creds = p
	default:
		env, ok := EnvCredentials()
		if !ok {
			return nil, ErrNoCredentials
		}
		if o.token != "" {
			env.SecurityToken = o.token
		}
		creds = NewStaticCredentialsProvider(env.AccessKeyID, env.AccessKeySecret, env.SecurityToken)
	}
	region, err := clientRegion(o, creds)
	if err != nil {
		return nil, err
	}
	hc := o.httpClient
	switch {
	case hc == nil:
		connect := o.connectTimeout
		if connect == 0 {
			connect = DefaultConnectTimeout
		}
		hc = &http.Client{Transport: newTransport(connect)}
	case o.connectTimeout != 0:
		return nil, errorf("WithConnectTimeout applies to the client's own transport; set the dial timeout of the transport given with WithHTTPClient instead")
	}
	hc = wrapHTTPClient(hc, o.middleware)
	ua, err := userAgent(o.userAgent)
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
		uaHeader:    []string{ua},
		attemptInfo: len(o.middleware) > 0,

		signatureVersion: o.signatureVersion,

		retry:          retry,
		attemptTimeout: o.attemptTimeout,
		limiter:        o.limiter,
		attemptLogger:  o.logAttempt,
		rand:           o.rand,
		sleep:          o.sleep,
	}, nil
}

// clientRegion returns the region of WithRegion, else
// ALIBABA_CLOUD_REGION_ID, else the CLI profile's region_id, else
// DefaultRegion.
func clientRegion(o options, creds CredentialsProvider) (string, error) {
	if o.regionSet {
		return o.region, nil
	}
	if r := os.Getenv(EnvRegionID); r != "" {
		if !validRegion(r) {
			return "", errorf("%s=%q is not a region ID", EnvRegionID, r)
		}
		return r, nil
	}
	if r := credentialsRegion(creds); r != "" {
		if !validRegion(r) {
			return "", errorf("the CLI profile's region_id %q is not a region ID", r)
		}
		return r, nil
	}
	return o.region, nil
}

// newDefaultTransport is the client's own transport with the default
// connect timeout.
func newDefaultTransport() *http.Transport { return newTransport(DefaultConnectTimeout) }

// newTransport is the client's own transport (never
// http.DefaultTransport, which other code may change): proxies from the
// environment, the dial bounded by connect and the TLS handshake by twice
// that.
func newTransport(connect time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 2 * connect
	t.MaxIdleConnsPerHost = 64
	return t
}

// userAgent returns the User-Agent header: the SDK's, then suffix. A
// suffix with a control character (CR, LF, ...) is refused: it would
// break the header, and every call with it.
func userAgent(suffix string) (string, error) {
	if i := strings.IndexFunc(suffix, isControl); i >= 0 {
		return "", errorf("WithUserAgent: control character %q at byte %d; a header value must be one line of printable text", suffix[i], i)
	}
	ua := "dyvms-go/" + SDKVersion + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") " + runtime.Version()
	if suffix != "" {
		ua += " " + suffix
	}
	return ua, nil
}

// isControl reports whether r is an ASCII control character, which may
// not appear in a header value.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// parseEndpoint checks an endpoint URL and returns it as scheme://host[:port].
func parseEndpoint(raw string, allowHTTP bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errorf("invalid endpoint %q: %v", raw, err)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", errorf("invalid endpoint %q: want scheme://host[:port]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP && !isLoopback(u.Hostname()) {
			return "", errorf("endpoint %q is plain http on a non-loopback host; use https, or WithAllowHTTP", raw)
		}
	default:
		return "", errorf("invalid endpoint %q: scheme must be https or http", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// isLoopback reports whether host is a literal loopback IP or "localhost".
// Other names, *.localhost included, resolve through DNS and may lead
// anywhere.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Endpoint returns the endpoint the client sends to ("" for a nil Client).
func (c *Client) Endpoint() string {
	if c == nil {
		return ""
	}
	return c.endpoint
}

// CallOption changes one call.
type CallOption func(*callOptions)

type callOptions struct {
	extra url.Values
}

// WithExtraParams adds parameters the typed request lacks, signed and sent
// like the others. They may not replace a common parameter (Action,
// Signature, ...) or a parameter the request already sets.
func WithExtraParams(params url.Values) CallOption {
	return func(o *callOptions) { o.extra = params }
}

// call runs action with req and decodes a success into a new Resp.
func call[Resp any](ctx context.Context, c *Client, action string, req any, opts []CallOption) (*Resp, error) {
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
	var co callOptions
	for _, opt := range opts {
		opt(&co)
	}
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
	var co callOptions
	for _, opt := range opts {
		opt(&co)
	}
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
		rec := attemptLog{
			action: action, attempt: n, status: res.status, code: res.code, requestID: res.requestID,
			latency: time.Since(start), err: res.err, called: called, outID: outID,
		}
		if res.err == nil {
			c.logAttempt(ctx, res.red, rec)
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
			rec.backoff, rec.retry = c.retryDelay(ctx, n, res.err)
		}
		c.logAttempt(ctx, res.red, rec)
		last = res.err
		switch {
		case rec.outcome == ambiguous:
			return &AmbiguousError{Action: action, OutID: outID, Attempts: n, Err: res.err}
		case !rec.retry:
			return res.err
		}
		if err := c.sleep(ctx, rec.backoff); err != nil {
			return &TransportError{Action: action, Err: &retryWaitError{ctxErr: err, last: res.err, action: action, attempts: n}}
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
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

// retryWaitError is the context ending while the client waited to retry.
type retryWaitError struct {
	ctxErr, last error
	action       string
	attempts     int
}

func (e *retryWaitError) Error() string {
	return e.ctxErr.Error() + " while waiting to retry after attempt " + strconv.Itoa(e.attempts) + ": " + trimDyvmsPrefix(e.last.Error(), e.action)
}

func (e *retryWaitError) Unwrap() []error { return []error{e.ctxErr, e.last} }

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
	if c.attemptInfo {
		actx = context.WithValue(ctx, attemptInfoKey{}, AttemptInfo{Action: action, Attempt: n})
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
	var rid string
	res.code, rid, res.err = decodeEnvelope(action, resp.StatusCode, resp.Header, body, out, res.red)
	if rid != "" {
		res.requestID = rid
	}
	return res
}

// connTrace records whether the transport asked for a connection and got
// one. A request that asked and never got one was provably not written
// (DNS failure, connection refused, TLS handshake failure, dial timeout).
// A transport that reports nothing (a test double, a custom RoundTripper)
// proves nothing, so its requests count as possibly sent.
//
// It also counts the complete writes of the request: more than one means
// the transport sent it again below the SDK (HTTP/2 replays a request
// after a refused stream or a GOAWAY; a user's RoundTripper may retry),
// so an answer may come from a later copy while an earlier one ran.
type connTrace struct {
	getConn, gotConn atomic.Bool
	writes           atomic.Int32
}

func (t *connTrace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) { t.getConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { t.gotConn.Store(true) },
		WroteRequest: func(w httptrace.WroteRequestInfo) {
			if w.Err == nil {
				t.writes.Add(1)
			}
		},
	}
}

// resent reports whether the transport wrote the request more than once.
func (t *connTrace) resent() bool { return t.writes.Load() > 1 }

// maybeSent reports whether any byte of the request may have been written.
func (t *connTrace) maybeSent() bool {
	return !t.getConn.Load() || t.gotConn.Load()
}

// newRequest builds the signed HTTP request: POST to the endpoint with the
// common parameters and the Signature in the query string and the Action's
// own parameters in an application/x-www-form-urlencoded body. The
// signature covers both, as the RPC gateway expects. A large parameter
// (a callee list of hundreds of KB) therefore never meets a URL length limit,
// and phone numbers stay out of URLs and proxy logs. With SignatureV3 the
// request is built by newRequestV3 instead.
func (c *Client) newRequest(ctx context.Context, action string, params []param, creds Credentials) (*http.Request, string, error) {
	if c.signatureVersion == SignatureV3 {
		return c.newRequestV3(ctx, action, params, creds)
	}
	common := make([]param, 0, 10+len(params))
	common = append(common,
		param{"AccessKeyId", creds.AccessKeyID},
		param{"Action", action},
		param{"Format", string(c.format)},
		param{"RegionId", c.region},
		param{"SignatureMethod", signatureMethod},
		param{"SignatureNonce", c.nonce()},
		param{"SignatureVersion", signatureVersion},
		param{"Timestamp", c.now().UTC().Format(timestampLayout)},
		param{"Version", APIVersion},
	)
	if creds.SecurityToken != "" {
		common = append(common, param{"SecurityToken", creds.SecurityToken})
	}
	all := append(common, params...)
	sortParams(all)
	signature := c.sign(stringToSign("POST", all), creds.AccessKeySecret)

	// The query holds the common parameters, the body the others (a
	// request never sets a common parameter: buildParams refuses it). Size
	// each buffer for its own part: a large TtsParam belongs to the body.
	qsize, bsize := 0, 0
	for _, p := range all {
		if n := escapedLen(p.key) + escapedLen(p.value) + 2; commonParams[p.key] {
			qsize += n
		} else {
			bsize += n
		}
	}
	u := make([]byte, 0, len(c.endpoint)+2+qsize+len("&Signature=")+escapedLen(signature))
	u = append(u, c.endpoint...)
	u = append(u, "/?"...)
	body := make([]byte, 0, bsize)
	for _, p := range all {
		if commonParams[p.key] {
			u = appendPair(u, p)
		} else {
			body = appendPair(body, p)
		}
	}
	u = append(u, "Signature="...)
	u = appendEscaped(u, signature)
	if len(body) > 0 {
		body = body[:len(body)-1] // the last '&'
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, string(u), bytes.NewReader(body))
	if err != nil {
		return nil, "", errorf("%s: building request: %v", action, err)
	}
	req.Header = http.Header{"Content-Type": formContentType, "User-Agent": c.uaHeader}
	return req, signature, nil
}

// readBody reads a response body, at most max bytes.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= max {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("reading response body: %w", err)
		}
		return buf, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, 512))
	read, err := buf.ReadFrom(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading response body: %w", err)
	}
	if read > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
	}
	return buf.Bytes(), nil
}

// decodeResponse turns a response into out or an *Error.
func decodeResponse(action string, status int, header http.Header, body []byte, out any, red redactor) error {
	_, _, err := decodeEnvelope(action, status, header, body, out, red)
	return err
}

// decodeEnvelope is decodeResponse that also returns the envelope's Code
// and RequestId, for the log.
func decodeEnvelope(action string, status int, header http.Header, body []byte, out any, red redactor) (code, requestID string, err error) {
	if status >= 300 && status < 400 {
		e := redirectError(action, status, header, red)
		return "", e.RequestID, e
	}
	if fastDecode(action, status, body, out) {
		m := out.(typedResponse).meta()
		requestID = m.RequestID
		if requestID == "" {
			requestID = header.Get("x-acs-request-id")
		}
		return m.Code, requestID, nil
	}
	root, tree, perr := parseBody(body)
	if perr != nil {
		e := &Error{
			Action:     action,
			HTTPStatus: status,
			RequestID:  red.redact(header.Get("x-acs-request-id")),
			Message:    "body is not a Dyvmsapi envelope: " + shortReason(perr),
			Body:       red.snippet(body),
			RetryAfter: retryAfterHeader(header),
			unexpected: true,
		}
		return "", e.RequestID, e
	}
	code = toString(tree["Code"])
	if status >= 200 && status < 300 && root != "Error" {
		if !isSuccessEnvelope(action, root, tree) {
			e := &Error{
				Action:     action,
				HTTPStatus: status,
				RequestID:  red.redact(header.Get("x-acs-request-id")),
				Message:    "body is not a " + action + " response",
				Body:       red.snippet(body),
				RetryAfter: retryAfterHeader(header),
				unexpected: true,
			}
			return code, e.RequestID, e
		}
		if successCode(action, code) {
			decodeInto(tree, out)
			requestID = toString(tree["RequestId"])
			if requestID == "" {
				requestID = header.Get("x-acs-request-id")
			}
			return code, requestID, nil
		}
	}
	e := &Error{
		Action:     action,
		HTTPStatus: status,
		Code:       red.redact(code),
		Message:    red.redact(toString(tree["Message"])),
		RequestID:  red.redact(toString(tree["RequestId"])),
		HostID:     red.redact(toString(tree["HostId"])),
		Recommend:  red.redact(toString(tree["Recommend"])),
	}
	if e.RequestID == "" {
		e.RequestID = red.redact(header.Get("x-acs-request-id"))
	}
	e.RetryAfter = retryAfterHeader(header)
	if code == "" {
		e.unexpected = true
		e.Message = "error envelope without a Code"
		e.Body = red.snippet(body)
	}
	return code, e.RequestID, e
}

// redirectError is the *Error of a 3xx answer, which the client never
// follows: it names the Location without its query or user info, redacted.
func redirectError(action string, status int, header http.Header, red redactor) *Error {
	loc := header.Get("Location")
	if u, err := url.Parse(loc); err == nil {
		u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment, u.User = "", false, "", "", nil
		loc = u.String()
	} else if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	loc = red.snippet([]byte(loc))
	msg := "redirect not followed"
	if loc != "" {
		msg += " (Location " + strconv.Quote(loc) + ")"
	}
	return &Error{
		Action:     action,
		HTTPStatus: status,
		RequestID:  red.redact(header.Get("x-acs-request-id")),
		Message:    msg,
		unexpected: true,
	}
}

// retryAfterHeader returns the x-acs-retry-after hint in milliseconds, or
// 0 when it is absent, negative or not an integer. A hint too large for
// an int64 saturates at math.MaxInt64: it is longer than any MaxDelay.
func retryAfterHeader(header http.Header) int64 {
	v := strings.TrimSpace(header.Get("x-acs-retry-after"))
	ms, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && ms > 0 {
		return math.MaxInt64
	}
	if err != nil || ms < 0 {
		return 0
	}
	return ms
}

// typedResponse is implemented by every typed response through its
// embedded ResponseMeta.
type typedResponse interface {
	meta() *ResponseMeta
}

// fastDecode decodes a well-typed JSON success body straight into a typed
// response with encoding/json. It reports false, leaving out zeroed, for
// anything else (XML, an error, a Code that is not success, or any value
// whose type needs the tolerant rules), and the tolerant path then decodes
// the body. Both paths give the same result for a body both can decode.
func fastDecode(action string, status int, body []byte, out any) bool {
	tr, ok := out.(typedResponse)
	if !ok || status < 200 || status > 299 || len(body) == 0 || body[0] != '{' {
		return false
	}
	if !decodeStrict(body, out) {
		return false
	}
	if m := tr.meta(); (m.RequestID != "" || m.Code != "") && successCode(action, m.Code) {
		return true
	}
	reflect.ValueOf(out).Elem().SetZero()
	return false
}

// isSuccessEnvelope reports whether a parsed 2xx body is the Action's
// response: XML rooted at <ActionResponse>, or a JSON object carrying a
// RequestId or a Code (an HTML page that happens to be well-formed XML, or
// an unrelated JSON document, is not).
func isSuccessEnvelope(action, root string, tree map[string]any) bool {
	if root != "" {
		return root == action+"Response"
	}
	_, hasID := tree["RequestId"]
	_, hasCode := tree["Code"]
	return hasID || hasCode
}

// shortReason is a one-line description of a parse error.
func shortReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "malformed XML"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated"
	}
	if errors.Is(err, errNotEnvelope) {
		return err.Error()
	}
	return "malformed: " + err.Error()
}

// successCode reports whether code means success for action: the Action's
// documented success code ("OK" for most, "200" for some). A body without a
// Code counts as success, as do "OK" and "200" for an Action whose success
// code is undocumented.
func successCode(action, code string) bool {
	if code == "" {
		return true
	}
	if info, ok := actionTable[action]; ok && info.successCode != "" {
		return code == info.successCode
	}
	return code == "OK" || code == "200"
}
