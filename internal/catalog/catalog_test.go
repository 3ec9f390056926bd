package catalog

import (
	"encoding/json"
	"strings"
	"testing"
)

// The embedded catalogue is whole and consistent: 61 Actions in 7 groups,
// every parameter typed, lists with their item fields, success codes and
// sample bodies that parse.
func TestCatalogueIntegrity(t *testing.T) {
	c := Load()
	if len(c.Actions) != 61 || c.Version != "2017-05-25" {
		t.Fatalf("%d actions, version %q", len(c.Actions), c.Version)
	}
	wantGroups := map[string]int{"voice": 4, "ivr": 1, "robot": 17, "callcenter": 11, "hotline": 8, "rtc": 17, "virtualnumber": 3}
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
