package dyvms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dyvms/dyvms-go/internal/catalog"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of what the generator derives for the Actions of catalogue
// version 2: offset iterators, enum validation, two-shape JSON documents,
// typed accessors of JSON-in-string fields.

// An offset listing's XxxAll sends Offset 0 (omitted: zero), 10, 20 with
// Limit 10, stops at TotalCount, yields every item once and leaves the
// caller's request alone.
func TestOffsetIteratorWalksByOffset(t *testing.T) {
	const total = 25
	var rec *recorder
	rec = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		reqs := rec.requests() // the recorder has read the body
		form := reqs[len(reqs)-1].form
		off, _ := strconv.Atoi(form.Get("Offset"))
		lim, _ := strconv.Atoi(form.Get("Limit"))
		var clients []string
		for i := off; i < off+lim && i < total; i++ {
			clients = append(clients, fmt.Sprintf(`{"Cno":"%d"}`, i))
		}
		fmt.Fprintf(w, `{"Code":"OK","RequestId":"R","Data":{"TotalCount":%d,"Clients":[%s]}}`, total, join(clients))
	})
	c := newTestClient(t, rec.srv.URL)
	req := &ClinkListClientsRequest{EnterpriseID: 8004970}
	orig := *req
	var got []string
	for cl, err := range c.ClinkListClientsAll(context.Background(), req) {
		require.NoError(t, err)
		got = append(got, cl.Cno)
	}
	require.Len(t, got, total)
	assert.Equal(t, "0", got[0])
	assert.Equal(t, "24", got[total-1])
	assert.Equal(t, orig, *req)
	reqs := rec.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		requireSigned(t, r, "ClinkListClients", testSecret)
		assert.Equal(t, "10", r.form.Get("Limit"), "page %d", i)
		assert.Equal(t, "8004970", r.form.Get("EnterpriseId"))
		if i == 0 {
			assert.NotContains(t, r.form, "Offset", "offset 0 is the default and not sent")
		} else {
			assert.Equal(t, strconv.Itoa(10*i), r.form.Get("Offset"))
		}
	}
}

func join(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// A value outside a catalogue enum or range fails before any I/O, naming
// the parameter and the allowed values.
func TestEnumAndRangeValidatedBeforeIO(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"Code":"OK"}`))
	c := newTestClient(t, rec.srv.URL)
	_, err := c.ClinkListClients(context.Background(), &ClinkListClientsRequest{EnterpriseID: 1, Active: Ptr(int64(5))})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "Active", ve.Field)
	assert.Contains(t, ve.Reason, "must be one of 1, 0")
	_, err = c.ClinkListClients(context.Background(), &ClinkListClientsRequest{EnterpriseID: 1, Limit: 101})
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "Limit", ve.Field)
	_, err = c.ClinkListClients(context.Background(), &ClinkListClientsRequest{})
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "EnterpriseId", ve.Field)
	assert.Empty(t, rec.requests(), "nothing is sent for an invalid request")
	// Ptr(0) is a valid enum value and is sent.
	_, err = c.ClinkListClients(context.Background(), &ClinkListClientsRequest{EnterpriseID: 1, Active: Ptr(int64(0))})
	require.NoError(t, err)
	require.Len(t, rec.requests(), 1)
	assert.Equal(t, "0", rec.requests()[0].form.Get("Active"))
}

// A JSON document that takes one of two shapes sends the shape that is
// set: an object for the basic retry strategy, an array for the advanced
// one; it reads either back.
func TestTwoShapeDocumentSendsTheShapeSet(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"Code":"OK","RequestId":"R"}`))
	c := newTestClient(t, rec.srv.URL)
	basic := CloudCreateTaskRetryStrategy{Basic: &CloudCreateTaskRetryStrategyBasic{Retry: Ptr(int64(2)),
		Strategy: []CloudCreateTaskRetryStrategyBasicStrategy{{Round: Ptr(int64(1)), Time: "1-1-1"}}}}
	advanced := CloudCreateTaskRetryStrategy{Advanced: []CloudCreateTaskRetryStrategyAdvanced{{
		Condition: &CloudCreateTaskRetryStrategyAdvancedCondition{SipCause: []int64{710, 719}}, Retry: Ptr(int64(0))}}}
	for _, tc := range []struct {
		rs   CloudCreateTaskRetryStrategy
		wire string
	}{
		{basic, `{"retry":2,"strategy":[{"round":1,"time":"1-1-1"}]}`},
		{advanced, `[{"condition":{"sipCause":[710,719]},"retry":0}]`},
	} {
		_, err := c.CloudCreateTask(context.Background(), &CloudCreateTaskRequest{EnterpriseID: 1, Name: "t", Type: 1, RetryStrategy: tc.rs})
		require.NoError(t, err)
		reqs := rec.requests()
		last := reqs[len(reqs)-1]
		requireSigned(t, last, "CloudCreateTask", testSecret)
		assert.JSONEq(t, tc.wire, last.form.Get("RetryStrategy"))
		var back CloudCreateTaskRetryStrategy
		require.NoError(t, json.Unmarshal([]byte(tc.wire), &back))
		assert.Equal(t, tc.rs, back)
	}
}

