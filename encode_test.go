package dyvms

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The map[string]string fast path writes exactly what encoding/json writes
// with HTML escaping off.
func TestMarshalStringMapMatchesEncodingJSON(t *testing.T) {
	maps := []map[string]string{
		{},
		{"code": "1234", "product": "阿里云"},
		{"q\"uote": "back\\slash", "ctl": "\x00\x01\x1f\n\r\t\b\f", "html": "<a href='x'>&amp;</a>"},
		{"bad-utf8": "\xff\xfe ok", "seps": "\u2028\u2029", "emoji": "📞☎️"},
		{"z": "1", "a": "2", "M": "3", "": "empty key"},
	}
	for _, m := range maps {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(m))
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		assert.Equal(t, string(want), marshalStringMap(m))
	}
}

func FuzzMarshalStringMap(f *testing.F) {
	f.Add("code", "1234")
	f.Add("k\"", "\xff\u2028<>&")
	f.Fuzz(func(t *testing.T, k, v string) {
		m := map[string]string{k: v, "fixed": v + k}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m); err != nil {
			t.Skip()
		}
		if got, want := marshalStringMap(m), string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); got != want {
			t.Fatalf("got %s want %s", got, want)
		}
	})
}

// No request sends a list of scalars (every list of the API is a list of
// structs, Name.N.Field), so the encoder refuses one instead of guessing a
// wire form.
func TestEncodeRefusesScalarList(t *testing.T) {
	type scalarListRequest struct {
		Numbers []string `dyvms:"Numbers"`
	}
	_, err := encodeRequest("X", &scalarListRequest{Numbers: []string{"1"}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unsupported field type []string")
}
