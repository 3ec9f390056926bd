package dyvmstest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// webcallTalk is how long a webcall's customer and agent talk.
const webcallTalk = 7 * time.Second

// cloudWebcall calls Tel (the first of several) and, when an agent of the
// enterprise is online and idle, bridges the customer to it; the call's
// record is then readable with CloudQueryWebcallCdr.
func cloudWebcall(x *exchange) *apiError {
	tel := strings.TrimSpace(strings.Split(x.p.Get("Tel"), ",")[0])
	seq := x.st.cloud.next()
	start := x.now
	answer := start.Add(3 * time.Second)
	cdr := record{
		"Id": seq, "UniqueId": fmt.Sprintf("medias_1-%d.%s", start.Unix(), seq),
		"CallId": fmt.Sprintf("webcall-%s-%d", seq, start.UnixNano()), "CallType": "webcall",
		"CustomerNumber": tel, "RequestUniqueId": x.p.Get("RequestUniqueId"), "Clid": x.p.Get("Clid"),
		"StartTime": unix(start), "AnswerTime": unix(answer), "IsRealAnswer": "1", "IvrName": "webcall",
		"Status": "客户接听", "StatusCode": "22", "EndReason": "1000", "Cno": "", "AgentName": "",
		"CalleeNumber": "", "BridgeTime": "", "BridgeDuration": "0", "WaitDuration": "0",
		"EndTime":       unix(answer.Add(webcallTalk)),
		"TotalDuration": strconv.FormatInt(int64((3*time.Second+webcallTalk)/time.Second), 10),
		"EnterpriseId":  x.p.Get("EnterpriseId"),
	}
	free := x.enterpriseAgents(func(a record) bool { return online(a) && a["State"] == "idle" })
	if len(free) > 0 {
		a := free[0]
		bridge := answer.Add(2 * time.Second)
		cdr["Cno"], cdr["AgentName"], cdr["CalleeNumber"] = a["Cno"], a["Name"], a["BindTel"]
		cdr["Status"], cdr["StatusCode"], cdr["BridgeTime"] = "双方接听", "24", unix(bridge)
		cdr["BridgeDuration"], cdr["WaitDuration"] = strconv.FormatInt(int64(webcallTalk/time.Second), 10), "2"
		cdr["EndTime"] = unix(bridge.Add(webcallTalk))
		a["MainUniqueId"] = cdr["UniqueId"]
	}
	x.st.cloud.webcalls = append(x.st.cloud.webcalls, cdr)
	return result(x)
}

// unix writes t as Unix seconds, as the call records do.
func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// cloudQueryWebcallCdr lists the enterprise's webcall records, newest
// first: one UniqueId, or filtered by CustomerNumber, Cno,
// RequestUniqueId and Status (a status code), a page of Start and Limit.
func cloudQueryWebcallCdr(x *exchange) *apiError {
	p := x.p
	var out []record
	for i := len(x.st.cloud.webcalls) - 1; i >= 0; i-- {
		c := x.st.cloud.webcalls[i]
		if c["EnterpriseId"] != p.Get("EnterpriseId") {
			continue
		}
		if u := p.Get("UniqueId"); u != "" {
			if c["UniqueId"] == u {
				out = append(out, c)
			}
			continue
		}
		if matchRecord(p, c, "CustomerNumber", "Cno", "RequestUniqueId") && match(p, "Status", c["StatusCode"]) {
			out = append(out, c)
		}
	}
	listOf(path(x.body, "Data"), "List", window(p, out, 10))
	return nil
}
