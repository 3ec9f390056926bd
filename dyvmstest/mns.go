package dyvmstest

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Queues is a fake of the receipt queues (the console's MNS mode): the
// Dybaseapi Action QueryTokenForMnsQueue, which hands out a queue's
// temporary credentials to a caller holding the account's AccessKey, and
// the MNS queue API a consumer uses with them (BatchReceiveMessage with
// long polling, BatchDeleteMessage), with visibility timeouts. Both are
// served at URL and check their signatures with the fake's own code: the
// POP signature of the Dybaseapi call, and the MNS signature and the
// security token of the queue calls.
//
// Fill a queue with Send, or let a Server put the receipts of the calls it
// places there (WithReceiptQueue).
type Queues struct {
	// URL is the base URL of both APIs, http://127.0.0.1:port.
	URL string
	// AccessKeyID and AccessKeySecret are the account key pair allowed to
	// ask for queue credentials.
	AccessKeyID, AccessKeySecret string

	srv *httptest.Server
	cfg queuesConfig

	mu       sync.Mutex
	tokens   map[string]queueToken // by temporary AccessKeyId
	queues   map[string]*fakeQueue
	changed  chan struct{} // closed and replaced when a message is sent
	requests map[string]int
}

type queuesConfig struct {
	keyID, secret string
	visibility    time.Duration
	tokenTTL      time.Duration
	onDelete      func(queue string, m QueueMessage)
}

// QueuesOption configures NewQueues.
type QueuesOption func(*queuesConfig)

// WithQueuesAccessKey sets the account key pair allowed to ask for queue
// credentials (default DefaultAccessKeyID and DefaultAccessKeySecret, as a
// Server's).
func WithQueuesAccessKey(accessKeyID, accessKeySecret string) QueuesOption {
	return func(c *queuesConfig) { c.keyID, c.secret = accessKeyID, accessKeySecret }
}

// WithVisibilityTimeout sets how long a received message stays invisible
// to other receives before it comes back, unless deleted (default 30 s, as
// the receipt queues).
func WithVisibilityTimeout(d time.Duration) QueuesOption {
	return func(c *queuesConfig) { c.visibility = d }
}

// WithQueueTokenTTL sets how long the temporary credentials handed out are
// valid (default one hour).
func WithQueueTokenTTL(d time.Duration) QueuesOption {
	return func(c *queuesConfig) { c.tokenTTL = d }
}

// WithDeleteHook calls f for each message as it is deleted, before the
// delete is answered: a test can check there that the message's receipt
// was delivered.
func WithDeleteHook(f func(queue string, m QueueMessage)) QueuesOption {
	return func(c *queuesConfig) { c.onDelete = f }
}

// QueueMessage is a message of a fake queue.
type QueueMessage struct {
	// ID is the MessageId.
	ID string
	// Body is the MessageBody as sent.
	Body string
	// DequeueCount is how many times it was received.
	DequeueCount int
}

type fakeQueue struct {
	messages []*queuedMessage
	deleted  int
}

type queuedMessage struct {
	QueueMessage
	enqueued  time.Time
	visibleAt time.Time
	handle    string
}

type queueToken struct {
	secret, token string
	expires       time.Time
}

// NewQueues starts the fake on a free loopback port. Close it when done.
func NewQueues(opts ...QueuesOption) *Queues {
	cfg := queuesConfig{keyID: DefaultAccessKeyID, secret: DefaultAccessKeySecret, visibility: 30 * time.Second, tokenTTL: time.Hour}
	for _, opt := range opts {
		opt(&cfg)
	}
	q := &Queues{
		AccessKeyID: cfg.keyID, AccessKeySecret: cfg.secret, cfg: cfg,
		tokens: map[string]queueToken{}, queues: map[string]*fakeQueue{},
		changed: make(chan struct{}), requests: map[string]int{},
	}
	q.srv = httptest.NewServer(http.HandlerFunc(q.serveHTTP))
	q.URL = q.srv.URL
	return q
}

// Close stops the fake, ending pending long polls.
func (q *Queues) Close() {
	q.srv.CloseClientConnections()
	q.srv.Close()
}

// Send puts a message with body into queue (created on first use) and
// returns its MessageId. Receipt queues hold the base64 of one JSON
// receipt; SendReceipt does that encoding.
func (q *Queues) Send(queue, body string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	fq := q.queue(queue)
	now := time.Now()
	m := &queuedMessage{QueueMessage: QueueMessage{ID: randomHex(16), Body: body}, enqueued: now, visibleAt: now}
	fq.messages = append(fq.messages, m)
	close(q.changed)
	q.changed = make(chan struct{})
	return m.ID
}

// SendReceipt puts one receipt (a JSON object) into queue, base64-encoded
// as the service writes it, and returns its MessageId.
func (q *Queues) SendReceipt(queue string, receiptJSON []byte) string {
	return q.Send(queue, base64.StdEncoding.EncodeToString(receiptJSON))
}

// RevokeTokens makes every temporary credential handed out so far invalid,
// as their expiry would: queue requests signed with them are refused with
// HTTP 403, and a consumer must ask for new ones.
func (q *Queues) RevokeTokens() {
	q.mu.Lock()
	defer q.mu.Unlock()
	clear(q.tokens)
}

// QueueStats is the state of one fake queue.
type QueueStats struct {
	// Visible is the number of messages a receive would get now.
	Visible int
	// InFlight is the number of received messages not yet deleted whose
	// visibility timeout has not passed.
	InFlight int
	// Deleted is the number of messages deleted so far.
	Deleted int
}

// Stats returns the state of queue.
func (q *Queues) Stats(queue string) QueueStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	fq := q.queue(queue)
	now := time.Now()
	s := QueueStats{Deleted: fq.deleted}
	for _, m := range fq.messages {
		if m.visibleAt.After(now) {
			s.InFlight++
		} else {
			s.Visible++
		}
	}
	return s
}

