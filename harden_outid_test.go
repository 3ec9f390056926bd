package dyvms

import (
	"context"
	"encoding/base32"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// generatedOutID is the form of an OutId the client generates.
var generatedOutID = regexp.MustCompile(`^[A-Z2-7]{15}$`)

// placeCall calls one call-placing Action with a request whose OutID is
// outID, and returns the response's OutID field.
func placeCall(ctx context.Context, c *Client, action, outID string) (string, error) {
	var r interface{ getOutID() string }
	var err error
	switch action {
	case "SingleCallByTts":
		req := &SingleCallByTtsRequest{CalledNumber: "13900001234", TtsCode: "TTS_1", OutID: outID}
		resp, e := c.SingleCallByTts(ctx, req)
		if req.OutID != outID {
			panic("request modified")
		}
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "SingleCallByVoice":
		resp, e := c.SingleCallByVoice(ctx, &SingleCallByVoiceRequest{CalledNumber: "13900001234", VoiceCode: "v.wav", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "ClickToDial":
		resp, e := c.ClickToDial(ctx, &ClickToDialRequest{CallerNumber: "13900001234", CallerShowNumber: "057100001111", CalledNumber: "13900005678", CalledShowNumber: "057100001111", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "IvrCall":
		resp, e := c.IvrCall(ctx, &IvrCallRequest{CalledNumber: "13900001234", CalledShowNumber: "057100001111", StartCode: "TTS_1", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "SmartCall":
		resp, e := c.SmartCall(ctx, &SmartCallRequest{CalledNumber: "13900001234", CalledShowNumber: "057100001111", VoiceCode: "v.wav", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "DoubleCallSeat":
		resp, e := c.DoubleCallSeat(ctx, &DoubleCallSeatRequest{CallerNumber: "13900001234", CalledNumber: "13900005678", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	case "SingleCallByVideo":
		resp, e := c.SingleCallByVideo(ctx, &SingleCallByVideoRequest{CalledNumber: "13900001234", VideoCode: "v1", VoiceCode: "v.wav", OutID: outID})
		if e != nil {
			return "", e
		}
		return resp.OutID, nil
	}
	_ = r
	return "", err
}

// placingActions are the call-placing Actions in the order the tests
// below call them; spec_test.go holds the set to the action table.
var placingActions = []string{"SingleCallByTts", "SingleCallByVoice", "ClickToDial", "IvrCall", "SmartCall", "DoubleCallSeat", "SingleCallByVideo"}

// TestCallPlacingAlwaysSendsOutID: every call-placing Action sends an
// OutId, generated (15 base32 characters) when the request has none, and
// the response's OutID and AmbiguousError.OutID hold the one sent; the
// request struct is not modified; Actions that place no call get none.
func TestCallPlacingAlwaysSendsOutID(t *testing.T) {
	ok := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) { relOK(w, r) })
	c := newRelClient(t, ok.URL)
	require.Len(t, placingActions, len(callPlacing), "every call-placing Action is exercised")
	seen := map[string]bool{}
	for i, action := range placingActions {
		got, err := placeCall(context.Background(), c, action, "")
		require.NoError(t, err, action)
		sent := ok.requests()[2*i].Params.Get("OutId")
		require.Regexp(t, generatedOutID, sent, action)
		require.Equal(t, sent, got, action)
		require.False(t, seen[sent])
		seen[sent] = true

		got, err = placeCall(context.Background(), c, action, "mine-1")
		require.NoError(t, err, action)
		require.Equal(t, []string{"mine-1"}, ok.requests()[2*i+1].Params["OutId"], action)
		require.Equal(t, "mine-1", got, action)
	}
	for _, r := range ok.requests() {
		require.True(t, r.SigOK, "the generated OutId is signed")
	}

	// Do places a call too.
	require.NoError(t, c.Do(context.Background(), "SingleCallByTts", url.Values{"CalledNumber": {"13900001234"}, "TtsCode": {"T"}}, nil))
	last := ok.requests()[len(ok.requests())-1]
	require.Regexp(t, generatedOutID, last.Params.Get("OutId"))

	// No OutId for an Action that places no call.
	_, err := c.CancelCall(context.Background(), &CancelCallRequest{CallID: "c"})
	require.NoError(t, err)
	require.NotContains(t, ok.requests()[len(ok.requests())-1].Params, "OutId")

	// Ambiguous: AmbiguousError.OutID is the OutId the lost request carried.
	lost := newRelServer(t, func(w http.ResponseWriter, r *http.Request, n int) { relHangUp(t, w) })
	cl := newRelClient(t, lost.URL)
	for i, action := range placingActions {
		_, err := placeCall(context.Background(), cl, action, "")
		var ae *AmbiguousError
		require.True(t, errors.As(err, &ae), "%s: %v", action, err)
		require.Equal(t, lost.requests()[i].Params.Get("OutId"), ae.OutID, action)
		require.Regexp(t, generatedOutID, ae.OutID, action)
		require.Contains(t, err.Error(), ae.OutID)
	}
	require.Len(t, lost.requests(), len(placingActions), "an ambiguous call is never sent again")

	for i := 0; i < 10000; i++ {
		id := newOutID()
		require.Regexp(t, generatedOutID, id)
		require.False(t, seen[id])
		seen[id] = true
	}
}

// TestBase32Encode9MatchesEncodingBase32: the OutId's hand-written encoder
// (which keeps encoding/base32 out of programs) writes what encoding/base32
// writes, for edge bytes and random ones.
func TestBase32Encode9MatchesEncodingBase32(t *testing.T) {
	std := base32.StdEncoding.WithPadding(base32.NoPadding)
	inputs := [][9]byte{{}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {0x80, 0, 0, 0, 0, 0, 0, 0, 1}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		var b [9]byte
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		inputs = append(inputs, b)
	}
	for _, b := range inputs {
		require.Equal(t, std.EncodeToString(b[:]), base32Encode9(b), "%x", b)
	}
}
