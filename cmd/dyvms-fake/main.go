// Command dyvms-fake runs the dyvmstest fake Dyvmsapi server, so that
// clients in any language can be tried offline without an Alibaba Cloud
// account:
//
//	go run ./cmd/dyvms-fake -addr 127.0.0.1:8080
//
// It prints the endpoint URL and the AccessKey pair to use, then serves
// until interrupted (SIGINT or SIGTERM). It listens only on loopback unless
// -allow-remote is given.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dyvms/dyvms-go/dyvmstest"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	if err := run(os.Args[1:], os.Stdout, stop); err != nil {
		fmt.Fprintln(os.Stderr, "dyvms-fake:", err)
		os.Exit(2)
	}
}

// run serves until stop receives, printing the URL and keys to out.
func run(args []string, out io.Writer, stop <-chan os.Signal) error {
	fs := flag.NewFlagSet("dyvms-fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	keyID := fs.String("access-key-id", dyvmstest.DefaultAccessKeyID, "AccessKey ID the server accepts")
	secret := fs.String("access-key-secret", dyvmstest.DefaultAccessKeySecret, "AccessKey secret the server accepts")
	remote := fs.Bool("allow-remote", false, "allow listening on a non-loopback address")
	flow := fs.Bool("flow-control", false, "enforce per-callee flow control (1/min, 5/h, 20/24h)")
	voiceReport := fs.String("voice-report-url", "", "push VoiceReport receipts to this URL")
	callReport := fs.String("voice-call-report-url", "", "push VoiceCallReport receipts to this URL")
	retry := fs.String("retry", "", "receipt re-push delays, comma-separated (default 100ms,500ms,1s)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("bad -addr %q: %v", *addr, err)
	}
	if ip := net.ParseIP(host); !*remote && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q is not a loopback address; add -allow-remote to serve it", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []dyvmstest.Option{dyvmstest.WithListener(ln), dyvmstest.WithAccessKey(*keyID, *secret)}
	if *flow {
		opts = append(opts, dyvmstest.WithFlowControl())
	}
	if *voiceReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, *voiceReport))
	}
	if *callReport != "" {
		opts = append(opts, dyvmstest.WithReceiptURL(dyvmstest.VoiceCallReport, *callReport))
	}
	if *retry != "" {
		var ds []time.Duration
		for _, f := range strings.Split(*retry, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(f))
			if err != nil {
				ln.Close()
				return fmt.Errorf("bad -retry: %v", err)
			}
			ds = append(ds, d)
		}
		opts = append(opts, dyvmstest.WithRetrySchedule(ds...))
	}
	srv := dyvmstest.NewServer(opts...)
	defer srv.Close()

	fmt.Fprintf(out, "dyvms-fake: fake Dyvmsapi 2017-05-25 serving %d Actions\n", len(dyvmstest.Actions()))
	fmt.Fprintf(out, "URL:             %s\n", srv.URL)
	fmt.Fprintf(out, "AccessKeyId:     %s\n", srv.AccessKeyID)
	fmt.Fprintf(out, "AccessKeySecret: %s\n", srv.AccessKeySecret)
	fmt.Fprintf(out, "\nexport ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", srv.AccessKeyID, srv.AccessKeySecret)
	fmt.Fprintln(out, "Press Ctrl+C to stop.")
	<-stop
	fmt.Fprintln(out, "dyvms-fake: stopping")
	return nil
}
