package catalog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The embedded catalogue is whole and consistent: 184 Actions in 10 groups,
// every parameter typed, lists with their item fields, success codes and
// sample bodies that parse.
func TestCatalogueIntegrity(t *testing.T) {
	c := Load()
	if len(c.Actions) != 184 || c.Version != "2017-05-25" || c.CatalogueVersion != 2 {
		t.Fatalf("%d actions, version %q", len(c.Actions), c.Version)
	}
	wantGroups := map[string]int{"voice": 5, "ivr": 1, "robot": 17, "callcenter": 11, "hotline": 10, "rtc": 17, "virtualnumber": 6,
		"video": 14, "cloudcc": 72, "clink": 31}
	if len(Groups()) != len(wantGroups) {
		t.Errorf("%d groups, want %d", len(Groups()), len(wantGroups))
	}
	for g, names := range Groups() {
		if len(names) != wantGroups[g] {
			t.Errorf("group %s has %d actions, want %d", g, len(names), wantGroups[g])
		}
	}
	types := map[string]bool{"string": true, "int32": true, "int64": true, "float": true, "bool": true, "json-string": true, "list": true}
	for _, a := range c.Actions {
		if Lookup(a.Name) == nil {
			t.Errorf("Lookup(%q) is nil", a.Name)
		}
		for _, p := range a.Request {
			if !types[p.Type] {
				t.Errorf("%s.%s: type %q", a.Name, p.Name, p.Type)
			}
			if p.Type == "list" && len(p.ItemFields) == 0 && !strings.Contains(p.WireFormat, ".N") {
				t.Errorf("%s.%s: a list with neither item fields nor a wire format", a.Name, p.Name)
			}
		}
		if a.SuccessCode != nil && *a.SuccessCode != "OK" && *a.SuccessCode != "200" {
			t.Errorf("%s: success code %q", a.Name, *a.SuccessCode)
		}
		if a.SuccessCode != a.SuccessCodeFact.Value {
			t.Errorf("%s: SuccessCode not filled from the catalogue entry", a.Name)
		}
		if s := a.Samples.JSON; s != "" {
			var m map[string]any
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				t.Errorf("%s: sample JSON: %v", a.Name, err)
			}
		}
		if s := a.Samples.XML; s != "" && !strings.HasPrefix(strings.TrimSpace(s), "<"+a.Name+"Response") {
			t.Errorf("%s: sample XML is not rooted at <%sResponse>", a.Name, a.Name)
		}
	}
	if a := Lookup("IvrCall"); a == nil || a.Param("MenuKeyMap") == nil || a.Param("Nope") != nil {
		t.Error("Param lookup")
	}
}

// Every key of the catalogue file decodes into a Go field: decoding with
// unknown keys disallowed succeeds, so no fact of version 2 is dropped.
func TestCatalogueHasNoUnknownKeys(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if len(c.Actions) != 184 {
		t.Fatalf("%d actions", len(c.Actions))
	}
}

// The version 2 keys decode into their typed form: param_position,
// inner_schema (items, fields, variants, nested fields), inner_type, float
// types, required_when, enums with their meanings and ranges.
func TestCatalogueV2Keys(t *testing.T) {
	var jsonParams, innerSchemas, innerTypes, floats, positions int
	for _, a := range Load().Actions {
		if a.ParamPosition != "" {
			positions++
		}
		for _, p := range a.Request {
			if p.Type == "json-string" {
				jsonParams++
			}
			if p.InnerSchema != nil {
				innerSchemas++
				if p.InnerSchema.Type == "" {
					t.Errorf("%s.%s: inner schema without a type", a.Name, p.Name)
				}
			}
			if p.Type == "float" {
				floats++
			}
		}
		var walk func([]Field)
		walk = func(fs []Field) {
			for _, f := range fs {
				if f.InnerType != "" {
					innerTypes++
					// Free-form content (a map, a list of maps) has no inner
					// fields but a note saying so.
					if !f.JSONInString || (len(f.InnerFields) == 0 && f.Note == "") {
						t.Errorf("%s.%s: inner_type without JSON-in-string inner fields or a note", a.Name, f.Name)
					}
				}
				if f.Type == "float" {
					floats++
				}
				walk(f.Fields)
			}
		}
		walk(a.Response)
	}
	if positions != 123 || innerSchemas != 42 || innerTypes != 23 || jsonParams != 50 || floats != 15 {
		t.Errorf("param_position %d, inner_schema %d, inner_type %d, json-string %d, float %d", positions, innerSchemas, innerTypes, jsonParams, floats)
	}
	task := Lookup("CloudCreateTask")
	rs := task.Param("RetryStrategy").InnerSchema
	if len(rs.Variants) != 2 || rs.Variants[0].Mode != "basic" || rs.Variants[1].Type != "array" || len(rs.Variants[0].Fields[1].Fields) != 2 {
		t.Errorf("RetryStrategy variants: %+v", rs)
	}
	area := Lookup("ClinkCreateClient").Param("ClidArea")
	if area.InnerSchema.Items != "object" || area.InnerSchema.Fields[1].Name != "AssignType" || len(area.InnerSchema.Fields[1].Enum) != 2 ||
		area.InnerSchema.Fields[1].EnumMeanings["1"] != "dynamic number group" || area.InnerSchema.Fields[2].RequiredWhen == "" {
		t.Errorf("ClidArea schema: %+v", area.InnerSchema)
	}
	if v := Lookup("SingleCallByVideo"); v == nil || v.Group != "video" || v.ParamPosition != "query" {
		t.Errorf("SingleCallByVideo: %+v", v)
	}
}
