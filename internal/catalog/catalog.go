// Package catalog holds the project's own copy of the Dyvmsapi 2017-05-25 API
// catalogue: every Action, its exact wire parameter names, types, required
// flags, list flattening, response fields, success code and the sample
// bodies printed in the API reference.
//
// The data (actions.json) is derived from the project's API catalogue and is
// embedded so that tests, the fake server and the command line read the same
// facts the SDK is held to. The dyvms library package itself does not import
// this package, so programs that only use the SDK do not carry the data.
package catalog

import (
	_ "embed"
	"encoding/json"
	"sort"
	"sync"
)

//go:embed actions.json
var raw []byte

// Catalogue is the decoded catalogue file.
type Catalogue struct {
	Product string   `json:"product"`
	Version string   `json:"version"`
	Actions []Action `json:"actions"`
	// ReceiptMessageTypes documents the receipt (callback) message types.
	ReceiptMessageTypes json.RawMessage `json:"receipt_message_types"`
}

// Action is one API operation.
type Action struct {
	Name        string          `json:"name"`
	Group       string          `json:"group"`
	Summary     string          `json:"summary"`
	QPS         QPS             `json:"qps"`
	SuccessCode *string         `json:"success_code"`
	Note        string          `json:"note"`
	Request     []Param         `json:"request"`
	Response    []Field         `json:"response"`
	Samples     Samples         `json:"samples"`
	Errors      json.RawMessage `json:"errors"`
}

// QPS is the documented per-user and per-API rate limit (calls per second);
// nil where no source gives one.
type QPS struct {
	User *int   `json:"user"`
	API  *int   `json:"api"`
	Note string `json:"note"`
}

// Param is one request parameter.
type Param struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"` // string, int32, int64, float, bool, json-string, list
	Required     *bool             `json:"required"`
	RequiredWhen string            `json:"required_when"`
	Example      json.RawMessage   `json:"example"`
	Enum         []json.RawMessage `json:"enum"`
	Range        string            `json:"range"`
	WireFormat   string            `json:"wire_format"`
	Description  string            `json:"description"`
	Note         string            `json:"note"`
	ItemFields   []Param           `json:"item_fields"`
}

// IsRequired reports whether the catalogue marks the parameter required.
func (p Param) IsRequired() bool { return p.Required != nil && *p.Required }

// Field is one response field.
type Field struct {
	Name         string  `json:"name"`
	Type         string  `json:"type"` // string, int32, int64, bool, object, array
	Items        string  `json:"items"`
	JSONInString bool    `json:"json_in_string"`
	Description  string  `json:"description"`
	Note         string  `json:"note"`
	Fields       []Field `json:"fields"`
	InnerFields  []Field `json:"inner_fields"`
}

// Samples are the response bodies printed in the API reference.
type Samples struct {
	Request string `json:"request"`
	XML     string `json:"xml"`
	JSON    string `json:"json"`
}

var (
	once   sync.Once
	loaded *Catalogue
	index  map[string]*Action
)

// Load returns the embedded catalogue. It panics only if the embedded file is
// corrupt, which a test guards against.
func Load() *Catalogue {
	once.Do(func() {
		var c Catalogue
		if err := json.Unmarshal(raw, &c); err != nil {
			panic("catalog: embedded actions.json is invalid: " + err.Error())
		}
		sort.Slice(c.Actions, func(i, j int) bool { return c.Actions[i].Name < c.Actions[j].Name })
		index = make(map[string]*Action, len(c.Actions))
		for i := range c.Actions {
			index[c.Actions[i].Name] = &c.Actions[i]
		}
		loaded = &c
	})
	return loaded
}

// Lookup returns the Action called name, or nil.
func Lookup(name string) *Action {
	Load()
	return index[name]
}

// Groups returns the Action names by group, each list sorted.
func Groups() map[string][]string {
	out := map[string][]string{}
	for _, a := range Load().Actions {
		out[a.Group] = append(out[a.Group], a.Name)
	}
	return out
}

// Param returns the request parameter called name, or nil.
func (a *Action) Param(name string) *Param {
	for i := range a.Request {
		if a.Request[i].Name == name {
			return &a.Request[i]
		}
	}
	return nil
}
