package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// print writes v (a typed response, or the items of --all) to stdout as
// --output and --query say, and returns the exit code.
func (c *cli) print(inv *invocation, act *catalog.Action, v any, capture *bodyCapture) int {
	if inv.output == "raw" {
		if err := capture.write(c.stdout); err != nil {
			fmt.Fprintln(c.stderr, "dyvms: writing output:", err)
			return exitFailure
		}
		return exitOK
	}
	tree, err := ordered(withEmptyLists(v))
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms: encoding output:", err)
		return exitFailure
	}
	decodeJSONInStrings(act, tree, inv.all)
	return c.printTree(inv, withOutID(v, tree))
}

// withOutID adds to the printed response of a call-placing Action the
// OutId the call was placed with (the response's OutID, which the SDK
// fills and does not decode): the one given with --OutId or the one the
// SDK generated.
func withOutID(v, tree any) any {
	obj, ok := tree.(object)
	rv := reflect.ValueOf(v)
	if !ok || rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return tree
	}
	f := rv.Elem().FieldByName("OutID")
	if !f.IsValid() || f.Kind() != reflect.String || f.String() == "" {
		return tree
	}
	for _, m := range obj {
		if m.key == "OutId" {
			return tree
		}
	}
	return append(obj, member{"OutId", f.String()})
}

// printTree writes an ordered tree as --output and --query say.
func (c *cli) printTree(inv *invocation, tree any) int {
	if inv.query != "" {
		q, _ := parseQuery(inv.query) // checked with the command line
		var miss string
		tree, miss = q.eval(tree)
		if miss != "" {
			fmt.Fprintf(c.stderr, "dyvms: --query %s: %s\n", inv.query, miss)
		}
	}
	var err error
	if inv.output == "table" {
		err = writeTable(c.stdout, tree)
	} else {
		err = writeJSON(c.stdout, tree)
	}
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms: writing output:", err)
		return exitFailure
	}
	return exitOK
}

// toTree turns a value into an ordered tree; v must marshal.
func toTree(v any) any {
	tree, err := ordered(v)
	if err != nil {
		panic("dyvms: " + err.Error()) // only the command's own types reach here
	}
	return tree
}

// writeJSON writes v as indented JSON, without HTML escaping so Chinese
// text and '<', '&' stay readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// bodyCapture keeps the response bodies the client received, for --output
// raw: the bytes exactly as the service sent them (JSON or XML), one per
// successful HTTP exchange, so --all gives one body per page.
type bodyCapture struct {
	mu     sync.Mutex
	bodies [][]byte
}

// maxCapture bounds one captured body; the SDK's own limit is lower.
const maxCapture = 64 << 20

// wrap returns a transport that records every response body of base.
func (bc *bodyCapture) wrap(base http.RoundTripper) http.RoundTripper {
	return captureTransport{base: base, bc: bc}
}

type captureTransport struct {
	base http.RoundTripper
	bc   *bodyCapture
}

// RoundTrip implements http.RoundTripper.
func (t captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCapture))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		t.bc.mu.Lock()
		t.bc.bodies = append(t.bc.bodies, body)
		t.bc.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// write writes the captured bodies, each ending in a newline. Only 2xx
// answers are kept, so the failed attempts of a call the SDK retried do
// not show.
func (bc *bodyCapture) write(w io.Writer) error {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	for _, b := range bc.bodies {
		if _, err := w.Write(b); err != nil {
			return err
		}
		if len(b) == 0 || b[len(b)-1] != '\n' {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
	}
	return nil
}

// member is one key of a JSON object, in document order.
type member struct {
	key   string
	value any
}

// object is a JSON object that keeps its key order.
type object []member

// MarshalJSON writes the object with its keys in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(m.key); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := enc.Encode(m.value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ordered turns v into a tree of object, []any, json.Number, string, bool
// and nil, keeping the field order of the typed response.
func ordered(v any) (any, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	return decodeOrdered(dec)
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := object{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				val, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, member{k.(string), val})
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				val, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, val)
			}
			_, err := dec.Token()
			return arr, err
		}
	}
	return tok, nil
}

// writeTable writes v as text: a list as aligned columns (one row per
// item, nested values as compact JSON), an object as key/value lines with
// nested objects flattened to dotted keys and its list field (the first
// list of objects, up to two levels down) as a table below them.
func writeTable(w io.Writer, tree any) error {
	tw := newTabWriter(w)
	switch t := tree.(type) {
	case []any:
		writeRows(tw, t)
	case object:
		path, list := findList(t, "", 0)
		writeKeyValues(tw, t, "", path)
		if path != "" {
			tw.Flush()
			fmt.Fprintf(w, "\n%s:\n", path)
			writeRows(tw, list)
		}
	default:
		fmt.Fprintln(tw, cell(t))
	}
	return tw.Flush()
}

