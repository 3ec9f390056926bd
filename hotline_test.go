package dyvms

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHotlineWire(t *testing.T) {
	checkWire(t, []wireCase{
		{"GetHotlineQualificationByOrder", func(ctx context.Context, c *Client) error {
			_, err := c.GetHotlineQualificationByOrder(ctx, &GetHotlineQualificationByOrderRequest{OrderID: "22456****"})
			return err
		}, map[string]string{"OrderId": "22456****"}},
		{"ListHotlineTransferNumber", func(ctx context.Context, c *Client) error {
			_, err := c.ListHotlineTransferNumber(ctx, &ListHotlineTransferNumberRequest{HotlineNumber: "400****",
				QualificationID: "100***", PageNo: 2, PageSize: 10})
			return err
		}, map[string]string{"HotlineNumber": "400****", "QualificationId": "100***", "PageNo": "2", "PageSize": "10"}},
		{"ListHotlineTransferRegisterFile", func(ctx context.Context, c *Client) error {
			_, err := c.ListHotlineTransferRegisterFile(ctx, &ListHotlineTransferRegisterFileRequest{HotlineNumber: "400****",
				QualificationID: "1000****", PageNo: 1, PageSize: 5})
			return err
		}, map[string]string{"HotlineNumber": "400****", "QualificationId": "1000****", "PageNo": "1", "PageSize": "5"}},
		{"QueryCallInPoolTransferConfig", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallInPoolTransferConfig(ctx, &QueryCallInPoolTransferConfigRequest{PhoneNumber: "400****"})
			return err
		}, map[string]string{"PhoneNumber": "400****"}},
		{"QueryCallInTransferRecord", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallInTransferRecord(ctx, &QueryCallInTransferRecordRequest{PhoneNumber: "400****",
				QueryDate: time.Date(2021, 6, 27, 16, 0, 0, 0, time.UTC), PageNo: 1, PageSize: 10, CallInCaller: "150****0000"})
			return err
		}, map[string]string{"PhoneNumber": "400****", "QueryDate": "2021-06-28 00:00:00", "PageNo": "1",
			"PageSize": "10", "CallInCaller": "150****0000"}},
		{"SendVerification", func(ctx context.Context, c *Client) error {
			_, err := c.SendVerification(ctx, &SendVerificationRequest{Target: "150****0000",
				BizType: VerificationBizContact, VerifyType: VerifyTypeSMS})
			return err
		}, map[string]string{"Target": "150****0000", "BizType": "CONTACT", "VerifyType": "SMS"}},
		{"SetTransferCalleePoolConfig", func(ctx context.Context, c *Client) error {
			_, err := c.SetTransferCalleePoolConfig(ctx, &SetTransferCalleePoolConfigRequest{PhoneNumber: "400****",
				QualificationID: "190***", CalledRouteMode: TransferRoundRobin, Details: []TransferCallee{
					{Called: "151****0000", Caller: "150****0000"}, {Called: "152****0000"}}})
			return err
		}, map[string]string{"PhoneNumber": "400****", "QualificationId": "190***", "CalledRouteMode": "roundRobin",
			"Details.1.Called": "151****0000", "Details.1.Caller": "150****0000", "Details.2.Called": "152****0000"}},
		{"SubmitHotlineTransferRegister", func(ctx context.Context, c *Client) error {
			_, err := c.SubmitHotlineTransferRegister(ctx, &SubmitHotlineTransferRegisterRequest{HotlineNumber: "400****",
				QualificationID: "10000004933****", Agreement: AgreementTrue, OperatorName: "A***",
				OperatorIdentityCard: "5****************9", OperatorMail: "username@example.com",
				OperatorMailVerifyCode: "4321", OperatorMobile: "158****7230", OperatorMobileVerifyCode: "1234",
				TransferPhoneNumberInfos: []TransferPhoneNumberInfo{
					{PhoneNumber: "1580000****", PhoneNumberOwnerName: "A***", IdentityCard: "500***"},
					{PhoneNumber: "1580001****", PhoneNumberOwnerName: "B***", IdentityCard: "501***"}}})
			return err
		}, map[string]string{"HotlineNumber": "400****", "QualificationId": "10000004933****", "Agreement": "true",
			"OperatorName": "A***", "OperatorIdentityCard": "5****************9", "OperatorMail": "username@example.com",
			"OperatorMailVerifyCode": "4321", "OperatorMobile": "158****7230", "OperatorMobileVerifyCode": "1234",
			"TransferPhoneNumberInfos.1.PhoneNumber": "1580000****", "TransferPhoneNumberInfos.1.PhoneNumberOwnerName": "A***",
			"TransferPhoneNumberInfos.1.IdentityCard": "500***", "TransferPhoneNumberInfos.2.PhoneNumber": "1580001****",
			"TransferPhoneNumberInfos.2.PhoneNumberOwnerName": "B***", "TransferPhoneNumberInfos.2.IdentityCard": "501***"}},
	})
}

