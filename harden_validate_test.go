package dyvms

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireProblems checks that err is a *ValidationError naming exactly the
// given fields, in order, and that errors.Is(err, ErrInvalidParameter).
func requireProblems(t *testing.T, err error, fields ...string) {
	t.Helper()
	require.ErrorIs(t, err, ErrInvalidParameter)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "%T %v", err, err)
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Field)
		require.Contains(t, err.Error(), p.Field)
	}
	require.Equal(t, fields, got, "%v", err)
	require.Equal(t, fields[0], ve.Field)
}

// TestBadInputRefusedBeforeSending: every kind of bad input the issue lists
// is a *ValidationError, and nothing reaches the server.
func TestBadInputRefusedBeforeSending(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"RequestId":"r","Code":"OK","CallId":"c"}`))
	c := newTestClient(t, rec.srv.URL)
	ctx := context.Background()
	tts := func(called string) error {
		_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: called, TtsCode: "T"})
		return err
	}
	for name, called := range map[string]string{
		"blank": " ", "letters": "1390000abcd", "two numbers": "13900001234,13900005678",
		"two with space": "13900001234 13900005678", "newline": "13900001234\n", "1 MiB": strings.Repeat("1", 1<<20),
		"dashes": "0571-12345678", "plus only": "+", "too short": "12", "too long": strings.Repeat("1", 21),
		"semicolon": "13900001234;13900005678", "fullwidth digits": "１３９００００１２３４",
	} {
		requireProblems(t, tts(called), "CalledNumber")
		_ = name
	}
	_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "T",
		TtsParam: map[string]string{"code": strings.Repeat("x", 1<<20)}})
	requireProblems(t, err, "TtsParam")

	// NaN and infinities in float parameters (the encoder has no lists of
	// scalars: no Action takes one).
	type floatReq struct {
		Ratio  float64  `dyvms:"Ratio"`
		Inf    float64  `dyvms:"Inf"`
		NegInf *float64 `dyvms:"NegInf"`
		Fine   float64  `dyvms:"Fine"`
	}
	_, err = encodeRequest("X", &floatReq{Ratio: math.NaN(), Inf: math.Inf(1), NegInf: Ptr(math.Inf(-1)), Fine: 1}, nil)
	requireProblems(t, err, "Ratio", "Inf", "NegInf")

	// An empty list item.
	type listReq struct {
		Keys []MenuKey `dyvms:"Keys"`
	}
	_, err = encodeRequest("X", &listReq{Keys: []MenuKey{{Key: "1", Code: "c"}, {}}}, nil)
	requireProblems(t, err, "Keys.2")

	// A zero time where one is required: the zero value, a zero time in
	// another location, and one through a pointer; a time before 1970 in ms.
	_, err = c.QueryCallDetailByCallId(ctx, &QueryCallDetailByCallIdRequest{CallID: "c", ProdID: 11000000300006})
	requireProblems(t, err, "QueryDate")
	_, err = c.QueryCallDetailByCallId(ctx, &QueryCallDetailByCallIdRequest{CallID: "c", ProdID: 11000000300006, QueryDate: time.Time{}.In(chinaTime)})
	requireProblems(t, err, "QueryDate")
	type timeReq struct {
		At    *time.Time `dyvms:"At,ms"`
		Early time.Time  `dyvms:"Early,ms"`
	}
	zero := time.Time{}
	_, err = encodeRequest("X", &timeReq{At: &zero, Early: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)}, nil)
	requireProblems(t, err, "At", "Early")

	// Extra parameters that shadow common or request parameters.
	for _, key := range []string{"signature", "AccessKeyId ", " Signature", "SIGNATURENONCE", "calledNumber", "Bad Name", "a\nb", ""} {
		_, err = c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "T"},
			WithExtraParams(url.Values{key: {"x"}}))
		requireProblems(t, err, strconv.Quote(key))
	}

	// Action names are letters and digits.
	for _, action := range []string{"Single Call", "SingleCallByTts\n", "Single/Call", "", "Single&Call=1"} {
		requireProblems(t, c.Do(ctx, action, url.Values{}, nil), "Action")
	}

	// Every problem at once.
	_, err = c.IvrCall(ctx, &IvrCallRequest{CalledNumber: "abc", PlayTimes: 9, OutID: "0123456789abcdef",
		MenuKeyMap: []MenuKey{{}}}, WithExtraParams(url.Values{"signature": {"x"}}))
	requireProblems(t, err, "CalledNumber", "CalledShowNumber", "StartCode", "MenuKeyMap.1", "PlayTimes", "OutId", `"signature"`)
	require.Contains(t, err.Error(), "7 invalid parameters")

	require.Empty(t, rec.requests(), "a rejected request reached the server")
}

// TestPhoneNumbersTheServiceTakes: mainland mobiles and landlines, with or
// without the country code in each of its forms, numbers outside the
// mainland and short service numbers pass, and are sent unchanged.
func TestPhoneNumbersTheServiceTakes(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"RequestId":"r","Code":"OK","CallId":"c"}`))
	})
	c := newTestClient(t, rec.srv.URL)
	good := []string{"13900001234", "8613900001234", "008613900001234", "+8613900001234", "057112345678",
		"02112345678", "+85291234567", "0085291234567", "95555", "4001234567", "222"}
	for _, n := range good {
		_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: n, CalledShowNumber: "057112345678", TtsCode: "T"})
		require.NoError(t, err, n)
	}
	for i, r := range rec.requests() {
		require.Equal(t, good[i], r.form.Get("CalledNumber"))
	}
	_, err := c.BatchRobotSmartCall(context.Background(), &BatchRobotSmartCallRequest{TaskName: "t", DialogID: "d",
		CalledNumber: "13900001234,+8613900005678", CalledShowNumber: "057112345678"})
	require.NoError(t, err)
	_, err = c.BatchRobotSmartCall(context.Background(), &BatchRobotSmartCallRequest{TaskName: "t", DialogID: "d",
		CalledNumber: strings.TrimSuffix(strings.Repeat("13900001234,", 1001), ","), CalledShowNumber: "057112345678,"})
	requireProblems(t, err, "CalledNumber", "CalledShowNumber")
}
