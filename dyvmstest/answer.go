package dyvmstest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// answer writes one response in the request's format.
type answer struct {
	w         http.ResponseWriter
	requestID string
	format    string // "JSON" or "XML"
	action    string // set once the Action is known
}

// recommendURL is the error-centre link the gateway puts in Recommend.
func recommendURL(code string) string {
	return "https://api.aliyun.com/troubleshoot?q=" + code + "&product=Dyvmsapi"
}

// error writes a gateway error envelope (<Error>) or, for a business error,
// the Action's response with a failing Code.
func (a *answer) error(e *apiError) {
	if e.business && a.action != "" {
		a.write(e.status, map[string]any{"RequestId": a.requestID, "Code": e.code, "Message": e.message})
		return
	}
	body := map[string]any{
		"RequestId": a.requestID,
		"HostId":    HostID,
		"Code":      e.code,
		"Message":   e.message,
		"Recommend": recommendURL(e.code),
	}
	if a.format == "JSON" {
		a.raw(e.status, "application/json;charset=utf-8", marshalJSON(body))
		return
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error>")
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		writeXMLValue(&b, k, body[k])
	}
	b.WriteString("</Error>")
	a.raw(e.status, "text/xml;charset=utf-8", b.Bytes())
}

// success writes HTTP 200 with body.
func (a *answer) success(body map[string]any) { a.write(http.StatusOK, body) }

// write writes body rooted at <ActionResponse> (XML) or as a flat object.
func (a *answer) write(status int, body map[string]any) {
	ct, b := a.encode(body)
	a.raw(status, ct, b)
}

// encode renders body in the answer's format.
func (a *answer) encode(body map[string]any) (contentType string, b []byte) {
	body["RequestId"] = a.requestID
	if a.format == "JSON" {
		return "application/json;charset=utf-8", marshalJSON(body)
	}
	return "text/xml;charset=utf-8", marshalXML(a.action+"Response", body)
}

func (a *answer) raw(status int, contentType string, b []byte) {
	h := a.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	a.w.WriteHeader(status)
	a.w.Write(b) //nolint:errcheck // the client may be gone
}

// marshalJSON renders v without HTML escaping, as the service does.
func marshalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("dyvmstest: marshalling a body: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// marshalXML renders a tree (maps, lists, scalars) as an XML document with
// the given root; a list becomes repeated elements, as in the API
// reference's samples. Keys are sorted, RequestId first.
func marshalXML(root string, body map[string]any) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	writeXMLValue(&b, root, body)
	return b.Bytes()
}

func writeXMLValue(b *bytes.Buffer, name string, v any) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			writeXMLValue(b, name, e)
		}
		return
	case map[string]any:
		b.WriteString("<" + name + ">")
		for _, k := range sortedKeys(t) {
			writeXMLValue(b, k, t[k])
		}
		b.WriteString("</" + name + ">")
		return
	}
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(scalarString(v))) //nolint:errcheck // bytes.Buffer
	b.WriteString("</" + name + ">")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "RequestId") != (keys[j] == "RequestId") {
			return keys[i] == "RequestId"
		}
		return keys[i] < keys[j]
	})
	return keys
}

func scalarString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	default:
		return string(marshalJSON(t))
	}
}

// template returns a fresh success body for a: the API reference's JSON
// sample when there is one, else one synthesized from the response field
// list; Code is the Action's success code.
func template(a *catalog.Action) map[string]any {
	body := map[string]any{}
	if a.Samples.JSON != "" {
		dec := json.NewDecoder(strings.NewReader(a.Samples.JSON))
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			body = map[string]any{}
		}
		body = cleanSample(body).(map[string]any)
	}
	// Fields the sample lacks (or all, without a sample) are synthesized
	// from the response field list.
	for _, f := range a.Response {
		if _, ok := body[f.Name]; !ok {
			body[f.Name] = synthesize(f)
		}
	}
	code := "OK"
	if a.SuccessCode != nil {
		code = *a.SuccessCode
	}
	body["Code"] = code
	if _, ok := body["Message"]; ok || hasField(a, "Message") {
		body["Message"] = "OK"
	}
	return body
}

func hasField(a *catalog.Action, name string) bool {
	for _, f := range a.Response {
		if f.Name == name {
			return true
		}
	}
	return false
}

// ocrRepairs are sample values the API reference's OCR damaged, with what
// the real service sends (the catalogue documents the enumeration).
var ocrRepairs = map[string]string{"NORMA": "NORMAL"}

// cleanSample replaces the OCR's "[illegible]" placeholders in a sample
// and repairs values the OCR cut short.
func cleanSample(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = cleanSample(e)
		}
	case []any:
		for i, e := range t {
			t[i] = cleanSample(e)
		}
	case string:
		if fixed, ok := ocrRepairs[t]; ok {
			return fixed
		}
		return strings.ReplaceAll(t, "[illegible]", "Test")
	}
	return v
}

// synthesize makes a plausible value for a response field that has no
// sample.
func synthesize(f catalog.Field) any {
	switch f.Type {
	case "int32", "int64":
		return json.Number("1")
	case "bool":
		return true
	case "object":
		return synthObject(f.Fields)
	case "array":
		if f.Items == "object" || len(f.Fields) > 0 {
			return []any{synthObject(f.Fields)}
		}
		return []any{placeholder(f.Name)}
	}
	if f.JSONInString && len(f.InnerFields) > 0 {
		return string(marshalJSON(synthObject(f.InnerFields)))
	}
	return placeholder(f.Name)
}

func synthObject(fields []catalog.Field) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		m[f.Name] = synthesize(f)
	}
	return m
}

// placeholder is a string value shaped after the field's name.
func placeholder(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "time") || strings.Contains(l, "date"):
		return "2024-01-01 12:00:00"
	case strings.HasSuffix(l, "id"):
		return "100000001"
	case strings.Contains(l, "number") || strings.Contains(l, "phone") || strings.Contains(l, "called") || strings.Contains(l, "caller"):
		return "0571****5678"
	case strings.Contains(l, "token"):
		return "fake-token-0000000000"
	case l == "success" || strings.HasPrefix(l, "is"):
		return "true"
	}
	return "test"
}
