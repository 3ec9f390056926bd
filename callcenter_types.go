package dyvms

import (
	"fmt"
	"strings"
)

// This file holds the hand-written code of the callcenter group that the generator does not express: the wire form of CallTaskData.
// The rest of the group is generated into callcenter.go from the catalogue and
// its overlay (see CONTRIBUTING.md).

// MarshalJSON writes the wire form of d. It rejects a callee without a
// number or whose Params do not match ParamNames one to one; CreateCallTask
// then fails with a *ValidationError for Data and sends nothing. Nil slices
// are written as [] rather than null.
func (d CallTaskData) MarshalJSON() ([]byte, error) {
	type callee struct {
		Callee string   `json:"callee"`
		Params []string `json:"params"`
	}
	type wire struct {
		ParamNames []string `json:"paramNames"`
		CalleeList []callee `json:"calleeList"`
	}
	w := wire{ParamNames: d.ParamNames, CalleeList: make([]callee, len(d.CalleeList))}
	if w.ParamNames == nil {
		w.ParamNames = []string{}
	}
	for i, c := range d.CalleeList {
		if strings.TrimSpace(c.Callee) == "" {
			return nil, fmt.Errorf("calleeList[%d] has no callee number", i)
		}
		if len(c.Params) != len(d.ParamNames) {
			return nil, fmt.Errorf("calleeList[%d] (%s) has %d params for %d paramNames", i, c.Callee, len(c.Params), len(d.ParamNames))
		}
		w.CalleeList[i] = callee(c)
		if w.CalleeList[i].Params == nil {
			w.CalleeList[i].Params = []string{}
		}
	}
	s, err := marshalJSON(w) // no HTML escaping, like every json parameter
	return []byte(s), err
}
