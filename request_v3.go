package dyvms

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// requestEnv is what building a request needs of the client: where it
// goes, the clock, the nonce source and the User-Agent.
type requestEnv struct {
	endpoint string // scheme://host[:port], no trailing slash
	now      func() time.Time
	nonce    func() string
	uaHeader []string // User-Agent, shared by every request
}

// requestBuilder builds the signed request of one attempt and returns it
// with its signature.
type requestBuilder func(ctx context.Context, env *requestEnv, action string, params []param, creds Credentials) (*http.Request, string, error)

// newRequestV3 builds the request of an attempt signed with
// ACS3-HMAC-SHA256: POST to the endpoint with the Action's parameters in
// the query string and an empty body, the Action, version, date, nonce,
// payload hash and STS token in x-acs-* headers, all of them and the host
// signed. It returns the request and its signature. Only
// WithSignatureVersion(SignatureV3) refers to it, so a program signing
// with V2 alone does not link it.
func newRequestV3(ctx context.Context, c *requestEnv, action string, params []param, creds Credentials) (*http.Request, string, error) {
	ps := make([]param, len(params))
	copy(ps, params)
	sortParams(ps)
	qsize := 0
	for _, p := range ps {
		qsize += escapedLen(p.key) + escapedLen(p.value) + 2
	}
	u := make([]byte, 0, len(c.endpoint)+2+qsize)
	u = append(u, c.endpoint...)
	u = append(u, '/')
	if len(ps) > 0 {
		u = append(u, '?')
	}
	queryStart := len(u)
	u = appendQuery(u, ps)

	// Sorted by name, as the canonical headers must be.
	headers := make([]headerV3, 0, 7)
	headers = append(headers,
		headerV3{"host", endpointHost(c.endpoint)},
		headerV3{"x-acs-action", action},
		headerV3{"x-acs-content-sha256", emptyPayloadSHA256},
		headerV3{"x-acs-date", c.now().UTC().Format(timestampLayout)},
	)
	if creds.SecurityToken != "" {
		headers = append(headers, headerV3{"x-acs-security-token", creds.SecurityToken})
	}
	headers = append(headers,
		headerV3{"x-acs-signature-nonce", c.nonce()},
		headerV3{"x-acs-version", APIVersion},
	)
	signature := signV3(stringToSignV3(canonicalRequestV3(http.MethodPost, u[queryStart:], headers, emptyPayloadSHA256)), creds.AccessKeySecret)

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, string(u), http.NoBody)
	if err != nil {
		return nil, "", errorf("%s: building request: %v", action, err)
	}
	h := make(http.Header, 10)
	values := make([]string, len(headers))
	for i, sh := range headers[1:] { // Host is the request's own
		values[i] = sh.value
		h[wireNameV3[sh.name]] = values[i : i+1 : i+1]
	}
	values[len(values)-1] = authorizationV3(creds.AccessKeyID, headers, signature)
	h["Authorization"] = values[len(values)-1:]
	h["Accept"] = acceptJSON
	h["User-Agent"] = c.uaHeader
	req.Header = h
	return req, signature, nil
}

// wireNameV3 maps the signed x-acs-* header names to their canonical
// MIME form, so that building a request does not canonicalise them anew.
var wireNameV3 = map[string]string{
	"x-acs-action":          "X-Acs-Action",
	"x-acs-content-sha256":  "X-Acs-Content-Sha256",
	"x-acs-date":            "X-Acs-Date",
	"x-acs-security-token":  "X-Acs-Security-Token",
	"x-acs-signature-nonce": "X-Acs-Signature-Nonce",
	"x-acs-version":         "X-Acs-Version",
}

// acceptJSON is the Accept header of V3 requests.
var acceptJSON = []string{"application/json"}

// endpointHost returns the host[:port] of an endpoint scheme://host[:port],
// the Host header net/http sends for it.
func endpointHost(endpoint string) string {
	if i := strings.Index(endpoint, "://"); i >= 0 {
		return endpoint[i+3:]
	}
	return endpoint
}
