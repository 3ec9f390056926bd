package dyvms

import (
	"context"
	"iter"
	"time"
)

// This file holds the hotline group: transfer of calls to a China 400
// hotline number — its qualification, the registration of transfer
// targets (with the SMS code of SendVerification), the callee pool and the
// transfer records.

// HotlineQualificationStatus is the state of a 400-hotline qualification.
type HotlineQualificationStatus string

// 400-hotline qualification states.
const (
	// HotlineQualificationNormal ("NORMAL") is a qualification in force.
	HotlineQualificationNormal HotlineQualificationStatus = "NORMAL"
	// HotlineQualificationOther ("OTHER") is any other state.
	HotlineQualificationOther HotlineQualificationStatus = "OTHER"
)

// TransferRouteMode is how an inbound 400 call picks its transfer target
// from the callee pool.
type TransferRouteMode string

// Transfer target selection modes.
const (
	// TransferRoundRobin ("roundRobin") tries the targets in turn.
	TransferRoundRobin TransferRouteMode = "roundRobin"
	// TransferRandom ("random") picks a target at random.
	TransferRandom TransferRouteMode = "random"
)

// VerificationBizType is the business type of SendVerification.
type VerificationBizType string

// VerificationBizContact ("CONTACT") is the only documented business type:
// verifying a handler's contact number for SubmitHotlineTransferRegister.
const VerificationBizContact VerificationBizType = "CONTACT"

// VerifyType is the channel SendVerification delivers its code through.
type VerifyType string

// VerifyTypeSMS ("SMS") is the only documented channel.
const VerifyTypeSMS VerifyType = "SMS"

// HotlineAgreement is the commitment SubmitHotlineTransferRegister needs
// that the submitted information is authentic. The wire takes the strings
// "true" and "false".
type HotlineAgreement string

// Values of HotlineAgreement.
const (
	// AgreementTrue ("true") commits that the information is authentic.
	AgreementTrue HotlineAgreement = "true"
	// AgreementFalse ("false") does not; the service will not accept the
	// registration.
	AgreementFalse HotlineAgreement = "false"
)

// GetHotlineQualificationByOrderRequest is the input of
// GetHotlineQualificationByOrder.
type GetHotlineQualificationByOrderRequest struct {
	// OrderID is the ID of the 400 qualification order (ticket), shown in
	// the console's qualification management (required).
	OrderID string `dyvms:"OrderId,required"`
}

// HotlineQualification is the qualification found for an order.
type HotlineQualification struct {
	// OrderID is the qualification order (ticket) ID.
	OrderID string `json:"OrderId"`
	// QualificationID is the qualification ID, needed by the other hotline
	// Actions.
	QualificationID string `json:"QualificationId"`
	// Status is the qualification's state. The API reference's own sample
	// shows "NORMA", so compare leniently.
	Status HotlineQualificationStatus `json:"Status"`
}

// GetHotlineQualificationByOrderResponse is the output of
// GetHotlineQualificationByOrder.
type GetHotlineQualificationByOrderResponse struct {
	ResponseMeta
	// Qualification is the qualification found (wire name Data).
	Qualification HotlineQualification `json:"Data"`
}

// GetHotlineQualificationByOrder looks up the 400-hotline qualification ID
// and state from a qualification order (ticket) ID. Required: OrderID.
// QPS: 1000 per user, 500 for the API.
func (c *Client) GetHotlineQualificationByOrder(ctx context.Context, req *GetHotlineQualificationByOrderRequest, opts ...CallOption) (*GetHotlineQualificationByOrderResponse, error) {
	return invokeTyped[GetHotlineQualificationByOrderResponse](ctx, c, "GetHotlineQualificationByOrder", req, opts)
}

// ListHotlineTransferNumberRequest is the input of ListHotlineTransferNumber.
type ListHotlineTransferNumberRequest struct {
	// HotlineNumber is the 400 number (required).
	HotlineNumber string `dyvms:"HotlineNumber,required"`
	// QualificationID is the 400-hotline qualification ID, from
	// GetHotlineQualificationByOrder (required).
	QualificationID string `dyvms:"QualificationId,required"`
	// PageNo is the page to return, from 1 (default 1).
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of entries per page, 1 to 10.
	PageSize int32 `dyvms:"PageSize,min=1,max=10"`
}

