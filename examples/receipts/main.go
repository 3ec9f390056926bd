// Command receipts receives call receipts (回执) with dyvms.NewReceiptHandler:
// the intermediate states of a call (VoiceCallReport) and its final record
// (VoiceReport), each type at its own URL, as the console configures them.
//
//	go run ./examples/receipts
//
// Without ALIBABA_CLOUD_* credentials it is an end-to-end run on loopback:
// it serves the handlers, starts the embedded fake Dyvmsapi set to push
// receipts to them, places a call on the fake and prints each receipt as it
// arrives, until the call's VoiceReport is in.
//
// With credentials it only serves the handlers, on DYVMS_EXAMPLE_LISTEN
// (for example ":8080", behind your HTTPS front end), protected by the
// secret DYVMS_EXAMPLE_RECEIPT_TOKEN, and prints receipts until interrupted.
// Configure https://<your host>/dyvms/voice-report/<token> and
// .../voice-call-report/<token> as the push URLs in the console.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

// receiptWait bounds the wait for the receipts of the call placed offline.
const receiptWait = 5 * time.Second

func main() { exampleenv.Main("receipts", run) }

func run(ctx context.Context, out io.Writer) error {
	addr, token, err := listenConfig()
	if err != nil {
		return err
	}
	// The receipt function gets each batch once (re-pushes are
	// de-duplicated). It must answer within the service's 700 ms: hand the
	// receipts on and return. Here they go to the printing loop; an error
	// (ctx done) makes the service push the batch again.
	received := make(chan dyvms.Receipt, 16)
	fn := func(ctx context.Context, receipts []dyvms.Receipt) error {
		for _, rc := range receipts {
			select {
			case received <- rc:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
	ln, stop, err := serveReceipts(addr, token, fn)
	if err != nil {
		return err
	}
	defer stop()

	if !exampleenv.Offline() {
		fmt.Fprintf(out, "serving receipts on %s at /dyvms/voice-report/<token> and /dyvms/voice-call-report/<token>; Ctrl+C to stop\n", ln.Addr())
		for {
			select {
			case rc := <-received:
				printReceipt(out, rc)
			case <-ctx.Done():
				return nil
			}
		}
	}
	return callOffline(ctx, out, "http://"+ln.Addr().String(), token, received)
}

// listenConfig returns the address to listen on and the push URLs' token:
// a free loopback port and a random token offline, the DYVMS_EXAMPLE_*
// settings against the real service.
func listenConfig() (addr, token string, err error) {
	if exampleenv.Offline() {
		return "127.0.0.1:0", randomToken(), nil
	}
	addr, token = os.Getenv("DYVMS_EXAMPLE_LISTEN"), os.Getenv("DYVMS_EXAMPLE_RECEIPT_TOKEN")
	if addr == "" || len(token) < 16 {
		return "", "", errors.New("with ALIBABA_CLOUD_* credentials set this example serves receipts from the real service: " +
			"set DYVMS_EXAMPLE_LISTEN (the address to listen on, for example :8080) and " +
			"DYVMS_EXAMPLE_RECEIPT_TOKEN (a secret of at least 16 characters, the last segment of the push URLs)")
	}
	return addr, token, nil
}

// serveReceipts serves one receipt handler per message type on addr, each
// at the URL the console has for it, and returns the listener and a
// function that stops the server and then the handlers.
func serveReceipts(addr, token string, fn func(context.Context, []dyvms.Receipt) error) (net.Listener, func(), error) {
	voiceReports := dyvms.NewReceiptHandler(fn, dyvms.WithReceiptTypes(dyvms.ReceiptVoiceReport), dyvms.WithReceiptToken(token))
	callReports := dyvms.NewReceiptHandler(fn, dyvms.WithReceiptTypes(dyvms.ReceiptVoiceCallReport), dyvms.WithReceiptToken(token))
	mux := http.NewServeMux()
	mux.Handle("POST /dyvms/voice-report/", voiceReports)
	mux.Handle("POST /dyvms/voice-call-report/", callReports)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		voiceReports.Close()
		callReports.Close()
		return nil, nil, err
	}
	// A push must arrive within the service's 700 ms: bound the headers and
	// the whole request, so a stalled sender cannot hold a connection.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stop := func() {
		// Stop taking pushes, then let the handlers finish what they hold.
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-served
		_ = voiceReports.Shutdown(sctx)
		_ = callReports.Shutdown(sctx)
	}
	return ln, stop, nil
}

// callOffline places a call on the fake, which pushes its receipts to the
// handlers at base, and prints them.
func callOffline(ctx context.Context, out io.Writer, base, token string, received <-chan dyvms.Receipt) error {
	voiceURL := base + "/dyvms/voice-report/" + token
	callURL := base + "/dyvms/voice-call-report/" + token
	env, err := exampleenv.Setup(out,
		dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, voiceURL),
		dyvmstest.WithReceiptURL(dyvmstest.VoiceCallReport, callURL),
	)
	if err != nil {
		return err
	}
	defer env.Close() // runs before the server stops: the fake stops pushing first
	fmt.Fprintf(out, "receipt handlers at %s/dyvms/voice-report/<token> and /dyvms/voice-call-report/<token>\n", base)

	resp, err := env.Client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234",
		TtsCode:      "TTS_100000",
		TtsParam:     map[string]string{"code": "1234"},
		OutID:        "order-42",
	})
	if err != nil {
		return fmt.Errorf("SingleCallByTts: %w", err)
	}
	fmt.Fprintf(out, "call placed: CallId %s\n", resp.CallID)
	return awaitCallReceipts(ctx, out, received, resp.CallID)
}

// awaitCallReceipts prints receipts until the final record of call callID
// is in and its intermediate states have ended. The two types come in
// separate pushes, in either order.
func awaitCallReceipts(ctx context.Context, out io.Writer, received <-chan dyvms.Receipt, callID string) error {
	timer := time.NewTimer(receiptWait)
	defer timer.Stop()
	var gotReport, gotEnd bool
	for !gotReport || !gotEnd {
		select {
		case rc := <-received:
			printReceipt(out, rc)
			if rc.CallID() != callID {
				continue
			}
			switch r := rc.Report().(type) {
			case *dyvms.VoiceReport:
				gotReport = true
			case *dyvms.VoiceCallReport:
				gotEnd = gotEnd || r.StatusCode == dyvms.StatusCallEnded
			}
		case <-timer.C:
			return fmt.Errorf("the receipts of call %s did not all arrive within %s", callID, receiptWait)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// printReceipt prints one receipt, phone numbers masked.
func printReceipt(out io.Writer, rc dyvms.Receipt) {
	switch r := rc.Report().(type) {
	case *dyvms.VoiceCallReport:
		fmt.Fprintf(out, "VoiceCallReport  CallId %s  %s  %s (%s)\n",
			r.CallID, r.StatusTime, r.StatusCode, r.StatusCode.Meaning())
	case *dyvms.VoiceReport:
		fmt.Fprintf(out, "VoiceReport      CallId %s  OutId %s  %s (%s)  callee %s  rang %s, answered %s, ended %s, talked %s, hung up by %s\n",
			r.CallID, r.OutID, r.StatusCode, r.StatusCode.Meaning(), exampleenv.Mask(r.Callee),
			r.RingTime, r.StartTime, r.EndTime, r.TalkDuration(), r.HangupDirection)
	default:
		fmt.Fprintf(out, "%s CallId %s\n", rc.Type, rc.CallID())
	}
}

// randomToken returns a fresh secret for the push URLs.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
