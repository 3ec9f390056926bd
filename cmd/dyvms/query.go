package main

import (
	"fmt"
	"strconv"
	"strings"
)

// query is a parsed --query: a dotted path with list steps.
//
//	Data.Records[0].CallId   one field of the first record
//	Data.Records[-1]         the last record
//	Data.Records[].CallId    the CallId of every record, as a list
//	[].TaskName              with --all: the TaskName of every item
//
// Field names match exactly, or else ignoring case. A missing field or
// index gives null (and a note on stderr); [] over a list of lists
// flattens one level.
type query []step

// step is one step of a query: a field name, an index or "every item".
type step struct {
	key     string
	index   int
	isIndex bool
	each    bool
}

// parseQuery parses the --query syntax above.
func parseQuery(s string) (query, error) {
	var q query
	bad := func(why string) (query, error) {
		return nil, fmt.Errorf("--query %q: %s (write a dotted path such as Data.Records[0].CallId or Data.Records[].CallId)", s, why)
	}
	rest := s
	for rest != "" {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return bad("a [ without ]")
			}
			inner := strings.TrimSpace(rest[1:end])
			if inner == "" {
				q = append(q, step{each: true})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil {
					return bad(fmt.Sprintf("[%s] is not an index", inner))
				}
				q = append(q, step{index: n, isIndex: true})
			}
			rest = rest[end+1:]
		case rest[0] == '.':
			if len(q) == 0 || len(rest) == 1 || rest[1] == '.' || rest[1] == '[' {
				return bad("a misplaced dot")
			}
			rest = rest[1:]
		default:
			if len(q) > 0 && !strings.HasPrefix(s[len(s)-len(rest)-1:], ".") {
				return bad("a field name must follow a dot")
			}
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			q = append(q, step{key: rest[:end]})
			rest = rest[end:]
		}
	}
	if len(q) == 0 {
		return bad("empty")
	}
	return q, nil
}

// eval applies q to an ordered tree. miss describes the first step that
// found nothing, when the result is null.
func (q query) eval(v any) (result any, miss string) {
	result, miss = q.walk(v, "")
	if result != nil {
		miss = ""
	}
	return result, miss
}

// walk applies q to v; at is the path walked so far, for messages.
func (q query) walk(v any, at string) (any, string) {
	for i, st := range q {
		switch {
		case st.each:
			return q[i+1:].project(v, at)
		case st.isIndex:
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Sprintf("%s is not a list", orText(at, "the output"))
			}
			n := st.index
			if n < 0 {
				n += len(list)
			}
			if n < 0 || n >= len(list) {
				return nil, fmt.Sprintf("%s has %d items; no [%d]", orText(at, "the output"), len(list), st.index)
			}
			v, at = list[n], fmt.Sprintf("%s[%d]", at, st.index)
		default:
			obj, ok := v.(object)
			if !ok {
				return nil, fmt.Sprintf("%s is not an object", orText(at, "the output"))
			}
			m, found := memberNamed(obj, st.key)
			if !found {
				return nil, fmt.Sprintf("%s has no field %q (it has %s)", orText(at, "the output"), st.key, keysOf(obj))
			}
			v, at = m, strings.TrimPrefix(at+"."+st.key, ".")
		}
	}
	return v, ""
}

// project applies q to every item of the list v and collects the
// non-null results; results that are lists of a further [] are flattened.
func (q query) project(v any, at string) (any, string) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("%s is not a list", orText(at, "the output"))
	}
	flatten := false
	for _, st := range q {
		flatten = flatten || st.each
	}
	out := []any{}
	miss := ""
	for i, it := range list {
		r, m := q.walk(it, fmt.Sprintf("%s[%d]", at, i))
		if r == nil {
			if miss == "" {
				miss = m
			}
			continue
		}
		if sub, ok := r.([]any); ok && flatten {
			out = append(out, sub...)
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 && miss != "" {
		return out, miss
	}
	return out, ""
}

// memberNamed returns obj's member key, matched exactly or else ignoring
// case.
func memberNamed(obj object, key string) (any, bool) {
	for _, m := range obj {
		if m.key == key {
			return m.value, true
		}
	}
	for _, m := range obj {
		if strings.EqualFold(m.key, key) {
			return m.value, true
		}
	}
	return nil, false
}

// keysOf lists obj's keys.
func keysOf(obj object) string {
	keys := make([]string, len(obj))
	for i, m := range obj {
		keys[i] = m.key
	}
	return strings.Join(keys, ", ")
}
