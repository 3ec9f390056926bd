package dyvms

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rtcReply answers one request of the rtc and virtualnumber tests, given
// its Action and form body: a body, sent as XML if it starts with '<'.
type rtcReply func(action string, form url.Values) string

// newRtcFake starts a loopback fake endpoint (the shared recorder) that
// answers with reply, and returns a test client for it. The tests call it
// sequentially, so the request being answered is the last one recorded.
func newRtcFake(t *testing.T, reply rtcReply) (*Client, *recorder) {
	t.Helper()
	var rec *recorder
	rec = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		reqs := rec.requests()
		out := reply(r.URL.Query().Get("Action"), reqs[len(reqs)-1].form)
		ct := "application/json"
		if strings.HasPrefix(out, "<") {
			ct = "application/xml"
		}
		replyBody(http.StatusOK, ct, out)(w, r)
	})
	return newTestClient(t, rec.srv.URL), rec
}

// rtcSample answers with the catalogue's sample body of the Action.
func rtcSample(xml bool) rtcReply {
	return func(action string, _ url.Values) string {
		s := catalog.Lookup(action).Samples
		if xml {
			return s.XML
		}
		return s.JSON
	}
}

// rtcCaller calls one typed Action and returns its response as any.
type rtcCaller func(ctx context.Context, c *Client) (any, error)

// rtcCall binds a method expression such as (*Client).GetRtcToken to a
// request.
func rtcCall[Req, Resp any](m func(*Client, context.Context, *Req, ...CallOption) (*Resp, error), req *Req) rtcCaller {
	return func(ctx context.Context, c *Client) (any, error) { return m(c, ctx, req) }
}

// rtcWireCases covers every rtc Action; catalogue examples are used where the
// catalogue has them.
var rtcWireCases = []wireCase{
	{"AddRtcAccount", wireCall((*Client).AddRtcAccount, &AddRtcAccountRequest{DeviceID: "2256****"}),
		map[string]string{"DeviceId": "2256****"}},
	{"BindNumberAndVoipId", wireCall((*Client).BindNumberAndVoipId, &BindNumberAndVoipIdRequest{PhoneNumber: "1390000****", VoipID: "voip-1"}),
		map[string]string{"PhoneNumber": "1390000****", "VoipId": "voip-1"}},
	{"CloseSipAccount", wireCall((*Client).CloseSipAccount, &CloseSipAccountRequest{PartnerID: 1234567890123, SipAccountID: "sip-1"}),
		map[string]string{"PartnerId": "1234567890123", "SipAccountID": "sip-1"}},
	{"CreateSipAccount", wireCall((*Client).CreateSipAccount, &CreateSipAccountRequest{BusinessKey: "biz-1", PartnerID: 42}),
		map[string]string{"BusinessKey": "biz-1", "PartnerId": "42"}},
	{"DoRtcNumberAuth", wireCall((*Client).DoRtcNumberAuth, &DoRtcNumberAuthRequest{PhoneNumber: "1390000****"}),
		map[string]string{"PhoneNumber": "1390000****"}},
	{"GetCallInfo", wireCall((*Client).GetCallInfo, &GetCallInfoRequest{RtcID: "2235****"}),
		map[string]string{"RtcId": "2235****"}},
	{"GetMqttToken", wireCall((*Client).GetMqttToken, &GetMqttTokenRequest{}),
		map[string]string{}},
	{"GetRtcToken", wireCall((*Client).GetRtcToken, &GetRtcTokenRequest{DeviceID: "2256****", IsCustomAccount: Ptr(false), UserID: "500700****"}),
		map[string]string{"DeviceId": "2256****", "IsCustomAccount": "false", "UserId": "500700****"}},
	{"GetToken", wireCall((*Client).GetToken, &GetTokenRequest{TokenType: TokenTypeDyvms}),
		map[string]string{"TokenType": "dyvms"}},
	{"QueryRtcNumberAuthStatus", wireCall((*Client).QueryRtcNumberAuthStatus, &QueryRtcNumberAuthStatusRequest{PhoneNumber: "1390000****"}),
		map[string]string{"PhoneNumber": "1390000****"}},
	{"QueryVoipNumberBindInfos", wireCall((*Client).QueryVoipNumberBindInfos, &QueryVoipNumberBindInfosRequest{PhoneNumber: "1390000****", VoipID: "voip-1"}),
		map[string]string{"PhoneNumber": "1390000****", "VoipId": "voip-1"}},
	{"RefreshMqttToken", wireCall((*Client).RefreshMqttToken, &RefreshMqttTokenRequest{ClientID: "GID_VOIP_CRC@@@709923dcd8fa41ef9cdbabdd49c****"}),
		map[string]string{"ClientId": "GID_VOIP_CRC@@@709923dcd8fa41ef9cdbabdd49c****"}},
	{"ReportVoipProblems", wireCall((*Client).ReportVoipProblems, &ReportVoipProblemsRequest{ChannelID: "ch-1", Desc: "一直有回声 & noise+1", Title: "echo", VoipID: "voip-1"}),
		map[string]string{"ChannelId": "ch-1", "Desc": "一直有回声 & noise+1", "Title": "echo", "VoipId": "voip-1"}},
	{"UnbindNumberAndVoipId", wireCall((*Client).UnbindNumberAndVoipId, &UnbindNumberAndVoipIdRequest{PhoneNumber: "1390000****", VoipID: "voip-1"}),
		map[string]string{"PhoneNumber": "1390000****", "VoipId": "voip-1"}},
	{"UndoRtcNumberAuth", wireCall((*Client).UndoRtcNumberAuth, &UndoRtcNumberAuthRequest{PhoneNumber: "1390000****"}),
		map[string]string{"PhoneNumber": "1390000****"}},
	{"VoipAddAccount", wireCall((*Client).VoipAddAccount, &VoipAddAccountRequest{DeviceID: "dev-1"}),
		map[string]string{"DeviceId": "dev-1"}},
	{"VoipGetToken", wireCall((*Client).VoipGetToken, &VoipGetTokenRequest{DeviceID: "dev-1", IsCustomAccount: Ptr(true), VoipID: "voip-1"}),
		map[string]string{"DeviceId": "dev-1", "IsCustomAccount": "true", "VoipId": "voip-1"}},
}

