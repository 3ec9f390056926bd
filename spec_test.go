package dyvms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

func TestCatalogueLoads(t *testing.T) {
	c := catalog.Load()
	require.Len(t, c.Actions, 184)
	assert.Equal(t, "2017-05-25", c.Version)
	assert.Equal(t, APIVersion, c.Version)
}

// typedCatalogue returns the catalogue entries the SDK types: every one
// the action table lists. Every Action of catalogue version 1 is among them.
func typedCatalogue(t *testing.T) []catalog.Action {
	var out []catalog.Action
	for _, a := range catalog.Load().Actions {
		if _, ok := actionTable[a.Name]; ok {
			out = append(out, a)
		} else if a.ParamPosition == "" {
			t.Errorf("%s (catalogue version 1) is not in the action table", a.Name)
		}
	}
	require.Len(t, out, len(actionTable), "the action table lists Actions the catalogue does not")
	require.Len(t, out, 184, "every Action of the catalogue is typed")
	return out
}

// The action table agrees with the catalogue: every typed Action, its
// success codes, QPS and retry class.
func TestActionTableMatchesCatalogue(t *testing.T) {
	for _, a := range typedCatalogue(t) {
		info, ok := actionTable[a.Name]
		require.True(t, ok, a.Name)
		want := ""
		if a.SuccessCode != nil {
			want = *a.SuccessCode
		}
		assert.Equal(t, want, info.successCode, a.Name)
		qps := func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		}
		assert.Equal(t, qps(a.QPS.User), info.userQPS, a.Name)
		assert.Equal(t, qps(a.QPS.API), info.apiQPS, a.Name)
		assert.Equal(t, expectReadOnly(a.Name), info.class == readOnly, "%s class", a.Name)
		assert.Equal(t, callPlacing[a.Name], info.placesCall, "%s placesCall", a.Name)
	}
}

// readOnlyReports are the Actions that only read although their name
// does not start with Query, List, Get or Describe: status, statistics and
// reports of the call centres.
var readOnlyReports = map[string]bool{
	"ClinkAgentStatus": true, "ClinkAgentStatusDetail": true, "ClinkCdrObDetails": true, "ClinkDetailCdrIb": true,
	"ClinkStatIb": true, "CloudAgentMonitorStatistics": true, "CloudAgentWorkloadReport": true,
	"CloudBatchGetAgentStatus": true, "CloudMonitorTask": true, "CloudOutboundObClidReport": true,
	"CloudOutboundPreviewObReport": true,
}

