package dyvms

import (
	"context"
	"iter"
	"strings"
	"time"
)

// This file holds the virtualnumber group: virtual numbers and the real
// numbers associated with them. Their success Code is "200", not "OK".

// ProdCode is a product code, sent by the virtual-number Actions.
type ProdCode string

// Product codes.
const (
	// ProdCodeDyvms is the voice service, the default.
	ProdCodeDyvms ProdCode = "dyvms"
)

// RouteType is the routing mode of a virtual number. Zero is a meaningful
// value (RouteTypeLocationFirst), so request fields take a *RouteType:
// RouteType: dyvms.Ptr(dyvms.RouteTypeLocationFirst).
type RouteType int32

// Routing modes.
const (
	// RouteTypeLocationFirst prefers a real number in the home location of
	// the party.
	RouteTypeLocationFirst RouteType = 0
	// RouteTypeRandom picks a real number at random.
	RouteTypeRandom RouteType = 1
)

// SpecID is the kind of a virtual number.
type SpecID int64

// Number kinds.
const (
	// SpecVirtualOperator is a virtual-operator number (05710000*** style).
	SpecVirtualOperator SpecID = 1
	// SpecCarrier is a carrier (ISP) number.
	SpecCarrier SpecID = 2
	// Spec95 is a five-digit 95 number.
	Spec95 SpecID = 3
)

// VirtualNumberStatus is the state of a virtual number.
type VirtualNumberStatus int32

// Virtual-number states.
const (
	VirtualNumberValid       VirtualNumberStatus = 1
	VirtualNumberInvalid     VirtualNumberStatus = 0
	VirtualNumberDeactivated VirtualNumberStatus = -1
)

// AddVirtualNumberRelationRequest is the input of AddVirtualNumberRelation.
type AddVirtualNumberRelationRequest struct {
	// CorpNameList is a comma-separated list of company names.
	CorpNameList string `dyvms:"CorpNameList"`
	// NumberList is the comma-separated list of real numbers to associate
	// (required), for example "1321111****,1322222****".
	NumberList string `dyvms:"NumberList,required"`
	// PhoneNum is the virtual number (required), for example
	// "05516214****".
	PhoneNum string `dyvms:"PhoneNum,required"`
	// ProdCode is the product code; the service defaults to ProdCodeDyvms.
	ProdCode ProdCode `dyvms:"ProdCode"`
	// RouteType is the routing mode of the virtual number (required):
	// RouteTypeLocationFirst (0) or RouteTypeRandom (1). It is a pointer
	// because 0 is meaningful: dyvms.Ptr(dyvms.RouteTypeLocationFirst).
	RouteType *RouteType `dyvms:"RouteType,required,min=0,max=1"`
}

// AddVirtualNumberRelationResponse is the output of AddVirtualNumberRelation.
type AddVirtualNumberRelationResponse struct {
	ResponseMeta
	// Data lists the real numbers that could not be associated,
	// comma-separated; it is empty when all succeeded. The service has been
	// seen to send a JSON array instead, which arrives here as its JSON text;
	// FailedNumbers reads both.
	Data string `json:"Data"`
}

// FailedNumbers returns the real numbers that could not be associated,
// reading Data as a comma-separated list or as a JSON array of strings.
func (r *AddVirtualNumberRelationResponse) FailedNumbers() []string {
	s := strings.TrimSpace(r.Data)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "[") {
		var a []string
		if err := UnmarshalLenient([]byte(s), &a); err == nil {
			return a
		}
	}
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// AddVirtualNumberRelation associates real phone numbers with a virtual
// number and returns the numbers that could not be associated. Required:
// NumberList, PhoneNum, RouteType. Its success Code is "200". No QPS limit
// is documented (the source's QPS lines are lost).
func (c *Client) AddVirtualNumberRelation(ctx context.Context, req *AddVirtualNumberRelationRequest, opts ...CallOption) (*AddVirtualNumberRelationResponse, error) {
	return invokeTyped[AddVirtualNumberRelationResponse](ctx, c, "AddVirtualNumberRelation", req, opts)
}

// QueryVirtualNumberRequest is the input of QueryVirtualNumber.
type QueryVirtualNumberRequest struct {
	// PageNo is the page number, from 1.
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of entries per page.
	PageSize int32 `dyvms:"PageSize"`
	// ProdCode is the product code; the service defaults to ProdCodeDyvms.
	ProdCode ProdCode `dyvms:"ProdCode"`
	// RouteType filters by routing mode; nil for all. It is a pointer
	// because 0 (RouteTypeLocationFirst) is meaningful.
	RouteType *RouteType `dyvms:"RouteType,min=0,max=1"`
}

