package dyvms

import (
	"context"
	"time"
)

// This file holds the rtc group: real-time-communication (RTC/VoIP)
// accounts and tokens, the MQTT tokens of the VoIP client, VoIP number
// bindings, SIP accounts, RTC number authorisation and GetToken.
//
// Most of these Actions are documented only by the legacy SDK, which gives
// wire names and types but not whether a parameter is required. Their
// fields are therefore optional here and say so; the service rejects a
// request that lacks what it needs.

// AddRtcAccountRequest is the input of AddRtcAccount.
type AddRtcAccountRequest struct {
	// DeviceID identifies the device to register, for example "2256****";
	// one device maps to one account. The catalogue does not say whether it
	// is required, though the service almost certainly needs it.
	DeviceID string `dyvms:"DeviceId"`
}

// AddRtcAccountResponse is the output of AddRtcAccount.
type AddRtcAccountResponse struct {
	ResponseMeta
	// Module is the ID of the RTC account created for the device, for
	// example "200000****"; pass it as UserID to GetRtcToken and as RtcID to
	// GetCallInfo.
	Module string `json:"Module"`
}

// AddRtcAccount registers a device as a real-time-communication (RTC/VoIP)
// account and returns the account ID. No field is known to be required
// (DeviceID is almost certainly needed). QPS: 100 per user, 500 for the API.
func (c *Client) AddRtcAccount(ctx context.Context, req *AddRtcAccountRequest, opts ...CallOption) (*AddRtcAccountResponse, error) {
	return invokeTyped[AddRtcAccountResponse](ctx, c, "AddRtcAccount", req, opts)
}

// BindNumberAndVoipIdRequest is the input of BindNumberAndVoipId.
type BindNumberAndVoipIdRequest struct {
	// PhoneNumber is the phone number to bind. The catalogue does not say
	// whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
	// VoipID is the VoIP account ID to bind it to. The catalogue does not
	// say whether it is required.
	VoipID string `dyvms:"VoipId"`
}

// BindNumberAndVoipIdResponse is the output of BindNumberAndVoipId.
type BindNumberAndVoipIdResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// BindNumberAndVoipId binds a phone number to a VoIP account ID. No field
// is known to be required. No QPS limit is documented. The Action appears
// only in the legacy SDK.
func (c *Client) BindNumberAndVoipId(ctx context.Context, req *BindNumberAndVoipIdRequest, opts ...CallOption) (*BindNumberAndVoipIdResponse, error) {
	return invokeTyped[BindNumberAndVoipIdResponse](ctx, c, "BindNumberAndVoipId", req, opts)
}

// UnbindNumberAndVoipIdRequest is the input of UnbindNumberAndVoipId.
type UnbindNumberAndVoipIdRequest struct {
	// PhoneNumber is the phone number to unbind. The catalogue does not say
	// whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
	// VoipID is the VoIP account ID to unbind it from. The catalogue does
	// not say whether it is required.
	VoipID string `dyvms:"VoipId"`
}

// UnbindNumberAndVoipIdResponse is the output of UnbindNumberAndVoipId.
type UnbindNumberAndVoipIdResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// UnbindNumberAndVoipId removes the binding between a phone number and a
// VoIP account ID. No field is known to be required. No QPS limit is
// documented. The Action appears only in the legacy SDK.
func (c *Client) UnbindNumberAndVoipId(ctx context.Context, req *UnbindNumberAndVoipIdRequest, opts ...CallOption) (*UnbindNumberAndVoipIdResponse, error) {
	return invokeTyped[UnbindNumberAndVoipIdResponse](ctx, c, "UnbindNumberAndVoipId", req, opts)
}

// QueryVoipNumberBindInfosRequest is the input of QueryVoipNumberBindInfos.
type QueryVoipNumberBindInfosRequest struct {
	// PhoneNumber is the phone number to look up. The catalogue does not
	// say whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
	// VoipID is the VoIP account ID to look up. The catalogue does not say
	// whether it is required.
	VoipID string `dyvms:"VoipId"`
}

