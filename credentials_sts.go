package dyvms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Environment variables of the RAM role and OIDC (RRSA) credentials and of
// the STS endpoint, with the names the official Alibaba Cloud credentials
// library reads.
const (
	// EnvRoleARN is the ARN of the RAM role to assume with OIDC.
	EnvRoleARN = "ALIBABA_CLOUD_ROLE_ARN"
	// EnvOIDCProviderARN is the ARN of the OIDC identity provider.
	EnvOIDCProviderARN = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
	// EnvOIDCTokenFile is the path of the OIDC token file (on ACK with
	// RRSA, the projected service-account token).
	EnvOIDCTokenFile = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
	// EnvRoleSessionName is the role session name (default: one made up
	// from the time).
	EnvRoleSessionName = "ALIBABA_CLOUD_ROLE_SESSION_NAME"
	// EnvSTSRegion makes STS calls go to sts.<region>.aliyuncs.com.
	EnvSTSRegion = "ALIBABA_CLOUD_STS_REGION"
	// EnvVPCEndpointEnabled, set to "true", makes STS calls go to the VPC
	// endpoint sts-vpc.<region>.aliyuncs.com.
	EnvVPCEndpointEnabled = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"
	// EnvSTSEndpoint is a full STS base URL (https://host[:port]) that
	// wins over ALIBABA_CLOUD_STS_REGION: a private or proxied STS
	// endpoint, or a fake in tests. This SDK reads it; the official
	// credentials library does not.
	EnvSTSEndpoint = "ALIBABA_CLOUD_STS_ENDPOINT"
)

// STS facts.
const (
	// DefaultSTSEndpoint is the central STS endpoint.
	DefaultSTSEndpoint = "https://sts.aliyuncs.com"
	// DefaultRoleSessionDuration is how long assumed-role credentials
	// last unless told otherwise.
	DefaultRoleSessionDuration = time.Hour
	// MinRoleSessionDuration is the shortest session STS grants.
	MinRoleSessionDuration = 15 * time.Minute
	// stsAPIVersion is the STS API version.
	stsAPIVersion = "2015-04-01"
	// maxSTSBytes bounds an STS answer.
	maxSTSBytes = 64 << 10
)

// STSConfig says where STS is called. The zero value calls
// ALIBABA_CLOUD_STS_ENDPOINT if set, else the endpoint that
// ALIBABA_CLOUD_STS_REGION and ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED name,
// else https://sts.aliyuncs.com.
type STSConfig struct {
	// Endpoint is STS's base URL, scheme://host[:port] (default
	// ALIBABA_CLOUD_STS_ENDPOINT); it wins over Region and VPC. Plain
	// http is accepted only for loopback hosts.
	Endpoint string
	// Region makes calls go to sts.<Region>.aliyuncs.com (default
	// ALIBABA_CLOUD_STS_REGION, else the central endpoint).
	Region string
	// VPC makes calls go to sts-vpc.<Region>.aliyuncs.com, reachable from
	// inside a VPC without Internet access (also set by
	// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true).
	VPC bool
	// HTTPClient sends the STS requests (default: a client of the SDK's
	// own, with proxies from the environment, a 5 s connect timeout and a
	// 15 s overall timeout).
	HTTPClient *http.Client
}

// endpoint returns the STS base URL the configuration names.
func (c STSConfig) endpoint() (string, error) {
	if c.Endpoint != "" {
		return parseEndpoint(c.Endpoint, false)
	}
	if e := os.Getenv(EnvSTSEndpoint); e != "" {
		return parseEndpoint(e, false)
	}
	region := c.Region
	if region == "" {
		region = os.Getenv(EnvSTSRegion)
	}
	vpc := c.VPC || strings.EqualFold(os.Getenv(EnvVPCEndpointEnabled), "true")
	prefix := "sts"
	if vpc {
		prefix = "sts-vpc"
	}
	if region == "" {
		if vpc {
			return "", errorf("STS: the VPC endpoint needs a region (STSConfig.Region or %s)", EnvSTSRegion)
		}
		return DefaultSTSEndpoint, nil
	}
	if !validRegion(region) {
		return "", errorf("STS: region %q is not a region ID", region)
	}
	return "https://" + prefix + "." + region + ".aliyuncs.com", nil
}

