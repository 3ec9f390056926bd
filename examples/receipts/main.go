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
	addr, token := "127.0.0.1:0", ""
	if exampleenv.Offline() {
		token = randomToken()
	} else {
		addr, token = os.Getenv("DYVMS_EXAMPLE_LISTEN"), os.Getenv("DYVMS_EXAMPLE_RECEIPT_TOKEN")
		if addr == "" || len(token) < 16 {
			return errors.New("with ALIBABA_CLOUD_* credentials set this example serves receipts from the real service: " +
				"set DYVMS_EXAMPLE_LISTEN (the address to listen on, for example :8080) and " +
				"DYVMS_EXAMPLE_RECEIPT_TOKEN (a secret of at least 16 characters, the last segment of the push URLs)")
		}
	}

	// The receipt function gets each batch once (re-pushes are
	// de-duplicated). It must answer within the service's 700 ms: hand the
	// receipts on and return. Here they go to the printing loop below; an
	// error (ctx done) makes the service push the batch again.
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
	// One handler per message type, each at the URL the console has for it.
	voiceReports := dyvms.NewReceiptHandler(fn, dyvms.WithReceiptTypes(dyvms.ReceiptVoiceReport), dyvms.WithReceiptToken(token))
	callReports := dyvms.NewReceiptHandler(fn, dyvms.WithReceiptTypes(dyvms.ReceiptVoiceCallReport), dyvms.WithReceiptToken(token))
	mux := http.NewServeMux()
	mux.Handle("POST /dyvms/voice-report/", voiceReports)
	mux.Handle("POST /dyvms/voice-call-report/", callReports)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		voiceReports.Close()
		callReports.Close()
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		// Stop taking pushes, then let the handlers finish what they hold.
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-served
		_ = voiceReports.Shutdown(sctx)
		_ = callReports.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()

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

	// Offline: the fake pushes to the handlers after each call it places.
	voiceURL := base + "/dyvms/voice-report/" + token
	callURL := base + "/dyvms/voice-call-report/" + token
	env, err := exampleenv.Setup(out,
		dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, voiceURL),
		dyvmstest.WithReceiptURL(dyvmstest.VoiceCallReport, callURL),
	)
	if err != nil {
		return err
	}
	defer env.Close() // runs first: the fake stops pushing before the server stops
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

	// Print receipts until the call's final record is in and its
	// intermediate states have ended. The two types come in separate
	// pushes, in either order.
	timer := time.NewTimer(receiptWait)
	defer timer.Stop()
	var gotReport, gotEnd bool
	for !gotReport || !gotEnd {
		select {
		case rc := <-received:
			printReceipt(out, rc)
			if rc.CallID() != resp.CallID {
				continue
			}
			switch r := rc.Report().(type) {
			case *dyvms.VoiceReport:
				gotReport = true
			case *dyvms.VoiceCallReport:
				gotEnd = gotEnd || r.StatusCode == dyvms.StatusCallEnded
			}
		case <-timer.C:
			return fmt.Errorf("the receipts of call %s did not all arrive within %s", resp.CallID, receiptWait)
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
