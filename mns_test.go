package dyvms

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The MNS documentation's worked example of a request signature.
func TestMNSSignatureDocumentedExample(t *testing.T) {
	h := http.Header{}
	h.Set("Date", "Thu, 09 Jul 2015 03:01:34 GMT")
	h.Set("x-mns-version", "2015-06-06")
	sts := mnsStringToSign("GET", h, "/MyQueue")
	assert.Equal(t, "GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue", sts)
	assert.Equal(t, "uwx3yeWoILzgmvesW0BQSgfM7b8=", mnsSign(sts, "TestAccessSecret"))
}

// Content-MD5 and Content-Type take their lines; x-mns-* headers are
// lower-cased and sorted; other headers (the security token) are not signed.
func TestMNSStringToSignHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Date", "D")
	h.Set("Content-Type", "text/xml")
	h.Set("Content-MD5", "M")
	h.Set("X-MNS-Version", "2015-06-06")
	h.Set("x-mns-a", " v ")
	h.Set("security-token", "secret-token")
	assert.Equal(t, "DELETE\nM\ntext/xml\nD\nx-mns-a:v\nx-mns-version:2015-06-06\n/queues/q/messages",
		mnsStringToSign("DELETE", h, "/queues/q/messages"))
}

func TestMNSErrorAnswers(t *testing.T) {
	red := newRedactor("tmp-secret", "tmp-token")
	err := mnsError("BatchReceiveMessage", 404, []byte(`<?xml version="1.0"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>MessageNotExist</Code><Message>Message not exist.</Message><RequestId>R1</RequestId><HostId>H</HostId></Error>`), red)
	assert.ErrorIs(t, err, errMNSNoMessage)

	err = mnsError("BatchDeleteMessage", 403, []byte(`<Error><Code>SignatureDoesNotMatch</Code><Message>sig tmp-token</Message><RequestId>R2</RequestId><HostId>H</HostId></Error>`), red)
	var e *Error
	assert.ErrorAs(t, err, &e)
	assert.Equal(t, ErrorCode("SignatureDoesNotMatch"), e.Code)
	assert.Equal(t, "R2", e.RequestID)
	assert.Equal(t, 403, e.HTTPStatus)
	assert.NotContains(t, err.Error(), "tmp-token")

	err = mnsError("BatchReceiveMessage", 502, []byte(`<html>bad gateway tmp-secret</html>`), red)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.NotContains(t, err.Error(), "tmp-secret")
	assert.ErrorAs(t, err, &e)
	assert.NotContains(t, e.Body, "tmp-secret")
}