// validRegion reports whether s looks like a region ID (cn-hangzhou).
func validRegion(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

var defaultSTSClient = &http.Client{Timeout: 15 * time.Second, Transport: newTransport(5 * time.Second)}

func (c STSConfig) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultSTSClient
}

// stsCall is one STS request: the Action's parameters go in the form
// body, the common ones (and the Signature, when signed) in the query.
type stsCall struct {
	cfg    STSConfig
	action string
	params []param
	// base signs the request; nil sends it anonymously
	// (AssumeRoleWithOIDC).
	base *Credentials
	// secrets are redacted from errors besides the base credentials'.
	secrets []string
}

// stsAnswer is the JSON an STS Action answers.
type stsAnswer struct {
	RequestID   string `json:"RequestId"`
	Code        string `json:"Code"`
	Message     string `json:"Message"`
	HostID      string `json:"HostId"`
	Recommend   string `json:"Recommend"`
	Credentials *struct {
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string `json:"AccessKeySecret"`
		SecurityToken   string `json:"SecurityToken"`
		Expiration      string `json:"Expiration"`
	} `json:"Credentials"`
}

// do sends the call and returns the credentials STS grants. Errors name
// the Action and never carry a secret: the base credentials, the
// Signature, the OIDC token or the granted credentials.
func (s stsCall) do(ctx context.Context, now time.Time) (Credentials, error) {
	endpoint, err := s.cfg.endpoint()
	if err != nil {
		return Credentials{}, err
	}
	red := newRedactor(s.secrets...)
	req, red, err := s.newRequest(ctx, endpoint, now, red)
	if err != nil {
		return Credentials{}, err
	}
	resp, err := s.cfg.httpClient().Do(req)
	if err != nil {
		return Credentials{}, &TransportError{Action: s.action, Err: red.sanitizeTransportError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSTSBytes+1))
	if err != nil {
		return Credentials{}, &TransportError{Action: s.action, Err: red.sanitizeTransportError(err)}
	}
	if len(body) > maxSTSBytes {
		return Credentials{}, &TransportError{Action: s.action, Err: fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, maxSTSBytes)}
	}
	return s.decode(resp, body, red, now)
}

// newRequest builds the POST, signed with the base credentials if any.
func (s stsCall) newRequest(ctx context.Context, endpoint string, now time.Time, red redactor) (*http.Request, redactor, error) {
	common := []param{
		{"Action", s.action},
		{"Format", "JSON"},
		{"Timestamp", now.UTC().Format(timestampLayout)},
		{"Version", stsAPIVersion},
	}
	if s.base != nil {
		common = append(common,
			param{"AccessKeyId", s.base.AccessKeyID},
			param{"SignatureMethod", signatureMethod},
			param{"SignatureNonce", uuid.NewString()},
			param{"SignatureVersion", signatureVersion},
		)
		if s.base.SecurityToken != "" {
			common = append(common, param{"SecurityToken", s.base.SecurityToken})
		}
		red = red.with(s.base.AccessKeySecret, s.base.SecurityToken)
	}
	sortParams(common)
	query := appendQuery(nil, common)
	if s.base != nil {
		all := append(append([]param(nil), common...), s.params...)
		sortParams(all)
		signature := signBytes(stringToSign(http.MethodPost, all), s.base.AccessKeySecret)
		red = red.with(signature)
		query = append(query, "&Signature="...)
		query = appendEscaped(query, signature)
	}
	body := appendQuery(nil, s.params)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/?"+string(query), strings.NewReader(string(body)))
	if err != nil {
		return nil, red, errorf("%s: building request: %v", s.action, red.redact(err.Error()))
	}
	req.Header = http.Header{"Content-Type": formContentType, "User-Agent": {"dyvms-go/" + SDKVersion}}
	return req, red, nil
}

