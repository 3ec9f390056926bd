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
	"time"

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

// TestRetryAfterSaturates: an x-acs-retry-after hint too large for a
// Duration (or for an int64) is longer than MaxDelay, so it ends the
// retries; negative and garbage hints are ignored.
func TestRetryAfterSaturates(t *testing.T) {
	cases := []struct {
		hint     string
		attempts int
	}{
		{"9223372036854775807", 1},
		{"9300000000000", 1},
		{"99999999999999999999999", 1},
		{"6000", 1},
		{"-5", 3},
		{"abc", 3},
		{"1.5", 3},
		{"-99999999999999999999999", 3},
	}
	for _, tc := range cases {
		srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			relFail(w, 400, "Throttling.User", map[string]string{"x-acs-retry-after": tc.hint})
		})
		sl := &relSleeps{}
		c := newRelClient(t, srv.URL, withRetryClock(func(n int64) int64 { return n / 2 }, sl.sleep))
		_, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c1", ProdID: 11000000300006, QueryDate: fixedTime})
		require.True(t, IsThrottling(err), "%v", err)
		require.Len(t, srv.requests(), tc.attempts, "hint %q", tc.hint)
		for _, d := range sl.recorded() {
			require.GreaterOrEqual(t, d, time.Duration(0), "hint %q", tc.hint)
			require.LessOrEqual(t, d, DefaultRetryMaxDelay, "hint %q", tc.hint)
		}
		if tc.attempts == 1 {
			require.Positive(t, asError(err).RetryAfter, "hint %q: the saturated hint is kept on the error", tc.hint)
		}
	}
}
