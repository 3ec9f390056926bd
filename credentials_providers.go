package dyvms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Environment variables read by the default credentials chain, with the
// names the Alibaba Cloud CLI and official SDKs use.
const (
	// EnvProfile names the profile of the CLI configuration file to use
	// (default: the file's "current" profile).
	EnvProfile = "ALIBABA_CLOUD_PROFILE"
	// EnvCLIProfileDisabled, set to "true", skips the CLI configuration file.
	EnvCLIProfileDisabled = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"
	// EnvECSMetadata names the RAM role of the ECS instance; when it is set,
	// the default chain asks the instance metadata service for credentials.
	EnvECSMetadata = "ALIBABA_CLOUD_ECS_METADATA"
	// EnvECSMetadataDisabled, set to "true", never asks the metadata service.
	EnvECSMetadataDisabled = "ALIBABA_CLOUD_ECS_METADATA_DISABLED"
	// EnvIMDSv1Disabled, set to "true", refuses metadata requests without a
	// session token (IMDSv1).
	EnvIMDSv1Disabled = "ALIBABA_CLOUD_IMDSV1_DISABLED"
)

// EnvCredentialsProvider reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN on every
// Retrieve.
type EnvCredentialsProvider struct{}

// NewEnvCredentialsProvider returns a provider reading the environment.
func NewEnvCredentialsProvider() *EnvCredentialsProvider { return &EnvCredentialsProvider{} }

// Retrieve implements CredentialsProvider. It returns ErrNoCredentials when
// the AccessKey ID or secret is unset.
func (*EnvCredentialsProvider) Retrieve(context.Context) (Credentials, error) {
	c, ok := EnvCredentials()
	if !ok {
		return Credentials{}, ErrNoCredentials
	}
	return c, nil
}

// String describes the provider.
func (*EnvCredentialsProvider) String() string { return "EnvCredentialsProvider" }

// Format implements fmt.Formatter: every verb prints String.
func (p EnvCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// ProfileCredentialsProvider reads the configuration file the Alibaba
// Cloud CLI writes (aliyun configure): ~/.aliyun/config.json by default.
// These profile modes are supported:
//   - AK: access_key_id, access_key_secret;
//   - StsToken: the same and sts_token;
//   - EcsRamRole: ram_role_name, served by the instance metadata service;
//   - RamRoleArn: access_key_id and access_key_secret sign an STS
//     AssumeRole of ram_role_arn (ram_session_name, expired_seconds,
//     policy, external_id, sts_region, enable_vpc);
//   - ChainableRamRoleArn: the same role fields, signed with the
//     credentials of the profile source_profile names (any mode);
//   - OIDC: ram_role_arn, oidc_provider_arn, oidc_token_file
//     (AssumeRoleWithOIDC; also ram_session_name, expired_seconds, policy,
//     sts_region, enable_vpc).
//
// The file is read at the first Retrieve and kept; a failed read is tried
// again at the next Retrieve. Only a regular file is read (a FIFO or a
// device is refused rather than waited on).
type ProfileCredentialsProvider struct {
	path    string
	profile string

	mu     sync.Mutex
	inner  CredentialsProvider
	region string
}

// NewProfileCredentialsProvider reads profile from the CLI configuration
// file at path. An empty path means ~/.aliyun/config.json; an empty profile
// means ALIBABA_CLOUD_PROFILE, then the file's current profile, then
// "default".
func NewProfileCredentialsProvider(path, profile string) *ProfileCredentialsProvider {
	return &ProfileCredentialsProvider{path: path, profile: profile}
}

// DefaultProfilePath returns ~/.aliyun/config.json, or "" when the home
// directory is unknown.
func DefaultProfilePath() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".aliyun", "config.json")
}

// maxProfileFileBytes bounds the configuration file read.
const maxProfileFileBytes = 1 << 20

type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	StsToken        string `json:"sts_token"`
	RAMRoleName     string `json:"ram_role_name"`
	RegionID        string `json:"region_id"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
	STSRegion       string `json:"sts_region"`
	EnableVPC       bool   `json:"enable_vpc"`
	SourceProfile   string `json:"source_profile"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	OIDCTokenFile   string `json:"oidc_token_file"`
}

