package dyvmstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
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
