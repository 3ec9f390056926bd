package dyvms

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRedirectNeverFollowed: a 3xx from the endpoint is an *Error naming the
// redacted Location; the redirect target receives nothing, with the SDK's
// own transport and with a user's http.Client that follows redirects, and
// the user's client is not modified.
func TestRedirectNeverFollowed(t *testing.T) {
	var hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, `{"RequestId":"stolen","Code":"OK","CallId":"evil"}`)
	}))
	defer target.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, user := range []bool{false, true} {
			src := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", target.URL+"/landing?Signature="+testSecret+"&SecurityToken="+testToken)
				w.WriteHeader(status)
			})
			opts := []Option{WithSecurityToken(testToken)}
			var hc *http.Client
			if user {
				hc = &http.Client{}
				opts = append(opts, WithHTTPClient(hc))
			}
			c := newTestClient(t, src.srv.URL, opts...)
			for _, action := range []string{"QueryCallDetailByCallId", "SingleCallByTts"} {
				var err error
				if action == "SingleCallByTts" {
					_, err = c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1", OutID: "o1"})
				} else {
					_, err = c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: 11000000300006, QueryDate: fixedTime})
				}
				require.Error(t, err, "status %d", status)
				var e *Error
				require.True(t, errors.As(err, &e), "%T %v", err, err)
				require.Equal(t, status, e.HTTPStatus)
				require.Contains(t, err.Error(), strings.TrimPrefix(target.URL, "http://")+"/landing")
				require.NotContains(t, err.Error(), testSecret)
				require.NotContains(t, err.Error(), testToken)
				require.NotContains(t, err.Error(), "Signature=")
			}
			require.Zero(t, hits.Load(), "status %d: the redirect target received a request", status)
			if user {
				require.Nil(t, hc.CheckRedirect, "the user's http.Client was modified")
			}
			// Read-only: a redirect is final, not retried; mutating: never retried either.
			require.Len(t, src.requests(), 2, "status %d", status)
		}
	}
}
