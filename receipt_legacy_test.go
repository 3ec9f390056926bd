package dyvms

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"strconv"
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
		rep := newReport(t)
		if rep != nil {
			assign(reflect.ValueOf(rep).Elem(), objs[i], 0)
		}
		out[i] = Receipt{Type: t, Raw: raws[i], cell: &reportCell{}}
		out[i].cell.p.Store(&reportBox{rep})
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

// legacyDedupKey is DedupKey as it was computed before it read the key from
// Raw: from the decoded report's fields. Kept as the reference the new one
// is checked against (FuzzParseReceipts, TestDedupKeyMatchesReport).
func legacyDedupKey(r Receipt) ReceiptKey {
	var stack [256]byte
	buf := appendKeyBytes(stack[:0], []byte(r.Type))
	id := r.CallID()
	if id == "" {
		buf = append(buf, 'r')
		return sha256.Sum256(appendCompact(buf, r.Raw))
	}
	part := func(s string) { buf = appendKeyBytes(buf, []byte(s)) }
	buf = append(buf, 'i')
	part(id)
	switch v := r.Report().(type) {
	case *VoiceReport:
		part(string(v.StatusCode))
	case *VoiceCallReport:
		part(string(v.StatusCode))
		part(string(v.StatusTime))
		part(v.DTMF)
	case *VoiceRecordReport:
		part(string(v.StatusCode))
		part(v.RecordFile)
	case *VoiceRTASRReport:
		part(strconv.FormatInt(v.BeginOffset, 10))
		part(strconv.FormatInt(v.EndOffset, 10))
		part(v.Role)
	}
	return sha256.Sum256(buf)
}