// HotlineTransferNumber is one number registered as a transfer target of a
// 400 number.
type HotlineTransferNumber struct {
	// PhoneNumber is the registered transfer number.
	PhoneNumber string `json:"PhoneNumber"`
	// NumberOwnerName is the real or company name of the number's owner.
	NumberOwnerName string `json:"NumberOwnerName"`
	// IdentityCard is the owner's ID card number.
	IdentityCard string `json:"IdentityCard"`
	// HotlineNumber is the 400 number.
	HotlineNumber string `json:"HotlineNumber"`
	// QualificationID is the qualification ID.
	QualificationID string `json:"QualificationId"`
	// ResUniqueCode is the resource code.
	ResUniqueCode string `json:"ResUniqueCode"`
}

// HotlineTransferNumberPage is one page of ListHotlineTransferNumber.
type HotlineTransferNumberPage struct {
	// PageNo is the page returned.
	PageNo int32 `json:"PageNo"`
	// PageSize is the number of entries per page.
	PageSize int32 `json:"PageSize"`
	// Total is the number of entries in the whole listing.
	Total int64 `json:"Total"`
	// Values are the numbers on this page.
	Values []HotlineTransferNumber `json:"Values"`
}

// ListHotlineTransferNumberResponse is the output of
// ListHotlineTransferNumber.
type ListHotlineTransferNumberResponse struct {
	ResponseMeta
	// Page is the page of results (wire name Data).
	Page HotlineTransferNumberPage `json:"Data"`
}

// ListHotlineTransferNumber lists, one page at a time, the numbers
// registered as transfer targets of a 400 number. Required: HotlineNumber,
// QualificationID. QPS: 1000 per user, 500 for the API.
// ListHotlineTransferNumberAll walks every page.
func (c *Client) ListHotlineTransferNumber(ctx context.Context, req *ListHotlineTransferNumberRequest, opts ...CallOption) (*ListHotlineTransferNumberResponse, error) {
	return invokeTyped[ListHotlineTransferNumberResponse](ctx, c, "ListHotlineTransferNumber", req, opts)
}

// ListHotlineTransferNumberAll iterates over every number
// ListHotlineTransferNumber returns for req, from req.PageNo (or 1) to the
// last page. It stops at the listing's Total, at the first error (yielded
// once), or when ctx is done; req itself is never modified.
func (c *Client) ListHotlineTransferNumberAll(ctx context.Context, req *ListHotlineTransferNumberRequest, opts ...CallOption) iter.Seq2[HotlineTransferNumber, error] {
	return listAll(ctx, req, func(r *ListHotlineTransferNumberRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *ListHotlineTransferNumberRequest) (page[HotlineTransferNumber], error) {
			resp, err := c.ListHotlineTransferNumber(ctx, r, opts...)
			if err != nil {
				return page[HotlineTransferNumber]{}, err
			}
			p := resp.Page
			return page[HotlineTransferNumber]{items: p.Values, total: p.Total, size: pageSizeOr(int64(p.PageSize), int64(r.PageSize))}, nil
		})
}

// ListHotlineTransferRegisterFileRequest is the input of
// ListHotlineTransferRegisterFile.
type ListHotlineTransferRegisterFileRequest struct {
	// HotlineNumber is the 400 number (required).
	HotlineNumber string `dyvms:"HotlineNumber,required"`
	// QualificationID is the 400-hotline qualification ID, from
	// GetHotlineQualificationByOrder (required).
	QualificationID string `dyvms:"QualificationId,required"`
	// PageNo is the page to return, from 1 (default 1).
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of entries per page, 1 to 10.
	PageSize int32 `dyvms:"PageSize,min=1,max=10"`
}

