package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// setListJSON sets a list field from a JSON array: of objects keyed by
// the items' wire names for a list of items, of values for a list of
// values.
func setListJSON(v reflect.Value, f fieldInfo, text string) error {
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		form := `'["a","b"]'`
		if isStructList(f.typ) {
			form = `'[{"Field":"value"}]'` + " or --" + f.wire + ".N.Field value"
		}
		return fmt.Errorf("--%s: want a JSON array like %s: %v", f.wire, form, err)
	}
	list := reflect.MakeSlice(f.typ, len(raw), len(raw))
	for i, r := range raw {
		name := f.wire + "." + strconv.Itoa(i+1)
		if !isStructList(f.typ) {
			if err := setValue(list.Index(i), fieldInfo{wire: name, typ: f.typ.Elem(), cat: f.cat}, jsonText(r)); err != nil {
				return err
			}
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(r, &obj); err != nil {
			return fmt.Errorf("--%s: item %d is not a JSON object", f.wire, i+1)
		}
		itemFields := fieldsOf(f.typ.Elem())
		for key, val := range obj {
			inf, ok := findField(itemFields, key)
			if !ok {
				return fmt.Errorf("--%s: item %d: unknown field %q; items have %s", f.wire, i+1, key, wireNames(itemFields))
			}
			inf.wire, inf.cat = name+"."+key, itemParam(f.cat, key)
			if err := setValue(list.Index(i).Field(inf.index), inf, jsonText(val)); err != nil {
				return err
			}
		}
	}
	v.Set(list)
	return nil
}

// jsonText returns a JSON string's contents, or any other JSON value's
// text, as command-line text for setValue.
func jsonText(r json.RawMessage) string {
	var s string
	if err := json.Unmarshal(r, &s); err == nil {
		return s
	}
	return string(bytes.TrimSpace(r))
}

// setValue sets one field or list element from its command-line text.
func setValue(v reflect.Value, f fieldInfo, text string) error {
	t := f.typ
	switch {
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		inner := f
		inner.typ = t.Elem()
		if err := setValue(p.Elem(), inner, text); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case f.json:
		if !json.Valid([]byte(text)) {
			return fmt.Errorf("--%s: want a JSON value like '{\"name\":\"value\"}', got %q", f.wire, text)
		}
		p := reflect.New(t)
		if err := dyvms.UnmarshalLenient([]byte(text), p.Interface()); err != nil {
			return fmt.Errorf("--%s: %v", f.wire, err)
		}
		v.Set(p.Elem())
		return nil
	case t == timeType:
		tm, err := parseTime(text)
		if err != nil {
			return fmt.Errorf("--%s: %v", f.wire, err)
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	}
	text, err := canonicalValue(f, text)
	if err != nil {
		return err
	}
	return setScalar(v, f, text)
}

// setScalar sets a string, number or bool from its text.
func setScalar(v reflect.Value, f fieldInfo, text string) error {
	t := f.typ
	bad := func(want string, err error) error {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return fmt.Errorf("--%s: %s is out of range for %s", f.wire, text, want)
		}
		msg := fmt.Sprintf("--%s: %q is not %s", f.wire, text, want)
		if names := namedValues[t]; len(names) > 0 {
			msg += fmt.Sprintf(" nor a name such as %s", names[0].name)
		}
		return errors.New(msg)
	}
	trimmed := strings.TrimSpace(text)
	switch t.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(trimmed, 10, t.Bits())
		if err != nil {
			return bad("an integer ("+t.Kind().String()+")", err)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(trimmed, 10, t.Bits())
		if err != nil {
			return bad("a non-negative integer ("+t.Kind().String()+")", err)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(trimmed, t.Bits())
		if err != nil {
			return bad("a number", err)
		}
		v.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(trimmed)
		if err != nil {
			return bad("true or false", nil)
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("--%s: values of type %s cannot be given on the command line", f.wire, t)
	}
	return nil
}

// Time layouts accepted for time parameters besides epoch milliseconds and
// RFC 3339; they are read in China Standard Time, the service's zone.
var chinaLayouts = []string{time.DateTime, "2006-01-02T15:04:05", "2006-01-02 15:04", time.DateOnly}

// parseTime reads a time parameter: Unix milliseconds, RFC 3339, or
// 'yyyy-MM-dd HH:mm:ss' (or a date alone) in China Standard Time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(n), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range chinaLayouts {
		if t, err := time.ParseInLocation(layout, s, dyvms.ChinaStandardTime()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: give Unix milliseconds, RFC 3339 (2024-05-01T08:00:00+08:00) or 'yyyy-MM-dd HH:mm:ss' (China Standard Time)", s)
}

// namedValue is one exported constant of package dyvms (constants_gen.go).
type namedValue struct {
	name  string
	value any
}

// constantText returns the value of the constant of type t named name
// (case-insensitively) as command-line text.
func constantText(t reflect.Type, name string) (string, bool) {
	for _, nv := range namedValues[baseType(t)] {
		if strings.EqualFold(nv.name, name) {
			return fmt.Sprint(nv.value), true
		}
	}
	return "", false
}

// constantName returns the name of the constant of type t whose value is
// text, or "".
func constantName(t reflect.Type, text string) string {
	for _, nv := range namedValues[baseType(t)] {
		if fmt.Sprint(nv.value) == text {
			return nv.name
		}
	}
	return ""
}

// enumValues returns the values the catalogue allows for p ("one of"), as
// command-line text, or nil when any value is allowed.
func enumValues(p *catalog.Param) []string {
	if p == nil {
		return nil
	}
	out := make([]string, 0, len(p.Enum))
	for _, e := range p.Enum {
		out = append(out, jsonText(e))
	}
	return out
}

// canonicalValue checks text against what the SDK knows of f before it is
// parsed: a constant's name of f's type stands for its value, and when the
// catalogue lists the allowed values, text must be one of them (spelt in
// any case; a comma-separated list of them is allowed too). It returns the
// text to send.
func canonicalValue(f fieldInfo, text string) (string, error) {
	if v, ok := constantText(f.typ, strings.TrimSpace(text)); ok {
		text = v
	}
	allowed := enumValues(f.cat)
	if len(allowed) == 0 {
		return text, nil
	}
	if v, ok := oneOf(allowed, text); ok {
		return v, nil
	}
	parts := strings.Split(text, ",")
	for i, p := range parts {
		v, ok := oneOf(allowed, p)
		if !ok || len(parts) == 1 {
			return "", notOneOf(f, text, allowed)
		}
		parts[i] = v
	}
	return strings.Join(parts, ","), nil
}

// oneOf returns the member of allowed equal to s, ignoring case and
// surrounding space.
func oneOf(allowed []string, s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, a := range allowed {
		if strings.EqualFold(a, s) {
			return a, true
		}
	}
	return "", false
}

// notOneOf is the error for a value outside a parameter's allowed values.
func notOneOf(f fieldInfo, text string, allowed []string) error {
	shown := make([]string, len(allowed))
	cands := append([]string(nil), allowed...)
	for i, a := range allowed {
		shown[i] = a
		if name := constantName(f.typ, a); name != "" {
			shown[i] = a + " (" + name + ")"
			cands = append(cands, name)
		}
	}
	msg := fmt.Sprintf("--%s: %q is not one of %s", f.wire, text, strings.Join(shown, ", "))
	if s := suggest(text, cands); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return errors.New(msg)
}
