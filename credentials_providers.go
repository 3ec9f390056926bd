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

// ProfileCredentialsProvider reads the configuration file the Alibaba
// Cloud CLI writes (aliyun configure): ~/.aliyun/config.json by default.
// Profiles in mode AK (access_key_id, access_key_secret), StsToken (the
// same and sts_token) and EcsRamRole (ram_role_name, served by the
// instance metadata service) are supported. The file is read at the first
// Retrieve and kept; a failed read is tried again at the next Retrieve.
type ProfileCredentialsProvider struct {
	path    string
	profile string

	mu    sync.Mutex
	inner CredentialsProvider
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
}

// Retrieve implements CredentialsProvider.
func (p *ProfileCredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	inner, err := p.load()
	if err != nil {
		return Credentials{}, err
	}
	return inner.Retrieve(ctx)
}

// load reads the file once and builds the provider the profile names.
func (p *ProfileCredentialsProvider) load() (CredentialsProvider, error) {
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
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: no CLI configuration file %s", ErrNoCredentials, path)
		}
		return nil, errorf("CLI configuration file: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProfileFileBytes+1))
	if err != nil {
		return nil, errorf("CLI configuration file %s: %v", path, err)
	}
	if len(data) > maxProfileFileBytes {
		return nil, errorf("CLI configuration file %s is larger than %d bytes", path, maxProfileFileBytes)
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
	var prof *cliProfile
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == name {
			prof = &cfg.Profiles[i]
			break
		}
	}
	if prof == nil {
		return nil, errorf("CLI configuration file %s has no profile %q", path, name)
	}
	var inner CredentialsProvider
	switch prof.Mode {
	case "AK", "StsToken", "":
		token := ""
		if prof.Mode == "StsToken" {
			if token = prof.StsToken; token == "" {
				return nil, errorf("CLI profile %q: mode StsToken without sts_token", name)
			}
		}
		if prof.AccessKeyID == "" || prof.AccessKeySecret == "" {
			return nil, errorf("CLI profile %q: access_key_id or access_key_secret is empty", name)
		}
		inner = NewStaticCredentialsProvider(prof.AccessKeyID, prof.AccessKeySecret, token)
	case "EcsRamRole":
		inner = NewECSRAMRoleCredentialsProvider(prof.RAMRoleName)
	default:
		return nil, errorf("CLI profile %q: mode %q is not supported (use AK, StsToken or EcsRamRole)", name, prof.Mode)
	}
	p.inner = inner
	return inner, nil
}

// String describes the provider without revealing credentials.
func (p *ProfileCredentialsProvider) String() string {
	return fmt.Sprintf("ProfileCredentialsProvider{path: %q, profile: %q}", p.path, p.profile)
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
	if r.Code != "Success" {
		return Credentials{}, errorf("ECS RAM role %q credentials: Code %q", role, r.Code)
	}
	creds := Credentials{AccessKeyID: r.AccessKeyID, AccessKeySecret: r.AccessKeySecret, SecurityToken: r.SecurityToken}
	if !creds.valid() || creds.SecurityToken == "" {
		return Credentials{}, errorf("ECS RAM role %q credentials: the answer lacks a key or token", role)
	}
	if r.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, r.Expiration)
		if err != nil {
			return Credentials{}, errorf("ECS RAM role %q credentials: bad Expiration %q", role, r.Expiration)
		}
		creds.Expiration = exp
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

// String describes the provider without revealing credentials.
func (c *CachedCredentialsProvider) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.have {
		return "CachedCredentialsProvider{" + describeProvider(c.provider) + ", empty}"
	}
	return "CachedCredentialsProvider{" + describeProvider(c.provider) + ", " + c.creds.String() + "}"
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

// String describes the chain without revealing credentials.
func (c *ChainCredentialsProvider) String() string {
	names := make([]string, len(c.providers))
	for i, p := range c.providers {
		names[i] = describeProvider(p)
	}
	return "ChainCredentialsProvider{" + strings.Join(names, ", ") + "}"
}

// GoString is String, so %#v reveals nothing either.
func (c *ChainCredentialsProvider) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without revealing credentials.
func (c *ChainCredentialsProvider) LogValue() slog.Value { return slog.StringValue(c.String()) }

// NewDefaultCredentialsProvider returns the chain a client uses when no
// credentials are given: the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN), then the
// CLI configuration file (~/.aliyun/config.json, profile
// ALIBABA_CLOUD_PROFILE), then the ECS instance's RAM role when
// ALIBABA_CLOUD_ECS_METADATA names it. Only sources that are present join
// the chain, and nothing is sent over the network here; when none is
// present it returns ErrNoCredentials, and when the configuration file
// exists but its profile is unusable, that error.
func NewDefaultCredentialsProvider() (CredentialsProvider, error) {
	var chain []CredentialsProvider
	var profileErr error
	if _, ok := EnvCredentials(); ok {
		chain = append(chain, NewEnvCredentialsProvider())
	}
	if !strings.EqualFold(os.Getenv(EnvCLIProfileDisabled), "true") {
		if path := DefaultProfilePath(); path != "" {
			if _, err := os.Stat(path); err == nil {
				pp := NewProfileCredentialsProvider(path, "")
				if _, err := pp.load(); err != nil {
					profileErr = err
				} else {
					chain = append(chain, pp)
				}
			}
		}
	}
	if role := os.Getenv(EnvECSMetadata); role != "" && !strings.EqualFold(os.Getenv(EnvECSMetadataDisabled), "true") {
		chain = append(chain, NewECSRAMRoleCredentialsProvider(role))
	}
	switch {
	case len(chain) == 1:
		return chain[0], nil
	case len(chain) > 1:
		return NewChainCredentialsProvider(chain...), nil
	case profileErr != nil:
		return nil, profileErr
	}
	return nil, ErrNoCredentials
}

// describeProvider names a provider without printing its fields, which
// may hold secrets: its String method if it has one, else its type.
func describeProvider(p CredentialsProvider) string {
	if s, ok := p.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", p)
}
