package dyvmstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// The fake recomputes the POP signature with its own code, written from the
// catalogue's description of the algorithm (common.json), never with the
// SDK's signer: a bug shared by the two could otherwise hide.

// javaURLEncode percent-encodes s as java.net.URLEncoder.encode(s, "UTF-8")
// does: letters, digits and ". - * _" stay, a space becomes '+', every other
// UTF-8 byte becomes %XX with upper-case hex.
func javaURLEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 3)
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0x0f])
		}
	}
	return b.String()
}

// percentEncode is the signature's specialUrlEncode: Java URLEncoder, then
// '+' → %20, '*' → %2A and %7E → '~'.
func percentEncode(s string) string {
	e := javaURLEncode(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// canonicalQuery is the sorted, encoded query string of params, without
// Signature.
func canonicalQuery(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		for _, v := range params[k] {
			pairs = append(pairs, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return strings.Join(pairs, "&")
}

// stringToSign is METHOD&%2F&percentEncode(canonicalQuery(params)).
func stringToSign(method string, params url.Values) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params))
}

// signString is Base64(HMAC-SHA1(secret + "&", sts)).
func signString(sts, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Signature V3 (ACS3-HMAC-SHA256), recomputed from the pseudocode of the
// Alibaba Cloud documentation ("Request syntax and signature method V3"):
//
//	CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n
//	                   CanonicalHeaders \n SignedHeaders \n HashedRequestPayload
//	StringToSign     = "ACS3-HMAC-SHA256" \n hex(SHA-256(CanonicalRequest))
//	Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//
// The canonical headers are those the Authorization header's SignedHeaders
// names, lower-cased and trimmed; the query parameters are sorted and
// encoded as for V2.

// algorithmV3 is the only V3 signature algorithm the fake accepts.
const algorithmV3 = "ACS3-HMAC-SHA256"

// authorizationV3 is a parsed Authorization header.
type authorizationV3 struct {
	algorithm     string
	accessKeyID   string
	signedHeaders []string
	signature     string
}

// isV3 reports whether r is signed with signature V3: it carries an
// Authorization header (a V2 request never does).
func isV3(r *http.Request) bool { return r.Header.Get("Authorization") != "" }

// parseAuthorizationV3 parses
// "ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex".
func parseAuthorizationV3(h string) (authorizationV3, bool) {
	var a authorizationV3
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, false
	}
	a.algorithm = alg
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.accessKeyID != "" && len(a.signedHeaders) > 0 && a.signature != ""
}

// headerValueV3 is a header's canonical value: its values trimmed, sorted
// and joined by ','. host is the request's Host.
func headerValueV3(r *http.Request, name string) string {
	if name == "host" {
		return r.Host
	}
	vs := append([]string(nil), r.Header.Values(name)...)
	for i := range vs {
		vs[i] = strings.TrimSpace(vs[i])
	}
	sort.Strings(vs)
	return strings.Join(vs, ",")
}

// canonicalRequestV3 builds the canonical request of r from the headers
// its Authorization signs and the x-acs-content-sha256 it declares.
func canonicalRequestV3(r *http.Request, query url.Values, signed []string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n/\n" + canonicalQueryV3(query) + "\n")
	for _, name := range signed {
		b.WriteString(name + ":" + headerValueV3(r, name) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + r.Header.Get("x-acs-content-sha256"))
	return b.String()
}

// canonicalQueryV3 is the sorted, encoded query string: every parameter,
// a Signature parameter included (V3 has none of its own).
func canonicalQueryV3(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		for _, v := range query[k] {
			pairs = append(pairs, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return strings.Join(pairs, "&")
}

// stringToSignV3 is "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func stringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algorithmV3 + "\n" + hex.EncodeToString(sum[:])
}

// signStringV3 is hex(HMAC-SHA256(secret, sts)).
func signStringV3(sts, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(sts))
	return hex.EncodeToString(mac.Sum(nil))
}

// requiredSignedV3 are the headers every V3 request must sign.
var requiredSignedV3 = []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
	"x-acs-signature-nonce", "x-acs-version"}

func incompleteSignature(why string) *apiError {
	return gatewayErr(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. "+why)
}

// checkSignedHeadersV3 checks that the signed-header list is lower case,
// sorted, and covers the host, every required header and every x-acs-*
// header the request carries.
func checkSignedHeadersV3(r *http.Request, signed []string) *apiError {
	if !sort.StringsAreSorted(signed) {
		return incompleteSignature("SignedHeaders is not sorted.")
	}
	set := map[string]bool{}
	for _, n := range signed {
		if n != strings.ToLower(n) || n == "" {
			return incompleteSignature("SignedHeaders must be lower-case header names.")
		}
		set[n] = true
	}
	for _, n := range requiredSignedV3 {
		if !set[n] {
			return incompleteSignature("Header " + n + " is not signed.")
		}
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") && !set[n] {
			return incompleteSignature("Header " + n + " is not signed.")
		}
	}
	return nil
}

// authenticateV3 runs the gateway's checks of a V3 request, in the
// gateway's order, and returns the Action. It sets params' Action and
// Version from the x-acs-action and x-acs-version headers, and records
// nothing of the Authorization or x-acs-security-token headers.
func (s *Server) authenticateV3(r *http.Request, query, params url.Values, body []byte) (*catalog.Action, *apiError) {
	auth, ok := parseAuthorizationV3(r.Header.Get("Authorization"))
	if !ok {
		return nil, incompleteSignature("The Authorization header is malformed.")
	}
	if auth.algorithm != algorithmV3 {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not supported.")
	}
	for _, h := range [...]struct{ header, param string }{
		{"x-acs-action", "Action"}, {"x-acs-version", "Version"},
		{"x-acs-signature-nonce", "SignatureNonce"}, {"x-acs-date", "Timestamp"},
	} {
		if r.Header.Get(h.header) == "" {
			return nil, missing(h.param)
		}
	}
	params.Set("Action", r.Header.Get("x-acs-action"))
	params.Set("Version", r.Header.Get("x-acs-version"))
	action, aerr := checkActionAndVersion(params)
	if aerr != nil {
		return nil, aerr
	}
	now := time.Now()
	if aerr := checkRequestTime(r.Header.Get("x-acs-date"), now); aerr != nil {
		return nil, aerr
	}
	secret, tokenErr, aerr := s.secretFor(auth.accessKeyID, r.Header.Get("x-acs-security-token"))
	if aerr != nil {
		return nil, aerr
	}
	if aerr := checkSignedHeadersV3(r, auth.signedHeaders); aerr != nil {
		return nil, aerr
	}
	sum := sha256.Sum256(body)
	if r.Header.Get("x-acs-content-sha256") != hex.EncodeToString(sum[:]) {
		return nil, incompleteSignature("x-acs-content-sha256 is not the SHA-256 of the body.")
	}
	sts := stringToSignV3(canonicalRequestV3(r, query, auth.signedHeaders))
	if !hmac.Equal([]byte(signStringV3(sts, secret)), []byte(auth.signature)) {
		return nil, gatewayErr(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+sts)
	}
	if tokenErr != nil {
		return nil, tokenErr
	}
	if aerr := s.useNonce(auth.accessKeyID, r.Header.Get("x-acs-signature-nonce"), now); aerr != nil {
		return nil, aerr
	}
	if aerr := checkActionParams(action, params); aerr != nil {
		return nil, aerr
	}
	return action, nil
}
