package dyvms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/dyvmstest"
)

// fast makes a waiter check every few milliseconds.
func fast(o *dyvms.WaiterOptions) { o.MinDelay, o.MaxDelay = 5*time.Millisecond, 20*time.Millisecond }

func fakeClient(t *testing.T, opts ...dyvmstest.Option) (*dyvmstest.Server, *dyvms.Client) {
	t.Helper()
	srv := dyvmstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(t, err)
	return srv, c
}

// A started call task runs for a while on the fake and then finishes on its
// own; the waiter sees RUNNING first, then returns the DONE task.
func TestCallTaskWaiterUntilDone(t *testing.T) {
	srv, c := fakeClient(t)
	ctx := context.Background()
	created, err := c.CreateCallTask(ctx, &dyvms.CreateCallTaskRequest{
		TaskName: "renewals", BizType: dyvms.CallTaskBizTTS, TemplateCode: "TTS_100000", Resource: "057100000000",
		DataType: dyvms.CallTaskDataJSON, Data: dyvms.CallTaskData{CalleeList: []dyvms.CallTaskCallee{{Callee: "13900001234"}}},
	})
	require.NoError(t, err)
	_, err = c.ExecuteCallTask(ctx, &dyvms.ExecuteCallTaskRequest{TaskID: created.TaskID, Status: dyvms.CallTaskRunning})
	require.NoError(t, err)

	task, err := dyvms.NewCallTaskWaiter(c, fast).WaitForOutput(ctx, created.TaskID, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, created.TaskID, task.ID)
	assert.Equal(t, dyvms.CallTaskDone, task.Status)
	assert.Greater(t, srv.Count("ListCallTask"), 1, "the waiter saw the task running before it finished")
}

// A task never started is not final: the waiter gives up at its maximum
// wait with a typed error naming the last state.
func TestCallTaskWaiterTimeout(t *testing.T) {
	_, c := fakeClient(t)
	ctx := context.Background()
	created, err := c.CreateCallTask(ctx, &dyvms.CreateCallTaskRequest{
		TaskName: "idle", BizType: dyvms.CallTaskBizTTS, TemplateCode: "TTS_100000", Resource: "057100000000",
		DataType: dyvms.CallTaskDataJSON, Data: dyvms.CallTaskData{CalleeList: []dyvms.CallTaskCallee{{Callee: "13900001234"}}},
	})
	require.NoError(t, err)
	err = dyvms.NewCallTaskWaiter(c, fast).Wait(ctx, created.TaskID, 100*time.Millisecond)
	require.ErrorIs(t, err, dyvms.ErrWaitTimeout)
	var te *dyvms.WaitTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "CallTaskFinished", te.Waiter)
	assert.Equal(t, "INIT", te.LastState)
	assert.Greater(t, te.Checks, 1)
	assert.Contains(t, err.Error(), "last state INIT")
}

// A task the listing does not know is an error at once, not a wait.
func TestCallTaskWaiterUnknownTask(t *testing.T) {
	srv, c := fakeClient(t)
	err := dyvms.NewCallTaskWaiter(c, fast).Wait(context.Background(), 987654, time.Minute)
	require.ErrorIs(t, err, dyvms.ErrNoRecord)
	assert.Contains(t, err.Error(), "has no task 987654")
	assert.Equal(t, 1, srv.Count("ListCallTask"))
}

func TestRobotTaskWaiterFinalAndNot(t *testing.T) {
	_, c := fakeClient(t)
	ctx := context.Background()
	created, err := c.CreateRobotTask(ctx, &dyvms.CreateRobotTaskRequest{TaskName: "survey", DialogID: 1, Caller: "057100000000",
		NumberStatusIdent: dyvms.Ptr(true), RetryType: dyvms.Ptr(dyvms.RobotRetryOn)})
	require.NoError(t, err)
	taskID, err := created.TaskID()
	require.NoError(t, err)
	_, err = c.StartRobotTask(ctx, &dyvms.StartRobotTaskRequest{TaskID: taskID})
	require.NoError(t, err)

	w := dyvms.NewRobotTaskWaiter(c, fast)
	err = w.Wait(ctx, taskID, 50*time.Millisecond)
	var te *dyvms.WaitTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, string(dyvms.RobotTaskExecuting), te.LastState)

	_, err = c.CancelRobotTask(ctx, &dyvms.CancelRobotTaskRequest{TaskID: taskID})
	require.NoError(t, err)
	d, err := w.WaitForOutput(ctx, taskID, time.Second)
	require.NoError(t, err)
	assert.Equal(t, dyvms.RobotTaskCancel, d.Status)
	assert.Equal(t, taskID, d.ID)
}

