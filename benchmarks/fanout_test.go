package benchmarks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dyvmsapi"

	"github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/benchmarks/internal/bare"
)

// The fan-out scenario: many goroutines of one service calling the API at
// once over TLS, against an endpoint that takes a few milliseconds to
// answer, each SDK with the transport it comes with. What it shows is
// connection reuse: a client that keeps too few idle connections closes
// most of them after each call and pays a new TCP and TLS handshake for
// the next one.
const (
	// fanOutCallers is the number of goroutines calling at once.
	fanOutCallers = 64
	// fanOutDelay is how long the TLS endpoint takes to answer.
	fanOutDelay = 3 * time.Millisecond
)

// Environment of the child server: where its TLS certificate and key are.
const (
	tlsCertEnv = "DYVMS_BENCH_TLS_CERT"
	tlsKeyEnv  = "DYVMS_BENCH_TLS_KEY"
)

// tlsURL is the child's TLS endpoint, https://127.0.0.1:port.
var tlsURL string

// tlsFiles writes a throwaway CA and a certificate it signed for 127.0.0.1
// into dir, and returns the paths of the CA, the certificate and its key.
// Every contender trusts the CA through SSL_CERT_FILE, as a program trusts
// its system's roots: no contender's TLS settings are touched.
func tlsFiles(dir string) (caPath, certPath, keyPath string, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", "", err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dyvms bench CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return "", "", "", err
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", "", err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return "", "", "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(leafKey)
	if err != nil {
		return "", "", "", err
	}
	caPath, certPath, keyPath = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, f := range []struct {
		path, kind string
		der        []byte
	}{{caPath, "CERTIFICATE", caDER}, {certPath, "CERTIFICATE", leafDER}, {keyPath, "EC PRIVATE KEY", keyDER}} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der}), 0o600); err != nil {
			return "", "", "", err
		}
	}
	return caPath, certPath, keyPath, nil
}

// tlsCounter counts the TLS handshakes the child's TLS endpoint completed
// (one per new connection; the contenders' sessions are not resumed across
// connections by default either, so each is a full handshake).
var tlsCounter atomic.Int64

// serveTLSChild serves the fake over TLS on a loopback port, each answer
// after fanOutDelay, and returns its URL. GET tlsStatsPath on the plain
// endpoint answers the handshake count.
func serveTLSChild(h http.Handler) (string, error) {
	cert, err := tls.LoadX509KeyPair(os.Getenv(tlsCertEnv), os.Getenv(tlsKeyEnv))
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		NextProtos:   []string{"http/1.1"},
		VerifyConnection: func(tls.ConnectionState) error {
			tlsCounter.Add(1)
			return nil
		},
	}
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(fanOutDelay)
		h.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: slow, ReadHeaderTimeout: 10 * time.Second, TLSConfig: cfg}
	go srv.Serve(tls.NewListener(ln, cfg))
	return "https://" + ln.Addr().String(), nil
}

// tlsStatsPath is where the plain endpoint reports the TLS handshake count.
const tlsStatsPath = "/__tls_handshakes"

func tlsHandshakes() (int64, error) {
	resp, err := http.Get(srvURL + tlsStatsPath)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var n int64
	_, err = fmt.Fscan(resp.Body, &n)
	return n, err
}

// fanOutContender is one SDK set up as it comes, against the TLS endpoint.
type fanOutContender struct {
	name string
	call func(context.Context) error
}