// QueryVoipNumberBindInfosResponse is the output of QueryVoipNumberBindInfos.
type QueryVoipNumberBindInfosResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// QueryVoipNumberBindInfos looks up the bindings between phone numbers and
// VoIP account IDs. No field is known to be required. No QPS limit is
// documented. The Action appears only in the legacy SDK.
func (c *Client) QueryVoipNumberBindInfos(ctx context.Context, req *QueryVoipNumberBindInfosRequest, opts ...CallOption) (*QueryVoipNumberBindInfosResponse, error) {
	return invokeTyped[QueryVoipNumberBindInfosResponse](ctx, c, "QueryVoipNumberBindInfos", req, opts)
}

// ReportVoipProblemsRequest is the input of ReportVoipProblems.
type ReportVoipProblemsRequest struct {
	// ChannelID is the ID of the call channel concerned, as GetCallInfo
	// reports it. The catalogue does not say whether it is required.
	ChannelID string `dyvms:"ChannelId"`
	// Desc describes the problem. The catalogue does not say whether it is
	// required.
	Desc string `dyvms:"Desc"`
	// Title is a short title of the problem. The catalogue does not say
	// whether it is required.
	Title string `dyvms:"Title"`
	// VoipID is the VoIP account ID that saw the problem. The catalogue does
	// not say whether it is required.
	VoipID string `dyvms:"VoipId"`
}

// ReportVoipProblemsResponse is the output of ReportVoipProblems.
type ReportVoipProblemsResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// ReportVoipProblems reports a quality problem observed on a VoIP call. No
// field is known to be required. No QPS limit is documented. The Action
// appears only in the legacy SDK.
func (c *Client) ReportVoipProblems(ctx context.Context, req *ReportVoipProblemsRequest, opts ...CallOption) (*ReportVoipProblemsResponse, error) {
	return invokeTyped[ReportVoipProblemsResponse](ctx, c, "ReportVoipProblems", req, opts)
}

// CreateSipAccountRequest is the input of CreateSipAccount.
type CreateSipAccountRequest struct {
	// BusinessKey is a business key of your choice for the SIP account. The
	// catalogue does not say whether it is required.
	BusinessKey string `dyvms:"BusinessKey"`
	// PartnerID is the partner that owns the SIP account. The catalogue does
	// not say whether it is required.
	PartnerID int64 `dyvms:"PartnerId"`
}

// SipAccount is a SIP account created by CreateSipAccount.
type SipAccount struct {
	// SipAccountID identifies the SIP account, for CloseSipAccount.
	SipAccountID string `json:"SipAccountID"`
	// VoipName is the SIP user name.
	VoipName string `json:"VoipName"`
	// VoipPassword is the SIP password. Treat it as a secret.
	VoipPassword string `json:"VoipPassword"`
}

// CreateSipAccountResponse is the output of CreateSipAccount.
type CreateSipAccountResponse struct {
	ResponseMeta
	// Data is the new SIP account.
	Data SipAccount `json:"Data"`
}

// CreateSipAccount creates a SIP account and returns its ID, user name and
// password. No field is known to be required. No QPS limit is documented.
// The Action appears only in the legacy SDK.
func (c *Client) CreateSipAccount(ctx context.Context, req *CreateSipAccountRequest, opts ...CallOption) (*CreateSipAccountResponse, error) {
	return invokeTyped[CreateSipAccountResponse](ctx, c, "CreateSipAccount", req, opts)
}

// CloseSipAccountRequest is the input of CloseSipAccount.
type CloseSipAccountRequest struct {
	// PartnerID is the partner that owns the SIP account. The catalogue does
	// not say whether it is required.
	PartnerID int64 `dyvms:"PartnerId"`
	// SipAccountID is the ID of the SIP account to close, as returned by
	// CreateSipAccount. The catalogue does not say whether it is required.
	// The wire name really is "SipAccountID", with a capital D.
	SipAccountID string `dyvms:"SipAccountID"`
}

