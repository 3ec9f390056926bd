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
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// newFlagSet returns a flag set whose errors and help go to stderr and are
// returned, not exited on.
func (c *cli) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// flagExit turns a flag parse error into an exit code: 0 for -help, else
// exitUsage (the flag package has printed the message).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// fake runs the fake Dyvmsapi server of package dyvmstest on a loopback
// address until interrupted, printing its endpoint and AccessKey pair (the
// fake's own, public test credentials).
func (c *cli) fake(args []string) int {
	fs := c.newFlagSet("dyvms fake")
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	flow := fs.Bool("flow-control", false, "enforce per-callee flow control (1 a minute, 5 an hour, 20 a day)")
	voiceReport := fs.String("voice-report-url", "", "push VoiceReport receipts to this URL")
	callReport := fs.String("voice-call-report-url", "", "push VoiceCallReport receipts to this URL")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return c.usageError(fmt.Errorf("fake: unexpected argument %q", fs.Arg(0)))
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return c.usageError(fmt.Errorf("fake: bad -addr %q: %v", *addr, err))
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return c.usageError(fmt.Errorf("fake: -addr %q is not a loopback address", *addr))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms fake:", err)
		return exitFailure
	}
	opts := []dyvmstest.Option{dyvmstest.WithListener(ln)}
	if *flow {
		opts = append(opts, dyvmstest.WithFlowControl())
	}
	if *voiceReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, *voiceReport))
	}
	if *callReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceCallReport, *callReport))
	}
	srv := dyvmstest.NewServer(opts...)
	defer srv.Close()
	fmt.Fprintf(c.stdout, "dyvms fake: a fake Dyvmsapi %s serving %d Actions at %s\n", dyvms.APIVersion, len(dyvmstest.Actions()), srv.URL)
	fmt.Fprintf(c.stdout, "Use it from another shell with its test credentials:\n\n")
	fmt.Fprintf(c.stdout, "  export %s=%s %s=%s %s=%s\n\n", envEndpoint, srv.URL,
		dyvms.EnvAccessKeyID, srv.AccessKeyID, dyvms.EnvAccessKeySecret, srv.AccessKeySecret)
	fmt.Fprintln(c.stdout, "Press Ctrl+C to stop.")
	<-c.ctx.Done()
	fmt.Fprintln(c.stdout, "dyvms fake: stopping")
	return exitOK
}

// receipts runs the receipts subcommands: listen.
func (c *cli) receipts(args []string) int {
	if len(args) == 0 || args[0] != "listen" {
		return c.usageError(errors.New("usage: dyvms receipts listen [--addr 127.0.0.1:8080] [--path /] [--type VoiceReport] [--token T]"))
	}
	fs := c.newFlagSet("dyvms receipts listen")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (the service must reach it: use a public address or a tunnel)")
	path := fs.String("path", "/", "URL path the receipts are pushed to")
	types := fs.String("type", "", "message type(s) pushed to this URL, comma-separated: VoiceReport, VoiceCallReport, VoiceRecordReport, VoiceRTASRReport (default: inferred)")
	token := fs.String("token", "", "accept only pushes whose URL carries this token (?token= or last path segment)")
	if err := fs.Parse(args[1:]); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return c.usageError(fmt.Errorf("receipts listen: unexpected argument %q", fs.Arg(0)))
	}
	if !strings.HasPrefix(*path, "/") {
		return c.usageError(fmt.Errorf("receipts listen: --path must start with /"))
	}
	var opts []dyvms.ReceiptHandlerOption
	if *types != "" {
		var ts []dyvms.ReceiptType
		for _, t := range strings.Split(*types, ",") {
			rt := dyvms.ReceiptType(strings.TrimSpace(t))
			if !rt.Valid() {
				return c.usageError(fmt.Errorf("receipts listen: unknown --type %q", t))
			}
			ts = append(ts, rt)
		}
		opts = append(opts, dyvms.WithReceiptTypes(ts...))
	}
	if *token != "" {
		opts = append(opts, dyvms.WithReceiptToken(*token))
	}
	var mu sync.Mutex
	print := func(_ context.Context, receipts []dyvms.Receipt) error {
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
	h := dyvms.NewReceiptHandler(print, opts...)
	mux := http.NewServeMux()
	mux.Handle(*path, h)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(c.stderr, "dyvms receipts listen:", err)
		return exitFailure
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(c.stderr, "dyvms: listening for receipts at http://%s%s (one JSON line each on stdout); Ctrl+C stops\n", ln.Addr(), *path)
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
