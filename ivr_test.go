package dyvms

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIvrCallWire(t *testing.T) {
	checkWireCatalogue(t, []wireCase{{
		action: "IvrCall",
		call: func(_ context.Context, c *Client) error {
			_, err := c.IvrCall(context.Background(), &IvrCallRequest{
				CalledNumber:     "15900000000",
				CalledShowNumber: "057100005678",
				StartCode:        "TTS_1234****",
				StartTtsParams:   map[string]string{"name": "xxx", "code": "123"},
				MenuKeyMap: []MenuKey{
					{Key: "1", Code: "TTS_1235****", TtsParams: map[string]string{"name": "xxx", "code": "123"}},
					{Key: "2", Code: "9d1c-4e78.wav"},
				},
				ByeCode:      "TTS_1234****",
				ByeTtsParams: map[string]string{"name": "张三"},
				PlayTimes:    3,
				Timeout:      3000,
				OutID:        "PR0210428****",
			})
			return err
		},
		want: map[string]string{
			"CalledNumber":           "15900000000",
			"CalledShowNumber":       "057100005678",
			"StartCode":              "TTS_1234****",
			"StartTtsParams":         `{"code":"123","name":"xxx"}`,
			"MenuKeyMap.1.Key":       "1",
			"MenuKeyMap.1.Code":      "TTS_1235****",
			"MenuKeyMap.1.TtsParams": `{"code":"123","name":"xxx"}`,
			"MenuKeyMap.2.Key":       "2",
			"MenuKeyMap.2.Code":      "9d1c-4e78.wav",
			"ByeCode":                "TTS_1234****",
			"ByeTtsParams":           `{"name":"张三"}`,
			"PlayTimes":              "3",
			"Timeout":                "3000",
			"OutId":                  "PR0210428****",
		},
	}})
}

func TestIvrCallSamples(t *testing.T) {
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			c, _ := newRobotFake(t, robotOK(robotSample(t, "IvrCall", format)))
			resp, err := c.IvrCall(context.Background(), &IvrCallRequest{CalledNumber: "13900000001", CalledShowNumber: "13900000002", StartCode: "3", OutID: "o1"})
			require.NoError(t, err)
			assert.Equal(t, &IvrCallResponse{
				ResponseMeta: ResponseMeta{RequestID: "D9CB3933-9FE3-4870-BA8E-2BEE91B69D23", Code: "OK", Message: "OK"},
				CallID:       "116012354148^10281378****",
				OutID:        "o1",
			}, resp)
		})
	}
}

func TestIvrCallInvalid(t *testing.T) {
	full := func() *IvrCallRequest {
		return &IvrCallRequest{CalledNumber: "15900000000", CalledShowNumber: "057100005678", StartCode: "TTS_1234****"}
	}
	ivr := func(mod func(*IvrCallRequest)) func(*Client) error {
		return func(c *Client) error {
			r := full()
			mod(r)
			_, err := c.IvrCall(context.Background(), r)
			return err
		}
	}
	robotCheckInvalid(t, []robotInvalidCase{
		{"no CalledNumber", ivr(func(r *IvrCallRequest) { r.CalledNumber = "" }), "CalledNumber"},
		{"no CalledShowNumber", ivr(func(r *IvrCallRequest) { r.CalledShowNumber = "" }), "CalledShowNumber"},
		{"no StartCode", ivr(func(r *IvrCallRequest) { r.StartCode = "" }), "StartCode"},
		{"PlayTimes 4", ivr(func(r *IvrCallRequest) { r.PlayTimes = 4 }), "PlayTimes"},
		{"OutId 16 bytes", ivr(func(r *IvrCallRequest) { r.OutID = strings.Repeat("x", 16) }), "OutId"},
		{"nil request", func(c *Client) error { _, err := c.IvrCall(context.Background(), nil); return err }, "CalledNumber"},
	})
}