// CloseSipAccountResponse is the output of CloseSipAccount.
type CloseSipAccountResponse struct {
	ResponseMeta
	// Data reports whether the SIP account was closed.
	Data bool `json:"Data"`
}

// CloseSipAccount closes (deactivates) a SIP account. No field is known to
// be required. No QPS limit is documented. The Action appears only in the
// legacy SDK.
func (c *Client) CloseSipAccount(ctx context.Context, req *CloseSipAccountRequest, opts ...CallOption) (*CloseSipAccountResponse, error) {
	return invokeTyped[CloseSipAccountResponse](ctx, c, "CloseSipAccount", req, opts)
}

// DoRtcNumberAuthRequest is the input of DoRtcNumberAuth.
type DoRtcNumberAuthRequest struct {
	// PhoneNumber is the phone number to authorise. The catalogue does not
	// say whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
}

// DoRtcNumberAuthResponse is the output of DoRtcNumberAuth.
type DoRtcNumberAuthResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// DoRtcNumberAuth starts the authorisation of a phone number for RTC
// calling. No field is known to be required. No QPS limit is documented.
// The Action appears only in the legacy SDK.
func (c *Client) DoRtcNumberAuth(ctx context.Context, req *DoRtcNumberAuthRequest, opts ...CallOption) (*DoRtcNumberAuthResponse, error) {
	return invokeTyped[DoRtcNumberAuthResponse](ctx, c, "DoRtcNumberAuth", req, opts)
}

// UndoRtcNumberAuthRequest is the input of UndoRtcNumberAuth.
type UndoRtcNumberAuthRequest struct {
	// PhoneNumber is the phone number whose authorisation is revoked. The
	// catalogue does not say whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
}

// UndoRtcNumberAuthResponse is the output of UndoRtcNumberAuth.
type UndoRtcNumberAuthResponse struct {
	ResponseMeta
	// Module is the result payload; its format is not publicly documented.
	Module string `json:"Module"`
}

// UndoRtcNumberAuth revokes the RTC calling authorisation of a phone
// number. No field is known to be required. No QPS limit is documented. The
// Action appears only in the legacy SDK.
func (c *Client) UndoRtcNumberAuth(ctx context.Context, req *UndoRtcNumberAuthRequest, opts ...CallOption) (*UndoRtcNumberAuthResponse, error) {
	return invokeTyped[UndoRtcNumberAuthResponse](ctx, c, "UndoRtcNumberAuth", req, opts)
}

// QueryRtcNumberAuthStatusRequest is the input of QueryRtcNumberAuthStatus.
type QueryRtcNumberAuthStatusRequest struct {
	// PhoneNumber is the phone number concerned. The catalogue does not say
	// whether it is required.
	PhoneNumber string `dyvms:"PhoneNumber"`
}

// QueryRtcNumberAuthStatusResponse is the output of QueryRtcNumberAuthStatus.
type QueryRtcNumberAuthStatusResponse struct {
	ResponseMeta
	// Module is the authorisation status; its format is not publicly
	// documented.
	Module string `json:"Module"`
}

// QueryRtcNumberAuthStatus queries the RTC calling authorisation status of
// a phone number. No field is known to be required. No QPS limit is
// documented. The Action appears only in the legacy SDK.
func (c *Client) QueryRtcNumberAuthStatus(ctx context.Context, req *QueryRtcNumberAuthStatusRequest, opts ...CallOption) (*QueryRtcNumberAuthStatusResponse, error) {
	return invokeTyped[QueryRtcNumberAuthStatusResponse](ctx, c, "QueryRtcNumberAuthStatus", req, opts)
}

// GetCallInfoRequest is the input of GetCallInfo.
type GetCallInfoRequest struct {
	// RtcID is the RTC account ID returned by AddRtcAccount, for example
	// "2235****". The catalogue does not say whether it is required, though
	// the service almost certainly needs it.
	RtcID string `dyvms:"RtcId"`
}

// RtcCallStatus is the call state of an RTC account.
type RtcCallStatus string

