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
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// queueCreds asks the fake for a queue's temporary credentials with a
// hand-signed Dybaseapi request.
func queueCreds(t *testing.T, q *Queues, secret string) (status int, dto map[string]string) {
	t.Helper()
	p := map[string]string{
		"AccessKeyId": q.AccessKeyID, "Action": "QueryTokenForMnsQueue", "Format": "JSON", "RegionId": "cn-hangzhou",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.NewString(), "SignatureVersion": "1.0",
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "Version": "2017-05-25",
		"MessageType": "VoiceReport", "QueueName": "Q",
	}
	p["Signature"] = testSign("GET", p, secret)
	v := url.Values{}
	for k, s := range p {
		v.Set(k, s)
	}
	resp, err := http.Get(q.URL + "/?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Code            string
		MessageTokenDTO map[string]string
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body.MessageTokenDTO
}

// mnsRequest builds a queue request signed with secret and carrying token.
func mnsRequest(t *testing.T, q *Queues, method, resource, body, keyID, secret, token string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, q.URL+resource, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("x-mns-version", "2015-06-06")
	r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if token != "" {
		r.Header.Set("security-token", token)
	}
	// The documented string to sign, built here independently of the fake.
	sts := method + "\n\n\n" + r.Header.Get("Date") + "\nx-mns-version:2015-06-06\n" + resource
	r.Header.Set("Authorization", "MNS "+keyID+":"+testHMAC(sts, secret))
	return r
}

// testHMAC is base64(HMAC-SHA1(secret, s)).
func testHMAC(s, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func doMNS(t *testing.T, r *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type receivedMessages struct {
	Messages []struct {
		MessageID     string `xml:"MessageId"`
		ReceiptHandle string `xml:"ReceiptHandle"`
		MessageBody   string `xml:"MessageBody"`
		DequeueCount  int    `xml:"DequeueCount"`
	} `xml:"Message"`
}

func TestQueuesTokenNeedsTheAccountSignature(t *testing.T) {
	q := NewQueues()
	defer q.Close()
	if status, _ := queueCreds(t, q, "wrong"); status != http.StatusBadRequest {
		t.Fatalf("wrong secret: HTTP %d", status)
	}
	status, dto := queueCreds(t, q, q.AccessKeySecret)
	if status != http.StatusOK || !strings.HasPrefix(dto["AccessKeyId"], "STS.") || dto["AccessKeySecret"] == "" || dto["SecurityToken"] == "" {
		t.Fatalf("HTTP %d, %v", status, dto)
	}
	if _, err := time.ParseInLocation("2006-01-02 15:04:05", dto["ExpireTime"], time.FixedZone("CST", 8*3600)); err != nil {
		t.Fatalf("ExpireTime %q: %v", dto["ExpireTime"], err)
	}
}

func TestQueuesChecksSignatureAndToken(t *testing.T) {
	q := NewQueues()
	defer q.Close()
	_, dto := queueCreds(t, q, q.AccessKeySecret)
	id, secret, token := dto["AccessKeyId"], dto["AccessKeySecret"], dto["SecurityToken"]
	const res = "/queues/Q/messages?numOfMessages=1&waitseconds=0"
	for name, tc := range map[string]struct {
		r    *http.Request
		code string
	}{
		"wrong secret": {mnsRequest(t, q, "GET", res, "", id, "wrong", token), "SignatureDoesNotMatch"},
		"wrong token":  {mnsRequest(t, q, "GET", res, "", id, secret, "other"), "InvalidSecurityToken"},
		"no token":     {mnsRequest(t, q, "GET", res, "", id, secret, ""), "InvalidSecurityToken"},
		"unknown key":  {mnsRequest(t, q, "GET", res, "", "STS.nobody", secret, token), "InvalidAccessKeyId"},
	} {
		status, body := doMNS(t, tc.r)
		if status != http.StatusForbidden || !strings.Contains(body, "<Code>"+tc.code+"</Code>") {
			t.Errorf("%s: HTTP %d %s", name, status, body)
		}
	}
	status, body := doMNS(t, mnsRequest(t, q, "GET", res, "", id, secret, token))
	if status != http.StatusNotFound || !strings.Contains(body, "<Code>MessageNotExist</Code>") {
		t.Fatalf("empty queue: HTTP %d %s", status, body)
	}
	q.RevokeTokens()
	if status, body := doMNS(t, mnsRequest(t, q, "GET", res, "", id, secret, token)); status != http.StatusForbidden {
		t.Fatalf("revoked token: HTTP %d %s", status, body)
	}
}

// A received message is invisible until its visibility timeout passes,
// then comes back with a new receipt handle; the old handle no longer
// deletes it; the new one does.
func TestQueuesVisibilityTimeoutAndDelete(t *testing.T) {
	q := NewQueues(WithVisibilityTimeout(100 * time.Millisecond))
	defer q.Close()
	_, dto := queueCreds(t, q, q.AccessKeySecret)
	id, secret, token := dto["AccessKeyId"], dto["AccessKeySecret"], dto["SecurityToken"]
	q.SendReceipt("Q", []byte(`{"call_id":"1^1"}`))
	const res = "/queues/Q/messages?numOfMessages=16&waitseconds=0"
	receive := func() (int, receivedMessages) {
		status, body := doMNS(t, mnsRequest(t, q, "GET", res, "", id, secret, token))
		var m receivedMessages
		if status == http.StatusOK {
			if err := xml.Unmarshal([]byte(body), &m); err != nil {
				t.Fatal(err)
			}
		}
		return status, m
	}
	status, first := receive()
	if status != 200 || len(first.Messages) != 1 || first.Messages[0].DequeueCount != 1 || first.Messages[0].MessageBody != "eyJjYWxsX2lkIjoiMV4xIn0=" {
		t.Fatalf("first receive: %d %+v", status, first)
	}
	if status, _ := receive(); status != http.StatusNotFound {
		t.Fatalf("in flight, received again: HTTP %d", status)
	}
	time.Sleep(150 * time.Millisecond)
	status, second := receive()
	if status != 200 || second.Messages[0].DequeueCount != 2 || second.Messages[0].ReceiptHandle == first.Messages[0].ReceiptHandle {
		t.Fatalf("after the timeout: %d %+v", status, second)
	}
	del := func(handle string) (int, string) {
		body := `<ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>` + handle + `</ReceiptHandle></ReceiptHandles>`
		return doMNS(t, mnsRequest(t, q, "DELETE", "/queues/Q/messages", body, id, secret, token))
	}
	if status, body := del(first.Messages[0].ReceiptHandle); status != http.StatusNotFound || !strings.Contains(body, "ReceiptHandleError") {
		t.Fatalf("stale handle: HTTP %d %s", status, body)
	}
	if status, body := del(second.Messages[0].ReceiptHandle); status != http.StatusNoContent {
		t.Fatalf("current handle: HTTP %d %s", status, body)
	}
	if s := q.Stats("Q"); s != (QueueStats{Deleted: 1}) {
		t.Fatalf("stats %+v", s)
	}
}

// A long poll on an empty queue returns as soon as a message arrives.
func TestQueuesLongPoll(t *testing.T) {
	q := NewQueues()
	defer q.Close()
	_, dto := queueCreds(t, q, q.AccessKeySecret)
	go func() {
		time.Sleep(50 * time.Millisecond)
		q.Send("Q", "aGVsbG8=")
	}()
	status, body := doMNS(t, mnsRequest(t, q, "GET", "/queues/Q/messages?numOfMessages=16&waitseconds=10", "", dto["AccessKeyId"], dto["AccessKeySecret"], dto["SecurityToken"]))
	if status != http.StatusOK || !strings.Contains(body, "<MessageBody>aGVsbG8=</MessageBody>") {
		t.Fatalf("HTTP %d %s", status, body)
	}
}
