package benchmarks

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dyvmsapi"

	"github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/benchmarks/internal/bare"
	"github.com/dyvms/dyvms-go/benchmarks/internal/fake"
)

const (
	accessKeyID = "LTAI5tBenchmarkKeyID"
	secret      = "BenchmarkSecret0123456789abcd"
)

// The two TtsParam sizes: a verification code, and about 2 KB of Chinese
// text (UTF-8, 3 bytes a character) in three variables.
var ttsParams = []struct {
	name  string
	param map[string]string
}{
	{"small", map[string]string{"code": "123456", "product": "dyvms"}},
	{"2KB", map[string]string{
		"name":    "张三",
		"notice":  strings.Repeat("您好，这是一条来自阿里云语音服务的通知，请注意查收。", 25),
		"product": "阿里云语音服务",
	}},
}

var (
	srvURL   string // the fake server, http://127.0.0.1:port
	srvHost  string // 127.0.0.1:port
	dyClient *dyvms.Client
	offCli   *dyvmsapi.Client
	bareCli  *bare.Client
)

// childEnv makes the test binary the fake server instead of the tests.
const childEnv = "DYVMS_BENCH_FAKE_SERVER"

// TestMain runs the fake server in a child process (this same binary), so
// that B/op and allocs/op count the client's allocations only, not the
// server's, while every request still crosses loopback and has its
// signature verified.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		serveChild()
		return
	}
	// The official SDK honours HTTP_PROXY even for loopback addresses.
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(k)
	}
	dir, err := os.MkdirTemp("", "dyvms-bench-tls")
	if err != nil {
		panic(err)
	}
	caPath, certPath, keyPath, err := tlsFiles(dir)
	if err != nil {
		panic(err)
	}
	// Trust the test CA the way a program trusts its system's roots, before
	// anything in this process loads them.
	os.Setenv("SSL_CERT_FILE", caPath)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"=1", tlsCertEnv+"="+certPath, tlsKeyEnv+"="+keyPath)
	child.Stderr = os.Stderr
	stdin, err := child.StdinPipe()
	if err != nil {
		panic(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := child.Start(); err != nil {
		panic(err)
	}
	lines := bufio.NewReader(stdout)
	line, err := lines.ReadString('\n')
	if err != nil {
		panic(fmt.Sprintf("fake server did not start: %v", err))
	}
	srvURL = strings.TrimSpace(line)
	if line, err = lines.ReadString('\n'); err != nil {
		panic(fmt.Sprintf("fake TLS server did not start: %v", err))
	}
	tlsURL = strings.TrimSpace(line)
	srvHost = strings.TrimPrefix(srvURL, "http://")
	code := run(m)
	stdin.Close() // the child exits when its stdin closes
	child.Wait()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serveChild serves the fake on a loopback port, prints its URL and runs
// until its standard input closes (the parent is done or gone), or for an
// hour at most.
func serveChild() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	h := fake.NewHandler(accessKeyID, secret)
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc(tlsStatsPath, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, tlsCounter.Load())
	})
	fmt.Println("http://" + ln.Addr().String())
	// The TLS endpoint, when the parent made a certificate for it (run.sh
	// starts a plain server for the one-call programs).
	if os.Getenv(tlsCertEnv) != "" {
		tlsAddr, err := serveTLSChild(h)
		if err != nil {
			panic(err)
		}
		fmt.Println(tlsAddr)
	}
	go http.Serve(ln, mux)
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Hour):
	}
	os.Exit(0)
}

// stats returns the server's counts of verified and rejected requests.
func stats() (verified, rejected int64, err error) {
	resp, err := http.Get(srvURL + fake.StatsPath)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, err = fmt.Fscan(resp.Body, &verified, &rejected)
	return verified, rejected, err
}

func run(m *testing.M) int {
	var err error
	dyClient, err = dyvms.NewClient(dyvms.WithAccessKey(accessKeyID, secret), dyvms.WithEndpoint(srvURL))
	if err != nil {
		panic(err)
	}
	offCli, err = dyvmsapi.NewClientWithAccessKey("cn-hangzhou", accessKeyID, secret)
	if err != nil {
		panic(err)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	bareCli = &bare.Client{Endpoint: srvURL, AccessKeyID: accessKeyID, Secret: secret, HTTPClient: &http.Client{Transport: t}}
	return m.Run()
}

// The three contenders, each one SingleCallByTts call from a map TtsParam
// (the caller's data) to a checked response.

func callFloor(ctx context.Context, tts map[string]string) error {
	resp, err := bareCli.SingleCallByTts(ctx, &bare.Request{
		CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
		TtsParam: tts, PlayTimes: 2, Volume: 100, Speed: 5, OutID: "order-1234",
	})
	if err != nil {
		return err
	}
	if resp.CallID == "" {
		return fmt.Errorf("floor: no CallId")
	}
	return nil
}

func callDyvms(ctx context.Context, tts map[string]string) error {
	resp, err := dyClient.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234", CalledShowNumber: "057112345678", TtsCode: "TTS_100000",
		TtsParam: tts, PlayTimes: 2, Volume: dyvms.Ptr[int32](100), Speed: dyvms.Ptr[int32](5), OutID: "order-1234",
	})
	if err != nil {
		return err
	}
	if resp.CallID == "" {
		return fmt.Errorf("dyvms: no CallId")
	}
	return nil
}

