package dyvms

import "context"

// MenuKey maps one key the called party may press during an IvrCall to the
// prompt played in answer. It is sent flattened as MenuKeyMap.N.Key,
// MenuKeyMap.N.Code and MenuKeyMap.N.TtsParams, N from 1.
type MenuKey struct {
	// Key is the key the called party can press, for example "1".
	Key string `dyvms:"Key"`
	// Code is the prompt played when Key is pressed: a voice file ID or a
	// TTS template ID, for example "TTS_1235****".
	Code string `dyvms:"Code"`
	// TtsParams gives the variables of Code when it is a TTS template with
	// variables, sent as a JSON object with its keys sorted.
	TtsParams map[string]string `dyvms:"TtsParams,json,maxbytes=4096"`
}

// IvrCallRequest is the input of IvrCall.
type IvrCallRequest struct {
	// CalledNumber is the number to call (required): one mainland China
	// number per request.
	CalledNumber string `dyvms:"CalledNumber,required,phone"`
	// CalledShowNumber is the caller ID (required): a number purchased by
	// the account. Concurrency per number is limited.
	CalledShowNumber string `dyvms:"CalledShowNumber,required,phone"`
	// StartCode is the prompt played when the call is answered (required): a
	// voice file ID or a TTS template ID, for example "TTS_1234****".
	StartCode string `dyvms:"StartCode,required"`
	// StartTtsParams gives the variables of StartCode, sent as a JSON object
	// with its keys sorted. It is required when StartCode is a TTS template
	// that contains variables.
	StartTtsParams map[string]string `dyvms:"StartTtsParams,json,maxbytes=4096"`
	// MenuKeyMap is the key menu: for each key the called party may press,
	// the prompt to play.
	MenuKeyMap []MenuKey `dyvms:"MenuKeyMap"`
	// ByeCode is the prompt played before hanging up: a voice file ID or a
	// TTS template ID, of the same kind as StartCode.
	ByeCode string `dyvms:"ByeCode"`
	// ByeTtsParams gives the variables of ByeCode, sent as a JSON object with
	// its keys sorted. It is required when ByeCode is a TTS template that
	// contains variables.
	ByeTtsParams map[string]string `dyvms:"ByeTtsParams,json,maxbytes=4096"`
	// PlayTimes is how many times the start prompt is played, 1 to 3.
	PlayTimes int64 `dyvms:"PlayTimes,min=1,max=3"`
	// Timeout is how long to wait for a key press, in milliseconds.
	Timeout int32 `dyvms:"Timeout"`
	// OutID is your own reference for the call, at most 15 bytes, returned
	// unchanged in receipts: it is how a call whose outcome is unknown is
	// reconciled. When it is empty the client generates one (the request
	// is not modified); the response's OutID holds the one sent.
	OutID string `dyvms:"OutId,maxbytes=15"`
}

// IvrCallResponse is the output of IvrCall.
type IvrCallResponse struct {
	ResponseMeta
	// CallID identifies the call in receipts and in QueryCallDetailByCallId,
	// for example "116012354148^10281378****".
	CallID string `json:"CallId"`
	// OutID is the OutId the call was placed with: the request's, or the one the SDK generated when the request had none.
	OutID string `json:"-"`
}

func (r *IvrCallResponse) setOutID(id string) { r.OutID = id }

// IvrCall places an interactive voice response call: it plays StartCode when
// the call is answered, waits for a key press and plays the prompt that
// MenuKeyMap maps to that key, then ByeCode before hanging up. Required:
// CalledNumber, CalledShowNumber, StartCode. QPS: 1000 per user, 500 for the
// API.
//
// It places a call, so a failure after the request may have reached the
// service is never retried blindly: reconcile through OutID or CallID.
func (c *Client) IvrCall(ctx context.Context, req *IvrCallRequest, opts ...CallOption) (*IvrCallResponse, error) {
	return invokeTyped[IvrCallResponse](ctx, c, "IvrCall", req, opts)
}
