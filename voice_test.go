package dyvms

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

const okCallJSON = `{"Message":"OK","RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23","Code":"OK","CallId":"116012354148^10281378****"}`

// Each voice Action, fully filled: the exact parameters on the wire and an
// independently recomputed signature.
func TestVoiceActionsWire(t *testing.T) {
	cases := []struct {
		action string
		call   func(c *Client) error
		want   url.Values
	}{
		{
			action: "SingleCallByTts",
			call: func(c *Client) error {
				resp, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{
					CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
					TtsParam:  map[string]string{"product": "阿里云 & <test>", "code": "1234"},
					PlayTimes: 2, Volume: Ptr[int32](0), Speed: Ptr[int32](-100), OutID: "order-42",
				})
				if err == nil {
					assert.Equal(t, "116012354148^10281378****", resp.CallID)
				}
				return err
			},
			want: url.Values{
				"CalledNumber": {"13900001234"}, "CalledShowNumber": {"057112345678"}, "TtsCode": {"TTS_100000"},
				"TtsParam":  {`{"code":"1234","product":"阿里云 & <test>"}`},
				"PlayTimes": {"2"}, "Volume": {"0"}, "Speed": {"-100"}, "OutId": {"order-42"},
			},
		},
		{
			action: "SingleCallByVoice",
			call: func(c *Client) error {
				resp, err := c.SingleCallByVoice(context.Background(), &SingleCallByVoiceRequest{
					CalledNumber: "13900001234", CalledShowNumber: "057112345678", VoiceCode: "2d4c-4e78.wav",
					PlayTimes: 3, Volume: Ptr[int32](100), Speed: Ptr[int32](0), OutID: "o1",
				})
				if err == nil {
					assert.Equal(t, "116012354148^10281378****", resp.CallID)
				}
				return err
			},
			want: url.Values{
				"CalledNumber": {"13900001234"}, "CalledShowNumber": {"057112345678"}, "VoiceCode": {"2d4c-4e78.wav"},
				"PlayTimes": {"3"}, "Volume": {"100"}, "Speed": {"0"}, "OutId": {"o1"},
			},
		},
		{
			action: "CancelCall",
			call: func(c *Client) error {
				_, err := c.CancelCall(context.Background(), &CancelCallRequest{CallID: "116012854210^10281427****"})
				return err
			},
			want: url.Values{"CallId": {"116012854210^10281427****"}},
		},
		{
			action: "ClickToDial",
			call: func(c *Client) error {
				_, err := c.ClickToDial(context.Background(), &ClickToDialRequest{
					CallerNumber: "15900001111", CallerShowNumber: "057100001111", CalledNumber: "15800002222",
					CalledShowNumber: "057100002222", RecordFlag: true, AsrFlag: true, AsrModelID: "model-1",
					SessionTimeout: 120, OutID: "abcdefgh",
				})
				return err
			},
			want: url.Values{
				"CallerNumber": {"15900001111"}, "CallerShowNumber": {"057100001111"}, "CalledNumber": {"15800002222"},
				"CalledShowNumber": {"057100002222"}, "RecordFlag": {"true"}, "AsrFlag": {"true"},
				"AsrModelId": {"model-1"}, "SessionTimeout": {"120"}, "OutId": {"abcdefgh"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
			c := newTestClient(t, rec.srv.URL, WithSecurityToken(testToken))
			require.NoError(t, tc.call(c))
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			got := reqs[0]
			assert.Equal(t, tc.want, got.form, "the Action's own parameters, in the form body")
			assert.Equal(t, "JSON", got.query.Get("Format"))
			assert.Equal(t, testToken, got.query.Get("SecurityToken"))
			assert.Equal(t, "2026-11-29T11:00:00Z", got.query.Get("Timestamp"))
			assert.Equal(t, "nonce-0001", got.query.Get("SignatureNonce"))
			requireSigned(t, got, tc.action, testSecret)
		})
	}
}

