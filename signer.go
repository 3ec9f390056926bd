package dyvms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"sort"
	"sync"
)

// Signature constants of the Alibaba Cloud RPC (POP) signature, version 1.0.
const (
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
	timestampLayout  = "2006-01-02T15:04:05Z"
)

// param is one request parameter, name and value unencoded.
type param struct {
	key, value string
}

// sortParams sorts params by key, by byte value, as the POP signature wants
// (Java's TreeMap ordering for ASCII keys).
func sortParams(ps []param) {
	sort.Sort(byKey(ps))
}

// byKey sorts params by key. It uses package sort, which every net/http
// program links already, rather than a generic instantiation of its own:
// that keeps a one-call binary within a few percent of a bare net/http one.
type byKey []param

func (p byKey) Len() int           { return len(p) }
func (p byKey) Less(i, j int) bool { return p[i].key < p[j].key }
func (p byKey) Swap(i, j int)      { p[i], p[j] = p[j], p[i] }

// unreserved reports whether b is left as is by specialUrlEncode:
// A-Z, a-z, 0-9, '-', '_', '.', '~'.
func unreserved(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == '-' || b == '_' || b == '.' || b == '~'
}

const upperHex = "0123456789ABCDEF"

// appendEscaped appends specialUrlEncode(s) to dst: the UTF-8 bytes of s
// percent-encoded with upper-case hex, every byte but the unreserved ones
// encoded (so a space is %20, '*' is %2A and '~' stays '~').
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
	}
	return dst
}

// escapedLen is len(appendEscaped(nil, s)).
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n += 2
		}
	}
	return n
}

// SpecialURLEncode is the POP percent-encoding ("specialUrlEncode"): Java's
// URLEncoder over UTF-8 with '+' replaced by %20, '*' by %2A and %7E by '~'.
// Only A-Z, a-z, 0-9, '-', '_', '.' and '~' stay literal.
func SpecialURLEncode(s string) string {
	return string(appendEscaped(make([]byte, 0, escapedLen(s)), s))
}

// appendQuery appends ps as key=value pairs joined by '&', each key and
// value specialUrlEncoded. Over sorted params without Signature, it is the
// canonical query string the signature covers; over any params, it is a
// valid query string or form body.
func appendQuery(dst []byte, ps []param) []byte {
	for _, p := range ps {
		dst = appendPair(dst, p)
	}
	if len(ps) > 0 {
		dst = dst[:len(dst)-1] // the last '&'
	}
	return dst
}

// appendPair appends specialUrlEncoded key=value and a '&'.
func appendPair(dst []byte, p param) []byte {
	dst = appendEscaped(dst, p.key)
	dst = append(dst, '=')
	dst = appendEscaped(dst, p.value)
	return append(dst, '&')
}

// stringToSign returns METHOD&%2F&specialUrlEncode(canonical query of ps),
// ps sorted and without Signature. It is written in one pass into a buffer
// of the exact size: specialUrlEncode applied twice leaves an unreserved
// byte as it is and turns any other byte into %25XX, and the '=' and '&'
// of the canonical query become %3D and %26.
func stringToSign(method string, ps []param) []byte {
	n := len(method) + len("&%2F&")
	for i, p := range ps {
		n += escapedTwiceLen(p.key) + len("%3D") + escapedTwiceLen(p.value)
		if i > 0 {
			n += len("%26")
		}
	}
	dst := make([]byte, 0, n)
	dst = append(dst, method...)
	dst = append(dst, "&%2F&"...)
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, "%26"...)
		}
		dst = appendEscapedTwice(dst, p.key)
		dst = append(dst, "%3D"...)
		dst = appendEscapedTwice(dst, p.value)
	}
	return dst
}

// appendEscapedTwice appends specialUrlEncode(specialUrlEncode(s)) to dst.
func appendEscapedTwice(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', '2', '5', upperHex[c>>4], upperHex[c&15])
	}
	return dst
}

// escapedTwiceLen is len(appendEscapedTwice(nil, s)).
func escapedTwiceLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n += 4
		}
	}
	return n
}

// macState is a reusable HMAC-SHA1 state keyed with one secret.
type macState struct {
	secret string
	mac    hash.Hash
	sum    [sha1.Size]byte
}

// macStates holds *macState values for reuse, so that signing allocates
// no HMAC state when the same secret signs again.
var macStates sync.Pool

// signBytes returns base64(HMAC-SHA1(secret + "&", stringToSign)), reusing
// a pooled HMAC state when it was keyed with the same secret. It is the
// one signer: every request and Sign use it.
func signBytes(stringToSign []byte, accessKeySecret string) string {
	st, _ := macStates.Get().(*macState)
	if st == nil || st.secret != accessKeySecret {
		key := make([]byte, 0, len(accessKeySecret)+1)
		key = append(key, accessKeySecret...)
		key = append(key, '&')
		st = &macState{secret: accessKeySecret, mac: hmac.New(sha1.New, key)}
	} else {
		st.mac.Reset()
	}
	st.mac.Write(stringToSign)
	var out [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(out[:], st.mac.Sum(st.sum[:0]))
	macStates.Put(st)
	return string(out[:])
}

// paramsFromValues turns url.Values into sorted params, dropping Signature
// and using the first value of a repeated key.
func paramsFromValues(v url.Values) []param {
	ps := make([]param, 0, len(v))
	for k, vs := range v {
		if k == "Signature" || len(vs) == 0 {
			continue
		}
		ps = append(ps, param{k, vs[0]})
	}
	sortParams(ps)
	return ps
}

// CanonicalQuery returns the sorted, specialUrlEncoded query string of
// params that the POP signature covers: every parameter but Signature.
func CanonicalQuery(params url.Values) string {
	ps := paramsFromValues(params)
	n := 0
	for _, p := range ps {
		n += escapedLen(p.key) + escapedLen(p.value) + 2
	}
	return string(appendQuery(make([]byte, 0, n), ps))
}

// StringToSign returns the POP string-to-sign for a request with the given
// HTTP method and parameters (common and action parameters together, lists
// already flattened): METHOD + "&%2F&" + specialUrlEncode(CanonicalQuery).
// It holds no secret, so it is safe to print when a server answers
// SignatureDoesNotMatch and returns its own string-to-sign for comparison.
func StringToSign(method string, params url.Values) string {
	return string(stringToSign(method, paramsFromValues(params)))
}

// Sign returns the POP signature of a request: the base64 HMAC-SHA1 of
// StringToSign(method, params) keyed with accessKeySecret + "&".
func Sign(method string, params url.Values, accessKeySecret string) string {
	return signBytes(stringToSign(method, paramsFromValues(params)), accessKeySecret)
}
