package dyvms_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/dyvms/dyvms-go"
)

// A device asks for its RTC token and hands Module to the client SDK
// unchanged; Token decodes it for the application's own use. The fake server
// stands in for dyvmsapi.aliyuncs.com.
func ExampleClient_GetRtcToken() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"RequestId":"A90E4451-FED7-49D2-87C8-00700A8C4D0D","Code":"OK","Message":"OK",`+
			`"Module":"{\"clientId\":\"GID_VOIP@@@ClientId_2000009_1006484****\",\"host\":\"mqtt-cn-****.aliyuncs.com\",`+
			`\"sdkClientPort\":8883,\"tlsport\":443,\"tokenData\":\"abcdef\",\"useTLS\":true}"}`)
	}))
	defer srv.Close()

	client, err := dyvms.NewClient(
		dyvms.WithAccessKey("LTAI****", "secret"),
		dyvms.WithEndpoint(srv.URL), // omit to use the real service
	)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.GetRtcToken(context.Background(), &dyvms.GetRtcTokenRequest{
		UserID:   "500700****", // the account ID returned by AddRtcAccount
		DeviceID: "2256****",
	})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := resp.Token()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Host, tok.TLSPort, tok.UseTLS)
	fmt.Println(tok.ClientID)
	// Output:
	// mqtt-cn-****.aliyuncs.com 443 true
	// GID_VOIP@@@ClientId_2000009_1006484****
}