func TestHotlineValidation(t *testing.T) {
	okSubmit := func() *SubmitHotlineTransferRegisterRequest {
		return &SubmitHotlineTransferRegisterRequest{HotlineNumber: "400", QualificationID: "q", Agreement: AgreementTrue,
			OperatorName: "n", OperatorIdentityCard: "i", OperatorMail: "m", OperatorMobile: "1", OperatorMobileVerifyCode: "c",
			TransferPhoneNumberInfos: []TransferPhoneNumberInfo{{PhoneNumber: "1", PhoneNumberOwnerName: "o", IdentityCard: "i"}}}
	}
	ccRunInvalid(t, []ccInvalidCase{
		{"GetHotlineQualificationByOrder/OrderId", func(ctx context.Context, c *Client) error {
			_, err := c.GetHotlineQualificationByOrder(ctx, &GetHotlineQualificationByOrderRequest{})
			return err
		}, "OrderId"},
		{"ListHotlineTransferNumber/QualificationId", func(ctx context.Context, c *Client) error {
			_, err := c.ListHotlineTransferNumber(ctx, &ListHotlineTransferNumberRequest{HotlineNumber: "400"})
			return err
		}, "QualificationId"},
		{"ListHotlineTransferNumber/PageSize", func(ctx context.Context, c *Client) error {
			_, err := c.ListHotlineTransferNumber(ctx, &ListHotlineTransferNumberRequest{HotlineNumber: "400", QualificationID: "q", PageSize: 11})
			return err
		}, "PageSize"},
		{"ListHotlineTransferRegisterFile/HotlineNumber", func(ctx context.Context, c *Client) error {
			_, err := c.ListHotlineTransferRegisterFile(ctx, &ListHotlineTransferRegisterFileRequest{QualificationID: "q"})
			return err
		}, "HotlineNumber"},
		{"QueryCallInPoolTransferConfig/PhoneNumber", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallInPoolTransferConfig(ctx, nil)
			return err
		}, "PhoneNumber"},
		{"QueryCallInTransferRecord/QueryDate", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallInTransferRecord(ctx, &QueryCallInTransferRecordRequest{PhoneNumber: "400", PageNo: 1, PageSize: 10})
			return err
		}, "QueryDate"},
		{"QueryCallInTransferRecord/PageSize", func(ctx context.Context, c *Client) error {
			_, err := c.QueryCallInTransferRecord(ctx, &QueryCallInTransferRecordRequest{PhoneNumber: "400", QueryDate: time.Now(), PageNo: 1})
			return err
		}, "PageSize"},
		{"SendVerification/VerifyType", func(ctx context.Context, c *Client) error {
			_, err := c.SendVerification(ctx, &SendVerificationRequest{Target: "1", BizType: VerificationBizContact})
			return err
		}, "VerifyType"},
		{"SetTransferCalleePoolConfig/Details", func(ctx context.Context, c *Client) error {
			_, err := c.SetTransferCalleePoolConfig(ctx, &SetTransferCalleePoolConfigRequest{PhoneNumber: "400",
				QualificationID: "q", CalledRouteMode: TransferRandom})
			return err
		}, "Details"},
		{"SetTransferCalleePoolConfig/Details.2.Called", func(ctx context.Context, c *Client) error {
			_, err := c.SetTransferCalleePoolConfig(ctx, &SetTransferCalleePoolConfigRequest{PhoneNumber: "400",
				QualificationID: "q", CalledRouteMode: TransferRandom, Details: []TransferCallee{{Called: "1"}, {Caller: "2"}}})
			return err
		}, "Details.2.Called"},
		{"SubmitHotlineTransferRegister/Agreement", func(ctx context.Context, c *Client) error {
			r := okSubmit()
			r.Agreement = ""
			_, err := c.SubmitHotlineTransferRegister(ctx, r)
			return err
		}, "Agreement"},
		{"SubmitHotlineTransferRegister/TransferPhoneNumberInfos.1.IdentityCard", func(ctx context.Context, c *Client) error {
			r := okSubmit()
			r.TransferPhoneNumberInfos[0].IdentityCard = ""
			_, err := c.SubmitHotlineTransferRegister(ctx, r)
			return err
		}, "TransferPhoneNumberInfos.1.IdentityCard"},
		{"SubmitHotlineTransferRegister/TransferPhoneNumberInfos", func(ctx context.Context, c *Client) error {
			r := okSubmit()
			r.TransferPhoneNumberInfos = nil
			_, err := c.SubmitHotlineTransferRegister(ctx, r)
			return err
		}, "TransferPhoneNumberInfos"},
	})
}