// RTC call states reported by GetCallInfo.
const (
	RtcCallIdle        RtcCallStatus = "Idle"
	RtcCallCalling     RtcCallStatus = "Calling"
	RtcCallTalking     RtcCallStatus = "Talking"
	RtcCallTerminating RtcCallStatus = "Terminating"
)

// RtcCallInfo is the current call of an RTC account.
type RtcCallInfo struct {
	// ChannelID identifies the call channel, for example "112323123123****".
	ChannelID string `json:"ChannelId"`
	// Status is the call state: Idle, Calling, Talking or Terminating.
	Status RtcCallStatus `json:"Status"`
}

// GetCallInfoResponse is the output of GetCallInfo.
type GetCallInfoResponse struct {
	ResponseMeta
	// Data is the account's current call.
	Data RtcCallInfo `json:"Data"`
}

// GetCallInfo returns the current call state and channel ID of an RTC
// account. No field is known to be required (RtcID is almost certainly
// needed). QPS: 100 per user, 500 for the API.
func (c *Client) GetCallInfo(ctx context.Context, req *GetCallInfoRequest, opts ...CallOption) (*GetCallInfoResponse, error) {
	return invokeTyped[GetCallInfoResponse](ctx, c, "GetCallInfo", req, opts)
}

// GetRtcTokenRequest is the input of GetRtcToken.
type GetRtcTokenRequest struct {
	// DeviceID identifies the device, for example "2256****"; a UUID is
	// recommended. Tokens differ per device, so one account may log in on
	// several devices. The catalogue does not say whether it is required.
	DeviceID string `dyvms:"DeviceId"`
	// IsCustomAccount says whether UserID is your own account ID (true) or
	// an RTC account ID from AddRtcAccount (false, the service's default).
	// It is a pointer so that false can be sent explicitly:
	// dyvms.Ptr(false). The catalogue does not say whether it is required.
	IsCustomAccount *bool `dyvms:"IsCustomAccount"`
	// UserID is the user: your own account ID when IsCustomAccount is set,
	// otherwise the RTC account ID returned by AddRtcAccount, for example
	// "500700****". The catalogue does not say whether it is required.
	UserID string `dyvms:"UserId"`
}

// RtcToken is the token and MQTT connection settings a device needs to use
// the RTC/VoIP client SDK: the decoded Module of GetRtcToken.
type RtcToken struct {
	// CleanSession is the MQTT clean-session flag.
	CleanSession bool `json:"cleansession"`
	// ClientID is the MQTT client ID.
	ClientID string `json:"clientId"`
	// ConferenceTopic is the topic of conference events.
	ConferenceTopic string `json:"conferenceTopic"`
	// Host is the MQTT broker host.
	Host string `json:"host"`
	// MeetingEventKeepAliveInterval is the keep-alive interval of meeting
	// events.
	MeetingEventKeepAliveInterval int64 `json:"meetingEventKeepAliveInterval"`
	// PhoneTopic is the topic of phone events.
	PhoneTopic string `json:"phoneTopic"`
	// Port is the broker port.
	Port int64 `json:"port"`
	// ReconnectTimeout is the reconnect timeout in milliseconds.
	ReconnectTimeout int64 `json:"reconnectTimeout"`
	// RegisterTime is the registration time.
	RegisterTime int64 `json:"registerTime"`
	// SDKClientPort is the client port the SDK uses, for example 8883.
	SDKClientPort int64 `json:"sdkClientPort"`
	// ServerID is the server-side MQTT ID.
	ServerID string `json:"serverId"`
	// SgwServerTopic is the topic of the signalling gateway.
	SgwServerTopic string `json:"sgwServerTopic"`
	// TLSPort is the TLS port, for example 443.
	TLSPort int64 `json:"tlsport"`
	// TokenData is the token itself.
	TokenData string `json:"tokenData"`
	// UseTLS says whether to connect over TLS.
	UseTLS bool `json:"useTLS"`
}

// GetRtcTokenResponse is the output of GetRtcToken.
type GetRtcTokenResponse struct {
	ResponseMeta
	// Module is a JSON document with the token and the MQTT connection
	// settings, to be passed unchanged to the client SDK. Token decodes it.
	Module string `json:"Module"`
}

