package dyvmstest

import (
	"strconv"
	"time"
)

// videoHandlers are the video notification call and the in-call media
// controls. A video call is a call like any other (QueryCallDetailByCallId
// finds it, receipts are pushed); the controls find the call by CallId, or
// by the latest call to the called number, and act on what it plays.
var videoHandlers = map[string]handler{
	"SingleCallByVideo":      dialVideo,
	"PlayVideoFile":          playVideo,
	"PauseVideoFile":         pauseVideo,
	"ResumeVideoFile":        resumeVideo,
	"SeekVideoFile":          seekVideo,
	"SkipVideoFile":          skipVideo,
	"QueryVideoPlayProgress": videoProgress,
	"GetCallMediaType":       videoProgress,
	"GetCallProgress":        callProgress,
	"UpgradeVideoFile":       setMediaType("video"),
	"DegradeVideoFile":       setMediaType("voice"),
	"ChangeMediaType":        setMediaType(""),
}

// videoState is what a call plays: its media type, the video file and
// where playback is.
type videoState struct {
	mediaType string // "video" or "voice"
	videoID   string
	status    string // "playing", "paused" or "" (nothing played yet)
	position  int64  // seconds into the file
}

var (
	errNoCall       = businessErr("isv.INVALID_PARAMETERS", "The specified call does not exist.")
	errNotPlaying   = businessErr("isv.INVALID_PARAMETERS", "No video file is playing in the call.")
	errNotPaused    = businessErr("isv.INVALID_PARAMETERS", "The video file in the call is not paused.")
	errNoVideoState = businessErr("isv.INVALID_PARAMETERS", "No video file was played in the call.")
)

// dialVideo places the call and starts playing VideoCode in it.
func dialVideo(x *exchange) *apiError {
	if err := dial(x); err != nil {
		return err
	}
	x.st.videos[x.call.ID] = &videoState{mediaType: "video", videoID: x.p.Get("VideoCode"), status: "playing"}
	return nil
}

// videoCall returns the call the request names, by CallId or else by the
// latest call to CalledNumber (CalledNum), and what it plays.
func (x *exchange) videoCall() (*Call, *videoState, *apiError) {
	st := x.st
	var c *Call
	if id := x.p.Get("CallId"); id != "" {
		c = st.calls[id]
	} else if n := orDefault(x.p.Get("CalledNumber"), x.p.Get("CalledNum")); n != "" {
		for i := len(st.callOrder) - 1; i >= 0 && c == nil; i-- {
			if cand := st.calls[st.callOrder[i]]; cand.CalledNumber == n {
				c = cand
			}
		}
	}
	if c == nil {
		return nil, nil, errNoCall
	}
	v := st.videos[c.ID]
	if v == nil {
		v = &videoState{mediaType: "voice"}
		st.videos[c.ID] = v
	}
	return c, v, nil
}

// videoInfo is the free-form Data of the video controls.
func videoInfo(c *Call, v *videoState) map[string]any {
	return map[string]any{"callId": c.ID, "calledNumber": c.CalledNumber, "mediaType": v.mediaType,
		"videoId": v.videoID, "playStatus": v.status, "progress": num(v.position)}
}

// answerVideo writes the call's video state into Data (an object) or sets
// Data or Model true (a bool), as the Action's schema has it.
func answerVideo(x *exchange, c *Call, v *videoState) *apiError {
	for _, k := range []string{"Data", "Model"} {
		switch x.body[k].(type) {
		case bool:
			x.body[k] = true
		case map[string]any:
			x.body[k] = videoInfo(c, v)
		}
	}
	return nil
}

// playVideo starts VideoId from its beginning in the call.
func playVideo(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	v.videoID, v.status, v.position = x.p.Get("VideoId"), "playing", 0
	if x.p.Get("OnlyPhone") != "true" {
		v.mediaType = "video"
	}
	return answerVideo(x, c, v)
}

// pauseVideo pauses the video playing in the call.
func pauseVideo(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	if v.status != "playing" {
		return errNotPlaying
	}
	v.status = "paused"
	return answerVideo(x, c, v)
}

// resumeVideo resumes the paused video.
func resumeVideo(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	if v.status != "paused" {
		return errNotPaused
	}
	v.status = "playing"
	return answerVideo(x, c, v)
}

// seekVideo moves playback by SeekTimes seconds (negative: backwards).
func seekVideo(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	if v.status == "" {
		return errNoVideoState
	}
	v.position = max(v.position+atoi(x.p.Get("SeekTimes")), 0)
	return answerVideo(x, c, v)
}

// skipVideo moves playback to SkipTimes seconds.
func skipVideo(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	if v.status == "" {
		return errNoVideoState
	}
	v.position = max(atoi(x.p.Get("SkipTimes")), 0)
	return answerVideo(x, c, v)
}

// videoProgress answers what the call plays and where.
func videoProgress(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	return answerVideo(x, c, v)
}

// setMediaType switches the call to video or voice; with to "" the
// request's MediaType decides.
func setMediaType(to string) handler {
	return func(x *exchange) *apiError {
		c, v, err := x.videoCall()
		if err != nil {
			return err
		}
		v.mediaType = orDefault(to, orDefault(x.p.Get("MediaType"), "video"))
		return answerVideo(x, c, v)
	}
}

// callProgress answers where the call is on the server's clock: calling,
// ringing, answered or ended (as its outcome decides).
func callProgress(x *exchange) *apiError {
	c, v, err := x.videoCall()
	if err != nil {
		return err
	}
	info := videoInfo(c, v)
	info["status"] = progressAt(c, x.now)
	info["statusCode"] = c.Outcome.StatusCode
	info["duration"] = strconv.FormatInt(int64(c.Outcome.Duration/time.Second), 10)
	x.body["Model"] = info
	return nil
}

// progressAt is the call's state at now: the call rings 2 s after it is
// placed and is answered 6 s later, as in its call detail.
func progressAt(c *Call, now time.Time) string {
	ring := c.Placed.Add(2 * time.Second)
	answer := ring.Add(6 * time.Second)
	switch {
	case now.Before(ring):
		return "calling"
	case c.Outcome.answered() && now.Before(answer):
		return "ringing"
	case c.Outcome.answered() && now.Before(answer.Add(c.Outcome.Duration)):
		return "answered"
	case !c.Outcome.answered() && now.Before(ring.Add(20*time.Second)):
		return "ringing"
	}
	return "ended"
}
