// Package fake is the loopback Dyvmsapi server every contender of the
// benchmarks calls: it verifies the POP signature of every request (GET or
// POST, parameters in the query, the form body or both) and answers
// SingleCallByTts with the service's JSON body. It is kept minimal so that
// it costs every contender the same, small, amount.
package fake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dyvms/dyvms-go/benchmarks/internal/bare"
)

// Body is the SingleCallByTts success answer.
const Body = `{"RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23","CallId":"116012354148^10281378****","Code":"OK","Message":"OK"}`

// Handler is the fake's http.Handler.
type Handler struct {
	accessKeyID, secret string
	// Verified and Rejected count the requests whose signature (and common
	// parameters) checked out, and those that did not.
	Verified, Rejected atomic.Int64
	// LastReject is the reason of the latest rejection, for test messages.
	LastReject atomic.Value
}

// NewHandler returns a handler that accepts requests signed with the given
// AccessKey. GET StatsPath answers "verified rejected" counts.
func NewHandler(accessKeyID, secret string) *Handler {
	return &Handler{accessKeyID: accessKeyID, secret: secret}
}

// StatsPath is where the handler reports its counts.
const StatsPath = "/__stats"

// Server is a fake running in this process. Close it when done.
type Server struct {
	*httptest.Server
	*Handler
}

// New starts a fake on 127.0.0.1 in this process.
func New(accessKeyID, secret string) *Server {
	h := NewHandler(accessKeyID, secret)
	return &Server{Server: httptest.NewServer(h), Handler: h}
}

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

var (
	body        = []byte(Body)
	bodyLen     = strconv.Itoa(len(Body))
	contentType = []string{"application/json;charset=utf-8"}
	requestID   = []string{"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23"}
)

// ServeHTTP implements http.Handler.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == StatsPath {
		io.WriteString(w, strconv.FormatInt(s.Verified.Load(), 10)+" "+strconv.FormatInt(s.Rejected.Load(), 10))
		return
	}
	bp := bufs.Get().(*[]byte)
	defer bufs.Put(bp)
	buf := (*bp)[:0]
	if r.Method == http.MethodPost {
		var err error
		buf, err = readAll(buf, io.LimitReader(r.Body, 4<<20))
		*bp = buf
		if err != nil {
			s.reject(w, "reading body: "+err.Error())
			return
		}
	}
	if reason := s.verify(r.Method, r.URL.RawQuery, string(buf)); reason != "" {
		s.reject(w, reason)
		return
	}
	s.Verified.Add(1)
	h := w.Header()
	h["Content-Type"] = contentType
	h["Content-Length"] = []string{bodyLen}
	h["X-Acs-Request-Id"] = requestID
	w.Write(body)
}

func readAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

func (s *Handler) reject(w http.ResponseWriter, reason string) {
	s.Rejected.Add(1)
	s.LastReject.Store(reason)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, `{"RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23","Code":"SignatureDoesNotMatch","Message":`+strconv.Quote(reason)+`}`)
}

// verify checks one request and returns why it is refused, or "".
func (s *Handler) verify(method, query, form string) string {
	ps := make([]bare.KV, 0, 24)
	var err error
	if ps, err = appendParams(ps, query); err != nil {
		return "bad query: " + err.Error()
	}
	if ps, err = appendParams(ps, form); err != nil {
		return "bad form body: " + err.Error()
	}
	var sig string
	get := func(k string) string {
		for _, p := range ps {
			if p.K == k {
				return p.V
			}
		}
		return ""
	}
	j := 0
	for i, p := range ps {
		for _, q := range ps[:i] {
			if q.K == p.K {
				return "parameter " + p.K + " repeated"
			}
		}
		if p.K == "Signature" {
			sig = p.V
			continue
		}
		ps[j] = p
		j++
	}
	ps = ps[:j]
	switch {
	case sig == "":
		return "missing Signature"
	case get("AccessKeyId") != s.accessKeyID:
		return "unknown AccessKeyId"
	case get("Action") != "SingleCallByTts":
		return "unexpected Action " + get("Action")
	case get("Version") != "2017-05-25":
		return "unexpected Version"
	case get("SignatureMethod") != "HMAC-SHA1" || get("SignatureVersion") != "1.0":
		return "unexpected SignatureMethod or SignatureVersion"
	case get("SignatureNonce") == "":
		return "missing SignatureNonce"
	case get("CalledNumber") == "" || get("TtsCode") == "":
		return "missing CalledNumber or TtsCode"
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", get("Timestamp"))
	if err != nil {
		return "bad Timestamp"
	}
	if d := time.Since(ts); d > 15*time.Minute || d < -15*time.Minute {
		return "Timestamp out of range"
	}
	if want := bare.Sign(method, ps, s.secret); sig != want {
		return "SignatureDoesNotMatch"
	}
	return ""
}

// appendParams parses an application/x-www-form-urlencoded string.
func appendParams(ps []bare.KV, s string) ([]bare.KV, error) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := unescape(k)
		if err != nil {
			return nil, err
		}
		if v, err = unescape(v); err != nil {
			return nil, err
		}
		ps = append(ps, bare.KV{K: k, V: v})
	}
	return ps, nil
}

func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}
