package dyvms

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// replayTransport sends every request twice through the real transport,
// as HTTP/2 does after a refused stream, and returns the second answer.
type replayTransport struct{ next http.RoundTripper }

func (r replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	first, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, first.Body)
	first.Body.Close()
	again := req.Clone(req.Context())
	if again.Body, err = req.GetBody(); err != nil {
		return nil, err
	}
	return r.next.RoundTrip(again)
}

// TestResentRequestErrorIsAmbiguous: when the transport wrote a
// call-placing request more than once, any error answer (SignatureNonceUsed,
// throttling, a business error) may be a later copy's while an earlier copy
// placed the call: the outcome is ambiguous and nothing is sent again.
// A read-only Action keeps its ordinary classification.
func TestResentRequestErrorIsAmbiguous(t *testing.T) {
	for _, code := range []string{"SignatureNonceUsed", "Throttling.User", "isv.OUT_OF_SERVICE", "InvalidParameter"} {
		srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n%2 == 0 {
				relOK(w, r) // the first copy ran: a call was placed
				return
			}
			relFail(w, 400, code, nil)
		})
		hc := &http.Client{Transport: replayTransport{next: newDefaultTransport()}}
		c := newRelClient(t, srv.URL, WithHTTPClient(hc))
		_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1", OutID: "resend-1"})
		require.True(t, IsAmbiguous(err), "%s: %v", code, err)
		var ae *AmbiguousError
		require.True(t, errors.As(err, &ae))
		require.Equal(t, "resend-1", ae.OutID)
		require.Equal(t, ErrorCode(code), CodeOf(err))
		require.Len(t, srv.requests(), 2, "%s: sent again after an ambiguous answer", code)
	}
	// Read-only: throttling after a replay is still retried.
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 2 {
			relFail(w, 400, "Throttling.User", nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"RequestId":"r","Code":"OK","Data":"{}"}`)
	})
	c := newRelClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: replayTransport{next: newDefaultTransport()}}))
	_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: 11000000300006, QueryDate: fixedTime})
	require.NoError(t, err)
	require.Len(t, srv.requests(), 4)
}
