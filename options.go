package dyvms

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DefaultEndpoint is the central Dyvmsapi endpoint.
const DefaultEndpoint = "https://dyvmsapi.aliyuncs.com"

// DefaultRegion is the region sent as RegionId when none is configured.
const DefaultRegion = "cn-hangzhou"

// DefaultMaxResponseBytes bounds how much of a response body is read.
const DefaultMaxResponseBytes = 10 << 20

// Timeout defaults.
const (
	// DefaultAttemptTimeout bounds one attempt: connecting, sending and
	// reading the whole answer.
	DefaultAttemptTimeout = 30 * time.Second
	// DefaultConnectTimeout bounds the TCP dial of the client's own
	// transport; its TLS handshake gets twice as long.
	DefaultConnectTimeout = 5 * time.Second
)

// Format is the response format asked of the service. Both are decoded
// whatever was asked for, since a gateway may answer XML to a JSON request.
type Format string

// Response formats.
const (
	FormatJSON Format = "JSON"
	FormatXML  Format = "XML"
)

// Option configures a Client in NewClient.
type Option func(*options)

// options is what Option functions set; NewClient checks it and copies it
// into a Client.
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

	buildV3 requestBuilder // newRequestV3 with SignatureV3, else nil

	retry          RetryPolicy
	attemptTimeout time.Duration
	connectTimeout time.Duration
	limiter        RateLimiter
	attemptLogger  attemptLogger
	middleware     []Middleware
	hooks          []Hooks
	hooking        *hooking
	sealing        *sealing
	rand           func(int64) int64
	sleep          func(context.Context, time.Duration) error
	// err is the first invalid option, reported by NewClient.
	err error
}

// defaultOptions is what a Client uses where no Option says otherwise.
func defaultOptions() options {
	return options{
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
}

// fail records the first invalid option for NewClient to return.
func (o *options) fail(err error) {
	if o.err == nil {
		o.err = err
	}
}

// check returns the first problem of the options that no single Option can
// see, and the retry policy with its defaults filled in.
func (o *options) check() (RetryPolicy, error) {
	if o.err != nil {
		return RetryPolicy{}, o.err
	}
	retry, err := o.retry.withDefaults()
	if err != nil {
		return RetryPolicy{}, err
	}
	switch {
	case o.attemptTimeout < 0:
		return RetryPolicy{}, errorf("attempt timeout must not be negative")
	case o.format != FormatJSON && o.format != FormatXML:
		return RetryPolicy{}, errorf("format must be FormatJSON or FormatXML, not %q", o.format)
	case o.region == "":
		return RetryPolicy{}, errorf("region must not be empty")
	case o.maxBody <= 0:
		return RetryPolicy{}, errorf("max response bytes must be positive")
	}
	if err := checkUserAgent(o.userAgent); err != nil {
		return RetryPolicy{}, err
	}
	return retry, nil
}

// checkUserAgent refuses a User-Agent suffix with a control character (CR,
// LF, ...): it would break the header, and every call with it.
func checkUserAgent(suffix string) error {
	if i := strings.IndexFunc(suffix, isControl); i >= 0 {
		return errorf("WithUserAgent: control character %q at byte %d; a header value must be one line of printable text", suffix[i], i)
	}
	return nil
}

// isControl reports whether r is an ASCII control character, which may
// not appear in a header value.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// credentials returns the provider the options name: an explicit provider,
// then an AccessKey pair, then the default chain, then the environment.
func (o *options) credentials() (CredentialsProvider, error) {
	switch {
	case o.creds != nil:
		return o.creds, nil
	case o.accessKeyID != "" || o.secret != "":
		if o.accessKeyID == "" || o.secret == "" {
			return nil, errorf("WithAccessKey needs both an AccessKey ID and a secret")
		}
		return NewStaticCredentialsProvider(o.accessKeyID, o.secret, o.token), nil
	case o.chain != nil:
		return o.chain()
	}
	env, ok := EnvCredentials()
	if !ok {
		return nil, ErrNoCredentials
	}
	if o.token != "" {
		env.SecurityToken = o.token
	}
	return NewStaticCredentialsProvider(env.AccessKeyID, env.AccessKeySecret, env.SecurityToken), nil
}

// clientRegion returns the region of WithRegion, else
// ALIBABA_CLOUD_REGION_ID, else the CLI profile's region_id (read by the
// credentials provider creds), else DefaultRegion.
func (o *options) clientRegion(creds CredentialsProvider) (string, error) {
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

// client returns the http.Client that sends every attempt: the one given
// with WithHTTPClient or one of the SDK's own, wrapped in the middleware.
func (o *options) client() (*http.Client, error) {
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
	return wrapHTTPClient(hc, o.middleware, o.sealing), nil
}

// clientAttemptLogger is the attempt logger of the client: the logger's,
// wrapped by the hooks when there are hooks.
func (o *options) clientAttemptLogger() attemptLogger {
	if o.hooking == nil {
		return o.attemptLogger
	}
	return o.hooking.logger(o.attemptLogger, o.hooks)
}

// userAgentHeader is the User-Agent of every request.
func (o *options) userAgentHeader() []string {
	ua := "dyvms-go/" + SDKVersion + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") " + runtime.Version()
	if o.userAgent != "" {
		ua += " " + o.userAgent
	}
	return []string{ua}
}

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

// WithSignatureVersion makes the client sign with v: SignatureV2 (the
// default) or SignatureV3. Everything else about a call (validation,
// retries, redaction, decoding) is the same for both.
func WithSignatureVersion(v SignatureVersion) Option {
	return func(o *options) {
		if v != SignatureV2 && v != SignatureV3 {
			o.fail(errorf("WithSignatureVersion(%v): want SignatureV2 or SignatureV3", v))
			return
		}
		o.buildV3 = nil
		if v == SignatureV3 {
			o.buildV3 = newRequestV3
		}
	}
}

// WithRetryPolicy sets how often and how patiently calls are attempted.
// Zero fields take their defaults.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) { o.retry = p }
}

// WithMaxAttempts sets the most attempts of one call, the first included
// (default 3). 1 turns retries off; n < 1 is an error.
func WithMaxAttempts(n int) Option {
	return func(o *options) {
		if n < 1 {
			o.fail(errorf("WithMaxAttempts(%d): a call needs at least 1 attempt", n))
			return
		}
		o.retry.MaxAttempts = n
	}
}

// WithNoRetries makes every call a single attempt. It is
// WithMaxAttempts(1) under a name that says the intent where it matters
// most to a reader: a tool or a test that must see each failure exactly as
// the service answered it.
func WithNoRetries() Option {
	return func(o *options) { o.retry.MaxAttempts = 1 }
}

// WithAttemptTimeout bounds each attempt of a call (default 30 s): the
// connection, the request and the whole answer. 0 leaves attempts bounded
// by the context alone. The context's deadline always wins: an attempt
// never outlives it.
func WithAttemptTimeout(d time.Duration) Option {
	return func(o *options) {
		if d < 0 {
			o.fail(errorf("WithAttemptTimeout(%v): negative", d))
			return
		}
		o.attemptTimeout = d
	}
}

// WithConnectTimeout bounds the TCP dial of the client's own transport
// (default 5 s; the TLS handshake gets twice as long). It cannot be
// combined with WithHTTPClient, whose transport the SDK never changes: set
// the dial timeout there.
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			o.fail(errorf("WithConnectTimeout(%v): must be positive", d))
			return
		}
		o.connectTimeout = d
	}
}

