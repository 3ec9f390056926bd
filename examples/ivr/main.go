// Command ivr places an interactive voice response call: a greeting, a menu
// of keys each mapped to its own prompt (MenuKeyMap), and a goodbye; then
// looks up the call's record.
//
//	go run ./examples/ivr
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi and also shows how the menu went on the wire. With them it
// places a real call and needs DYVMS_EXAMPLE_TO, DYVMS_EXAMPLE_SHOW_NUMBER
// and the prompts DYVMS_EXAMPLE_START_CODE, DYVMS_EXAMPLE_KEY1_CODE and
// DYVMS_EXAMPLE_KEY2_CODE (DYVMS_EXAMPLE_BYE_CODE is optional).
package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("ivr", run) }

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	to := env.Var("DYVMS_EXAMPLE_TO", "13900001234", "the number to call")
	show := env.Var("DYVMS_EXAMPLE_SHOW_NUMBER", "057100005678", "the caller ID: a number your account purchased")
	start := env.Var("DYVMS_EXAMPLE_START_CODE", "TTS_1234", `the greeting: a TTS template with a ${name} variable ("Hello ${name}, press 1 for your balance, 2 for an agent")`)
	key1 := env.Var("DYVMS_EXAMPLE_KEY1_CODE", "TTS_1235", "the prompt for key 1: a TTS template with a ${balance} variable")
	key2 := env.Var("DYVMS_EXAMPLE_KEY2_CODE", "2d4c-4e78-8d2a-afbb06cf0000.wav", "the prompt for key 2: a voice file ID or TTS template")
	bye := env.Optional("DYVMS_EXAMPLE_BYE_CODE", "TTS_1236", "")
	if err := env.Err(); err != nil {
		return err
	}

	placed := time.Now()
	resp, err := env.Client.IvrCall(ctx, &dyvms.IvrCallRequest{
		CalledNumber:     to,
		CalledShowNumber: show,
		StartCode:        start,
		StartTtsParams:   map[string]string{"name": "Li Lei"},
		MenuKeyMap: []dyvms.MenuKey{
			{Key: "1", Code: key1, TtsParams: map[string]string{"balance": "100.00"}},
			{Key: "2", Code: key2},
		},
		ByeCode:   bye,
		PlayTimes: 2,
		Timeout:   5000, // wait 5 s for a key press
		OutID:     fmt.Sprintf("ivr%d", placed.Unix()),
	})
	if err != nil {
		// IvrCall places a call: reconcile by OutId before any resend.
		return fmt.Errorf("IvrCall: %w", err)
	}
	fmt.Fprintf(out, "IVR call placed to %s: CallId %s\n", exampleenv.Mask(to), resp.CallID)

	if env.Fake != nil {
		// What the fake received: the menu, flattened as the API wants it.
		reqs := env.Fake.Requests()
		params := reqs[len(reqs)-1].Params
		var names []string
		for name := range params {
			if strings.HasPrefix(name, "MenuKeyMap.") {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		fmt.Fprintln(out, "menu on the wire:")
		for _, name := range names {
			fmt.Fprintf(out, "  %s=%s\n", name, params.Get(name))
		}
	}

	rec, err := env.Client.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{
		CallID: resp.CallID, ProdID: dyvms.ProductIVR, QueryDate: placed,
	})
	if err != nil {
		return fmt.Errorf("QueryCallDetailByCallId: %w", err)
	}
	d, err := rec.Detail()
	switch {
	case err != nil:
		return fmt.Errorf("call detail: %w", err)
	case d.State == "":
		fmt.Fprintln(out, "call detail: no record yet; the service has it once the call has ended")
	default:
		fmt.Fprintf(out, "call detail: state %s (%s), talked %ds, ended %s\n", d.State, d.StateDesc, d.Duration, d.EndDate)
	}
	return nil
}
