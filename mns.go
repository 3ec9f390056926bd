package dyvms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The receipt queue is an MNS queue (Simple Message Queue) that the
// service writes receipts into, one queue per message type. This file is
// the small part of the MNS REST API a consumer needs: receive a batch of
// messages with long polling, delete a batch by receipt handle, each
// request signed with the queue's temporary credentials.

// mnsVersion is the MNS REST API version every request names.
const mnsVersion = "2015-06-06"

// mnsMaxBody bounds an MNS answer: 16 messages of at most 64 KB each, and
// their XML.
const mnsMaxBody = 4 << 20

// mnsCredentials are the queue's temporary credentials.
type mnsCredentials struct {
	accessKeyID, accessKeySecret, securityToken string
}

// mnsStringToSign is the string an MNS request signs:
//
//	VERB\nContent-MD5\nContent-Type\nDate\nCanonicalizedMNSHeaders + CanonicalizedResource
//
// where CanonicalizedMNSHeaders is every x-mns-* header, name lower-cased,
// sorted, as "name:value\n", and CanonicalizedResource the path and query.
func mnsStringToSign(method string, header http.Header, resource string) string {
	var mnsHeaders []string
	for name, values := range header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-mns-") && len(values) > 0 {
			mnsHeaders = append(mnsHeaders, lower+":"+strings.TrimSpace(values[0]))
		}
	}
	sort.Strings(mnsHeaders)
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(header.Get("Content-MD5"))
	b.WriteByte('\n')
	b.WriteString(header.Get("Content-Type"))
	b.WriteByte('\n')
	b.WriteString(header.Get("Date"))
	b.WriteByte('\n')
	for _, h := range mnsHeaders {
		b.WriteString(h)
		b.WriteByte('\n')
	}
	b.WriteString(resource)
	return b.String()
}

// mnsSign is base64(HMAC-SHA1(secret, stringToSign)).
func mnsSign(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// mnsMessage is one message of a BatchReceiveMessage answer.
type mnsMessage struct {
	MessageID      string `xml:"MessageId"`
	ReceiptHandle  string `xml:"ReceiptHandle"`
	MessageBodyMD5 string `xml:"MessageBodyMD5"`
	MessageBody    string `xml:"MessageBody"`
	EnqueueTime    int64  `xml:"EnqueueTime"`
	DequeueCount   int64  `xml:"DequeueCount"`
}

type mnsMessages struct {
	Messages []mnsMessage `xml:"Message"`
}

// mnsErrorBody is the XML error answer of MNS.
type mnsErrorBody struct {
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

// mnsClient sends signed MNS requests to one queue.
type mnsClient struct {
	endpoint string // scheme://host[:port]
	queue    string
	http     *http.Client
	now      func() time.Time
	// sealed says that http passes requests through middleware, which
	// must see them sealed (sealed.go).
	sealed bool
}

// errMNSNoMessage is an empty queue at the end of a long poll.
var errMNSNoMessage = errors.New("no message")

// receive asks for up to n messages, waiting up to wait seconds for the
// first one. An empty queue is errMNSNoMessage.
func (m *mnsClient) receive(ctx context.Context, creds mnsCredentials, n, wait int) ([]mnsMessage, error) {
	resource := "/queues/" + url.PathEscape(m.queue) + "/messages?numOfMessages=" + strconv.Itoa(n) + "&waitseconds=" + strconv.Itoa(wait)
	body, err := m.do(ctx, creds, http.MethodGet, resource, nil)
	if err != nil {
		return nil, err
	}
	var msgs mnsMessages
	if err := xml.Unmarshal(body, &msgs); err != nil {
		red := newRedactor(creds.accessKeySecret, creds.securityToken)
		return nil, newError("BatchReceiveMessage", http.StatusOK, nil, red).notEnvelope("malformed answer: "+err.Error(), body, red)
	}
	return msgs.Messages, nil
}

// delete deletes the messages of the given receipt handles. A handle that
// is no longer valid (its message became visible again and was received
// anew) is not an error of the others.
func (m *mnsClient) delete(ctx context.Context, creds mnsCredentials, handles []string) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/">`)
	for _, h := range handles {
		b.WriteString("<ReceiptHandle>")
		xml.EscapeText(&b, []byte(h))
		b.WriteString("</ReceiptHandle>")
	}
	b.WriteString("</ReceiptHandles>")
	_, err := m.do(ctx, creds, http.MethodDelete, "/queues/"+url.PathEscape(m.queue)+"/messages", b.Bytes())
	return err
}

// do sends one signed request and returns the body of a 2xx answer.
func (m *mnsClient) do(ctx context.Context, creds mnsCredentials, method, resource string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, m.endpoint+resource, bytes.NewReader(body))
	if err != nil {
		return nil, errorf("MNS %s: building request: %v", method, err)
	}
	req.Header.Set("x-mns-version", mnsVersion)
	req.Header.Set("Date", m.now().UTC().Format(http.TimeFormat))
	if len(body) > 0 {
		req.Header.Set("Content-Type", "text/xml;charset=utf-8")
	}
	if creds.securityToken != "" {
		req.Header.Set("security-token", creds.securityToken)
	}
	signature := mnsSign(mnsStringToSign(method, req.Header, resource), creds.accessKeySecret)
	req.Header.Set("Authorization", "MNS "+creds.accessKeyID+":"+signature)
	action := "BatchReceiveMessage"
	if method == http.MethodDelete {
		action = "BatchDeleteMessage"
	}
	red := newRedactor(creds.accessKeySecret, creds.securityToken, signature)
	if m.sealed { // the client has middleware: it sees the request sealed
		sctx, seal := newSealedAttempt(withAttemptInfo(ctx, AttemptInfo{Action: action, Attempt: 1}), red, mnsMaxBody)
		req = req.WithContext(sctx)
		seal.seal(req, red)
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return nil, &TransportError{Action: action, Err: red.sanitizeTransportError(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, mnsMaxBody+1))
	if err != nil {
		return nil, &TransportError{Action: action, Err: red.sanitizeTransportError(err)}
	}
	if len(data) > mnsMaxBody {
		return nil, &TransportError{Action: action, Err: fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, mnsMaxBody)}
	}
	if resp.StatusCode/100 == 2 {
		return data, nil
	}
	return nil, mnsError(action, resp.StatusCode, data, red)
}

// mnsError turns an MNS error answer into an *Error; an empty queue is
// errMNSNoMessage.
func mnsError(action string, status int, body []byte, red redactor) error {
	e := newError(action, status, nil, red)
	var x mnsErrorBody
	if xml.Unmarshal(body, &x) != nil || x.Code == "" {
		return e.notEnvelope("no MNS error envelope", body, red)
	}
	if x.Code == "MessageNotExist" {
		return errMNSNoMessage
	}
	e.Code, e.Message, e.RequestID, e.HostID = ErrorCode(x.Code), red.redact(x.Message), x.RequestID, x.HostID
	return e
}
