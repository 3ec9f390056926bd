package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relWriteProfile writes a CLI configuration file in a temporary directory.
func relWriteProfile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// relClearEnv unsets every variable the default chain reads and
// points HOME at an empty directory.
func relClearEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{EnvAccessKeyID, EnvAccessKeySecret, EnvSecurityToken, EnvProfile,
		EnvCLIProfileDisabled, EnvECSMetadata, EnvECSMetadataDisabled, EnvIMDSv1Disabled} {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

const relProfileFile = `{
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "AKDEFAULT0001", "access_key_secret": "default-secret-0001", "region_id": "cn-hangzhou"},
    {"name": "work", "mode": "StsToken", "access_key_id": "STS.WORK0001", "access_key_secret": "work-secret-0001", "sts_token": "work-token-0001"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "my-role"},
    {"name": "arn", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b"},
    {"name": "notoken", "mode": "StsToken", "access_key_id": "x", "access_key_secret": "y"}
  ],
  "meta_path": ""
}`

func TestProfileProvider(t *testing.T) {
	relClearEnv(t)
	path := relWriteProfile(t, relProfileFile)
	ctx := context.Background()

	c, err := NewProfileCredentialsProvider(path, "").Retrieve(ctx)
	require.NoError(t, err, "the current profile")
	assert.Equal(t, Credentials{AccessKeyID: "STS.WORK0001", AccessKeySecret: "work-secret-0001", SecurityToken: "work-token-0001"}, c)

	c, err = NewProfileCredentialsProvider(path, "default").Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "AKDEFAULT0001", AccessKeySecret: "default-secret-0001"}, c)

	t.Setenv(EnvProfile, "default")
	c, err = NewProfileCredentialsProvider(path, "").Retrieve(ctx)
	require.NoError(t, err, "ALIBABA_CLOUD_PROFILE chooses")
	assert.Equal(t, "AKDEFAULT0001", c.AccessKeyID)

	for profile, want := range map[string]string{
		"missing": `no profile "missing"`,
		"arn":     `CLI profile "arn": RAM role ARN credentials: RoleARN is empty`,
		"notoken": "without sts_token",
	} {
		_, err = NewProfileCredentialsProvider(path, profile).Retrieve(ctx)
		assert.ErrorContains(t, err, want)
	}

	_, err = NewProfileCredentialsProvider(filepath.Join(t.TempDir(), "none.json"), "").Retrieve(ctx)
	assert.ErrorIs(t, err, ErrNoCredentials)

	// A broken file is reported without quoting its content.
	broken := relWriteProfile(t, `{"profiles":[{"name":"default","access_key_secret":"leaky-secret-0001",}]}`)
	_, err = NewProfileCredentialsProvider(broken, "").Retrieve(ctx)
	require.ErrorContains(t, err, "not valid JSON")
	assert.NotContains(t, err.Error(), "leaky-secret")
}

func TestProfileProviderDefaultPathAndCurrent(t *testing.T) {
	home := relClearEnv(t)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".aliyun", "config.json"),
		[]byte(`{"profiles":[{"name":"default","mode":"AK","access_key_id":"AKHOME0001","access_key_secret":"home-secret-0001"}]}`), 0o600))
	c, err := NewProfileCredentialsProvider("", "").Retrieve(context.Background())
	require.NoError(t, err, `no "current": the "default" profile`)
	assert.Equal(t, "AKHOME0001", c.AccessKeyID)
}

// relIMDS is a local stand-in for the ECS instance metadata service.
type relIMDS struct {
	*httptest.Server
	tokenCalls, credCalls atomic.Int32
	noToken               bool // the token endpoint is missing (IMDSv1 only)
	expiration            atomic.Value
	mu                    sync.Mutex
	seenTokens            []string
}

const relIMDSToken = "relIMDS-session-token-0001"

