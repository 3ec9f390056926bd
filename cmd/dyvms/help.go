package main

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// actionHelp prints the help of Action name: its summary, rate limit and
// parameters (types from the SDK's request type; required flags, ranges,
// examples and descriptions from the catalogue the SDK is held to) and an
// example command line.
func (c *cli) actionHelp(name string) int {
	act := lookupAction(name)
	if act == nil {
		return c.usageError(unknownAction(name))
	}
	writeActionHelp(c.stdout, act)
	return exitOK
}

// helpParam is one parameter line of an Action's help.
type helpParam struct {
	flag     string // --Name or --Name.N.Field
	typ      string
	required bool
	limits   string
	cat      *catalog.Param
	indent   bool
	goType   reflect.Type // the request field's type; nil when only the catalogue has it
}

// writeActionHelp writes act's help to w: what it does, how to call it,
// its parameters, an example and notes on how values are written.
func writeActionHelp(w io.Writer, act *catalog.Action) {
	fmt.Fprintf(w, "%s (%s)\n\n", act.Name, act.Group)
	if act.Summary != "" {
		fmt.Fprintf(w, "%s\n", act.Summary)
	}
	if q := qpsText(act.QPS); q != "" {
		fmt.Fprintf(w, "QPS: %s\n", q)
	}
	params, hasTime := helpParams(act)
	writeUsageLine(w, act, params)
	fmt.Fprintln(w, "\nParameters:")
	if len(params) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for _, p := range params {
		writeParamHelp(w, p)
	}
	fmt.Fprintln(w, "\nExample:")
	fmt.Fprintf(w, "  %s\n", exampleCommand(act, params))
	if notes := helpNotes(act, params, hasTime); len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
	}
}

// writeUsageLine writes the Usage section: the required parameters and
// the flags that apply to act.
func writeUsageLine(w io.Writer, act *catalog.Action, params []helpParam) {
	fmt.Fprintf(w, "\nUsage:\n  dyvms %s", act.Name)
	for _, p := range params {
		if p.required && !p.indent {
			fmt.Fprintf(w, " %s VALUE", p.flag)
		}
	}
	fmt.Fprintf(w, " [--Param value ...] [-o json|table|raw] [-q PATH] [--dry-run] [--debug]")
	if _, ok := allMethod(act.Name); ok {
		fmt.Fprint(w, " [--all]")
	}
	if act.Name == "CreateCallTask" {
		fmt.Fprint(w, " [--callees-csv FILE]")
	}
	fmt.Fprintln(w)
}

// writeParamHelp writes one parameter: its flag, type, required flag and
// limits, then the catalogue's description, condition, allowed values
// (with the SDK's constant names) and example.
func writeParamHelp(w io.Writer, p helpParam) {
	indent := "  "
	if p.indent {
		indent = "      "
	}
	attrs := []string{p.typ}
	if p.required {
		attrs = append(attrs, "required")
	}
	if p.limits != "" {
		attrs = append(attrs, p.limits)
	}
	fmt.Fprintf(w, "%s%s  (%s)\n", indent, p.flag, strings.Join(attrs, ", "))
	pad := indent + "    "
	if p.cat != nil && p.cat.Description != "" {
		fmt.Fprintf(w, "%s%s\n", pad, p.cat.Description)
	}
	if p.cat != nil && p.cat.RequiredWhen != "" {
		fmt.Fprintf(w, "%sRequired when %s.\n", pad, p.cat.RequiredWhen)
	}
	if vals := allowedText(p); vals != "" {
		fmt.Fprintf(w, "%sOne of: %s\n", pad, vals)
	} else if names := namesText(p.goType); names != "" {
		fmt.Fprintf(w, "%sNames: %s\n", pad, names)
	}
	if p.cat != nil {
		if ex := exampleText(p.cat); ex != "" {
			fmt.Fprintf(w, "%sExample: %s\n", pad, ex)
		}
	}
}

// allowedText lists the catalogue's allowed values of p, each with the
// SDK constant that names it, or "".
func allowedText(p helpParam) string {
	vals := enumValues(p.cat)
	for i, v := range vals {
		if name := constantName(p.goType, v); name != "" {
			vals[i] = v + " (" + name + ")"
		}
	}
	return strings.Join(vals, ", ")
}

