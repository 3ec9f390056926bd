package dyvms

// ResponseMeta is carried by every response: the request's ID and the
// service's status Code and Message (a success Code, since any other Code is
// returned as *Error).
type ResponseMeta struct {
	// RequestID identifies the request; quote it to Alibaba Cloud support.
	RequestID string `json:"RequestId"`
	// Code is the status code: "OK", or "200" for some Actions.
	Code string `json:"Code"`
	// Message describes Code.
	Message string `json:"Message"`
}

func (m *ResponseMeta) meta() *ResponseMeta { return m }

// typedResponse is implemented by every typed response through its
// embedded ResponseMeta.
type typedResponse interface {
	meta() *ResponseMeta
}