func newRelIMDS(t *testing.T, role string) *relIMDS {
	m := &relIMDS{}
	m.expiration.Store(time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339))
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == ecsTokenPath:
			if m.noToken {
				http.NotFound(w, r)
				return
			}
			if r.Method != http.MethodPut || r.Header.Get(ecsTokenTTLHeader) == "" {
				http.Error(w, "bad token request", http.StatusBadRequest)
				return
			}
			m.tokenCalls.Add(1)
			_, _ = w.Write([]byte(relIMDSToken))
		case strings.HasPrefix(r.URL.Path, ecsCredentialsPath):
			tok := r.Header.Get(ecsTokenHeader)
			m.mu.Lock()
			m.seenTokens = append(m.seenTokens, tok)
			m.mu.Unlock()
			if !m.noToken && tok != relIMDSToken {
				http.Error(w, "token required", http.StatusUnauthorized)
				return
			}
			name := strings.TrimPrefix(r.URL.Path, ecsCredentialsPath)
			if name == "" {
				_, _ = w.Write([]byte(role + "\n"))
				return
			}
			if name != role {
				http.NotFound(w, r)
				return
			}
			n := m.credCalls.Add(1)
			_, _ = fmt.Fprintf(w, `{"AccessKeyId":"STS.ECS%04d","AccessKeySecret":"ecs-secret-%04d","Expiration":%q,"SecurityToken":"ecs-token-%04d","LastUpdated":"2026-01-01T00:00:00Z","Code":"Success"}`,
				n, n, m.expiration.Load().(string), n)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(m.Close)
	return m
}

func TestECSRAMRoleProvider(t *testing.T) {
	relClearEnv(t)
	m := newRelIMDS(t, "my-role")
	ctx := context.Background()

	p := &ECSRAMRoleCredentialsProvider{RoleName: "my-role", Endpoint: m.URL}
	c, err := p.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "STS.ECS0001", c.AccessKeyID)
	assert.Equal(t, "ecs-secret-0001", c.AccessKeySecret)
	assert.Equal(t, "ecs-token-0001", c.SecurityToken)
	assert.WithinDuration(t, time.Now().Add(6*time.Hour), c.Expiration, time.Minute)
	assert.Equal(t, int32(1), m.tokenCalls.Load())

	// Without a role name it asks for it.
	c, err = (&ECSRAMRoleCredentialsProvider{Endpoint: m.URL}).Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "STS.ECS0002", c.AccessKeyID)
	for _, tok := range m.seenTokens {
		assert.Equal(t, relIMDSToken, tok, "every metadata read carries the session token")
	}

	_, err = (&ECSRAMRoleCredentialsProvider{RoleName: "other", Endpoint: m.URL}).Retrieve(ctx)
	assert.ErrorContains(t, err, "HTTP 404")
	assert.NotContains(t, err.Error(), "ecs-secret")
}

func TestECSRAMRoleProviderIMDSv1Fallback(t *testing.T) {
	relClearEnv(t)
	m := newRelIMDS(t, "r1")
	m.noToken = true
	c, err := (&ECSRAMRoleCredentialsProvider{RoleName: "r1", Endpoint: m.URL}).Retrieve(context.Background())
	require.NoError(t, err, "falls back to plain requests")
	assert.Equal(t, "STS.ECS0001", c.AccessKeyID)

	_, err = (&ECSRAMRoleCredentialsProvider{RoleName: "r1", Endpoint: m.URL, DisableIMDSv1: true}).Retrieve(context.Background())
	assert.ErrorContains(t, err, "session token")
}

func TestECSRAMRoleProviderThroughClient(t *testing.T) {
	relClearEnv(t)
	m := newRelIMDS(t, "role-x")
	m.expiration.Store(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	var sigOK atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		all := r.Form
		sig := all.Get("Signature")
		all.Del("Signature")
		if all.Get("SecurityToken") == "ecs-token-0001" && Sign("POST", all, "ecs-secret-0001") == sig {
			sigOK.Add(1)
		}
		relOK(w, r)
	}))
	defer srv.Close()
	cached := NewCachedCredentialsProvider(&ECSRAMRoleCredentialsProvider{RoleName: "role-x", Endpoint: m.URL}, 0)
	c, err := NewClient(WithEndpoint(srv.URL), WithCredentialsProvider(cached))
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		require.NoError(t, relQueryDetail(context.Background(), c))
	}
	assert.Equal(t, int32(5), sigOK.Load(), "signed with the role's key and token")
	assert.Equal(t, int32(1), m.credCalls.Load(), "cached: one metadata read for five calls")
}

// relCountingProvider returns fresh credentials per call, expiring after ttl,
// optionally failing, and blocking until release is closed.
type relCountingProvider struct {
	calls   atomic.Int32
	ttl     time.Duration
	now     func() time.Time
	fail    atomic.Bool
	release chan struct{}
}

func (p *relCountingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	n := p.calls.Add(1)
	if p.release != nil {
		select {
		case <-p.release:
		case <-ctx.Done():
			return Credentials{}, ctx.Err()
		}
	}
	if p.fail.Load() {
		return Credentials{}, errors.New("refresh failed")
	}
	c := Credentials{AccessKeyID: fmt.Sprintf("AK%04d", n), AccessKeySecret: "s"}
	if p.ttl > 0 {
		c.Expiration = p.now().Add(p.ttl)
	}
	return c, nil
}

// relClock is a settable clock.
type relClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *relClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *relClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestCachedProviderSingleFlight(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	inner := &relCountingProvider{ttl: time.Hour, now: clock.now, release: make(chan struct{})}
	cp := NewCachedCredentialsProvider(inner, 5*time.Minute)
	cp.now = clock.now

	const callers = 50
	var wg sync.WaitGroup
	results := make(chan string, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := cp.Retrieve(context.Background())
			if err == nil {
				results <- c.AccessKeyID
			}
		}()
	}
	// Let every caller queue behind the one refresh, then release it.
	require.Eventually(t, func() bool { return inner.calls.Load() == 1 }, time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	close(inner.release)
	wg.Wait()
	close(results)
	n := 0
	for id := range results {
		assert.Equal(t, "AK0001", id)
		n++
	}
	assert.Equal(t, callers, n)
	assert.Equal(t, int32(1), inner.calls.Load(), "one refresh for many callers")

	// A caller that gives up does not wait for the refresh.
	inner2 := &relCountingProvider{release: make(chan struct{})}
	cp2 := NewCachedCredentialsProvider(inner2, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := cp2.Retrieve(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	close(inner2.release)
}

func TestCachedProviderRefreshesBeforeExpiry(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	inner := &relCountingProvider{ttl: time.Hour, now: clock.now}
	cp := NewCachedCredentialsProvider(inner, 5*time.Minute)
	cp.now = clock.now
	ctx := context.Background()

	c, err := cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AK0001", c.AccessKeyID)
	clock.advance(50 * time.Minute)
	c, _ = cp.Retrieve(ctx)
	assert.Equal(t, "AK0001", c.AccessKeyID, "fresh: cached")
	assert.Equal(t, int32(1), inner.calls.Load())

	// Inside the window: the old credentials at once, a refresh behind.
	clock.advance(6 * time.Minute)
	c, _ = cp.Retrieve(ctx)
	assert.Equal(t, "AK0001", c.AccessKeyID)
	require.Eventually(t, func() bool {
		c, _ := cp.Retrieve(ctx)
		return c.AccessKeyID == "AK0002"
	}, time.Second, time.Millisecond)
	assert.Equal(t, int32(2), inner.calls.Load())
}

func TestCachedProviderKeepsOldOnFailure(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	inner := &relCountingProvider{ttl: time.Hour, now: clock.now}
	cp := NewCachedCredentialsProvider(inner, 5*time.Minute)
	cp.now = clock.now
	ctx := context.Background()
	_, err := cp.Retrieve(ctx)
	require.NoError(t, err)

	inner.fail.Store(true)
	clock.advance(57 * time.Minute) // inside the window, still valid
	c, err := cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AK0001", c.AccessKeyID)
	require.Eventually(t, func() bool { return inner.calls.Load() == 2 }, time.Second, time.Millisecond)
	// The failed refresh leaves the old credentials in use...
	require.Eventually(t, func() bool {
		cp.mu.Lock()
		defer cp.mu.Unlock()
		return cp.inflight == nil
	}, time.Second, time.Millisecond)
	c, err = cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AK0001", c.AccessKeyID)
	assert.Equal(t, int32(2), inner.calls.Load(), "and is not tried again at once")
	clock.advance(11 * time.Second)
	_, _ = cp.Retrieve(ctx)
	require.Eventually(t, func() bool { return inner.calls.Load() == 3 }, time.Second, time.Millisecond)

	// Once expired, a failing refresh is an error.
	clock.advance(5 * time.Minute)
	require.Eventually(t, func() bool {
		cp.mu.Lock()
		defer cp.mu.Unlock()
		return cp.inflight == nil
	}, time.Second, time.Millisecond)
	_, err = cp.Retrieve(ctx)
	assert.ErrorContains(t, err, "refresh failed")

	// And it recovers when the source does.
	inner.fail.Store(false)
	c, err = cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, "AK0001", c.AccessKeyID)
}

func TestCachedProviderNoExpiryKeptForGood(t *testing.T) {
	inner := &relCountingProvider{}
	cp := NewCachedCredentialsProvider(inner, 0)
	for i := 0; i < 10; i++ {
		_, err := cp.Retrieve(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), inner.calls.Load())
}

func TestChainProvider(t *testing.T) {
	relClearEnv(t)
	path := relWriteProfile(t, relProfileFile)
	chain := NewChainCredentialsProvider(NewEnvCredentialsProvider(), NewProfileCredentialsProvider(path, "default"))
	c, err := chain.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "AKDEFAULT0001", c.AccessKeyID)

	t.Setenv(EnvAccessKeyID, "AKENV0001")
	t.Setenv(EnvAccessKeySecret, "env-secret-0001")
	c, err = chain.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "AKENV0001", c.AccessKeyID, "the environment comes first")

	_, err = NewChainCredentialsProvider(NewProfileCredentialsProvider(filepath.Join(t.TempDir(), "x"), "")).Retrieve(context.Background())
	assert.ErrorIs(t, err, ErrNoCredentials)
	assert.ErrorContains(t, err, "no CLI configuration file")
}

