package dyvmstest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
)

// The SDK's typed Actions decode the fake's bodies: call detail, call-task
// paging through the iterator, robot-task list and detail.
func TestTypedActionsDecode(t *testing.T) {
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			srv := newServer(t)
			c := client(t, srv, dyvms.WithFormat(f))
			ctx := context.Background()

			call, err := c.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1"})
			if err != nil {
				t.Fatal(err)
			}
			q, err := c.QueryCallDetailByCallId(ctx, &dyvms.QueryCallDetailByCallIdRequest{
				CallID: call.CallID, ProdID: dyvms.ProductVoiceTTS, QueryDate: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			if d, err := q.Detail(); err != nil || d.Callee != "13900001234" || d.State != "200000" || d.Duration != 7 {
				t.Fatalf("Detail() = %+v, %v", d, err)
			}

			var ids []int64
			for i := 0; i < 3; i++ {
				r, err := c.CreateCallTask(ctx, &dyvms.CreateCallTaskRequest{
					TaskName: fmt.Sprint("task-", i), DataType: dyvms.CallTaskDataJSON,
					Data: dyvms.CallTaskData{CalleeList: []dyvms.CallTaskCallee{{Callee: "13100000001"}}},
				})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.TaskID)
			}
			if _, err := c.ExecuteCallTask(ctx, &dyvms.ExecuteCallTaskRequest{TaskID: ids[0], Status: dyvms.CallTaskRunning}); err != nil {
				t.Fatal(err)
			}
			n := 0
			for task, err := range c.ListCallTaskAll(ctx, &dyvms.ListCallTaskRequest{PageSize: 2}) {
				if err != nil {
					t.Fatal(err)
				}
				if task.ID == ids[0] && task.Status != dyvms.CallTaskRunning {
					t.Fatalf("task %+v", task)
				}
				n++
			}
			if n != 3 {
				t.Fatalf("iterated %d tasks, want 3", n)
			}

			rt, err := c.CreateRobotTask(ctx, &dyvms.CreateRobotTaskRequest{TaskName: "robot", DialogID: 1000023001,
				Caller: "057100000001", NumberStatusIdent: dyvms.Ptr(true), RetryType: dyvms.Ptr(dyvms.RobotRetryOn)})
			if err != nil {
				t.Fatal(err)
			}
			id, err := rt.TaskID()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.StartRobotTask(ctx, &dyvms.StartRobotTaskRequest{TaskID: id}); err != nil {
				t.Fatal(err)
			}
			list, err := c.QueryRobotTaskList(ctx, &dyvms.QueryRobotTaskListRequest{Status: dyvms.RobotTaskExecuting})
			if err != nil {
				t.Fatal(err)
			}
			if tasks, err := list.Tasks(); err != nil || len(tasks) != 1 || tasks[0].ID != id || tasks[0].RobotID != 1000023001 {
				t.Fatalf("Tasks() = %+v, %v", tasks, err)
			}
			det, err := c.QueryRobotTaskDetail(ctx, &dyvms.QueryRobotTaskDetailRequest{ID: id})
			if err != nil {
				t.Fatal(err)
			}
			if d, err := det.Detail(); err != nil || d.ID != id || d.Status != dyvms.RobotTaskExecuting || !d.NumberStatusIdent || strconv.FormatInt(d.RetryType, 10) != "1" {
				t.Fatalf("Detail() = %+v, %v", d, err)
			}
		})
	}
}

// Sample values the API reference's OCR cut short are answered as the real
// service sends them: the qualification state is NORMAL, not "NORMA".
func TestOCRDamagedSampleValuesRepaired(t *testing.T) {
	for _, f := range formats {
		srv := newServer(t)
		c := client(t, srv, dyvms.WithFormat(f))
		r, err := c.GetHotlineQualificationByOrder(context.Background(), &dyvms.GetHotlineQualificationByOrderRequest{OrderID: "22456"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Qualification.Status != dyvms.HotlineQualificationNormal {
			t.Fatalf("%s: Status = %q, want NORMAL", f, r.Qualification.Status)
		}
	}
}
