package dyvmstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// testEncode is the tests' own specialUrlEncode, built the legacy SDK's way
// (url.QueryEscape plus three replacements), so that neither the fake's
// encoder nor the SDK's signs the raw requests of these tests.
func testEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func testSign(method string, params map[string]string, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		q = append(q, testEncode(k)+"="+testEncode(params[k]))
	}
	sts := method + "&%2F&" + testEncode(strings.Join(q, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// rawReq describes a hand-made request.
type rawReq struct {
	method  string            // default POST
	format  string            // "" omits Format
	action  string            // default SingleCallByTts
	params  map[string]string // Action parameters
	common  map[string]string // overrides of common parameters ("" value deletes)
	secret  string            // signing secret; default the server's
	badSign bool              // send a wrong signature
}

// commonFor returns the common parameters of a fresh request.
func commonFor(srv *Server, action, format string) map[string]string {
	m := map[string]string{
		"AccessKeyId":      srv.AccessKeyID,
		"Action":           action,
		"RegionId":         "cn-hangzhou",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   uuid.NewString(),
		"SignatureVersion": "1.0",
		"Timestamp":        time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"Version":          "2017-05-25",
	}
	if format != "" {
		m["Format"] = format
	}
	return m
}

// build makes the signed *http.Request: POST with common parameters in the
// query and Action parameters in a form body, or GET with everything in
// the query.
func (rr rawReq) build(t *testing.T, srv *Server) *http.Request {
	t.Helper()
	if rr.method == "" {
		rr.method = http.MethodPost
	}
	if rr.action == "" {
		rr.action = "SingleCallByTts"
	}
	common := commonFor(srv, rr.action, rr.format)
	for k, v := range rr.common {
		if v == "" {
			delete(common, k)
		} else {
			common[k] = v
		}
	}
	all := map[string]string{}
	for k, v := range common {
		all[k] = v
	}
	for k, v := range rr.params {
		all[k] = v
	}
	secret := rr.secret
	if secret == "" {
		secret = srv.AccessKeySecret
	}
	sig := testSign(rr.method, all, secret)
	if rr.badSign {
		sig = testSign(rr.method, all, secret+"x")
	}
	q := url.Values{}
	for k, v := range common {
		q.Set(k, v)
	}
	q.Set("Signature", sig)
	body := url.Values{}
	for k, v := range rr.params {
		if rr.method == http.MethodGet {
			q.Set(k, v)
		} else {
			body.Set(k, v)
		}
	}
	var rd io.Reader
	if rr.method != http.MethodGet {
		rd = strings.NewReader(body.Encode())
	}
	req, err := http.NewRequest(rr.method, srv.URL+"/?"+q.Encode(), rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	root   string // XML root element; "" for JSON
	fields map[string]string
	raw    string
}

func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("sending: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(b), fields: map[string]string{}}
	s := strings.TrimSpace(string(b))
	switch {
	case strings.HasPrefix(s, "{"):
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("bad JSON %q: %v", s, err)
		}
		for k, v := range m {
			if str, ok := v.(string); ok {
				r.fields[k] = str
			} else {
				j, _ := json.Marshal(v)
				r.fields[k] = string(j)
			}
		}
	case strings.HasPrefix(s, "<"):
		var x struct {
			XMLName xml.Name
			Items   []struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			} `xml:",any"`
		}
		if err := xml.Unmarshal(b, &x); err != nil {
			t.Fatalf("bad XML %q: %v", s, err)
		}
		r.root = x.XMLName.Local
		for _, it := range x.Items {
			r.fields[it.XMLName.Local] = it.Text
		}
	default:
		t.Fatalf("body is neither JSON nor XML: %q", s)
	}
	return r
}

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}
