// Package bare is the floor of the benchmarks: a SingleCallByTts call made
// with nothing but net/http, encoding/json and a minimal POP signer, the
// least a hand-written client must do for each call. Nothing here is
// configurable; it exists to be measured against.
package bare

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// KV is one request parameter, unencoded.
type KV struct{ K, V string }

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

const hexUpper = "0123456789ABCDEF"

// appendEscaped appends specialUrlEncode(s): every byte but A-Z a-z 0-9 - _ . ~
// as %XX.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hexUpper[c>>4], hexUpper[c&15])
		}
	}
	return dst
}

// appendEscapedTwice appends specialUrlEncode(specialUrlEncode(s)) in one pass.
func appendEscapedTwice(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', '2', '5', hexUpper[c>>4], hexUpper[c&15])
		}
	}
	return dst
}

// Sign returns the POP (RPC, HMAC-SHA1, version 1.0) signature of a request
// with the given method and parameters (none of them Signature):
// base64(HMAC-SHA1(secret+"&", METHOD&%2F&enc(sorted k=v pairs joined by &))).
// The string-to-sign is written in one buffer, escaping twice in one pass.
func Sign(method string, ps []KV, secret string) string {
	sorted := make([]KV, len(ps))
	copy(sorted, ps)
	slices.SortFunc(sorted, func(a, b KV) int { return strings.Compare(a.K, b.K) })
	n := len(method) + 5 + 6*len(sorted)
	for _, p := range sorted {
		for _, s := range [2]string{p.K, p.V} {
			n += len(s)
			for i := 0; i < len(s); i++ {
				if !unreserved(s[i]) {
					n += 4
				}
			}
		}
	}
	sts := make([]byte, 0, n)
	sts = append(sts, method...)
	sts = append(sts, "&%2F&"...)
	for i, p := range sorted {
		if i > 0 {
			sts = append(sts, "%26"...)
		}
		sts = appendEscapedTwice(sts, p.K)
		sts = append(sts, "%3D"...)
		sts = appendEscapedTwice(sts, p.V)
	}
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write(sts)
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
}

// SignValues is Sign over url.Values (first value of each key, Signature
// left out), for comparison with signers that take url.Values.
func SignValues(method string, v url.Values, secret string) string {
	ps := make([]KV, 0, len(v))
	for k, vs := range v {
		if k != "Signature" && len(vs) > 0 {
			ps = append(ps, KV{k, vs[0]})
		}
	}
	return Sign(method, ps, secret)
}

// AppendPairs appends the pairs k=v joined by '&', specialUrlEncoded.
func AppendPairs(dst []byte, ps []KV) []byte {
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendEscaped(dst, p.K)
		dst = append(dst, '=')
		dst = appendEscaped(dst, p.V)
	}
	return dst
}

// Response is the SingleCallByTts answer.
type Response struct {
	RequestID string `json:"RequestId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	CallID    string `json:"CallId"`
}

// Request is the SingleCallByTts input, as plain values.
type Request struct {
	CalledNumber, CalledShowNumber, TtsCode string
	TtsParam                                map[string]string
	PlayTimes, Volume, Speed                int
	OutID                                   string
}

// Client calls SingleCallByTts with the minimum of work.
type Client struct {
	Endpoint    string // scheme://host[:port]
	AccessKeyID string
	Secret      string
	HTTPClient  *http.Client
}

func nonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// SingleCallByTts is one call: POST with the common parameters and the
// Signature in the query and the Action's parameters in the form body, the
// same layout as dyvms-go, decoded into a four-field struct.
func (c *Client) SingleCallByTts(ctx context.Context, r *Request) (*Response, error) {
	tts, err := json.Marshal(r.TtsParam)
	if err != nil {
		return nil, err
	}
	common := [...]KV{
		{"AccessKeyId", c.AccessKeyID},
		{"Action", "SingleCallByTts"},
		{"Format", "JSON"},
		{"RegionId", "cn-hangzhou"},
		{"SignatureMethod", "HMAC-SHA1"},
		{"SignatureNonce", nonce()},
		{"SignatureVersion", "1.0"},
		{"Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z")},
		{"Version", "2017-05-25"},
	}
	action := [...]KV{
		{"CalledNumber", r.CalledNumber},
		{"CalledShowNumber", r.CalledShowNumber},
		{"OutId", r.OutID},
		{"PlayTimes", strconv.Itoa(r.PlayTimes)},
		{"Speed", strconv.Itoa(r.Speed)},
		{"TtsCode", r.TtsCode},
		{"TtsParam", string(tts)},
		{"Volume", strconv.Itoa(r.Volume)},
	}
	all := append(common[:], action[:]...)
	sig := Sign(http.MethodPost, all, c.Secret)

	u := make([]byte, 0, 512)
	u = append(u, c.Endpoint...)
	u = append(u, "/?"...)
	u = AppendPairs(u, common[:])
	u = append(u, "&Signature="...)
	u = appendEscaped(u, sig)
	body := AppendPairs(make([]byte, 0, 3*len(tts)+256), action[:])

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, string(u), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, data)
	}
	out := new(Response)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, err
	}
	if out.Code != "OK" {
		return nil, errors.New(out.Code + ": " + out.Message)
	}
	return out, nil
}
