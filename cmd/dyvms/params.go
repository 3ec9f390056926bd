package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/dyvms/dyvms-go/internal/wiretag"
)

// fieldInfo is one request struct field as its `dyvms` tag describes it
// (parsed by internal/wiretag, as the SDK parses it).
type fieldInfo struct {
	index    int
	goName   string
	wire     string
	typ      reflect.Type // the field's type
	required bool
	json     bool
	ms       bool
	datetime bool
	min, max string
	maxBytes string
}

// fieldsOf returns the tagged fields of request (or list item) struct t.
func fieldsOf(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("dyvms")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		t, err := wiretag.Parse(tag)
		if err != nil {
			panic("dyvms: " + sf.Name + ": " + err.Error()) // the SDK's own tags; its tests hold them
		}
		fi := fieldInfo{index: i, goName: sf.Name, wire: t.Wire, typ: sf.Type, required: t.Required,
			json: t.JSON, ms: t.Millis, datetime: t.DateTime, min: bound(t.Min), max: bound(t.Max)}
		if t.MaxBytes > 0 {
			fi.maxBytes = strconv.Itoa(t.MaxBytes)
		}
		out = append(out, fi)
	}
	return out
}

// bound formats a tag's numeric bound for help text; "" when absent.
func bound(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// findField returns the field of fields whose wire name is wire.
func findField(fields []fieldInfo, wire string) (fieldInfo, bool) {
	for _, f := range fields {
		if f.wire == wire {
			return f, true
		}
	}
	return fieldInfo{}, false
}

// isStructList reports whether t is a list of items flattened as
// Name.N.Field.
func isStructList(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	ctxType      = reflect.TypeOf((*context.Context)(nil)).Elem()
	errorType    = reflect.TypeOf((*error)(nil)).Elem()
	callOptsType = reflect.TypeOf([]dyvms.CallOption(nil))
)

// typedMethod returns the typed Client method of action when it has the
// shape func(ctx, *XxxRequest, ...CallOption) (*XxxResponse, error).
func typedMethod(action string) (reflect.Method, bool) {
	m, ok := clientType.MethodByName(action)
	if !ok {
		return m, false
	}
	t := m.Type
	if t.NumIn() != 4 || !t.IsVariadic() || t.In(1) != ctxType || t.In(2).Kind() != reflect.Pointer ||
		t.In(2).Elem().Kind() != reflect.Struct || t.In(3) != callOptsType || t.NumOut() != 2 || t.Out(1) != errorType {
		return m, false
	}
	return m, true
}

// allMethod returns action's XxxAll iterator method, if it has one.
func allMethod(action string) (reflect.Method, bool) {
	m, ok := clientType.MethodByName(action + "All")
	if !ok || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Func {
		return m, false
	}
	return m, true
}

// pagedActions lists the Actions with an XxxAll iterator.
func pagedActions() []string {
	var out []string
	for _, a := range catalog.Load().Actions {
		if _, ok := allMethod(a.Name); ok {
			out = append(out, a.Name)
		}
	}
	return out
}

// preparedCall is an Action call built from the command line, ready to
// send.
type preparedCall struct {
	act *catalog.Action
	// method and req are the typed method and its request (a pointer).
	method reflect.Method
	req    reflect.Value
	// extra holds the few parameters the request type cannot hold, sent as
	// they are (WithExtraParams).
	extra url.Values
}

// prepare builds the call of act from the command line: the typed request
// from the --Param flags (and --callees-csv). Every error is a usage error.
func prepare(act *catalog.Action, inv *invocation, stdin io.Reader, progress io.Writer) (*preparedCall, error) {
	pc := &preparedCall{act: act, extra: url.Values{}}
	seen := map[string]bool{}
	for _, p := range inv.params {
		if seen[p.name] {
			return nil, fmt.Errorf("--%s given twice", p.name)
		}
		seen[p.name] = true
	}
	if inv.all {
		if _, ok := allMethod(act.Name); !ok {
			return nil, fmt.Errorf("--all: %s is not a paged Action; paged Actions are %s", act.Name, strings.Join(pagedActions(), ", "))
		}
	}
	if inv.calleesCSV != "" && act.Name != "CreateCallTask" {
		return nil, fmt.Errorf("--callees-csv applies to CreateCallTask only")
	}
	m, ok := typedMethod(act.Name)
	if !ok {
		// The SDK's spec test holds every catalogue Action to a typed method.
		return nil, fmt.Errorf("%s has no typed method in this SDK build", act.Name)
	}
	pc.method = m
	pc.req = reflect.New(m.Type.In(2).Elem())
	fields := fieldsOf(pc.req.Elem().Type())
	for _, p := range inv.params {
		if err := pc.set(fields, p.name, p.value); err != nil {
			return nil, err
		}
	}
	if inv.calleesCSV != "" {
		req := pc.req.Interface().(*dyvms.CreateCallTaskRequest)
		if seen["Data"] {
			return nil, errors.New("give the callees either with --Data or with --callees-csv, not both")
		}
		if req.DataType != "" && req.DataType != dyvms.CallTaskDataJSON {
			return nil, fmt.Errorf("--callees-csv sends DataType JSON, not %s", req.DataType)
		}
		data, err := readCalleesCSV(inv.calleesCSV, stdin, progress)
		if err != nil {
			return nil, err
		}
		req.Data = data
		req.DataType = dyvms.CallTaskDataJSON
	}
	return pc, nil
}

// set sets the request parameter name (Name, Name.N or Name.N.Field) from
// its command-line text.
func (pc *preparedCall) set(fields []fieldInfo, name, value string) error {
	base, rest, indexed := strings.Cut(name, ".")
	f, ok := findField(fields, base)
	if !ok {
		if !indexed && pc.act.Param(base) != nil {
			// In the catalogue but not in the request type: sent as is.
			pc.extra.Set(base, value)
			return nil
		}
		return pc.unknown(name)
	}
	v := pc.req.Elem().Field(f.index)
	if !indexed {
		if f.typ.Kind() == reflect.Slice && !f.json {
			return setListJSON(v, f, value)
		}
		err := setValue(v, f, value)
		if err != nil && f.json && !json.Valid([]byte(value)) && pc.catalogType(base) == "string" {
			// A string parameter that holds JSON only in one of its forms
			// (CreateCallTask's Data with DataType LIST): send the text.
			pc.extra.Set(base, value)
			return nil
		}
		return err
	}
	if f.typ.Kind() != reflect.Slice || f.json {
		return fmt.Errorf("--%s: %s is not a list", name, base)
	}
	idxText, sub, hasSub := strings.Cut(rest, ".")
	n, err := strconv.Atoi(idxText)
	if err != nil || n < 1 || n > 10000 {
		return fmt.Errorf("--%s: list index %q must be a number from 1", name, idxText)
	}
	if isStructList(f.typ) != hasSub {
		if hasSub {
			return fmt.Errorf("--%s: %s is a list of values; use --%s.N", name, base, base)
		}
		return fmt.Errorf("--%s: %s is a list of items; use --%s.N.Field", name, base, base)
	}
	if v.Len() < n {
		grown := reflect.MakeSlice(f.typ, n, n)
		reflect.Copy(grown, v)
		v.Set(grown)
	}
	item := v.Index(n - 1)
	if !hasSub {
		return setValue(item, fieldInfo{wire: name, typ: f.typ.Elem()}, value)
	}
	itemFields := fieldsOf(f.typ.Elem())
	inf, ok := findField(itemFields, sub)
	if !ok {
		return fmt.Errorf("--%s: %s items have no field %q; they have %s", name, base, sub, wireNames(itemFields))
	}
	inf.wire = name
	return setValue(item.Field(inf.index), inf, value)
}

// catalogType returns the catalogue type of parameter name, or "".
func (pc *preparedCall) catalogType(name string) string {
	if p := pc.act.Param(name); p != nil {
		return p.Type
	}
	return ""
}

// unknown is the error for a parameter act does not have.
func (pc *preparedCall) unknown(name string) error {
	var names []string
	for _, p := range pc.act.Request {
		names = append(names, p.Name)
	}
	msg := fmt.Sprintf("%s has no parameter --%s", pc.act.Name, name)
	base, _, _ := strings.Cut(name, ".")
	if s := suggest(base, names); s != "" {
		msg += fmt.Sprintf("; did you mean --%s?", s)
	}
	return errors.New(msg + " (see dyvms " + pc.act.Name + " --help)")
}

// wireNames lists the wire names of fields.
func wireNames(fields []fieldInfo) string {
	var names []string
	for _, f := range fields {
		names = append(names, f.wire)
	}
	return strings.Join(names, ", ")
}

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
			if err := setValue(list.Index(i), fieldInfo{wire: name, typ: f.typ.Elem()}, jsonText(r)); err != nil {
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
			inf.wire = name + "." + key
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
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		inner := f
		inner.typ = t.Elem()
		if err := setValue(p.Elem(), inner, text); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	bad := func(want string, err error) error {
		msg := fmt.Sprintf("--%s: %q is not %s", f.wire, text, want)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
				msg = fmt.Sprintf("--%s: %s is out of range for %s", f.wire, text, want)
			}
		}
		return errors.New(msg)
	}
	switch {
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
	switch t.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, t.Bits())
		if err != nil {
			return bad("an integer ("+t.Kind().String()+")", err)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(strings.TrimSpace(text), 10, t.Bits())
		if err != nil {
			return bad("a non-negative integer ("+t.Kind().String()+")", err)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(strings.TrimSpace(text), t.Bits())
		if err != nil {
			return bad("a number", err)
		}
		v.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
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

// options returns the CallOptions of the call.
func (pc *preparedCall) options() []reflect.Value {
	if len(pc.extra) == 0 {
		return nil
	}
	return []reflect.Value{reflect.ValueOf(dyvms.WithExtraParams(pc.extra))}
}

// validate checks the request with the SDK's own validation, before any
// credentials are looked up or anything is sent.
func (pc *preparedCall) validate() error {
	var opts []dyvms.CallOption
	if len(pc.extra) > 0 {
		opts = append(opts, dyvms.WithExtraParams(pc.extra))
	}
	return dyvms.Validate(pc.req.Interface(), opts...)
}

// do sends the call and returns the typed response.
func (pc *preparedCall) do(ctx context.Context, client *dyvms.Client) (any, error) {
	args := append([]reflect.Value{reflect.ValueOf(client), reflect.ValueOf(ctx), pc.req}, pc.options()...)
	out := pc.method.Func.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	return out[0].Interface(), nil
}

// all walks every page with the Action's XxxAll iterator and returns the
// items. When progress is non-nil it shows a running count there.
func (pc *preparedCall) all(ctx context.Context, client *dyvms.Client, progress io.Writer) ([]any, error) {
	m, _ := allMethod(pc.act.Name)
	args := append([]reflect.Value{reflect.ValueOf(client), reflect.ValueOf(ctx), pc.req}, pc.options()...)
	seq := m.Func.Call(args)[0]
	var items []any
	var iterErr error
	p := newProgress(progress, "fetched %d items")
	yield := reflect.MakeFunc(seq.Type().In(0), func(in []reflect.Value) []reflect.Value {
		if err, _ := in[1].Interface().(error); err != nil {
			iterErr = err
			return []reflect.Value{reflect.ValueOf(false)}
		}
		items = append(items, in[0].Interface())
		p.update(len(items))
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	p.done(len(items))
	if iterErr != nil {
		return nil, iterErr
	}
	if items == nil {
		items = []any{}
	}
	return items, nil
}
