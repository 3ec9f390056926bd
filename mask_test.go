package dyvms

import "testing"

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"":               "",
		"123":            "****",
		"1234":           "****",
		"13900001234":    "*******1234",
		"+8613900001234": "**********1234",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskDigitRuns(t *testing.T) {
	for in, want := range map[string]string{
		"status 200000 for 13900001234": "status 200000 for *******1234",
		"no digits":                     "no digits",
		"a1234567b":                     "a***4567b",
		"13900001234":                   "*******1234",
	} {
		if got := maskDigitRuns(in); got != want {
			t.Errorf("maskDigitRuns(%q) = %q, want %q", in, got, want)
		}
	}
}
