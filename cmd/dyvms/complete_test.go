package main

import (
	"strings"
	"testing"
)

// TestCompletionScripts: each shell gets a script that asks dyvms
// __complete; an unknown shell is a usage error.
func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "complete -o default -F _dyvms dyvms",
		"zsh":  "compdef _dyvms dyvms",
		"fish": "complete -c dyvms -f -a '(__dyvms_complete)'",
	} {
		r := runCLI(t, nil, "", "completion", shell)
		r.want(t, exitOK)
		if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "dyvms __complete") {
			t.Errorf("%s script:\n%s", shell, r.stdout)
		}
	}
	runCLI(t, nil, "", "completion", "tcsh").want(t, exitUsage)
}

// TestCompleteCandidates: Actions, their parameters, allowed values,
// constant names and the command's flags and subcommands.
func TestCompleteCandidates(t *testing.T) {
	cases := []struct {
		words []string
		want  []string // each must be offered
		not   []string // none of these may be
	}{
		{[]string{"SingleCallBy"}, []string{"SingleCallByTts", "SingleCallByVoice"}, []string{"IvrCall", "help"}},
		{[]string{"conf"}, []string{"configure"}, []string{"__complete"}},
		{[]string{""}, []string{"help", "completion", "SingleCallByTts", "QueryCallDetailByCallId"}, []string{"__complete"}},
		{[]string{"SingleCallByTts", "--Cal"}, []string{"--CalledNumber", "--CalledShowNumber"}, []string{"--TtsCode"}},
		{[]string{"SingleCallByTts", "--cal"}, []string{"--CalledNumber"}, nil},
		{[]string{"SingleCallByTts", "--"}, []string{"--TtsCode", "--output", "--dry-run", "--query"}, nil},
		{[]string{"IvrCall", "--"}, []string{"--MenuKeyMap"}, nil},
		{[]string{"CreateCallTask", "--BizType", ""}, []string{"VMS_VOICE_TTS", "VMS_VOICE_CODE", "VMS_TTS", "CallTaskBizTTS"}, []string{"--TaskName"}},
		{[]string{"QueryCallDetailByCallId", "--prod-id", "Product"}, []string{"ProductVoiceTTS", "ProductIVR"}, []string{"11010000138001"}},
		{[]string{"ListCallTask", "-o", ""}, []string{"json", "table", "raw"}, nil},
		{[]string{"ListCallTask", "--all", "--"}, []string{"--PageSize"}, nil},
		{[]string{"ListCallTask", "--TaskName", ""}, nil, []string{"--PageSize"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"help", "IvrC"}, []string{"IvrCall"}, nil},
		{[]string{"receipts", ""}, []string{"listen"}, nil},
		{[]string{"receipts", "listen", "--"}, []string{"--addr", "--path", "--read-timeout", "--token", "--type"}, nil},
		{[]string{"configure", "list", "--"}, []string{"--profile", "--region", "--endpoint", "--output"}, []string{"--p", "--o"}},
		{[]string{"fake", "--f"}, []string{"--fault", "--flow-control"}, []string{"--addr"}},
		{[]string{"help", "fa"}, []string{"fake"}, nil},
	}
	for _, tc := range cases {
		r := runCLI(t, nil, "", append([]string{"__complete"}, tc.words...)...)
		r.want(t, exitOK)
		got := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			got[line] = true
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("%q: %q not offered; got %q", tc.words, w, r.stdout)
			}
		}
		for _, w := range tc.not {
			if got[w] {
				t.Errorf("%q: %q offered", tc.words, w)
			}
		}
	}
}

// TestEveryActionCompletes: every Action of the catalogue is offered,
// with its parameters (no list of Actions is written by hand).
func TestEveryActionCompletes(t *testing.T) {
	all := candidates(nil, "")
	offered := map[string]bool{}
	for _, c := range all {
		offered[c] = true
	}
	for _, name := range actionNames() {
		if !offered[name] {
			t.Errorf("%s is not offered", name)
		}
		act := lookupAction(name)
		flags := strings.Join(candidates([]string{name}, "--"), " ")
		for _, p := range act.Request {
			if !strings.Contains(flags+" ", "--"+p.Name+" ") {
				t.Errorf("%s: --%s is not offered", name, p.Name)
			}
		}
	}
}
