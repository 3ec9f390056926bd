package dyvms_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	dyvms "github.com/dyvms/dyvms-go"
)

// An IVR call that greets the called party, offers a two-key menu and says
// goodbye. A stand-in server answers here; a real program leaves out
// WithEndpoint and uses its own AccessKey.
func ExampleClient_IvrCall() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23","Code":"OK","Message":"OK","CallId":"116012354148^10281378****"}`)
	}))
	defer srv.Close()

	client, err := dyvms.NewClient(
		dyvms.WithAccessKey("yourAccessKeyId", "yourAccessKeySecret"),
		dyvms.WithEndpoint(srv.URL),
	)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.IvrCall(context.Background(), &dyvms.IvrCallRequest{
		CalledNumber:     "15900000000",
		CalledShowNumber: "057100005678",
		StartCode:        "TTS_1234****", // "Hello ${name}, press 1 for your balance, 2 for an agent."
		StartTtsParams:   map[string]string{"name": "Li Lei"},
		MenuKeyMap: []dyvms.MenuKey{
			{Key: "1", Code: "TTS_1235****", TtsParams: map[string]string{"balance": "100.00"}},
			{Key: "2", Code: "2d4c-4e78-8d2a-afbb06cf****.wav"},
		},
		ByeCode:   "TTS_1236****",
		PlayTimes: 2,
		Timeout:   5000, // wait 5 s for a key press
		OutID:     "order-42",
	})
	if err != nil {
		// IvrCall places a call: do not resend blindly after a transport
		// error; reconcile by OutID first.
		log.Fatal(err)
	}
	fmt.Println(resp.CallID)
	// Output: 116012354148^10281378****
}