// namesText lists the SDK constant names a parameter of type t takes, or
// "".
func namesText(t reflect.Type) string {
	if t == nil {
		return ""
	}
	var out []string
	for _, nv := range namedValues[baseType(t)] {
		out = append(out, fmt.Sprintf("%s (%v)", nv.name, nv.value))
	}
	return strings.Join(out, ", ")
}

// helpNotes are the notes below an Action's help on how its kinds of
// values are written.
func helpNotes(act *catalog.Action, params []helpParam, hasTime bool) []string {
	var notes []string
	if hasTime {
		notes = append(notes, "Times: Unix milliseconds, RFC 3339 (2024-05-01T08:00:00+08:00) or 'yyyy-MM-dd HH:mm:ss' (China Standard Time).")
	}
	if hasParam(params, func(p helpParam) bool { return strings.HasPrefix(p.typ, "JSON") }) {
		notes = append(notes, `JSON parameters take a JSON literal: --Name '{"key":"value"}'.`)
	}
	if hasParam(params, func(p helpParam) bool { return p.typ == "list" }) {
		notes = append(notes, `Lists: --Name.N.Field value (N from 1) or a JSON array --Name '[{"Field":"value"}]'.`)
	}
	notes = append(notes, "Parameter names may also be written in any case or kebab-case (--called-number).")
	if _, ok := allMethod(act.Name); ok {
		notes = append(notes, "--all walks every page and prints the items as one list.")
	}
	if act.Name == "CreateCallTask" {
		notes = append(notes, "--callees-csv FILE builds Data from a CSV file: a header row (callee,var1,var2,...) then one number and its template values per row; DataType becomes JSON.")
	}
	return notes
}

// hasParam reports whether any of params satisfies ok.
func hasParam(params []helpParam, ok func(helpParam) bool) bool {
	for _, p := range params {
		if ok(p) {
			return true
		}
	}
	return false
}

// helpParams merges the request type's fields with the catalogue's
// parameters: required ones first, then the rest in the request type's
// order, list items below their list. hasTime reports a time parameter.
func helpParams(act *catalog.Action) (params []helpParam, hasTime bool) {
	done := map[string]bool{}
	if m, ok := typedMethod(act.Name); ok {
		for _, f := range fieldsOf(m.Type.In(2).Elem()) {
			done[f.wire] = true
			cat := act.Param(f.wire)
			p := helpParam{flag: "--" + f.wire, typ: typeText(f), required: f.required, limits: limitsText(f, cat), cat: cat, goType: f.typ}
			hasTime = hasTime || baseType(f.typ) == timeType
			params = append(params, p)
			if isStructList(f.typ) {
				for _, inf := range fieldsOf(f.typ.Elem()) {
					var icat *catalog.Param
					if cat != nil {
						for i := range cat.ItemFields {
							if cat.ItemFields[i].Name == inf.wire {
								icat = &cat.ItemFields[i]
							}
						}
					}
					params = append(params, helpParam{
						flag: "--" + f.wire + ".N." + inf.wire, typ: typeText(inf), required: inf.required,
						limits: limitsText(inf, icat), cat: icat, indent: true, goType: inf.typ,
					})
				}
			}
		}
	}
	for i := range act.Request {
		cp := &act.Request[i]
		if done[cp.Name] {
			continue
		}
		params = append(params, helpParam{flag: "--" + cp.Name, typ: cp.Type, required: cp.IsRequired(), limits: cp.Range, cat: cp})
		for j := range cp.ItemFields {
			it := &cp.ItemFields[j]
			params = append(params, helpParam{flag: "--" + cp.Name + ".N." + it.Name, typ: it.Type, required: it.IsRequired(), limits: it.Range, cat: it, indent: true})
		}
	}
	// Required parameters first; list items stay below their list.
	var req, opt []helpParam
	for i := 0; i < len(params); {
		j := i + 1
		for j < len(params) && params[j].indent {
			j++
		}
		if params[i].required {
			req = append(req, params[i:j]...)
		} else {
			opt = append(opt, params[i:j]...)
		}
		i = j
	}
	return append(req, opt...), hasTime
}

