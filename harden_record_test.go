package dyvms

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUnknownCallIsNoRecord: the service answers success with an empty
// Data for a call it does not know; Detail says so with ErrNoRecord rather
// than an all-empty record and a nil error. A real record still decodes.
func TestUnknownCallIsNoRecord(t *testing.T) {
	for _, data := range []string{`""`, `null`, `"{}"`, `"null"`, `" "`, `{}`, ``} {
		body := `{"Code":"OK","RequestId":"R-1","Message":"OK"`
		if data != "" {
			body += `,"Data":` + data
		}
		body += `}`
		rec := newRecorder(t, replyBody(200, "application/json", body))
		c := newTestClient(t, rec.srv.URL)
		resp, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "116012354148^0", ProdID: ProductIVR, QueryDate: fixedTime})
		require.NoError(t, err, data)
		require.Equal(t, "R-1", resp.RequestID)
		d, err := resp.Detail()
		require.ErrorIs(t, err, ErrNoRecord, "Data %s", data)
		require.Zero(t, d)
		require.Equal(t, "116012354148^0", rec.requests()[0].form.Get("CallId"))
		_, err = (&QueryCallDetailByTaskIdResponse{Data: resp.Data}).Detail()
		require.ErrorIs(t, err, ErrNoRecord)
	}
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"Code":"OK","RequestId":"R","Data":` + strconv.Quote(`{"caller":"13900001234","duration":"5"}`) + `}`))
	})
	c := newTestClient(t, rec.srv.URL)
	resp, err := c.QueryCallDetailByCallId(context.Background(), &QueryCallDetailByCallIdRequest{CallID: "c", ProdID: ProductIVR, QueryDate: fixedTime})
	require.NoError(t, err)
	d, err := resp.Detail()
	require.NoError(t, err)
	require.Equal(t, "13900001234", d.Caller)
}
