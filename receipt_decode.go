package dyvms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"sync/atomic"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Receipt bodies are decoded in one pass over the bytes, straight into the
// typed reports, with no generic tree in between: a push of 50,000 small
// receipts is 50,000 small objects, not millions of map entries. The body is
// first checked with json.Valid, so the walkers below only ever see
// well-formed JSON; they are still bounded by the slice and never index past
// it. Field values follow the SDK's lenient rules (assign in decode.go):
// numbers and strings either way, booleans as "true"/"false" in strings, an
// object or array in a string field kept as compact JSON. Strings are kept
// byte for byte, invalid UTF-8 included, so two receipts that differ only
// there stay two receipts.

// skipSpace returns the index of the first non-space byte of b at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index just past the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) {
		switch b[i] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// forEachElement calls fn with each element of the JSON array arr, stopping
// at fn's first error.
func forEachElement(arr []byte, fn func(i int, elem []byte) error) error {
	i := skipSpace(arr, 1)
	for n := 0; i < len(arr) && arr[i] != ']'; n++ {
		end := valueEnd(arr, i)
		if err := fn(n, arr[i:end]); err != nil {
			return err
		}
		i = skipSpace(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			break
		}
		i = skipSpace(arr, i+1)
	}
	return nil
}

// forEachMember calls fn with the key (quotes included) and the value of
// each member of the JSON object obj, in order.
func forEachMember(obj []byte, fn func(key, val []byte)) {
	i := skipSpace(obj, 1)
	for i < len(obj) && obj[i] == '"' {
		keyEnd := stringEnd(obj, i)
		key := obj[i:keyEnd]
		if i = skipSpace(obj, keyEnd); i >= len(obj) || obj[i] != ':' {
			return // no member: only in bytes that are not JSON
		}
		i = skipSpace(obj, i+1)
		end := valueEnd(obj, i)
		fn(key, obj[i:end])
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i = skipSpace(obj, i+1)
	}
}

// unquoted returns the text of the JSON string s (quotes included). Escapes
// are decoded as encoding/json decodes them (an escaped lone surrogate is
// U+FFFD); every other byte is kept as it is.
func unquoted(s []byte) []byte {
	if len(s) < 2 {
		return nil
	}
	s = s[1 : len(s)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return s
	}
	out := make([]byte, 0, len(s))
	for len(s) > 0 {
		j := bytes.IndexByte(s, '\\')
		if j < 0 {
			return append(out, s...)
		}
		out = append(out, s[:j]...)
		s = s[j:]
		if len(s) < 2 {
			return out
		}
		var n int
		out, n = appendEscape(out, s)
		s = s[n:]
	}
	return out
}

// appendEscape decodes the escape at the start of s (s[0] == '\\') onto
// dst and returns how many bytes of s it used.
func appendEscape(dst, s []byte) ([]byte, int) {
	switch c := s[1]; c {
	case 'b':
		return append(dst, '\b'), 2
	case 'f':
		return append(dst, '\f'), 2
	case 'n':
		return append(dst, '\n'), 2
	case 'r':
		return append(dst, '\r'), 2
	case 't':
		return append(dst, '\t'), 2
	case 'u':
		r := hex4(s[2:])
		if r < 0 {
			return dst, len(s)
		}
		if utf16.IsSurrogate(r) {
			if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
				if pair := utf16.DecodeRune(r, hex4(s[8:])); pair != unicode.ReplacementChar {
					return utf8.AppendRune(dst, pair), 12
				}
			}
			r = unicode.ReplacementChar
		}
		return utf8.AppendRune(dst, r), 6
	default: // '"', '\\', '/'
		return append(dst, c), 2
	}
}

// hex4 decodes 4 hex digits at the start of b, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// lenientBytes returns the bytes a string field takes from a value (see
// lenientText), sharing val's memory where it can; ok is false for null.
func lenientBytes(val []byte) ([]byte, bool) {
	if len(val) == 0 {
		return nil, false
	}
	switch val[0] {
	case '"':
		return unquoted(val), true
	case 'n':
		return nil, false
	case '{', '[':
		tree, ok := treeValue(val)
		return []byte(toString(tree)), ok
	}
	return val, true // number, true, false
}

