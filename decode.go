package dyvms

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Responses are decoded in two steps, the same for XML and JSON bodies:
// the body is parsed into a tree (map[string]any, []any, string,
// json.Number, bool, nil), then the tree is assigned to the typed response
// struct by its `json` tag names. The assignment is tolerant in the ways the
// real service needs: numbers that arrive as strings and the reverse,
// booleans as "true", lists that are a bare array, a single element or an
// RPC wrapper object ({"Item": [...]}), and JSON-in-string fields that
// arrive as an inline object. A value that cannot be converted leaves the
// field at its zero value rather than failing the call.

// decodeEnvelope turns a response into out, or into an *Error for
// anything but the Action's success, and returns the envelope's Code and
// RequestId (for the log).
func decodeEnvelope(action string, status int, header http.Header, body []byte, out any, red redactor) (code, requestID string, err error) {
	if status >= 300 && status < 400 {
		e := redirectError(action, status, header, red)
		return "", e.RequestID, e
	}
	if fastDecode(action, status, body, out) {
		m := out.(typedResponse).meta()
		return m.Code, orHeaderRequestID(m.RequestID, header), nil
	}
	root, tree, perr := parseBody(body)
	if perr != nil {
		e := newError(action, status, header, red).notEnvelope("body is not a Dyvmsapi envelope: "+shortReason(perr), body, red)
		return "", e.RequestID, e
	}
	code = toString(tree["Code"])
	if status >= 200 && status < 300 && root != "Error" {
		if !isSuccessEnvelope(action, root, tree) {
			e := newError(action, status, header, red).notEnvelope("body is not a "+action+" response", body, red)
			return code, e.RequestID, e
		}
		if isSuccessCode(action, code) {
			decodeInto(tree, out)
			return code, orHeaderRequestID(toString(tree["RequestId"]), header), nil
		}
	}
	e := newError(action, status, header, red)
	e.Code = ErrorCode(red.redact(code))
	e.Message = red.redact(toString(tree["Message"]))
	e.HostID = red.redact(toString(tree["HostId"]))
	e.Recommend = red.redact(toString(tree["Recommend"]))
	if id := toString(tree["RequestId"]); id != "" {
		e.RequestID = red.redact(id)
	}
	if code == "" {
		e.notEnvelope("error envelope without a Code", body, red)
	}
	return code, e.RequestID, e
}

// newError is the one constructor of the *Error of a response: the Action,
// the HTTP status, and from the headers the RequestId and the retry hint,
// redacted. The caller adds what the body says.
func newError(action string, status int, header http.Header, red redactor) *Error {
	return &Error{
		Action:     action,
		HTTPStatus: status,
		RequestID:  red.redact(header.Get("x-acs-request-id")),
		RetryAfter: retryAfterHeader(header),
	}
}

// redirectError is the *Error of a 3xx answer, which the client never
// follows: it names the Location without its query or user info, redacted.
func redirectError(action string, status int, header http.Header, red redactor) *Error {
	loc := header.Get("Location")
	if u, err := url.Parse(loc); err == nil {
		u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment, u.User = "", false, "", "", nil
		loc = u.String()
	} else if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	loc = red.snippet([]byte(loc))
	msg := "redirect not followed"
	if loc != "" {
		msg += " (Location " + strconv.Quote(loc) + ")"
	}
	e := newError(action, status, header, red)
	e.Message, e.unexpected = msg, true
	return e
}

// notEnvelope marks e as an answer that is no usable envelope, with the
// reason as its Message and a redacted snippet of the body.
func (e *Error) notEnvelope(reason string, body []byte, red redactor) *Error {
	e.unexpected = true
	e.Message = reason
	e.Body = red.snippet(body)
	return e
}

// orHeaderRequestID returns id, or the x-acs-request-id header when the
// body carried none.
func orHeaderRequestID(id string, header http.Header) string {
	if id == "" {
		return header.Get("x-acs-request-id")
	}
	return id
}

