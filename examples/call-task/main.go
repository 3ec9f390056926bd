// Command call-task creates a batch voice task with a typed callee list
// (each number with its own template variables), starts it, and lists how
// each number fared.
//
//	go run ./examples/call-task
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi. With them it starts a real task, which places calls, so it
// needs DYVMS_EXAMPLE_TO (the numbers to call, comma-separated),
// DYVMS_EXAMPLE_TTS_CODE (an approved verification-code template with a
// ${code} variable) and DYVMS_EXAMPLE_CALLER (your calling virtual number).
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("call-task", run) }

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	to := env.Var("DYVMS_EXAMPLE_TO", "13900001234,13900005678,13900009012", "the numbers to call, comma-separated")
	ttsCode := env.Var("DYVMS_EXAMPLE_TTS_CODE", "TTS_100000", "an approved verification-code TTS template with a ${code} variable")
	caller := env.Var("DYVMS_EXAMPLE_CALLER", "05516214000", "your calling number (a virtual number)")
	if err := env.Err(); err != nil {
		return err
	}

	// The callee list: one code per number. A Params list that does not
	// match ParamNames is rejected before anything is sent.
	data := dyvms.CallTaskData{ParamNames: []string{"code"}}
	for _, n := range strings.Split(to, ",") {
		code, err := randomCode()
		if err != nil {
			return err
		}
		data.CalleeList = append(data.CalleeList, dyvms.CallTaskCallee{Callee: strings.TrimSpace(n), Params: []string{code}})
	}

	created, err := env.Client.CreateCallTask(ctx, &dyvms.CreateCallTaskRequest{
		TaskName:     "dyvms-go example",
		BizType:      dyvms.CallTaskBizTTS,
		TemplateCode: ttsCode,
		DataType:     dyvms.CallTaskDataJSON,
		Data:         data,
		Resource:     caller,
		ResourceType: dyvms.CallTaskResourceList,
	})
	if err != nil {
		// CreateCallTask creates a task: look for it with ListCallTask
		// before any resend.
		return fmt.Errorf("CreateCallTask: %w", err)
	}
	fmt.Fprintf(out, "created call task %d with %d callees\n", created.TaskID, len(data.CalleeList))

	started, err := env.Client.ExecuteCallTask(ctx, &dyvms.ExecuteCallTaskRequest{TaskID: created.TaskID, Status: dyvms.CallTaskRunning})
	if err != nil {
		return fmt.Errorf("ExecuteCallTask: %w", err)
	}
	fmt.Fprintf(out, "started: %v\n", started.Changed)

	// The task as a whole, then each number, page after page.
	for task, err := range env.Client.ListCallTaskAll(ctx, &dyvms.ListCallTaskRequest{TaskID: strconv.FormatInt(created.TaskID, 10)}) {
		if err != nil {
			return fmt.Errorf("ListCallTask: %w", err)
		}
		fmt.Fprintf(out, "task %d %q: %s, %d of %d calls completed\n", task.ID, task.TaskName, task.Status, task.CompletedCount, task.TotalCount)
	}
	for r, err := range env.Client.ListCallTaskDetailAll(ctx, &dyvms.ListCallTaskDetailRequest{TaskID: created.TaskID}) {
		if err != nil {
			return fmt.Errorf("ListCallTaskDetail: %w", err)
		}
		fmt.Fprintf(out, "  %s: %s, %ds, from %s\n", exampleenv.Mask(r.CalledNum), r.Status, r.Duration, exampleenv.Mask(r.Caller))
	}
	return nil
}

// randomCode returns a 6-digit verification code.
func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
