package dyvms

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression (issue 12 point 15): an ECS answer whose Expiration has
// passed used to be accepted, and the cache then asked the metadata
// service again on every call.
func TestECSRAMRoleRefusesExpiredAnswer(t *testing.T) {
	relClearEnv(t)
	m := newRelIMDS(t, "my-role")
	m.expiration.Store(time.Now().Add(-time.Minute).UTC().Format(time.RFC3339))
	_, err := (&ECSRAMRoleCredentialsProvider{RoleName: "my-role", Endpoint: m.URL}).Retrieve(context.Background())
	require.ErrorIs(t, err, ErrCredentialsExpired)
	assert.ErrorContains(t, err, `ECS RAM role "my-role" credentials`)
	assert.NotContains(t, err.Error(), "ecs-secret")
	assert.NotContains(t, err.Error(), "ecs-token")
}

// A cache never keeps credentials already expired, whatever the provider,
// so it does not refresh on every call.
func TestCachedProviderRefusesExpiredCredentials(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	inner := fixedProvider{AccessKeyID: "STS.old", AccessKeySecret: "old-secret-0001", SecurityToken: "old-token-0001", Expiration: clock.now().Add(-time.Second)}
	cp := NewCachedCredentialsProvider(inner, 0)
	cp.now = clock.now
	_, err := cp.Retrieve(context.Background())
	assert.ErrorIs(t, err, ErrCredentialsExpired)
	assert.NotContains(t, err.Error(), "old-secret-0001")
	assert.NotContains(t, err.Error(), "old-token-0001")
}

// fixedProvider always returns itself.
type fixedProvider Credentials

func (p fixedProvider) Retrieve(context.Context) (Credentials, error) { return Credentials(p), nil }

func TestCachedProviderInvalidate(t *testing.T) {
	clock := &relClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	inner := &relCountingProvider{ttl: time.Hour, now: clock.now}
	cp := NewCachedCredentialsProvider(inner, 0)
	cp.now = clock.now
	ctx := context.Background()
	first, err := cp.Retrieve(ctx)
	require.NoError(t, err)

	cp.Invalidate(Credentials{AccessKeyID: "other"})
	c, _ := cp.Retrieve(ctx)
	assert.Equal(t, first.AccessKeyID, c.AccessKeyID, "credentials that were not refused stay")

	cp.Invalidate(first)
	c, err = cp.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AK0002", c.AccessKeyID, "refused credentials are fetched anew at once")

	// Through a chain and a profile provider too.
	chain := NewChainCredentialsProvider(NewEnvCredentialsProvider(), cp)
	chain.Invalidate(c)
	c, _ = cp.Retrieve(ctx)
	assert.Equal(t, "AK0003", c.AccessKeyID)
}