// Retrieve implements CredentialsProvider.
func (p *ProfileCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	inner, err := p.load(ctx)
	if err != nil {
		return Credentials{}, err
	}
	return inner.Retrieve(ctx)
}

// Region returns the region_id of the profile, or "" when it has none or
// the file was not read yet.
func (p *ProfileCredentialsProvider) Region() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.region
}

// Invalidate passes rejected credentials on to the profile's provider
// (see CredentialsInvalidator).
func (p *ProfileCredentialsProvider) Invalidate(rejected Credentials) {
	p.mu.Lock()
	inner := p.inner
	p.mu.Unlock()
	if inv, ok := inner.(CredentialsInvalidator); ok {
		inv.Invalidate(rejected)
	}
}

// load reads the file once and builds the provider the profile names.
func (p *ProfileCredentialsProvider) load(ctx context.Context) (CredentialsProvider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inner != nil {
		return p.inner, nil
	}
	path := p.path
	if path == "" {
		if path = DefaultProfilePath(); path == "" {
			return nil, fmt.Errorf("%w: no home directory for the CLI configuration file", ErrNoCredentials)
		}
	}
	cfg, err := readCLIConfig(ctx, path)
	if err != nil {
		return nil, err
	}
	name := p.profile
	if name == "" {
		name = os.Getenv(EnvProfile)
	}
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		name = "default"
	}
	inner, err := cfg.provider(name, map[string]bool{})
	if err != nil {
		return nil, err
	}
	p.inner, p.region = inner, cfg.profile(name).RegionID
	return inner, nil
}

// readCLIConfig reads and parses the configuration file. Its content never
// appears in an error.
func readCLIConfig(ctx context.Context, path string) (*cliConfig, error) {
	data, err := readRegularFile(ctx, path, maxProfileFileBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: no CLI configuration file %s", ErrNoCredentials, path)
		}
		return nil, fmt.Errorf("dyvms: CLI configuration file: %w", err)
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		// The syntax error's offset only; never the file's content.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, errorf("CLI configuration file %s is not valid JSON (offset %d)", path, se.Offset)
		}
		return nil, errorf("CLI configuration file %s has an unexpected shape", path)
	}
	return &cfg, nil
}

// readRegularFile reads at most max bytes of the regular file at path. It
// refuses anything else (a FIFO, a device, a directory) instead of
// blocking on it, and gives up when ctx ends.
func readRegularFile(ctx context.Context, path string, max int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// O_NONBLOCK: opening a FIFO without a writer must not block; the
	// mode check below then refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return data, ctx.Err()
}

// profile returns the named profile, or nil.
func (cfg *cliConfig) profile(name string) *cliProfile {
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == name {
			return &cfg.Profiles[i]
		}
	}
	return nil
}

// provider builds the provider of the named profile; seen guards against
// source_profile cycles.
func (cfg *cliConfig) provider(name string, seen map[string]bool) (CredentialsProvider, error) {
	prof := cfg.profile(name)
	if prof == nil {
		return nil, errorf("CLI configuration file has no profile %q", name)
	}
	if seen[name] {
		return nil, errorf("CLI profile %q: source_profile loops back to it", name)
	}
	seen[name] = true
	switch prof.Mode {
	case "AK", "StsToken", "":
		return prof.static()
	case "EcsRamRole":
		return NewECSRAMRoleCredentialsProvider(prof.RAMRoleName), nil
	case "RamRoleArn":
		if prof.AccessKeyID == "" || prof.AccessKeySecret == "" {
			return nil, errorf("CLI profile %q: access_key_id or access_key_secret is empty", name)
		}
		return prof.ramRole(NewStaticCredentialsProvider(prof.AccessKeyID, prof.AccessKeySecret, ""))
	case "ChainableRamRoleArn":
		if prof.SourceProfile == "" {
			return nil, errorf("CLI profile %q: mode ChainableRamRoleArn without source_profile", name)
		}
		src, err := cfg.provider(prof.SourceProfile, seen)
		if err != nil {
			return nil, prefixError(fmt.Sprintf("CLI profile %q: source profile", name), err)
		}
		return prof.ramRole(src)
	case "OIDC":
		p, err := NewOIDCCredentialsProvider(OIDCCredentialsProvider{
			RoleARN: prof.RAMRoleARN, OIDCProviderARN: prof.OIDCProviderARN, OIDCTokenFile: prof.OIDCTokenFile,
			RoleSessionName: prof.RAMSessionName, Duration: time.Duration(prof.ExpiredSeconds) * time.Second,
			Policy: prof.Policy, STS: STSConfig{Region: prof.STSRegion, VPC: prof.EnableVPC},
		})
		if err != nil {
			return nil, prefixError(fmt.Sprintf("CLI profile %q", name), err)
		}
		return p, nil
	}
	return nil, errorf("CLI profile %q: mode %q is not supported (use AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn or OIDC)", name, prof.Mode)
}

