package dyvmstest

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// checkActionParams checks the Action's required parameters, the types of
// the numeric and boolean ones, and that a JSON-valued parameter holds a
// JSON document, of the shape the catalogue gives where it gives one.
func checkActionParams(a *catalog.Action, params url.Values) *apiError {
	for _, p := range a.Request {
		if p.Type == "list" {
			if p.IsRequired() && !hasPrefix(params, p.Name+".") {
				return missing(p.Name)
			}
			continue
		}
		v := params.Get(p.Name)
		if v == "" {
			if p.IsRequired() {
				return missing(p.Name)
			}
			continue
		}
		if !scalarFits(p.Type, v) {
			return invalidParam(p.Name)
		}
		if p.Type == "json-string" && !jsonFits(v, p.InnerSchema) {
			return invalidParam(p.Name)
		}
	}
	return nil
}

// scalarFits reports whether the wire value v parses as typ; types other
// than the numbers and bool always fit.
func scalarFits(typ, v string) bool {
	var err error
	switch typ {
	case "int32":
		_, err = strconv.ParseInt(v, 10, 32)
	case "int64":
		_, err = strconv.ParseInt(v, 10, 64)
	case "float":
		_, err = strconv.ParseFloat(v, 64)
	case "bool":
		_, err = strconv.ParseBool(v)
	}
	return err == nil
}

// hasPrefix reports whether a parameter starting with prefix has a value.
func hasPrefix(params url.Values, prefix string) bool {
	for k, vs := range params {
		if strings.HasPrefix(k, prefix) && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

// jsonFits reports whether v is a JSON document, of shape sc where the
// catalogue gives one.
func jsonFits(v string, sc *catalog.Schema) bool {
	var doc any
	if !json.Valid([]byte(v)) || decodeNumbers(v, &doc) != nil {
		return false
	}
	return sc == nil || fitsSchema(doc, sc)
}

// fitsSchema reports whether a decoded document has shape sc: one of its
// variants where it has some, else the right kind (object or array) with
// every required key present and every key present of its type.
func fitsSchema(doc any, sc *catalog.Schema) bool {
	if len(sc.Variants) > 0 {
		for i := range sc.Variants {
			if fitsSchema(doc, &sc.Variants[i]) {
				return true
			}
		}
		return false
	}
	switch t := doc.(type) {
	case map[string]any:
		return strings.Contains(sc.Type, "object") && fitsFields(t, sc.Fields)
	case []any:
		return strings.Contains(sc.Type, "array") && fitsItems(t, sc.Items, sc.Fields)
	}
	return false
}

// fitsFields reports whether m has every required key and each key it
// has fits.
func fitsFields(m map[string]any, fields []catalog.SchemaField) bool {
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok || v == nil {
			if f.IsRequired() {
				return false
			}
			continue
		}
		if !fitsField(v, f) {
			return false
		}
	}
	return true
}

// fitsItems reports whether every element of l is of type items.
func fitsItems(l []any, items string, fields []catalog.SchemaField) bool {
	for _, e := range l {
		if !fitsValue(e, items, fields) {
			return false
		}
	}
	return true
}

// fitsField reports whether v fits the key f, including a string that
// itself holds JSON of f's inner schema.
func fitsField(v any, f catalog.SchemaField) bool {
	if f.Type == "array" {
		l, ok := v.([]any)
		return ok && fitsItems(l, f.Items, f.Fields)
	}
	if !fitsValue(v, f.Type, f.Fields) {
		return false
	}
	if s, ok := v.(string); ok && f.InnerSchema != nil {
		return jsonFits(s, f.InnerSchema)
	}
	return true
}

// fitsValue reports whether v is of type typ, leniently as the service
// reads JSON: a number may come as a string of digits.
func fitsValue(v any, typ string, fields []catalog.SchemaField) bool {
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		return ok && fitsFields(m, fields)
	case "int32", "int64", "float", "bool":
		switch t := v.(type) {
		case json.Number:
			return typ != "bool" && scalarFits(typ, t.String())
		case string:
			return scalarFits(typ, t)
		case bool:
			return typ == "bool"
		}
		return false
	case "string":
		switch v.(type) {
		case string, json.Number, bool:
			return true
		}
		return false
	}
	return true
}