// The catalogue's sample bodies of the voice Actions decode into the typed
// responses, in both formats.
func TestVoiceSampleBodies(t *testing.T) {
	for _, action := range []string{"SingleCallByTts", "SingleCallByVoice"} {
		a := catalog.Lookup(action)
		require.NotNil(t, a)
		for format, body := range map[string]string{"JSON": a.Samples.JSON, "XML": a.Samples.XML} {
			t.Run(action+"/"+format, func(t *testing.T) {
				ct := "application/json"
				if format == "XML" {
					ct = "text/xml"
				}
				rec := newRecorder(t, replyBody(200, ct, body))
				c := newTestClient(t, rec.srv.URL, WithFormat(Format(format)))
				var callID, requestID string
				if action == "SingleCallByTts" {
					r, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"})
					require.NoError(t, err)
					callID, requestID = r.CallID, r.RequestID
					assert.Equal(t, "OK", r.Code)
					assert.Equal(t, "OK", r.Message)
				} else {
					r, err := c.SingleCallByVoice(context.Background(), &SingleCallByVoiceRequest{CalledNumber: "13900000001", VoiceCode: "V"})
					require.NoError(t, err)
					callID, requestID = r.CallID, r.RequestID
				}
				if action == "SingleCallByTts" {
					assert.Equal(t, "116012354148^10281378****", callID)
					assert.Equal(t, "D9CB3933-9FE3-4870-BA8E-2BEE91B69D23", requestID)
				} else {
					assert.Equal(t, "116004767703^102806****", callID)
					assert.Equal(t, "E50FFA85-0B79-4421-A7BD-00B0A271966F", requestID)
				}
				assert.Equal(t, format, rec.requests()[0].query.Get("Format"))
			})
		}
	}
}

func TestCancelCallStatusDecodesLeniently(t *testing.T) {
	for _, body := range []string{
		`{"RequestId":"R","Code":"OK","Status":true}`,
		`{"RequestId":"R","Code":"OK","Status":"true"}`,
		`<CancelCallResponse><RequestId>R</RequestId><Code>OK</Code><Status>true</Status></CancelCallResponse>`,
	} {
		rec := newRecorder(t, replyBody(200, "application/json", body))
		c := newTestClient(t, rec.srv.URL)
		resp, err := c.CancelCall(context.Background(), &CancelCallRequest{CallID: "x"})
		require.NoError(t, err, body)
		assert.True(t, resp.Status, body)
		assert.Equal(t, "R", resp.RequestID)
	}
}