// decode turns STS's answer into credentials or an *Error.
func (s stsCall) decode(resp *http.Response, body []byte, red redactor, now time.Time) (Credentials, error) {
	var a stsAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		// No snippet: a success body holds the granted secret.
		return Credentials{}, &Error{Action: s.action, HTTPStatus: resp.StatusCode, RequestID: red.redact(resp.Header.Get("x-acs-request-id")),
			Message: "STS answer is not JSON", unexpected: true}
	}
	if resp.StatusCode != http.StatusOK || a.Code != "" || a.Credentials == nil {
		e := &Error{Action: s.action, HTTPStatus: resp.StatusCode, Code: ErrorCode(red.redact(a.Code)), Message: red.redact(a.Message),
			RequestID: red.redact(a.RequestID), HostID: red.redact(a.HostID), Recommend: red.redact(a.Recommend)}
		if e.Code == "" {
			e.Message, e.unexpected = "STS answer without Credentials", true
		}
		return Credentials{}, e
	}
	c := a.Credentials
	creds := Credentials{AccessKeyID: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}
	if !creds.valid() || creds.SecurityToken == "" {
		return Credentials{}, errorf("%s: the STS answer lacks a key or token (RequestId %s)", s.action, red.redact(a.RequestID))
	}
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil {
		return Credentials{}, errorf("%s: bad Expiration %q in the STS answer", s.action, red.redact(c.Expiration))
	}
	creds.Expiration = exp
	if err := checkNotExpired(s.action, creds, now); err != nil {
		return Credentials{}, err
	}
	return creds, nil
}

// checkNotExpired refuses temporary credentials whose Expiration has
// passed: used, they would be rejected, and a cache would fetch them again
// on every call.
func checkNotExpired(source string, c Credentials, now time.Time) error {
	if !c.Expiration.IsZero() && !now.Before(c.Expiration) {
		return fmt.Errorf("%w: %s: the credentials expired at %s (now %s)", ErrCredentialsExpired, source,
			c.Expiration.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// ErrCredentialsExpired matches the error of a credentials source that
// answered with credentials already expired.
var ErrCredentialsExpired = errorf("credentials already expired")

// roleSessionName returns name, else ALIBABA_CLOUD_ROLE_SESSION_NAME,
// else one made up from the time.
func roleSessionName(name string, now time.Time) string {
	if name != "" {
		return name
	}
	if name = os.Getenv(EnvRoleSessionName); name != "" {
		return name
	}
	return "dyvms-go-" + strconv.FormatInt(now.UnixMilli(), 10)
}

// durationSeconds checks a session duration and returns it in seconds.
func durationSeconds(d time.Duration) (string, error) {
	if d == 0 {
		d = DefaultRoleSessionDuration
	}
	if d < MinRoleSessionDuration || d%time.Second != 0 {
		return "", errorf("role session duration %v: want whole seconds, at least %v", d, MinRoleSessionDuration)
	}
	return strconv.FormatInt(int64(d/time.Second), 10), nil
}

// RAMRoleARNCredentialsProvider assumes a RAM role with STS AssumeRole,
// signing the request with the credentials of another provider (an
// AccessKey, STS credentials, an ECS role, another assumed role ...).
// Each Retrieve asks STS; NewRAMRoleARNCredentialsProvider wraps it in a
// CachedCredentialsProvider, which is what a client wants.
type RAMRoleARNCredentialsProvider struct {
	// Source gives the credentials that sign AssumeRole. Required.
	Source CredentialsProvider
	// RoleARN is the role to assume, acs:ram::<account>:role/<name>.
	// Required.
	RoleARN string
	// RoleSessionName names the session in audit logs (default
	// ALIBABA_CLOUD_ROLE_SESSION_NAME, else one made up from the time).
	RoleSessionName string
	// Duration is how long the credentials last (default 1 hour, at
	// least 15 minutes, at most the role's maximum session duration).
	Duration time.Duration
	// Policy is an optional JSON policy that narrows the role's rights.
	Policy string
	// ExternalID is the role's external ID, when its trust policy asks
	// for one.
	ExternalID string
	// STS says where AssumeRole is sent.
	STS STSConfig

	now func() time.Time
}

// NewRAMRoleARNCredentialsProvider checks p and returns a cached provider
// of its role's credentials, refreshed before they expire.
func NewRAMRoleARNCredentialsProvider(p RAMRoleARNCredentialsProvider) (*CachedCredentialsProvider, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return NewCachedCredentialsProvider(&p, 0), nil
}

// check lists every problem of the configuration.
func (p *RAMRoleARNCredentialsProvider) check() error {
	var problems []string
	if p.Source == nil {
		problems = append(problems, "Source is nil")
	}
	if p.RoleARN == "" {
		problems = append(problems, "RoleARN is empty")
	}
	if _, err := durationSeconds(p.Duration); err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), "dyvms: "))
	}
	if _, err := p.STS.endpoint(); err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), "dyvms: "))
	}
	if len(problems) > 0 {
		return errorf("RAM role ARN credentials: %s", strings.Join(problems, "; "))
	}
	return nil
}