// static builds the provider of an AK or StsToken profile.
func (prof *cliProfile) static() (CredentialsProvider, error) {
	token := ""
	if prof.Mode == "StsToken" {
		if token = prof.StsToken; token == "" {
			return nil, errorf("CLI profile %q: mode StsToken without sts_token", prof.Name)
		}
	}
	if prof.AccessKeyID == "" || prof.AccessKeySecret == "" {
		return nil, errorf("CLI profile %q: access_key_id or access_key_secret is empty", prof.Name)
	}
	return NewStaticCredentialsProvider(prof.AccessKeyID, prof.AccessKeySecret, token), nil
}

// ramRole builds the AssumeRole provider of a RamRoleArn or
// ChainableRamRoleArn profile on top of src.
func (prof *cliProfile) ramRole(src CredentialsProvider) (CredentialsProvider, error) {
	p, err := NewRAMRoleARNCredentialsProvider(RAMRoleARNCredentialsProvider{
		Source: src, RoleARN: prof.RAMRoleARN, RoleSessionName: prof.RAMSessionName,
		Duration: time.Duration(prof.ExpiredSeconds) * time.Second, Policy: prof.Policy, ExternalID: prof.ExternalID,
		STS: STSConfig{Region: prof.STSRegion, VPC: prof.EnableVPC},
	})
	if err != nil {
		return nil, prefixError(fmt.Sprintf("CLI profile %q", prof.Name), err)
	}
	return p, nil
}

// String describes the provider without revealing credentials.
func (p *ProfileCredentialsProvider) String() string {
	return fmt.Sprintf("ProfileCredentialsProvider{path: %q, profile: %q}", p.path, p.profile)
}

