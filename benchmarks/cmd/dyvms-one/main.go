// Command dyvms-one makes one SingleCallByTts call with dyvms-go: the
// minimal program whose size run.sh reports. The endpoint is the first
// argument (default https://dyvmsapi.aliyuncs.com); the AccessKey comes from
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/dyvms/dyvms-go"
)

func main() {
	endpoint := "https://dyvmsapi.aliyuncs.com"
	if len(os.Args) > 1 {
		endpoint = os.Args[1]
	}
	c, err := dyvms.NewClient(dyvms.WithEndpoint(endpoint))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	resp, err := c.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234", TtsCode: "TTS_100000", TtsParam: map[string]string{"code": "1234"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(resp.CallID)
}
