// Command voice-code places a voice verification code call, prints its
// CallId, looks up the call's record, and prints the VoiceReport receipt the
// service pushes once the call has ended.
//
//	go run ./examples/voice-code
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi (package dyvmstest), which pushes the receipt to a
// dyvms.NewReceiptHandler this program serves on loopback, as the real
// service pushes it to the callback URL configured in the console.
//
// With ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET set
// it places a real call, so it also needs DYVMS_EXAMPLE_TO (the number to
// call) and DYVMS_EXAMPLE_TTS_CODE (an approved verification-code template
// with a ${code} variable), and refuses to run without them. The receipt
// then goes to your console-configured URL; see examples/receipts.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

// receiptWait bounds the wait for the receipt.
const receiptWait = 5 * time.Second

func main() { exampleenv.Main("voice-code", run) }

func run(ctx context.Context, out io.Writer) error {
	// Offline, serve a receipt handler first, so the fake knows where to
	// push. A real service pushes to the URL set in the console instead.
	var fakeOpts []dyvmstest.Option
	var reports <-chan *dyvms.VoiceReport
	var receiptURL string
	if exampleenv.Offline() {
		url, ch, stop, err := serveReceipts()
		if err != nil {
			return err
		}
		defer stop()
		reports, receiptURL = ch, url
		fakeOpts = append(fakeOpts, dyvmstest.WithReceiptURL(dyvmstest.VoiceReport, url))
	}

	env, err := exampleenv.Setup(out, fakeOpts...)
	if err != nil {
		return err
	}
	defer env.Close() // runs before stop: the fake stops pushing first
	if receiptURL != "" {
		fmt.Fprintf(out, "receipt handler listening at %s\n", receiptURL)
	}
	to := env.Var("DYVMS_EXAMPLE_TO", "13900001234", "the mobile number to call")
	ttsCode := env.Var("DYVMS_EXAMPLE_TTS_CODE", "TTS_100000", "an approved verification-code TTS template with a ${code} variable")
	showNumber := env.Optional("DYVMS_EXAMPLE_SHOW_NUMBER", "", "") // empty in shared (public) mode
	if err := env.Err(); err != nil {
		return err
	}

	// 1. Place the call.
	resp, placed, err := placeCall(ctx, out, env.Client, to, showNumber, ttsCode)
	if err != nil {
		return err
	}
	// 2. Look up the call's record.
	if err := printDetail(ctx, out, env.Client, resp.CallID, placed); err != nil {
		return err
	}
	// 3. Receive the receipt.
	return awaitReport(ctx, out, reports)
}

// placeCall sends a random verification code to the number to and returns
// the answer and when the call was placed.
func placeCall(ctx context.Context, out io.Writer, client *dyvms.Client, to, showNumber, ttsCode string) (*dyvms.SingleCallByTtsResponse, time.Time, error) {
	code, err := randomCode()
	if err != nil {
		return nil, time.Time{}, err
	}
	placed := time.Now()
	outID := fmt.Sprintf("vc%d", placed.Unix()) // your reference, at most 15 bytes; receipts carry it back
	resp, err := client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
		CalledNumber:     to,
		CalledShowNumber: showNumber,
		TtsCode:          ttsCode,
		TtsParam:         map[string]string{"code": code},
		PlayTimes:        2,
		OutID:            outID,
	})
	if err != nil {
		// A call-placing Action is never resent blindly: the call may have
		// been placed. Reconcile by OutID first.
		return nil, time.Time{}, fmt.Errorf("SingleCallByTts: %w", err)
	}
	fmt.Fprintf(out, "call placed: CallId %s (code %s to %s, OutId %s, RequestId %s)\n",
		resp.CallID, code, exampleenv.Mask(to), outID, resp.RequestID)
	return resp, placed, nil
}

// printDetail looks up and prints the record of the call callID.
func printDetail(ctx context.Context, out io.Writer, client *dyvms.Client, callID string, placed time.Time) error {
	detail, err := client.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{
		CallID:    callID,
		ProdID:    dyvms.ProductVoiceTTS,
		QueryDate: placed,
	})
	if err != nil {
		return fmt.Errorf("QueryCallDetailByCallId: %w", err)
	}
	d, err := detail.Detail()
	switch {
	case err != nil:
		fmt.Fprintf(out, "call detail: undecodable record (%v): %s\n", err, detail.Data)
	case d.State == "":
		fmt.Fprintln(out, "call detail: no record yet; the service has it once the call has ended")
	default:
		fmt.Fprintf(out, "call detail: state %s (%s), callee %s, talked %ds, %s to %s\n",
			d.State, d.StateDesc, exampleenv.Mask(d.Callee), d.Duration, d.GmtCreate, d.EndDate)
	}
	return nil
}

// awaitReport prints the VoiceReport receipt received on reports (nil when
// the real service pushes it to the console-configured URL instead).
func awaitReport(ctx context.Context, out io.Writer, reports <-chan *dyvms.VoiceReport) error {
	if reports == nil {
		fmt.Fprintln(out, "receipt: the service pushes the VoiceReport to the callback URL configured in the console; see examples/receipts")
		return nil
	}
	timer := time.NewTimer(receiptWait)
	defer timer.Stop()
	select {
	case r := <-reports:
		fmt.Fprintf(out, "receipt: VoiceReport for CallId %s (OutId %s): %s %s, callee %s, talked %s\n",
			r.CallID, r.OutID, r.StatusCode, r.StatusCode.Meaning(), exampleenv.Mask(r.Callee), r.TalkDuration())
	case <-timer.C:
		return fmt.Errorf("no VoiceReport receipt within %s", receiptWait)
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// serveReceipts serves a receipt handler on a free loopback port. It
// returns the URL to push to, the VoiceReports received, and a function
// that stops the server and the handler.
func serveReceipts() (string, <-chan *dyvms.VoiceReport, func(), error) {
	reports := make(chan *dyvms.VoiceReport, 1)
	handler := dyvms.NewReceiptHandler(func(ctx context.Context, receipts []dyvms.Receipt) error {
		// Keep this fast: the service waits 700 ms for the answer. A real
		// handler records the batch durably (a database insert) and returns.
		for _, rc := range receipts {
			if r, ok := rc.VoiceReport(); ok {
				select {
				case reports <- r:
				default: // already have one
				}
			}
		}
		return nil
	}, dyvms.WithReceiptTypes(dyvms.ReceiptVoiceReport))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		handler.Close()
		return "", nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /dyvms/voice-report", handler)
	// A push must arrive within the service's 700 ms: bound the headers and
	// the whole request, so a stalled sender cannot hold a connection.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "receipt server:", err)
		}
		_ = handler.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String() + "/dyvms/voice-report", reports, stop, nil
}

// randomCode returns a 6-digit verification code.
func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
