package dyvmstest_test

import (
	"context"
	"errors"
	"fmt"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

func ExampleNewServer() {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		panic(err)
	}
	resp, err := client.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234",
		TtsCode:      "TTS_100000",
		TtsParam:     map[string]string{"code": "1234"},
		OutID:        "order-42",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Code, resp.CallID != "")
	fmt.Println(srv.Count("SingleCallByTts"), srv.Requests()[0].Param("OutId"))
	// Output:
	// OK true
	// 1 order-42
}

func ExampleServer_InjectFault() {
	srv := dyvmstest.NewServer()
	defer srv.Close()
	// Without retries, to see the fault as the service answers it; by
	// default the client would wait RetryAfter and send again.
	client, _ := srv.Client(dyvms.WithNoRetries())
	srv.InjectFault(dyvmstest.Fault{Action: "SingleCallByTts", Kind: dyvmstest.FaultThrottle, Times: 1})

	req := &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000"}
	_, err := client.SingleCallByTts(context.Background(), req)
	var e *dyvms.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.HTTPStatus, e.RetryAfter)
	}
	_, err = client.SingleCallByTts(context.Background(), req)
	fmt.Println(err, srv.Count("SingleCallByTts"))
	// Output:
	// Throttling.User 400 1s
	// <nil> 1
}
