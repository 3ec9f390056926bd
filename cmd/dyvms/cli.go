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

// subcommandNames are the command's visible words besides Action names,
// sorted; subcommand dispatches them (and the hidden __complete).
var subcommandNames = []string{"completion", "configure", "fake", "help", "receipts", "version"}

// subcommand returns the function that runs the subcommand name.
func (c *cli) subcommand(name string) (func(args []string) int, bool) {
	switch name {
	case "help":
		return c.help, true
	case "version":
		return c.version, true
	case "fake":
		return c.fake, true
	case "receipts":
		return c.receipts, true
	case "configure":
		return c.configure, true
	case "completion":
		return c.completion, true
	case "__complete":
		return c.complete, true
	}
	return nil, false
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
	case "-h", "--help":
		return c.help(args[1:])
	case "--version":
		return c.version(nil)
	}
	if sub, ok := c.subcommand(args[0]); ok {
		return sub(args[1:])
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

// help prints the command's help, or a subcommand's or an Action's.
func (c *cli) help(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "fake":
			return c.fake([]string{"--help"})
		case "receipts":
			return c.receipts([]string{"listen", "--help"})
		case "configure":
			return c.configure([]string{"list", "--help"})
		}
		return c.actionHelp(args[0])
	}
	c.usage(c.stdout)
	return exitOK
}

// version prints the command's and the API's versions.
func (c *cli) version([]string) int {
	fmt.Fprintf(c.stdout, "dyvms %s (Dyvmsapi %s)\n", dyvms.SDKVersion, dyvms.APIVersion)
	return exitOK
}

// usageError prints err, one "dyvms: " line per problem, and returns
// exitUsage.
func (c *cli) usageError(err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(c.stderr, "dyvms:", strings.TrimPrefix(line, "dyvms: "))
	}
	return exitUsage
}

// clientType is the type whose methods are the typed Actions.
var clientType = reflect.TypeOf((*dyvms.Client)(nil))

// runAction runs one Action command line.
func (c *cli) runAction(inv *invocation) int {
	act := lookupAction(inv.action)
	if act == nil {
		return c.usageError(unknownAction(inv.action))
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
	set, err := resolveSettings(inv.profile, inv.region, inv.endpoint)
	if err != nil {
		return c.usageError(err)
	}
	if inv.dryRun {
		return c.dryRun(inv, set, call)
	}
	var capture *bodyCapture
	var opts []dyvms.Option
	if inv.output == "raw" {
		capture = &bodyCapture{}
		opts = append(opts, dyvms.WithHTTPClient(&http.Client{Transport: capture.wrap(http.DefaultTransport.(*http.Transport).Clone())}))
	}
	if inv.debug {
		opts = append(opts, debugOptions(c.stderr)...)
	}
	client, code := c.newClient(set.clientOptions, opts...)
	if client == nil {
		return code
	}
	return c.send(inv, act, call, client, capture)
}

// send makes the call (every page with --all) and prints the result.
func (c *cli) send(inv *invocation, act *catalog.Action, call *preparedCall, client *dyvms.Client, capture *bodyCapture) int {
	if inv.all {
		items, err := call.all(c.ctx, client, c.progressWriter())
		if err != nil {
			return c.report(err)
		}
		return c.print(inv, act, items, capture)
	}
	resp, err := call.do(c.ctx, client)
	if err != nil {
		return c.report(err)
	}
	return c.print(inv, act, resp, capture)
}

// newClient builds the SDK client of the options base gives (a settings'
// clientOptions or dryRunOptions) and extra ones; on failure
// it has printed why and returns nil and the exit code.
func (c *cli) newClient(base func(context.Context) ([]dyvms.Option, error), extra ...dyvms.Option) (*dyvms.Client, int) {
	opts, err := base(c.ctx)
	if err != nil {
		return nil, c.usageError(err)
	}
	client, err := dyvms.NewClient(append(opts, extra...)...)
	if errors.Is(err, dyvms.ErrNoCredentials) && !isUsage(err) {
		return nil, c.report(err)
	}
	if err != nil {
		// NewClient fails only on configuration: a bad --endpoint or
		// --region, an unusable credentials profile.
		return nil, c.usageError(errors.New(strings.TrimPrefix(err.Error(), "dyvms: ")))
	}
	return client, exitOK
}

// outIDAtSend is what a dry run shows for the OutId the SDK generates
// when the command line gives none: each send generates a new one.
const outIDAtSend = "<generated by the SDK at send time>"

// dryRun validates the call and prints the request it would send, with
// the signature, token and secret redacted, sending nothing.
func (c *cli) dryRun(inv *invocation, set *settings, call *preparedCall) int {
	d := &dryRun{}
	client, code := c.newClient(set.dryRunOptions, dyvms.WithMiddleware(d.middleware), dyvms.WithMaxAttempts(1))
	if client == nil {
		return code
	}
	call.do(c.ctx, client) //nolint:errcheck // the dry-run middleware fails every request on purpose
	req, err := d.result()
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms: --dry-run:", err)
		return exitFailure
	}
	if _, ok := req.Parameters["OutId"]; ok && !call.outIDGiven {
		// The SDK made this one for the dry run; a real run gets another.
		req.Parameters["OutId"] = outIDAtSend
	}
	if code := c.printTree(inv, toTree(req)); code != exitOK {
		return code
	}
	fmt.Fprintln(c.stderr, "dyvms: dry run: the request is valid; nothing was sent")
	return exitOK
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

// unknownAction is the error for an Action name the catalogue lacks.
func unknownAction(name string) error {
	msg := fmt.Sprintf("unknown Action %q", name)
	if s := suggest(name, actionNames()); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	return errors.New(msg + " (dyvms help lists them)")
}

// actionNames returns every Action name, from the catalogue.
func actionNames() []string {
	var out []string
	for _, a := range catalog.Load().Actions {
		out = append(out, a.Name)
	}
	return out
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
