package dyvms_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"time"

	"github.com/dyvms/dyvms-go"
)

// callcenterExampleServer starts a loopback server that answers every request with
// respond(form), where form holds the Action's own parameters.
func callcenterExampleServer(respond func(form url.Values) string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, respond(form))
	}))
}

// A batch task that reads a TTS template to two numbers, each with its own
// template variables.
func ExampleClient_CreateCallTask() {
	srv := callcenterExampleServer(func(form url.Values) string {
		fmt.Println("Data sent:", form.Get("Data"))
		return `{"Code":"200","Data":123456,"RequestId":"ED815433-724A-4357-9991-A54AD2FF09FD"}`
	})
	defer srv.Close()
	client, err := dyvms.NewClient(dyvms.WithAccessKey("id", "secret"), dyvms.WithEndpoint(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.CreateCallTask(context.Background(), &dyvms.CreateCallTaskRequest{
		TaskName:     "renewal-reminder",
		BizType:      dyvms.CallTaskBizVoiceTTS,
		TemplateCode: "TTS_2122****",
		DataType:     dyvms.CallTaskDataJSON,
		Data: dyvms.CallTaskData{
			ParamNames: []string{"name", "date"},
			CalleeList: []dyvms.CallTaskCallee{
				{Callee: "1390000****", Params: []string{"Li", "June 1"}},
				{Callee: "1390001****", Params: []string{"Wang", "June 2"}},
			},
		},
		Resource:     "05516214****",
		ResourceType: dyvms.CallTaskResourceList,
	})
	if err != nil {
		log.Fatal(err) // not retried blindly: look the task up with ListCallTask first
	}
	fmt.Println("task:", resp.TaskID)
	// Output:
	// Data sent: {"paramNames":["name","date"],"calleeList":[{"callee":"1390000****","params":["Li","June 1"]},{"callee":"1390001****","params":["Wang","June 2"]}]}
	// task: 123456
}

// The record of one call: Data is JSON inside a string, decoded by Detail;
// its dates are China Standard Time.
func ExampleClient_QueryCallDetailByCallId() {
	srv := callcenterExampleServer(func(url.Values) string {
		return `{"Code":"OK","Message":"OK","RequestId":"A90E4451-FED7-49D2-87C8-00700A8C4D0D",` +
			`"Data":"{\"caller\":\"18767****\",\"callee\":\"1373546****\",\"state\":\"200000\",\"duration\":25,` +
			`\"gmtCreate\":\"2022-12-21 10:00:00\",\"startDate\":\"2022-12-21 10:00:08\",\"endDate\":\"2022-12-21 10:00:33\"}"}`
	})
	defer srv.Close()
	client, err := dyvms.NewClient(dyvms.WithAccessKey("id", "secret"), dyvms.WithEndpoint(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.QueryCallDetailByCallId(context.Background(), &dyvms.QueryCallDetailByCallIdRequest{
		CallID:    "116014888060^10281631****",
		ProdID:    dyvms.ProductVoiceTTS,
		QueryDate: time.Date(2022, 12, 21, 0, 0, 0, 0, dyvms.ChinaStandardTime()),
	})
	if err != nil {
		log.Fatal(err)
	}
	detail, err := resp.Detail()
	if err != nil {
		log.Fatal(err) // the call succeeded; only its Data was malformed
	}
	fmt.Println(detail.Callee, detail.State, detail.Duration, "s")
	fmt.Println("answered:", detail.StartedAt().UTC().Format(time.RFC3339))
	// Output:
	// 1373546**** 200000 25 s
	// answered: 2022-12-21T02:00:08Z
}

// Every finished task, however many pages the listing has: the iterator
// fetches one page at a time and stops at the total.
func ExampleClient_ListCallTaskAll() {
	names := []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	srv := callcenterExampleServer(func(form url.Values) string {
		page, _ := strconv.Atoi(form.Get("PageNumber"))
		size, _ := strconv.Atoi(form.Get("PageSize"))
		data := ""
		for i := (page - 1) * size; i < page*size && i < len(names); i++ {
			if data != "" {
				data += ","
			}
			data += fmt.Sprintf(`{"Id":%d,"TaskName":%q,"Status":"DONE"}`, 1000+i, names[i])
		}
		return fmt.Sprintf(`{"Code":"200","RequestId":"R","PageNumber":%d,"PageSize":%d,"Total":%d,"Data":[%s]}`,
			page, size, len(names), data)
	})
	defer srv.Close()
	client, err := dyvms.NewClient(dyvms.WithAccessKey("id", "secret"), dyvms.WithEndpoint(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	req := &dyvms.ListCallTaskRequest{Status: dyvms.CallTaskDone, PageSize: 2}
	for task, err := range client.ListCallTaskAll(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(task.ID, task.TaskName)
	}
	// Output:
	// 1000 alpha
	// 1001 beta
	// 1002 gamma
	// 1003 delta
	// 1004 epsilon
}
