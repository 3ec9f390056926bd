package dyvms

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type decItem struct {
	ID   int64  `json:"Id"`
	Name string `json:"Name"`
}

type decResp struct {
	ResponseMeta
	Count  int32     `json:"Count"`
	Rate   float64   `json:"Rate"`
	Flag   bool      `json:"Flag"`
	Data   string    `json:"Data"`
	Items  []decItem `json:"Items"`
	Tags   []string  `json:"Tags"`
	Nested *decItem  `json:"Nested"`
}

// The tolerant rules, the same for JSON and XML bodies.
func TestTolerantDecoding(t *testing.T) {
	want := decResp{
		ResponseMeta: ResponseMeta{RequestID: "R", Code: "OK"},
		Count:        12, Rate: 0.5, Flag: true, Data: `{"a":"1"}`,
		Items: []decItem{{ID: 1, Name: "one"}, {ID: 2, Name: "two"}},
		Tags:  []string{"x", "y"}, Nested: &decItem{ID: 9, Name: "n"},
	}
	bodies := map[string]string{
		"json-typed":          `{"RequestId":"R","Code":"OK","Count":12,"Rate":0.5,"Flag":true,"Data":"{\"a\":\"1\"}","Items":[{"Id":1,"Name":"one"},{"Id":2,"Name":"two"}],"Tags":["x","y"],"Nested":{"Id":9,"Name":"n"}}`,
		"json-strings":        `{"RequestId":"R","Code":"OK","Count":"12","Rate":"0.5","Flag":"true","Data":{"a":"1"},"Items":[{"Id":"1","Name":"one"},{"Id":"2","Name":"two"}],"Tags":["x","y"],"Nested":{"Id":"9","Name":"n"}}`,
		"json-wrapper-lists":  `{"RequestId":"R","Code":"OK","Count":12.0,"Rate":0.5,"Flag":1,"Data":{"a":"1"},"Items":{"Item":[{"Id":1,"Name":"one"},{"Id":2,"Name":"two"}]},"Tags":{"Tag":["x","y"]},"Nested":"{\"Id\":9,\"Name\":\"n\"}"}`,
		"json-list-in-string": `{"RequestId":"R","Code":"OK","Count":12,"Rate":0.5,"Flag":true,"Data":"{\"a\":\"1\"}","Items":"[{\"Id\":1,\"Name\":\"one\"},{\"Id\":2,\"Name\":\"two\"}]","Tags":["x","y"],"Nested":{"Id":9,"Name":"n"}}`,
		"xml-repeated":        `<?xml version="1.0"?><XResponse><RequestId>R</RequestId><Code>OK</Code><Count>12</Count><Rate>0.5</Rate><Flag>true</Flag><Data>{"a":"1"}</Data><Items><Id>1</Id><Name>one</Name></Items><Items><Id>2</Id><Name>two</Name></Items><Tags>x</Tags><Tags>y</Tags><Nested><Id>9</Id><Name>n</Name></Nested></XResponse>`,
		"xml-wrapped":         `<XResponse><RequestId>R</RequestId><Code>OK</Code><Count> 12 </Count><Rate>0.5</Rate><Flag>true</Flag><Data>{"a":"1"}</Data><Items><Item><Id>1</Id><Name>one</Name></Item><Item><Id>2</Id><Name>two</Name></Item></Items><Tags><Tag>x</Tag><Tag>y</Tag></Tags><Nested><Id>9</Id><Name>n</Name></Nested></XResponse>`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			var got decResp
			require.NoError(t, decodeResponse("X", 200, http.Header{}, []byte(body), &got, redactor{}))
			assert.Equal(t, want, got)
		})
	}
}