// HotlineTransferRegistration is one transfer-registration record of a 400
// number.
type HotlineTransferRegistration struct {
	// HotlineNumber is the 400 number.
	HotlineNumber string `json:"HotlineNumber"`
	// QualificationID is the qualification ID.
	QualificationID string `json:"QualificationId"`
	// CorpName is the company's name.
	CorpName string `json:"CorpName"`
	// MngOpName is the handler's name.
	MngOpName string `json:"MngOpName"`
	// MngOpIdentityCard is the handler's ID card number.
	MngOpIdentityCard string `json:"MngOpIdentityCard"`
	// MngOpMail is the handler's e-mail address.
	MngOpMail string `json:"MngOpMail"`
	// MngOpMobile is the handler's mobile number.
	MngOpMobile string `json:"MngOpMobile"`
	// Agree is the authenticity commitment, "true" or "false".
	Agree string `json:"Agree"`
	// ResUniqueCode is the record's unique code.
	ResUniqueCode int64 `json:"ResUniqueCode"`
}

// HotlineTransferRegistrationPage is one page of
// ListHotlineTransferRegisterFile.
type HotlineTransferRegistrationPage struct {
	// PageNo is the page returned.
	PageNo int32 `json:"PageNo"`
	// PageSize is the number of entries per page.
	PageSize int32 `json:"PageSize"`
	// Total is the number of entries in the whole listing.
	Total int64 `json:"Total"`
	// Values are the records on this page.
	Values []HotlineTransferRegistration `json:"Values"`
}

// ListHotlineTransferRegisterFileResponse is the output of
// ListHotlineTransferRegisterFile.
type ListHotlineTransferRegisterFileResponse struct {
	ResponseMeta
	// Page is the page of results (wire name Data).
	Page HotlineTransferRegistrationPage `json:"Data"`
}

// ListHotlineTransferRegisterFile lists, one page at a time, the
// transfer-registration records filed for a 400 number. Required:
// HotlineNumber, QualificationID. QPS: 1000 per user, 500 for the API.
// ListHotlineTransferRegisterFileAll walks every page.
func (c *Client) ListHotlineTransferRegisterFile(ctx context.Context, req *ListHotlineTransferRegisterFileRequest, opts ...CallOption) (*ListHotlineTransferRegisterFileResponse, error) {
	return invokeTyped[ListHotlineTransferRegisterFileResponse](ctx, c, "ListHotlineTransferRegisterFile", req, opts)
}

// ListHotlineTransferRegisterFileAll iterates over every record
// ListHotlineTransferRegisterFile returns for req, from req.PageNo (or 1)
// to the last page. It stops at the listing's Total, at the first error
// (yielded once), or when ctx is done; req itself is never modified.
func (c *Client) ListHotlineTransferRegisterFileAll(ctx context.Context, req *ListHotlineTransferRegisterFileRequest, opts ...CallOption) iter.Seq2[HotlineTransferRegistration, error] {
	return listAll(ctx, req, func(r *ListHotlineTransferRegisterFileRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *ListHotlineTransferRegisterFileRequest) (page[HotlineTransferRegistration], error) {
			resp, err := c.ListHotlineTransferRegisterFile(ctx, r, opts...)
			if err != nil {
				return page[HotlineTransferRegistration]{}, err
			}
			p := resp.Page
			return page[HotlineTransferRegistration]{items: p.Values, total: p.Total, size: pageSizeOr(int64(p.PageSize), int64(r.PageSize))}, nil
		})
}

// QueryCallInPoolTransferConfigRequest is the input of
// QueryCallInPoolTransferConfig.
type QueryCallInPoolTransferConfigRequest struct {
	// PhoneNumber is the 400 number whose configuration is read (required).
	PhoneNumber string `dyvms:"PhoneNumber,required"`
}

// TransferPoolTarget is one transfer target of a 400 number's callee pool.
type TransferPoolTarget struct {
	// Called is the target number.
	Called string `json:"Called"`
}

// TransferCalleePoolConfig is the inbound-call transfer configuration of a
// 400 number.
type TransferCalleePoolConfig struct {
	// CalledRouteMode is how a target is chosen.
	CalledRouteMode TransferRouteMode `json:"CalledRouteMode"`
	// Details are the transfer targets.
	Details []TransferPoolTarget `json:"Details"`
	// TransferTimeout is the transfer timeout in seconds, as a string.
	TransferTimeout string `json:"TransferTimeout"`
	// GmtCreate is when the configuration was created, in Unix
	// milliseconds; see CreatedAt.
	GmtCreate int64 `json:"GmtCreate"`
}