// Format implements fmt.Formatter: every verb prints String.
func (p *ProfileCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// GoString is String, so %#v reveals nothing either.
func (p *ProfileCredentialsProvider) GoString() string { return p.String() }

// LogValue implements slog.LogValuer without revealing credentials.
func (p *ProfileCredentialsProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }

// DefaultECSMetadataEndpoint is the ECS instance metadata service.
const DefaultECSMetadataEndpoint = "http://100.100.100.200"

// Metadata service headers and paths (IMDSv2 session tokens).
const (
	ecsTokenPath       = "/latest/api/token"
	ecsCredentialsPath = "/latest/meta-data/ram/security-credentials/"
	ecsTokenHeader     = "X-aliyun-ecs-metadata-token"
	ecsTokenTTLHeader  = "X-aliyun-ecs-metadata-token-ttl-seconds"
	ecsTokenTTLSeconds = "21600"
	maxMetadataBytes   = 64 << 10
)

// ECSRAMRoleCredentialsProvider fetches the STS credentials of the RAM role
// attached to an ECS instance from the instance metadata service: a session
// token by PUT /latest/api/token, then
// GET /latest/meta-data/ram/security-credentials/<role> with the token in
// the X-aliyun-ecs-metadata-token header. Without a role name it asks the
// service for it first.
//
// It asks the service on every Retrieve; NewECSRAMRoleCredentialsProvider
// wraps it in a CachedCredentialsProvider, which is what a client wants.
type ECSRAMRoleCredentialsProvider struct {
	// RoleName is the instance's RAM role; empty means ask the service.
	RoleName string
	// Endpoint is the metadata service's base URL (default
	// DefaultECSMetadataEndpoint).
	Endpoint string
	// HTTPClient sends the metadata requests (default: a client of its own
	// with a 1 s connect timeout and a 5 s overall timeout, and no proxy).
	HTTPClient *http.Client
	// DisableIMDSv1 refuses to go on without a session token when the
	// token request fails (default: falls back to plain requests).
	DisableIMDSv1 bool
}

// NewECSRAMRoleCredentialsProvider returns a cached provider of the
// instance's RAM role credentials, refreshed before they expire. An empty
// roleName means ALIBABA_CLOUD_ECS_METADATA, then asking the metadata
// service. ALIBABA_CLOUD_IMDSV1_DISABLED=true sets DisableIMDSv1.
func NewECSRAMRoleCredentialsProvider(roleName string) *CachedCredentialsProvider {
	if roleName == "" {
		roleName = os.Getenv(EnvECSMetadata)
	}
	return NewCachedCredentialsProvider(&ECSRAMRoleCredentialsProvider{
		RoleName:      roleName,
		DisableIMDSv1: strings.EqualFold(os.Getenv(EnvIMDSv1Disabled), "true"),
	}, 0)
}

var defaultMetadataClient = &http.Client{
	Timeout: 5 * time.Second,
	Transport: &http.Transport{
		DialContext:           (&net.Dialer{Timeout: time.Second}).DialContext,
		ResponseHeaderTimeout: 5 * time.Second,
		MaxIdleConns:          2,
		IdleConnTimeout:       30 * time.Second,
	},
}

type ecsCredentialsResponse struct {
	Code            string `json:"Code"`
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

// Retrieve implements CredentialsProvider.
func (p *ECSRAMRoleCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	token, err := p.metadataToken(ctx)
	if err != nil {
		return Credentials{}, err
	}
	role := p.RoleName
	if role == "" {
		body, err := p.get(ctx, ecsCredentialsPath, token)
		if err != nil {
			return Credentials{}, fmt.Errorf("dyvms: ECS RAM role name: %w", err)
		}
		role = strings.TrimSpace(string(body))
		if i := strings.IndexByte(role, '\n'); i >= 0 {
			role = strings.TrimSpace(role[:i])
		}
		if role == "" {
			return Credentials{}, errorf("ECS RAM role: the instance has no RAM role")
		}
	}
	body, err := p.get(ctx, ecsCredentialsPath+role, token)
	if err != nil {
		return Credentials{}, fmt.Errorf("dyvms: ECS RAM role %q credentials: %w", role, err)
	}
	var r ecsCredentialsResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, errorf("ECS RAM role %q credentials: the answer is not JSON", role)
	}
	return r.credentials(fmt.Sprintf("ECS RAM role %q credentials", role), time.Now())
}

// credentials checks an answer of the metadata service or of a
// credentials URI: Code "Success", a key, a secret and a token, and an
// Expiration (RFC 3339) that has not passed.
func (r *ecsCredentialsResponse) credentials(source string, now time.Time) (Credentials, error) {
	if r.Code != "Success" {
		return Credentials{}, errorf("%s: Code %q", source, r.Code)
	}
	creds := Credentials{AccessKeyID: r.AccessKeyID, AccessKeySecret: r.AccessKeySecret, SecurityToken: r.SecurityToken}
	if !creds.valid() || creds.SecurityToken == "" {
		return Credentials{}, errorf("%s: the answer lacks a key or token", source)
	}
	if r.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, r.Expiration)
		if err != nil {
			return Credentials{}, errorf("%s: bad Expiration %q", source, r.Expiration)
		}
		creds.Expiration = exp
	}
	if err := checkNotExpired(source, creds, now); err != nil {
		return Credentials{}, err
	}
	return creds, nil
}

