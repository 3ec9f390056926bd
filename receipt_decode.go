package dyvms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
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
		i = skipSpace(obj, skipSpace(obj, keyEnd)+1) // past ':'
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

// lenientText returns a value as a string field takes it: a string's text,
// a number's digits, "true"/"false", an object or array as JSON; ok is
// false for null.
func lenientText(val []byte) (s string, ok bool) {
	if len(val) == 0 {
		return "", false
	}
	switch val[0] {
	case '"':
		return string(unquoted(val)), true
	case 'n':
		return "", false
	case '{', '[':
		tree, ok := treeValue(val)
		return toString(tree), ok
	}
	return string(val), true // number, true, false
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
		name := unquoted(key)
		idx, ok := fi.exact[string(name)]
		if !ok {
			if idx, ok = fi.lower[strings.ToLower(string(name))]; !ok {
				return
			}
		}
		if f, err := v.FieldByIndexErr(idx); err == nil {
			setLenient(f, val)
		}
	})
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
// it read and owns, ParseReceipts a copy of its caller's.
func parseReceipts(body []byte, types []ReceiptType, clone bool) ([]Receipt, error) {
	b, n, err := checkBatch(body)
	if err != nil {
		return nil, err
	}
	if clone {
		b = bytes.Clone(b)
	}
	out := make([]Receipt, n)
	eachObject(b, func(i int, obj []byte) { out[i] = newReceipt(obj, types) })
	return out, nil
}

// newReceipt decodes one object into a Receipt. With exactly one valid type
// the type is taken as given; otherwise it is inferred among types.
func newReceipt(obj []byte, types []ReceiptType) Receipt {
	t := ReceiptUnknown
	if len(types) == 1 && types[0].Valid() {
		t = types[0]
	} else {
		t = detectObjectType(obj, types)
	}
	rc := Receipt{Type: t, Raw: json.RawMessage(obj)}
	if rep := newReport(t); rep != nil {
		decodeObject(reflect.ValueOf(rep).Elem(), obj)
		rc.report = rep
	}
	return rc
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
