package dyvms_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/dyvms/dyvms-go"
)

// Mount a receipt handler at the URL configured in the console (one URL per
// message type), protected by a secret token in the URL. The function only
// records the batch and returns; an error makes the service push it again.
func ExampleNewReceiptHandler() {
	h := dyvms.NewReceiptHandler(func(ctx context.Context, receipts []dyvms.Receipt) error {
		for _, rc := range receipts {
			switch r := rc.Report().(type) {
			case *dyvms.VoiceReport:
				fmt.Printf("call %s (out_id %s): %s, answered=%v, %ds\n",
					r.CallID, r.OutID, r.StatusCode.Meaning(), r.Answered(), r.Duration)
			case *dyvms.VoiceCallReport:
				fmt.Printf("call %s is now %s\n", r.CallID, r.StatusCode.Meaning())
			}
		}
		return nil // e.g. the result of a database insert
	},
		dyvms.WithReceiptTypes(dyvms.ReceiptVoiceReport),
		dyvms.WithReceiptToken("an-unguessable-token"),
	)
	defer h.Close()

	mux := http.NewServeMux()
	mux.Handle("POST /dyvms/receipts/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// What the service does: POST a JSON array to the configured URL.
	body := `[{"call_id":"116012854210^102814279","status_code":"200000","out_id":"order-42",
		"start_time":"2023-03-13 11:18:36","end_time":"2023-03-13 11:18:43","duration":"7"}]`
	resp, err := http.Post(srv.URL+"/dyvms/receipts/an-unguessable-token", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	ack, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(ack))

	// Output:
	// call 116012854210^102814279 (out_id order-42): answered; listened to the end, answered=true, 7s
	// 200 {"code":0,"msg":"接收成功"}
}

// Receipt times are China Standard Time; ReceiptTime converts them.
func ExampleReceiptTime() {
	reports, err := dyvms.ParseVoiceReports([]byte(`[{"call_id":"1^2","start_time":"2023-03-13 11:18:36","ring_time":""}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := reports[0]
	fmt.Println(r.StartTime.Time().UTC())
	fmt.Println(r.RingTime.IsZero())
	// Output:
	// 2023-03-13 03:18:36 +0000 UTC
	// true
}

// An MNS message body is the base64 of one receipt object; the queue tells
// the type.
func ExampleParseMNSReceipt() {
	msg := base64.StdEncoding.EncodeToString([]byte(`{"call_id":"1^2","status_code":"300000","dtmf":"1","status_time":"2023-03-06 16:21:12"}`))
	rc, err := dyvms.ParseMNSReceipt([]byte(msg), dyvms.ReceiptVoiceCallReport)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := rc.VoiceCallReport()
	fmt.Println(rc.Type, r.CallID, r.StatusCode.IsDTMF(), r.DTMF)
	// Output:
	// VoiceCallReport 1^2 true 1
}