// baseType is t without a pointer.
func baseType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// typeText names a field's type as the command line takes it.
func typeText(f fieldInfo) string {
	t := baseType(f.typ)
	switch {
	case f.json:
		if t.Kind() == reflect.Map {
			return "JSON object"
		}
		return "JSON"
	case f.phone:
		return "phone number"
	case f.phones:
		return "comma-separated phone numbers"
	case t == timeType && f.ms:
		return "time, sent as Unix ms"
	case t == timeType && f.datetime:
		return "time, sent as yyyy-MM-dd HH:mm:ss"
	case t == timeType:
		return "time"
	case isStructList(t):
		return "list"
	case t.Kind() == reflect.Slice:
		return "list of " + t.Elem().Kind().String()
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}

// limitsText describes a field's range from its tag, or else from the
// catalogue.
func limitsText(f fieldInfo, cat *catalog.Param) string {
	switch {
	case f.min != "" && f.max != "":
		return f.min + ".." + f.max
	case f.min != "":
		return ">= " + f.min
	case f.max != "":
		return "<= " + f.max
	case f.maxBytes != "":
		return "at most " + f.maxBytes + " bytes"
	case cat != nil:
		return cat.Range
	}
	return ""
}

// qpsText describes a catalogue rate limit.
func qpsText(q catalog.QPS) string {
	var parts []string
	if q.User != nil {
		parts = append(parts, fmt.Sprintf("%d per user", *q.User))
	}
	if q.API != nil {
		parts = append(parts, fmt.Sprintf("%d for the API", *q.API))
	}
	return strings.Join(parts, ", ")
}

// exampleText is a parameter's catalogue example as command-line text; for
// a list, a JSON array of one item built from the items' examples.
func exampleText(p *catalog.Param) string {
	if p.Type == "list" && len(p.ItemFields) > 0 {
		item := map[string]any{}
		for _, it := range p.ItemFields {
			if len(it.Example) > 0 && string(it.Example) != "null" {
				var v any
				if json.Unmarshal(it.Example, &v) == nil {
					if s, ok := v.(string); ok && it.Type == "json-string" && json.Valid([]byte(s)) {
						v = json.RawMessage(s)
					}
					item[it.Name] = v
				}
			}
		}
		if len(item) == 0 {
			return ""
		}
		var b strings.Builder
		b.WriteString("[{")
		for i, k := range sortedKeys(item) {
			if i > 0 {
				b.WriteByte(',')
			}
			kj, _ := json.Marshal(k)
			vj, _ := json.Marshal(item[k])
			b.Write(kj)
			b.WriteByte(':')
			b.Write(vj)
		}
		b.WriteString("}]")
		return b.String()
	}
	if len(p.Example) == 0 || string(p.Example) == "null" {
		return ""
	}
	return jsonText(p.Example)
}

// exampleCommand is a command line calling act with every required
// parameter set to its example (or, when none is required, the first
// parameter that has an example).
func exampleCommand(act *catalog.Action, params []helpParam) string {
	parts := []string{"dyvms", act.Name}
	add := func(p helpParam) bool {
		if p.cat == nil || p.indent {
			return false
		}
		ex := exampleText(p.cat)
		switch {
		case strings.HasPrefix(p.typ, "time"):
			if _, err := parseTime(ex); err != nil {
				ex = "2024-05-01 08:00:00"
			}
		case strings.HasPrefix(p.typ, "int") || strings.HasPrefix(p.typ, "uint") || strings.Contains(p.typ, "phone number"):
			// The catalogue masks digits of some IDs ("104500****") and
			// phone numbers ("1590****000").
			ex = strings.ReplaceAll(ex, "*", "0")
		}
		switch {
		case ex != "":
		case strings.HasPrefix(p.typ, "int") || strings.HasPrefix(p.typ, "uint") || strings.HasPrefix(p.typ, "float"):
			ex = "1" // a required number without an example
		default:
			ex = "VALUE"
		}
		parts = append(parts, p.flag, shellQuote(ex))
		return true
	}
	any := false
	for _, p := range params {
		if p.required {
			any = add(p) || any
		}
	}
	if !any {
		for _, p := range params {
			if p.cat != nil && exampleText(p.cat) != "" && add(p) {
				break
			}
		}
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,:/@+=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// groupNames returns the catalogue's group names, sorted.
func groupNames() []string {
	groups := catalog.Groups()
	out := make([]string, 0, len(groups))
	for g := range groups {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}