// expectReadOnly is the retry class an Action must have: listings and
// queries (Query, List, Get, Describe, also after a Clink or Cloud prefix)
// and the reports above only read; everything else mutates.
func expectReadOnly(name string) bool {
	if readOnlyReports[name] {
		return true
	}
	base := strings.TrimPrefix(strings.TrimPrefix(name, "Clink"), "Cloud")
	for _, prefix := range []string{"Query", "List", "Get", "Describe", "VoipGet"} {
		if strings.HasPrefix(base, prefix) || strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// callPlacing are the Actions that place a call and take an OutId.
var callPlacing = map[string]bool{
	"SingleCallByTts": true, "SingleCallByVoice": true, "ClickToDial": true, "IvrCall": true,
	"SmartCall": true, "DoubleCallSeat": true, "SingleCallByVideo": true,
}

// Every call-placing Action takes an OutId, and its response carries the
// OutID the call was placed with (not decoded from the body) and the
// setOutID method the client fills it through.
func TestCallPlacingActionsCarryOutID(t *testing.T) {
	type outIDSetter interface{ setOutID(string) }
	n := 0
	for name, info := range actionTable {
		if !info.placesCall {
			continue
		}
		n++
		a := catalog.Lookup(name)
		require.NotNil(t, a.Param("OutId"), name)
		_, _, resp, ok := actionMethod(name)
		require.True(t, ok, name)
		f, ok := resp.FieldByName("OutID")
		require.True(t, ok, "%s: no OutID field", name)
		assert.Equal(t, "-", f.Tag.Get("json"), name)
		s, ok := reflect.New(resp).Interface().(outIDSetter)
		require.True(t, ok, "%s: no setOutID", name)
		s.setOutID("out-1")
		assert.Equal(t, "out-1", reflect.ValueOf(s).Elem().FieldByName("OutID").String(), name)
		assert.Equal(t, mutating, info.class, name)
	}
	assert.Equal(t, len(callPlacing), n)
}

var (
	ctxType      = reflect.TypeOf((*context.Context)(nil)).Elem()
	errType      = reflect.TypeOf((*error)(nil)).Elem()
	callOptsType = reflect.TypeOf([]CallOption(nil))
)

// actionMethod returns the Client method of an Action and its request and
// response struct types.
func actionMethod(name string) (m reflect.Method, req, resp reflect.Type, ok bool) {
	m, ok = reflect.TypeOf(&Client{}).MethodByName(name)
	if !ok {
		return m, nil, nil, false
	}
	mt := m.Type
	if mt.NumIn() != 4 || mt.In(1) != ctxType || mt.In(2).Kind() != reflect.Pointer || mt.In(3) != callOptsType || !mt.IsVariadic() ||
		mt.NumOut() != 2 || mt.Out(0).Kind() != reflect.Pointer || mt.Out(1) != errType {
		return m, nil, nil, false
	}
	return m, mt.In(2).Elem(), mt.Out(0).Elem(), true
}

func TestEveryActionIsTyped(t *testing.T) {
	var missing []string
	for _, a := range typedCatalogue(t) {
		if _, req, resp, ok := actionMethod(a.Name); !ok {
			missing = append(missing, a.Name)
		} else {
			assert.Equal(t, a.Name+"Request", req.Name())
			assert.Equal(t, a.Name+"Response", resp.Name())
		}
	}
	assert.Empty(t, missing, "Actions without a typed method")
}

// TestActionsAgainstCatalogue walks every typed Action: its request fields
// are exactly the catalogue's parameters (names, required flags, kinds);
// a request filled from the catalogue's examples arrives on the wire with
// every name spelled as the catalogue spells it and an independently
// verified signature; and the catalogue's sample bodies (or, where it has
// none, a body built from its response fields) decode into the typed
// response with the values they carry.
func TestActionsAgainstCatalogue(t *testing.T) {
	for _, a := range catalog.Load().Actions {
		m, reqType, respType, ok := actionMethod(a.Name)
		if !ok {
			continue
		}
		a := a
		t.Run(a.Name, func(t *testing.T) {
			checkRequestFields(t, a.Name, reqType, a.Request)
			req := reflect.New(reqType)
			want := fillFromExamples(t, req.Elem(), a.Request, "")

			bodies := map[string]string{"JSON": a.Samples.JSON, "XML": a.Samples.XML}
			if a.Samples.JSON == "" {
				bodies = map[string]string{"JSON": synthesizeBody(t, &a)}
			}
			for format, body := range bodies {
				if body == "" {
					continue
				}
				t.Run(format, func(t *testing.T) {
					rec := newRecorder(t, replyBody(200, "application/json", body))
					c := newTestClient(t, rec.srv.URL, WithFormat(Format(format)))
					out := m.Func.Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background()), req})
					if err, _ := out[1].Interface().(error); err != nil {
						require.NoError(t, err)
					}
					reqs := rec.requests()
					require.Len(t, reqs, 1)
					assertWire(t, want, reqs[0])
					requireSigned(t, reqs[0], a.Name, testSecret)
					tree := sampleTree(t, body)
					checkDecoded(t, a.Name, out[0].Elem(), tree)
				})
			}
			checkResponseFields(t, a.Name, respType, a.Response)
		})
	}
}

// tagInfo is a request field's dyvms tag.
type tagInfo struct {
	field reflect.StructField
	wire  string
	opts  map[string]string
}