func (p *RAMRoleARNCredentialsProvider) clock() time.Time {
	if p.now != nil {
		return p.now()
	}
	return time.Now()
}

// Retrieve implements CredentialsProvider: it retrieves the source
// credentials and calls AssumeRole with them.
func (p *RAMRoleARNCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if err := p.check(); err != nil {
		return Credentials{}, err
	}
	base, err := p.Source.Retrieve(ctx)
	if err != nil {
		return Credentials{}, fmt.Errorf("dyvms: AssumeRole: source credentials: %w", err)
	}
	if !base.valid() {
		return Credentials{}, fmt.Errorf("dyvms: AssumeRole: source credentials: %w", ErrNoCredentials)
	}
	now := p.clock()
	dur, _ := durationSeconds(p.Duration)
	params := []param{
		{"DurationSeconds", dur},
		{"RoleArn", p.RoleARN},
		{"RoleSessionName", roleSessionName(p.RoleSessionName, now)},
	}
	if p.ExternalID != "" {
		params = append(params, param{"ExternalId", p.ExternalID})
	}
	if p.Policy != "" {
		params = append(params, param{"Policy", p.Policy})
	}
	return stsCall{cfg: p.STS, action: "AssumeRole", params: params, base: &base}.do(ctx, now)
}

// String describes the provider without revealing credentials.
func (p RAMRoleARNCredentialsProvider) String() string {
	src := "<nil>"
	if p.Source != nil {
		src = describeProvider(p.Source)
	}
	return fmt.Sprintf("RAMRoleARNCredentialsProvider{role: %q, session: %q, source: %s}", p.RoleARN, p.RoleSessionName, src)
}

// GoString is String, so %#v reveals nothing either.
func (p RAMRoleARNCredentialsProvider) GoString() string { return p.String() }

