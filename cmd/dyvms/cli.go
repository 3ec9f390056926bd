package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// Exit codes.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the service answered an error, or the network failed
	exitUsage   = 2 // the command was wrong; nothing was sent
)

// Environment variables the command reads besides the SDK's own.
const (
	// envEndpoint is the default of --endpoint.
	envEndpoint = "DYVMS_ENDPOINT"
	// envRegion is the default of --region.
	envRegion = "DYVMS_REGION"
)

// run is the whole command: it parses args, does the work and returns the
// exit code. It stops early when interrupted (SIGINT, SIGTERM).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, stdin, stdout, stderr)
}

// env is the process environment the command consults; tests may replace
// it.
var env = os.Getenv

// cli is one run of the command.
type cli struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// runContext is run with a caller's context, so tests can stop the
// long-running subcommands (fake, receipts listen).
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return c.actionHelp(args[1])
		}
		c.usage(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintf(stdout, "dyvms %s (Dyvmsapi %s)\n", dyvms.SDKVersion, dyvms.APIVersion)
		return exitOK
	case "fake":
		return c.fake(args[1:])
	case "receipts":
		return c.receipts(args[1:])
	}
	inv, err := parseArgs(args)
	if err != nil {
		return c.usageError(err)
	}
	if inv.action == "" {
		if inv.help {
			c.usage(stdout)
			return exitOK
		}
		return c.usageError(errors.New("no Action given; see dyvms help"))
	}
	return c.runAction(inv)
}

// usageError prints err and a hint and returns exitUsage.
func (c *cli) usageError(err error) int {
	fmt.Fprintln(c.stderr, "dyvms:", err)
	return exitUsage
}

// usage prints the command's help and the Actions by group.
func (c *cli) usage(w io.Writer) {
	fmt.Fprint(w, `dyvms calls Alibaba Cloud Voice Messaging Service (Dyvmsapi 2017-05-25).

Usage:
  dyvms <Action> [--Param value ...] [flags]   call an Action
  dyvms <Action> --help                        the Action's parameters and an example
  dyvms help                                   this text
  dyvms fake [-addr 127.0.0.1:8080]            run a fake Dyvmsapi server
  dyvms receipts listen [--addr 127.0.0.1:8080] [--path /receipts]
                                               print receipts pushed to you

Flags:
  --output json|table|raw   json: pretty JSON (default); table: aligned columns;
                            raw: the response body exactly as the service sent it
  --all                     walk every page of a paged Action
  --callees-csv FILE        CreateCallTask: callee list from a CSV file ("-" for stdin)
  --profile NAME            credentials from this profile of ~/.aliyun/config.json
  --endpoint URL            service endpoint (default $DYVMS_ENDPOINT or `+dyvms.DefaultEndpoint+`)
  --region ID               RegionId (default $DYVMS_REGION or `+dyvms.DefaultRegion+`)

Credentials come from the SDK's default chain: ALIBABA_CLOUD_ACCESS_KEY_ID and
ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN), then the
aliyun CLI's configuration file.

Exit codes: 0 success, 1 service or network error, 2 usage error (nothing sent).

Actions:
`)
	groups := catalog.Groups()
	for _, g := range groupNames() {
		fmt.Fprintf(w, "  %s:\n", g)
		for _, a := range groups[g] {
			summary := ""
			if act := catalog.Lookup(a); act != nil {
				summary = firstSentence(act.Summary)
			}
			fmt.Fprintf(w, "    %-32s %s\n", a, summary)
		}
	}
}

// firstSentence returns s up to its first sentence end, at most 70 bytes.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) > 70 {
		cut := strings.LastIndexByte(s[:67], ' ')
		if cut < 40 {
			cut = 67
		}
		s = s[:cut] + "..."
	}
	return s
}

// invocation is a parsed Action command line.
type invocation struct {
	action     string
	output     string
	profile    string
	endpoint   string
	region     string
	calleesCSV string
	all        bool
	help       bool
	params     []paramArg
}

// paramArg is one --Param value pair, in command-line order.
type paramArg struct {
	name, value string
}

// valueFlags are the command's own flags that take a value.
var valueFlags = map[string]bool{"output": true, "o": true, "profile": true, "endpoint": true, "region": true, "callees-csv": true}