// A JSON-in-string field of a nested response struct decodes into its
// typed value through its accessor; a malformed one is an error of the
// accessor, not of the call.
func TestNestedJSONInStringAccessor(t *testing.T) {
	body := `{"Code":"OK","RequestId":"R","Data":{"Agent":[{"Cno":"1001","Property":"{\"unLink\":1,\"prohibitDuration\":\"30\"}"}]}}`
	rec := newRecorder(t, replyBody(200, "application/json", body))
	c := newTestClient(t, rec.srv.URL)
	resp, err := c.CloudGetAgent(context.Background(), &CloudGetAgentRequest{EnterpriseID: 1, Cno: "1001"})
	require.NoError(t, err)
	require.Len(t, resp.Data.Agent, 1)
	p, err := resp.Data.Agent[0].DecodeProperty()
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.UnLink)
	bad := resp.Data.Agent[0]
	bad.Property = "{not json"
	_, err = bad.DecodeProperty()
	require.Error(t, err)
}

// Every JSON-in-string response field that the catalogue describes
// (inner_type) has a DecodeXxx accessor beside it that decodes a body
// built from the catalogue into a value carrying every inner field.
func TestEveryJSONInStringFieldHasATypedAccessor(t *testing.T) {
	n := 0
	for _, a := range catalog.Load().Actions {
		if !hasInnerType(a.Response) {
			continue
		}
		m, _, _, ok := actionMethod(a.Name)
		require.True(t, ok, a.Name)
		rec := newRecorder(t, replyBody(200, "application/json", synthesizeBody(t, &a)))
		c := newTestClient(t, rec.srv.URL)
		req := reflect.New(m.Type.In(2).Elem())
		fillFromExamples(t, req.Elem(), a.Request, "")
		out := m.Func.Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background()), req})
		if err, _ := out[1].Interface().(error); err != nil {
			require.NoError(t, err, a.Name)
		}
		n += checkAccessors(t, a.Name, out[0], a.Response)
	}
	assert.Equal(t, 23, n, "typed accessors of JSON-in-string fields")
}

func hasInnerType(fields []catalog.Field) bool {
	for _, f := range fields {
		if f.InnerType != "" || hasInnerType(f.Fields) {
			return true
		}
	}
	return false
}

// checkAccessors walks a decoded response (parent is a pointer to a
// struct) along the catalogue's fields and calls the accessor of each
// JSON-in-string field with an inner type; it returns how many it called.
func checkAccessors(t *testing.T, where string, parent reflect.Value, fields []catalog.Field) int {
	t.Helper()
	n := 0
	for _, f := range fields {
		fv, ok := jsonFieldByName(parent.Elem(), f.Name)
		require.True(t, ok, "%s.%s", where, f.Name)
		switch {
		case f.JSONInString && f.InnerType != "":
			sf, _ := fieldNameByJSON(parent.Elem().Type(), f.Name)
			acc := parent.MethodByName("Decode" + sf)
			require.True(t, acc.IsValid(), "%s: no Decode%s for %s", where, sf, f.Name)
			res := acc.Call(nil)
			require.Nil(t, res[1].Interface(), "%s.%s", where, f.Name)
			require.False(t, res[0].IsZero(), "%s.%s decoded to a zero value", where, f.Name)
			if len(f.InnerFields) > 0 {
				checkResponseFields(t, where+"."+f.Name, res[0].Type(), f.InnerFields)
			}
			n++
		case f.Type == "object" && len(f.Fields) > 0:
			n += checkAccessors(t, where+"."+f.Name, fv.Addr(), f.Fields)
		case f.Type == "array" && len(f.Fields) > 0 && fv.Len() > 0:
			n += checkAccessors(t, where+"."+f.Name, fv.Index(0).Addr(), f.Fields)
		}
	}
	return n
}

// fieldNameByJSON is the Go name of the field of t tagged json:"name".
func fieldNameByJSON(t reflect.Type, name string) (string, bool) {
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return t.Field(i).Name, true
		}
	}
	return "", false
}

// Every JSON-valued parameter whose document the catalogue describes
// (inner_schema) takes a Go value, never a string of JSON.
func TestJSONParametersAreTyped(t *testing.T) {
	n := 0
	for _, a := range catalog.Load().Actions {
		_, req, _, ok := actionMethod(a.Name)
		require.True(t, ok, a.Name)
		tags := requestTags(req)
		for _, p := range a.Request {
			if p.InnerSchema == nil {
				continue
			}
			n++
			ti := tags[p.Name]
			assert.True(t, hasOpt(ti, "json"), "%s.%s", a.Name, p.Name)
			k := ti.field.Type.Kind()
			assert.Contains(t, []reflect.Kind{reflect.Slice, reflect.Struct, reflect.Map}, k, "%s.%s is %s", a.Name, p.Name, ti.field.Type)
		}
	}
	assert.Equal(t, 42, n)
}