// VirtualNumber is one virtual number of the account.
type VirtualNumber struct {
	// CreateTime is when the number was created, "yyyy-MM-dd HH:mm:ss" in
	// China Standard Time; CreatedAt parses it.
	CreateTime string `json:"createTime"`
	// QualificationCount is the number of qualifications.
	QualificationCount int64 `json:"qualificationCount"`
	// CityCount is the number of cities.
	CityCount int64 `json:"cityCount"`
	// PhoneNumCount is the number of associated real numbers.
	PhoneNumCount int64 `json:"phoneNumCount"`
	// Remark is a free-text remark.
	Remark string `json:"remark"`
	// PhoneNum is the virtual number.
	PhoneNum string `json:"phoneNum"`
	// RouteType is the routing mode.
	RouteType RouteType `json:"routeType"`
	// CanCancel reports whether the number can be cancelled.
	CanCancel bool `json:"canCancel"`
	// SpecCount is the number of specifications.
	SpecCount int64 `json:"specCount"`
	// Status is the state: valid (1), invalid (0) or deactivated (-1).
	Status VirtualNumberStatus `json:"status"`
}

// CreatedAt returns CreateTime as a time (China Standard Time), or the zero
// time if it is empty or malformed.
func (v VirtualNumber) CreatedAt() time.Time { return chinaDateTime(v.CreateTime) }

// VirtualNumberPage is one page of virtual numbers: the decoded Data of
// QueryVirtualNumber.
type VirtualNumberPage struct {
	// Data is the page's virtual numbers.
	Data []VirtualNumber `json:"data"`
	// PageNo is the page number.
	PageNo int64 `json:"pageNo"`
	// PageSize is the number of entries per page.
	PageSize int64 `json:"pageSize"`
	// Total is the number of virtual numbers in the whole listing.
	Total int64 `json:"total"`
}

// QueryVirtualNumberResponse is the output of QueryVirtualNumber.
type QueryVirtualNumberResponse struct {
	ResponseMeta
	// Data is the page as a JSON document, {"data":[...],"pageNo":..,
	// "pageSize":..,"total":..}; Page decodes it. When the service sends an
	// inline object instead of a string, Data holds its JSON text.
	Data string `json:"Data"`
}

// Page decodes Data. An empty Data gives an empty page; a malformed one is
// an error here and never fails the call itself.
func (r *QueryVirtualNumberResponse) Page() (VirtualNumberPage, error) {
	return decodeInner[VirtualNumberPage]("QueryVirtualNumber", "Data", r.Data)
}

// QueryVirtualNumber lists the virtual numbers of the account with their
// state and counts, one page at a time; Page decodes the result and
// QueryVirtualNumberAll iterates over every page. No field is required. Its
// success Code is "200". QPS: 100 per user, 500 for the API.
func (c *Client) QueryVirtualNumber(ctx context.Context, req *QueryVirtualNumberRequest, opts ...CallOption) (*QueryVirtualNumberResponse, error) {
	return invokeTyped[QueryVirtualNumberResponse](ctx, c, "QueryVirtualNumber", req, opts)
}

// QueryVirtualNumberAll iterates over every virtual number matching req,
// calling QueryVirtualNumber page by page from req.PageNo (1 if unset). req
// is copied and never modified; nil is accepted. Iteration stops at the
// listing's total, on an empty page, on the first error (yielded once), or
// when ctx is done. It starts no goroutine.
func (c *Client) QueryVirtualNumberAll(ctx context.Context, req *QueryVirtualNumberRequest, opts ...CallOption) iter.Seq2[VirtualNumber, error] {
	return listAll(ctx, req, func(r *QueryVirtualNumberRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *QueryVirtualNumberRequest) (page[VirtualNumber], error) {
			resp, err := c.QueryVirtualNumber(ctx, r, opts...)
			if err != nil {
				return page[VirtualNumber]{}, err
			}
			p, err := resp.Page()
			if err != nil {
				return page[VirtualNumber]{}, err
			}
			return page[VirtualNumber]{items: p.Data, total: p.Total, size: pageSizeOr(p.PageSize, int64(r.PageSize))}, nil
		})
}

