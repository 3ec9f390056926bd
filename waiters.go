package dyvms

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Waiters poll a query until what it reports reaches a final state, in
// the manner of aws-sdk-go-v2's waiters: a maximum wait, a delay between
// checks that grows exponentially with jitter, and a clear error when the
// maximum wait passes first. Each check is an ordinary call, retried by
// the client as any read-only query is; an error it still returns ends
// the wait.

// WaiterOptions tunes a waiter.
type WaiterOptions struct {
	// MinDelay is the delay before the second check; it doubles after each
	// check up to MaxDelay. Each delay is drawn at random between half of
	// it and all of it. Default 2 s.
	MinDelay time.Duration
	// MaxDelay caps the delay between two checks. Default 30 s.
	MaxDelay time.Duration
	// CallOptions are passed to every query the waiter makes.
	CallOptions []CallOption
}

// ErrWaitTimeout matches (errors.Is) the error of a waiter whose maximum
// wait passed before a final state was seen.
var ErrWaitTimeout = errors.New("dyvms: waiter: maximum wait exceeded")

// WaitTimeoutError is returned when a waiter's maximum wait passes first.
type WaitTimeoutError struct {
	// Waiter names the waiter, for example "CallTaskFinished".
	Waiter string
	// MaxWait is the maximum wait that passed.
	MaxWait time.Duration
	// Checks is how many times the waiter asked.
	Checks int
	// LastState is the last state seen, "" if none was ("no record yet").
	LastState string
}

// Error implements error.
func (e *WaitTimeoutError) Error() string {
	last := e.LastState
	if last == "" {
		last = "none yet"
	}
	return "dyvms: waiter " + e.Waiter + ": no final state within " + e.MaxWait.String() +
		" (" + strconv.Itoa(e.Checks) + " checks, last state " + last + ")"
}

// Is makes errors.Is(err, ErrWaitTimeout) true.
func (e *WaitTimeoutError) Is(target error) bool { return target == ErrWaitTimeout }

func waiterOptions(optFns []func(*WaiterOptions)) WaiterOptions {
	o := WaiterOptions{MinDelay: 2 * time.Second, MaxDelay: 30 * time.Second}
	for _, f := range optFns {
		f(&o)
	}
	if o.MinDelay <= 0 {
		o.MinDelay = 2 * time.Second
	}
	if o.MaxDelay < o.MinDelay {
		o.MaxDelay = o.MinDelay
	}
	return o
}

// checkResult is what one check of a waiter saw.
type checkResult[T any] struct {
	out   T
	state string // "" when there is nothing to report yet
	final bool
}

// waitFor checks until a check reports a final state, the maximum wait
// passes, ctx ends or a check fails.
func waitFor[T any](ctx context.Context, name string, maxWait time.Duration, o WaiterOptions, check func(context.Context) (checkResult[T], error)) (T, error) {
	var zero T
	if ctx == nil {
		return zero, errorf("waiter %s: nil context", name)
	}
	if maxWait <= 0 {
		return zero, errorf("waiter %s: the maximum wait must be positive, not %s", name, maxWait)
	}
	deadline := time.Now().Add(maxWait)
	last := ""
	for n := 1; ; n++ {
		res, err := check(ctx)
		if err != nil {
			return zero, err
		}
		if res.final {
			return res.out, nil
		}
		if res.state != "" {
			last = res.state
		}
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return zero, &WaitTimeoutError{Waiter: name, MaxWait: maxWait, Checks: n, LastState: last}
		}
		if err := sleepCtx(ctx, min(waiterDelay(o, n), remaining)); err != nil {
			return zero, err
		}
	}
}