// retryAfterHeader returns the x-acs-retry-after hint (milliseconds on the
// wire), or 0 when it is absent, negative or not an integer. A hint too
// large for a Duration saturates at the longest Duration: it is longer
// than any MaxDelay, so the retries end instead of wrapping to no pause.
func retryAfterHeader(header http.Header) time.Duration {
	ms, err := strconv.ParseInt(strings.TrimSpace(header.Get("x-acs-retry-after")), 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && ms > 0, err == nil && ms > math.MaxInt64/int64(time.Millisecond):
		return time.Duration(math.MaxInt64)
	case err != nil || ms < 0:
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}

// fastDecode decodes a well-typed JSON success body straight into a typed
// response with encoding/json. It reports false, leaving out zeroed, for
// anything else (XML, an error, a Code that is not success, or any value
// whose type needs the tolerant rules), and the tolerant path then decodes
// the body. Both paths give the same result for a body both can decode.
func fastDecode(action string, status int, body []byte, out any) bool {
	tr, ok := out.(typedResponse)
	if !ok || status < 200 || status > 299 || len(body) == 0 || body[0] != '{' {
		return false
	}
	if !decodeStrict(body, out) {
		return false
	}
	if m := tr.meta(); (m.RequestID != "" || m.Code != "") && isSuccessCode(action, m.Code) {
		return true
	}
	reflect.ValueOf(out).Elem().SetZero()
	return false
}

// isSuccessEnvelope reports whether a parsed 2xx body is the Action's
// response: XML rooted at <ActionResponse>, or a JSON object carrying a
// RequestId or a Code (an HTML page that happens to be well-formed XML, or
// an unrelated JSON document, is not).
func isSuccessEnvelope(action, root string, tree map[string]any) bool {
	if root != "" {
		return root == action+"Response"
	}
	_, hasID := tree["RequestId"]
	_, hasCode := tree["Code"]
	return hasID || hasCode
}

// shortReason is a one-line description of a parse error.
func shortReason(err error) string {
	var se *xmlSyntaxError
	if errors.As(err, &se) {
		return "malformed XML"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated"
	}
	if errors.Is(err, errNotEnvelope) {
		return err.Error()
	}
	return "malformed: " + err.Error()
}

// isSuccessCode reports whether code means success for action: the Action's
// documented success code ("OK" for most, "200" for some). A body without a
// Code counts as success, as do "OK" and "200" for an Action whose success
// code is undocumented.
func isSuccessCode(action, code string) bool {
	if code == "" {
		return true
	}
	if info, ok := actionTable[action]; ok && info.successCode != "" {
		return code == info.successCode
	}
	return code == "OK" || code == "200"
}

// errNotEnvelope is returned by parseBody for a body that is neither a JSON
// object nor an XML document.
var errNotEnvelope = errors.New("not a JSON or XML document")

// parseBody parses a response body. For XML it returns the root element's
// name and its children; for JSON an empty root name and the object.
func parseBody(body []byte) (root string, tree map[string]any, err error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return "", nil, errNotEnvelope
	}
	switch b[0] {
	case '{':
		tree, err = parseJSONObject(b)
		return "", tree, err
	case '<':
		return parseXML(b)
	}
	return "", nil, errNotEnvelope
}

func parseJSONObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after JSON object")
	}
	return m, nil
}

// fieldIndex maps wire names to struct field index paths.
type fieldIndex struct {
	exact map[string][]int
	lower map[string][]int
}

var fieldIndexes sync.Map // reflect.Type -> *fieldIndex

// lookup returns the index of the field a member name is stored in:
// the field of that exact name, else the one whose name matches it
// case-insensitively.
func (fi *fieldIndex) lookup(name string) ([]int, bool) {
	if idx, ok := fi.exact[name]; ok {
		return idx, true
	}
	idx, ok := fi.lower[strings.ToLower(name)]
	return idx, ok
}