// metadataToken asks for an IMDSv2 session token. When that fails it
// returns "" (plain requests) unless DisableIMDSv1 is set.
func (p *ECSRAMRoleCredentialsProvider) metadataToken(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.endpoint()+ecsTokenPath, nil)
	if err != nil {
		return "", errorf("ECS metadata: %v", err)
	}
	req.Header.Set(ecsTokenTTLHeader, ecsTokenTTLSeconds)
	body, err := p.do(req)
	if err != nil {
		if p.DisableIMDSv1 || ctx.Err() != nil {
			return "", fmt.Errorf("dyvms: ECS metadata session token: %w", err)
		}
		return "", nil
	}
	return strings.TrimSpace(string(body)), nil
}

// get sends a GET to the metadata service, with the session token if any.
func (p *ECSRAMRoleCredentialsProvider) get(ctx context.Context, path, token string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.endpoint()+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set(ecsTokenHeader, token)
	}
	return p.do(req)
}

// do sends req and returns its body, bounded; a non-200 status is an error
// that does not quote the body.
func (p *ECSRAMRoleCredentialsProvider) do(req *http.Request) ([]byte, error) {
	hc := p.HTTPClient
	if hc == nil {
		hc = defaultMetadataClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxMetadataBytes {
		return nil, fmt.Errorf("answer larger than %d bytes", maxMetadataBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d from %s", resp.StatusCode, req.URL.Path)
	}
	return body, nil
}

func (p *ECSRAMRoleCredentialsProvider) endpoint() string {
	if p.Endpoint == "" {
		return DefaultECSMetadataEndpoint
	}
	return strings.TrimSuffix(p.Endpoint, "/")
}

// String describes the provider.
func (p *ECSRAMRoleCredentialsProvider) String() string {
	return fmt.Sprintf("ECSRAMRoleCredentialsProvider{role: %q}", p.RoleName)
}

// Format implements fmt.Formatter: every verb prints String.
func (p ECSRAMRoleCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// Defaults of CachedCredentialsProvider.
const (
	// DefaultCredentialsRefreshWindow is how long before expiry cached
	// credentials are refreshed.
	DefaultCredentialsRefreshWindow = 5 * time.Minute
	// credentialsRetryInterval is the least time between two refreshes
	// while the cached credentials are still valid.
	credentialsRetryInterval = 10 * time.Second
	// credentialsRefreshTimeout bounds one refresh.
	credentialsRefreshTimeout = time.Minute
)

// CachedCredentialsProvider keeps the credentials of another provider
// until they come within a refresh window of their Expiration
// (credentials without one are kept for good). Inside the window it
// returns the cached credentials at once and refreshes in the background;
// once they have expired, callers wait for the refresh. Concurrent callers
// share one refresh (single flight). When a refresh fails while the cached
// credentials are still valid, they keep being used and the refresh is
// tried again at most every 10 seconds.
type CachedCredentialsProvider struct {
	provider CredentialsProvider
	window   time.Duration
	now      func() time.Time

	mu       sync.Mutex
	creds    Credentials
	have     bool
	inflight *credentialsRefresh
	nextTry  time.Time
}

// credentialsRefresh is one refresh in flight; done is closed when creds
// and err are set.
type credentialsRefresh struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// NewCachedCredentialsProvider caches p's credentials, refreshing them
// window before they expire (0 means DefaultCredentialsRefreshWindow).
func NewCachedCredentialsProvider(p CredentialsProvider, window time.Duration) *CachedCredentialsProvider {
	if window <= 0 {
		window = DefaultCredentialsRefreshWindow
	}
	return &CachedCredentialsProvider{provider: p, window: window, now: time.Now}
}

// Retrieve implements CredentialsProvider.
func (c *CachedCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	now := c.now()
	if c.have {
		exp := c.creds.Expiration
		if exp.IsZero() || now.Before(exp.Add(-c.window)) {
			creds := c.creds
			c.mu.Unlock()
			return creds, nil
		}
		if now.Before(exp) {
			// Still valid: refresh in the background, answer at once.
			if c.inflight == nil && !now.Before(c.nextTry) {
				c.startRefresh(ctx)
			}
			creds := c.creds
			c.mu.Unlock()
			return creds, nil
		}
	}
	r := c.inflight
	if r == nil {
		r = c.startRefresh(ctx)
	}
	c.mu.Unlock()
	select {
	case <-r.done:
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
	if r.err != nil {
		return Credentials{}, r.err
	}
	return r.creds, nil
}

// startRefresh starts one refresh; c.mu is held. The refresh runs with
// the caller's context values but not its cancellation, so a caller that
// gives up does not fail the others.
func (c *CachedCredentialsProvider) startRefresh(ctx context.Context) *credentialsRefresh {
	r := &credentialsRefresh{done: make(chan struct{})}
	c.inflight = r
	go func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), credentialsRefreshTimeout)
		creds, err := c.provider.Retrieve(rctx)
		cancel()
		if err == nil && !creds.valid() {
			err = ErrNoCredentials
		}
		if err == nil {
			err = checkNotExpired(describeProvider(c.provider), creds, c.now())
		}
		c.mu.Lock()
		if err == nil {
			c.creds, c.have = creds, true
		}
		c.nextTry = c.now().Add(credentialsRetryInterval)
		c.inflight = nil
		r.creds, r.err = creds, err
		c.mu.Unlock()
		close(r.done)
	}()
	return r
}

// Invalidate drops the cached credentials if they are rejected (the
// service refused them as expired although their Expiration said
// otherwise), so that the next Retrieve waits for fresh ones. Credentials
// that were already replaced are left alone.
func (c *CachedCredentialsProvider) Invalidate(rejected Credentials) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.have && c.creds.AccessKeyID == rejected.AccessKeyID && c.creds.SecurityToken == rejected.SecurityToken {
		c.have = false
		c.creds = Credentials{}
		c.nextTry = time.Time{}
	}
	if inv, ok := c.provider.(CredentialsInvalidator); ok {
		inv.Invalidate(rejected)
	}
}

