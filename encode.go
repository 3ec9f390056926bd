package dyvms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dyvms/dyvms-go/internal/wiretag"
)

// Request structs describe their wire form with a `dyvms` struct tag:
//
//	CalledNumber string `dyvms:"CalledNumber,required"`
//	PlayTimes    int    `dyvms:"PlayTimes,min=1,max=3"`
//	OutID        string `dyvms:"OutId,maxbytes=15"`
//	TtsParam     map[string]string `dyvms:"TtsParam,json"`
//	QueryDate    time.Time `dyvms:"QueryDate,ms"`
//	MenuKeyMap   []MenuKey `dyvms:"MenuKeyMap"`   // MenuKeyMap.1.Key, MenuKeyMap.1.Code, ...
//
// The first element is the exact (case-sensitive) wire name. Options:
// required; min=N and max=N for numbers; maxbytes=N for strings; json (the
// value is sent as a JSON document, keys sorted); ms (a time.Time sent as
// Unix milliseconds); datetime (a time.Time sent as "2006-01-02 15:04:05" in
// China Standard Time, UTC+8). Zero values are not sent; pointer fields are
// sent whenever they are non-nil, so zero can be sent through a pointer.
// A slice of structs is flattened to Name.N.Field with N from 1.

type encKind uint8

const (
	encString encKind = iota
	encInt
	encUint
	encFloat
	encBool
	encJSON
	encTimeMillis
	encTimeDateTime
	encStructList
)

// fieldPlan is how one struct field goes on the wire.
type fieldPlan struct {
	index    int
	wire     string
	kind     encKind
	ptr      bool // field is a pointer: sent when non-nil, even if zero
	required bool
	min, max *float64
	maxBytes int
	enum     []string    // allowed wire values; nil means any
	elem     *structPlan // for encStructList
}

// structPlan is the wire plan of one request (or list item) struct type.
type structPlan struct {
	fields []fieldPlan
}

var plans sync.Map // reflect.Type -> *structPlan or error

var timeType = reflect.TypeOf(time.Time{})

// planFor returns the cached plan of struct type t.
func planFor(t reflect.Type) (*structPlan, error) {
	if v, ok := plans.Load(t); ok {
		if err, isErr := v.(error); isErr {
			return nil, err
		}
		return v.(*structPlan), nil
	}
	p, err := buildPlan(t)
	if err != nil {
		plans.Store(t, err)
		return nil, err
	}
	plans.Store(t, p)
	return p, nil
}

func buildPlan(t reflect.Type) (*structPlan, error) {
	p := &structPlan{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("dyvms")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		fp, err := buildField(i, sf.Type, tag)
		if err != nil {
			return nil, fmt.Errorf("dyvms: %s.%s: %w", t.Name(), sf.Name, err)
		}
		p.fields = append(p.fields, fp)
	}
	return p, nil
}

func buildField(index int, ft reflect.Type, tag string) (fieldPlan, error) {
	t, err := wiretag.Parse(tag)
	if err != nil {
		return fieldPlan{}, err
	}
	fp := fieldPlan{index: index, wire: t.Wire, required: t.Required, min: t.Min, max: t.Max, maxBytes: t.MaxBytes, enum: t.Enum}
	asJSON, ms, datetime := t.JSON, t.Millis, t.DateTime
	if ft.Kind() == reflect.Pointer {
		fp.ptr = true
		ft = ft.Elem()
	}
	switch {
	case asJSON:
		fp.kind = encJSON
	case ft == timeType:
		switch {
		case ms:
			fp.kind = encTimeMillis
		case datetime:
			fp.kind = encTimeDateTime
		default:
			return fp, fmt.Errorf("time.Time needs the ms or datetime option")
		}
	case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
		fp.kind = encStructList
		elem, err := planFor(ft.Elem())
		if err != nil {
			return fp, err
		}
		fp.elem = elem
	default:
		k, ok := scalarKind(ft)
		if !ok {
			return fp, fmt.Errorf("unsupported field type %s", ft)
		}
		fp.kind = k
	}
	return fp, nil
}

func scalarKind(t reflect.Type) (encKind, bool) {
	switch t.Kind() {
	case reflect.String:
		return encString, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return encInt, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return encUint, true
	case reflect.Float32, reflect.Float64:
		return encFloat, true
	case reflect.Bool:
		return encBool, true
	}
	return 0, false
}

// encoder flattens one request into params and validates it.
type encoder struct {
	action string
	params []param
}

// encodeRequest validates req (a pointer to a tagged request struct, or nil)
// and appends its parameters to dst.
func encodeRequest(action string, req any, dst []param) ([]param, error) {
	e := encoder{action: action, params: dst}
	if req == nil {
		return dst, nil
	}
	v := reflect.ValueOf(req)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v = reflect.New(v.Type().Elem())
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, fmt.Errorf("dyvms: %s: request must be a struct pointer, not %s", action, v.Type())
	}
	p, err := planFor(v.Type())
	if err != nil {
		return nil, err
	}
	if err := e.encodeStruct(p, v, ""); err != nil {
		return nil, err
	}
	return e.params, nil
}

func (e *encoder) invalid(field, reason string) error {
	return &ValidationError{Action: e.action, Field: field, Reason: reason}
}

func (e *encoder) encodeStruct(p *structPlan, v reflect.Value, prefix string) error {
	for i := range p.fields {
		fp := &p.fields[i]
		if err := e.encodeField(fp, v.Field(fp.index), prefix+fp.wire); err != nil {
			return err
		}
	}
	return nil
}

