// Package fakeserver runs the dyvmstest fake Dyvmsapi server for the
// command line: the flags, the fault injection flags and the banner that
// "dyvms fake" and "dyvms-fake" share.
package fakeserver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/dyvms/dyvms-go/cmd/internal/cliflag"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// Exit codes, as the dyvms command uses them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// config is the parsed command line.
type config struct {
	addr, keyID, secret string
	remote, flow        bool
	voiceReport         string
	callReport          string
	retry               string
	faults              faultList
}

// faultList collects repeated --fault flags.
type faultList []dyvmstest.Fault

// String implements flag.Value.
func (l *faultList) String() string { return "" }

// Set implements flag.Value.
func (l *faultList) Set(s string) error {
	f, err := ParseFault(s)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}

// Usage is the command line of the fake, after the program name.
const Usage = "[--addr 127.0.0.1:8080] [--fault SPEC ...] [--flow-control] [--voice-report-url URL] ..."

// Run serves the fake until ctx is done, printing its endpoint, keys and
// faults to stdout, and returns the exit code: 0 when stopped, 1 when it
// cannot listen, 2 for a bad command line (nothing served).
func Run(ctx context.Context, prog string, args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(prog, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	opts, err := cfg.options()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return exitFailure
	}
	srv := dyvmstest.NewServer(append(opts, dyvmstest.WithListener(ln))...)
	defer srv.Close()
	for _, f := range cfg.faults {
		srv.InjectFault(f)
	}
	banner(stdout, prog, srv, cfg.faults)
	<-ctx.Done()
	fmt.Fprintf(stdout, "%s: stopping\n", prog)
	return exitOK
}

// FlagNames returns the fake's flags as --name, for shell completion.
func FlagNames() []string {
	var out []string
	flagSet("", &config{}, io.Discard).VisitAll(func(f *flag.Flag) { out = append(out, "--"+f.Name) })
	return out
}

// parse reads the command line; errors are printed to stderr.
func parse(prog string, args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flagSet(prog, cfg, stderr)
	if err := cliflag.Parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return nil, err
	}
	return cfg, nil
}

// flagSet returns the fake's flags, bound to cfg.
func flagSet(prog string, cfg *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cliflag.SetUsage(fs, prog+" "+Usage)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on (loopback unless --allow-remote)")
	fs.StringVar(&cfg.keyID, "access-key-id", dyvmstest.DefaultAccessKeyID, "AccessKey ID the server accepts")
	fs.StringVar(&cfg.secret, "access-key-secret", dyvmstest.DefaultAccessKeySecret, "AccessKey secret the server accepts")
	fs.BoolVar(&cfg.remote, "allow-remote", false, "allow listening on a non-loopback address")
	fs.BoolVar(&cfg.flow, "flow-control", false, "enforce per-callee flow control (1 a minute, 5 an hour, 20 a day)")
	fs.StringVar(&cfg.voiceReport, "voice-report-url", "", "push VoiceReport receipts to this URL")
	fs.StringVar(&cfg.callReport, "voice-call-report-url", "", "push VoiceCallReport receipts to this URL")
	fs.StringVar(&cfg.retry, "retry", "", "receipt re-push delays, comma-separated (default 100ms,500ms,1s)")
	fs.Var(&cfg.faults, "fault", "inject a fault, repeatable: "+FaultSyntax)
	return fs
}

// options checks the address and builds the server's options.
func (cfg *config) options() ([]dyvmstest.Option, error) {
	host, _, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("bad --addr %q: %v", cfg.addr, err)
	}
	if ip := net.ParseIP(host); !cfg.remote && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--addr %q is not a loopback address; add --allow-remote to serve it", cfg.addr)
	}
	opts := []dyvmstest.Option{dyvmstest.WithAccessKey(cfg.keyID, cfg.secret)}
	if cfg.flow {
		opts = append(opts, dyvmstest.WithFlowControl())
	}
	if cfg.voiceReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, cfg.voiceReport))
	}
	if cfg.callReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceCallReport, cfg.callReport))
	}
	if cfg.retry != "" {
		var ds []time.Duration
		for _, f := range strings.Split(cfg.retry, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(f))
			if err != nil {
				return nil, fmt.Errorf("bad --retry: %v", err)
			}
			ds = append(ds, d)
		}
		opts = append(opts, dyvmstest.WithRetrySchedule(ds...))
	}
	return opts, nil
}

// banner prints where the fake serves, its keys and its faults.
func banner(w io.Writer, prog string, srv *dyvmstest.Server, faults []dyvmstest.Fault) {
	fmt.Fprintf(w, "%s: a fake Dyvmsapi 2017-05-25 serving %d Actions\n", prog, len(dyvmstest.Actions()))
	fmt.Fprintf(w, "URL:             %s\n", srv.URL)
	fmt.Fprintf(w, "AccessKeyId:     %s\n", srv.AccessKeyID)
	fmt.Fprintf(w, "AccessKeySecret: %s\n", srv.AccessKeySecret)
	for _, f := range faults {
		fmt.Fprintf(w, "Fault:           %s\n", describeFault(f))
	}
	fmt.Fprintf(w, "\nUse it from another shell with its test credentials:\n\n")
	fmt.Fprintf(w, "  export DYVMS_ENDPOINT=%s ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n\n",
		srv.URL, srv.AccessKeyID, srv.AccessKeySecret)
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}
