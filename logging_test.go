package dyvms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type relRecord struct {
	Level        string  `json:"level"`
	Msg          string  `json:"msg"`
	Action       string  `json:"action"`
	Attempt      int     `json:"attempt"`
	Status       int     `json:"status"`
	Code         string  `json:"code"`
	RequestID    string  `json:"request_id"`
	Latency      float64 `json:"latency"`
	CalledNumber string  `json:"called_number"`
	OutID        string  `json:"out_id"`
	Error        string  `json:"error"`
	Retry        bool    `json:"retry"`
	Backoff      float64 `json:"backoff"`
	Ambiguous    bool    `json:"ambiguous"`
}

func relParseRecords(t *testing.T, l *relLog) []relRecord {
	t.Helper()
	var out []relRecord
	for _, line := range l.lines() {
		var r relRecord
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		out = append(out, r)
	}
	return out
}

func TestLoggerOneRecordPerAttempt(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			// An error whose message echoes the secret, the token and a
			// number, as a careless gateway might.
			relFail(w, 400, "Throttling.User", map[string]string{"x-acs-retry-after": "200"})
		case 1:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("x-acs-request-id", "HDR-REQ")
			_, _ = fmt.Fprintf(w, `{"RequestId":"REQ-2","Code":"OK","Message":"OK","CallId":"1"}`)
		case 2:
			relFail(w, 200, "isv.MOBILE_NUMBER_ILLEGAL", nil)
		default:
			w.WriteHeader(500)
			_, _ = fmt.Fprintf(w, `{"RequestId":"REQ-4","Code":"InternalError","Message":"bad key %s token %s callee 13900001234"}`, relSecret, relToken)
		}
	})
	var log relLog
	c := newRelClient(t, srv.URL, WithLogger(log.logger()))
	_, err := relCallTts(context.Background(), c, "order-7")
	require.NoError(t, err)
	_, err = relCallTts(context.Background(), c, "order-8")
	require.Error(t, err)
	_, err = relCallTts(context.Background(), c, "order-9")
	require.True(t, IsAmbiguous(err))
	relAssertNoLeak(t, "error", err.Error(), srv.signatures()...)
	assert.NotContains(t, err.Error(), "secretMustNever")

	recs := relParseRecords(t, &log)
	require.Len(t, recs, 4)
	for i, r := range recs {
		assert.Equal(t, "dyvms attempt", r.Msg)
		assert.Equal(t, "SingleCallByTts", r.Action)
		assert.Equal(t, "*******1234", r.CalledNumber, "masked, last 4 kept")
		assert.Greater(t, r.Latency, 0.0, "record %d", i)
	}
	assert.Equal(t, relRecord{Level: "WARN", Msg: "dyvms attempt", Action: "SingleCallByTts", Attempt: 1, Status: 400,
		Code: "Throttling.User", RequestID: "REQ-ERR-1", CalledNumber: "*******1234", OutID: "order-7",
		Error: recs[0].Error, Retry: true, Backoff: 200e6, Latency: recs[0].Latency}, recs[0])
	assert.Contains(t, recs[0].Error, "Throttling.User")
	assert.Equal(t, "DEBUG", recs[1].Level)
	assert.Equal(t, 2, recs[1].Attempt)
	assert.Equal(t, 200, recs[1].Status)
	assert.Equal(t, "OK", recs[1].Code)
	assert.Equal(t, "REQ-2", recs[1].RequestID)
	assert.Equal(t, "isv.MOBILE_NUMBER_ILLEGAL", recs[2].Code)
	assert.False(t, recs[2].Retry)
	assert.True(t, recs[3].Ambiguous)
	assert.Equal(t, "REQ-4", recs[3].RequestID)

	out := log.String()
	relAssertNoLeak(t, "log", out, srv.signatures()...)
	assert.NotContains(t, out, "13900001234")
	assert.NotContains(t, out, relKeyID, "the AccessKey ID is not logged either")
}

func TestLoggerLevelRespected(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) { relOK(w, r) })
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c := newRelClient(t, srv.URL, WithLogger(l))
	require.NoError(t, relQueryDetail(context.Background(), c))
	assert.Empty(t, buf.String(), "successes are Info")
}

func TestCredentialsRedactThemselves(t *testing.T) {
	creds := Credentials{AccessKeyID: relKeyID, AccessKeySecret: relSecret, SecurityToken: relToken}
	cached := NewCachedCredentialsProvider(NewStaticCredentialsProvider(relKeyID, relSecret, relToken), 0)
	_, err := cached.Retrieve(context.Background())
	require.NoError(t, err)
	profile := NewProfileCredentialsProvider(relWriteProfile(t, `{"current":"p","profiles":[{"name":"p","mode":"StsToken","access_key_id":"`+relKeyID+`","access_key_secret":"`+relSecret+`","sts_token":"`+relToken+`"}]}`), "")
	_, err = profile.Retrieve(context.Background())
	require.NoError(t, err)
	chain := NewChainCredentialsProvider(cached, profile, NewEnvCredentialsProvider())

	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	for _, v := range []any{creds, &creds, cached, profile, chain, NewStaticCredentialsProvider(relKeyID, relSecret, relToken)} {
		text := fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
		relAssertNoLeak(t, fmt.Sprintf("%T printed", v), text)
		l.Info("creds", "v", v)
	}
	relAssertNoLeak(t, "slog", buf.String())
	assert.NotContains(t, buf.String(), relKeyID)
}

func TestMiddlewareWrapsWithoutTouchingUserClient(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			relFail(w, 503, "ServiceUnavailable", nil)
			return
		}
		relOK(w, r)
	})
	userTransport := &http.Transport{}
	user := &http.Client{Transport: userTransport}
	snapshot := *user

	var mu sync.Mutex
	var seen []AttemptInfo
	var order []string
	mw := func(name string) Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return relRoundTrip(func(r *http.Request) (*http.Response, error) {
				ai, ok := AttemptInfoFromContext(r.Context())
				require.True(t, ok)
				mu.Lock()
				order = append(order, name)
				if name == "outer" {
					seen = append(seen, ai)
				}
				mu.Unlock()
				return next.RoundTrip(r)
			})
		}
	}
	c := newRelClient(t, srv.URL, WithHTTPClient(user), WithMiddleware(mw("outer"), mw("inner")))
	require.NoError(t, relQueryDetail(context.Background(), c))
	assert.Equal(t, []AttemptInfo{{"QueryCallDetailByCallId", 1}, {"QueryCallDetailByCallId", 2}}, seen)
	assert.Equal(t, []string{"outer", "inner", "outer", "inner"}, order)
	assert.True(t, user.Transport == userTransport, "the user's client is untouched")
	assert.Equal(t, snapshot.Timeout, user.Timeout)
	assert.NotSame(t, user, c.httpClient)
}

func TestMiddlewareOnDefaultTransport(t *testing.T) {
	srv := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) { relOK(w, r) })
	var paths []string
	var mu sync.Mutex
	c := newRelClient(t, srv.URL, WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
		return relRoundTrip(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			mu.Unlock()
			return next.RoundTrip(r)
		})
	}))
	require.NoError(t, relQueryDetail(context.Background(), c))
	assert.Equal(t, []string{"/"}, paths)
	assert.True(t, strings.HasPrefix(c.Endpoint(), "http://127.0.0.1"))
}