func TestRtcWire(t *testing.T) {
	checkWire(t, rtcWireCases)
}

// TestRtcEmptyRequests: no rtc parameter is known to be required, so nil and
// empty requests are sent, with an empty body.
func TestRtcEmptyRequests(t *testing.T) {
	c, rec := newRtcFake(t, okReply)
	ctx := context.Background()
	_, err := c.GetMqttToken(ctx, nil)
	require.NoError(t, err)
	_, err = c.GetRtcToken(ctx, &GetRtcTokenRequest{})
	require.NoError(t, err)
	_, err = c.CloseSipAccount(ctx, nil)
	require.NoError(t, err)
	for _, r := range rec.requests() {
		assert.Empty(t, r.form)
	}
	assert.Len(t, rec.requests(), 3)
}

// rtcSampleCase is an Action and the typed response its catalogue samples
// must decode to, from JSON and from XML alike.
type rtcSampleCase struct {
	action string
	call   rtcCaller
	want   any
	// check, if set, makes further checks on the decoded response.
	check func(t *testing.T, resp any)
}

func rtcCheckSamples(t *testing.T, cases []rtcSampleCase) {
	for _, tc := range cases {
		for _, xml := range []bool{false, true} {
			name := tc.action + "/json"
			if xml {
				name = tc.action + "/xml"
			}
			t.Run(name, func(t *testing.T) {
				c, _ := newRtcFake(t, rtcSample(xml))
				got, err := tc.call(context.Background(), c)
				require.NoError(t, err)
				if tc.want != nil {
					assert.Equal(t, tc.want, got)
				}
				if tc.check != nil {
					tc.check(t, got)
				}
			})
		}
	}
}