// QueryVirtualNumberRelationRequest is the input of
// QueryVirtualNumberRelation. Every field is an optional filter.
type QueryVirtualNumberRelationRequest struct {
	// PageNo is the page number, from 1.
	PageNo int32 `dyvms:"PageNo"`
	// PageSize is the number of entries per page.
	PageSize int32 `dyvms:"PageSize"`
	// PhoneNum filters by virtual number, for example "05516214****".
	PhoneNum string `dyvms:"PhoneNum"`
	// ProdCode is the product code; the service defaults to ProdCodeDyvms.
	ProdCode ProdCode `dyvms:"ProdCode"`
	// QualificationID filters by qualification ID.
	QualificationID int64 `dyvms:"QualificationId"`
	// RegionNameCity filters by the city the virtual number belongs to, for
	// example "hangzhou".
	RegionNameCity string `dyvms:"RegionNameCity"`
	// RelatedNum filters by real (associated) number, for example
	// "1705559****".
	RelatedNum string `dyvms:"RelatedNum"`
	// RouteType filters by routing mode; nil for all. It is a pointer
	// because 0 (RouteTypeLocationFirst) is meaningful.
	RouteType *RouteType `dyvms:"RouteType,min=0,max=1"`
	// SpecID filters by number kind: SpecVirtualOperator (1), SpecCarrier
	// (2) or Spec95 (3).
	SpecID SpecID `dyvms:"SpecId,min=1,max=3"`
}

// VirtualNumberRelation is one real number associated with a virtual
// number.
type VirtualNumberRelation struct {
	// RelatedNum is the real number.
	RelatedNum string `json:"relatedNum"`
	// CreateTime is when the association was made, "yyyy-MM-dd HH:mm:ss" in
	// China Standard Time; CreatedAt parses it.
	CreateTime string `json:"createTime"`
}

// CreatedAt returns CreateTime as a time in China Standard Time, or the
// zero time if it does not parse.
func (v VirtualNumberRelation) CreatedAt() time.Time { return chinaDateTime(v.CreateTime) }

// VirtualNumberRelationPage is one page of associations: the decoded Data
// of QueryVirtualNumberRelation.
type VirtualNumberRelationPage struct {
	// Data is the page's associations.
	Data []VirtualNumberRelation `json:"data"`
	// PageNo is the page number.
	PageNo int64 `json:"pageNo"`
	// PageSize is the number of entries per page.
	PageSize int64 `json:"pageSize"`
	// Total is the number of associations in the whole listing.
	Total int64 `json:"total"`
}

// QueryVirtualNumberRelationResponse is the output of
// QueryVirtualNumberRelation.
type QueryVirtualNumberRelationResponse struct {
	ResponseMeta
	// Data is the page as a JSON document, {"data":[...],"pageNo":..,
	// "pageSize":..,"total":..}; Page decodes it. When the service sends an
	// inline object instead of a string, Data holds its JSON text.
	Data string `json:"Data"`
}

// Page decodes Data. An empty Data gives an empty page; a malformed one is
// an error here and never fails the call itself.
func (r *QueryVirtualNumberRelationResponse) Page() (VirtualNumberRelationPage, error) {
	return decodeInner[VirtualNumberRelationPage]("QueryVirtualNumberRelation", "Data", r.Data)
}

// QueryVirtualNumberRelation lists the real numbers associated with virtual
// numbers, filtered by the request, one page at a time; Page decodes the
// result and QueryVirtualNumberRelationAll iterates over every page. No
// field is required. Its success Code is "200". QPS: 200 per user, 1000 for
// the API.
func (c *Client) QueryVirtualNumberRelation(ctx context.Context, req *QueryVirtualNumberRelationRequest, opts ...CallOption) (*QueryVirtualNumberRelationResponse, error) {
	return invokeTyped[QueryVirtualNumberRelationResponse](ctx, c, "QueryVirtualNumberRelation", req, opts)
}

// QueryVirtualNumberRelationAll iterates over every association matching
// req, calling QueryVirtualNumberRelation page by page from req.PageNo (1 if
// unset). req is copied and never modified; nil is accepted. Iteration stops
// at the listing's total, on an empty page, on the first error (yielded
// once), or when ctx is done. It starts no goroutine.
func (c *Client) QueryVirtualNumberRelationAll(ctx context.Context, req *QueryVirtualNumberRelationRequest, opts ...CallOption) iter.Seq2[VirtualNumberRelation, error] {
	return listAll(ctx, req, func(r *QueryVirtualNumberRelationRequest) *int32 { return &r.PageNo },
		func(ctx context.Context, r *QueryVirtualNumberRelationRequest) (page[VirtualNumberRelation], error) {
			resp, err := c.QueryVirtualNumberRelation(ctx, r, opts...)
			if err != nil {
				return page[VirtualNumberRelation]{}, err
			}
			p, err := resp.Page()
			if err != nil {
				return page[VirtualNumberRelation]{}, err
			}
			return page[VirtualNumberRelation]{items: p.Data, total: p.Total, size: pageSizeOr(p.PageSize, int64(r.PageSize))}, nil
		})
}
