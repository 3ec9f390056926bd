package dyvms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
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
// China Standard Time, UTC+8); phone (the string is one phone number, see
// checkPhone) and phones or phones=N (a comma-separated list of at most N
// of them). Strings without maxbytes are bounded by maxParamBytes, JSON by
// maxJSONBytes. Zero values are not sent; pointer fields are
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
	enum     []string // allowed wire values; nil means any
	// phone: one phone number; phones: a comma-separated list of them, at
	// most maxPhones (0: no bound).
	phone, phones bool
	maxPhones     int
	elem          *structPlan // for encStructList
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
	fp := fieldPlan{index: index, wire: t.Wire, required: t.Required, min: t.Min, max: t.Max, maxBytes: t.MaxBytes,
		enum: t.Enum, phone: t.Phone, phones: t.Phones, maxPhones: t.MaxPhones}
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

// encoder flattens one request into params and validates it, collecting
// every problem rather than stopping at the first.
type encoder struct {
	action   string
	params   []param
	problems []FieldError
}

// encodeRequest validates req (a pointer to a tagged request struct, or nil)
// and appends its parameters to dst. A request with problems returns a
// *ValidationError listing all of them.
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
	e.encodeStruct(p, v, "")
	if len(e.problems) > 0 {
		return nil, newValidationError(action, e.problems)
	}
	return e.params, nil
}

// invalid records one problem of the request.
func (e *encoder) invalid(field, reason string) {
	e.problems = append(e.problems, FieldError{Field: field, Reason: reason})
}

func (e *encoder) encodeStruct(p *structPlan, v reflect.Value, prefix string) {
	for i := range p.fields {
		fp := &p.fields[i]
		e.encodeField(fp, v.Field(fp.index), prefix+fp.wire)
	}
}

// isUnset reports whether a field's value counts as not given: nil for a
// pointer, the zero value otherwise, and any time for which IsZero holds
// (whatever its location).
func isUnset(fp *fieldPlan, f reflect.Value) bool {
	if fp.ptr {
		return f.IsNil()
	}
	if fp.kind == encStructList {
		return false
	}
	if fp.kind == encTimeMillis || fp.kind == encTimeDateTime {
		return f.Interface().(time.Time).IsZero()
	}
	return f.IsZero()
}

// encodeField adds one field's parameters, after checking that a required
// field is present.
func (e *encoder) encodeField(fp *fieldPlan, f reflect.Value, name string) {
	if isUnset(fp, f) {
		if fp.required {
			e.invalid(name, "is required")
		}
		return
	}
	if fp.ptr {
		f = f.Elem()
	}
	switch fp.kind {
	case encString:
		e.encodeString(fp, f.String(), name)
	case encInt, encUint, encFloat, encBool:
		if s, ok := e.scalar(fp, f, fp.kind, name); ok {
			e.add(name, s)
		}
	case encJSON:
		e.encodeJSON(fp, f, name)
	case encTimeMillis, encTimeDateTime:
		e.encodeTime(fp, f.Interface().(time.Time), name)
	case encStructList:
		e.encodeList(fp, f, name)
	}
}

// encodeList adds a list of structs as Name.N.Field, N from 1; an empty
// item is a problem.
func (e *encoder) encodeList(fp *fieldPlan, f reflect.Value, name string) {
	if !e.checkListLen(fp, f, name) {
		return
	}
	for j := 0; j < f.Len(); j++ {
		item := f.Index(j)
		itemName := name + "." + strconv.Itoa(j+1)
		if item.IsZero() {
			e.invalid(itemName, "is an empty item")
			continue
		}
		e.encodeStruct(fp.elem, item, itemName+".")
	}
}

// checkListLen reports whether a list has items; an empty required list
// is a problem.
func (e *encoder) checkListLen(fp *fieldPlan, f reflect.Value, name string) bool {
	if f.Len() > 0 {
		return true
	}
	if fp.required {
		e.invalid(name, "needs at least one item")
	}
	return false
}

// maxParamBytes bounds a string parameter that has no maxbytes of its own,
// and maxJSONBytes a JSON one, so that no single value makes a request
// absurdly large.
const (
	maxParamBytes = 4 << 20
	maxJSONBytes  = 2 << 20
)