// newTabWriter returns the aligned-column writer of tables and errors.
func newTabWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
}

// findList returns the dotted path and items of the first list of objects
// in obj, searching depth levels below it, or "" when there is none.
func findList(obj object, prefix string, depth int) (string, []any) {
	for _, m := range obj {
		if arr, ok := m.value.([]any); ok && (len(arr) == 0 || isObject(arr[0])) {
			return prefix + m.key, arr
		}
	}
	if depth < 1 {
		for _, m := range obj {
			if sub, ok := m.value.(object); ok {
				if p, arr := findList(sub, prefix+m.key+".", depth+1); p != "" {
					return p, arr
				}
			}
		}
	}
	return "", nil
}

func isObject(v any) bool { _, ok := v.(object); return ok }

// writeKeyValues writes obj's members as "key<TAB>value" lines, nested
// objects as dotted keys, skipping the member at skip.
func writeKeyValues(w io.Writer, obj object, prefix, skip string) {
	for _, m := range obj {
		key := prefix + m.key
		if key == skip {
			continue
		}
		if sub, ok := m.value.(object); ok && len(sub) > 0 {
			writeKeyValues(w, sub, key+".", skip)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\n", key, cell(m.value))
	}
}

// writeRows writes items as a table whose columns are the union of their
// keys, in first-seen order.
func writeRows(w io.Writer, items []any) {
	if len(items) == 0 {
		fmt.Fprintln(w, "(no items)")
		return
	}
	var cols []string
	seen := map[string]bool{}
	for _, it := range items {
		obj, ok := it.(object)
		if !ok {
			continue
		}
		for _, m := range obj {
			if !seen[m.key] {
				seen[m.key] = true
				cols = append(cols, m.key)
			}
		}
	}
	if len(cols) == 0 {
		for _, it := range items {
			fmt.Fprintln(w, cell(it))
		}
		return
	}
	rows := make([][]string, len(items))
	used := make([]bool, len(cols))
	for r, it := range items {
		obj, _ := it.(object)
		vals := make(map[string]any, len(obj))
		for _, m := range obj {
			vals[m.key] = m.value
		}
		rows[r] = make([]string, len(cols))
		for i, c := range cols {
			rows[r][i] = clip(cell(vals[c]))
			used[i] = used[i] || rows[r][i] != ""
		}
	}
	// Columns empty in every row (unset optional fields) are left out.
	keep := func(row []string) string {
		var out []string
		for i, s := range row {
			if used[i] {
				out = append(out, s)
			}
		}
		return strings.Join(out, "\t")
	}
	fmt.Fprintln(w, keep(cols))
	for _, row := range rows {
		fmt.Fprintln(w, keep(row))
	}
}

// cell is the text of one value in a table: scalars as they are, nested
// values as compact JSON, tabs and newlines escaped.
func cell(v any) string {
	var s string
	switch t := v.(type) {
	case nil:
		s = ""
	case string:
		s = t
	case json.Number:
		s = t.String()
	case bool:
		s = fmt.Sprint(t)
	default:
		s = compact(t)
	}
	return strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// maxCell bounds a table column's cell, in characters; longer values end
// in "…" (the json output and --query show them whole).
const maxCell = 60

// clip shortens s to maxCell characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxCell {
		return s
	}
	r := []rune(s)
	return string(r[:maxCell-1]) + "…"
}

// compact writes an ordered tree as compact JSON.
func compact(v any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case object:
			b.WriteByte('{')
			for i, m := range t {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(m.key)
				b.Write(k)
				b.WriteByte(':')
				walk(m.value)
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for i, e := range t {
				if i > 0 {
					b.WriteByte(',')
				}
				walk(e)
			}
			b.WriteByte(']')
		case json.Number:
			b.WriteString(t.String())
		default:
			j, _ := json.Marshal(t)
			b.Write(j)
		}
	}
	walk(v)
	return b.String()
}

// progress shows a running count on a terminal, at most ten times a
// second. A nil writer shows nothing.
type progress struct {
	w      io.Writer
	format string
	last   time.Time
	shown  bool
}

// newProgress returns a progress line on w with format (one %d).
func newProgress(w io.Writer, format string) *progress {
	return &progress{w: w, format: format}
}

// update shows n, unless the line was redrawn less than 100 ms ago.
func (p *progress) update(n int) {
	if p.w == nil || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r"+p.format, n)
}

// done shows the final count and ends the line, if anything was shown.
func (p *progress) done(n int) {
	if p.w == nil || !p.shown {
		return
	}
	fmt.Fprintf(p.w, "\r"+p.format+"\n", n)
}

// sortedKeys returns m's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
