package dyvms

import (
	"strings"
)

// This file holds the hand-written code of the virtualnumber group: the accessor that reads Data as a list or as a JSON array.
// The rest of the group is generated into virtualnumber.go from the catalogue and
// its overlay (see CONTRIBUTING.md).

// FailedNumbers returns the real numbers that could not be associated,
// reading Data as a comma-separated list or as a JSON array of strings.
func (r *AddVirtualNumberRelationResponse) FailedNumbers() []string {
	s := strings.TrimSpace(r.Data)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "[") {
		var a []string
		if err := UnmarshalLenient([]byte(s), &a); err == nil {
			return a
		}
	}
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