// parseArgs parses an Action command line: the Action name, the command's
// own (lower-case) flags anywhere, and the Action's parameters as
// --WireName value or --WireName=value.
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
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		name, value, hasValue := strings.Cut(name, "=")
		if name == "" {
			return nil, fmt.Errorf("bad flag %q", a)
		}
		switch {
		case name == "help" || name == "h":
			inv.help = true
			continue
		case name == "all":
			switch value {
			case "", "true":
				inv.all = true
			case "false":
				inv.all = false
			default:
				return nil, fmt.Errorf("--all takes no value (got %q)", value)
			}
			continue
		}
		isParam := name[0] >= 'A' && name[0] <= 'Z'
		if !isParam && !valueFlags[name] {
			return nil, fmt.Errorf("unknown flag %s; Action parameters start with a capital letter (see dyvms help)", a)
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if isParam {
			inv.params = append(inv.params, paramArg{name, value})
			continue
		}
		switch name {
		case "output", "o":
			inv.output = value
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
	switch inv.output {
	case "json", "table", "raw":
	default:
		return nil, fmt.Errorf("--output must be json, table or raw, not %q", inv.output)
	}
	return inv, nil
}

func (inv *invocation) positional(a string) error {
	if inv.action == "" {
		inv.action = a
		return nil
	}
	return fmt.Errorf("unexpected argument %q (parameters are given as --Name value)", a)
}

// clientType is the type whose methods are the typed Actions.
var clientType = reflect.TypeOf((*dyvms.Client)(nil))

// runAction runs one Action command line.
func (c *cli) runAction(inv *invocation) int {
	act := lookupAction(inv.action)
	if act == nil {
		msg := fmt.Sprintf("unknown Action %q", inv.action)
		if s := suggest(inv.action, actionNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return c.usageError(errors.New(msg + " (dyvms help lists them)"))
	}
	if inv.help {
		return c.actionHelp(act.Name)
	}
	call, err := prepare(act, inv, c.stdin, c.progressWriter())
	if err != nil {
		return c.usageError(err)
	}
	if err := call.validate(); err != nil {
		return c.report(err)
	}
	var capture *bodyCapture
	if inv.output == "raw" {
		capture = &bodyCapture{}
	}
	client, err := newClient(c.ctx, inv, capture)
	if errors.Is(err, dyvms.ErrNoCredentials) && !isUsage(err) {
		return c.report(err)
	}
	if err != nil {
		// NewClient fails only on configuration: a bad --endpoint or
		// --region, an unusable credentials profile.
		return c.usageError(errors.New(strings.TrimPrefix(err.Error(), "dyvms: ")))
	}
	if inv.all {
		items, err := call.all(c.ctx, client, c.progressWriter())
		if err != nil {
			return c.report(err)
		}
		return c.print(inv.output, items, capture)
	}
	resp, err := call.do(c.ctx, client)
	if err != nil {
		return c.report(err)
	}
	return c.print(inv.output, resp, capture)
}

// lookupAction finds an Action by its exact name, or else by a
// case-insensitive match.
func lookupAction(name string) *catalog.Action {
	if a := catalog.Lookup(name); a != nil {
		return a
	}
	for i, a := range catalog.Load().Actions {
		if strings.EqualFold(a.Name, name) {
			return &catalog.Load().Actions[i]
		}
	}
	return nil
}

// actionNames returns every Action name.
func actionNames() []string {
	var out []string
	for _, a := range catalog.Load().Actions {
		out = append(out, a.Name)
	}
	return out
}

// newClient builds the SDK client from the command's flags, the
// environment and the SDK's default credentials chain. A non-nil capture
// records response bodies for --output raw.
func newClient(ctx context.Context, inv *invocation, capture *bodyCapture) (*dyvms.Client, error) {
	opts := []dyvms.Option{dyvms.WithUserAgent("dyvms-cli/" + dyvms.SDKVersion)}
	endpoint := inv.endpoint
	if endpoint == "" {
		endpoint = env(envEndpoint)
	}
	if endpoint != "" {
		opts = append(opts, dyvms.WithEndpoint(endpoint))
	}
	region := inv.region
	if region == "" {
		region = env(envRegion)
	}
	if region != "" {
		opts = append(opts, dyvms.WithRegion(region))
	}
	credOpts, err := credentialOptions(ctx, inv.profile)
	if err != nil {
		return nil, err
	}
	opts = append(opts, credOpts...)
	if capture != nil {
		opts = append(opts, dyvms.WithHTTPClient(&http.Client{Transport: capture.wrap(http.DefaultTransport.(*http.Transport).Clone())}))
	}
	return dyvms.NewClient(opts...)
}

// report prints err to stderr and returns its exit code: exitUsage for a
// request the SDK rejected before sending it (a *dyvms.ValidationError) or
// missing credentials, exitFailure for anything else. Service errors show
// their Code, Message and RequestId; no secret is ever printed (the SDK's
// errors are already redacted).
func (c *cli) report(err error) int {
	var verr *dyvms.ValidationError
	var serr *dyvms.Error
	switch {
	case errors.As(err, &verr):
		fmt.Fprintf(c.stderr, "dyvms: %s: invalid parameter --%s: %s (nothing was sent)\n", verr.Action, verr.Field, verr.Reason)
		return exitUsage
	case errors.Is(err, dyvms.ErrNoCredentials):
		fmt.Fprintln(c.stderr, "dyvms: no credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with the aliyun CLI (--profile)")
		return exitUsage
	case errors.As(err, &serr):
		fmt.Fprintf(c.stderr, "dyvms: %s failed\n", serr.Action)
		w := newTabWriter(c.stderr)
		if serr.Code != "" {
			fmt.Fprintf(w, "Code:\t%s\n", serr.Code)
		}
		if serr.Message != "" {
			fmt.Fprintf(w, "Message:\t%s\n", serr.Message)
		}
		fmt.Fprintf(w, "RequestId:\t%s\n", serr.RequestID)
		fmt.Fprintf(w, "HTTPStatus:\t%d\n", serr.HTTPStatus)
		if serr.Recommend != "" {
			fmt.Fprintf(w, "Recommend:\t%s\n", serr.Recommend)
		}
		if serr.Body != "" {
			fmt.Fprintf(w, "Body:\t%q\n", serr.Body)
		}
		w.Flush()
		return exitFailure
	default:
		fmt.Fprintln(c.stderr, "dyvms:", strings.TrimPrefix(err.Error(), "dyvms: "))
		return exitFailure
	}
}

// progressWriter returns stderr when it is a terminal, else nil: progress
// lines are for people watching, not for logs.
func (c *cli) progressWriter() io.Writer {
	if isTerminal(c.stderr) {
		return c.stderr
	}
	return nil
}

// isTerminal reports whether w is a character device (a terminal), without
// a dependency on x/term.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// suggest returns the candidate closest to s, or "" when none is close.
func suggest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	ls := strings.ToLower(s)
	for _, cand := range candidates {
		d := editDistance(ls, strings.ToLower(cand))
		if d < bestD {
			best, bestD = cand, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
