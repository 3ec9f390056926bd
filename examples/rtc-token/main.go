// Command rtc-token gets what a device needs to use the RTC/VoIP client
// SDK: it registers the device as an RTC account (AddRtcAccount), gets its
// token and MQTT settings (GetRtcToken, decoded with Token), and gets an
// MQTT token (GetMqttToken). Tokens are secrets: it prints only their
// first characters.
//
//	go run ./examples/rtc-token
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi. With them it needs DYVMS_EXAMPLE_DEVICE_ID, the ID of the
// device to register (a UUID is recommended).
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("rtc-token", run) }

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	device := env.Var("DYVMS_EXAMPLE_DEVICE_ID", "2f0c4a9e-6d1b-4c35-9a57-1e2d3c4b5a69", "the ID of the device to register (a UUID is recommended)")
	if err := env.Err(); err != nil {
		return err
	}

	// 1. The device's RTC account.
	acct, err := env.Client.AddRtcAccount(ctx, &dyvms.AddRtcAccountRequest{DeviceID: device})
	if err != nil {
		return fmt.Errorf("AddRtcAccount: %w", err)
	}
	fmt.Fprintf(out, "RTC account %s for device %s\n", acct.Module, device)

	// 2. Its token. Module goes to the client SDK unchanged; Token decodes
	// it for the application's own use.
	rtc, err := env.Client.GetRtcToken(ctx, &dyvms.GetRtcTokenRequest{
		UserID:          acct.Module,
		DeviceID:        device,
		IsCustomAccount: dyvms.Ptr(false), // UserID is an AddRtcAccount account
	})
	if err != nil {
		return fmt.Errorf("GetRtcToken: %w", err)
	}
	tok, err := rtc.Token()
	if err != nil {
		return fmt.Errorf("GetRtcToken: %w", err)
	}
	fmt.Fprintf(out, "RTC token: MQTT host %s, TLS port %d (TLS %v), SDK port %d, client %s, token %s\n",
		tok.Host, tok.TLSPort, tok.UseTLS, tok.SDKClientPort, tok.ClientID, exampleenv.Secret(tok.TokenData))
	fmt.Fprintf(out, "  topics: phone %s, conference %s, gateway %s\n", tok.PhoneTopic, tok.ConferenceTopic, tok.SgwServerTopic)

	// 3. An MQTT token for the VoIP client.
	mqtt, err := env.Client.GetMqttToken(ctx, nil)
	if err != nil {
		return fmt.Errorf("GetMqttToken: %w", err)
	}
	m := mqtt.Data
	expiry := "unknown"
	if t := m.ExpiresAt(); !t.IsZero() {
		expiry = t.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(out, "MQTT token: host %s, instance %s, client %s, user %s, expires %s, token %s\n",
		m.Host, m.InstanceID, m.ClientID, m.Username, expiry, exampleenv.Secret(m.Token))
	return nil
}