// String describes the provider without revealing credentials.
func (c *CachedCredentialsProvider) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.have {
		return "CachedCredentialsProvider{" + describeProvider(c.provider) + ", empty}"
	}
	return "CachedCredentialsProvider{" + describeProvider(c.provider) + ", " + c.creds.String() + "}"
}

// Format implements fmt.Formatter: every verb prints String.
func (c *CachedCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String())
}

// GoString is String, so %#v reveals nothing either.
func (c *CachedCredentialsProvider) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without revealing credentials.
func (c *CachedCredentialsProvider) LogValue() slog.Value { return slog.StringValue(c.String()) }

// ChainCredentialsProvider asks its providers in order and returns the
// first credentials one of them gives.
type ChainCredentialsProvider struct {
	providers []CredentialsProvider
}

// NewChainCredentialsProvider returns a chain over providers, asked in
// order.
func NewChainCredentialsProvider(providers ...CredentialsProvider) *ChainCredentialsProvider {
	return &ChainCredentialsProvider{providers: providers}
}

// Retrieve implements CredentialsProvider. When every provider fails, the
// error matches ErrNoCredentials and lists each provider's reason.
func (c *ChainCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	errs := []error{ErrNoCredentials}
	for _, p := range c.providers {
		creds, err := p.Retrieve(ctx)
		if err == nil && creds.valid() {
			return creds, nil
		}
		if err == nil {
			err = errors.New(describeProvider(p) + " gave incomplete credentials")
		}
		if ctx.Err() != nil {
			return Credentials{}, ctx.Err()
		}
		errs = append(errs, err)
	}
	return Credentials{}, errors.Join(errs...)
}

// Invalidate passes rejected credentials on to every provider of the
// chain that caches (see CredentialsInvalidator).
func (c *ChainCredentialsProvider) Invalidate(rejected Credentials) {
	for _, p := range c.providers {
		if inv, ok := p.(CredentialsInvalidator); ok {
			inv.Invalidate(rejected)
		}
	}
}

// String describes the chain without revealing credentials.
func (c *ChainCredentialsProvider) String() string {
	names := make([]string, len(c.providers))
	for i, p := range c.providers {
		names[i] = describeProvider(p)
	}
	return "ChainCredentialsProvider{" + strings.Join(names, ", ") + "}"
}