func requestTags(t reflect.Type) map[string]tagInfo {
	out := map[string]tagInfo{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("dyvms")
		if !ok || tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		ti := tagInfo{field: sf, wire: parts[0], opts: map[string]string{}}
		for _, o := range parts[1:] {
			k, v, _ := strings.Cut(o, "=")
			ti.opts[k] = v
		}
		out[ti.wire] = ti
	}
	return out
}

func checkRequestFields(t *testing.T, where string, typ reflect.Type, params []catalog.Param) {
	t.Helper()
	tags := requestTags(typ)
	var want, got []string
	for _, p := range params {
		want = append(want, p.Name)
	}
	for w := range tags {
		got = append(got, w)
	}
	sort.Strings(want)
	sort.Strings(got)
	require.Equal(t, want, got, "%s: request wire names", where)
	for _, p := range params {
		ti := tags[p.Name]
		_, req := ti.opts["required"]
		assert.Equal(t, p.IsRequired(), req, "%s.%s required flag", where, p.Name)
		ft := ti.field.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		_, isJSON := ti.opts["json"]
		switch p.Type {
		case "string":
			// A string the catalogue documents as holding a JSON document
			// (CreateCallTask Data) may take a Go value with the json option.
			holdsJSON := isJSON && strings.Contains(p.Description, "JSON")
			assert.True(t, ft.Kind() == reflect.String || ft == timeType || holdsJSON, "%s.%s: string parameter as %s", where, p.Name, ft)
		case "int32":
			assert.Contains(t, []reflect.Kind{reflect.Int32, reflect.Int64, reflect.Int}, ft.Kind(), "%s.%s: int32 as %s", where, p.Name, ft)
		case "int64":
			assert.True(t, ft.Kind() == reflect.Int64 || ft == timeType, "%s.%s: int64 as %s", where, p.Name, ft)
		case "float":
			assert.Contains(t, []reflect.Kind{reflect.Float32, reflect.Float64}, ft.Kind(), "%s.%s", where, p.Name)
		case "bool":
			assert.Equal(t, reflect.Bool, ft.Kind(), "%s.%s", where, p.Name)
		case "json-string":
			assert.True(t, isJSON, "%s.%s: json-string parameters take a Go value with the json option", where, p.Name)
		case "list":
			require.Equal(t, reflect.Slice, ft.Kind(), "%s.%s", where, p.Name)
			if len(p.ItemFields) > 0 {
				require.Equal(t, reflect.Struct, ft.Elem().Kind(), "%s.%s", where, p.Name)
				checkRequestFields(t, where+"."+p.Name, ft.Elem(), p.ItemFields)
			}
		default:
			t.Errorf("%s.%s: unknown catalogue type %q", where, p.Name, p.Type)
		}
	}
}

// exampleText is the catalogue example of p as wire text, or a made-up
// value within p's range when the catalogue has none.
func exampleText(p catalog.Param) string {
	ex := bytes.TrimSpace(p.Example)
	if len(ex) > 0 && string(ex) != "null" {
		var s string
		if json.Unmarshal(ex, &s) == nil {
			if p.Type == "int32" || p.Type == "int64" {
				// Masked integer examples ("2256****") stand for digits.
				s = strings.ReplaceAll(s, "*", "0")
			}
			return s
		}
		return string(ex)
	}
	switch p.Type {
	case "int32", "int64", "float":
		lo := 1
		if r := p.Range; r != "" {
			if a, _, ok := strings.Cut(r, "~"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil {
					lo = n
				}
			}
		}
		return strconv.Itoa(lo)
	case "bool":
		return "true"
	case "json-string":
		if p.InnerSchema != nil {
			b, _ := json.Marshal(schemaExample(p.InnerSchema))
			return string(b)
		}
		return `{"k":"v"}`
	}
	return "x-" + p.Name
}

