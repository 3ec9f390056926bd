package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// preparedCall is an Action call built from the command line, ready to
// send.
type preparedCall struct {
	act *catalog.Action
	// method and req are the typed method and its request (a pointer).
	method reflect.Method
	req    reflect.Value
	// fields are the request type's parameters.
	fields []fieldInfo
	// extra holds the few parameters the request type cannot hold, sent as
	// they are (WithExtraParams).
	extra url.Values
	// outIDGiven: the command line gave --OutId; otherwise a call-placing
	// Action is sent with one the SDK generates.
	outIDGiven bool
}

// prepare builds the call of act from the command line: the typed request
// from the --Param flags (and --callees-csv). Every error is a usage error.
func prepare(act *catalog.Action, inv *invocation, stdin io.Reader, progress io.Writer) (*preparedCall, error) {
	if inv.all {
		if _, ok := allMethod(act.Name); !ok {
			msg := fmt.Sprintf("--all: %s is not a paged Action; paged Actions are %s", act.Name, strings.Join(pagedActions(), ", "))
			if act.Param("All") != nil {
				msg = fmt.Sprintf("--all walks pages, and %s is not a paged Action; for its parameter All write --All true", act.Name)
			}
			return nil, errors.New(msg)
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
	pc := &preparedCall{act: act, extra: url.Values{}, method: m, req: reflect.New(m.Type.In(2).Elem())}
	pc.fields = fieldsOf(pc.req.Elem().Type())
	seen, err := pc.setParams(inv.params)
	if err != nil {
		return nil, err
	}
	// A call placed without --OutId is sent with one the SDK generates;
	// the response and an unknown outcome name it.
	pc.outIDGiven = seen["OutId"] != ""
	if inv.calleesCSV != "" {
		if err := pc.setCalleesCSV(inv.calleesCSV, seen["Data"] != "", stdin, progress); err != nil {
			return nil, err
		}
	}
	return pc, nil
}

// setParams sets the --Param flags and returns the flag each parameter
// was given as. Every problem is listed, not only the first: unknown names,
// values that do not parse, and what the SDK's validation then finds in
// the parameters that were read.
func (pc *preparedCall) setParams(params []paramArg) (map[string]string, error) {
	seen := map[string]string{}
	var problems []error
	bad := map[string]bool{}
	for _, p := range params {
		name, err := pc.resolve(p.name)
		if err != nil {
			problems = append(problems, ownFlagTypo(p.name, err))
			continue
		}
		if first, dup := seen[name]; dup {
			problems = append(problems, fmt.Errorf("--%s given twice (as --%s and --%s)", name, first, p.name))
			continue
		}
		seen[name] = p.name
		if err := pc.set(name, p.value); err != nil {
			problems, bad[strings.Split(name, ".")[0]] = append(problems, err), true
		}
	}
	if len(problems) == 0 {
		return seen, nil
	}
	var verr *dyvms.ValidationError
	if errors.As(pc.validate(), &verr) {
		// The SDK lists every problem of the request; each goes on its
		// own line, except those of parameters already reported above.
		for _, p := range verr.Problems {
			if !bad[strings.Split(p.Field, ".")[0]] {
				problems = append(problems, &dyvms.ValidationError{Action: verr.Action, Field: p.Field, Reason: p.Reason, Problems: []dyvms.FieldError{p}})
			}
		}
	}
	return nil, errors.Join(problems...)
}

// setCalleesCSV sets CreateCallTask's Data and DataType from a CSV file.
func (pc *preparedCall) setCalleesCSV(path string, dataGiven bool, stdin io.Reader, progress io.Writer) error {
	req, ok := pc.req.Interface().(*dyvms.CreateCallTaskRequest)
	if !ok {
		return fmt.Errorf("--callees-csv applies to CreateCallTask only")
	}
	if dataGiven {
		return errors.New("give the callees either with --Data or with --callees-csv, not both")
	}
	if req.DataType != "" && req.DataType != dyvms.CallTaskDataJSON {
		return fmt.Errorf("--callees-csv sends DataType JSON, not %s", req.DataType)
	}
	data, err := readCalleesCSV(path, stdin, progress)
	if err != nil {
		return err
	}
	req.Data = data
	req.DataType = dyvms.CallTaskDataJSON
	return nil
}

// paramNames returns the names of act's parameters: the request type's
// and the catalogue's.
func (pc *preparedCall) paramNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, f := range pc.fields {
		names, seen[f.wire] = append(names, f.wire), true
	}
	for _, p := range pc.act.Request {
		if !seen[p.Name] {
			names, seen[p.Name] = append(names, p.Name), true
		}
	}
	return names
}

// resolve returns the parameter name a command-line flag means: its exact
// name, or the one name it matches ignoring case, dashes and underscores
// (--called-number, --calledNumber). For Name.N.Field both the list and the
// field are resolved.
func (pc *preparedCall) resolve(flag string) (string, error) {
	base, rest, indexed := strings.Cut(flag, ".")
	name, err := matchName(base, pc.paramNames())
	if err != nil {
		return "", fmt.Errorf("%s %v (see dyvms %s --help)", pc.act.Name, err, pc.act.Name)
	}
	if !indexed {
		return name, nil
	}
	idx, sub, hasSub := strings.Cut(rest, ".")
	f, ok := findField(pc.fields, name)
	if !hasSub || !ok || !isStructList(f.typ) {
		return name + "." + rest, nil
	}
	itemFields := wireNameList(fieldsOf(f.typ.Elem()))
	itemName, err := matchName(sub, itemFields)
	if err != nil {
		return "", fmt.Errorf("--%s: %s items have no field %q; they have %s", flag, name, sub, strings.Join(itemFields, ", "))
	}
	return name + "." + idx + "." + itemName, nil
}

// normalName folds a parameter name for loose matching: lower case,
// without dashes and underscores.
func normalName(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
}

// matchName finds s among names: exactly, or else the one name equal to
// it once both are folded by normalName. The error says "has no parameter
// --s" with a suggestion, or lists the names s could mean.
func matchName(s string, names []string) (string, error) {
	var loose []string
	for _, n := range names {
		if n == s {
			return n, nil
		}
		if normalName(n) == normalName(s) {
			loose = append(loose, n)
		}
	}
	switch len(loose) {
	case 1:
		return loose[0], nil
	case 0:
		msg := fmt.Sprintf("has no parameter --%s", s)
		if sug := suggest(normalName(s), names); sug != "" {
			msg += fmt.Sprintf("; did you mean --%s?", sug)
		}
		return "", errors.New(msg)
	}
	return "", fmt.Errorf("--%s is ambiguous: write --%s", s, strings.Join(loose, " or --"))
}

// set sets the request parameter name (Name, Name.N or Name.N.Field,
// already resolved) from its command-line text.
func (pc *preparedCall) set(name, value string) error {
	base, rest, indexed := strings.Cut(name, ".")
	f, ok := findField(pc.fields, base)
	if !ok {
		// In the catalogue but not in the request type: sent as is.
		if indexed {
			return fmt.Errorf("--%s: %s is not a list", name, base)
		}
		cat := pc.act.Param(base)
		text, err := canonicalValue(fieldInfo{wire: base, typ: reflect.TypeOf(""), cat: cat}, value)
		if err != nil {
			return err
		}
		pc.extra.Set(base, text)
		return nil
	}
	f.cat = pc.act.Param(base)
	v := pc.req.Elem().Field(f.index)
	if indexed {
		return pc.setIndexed(v, f, name, rest, value)
	}
	if f.typ.Kind() == reflect.Slice && !f.json {
		return setListJSON(v, f, value)
	}
	err := setValue(v, f, value)
	if err != nil && f.json && !isJSONDocument(value) && f.cat != nil && f.cat.Type == "string" {
		// A string parameter that holds a JSON document only in one of its
		// forms (CreateCallTask's Data with DataType LIST): send the text.
		pc.extra.Set(base, value)
		return nil
	}
	return err
}

// setIndexed sets item N (rest is "N" or "N.Field") of list field f.
func (pc *preparedCall) setIndexed(v reflect.Value, f fieldInfo, name, rest, value string) error {
	base := f.wire
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
		return setValue(item, fieldInfo{wire: name, typ: f.typ.Elem(), cat: f.cat}, value)
	}
	inf, ok := findField(fieldsOf(f.typ.Elem()), sub)
	if !ok {
		return fmt.Errorf("--%s: %s items have no field %q; they have %s", name, base, sub, wireNames(fieldsOf(f.typ.Elem())))
	}
	inf.wire, inf.cat = name, itemParam(f.cat, sub)
	return setValue(item.Field(inf.index), inf, value)
}