// CreatedAt returns GmtCreate as a time, or the zero time if it is unset.
func (c TransferCalleePoolConfig) CreatedAt() time.Time { return millisTime(c.GmtCreate) }

// QueryCallInPoolTransferConfigResponse is the output of
// QueryCallInPoolTransferConfig.
type QueryCallInPoolTransferConfigResponse struct {
	ResponseMeta
	// Config is the transfer configuration (wire name Data).
	Config TransferCalleePoolConfig `json:"Data"`
}

// QueryCallInPoolTransferConfig returns the inbound-call transfer
// configuration of a 400 number: the routing mode, the timeout and the
// target numbers. Required: PhoneNumber. QPS: 1000 per user, 500 for the
// API.
func (c *Client) QueryCallInPoolTransferConfig(ctx context.Context, req *QueryCallInPoolTransferConfigRequest, opts ...CallOption) (*QueryCallInPoolTransferConfigResponse, error) {
	return invokeTyped[QueryCallInPoolTransferConfigResponse](ctx, c, "QueryCallInPoolTransferConfig", req, opts)
}

// QueryCallInTransferRecordRequest is the input of QueryCallInTransferRecord.
type QueryCallInTransferRecordRequest struct {
	// PhoneNumber is the 400 number whose transfer records are listed
	// (required).
	PhoneNumber string `dyvms:"PhoneNumber,required"`
	// QueryDate is the day to query (required); all records of that day
	// are returned. It is sent as "yyyy-MM-dd HH:mm:ss" in China Standard
	// Time (UTC+8), whatever the time's location; midnight of the day is
	// customary, for example "2021-06-28 00:00:00".
	QueryDate time.Time `dyvms:"QueryDate,datetime,required"`
	// PageNo is the page to return, from 1 (required).
	PageNo int64 `dyvms:"PageNo,required"`
	// PageSize is the number of entries per page, 1 to 10 (required).
	PageSize int64 `dyvms:"PageSize,required,min=1,max=10"`
	// CallInCaller filters by the inbound caller's number.
	CallInCaller string `dyvms:"CallInCaller"`
}

// CallInTransferRecord is one inbound call transferred by a 400 number.
type CallInTransferRecord struct {
	// CallInCaller is the inbound caller's number.
	CallInCaller string `json:"CallInCaller"`
	// CallInCalled is the inbound called (400) number.
	CallInCalled string `json:"CallInCalled"`
	// TransferCaller is the calling number of the transfer leg.
	TransferCaller string `json:"TransferCaller"`
	// TransferCalled is the number the call was transferred to.
	TransferCalled string `json:"TransferCalled"`
	// RecordURL is the recording's download URL (signed, time-limited).
	RecordURL string `json:"RecordUrl"`
	// GmtCreate is when the record was made, in Unix milliseconds; see
	// CreatedAt.
	GmtCreate int64 `json:"GmtCreate"`
}

// CreatedAt returns GmtCreate as a time, or the zero time if it is unset.
func (r CallInTransferRecord) CreatedAt() time.Time { return millisTime(r.GmtCreate) }

// CallInTransferRecordPage is one page of QueryCallInTransferRecord.
type CallInTransferRecordPage struct {
	// PageNo is the page returned.
	PageNo int64 `json:"PageNo"`
	// PageSize is the number of entries per page.
	PageSize int64 `json:"PageSize"`
	// Total is the number of records in the whole listing.
	Total int64 `json:"Total"`
	// Values are the records on this page.
	Values []CallInTransferRecord `json:"Values"`
}

// QueryCallInTransferRecordResponse is the output of
// QueryCallInTransferRecord.
type QueryCallInTransferRecordResponse struct {
	ResponseMeta
	// Page is the page of results (wire name Data).
	Page CallInTransferRecordPage `json:"Data"`
}

// QueryCallInTransferRecord lists, one page at a time, the inbound calls a
// 400 number transferred on one day, with recording links. Required:
// PhoneNumber, QueryDate, PageNo, PageSize. QPS: 100 per user, 500 for the
// API. QueryCallInTransferRecordAll walks every page.
func (c *Client) QueryCallInTransferRecord(ctx context.Context, req *QueryCallInTransferRecordRequest, opts ...CallOption) (*QueryCallInTransferRecordResponse, error) {
	return invokeTyped[QueryCallInTransferRecordResponse](ctx, c, "QueryCallInTransferRecord", req, opts)
}

