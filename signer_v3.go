package dyvms

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// SignatureVersion selects how a Client signs its requests.
type SignatureVersion int

// Signature versions.
const (
	// SignatureV2 is the RPC signature, HMAC-SHA1 over the sorted
	// parameters (SignatureVersion 1.0), the default. The AccessKeyId, the
	// Signature and an STS SecurityToken travel in the query string; the
	// Action's own parameters travel in a form body.
	SignatureV2 SignatureVersion = iota
	// SignatureV3 is ACS3-HMAC-SHA256: a SHA-256 canonical request signed
	// with HMAC-SHA256, sent in the Authorization header, with an STS token
	// in the x-acs-security-token header. No credential is in the URL. The
	// Action's parameters travel in the query string of a POST with an
	// empty body, as the official V3 clients send RPC Actions, and the
	// answer is JSON whatever WithFormat says.
	SignatureV3
)

// String returns "V2" or "V3".
func (v SignatureVersion) String() string {
	switch v {
	case SignatureV2:
		return "V2"
	case SignatureV3:
		return "V3"
	}
	return "SignatureVersion(" + strconv.Itoa(int(v)) + ")"
}

// WithSignatureVersion makes the client sign with v: SignatureV2 (the
// default) or SignatureV3. Everything else about a call (validation,
// retries, redaction, decoding) is the same for both.
func WithSignatureVersion(v SignatureVersion) Option {
	return func(o *options) {
		if v != SignatureV2 && v != SignatureV3 {
			o.fail(errorf("WithSignatureVersion(%v): want SignatureV2 or SignatureV3", v))
			return
		}
		o.signatureVersion = v
	}
}

// Constants of the ACS3-HMAC-SHA256 signature.
const (
	algorithmV3 = "ACS3-HMAC-SHA256"
	// emptyPayloadSHA256 is the hex SHA-256 of an empty body.
	emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// headerV3 is one signed header: its lower-case name and trimmed value.
type headerV3 struct {
	name, value string
}

// canonicalRequestV3 returns
//
//	METHOD \n / \n canonical query \n canonical headers \n signed headers \n payload hash
//
// where query is the canonical query string (sorted parameters, each name
// and value specialUrlEncoded), headers are sorted by name and each line
// is name:value\n, and signed headers are the names joined by ';'.
func canonicalRequestV3(method string, query []byte, headers []headerV3, payloadHash string) []byte {
	n := len(method) + len("\n/\n") + len(query) + 2 + len(payloadHash)
	for _, h := range headers {
		n += 2*len(h.name) + len(h.value) + 3
	}
	dst := make([]byte, 0, n)
	dst = append(dst, method...)
	dst = append(dst, "\n/\n"...)
	dst = append(dst, query...)
	dst = append(dst, '\n')
	for _, h := range headers {
		dst = append(dst, h.name...)
		dst = append(dst, ':')
		dst = append(dst, h.value...)
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	dst = appendSignedHeaders(dst, headers)
	dst = append(dst, '\n')
	return append(dst, payloadHash...)
}

// appendSignedHeaders appends the header names joined by ';'.
func appendSignedHeaders(dst []byte, headers []headerV3) []byte {
	for i, h := range headers {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, h.name...)
	}
	return dst
}

// stringToSignV3Len is len("ACS3-HMAC-SHA256\n") plus a hex SHA-256.
const stringToSignV3Len = len(algorithmV3) + 1 + 2*sha256.Size

// stringToSignV3 returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func stringToSignV3(canonicalRequest []byte) [stringToSignV3Len]byte {
	sum := sha256.Sum256(canonicalRequest)
	var dst [stringToSignV3Len]byte
	copy(dst[:], algorithmV3+"\n")
	hex.Encode(dst[len(algorithmV3)+1:], sum[:])
	return dst
}

// macStateV3 is a reusable HMAC-SHA256 keyed with one secret.
type macStateV3 struct {
	secret string
	mac    hash.Hash
	sum    [sha256.Size]byte
}

// macsV3 holds HMAC-SHA256 states for reuse across calls.
var macsV3 sync.Pool

// signV3 returns hex(HMAC-SHA256(secret, stringToSign)): the key is the
// AccessKeySecret itself, with no '&' appended as in V2. It reuses a pooled
// HMAC state when one was keyed with the same secret.
func signV3(stringToSign [stringToSignV3Len]byte, accessKeySecret string) string {
	st, _ := macsV3.Get().(*macStateV3)
	if st == nil || st.secret != accessKeySecret {
		st = &macStateV3{secret: accessKeySecret, mac: hmac.New(sha256.New, []byte(accessKeySecret))}
	} else {
		st.mac.Reset()
	}
	st.mac.Write(stringToSign[:])
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], st.mac.Sum(st.sum[:0]))
	macsV3.Put(st)
	return string(out[:])
}

// authorizationV3 returns the Authorization header's value.
func authorizationV3(accessKeyID string, headers []headerV3, signature string) string {
	dst := make([]byte, 0, 128+len(accessKeyID)+len(signature))
	dst = append(dst, algorithmV3+" Credential="...)
	dst = append(dst, accessKeyID...)
	dst = append(dst, ",SignedHeaders="...)
	dst = appendSignedHeaders(dst, headers)
	dst = append(dst, ",Signature="...)
	dst = append(dst, signature...)
	return string(dst)
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
