package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// deriver derives one Action's Go surface from the catalogue where the
// overlay is silent.
type deriver struct {
	g          *generator
	a          *catalog.Action
	names      map[string]string
	paramTypes map[string]string
	// newTypes are the named types derived for this Action, in order.
	newTypes  []string
	accessors []Accessor
	// dry derives names and types without declaring any type: for the
	// defaults of fields the overlay describes.
	dry bool
}

// dryRun is a deriver for the same Action that declares nothing.
func (d *deriver) dryRun() *deriver {
	return &deriver{g: d.g, a: d.a, names: d.names, paramTypes: d.paramTypes, dry: true}
}

// request merges the overlay's request fields (kept in their order) with
// the catalogue's parameters; required comes from the catalogue.
func (d *deriver) request(ov *StructOverlay) (StructOverlay, error) {
	var out StructOverlay
	seen := map[string]bool{}
	if ov != nil {
		out.Doc = ov.Doc
		for _, f := range ov.Fields {
			p := d.a.Param(f.Wire)
			if p == nil {
				return out, fmt.Errorf("request field %s is not a catalogue parameter", f.Wire)
			}
			seen[f.Wire] = true
			// The overlay's name and type win; what it leaves out is
			// derived. Its opts are authoritative (required aside).
			if f.Go == "" || f.Type == "" || f.Doc == "" {
				def := d.dryRun().param(*p)
				f.Go, f.Type, f.Doc = orDefault(f.Go, def.Go), orDefault(f.Type, def.Type), orDefault(f.Doc, def.Doc)
			}
			has := false
			for _, o := range strings.Split(f.Opts, ",") {
				has = has || o == "required"
			}
			switch {
			case p.IsRequired() && !has:
				f.Opts = strings.TrimSuffix("required,"+f.Opts, ",")
			case !p.IsRequired() && has:
				return out, fmt.Errorf("request field %s is required in the overlay, not in the catalogue", f.Wire)
			}
			out.Fields = append(out.Fields, f)
		}
	}
	for _, p := range d.a.Request {
		if !seen[p.Name] {
			out.Fields = append(out.Fields, d.param(p))
		}
	}
	return out, nil
}

// pagingParams are never pointers: zero means "the default".
var pagingParams = map[string]bool{"PageNumber": true, "PageNo": true, "PageSize": true, "Offset": true, "Start": true, "Limit": true}

// param derives one request field.
func (d *deriver) param(p catalog.Param) FieldOverlay {
	f := FieldOverlay{Wire: p.Name, Go: d.rename(p.Name, d.g.goName(p.Name))}
	var opts []string
	if p.IsRequired() {
		opts = append(opts, "required")
	}
	switch p.Type {
	case "json-string":
		if t := d.paramTypes[p.Name]; t != "" {
			f.Type = t
		} else {
			f.Type = d.schemaType(d.a.Name+f.Go, p.InnerSchema, p.Description)
		}
		opts = append(opts, "json")
	case "list":
		f.Type = "[]string"
	default:
		f.Type = scalarType(p.Type)
		// A range or enum that the catalogue's own example breaks is
		// documented but not enforced: the SDK never rejects a value the
		// API reference shows.
		lo, hi, bytes := parseRange(p.Range, p.Type)
		if lo != "" && inRange(p.Example, lo, hi) {
			opts = append(opts, "min="+lo, "max="+hi)
		}
		if bytes > 0 {
			opts = append(opts, fmt.Sprintf("maxbytes=%d", bytes))
		}
		if e := enumOpt(p.Enum); e != "" && p.Type != "bool" && inEnum(p.Example, p.Enum) {
			opts = append(opts, "enum="+e)
		}
		if !pagingParams[p.Name] && zeroMeaningful(p.Type, p.Enum, lo) {
			f.Type = "*" + f.Type
		}
		if p.Type == "string" && wordEnum(p.Enum) {
			f.Type = d.enumType(d.enumPrefix()+f.Go, p.Enum, p.EnumMeanings)
		}
	}
	f.Opts = strings.Join(opts, ",")
	f.Doc = paramDoc(f.Go, p.Description, p.Enum, p.EnumMeanings, p.RequiredWhen, p.IsRequired(), strings.HasPrefix(f.Type, "*"))
	return f
}

func (d *deriver) rename(wire, def string) string {
	if n := d.names[wire]; n != "" {
		return n
	}
	return def
}

