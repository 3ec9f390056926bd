package dyvmstest

import (
	"encoding/json"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// The schema-driven answerer: every Action's success body is its sample
// from the catalogue, completed and corrected from its response schema, so
// that every response field is present with a value of its type. Handlers
// of Actions with state then overwrite what their state decides; the
// other Actions are answered with this body as it is.

// template returns a fresh success body for a: the catalogue's JSON sample
// when there is one, every field the sample lacks synthesized from the
// response schema (nested objects and list elements too), and Code the
// Action's success code.
func template(a *catalog.Action) map[string]any {
	body := sampleBody(a)
	completeFields(body, a.Response)
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

// sampleBody decodes the Action's JSON sample, repaired, or returns an
// empty body.
func sampleBody(a *catalog.Action) map[string]any {
	body := map[string]any{}
	if a.Samples.JSON == "" {
		return body
	}
	if decodeNumbers(a.Samples.JSON, &body) != nil {
		return map[string]any{}
	}
	return cleanSample(body).(map[string]any)
}

// decodeNumbers decodes JSON keeping numbers as json.Number, so integers
// and floats are answered as the sample wrote them.
func decodeNumbers(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return dec.Decode(v)
}

// hasField reports whether the Action's response has a top-level field
// called name.
func hasField(a *catalog.Action, name string) bool {
	for _, f := range a.Response {
		if f.Name == name {
			return true
		}
	}
	return false
}

// completeFields adds to m every field it lacks and conforms the values it
// has to their field's type.
func completeFields(m map[string]any, fields []catalog.Field) {
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok || v == nil {
			m[f.Name] = synthesize(f)
			continue
		}
		m[f.Name] = conform(v, f)
	}
}

// conform returns v, a sample's value of field f, completed where it is an
// object or a list, or a synthesized value where its shape is not f's.
func conform(v any, f catalog.Field) any {
	switch {
	case f.JSONInString:
		return conformJSONString(v, f)
	case f.Type == "object":
		m, ok := v.(map[string]any)
		if !ok || len(m) == 0 {
			return synthesize(f)
		}
		completeFields(m, f.Fields)
	case f.Type == "array":
		l, ok := v.([]any)
		if !ok {
			return synthesize(f)
		}
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				completeFields(m, f.Fields)
			}
		}
	case f.Type == "float":
		if n, ok := v.(json.Number); ok && !strings.ContainsAny(string(n), ".eE") {
			return n + ".0" // a float is written as one
		}
	}
	return v
}

// conformJSONString keeps a JSON-in-string sample that holds JSON of the
// field's inner shape, completed with the inner fields it lacks, and
// synthesizes one otherwise. Fields of the first catalogue version carry
// no inner type; their samples are kept as they are.
func conformJSONString(v any, f catalog.Field) any {
	s, ok := v.(string)
	if f.InnerType == "" {
		return v
	}
	var inner any
	if !ok || decodeNumbers(s, &inner) != nil || !innerShape(inner, f.InnerType) {
		return synthesize(f)
	}
	switch t := inner.(type) {
	case map[string]any:
		completeFields(t, f.InnerFields)
	case []any:
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				completeFields(m, f.InnerFields)
			}
		}
	}
	return string(marshalJSON(inner))
}

// innerShape reports whether a decoded JSON document has the shape
// "object", "array" or "object or array".
func innerShape(v any, shape string) bool {
	switch v.(type) {
	case map[string]any:
		return strings.Contains(shape, "object")
	case []any:
		return strings.Contains(shape, "array")
	}
	return false
}

// synthesize makes a plausible value of a response field's type.
func synthesize(f catalog.Field) any {
	if f.JSONInString {
		return synthJSONString(f)
	}
	switch f.Type {
	case "object":
		if len(f.Fields) == 0 {
			return map[string]any{"key": "value"} // a free-form object
		}
		return synthObject(f.Fields)
	case "array":
		if f.Items == "object" || len(f.Fields) > 0 {
			return []any{synthObject(f.Fields)}
		}
		return []any{synthScalar(f.Items, f.Name)}
	}
	if len(f.Enum) > 0 {
		var v any
		if decodeNumbers(string(f.Enum[0]), &v) == nil {
			return v // the first documented value
		}
	}
	return synthScalar(f.Type, f.Name)
}

// synthJSONString is a JSON-in-string value: a JSON document of the inner
// shape, built from the inner fields.
func synthJSONString(f catalog.Field) string {
	var inner any = synthObject(f.InnerFields)
	if f.InnerType == "array" {
		inner = []any{inner}
		if len(f.InnerFields) == 0 {
			inner = []any{}
		}
	}
	return string(marshalJSON(inner))
}

// synthObject makes an object with every field synthesized.
func synthObject(fields []catalog.Field) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		m[f.Name] = synthesize(f)
	}
	return m
}

// synthScalar is a value of a scalar type: a number for the integer types,
// a number with a fraction for float, true for bool, and otherwise a
// string shaped after the field's name.
func synthScalar(typ, name string) any {
	switch typ {
	case "int32", "int64", "integer":
		return json.Number("1")
	case "float", "number":
		return json.Number("0.5")
	case "bool", "boolean":
		return true
	}
	return placeholder(name)
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