// fanOutContenders builds the three contenders: dyvms-go with NewClient's
// own transport and the official SDK with the transport it makes itself,
// neither configured; the floor is bare net/http with a connection pool
// sized for the callers, the best a hand-written client can do. (Bare
// net/http on http.DefaultClient, two idle connections per host, opens
// about as many connections as the official SDK.)
func fanOutContenders() ([]fanOutContender, error) {
	tts := ttsParams[0].param
	pooled := http.DefaultTransport.(*http.Transport).Clone()
	pooled.MaxIdleConnsPerHost = fanOutCallers
	floor := &bare.Client{Endpoint: tlsURL, AccessKeyID: accessKeyID, Secret: secret, HTTPClient: &http.Client{Transport: pooled}}
	dy, err := dyvms.NewClient(dyvms.WithAccessKey(accessKeyID, secret), dyvms.WithEndpoint(tlsURL))
	if err != nil {
		return nil, err
	}
	off, err := dyvmsapi.NewClientWithAccessKey("cn-hangzhou", accessKeyID, secret)
	if err != nil {
		return nil, err
	}
	host := strings.TrimPrefix(tlsURL, "https://")
	return []fanOutContender{
		{"floor", func(ctx context.Context) error {
			resp, err := floor.SingleCallByTts(ctx, &bare.Request{CalledNumber: "13900001234", TtsCode: "TTS_100000", TtsParam: tts, OutID: "order-1234"})
			if err == nil && resp.CallID == "" {
				err = fmt.Errorf("floor: no CallId")
			}
			return err
		}},
		{"dyvms", func(ctx context.Context) error {
			resp, err := dy.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", TtsParam: tts, OutID: "order-1234"})
			if err == nil && resp.CallID == "" {
				err = fmt.Errorf("dyvms: no CallId")
			}
			return err
		}},
		{"official", func(context.Context) error {
			p, _ := json.Marshal(tts)
			req := dyvmsapi.CreateSingleCallByTtsRequest()
			req.Scheme, req.Domain = "https", host
			req.CalledNumber, req.TtsCode, req.TtsParam, req.OutId = "13900001234", "TTS_100000", string(p), "order-1234"
			req.PlayTimes = requests.NewInteger(1)
			resp, err := off.SingleCallByTts(req)
			if err == nil && (resp.Code != "OK" || resp.CallId == "") {
				err = fmt.Errorf("official: %s %s", resp.Code, resp.Message)
			}
			return err
		}},
	}, nil
}

// fanOut makes n calls from fanOutCallers goroutines and returns the first
// error.
func fanOut(ctx context.Context, n int, call func(context.Context) error) error {
	var next atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < fanOutCallers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := call(ctx); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := first.Load().(error); ok {
		return err
	}
	return nil
}

// TestFanOut checks that every contender works over TLS with the test CA
// trusted only through SSL_CERT_FILE, that its requests pass the
// signature check, and that the handshake counter counts.
func TestFanOut(t *testing.T) {
	cs, err := fanOutContenders()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		v0, r0, _ := stats()
		h0, err := tlsHandshakes()
		if err != nil {
			t.Fatal(err)
		}
		if err := fanOut(context.Background(), 2*fanOutCallers, c.call); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		v1, r1, _ := stats()
		h1, _ := tlsHandshakes()
		if v1-v0 != 2*fanOutCallers || r1 != r0 {
			t.Fatalf("%s: %d verified, %d rejected; want %d, 0", c.name, v1-v0, r1-r0, 2*fanOutCallers)
		}
		if h1 <= h0 {
			t.Fatalf("%s: no TLS handshake counted", c.name)
		}
		t.Logf("%s: %d calls, %d TLS handshakes", c.name, 2*fanOutCallers, h1-h0)
	}
}

// BenchmarkFanOut is fanOutCallers goroutines calling SingleCallByTts at
// once over TLS against an endpoint that answers after fanOutDelay, each
// SDK on its default transport. ns/op is wall-clock time per call across
// all callers; cpu-ns/op the client's CPU per call; conns/1kcalls the TLS
// handshakes the server saw per 1000 calls.
func BenchmarkFanOut(b *testing.B) {
	cs, err := fanOutContenders()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range cs {
		b.Run("callers=64/impl="+c.name, func(b *testing.B) {
			_, rejected, _ := stats()
			if err := fanOut(ctx, fanOutCallers, c.call); err != nil { // warm up as a running service would be
				b.Fatal(err)
			}
			h0, err := tlsHandshakes()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			b.ResetTimer()
			if err := fanOut(ctx, b.N, c.call); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			h1, _ := tlsHandshakes()
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(h1-h0)*1000/float64(b.N), "conns/1kcalls")
			if _, n, err := stats(); err != nil || n != rejected {
				b.Fatalf("the server rejected %d requests (%v)", n-rejected, err)
			}
		})
	}
}
