// Command bare-one makes one SingleCallByTts call with the floor (bare
// net/http and a minimal signer, package internal/bare): the minimal
// program whose size run.sh reports. The endpoint is the first argument
// (default https://dyvmsapi.aliyuncs.com); the AccessKey comes from
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/dyvms/dyvms-go/benchmarks/internal/bare"
)

func main() {
	endpoint := "https://dyvmsapi.aliyuncs.com"
	if len(os.Args) > 1 {
		endpoint = os.Args[1]
	}
	c := &bare.Client{
		Endpoint:    endpoint,
		AccessKeyID: os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"),
		Secret:      os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
		HTTPClient:  http.DefaultClient,
	}
	resp, err := c.SingleCallByTts(context.Background(), &bare.Request{
		CalledNumber: "13900001234", TtsCode: "TTS_100000", TtsParam: map[string]string{"code": "1234"},
		PlayTimes: 3, Volume: 100,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(resp.CallID)
}