const rtcSampleModule = `{"cleansession":true,"clientId":"GID_VOIP@@@ClientId_2000009_1006484****","conferenceTopic":"cs_alicom_voip_conference","host":"mqtt-cn-****.aliyuncs.com","meetingEventKeepAliveInterval":0,"phoneTopic":"alicom_voip_phone","port":0,"reconnectTimeout":2000,"registerTime":0,"sdkClientPort":8883,"serverId":"GID_VOIP@@@MTEuMTMuM****","sgwServerTopic":"alicom_voip_server_pre","tlsport":443,"tokenData":"abcdef","useTLS":false}`

func TestRtcSamples(t *testing.T) {
	illegible := func(id string) ResponseMeta {
		return ResponseMeta{RequestID: id, Code: "OK", Message: "[illegible]"}
	}
	mqtt := func(a *catalog.Action) MqttToken {
		// The long tokens are opaque; take them from the sample itself.
		m, err := parseJSONObject([]byte(a.Samples.JSON))
		require.NoError(t, err)
		d := m["Data"].(map[string]any)
		return MqttToken{
			ClientID: toString(d["ClientId"]), ExpireTime: "1636950919305", Host: "mqtt-****.mqtt.aliyuncs.com",
			InstanceID: toString(d["InstanceId"]), P2pTopic: "alicom-voip-crc-upload-****",
			ServerID: "GID_VOIP@@@MTEuMTMuM****", Token: toString(d["Token"]), Username: toString(d["Username"]),
		}
	}
	meta200 := ResponseMeta{RequestID: "63B7D8E1-BD38-19BE-A175-BF042BB778BA", Code: "200", Message: "OK"}
	cases := []rtcSampleCase{
		{action: "AddRtcAccount", call: rtcCall((*Client).AddRtcAccount, &AddRtcAccountRequest{DeviceID: "2256****"}),
			want: &AddRtcAccountResponse{ResponseMeta: illegible("A90E4451-FED7-49D2-87C8-00700A8C4D0D"), Module: "200000****"}},
		{action: "GetCallInfo", call: rtcCall((*Client).GetCallInfo, &GetCallInfoRequest{RtcID: "2235****"}),
			want: &GetCallInfoResponse{ResponseMeta: illegible("A90E4451-FED7-49D2-87C8-00700A8C4D0D"),
				Data: RtcCallInfo{ChannelID: "112323123123****", Status: RtcCallCalling}}},
		{action: "GetMqttToken", call: rtcCall((*Client).GetMqttToken, nil),
			want: &GetMqttTokenResponse{ResponseMeta: meta200, Data: mqtt(catalog.Lookup("GetMqttToken"))},
			check: func(t *testing.T, resp any) {
				exp := resp.(*GetMqttTokenResponse).Data.ExpiresAt()
				assert.Equal(t, int64(1636950919305), exp.UnixMilli())
			}},
		{action: "RefreshMqttToken", call: rtcCall((*Client).RefreshMqttToken, &RefreshMqttTokenRequest{ClientID: "GID_VOIP_CRC@@@709923dcd8fa41ef9cdbabdd49c****"}),
			want: &RefreshMqttTokenResponse{ResponseMeta: meta200, Data: mqtt(catalog.Lookup("RefreshMqttToken"))},
			check: func(t *testing.T, resp any) {
				d := resp.(*RefreshMqttTokenResponse).Data
				assert.Equal(t, "GID_VOIP_RC@@@709923dcd8fa41ef9cdbabdd49c****", d.ClientID)
				assert.True(t, strings.HasPrefix(d.Token, "LzMT+XLFl5s/") && strings.HasSuffix(d.Token, "tdOgq****"))
			}},
		{action: "GetRtcToken", call: rtcCall((*Client).GetRtcToken, &GetRtcTokenRequest{DeviceID: "2256****", UserID: "200100****"}),
			want: &GetRtcTokenResponse{ResponseMeta: illegible("A90E4451-FED7-49D2-87C8-00700A8C4D0D"), Module: rtcSampleModule},
			check: func(t *testing.T, resp any) {
				tok, err := resp.(*GetRtcTokenResponse).Token()
				require.NoError(t, err)
				assert.Equal(t, RtcToken{
					CleanSession: true, ClientID: "GID_VOIP@@@ClientId_2000009_1006484****",
					ConferenceTopic: "cs_alicom_voip_conference", Host: "mqtt-cn-****.aliyuncs.com",
					PhoneTopic: "alicom_voip_phone", ReconnectTimeout: 2000, SDKClientPort: 8883,
					ServerID: "GID_VOIP@@@MTEuMTMuM****", SgwServerTopic: "alicom_voip_server_pre",
					TLSPort: 443, TokenData: "abcdef",
				}, tok)
			}},
		{action: "GetToken", call: rtcCall((*Client).GetToken, &GetTokenRequest{TokenType: TokenTypeDyvms}),
			want: &GetTokenResponse{
				ResponseMeta: ResponseMeta{RequestID: "D9CB3933-9FE3-4870-BA8E-2BEE91B69DDD", Code: "OK", Message: "OK"},
				Success:      true,
				Token:        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFjY2Vzc190ZXN0In0.eyJqdGkiOiJUTjhfRzFCaEpETTJ3LWVoeGJZZXRnIiwiaWF0IjoxNjIzMzk0NTI3LCJleHAiOjE2MjMzOTYzMjcsIm5iZiI6MTYyMzM5NDQ2Ny****",
			}},
	}
	rtcCheckSamples(t, cases)
}

