package exampleenv

import (
	"bytes"
	"strings"
	"testing"

	dyvms "github.com/dyvms/dyvms-go"
)

func TestSetupFake(t *testing.T) {
	t.Setenv(dyvms.EnvAccessKeyID, "")
	t.Setenv(dyvms.EnvAccessKeySecret, "")
	t.Setenv("DYVMS_EXAMPLE_TO", "13900009999")
	if !Offline() {
		t.Fatal("Offline() = false without credentials")
	}
	var out bytes.Buffer
	env, err := Setup(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if env.Real() || env.Fake == nil {
		t.Fatal("no fake without credentials")
	}
	if want := "no ALIBABA_CLOUD_* credentials: using the embedded fake Dyvmsapi at " + env.Fake.URL + "\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	// Offline, the sample is used whatever the environment says.
	if got := env.Var("DYVMS_EXAMPLE_TO", "13900001234", "number"); got != "13900001234" {
		t.Errorf("Var = %q, want the sample", got)
	}
	if got := env.Optional("DYVMS_EXAMPLE_X", "s", "d"); got != "s" {
		t.Errorf("Optional = %q, want the sample", got)
	}
	if err := env.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}
}

// With credentials, an unset setting stops the example before it sends
// anything; a set one is used.
func TestSetupRealNeedsSettings(t *testing.T) {
	t.Setenv(dyvms.EnvAccessKeyID, "LTAIexample")
	t.Setenv(dyvms.EnvAccessKeySecret, "secret")
	t.Setenv("DYVMS_EXAMPLE_TO", "")
	t.Setenv("DYVMS_EXAMPLE_TTS_CODE", "TTS_42")
	t.Setenv("DYVMS_EXAMPLE_OPT", "")
	var out bytes.Buffer
	env, err := Setup(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if !env.Real() || Offline() {
		t.Fatal("not real with credentials")
	}
	if !strings.Contains(out.String(), "using the real Dyvmsapi endpoint https://dyvmsapi.aliyuncs.com") {
		t.Errorf("printed %q", out.String())
	}
	if got := env.Var("DYVMS_EXAMPLE_TO", "13900001234", "the number to call"); got != "" {
		t.Errorf("Var = %q, want \"\" (never the sample)", got)
	}
	if got := env.Var("DYVMS_EXAMPLE_TTS_CODE", "TTS_100000", "a template"); got != "TTS_42" {
		t.Errorf("Var = %q, want TTS_42", got)
	}
	if got := env.Optional("DYVMS_EXAMPLE_OPT", "sample", "default"); got != "default" {
		t.Errorf("Optional = %q, want default", got)
	}
	err = env.Err()
	if err == nil || !strings.Contains(err.Error(), "DYVMS_EXAMPLE_TO: the number to call") || strings.Contains(err.Error(), "TTS_CODE") {
		t.Errorf("Err = %v", err)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "123": "****", "13900001234": "*******1234", "4001112222": "******2222",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MaskList("13900001234, 13900005678"); got != "*******1234,*******5678" {
		t.Errorf("MaskList = %q", got)
	}
	if got := Secret("abcdefghijkl"); got != "abcd*** (12 chars)" {
		t.Errorf("Secret = %q", got)
	}
	if got := Secret("abc"); got != "***" {
		t.Errorf("Secret = %q", got)
	}
}