// waiterDelay is the delay after check n: MinDelay doubled n-1 times,
// capped at MaxDelay, with jitter between half and all of it.
func waiterDelay(o WaiterOptions, n int) time.Duration {
	d := o.MaxDelay
	if n < 32 {
		if e := o.MinDelay << (n - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

// CallRecordWaiter waits for the final record of a call
// (QueryCallDetailByCallId): the record appears some time after the call
// ends, and until then the query finds none.
type CallRecordWaiter struct {
	client *Client
	opts   []func(*WaiterOptions)
}

// NewCallRecordWaiter returns a waiter for call records.
func NewCallRecordWaiter(client *Client, optFns ...func(*WaiterOptions)) *CallRecordWaiter {
	return &CallRecordWaiter{client: client, opts: optFns}
}

// inProgressStates are call states that a record may show before the
// call has ended.
var inProgressStates = map[string]bool{"200101": true, "200201": true, "200102": true}

// WaitForOutput queries the call's record until it exists in a final
// state, and returns the answer and its decoded detail. "No record yet"
// and a call still in progress are waited out; maxWait bounds the whole
// wait (a *WaitTimeoutError after it).
func (w *CallRecordWaiter) WaitForOutput(ctx context.Context, req *QueryCallDetailByCallIdRequest, maxWait time.Duration, optFns ...func(*WaiterOptions)) (*QueryCallDetailByCallIdResponse, CallDetail, error) {
	o := waiterOptions(append(append([]func(*WaiterOptions){}, w.opts...), optFns...))
	type found struct {
		resp   *QueryCallDetailByCallIdResponse
		detail CallDetail
	}
	res, err := waitFor(ctx, "CallRecordFinal", maxWait, o, func(ctx context.Context) (checkResult[found], error) {
		resp, err := w.client.QueryCallDetailByCallId(ctx, req, o.CallOptions...)
		if err != nil {
			return checkResult[found]{}, err
		}
		d, err := resp.Detail()
		if errors.Is(err, ErrNoRecord) {
			return checkResult[found]{}, nil // no record yet
		}
		if err != nil {
			return checkResult[found]{}, err
		}
		return checkResult[found]{out: found{resp, d}, state: d.State, final: d.State != "" && !inProgressStates[d.State]}, nil
	})
	return res.resp, res.detail, err
}

// Wait is WaitForOutput without the output.
func (w *CallRecordWaiter) Wait(ctx context.Context, req *QueryCallDetailByCallIdRequest, maxWait time.Duration, optFns ...func(*WaiterOptions)) error {
	_, _, err := w.WaitForOutput(ctx, req, maxWait, optFns...)
	return err
}

// CallTaskWaiter waits for a batch voice task (CreateCallTask) to finish:
// status DONE, CANCEL or SYSTEM_CANCEL. A stopped task (STOP, SYSTEM_STOP)
// may be started again, so it is not final.
type CallTaskWaiter struct {
	client *Client
	opts   []func(*WaiterOptions)
}

// NewCallTaskWaiter returns a waiter for call tasks.
func NewCallTaskWaiter(client *Client, optFns ...func(*WaiterOptions)) *CallTaskWaiter {
	return &CallTaskWaiter{client: client, opts: optFns}
}

// finalCallTask are the states a call task does not leave.
var finalCallTask = map[CallTaskStatus]bool{CallTaskDone: true, CallTaskCancel: true, CallTaskSystemCancel: true}

// WaitForOutput lists the task taskID (ListCallTask with TaskId) until it
// is in a final state and returns it. A task the listing does not show is
// an error matching ErrNoRecord, not a reason to wait.
func (w *CallTaskWaiter) WaitForOutput(ctx context.Context, taskID int64, maxWait time.Duration, optFns ...func(*WaiterOptions)) (*CallTask, error) {
	o := waiterOptions(append(append([]func(*WaiterOptions){}, w.opts...), optFns...))
	id := strconv.FormatInt(taskID, 10)
	return waitFor(ctx, "CallTaskFinished", maxWait, o, func(ctx context.Context) (checkResult[*CallTask], error) {
		resp, err := w.client.ListCallTask(ctx, &ListCallTaskRequest{TaskID: id}, o.CallOptions...)
		if err != nil {
			return checkResult[*CallTask]{}, err
		}
		for i := range resp.Tasks {
			if t := &resp.Tasks[i]; t.ID == taskID {
				return checkResult[*CallTask]{out: t, state: string(t.Status), final: finalCallTask[t.Status]}, nil
			}
		}
		return checkResult[*CallTask]{}, fmt.Errorf("dyvms: waiter CallTaskFinished: ListCallTask (RequestId %s) has no task %s: %w",
			resp.RequestID, id, ErrNoRecord)
	})
}

// Wait is WaitForOutput without the output.
func (w *CallTaskWaiter) Wait(ctx context.Context, taskID int64, maxWait time.Duration, optFns ...func(*WaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, taskID, maxWait, optFns...)
	return err
}

// RobotTaskWaiter waits for a robocall task to finish: status FINISH,
// CANCEL or SYSTEM_CANCEL. A paused task (MANUAL_STOP, SYSTEM_STOP,
// ARREARS_STOP) may be started again, so it is not final.
type RobotTaskWaiter struct {
	client *Client
	opts   []func(*WaiterOptions)
}

// NewRobotTaskWaiter returns a waiter for robocall tasks.
func NewRobotTaskWaiter(client *Client, optFns ...func(*WaiterOptions)) *RobotTaskWaiter {
	return &RobotTaskWaiter{client: client, opts: optFns}
}

// finalRobotTask are the states a robocall task does not leave.
var finalRobotTask = map[RobotTaskStatus]bool{RobotTaskFinish: true, RobotTaskCancel: true, RobotTaskSystemCancel: true}

// WaitForOutput queries the task (QueryRobotTaskDetail) until it is in a
// final state and returns its detail.
func (w *RobotTaskWaiter) WaitForOutput(ctx context.Context, taskID int64, maxWait time.Duration, optFns ...func(*WaiterOptions)) (RobotTaskDetail, error) {
	o := waiterOptions(append(append([]func(*WaiterOptions){}, w.opts...), optFns...))
	return waitFor(ctx, "RobotTaskFinished", maxWait, o, func(ctx context.Context) (checkResult[RobotTaskDetail], error) {
		resp, err := w.client.QueryRobotTaskDetail(ctx, &QueryRobotTaskDetailRequest{ID: taskID}, o.CallOptions...)
		if err != nil {
			return checkResult[RobotTaskDetail]{}, err
		}
		d, err := resp.Detail()
		if err != nil {
			return checkResult[RobotTaskDetail]{}, err
		}
		return checkResult[RobotTaskDetail]{out: d, state: string(d.Status), final: finalRobotTask[d.Status]}, nil
	})
}

// Wait is WaitForOutput without the output.
func (w *RobotTaskWaiter) Wait(ctx context.Context, taskID int64, maxWait time.Duration, optFns ...func(*WaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, taskID, maxWait, optFns...)
	return err
}
