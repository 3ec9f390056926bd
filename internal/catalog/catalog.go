// Package catalog holds the project's own copy of the Dyvmsapi 2017-05-25 API
// catalogue (version 2, all 184 Actions): every Action, its exact wire parameter names, types, required
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
	Product string `json:"product"`
	Version string `json:"version"`
	// CatalogueVersion is the version of the catalogue format (2 since the
	// catalogue lists every Action).
	CatalogueVersion int    `json:"catalogue_version"`
	Endpoint         string `json:"endpoint"`
	Style            string `json:"style"`
	// Sources says where the catalogue's facts come from.
	Sources json.RawMessage `json:"sources"`
	// Conventions explains the catalogue's keys, one sentence per key.
	Conventions map[string]string `json:"conventions"`
	Actions     []Action          `json:"actions"`
	// ReceiptMessageTypes documents the receipt (callback) message types.
	ReceiptMessageTypes json.RawMessage `json:"receipt_message_types"`
	// AddedInVersion2 lists, for reference, the Actions version 2 added.
	AddedInVersion2 json.RawMessage `json:"out_of_scope_newer_sdk_actions"`
	// NotActions lists names that look like Actions but are not Dyvmsapi's.
	NotActions json.RawMessage `json:"not_actions_in_seed"`
}

// Action is one API operation.
type Action struct {
	Name    string `json:"name"`
	Group   string `json:"group"`
	Summary string `json:"summary"`
	QPS     QPS    `json:"qps"`
	// SuccessCode is the value of Code that means success; nil where no
	// source documents it. Load fills it from SuccessCodeFact.
	SuccessCode *string `json:"-"`
	// SuccessCodeFact is the catalogue's success_code entry: the value and
	// where it comes from.
	SuccessCodeFact SuccessCode `json:"success_code"`
	Note            string      `json:"note"`
	// HTTPMethod is the method the official SDKs use (POST for all).
	HTTPMethod     string `json:"http_method"`
	HTTPMethodNote string `json:"http_method_note"`
	// ParamPosition is where the Action's own parameters go: "query",
	// "body" or "mixed" (then each Param has a Position). Empty for the
	// Actions of catalogue version 1, which send them in the query.
	ParamPosition string `json:"param_position"`
	// InSeed, SeedSection and SeedCoverage say whether and where the API
	// reference document describes the Action.
	InSeed       bool    `json:"in_seed"`
	SeedSection  *string `json:"seed_section"`
	SeedCoverage string  `json:"seed_coverage"`
	// InLegacySDK and InNewerSDK ("current" or "removed") record which
	// official SDKs ship the Action.
	InLegacySDK bool              `json:"in_legacy_sdk"`
	InNewerSDK  string            `json:"in_newer_sdk"`
	TypeSources map[string]string `json:"type_sources"`
	Request     []Param           `json:"request"`
	Response    []Field           `json:"response"`
	Samples     Samples           `json:"samples"`
	Errors      json.RawMessage   `json:"errors"`
}

// SuccessCode is the value of Code that means success, with where that
// fact comes from. Value is nil where no source documents it.
type SuccessCode struct {
	Value  *string `json:"value"`
	Source *string `json:"source"`
	Note   string  `json:"note"`
}

// UnmarshalJSON accepts the object form and, for older copies of the
// catalogue, a bare string or null.
func (s *SuccessCode) UnmarshalJSON(b []byte) error {
	var v *string
	if err := json.Unmarshal(b, &v); err == nil {
		*s = SuccessCode{Value: v}
		return nil
	}
	type plain SuccessCode
	return json.Unmarshal(b, (*plain)(s))
}

// String returns the success code, or "" where none is documented.
func (s SuccessCode) String() string {
	if s.Value == nil {
		return ""
	}
	return *s.Value
}

// QPS is the documented per-user and per-API rate limit (calls per second);
// nil where no source gives one.
type QPS struct {
	User   *int    `json:"user"`
	API    *int    `json:"api"`
	Source *string `json:"source"`
	Note   string  `json:"note"`
}