func TestHotlineSamples(t *testing.T) {
	meta := func(id string) ResponseMeta { return ResponseMeta{RequestID: id, Code: "OK", Message: "OK"} }
	ccRunSamples(t, []ccSampleCase{
		{action: "GetHotlineQualificationByOrder", call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetHotlineQualificationByOrder(ctx, &GetHotlineQualificationByOrderRequest{OrderID: "1"})
		}, want: &GetHotlineQualificationByOrderResponse{meta("6086693B-2250-17CE-A41F-06259AB6DB1B"),
			HotlineQualification{OrderID: "22456****", QualificationID: "1478*****", Status: "NORMA"}}},
		{action: "ListHotlineTransferNumber", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListHotlineTransferNumber(ctx, &ListHotlineTransferNumberRequest{HotlineNumber: "4", QualificationID: "q"})
		}, want: &ListHotlineTransferNumberResponse{meta("6086693B-2250-17CE-A41F-06259AB6DB1B"), HotlineTransferNumberPage{
			PageNo: 1, PageSize: 20, Total: 1, Values: []HotlineTransferNumber{{PhoneNumber: "1580000****",
				NumberOwnerName: "A***", IdentityCard: "500***4119", HotlineNumber: "400****", QualificationID: "100***",
				ResUniqueCode: "1***"}}}}},
		{action: "ListHotlineTransferRegisterFile", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListHotlineTransferRegisterFile(ctx, &ListHotlineTransferRegisterFileRequest{HotlineNumber: "4", QualificationID: "q"})
		}, want: &ListHotlineTransferRegisterFileResponse{meta("6086693B-2250-17CE-A41F-06259AB6DB1B"), HotlineTransferRegistrationPage{
			PageNo: 1, PageSize: 10, Total: 1, Values: []HotlineTransferRegistration{{HotlineNumber: "400****",
				QualificationID: "1234****", CorpName: "A**", MngOpName: "A***", MngOpIdentityCard: "500***4119",
				MngOpMail: "150***.163.com", MngOpMobile: "150***", Agree: "true", ResUniqueCode: 1}}}}},
		{action: "QueryCallInPoolTransferConfig", call: func(ctx context.Context, c *Client) (any, error) {
			return c.QueryCallInPoolTransferConfig(ctx, &QueryCallInPoolTransferConfigRequest{PhoneNumber: "4"})
		}, want: &QueryCallInPoolTransferConfigResponse{meta("7BF47617-7851-48F7-A3A1-2021342A78E2"), TransferCalleePoolConfig{
			CalledRouteMode: TransferRandom, Details: []TransferPoolTarget{{Called: "400****"}}, TransferTimeout: "30",
			GmtCreate: 1623137002000}}},
		{action: "QueryCallInTransferRecord", call: func(ctx context.Context, c *Client) (any, error) {
			return c.QueryCallInTransferRecord(ctx, &QueryCallInTransferRecordRequest{PhoneNumber: "4", QueryDate: time.Now(), PageNo: 1, PageSize: 10})
		}, want: &QueryCallInTransferRecordResponse{meta("7BF47617-7851-48F7-A3A1-2021342A78E2"), CallInTransferRecordPage{
			PageNo: 1, PageSize: 20, Total: 50, Values: []CallInTransferRecord{{CallInCaller: "150****0000", CallInCalled: "150****0000",
				TransferCaller: "151****0000", TransferCalled: "151****0000", GmtCreate: 1624865503000,
				RecordURL: "http://alicom-fc-media.cn-hangzhou.oss.aliyun-inc.com/dayuBizVoiceMrg/4238c230-9e74-41be-90b8-2fbe7684eea1.wav?Expires=1627538265&OSSAccessKeyId=bypFNbGJVk73PsLI&Signature=****mUqkPqIQ%3D"}}}}},
		{action: "SendVerification", call: func(ctx context.Context, c *Client) (any, error) {
			return c.SendVerification(ctx, &SendVerificationRequest{Target: "1", BizType: VerificationBizContact, VerifyType: VerifyTypeSMS})
		}, want: &SendVerificationResponse{meta("6086693B-2250-17CE-A41F-06259AB6DB1B"), true}},
		{action: "SetTransferCalleePoolConfig", call: func(ctx context.Context, c *Client) (any, error) {
			return c.SetTransferCalleePoolConfig(ctx, &SetTransferCalleePoolConfigRequest{PhoneNumber: "4", QualificationID: "q",
				CalledRouteMode: TransferRandom, Details: []TransferCallee{{Called: "1"}}})
		}, want: &SetTransferCalleePoolConfigResponse{meta("E7518CE1-B0FF-4C6F-9252-BF80271B2F99"), true}},
		{action: "SubmitHotlineTransferRegister", call: func(ctx context.Context, c *Client) (any, error) {
			return c.SubmitHotlineTransferRegister(ctx, &SubmitHotlineTransferRegisterRequest{HotlineNumber: "400", QualificationID: "q",
				Agreement: AgreementTrue, OperatorName: "n", OperatorIdentityCard: "i", OperatorMail: "m", OperatorMobile: "1",
				OperatorMobileVerifyCode: "c", TransferPhoneNumberInfos: []TransferPhoneNumberInfo{{PhoneNumber: "1", PhoneNumberOwnerName: "o", IdentityCard: "i"}}})
		}, want: &SubmitHotlineTransferRegisterResponse{meta("6086693B-2250-17CE-A41F-06259AB6DB1B"), 0}},
	})
}