// fillFromExamples sets every field of v from the catalogue's examples
// and returns the wire parameters that must result.
func fillFromExamples(t *testing.T, v reflect.Value, params []catalog.Param, prefix string) map[string]string {
	t.Helper()
	tags := requestTags(v.Type())
	want := map[string]string{}
	for _, p := range params {
		ti := tags[p.Name]
		f := v.FieldByIndex(ti.field.Index)
		name := prefix + p.Name
		if p.Type == "list" {
			n := 2
			s := reflect.MakeSlice(f.Type(), n, n)
			for i := 0; i < n; i++ {
				item := s.Index(i)
				itemPrefix := name + "." + strconv.Itoa(i+1)
				if item.Kind() == reflect.Struct {
					for k, w := range fillFromExamples(t, item, p.ItemFields, itemPrefix+".") {
						want[k] = w
					}
				} else {
					text := exampleText(p)
					setScalar(t, item, text, name)
					want[itemPrefix] = text
				}
			}
			f.Set(s)
			continue
		}
		text := exampleText(p)
		if hasOpt(ti, "phone") || hasOpt(ti, "phones") {
			// Masked phone examples ("1590****000") stand for digits; a
			// number without an example gets one.
			text = strings.ReplaceAll(text, "*", "0")
			if strings.Trim(text, "0123456789,") != "" {
				text = "13900001234"
			}
		}
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			f = f.Elem()
		}
		switch {
		case ti.opts["json"] != "" || hasOpt(ti, "json"):
			require.NoError(t, json.Unmarshal([]byte(text), f.Addr().Interface()), "%s: example %s must fit the Go type %s", name, text, f.Type())
			if (f.Kind() == reflect.Map || f.Kind() == reflect.Slice) && f.Len() == 0 {
				continue // an empty document ({} or []) is not sent
			}
		case f.Type() == timeType && hasOpt(ti, "ms"):
			ms, err := strconv.ParseInt(text, 10, 64)
			require.NoError(t, err, name)
			f.Set(reflect.ValueOf(time.UnixMilli(ms)))
		case f.Type() == timeType && hasOpt(ti, "datetime"):
			tm, err := time.ParseInLocation(time.DateTime, text, chinaTime)
			require.NoError(t, err, name)
			f.Set(reflect.ValueOf(tm))
		default:
			setScalar(t, f, text, name)
			if f.Kind() == reflect.Float32 || f.Kind() == reflect.Float64 {
				text = strconv.FormatFloat(f.Float(), 'f', -1, 64) // 19.0 is sent as 19
			}
			if f.IsZero() && ti.field.Type.Kind() != reflect.Pointer {
				// The example is the zero value of a plain field: zero
				// means unset, so nothing is sent (a field where zero is
				// meaningful is a pointer).
				require.False(t, p.IsRequired(), "%s: a required field whose example is zero must be a pointer", name)
				continue
			}
		}
		want[name] = text
	}
	return want
}

func hasOpt(ti tagInfo, opt string) bool { _, ok := ti.opts[opt]; return ok }

func setScalar(t *testing.T, f reflect.Value, text, name string) {
	t.Helper()
	switch f.Kind() {
	case reflect.String:
		f.SetString(text)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(text, 10, 64)
		require.NoError(t, err, "%s: example %q", name, text)
		f.SetInt(n)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(text, 64)
		require.NoError(t, err, "%s: example %q", name, text)
		f.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(text)
		require.NoError(t, err, "%s: example %q", name, text)
		f.SetBool(b)
	default:
		t.Fatalf("%s: cannot set %s from an example", name, f.Type())
	}
}

// assertWire checks the Action's own parameters on the wire: exactly the
// expected names, with the expected values (JSON compared as JSON).
func assertWire(t *testing.T, want map[string]string, got captured) {
	t.Helper()
	gotNames := make([]string, 0, len(got.form))
	for k := range got.form {
		gotNames = append(gotNames, k)
	}
	wantNames := make([]string, 0, len(want))
	for k := range want {
		wantNames = append(wantNames, k)
	}
	sort.Strings(gotNames)
	sort.Strings(wantNames)
	require.Equal(t, wantNames, gotNames, "wire parameter names")
	for k, w := range want {
		g := got.form.Get(k)
		if strings.HasPrefix(strings.TrimSpace(w), "{") || strings.HasPrefix(strings.TrimSpace(w), "[") {
			var wv, gv any
			if json.Unmarshal([]byte(w), &wv) == nil {
				require.NoError(t, json.Unmarshal([]byte(g), &gv), "%s: not JSON on the wire: %s", k, g)
				assert.Equal(t, wv, gv, "%s: JSON value", k)
				continue
			}
		}
		assert.Equal(t, w, g, "%s", k)
	}
}