func (e *encoder) encodeString(fp *fieldPlan, s, name string) {
	limit := fp.maxBytes
	if limit == 0 {
		limit = maxParamBytes
	}
	switch {
	case len(s) > limit:
		e.invalid(name, fmt.Sprintf("is %d bytes long; at most %d allowed", len(s), limit))
	case fp.phone:
		if reason := checkPhone(s); reason != "" {
			e.invalid(name, reason)
			return
		}
		e.add(name, s)
	case fp.phones:
		if reason := checkPhoneList(s, fp.maxPhones); reason != "" {
			e.invalid(name, reason)
			return
		}
		e.add(name, s)
	default:
		if e.checkEnum(fp, name, s) {
			e.add(name, s)
		}
	}
}

// scalar formats a number or a bool, checking its range; NaN and the
// infinities are refused.
func (e *encoder) scalar(fp *fieldPlan, v reflect.Value, k encKind, name string) (string, bool) {
	switch k {
	case encInt:
		n := v.Int()
		s := strconv.FormatInt(n, 10)
		return s, e.checkRange(fp, name, float64(n)) && e.checkEnum(fp, name, s)
	case encUint:
		n := v.Uint()
		return strconv.FormatUint(n, 10), e.checkRange(fp, name, float64(n))
	case encFloat:
		x := v.Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			e.invalid(name, "is "+strconv.FormatFloat(x, 'f', -1, 64)+"; must be a finite number")
			return "", false
		}
		s := strconv.FormatFloat(x, 'f', -1, 64)
		return s, e.checkRange(fp, name, x) && e.checkEnum(fp, name, s)
	case encBool:
		return strconv.FormatBool(v.Bool()), true
	}
	return v.String(), true
}

func (e *encoder) encodeJSON(fp *fieldPlan, f reflect.Value, name string) {
	if (f.Kind() == reflect.Map || f.Kind() == reflect.Slice) && f.Len() == 0 {
		if fp.required {
			e.invalid(name, "is required")
		}
		return
	}
	limit := fp.maxBytes
	if limit == 0 {
		limit = maxJSONBytes
	}
	s, err := marshalJSON(f.Interface())
	switch {
	case err != nil:
		e.invalid(name, "cannot be encoded as JSON: "+err.Error())
	case len(s) > limit:
		e.invalid(name, fmt.Sprintf("is %d bytes of JSON; at most %d allowed", len(s), limit))
	default:
		e.add(name, s)
	}
}

// encodeTime sends a time; a zero time given through a pointer, or one
// before 1970 for a millisecond field, is a problem.
func (e *encoder) encodeTime(fp *fieldPlan, t time.Time, name string) {
	switch {
	case t.IsZero():
		e.invalid(name, "is the zero time")
	case fp.kind == encTimeMillis && t.Before(time.Unix(0, 0)):
		e.invalid(name, "is before 1970-01-01; Unix milliseconds cannot express it")
	case fp.kind == encTimeMillis:
		e.add(name, strconv.FormatInt(t.UnixMilli(), 10))
	default:
		e.add(name, formatChinaDateTime(t))
	}
}

// checkRange reports whether x is within the field's bounds, recording a
// problem when it is not.
func (e *encoder) checkRange(fp *fieldPlan, name string, x float64) bool {
	if fp.min != nil && x < *fp.min || fp.max != nil && x > *fp.max {
		lo, hi := "-∞", "+∞"
		if fp.min != nil {
			lo = strconv.FormatFloat(*fp.min, 'f', -1, 64)
		}
		if fp.max != nil {
			hi = strconv.FormatFloat(*fp.max, 'f', -1, 64)
		}
		e.invalid(name, fmt.Sprintf("is %s; must be in [%s, %s]", strconv.FormatFloat(x, 'f', -1, 64), lo, hi))
		return false
	}
	return true
}

func (e *encoder) add(key, value string) {
	e.params = append(e.params, param{key, value})
}

// checkEnum reports whether value is one of the field's enum values,
// recording a problem when it is not.
func (e *encoder) checkEnum(fp *fieldPlan, name, value string) bool {
	if fp.enum == nil {
		return true
	}
	for _, v := range fp.enum {
		if v == value {
			return true
		}
	}
	e.invalid(name, fmt.Sprintf("is %q; must be one of %s", value, strings.Join(fp.enum, ", ")))
	return false
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