// Token decodes Module. An empty Module gives the zero RtcToken; a
// malformed one is an error here and never fails the call itself.
func (r *GetRtcTokenResponse) Token() (RtcToken, error) {
	return decodeInner[RtcToken]("GetRtcToken", "Module", r.Module)
}

// GetRtcToken returns the connection token and MQTT settings a device needs
// to use the RTC/VoIP client SDK; Token decodes them. No field is known to be
// required. QPS: 5000 per user (the source may mean 500), 1000 for the API.
func (c *Client) GetRtcToken(ctx context.Context, req *GetRtcTokenRequest, opts ...CallOption) (*GetRtcTokenResponse, error) {
	return invokeTyped[GetRtcTokenResponse](ctx, c, "GetRtcToken", req, opts)
}

// VoipAddAccountRequest is the input of VoipAddAccount.
type VoipAddAccountRequest struct {
	// DeviceID identifies the device to register. The catalogue does not say
	// whether it is required.
	DeviceID string `dyvms:"DeviceId"`
}

// VoipAddAccountResponse is the output of VoipAddAccount.
type VoipAddAccountResponse struct {
	ResponseMeta
	// Module is the ID of the VoIP account created for the device; its
	// format is not publicly documented.
	Module string `json:"Module"`
}

// VoipAddAccount registers a device as a VoIP account; it is the older
// variant of AddRtcAccount. No field is known to be required. No QPS limit
// is documented. The Action appears only in the legacy SDK.
func (c *Client) VoipAddAccount(ctx context.Context, req *VoipAddAccountRequest, opts ...CallOption) (*VoipAddAccountResponse, error) {
	return invokeTyped[VoipAddAccountResponse](ctx, c, "VoipAddAccount", req, opts)
}

// VoipGetTokenRequest is the input of VoipGetToken.
type VoipGetTokenRequest struct {
	// DeviceID identifies the device. The catalogue does not say whether it
	// is required.
	DeviceID string `dyvms:"DeviceId"`
	// IsCustomAccount says whether VoipID is your own account ID. It is a
	// pointer so that false can be sent explicitly: dyvms.Ptr(false). The
	// catalogue does not say whether it is required.
	IsCustomAccount *bool `dyvms:"IsCustomAccount"`
	// VoipID is the VoIP account ID, or your own ID for a custom account.
	// The catalogue does not say whether it is required.
	VoipID string `dyvms:"VoipId"`
}

// VoipGetTokenResponse is the output of VoipGetToken.
type VoipGetTokenResponse struct {
	ResponseMeta
	// Module is the token payload for the VoIP client. No source shows it;
	// it is presumably the same JSON document as GetRtcToken's Module, which
	// Token decodes.
	Module string `json:"Module"`
}

// Token decodes Module, presumed to be the JSON document GetRtcToken
// returns. An empty Module gives the zero RtcToken; a malformed one is an
// error here and never fails the call itself.
func (r *VoipGetTokenResponse) Token() (RtcToken, error) {
	return decodeInner[RtcToken]("VoipGetToken", "Module", r.Module)
}

// VoipGetToken returns the VoIP connection token of a device; it is the
// older variant of GetRtcToken. No field is known to be required. No QPS
// limit is documented. The Action appears only in the legacy SDK.
func (c *Client) VoipGetToken(ctx context.Context, req *VoipGetTokenRequest, opts ...CallOption) (*VoipGetTokenResponse, error) {
	return invokeTyped[VoipGetTokenResponse](ctx, c, "VoipGetToken", req, opts)
}