// sampleTree parses a sample body independently of the production parser
// for JSON; XML samples go through the tree builder.
func sampleTree(t *testing.T, body string) map[string]any {
	t.Helper()
	if strings.HasPrefix(strings.TrimSpace(body), "{") {
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		var m map[string]any
		require.NoError(t, dec.Decode(&m), "sample JSON")
		return m
	}
	_, tree, err := parseBody([]byte(body))
	require.NoError(t, err, "sample XML")
	return tree
}

// jsonFieldByName finds the struct field whose json tag is exactly name.
func jsonFieldByName(v reflect.Value, name string) (reflect.Value, bool) {
	for _, sf := range reflect.VisibleFields(v.Type()) {
		if sf.Anonymous {
			continue
		}
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if tag == name {
			return v.FieldByIndex(sf.Index), true
		}
	}
	return reflect.Value{}, false
}

// checkDecoded compares a decoded value with the sample tree it came from.
func checkDecoded(t *testing.T, path string, v reflect.Value, node any) {
	t.Helper()
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			t.Errorf("%s: nil, sample has %v", path, node)
			return
		}
		v = v.Elem()
	}
	switch n := node.(type) {
	case map[string]any:
		switch v.Kind() {
		case reflect.String: // JSON-in-string that arrived inline
			var got any
			assert.NoError(t, json.Unmarshal([]byte(v.String()), &got), "%s: inline object kept as JSON", path)
			return
		case reflect.Slice: // an XML list, or a wrapper object
			items := asList(n, v.Type().Elem())
			require.Equal(t, len(items), v.Len(), "%s: list length", path)
			for i := range items {
				checkDecoded(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i), items[i])
			}
			return
		case reflect.Map, reflect.Interface:
			return
		case reflect.Struct:
		default:
			t.Errorf("%s: sample has an object, Go type is %s", path, v.Type())
			return
		}
		for k, child := range n {
			f, ok := jsonFieldByName(v, k)
			if !assert.True(t, ok, "%s: sample field %q has no struct field (json tag must match exactly)", path, k) {
				continue
			}
			checkDecoded(t, path+"."+k, f, child)
		}
	case []any:
		if v.Kind() == reflect.String {
			return
		}
		require.Equal(t, reflect.Slice, v.Kind(), "%s: sample has a list", path)
		require.Equal(t, len(n), v.Len(), "%s: list length", path)
		for i := range n {
			checkDecoded(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i), n[i])
		}
	case nil:
	default:
		want := toString(n)
		switch v.Kind() {
		case reflect.String:
			assert.Equal(t, want, v.String(), path)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if i, err := strconv.ParseInt(strings.TrimSpace(want), 10, 64); err == nil {
				assert.Equal(t, i, v.Int(), path)
			}
		case reflect.Bool:
			if b, err := strconv.ParseBool(strings.TrimSpace(want)); err == nil {
				assert.Equal(t, b, v.Bool(), path)
			}
		case reflect.Float32, reflect.Float64:
			if x, err := strconv.ParseFloat(want, 64); err == nil {
				assert.InDelta(t, x, v.Float(), 1e-9, path)
			}
		case reflect.Slice:
			if want != "" {
				assert.Equal(t, 1, v.Len(), "%s: a single item", path)
			}
		case reflect.Struct:
			if strings.TrimSpace(want) != "" {
				t.Errorf("%s: sample has %q, Go type is %s", path, want, v.Type())
			}
		}
	}
}

