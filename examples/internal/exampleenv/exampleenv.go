// Package exampleenv is what every program under examples/ starts with: a
// client for the real Dyvmsapi endpoint when ALIBABA_CLOUD_* credentials
// are set, or else the embedded fake (dyvmstest) and a client pointed at
// it, so that each example runs on a fresh machine without an account.
//
// Against the real endpoint an example never sends a made-up value: each
// number, template or ID it needs comes from a DYVMS_EXAMPLE_* environment
// variable, and the example refuses to run, saying which ones to set, until
// they are. Against the fake it uses the sample values.
package exampleenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// Env is what an example runs against.
type Env struct {
	// Client talks to the real endpoint or to Fake.
	Client *dyvms.Client
	// Fake is the embedded fake server, nil against the real endpoint.
	Fake *dyvmstest.Server

	missing []string
}

// Offline reports whether Setup will start the embedded fake: whether
// ALIBABA_CLOUD_ACCESS_KEY_ID or ALIBABA_CLOUD_ACCESS_KEY_SECRET is unset.
// An example that needs something running before the fake starts (a
// receipt handler for it to push to) asks this first.
func Offline() bool {
	_, ok := dyvms.EnvCredentials()
	return !ok
}

// Setup returns a client for the real endpoint when
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are set,
// and otherwise starts the embedded fake with opts and returns a client
// for it. It says on out which of the two it chose. Close the Env when done.
func Setup(out io.Writer, opts ...dyvmstest.Option) (*Env, error) {
	if !Offline() {
		client, err := dyvms.NewClient()
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "using the real Dyvmsapi endpoint %s with the credentials in %s\n",
			dyvms.DefaultEndpoint, dyvms.EnvAccessKeyID)
		return &Env{Client: client}, nil
	}
	fake := dyvmstest.NewServer(opts...)
	client, err := fake.Client()
	if err != nil {
		fake.Close()
		return nil, err
	}
	fmt.Fprintf(out, "no ALIBABA_CLOUD_* credentials: using the embedded fake Dyvmsapi at %s\n", fake.URL)
	return &Env{Client: client, Fake: fake}, nil
}

// Real reports whether the example talks to the real endpoint.
func (e *Env) Real() bool { return e.Fake == nil }

// Close stops the fake, if one was started, and waits for its goroutines
// (receipt pushers included) to return.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Var returns the value of the setting held in the environment variable
// name (a DYVMS_EXAMPLE_* name). Against the fake it returns sample, the
// value the example uses offline. Against the real endpoint it returns the
// variable's value; if that is unset, it remembers the setting, with help
// saying what it is, for Err to report.
func (e *Env) Var(name, sample, help string) string {
	if !e.Real() {
		return sample
	}
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		e.missing = append(e.missing, fmt.Sprintf("  %s: %s", name, help))
	}
	return v
}

// Optional is Var for a setting with a default: against the real endpoint
// an unset variable gives def rather than an error.
func (e *Env) Optional(name, sample, def string) string {
	if !e.Real() {
		return sample
	}
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

// Err reports the settings Var found unset, or nil. An example calls it
// after reading its settings and before sending anything.
func (e *Env) Err() error {
	if len(e.missing) == 0 {
		return nil
	}
	return errors.New("against the real endpoint this example needs these environment variables " +
		"(it never sends a made-up number or ID):\n" + strings.Join(e.missing, "\n") +
		"\nor unset the ALIBABA_CLOUD_* credentials to run it against the embedded fake")
}

// Mask hides all but the last 4 characters of a phone number, as the SDK
// does in everything it prints: "13900001234" becomes "*******1234".
func Mask(number string) string {
	if len(number) <= 4 {
		if number == "" {
			return ""
		}
		return "****"
	}
	return strings.Repeat("*", len(number)-4) + number[len(number)-4:]
}

// MaskList masks each number of a comma-separated list.
func MaskList(numbers string) string {
	parts := strings.Split(numbers, ",")
	for i, p := range parts {
		parts[i] = Mask(strings.TrimSpace(p))
	}
	return strings.Join(parts, ",")
}

// Secret shows only the length and first 4 characters of a token.
func Secret(token string) string {
	if len(token) <= 8 {
		return "***"
	}
	return fmt.Sprintf("%s*** (%d chars)", token[:4], len(token))
}

// Main runs an example's run function with a context that an interrupt
// (Ctrl+C) or SIGTERM cancels, writing to standard output; on failure it prints the
// error after the example's name and exits with status 1.
func Main(name string, run func(ctx context.Context, out io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