// MqttToken is an MQTT token and the connection details of the VoIP client,
// as returned by GetMqttToken and RefreshMqttToken.
type MqttToken struct {
	// ClientID is the MQTT client ID, needed by RefreshMqttToken.
	ClientID string `json:"ClientId"`
	// ExpireTime is when the token expires, in Unix milliseconds as a
	// string, for example "1636950919305"; Expiry parses it.
	ExpireTime string `json:"ExpireTime"`
	// Host is the MQTT broker host.
	Host string `json:"Host"`
	// InstanceID is the MQTT instance ID.
	InstanceID string `json:"InstanceId"`
	// P2pTopic is the MQTT topic of point-to-point messages.
	P2pTopic string `json:"P2pTopic"`
	// ServerID is the server-side client ID.
	ServerID string `json:"ServerId"`
	// Token is the MQTT token. Treat it as a secret.
	Token string `json:"Token"`
	// Username is the MQTT user name.
	Username string `json:"Username"`
}

// ExpiresAt returns ExpireTime (Unix milliseconds) as a time, or the zero
// time if it is empty or not a number of milliseconds.
func (t MqttToken) ExpiresAt() time.Time { return epochMillis(t.ExpireTime) }

// GetMqttTokenRequest is the input of GetMqttToken, which takes no
// parameters of its own. A nil request is accepted.
type GetMqttTokenRequest struct{}

// GetMqttTokenResponse is the output of GetMqttToken.
type GetMqttTokenResponse struct {
	ResponseMeta
	// Data is the token and its connection details.
	Data MqttToken `json:"Data"`
}

// GetMqttToken obtains an MQTT connection token and the connection details
// of the VoIP client. It has no parameters; req may be nil. Its success
// Code is "200". QPS: 100 per user; no API limit is documented.
func (c *Client) GetMqttToken(ctx context.Context, req *GetMqttTokenRequest, opts ...CallOption) (*GetMqttTokenResponse, error) {
	return invokeTyped[GetMqttTokenResponse](ctx, c, "GetMqttToken", req, opts)
}

// RefreshMqttTokenRequest is the input of RefreshMqttToken.
type RefreshMqttTokenRequest struct {
	// ClientID is the MQTT client ID returned by GetMqttToken, for example
	// "GID_VOIP_CRC@@@709923dcd8fa41ef9cdbabdd49c****". The catalogue does
	// not say whether it is required, though the service almost certainly
	// needs it.
	ClientID string `dyvms:"ClientId"`
}

// RefreshMqttTokenResponse is the output of RefreshMqttToken.
type RefreshMqttTokenResponse struct {
	ResponseMeta
	// Data is the refreshed token and its connection details.
	Data MqttToken `json:"Data"`
}

// RefreshMqttToken refreshes the MQTT token of an MQTT client ID. No field
// is known to be required (ClientID is almost certainly needed). Its success
// Code is "200". QPS: 100 per user; no API limit is documented.
func (c *Client) RefreshMqttToken(ctx context.Context, req *RefreshMqttTokenRequest, opts ...CallOption) (*RefreshMqttTokenResponse, error) {
	return invokeTyped[RefreshMqttTokenResponse](ctx, c, "RefreshMqttToken", req, opts)
}

// TokenType is the kind of token GetToken issues.
type TokenType string

// Token types. The catalogue gives only "dyvms" as an example; other values
// may be accepted.
const (
	// TokenTypeDyvms asks for a token of the voice service's client SDK.
	TokenTypeDyvms TokenType = "dyvms"
)

// GetTokenRequest is the input of GetToken.
type GetTokenRequest struct {
	// TokenType is the type of token requested, for example TokenTypeDyvms.
	// The catalogue marks it optional, although the service probably needs
	// it.
	TokenType TokenType `dyvms:"TokenType"`
}

// GetTokenResponse is the output of GetToken.
type GetTokenResponse struct {
	ResponseMeta
	// Success reports whether the call succeeded (sent as "true" by the
	// service, decoded either way).
	Success bool `json:"Success"`
	// Token is the token, a JWT. Treat it as a secret.
	Token string `json:"Token"`
}

// GetToken obtains an authentication token of a given type, for example for
// the voice service's client SDK. No field is required. QPS: 20 per user and
// 100 for the API (current public docs say 5 per user).
func (c *Client) GetToken(ctx context.Context, req *GetTokenRequest, opts ...CallOption) (*GetTokenResponse, error) {
	return invokeTyped[GetTokenResponse](ctx, c, "GetToken", req, opts)
}
