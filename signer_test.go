package dyvms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refEncode is an independent specialUrlEncode, written the way the API
// reference describes it (Java URLEncoder, then three replacements), on top
// of net/url rather than the production encoder.
func refEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	e = strings.ReplaceAll(e, "%7E", "~")
	return e
}

// refStringToSign and refSign recompute the POP signature independently.
func refStringToSign(method string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = refEncode(k) + "=" + refEncode(params[k])
	}
	return method + "&" + refEncode("/") + "&" + refEncode(strings.Join(pairs, "&"))
}

func refSign(method string, params map[string]string, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(refStringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func toValues(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

// The two vectors of the catalogue's common.json: the seed's example as
// printed, and the published Alibaba Cloud SMS signature example.
func TestSignCatalogueVectors(t *testing.T) {
	vectors := []struct {
		name, method, secret   string
		params                 map[string]string
		sorted, sts, signature string
	}{
		{
			name: "seed-example-as-printed", method: "GET", secret: "testSecret",
			params: map[string]string{
				"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb",
				"AccessKeyId": "testId", "SignatureVersion": "1.0", "Timestamp": "2017-09-28T14:31:56Z",
				"Format": "XML", "Action": "SingleCallByTts", "Version": "2017-05-25", "RegionId": "cn-hangzhou",
				"CalledShowNumber": "05711234****", "CalledNumber": "13900001234",
				"TtsParam": `{"code":"1234","product":"test"}`, "TtsCode": "TTS_0000000", "OutId": "123",
			},
			sorted:    "AccessKeyId=testId&Action=SingleCallByTts&CalledNumber=13900001234&CalledShowNumber=05711234%2A%2A%2A%2A&Format=XML&OutId=123&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=f7d2d4ef-6d5f-4da4-86ed-88e001abbabb&SignatureVersion=1.0&Timestamp=2017-09-28T14%3A31%3A56Z&TtsCode=TTS_0000000&TtsParam=%7B%22code%22%3A%221234%22%2C%22product%22%3A%22test%22%7D&Version=2017-05-25",
			sts:       "GET&%2F&AccessKeyId%3DtestId%26Action%3DSingleCallByTts%26CalledNumber%3D13900001234%26CalledShowNumber%3D05711234%252A%252A%252A%252A%26Format%3DXML%26OutId%3D123%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Df7d2d4ef-6d5f-4da4-86ed-88e001abbabb%26SignatureVersion%3D1.0%26Timestamp%3D2017-09-28T14%253A31%253A56Z%26TtsCode%3DTTS_0000000%26TtsParam%3D%257B%2522code%2522%253A%25221234%2522%252C%2522product%2522%253A%2522test%2522%257D%26Version%3D2017-05-25",
			signature: "Z76jw3BtU65rbEtoX1ncKVZN3W0=",
		},
		{
			name: "alibaba-cloud-sms-doc-example", method: "GET", secret: "testSecret",
			params: map[string]string{
				"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
				"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
				"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
				"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
				"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
			},
			sorted:    "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
			sts:       "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
			signature: "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
		},
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			vals := toValues(v.params)
			assert.Equal(t, v.sorted, CanonicalQuery(vals))
			assert.Equal(t, v.sts, StringToSign(v.method, vals))
			assert.Equal(t, v.signature, Sign(v.method, vals, v.secret))
			// The independent reference agrees with the vector too.
			assert.Equal(t, v.sts, refStringToSign(v.method, v.params))
			assert.Equal(t, v.signature, refSign(v.method, v.params, v.secret))
			// A Signature parameter is never part of what is signed.
			vals.Set("Signature", "ignored")
			assert.Equal(t, v.signature, Sign(v.method, vals, v.secret))
		})
	}
}

// Hard inputs, each checked against the independent reference.
func TestSignSpecialCharacters(t *testing.T) {
	values := []string{
		"语音验证码 您的验证码是1234",
		"emoji 📞☎️ and a 🇨🇳 flag",
		"spaces  and\ttabs",
		"star*tilde~plus+amp&eq=slash/q?pct%",
		"line1\nline2\r\nline3",
		`{"code":"1234","product":"阿里云"}`,
		"%20 already-encoded %2A",
		"-_.~ unreserved",
		"",
		"\x00\x7f control",
	}
	for _, s := range values {
		t.Run(s, func(t *testing.T) {
			params := map[string]string{
				"Action": "SingleCallByTts", "TtsParam": s, "Key with space*": s,
				"AccessKeyId": "testId", "Timestamp": "2026-11-29T11:00:00Z",
			}
			for _, method := range []string{"GET", "POST"} {
				// The string-to-sign is sized exactly: no growth.
				sts := stringToSign(method, paramsFromValues(toValues(params)))
				assert.Equal(t, len(sts), cap(sts))
				assert.Equal(t, refEncode(s), SpecialURLEncode(s))
				assert.Equal(t, refStringToSign(method, params), StringToSign(method, toValues(params)))
				assert.Equal(t, refSign(method, params, "s3cr3t/+="), Sign(method, toValues(params), "s3cr3t/+="))
			}
		})
	}
}

func TestSpecialURLEncodeExact(t *testing.T) {
	cases := map[string]string{
		" ":      "%20",
		"*":      "%2A",
		"~":      "~",
		"+":      "%2B",
		"/":      "%2F",
		"=":      "%3D",
		"&":      "%26",
		"%":      "%25",
		"\n":     "%0A",
		"é":      "%C3%A9",
		"语":      "%E8%AF%AD",
		"📞":      "%F0%9F%93%9E",
		"aZ0-_.": "aZ0-_.",
	}
	for in, want := range cases {
		assert.Equal(t, want, SpecialURLEncode(in), "input %q", in)
	}
}

func TestSignSortsByByteOrder(t *testing.T) {
	// Upper case sorts before lower case, and "A.1.B" before "A.10.B"
	// before "A.2.B", as Java's TreeMap orders them.
	v := url.Values{"b": {"1"}, "B": {"2"}, "A.2.B": {"3"}, "A.10.B": {"4"}, "A.1.B": {"5"}}
	assert.Equal(t, "A.1.B=5&A.10.B=4&A.2.B=3&B=2&b=1", CanonicalQuery(v))
}

func TestStringToSignHoldsNoSecret(t *testing.T) {
	sts := StringToSign("POST", url.Values{"AccessKeyId": {"testId"}, "Action": {"CancelCall"}})
	require.NotContains(t, sts, "testSecret")
	assert.True(t, strings.HasPrefix(sts, "POST&%2F&"))
}