// Bad requests are rejected before any I/O: nothing reaches the server.
func TestVoiceValidationSendsNothing(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
	c := newTestClient(t, rec.srv.URL)
	ctx := context.Background()
	cases := []struct {
		field string
		call  func() error
	}{
		{"CalledNumber", func() error { _, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{TtsCode: "T"}); return err }},
		{"TtsCode", func() error {
			_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900000001"})
			return err
		}},
		{"PlayTimes", func() error {
			_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T", PlayTimes: 4})
			return err
		}},
		{"Volume", func() error {
			_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T", Volume: Ptr[int32](101)})
			return err
		}},
		{"Speed", func() error {
			_, err := c.SingleCallByVoice(ctx, &SingleCallByVoiceRequest{CalledNumber: "13900000001", VoiceCode: "V", Speed: Ptr[int32](-501)})
			return err
		}},
		{"OutId", func() error {
			_, err := c.SingleCallByTts(ctx, &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T", OutID: "0123456789abcdef"})
			return err
		}},
		{"VoiceCode", func() error {
			_, err := c.SingleCallByVoice(ctx, &SingleCallByVoiceRequest{CalledNumber: "13900000001"})
			return err
		}},
		{"CallId", func() error { _, err := c.CancelCall(ctx, nil); return err }},
		{"CallerNumber", func() error {
			_, err := c.ClickToDial(ctx, &ClickToDialRequest{CallerShowNumber: "13900000005", CalledNumber: "13900000006", CalledShowNumber: "13900000007"})
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.call()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.ErrorIs(t, err, ErrInvalidParameter)
		assert.Contains(t, err.Error(), tc.field)
	}
	assert.Empty(t, rec.requests(), "a rejected request must not be sent")
}

func TestExtraParams(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", okCallJSON))
	c := newTestClient(t, rec.srv.URL)
	_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"},
		WithExtraParams(url.Values{"NewParam": {"x y"}}))
	require.NoError(t, err)
	got := rec.requests()[0]
	assert.Equal(t, "x y", got.form.Get("NewParam"))
	requireSigned(t, got, "SingleCallByTts", testSecret)

	for _, bad := range []string{"Action", "Signature", "CalledNumber"} {
		_, err := c.SingleCallByTts(context.Background(), &SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"},
			WithExtraParams(url.Values{bad: {"x"}}))
		assert.ErrorIs(t, err, ErrInvalidParameter, bad)
	}
	assert.Len(t, rec.requests(), 1)
}

func TestDoEscapeHatch(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"RequestId":"R","Code":"OK","Data":{"a":"1"}}`))
	c := newTestClient(t, rec.srv.URL)
	var out map[string]any
	require.NoError(t, c.Do(context.Background(), "SomeNewAction", url.Values{"Foo.1.Bar": {"baz"}}, &out))
	assert.Equal(t, "R", out["RequestId"])
	got := rec.requests()[0]
	assert.Equal(t, url.Values{"Foo.1.Bar": {"baz"}}, got.form)
	requireSigned(t, got, "SomeNewAction", testSecret)

	var typed struct {
		RequestID string `json:"RequestId"`
		Data      struct {
			A int `json:"a"`
		}
	}
	require.NoError(t, c.Do(context.Background(), "SomeNewAction", nil, &typed))
	assert.Equal(t, "R", typed.RequestID)
	assert.Equal(t, 1, typed.Data.A)
}

func TestLargeParameterGoesInTheBody(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"RequestId":"R","Code":"OK","Data":"1"}`))
	c := newTestClient(t, rec.srv.URL)
	numbers := make([]string, 10000)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("139%08d", i)
	}
	list := strings.Join(numbers, ",")
	_, err := c.UploadRobotTaskCalledFile(context.Background(), &UploadRobotTaskCalledFileRequest{ID: 7, CalledNumber: list})
	require.NoError(t, err)
	got := rec.requests()[0]
	assert.Greater(t, len(got.body), 100_000, "the large parameter travels in the body")
	assert.Empty(t, got.query.Get("CalledNumber"))
	assert.Equal(t, list, got.form.Get("CalledNumber"))
	requireSigned(t, got, "UploadRobotTaskCalledFile", testSecret)
}

// Validate runs the same checks as a call, with no client and no I/O.
func TestValidate(t *testing.T) {
	err := Validate(&SingleCallByTtsRequest{TtsCode: "T"})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "SingleCallByTts", ve.Action)
	assert.Equal(t, "CalledNumber", ve.Field)

	assert.NoError(t, Validate(&SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"}))
	assert.ErrorIs(t, Validate(&SingleCallByTtsRequest{CalledNumber: "13900000001", TtsCode: "T"},
		WithExtraParams(url.Values{"TtsCode": {"again"}})), ErrInvalidParameter)
	assert.ErrorIs(t, Validate(&IvrCallRequest{CalledNumber: "13900000001", CalledShowNumber: "13900000002", StartCode: "S",
		MenuKeyMap: []MenuKey{{Key: "1"}}, PlayTimes: 9}), ErrInvalidParameter)
	assert.Error(t, Validate(SingleCallByTtsRequest{}), "not a pointer")
	assert.Error(t, Validate(&struct{ X int }{}), "not a request type")
	assert.Error(t, Validate(nil))
}
