// Command call-centre runs the basic loop of the hosted cloud call centre:
// it creates an agent, logs it in on a phone, places a webcall that the
// call centre bridges to the free agent, reads the call's record (CDR), and
// finally logs the agent out and deletes it.
//
//	go run ./examples/call-centre
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi (package dyvmstest), where the call is answered and bridged at
// once.
//
// With ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET set
// it works in your call centre, so it also needs DYVMS_EXAMPLE_ENTERPRISE_ID
// (the call centre's enterprise ID), DYVMS_EXAMPLE_CNO (an unused agent
// number, 3 to 10 digits), DYVMS_EXAMPLE_AGENT_TEL (the phone the agent
// answers on) and DYVMS_EXAMPLE_TO (the customer number to call), and
// refuses to run without them. The record of a real call is ready once the
// call has ended; the example looks for it for up to
// DYVMS_EXAMPLE_RECORD_WAIT (default 2m).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("call-centre", run) }

// settings are what the example needs to know.
type settings struct {
	enterprise      int64
	cno, agentTel   string
	to              string
	recordWait, gap time.Duration
}

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	s, err := readSettings(env)
	if err != nil {
		return err
	}
	c := env.Client
	if err := createAgent(ctx, out, c, s); err != nil {
		return err
	}
	defer removeAgent(out, c, s) // even when a later step fails
	if err := logIn(ctx, out, c, s); err != nil {
		return err
	}
	requestID, err := webcall(ctx, out, c, s)
	if err != nil {
		return err
	}
	return readRecord(ctx, out, c, s, requestID)
}

func readSettings(env *exampleenv.Env) (settings, error) {
	s := settings{gap: 5 * time.Second}
	ent := env.Var("DYVMS_EXAMPLE_ENTERPRISE_ID", "7000002", "your call centre's enterprise ID")
	s.cno = env.Var("DYVMS_EXAMPLE_CNO", "2001", "an unused agent number (3 to 10 digits) the example creates and deletes")
	s.agentTel = env.Var("DYVMS_EXAMPLE_AGENT_TEL", "13800001111", "the phone the agent answers on")
	s.to = env.Var("DYVMS_EXAMPLE_TO", "13900001234", "the customer number to call")
	wait := env.Optional("DYVMS_EXAMPLE_RECORD_WAIT", "0s", "2m")
	if err := env.Err(); err != nil {
		return s, err
	}
	var err1, err2 error
	s.enterprise, err1 = strconv.ParseInt(ent, 10, 64)
	s.recordWait, err2 = time.ParseDuration(wait)
	if err := errors.Join(err1, err2); err != nil {
		return s, fmt.Errorf("DYVMS_EXAMPLE_ENTERPRISE_ID %q or DYVMS_EXAMPLE_RECORD_WAIT %q: %w", ent, wait, err)
	}
	return s, nil
}

func createAgent(ctx context.Context, out io.Writer, c *dyvms.Client, s settings) error {
	resp, err := c.CloudCreateAgent(ctx, &dyvms.CloudCreateAgentRequest{
		EnterpriseID: s.enterprise,
		Cno:          s.cno,
		Name:         "Example Agent " + s.cno,
		AreaCode:     "010",
	})
	if err != nil {
		return fmt.Errorf("CloudCreateAgent: %w", err)
	}
	a := resp.Data.Agent
	fmt.Fprintf(out, "agent %s (%s) created in enterprise %d: Id %s, status %s\n", a.Cno, a.Name, s.enterprise, a.ID, a.Status)
	return nil
}

// logIn binds the agent to its phone (BindType 1, an ordinary phone),
// which puts it online and idle, and reads its state back.
func logIn(ctx context.Context, out io.Writer, c *dyvms.Client, s settings) error {
	if _, err := c.CloudAgentLogin(ctx, &dyvms.CloudAgentLoginRequest{
		EnterpriseID: s.enterprise, Cno: s.cno, BindTel: s.agentTel, BindType: 1,
	}); err != nil {
		return fmt.Errorf("CloudAgentLogin: %w", err)
	}
	st, err := c.CloudGetAgentStatus(ctx, &dyvms.CloudGetAgentStatusRequest{EnterpriseID: s.enterprise, Cno: s.cno})
	if err != nil {
		return fmt.Errorf("CloudGetAgentStatus: %w", err)
	}
	fmt.Fprintf(out, "agent %s logged in on %s: login status %d, state %s\n",
		s.cno, exampleenv.Mask(s.agentTel), st.Data.LoginStatus, st.Data.State)
	return nil
}

// webcall asks the call centre to call the customer and bridge the call to
// a free agent. RequestUniqueId is the example's reference for the call:
// the call's record carries it.
func webcall(ctx context.Context, out io.Writer, c *dyvms.Client, s settings) (string, error) {
	requestID := fmt.Sprintf("example-%d", time.Now().UnixNano())
	if _, err := c.CloudWebcall(ctx, &dyvms.CloudWebcallRequest{
		EnterpriseID: s.enterprise, Tel: s.to, RequestUniqueID: requestID,
	}); err != nil {
		// A webcall places a call: do not resend it blindly. Look for its
		// record by RequestUniqueId first.
		return "", fmt.Errorf("CloudWebcall: %w", err)
	}
	fmt.Fprintf(out, "webcall placed to %s (RequestUniqueId %s)\n", exampleenv.Mask(s.to), requestID)
	return requestID, nil
}

// readRecord looks up the webcall's record by its RequestUniqueId, again
// every s.gap until s.recordWait has passed.
func readRecord(ctx context.Context, out io.Writer, c *dyvms.Client, s settings, requestID string) error {
	deadline := time.Now().Add(s.recordWait)
	for {
		resp, err := c.CloudQueryWebcallCdr(ctx, &dyvms.CloudQueryWebcallCdrRequest{
			EnterpriseID: s.enterprise, RequestUniqueID: requestID,
		})
		if err != nil {
			return fmt.Errorf("CloudQueryWebcallCdr: %w", err)
		}
		if len(resp.Data.List) > 0 {
			r := resp.Data.List[0]
			fmt.Fprintf(out, "call record %s: customer %s, agent %s (%s) on %s, status %s %s, talked %ss\n",
				r.UniqueID, exampleenv.Mask(r.CustomerNumber), r.Cno, r.AgentName, exampleenv.Mask(r.CalleeNumber),
				r.StatusCode, r.Status, r.BridgeDuration)
			return nil
		}
		if !time.Now().Add(s.gap).Before(deadline) {
			fmt.Fprintln(out, "call record: none yet; it is ready once the call has ended")
			return nil
		}
		if err := sleep(ctx, s.gap); err != nil {
			return err
		}
	}
}

// removeAgent logs the agent out and deletes it, with a context of its own
// so that it runs even after the main one has ended.
func removeAgent(out io.Writer, c *dyvms.Client, s settings) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.CloudAgentLogout(ctx, &dyvms.CloudAgentLogoutRequest{EnterpriseID: s.enterprise, Cno: s.cno}); err != nil {
		fmt.Fprintf(out, "CloudAgentLogout: %v\n", err)
	}
	if _, err := c.CloudDeleteAgent(ctx, &dyvms.CloudDeleteAgentRequest{EnterpriseID: s.enterprise, Cno: s.cno}); err != nil {
		fmt.Fprintf(out, "CloudDeleteAgent: %v\n", err)
		return
	}
	fmt.Fprintf(out, "agent %s logged out and deleted\n", s.cno)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