// TestRtcInnerJSON: a malformed JSON-in-string field never fails the call;
// only its accessor reports the problem. An empty one decodes to zero.
func TestRtcInnerJSON(t *testing.T) {
	for module, wantErr := range map[string]bool{`"{not json"`: true, `""`: false, `null`: false} {
		c, _ := newRtcFake(t, func(string, url.Values) string {
			return `{"RequestId":"r","Code":"OK","Module":` + module + `}`
		})
		resp, err := c.GetRtcToken(context.Background(), nil)
		require.NoError(t, err)
		tok, err := resp.Token()
		assert.Equal(t, wantErr, err != nil, "Module %s: %v", module, err)
		assert.Zero(t, tok)
		vresp, err := c.VoipGetToken(context.Background(), nil)
		require.NoError(t, err)
		_, err = vresp.Token()
		assert.Equal(t, wantErr, err != nil, "Module %s: %v", module, err)
	}
	// Module as an inline object is kept as its JSON text and still decodes.
	c, _ := newRtcFake(t, func(string, url.Values) string {
		return `{"RequestId":"r","Code":"OK","Module":{"tokenData":"t","tlsport":"443"}}`
	})
	resp, err := c.VoipGetToken(context.Background(), nil)
	require.NoError(t, err)
	tok, err := resp.Token()
	require.NoError(t, err)
	assert.Equal(t, RtcToken{TokenData: "t", TLSPort: 443}, tok)
}

// TestRtcSuccessCodes: the MQTT Actions succeed on "200", the others on
// "OK"; any other Code comes back as *Error.
func TestRtcSuccessCodes(t *testing.T) {
	cases := []struct {
		call    rtcCaller
		code    string
		wantErr bool
	}{
		{rtcCall((*Client).GetMqttToken, nil), "200", false},
		{rtcCall((*Client).RefreshMqttToken, nil), "200", false},
		{rtcCall((*Client).GetCallInfo, nil), "OK", false},
		{rtcCall((*Client).GetMqttToken, nil), "isv.INVALID_PARAMETERS", true},
		{rtcCall((*Client).GetCallInfo, nil), "200", true},
	}
	for _, tc := range cases {
		c, _ := newRtcFake(t, func(string, url.Values) string {
			return `{"RequestId":"r","Code":"` + tc.code + `","Message":"m"}`
		})
		_, err := tc.call(context.Background(), c)
		if !tc.wantErr {
			assert.NoError(t, err)
			continue
		}
		var e *Error
		require.True(t, errors.As(err, &e), "Code %s: %v", tc.code, err)
		assert.Equal(t, ErrorCode(tc.code), e.Code)
		assert.Equal(t, "r", e.RequestID)
	}
}
