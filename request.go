package dyvms

import (
	"bytes"
	"context"
	"net/http"
	"strings"
)

// newRequest builds the signed HTTP request: POST to the endpoint with the
// common parameters and the Signature in the query string and the Action's
// own parameters in an application/x-www-form-urlencoded body. The
// signature covers both, as the RPC gateway expects. A large parameter
// (a callee list of hundreds of KB) therefore never meets a URL length limit,
// and phone numbers stay out of URLs and proxy logs. With SignatureV3 the
// request is built by newRequestV3 instead.
func (c *Client) newRequest(ctx context.Context, action string, params []param, creds Credentials) (*http.Request, string, error) {
	if c.signatureVersion == SignatureV3 {
		return c.newRequestV3(ctx, action, params, creds)
	}
	common := make([]param, 0, 10+len(params))
	common = append(common,
		param{"AccessKeyId", creds.AccessKeyID},
		param{"Action", action},
		param{"Format", string(c.format)},
		param{"RegionId", c.region},
		param{"SignatureMethod", signatureMethod},
		param{"SignatureNonce", c.nonce()},
		param{"SignatureVersion", signatureVersion},
		param{"Timestamp", c.now().UTC().Format(timestampLayout)},
		param{"Version", APIVersion},
	)
	if creds.SecurityToken != "" {
		common = append(common, param{"SecurityToken", creds.SecurityToken})
	}
	all := append(common, params...)
	sortParams(all)
	signature := signBytes(stringToSign("POST", all), creds.AccessKeySecret)

	// The query holds the common parameters, the body the others (a
	// request never sets a common parameter: buildParams refuses it). Size
	// each buffer for its own part: a large TtsParam belongs to the body.
	qsize, bsize := 0, 0
	for _, p := range all {
		if n := escapedLen(p.key) + escapedLen(p.value) + 2; commonParams[p.key] {
			qsize += n
		} else {
			bsize += n
		}
	}
	u := make([]byte, 0, len(c.endpoint)+2+qsize+len("&Signature=")+escapedLen(signature))
	u = append(u, c.endpoint...)
	u = append(u, "/?"...)
	body := make([]byte, 0, bsize)
	for _, p := range all {
		if commonParams[p.key] {
			u = appendPair(u, p)
		} else {
			body = appendPair(body, p)
		}
	}
	u = append(u, "Signature="...)
	u = appendEscaped(u, signature)
	if len(body) > 0 {
		body = body[:len(body)-1] // the last '&'
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, string(u), bytes.NewReader(body))
	if err != nil {
		return nil, "", errorf("%s: building request: %v", action, err)
	}
	req.Header = http.Header{"Content-Type": formContentType, "User-Agent": c.uaHeader}
	return req, signature, nil
}

// newRequestV3 builds the request of an attempt signed with
// ACS3-HMAC-SHA256: POST to the endpoint with the Action's parameters in
// the query string and an empty body, the Action, version, date, nonce,
// payload hash and STS token in x-acs-* headers, all of them and the host
// signed. It returns the request and its signature.
func (c *Client) newRequestV3(ctx context.Context, action string, params []param, creds Credentials) (*http.Request, string, error) {
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