func TestHotlineTimes(t *testing.T) {
	r := CallInTransferRecord{GmtCreate: 1624865503000}
	assert.Equal(t, time.Date(2021, 6, 28, 15, 31, 43, 0, ChinaStandardTime()).UTC(), r.CreatedAt().UTC())
	assert.True(t, TransferCalleePoolConfig{}.CreatedAt().IsZero())
}

func TestHotlinePaging(t *testing.T) {
	values := func(from, to int, f func(i int) string) string {
		parts := []string{}
		for i := from; i < to; i++ {
			parts = append(parts, f(i))
		}
		return strings.Join(parts, ",")
	}
	page := func(n int, inner string) string {
		// Numbers as quoted strings, as the catalogue's samples print them.
		return `{"Code":"OK","RequestId":"R","Data":{"PageNo":"` + strconv.Itoa(n) + `","PageSize":"2","Total":"5","Values":[` + inner + `]}}`
	}
	ccRunPaging(t, []ccPaging{
		{name: "ListHotlineTransferNumberAll", pageKey: "PageNo",
			render: func(n, from, to int) string {
				return page(n, values(from, to, func(i int) string { return `{"PhoneNumber":"k` + strconv.Itoa(i) + `"}` }))
			},
			run: func(ctx context.Context, c *Client, stopAfter int) ([]string, bool, error) {
				req := &ListHotlineTransferNumberRequest{HotlineNumber: "400", QualificationID: "q", PageSize: 2}
				orig := *req
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				keys, err := ccWalk(c.ListHotlineTransferNumberAll(ctx, req), func(n HotlineTransferNumber) string { return n.PhoneNumber }, stopAfter, cancel)
				return keys, *req == orig, err
			}},
		{name: "ListHotlineTransferRegisterFileAll", pageKey: "PageNo",
			render: func(n, from, to int) string {
				return page(n, values(from, to, func(i int) string { return `{"CorpName":"k` + strconv.Itoa(i) + `"}` }))
			},
			run: func(ctx context.Context, c *Client, stopAfter int) ([]string, bool, error) {
				req := &ListHotlineTransferRegisterFileRequest{HotlineNumber: "400", QualificationID: "q", PageSize: 2}
				orig := *req
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				keys, err := ccWalk(c.ListHotlineTransferRegisterFileAll(ctx, req), func(r HotlineTransferRegistration) string { return r.CorpName }, stopAfter, cancel)
				return keys, *req == orig, err
			}},
		{name: "QueryCallInTransferRecordAll", pageKey: "PageNo",
			render: func(n, from, to int) string {
				return page(n, values(from, to, func(i int) string { return `{"CallInCaller":"k` + strconv.Itoa(i) + `"}` }))
			},
			run: func(ctx context.Context, c *Client, stopAfter int) ([]string, bool, error) {
				req := &QueryCallInTransferRecordRequest{PhoneNumber: "400", QueryDate: time.Date(2021, 6, 28, 0, 0, 0, 0, ChinaStandardTime()), PageSize: 2}
				orig := *req
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				keys, err := ccWalk(c.QueryCallInTransferRecordAll(ctx, req), func(r CallInTransferRecord) string { return r.CallInCaller }, stopAfter, cancel)
				return keys, *req == orig, err
			}},
	})
}

// QueryCallInTransferRecordAll fills in the required paging fields the
// caller left zero, on its own copy.
func TestQueryCallInTransferRecordAllDefaults(t *testing.T) {
	c, f := ccClient(t, func(string, url.Values) string {
		return `{"Code":"OK","RequestId":"R","Data":{"PageNo":1,"PageSize":10,"Total":1,"Values":[{"CallInCaller":"x"}]}}`
	})
	req := &QueryCallInTransferRecordRequest{PhoneNumber: "400", QueryDate: time.Now()}
	n := 0
	for _, err := range c.QueryCallInTransferRecordAll(context.Background(), req) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
	_, body := f.last()
	assert.Equal(t, "1", body.Get("PageNo"))
	assert.Equal(t, "10", body.Get("PageSize"))
	assert.Zero(t, req.PageNo)
	assert.Zero(t, req.PageSize)
}
