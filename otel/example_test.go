package dyvmsotel_test

import (
	"context"
	"fmt"
	"log"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	dyvmsotel "github.com/dyvms/dyvms-go/otel"
)

// A client traced and measured with OpenTelemetry, here against the fake
// with in-memory exporters; in production pass your providers (or none:
// the global ones are used).
func Example() {
	fake := dyvmstest.NewServer()
	defer fake.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))

	otelOpts, err := dyvmsotel.ClientOptions(dyvmsotel.WithTracerProvider(tp), dyvmsotel.WithMeterProvider(mp))
	if err != nil {
		log.Fatal(err)
	}
	client, err := dyvms.NewClient(append(otelOpts,
		dyvms.WithEndpoint(fake.URL),
		dyvms.WithAccessKey(fake.AccessKeyID, fake.AccessKeySecret),
	)...)
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.SingleCallByTts(context.Background(), &dyvms.SingleCallByTtsRequest{
		CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "order-42",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range spans.Ended() {
		fmt.Println(s.Name())
	}
	// Output:
	// POST
	// Dyvmsapi/SingleCallByTts
}