// lenientText returns a value as a string field takes it: a string's text,
// a number's digits, "true"/"false", an object or array as JSON; ok is
// false for null.
func lenientText(val []byte) (string, bool) {
	b, ok := lenientBytes(val)
	return string(b), ok
}

// lenientInt returns a value as an integer field takes it (toInt's rules).
func lenientInt(val []byte) (int64, bool) {
	if len(val) == 0 {
		return 0, false
	}
	switch val[0] {
	case '"':
		return toInt(string(unquoted(val)))
	case 't':
		return 1, true
	case 'f':
		return 0, true
	case 'n', '{', '[':
		return 0, false
	}
	return toInt(json.Number(val))
}

// treeValue decodes one JSON value into the generic tree, for the rare
// field values the typed path does not take directly.
func treeValue(val []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(val))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || v == nil {
		return nil, false
	}
	return v, true
}

// setLenient stores the JSON value val in the field f.
func setLenient(f reflect.Value, val []byte) {
	switch f.Kind() {
	case reflect.String:
		if s, ok := lenientText(val); ok {
			f.SetString(s)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if i, ok := lenientInt(val); ok && !f.OverflowInt(i) {
			f.SetInt(i)
		}
	default:
		if tree, ok := treeValue(val); ok {
			assign(f, tree, 1)
		}
	}
}

// decodeObject stores the members of the JSON object obj in the struct v,
// matching names as assign does: exactly, else case-insensitively.
func decodeObject(v reflect.Value, obj []byte) {
	fi := indexFor(v.Type())
	forEachMember(obj, func(key, val []byte) {
		idx, ok := lookupMember(fi, unquoted(key))
		if !ok {
			return
		}
		if f, err := v.FieldByIndexErr(idx); err == nil {
			setLenient(f, val)
		}
	})
}

// lookupMember is fieldIndex.lookup for a member name read from the body,
// without copying it: an ASCII name is lowered on the stack.
func lookupMember(fi *fieldIndex, name []byte) ([]int, bool) {
	if idx, ok := fi.exact[string(name)]; ok {
		return idx, true
	}
	var buf [64]byte
	if len(name) > len(buf) {
		return fi.lookup(string(name))
	}
	lower := buf[:len(name)]
	for i, c := range name {
		if c >= utf8.RuneSelf {
			return fi.lookup(string(name))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	idx, ok := fi.lower[string(lower)]
	return idx, ok
}

// markerBits maps each field name that marks a receipt type to a bit per
// type, in knownReceiptTypes order.
var markerBits = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, t := range knownReceiptTypes {
		for _, k := range typeMarkers[t] {
			m[k] |= 1 << i
		}
	}
	return m
}()

// detectObjectType infers the type of the JSON object obj among candidates
// (all four when empty), as detectType does.
func detectObjectType(obj []byte, candidates []ReceiptType) ReceiptType {
	var bits uint8
	forEachMember(obj, func(key, _ []byte) { bits |= markerBits[string(unquoted(key))] })
	for i, t := range knownReceiptTypes {
		if bits&(1<<i) != 0 && (len(candidates) == 0 || containsType(candidates, t)) {
			return t
		}
	}
	return ReceiptUnknown
}

// checkBatch checks a push body: a JSON array of objects, or one object as
// a batch of one. It returns the body without surrounding space and the
// number of receipts.
func checkBatch(body []byte) ([]byte, int, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, 0, malformed("empty body")
	}
	if b[0] != '[' && b[0] != '{' {
		return nil, 0, malformed("not a JSON array")
	}
	if !json.Valid(b) {
		var v struct{}
		err := json.Unmarshal(b, &v) // the syntax error, for the message
		if b[0] == '{' {
			return nil, 0, malformed("element 0: %v", err)
		}
		return nil, 0, malformed("not a JSON array: %v", err)
	}
	if b[0] == '{' {
		return b, 1, nil
	}
	n := 0
	err := forEachElement(b, func(i int, elem []byte) error {
		if elem[0] != '{' {
			return malformed("element %d is not a JSON object", i)
		}
		n++
		return nil
	})
	return b, n, err
}

// eachObject calls fn with each object of a body checkBatch accepted.
func eachObject(b []byte, fn func(i int, obj []byte)) {
	if b[0] == '{' {
		fn(0, b)
		return
	}
	_ = forEachElement(b, func(i int, obj []byte) error { fn(i, obj); return nil })
}

// parseReceipts parses a push body. Each Receipt's Raw is a slice of the
// body, or of a copy of it when clone is set: the handler parses the buffer
// it read and owns, ParseReceipts a copy of its caller's. Reports are not
// decoded here but on first use (Receipt.Report): the receipts share one
// block of cells that keep them once decoded.
func parseReceipts(body []byte, types []ReceiptType, clone bool) ([]Receipt, error) {
	b, n, err := checkBatch(body)
	if err != nil {
		return nil, err
	}
	if clone {
		b = bytes.Clone(b)
	}
	out := make([]Receipt, n)
	cells := make([]reportCell, n)
	eachObject(b, func(i int, obj []byte) {
		out[i] = Receipt{Type: receiptTypeOf(obj, types), Raw: json.RawMessage(obj), cell: &cells[i]}
	})
	return out, nil
}

// receiptTypeOf returns the type of the receipt object obj: with exactly
// one valid type the type is taken as given; otherwise it is inferred
// among types.
func receiptTypeOf(obj []byte, types []ReceiptType) ReceiptType {
	if len(types) == 1 && types[0].Valid() {
		return types[0]
	}
	return detectObjectType(obj, types)
}

// rawObject returns r.Raw for the walkers above, which read a JSON object:
// a parsed Receipt's Raw as it is (checked with its body), one built by
// hand once it is checked to be one; ok is false when it is not.
func (r Receipt) rawObject() ([]byte, bool) {
	if r.cell != nil {
		return r.Raw, true
	}
	b := bytes.TrimSpace(r.Raw)
	return b, len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// reportCell keeps a Receipt's report once it has been decoded; the copies
// of a Receipt share it, so they share the report.
type reportCell struct{ p atomic.Pointer[reportBox] }

type reportBox struct{ report any }

// decodeReport decodes the receipt object raw as a report of type t: nil
// for ReceiptUnknown, a zero report when raw is not a JSON object.
func decodeReport(t ReceiptType, raw []byte) any {
	rep := newReport(t)
	if rep == nil {
		return nil
	}
	if b := bytes.TrimSpace(raw); len(b) > 0 && b[0] == '{' && json.Valid(b) {
		decodeObject(reflect.ValueOf(rep).Elem(), b)
	}
	return rep
}

// parseTyped decodes every element of a push body as T.
func parseTyped[T any](body []byte) ([]T, error) {
	b, n, err := checkBatch(body)
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	eachObject(b, func(i int, obj []byte) { decodeObject(reflect.ValueOf(&out[i]).Elem(), obj) })
	return out, nil
}

// identitySpec says which fields of a report type identify a receipt (see
// Receipt.DedupKey): the call ID, and for VoiceCallReport the field to fall
// back on when it is empty, then the parts that tell apart several messages
// of one call.
type identitySpec struct {
	fi     *fieldIndex
	fields []identityField // the call IDs, then the parts, in key order
	ids    int             // how many of fields are call IDs
}

type identityField struct {
	index int  // top-level field index in the report struct
	isInt bool // an integer field (else a string)
}

// maxIdentityFields bounds the fields of an identitySpec.
const maxIdentityFields = 5

var identitySpecs = map[ReceiptType]*identitySpec{
	ReceiptVoiceReport:       newIdentitySpec(VoiceReport{}, []string{"call_id"}, "status_code"),
	ReceiptVoiceCallReport:   newIdentitySpec(VoiceCallReport{}, []string{"call_id", "biz_id"}, "status_code", "status_time", "dtmf"),
	ReceiptVoiceRecordReport: newIdentitySpec(VoiceRecordReport{}, []string{"call_id"}, "status_code", "record_file"),
	ReceiptVoiceRTASRReport:  newIdentitySpec(VoiceRTASRReport{}, []string{"call_id"}, "begin_offset", "end_offset", "role"),
}

// newIdentitySpec builds the spec of report from JSON field names; an
// unknown name is a programming error.
func newIdentitySpec(report any, ids []string, parts ...string) *identitySpec {
	t := reflect.TypeOf(report)
	s := &identitySpec{fi: indexFor(t), ids: len(ids)}
	for _, name := range append(ids, parts...) {
		idx, ok := s.fi.exact[name]
		if !ok || len(idx) != 1 || len(s.fields) == maxIdentityFields {
			panic("dyvms: no top-level field " + name + " in " + t.Name())
		}
		s.fields = append(s.fields, identityField{idx[0], t.Field(idx[0]).Type.Kind() == reflect.Int64})
	}
	return s
}

// appendIdentity appends to buf the identity of the receipt object obj of
// type t, read from its members without decoding the report: the call ID,
// then each part, length-prefixed, as the report's fields would hold them
// (each field takes the last member decoding would store in it, converted
// by the same lenient rules). ok is false when there is no call ID.
func appendIdentity(buf []byte, t ReceiptType, obj []byte) (_ []byte, ok bool) {
	s := identitySpecs[t]
	if s == nil {
		return buf, false
	}
	var vals [maxIdentityFields][]byte
	lastValues(s.fi, obj, s.fields, vals[:len(s.fields)])
	var id []byte
	for i := 0; i < s.ids && len(id) == 0; i++ {
		id, _ = lenientBytes(vals[i])
	}
	if len(id) == 0 {
		return buf, false
	}
	buf = appendKeyBytes(append(buf, 'i'), id)
	for i := s.ids; i < len(s.fields); i++ {
		buf = s.fields[i].appendText(buf, vals[i])
	}
	return buf, true
}

// lastValues sets vals[i] to the value of the last member of the object
// obj that decoding stores in fields[i] (fi indexes the report's fields).
func lastValues(fi *fieldIndex, obj []byte, fields []identityField, vals [][]byte) {
	forEachMember(obj, func(key, val []byte) {
		idx, found := lookupMember(fi, unquoted(key))
		if !found || len(idx) != 1 {
			return
		}
		for i, f := range fields {
			if f.index == idx[0] && f.takes(val) {
				vals[i] = val
			}
		}
	})
}

// takes reports whether decoding stores val in the field (setLenient).
func (f identityField) takes(val []byte) bool {
	var ok bool
	if f.isInt {
		_, ok = lenientInt(val)
	} else {
		_, ok = lenientBytes(val)
	}
	return ok
}

// appendText appends, length-prefixed, what the field holds after
// decoding val (nil: the member is absent), as text.
func (f identityField) appendText(buf, val []byte) []byte {
	if f.isInt {
		var digits [20]byte
		i, _ := lenientInt(val)
		return appendKeyBytes(buf, strconv.AppendInt(digits[:0], i, 10))
	}
	text, _ := lenientBytes(val)
	return appendKeyBytes(buf, text)
}

// rawField returns what the string field of JSON name holds in the report
// of type t decoded from the receipt object obj (the text of the last
// member decoding stores in it), without decoding the report; "" when the
// type has no such field.
func rawField(t ReceiptType, obj []byte, name string) string {
	s := identitySpecs[t]
	if s == nil {
		return ""
	}
	idx, ok := s.fi.exact[name]
	if !ok || len(idx) != 1 {
		return ""
	}
	var val [1][]byte
	lastValues(s.fi, obj, []identityField{{index: idx[0]}}, val[:])
	text, _ := lenientText(val[0])
	return text
}
