package main

// Overlay is internal/catalog/overlay.json: every decision a person made
// about the Go surface that the catalogue cannot say. The generator derives
// everything else from the catalogue.
type Overlay struct {
	// Initialisms are the words written in capitals in Go names ("Id"
	// becomes "ID").
	Initialisms []string `json:"initialisms"`
	// PlacesCall lists the Actions that place a call and take an OutId.
	PlacesCall []string `json:"places_call"`
	// ReadOnly and Mutating override the retry class derived from an
	// Action's name (Query, List, Get and Describe read; the rest mutate).
	ReadOnly []string `json:"read_only"`
	Mutating []string `json:"mutating"`
	// Groups holds each group file's introduction and the types that head
	// it.
	Groups map[string]*GroupOverlay `json:"groups"`
	// Types are named types by Go name: enums and structs.
	Types map[string]*TypeOverlay `json:"types"`
	// MethodSets are conversion methods shared by several struct types,
	// defined once here and named by a type's MethodSet.
	MethodSets map[string][]MethodOverlay `json:"method_sets"`
	// Actions are the per-Action decisions by Action name.
	Actions map[string]*ActionOverlay `json:"actions"`
}

// GroupOverlay is one group file.
type GroupOverlay struct {
	Doc   string   `json:"doc"`
	Types []string `json:"types"`
	// Order lists Actions in the order the file presents them; the
	// others follow by name.
	Order []string `json:"order"`
}

// TypeOverlay is a named type: an enum (Kind "enum": Base and Values), a
// struct (Kind "struct": Fields, Methods and MethodSet), an alias (Kind
// "alias": Base is the target) or constants of a type declared elsewhere
// (Kind "consts": Base is that type).
type TypeOverlay struct {
	Kind      string          `json:"kind"`
	MethodSet string          `json:"method_set,omitempty"`
	Doc       string          `json:"doc"`
	Base      string          `json:"base,omitempty"`
	BlockDoc  string          `json:"block_doc,omitempty"`
	Values    []EnumValue     `json:"values,omitempty"`
	Fields    []FieldOverlay  `json:"fields,omitempty"`
	Methods   []MethodOverlay `json:"methods,omitempty"`
}

// EnumValue is one constant of an enum; Value is a Go literal.
type EnumValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Doc   string `json:"doc"`
}

// MethodOverlay is a conversion method of a struct type, for example
// CreatedAt returning chinaDateTime(d.GmtCreate).
type MethodOverlay struct {
	Name  string `json:"name"`
	Recv  string `json:"recv"`
	Conv  string `json:"conv"`
	Field string `json:"field"`
	Doc   string `json:"doc"`
	// Returns is the result type; time.Time when empty.
	Returns string `json:"returns,omitempty"`
}

// FieldOverlay is one struct field. In a request, Wire is the parameter
// and Opts the tag options other than required (which the catalogue
// decides); in a response, Wire is the JSON key. In a named type, Tag is
// the whole struct tag. Embed names an embedded type instead.
type FieldOverlay struct {
	Wire  string `json:"wire,omitempty"`
	Go    string `json:"go,omitempty"`
	Type  string `json:"type,omitempty"`
	Opts  string `json:"opts,omitempty"`
	Tag   string `json:"tag,omitempty"`
	Doc   string `json:"doc,omitempty"`
	Embed string `json:"embed,omitempty"`
	// Required marks a key of a JSON document that must be set; the
	// type's MarshalJSON checks it, so the request fails before any I/O.
	Required bool `json:"required,omitempty"`
}

// StructOverlay is a request or response struct: its doc and its fields,
// in order. Fields the catalogue has and the overlay does not are derived
// and appended.
type StructOverlay struct {
	Doc    string         `json:"doc"`
	Fields []FieldOverlay `json:"fields"`
}

// Accessor is a method that decodes a JSON-in-string response field.
type Accessor struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Field string `json:"field"`
	Doc   string `json:"doc"`
	// Recv is the receiver type when the field is in a nested struct;
	// the response itself when empty.
	Recv string `json:"recv,omitempty"`
	// Record marks the one record a lookup returns: an empty field
	// (absent, "", null or {}) gives ErrNoRecord instead of a zero value.
	Record bool `json:"record,omitempty"`
}

// AllOverlay is a paged listing's XxxAll iterator. Page listings set
// PageField (a path such as Pager.PageIndex) and PageType (int32, int64,
// or *int64 for a pointer field, which each page copy gets afresh);
// offset listings set OffsetField and
// LimitField. Bind names an intermediate value (p := resp.Page, or
// items, err := resp.Tasks() when Err); Items, Total and Size are Go
// expressions over resp, r and that name.
type AllOverlay struct {
	Doc         string `json:"doc"`
	Item        string `json:"item"`
	PageField   string `json:"page_field,omitempty"`
	PageType    string `json:"page_type,omitempty"`
	OffsetField string `json:"offset_field,omitempty"`
	LimitField  string `json:"limit_field,omitempty"`
	// OffsetType is "string" when the offset and limit are sent as
	// strings; int64 otherwise.
	OffsetType  string `json:"offset_type,omitempty"`
	DefaultSize int    `json:"default_size,omitempty"`
	Bind        *Bind  `json:"bind,omitempty"`
	Items       string `json:"items"`
	Total       string `json:"total,omitempty"`
	Size        string `json:"size,omitempty"`
}

// Bind is an intermediate value of an iterator's page function.
type Bind struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	Err  bool   `json:"err"`
}

// ActionOverlay is what a person decided about one Action.
type ActionOverlay struct {
	Group string `json:"group,omitempty"`
	// Doc is the method's doc; derived from the catalogue when empty.
	Doc string `json:"doc,omitempty"`
	// Types are named types emitted before the request, TypesAfter
	// between the request and the response.
	Types      []string       `json:"types,omitempty"`
	TypesAfter []string       `json:"types_after_request,omitempty"`
	Request    *StructOverlay `json:"request,omitempty"`
	Response   *StructOverlay `json:"response,omitempty"`
	Accessors  []Accessor     `json:"accessors,omitempty"`
	All        *AllOverlay    `json:"all,omitempty"`
	// NoAll says a listing that looks paged has no iterator.
	NoAll bool `json:"no_all,omitempty"`
	// Names renames derived Go names: a wire path (Param, Field,
	// Data.List) to a Go field or type name.
	Names map[string]string `json:"names,omitempty"`
	// ParamTypes overrides the Go type derived for a parameter, by wire
	// name (a flat JSON object as map[string]string, say).
	ParamTypes map[string]string `json:"param_types,omitempty"`
}
