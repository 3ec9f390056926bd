package dyvmstest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
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
