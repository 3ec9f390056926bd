// Command robot-task walks a robocall (smart outbound) task through its
// life: create it, add the numbers to call, start it, read its state, stop
// it and delete it.
//
//	go run ./examples/robot-task
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi. With them it starts a real task, which places calls, so it
// needs DYVMS_EXAMPLE_ROBOT_ID (the robot's DialogId), DYVMS_EXAMPLE_CALLER
// (your calling numbers) and DYVMS_EXAMPLE_TO (the numbers to call,
// comma-separated); DYVMS_EXAMPLE_CORP_NAME is optional.
package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("robot-task", run) }

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	robot := env.Var("DYVMS_EXAMPLE_ROBOT_ID", "1000003", "the DialogId of an approved robot (communication script)")
	caller := env.Var("DYVMS_EXAMPLE_CALLER", "057100005678", "your calling number(s), comma-separated")
	to := env.Var("DYVMS_EXAMPLE_TO", "13900001234,13900005678", "the numbers to call, comma-separated")
	corp := env.Optional("DYVMS_EXAMPLE_CORP_NAME", "Example Co.", "")
	if err := env.Err(); err != nil {
		return err
	}
	dialogID, err := strconv.ParseInt(robot, 10, 64)
	if err != nil {
		return fmt.Errorf("DYVMS_EXAMPLE_ROBOT_ID %q is not a number", robot)
	}

	// 1. Create the task: its robot, calling numbers and redial policy.
	created, err := env.Client.CreateRobotTask(ctx, &dyvms.CreateRobotTaskRequest{
		TaskName:          "dyvms-go example",
		DialogID:          dialogID,
		Caller:            caller,
		CorpName:          corp,
		NumberStatusIdent: dyvms.Ptr(true),
		RetryType:         dyvms.Ptr(dyvms.RobotRetryOn),
		RecallStateCodes:  string(dyvms.RobotCallBusy) + "," + string(dyvms.RobotCallPoweredOff),
		RecallTimes:       1,
		RecallInterval:    5, // minutes
	})
	if err != nil {
		return fmt.Errorf("CreateRobotTask: %w", err)
	}
	id, err := created.TaskID()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created robot task %d\n", id)

	// 2. Add the numbers to call, with a script variable for each.
	if _, err := env.Client.UploadRobotTaskCalledFile(ctx, &dyvms.UploadRobotTaskCalledFileRequest{
		ID:           id,
		CalledNumber: to,
		TtsParamHead: []string{"name"},
		TtsParam:     []dyvms.RobotTtsParam{{Number: dyvms.RobotTtsAllNumbers, Params: []string{"customer"}}},
	}); err != nil {
		return fmt.Errorf("UploadRobotTaskCalledFile: %w", err)
	}
	fmt.Fprintf(out, "added numbers %s\n", exampleenv.MaskList(to))

	// 3. Start it now (a ScheduleTime would start it later) and read its state.
	started, err := env.Client.StartRobotTask(ctx, &dyvms.StartRobotTaskRequest{TaskID: id})
	if err != nil {
		// StartRobotTask places calls: check the state before any resend.
		return fmt.Errorf("StartRobotTask: %w", err)
	}
	fmt.Fprintf(out, "started: %s\n", started.Data)
	if err := printDetail(ctx, out, env.Client, id); err != nil {
		return err
	}

	// 4. Stop (pause) it; StartRobotTask would resume it.
	stopped, err := env.Client.StopRobotTask(ctx, &dyvms.StopRobotTaskRequest{TaskID: id})
	if err != nil {
		return fmt.Errorf("StopRobotTask: %w", err)
	}
	fmt.Fprintf(out, "stopped: %s\n", stopped.Data)
	if err := printDetail(ctx, out, env.Client, id); err != nil {
		return err
	}

	// 5. Delete it (a running task must be stopped first).
	deleted, err := env.Client.DeleteRobotTask(ctx, &dyvms.DeleteRobotTaskRequest{TaskID: id})
	if err != nil {
		return fmt.Errorf("DeleteRobotTask: %w", err)
	}
	fmt.Fprintf(out, "deleted: %s\n", deleted.Data)
	return nil
}

// printDetail prints the task's state, from QueryRobotTaskDetail.
func printDetail(ctx context.Context, out io.Writer, client *dyvms.Client, id int64) error {
	resp, err := client.QueryRobotTaskDetail(ctx, &dyvms.QueryRobotTaskDetailRequest{ID: id})
	if err != nil {
		return fmt.Errorf("QueryRobotTaskDetail: %w", err)
	}
	d, err := resp.Detail()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  task %d %q: status %s, robot %d (%s), caller %s, redial %d time(s) every %d min on %s, created %s, fired %s\n",
		d.ID, d.TaskName, d.Status, d.RobotID, d.RobotName, exampleenv.MaskList(d.Caller),
		d.RecallTimes, d.RecallInterval, d.RecallStateCodes, d.CreateTime, d.FireTime)
	return nil
}