// Format implements fmt.Formatter: every verb prints String.
func (c ChainCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String())
}

// GoString is String, so %#v reveals nothing either.
func (c *ChainCredentialsProvider) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without revealing credentials.
func (c *ChainCredentialsProvider) LogValue() slog.Value { return slog.StringValue(c.String()) }

// NewDefaultCredentialsProvider returns the chain a client uses with
// WithDefaultCredentialsChain, in the order of the official Alibaba Cloud
// credentials chain:
//  1. the environment: ALIBABA_CLOUD_ACCESS_KEY_ID,
//     ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN;
//  2. OIDC (RRSA): ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN
//     and ALIBABA_CLOUD_OIDC_TOKEN_FILE all set;
//  3. the CLI configuration file (~/.aliyun/config.json, profile
//     ALIBABA_CLOUD_PROFILE), unless ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true;
//  4. the ECS instance's RAM role when ALIBABA_CLOUD_ECS_METADATA names it
//     (unless ALIBABA_CLOUD_ECS_METADATA_DISABLED=true);
//  5. the credentials endpoint ALIBABA_CLOUD_CREDENTIALS_URI.
//
// Only sources that are present join the chain, and nothing is sent over
// the network here; when none is present it returns ErrNoCredentials, and
// when a present source is misconfigured (an unusable profile, an
// incomplete OIDC setup), that error.
func NewDefaultCredentialsProvider() (CredentialsProvider, error) {
	return defaultCredentialsChain(context.Background())
}

// defaultCredentialsChain is NewDefaultCredentialsProvider; ctx bounds the
// read of the configuration file.
func defaultCredentialsChain(ctx context.Context) (CredentialsProvider, error) {
	var chain []CredentialsProvider
	var errs []error
	add := func(p CredentialsProvider, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		chain = append(chain, p)
	}
	if _, ok := EnvCredentials(); ok {
		add(NewEnvCredentialsProvider(), nil)
	}
	if oidcFromEnv() {
		add(NewOIDCCredentialsProvider(OIDCCredentialsProvider{}))
	}
	if !strings.EqualFold(os.Getenv(EnvCLIProfileDisabled), "true") {
		if path := DefaultProfilePath(); path != "" {
			if _, err := os.Lstat(path); err == nil {
				pp := NewProfileCredentialsProvider(path, "")
				_, err := pp.load(ctx)
				add(pp, err)
			}
		}
	}
	if role := os.Getenv(EnvECSMetadata); role != "" && !strings.EqualFold(os.Getenv(EnvECSMetadataDisabled), "true") {
		add(NewECSRAMRoleCredentialsProvider(role), nil)
	}
	if os.Getenv(EnvCredentialsURI) != "" {
		add(NewURICredentialsProvider(""))
	}
	switch {
	case len(chain) == 1:
		return chain[0], nil
	case len(chain) > 1:
		return NewChainCredentialsProvider(chain...), nil
	case len(errs) > 0:
		return nil, errors.Join(errs...)
	}
	return nil, ErrNoCredentials
}

// credentialsRegion returns the region_id of the CLI profile in p (p
// itself or a member of a chain), or "".
func credentialsRegion(p CredentialsProvider) string {
	switch p := p.(type) {
	case *ProfileCredentialsProvider:
		return p.Region()
	case *ChainCredentialsProvider:
		for _, q := range p.providers {
			if r := credentialsRegion(q); r != "" {
				return r
			}
		}
	}
	return ""
}

// prefixError puts "dyvms: prefix: " before err's message, without
// repeating err's own "dyvms: ", and keeps err for errors.Is and As.
func prefixError(prefix string, err error) error {
	return &redactedError{msg: "dyvms: " + prefix + ": " + strings.TrimPrefix(err.Error(), "dyvms: "), err: err}
}

// describeProvider names a provider without printing its fields, which
// may hold secrets: its String method if it has one, else its type.
func describeProvider(p CredentialsProvider) string {
	if s, ok := p.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", p)
}
