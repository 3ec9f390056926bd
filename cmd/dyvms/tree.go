package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// withEmptyLists returns a copy of v in which every nil list is an empty
// one, so that an empty page prints [] rather than null.
func withEmptyLists(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v
	}
	cp := reflect.New(rv.Type()).Elem()
	cp.Set(rv)
	fillNilLists(cp)
	return cp.Interface()
}

// fillNilLists replaces the nil slices reachable from the settable value v
// with empty ones. Byte slices are left alone (they encode as strings).
func fillNilLists(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fillNilLists(v.Elem())
		}
	case reflect.Interface:
		if v.IsNil() || !v.CanSet() {
			return
		}
		e := reflect.New(v.Elem().Type()).Elem()
		e.Set(v.Elem())
		fillNilLists(e)
		v.Set(e)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				fillNilLists(f)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		for i := 0; i < v.Len(); i++ {
			fillNilLists(v.Index(i))
		}
	}
}

// decodeJSONInStrings replaces, in a response tree, the fields the
// catalogue marks as JSON inside a string by their decoded value (a
// string that does not hold a JSON object or array is kept). With items
// (the output of --all), the tree is a list of items of one of the
// response's lists.
func decodeJSONInStrings(act *catalog.Action, tree any, items bool) {
	if !items {
		decodeFields(tree, act.Response)
		return
	}
	list, _ := tree.([]any)
	for _, it := range list {
		if obj, ok := it.(object); ok {
			decodeFields(obj, bestItemFields(act.Response, obj))
		}
	}
}

// decodeFields walks v (an object, or a list of them) with fields, the
// catalogue's description of it.
func decodeFields(v any, fields []catalog.Field) {
	switch t := v.(type) {
	case []any:
		for _, it := range t {
			decodeFields(it, fields)
		}
	case object:
		for i, m := range t {
			f := fieldNamed(fields, m.key)
			if f == nil {
				continue
			}
			if s, ok := m.value.(string); ok && f.JSONInString {
				if inner, ok := parseJSONText(s); ok {
					t[i].value = inner
					decodeFields(inner, f.InnerFields)
				}
				continue
			}
			decodeFields(m.value, f.Fields)
		}
	}
}

// fieldNamed returns the field called name (or, failing that, the one
// whose name differs only in case), or nil.
func fieldNamed(fields []catalog.Field, name string) *catalog.Field {
	var loose *catalog.Field
	for i := range fields {
		switch {
		case fields[i].Name == name:
			return &fields[i]
		case strings.EqualFold(fields[i].Name, name):
			loose = &fields[i]
		}
	}
	return loose
}

// bestItemFields returns, among the item descriptions of every list in
// fields, the one sharing the most names with obj.
func bestItemFields(fields []catalog.Field, obj object) []catalog.Field {
	var best []catalog.Field
	bestN := 0
	var walk func(fs []catalog.Field)
	walk = func(fs []catalog.Field) {
		for _, f := range fs {
			for _, cand := range [][]catalog.Field{f.Fields, f.InnerFields} {
				n := 0
				for _, m := range obj {
					if fieldNamed(cand, m.key) != nil {
						n++
					}
				}
				if n > bestN {
					best, bestN = cand, n
				}
				walk(cand)
			}
		}
	}
	walk(fields)
	return best
}

// parseJSONText decodes s into an ordered tree when it holds a JSON object
// or array and nothing else.
func parseJSONText(s string) (any, bool) {
	s = strings.TrimSpace(s)
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil || dec.More() {
		return nil, false
	}
	if _, err := dec.Token(); err == nil {
		return nil, false // trailing data
	}
	return v, true
}
