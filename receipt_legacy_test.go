package dyvms

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// The receipt decoder before the typed one: the body parsed into a generic
// tree, then assigned. Kept in the tests as the reference the new decoder
// is checked against (FuzzParseReceipts) and the baseline of
// BenchmarkParseReceipts.

func legacyParseReceipts(body []byte, types ...ReceiptType) ([]Receipt, error) {
	raws, objs, err := legacySplitBatch(body)
	if err != nil {
		return nil, err
	}
	out := make([]Receipt, len(raws))
	for i := range raws {
		t := ReceiptUnknown
		if len(types) == 1 && types[0].Valid() {
			t = types[0]
		} else {
			t = legacyDetectType(objs[i], types)
		}
		rc := Receipt{Type: t, Raw: raws[i]}
		if rep := newReport(t); rep != nil {
			assign(reflect.ValueOf(rep).Elem(), objs[i], 0)
			rc.report = rep
		}
		out[i] = rc
	}
	return out, nil
}

func legacyDetectType(m map[string]any, candidates []ReceiptType) ReceiptType {
	for _, t := range knownReceiptTypes {
		if len(candidates) > 0 && !containsType(candidates, t) {
			continue
		}
		for _, k := range typeMarkers[t] {
			if _, ok := m[k]; ok {
				return t
			}
		}
	}
	return ReceiptUnknown
}

func legacySplitBatch(body []byte) ([]json.RawMessage, []map[string]any, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, nil, malformed("empty body")
	}
	var raws []json.RawMessage
	switch b[0] {
	case '[':
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, nil, malformed("not a JSON array: %v", err)
		}
	case '{':
		raws = []json.RawMessage{json.RawMessage(b)}
	default:
		return nil, nil, malformed("not a JSON array")
	}
	objs := make([]map[string]any, len(raws))
	for i, raw := range raws {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '{' {
			return nil, nil, malformed("element %d is not a JSON object", i)
		}
		m, err := parseJSONObject(raw)
		if err != nil {
			return nil, nil, malformed("element %d: %v", i, err)
		}
		raws[i] = raw
		objs[i] = m
	}
	return raws, objs, nil
}
