// Command call-record looks up the record of a call by its CallId
// (QueryCallDetailByCallId) and prints the typed CallDetail.
//
//	go run ./examples/call-record
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi, placing two calls there first (one answered, one not) so there
// is something to look up. With them it places no call: it looks up
// DYVMS_EXAMPLE_CALL_ID, placed on DYVMS_EXAMPLE_CALL_DATE (yyyy-mm-dd,
// China time; default today) by the product DYVMS_EXAMPLE_PROD_ID (default
// 11010000138001, SingleCallByTts).
package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("call-record", run) }

// unanswered is the number the fake lets ring out.
const unanswered = "13900005678"

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out, dyvmstest.WithCallOutcome(func(c dyvmstest.Call) dyvmstest.CallOutcome {
		if c.CalledNumber == unanswered {
			return dyvmstest.CallOutcome{StatusCode: "200003", SmartStatusCode: "NO_ANSWER", StatusMsg: "无人接听"}
		}
		return dyvmstest.CallOutcome{StatusCode: "200000", SmartStatusCode: "ANSWERED", StatusMsg: "执行完成", Duration: 12 * time.Second}
	}))
	if err != nil {
		return err
	}
	defer env.Close()

	type lookup struct {
		callID string
		prod   dyvms.CallProductID
		day    time.Time
	}
	var lookups []lookup
	if env.Real() {
		callID := env.Var("DYVMS_EXAMPLE_CALL_ID", "", "the CallId to look up, as the call Action returned it")
		prod := env.Optional("DYVMS_EXAMPLE_PROD_ID", "", strconv.FormatInt(int64(dyvms.ProductVoiceTTS), 10))
		date := env.Optional("DYVMS_EXAMPLE_CALL_DATE", "", time.Now().In(dyvms.ChinaStandardTime()).Format(time.DateOnly))
		if err := env.Err(); err != nil {
			return err
		}
		p, err := strconv.ParseInt(prod, 10, 64)
		if err != nil {
			return fmt.Errorf("DYVMS_EXAMPLE_PROD_ID %q is not a number", prod)
		}
		day, err := time.ParseInLocation(time.DateOnly, date, dyvms.ChinaStandardTime())
		if err != nil {
			return fmt.Errorf("DYVMS_EXAMPLE_CALL_DATE %q is not yyyy-mm-dd", date)
		}
		lookups = append(lookups, lookup{callID, dyvms.CallProductID(p), day})
	} else {
		// Offline: place two calls to look up.
		for _, to := range []string{"13900001234", unanswered} {
			resp, err := env.Client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{
				CalledNumber: to, TtsCode: "TTS_100000", TtsParam: map[string]string{"code": "1234"},
			})
			if err != nil {
				return fmt.Errorf("SingleCallByTts: %w", err)
			}
			fmt.Fprintf(out, "placed a call to %s on the fake: CallId %s\n", exampleenv.Mask(to), resp.CallID)
			lookups = append(lookups, lookup{resp.CallID, dyvms.ProductVoiceTTS, time.Now()})
		}
	}

	for _, l := range lookups {
		resp, err := env.Client.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{
			CallID:    l.callID,
			ProdID:    l.prod,
			QueryDate: l.day, // the start of the 24 hours searched
		})
		if err != nil {
			return fmt.Errorf("QueryCallDetailByCallId: %w", err)
		}
		d, err := resp.Detail()
		if err != nil {
			// The call succeeded; only its JSON-in-a-string Data is bad.
			return fmt.Errorf("CallId %s: undecodable record %q: %w", l.callID, resp.Data, err)
		}
		if d.State == "" {
			fmt.Fprintf(out, "CallId %s: no record (not found that day, or the call has not ended)\n", l.callID)
			continue
		}
		fmt.Fprintf(out, "CallId %s:\n", l.callID)
		fmt.Fprintf(out, "  %s -> %s (shown %s)\n", exampleenv.Mask(d.Caller), exampleenv.Mask(d.Callee), exampleenv.Mask(d.CalleeShowNumber))
		fmt.Fprintf(out, "  state %s (%s), talked %ds\n", d.State, d.StateDesc, d.Duration)
		fmt.Fprintf(out, "  created %s, rang %s, answered %s, ended %s\n",
			d.GmtCreate, orDash(d.ARingTime), orDash(d.StartDate), d.EndDate)
		if !d.StartedAt().IsZero() {
			fmt.Fprintf(out, "  answered %s after it was placed\n", d.StartedAt().Sub(d.CreatedAt()))
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