// WithRateLimiter paces every attempt through l. Without it the client
// does not limit itself (the service's own flow control answers with
// Throttling, which read-only Actions retry).
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) { o.limiter = l }
}

// WithLogger makes the client write one record to l for every attempt of
// every call: the Action, the attempt number, the HTTP status, the service
// Code, the RequestID and the latency, and for a failure the error, whether
// it will be retried (and after what pause) and whether its outcome is
// ambiguous. Successful attempts are logged at Debug, failed ones at Warn,
// so a logger at Info level records only what went wrong.
//
// Records never carry the AccessKeySecret, a Signature or a SecurityToken,
// and phone numbers in them are masked to their last 4 digits. Without
// WithLogger the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l == nil {
			o.attemptLogger = nil
			return
		}
		// The client holds a function, not the logger, so that programs
		// which never call WithLogger do not link log/slog's machinery.
		o.attemptLogger = slogAttemptLogger(l)
	}
}

// WithMiddleware wraps the transport in mw, the first given outermost. The
// http.Client given with WithHTTPClient is not modified: the SDK sends
// through a client of its own that delegates to its transport, keeping its
// cookie jar and timeout (redirects are never followed, see
// WithHTTPClient).
func WithMiddleware(mw ...Middleware) Option {
	return func(o *options) {
		o.middleware = append(o.middleware, mw...)
		if len(o.middleware) > 0 {
			o.sealing = withSealing
		}
	}
}

// WithHooks adds hooks to the client. Hooks given in several WithHooks
// run in the order given; CallStart's contexts chain.
func WithHooks(h Hooks) Option {
	return func(o *options) {
		if h.CallStart != nil || h.Attempt != nil || h.Call != nil {
			o.hooks = append(o.hooks, h)
			o.hooking = withHooking
		}
	}
}

// WithCallHook makes the client call h once at the end of every call,
// with its Action, attempts, duration, HTTP status, Code, RequestId,
// whether its outcome is ambiguous and its error. It is
// WithHooks(Hooks{Call: h}).
func WithCallHook(h func(ctx context.Context, c CallInfo)) Option {
	return WithHooks(Hooks{Call: h})
}

// withClock and withNonce make signatures reproducible in tests.
func withClock(now func() time.Time) Option { return func(o *options) { o.now = now } }
func withNonce(nonce func() string) Option  { return func(o *options) { o.nonce = nonce } }

// withRetryClock makes jitter and backoff sleeps deterministic in tests.
func withRetryClock(rnd func(int64) int64, sleep func(context.Context, time.Duration) error) Option {
	return func(o *options) {
		if rnd != nil {
			o.rand = rnd
		}
		if sleep != nil {
			o.sleep = sleep
		}
	}
}

// CallOption changes one call.
type CallOption func(*callOptions)

// callOptions is what CallOption functions set for one call.
type callOptions struct {
	extra url.Values
}

// newCallOptions applies opts.
func newCallOptions(opts []CallOption) callOptions {
	var co callOptions
	for _, opt := range opts {
		opt(&co)
	}
	return co
}

// WithExtraParams adds parameters the typed request lacks, signed and sent
// like the others. They may not replace a common parameter (Action,
// Signature, ...) or a parameter the request already sets.
func WithExtraParams(params url.Values) CallOption {
	return func(o *callOptions) { o.extra = params }
}