// Requests returns how many requests of each kind the fake accepted:
// "QueryTokenForMnsQueue", "BatchReceiveMessage", "BatchDeleteMessage".
func (q *Queues) Requests() map[string]int {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make(map[string]int, len(q.requests))
	for k, v := range q.requests {
		out[k] = v
	}
	return out
}

func (q *Queues) queue(name string) *fakeQueue {
	fq := q.queues[name]
	if fq == nil {
		fq = &fakeQueue{}
		q.queues[name] = fq
	}
	return fq
}

func (q *Queues) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/queues/") {
		q.serveMNS(w, r)
		return
	}
	q.serveQueryToken(w, r)
}

// serveQueryToken answers Dybaseapi QueryTokenForMnsQueue, signed with the
// account's AccessKey (POP signature, parameters in the query, the form
// body or both).
func (q *Queues) serveQueryToken(w http.ResponseWriter, r *http.Request) {
	params, err := popParams(r)
	switch {
	case err != nil:
		writeJSONError(w, http.StatusBadRequest, "InvalidParameter", err.Error())
	case params.Get("AccessKeyId") != q.cfg.keyID:
		writeJSONError(w, http.StatusBadRequest, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	case params.Get("Signature") != signString(stringToSign(r.Method, params), q.cfg.secret):
		writeJSONError(w, http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
	case params.Get("Action") != "QueryTokenForMnsQueue" || params.Get("Version") != "2017-05-25":
		writeJSONError(w, http.StatusBadRequest, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	case params.Get("MessageType") == "":
		writeJSONError(w, http.StatusBadRequest, "MissingMessageType", "MessageType is mandatory for this action.")
	default:
		q.issueToken(w)
	}
}

func popParams(r *http.Request) (url.Values, error) {
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	return params, nil
}

func (q *Queues) issueToken(w http.ResponseWriter) {
	id, tok := "STS.fake"+randomHex(8), queueToken{secret: randomHex(16), token: "fake-token-" + randomHex(24)}
	tok.expires = time.Now().Add(q.cfg.tokenTTL).Truncate(time.Second)
	q.mu.Lock()
	q.tokens[id] = tok
	q.requests["QueryTokenForMnsQueue"]++
	q.mu.Unlock()
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Write(marshalJSON(map[string]any{
		"RequestId": strings.ToUpper(randomHex(16)), "Code": "OK", "Message": "OK",
		"MessageTokenDTO": map[string]any{
			"AccessKeyId": id, "AccessKeySecret": tok.secret, "SecurityToken": tok.token,
			"CreateTime": local(time.Now()), "ExpireTime": local(tok.expires),
		},
	}))
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	w.Write(marshalJSON(map[string]any{"RequestId": strings.ToUpper(randomHex(16)), "Code": code, "Message": msg}))
}

// serveMNS answers the queue API: GET /queues/<name>/messages
// (BatchReceiveMessage) and DELETE /queues/<name>/messages
// (BatchDeleteMessage).
func (q *Queues) serveMNS(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/queues/"), "/messages")
	if !ok || name == "" || strings.Contains(name, "/") {
		writeMNSError(w, http.StatusNotFound, "InvalidRequestURL", "the request URL is not a queue's messages")
		return
	}
	if status, code, msg := q.authenticateMNS(r); status != 0 {
		writeMNSError(w, status, code, msg)
		return
	}
	switch r.Method {
	case http.MethodGet:
		q.batchReceive(w, r, name)
	case http.MethodDelete:
		q.batchDelete(w, r, name)
	default:
		writeMNSError(w, http.StatusMethodNotAllowed, "InvalidArgument", "method not supported")
	}
}

// authenticateMNS checks the version and Date headers, the Authorization
// header's signature against the temporary secret, and the security token.
func (q *Queues) authenticateMNS(r *http.Request) (int, string, string) {
	if r.Header.Get("x-mns-version") != "2015-06-06" {
		return http.StatusBadRequest, "MissingVersionHeader", "x-mns-version must be 2015-06-06"
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return http.StatusBadRequest, "InvalidDateHeader", "Date is not an HTTP date"
	}
	if d := time.Since(date); d > 15*time.Minute || d < -15*time.Minute {
		return http.StatusBadRequest, "TimeExpired", "Date is more than 15 minutes off"
	}
	id, sig, ok := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "MNS "), ":")
	if !ok || !strings.HasPrefix(r.Header.Get("Authorization"), "MNS ") {
		return http.StatusForbidden, "InvalidAuthorizationHeader", "Authorization is not MNS <AccessKeyId>:<Signature>"
	}
	q.mu.Lock()
	tok, known := q.tokens[id]
	q.mu.Unlock()
	switch {
	case !known:
		return http.StatusForbidden, "InvalidAccessKeyId", "the AccessKeyId is not a queue credential"
	case r.Header.Get("security-token") != tok.token:
		return http.StatusForbidden, "InvalidSecurityToken", "the security token does not match the AccessKeyId"
	case time.Now().After(tok.expires):
		return http.StatusForbidden, "SecurityTokenExpired", "the security token has expired"
	case !hmac.Equal([]byte(sig), []byte(mnsSignature(r, tok.secret))):
		return http.StatusForbidden, "SignatureDoesNotMatch", "the request signature does not match"
	}
	return 0, "", ""
}

// mnsSignature recomputes an MNS request's signature: base64(HMAC-SHA1 of
// VERB, Content-MD5, Content-Type, Date, the sorted x-mns-* headers and
// the resource, each line ended by "\n" but the last).
func mnsSignature(r *http.Request, secret string) string {
	var lines []string
	for name := range r.Header {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-mns-") {
			lines = append(lines, l+":"+strings.TrimSpace(r.Header.Get(name)))
		}
	}
	sort.Strings(lines)
	resource := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		resource += "?" + r.URL.RawQuery
	}
	s := r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" + r.Header.Get("Date") + "\n"
	for _, l := range lines {
		s += l + "\n"
	}
	s += resource
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