func callOfficial(_ context.Context, tts map[string]string) error {
	p, err := json.Marshal(tts)
	if err != nil {
		return err
	}
	req := dyvmsapi.CreateSingleCallByTtsRequest()
	req.Scheme = "http"
	req.Domain = srvHost
	req.CalledNumber = "13900001234"
	req.CalledShowNumber = "057112345678"
	req.TtsCode = "TTS_100000"
	req.TtsParam = string(p)
	req.PlayTimes = requests.NewInteger(2)
	req.Volume = requests.NewInteger(100)
	req.Speed = requests.NewInteger(5)
	req.OutId = "order-1234"
	resp, err := offCli.SingleCallByTts(req)
	if err != nil {
		return err
	}
	if resp.Code != "OK" || resp.CallId == "" {
		return fmt.Errorf("official: %s %s", resp.Code, resp.Message)
	}
	return nil
}

var contenders = []struct {
	name string
	call func(context.Context, map[string]string) error
}{
	{"floor", callFloor},
	{"dyvms", callDyvms},
	{"official", callOfficial},
}

// TestContenders checks that every contender's requests pass the server's
// signature check, and that the check refuses a wrong signature.
func TestContenders(t *testing.T) {
	ctx := context.Background()
	for _, c := range contenders {
		for _, tp := range ttsParams {
			before, _, err := stats()
			if err != nil {
				t.Fatal(err)
			}
			if err := c.call(ctx, tp.param); err != nil {
				t.Fatalf("%s/%s: %v", c.name, tp.name, err)
			}
			if after, _, _ := stats(); after != before+1 {
				t.Fatalf("%s/%s: the server did not verify the request", c.name, tp.name)
			}
		}
	}
	if _, n, _ := stats(); n != 0 {
		t.Fatalf("%d requests rejected", n)
	}
	wrong := *bareCli
	wrong.Secret = "not-the-secret"
	if _, err := wrong.SingleCallByTts(ctx, &bare.Request{CalledNumber: "1", TtsCode: "T"}); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("wrong secret: got %v, want SignatureDoesNotMatch", err)
	}
	// GET with everything in the query verifies too.
	v := signParams(ttsParams[0].param)
	v.Set("Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	v.Set("Signature", bare.SignValues("GET", v, secret))
	resp, err := http.Get(srvURL + "/?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET: HTTP %d: %s", resp.StatusCode, msg)
	}
}

// TestInProcess checks the in-process form of the fake used by other
// tools, and that its counters count.
func TestInProcess(t *testing.T) {
	s := fake.New(accessKeyID, secret)
	defer s.Close()
	c := *bareCli
	c.Endpoint = s.URL
	if _, err := c.SingleCallByTts(context.Background(), &bare.Request{CalledNumber: "1", TtsCode: "T"}); err != nil {
		t.Fatal(err)
	}
	c.Secret = "wrong"
	if _, err := c.SingleCallByTts(context.Background(), &bare.Request{CalledNumber: "1", TtsCode: "T"}); err == nil {
		t.Fatal("wrong secret accepted")
	}
	if v, r := s.Verified.Load(), s.Rejected.Load(); v != 1 || r != 1 {
		t.Fatalf("verified %d, rejected %d; want 1, 1", v, r)
	}
}

// TestReferenceSigner checks the floor's signer against the published
// Alibaba Cloud example (also one of the library's catalogue vectors), and
// dyvms.Sign and the official SDK against it on the benchmark's input.
func TestReferenceSigner(t *testing.T) {
	v := url.Values{}
	for k, s := range map[string]string{
		"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
		"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
		"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
		"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
	} {
		v.Set(k, s)
	}
	if got, want := bare.SignValues("GET", v, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4="; got != want {
		t.Fatalf("reference signer: %s, want %s", got, want)
	}
	for _, tp := range ttsParams {
		v := signParams(tp.param)
		if a, b := bare.SignValues("POST", v, secret), dyvms.Sign("POST", v, secret); a != b {
			t.Fatalf("%s: reference %s, dyvms %s", tp.name, a, b)
		}
	}
}