// advanceAfter moves clock on by d once the server has answered action n
// times: the waiter has seen the earlier state.
func advanceAfter(srv *dyvmstest.Server, clock *dyvmstest.Clock, action string, n int, d time.Duration) {
	go func() {
		for srv.Count(action) < n {
			time.Sleep(2 * time.Millisecond)
		}
		clock.Advance(d)
	}()
}

// A started robot task finishes on its own on the fake's clock; the waiter
// sees it running, then returns it finished.
func TestRobotTaskWaiterUntilFinished(t *testing.T) {
	clock := dyvmstest.NewClock(time.Now())
	srv, c := fakeClient(t, dyvmstest.WithClock(clock.Now))
	ctx := context.Background()
	created, err := c.CreateRobotTask(ctx, &dyvms.CreateRobotTaskRequest{TaskName: "survey", DialogID: 1, Caller: "057100000000",
		NumberStatusIdent: dyvms.Ptr(true), RetryType: dyvms.Ptr(dyvms.RobotRetryOn)})
	require.NoError(t, err)
	taskID, err := created.TaskID()
	require.NoError(t, err)
	_, err = c.StartRobotTask(ctx, &dyvms.StartRobotTaskRequest{TaskID: taskID})
	require.NoError(t, err)

	advanceAfter(srv, clock, "QueryRobotTaskDetail", 2, time.Minute)
	d, err := dyvms.NewRobotTaskWaiter(c, fast).WaitForOutput(ctx, taskID, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, dyvms.RobotTaskFinish, d.Status)
	assert.GreaterOrEqual(t, srv.Count("QueryRobotTaskDetail"), 3, "seen running, then finished")
}

// The record of a call is written some time after the call: "no record
// yet" is waited out.
func TestCallRecordWaiterNoRecordYet(t *testing.T) {
	clock := dyvmstest.NewClock(time.Now())
	srv, c := fakeClient(t, dyvmstest.WithClock(clock.Now), dyvmstest.WithCallRecordDelay(time.Minute))
	ctx := context.Background()
	placed, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000"})
	require.NoError(t, err)
	req := &dyvms.QueryCallDetailByCallIdRequest{CallID: placed.CallID, ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now()}

	advanceAfter(srv, clock, "QueryCallDetailByCallId", 2, 2*time.Minute)
	_, detail, err := dyvms.NewCallRecordWaiter(c, fast).WaitForOutput(ctx, req, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "200000", detail.State)
	assert.GreaterOrEqual(t, srv.Count("QueryCallDetailByCallId"), 3, "no record at first, then the record")
}

// The record of a call placed on the fake; an unknown call has no record
// and the waiter times out saying none was seen.
func TestCallRecordWaiter(t *testing.T) {
	_, c := fakeClient(t)
	ctx := context.Background()
	placed, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_100000", OutID: "w1"})
	require.NoError(t, err)
	req := &dyvms.QueryCallDetailByCallIdRequest{CallID: placed.CallID, ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now()}
	resp, detail, err := dyvms.NewCallRecordWaiter(c, fast).WaitForOutput(ctx, req, time.Second)
	require.NoError(t, err)
	assert.NotEmpty(t, resp.RequestID)
	assert.Equal(t, "200000", detail.State)
	assert.Equal(t, "13900001234", detail.Callee)

	unknown := &dyvms.QueryCallDetailByCallIdRequest{CallID: "116000000000^1", ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now()}
	err = dyvms.NewCallRecordWaiter(c, fast).Wait(ctx, unknown, 60*time.Millisecond)
	var te *dyvms.WaitTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "", te.LastState)
	assert.Contains(t, err.Error(), "last state none yet")
}

// Bad input fails at once, before any wait; a cancelled context ends the
// wait with its error.
func TestWaiterErrors(t *testing.T) {
	srv, c := fakeClient(t)
	w := dyvms.NewCallRecordWaiter(c, fast)
	err := w.Wait(context.Background(), &dyvms.QueryCallDetailByCallIdRequest{}, time.Minute)
	require.ErrorIs(t, err, dyvms.ErrInvalidParameter)
	assert.Zero(t, srv.Count("QueryCallDetailByCallId"))

	req := &dyvms.QueryCallDetailByCallIdRequest{CallID: "116000000000^1", ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now()}
	err = w.Wait(context.Background(), req, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "maximum wait must be positive")

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = w.Wait(ctx, req, time.Hour)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}