func scalarType(t string) string {
	switch t {
	case "int32", "int64", "string", "bool":
		return t
	case "float":
		return "float64"
	case "":
		return "any"
	}
	return "string"
}

var rangeRE = regexp.MustCompile(`^(-?\d+)~(-?\d+)( seconds)?$`)
var bytesRE = regexp.MustCompile(`^at most (\d+) bytes$`)

// parseRange reads a numeric range ("1~100") of a number parameter and a
// byte limit ("at most 250 bytes") of a string parameter. Digit counts and
// character counts are documented, not checked.
func parseRange(r, typ string) (lo, hi string, maxBytes int) {
	if m := rangeRE.FindStringSubmatch(r); m != nil && typ != "string" && typ != "bool" {
		return m[1], m[2], 0
	}
	if m := bytesRE.FindStringSubmatch(r); m != nil && typ == "string" {
		n, _ := strconv.Atoi(m[1])
		return "", "", n
	}
	return "", "", 0
}

// enumOpt is the enum tag option ("0|1|2") of a catalogue enum.
func enumOpt(values []json.RawMessage) string {
	var out []string
	for _, v := range values {
		var s string
		if json.Unmarshal(v, &s) == nil {
			if strings.ContainsAny(s, "|,\"") {
				return ""
			}
			out = append(out, s)
			continue
		}
		out = append(out, string(v))
	}
	return strings.Join(out, "|")
}

// zeroMeaningful: a number whose enum lists 0 or whose range starts at 0
// or below is a pointer, so that 0 can be sent.
func zeroMeaningful(typ string, enum []json.RawMessage, lo string) bool {
	if typ != "int32" && typ != "int64" && typ != "float" {
		return false
	}
	for _, v := range enum {
		if string(v) == "0" {
			return true
		}
	}
	if lo != "" {
		n, _ := strconv.Atoi(lo)
		return n <= 0
	}
	return false
}

// paramDoc writes a request field's doc from the catalogue.
func paramDoc(goName, desc string, enum []json.RawMessage, meanings map[string]string, when string, required, ptr bool) string {
	var b strings.Builder
	b.WriteString(fieldDoc(goName, desc))
	if required {
		b.WriteString(" Required.")
	} else if when != "" {
		b.WriteString(" Required when " + strings.TrimSuffix(when, ".") + ".")
	}
	if len(enum) > 0 {
		var vals []string
		for _, v := range enum {
			s := strings.Trim(string(v), `"`)
			if m := meanings[s]; m != "" {
				s += " (" + m + ")"
			}
			vals = append(vals, s)
		}
		b.WriteString(" One of " + strings.Join(vals, ", ") + ".")
	}
	if ptr {
		b.WriteString(" Use Ptr(0) to send 0.")
	}
	return b.String()
}

// sourceNotes rewrite the catalogue's remarks about where a description
// comes from into what a user needs to know.
var sourceNotes = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`; keys not documented by the SDK\)`), "; its keys are free)"},
	{regexp.MustCompile(`, according to the SDK's comment and example \(the field name suggests ([^)]*)\)`), " (the field name suggests $1; check against your data)"},
	{regexp.MustCompile(`; the SDK's [^()]*\)`), ")"},
	{regexp.MustCompile(`\s*\(the SDK's [^()]*\)`), ""},
}

