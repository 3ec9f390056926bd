package dyvmstest

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// record is a thing the fake keeps for the call-centre families (an agent,
// an outbound task, a call record): its properties by the names the API
// uses on the wire, as strings. Answers are the schema-driven body with
// the record's properties written over the keys of the same name, each in
// the JSON type the body has there, so a record fits every Action that
// shows it, whatever types that Action's schema gives.
type record map[string]string

// setParams copies into r every Action parameter the request carried.
func (r record) setParams(a *catalog.Action, p url.Values) {
	for _, prm := range a.Request {
		if v := p.Get(prm.Name); v != "" {
			r[prm.Name] = v
		}
	}
}

// writeOver overwrites the keys of obj that r has, keeping each key's JSON
// type: a number stays a number (if the value is one), a bool a bool, a
// string a string. Keys r does not have keep their schema-driven values.
func (r record) writeOver(obj map[string]any) map[string]any {
	for k, old := range obj {
		v, ok := r[k]
		if !ok {
			continue
		}
		obj[k] = typedLike(old, v)
	}
	return obj
}

// typedLike returns v in the JSON type of old.
func typedLike(old any, v string) any {
	switch o := old.(type) {
	case json.Number:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return old
		}
		if strings.ContainsAny(string(o), ".eE") && !strings.ContainsAny(v, ".eE") {
			v += ".0" // a float stays a float
		}
		return json.Number(v)
	case bool:
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
		return old
	case map[string]any, []any:
		return jsonLike(old, v)
	}
	return v
}

// jsonLike decodes v, a JSON parameter, where the body has an object or a
// list of the same kind (an object or list the request sent as JSON) and
// lays it over the body's value, so that keys the request left out keep
// their schema-driven values; otherwise it keeps old.
func jsonLike(old any, v string) any {
	var doc any
	if decodeNumbers(v, &doc) != nil {
		return old
	}
	switch o := old.(type) {
	case map[string]any:
		if m, ok := doc.(map[string]any); ok {
			return overlay(o, m)
		}
	case []any:
		if l, ok := doc.([]any); ok {
			return overlayList(o, l)
		}
	}
	return old
}

// overlay returns a copy of base with the keys of top set over it.
func overlay(base, top map[string]any) map[string]any {
	out := deepCopy(base).(map[string]any)
	for k, v := range top {
		out[k] = v
	}
	return out
}

// overlayList returns top, each object of it laid over the base list's
// first object.
func overlayList(base, top []any) []any {
	var item map[string]any
	if len(base) > 0 {
		item, _ = base[0].(map[string]any)
	}
	out := make([]any, len(top))
	for i, e := range top {
		out[i] = e
		if m, ok := e.(map[string]any); ok && item != nil {
			out[i] = overlay(item, m)
		}
	}
	return out
}

// path returns the object at the given keys of body. Where the body has
// none it returns a detached empty object, so that a handler's writes are
// harmless rather than a panic.
func path(body map[string]any, keys ...string) map[string]any {
	m := body
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return map[string]any{}
		}
		m = next
	}
	return m
}

// proto returns a fresh copy of the first element of the list at key in
// obj (or of the object there): the schema-driven shape of one item, to be
// written over with a record's properties.
func proto(obj map[string]any, key string) map[string]any {
	switch t := obj[key].(type) {
	case []any:
		if len(t) > 0 {
			if m, ok := t[0].(map[string]any); ok {
				return deepCopy(m).(map[string]any)
			}
		}
	case map[string]any:
		return deepCopy(t).(map[string]any)
	}
	return map[string]any{}
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, e := range t {
			c[k] = deepCopy(e)
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = deepCopy(e)
		}
		return c
	}
	return v
}

// listOf renders records as the list at key in obj, each record written
// over a copy of the list's schema-driven item.
func listOf(obj map[string]any, key string, recs []record) {
	item := proto(obj, key)
	items := make([]any, 0, len(recs))
	for _, r := range recs {
		items = append(items, r.writeOver(deepCopy(item).(map[string]any)))
	}
	obj[key] = items
}

// matchRecord reports whether r passes every filter parameter in names
// that the request carried: the record's property of the same name equals
// the filter, or is one of a comma-separated list of values.
func matchRecord(p url.Values, r record, names ...string) bool {
	for _, n := range names {
		if f := p.Get(n); f != "" && !inList(f, r[n]) {
			return false
		}
	}
	return true
}

// matchCnos reports whether the agent number cno passes the request's Cnos
// filter (a comma-separated list), if it has one.
func matchCnos(p url.Values, cno string) bool {
	return p.Get("Cnos") == "" || inList(p.Get("Cnos"), cno)
}

// inList reports whether v is one of the comma-separated values of list.
func inList(list, v string) bool {
	for _, e := range strings.Split(list, ",") {
		if strings.TrimSpace(e) == v {
			return true
		}
	}
	return false
}

// window cuts recs to the page given by Start (offset) and Limit.
func window(p url.Values, recs []record, defLimit int64) []record {
	return cut(recs, atoi(p.Get("Start")), atoi(p.Get("Limit")), defLimit)
}

// cut returns the items from offset, at most limit of them (defLimit when
// limit is not positive); any offset and limit, however large, are safe.
func cut[T any](items []T, offset, limit, defLimit int64) []T {
	if limit < 1 {
		limit = defLimit
	}
	n := int64(len(items))
	lo := min(max(offset, 0), n)
	return items[lo : lo+min(limit, n-lo)]
}