func TestTolerantDecodingSingleItems(t *testing.T) {
	var got decResp
	body := `<XResponse><RequestId>R</RequestId><Items><Id>1</Id><Name>one</Name></Items><Tags>x</Tags></XResponse>`
	require.NoError(t, decodeResponse("X", 200, http.Header{}, []byte(body), &got, redactor{}))
	assert.Equal(t, []decItem{{ID: 1, Name: "one"}}, got.Items)
	assert.Equal(t, []string{"x"}, got.Tags)

	// A single wrapped item: <Items><Item>..</Item></Items>.
	got = decResp{}
	body = `<XResponse><RequestId>R</RequestId><Items><Item><Id>1</Id><Name>one</Name></Item></Items></XResponse>`
	require.NoError(t, decodeResponse("X", 200, http.Header{}, []byte(body), &got, redactor{}))
	assert.Equal(t, []decItem{{ID: 1, Name: "one"}}, got.Items)
}

// Values that cannot be converted leave zero values; they never fail the
// call or panic.
func TestTolerantDecodingBadValues(t *testing.T) {
	var got decResp
	body := `{"RequestId":"R","Code":"OK","Count":"many","Rate":[1],"Flag":"perhaps","Items":5,"Nested":[1,2],"Tags":null}`
	require.NoError(t, decodeResponse("X", 200, http.Header{}, []byte(body), &got, redactor{}))
	assert.Equal(t, "R", got.RequestID)
	assert.Zero(t, got.Count)
	assert.False(t, got.Flag)
	assert.Nil(t, got.Tags)
	var big decResp
	require.NoError(t, decodeResponse("X", 200, http.Header{}, []byte(`{"RequestId":"R","Count":99999999999}`), &big, redactor{}))
	assert.Zero(t, big.Count, "an overflowing number is dropped, not wrapped")
}

// The encoding/json fast path and the tolerant path agree.
func TestFastAndTolerantPathsAgree(t *testing.T) {
	for _, body := range []string{
		okCallJSON,
		`{"RequestId":"R","Code":"OK","CallId":"1","Extra":{"x":1}}`,
		`{"RequestId":"R","Code":"OK","CallId":123}`,
	} {
		var fast, tolerant SingleCallByTtsResponse
		require.NoError(t, decodeResponse("SingleCallByTts", 200, http.Header{}, []byte(body), &fast, redactor{}))
		_, tree, err := parseBody([]byte(body))
		require.NoError(t, err)
		decodeInto(tree, &tolerant)
		assert.Equal(t, tolerant, fast, body)
	}
}

func TestUnmarshalLenient(t *testing.T) {
	var items []decItem
	require.NoError(t, UnmarshalLenient([]byte(`[{"Id":"3","Name":"c"}]`), &items))
	assert.Equal(t, []decItem{{ID: 3, Name: "c"}}, items)
	var one decItem
	require.NoError(t, UnmarshalLenient([]byte(`<x><Id>4</Id></x>`), &one))
	assert.Equal(t, int64(4), one.ID)
	assert.Error(t, UnmarshalLenient([]byte(`{"Id":`), &one))
	assert.Error(t, UnmarshalLenient([]byte(`nope`), &one))
}

func TestXMLDepthBounded(t *testing.T) {
	deep := ""
	for i := 0; i < 200; i++ {
		deep += "<a>"
	}
	_, _, err := parseBody([]byte(deep))
	assert.Error(t, err)
}

// UnmarshalLenient takes the same fast path and agrees with the tolerant
// path; a type holding an interface or a map always takes the tolerant
// path, so numbers in it are json.Number either way.
func TestUnmarshalLenientFastPathAgrees(t *testing.T) {
	body := []byte(`{"Id":5,"Name":"e"}`)
	var fast, tolerant decItem
	require.True(t, decodeStrict(body, &fast))
	_, tree, err := parseBody(body)
	require.NoError(t, err)
	decodeInto(tree, &tolerant)
	assert.Equal(t, tolerant, fast)

	assert.False(t, decodeStrict([]byte(`{"Id":"5"}`), &fast), "a quoted number needs the tolerant rules")
	assert.Zero(t, fast, "a failed fast path leaves out zeroed")

	var withAny struct{ V any }
	assert.False(t, decodeStrict([]byte(`{"V":1}`), &withAny))
	require.NoError(t, UnmarshalLenient([]byte(`{"V":1}`), &withAny))
	assert.Equal(t, json.Number("1"), withAny.V)
}
