package dyvmstest

import (
	"sort"
	"strconv"
)

// clinkHandlers are the Clink call-centre Actions with state: its clients
// (agents) are created, described, listed, updated, bound to a phone and
// deleted. Every other Clink Action is answered by the schema-driven
// answerer.
var clinkHandlers = map[string]handler{
	"ClinkCreateClient":      clinkCreateClient,
	"ClinkUpdateClient":      clinkUpdateClient,
	"ClinkDescribeClient":    clinkDescribeClient,
	"ClinkListClients":       clinkListClients,
	"ClinkDeleteClient":      clinkDeleteClient,
	"ClinkBindClientTel":     clinkBindClientTel,
	"ClinkAgentStatusDetail": clinkAgentStatusDetail,
}

var (
	errNoClient     = businessErr("isv.INVALID_PARAMETERS", "The specified client does not exist.")
	errClientExists = businessErr("isv.INVALID_PARAMETERS", "The client number is already in use.")
)

// clinkClient returns the client the request names (EnterpriseId, Cno).
func (x *exchange) clinkClient() (record, *apiError) {
	c := x.st.clink[cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno"))]
	if c == nil {
		return nil, errNoClient
	}
	return c, nil
}

// clinkRequestID is the Clink request ID the answers carry besides the
// gateway's RequestId.
func clinkRequestID(x *exchange) {
	path(x.body, "Data")["ClinkRequestId"] = "clink-" + x.st.cloud.next()
}

// clinkCreateClient keeps a new client; a Cno in use is refused.
func clinkCreateClient(x *exchange) *apiError {
	key := cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno"))
	if x.st.clink[key] != nil {
		return errClientExists
	}
	c := record{"Active": "1", "Status": "0", "BindTel": "", "Type": "1", "Role": "0",
		"CreateTime": unix(x.now), "UpdateTime": unix(x.now), "Id": x.st.cloud.next()}
	c.setParams(x.action, x.p)
	x.st.clink[key] = c
	return showClient(x, c)
}

// clinkUpdateClient changes the properties the request carries.
func clinkUpdateClient(x *exchange) *apiError {
	c, err := x.clinkClient()
	if err != nil {
		return err
	}
	c.setParams(x.action, x.p)
	c["UpdateTime"] = unix(x.now)
	return showClient(x, c)
}

// clinkDescribeClient answers the client as Data.Client.
func clinkDescribeClient(x *exchange) *apiError {
	c, err := x.clinkClient()
	if err != nil {
		return err
	}
	return showClient(x, c)
}

// showClient writes the client over Data.Client.
func showClient(x *exchange, c record) *apiError {
	c.writeOver(path(x.body, "Data", "Client"))
	clinkRequestID(x)
	return nil
}

// clinkListClients lists the enterprise's clients, filtered by Active,
// BindTel and Qno, a page of Offset and Limit.
func clinkListClients(x *exchange) *apiError {
	var out []record
	for _, c := range x.st.clink {
		if c["EnterpriseId"] == x.p.Get("EnterpriseId") && matchRecord(x.p, c, "Active", "BindTel") &&
			(x.p.Get("Qno") == "" || jsonListHas(c["Qnos"], x.p.Get("Qno"))) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i]["Id"]) < atoi(out[j]["Id"]) })
	offset, limit := max(atoi(x.p.Get("Offset")), 0), atoi(x.p.Get("Limit"))
	if limit < 1 {
		limit = 10
	}
	data := path(x.body, "Data")
	listOf(data, "Clients", cut(out, offset, limit, 10))
	data["TotalCount"], data["PageSize"], data["PageNumber"] = num(int64(len(out))), num(limit), num(offset/limit+1)
	clinkRequestID(x)
	return nil
}

// jsonListHas reports whether the JSON list of strings list holds v.
func jsonListHas(list, v string) bool {
	var l []any
	if decodeNumbers(list, &l) != nil {
		return false
	}
	for _, e := range l {
		if scalarString(e) == v {
			return true
		}
	}
	return false
}

// clinkDeleteClient forgets the client and answers its Cno.
func clinkDeleteClient(x *exchange) *apiError {
	c, err := x.clinkClient()
	if err != nil {
		return err
	}
	delete(x.st.clink, cloudKey(x.p.Get("EnterpriseId"), x.p.Get("Cno")))
	record{"Cno": c["Cno"]}.writeOver(path(x.body, "Data"))
	clinkRequestID(x)
	return nil
}

// clinkBindClientTel binds Tel to the client (IsBind 0 unbinds it).
func clinkBindClientTel(x *exchange) *apiError {
	c, err := x.clinkClient()
	if err != nil {
		return err
	}
	c["BindTel"] = x.p.Get("Tel")
	if x.p.Get("IsBind") == "0" {
		c["BindTel"] = ""
	}
	return nil
}

// clinkAgentStatusDetail answers the client's status: IDLE once bound to
// a phone, OFFLINE otherwise.
func clinkAgentStatusDetail(x *exchange) *apiError {
	c, err := x.clinkClient()
	if err != nil {
		return err
	}
	status := record{"Status": "OFFLINE", "Cno": c["Cno"], "Name": c["Name"], "EnterpriseId": c["EnterpriseId"],
		"BindType": strconv.Itoa(1)}
	if c["BindTel"] != "" {
		status["Status"] = "IDLE"
	}
	status.writeOver(path(x.body, "Data", "AgentStatusDetail"))
	return nil
}