// A listing whose offset and limit are strings pages like the others, and
// one paged through a pointer inside a JSON document (Pager.PageIndex)
// sends a fresh page number on each page without touching the caller's.
func TestIteratorsOverStringOffsetsAndPointerPages(t *testing.T) {
	var rec *recorder
	rec = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		reqs := rec.requests()
		form := reqs[len(reqs)-1].form
		switch form.Get("Action") + reqs[len(reqs)-1].query.Get("Action") {
		case "CloudListSkill":
			off, _ := strconv.Atoi(form.Get("Offset"))
			var items []string
			for i := off; i < off+10 && i < 15; i++ {
				items = append(items, fmt.Sprintf(`{"SkillId":"%d"}`, i))
			}
			fmt.Fprintf(w, `{"Code":"OK","RequestId":"R","Data":{"List":[%s]}}`, join(items))
		default:
			var pager struct{ PageIndex, PageSize int64 }
			require.NoError(t, json.Unmarshal([]byte(form.Get("Pager")), &pager))
			n := 2
			if pager.PageIndex == 3 {
				n = 1
			}
			var items []string
			for i := 0; i < n; i++ {
				items = append(items, fmt.Sprintf(`{"Code":"p%d-%d"}`, pager.PageIndex, i))
			}
			fmt.Fprintf(w, `{"Code":"OK","RequestId":"R","Model":{"PageSize":2,"TotalCount":5,"Records":[%s]}}`, join(items))
		}
	})
	c := newTestClient(t, rec.srv.URL)
	n := 0
	for _, err := range c.CloudListSkillAll(context.Background(), &CloudListSkillRequest{EnterpriseID: 1}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 15, n)
	reqs := rec.requests()
	require.Len(t, reqs, 2) // 10, then a short page of 5
	assert.Equal(t, "0", reqs[0].form.Get("Offset"))
	assert.Equal(t, "10", reqs[1].form.Get("Offset"))
	assert.Equal(t, "10", reqs[1].form.Get("Limit"))

	start := int64(2)
	req := &ListServiceInstanceForPageRequest{Pager: ListServiceInstanceForPagePager{PageIndex: &start}}
	var codes []string
	for r, err := range c.ListServiceInstanceForPageAll(context.Background(), req) {
		require.NoError(t, err)
		codes = append(codes, r.Code)
	}
	assert.Equal(t, []string{"p2-0", "p2-1", "p3-0"}, codes)
	assert.Equal(t, int64(2), start, "the caller's page number is not written through")
	assert.Same(t, &start, req.Pager.PageIndex)
}

// Required keys of a JSON document are checked before any I/O, and the
// error names every missing key.
func TestRequiredKeysOfJSONDocuments(t *testing.T) {
	rec := newRecorder(t, replyBody(200, "application/json", `{"Code":"OK","RequestId":"R"}`))
	c := newTestClient(t, rec.srv.URL)
	q := CloudCreateQueueQueue{Qno: "3003", Description: "q", MusicClass: "default", Strategy: "rrordered",
		AnnounceSound: Ptr(int64(0)), JoinEmpty: Ptr(int64(1)), MaxLen: Ptr(int64(0)), MemberTimeout: Ptr(int64(25)),
		QueueTimeout: Ptr(int64(80)), Retry: Ptr(int64(5)), SayAgentno: Ptr(true), ServiceLevel: Ptr(int64(10)),
		VipSupport: Ptr(int64(1)), Weight: Ptr(int64(8))}
	req := &CloudCreateQueueRequest{EnterpriseID: 1, Queue: q,
		QueueSkills: []CloudCreateQueueQueueSkill{{SkillID: Ptr(int64(3))}}}
	_, err := c.CloudCreateQueue(context.Background(), req)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "Queue", ve.Field)
	assert.Contains(t, ve.Reason, "missing required keys: WrapupTime")
	req.Queue.WrapupTime = Ptr(int64(30))
	req.Queue.Retry, req.Queue.Weight = nil, nil
	_, err = c.CloudCreateQueue(context.Background(), req)
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Contains(t, ve.Reason, "missing required keys: Retry, Weight", "every missing key is named")
	req.Queue.Retry, req.Queue.Weight = Ptr(int64(5)), Ptr(int64(8))
	_, err = c.CloudCreateQueue(context.Background(), req)
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "QueueSkills", ve.Field)
	assert.Contains(t, ve.Reason, "missing required keys: SkillLevel")
	assert.Empty(t, rec.requests(), "nothing is sent while a key is missing")
	req.QueueSkills[0].SkillLevel = Ptr(int64(0))
	_, err = c.CloudCreateQueue(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, rec.requests(), 1)
	assert.JSONEq(t, `[{"SkillId":3,"SkillLevel":0}]`, rec.requests()[0].form.Get("QueueSkills"))
}
