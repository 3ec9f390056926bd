package interop

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// capture is a Middleware that keeps a copy of every request the SDK sends.
type capture struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

// transport records each request as it goes on the wire, below the SDK's
// middleware (which only ever sees the Signature and token sealed).
func (c *capture) transport(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		c.mu.Lock()
		c.reqs = append(c.reqs, r.Clone(context.Background()))
		c.body = append(c.body, string(b))
		c.mu.Unlock()
		return next.RoundTrip(r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var hardTTS = map[string]string{"code": "1234", "product": "阿里云 语音*~+&=/%"}

// The SDK's two signers give, for the requests it sends, the very
// signatures the official Darabonba utilities compute for them
// (GetAuthorization for V3, GetRPCSignature for V2).
func TestSDKSignersMatchOfficialUtilities(t *testing.T) {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	for _, v := range []dyvms.SignatureVersion{dyvms.SignatureV2, dyvms.SignatureV3} {
		var cp capture
		c, err := srv.Client(dyvms.WithSignatureVersion(v), dyvms.WithSecurityToken("STS.interop-token-0123"),
			dyvms.WithHTTPClient(&http.Client{Transport: cp.transport(http.DefaultTransport)}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
			CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
			TtsParam: hardTTS, OutID: "interop-sign", PlayTimes: 2,
		})
		if err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if len(cp.reqs) != 1 {
			t.Fatalf("%v: %d requests", v, len(cp.reqs))
		}
		r := cp.reqs[0]
		if v == dyvms.SignatureV3 {
			checkV3AgainstDarabonba(t, r, srv.AccessKeyID, srv.AccessKeySecret)
		} else {
			checkV2AgainstDarabonba(t, r, cp.body[0], srv.AccessKeySecret)
		}
	}
}

func checkV3AgainstDarabonba(t *testing.T, r *http.Request, keyID, secret string) {
	t.Helper()
	req := dara.NewRequest()
	req.Method = dara.String(r.Method)
	req.Pathname = dara.String(r.URL.Path)
	req.Query = map[string]*string{}
	for k, vs := range r.URL.Query() {
		req.Query[k] = dara.String(vs[0])
	}
	req.Headers = map[string]*string{"host": dara.String(r.URL.Host)}
	for k, vs := range r.Header {
		req.Headers[strings.ToLower(k)] = dara.String(vs[0])
	}
	want := openapiutil.GetAuthorization(req, dara.String("ACS3-HMAC-SHA256"), dara.String(r.Header.Get("x-acs-content-sha256")),
		dara.String(keyID), dara.String(secret))
	if got := r.Header.Get("Authorization"); got != dara.StringValue(want) {
		t.Fatalf("V3 Authorization\n got %s\nwant %s", got, dara.StringValue(want))
	}
	if r.Header.Get("x-acs-security-token") != "STS.interop-token-0123" || r.URL.Query().Get("CalledNumber") != "13900001234" {
		t.Fatalf("V3 request %v %v", r.Header, r.URL.Query())
	}
}

func checkV2AgainstDarabonba(t *testing.T, r *http.Request, body, secret string) {
	t.Helper()
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	signed := map[string]*string{}
	for k, vs := range r.URL.Query() {
		if k != "Signature" {
			signed[k] = dara.String(vs[0])
		}
	}
	for k, vs := range form {
		signed[k] = dara.String(vs[0])
	}
	want := openapiutil.GetRPCSignature(signed, dara.String(r.Method), dara.String(secret))
	if got := r.URL.Query().Get("Signature"); got != dara.StringValue(want) {
		t.Fatalf("V2 Signature %s, want %s", got, dara.StringValue(want))
	}
}
