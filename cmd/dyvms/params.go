package main

import (
	"context"
	"reflect"
	"strconv"
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
	// cat is the catalogue's entry for the parameter, when it has one:
	// its allowed values ("one of") are checked before sending.
	cat *catalog.Param
	// phone: one phone number; phones: a comma-separated list of them.
	phone, phones bool
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
			json: t.JSON, ms: t.Millis, datetime: t.DateTime, min: bound(t.Min), max: bound(t.Max),
			phone: t.Phone, phones: t.Phones}
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