// QueryCallInTransferRecordAll iterates over every record
// QueryCallInTransferRecord returns for req, from req.PageNo (or 1) to the
// last page; a zero req.PageSize means 10, the largest allowed. It stops at
// the listing's Total, at the first error (yielded once), or when ctx is
// done; req itself is never modified.
func (c *Client) QueryCallInTransferRecordAll(ctx context.Context, req *QueryCallInTransferRecordRequest, opts ...CallOption) iter.Seq2[CallInTransferRecord, error] {
	return listAll(ctx, req, func(r *QueryCallInTransferRecordRequest) *int64 { return &r.PageNo },
		func(ctx context.Context, r *QueryCallInTransferRecordRequest) (page[CallInTransferRecord], error) {
			if r.PageSize == 0 {
				r.PageSize = 10
			}
			resp, err := c.QueryCallInTransferRecord(ctx, r, opts...)
			if err != nil {
				return page[CallInTransferRecord]{}, err
			}
			p := resp.Page
			return page[CallInTransferRecord]{items: p.Values, total: p.Total, size: pageSizeOr(p.PageSize, r.PageSize)}, nil
		})
}

// SendVerificationRequest is the input of SendVerification.
type SendVerificationRequest struct {
	// Target is the mobile number that receives the code (required).
	Target string `dyvms:"Target,required"`
	// BizType is the business type (required); always
	// VerificationBizContact.
	BizType VerificationBizType `dyvms:"BizType,required"`
	// VerifyType is the delivery channel (required); always VerifyTypeSMS.
	VerifyType VerifyType `dyvms:"VerifyType,required"`
}

// SendVerificationResponse is the output of SendVerification.
type SendVerificationResponse struct {
	ResponseMeta
	// Sent reports whether the code was sent (wire name Data).
	Sent bool `json:"Data"`
}

// SendVerification sends an SMS verification code to a mobile number, for
// the OperatorMobileVerifyCode of SubmitHotlineTransferRegister. Required:
// Target, BizType, VerifyType. QPS: 100 per user, 500 for the API.
//
// It sends an SMS, so a failure after the request may have reached the
// service is never retried blindly: a second code may invalidate the first.
func (c *Client) SendVerification(ctx context.Context, req *SendVerificationRequest, opts ...CallOption) (*SendVerificationResponse, error) {
	return invokeTyped[SendVerificationResponse](ctx, c, "SendVerification", req, opts)
}

// TransferCallee is one transfer target of SetTransferCalleePoolConfig,
// sent flattened as Details.N.Called and Details.N.Caller.
type TransferCallee struct {
	// Called is the number the call is transferred to (required).
	Called string `dyvms:"Called,required"`
	// Caller is the calling number used for the transferred call.
	Caller string `dyvms:"Caller"`
}

// SetTransferCalleePoolConfigRequest is the input of
// SetTransferCalleePoolConfig.
type SetTransferCalleePoolConfigRequest struct {
	// PhoneNumber is the 400 number being configured (required).
	PhoneNumber string `dyvms:"PhoneNumber,required"`
	// QualificationID is the 400-hotline qualification ID, from
	// GetHotlineQualificationByOrder (required).
	QualificationID string `dyvms:"QualificationId,required"`
	// CalledRouteMode is how a target is chosen (required).
	CalledRouteMode TransferRouteMode `dyvms:"CalledRouteMode,required"`
	// Details are the transfer targets (required: at least one).
	Details []TransferCallee `dyvms:"Details,required"`
}

// SetTransferCalleePoolConfigResponse is the output of
// SetTransferCalleePoolConfig.
type SetTransferCalleePoolConfigResponse struct {
	ResponseMeta
	// Saved reports whether the configuration was saved (wire name Data).
	Saved bool `json:"Data"`
}

