package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedFileIsCurrent fails when cmd/dyvms/constants_gen.go is not
// what the generator writes for today's package dyvms: run go generate in
// cmd/dyvms.
func TestGeneratedFileIsCurrent(t *testing.T) {
	want, err := generate("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../constants_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("cmd/dyvms/constants_gen.go is stale: run go generate ./cmd/dyvms")
	}
	for _, s := range []string{`{"ProductVoiceTTS", dyvms.ProductVoiceTTS}`, "reflect.TypeOf(dyvms.CallProductID(0))", "reflect.TypeOf(dyvms.CallTaskBizType(\"\"))"} {
		if !strings.Contains(string(want), s) {
			t.Errorf("generated file lacks %s", s)
		}
	}
}
