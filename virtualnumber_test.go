package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVirtualNumberWire(t *testing.T) {
	checkWire(t, []wireCase{
		{"AddVirtualNumberRelation", wireCall((*Client).AddVirtualNumberRelation, &AddVirtualNumberRelationRequest{
			CorpNameList: "Company 1", NumberList: "1321111****,1322222****", PhoneNum: "05516214****",
			ProdCode: ProdCodeDyvms, RouteType: Ptr(RouteTypeLocationFirst),
		}), map[string]string{
			"CorpNameList": "Company 1", "NumberList": "1321111****,1322222****", "PhoneNum": "05516214****",
			"ProdCode": "dyvms", "RouteType": "0",
		}},
		{"QueryVirtualNumber", wireCall((*Client).QueryVirtualNumber, &QueryVirtualNumberRequest{
			PageNo: 1, PageSize: 10, ProdCode: ProdCodeDyvms, RouteType: Ptr(RouteTypeRandom),
		}), map[string]string{"PageNo": "1", "PageSize": "10", "ProdCode": "dyvms", "RouteType": "1"}},
		{"QueryVirtualNumberRelation", wireCall((*Client).QueryVirtualNumberRelation, &QueryVirtualNumberRelationRequest{
			PageNo: 1, PageSize: 10, PhoneNum: "05516214****", ProdCode: ProdCodeDyvms, QualificationID: 10000005421234,
			RegionNameCity: "hangzhou", RelatedNum: "1705559****", RouteType: Ptr(RouteTypeLocationFirst), SpecID: SpecVirtualOperator,
		}), map[string]string{
			"PageNo": "1", "PageSize": "10", "PhoneNum": "05516214****", "ProdCode": "dyvms", "QualificationId": "10000005421234",
			"RegionNameCity": "hangzhou", "RelatedNum": "1705559****", "RouteType": "0", "SpecId": "1",
		}},
	})
}

func TestVirtualNumberValidation(t *testing.T) {
	full := func() *AddVirtualNumberRelationRequest {
		return &AddVirtualNumberRelationRequest{NumberList: "1321111****", PhoneNum: "05516214****", RouteType: Ptr(RouteTypeRandom)}
	}
	noNumbers, noPhone, noRoute, badRoute := full(), full(), full(), full()
	noNumbers.NumberList, noPhone.PhoneNum, noRoute.RouteType, badRoute.RouteType = "", "", nil, Ptr(RouteType(2))
	cases := []struct {
		call  rtcCaller
		field string
	}{
		{rtcCall((*Client).AddVirtualNumberRelation, noNumbers), "NumberList"},
		{rtcCall((*Client).AddVirtualNumberRelation, noPhone), "PhoneNum"},
		{rtcCall((*Client).AddVirtualNumberRelation, noRoute), "RouteType"},
		{rtcCall((*Client).AddVirtualNumberRelation, nil), "NumberList"},
		{rtcCall((*Client).AddVirtualNumberRelation, badRoute), "RouteType"},
		{rtcCall((*Client).QueryVirtualNumber, &QueryVirtualNumberRequest{RouteType: Ptr(RouteType(-1))}), "RouteType"},
		{rtcCall((*Client).QueryVirtualNumberRelation, &QueryVirtualNumberRelationRequest{SpecID: 4}), "SpecId"},
	}
	c, rec := newRtcFake(t, okReply)
	for _, tc := range cases {
		_, err := tc.call(context.Background(), c)
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), "want a ValidationError for %s, got %v", tc.field, err)
		assert.True(t, errors.Is(err, ErrInvalidParameter))
		assert.Equal(t, tc.field, ve.Field)
	}
	assert.Empty(t, rec.requests(), "an invalid request must send nothing")
}

