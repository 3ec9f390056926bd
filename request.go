package dyvms

import (
	"bytes"
	"context"
	"net/http"
)

// newRequest builds the signed HTTP request: POST to the endpoint with the
// common parameters and the Signature in the query string and the Action's
// own parameters in an application/x-www-form-urlencoded body. The
// signature covers both, as the RPC gateway expects. A large parameter
// (a callee list of hundreds of KB) therefore never meets a URL length limit,
// and phone numbers stay out of URLs and proxy logs. With SignatureV3 the
// request is built by newRequestV3 (c.buildV3) instead.
func (c *Client) newRequest(ctx context.Context, action string, params []param, creds Credentials) (*http.Request, string, error) {
	if c.buildV3 != nil {
		return c.buildV3(ctx, &c.requestEnv, action, params, creds)
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
