// Command dyvms-fake runs the dyvmstest fake Dyvmsapi server, so that
// clients in any language can be tried offline without an Alibaba Cloud
// account:
//
//	go run ./cmd/dyvms-fake --addr 127.0.0.1:8080
//	go run ./cmd/dyvms-fake --fault SingleCallByTts=throttle:2
//
// It prints the endpoint URL and the AccessKey pair to use, then serves
// until interrupted (SIGINT or SIGTERM). It listens only on loopback unless
// --allow-remote is given. --fault injects the fake's faults (throttling,
// 5xx, latency, a connection closed after the request was read, malformed
// or truncated bodies, an HTML page, business errors), per Action; --help
// lists the syntax. It is the same server as "dyvms fake".
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dyvms/dyvms-go/cmd/internal/fakeserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run serves until ctx is done and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return fakeserver.Run(ctx, "dyvms-fake", args, stdout, stderr)
}