// itemParam returns the catalogue entry of list item field name, or nil.
func itemParam(list *catalog.Param, name string) *catalog.Param {
	if list == nil {
		return nil
	}
	for i := range list.ItemFields {
		if list.ItemFields[i].Name == name {
			return &list.ItemFields[i]
		}
	}
	return nil
}

// wireNameList returns the wire names of fields.
func wireNameList(fields []fieldInfo) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.wire
	}
	return names
}

// wireNames lists the wire names of fields, comma-separated.
func wireNames(fields []fieldInfo) string {
	return strings.Join(wireNameList(fields), ", ")
}

// callOptions returns the CallOptions of the call.
func (pc *preparedCall) callOptions() []dyvms.CallOption {
	if len(pc.extra) == 0 {
		return nil
	}
	return []dyvms.CallOption{dyvms.WithExtraParams(pc.extra)}
}

// validate checks the request with the SDK's own validation, before any
// credentials are looked up or anything is sent.
func (pc *preparedCall) validate() error {
	return dyvms.Validate(pc.req.Interface(), pc.callOptions()...)
}

// args returns the reflect arguments of the typed method and its iterator.
func (pc *preparedCall) args(ctx context.Context, client *dyvms.Client) []reflect.Value {
	args := []reflect.Value{reflect.ValueOf(client), reflect.ValueOf(ctx), pc.req}
	for _, o := range pc.callOptions() {
		args = append(args, reflect.ValueOf(o))
	}
	return args
}

// do sends the call and returns the typed response.
func (pc *preparedCall) do(ctx context.Context, client *dyvms.Client) (any, error) {
	out := pc.method.Func.Call(pc.args(ctx, client))
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	return out[0].Interface(), nil
}

// all walks every page with the Action's XxxAll iterator and returns the
// items. When progress is non-nil it shows a running count there.
func (pc *preparedCall) all(ctx context.Context, client *dyvms.Client, progress io.Writer) ([]any, error) {
	m, _ := allMethod(pc.act.Name)
	seq := m.Func.Call(pc.args(ctx, client))[0]
	items := []any{}
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
	return items, nil
}

// isJSONDocument reports whether s is a JSON object or array.
func isJSONDocument(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '{' || s[0] == '[') && json.Valid([]byte(s))
}

// ownFlagTypo turns err, an unknown parameter, into an unknown flag with a
// suggestion when name is in lower case and close to one of the command's
// flags (--outptu).
func ownFlagTypo(name string, err error) error {
	if name != strings.ToLower(name) {
		return err // the command's flags are lower case; this is a parameter
	}
	var own []string
	for _, f := range actionFlags {
		own = append(own, f.name)
	}
	if s := suggest(name, own); s != "" {
		return fmt.Errorf("unknown flag --%s; did you mean --%s?", name, s)
	}
	return err
}