// Format prints String for every verb, so no verb reveals a field.
func (p RAMRoleARNCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// LogValue implements slog.LogValuer without revealing credentials.
func (p RAMRoleARNCredentialsProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }

// OIDCCredentialsProvider assumes a RAM role with STS AssumeRoleWithOIDC,
// presenting an OIDC token read from a file: on ACK with RRSA, the
// service account's projected token. The file is read again at every
// Retrieve, since the token rotates. AssumeRoleWithOIDC is called
// anonymously: the token is the proof, and nothing is signed.
// NewOIDCCredentialsProvider wraps it in a CachedCredentialsProvider.
type OIDCCredentialsProvider struct {
	// RoleARN is the role to assume (default ALIBABA_CLOUD_ROLE_ARN).
	RoleARN string
	// OIDCProviderARN is the OIDC identity provider's ARN (default
	// ALIBABA_CLOUD_OIDC_PROVIDER_ARN).
	OIDCProviderARN string
	// OIDCTokenFile is the token file's path (default
	// ALIBABA_CLOUD_OIDC_TOKEN_FILE).
	OIDCTokenFile string
	// RoleSessionName names the session (default
	// ALIBABA_CLOUD_ROLE_SESSION_NAME, else one made up from the time).
	RoleSessionName string
	// Duration is how long the credentials last (default 1 hour, at
	// least 15 minutes).
	Duration time.Duration
	// Policy is an optional JSON policy that narrows the role's rights.
	Policy string
	// STS says where AssumeRoleWithOIDC is sent.
	STS STSConfig

	now func() time.Time
}

// maxOIDCTokenBytes bounds the token file read.
const maxOIDCTokenBytes = 64 << 10

// NewOIDCCredentialsProvider fills p's empty fields from
// ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
// ALIBABA_CLOUD_OIDC_TOKEN_FILE and ALIBABA_CLOUD_ROLE_SESSION_NAME,
// checks it, and returns a cached provider of the role's credentials,
// refreshed before they expire. The token file is not read here.
func NewOIDCCredentialsProvider(p OIDCCredentialsProvider) (*CachedCredentialsProvider, error) {
	p.fromEnv()
	if err := p.check(); err != nil {
		return nil, err
	}
	return NewCachedCredentialsProvider(&p, 0), nil
}

// oidcFromEnv reports whether the environment configures OIDC: the role
// ARN, the provider ARN and the token file are all set.
func oidcFromEnv() bool {
	return os.Getenv(EnvRoleARN) != "" && os.Getenv(EnvOIDCProviderARN) != "" && os.Getenv(EnvOIDCTokenFile) != ""
}

func (p *OIDCCredentialsProvider) fromEnv() {
	for _, f := range []struct {
		field *string
		env   string
	}{{&p.RoleARN, EnvRoleARN}, {&p.OIDCProviderARN, EnvOIDCProviderARN}, {&p.OIDCTokenFile, EnvOIDCTokenFile}, {&p.RoleSessionName, EnvRoleSessionName}} {
		if *f.field == "" {
			*f.field = os.Getenv(f.env)
		}
	}
}

// check lists every problem of the configuration.
func (p *OIDCCredentialsProvider) check() error {
	var problems []string
	for _, f := range []struct{ value, name string }{
		{p.RoleARN, "RoleARN (" + EnvRoleARN + ")"},
		{p.OIDCProviderARN, "OIDCProviderARN (" + EnvOIDCProviderARN + ")"},
		{p.OIDCTokenFile, "OIDCTokenFile (" + EnvOIDCTokenFile + ")"},
	} {
		if f.value == "" {
			problems = append(problems, f.name+" is empty")
		}
	}
	if _, err := durationSeconds(p.Duration); err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), "dyvms: "))
	}
	if _, err := p.STS.endpoint(); err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), "dyvms: "))
	}
	if len(problems) > 0 {
		return errorf("OIDC credentials: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Retrieve implements CredentialsProvider: it reads the token file and
// calls AssumeRoleWithOIDC.
func (p *OIDCCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if err := p.check(); err != nil {
		return Credentials{}, err
	}
	data, err := readRegularFile(ctx, p.OIDCTokenFile, maxOIDCTokenBytes)
	if err != nil {
		return Credentials{}, fmt.Errorf("dyvms: AssumeRoleWithOIDC: OIDC token file: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return Credentials{}, errorf("AssumeRoleWithOIDC: the OIDC token file %s is empty", p.OIDCTokenFile)
	}
	now := time.Now()
	if p.now != nil {
		now = p.now()
	}
	dur, _ := durationSeconds(p.Duration)
	params := []param{
		{"DurationSeconds", dur},
		{"OIDCProviderArn", p.OIDCProviderARN},
		{"OIDCToken", token},
		{"RoleArn", p.RoleARN},
		{"RoleSessionName", roleSessionName(p.RoleSessionName, now)},
	}
	if p.Policy != "" {
		params = append(params, param{"Policy", p.Policy})
	}
	return stsCall{cfg: p.STS, action: "AssumeRoleWithOIDC", params: params, secrets: []string{token}}.do(ctx, now)
}

// String describes the provider without revealing the token.
func (p OIDCCredentialsProvider) String() string {
	return fmt.Sprintf("OIDCCredentialsProvider{role: %q, provider: %q, token file: %q}", p.RoleARN, p.OIDCProviderARN, p.OIDCTokenFile)
}

// GoString is String, so %#v reveals nothing either.
func (p OIDCCredentialsProvider) GoString() string { return p.String() }

// Format prints String for every verb, so no verb reveals a field.
func (p OIDCCredentialsProvider) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue implements slog.LogValuer without revealing the token.
func (p OIDCCredentialsProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }
