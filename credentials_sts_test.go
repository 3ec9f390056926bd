package dyvms_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// Credential modes against the fake STS (dyvmstest.STSServer), which
// checks the POP signature of AssumeRole with its own verifier, and the
// fake Dyvmsapi, which accepts the credentials that STS issues and
// refuses them with InvalidSecurityToken.Expired once they expire.

const (
	testRoleARN  = "acs:ram::1234567890123456:role/voice-caller"
	testRoleARN2 = "acs:ram::1234567890123456:role/voice-admin"
	testOIDCARN  = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c0ffee"
)

// credsEnv clears every variable the credential modes read and points HOME
// at an empty directory.
func credsEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{dyvms.EnvAccessKeyID, dyvms.EnvAccessKeySecret, dyvms.EnvSecurityToken, dyvms.EnvProfile,
		dyvms.EnvCLIProfileDisabled, dyvms.EnvECSMetadata, dyvms.EnvECSMetadataDisabled, dyvms.EnvIMDSv1Disabled,
		dyvms.EnvRoleARN, dyvms.EnvOIDCProviderARN, dyvms.EnvOIDCTokenFile, dyvms.EnvRoleSessionName, dyvms.EnvSTSRegion,
		dyvms.EnvVPCEndpointEnabled, dyvms.EnvSTSEndpoint, dyvms.EnvCredentialsURI, dyvms.EnvRegionID} {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

// stsPair is a fake STS and a fake Dyvmsapi that trusts it.
type stsPair struct {
	sts *dyvmstest.STSServer
	api *dyvmstest.Server
	// attempts records the AccessKeyId and SecurityToken of every attempt
	// the client sent to the Dyvmsapi fake.
	mu       sync.Mutex
	attempts [][2]string
}

func newSTSPair(t *testing.T, stsOpts ...dyvmstest.STSOption) *stsPair {
	t.Helper()
	p := &stsPair{sts: dyvmstest.NewSTSServer(stsOpts...)}
	p.api = dyvmstest.NewServer(dyvmstest.WithSTS(p.sts))
	t.Cleanup(p.api.Close)
	t.Cleanup(p.sts.Close)
	return p
}

// client returns a client of the Dyvmsapi fake taking credentials from cp.
func (p *stsPair) client(t *testing.T, cp dyvms.CredentialsProvider, opts ...dyvms.Option) *dyvms.Client {
	t.Helper()
	// Recorded by the sending transport: a middleware sees the
	// SecurityToken as REDACTED.
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	record := rtFunc(func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		p.mu.Lock()
		p.attempts = append(p.attempts, [2]string{q.Get("AccessKeyId"), q.Get("SecurityToken")})
		p.mu.Unlock()
		return base.RoundTrip(r)
	})
	all := append([]dyvms.Option{
		dyvms.WithEndpoint(p.api.URL), dyvms.WithCredentialsProvider(cp), dyvms.WithHTTPClient(&http.Client{Transport: record}),
		dyvms.WithRetryPolicy(dyvms.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
	}, opts...)
	c, err := dyvms.NewClient(all...)
	require.NoError(t, err)
	return c
}

func (p *stsPair) sent() [][2]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][2]string(nil), p.attempts...)
}

// issued returns the credentials the STS issued, by AccessKeyId.
func (p *stsPair) issued() map[string]dyvmstest.IssuedCredentials {
	m := map[string]dyvmstest.IssuedCredentials{}
	for _, c := range p.sts.Issued() {
		m[c.AccessKeyID] = c
	}
	return m
}

func callTts(ctx context.Context, c *dyvms.Client, outID string) error {
	_, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: outID})
	return err
}

func TestRAMRoleARNAssumesRoleAndSignsWithIt(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	cp, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:          dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN:         testRoleARN,
		RoleSessionName: "voice-batch",
		Duration:        30 * time.Minute,
		Policy:          `{"Version":"1","Statement":[{"Effect":"Allow","Action":"dyvms:*","Resource":"*"}]}`,
		ExternalID:      "ext-0042",
		STS:             dyvms.STSConfig{Endpoint: p.sts.URL},
	})
	require.NoError(t, err)
	client := p.client(t, cp)
	ctx := context.Background()
	require.NoError(t, callTts(ctx, client, "o1"))
	require.NoError(t, callTts(ctx, client, "o2"))

	reqs := p.sts.Requests()
	require.Len(t, reqs, 1, "the assumed credentials are cached")
	got := reqs[0].Params
	assert.Equal(t, "AssumeRole", reqs[0].Action)
	for k, want := range map[string]string{
		"RoleArn": testRoleARN, "RoleSessionName": "voice-batch", "DurationSeconds": "1800", "ExternalId": "ext-0042",
		"Policy":  `{"Version":"1","Statement":[{"Effect":"Allow","Action":"dyvms:*","Resource":"*"}]}`,
		"Version": "2015-04-01", "Format": "JSON", "AccessKeyId": dyvmstest.DefaultAccessKeyID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
	} {
		assert.Equal(t, want, got.Get(k), k)
	}
	assert.Empty(t, got.Get("SecurityToken"), "a long-lived key sends no token")
	// The fake accepted the signature, recomputed with its own code; so
	// does the SDK's exported signer, independently of the request path.
	assert.Equal(t, dyvms.Sign("POST", got, dyvmstest.DefaultAccessKeySecret), got.Get("Signature"))

	issued := p.issued()
	require.Len(t, issued, 1)
	for _, a := range p.sent() {
		c, ok := issued[a[0]]
		require.True(t, ok, "the call is signed with the assumed role's key, not %s", a[0])
		assert.Equal(t, c.SecurityToken, a[1])
	}
	assert.Equal(t, 2, p.api.Count("SingleCallByTts"))
}

func TestRAMRoleARNRefreshesBeforeExpiry(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	cp, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:  dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, Duration: 15 * time.Minute, STS: dyvms.STSConfig{Endpoint: p.sts.URL},
	})
	require.NoError(t, err)
	ctx := context.Background()
	first, err := cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(15*time.Minute), first.Expiration, time.Minute)
	assert.True(t, strings.HasPrefix(p.sts.Requests()[0].Params.Get("RoleSessionName"), "dyvms-go-"), "a session name is made up")

	// Within the 5-minute window before expiry: the cached credentials are
	// still handed out while one refresh runs in the background.
	dyvms.SetCachedCredentialsClock(cp, func() time.Time { return first.Expiration.Add(-4 * time.Minute) })
	again, err := cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.AccessKeyID, again.AccessKeyID)
	require.Eventually(t, func() bool {
		c, err := cp.Retrieve(ctx)
		return err == nil && c.AccessKeyID != first.AccessKeyID
	}, 5*time.Second, 5*time.Millisecond)
	assert.Len(t, p.sts.Requests(), 2, "one refresh")
}

func TestChainableRAMRoleSignsWithTheFirstRole(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	cfg := dyvms.STSConfig{Endpoint: p.sts.URL}
	first, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:  dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, RoleSessionName: "hop1", STS: cfg,
	})
	require.NoError(t, err)
	second, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source: first, RoleARN: testRoleARN2, RoleSessionName: "hop2", STS: cfg,
	})
	require.NoError(t, err)
	require.NoError(t, callTts(context.Background(), p.client(t, second), "o1"))

	reqs := p.sts.Requests()
	require.Len(t, reqs, 2)
	issued := p.issued()
	hop1 := issued[reqs[1].Params.Get("AccessKeyId")]
	assert.Equal(t, testRoleARN, hop1.RoleArn, "the second AssumeRole is signed by the first role")
	assert.Equal(t, hop1.SecurityToken, reqs[1].Params.Get("SecurityToken"))
	assert.Equal(t, testRoleARN2, reqs[1].Params.Get("RoleArn"))
	call := issued[p.sent()[0][0]]
	assert.Equal(t, testRoleARN2, call.RoleArn, "the call is signed by the second role")
}

// writeCLIConfig writes ~/.aliyun/config.json under home.
func writeCLIConfig(t *testing.T, home, content string) {
	t.Helper()
	dir := filepath.Join(home, ".aliyun")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(content), 0o600))
}

func TestProfileRamRoleArnAndChainable(t *testing.T) {
	home := credsEnv(t)
	p := newSTSPair(t)
	t.Setenv(dyvms.EnvSTSEndpoint, p.sts.URL)
	writeCLIConfig(t, home, fmt.Sprintf(`{"current": "chained", "profiles": [
	  {"name": "base", "mode": "AK", "access_key_id": %q, "access_key_secret": %q},
	  {"name": "role", "mode": "RamRoleArn", "access_key_id": %[1]q, "access_key_secret": %[2]q,
	   "ram_role_arn": %[3]q, "ram_session_name": "cli-session", "expired_seconds": 900, "external_id": "ext-7",
	   "region_id": "cn-shanghai"},
	  {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": %[4]q,
	   "ram_session_name": "cli-chained", "region_id": "cn-beijing"},
	  {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": %[4]q}
	]}`, dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, testRoleARN, testRoleARN2))

	c, err := dyvms.NewClient(dyvms.WithEndpoint(p.api.URL), dyvms.WithDefaultCredentialsChain())
	require.NoError(t, err)
	require.NoError(t, callTts(context.Background(), c, "o1"))
	reqs := p.sts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "cli-session", reqs[0].Params.Get("RoleSessionName"))
	assert.Equal(t, "900", reqs[0].Params.Get("DurationSeconds"))
	assert.Equal(t, "ext-7", reqs[0].Params.Get("ExternalId"))
	assert.Equal(t, dyvmstest.DefaultAccessKeyID, reqs[0].Params.Get("AccessKeyId"))
	assert.Equal(t, "cli-chained", reqs[1].Params.Get("RoleSessionName"))
	assert.True(t, strings.HasPrefix(reqs[1].Params.Get("AccessKeyId"), "STS."), "chained on the first role")
	got := p.api.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, "cn-beijing", got[0].Params.Get("RegionId"), "the profile's region_id")

	// Refused credentials are invalidated through the profile provider.
	p.sts.Expire(got[0].Params.Get("AccessKeyId"))
	require.NoError(t, callTts(context.Background(), c, "o2"))
	assert.Len(t, p.sts.Requests(), 3, "the chained role is assumed again; its source is still valid")
	assert.Equal(t, 2, p.api.Count("SingleCallByTts"))

	t.Setenv(dyvms.EnvProfile, "loop")
	_, err = dyvms.NewClient(dyvms.WithEndpoint(p.api.URL), dyvms.WithDefaultCredentialsChain())
	assert.ErrorContains(t, err, `CLI profile "loop": source profile: CLI profile "loop": source_profile loops back to it`)
}

func TestProfileOIDC(t *testing.T) {
	home := credsEnv(t)
	p := newSTSPair(t)
	t.Setenv(dyvms.EnvSTSEndpoint, p.sts.URL)
	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(dyvmstest.DefaultOIDCToken), 0o600))
	writeCLIConfig(t, home, fmt.Sprintf(`{"current": "rrsa", "profiles": [
	  {"name": "rrsa", "mode": "OIDC", "ram_role_arn": %q, "oidc_provider_arn": %q, "oidc_token_file": %q,
	   "ram_session_name": "profile-pod", "expired_seconds": 1200, "policy": "{}"}]}`, testRoleARN, testOIDCARN, tokenFile))
	c, err := dyvms.NewClient(dyvms.WithEndpoint(p.api.URL), dyvms.WithDefaultCredentialsChain())
	require.NoError(t, err)
	require.NoError(t, callTts(context.Background(), c, "o1"))
	reqs := p.sts.Requests()
	require.Len(t, reqs, 1)
	for k, want := range map[string]string{"RoleArn": testRoleARN, "OIDCProviderArn": testOIDCARN, "OIDCToken": dyvmstest.DefaultOIDCToken,
		"RoleSessionName": "profile-pod", "DurationSeconds": "1200", "Policy": "{}"} {
		assert.Equal(t, want, reqs[0].Params.Get(k), k)
	}
}

func TestRegionPrecedence(t *testing.T) {
	home := credsEnv(t)
	srv := dyvmstest.NewServer()
	defer srv.Close()
	writeCLIConfig(t, home, fmt.Sprintf(`{"current": "p", "profiles": [
	  {"name": "p", "mode": "AK", "access_key_id": %q, "access_key_secret": %q, "region_id": "cn-shanghai"}]}`,
		dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret))
	region := func(opts ...dyvms.Option) string {
		t.Helper()
		c, err := dyvms.NewClient(append([]dyvms.Option{dyvms.WithEndpoint(srv.URL)}, opts...)...)
		require.NoError(t, err)
		before := len(srv.Requests())
		require.NoError(t, callTts(context.Background(), c, "r"))
		return srv.Requests()[before].Params.Get("RegionId")
	}
	assert.Equal(t, "cn-shanghai", region(dyvms.WithDefaultCredentialsChain()), "profile region_id")
	t.Setenv(dyvms.EnvRegionID, "cn-beijing")
	assert.Equal(t, "cn-beijing", region(dyvms.WithDefaultCredentialsChain()), "ALIBABA_CLOUD_REGION_ID beats the profile")
	assert.Equal(t, "cn-beijing", region(dyvms.WithAccessKey(srv.AccessKeyID, srv.AccessKeySecret)), "and applies with any credentials")
	assert.Equal(t, "cn-hangzhou", region(dyvms.WithDefaultCredentialsChain(), dyvms.WithRegion("cn-hangzhou")), "WithRegion wins")
	t.Setenv(dyvms.EnvRegionID, "cn hangzhou&x=1")
	_, err := dyvms.NewClient(dyvms.WithAccessKey("id", "secret"))
	assert.ErrorContains(t, err, `ALIBABA_CLOUD_REGION_ID="cn hangzhou&x=1" is not a region ID`)
}

func TestOIDCAssumesRoleAnonymouslyAndRereadsTheToken(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte("token-one\n"), 0o600))
	p.sts.SetOIDCToken("token-one")
	t.Setenv(dyvms.EnvRoleARN, testRoleARN)
	t.Setenv(dyvms.EnvOIDCProviderARN, testOIDCARN)
	t.Setenv(dyvms.EnvOIDCTokenFile, tokenFile)
	t.Setenv(dyvms.EnvRoleSessionName, "pod-1")
	t.Setenv(dyvms.EnvSTSEndpoint, p.sts.URL)

	chain, err := dyvms.NewDefaultCredentialsProvider()
	require.NoError(t, err)
	cp, ok := chain.(*dyvms.CachedCredentialsProvider)
	require.True(t, ok, "OIDC alone in the chain: %v", chain)
	client := p.client(t, cp)
	ctx := context.Background()
	require.NoError(t, callTts(ctx, client, "o1"))

	reqs := p.sts.Requests()
	require.Len(t, reqs, 1)
	got := reqs[0].Params
	assert.Equal(t, "AssumeRoleWithOIDC", reqs[0].Action)
	for k, want := range map[string]string{"RoleArn": testRoleARN, "OIDCProviderArn": testOIDCARN, "OIDCToken": "token-one",
		"RoleSessionName": "pod-1", "DurationSeconds": "3600", "Version": "2015-04-01", "Format": "JSON"} {
		assert.Equal(t, want, got.Get(k), k)
	}
	for _, k := range []string{"AccessKeyId", "Signature", "SignatureNonce", "SecurityToken"} {
		assert.NotContains(t, got, k, "AssumeRoleWithOIDC is anonymous")
	}

	// The token rotates; the next refresh reads the file again.
	require.NoError(t, os.WriteFile(tokenFile, []byte("token-two"), 0o600))
	p.sts.SetOIDCToken("token-two")
	first := p.sent()[0][0]
	p.sts.Expire(first)
	require.NoError(t, callTts(ctx, client, "o2"))
	reqs = p.sts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "token-two", reqs[1].Params.Get("OIDCToken"))
}

func TestOIDCConfigurationErrorsListEveryProblem(t *testing.T) {
	credsEnv(t)
	_, err := dyvms.NewOIDCCredentialsProvider(dyvms.OIDCCredentialsProvider{Duration: time.Minute})
	require.Error(t, err)
	for _, want := range []string{"RoleARN (ALIBABA_CLOUD_ROLE_ARN) is empty", "OIDCProviderARN (ALIBABA_CLOUD_OIDC_PROVIDER_ARN) is empty",
		"OIDCTokenFile (ALIBABA_CLOUD_OIDC_TOKEN_FILE) is empty", "at least 15m0s"} {
		assert.ErrorContains(t, err, want)
	}
	t.Setenv(dyvms.EnvRoleARN, testRoleARN)
	t.Setenv(dyvms.EnvOIDCProviderARN, testOIDCARN)
	t.Setenv(dyvms.EnvOIDCTokenFile, filepath.Join(t.TempDir(), "absent"))
	t.Setenv(dyvms.EnvSTSEndpoint, "http://127.0.0.1:1")
	cp, err := dyvms.NewOIDCCredentialsProvider(dyvms.OIDCCredentialsProvider{})
	require.NoError(t, err, "the token file is read at Retrieve, not here")
	_, err = cp.Retrieve(context.Background())
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSTSEndpointFromRegionAndVPC(t *testing.T) {
	credsEnv(t)
	var hosts []string
	hc := &http.Client{Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
		hosts = append(hosts, r.URL.Scheme+"://"+r.URL.Host)
		return nil, errors.New("not sent")
	})}
	retrieve := func(cfg dyvms.STSConfig) {
		t.Helper()
		cfg.HTTPClient = hc
		p := &dyvms.RAMRoleARNCredentialsProvider{Source: dyvms.NewStaticCredentialsProvider("id", "secret", ""), RoleARN: testRoleARN, STS: cfg}
		_, err := p.Retrieve(context.Background())
		require.Error(t, err)
	}
	retrieve(dyvms.STSConfig{})
	retrieve(dyvms.STSConfig{Region: "cn-shanghai"})
	retrieve(dyvms.STSConfig{Region: "cn-shanghai", VPC: true})
	t.Setenv(dyvms.EnvSTSRegion, "cn-beijing")
	retrieve(dyvms.STSConfig{})
	t.Setenv(dyvms.EnvVPCEndpointEnabled, "true")
	retrieve(dyvms.STSConfig{})
	assert.Equal(t, []string{"https://sts.aliyuncs.com", "https://sts.cn-shanghai.aliyuncs.com", "https://sts-vpc.cn-shanghai.aliyuncs.com",
		"https://sts.cn-beijing.aliyuncs.com", "https://sts-vpc.cn-beijing.aliyuncs.com"}, hosts)

	_, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: "http://sts.example.com"}})
	assert.ErrorContains(t, err, "Source is nil")
	assert.ErrorContains(t, err, "plain http on a non-loopback host")
}

func TestSTSErrorIsTypedAndRedacted(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	base := dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, "wrong-secret-value-123", "")
	cp := &dyvms.RAMRoleARNCredentialsProvider{Source: base, RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL}}
	_, err := cp.Retrieve(context.Background())
	var e *dyvms.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "AssumeRole", e.Action)
	assert.Equal(t, dyvms.ErrorCodeSignatureDoesNotMatch, e.Code)
	assert.Equal(t, 400, e.HTTPStatus)
	assert.NotEmpty(t, e.RequestID)
	assert.NotContains(t, err.Error(), "wrong-secret-value-123")
	assert.NotContains(t, err.Error(), p.sts.Requests()[0].Params.Get("Signature"))

	// The fake's SignatureDoesNotMatch message quotes its string-to-sign,
	// which holds the SecurityToken encoded twice: redacted too.
	const token = "base-token/should+not=leak-123"
	withToken := dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, "wrong-secret-value-123", token)
	_, err = (&dyvms.RAMRoleARNCredentialsProvider{Source: withToken, RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL}}).Retrieve(context.Background())
	require.Equal(t, dyvms.ErrorCodeSignatureDoesNotMatch, dyvms.CodeOf(err))
	assert.Contains(t, err.Error(), "server string to sign is:")
	for _, form := range []string{token, dyvms.SpecialURLEncode(token), dyvms.SpecialURLEncode(dyvms.SpecialURLEncode(token))} {
		assert.NotContains(t, err.Error(), form)
	}

	p.sts.FailNext(http.StatusBadRequest, "EntityNotExist.Role", "The role not exists: "+testRoleARN)
	_, err = (&dyvms.RAMRoleARNCredentialsProvider{Source: dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL}}).Retrieve(context.Background())
	assert.Equal(t, dyvms.ErrorCode("EntityNotExist.Role"), dyvms.CodeOf(err))
}

func TestExpiredTokenRetriedOnceWithFreshCredentials(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	cp, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:  dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL},
	})
	require.NoError(t, err)
	client := p.client(t, cp)
	ctx := context.Background()
	require.NoError(t, callTts(ctx, client, "o1"))
	old := p.sent()[0]

	// The service now refuses the cached credentials, though their
	// Expiration is an hour away: a call-placing Action is retried once,
	// with credentials the provider fetched anew, and runs once.
	p.sts.Expire(old[0])
	require.NoError(t, callTts(ctx, client, "o2"))
	sent := p.sent()
	require.Len(t, sent, 3)
	assert.Equal(t, old, sent[1], "the first attempt used the cached credentials")
	assert.NotEqual(t, old[0], sent[2][0], "the retry is signed with fresh ones")
	assert.Len(t, p.sts.Requests(), 2)
	assert.Equal(t, 2, p.api.Count("SingleCallByTts"))
}

func TestExpiredTokenWithoutFreshCredentialsIsFinal(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	role := &dyvms.RAMRoleARNCredentialsProvider{Source: dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL}}
	creds, err := role.Retrieve(context.Background())
	require.NoError(t, err)
	p.sts.Expire(creds.AccessKeyID)

	// A static provider has nothing newer: one attempt, the service's error.
	client := p.client(t, dyvms.NewStaticCredentialsProvider(creds.AccessKeyID, creds.AccessKeySecret, creds.SecurityToken))
	err = callTts(context.Background(), client, "o1")
	assert.Equal(t, dyvms.ErrorCodeInvalidSecurityTokenExpired, dyvms.CodeOf(err))
	assert.False(t, dyvms.IsAmbiguous(err))
	assert.Len(t, p.sent(), 1)
	assert.NotContains(t, err.Error(), creds.SecurityToken)

	// A provider that always hands out refused credentials is tried
	// twice at most: the retry happens once per call.
	var n int
	var mu sync.Mutex
	rotating := providerFunc(func(ctx context.Context) (dyvms.Credentials, error) {
		mu.Lock()
		n++
		mu.Unlock()
		c, err := role.Retrieve(ctx)
		if err == nil {
			p.sts.Expire(c.AccessKeyID)
		}
		return c, err
	})
	err = callTts(context.Background(), p.client(t, rotating), "o2")
	assert.Equal(t, dyvms.ErrorCodeInvalidSecurityTokenExpired, dyvms.CodeOf(err))
	assert.Equal(t, 2, n)
	assert.Equal(t, 0, p.api.Count("SingleCallByTts"))

	// With retries off, no retry either.
	err = callTts(context.Background(), p.client(t, rotating, dyvms.WithNoRetries()), "o3")
	assert.Equal(t, dyvms.ErrorCodeInvalidSecurityTokenExpired, dyvms.CodeOf(err))
	assert.Equal(t, 3, n)
}

type providerFunc func(context.Context) (dyvms.Credentials, error)

func (f providerFunc) Retrieve(ctx context.Context) (dyvms.Credentials, error) { return f(ctx) }

func TestCredentialsRetrievedPerAttempt(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	role := &dyvms.RAMRoleARNCredentialsProvider{Source: dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN: testRoleARN, STS: dyvms.STSConfig{Endpoint: p.sts.URL}}
	// A provider without a cache: every Retrieve assumes the role anew.
	client := p.client(t, role)
	p.api.InjectFault(dyvmstest.Fault{Action: "QueryCallDetailByCallId", Kind: dyvmstest.FaultServerError, Status: 503, Times: 1})
	_, err := client.QueryCallDetailByCallId(context.Background(), &dyvms.QueryCallDetailByCallIdRequest{
		CallID: "116012354148^102813780001", ProdID: 11000000300006, QueryDate: time.Now()})
	require.NoError(t, err)
	sent := p.sent()
	require.Len(t, sent, 2)
	assert.NotEqual(t, sent[0][0], sent[1][0], "the retry retrieved credentials again")
	assert.Len(t, p.sts.Requests(), 2)
}
