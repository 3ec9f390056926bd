package dyvms

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPrintVerbsNeverShowSecrets: every fmt verb, with flags, on *Client,
// Credentials and every credential provider (values and pointers, alone and
// inside a struct) prints neither the secret nor the token, in any form.
func TestPrintVerbsNeverShowSecrets(t *testing.T) {
	const secret, token = "fmtSecretNeverPrinted0123", "fmtTokenNeverPrinted4567"
	creds := Credentials{AccessKeyID: "LTAIfmt0001", AccessKeySecret: secret, SecurityToken: token, Expiration: fixedTime}
	static := NewStaticCredentialsProvider("LTAIfmt0001", secret, token)
	cfg := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"current":"p","profiles":[{"name":"p","mode":"StsToken","access_key_id":"LTAIfmt0001","access_key_secret":"`+secret+`","sts_token":"`+token+`"}]}`), 0o600))
	profile := NewProfileCredentialsProvider(cfg, "p")
	cached := NewCachedCredentialsProvider(static, time.Minute)
	chain := NewChainCredentialsProvider(static, profile)
	t.Setenv(EnvAccessKeyID, "LTAIfmt0001")
	t.Setenv(EnvAccessKeySecret, secret)
	t.Setenv(EnvSecurityToken, token)
	env := NewEnvCredentialsProvider()
	ecs := &ECSRAMRoleCredentialsProvider{RoleName: "role"}
	arn := &RAMRoleARNCredentialsProvider{Source: static, RoleARN: "acs:ram::1:role/r"}
	oidc := &OIDCCredentialsProvider{RoleARN: "acs:ram::1:role/r"}
	uri := &URICredentialsProvider{URI: "http://127.0.0.1:1/creds"}
	for _, p := range []CredentialsProvider{static, profile, cached, chain, env} {
		got, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		require.Equal(t, secret, got.AccessKeySecret)
	}
	client, err := NewClient(WithCredentialsProvider(cached), WithEndpoint("http://127.0.0.1:1"))
	require.NoError(t, err)
	staticClient, err := NewClient(WithAccessKey("LTAIfmt0001", secret), WithSecurityToken(token))
	require.NoError(t, err)

	values := map[string]any{
		"Credentials": creds, "*Credentials": &creds,
		"*Static": static, "Static": *static,
		"*Profile": profile, "*Cached": cached,
		"*Chain": chain, "Chain": *chain,
		"*Env": env, "Env": *env, "*ECS": ecs, "ECS": *ecs,
		"*Client": client, "*Client(static)": staticClient,
		"*RAMRoleARN": arn, "RAMRoleARN": *arn, "*OIDC": oidc, "OIDC": *oidc, "*URI": uri, "URI": *uri,
		"struct": struct {
			C Credentials
			P *StaticCredentialsProvider
			S StaticCredentialsProvider
			K *Client
		}{creds, static, *static, staticClient},
		"slice": []any{creds, static, cached, client},
	}
	verbs := []string{"%s", "%q", "%d", "%t", "%x", "%X", "%v", "%+v", "%#v", "%10s", "%-40q", "%08d", "% x", "%#x", "%+q", "%e", "%b", "%o", "%U", "%c"}
	forms := []string{secret, token, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret))),
		hex.EncodeToString([]byte(token)), strings.ToUpper(hex.EncodeToString([]byte(token))), secret[:12], token[:12]}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			for _, f := range forms {
				require.NotContains(t, out, f, "%s printed with %s: %s", name, verb, out)
			}
			// hex with spaces (% x) splits bytes: check the secret's first bytes.
			require.NotContains(t, out, "66 6d 74 53 65 63", "%s printed with %s", name, verb)
		}
	}
	require.Contains(t, fmt.Sprintf("%v", creds), "LTAI****")
	require.Contains(t, fmt.Sprintf("%s", client), "http://127.0.0.1:1")
}