func indexFor(t reflect.Type) *fieldIndex {
	if v, ok := fieldIndexes.Load(t); ok {
		return v.(*fieldIndex)
	}
	fi := &fieldIndex{exact: map[string][]int{}, lower: map[string][]int{}}
	for _, sf := range reflect.VisibleFields(t) {
		if !sf.IsExported() || sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			continue
		}
		name := sf.Name
		if tag, ok := sf.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		if _, dup := fi.exact[name]; !dup {
			fi.exact[name] = sf.Index
		}
		if _, dup := fi.lower[strings.ToLower(name)]; !dup {
			fi.lower[strings.ToLower(name)] = sf.Index
		}
	}
	v, _ := fieldIndexes.LoadOrStore(t, fi)
	return v.(*fieldIndex)
}

// assign stores the tree value n in v, converting leniently.
func assign(v reflect.Value, n any, depth int) {
	if n == nil || depth > maxXMLDepth {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		assign(v.Elem(), n, depth+1)
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(n))
		}
	case reflect.String:
		v.SetString(toString(n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if i, ok := toInt(n); ok && !v.OverflowInt(i) {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if i, ok := toInt(n); ok && i >= 0 && !v.OverflowUint(uint64(i)) {
			v.SetUint(uint64(i))
		}
	case reflect.Float32, reflect.Float64:
		if f, ok := toFloat(n); ok {
			v.SetFloat(f)
		}
	case reflect.Bool:
		if b, ok := toBool(n); ok {
			v.SetBool(b)
		}
	case reflect.Struct:
		m, ok := asObject(n)
		if !ok {
			return
		}
		fi := indexFor(v.Type())
		for k, val := range m {
			idx, ok := fi.lookup(k)
			if !ok {
				continue
			}
			f, err := v.FieldByIndexErr(idx)
			if err != nil {
				continue
			}
			assign(f, val, depth+1)
		}
	case reflect.Slice:
		items := asList(n, v.Type().Elem())
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, it := range items {
			assign(s.Index(i), it, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m, ok := asObject(n)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for k, val := range m {
			ev := reflect.New(v.Type().Elem()).Elem()
			assign(ev, val, depth+1)
			out.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), ev)
		}
		v.Set(out)
	}
}

// asObject returns n as an object; a string holding a JSON object is parsed.
func asObject(n any) (map[string]any, bool) {
	switch t := n.(type) {
	case map[string]any:
		return t, true
	case string:
		s := strings.TrimSpace(t)
		if strings.HasPrefix(s, "{") {
			if m, err := parseJSONObject([]byte(s)); err == nil {
				return m, true
			}
		}
	}
	return nil, false
}

// asList returns the items of a list value: a bare array; a string holding
// a JSON array; an RPC wrapper object whose only member is the list; or a
// single item.
func asList(n any, elem reflect.Type) []any {
	switch t := n.(type) {
	case []any:
		return t
	case string:
		s := strings.TrimSpace(t)
		switch {
		case s == "":
			return nil
		case strings.HasPrefix(s, "["):
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var a []any
			if dec.Decode(&a) == nil {
				return a
			}
			return nil
		case strings.HasPrefix(s, "{") && elem.Kind() != reflect.String:
			if m, ok := asObject(s); ok {
				return asList(m, elem)
			}
		}
		return []any{t}
	case map[string]any:
		if len(t) == 1 {
			for k, inner := range t {
				if list, ok := inner.([]any); ok {
					return list
				}
				// <Data><Item>..</Item></Data> with one item: the key is
				// a wrapper name unless it names a field of the item.
				if _, isObj := inner.(map[string]any); isObj && !namesField(elem, k) {
					return []any{inner}
				}
			}
		}
		return []any{t}
	}
	return []any{n}
}

// namesField reports whether t (a struct or pointer to one) has a field
// whose wire name is name.
func namesField(t reflect.Type, name string) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	_, ok := indexFor(t).lookup(name)
	return ok
}

func toString(n any) string {
	switch t := n.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case map[string]any, []any:
		// A JSON-in-string field that arrived inline: keep it as JSON.
		s, err := marshalJSON(t)
		if err != nil {
			return ""
		}
		return s
	}
	return ""
}

