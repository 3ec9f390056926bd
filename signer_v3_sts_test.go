package dyvms_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/stretchr/testify/require"
)

// The credential chain applies to V3 unchanged: credentials assumed from
// a RAM role sign V3 requests, the issued AccessKeyId in Credential= and
// its token in x-acs-security-token, nothing of them in the URL, and the
// fake Dyvmsapi verifies the signature with the issued secret.
func TestRAMRoleARNWithSignatureV3(t *testing.T) {
	credsEnv(t)
	p := newSTSPair(t)
	cp, err := dyvms.NewRAMRoleARNCredentialsProvider(dyvms.RAMRoleARNCredentialsProvider{
		Source:          dyvms.NewStaticCredentialsProvider(dyvmstest.DefaultAccessKeyID, dyvmstest.DefaultAccessKeySecret, ""),
		RoleARN:         testRoleARN,
		RoleSessionName: "voice-v3",
		Duration:        30 * time.Minute,
		STS:             dyvms.STSConfig{Endpoint: p.sts.URL},
	})
	require.NoError(t, err)
	var mu sync.Mutex
	var headers []http.Header
	keep := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			headers = append(headers, r.Header.Clone())
			mu.Unlock()
			return next.RoundTrip(r)
		})
	}
	c := p.client(t, cp, dyvms.WithSignatureVersion(dyvms.SignatureV3), dyvms.WithMiddleware(keep))
	require.NoError(t, callTts(context.Background(), c, "v3-sts"))

	issued := p.sts.Issued()
	require.Len(t, issued, 1)
	reqs := p.api.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "ACS3-HMAC-SHA256", reqs[0].SignatureAlgorithm)
	require.Equal(t, [][2]string{{"", ""}}, p.sent(), "no AccessKeyId or SecurityToken in the URL")
	require.Len(t, headers, 1)
	require.True(t, strings.HasPrefix(headers[0].Get("Authorization"), "ACS3-HMAC-SHA256 Credential="+issued[0].AccessKeyID+","))
	require.Equal(t, "REDACTED", headers[0].Get("x-acs-security-token"), "a middleware sees the token sealed; the fake checked the real one")

	// Once the STS says the credentials expired, the fake refuses the V3
	// request signed with them as it refuses a V2 one, and the client
	// retries once with credentials assumed anew, signed with V3 again.
	p.sts.Expire(issued[0].AccessKeyID)
	require.NoError(t, callTts(context.Background(), c, "v3-sts-2"))
	issued = p.sts.Issued()
	require.Len(t, issued, 2)
	require.Len(t, headers, 3)
	require.True(t, strings.HasPrefix(headers[1].Get("Authorization"), "ACS3-HMAC-SHA256 Credential="+issued[0].AccessKeyID+","))
	require.True(t, strings.HasPrefix(headers[2].Get("Authorization"), "ACS3-HMAC-SHA256 Credential="+issued[1].AccessKeyID+","))
	require.Equal(t, "REDACTED", headers[2].Get("x-acs-security-token"))
	require.Equal(t, 2, p.api.Count("SingleCallByTts"))
}
