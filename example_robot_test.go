package dyvms_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	dyvms "github.com/dyvms/dyvms-go"
)

// Walking every finished robocall task, page by page. A stand-in server
// with three tasks answers here; a real program leaves out WithEndpoint.
func ExampleClient_QueryRobotTaskListAll() {
	pages := map[string]string{
		"1": `{"Code":"OK","PageNo":"1","PageSize":"2","TotalCount":"3","Data":"[{\"id\":1001,\"taskName\":\"renewals\",\"status\":\"FINISH\",\"finishCount\":120},{\"id\":1002,\"taskName\":\"survey\",\"status\":\"FINISH\",\"finishCount\":80}]"}`,
		"2": `{"Code":"OK","PageNo":"2","PageSize":"2","TotalCount":"3","Data":"[{\"id\":1003,\"taskName\":\"reminders\",\"status\":\"FINISH\",\"finishCount\":42}]"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		fmt.Fprint(w, pages[r.PostForm.Get("PageNo")])
	}))
	defer srv.Close()

	client, err := dyvms.NewClient(
		dyvms.WithAccessKey("yourAccessKeyId", "yourAccessKeySecret"),
		dyvms.WithEndpoint(srv.URL),
	)
	if err != nil {
		log.Fatal(err)
	}
	req := &dyvms.QueryRobotTaskListRequest{Status: dyvms.RobotTaskFinish, PageSize: 2}
	for task, err := range client.QueryRobotTaskListAll(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(task.ID, task.TaskName, task.FinishCount)
	}
	// Output:
	// 1001 renewals 120
	// 1002 survey 80
	// 1003 reminders 42
}