func toInt(n any) (int64, bool) {
	var s string
	switch t := n.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	default:
		return 0, false
	}
	if s == "" {
		return 0, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	return 0, false
}

func toFloat(n any) (float64, bool) {
	switch t := n.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

func toBool(n any) (bool, bool) {
	switch t := n.(type) {
	case bool:
		return t, true
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "1", "yes", "y":
			return true, true
		case "false", "0", "no", "n", "":
			return false, true
		}
	case json.Number:
		f, err := t.Float64()
		return f != 0, err == nil
	}
	return false, false
}

// decodeInto assigns tree to out, a non-nil pointer. out may be a
// *map[string]any or *any, which receive the tree itself.
func decodeInto(tree map[string]any, out any) {
	switch o := out.(type) {
	case nil:
		return
	case *map[string]any:
		*o = tree
		return
	case *any:
		*o = tree
		return
	}
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	assign(v.Elem(), tree, 0)
}

// UnmarshalLenient decodes a JSON or XML document into out (a pointer to a
// struct, map or slice) with the SDK's tolerant rules: numbers as strings
// and the reverse, booleans as strings, lists as bare arrays, single items
// or wrapper objects. It is what the typed responses use, exported for
// responses of Do and for JSON-in-string fields.
func UnmarshalLenient(data []byte, out any) error {
	b := bytes.TrimSpace(data)
	if decodeStrict(b, out) {
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var a []any
		if err := dec.Decode(&a); err != nil {
			return err
		}
		v := reflect.ValueOf(out)
		if v.Kind() != reflect.Pointer || v.IsNil() {
			return errors.New("dyvms: UnmarshalLenient needs a non-nil pointer")
		}
		assign(v.Elem(), a, 0)
		return nil
	}
	_, tree, err := parseBody(b)
	if err != nil {
		return err
	}
	decodeInto(tree, out)
	return nil
}

// decodeInner decodes field of action, a response string that holds a JSON
// document (the catalogue's json_in_string fields), with the tolerant rules.
// An empty or "null" field gives the zero T. A field that is not JSON, or
// not an object where T is a struct, is an error for the caller of the
// accessor; it never failed the call that returned the field.
func decodeInner[T any](action, field, raw string) (T, error) {
	var out T
	s := strings.TrimSpace(raw)
	if s == "" || s == "null" {
		return out, nil
	}
	if reflect.TypeFor[T]().Kind() == reflect.Struct && !strings.HasPrefix(s, "{") {
		return out, errorf("%s: decoding %s: not a JSON object", action, field)
	}
	if err := UnmarshalLenient([]byte(s), &out); err != nil {
		return out, errorf("%s: decoding %s: %w", action, field, err)
	}
	return out, nil
}

// decodeStrict is the fast path of both decoders: a JSON document whose
// every value already has its Go field's type is decoded by encoding/json
// straight into out. It reports false, leaving out zeroed, when the
// document is not JSON, when any value needs the tolerant rules, or when
// out's type holds an interface or map (where encoding/json would give
// float64 numbers and the tolerant path json.Number); the tolerant path then
// decodes it. For a document both paths can decode, both give the same out.
func decodeStrict(b []byte, out any) bool {
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return false
	}
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || !strictSafe(v.Type().Elem()) {
		return false
	}
	if json.Unmarshal(b, out) == nil {
		return true
	}
	v.Elem().SetZero()
	return false
}

var strictSafeTypes sync.Map // reflect.Type -> bool

// strictSafe reports whether encoding/json decodes into t exactly as the
// tolerant path would: t holds no interface and no map.
func strictSafe(t reflect.Type) bool {
	if v, ok := strictSafeTypes.Load(t); ok {
		return v.(bool)
	}
	ok := strictSafeWalk(t, map[reflect.Type]bool{})
	strictSafeTypes.Store(t, ok)
	return ok
}

func strictSafeWalk(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return strictSafeWalk(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if (f.IsExported() || f.Anonymous) && !strictSafeWalk(f.Type, seen) {
				return false
			}
		}
	}
	return true
}