// encodeField adds one field's parameters, after checking that a required
// field is present.
func (e *encoder) encodeField(fp *fieldPlan, f reflect.Value, name string) error {
	if fp.ptr {
		if f.IsNil() {
			if fp.required {
				return e.invalid(name, "is required")
			}
			return nil
		}
		f = f.Elem()
	} else if f.IsZero() && fp.kind != encStructList {
		if fp.required {
			return e.invalid(name, "is required")
		}
		return nil
	}
	switch fp.kind {
	case encJSON:
		return e.encodeJSON(fp, f, name)
	case encStructList:
		return e.encodeList(fp, f, name)
	}
	return e.encodeScalar(fp, f, name)
}

// encodeScalar adds a string, number, bool or time field.
func (e *encoder) encodeScalar(fp *fieldPlan, f reflect.Value, name string) error {
	switch fp.kind {
	case encString:
		s := f.String()
		if fp.maxBytes > 0 && len(s) > fp.maxBytes {
			return e.invalid(name, fmt.Sprintf("is %d bytes long; at most %d allowed", len(s), fp.maxBytes))
		}
		if err := e.checkEnum(fp, name, s); err != nil {
			return err
		}
		e.add(name, s)
	case encInt:
		n := f.Int()
		if err := e.checkRange(fp, name, float64(n)); err != nil {
			return err
		}
		if err := e.checkEnum(fp, name, strconv.FormatInt(n, 10)); err != nil {
			return err
		}
		e.add(name, strconv.FormatInt(n, 10))
	case encUint:
		n := f.Uint()
		if err := e.checkRange(fp, name, float64(n)); err != nil {
			return err
		}
		e.add(name, strconv.FormatUint(n, 10))
	case encFloat:
		x := f.Float()
		if err := e.checkRange(fp, name, x); err != nil {
			return err
		}
		if err := e.checkEnum(fp, name, strconv.FormatFloat(x, 'f', -1, 64)); err != nil {
			return err
		}
		e.add(name, strconv.FormatFloat(x, 'f', -1, 64))
	case encBool:
		e.add(name, strconv.FormatBool(f.Bool()))
	case encTimeMillis:
		e.add(name, strconv.FormatInt(f.Interface().(time.Time).UnixMilli(), 10))
	case encTimeDateTime:
		e.add(name, formatChinaDateTime(f.Interface().(time.Time)))
	}
	return nil
}

// encodeJSON adds a field sent as a JSON document.
func (e *encoder) encodeJSON(fp *fieldPlan, f reflect.Value, name string) error {
	if (f.Kind() == reflect.Map || f.Kind() == reflect.Slice) && f.Len() == 0 {
		if fp.required {
			return e.invalid(name, "is required")
		}
		return nil
	}
	s, err := marshalJSON(f.Interface())
	if err != nil {
		return e.invalid(name, "cannot be encoded as JSON: "+err.Error())
	}
	if fp.maxBytes > 0 && len(s) > fp.maxBytes {
		return e.invalid(name, fmt.Sprintf("is %d bytes of JSON; at most %d allowed", len(s), fp.maxBytes))
	}
	e.add(name, s)
	return nil
}

// encodeList adds a list of structs as Name.N.Field, N from 1.
func (e *encoder) encodeList(fp *fieldPlan, f reflect.Value, name string) error {
	if f.Len() == 0 {
		if fp.required {
			return e.invalid(name, "needs at least one item")
		}
		return nil
	}
	for j := 0; j < f.Len(); j++ {
		if err := e.encodeStruct(fp.elem, f.Index(j), name+"."+strconv.Itoa(j+1)+"."); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) checkRange(fp *fieldPlan, name string, x float64) error {
	if fp.min != nil && x < *fp.min || fp.max != nil && x > *fp.max {
		lo, hi := "-∞", "+∞"
		if fp.min != nil {
			lo = strconv.FormatFloat(*fp.min, 'f', -1, 64)
		}
		if fp.max != nil {
			hi = strconv.FormatFloat(*fp.max, 'f', -1, 64)
		}
		return e.invalid(name, fmt.Sprintf("is %s; must be in [%s, %s]", strconv.FormatFloat(x, 'f', -1, 64), lo, hi))
	}
	return nil
}

func (e *encoder) add(key, value string) {
	e.params = append(e.params, param{key, value})
}

// checkEnum rejects a value that is not one of the field's enum values.
func (e *encoder) checkEnum(fp *fieldPlan, name, value string) error {
	if fp.enum == nil {
		return nil
	}
	for _, v := range fp.enum {
		if v == value {
			return nil
		}
	}
	return e.invalid(name, fmt.Sprintf("is %q; must be one of %s", value, strings.Join(fp.enum, ", ")))
}

// marshalJSON encodes v deterministically (map keys sorted, as encoding/json
// does) without HTML escaping, so Chinese text and '<', '&' stay as they are.
func marshalJSON(v any) (string, error) {
	if m, ok := v.(map[string]string); ok {
		return marshalStringMap(m), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	b := buf.Bytes()
	return string(b[:len(b)-1]), nil // drop Encode's newline
}

// marshalStringMap is marshalJSON for the common map[string]string (every
// TtsParam), without reflection: keys sorted, the same escaping as
// encoding/json with HTML escaping off.
func marshalStringMap(m map[string]string) string {
	var small [8]string // most TtsParams have a few keys: sort them on the stack
	keys := small[:0]
	size := 2
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	b = append(b, '}')
	return string(b)
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: quotes, backslashes and control characters
// escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', lowerHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// lowerHex is the lower-case hex alphabet encoding/json uses in \u
// escapes.
const lowerHex = "0123456789abcdef"
