package dyvms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
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