func TestVirtualNumberSamples(t *testing.T) {
	cases := []rtcSampleCase{
		{action: "AddVirtualNumberRelation", call: rtcCall((*Client).AddVirtualNumberRelation, &AddVirtualNumberRelationRequest{
			NumberList: "1321111****,1322222****", PhoneNum: "05516214****", RouteType: Ptr(RouteTypeLocationFirst)}),
			check: func(t *testing.T, resp any) {
				r := resp.(*AddVirtualNumberRelationResponse)
				assert.Equal(t, ResponseMeta{RequestID: "B0411112-6CF8-4752-81D1-918A1354AE49", Code: "200", Message: "successful"}, r.ResponseMeta)
				// The XML sample gives a string, the JSON sample an array.
				assert.Equal(t, []string{"1321111*****"}, r.FailedNumbers())
			}},
		{action: "QueryVirtualNumber", call: rtcCall((*Client).QueryVirtualNumber, &QueryVirtualNumberRequest{PageNo: 1, PageSize: 10}),
			check: func(t *testing.T, resp any) {
				r := resp.(*QueryVirtualNumberResponse)
				assert.Equal(t, ResponseMeta{RequestID: "9FF70B74-1B3C-44C1-ACDF-8DF962988F0E", Code: "200"}, r.ResponseMeta)
				p, err := r.Page()
				require.NoError(t, err)
				assert.Equal(t, VirtualNumberPage{PageNo: 1, PageSize: 1, Total: 17, Data: []VirtualNumber{{
					CreateTime: "2020-07-15 04:00:00", PhoneNumCount: 1, Remark: "20200715[illegible]",
					PhoneNum: "05516214****", RouteType: RouteTypeRandom, CanCancel: true, Status: VirtualNumberValid,
				}}}, p)
				created := p.Data[0].CreatedAt()
				assert.Equal(t, time.Date(2020, 7, 14, 20, 0, 0, 0, time.UTC), created.UTC())
			}},
		{action: "QueryVirtualNumberRelation", call: rtcCall((*Client).QueryVirtualNumberRelation, nil),
			check: func(t *testing.T, resp any) {
				r := resp.(*QueryVirtualNumberRelationResponse)
				assert.Equal(t, ResponseMeta{RequestID: "8FAD5988-B483-48A4-B251-6E8470A67371", Code: "200"}, r.ResponseMeta)
				p, err := r.Page()
				require.NoError(t, err)
				assert.Equal(t, VirtualNumberRelationPage{PageNo: 1, PageSize: 20, Total: 1, Data: []VirtualNumberRelation{
					{RelatedNum: "1705559****", CreateTime: "2021-03-26 12:34:08"},
				}}, p)
			}},
	}
	rtcCheckSamples(t, cases)
}

// TestVirtualNumberDataAsString: Data sent as a JSON string (as both SDKs
// type it) decodes the same as the inline object of the samples.
func TestVirtualNumberDataAsString(t *testing.T) {
	inner := `{"data":[{"relatedNum":"1705559****","createTime":"2021-03-26 12:34:08"}],"pageNo":1,"pageSize":20,"total":"1"}`
	c, _ := newRtcFake(t, func(string, url.Values) string {
		return `{"RequestId":"r","Code":"200","Data":` + strconv.Quote(inner) + `}`
	})
	resp, err := c.QueryVirtualNumberRelation(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, inner, resp.Data)
	p, err := resp.Page()
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Total)
	assert.Equal(t, "1705559****", p.Data[0].RelatedNum)

	c, _ = newRtcFake(t, func(string, url.Values) string { return `{"RequestId":"r","Code":"200","Data":"{oops"}` })
	resp, err = c.QueryVirtualNumberRelation(context.Background(), nil)
	require.NoError(t, err, "malformed inner JSON never fails the call")
	_, err = resp.Page()
	assert.Error(t, err)
}

func TestVirtualNumberFailedNumbers(t *testing.T) {
	for data, want := range map[string][]string{
		"":                       nil,
		"1321111****":            {"1321111****"},
		"1321111****, 1322222**": {"1321111****", "1322222**"},
		`["a","b"]`:              {"a", "b"},
	} {
		assert.Equal(t, want, (&AddVirtualNumberRelationResponse{Data: data}).FailedNumbers(), "Data %q", data)
	}
}

// vnPagedServer serves a listing of total relations, pageSize per page, as
// QueryVirtualNumberRelation would, with Data as a JSON string or as an
// inline object; failAt, if positive, is a page answered with an error.
func vnPagedServer(total, failAt int, inline bool) rtcReply {
	return func(_ string, form url.Values) string {
		pageNo, _ := strconv.Atoi(form.Get("PageNo"))
		size, _ := strconv.Atoi(form.Get("PageSize"))
		if pageNo == failAt {
			return `{"RequestId":"r","Code":"isv.SYSTEM_ERROR","Message":"boom"}`
		}
		var items []string
		for i := (pageNo - 1) * size; i < pageNo*size && i < total; i++ {
			items = append(items, fmt.Sprintf(`{"relatedNum":"num-%02d","createTime":"2021-03-26 12:34:08"}`, i))
		}
		data := fmt.Sprintf(`{"data":[%s],"pageNo":%d,"pageSize":%d,"total":%d}`, strings.Join(items, ","), pageNo, size, total)
		if !inline {
			data = strconv.Quote(data)
		}
		return `{"RequestId":"r","Code":"200","Data":` + data + `}`
	}
}

