package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dyvms/dyvms-go/cmd/internal/fakeserver"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// Shell completion: each script calls the hidden dyvms __complete with the
// words typed so far (the last one being completed) and offers the lines
// it prints. The candidates come from the same catalogue and request
// types as the Actions themselves.

// completionScripts are the scripts of dyvms completion SHELL.
var completionScripts = map[string]string{
	"bash": `# bash completion for dyvms; load with: source <(dyvms completion bash)
_dyvms() {
    local IFS=$'\n'
    COMPREPLY=($(dyvms __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _dyvms dyvms
`,
	"zsh": `#compdef dyvms
# zsh completion for dyvms; load with: source <(dyvms completion zsh)
_dyvms() {
    local -a candidates
    candidates=(${(f)"$(dyvms __complete "${(@)words[2,CURRENT]}" 2>/dev/null)"})
    compadd -a candidates
}
compdef _dyvms dyvms
`,
	"fish": `# fish completion for dyvms; load with: dyvms completion fish | source
function __dyvms_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    dyvms __complete $words[2..-1] "$cur" 2>/dev/null
end
complete -c dyvms -f -a '(__dyvms_complete)'
`,
}

// completion prints the completion script of a shell.
func (c *cli) completion(args []string) int {
	if len(args) != 1 || completionScripts[args[0]] == "" {
		return c.usageError(fmt.Errorf("usage: dyvms completion bash|zsh|fish"))
	}
	fmt.Fprint(c.stdout, completionScripts[args[0]])
	return exitOK
}

// complete prints the candidates for the last of words, one a line.
func (c *cli) complete(words []string) int {
	if len(words) == 0 {
		words = []string{""}
	}
	for _, cand := range candidates(words[:len(words)-1], words[len(words)-1]) {
		fmt.Fprintln(c.stdout, cand)
	}
	return exitOK
}

// candidates returns the completions of cur after the words before it.
func candidates(before []string, cur string) []string {
	if len(before) == 0 {
		return withPrefix(append(append([]string(nil), subcommandNames...), actionNames()...), cur)
	}
	switch before[0] {
	case "completion":
		return withPrefix([]string{"bash", "zsh", "fish"}, cur)
	case "receipts", "configure":
		return subcommandCandidates(before, cur)
	case "fake":
		return withPrefix(fakeserver.FlagNames(), cur)
	case "help":
		return withPrefix(append(append([]string(nil), subcommandNames...), actionNames()...), cur)
	}
	act := lookupAction(before[0])
	if act == nil {
		return nil
	}
	if prev := before[len(before)-1]; len(before) > 1 && strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") {
		if vals, ok := valueCandidates(act, prev); ok {
			return withPrefix(vals, cur)
		}
	}
	if strings.HasPrefix(cur, "-") {
		return withPrefix(flagCandidates(act), cur)
	}
	return nil
}

// subcommandCandidates completes receipts listen and configure list: the
// verb, then its flags.
func subcommandCandidates(before []string, cur string) []string {
	verb := map[string]string{"receipts": "listen", "configure": "list"}[before[0]]
	if len(before) == 1 {
		return withPrefix([]string{verb}, cur)
	}
	if !strings.HasPrefix(cur, "-") {
		return nil
	}
	c := &cli{stderr: io.Discard}
	var fs *flag.FlagSet
	if before[0] == "receipts" {
		var s1, s2 string
		fs = c.listenFlags(&listenConfig{}, &s1, &s2)
	} else {
		var s1, s2, s3, s4 string
		fs = c.configureFlags(&s1, &s2, &s3, &s4)
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 {
			names = append(names, "--"+f.Name)
		}
	})
	return withPrefix(names, cur)
}

// valueCandidates returns the values that may follow flag: the output
// formats, or a parameter's allowed values and constant names. ok is
// false when flag is a switch (a new flag follows it).
func valueCandidates(act *catalog.Action, flag string) (vals []string, ok bool) {
	name := strings.TrimLeft(flag, "-")
	if f, own := lookupFlag(name, !strings.HasPrefix(flag, "--")); own {
		if f.name == "output" {
			return []string{"json", "table", "raw"}, true
		}
		return nil, f.arg != ""
	}
	m, typed := typedMethod(act.Name)
	if !typed {
		return nil, true
	}
	pc := &preparedCall{act: act, fields: fieldsOf(m.Type.In(2).Elem())}
	resolved, err := pc.resolve(name)
	if err != nil {
		return nil, true
	}
	vals = enumValues(act.Param(resolved))
	if f, ok := findField(pc.fields, resolved); ok {
		for _, nv := range namedValues[baseType(f.typ)] {
			vals = append(vals, nv.name)
		}
	}
	return vals, true
}

// flagCandidates returns act's parameters as --Name and the command's
// flags.
func flagCandidates(act *catalog.Action) []string {
	var out []string
	if m, ok := typedMethod(act.Name); ok {
		pc := &preparedCall{act: act, fields: fieldsOf(m.Type.In(2).Elem())}
		for _, n := range pc.paramNames() {
			out = append(out, "--"+n)
		}
	}
	for _, f := range actionFlags {
		out = append(out, "--"+f.name)
	}
	return out
}

// withPrefix returns the members of cands that start with prefix, then
// those that start with it ignoring case.
func withPrefix(cands []string, prefix string) []string {
	var out, loose []string
	for _, c := range cands {
		switch {
		case strings.HasPrefix(c, prefix):
			out = append(out, c)
		case strings.HasPrefix(strings.ToLower(c), strings.ToLower(prefix)):
			loose = append(loose, c)
		}
	}
	return append(out, loose...)
}