// signParams is the full parameter set of one SingleCallByTts request, the
// input of the signing benchmarks.
func signParams(tts map[string]string) url.Values {
	p, _ := json.Marshal(tts)
	v := url.Values{}
	for _, kv := range [][2]string{
		{"AccessKeyId", accessKeyID}, {"Action", "SingleCallByTts"}, {"Format", "JSON"},
		{"RegionId", "cn-hangzhou"}, {"SignatureMethod", "HMAC-SHA1"},
		{"SignatureNonce", "f7d2d4ef-6d5f-4da4-86ed-88e001abbabb"}, {"SignatureVersion", "1.0"},
		{"Timestamp", "2026-01-02T03:04:05Z"}, {"Version", "2017-05-25"},
		{"CalledNumber", "13900001234"}, {"CalledShowNumber", "057112345678"}, {"OutId", "order-1234"},
		{"PlayTimes", "2"}, {"Speed", "5"}, {"TtsCode", "TTS_100000"}, {"TtsParam", string(p)}, {"Volume", "100"},
	} {
		v.Set(kv[0], kv[1])
	}
	return v
}

// officialSignRequest is an official SDK request with its parameters
// flattened (requests.InitParams), ready for auth.Sign.
func officialSignRequest(tts map[string]string) *dyvmsapi.SingleCallByTtsRequest {
	p, _ := json.Marshal(tts)
	req := dyvmsapi.CreateSingleCallByTtsRequest()
	req.CalledNumber, req.CalledShowNumber, req.TtsCode = "13900001234", "057112345678", "TTS_100000"
	req.TtsParam, req.OutId = string(p), "order-1234"
	req.PlayTimes, req.Volume, req.Speed = requests.NewInteger(2), requests.NewInteger(100), requests.NewInteger(5)
	if err := requests.InitParams(req); err != nil {
		panic(err)
	}
	return req
}

// BenchmarkSingleCallByTts is one call end to end: request from the
// caller's values, signed, sent over loopback, verified by the server,
// answered, decoded and checked.
func BenchmarkSingleCallByTts(b *testing.B) {
	ctx := context.Background()
	for _, tp := range ttsParams {
		for _, mode := range []string{"serial", "parallel"} {
			for _, c := range contenders {
				b.Run(fmt.Sprintf("tts=%s/mode=%s/impl=%s", tp.name, mode, c.name), func(b *testing.B) {
					_, rejected, err := stats()
					if err != nil {
						b.Fatal(err)
					}
					if err := c.call(ctx, tp.param); err != nil { // warm the connection
						b.Fatal(err)
					}
					b.ReportAllocs()
					cpu0 := cpuTime()
					b.ResetTimer()
					if mode == "serial" {
						for i := 0; i < b.N; i++ {
							if err := c.call(ctx, tp.param); err != nil {
								b.Fatal(err)
							}
						}
					} else {
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								if err := c.call(ctx, tp.param); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					b.StopTimer()
					b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
					if _, n, err := stats(); err != nil || n != rejected {
						b.Fatalf("the server rejected %d requests (%v)", n-rejected, err)
					}
				})
			}
		}
	}
}

// cpuTime is the CPU time (user and system) this process has used: the
// client side only, since the server is a child process. On a shared,
// loaded machine it is steadier than wall-clock ns/op.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var sinkString string

// BenchmarkSign is signing alone: the full parameter set of one request to
// its Signature. The official SDK's auth.Sign also sets its own common
// parameters (nonce, timestamp) and the form body, as it does on every call.
func BenchmarkSign(b *testing.B) {
	provider := credentials.NewStaticAKCredentialsProvider(accessKeyID, secret)
	for _, tp := range ttsParams {
		v := signParams(tp.param)
		b.Run("tts="+tp.name+"/impl=floor", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkString = bare.SignValues("POST", v, secret)
			}
		})
		b.Run("tts="+tp.name+"/impl=dyvms", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkString = dyvms.Sign("POST", v, secret)
			}
		})
		b.Run("tts="+tp.name+"/impl=official", func(b *testing.B) {
			req := officialSignRequest(tp.param)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := auth.Sign(req, nil, "cn-hangzhou", provider); err != nil {
					b.Fatal(err)
				}
			}
			sinkString = req.GetQueryParams()["Signature"]
		})
	}
}

// BenchmarkDecode is decoding alone: the server's JSON body into the
// SingleCallByTts response. The official SDK reads it from an
// *http.Response, which is how its decoder takes it.
func BenchmarkDecode(b *testing.B) {
	body := []byte(fake.Body)
	b.Run("impl=floor", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var r bare.Response
			if err := json.Unmarshal(body, &r); err != nil || r.CallID == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=dyvms", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var r dyvms.SingleCallByTtsResponse
			if err := dyvms.UnmarshalLenient(body, &r); err != nil || r.CallID == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=official", func(b *testing.B) {
		br := bytes.NewReader(body)
		hr := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(br)}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			br.Reset(body)
			r := dyvmsapi.CreateSingleCallByTtsResponse()
			if err := responses.Unmarshal(r, hr, "JSON"); err != nil || r.CallId == "" {
				b.Fatal(err)
			}
		}
	})
}
