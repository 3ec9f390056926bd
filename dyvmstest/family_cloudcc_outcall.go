package dyvmstest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Preview outbound calls: an online agent calls a customer (Tel); the
// call's record is readable with CloudQueryObCdr and CloudGetObCdr.

var errAgentOffline = businessErr("isv.INVALID_PARAMETERS", "The agent is not online.")

// cloudPreviewOutcall rings the agent's bound phone, then the customer,
// and bridges them: an outbound record with status 33 (both answered).
func cloudPreviewOutcall(x *exchange) *apiError {
	a, err := x.agent()
	if err != nil {
		return err
	}
	if !online(a) {
		return errAgentOffline
	}
	seq := x.st.cloud.next()
	start := x.now
	answer, bridge := start.Add(2*time.Second), start.Add(6*time.Second)
	end := bridge.Add(webcallTalk)
	unique := fmt.Sprintf("medias_1-%d.%s", start.Unix(), seq)
	tel := strings.TrimSpace(strings.Split(x.p.Get("Tel"), ",")[0])
	cdr := record{
		"Id": seq, "UniqueId": unique, "MainUniqueId": unique, "CallId": fmt.Sprintf("ob-%s-%d", seq, start.UnixNano()),
		"CallType": "预览外呼", "CallTypeCode": "4", "MainCallType": "预览外呼", "EnterpriseId": a["EnterpriseId"],
		"Cno": a["Cno"], "AgentName": a["Name"], "AgentNumber": a["BindTel"], "CustomerNumber": tel, "CalleeNumber": tel,
		"Clid": x.p.Get("ObClid"), "RequestUniqueId": x.p.Get("RequestUniqueId"),
		"StartTime": unix(start), "MainRingingTime": unix(start), "AnswerTime": unix(answer), "RingingTime": unix(answer),
		"CalleeRingingTime": unix(answer), "BridgeTime": unix(bridge), "RealAnswerTime": unix(bridge), "EndTime": unix(end),
		"BridgeDuration": strconv.FormatInt(int64(webcallTalk/time.Second), 10),
		"TotalDuration":  strconv.FormatInt(int64(end.Sub(start)/time.Second), 10),
		"Status":         "双方接听", "StatusCode": "33", "IsRealAnswer": "1", "EndReason": "1000",
	}
	x.st.cloud.outcalls = append(x.st.cloud.outcalls, cdr)
	a["MainUniqueId"] = unique
	return result(x)
}

// cloudQueryObCdr lists the enterprise's outbound records: one UniqueId,
// or filtered by CustomerNumber, Cno, AgentName, RequestUniqueId and Status
// (a status code); Order 1 and 3 list newest first.
func cloudQueryObCdr(x *exchange) *apiError {
	p := x.p
	var out []record
	for _, c := range x.st.cloud.outcalls {
		if c["EnterpriseId"] != p.Get("EnterpriseId") || !match(p, "UniqueId", c["UniqueId"]) {
			continue
		}
		if matchRecord(p, c, "CustomerNumber", "Cno", "AgentName", "RequestUniqueId") && match(p, "Status", c["StatusCode"]) &&
			match(p, "CallType", c["CallTypeCode"]) {
			out = append(out, c)
		}
	}
	if o := p.Get("Order"); o == "1" || o == "3" {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	listOf(path(x.body, "Data"), "List", window(p, out, 10))
	return nil
}

// cloudGetObCdr answers the outbound record of UniqueId (an empty list for
// an unknown one).
func cloudGetObCdr(x *exchange) *apiError {
	var out []record
	for _, c := range x.st.cloud.outcalls {
		if c["EnterpriseId"] == x.p.Get("EnterpriseId") && c["UniqueId"] == x.p.Get("UniqueId") {
			out = append(out, c)
		}
	}
	listOf(path(x.body, "Data"), "List", out)
	return nil
}