// checkResponseFields checks every catalogue response field has a struct
// field with exactly that json tag, nested fields included.
func checkResponseFields(t *testing.T, where string, typ reflect.Type, fields []catalog.Field) {
	t.Helper()
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return
	}
	zero := reflect.New(typ).Elem()
	for _, f := range fields {
		fv, ok := jsonFieldByName(zero, f.Name)
		if !assert.True(t, ok, "%s: response field %q has no struct field", where, f.Name) {
			continue
		}
		if len(f.Fields) > 0 && !f.JSONInString {
			checkResponseFields(t, where+"."+f.Name, fv.Type(), f.Fields)
		}
	}
}

// synthesizeBody builds a success body from the catalogue's response
// fields, for Actions the reference prints no sample of.
func synthesizeBody(t *testing.T, a *catalog.Action) string {
	t.Helper()
	code := "OK"
	if a.SuccessCode != nil {
		code = *a.SuccessCode
	}
	m := synthesizeObject(a.Response)
	m["RequestId"] = "SYNTH-" + a.Name
	m["Code"] = code
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func synthesizeObject(fields []catalog.Field) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		m[f.Name] = synthesizeValue(f)
	}
	return m
}

func synthesizeValue(f catalog.Field) any {
	if f.JSONInString && f.InnerType != "" {
		var inner any = map[string]any{"k": "v"}
		if len(f.InnerFields) > 0 {
			inner = synthesizeObject(f.InnerFields)
		}
		if f.InnerType == "array" {
			inner = []any{inner}
		}
		b, _ := json.Marshal(inner)
		return string(b)
	}
	switch f.Type {
	case "int32", "int64":
		return 7
	case "float":
		return 7.5
	case "bool":
		return true
	case "object":
		return synthesizeObject(f.Fields)
	case "array":
		if len(f.Fields) > 0 {
			return []any{synthesizeObject(f.Fields), synthesizeObject(f.Fields)}
		}
		return []any{"a", "b"}
	}
	if f.JSONInString && len(f.InnerFields) > 0 {
		b, _ := json.Marshal(synthesizeObject(f.InnerFields))
		return string(b)
	}
	return "s-" + f.Name
}

var _ = http.StatusOK

// schemaExample builds a JSON value of the shape an inner schema
// describes, from its examples (or made-up values of the right type).
func schemaExample(s *catalog.Schema) any {
	if len(s.Variants) > 0 {
		return schemaExample(&s.Variants[0])
	}
	if s.Type == "array" {
		if s.Items == "object" {
			return []any{schemaObject(s.Fields)}
		}
		return []any{scalarExample(s.Items, nil)}
	}
	return schemaObject(s.Fields)
}

func schemaObject(fields []catalog.SchemaField) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		switch {
		case f.Type == "object" && len(f.Fields) > 0:
			m[f.Name] = schemaObject(f.Fields)
		case f.Type == "object":
			m[f.Name] = map[string]any{"k": "v"}
		case f.Type == "array" && f.Items == "object":
			m[f.Name] = []any{schemaObject(f.Fields)}
		case f.Type == "array":
			m[f.Name] = []any{scalarExample(f.Items, nil)}
		default:
			m[f.Name] = scalarExample(f.Type, f.Example)
		}
	}
	return m
}

// scalarExample is ex when it is a non-zero value of type typ, else a
// made-up non-zero value (zero values are left out of the documents).
func scalarExample(typ string, ex json.RawMessage) any {
	var v any
	if len(ex) > 0 && json.Unmarshal(ex, &v) == nil && v != nil && v != "" && v != float64(0) && v != false {
		switch v.(type) {
		case string:
			if typ == "string" {
				return v
			}
		case float64:
			if typ != "string" && typ != "bool" {
				return v
			}
		case bool:
			if typ == "bool" {
				return v
			}
		}
	}
	switch typ {
	case "int32", "int64", "float":
		return float64(7)
	case "bool":
		return true
	}
	return "x"
}
