package main

import (
	"fmt"
	"strings"
)

// cliFlag is one of the command's own flags for Action calls. The table
// below is the one source of the parser, the help and shell completion.
type cliFlag struct {
	name  string // long name, written --name
	short string // one-letter alias, written -x; "" for none
	arg   string // the value's placeholder; "" for a switch
	help  string
}

// actionFlags are the command's own flags on an Action command line.
var actionFlags = []cliFlag{
	{"output", "o", "FORMAT", "json (default): pretty JSON; table: aligned columns; raw: the body exactly as the service sent it"},
	{"query", "q", "PATH", "print only this part of the output: a dotted path such as Data.Records[0].CallId or Data.Records[].CallId"},
	{"all", "", "", "walk every page of a paged Action and print the items as one list"},
	{"dry-run", "", "", "validate and print the request that would be sent (secrets redacted); send nothing"},
	{"debug", "", "", "print each attempt to stderr: the request (redacted), HTTP status, RequestId, timing"},
	{"callees-csv", "", "FILE", `CreateCallTask: the callee list from a CSV file ("-" for stdin)`},
	{"profile", "p", "NAME", "use this profile of ~/.aliyun/config.json (credentials and region_id)"},
	{"region", "", "ID", "RegionId (default: $DYVMS_REGION, $ALIBABA_CLOUD_REGION_ID, the profile's region_id, cn-hangzhou)"},
	{"endpoint", "", "URL", "service endpoint (default: $DYVMS_ENDPOINT, https://dyvmsapi.aliyuncs.com)"},
	{"help", "h", "", "the Action's parameters, with types, ranges, allowed values and an example"},
}

// lookupFlag returns the command's flag written name (a long name after
// "--", or a one-letter alias after "-").
func lookupFlag(name string, short bool) (cliFlag, bool) {
	for _, f := range actionFlags {
		if (!short && f.name == name) || (short && f.short != "" && f.short == name) {
			return f, true
		}
	}
	return cliFlag{}, false
}

// invocation is a parsed Action command line.
type invocation struct {
	action     string
	output     string
	query      string
	profile    string
	endpoint   string
	region     string
	calleesCSV string
	all        bool
	help       bool
	dryRun     bool
	debug      bool
	// params are the flags that are not the command's own, in order:
	// the Action's parameters, resolved against the Action later.
	params []paramArg
}

// paramArg is one --Param value pair, in command-line order.
type paramArg struct {
	name, value string
}

// parseArgs parses an Action command line: the Action name, the
// command's own flags anywhere (--name value, --name=value, -x value),
// and every other --Name value pair as an Action parameter.
func parseArgs(args []string) (*invocation, error) {
	inv := &invocation{output: "json"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			for _, rest := range args[i+1:] {
				if err := inv.positional(rest); err != nil {
					return nil, err
				}
			}
			break
		}
		if len(a) < 2 || a[0] != '-' {
			if err := inv.positional(a); err != nil {
				return nil, err
			}
			continue
		}
		next, err := inv.flag(a, args[i+1:])
		if err != nil {
			return nil, err
		}
		i += next
	}
	return inv, inv.check()
}

// flag parses the flag a, taking its value from rest when needed, and
// returns how many of rest it used.
func (inv *invocation) flag(a string, rest []string) (int, error) {
	long := strings.HasPrefix(a, "--")
	name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
	if name == "" {
		return 0, fmt.Errorf("bad flag %q", a)
	}
	f, own := lookupFlag(name, !long)
	if !long && !own {
		if _, isLong := lookupFlag(name, false); isLong || len(name) > 1 {
			return 0, fmt.Errorf("flag %s: write it --%s (long flags and parameters take two dashes; -o, -q, -p and -h are the short forms)", a, name)
		}
		return 0, fmt.Errorf("unknown flag %s (see dyvms help)", a)
	}
	if !own && name == strings.ToLower(name) {
		// --dryrun, --callees_csv: a misspelt flag of the command, not a
		// parameter (parameters start with a capital letter).
		for _, f := range actionFlags {
			if normalName(f.name) == normalName(name) {
				return 0, fmt.Errorf("unknown flag %s; did you mean --%s?", a, f.name)
			}
		}
	}
	if own && f.arg == "" {
		return 0, inv.setSwitch(f.name, value, hasValue)
	}
	used := 0
	if !hasValue {
		if len(rest) == 0 {
			return 0, fmt.Errorf("flag --%s needs a value", name)
		}
		value, used = rest[0], 1
	}
	if !own {
		inv.params = append(inv.params, paramArg{name, value})
		return used, nil
	}
	inv.setValueFlag(f.name, value)
	return used, nil
}

// setSwitch sets a switch flag; an explicit =true or =false is allowed.
func (inv *invocation) setSwitch(name, value string, hasValue bool) error {
	on := true
	if hasValue {
		switch value {
		case "true":
		case "false":
			on = false
		default:
			return fmt.Errorf("--%s takes no value (got %q)", name, value)
		}
	}
	switch name {
	case "all":
		inv.all = on
	case "dry-run":
		inv.dryRun = on
	case "debug":
		inv.debug = on
	case "help":
		inv.help = on
	}
	return nil
}

// setValueFlag sets one of the command's flags that take a value.
func (inv *invocation) setValueFlag(name, value string) {
	switch name {
	case "output":
		inv.output = value
	case "query":
		inv.query = value
	case "profile":
		inv.profile = value
	case "endpoint":
		inv.endpoint = value
	case "region":
		inv.region = value
	case "callees-csv":
		inv.calleesCSV = value
	}
}

// check checks the flags' values that need no Action to be checked.
func (inv *invocation) check() error {
	switch inv.output {
	case "json", "table", "raw":
	default:
		return fmt.Errorf("--output must be json, table or raw, not %q", inv.output)
	}
	if inv.query != "" {
		if inv.output == "raw" {
			return fmt.Errorf("--query picks from the decoded response; it does not apply to --output raw")
		}
		if _, err := parseQuery(inv.query); err != nil {
			return err
		}
	}
	return nil
}

// positional takes a word that is not a flag: the Action name, once.
func (inv *invocation) positional(a string) error {
	if inv.action == "" {
		inv.action = a
		return nil
	}
	return fmt.Errorf("unexpected argument %q (parameters are given as --Name value)", a)
}
