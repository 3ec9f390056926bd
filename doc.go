// Package dyvms is a Go client for Alibaba Cloud's Voice Messaging Service
// (product Dyvmsapi, API version 2017-05-25): voice verification codes and
// notifications, IVR calls, robot outbound campaigns, call tasks and call
// records, 400-hotline transfer, virtual numbers and RTC/VoIP/MQTT tokens.
//
// Every Action is a method on *Client that takes a context and a typed
// request and returns a typed response or an error:
//
//	client, err := dyvms.NewClient(dyvms.WithAccessKey(id, secret))
//	resp, err := client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
//		CalledNumber: "13900001234",
//		TtsCode:      "TTS_100000",
//		TtsParam:     map[string]string{"code": "1234"},
//	})
//
// Each call follows one path: the request is encoded and validated (a bad
// request returns a *ValidationError and nothing is sent), signed with the
// POP HMAC-SHA1 signature (or with ACS3-HMAC-SHA256, see
// WithSignatureVersion), sent as an HTTPS POST, and the XML or JSON answer
// is decoded into the typed response or into *Error, the one error type for
// everything the service reports.
//
// Calls are retried when that is safe (see RetryPolicy): an Action that
// places a call or changes state is never sent twice when its first attempt
// may have run; such a call returns an error matching ErrAmbiguous instead.
// WithLogger, WithMiddleware and WithRateLimiter observe and pace attempts.
//
// Receipts the service pushes (call results, IVR keys, robot outcomes) are
// parsed by ParseReceipts and served by NewReceiptHandler. Package
// dyvmstest is an in-process fake Dyvmsapi for tests.
package dyvms
