package dyvms

import (
	"errors"
	"strings"
)

// ErrNoRecord is returned by the Detail method of a record lookup
// (QueryCallDetailByCallId, QueryCallDetailByTaskId) when the service
// found no record: it answers success with an empty Data for a call it
// does not know, or does not know yet (records appear some minutes after
// the call ends). Test for it with errors.Is.
var ErrNoRecord = errors.New("dyvms: no record found")

// decodeRecord is decodeInner for the one record a lookup returns: an
// empty Data (absent, "", null or {}) is ErrNoRecord, not a zero record.
func decodeRecord[T any](action, field, raw string) (T, error) {
	switch strings.Join(strings.Fields(raw), "") {
	case "", "null", "{}":
		var zero T
		return zero, errorf("%s: %s: %w", action, field, ErrNoRecord)
	}
	return decodeInner[T](action, field, raw)
}