func TestQueryVirtualNumberRelationAll(t *testing.T) {
	for _, inline := range []bool{false, true} {
		c, rec := newRtcFake(t, vnPagedServer(25, 0, inline))
		req := &QueryVirtualNumberRelationRequest{PageSize: 10, PhoneNum: "05516214****"}
		var got []string
		for it, err := range c.QueryVirtualNumberRelationAll(context.Background(), req) {
			require.NoError(t, err)
			got = append(got, it.RelatedNum)
		}
		require.Len(t, got, 25)
		assert.Equal(t, "num-00", got[0])
		assert.Equal(t, "num-24", got[24])
		reqs := rec.requests()
		require.Len(t, reqs, 3, "stops at the total without asking for an empty page")
		for i, r := range reqs {
			assert.Equal(t, strconv.Itoa(i+1), r.form.Get("PageNo"))
			assert.Equal(t, "10", r.form.Get("PageSize"))
			assert.Equal(t, "05516214****", r.form.Get("PhoneNum"))
		}
		assert.Equal(t, &QueryVirtualNumberRelationRequest{PageSize: 10, PhoneNum: "05516214****"}, req, "caller's request unchanged")
	}
}

func TestQueryVirtualNumberRelationAllStops(t *testing.T) {
	t.Run("break", func(t *testing.T) {
		c, rec := newRtcFake(t, vnPagedServer(25, 0, false))
		n := 0
		for _, err := range c.QueryVirtualNumberRelationAll(context.Background(), &QueryVirtualNumberRelationRequest{PageSize: 10}) {
			require.NoError(t, err)
			if n++; n == 12 {
				break
			}
		}
		assert.Len(t, rec.requests(), 2)
	})
	t.Run("error", func(t *testing.T) {
		c, rec := newRtcFake(t, vnPagedServer(25, 2, false))
		var items, errs int
		for _, err := range c.QueryVirtualNumberRelationAll(context.Background(), &QueryVirtualNumberRelationRequest{PageSize: 10}) {
			if err != nil {
				errs++
				assert.Equal(t, ErrorCode("isv.SYSTEM_ERROR"), CodeOf(err))
				continue
			}
			items++
		}
		assert.Equal(t, 10, items)
		assert.Equal(t, 1, errs)
		assert.Len(t, rec.requests(), 2)
	})
	t.Run("cancelled", func(t *testing.T) {
		c, rec := newRtcFake(t, vnPagedServer(25, 0, false))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for _, err := range c.QueryVirtualNumberRelationAll(ctx, nil) {
			assert.ErrorIs(t, err, context.Canceled)
		}
		assert.Empty(t, rec.requests())
	})
	t.Run("empty Data", func(t *testing.T) {
		c, rec := newRtcFake(t, func(string, url.Values) string { return `{"RequestId":"r","Code":"200","Data":""}` })
		for _, err := range c.QueryVirtualNumberAll(context.Background(), nil) {
			t.Fatalf("no item expected, got error %v", err)
		}
		assert.Len(t, rec.requests(), 1)
	})
	t.Run("from page 2", func(t *testing.T) {
		c, rec := newRtcFake(t, vnPagedServer(25, 0, false))
		n := 0
		for _, err := range c.QueryVirtualNumberRelationAll(context.Background(), &QueryVirtualNumberRelationRequest{PageNo: 2, PageSize: 10}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 15, n)
		assert.Len(t, rec.requests(), 2)
	})
}

func TestQueryVirtualNumberAll(t *testing.T) {
	c, rec := newRtcFake(t, func(_ string, form url.Values) string {
		pageNo, _ := strconv.Atoi(form.Get("PageNo"))
		var items []string
		for i := (pageNo - 1) * 2; i < pageNo*2 && i < 5; i++ {
			items = append(items, fmt.Sprintf(`{"phoneNum":"0551621%04d","status":"1","routeType":0}`, i))
		}
		return fmt.Sprintf(`{"RequestId":"r","Code":"200","Data":{"data":[%s],"pageNo":%d,"pageSize":2,"total":5}}`, strings.Join(items, ","), pageNo)
	})
	var got []string
	for it, err := range c.QueryVirtualNumberAll(context.Background(), &QueryVirtualNumberRequest{RouteType: Ptr(RouteTypeLocationFirst)}) {
		require.NoError(t, err)
		assert.Equal(t, VirtualNumberValid, it.Status)
		got = append(got, it.PhoneNum)
	}
	assert.Equal(t, []string{"05516210000", "05516210001", "05516210002", "05516210003", "05516210004"}, got)
	require.Len(t, rec.requests(), 3)
	for _, r := range rec.requests() {
		assert.Equal(t, "0", r.form.Get("RouteType"))
		assert.Empty(t, r.form.Get("PageSize"), "page size left to the service")
	}
}