func TestDefaultChain(t *testing.T) {
	home := relClearEnv(t)

	// Nothing present: NewClient fails as before, without touching the
	// network.
	_, err := NewDefaultCredentialsProvider()
	assert.Same(t, ErrNoCredentials, err)
	_, err = NewClient()
	assert.Same(t, ErrNoCredentials, err)
	_, err = NewClient(WithDefaultCredentialsChain())
	assert.Same(t, ErrNoCredentials, err)

	// The environment alone.
	t.Setenv(EnvAccessKeyID, "AKENV0001")
	t.Setenv(EnvAccessKeySecret, "env-secret-0001")
	p, err := NewDefaultCredentialsProvider()
	require.NoError(t, err)
	assert.IsType(t, &EnvCredentialsProvider{}, p)
	t.Setenv(EnvAccessKeyID, "")
	t.Setenv(EnvAccessKeySecret, "")

	// A profile file.
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700))
	cfg := filepath.Join(home, ".aliyun", "config.json")
	require.NoError(t, os.WriteFile(cfg, []byte(relProfileFile), 0o600))
	p, err = NewDefaultCredentialsProvider()
	require.NoError(t, err)
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.WORK0001", c.AccessKeyID)

	// A client with the default chain signs with the profile's key; one
	// with no credential option reads only the environment.
	_, err = NewClient(WithEndpoint("http://127.0.0.1:9"))
	assert.Same(t, ErrNoCredentials, err)
	var sigOK atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		all := r.Form
		sig := all.Get("Signature")
		all.Del("Signature")
		sigOK.Store(all.Get("AccessKeyId") == "STS.WORK0001" && all.Get("SecurityToken") == "work-token-0001" &&
			Sign("POST", all, "work-secret-0001") == sig)
		relOK(w, r)
	}))
	defer srv.Close()
	client, err := NewClient(WithEndpoint(srv.URL), WithDefaultCredentialsChain())
	require.NoError(t, err)
	require.NoError(t, relQueryDetail(context.Background(), client))
	assert.True(t, sigOK.Load())

	// An unusable profile is reported clearly.
	t.Setenv(EnvProfile, "arn")
	_, err = NewClient(WithDefaultCredentialsChain())
	assert.ErrorContains(t, err, `CLI profile "arn": RAM role ARN credentials: RoleARN is empty`)
	t.Setenv(EnvCLIProfileDisabled, "true")
	_, err = NewClient(WithDefaultCredentialsChain())
	assert.Same(t, ErrNoCredentials, err)

	// The ECS role joins only when named, and nothing is probed here.
	t.Setenv(EnvECSMetadata, "my-role")
	p, err = NewDefaultCredentialsProvider()
	require.NoError(t, err)
	assert.IsType(t, &CachedCredentialsProvider{}, p)
	t.Setenv(EnvECSMetadataDisabled, "true")
	_, err = NewDefaultCredentialsProvider()
	assert.Same(t, ErrNoCredentials, err)
}