type xmlMessage struct {
	MessageID        string `xml:"MessageId"`
	ReceiptHandle    string `xml:"ReceiptHandle"`
	MessageBodyMD5   string `xml:"MessageBodyMD5"`
	MessageBody      string `xml:"MessageBody"`
	EnqueueTime      int64  `xml:"EnqueueTime"`
	NextVisibleTime  int64  `xml:"NextVisibleTime"`
	FirstDequeueTime int64  `xml:"FirstDequeueTime"`
	DequeueCount     int    `xml:"DequeueCount"`
	Priority         int    `xml:"Priority"`
}

// batchReceive takes up to numOfMessages visible messages, waiting up to
// waitseconds for the first one; none is 404 MessageNotExist.
func (q *Queues) batchReceive(w http.ResponseWriter, r *http.Request, name string) {
	n, err1 := strconv.Atoi(r.URL.Query().Get("numOfMessages"))
	wait, err2 := strconv.Atoi(orDefault(r.URL.Query().Get("waitseconds"), "0"))
	if err1 != nil || n < 1 || n > 16 || err2 != nil || wait < 0 || wait > 30 {
		writeMNSError(w, http.StatusBadRequest, "InvalidArgument", "numOfMessages must be 1 to 16 and waitseconds 0 to 30")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(wait)*time.Second)
	defer cancel()
	for {
		msgs, changed, next := q.take(name, n)
		if len(msgs) > 0 {
			writeXML(w, http.StatusOK, struct {
				XMLName  xml.Name     `xml:"http://mns.aliyuncs.com/doc/v1/ Messages"`
				Messages []xmlMessage `xml:"Message"`
			}{Messages: msgs})
			return
		}
		timer := time.NewTimer(next)
		select {
		case <-ctx.Done():
			timer.Stop()
			writeMNSError(w, http.StatusNotFound, "MessageNotExist", "Message not exist.")
			return
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// take receives up to n visible messages of queue name. With none it
// returns a channel closed on the next Send and how long until the
// earliest in-flight message becomes visible again.
func (q *Queues) take(name string, n int) ([]xmlMessage, <-chan struct{}, time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.requests["BatchReceiveMessage"]++
	fq := q.queue(name)
	now := time.Now()
	next := time.Second
	var out []xmlMessage
	for _, m := range fq.messages {
		if m.visibleAt.After(now) {
			next = min(next, m.visibleAt.Sub(now))
			continue
		}
		if len(out) == n {
			break
		}
		m.DequeueCount++
		m.visibleAt = now.Add(q.cfg.visibility)
		m.handle = m.ID + "-" + randomHex(8)
		out = append(out, xmlMessage{
			MessageID: m.ID, ReceiptHandle: m.handle, MessageBodyMD5: md5Hex(m.Body), MessageBody: m.Body,
			EnqueueTime: m.enqueued.UnixMilli(), NextVisibleTime: m.visibleAt.UnixMilli(), FirstDequeueTime: now.UnixMilli(),
			DequeueCount: m.DequeueCount, Priority: 8,
		})
	}
	return out, q.changed, max(next, time.Millisecond)
}

// batchDelete deletes the messages whose current receipt handles are
// listed. A handle that is not current (its message came back and was
// received anew, or is gone) is reported in an Errors answer; the others
// are deleted all the same, as MNS does.
func (q *Queues) batchDelete(w http.ResponseWriter, r *http.Request, name string) {
	var req struct {
		Handles []string `xml:"ReceiptHandle"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || xml.Unmarshal(body, &req) != nil || len(req.Handles) == 0 || len(req.Handles) > 16 {
		writeMNSError(w, http.StatusBadRequest, "MalformedXML", "the body is not 1 to 16 ReceiptHandles")
		return
	}
	bad := q.remove(name, req.Handles)
	if len(bad) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	type xmlErr struct {
		ErrorCode     string `xml:"ErrorCode"`
		ErrorMessage  string `xml:"ErrorMessage"`
		ReceiptHandle string `xml:"ReceiptHandle"`
	}
	out := struct {
		XMLName xml.Name `xml:"http://mns.aliyuncs.com/doc/v1/ Errors"`
		Errors  []xmlErr `xml:"Error"`
	}{}
	for _, h := range bad {
		out.Errors = append(out.Errors, xmlErr{ErrorCode: "ReceiptHandleError", ErrorMessage: "The receipt handle you provide is not valid.", ReceiptHandle: h})
	}
	writeXML(w, http.StatusNotFound, out)
}

// remove deletes the messages of the current handles and returns the
// handles that were not current.
func (q *Queues) remove(name string, handles []string) (bad []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.requests["BatchDeleteMessage"]++
	fq := q.queue(name)
	now := time.Now()
	for _, h := range handles {
		i := slices.IndexFunc(fq.messages, func(m *queuedMessage) bool { return m.handle == h && m.visibleAt.After(now) })
		if i < 0 {
			bad = append(bad, h)
			continue
		}
		if q.cfg.onDelete != nil {
			q.cfg.onDelete(name, fq.messages[i].QueueMessage)
		}
		fq.messages = slices.Delete(fq.messages, i, i+1)
		fq.deleted++
	}
	return bad
}

func writeMNSError(w http.ResponseWriter, status int, code, msg string) {
	writeXML(w, status, struct {
		XMLName   xml.Name `xml:"http://mns.aliyuncs.com/doc/v1/ Error"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
		RequestID string   `xml:"RequestId"`
		HostID    string   `xml:"HostId"`
	}{Code: code, Message: msg, RequestID: randomHex(12), HostID: "http://127.0.0.1"})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.Header().Set("x-mns-request-id", randomHex(12))
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	w.Write(b)
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
