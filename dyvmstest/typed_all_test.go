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
				if why := sdkGaps[a.Name]; why != "" {
					t.Skip("SDK gap, reported: " + why)
				}
				srv := newServer(t)
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
			})
		}
	}
	if typed < 2*61 {
		t.Fatalf("%d typed Actions called, want at least the 61 of the first catalogue in both formats", typed)
	}
}

// sdkGaps are Actions whose typed request cannot send the catalogue's
// example: a required value of zero that the typed request drops as unset.
// The fake refuses them as the service would; the SDK is to send them.
var sdkGaps = map[string]string{
	"CloudCreateAsr":   "RecordSide 0 (mixed recording) is required but a zero int64 counts as unset",
	"CloudCreateQueue": "Queue.MaxLen 0 is a required key but the typed Queue omits a zero MaxLen",
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