// Param is one request parameter.
type Param struct {
	Name         string `json:"name"`
	Type         string `json:"type"` // string, int32, int64, float, bool, json-string, list
	Required     *bool  `json:"required"`
	RequiredWhen string `json:"required_when"`
	// Position is "query" or "body" when the Action's ParamPosition is
	// "mixed"; empty otherwise.
	Position     string            `json:"position"`
	Example      json.RawMessage   `json:"example"`
	Enum         []json.RawMessage `json:"enum"`
	EnumMeanings map[string]string `json:"enum_meanings"`
	Range        string            `json:"range"`
	WireFormat   string            `json:"wire_format"`
	Description  string            `json:"description"`
	Note         string            `json:"note"`
	Sources      []string          `json:"sources"`
	ItemFields   []Param           `json:"item_fields"`
	// InnerSchema is the shape of the JSON document a json-string
	// parameter carries (catalogue version 2 entries).
	InnerSchema *Schema `json:"inner_schema"`
}

// IsRequired reports whether the catalogue marks the parameter required.
func (p Param) IsRequired() bool { return p.Required != nil && *p.Required }

// Schema is the shape of a JSON document sent in a json-string parameter.
// Type is "object", "array" or "object or array" (then Variants lists the
// accepted shapes); for an array, Items is the element type and, when
// Items is "object", Fields describe one element.
type Schema struct {
	Type     string        `json:"type"`
	Items    string        `json:"items"`
	Fields   []SchemaField `json:"fields"`
	Variants []Schema      `json:"variants"`
	// Mode names a variant ("basic", "advanced").
	Mode string `json:"mode"`
	Note string `json:"note"`
}

// SchemaField is one key of a JSON document sent in a json-string parameter.
// Type is string, int64, int32, float, bool, object or array; an object
// has Fields, an array has Items (and Fields when Items is "object").
type SchemaField struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"`
	Items        string            `json:"items"`
	Required     *bool             `json:"required"`
	RequiredWhen string            `json:"required_when"`
	Description  string            `json:"description"`
	Example      json.RawMessage   `json:"example"`
	Enum         []json.RawMessage `json:"enum"`
	EnumMeanings map[string]string `json:"enum_meanings"`
	Range        string            `json:"range"`
	Note         string            `json:"note"`
	Fields       []SchemaField     `json:"fields"`
	// InnerSchema is set where the key's value is itself a string holding
	// JSON.
	InnerSchema *Schema `json:"inner_schema"`
}

// IsRequired reports whether the catalogue marks the key required.
func (f SchemaField) IsRequired() bool { return f.Required != nil && *f.Required }

// Field is one response field.
type Field struct {
	Name         string `json:"name"`
	Type         string `json:"type"` // string, int32, int64, float, bool, object, array
	Items        string `json:"items"`
	JSONInString bool   `json:"json_in_string"`
	// InnerType is "object" or "array" for a JSON-in-string field of a
	// catalogue version 2 entry; for an array, InnerFields describe one
	// element.
	InnerType   string            `json:"inner_type"`
	Enum        []json.RawMessage `json:"enum"`
	Description string            `json:"description"`
	Note        string            `json:"note"`
	Fields      []Field           `json:"fields"`
	InnerFields []Field           `json:"inner_fields"`
}

// Samples are the response bodies printed in the API reference (or, for
// catalogue version 2 entries, assembled from the SDK's examples).
type Samples struct {
	Request  string `json:"request"`
	XML      string `json:"xml"`
	JSON     string `json:"json"`
	Repaired bool   `json:"repaired"`
	Notes    string `json:"notes"`
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
			c.Actions[i].SuccessCode = c.Actions[i].SuccessCodeFact.Value
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

// ResponseField returns the top-level response field called name, or nil.
func (a *Action) ResponseField(name string) *Field {
	for i := range a.Response {
		if a.Response[i].Name == name {
			return &a.Response[i]
		}
	}
	return nil
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
