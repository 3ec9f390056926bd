package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/cmd/internal/cliflag"
	"github.com/dyvms/dyvms-go/cmd/internal/fakeserver"
)

// newFlagSet returns a flag set in the command's flag style whose errors
// and help go to stderr and are returned, not exited on.
func (c *cli) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cliflag.SetUsage(fs, usage)
	return fs
}

// flagExit turns a flag parse error into an exit code: 0 for --help, else
// exitUsage (the flag package has printed the message).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// fake runs the fake Dyvmsapi server of package dyvmstest on a loopback
// address until interrupted, printing its endpoint and AccessKey pair (the
// fake's own, public test credentials); --fault injects its faults.
func (c *cli) fake(args []string) int {
	return fakeserver.Run(c.ctx, "dyvms fake", args, c.stdout, c.stderr)
}

// receiptsUsage is the command line of dyvms receipts listen.
const receiptsUsage = "dyvms receipts listen [--addr 127.0.0.1:8080] [--path /] [--type VoiceReport] [--token T] [--read-timeout 10s]"

// listenConfig is the parsed command line of receipts listen.
type listenConfig struct {
	addr, path  string
	readTimeout time.Duration
	opts        []dyvms.ReceiptHandlerOption
}

// receipts runs the receipts subcommands: listen.
func (c *cli) receipts(args []string) int {
	if len(args) == 0 || args[0] != "listen" {
		return c.usageError(errors.New("usage: " + receiptsUsage))
	}
	cfg, code := c.parseListen(args[1:])
	if cfg == nil {
		return code
	}
	h := dyvms.NewReceiptHandler(c.receiptPrinter(), cfg.opts...)
	mux := http.NewServeMux()
	mux.Handle(cfg.path, h)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms receipts listen:", err)
		return exitFailure
	}
	srv := newReceiptServer(mux, cfg.readTimeout)
	fmt.Fprintf(c.stderr, "dyvms: listening for receipts at http://%s%s (one JSON line each on stdout); Ctrl+C stops\n", ln.Addr(), cfg.path)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err = <-done:
	case <-c.ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdownCtx)
		h.Shutdown(shutdownCtx)
		<-done
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(c.stderr, "dyvms receipts listen:", err)
		return exitFailure
	}
	return exitOK
}

// newReceiptServer returns the receipts server: every request must be
// read in full within readTimeout, so a push that stalls mid-body cannot
// hold a connection and its goroutine.
func newReceiptServer(h http.Handler, readTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(readTimeout, 5*time.Second),
		ReadTimeout:       readTimeout,
		WriteTimeout:      readTimeout + 5*time.Second,
		IdleTimeout:       time.Minute,
	}
}

// parseListen parses the flags of receipts listen; on failure it returns
// nil and the exit code.
func (c *cli) parseListen(args []string) (*listenConfig, int) {
	cfg := &listenConfig{}
	var types, token string
	fs := c.listenFlags(cfg, &types, &token)
	if err := cliflag.Parse(fs, args); err != nil {
		return nil, flagExit(err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, c.usageError(fmt.Errorf("receipts listen: unexpected argument %q", fs.Arg(0)))
	case !strings.HasPrefix(cfg.path, "/"):
		return nil, c.usageError(fmt.Errorf("receipts listen: --path must start with /"))
	case cfg.readTimeout <= 0:
		return nil, c.usageError(fmt.Errorf("receipts listen: --read-timeout must be positive"))
	}
	if types != "" {
		var ts []dyvms.ReceiptType
		for _, t := range strings.Split(types, ",") {
			rt := dyvms.ReceiptType(strings.TrimSpace(t))
			if !rt.Valid() {
				return nil, c.usageError(fmt.Errorf("receipts listen: unknown --type %q", t))
			}
			ts = append(ts, rt)
		}
		cfg.opts = append(cfg.opts, dyvms.WithReceiptTypes(ts...))
	}
	if token != "" {
		cfg.opts = append(cfg.opts, dyvms.WithReceiptToken(token))
	}
	return cfg, exitOK
}

// listenFlags returns the flags of receipts listen, bound to cfg, types
// and token.
func (c *cli) listenFlags(cfg *listenConfig, types, token *string) *flag.FlagSet {
	fs := c.newFlagSet("dyvms receipts listen", receiptsUsage)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on (the service must reach it: use a public address or a tunnel)")
	fs.StringVar(&cfg.path, "path", "/", "URL path the receipts are pushed to")
	fs.StringVar(types, "type", "", "message type(s) pushed to this URL, comma-separated: VoiceReport, VoiceCallReport, VoiceRecordReport, VoiceRTASRReport (default: inferred)")
	fs.StringVar(token, "token", "", "accept only pushes whose URL carries this token (?token= or last path segment)")
	fs.DurationVar(&cfg.readTimeout, "read-timeout", 10*time.Second, "drop a push whose request is not read in full within this time")
	return fs
}

// receiptPrinter returns the receipt function of receipts listen: one
// JSON line per receipt on stdout.
func (c *cli) receiptPrinter() func(context.Context, []dyvms.Receipt) error {
	var mu sync.Mutex
	return func(_ context.Context, receipts []dyvms.Receipt) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range receipts {
			line, err := json.Marshal(struct {
				Type    dyvms.ReceiptType `json:"type"`
				Receipt json.RawMessage   `json:"receipt"`
			}{r.Type, r.Raw})
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(c.stdout, "%s\n", line); err != nil {
				return err
			}
		}
		return nil
	}
}
