package dyvmstest

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// Every Action the SDK types, called through its typed method with the
// required fields filled from the catalogue's examples, decodes the fake's
// answer in both formats: the fake's bodies fit the SDK's response types,
// lists of one in XML, JSON-in-string fields and floats included.
func TestEveryTypedActionDecodes(t *testing.T) {
	typed := 0
	for _, f := range formats {
		for _, a := range catalog.Load().Actions {
			m := reflect.ValueOf(&dyvms.Client{}).MethodByName(a.Name)
			if !m.IsValid() {
				continue
			}
			typed++
			t.Run(string(f)+"/"+a.Name, func(t *testing.T) {
				srv := newServer(t, WithClock(NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, cst)).Now))
				c := client(t, srv, dyvms.WithFormat(f))
				params := requiredParams(t, &a)
				if prep := prepare[a.Name]; prep != nil {
					prep(t, c, params)
				}
				method := reflect.ValueOf(c).MethodByName(a.Name)
				req := reflect.New(method.Type().In(1).Elem())
				fillRequest(t, req.Elem(), params)
				res := method.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
				if err, _ := res[1].Interface().(error); err != nil {
					t.Fatalf("%v (request %+v)", err, req.Interface())
				}
				if res[0].IsNil() {
					t.Fatal("nil response")
				}
				if readOnly(a.Name) {
					// Asked again through Client.Do, the same answer: every
					// value the typed response holds is the raw one.
					raw := call(t, c, a.Name, params)
					compareTyped(t, res[0].Interface(), raw)
				}
			})
		}
	}
	if typed != 2*184 {
		t.Fatalf("%d typed Actions called, want all 184 in both formats", typed)
	}
}

// readOnly reports whether asking the Action twice gives the same answer:
// the getters, listings and queries.
func readOnly(action string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(action, "Cloud"), "Clink")
	for _, p := range []string{"Get", "List", "Query", "Describe", "Detail", "Stat", "Monitor"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// compareTyped checks that every non-zero value of the typed response
// equals the raw answer's value at the same place (numbers compared as
// numbers, a list of one as its element), and that there are some.
func compareTyped(t *testing.T, typed any, raw map[string]any) {
	t.Helper()
	b, err := json.Marshal(typed)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := decodeNumbers(string(b), &tree); err != nil {
		t.Fatal(err)
	}
	want, got := map[string]string{}, map[string]string{}
	flatten(tree, "", got)
	flatten(raw, "", want)
	compared := 0
	for path, v := range got {
		if strings.HasSuffix(path, "RequestId") || v == "" || v == "0" || v == "false" {
			continue // a per-request ID, or a zero the raw answer may lack
		}
		compared++
		if w, ok := want[path]; ok && w == v {
			continue
		}
		if !inRaw(path, v, want) {
			t.Errorf("typed %s = %q, raw answer has %q", path, v, want[path])
		}
	}
	if compared == 0 {
		t.Errorf("no value compared: typed %s", b)
	}
}

// inRaw reports whether v, a string of JSON the typed response holds where
// the raw answer has an object or list (the SDK keeps such a value as
// JSON), matches the raw answer's values under path.
func inRaw(path, v string, raw map[string]string) bool {
	var doc any
	if !strings.HasPrefix(v, "{") && !strings.HasPrefix(v, "[") || decodeNumbers(v, &doc) != nil {
		return false
	}
	inner := map[string]string{}
	flatten(doc, path, inner)
	for p, iv := range inner {
		if raw[p] != iv {
			return false
		}
	}
	return len(inner) > 0
}

// flatten records the scalar leaves of a decoded document by path.
func flatten(v any, path string, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			flatten(e, path+"."+k, out)
		}
	case []any:
		if len(t) == 1 {
			flatten(t[0], path, out)
			return
		}
		for i, e := range t {
			flatten(e, path+"["+strconv.Itoa(i)+"]", out)
		}
	default:
		out[path] = normalize(v)
	}
}

// normalize writes a scalar so that a number compares equal whether it
// came as a number or a string of digits, with or without a fraction.
func normalize(v any) string {
	s := scalarString(v)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}

// fillRequest sets each field of a typed request whose wire name (its dyvms
// tag) is in params.
func fillRequest(t *testing.T, req reflect.Value, params map[string][]string) {
	t.Helper()
	for i := 0; i < req.NumField(); i++ {
		field := req.Type().Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("dyvms"), ",")
		if name == "" {
			continue
		}
		if item := listItem(params, name); item != nil && req.Field(i).Kind() == reflect.Slice {
			// A list sent as Name.1.Field: one element, filled the same way.
			elem := reflect.New(req.Field(i).Type().Elem()).Elem()
			fillRequest(t, elem, item)
			req.Field(i).Set(reflect.Append(req.Field(i), elem))
			continue
		}
		vs, ok := params[name]
		if !ok || len(vs) == 0 {
			continue
		}
		if err := setField(req.Field(i), vs[0]); err != nil {
			t.Fatalf("field %s (%s) = %q: %v", field.Name, name, vs[0], err)
		}
	}
}

// listItem returns the parameters of the first item of the list name
// (Name.1.Field=value), keyed by Field, or nil.
func listItem(params map[string][]string, name string) map[string][]string {
	var item map[string][]string
	for k, vs := range params {
		if field, ok := strings.CutPrefix(k, name+".1."); ok {
			if item == nil {
				item = map[string][]string{}
			}
			item[field] = vs
		}
	}
	return item
}

// setField sets a typed field from a wire value: scalars parsed, times set
// to now, anything else (typed JSON parameters, lists) decoded from JSON.
func setField(v reflect.Value, s string) error {
	if _, isTime := v.Interface().(time.Time); isTime {
		v.Set(reflect.ValueOf(time.Now()))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		v.SetInt(n)
		return err
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		v.SetFloat(n)
		return err
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		v.SetBool(b)
		return err
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		return setField(v.Elem(), s)
	default:
		return json.Unmarshal([]byte(s), v.Addr().Interface())
	}
	return nil
}