func TestURICredentialsProvider(t *testing.T) {
	relClearEnv(t)
	var calls atomic.Int32
	var answer atomic.Value
	answer.Store(`{"Code":"Success","AccessKeyId":"STS.URI0001","AccessKeySecret":"uri-secret-0001","SecurityToken":"uri-token-0001","Expiration":%q}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodGet || r.URL.Query().Get("access") != "agent-key-42" {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		body := answer.Load().(string)
		if strings.Contains(body, "%q") {
			body = fmt.Sprintf(body, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	t.Setenv(EnvCredentialsURI, srv.URL+"/creds?access=agent-key-42")

	// Through the default chain into a signed call.
	api := newRecorder(t, relOK)
	client, err := NewClient(WithEndpoint(api.srv.URL), WithDefaultCredentialsChain())
	require.NoError(t, err)
	require.NoError(t, relQueryDetail(context.Background(), client))
	require.NoError(t, relQueryDetail(context.Background(), client))
	api.mu.Lock()
	for _, r := range api.reqs {
		all := url.Values{}
		for k, v := range r.all() {
			all.Set(k, v)
		}
		assert.Equal(t, "STS.URI0001", all.Get("AccessKeyId"))
		assert.Equal(t, "uri-token-0001", all.Get("SecurityToken"))
		assert.Equal(t, Sign("POST", all, "uri-secret-0001"), all.Get("Signature"), "signed with the endpoint's secret")
	}
	assert.Len(t, api.reqs, 2)
	api.mu.Unlock()
	assert.Equal(t, int32(1), calls.Load(), "cached")
	assert.NotContains(t, fmt.Sprint(client.creds), "agent-key-42", "the URI's query is not printed")

	p := &URICredentialsProvider{URI: srv.URL + "/creds?access=agent-key-42"}
	answer.Store(`{"Code":"Success","AccessKeyId":"STS.URI0001","AccessKeySecret":"uri-secret-0001","SecurityToken":"uri-token-0001","Expiration":"2020-01-01T00:00:00Z"}`)
	_, err = p.Retrieve(context.Background())
	assert.ErrorIs(t, err, ErrCredentialsExpired)
	answer.Store(`{"Code":"Failed","AccessKeyId":"x"}`)
	_, err = p.Retrieve(context.Background())
	assert.ErrorContains(t, err, `Code "Failed"`)
	_, err = (&URICredentialsProvider{URI: srv.URL + "/creds?access=wrong-key-77"}).Retrieve(context.Background())
	assert.ErrorContains(t, err, "HTTP 403")
	assert.NotContains(t, err.Error(), "wrong-key-77")

	_, err = NewURICredentialsProvider("http://creds.example.com/x")
	assert.ErrorContains(t, err, "plain http on a non-loopback host")
	_, err = NewURICredentialsProvider("http://127.0.0.1:1/x?token=secret-in-uri")
	require.NoError(t, err)
	_, err = (&URICredentialsProvider{URI: "http://127.0.0.1:1/x?token=secret-in-uri"}).Retrieve(context.Background())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-in-uri")
}

// Every new provider type prints redacted with every verb, wrapped in a
// cache or not.
func TestNewProvidersPrintRedacted(t *testing.T) {
	relClearEnv(t)
	const secret, token = "base-secret-must-not-print", "base-token-must-not-print"
	base := NewStaticCredentialsProvider("LTAIbase0001", secret, token)
	role := &RAMRoleARNCredentialsProvider{Source: base, RoleARN: "acs:ram::1:role/r", ExternalID: "ext", Policy: "{}"}
	oidc := &OIDCCredentialsProvider{RoleARN: "acs:ram::1:role/r", OIDCProviderARN: "acs:ram::1:oidc-provider/p", OIDCTokenFile: "/var/run/token"}
	uri := &URICredentialsProvider{URI: "http://127.0.0.1:9/creds?token=" + token}
	cached := NewCachedCredentialsProvider(role, 0)
	cached.creds, cached.have = Credentials{AccessKeyID: "STS.cached", AccessKeySecret: secret, SecurityToken: token}, true
	for _, v := range []any{role, oidc, uri, *role, *oidc, *uri} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%t", "%10.3v"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range []string{secret, token, fmt.Sprintf("%x", secret), fmt.Sprintf("%x", token)} {
				assert.NotContains(t, out, s, "%T with %s", v, verb)
			}
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, cached)
		assert.NotContains(t, out, secret, verb)
		assert.NotContains(t, out, token, verb)
		assert.Contains(t, out, "RAMRoleARNCredentialsProvider", verb)
	}
}

func TestRegularFileOnlyAndContext(t *testing.T) {
	dir := t.TempDir()
	_, err := readRegularFile(context.Background(), dir, 100)
	assert.ErrorContains(t, err, "is not a regular file")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = readRegularFile(ctx, dir, 100)
	assert.ErrorIs(t, err, context.Canceled)
	path := relWriteProfile(t, strings.Repeat("x", 101))
	_, err = readRegularFile(context.Background(), path, 100)
	assert.ErrorContains(t, err, "larger than 100 bytes")
}