func sentence(s string) string {
	for _, n := range sourceNotes {
		s = n.re.ReplaceAllString(s, n.with)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "not documented."
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// schemaType is the Go type of a JSON document parameter; it derives named
// structs for objects, called name (and name plus a field for nested
// objects).
func (d *deriver) schemaType(name string, s *catalog.Schema, desc string) string {
	if s == nil {
		return "string"
	}
	switch {
	case len(s.Variants) > 0:
		t := &TypeOverlay{Kind: "oneof", Doc: name + " is " + lowerFirst(sentence(desc)) + " Set exactly one shape. " + sentence(s.Note)}
		for _, v := range s.Variants {
			vg := d.g.goName(v.Mode)
			ft := d.schemaType(name+vg, &catalog.Schema{Type: v.Type, Items: v.Items, Fields: v.Fields}, v.Mode+" shape of "+name)
			if !strings.HasPrefix(ft, "[]") {
				ft = "*" + ft
			}
			t.Fields = append(t.Fields, FieldOverlay{Go: vg, Type: ft, Tag: `json:"-"`, Doc: vg + " is the " + v.Mode + " shape."})
		}
		d.addType(name, t)
		return name
	case s.Type == "array" && s.Items == "object" && len(s.Fields) == 0:
		return "[]map[string]any"
	case s.Type == "array" && s.Items == "object":
		name = singular(name)
		d.structType(name, s.Fields, desc, `json:"%s,omitempty"`)
		return "[]" + name
	case s.Type == "array":
		return "[]" + scalarType(s.Items)
	case s.Type == "object" && len(s.Fields) > 0:
		d.structType(name, s.Fields, desc, `json:"%s,omitempty"`)
		return name
	}
	return "map[string]any"
}

// properNouns keep their capital in the middle of a sentence.
var properNouns = []string{"China", "Chinese", "Unix", "Clink", "Mandarin", "Cantonese", "Alibaba", "MP3", "WAV"}

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && strings.ToUpper(s[:2]) == s[:2]) {
		return s
	}
	for _, n := range properNouns {
		if strings.HasPrefix(s, n) {
			return s
		}
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// structType derives a struct for the fields of a JSON document sent in a
// request.
func (d *deriver) structType(name string, fields []catalog.SchemaField, desc, tagFmt string) {
	t := &TypeOverlay{Kind: "struct", Doc: name + " is " + lowerFirst(sentence(desc))}
	for _, f := range fields {
		gn := d.g.goName(f.Name)
		var typ string
		switch {
		case f.Type == "object" && len(f.Fields) > 0:
			typ = d.schemaType(name+gn, &catalog.Schema{Type: "object", Fields: f.Fields}, f.Description)
			typ = "*" + typ
		case f.Type == "object":
			typ = "map[string]any"
		case f.Type == "array" && f.Items == "object":
			typ = d.schemaType(name+gn, &catalog.Schema{Type: "array", Items: "object", Fields: f.Fields}, f.Description)
		case f.Type == "array":
			typ = "[]" + scalarType(f.Items)
		default:
			// Numbers and booleans of a JSON document are pointers, as
			// in the official SDKs: a key is sent when set, zero included.
			typ = scalarType(f.Type)
			if typ != "string" {
				typ = "*" + typ
			}
		}
		t.Fields = append(t.Fields, FieldOverlay{Go: gn, Type: typ, Tag: fmt.Sprintf(tagFmt, f.Name), Wire: f.Name, Required: f.IsRequired(),
			Doc: paramDoc(gn, f.Description, f.Enum, f.EnumMeanings, f.RequiredWhen, f.IsRequired(), false)})
	}
	d.addType(name, t)
}

// addType records a derived type; an overlay type of the same name wins.
func (d *deriver) addType(name string, t *TypeOverlay) {
	if d.dry {
		return
	}
	if owner, ok := d.g.owner[name]; ok {
		if owner == "overlay" {
			d.newTypes = append(d.newTypes, name)
			return
		}
		panic(fmt.Sprintf("%s: type %s is also derived by %s", d.a.Name, name, owner))
	}
	d.g.owner[name] = d.a.Name
	d.g.types[name] = t
	d.newTypes = append(d.newTypes, name)
}

// response merges the overlay's response fields with the catalogue's.
func (d *deriver) response(ov *StructOverlay) (StructOverlay, error) {
	var out StructOverlay
	seen := map[string]bool{"RequestId": true, "Code": true, "Message": true}
	if ov != nil {
		out.Doc = ov.Doc
		for _, f := range ov.Fields {
			seen[f.Wire] = true
			if f.Go == "" || f.Type == "" || f.Doc == "" {
				cf := d.a.ResponseField(f.Wire)
				if cf == nil {
					return out, fmt.Errorf("response field %s is not in the catalogue", f.Wire)
				}
				def := d.dryRun().field(d.a.Name, "", *cf)
				f.Go, f.Type, f.Doc = orDefault(f.Go, def.Go), orDefault(f.Type, def.Type), orDefault(f.Doc, def.Doc)
			}
			out.Fields = append(out.Fields, f)
		}
	}
	for _, f := range d.a.Response {
		if !seen[f.Name] {
			out.Fields = append(out.Fields, d.field(d.a.Name, "", f))
		}
	}
	return out, nil
}

// field derives one response field of the struct named parent ("" for the
// response itself).
func (d *deriver) field(owner, parent string, f catalog.Field) FieldOverlay {
	gn := d.g.goName(f.Name)
	out := FieldOverlay{Wire: f.Name, Go: gn, Doc: fieldDoc(gn, f.Description)}
	if parent != "" {
		out.Tag = fmt.Sprintf(`json:%q`, f.Name)
	}
	typeName := d.typeName(owner, gn)
	switch {
	case f.JSONInString && (len(f.InnerFields) > 0 || f.InnerType != ""):
		out.Type = "string"
		inner := d.innerType(typeName, f)
		acc := Accessor{Name: "Decode" + gn, Type: inner, Field: gn,
			Doc: "Decode" + gn + " decodes " + gn + ", a JSON document in a string. An empty " + gn + " gives the zero value; a malformed one is an error here and never fails the call."}
		if parent != "" {
			acc.Recv = parent
		}
		d.accessors = append(d.accessors, acc)
		out.Doc += " Decode" + gn + " decodes it."
	case f.Type == "object" && len(f.Fields) > 0:
		d.respStruct(typeName, f.Fields, f.Description)
		out.Type = typeName
	case f.Type == "object":
		out.Type = "map[string]any"
	case f.Type == "array" && len(f.Fields) > 0:
		typeName = d.typeName(owner, singular(gn))
		d.respStruct(typeName, f.Fields, f.Description)
		out.Type = "[]" + typeName
	case f.Type == "array":
		out.Type = "[]" + scalarType(f.Items)
		if f.Items == "object" {
			out.Type = "[]map[string]any"
		}
	default:
		out.Type = scalarType(f.Type)
	}
	return out
}

// typeName names a derived response type: the Action and the field, or
// the parent and the field when that is taken.
func (d *deriver) typeName(owner, gn string) string {
	if gn == "Data" || gn == "Model" {
		return owner + gn
	}
	name := d.a.Name + gn
	if _, taken := d.g.types[name]; taken || d.g.owner[name] != "" {
		return owner + gn
	}
	return name
}

func (d *deriver) respStruct(name string, fields []catalog.Field, desc string) {
	t := &TypeOverlay{Kind: "struct", Doc: name + " is " + lowerFirst(sentence(desc))}
	d.addType(name, t)
	for _, f := range fields {
		t.Fields = append(t.Fields, d.field(name, name, f))
	}
}

// innerType is the Go type a JSON-in-string field decodes into.
func (d *deriver) innerType(name string, f catalog.Field) string {
	elem := "map[string]any"
	if len(f.InnerFields) > 0 {
		d.respStruct(name+"Value", f.InnerFields, f.Description)
		elem = name + "Value"
	}
	switch f.InnerType {
	case "array":
		return "[]" + elem
	case "object or array":
		return "any"
	}
	return elem
}

// iterator derives the XxxAll of a paged listing: a request with
// PageNumber (or PageNo) and PageSize, or Offset (or Start) and Limit,
// and a response with one list of objects.
func (d *deriver) iterator(a *action) *AllOverlay {
	if !a.readOnly {
		return nil
	}
	fieldOf := func(wire string) *FieldOverlay {
		for i := range a.request.Fields {
			if a.request.Fields[i].Wire == wire {
				return &a.request.Fields[i]
			}
		}
		return nil
	}
	al := &AllOverlay{}
	switch {
	case fieldOf("PageNumber") != nil && fieldOf("PageSize") != nil:
		al.PageField = fieldOf("PageNumber").Go
	case fieldOf("PageNo") != nil && fieldOf("PageSize") != nil:
		al.PageField = fieldOf("PageNo").Go
	case fieldOf("Offset") != nil && fieldOf("Limit") != nil:
		al.OffsetField, al.LimitField = fieldOf("Offset").Go, fieldOf("Limit").Go
	case fieldOf("Start") != nil && fieldOf("Limit") != nil:
		al.OffsetField, al.LimitField = fieldOf("Start").Go, fieldOf("Limit").Go
	default:
		return nil
	}
	if al.PageField != "" {
		al.PageType = fieldOf(pageWire(al.PageField)).Type
		if al.PageType != "int32" && al.PageType != "int64" {
			return nil
		}
	} else {
		off := fieldOf("Offset")
		if off == nil {
			off = fieldOf("Start")
		}
		lim := fieldOf("Limit")
		switch {
		case off.Type == "int64" && lim.Type == "int64":
		case off.Type == "string" && lim.Type == "string":
			al.OffsetType = "string"
		default:
			return nil
		}
		al.DefaultSize = 10
	}
	items, total, item := d.listIn(a.response.Fields, "resp")
	if items == "" {
		return nil
	}
	al.Item, al.Items, al.Total = item, items, total
	if al.PageField != "" {
		al.Size = "int64(r.PageSize)"
	}
	what := "item"
	al.Doc = fmt.Sprintf("%sAll iterates over every %s %s returns for req, page after page, fetching one page at a time. It works on a copy of req, which it never modifies; it stops at the listing's end, at the first error (yielded once) or when ctx is done, and starts no goroutine.", a.cat.Name, what, a.cat.Name)
	return al
}

func pageWire(goName string) string {
	if goName == "PageNo" {
		return "PageNo"
	}
	return "PageNumber"
}

// listIn finds the one list of objects among fields (or in their one
// object), and a number total beside it.
func (d *deriver) listIn(fields []FieldOverlay, path string) (items, total, item string) {
	var lists, objects []FieldOverlay
	for _, f := range fields {
		switch {
		case strings.HasPrefix(f.Type, "[]") && d.g.types[f.Type[2:]] != nil:
			lists = append(lists, f)
		case d.g.types[f.Type] != nil && d.g.types[f.Type].Kind == "struct":
			objects = append(objects, f)
		case f.Type == "int64" && (f.Wire == "Total" || f.Wire == "TotalCount"):
			total = path + "." + f.Go
		}
	}
	if len(lists) == 1 {
		return path + "." + lists[0].Go, total, lists[0].Type[2:]
	}
	if len(lists) == 0 && len(objects) == 1 {
		return d.listIn(d.g.types[objects[0].Type].Fields, path+"."+objects[0].Go)
	}
	return "", "", ""
}

// methodDoc writes an Action method's doc from the catalogue.
func (d *deriver) methodDoc(a *action) string {
	var b strings.Builder
	b.WriteString(a.cat.Name + " " + lowerFirst(sentence(a.cat.Summary)))
	var req []string
	for _, f := range a.request.Fields {
		if strings.HasPrefix(f.Opts, "required") {
			req = append(req, f.Go)
		}
	}
	if len(req) > 0 {
		b.WriteString(" Required: " + strings.Join(req, ", ") + ".")
	} else {
		b.WriteString(" No field is required.")
	}
	b.WriteString(" " + qpsDoc(a.cat.QPS))
	if a.all != nil {
		b.WriteString(" " + a.cat.Name + "All walks every page.")
	}
	b.WriteString("\n\n" + retryDoc(a))
	return b.String()
}

// retryDoc says what a retry of the Action may do.
func retryDoc(a *action) string {
	switch {
	case a.placesCall:
		return "It places a call, so a failure after the request may have reached the service is never retried blindly: it is returned as ErrAmbiguous, and the response's OutID (the request's OutId, or the one the SDK generated) identifies the call in receipts."
	case a.readOnly:
		return "It only reads, so a transient failure is retried."
	}
	return "It changes state, so a failure after the request may have reached the service is returned as ErrAmbiguous and never retried blindly."
}

func qpsDoc(q catalog.QPS) string {
	switch {
	case q.User != nil && q.API != nil:
		return fmt.Sprintf("QPS: %d per user, %d for the API.", *q.User, *q.API)
	case q.User != nil:
		return fmt.Sprintf("QPS: %d per user.", *q.User)
	case q.API != nil:
		return fmt.Sprintf("QPS: %d for the API.", *q.API)
	}
	return "No QPS limit is documented."
}

// inRange reports whether a catalogue example (absent counts as fitting)
// lies in [lo, hi].
func inRange(ex json.RawMessage, lo, hi string) bool {
	x, ok := exampleNumber(ex)
	if !ok {
		return true
	}
	l, _ := strconv.ParseFloat(lo, 64)
	h, _ := strconv.ParseFloat(hi, 64)
	return x >= l && x <= h
}

// inEnum reports whether a catalogue example (absent counts as fitting)
// is one of the enum values.
func inEnum(ex json.RawMessage, enum []json.RawMessage) bool {
	if len(ex) == 0 || string(ex) == "null" {
		return true
	}
	want := strings.Trim(string(ex), `"`)
	for _, v := range enum {
		if strings.Trim(string(v), `"`) == want {
			return true
		}
	}
	return false
}

func exampleNumber(ex json.RawMessage) (float64, bool) {
	var v any
	if len(ex) == 0 || json.Unmarshal(ex, &v) != nil {
		return 0, false
	}
	switch n := v.(type) {
	case float64:
		return n, true
	case string:
		x, err := strconv.ParseFloat(n, 64)
		return x, err == nil
	}
	return 0, false
}

// singular names the element type of a list: CdrObs gives CdrOb,
// TaskTelList gives TaskTel, Strategies gives Strategy; AgentStatus and
// Details-like words ending in "ss", "us" or "is" stay.
func singular(name string) string {
	switch {
	case strings.HasSuffix(name, "List") && len(name) > 4:
		return strings.TrimSuffix(name, "List")
	case strings.HasSuffix(name, "ies"):
		return strings.TrimSuffix(name, "ies") + "y"
	case strings.HasSuffix(name, "ss"), strings.HasSuffix(name, "us"), strings.HasSuffix(name, "is"):
		return name
	case strings.HasSuffix(name, "s"):
		return strings.TrimSuffix(name, "s")
	}
	return name
}

// imperative are first words of descriptions that are instructions or
// clauses, not noun phrases: such a doc reads "Name: Description".
var imperative = map[string]bool{
	"Leave": true, "Force": true, "Transcribe": true, "Return": true, "Interrupt": true, "With": true,
	"One": true, "Set": true, "Use": true, "Give": true, "Send": true, "Push": true, "Enable": true,
	"Only": true, "If": true, "For": true, "Up": true, "At": true, "In": true, "On": true, "Do": true,
	"Play": true, "Skip": true, "Seek": true, "Pause": true, "Resume": true, "Include": true,
}

// fieldDoc starts a field's doc with its name: "X is the ...", or "X says
// whether ..." for a yes/no description.
func fieldDoc(goName, desc string) string {
	d := sentence(desc)
	low := lowerFirst(d)
	switch {
	case imperative[strings.Fields(d)[0]]:
		return goName + ": " + d
	case strings.HasPrefix(d, "Whether "), strings.HasPrefix(d, "Why "), strings.HasPrefix(d, "How "), strings.HasPrefix(d, "Which "), strings.HasPrefix(d, "What "):
		return goName + " says " + low
	case strings.HasPrefix(d, "When "), strings.HasPrefix(d, "Where "):
		return goName + " is " + low
	case strings.HasPrefix(d, "The ") || strings.HasPrefix(d, "A ") || strings.HasPrefix(d, "An "):
		return goName + " is " + low
	case d == "not documented.":
		return goName + " is not documented."
	}
	return goName + " is the " + low
}

// wordEnum reports whether an enum's values are words (record, voicemail)
// rather than numbers or booleans: those get a typed string and constants.
func wordEnum(values []json.RawMessage) bool {
	if len(values) == 0 {
		return false
	}
	for _, v := range values {
		var s string
		if json.Unmarshal(v, &s) != nil || s == "" || s == "true" || s == "false" {
			return false
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return false
		}
	}
	return true
}

// enumPrefix names enum types: the call-centre families share theirs
// (CloudRecordType), other Actions use their own name.
func (d *deriver) enumPrefix() string {
	for _, p := range []string{"Clink", "Cloud"} {
		if strings.HasPrefix(d.a.Name, p) {
			return p
		}
	}
	return d.a.Name
}

// enumType declares (or extends, when another Action of the family has
// more values) a string type with one constant per value.
func (d *deriver) enumType(name string, values []json.RawMessage, meanings map[string]string) string {
	if d.dry {
		return name
	}
	t := d.g.types[name]
	if t == nil {
		t = &TypeOverlay{Kind: "enum", Base: "string", Doc: name + " is a value of the " + strings.TrimPrefix(name, d.enumPrefix()) + " parameter.",
			BlockDoc: "Values of " + name + "."}
		d.g.types[name] = t
		d.g.owner[name] = d.a.Name
		d.newTypes = append(d.newTypes, name)
	} else if d.g.owner[name] == "overlay" {
		return name
	}
	have := map[string]bool{}
	for _, v := range t.Values {
		have[v.Value] = true
	}
	for _, raw := range values {
		var s string
		_ = json.Unmarshal(raw, &s)
		lit := strconv.Quote(s)
		if have[lit] {
			continue
		}
		c := name + d.g.goName(s)
		doc := c + " is " + lit
		if m := meanings[s]; m != "" {
			doc += ": " + m
		}
		t.Values = append(t.Values, EnumValue{Name: c, Value: lit, Doc: doc + "."})
	}
	return name
}