// SetTransferCalleePoolConfig sets the pool of numbers an inbound 400 call
// is transferred to and how one is chosen. Required: PhoneNumber,
// QualificationID, CalledRouteMode, Details. QPS: 100 per user, 500 for the
// API.
//
// It changes the configuration, so a failure after the request may have
// reached the service is not retried blindly: read the configuration back
// with QueryCallInPoolTransferConfig.
func (c *Client) SetTransferCalleePoolConfig(ctx context.Context, req *SetTransferCalleePoolConfigRequest, opts ...CallOption) (*SetTransferCalleePoolConfigResponse, error) {
	return invokeTyped[SetTransferCalleePoolConfigResponse](ctx, c, "SetTransferCalleePoolConfig", req, opts)
}

// TransferPhoneNumberInfo is one number to register as a transfer target
// in SubmitHotlineTransferRegister, sent flattened as
// TransferPhoneNumberInfos.N.PhoneNumber and so on.
type TransferPhoneNumberInfo struct {
	// PhoneNumber is the number to register (required).
	PhoneNumber string `dyvms:"PhoneNumber,required"`
	// PhoneNumberOwnerName is the real or company name of the number's
	// owner (required).
	PhoneNumberOwnerName string `dyvms:"PhoneNumberOwnerName,required"`
	// IdentityCard is the owner's ID card number (required).
	IdentityCard string `dyvms:"IdentityCard,required"`
}

// SubmitHotlineTransferRegisterRequest is the input of
// SubmitHotlineTransferRegister.
type SubmitHotlineTransferRegisterRequest struct {
	// HotlineNumber is the 400 number the registration is for (required).
	HotlineNumber string `dyvms:"HotlineNumber,required"`
	// QualificationID is the qualification ID, from
	// GetHotlineQualificationByOrder (required).
	QualificationID string `dyvms:"QualificationId,required"`
	// Agreement commits that the information is authentic (required); use
	// AgreementTrue.
	Agreement HotlineAgreement `dyvms:"Agreement,required"`
	// OperatorName is the name of the person handling the registration
	// (required).
	OperatorName string `dyvms:"OperatorName,required"`
	// OperatorIdentityCard is the handler's ID card number (required).
	OperatorIdentityCard string `dyvms:"OperatorIdentityCard,required"`
	// OperatorMail is the handler's e-mail address (required).
	OperatorMail string `dyvms:"OperatorMail,required"`
	// OperatorMailVerifyCode is the code the handler received by e-mail.
	OperatorMailVerifyCode string `dyvms:"OperatorMailVerifyCode"`
	// OperatorMobile is the handler's mobile number (required).
	OperatorMobile string `dyvms:"OperatorMobile,required"`
	// OperatorMobileVerifyCode is the code the handler's mobile received
	// from SendVerification (required).
	OperatorMobileVerifyCode string `dyvms:"OperatorMobileVerifyCode,required"`
	// TransferPhoneNumberInfos are the numbers to register (required: at
	// least one). They are flattened as TransferPhoneNumberInfos.N.Field,
	// as both SDKs send them (the printed reference's example URL shows a
	// JSON array instead; catalogue contradiction #5).
	TransferPhoneNumberInfos []TransferPhoneNumberInfo `dyvms:"TransferPhoneNumberInfos,required"`
}

// SubmitHotlineTransferRegisterResponse is the output of
// SubmitHotlineTransferRegister.
type SubmitHotlineTransferRegisterResponse struct {
	ResponseMeta
	// RegistrationID is the ID of the submitted registration (wire name
	// Data). The API reference's samples carry no Data, so it may be 0.
	RegistrationID int64 `json:"Data"`
}

// SubmitHotlineTransferRegister submits the registration of the numbers a
// China 400 hotline may transfer calls to. Required: HotlineNumber,
// QualificationID, Agreement, OperatorName, OperatorIdentityCard,
// OperatorMail, OperatorMobile, OperatorMobileVerifyCode,
// TransferPhoneNumberInfos. QPS: 100 per user, 500 for the API.
//
// It files a registration, so a failure after the request may have reached
// the service is never retried blindly: check ListHotlineTransferNumber and
// ListHotlineTransferRegisterFile first.
func (c *Client) SubmitHotlineTransferRegister(ctx context.Context, req *SubmitHotlineTransferRegisterRequest, opts ...CallOption) (*SubmitHotlineTransferRegisterResponse, error) {
	return invokeTyped[SubmitHotlineTransferRegisterResponse](ctx, c, "SubmitHotlineTransferRegister", req, opts)
}
