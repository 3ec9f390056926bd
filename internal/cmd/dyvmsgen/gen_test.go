package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed group files and action table are exactly what the
// generator writes from the catalogue and the overlay.
func TestCommittedFilesAreGenerated(t *testing.T) {
	dir := t.TempDir()
	if err := run("../../catalog/overlay.json", dir); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(groups)+1 {
		t.Errorf("%d files generated, want %d", len(entries), len(groups)+1)
	}
	for _, e := range entries {
		got, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		want, err := os.ReadFile(filepath.Join("../../..", e.Name()))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: run go generate ./...", e.Name())
		}
		if !bytes.HasPrefix(got, []byte(header)) {
			t.Errorf("%s lacks the generated-code header", e.Name())
		}
	}
}

func TestNames(t *testing.T) {
	g := newGenerator(nil, &Overlay{Initialisms: []string{"ID", "URL"}})
	for in, want := range map[string]string{
		"CallId": "CallID", "sip_cause": "SipCause", "Idle_count": "IdleCount", "RecordFileUrl": "RecordFileURL",
		"PageNo": "PageNo", "unLink": "UnLink", "Identity": "Identity",
	} {
		if got := g.goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"ClinkListCdrObs": "ClinkListCdrOb", "TaskTelList": "TaskTel", "Strategies": "Strategy",
		"AgentStatus": "AgentStatus", "Address": "Address", "Analysis": "Analysis",
	} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRanges(t *testing.T) {
	cases := []struct {
		r, typ, lo, hi string
		bytes          int
	}{
		{"1~100", "int64", "1", "100", 0},
		{"3600~86400 seconds", "int64", "3600", "86400", 0},
		{"3~10 digits", "string", "", "", 0},
		{"1~1000", "string", "", "", 0},
		{"at most 250 bytes", "string", "", "", 250},
		{"at most 20 characters", "string", "", "", 0},
	}
	for _, c := range cases {
		lo, hi, b := parseRange(c.r, c.typ)
		if lo != c.lo || hi != c.hi || b != c.bytes {
			t.Errorf("parseRange(%q, %s) = %q %q %d", c.r, c.typ, lo, hi, b)
		}
	}
	if inRange([]byte(`67`), "3600", "86400") || !inRange(nil, "1", "2") || !inRange([]byte(`"5"`), "1", "10") {
		t.Error("inRange")
	}
}

// A number parameter of a call-placing Action without the phone option is
// an error of the overlay, not silently generated.
func TestCallNumbersNeedPhone(t *testing.T) {
	if err := checkPhoneFields([]FieldOverlay{{Wire: "CalledNumber", Opts: "required,phone"}, {Wire: "CallerNumber", Opts: "phone"}, {Wire: "VoiceCode"}}); err != nil {
		t.Errorf("phone fields refused: %v", err)
	}
	err := checkPhoneFields([]FieldOverlay{{Wire: "CalledShowNumber", Opts: "maxbytes=20"}})
	if err == nil || !strings.Contains(err.Error(), "CalledShowNumber") {
		t.Errorf("missing phone option: err = %v", err)
	}
}
