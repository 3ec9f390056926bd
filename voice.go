package dyvms

import "context"

// SingleCallByTtsRequest is the input of SingleCallByTts.
type SingleCallByTtsRequest struct {
	// CalledNumber is the number to call (required): one mainland China
	// mobile or landline number, or a country code and number outside the
	// mainland. Each number is flow-controlled (1 call a minute, 5 an hour,
	// 20 a day).
	CalledNumber string `dyvms:"CalledNumber,required,phone"`
	// CalledShowNumber is the caller ID shown to the called party. Leave it
	// empty in shared (public) mode; in dedicated mode give a number you
	// purchased.
	CalledShowNumber string `dyvms:"CalledShowNumber,phone"`
	// TtsCode is the ID of an approved TTS template (required), for example
	// "TTS_100000".
	TtsCode string `dyvms:"TtsCode,required"`
	// TtsParam gives the template variables, sent as a JSON object with its
	// keys sorted. All values together stay under 250 characters; no URLs;
	// verification-code variables are digits and letters only.
	TtsParam map[string]string `dyvms:"TtsParam,json,maxbytes=4096"`
	// PlayTimes is how many times the message is played, 1 to 3 (default 3).
	PlayTimes int32 `dyvms:"PlayTimes,min=1,max=3"`
	// Volume is the playback volume, 0 to 100 (default 100). Use Ptr(0) to
	// send 0.
	Volume *int32 `dyvms:"Volume,min=0,max=100"`
	// Speed is the playback speed, -500 to 500. Use Ptr(0) to send 0.
	Speed *int32 `dyvms:"Speed,min=-500,max=500"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// SingleCallByTtsResponse is the output of SingleCallByTts.
type SingleCallByTtsResponse struct {
	ResponseMeta
	// CallID identifies the call in receipts and in QueryCallDetailByCallId,
	// for example "116012354148^10281378****".
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *SingleCallByTtsResponse) setOutID(id string) { r.OutID = id }

// SingleCallByTts places a call to one number that reads a text-to-speech
// template: a voice verification code or a notification with variables.
// Required: CalledNumber, TtsCode. QPS: 1000 per user, 4000 for the API.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) SingleCallByTts(ctx context.Context, req *SingleCallByTtsRequest, opts ...CallOption) (*SingleCallByTtsResponse, error) {
	return invokeTyped[SingleCallByTtsResponse](ctx, c, "SingleCallByTts", req, opts)
}

// SingleCallByVoiceRequest is the input of SingleCallByVoice.
type SingleCallByVoiceRequest struct {
	// CalledNumber is the number to call (required): one mainland China
	// mobile or landline number, or a country code and number outside the
	// mainland.
	CalledNumber string `dyvms:"CalledNumber,required,phone"`
	// CalledShowNumber is the caller ID shown to the called party. Leave it
	// empty in shared (public) mode; in dedicated mode give a number you
	// purchased.
	CalledShowNumber string `dyvms:"CalledShowNumber,phone"`
	// VoiceCode is the voice ID of an approved voice-notification file
	// (required), for example "2d4c-4e78-8d2a-afbb06cf****.wav".
	VoiceCode string `dyvms:"VoiceCode,required"`
	// PlayTimes is how many times the file is played, 1 to 3.
	PlayTimes int32 `dyvms:"PlayTimes,min=1,max=3"`
	// Volume is the playback volume, 0 to 100 (default 100). Use Ptr(0) to
	// send 0.
	Volume *int32 `dyvms:"Volume,min=0,max=100"`
	// Speed is the playback speed, -500 to 500. Use Ptr(0) to send 0.
	Speed *int32 `dyvms:"Speed,min=-500,max=500"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// SingleCallByVoiceResponse is the output of SingleCallByVoice.
type SingleCallByVoiceResponse struct {
	ResponseMeta
	// CallID identifies the call in receipts and in QueryCallDetailByCallId.
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *SingleCallByVoiceResponse) setOutID(id string) { r.OutID = id }

// SingleCallByVoice places a call to one number that plays an approved
// voice-notification file. Required: CalledNumber, VoiceCode. QPS: 1200 per
// user, 3600 for the API.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) SingleCallByVoice(ctx context.Context, req *SingleCallByVoiceRequest, opts ...CallOption) (*SingleCallByVoiceResponse, error) {
	return invokeTyped[SingleCallByVoiceResponse](ctx, c, "SingleCallByVoice", req, opts)
}

// CancelCallRequest is the input of CancelCall.
type CancelCallRequest struct {
	// CallID is the ID of the call to cancel, as returned by ClickToDial
	// (required).
	CallID string `dyvms:"CallId,required"`
}

// CancelCallResponse is the output of CancelCall.
type CancelCallResponse struct {
	ResponseMeta
	// Status reports whether the call was cancelled.
	Status bool `json:"Status"`
}

// CancelCall cancels a call placed by ClickToDial that has not ended.
// Required: CallID. No QPS limit is documented.
func (c *Client) CancelCall(ctx context.Context, req *CancelCallRequest, opts ...CallOption) (*CancelCallResponse, error) {
	return invokeTyped[CancelCallResponse](ctx, c, "CancelCall", req, opts)
}

// ClickToDialRequest is the input of ClickToDial.
type ClickToDialRequest struct {
	// CallerNumber is the first leg's number, called first (required;
	// mainland China numbers only).
	CallerNumber string `dyvms:"CallerNumber,required,phone"`
	// CallerShowNumber is the number shown to the first leg (required); a
	// number purchased by the account (public-pool numbers are not
	// supported).
	CallerShowNumber string `dyvms:"CallerShowNumber,required,phone"`
	// CalledNumber is the second leg's number (required; mainland China
	// numbers only).
	CalledNumber string `dyvms:"CalledNumber,required,phone"`
	// CalledShowNumber is the number shown to the second leg (required); a
	// number purchased by the account.
	CalledShowNumber string `dyvms:"CalledShowNumber,required,phone"`
	// RecordFlag records the conversation.
	RecordFlag bool `dyvms:"RecordFlag"`
	// AsrFlag turns on real-time speech recognition.
	AsrFlag bool `dyvms:"AsrFlag"`
	// AsrModelID is the ASR model to use (see ASR model management in the
	// console).
	AsrModelID string `dyvms:"AsrModelId"`
	// SessionTimeout is the longest the call may last, in seconds; the call
	// is hung up when it is reached.
	SessionTimeout int32 `dyvms:"SessionTimeout"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// ClickToDialResponse is the output of ClickToDial.
type ClickToDialResponse struct {
	ResponseMeta
	// CallID identifies the call, for CancelCall and QueryCallDetailByCallId.
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *ClickToDialResponse) setOutID(id string) { r.OutID = id }

// ClickToDial places a two-party ("click to dial") call: the service calls
// CallerNumber, then connects it to CalledNumber. Required: CallerNumber,
// CallerShowNumber, CalledNumber, CalledShowNumber. No QPS limit is
// documented.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) ClickToDial(ctx context.Context, req *ClickToDialRequest, opts ...CallOption) (*ClickToDialResponse, error) {
	return invokeTyped[ClickToDialResponse](ctx, c, "ClickToDial", req, opts)
}
