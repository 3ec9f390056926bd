// Command official-one makes one SingleCallByTts call with the official
// Alibaba Cloud SDK (services/dyvmsapi): the minimal program whose size
// run.sh reports. The endpoint is the first argument (default
// https://dyvmsapi.aliyuncs.com); the AccessKey comes from
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/dyvmsapi"
)

func main() {
	endpoint := "https://dyvmsapi.aliyuncs.com"
	if len(os.Args) > 1 {
		endpoint = os.Args[1]
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	c, err := dyvmsapi.NewClientWithAccessKey("cn-hangzhou",
		os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, _ := json.Marshal(map[string]string{"code": "1234"})
	req := dyvmsapi.CreateSingleCallByTtsRequest()
	req.Scheme, req.Domain = u.Scheme, u.Host
	req.CalledNumber, req.TtsCode, req.TtsParam = "13900001234", "TTS_100000", string(p)
	resp, err := c.SingleCallByTts(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(resp.CallId)
}
