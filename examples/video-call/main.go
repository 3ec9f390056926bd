// Command video-call places a video notification call (SingleCallByVideo),
// then controls the video in the call: it plays another video file, pauses
// it, reads the playback progress and resumes it.
//
//	go run ./examples/video-call
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi (package dyvmstest), where the call is answered at once.
//
// With ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET set
// it places a real call, so it also needs DYVMS_EXAMPLE_TO (the number to
// call), DYVMS_EXAMPLE_VIDEO_CODE and DYVMS_EXAMPLE_VOICE_CODE (an approved
// video file and voice file) and DYVMS_EXAMPLE_VIDEO_ID (the video file to
// play in the call), and refuses to run without them. It then waits
// DYVMS_EXAMPLE_ANSWER_WAIT (default 20s) for the callee to answer before
// it controls the video.
package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("video-call", run) }

// settings are what the example needs to know.
type settings struct {
	to, videoCode, voiceCode, videoID string
	answerWait                        time.Duration
}

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	s, err := readSettings(env)
	if err != nil {
		return err
	}
	call, err := placeVideoCall(ctx, out, env.Client, s)
	if err != nil {
		return err
	}
	if env.Real() {
		fmt.Fprintf(out, "waiting %s for the callee to answer\n", s.answerWait)
		if err := sleep(ctx, s.answerWait); err != nil {
			return err
		}
	}
	return controlVideo(ctx, out, env.Client, s, call)
}

func readSettings(env *exampleenv.Env) (settings, error) {
	s := settings{
		to:        env.Var("DYVMS_EXAMPLE_TO", "13900001234", "the mobile number to call"),
		videoCode: env.Var("DYVMS_EXAMPLE_VIDEO_CODE", "video-welcome.mp4", "an approved video file to call with"),
		voiceCode: env.Var("DYVMS_EXAMPLE_VOICE_CODE", "voice-welcome.wav", "an approved voice file for callees without video"),
		videoID:   env.Var("DYVMS_EXAMPLE_VIDEO_ID", "video-offer.mp4", "the video file to play in the call"),
	}
	wait := env.Optional("DYVMS_EXAMPLE_ANSWER_WAIT", "0s", "20s")
	if err := env.Err(); err != nil {
		return s, err
	}
	d, err := time.ParseDuration(wait)
	if err != nil || d < 0 {
		return s, fmt.Errorf("DYVMS_EXAMPLE_ANSWER_WAIT %q is not a duration", wait)
	}
	s.answerWait = d
	return s, nil
}

// placeVideoCall places the call and returns its CallId.
func placeVideoCall(ctx context.Context, out io.Writer, c *dyvms.Client, s settings) (string, error) {
	outID := fmt.Sprintf("vid%d", time.Now().Unix()) // your reference, at most 15 bytes; receipts carry it back
	resp, err := c.SingleCallByVideo(ctx, &dyvms.SingleCallByVideoRequest{
		CalledNumber: s.to,
		VideoCode:    s.videoCode,
		VoiceCode:    s.voiceCode,
		OutID:        outID,
	})
	if err != nil {
		// A call-placing Action is never resent blindly: the call may have
		// been placed. Reconcile by OutID first.
		return "", fmt.Errorf("SingleCallByVideo: %w", err)
	}
	fmt.Fprintf(out, "video call placed: CallId %s (to %s, video %s, OutId %s, RequestId %s)\n",
		resp.CallID, exampleenv.Mask(s.to), s.videoCode, outID, resp.RequestID)
	return resp.CallID, nil
}

// controlVideo plays s.videoID in the call, pauses it, reads where it is
// and resumes it.
func controlVideo(ctx context.Context, out io.Writer, c *dyvms.Client, s settings, callID string) error {
	played, err := c.PlayVideoFile(ctx, &dyvms.PlayVideoFileRequest{CallID: callID, CalledNumber: s.to, VideoID: s.videoID})
	if err != nil {
		return fmt.Errorf("PlayVideoFile: %w", err)
	}
	fmt.Fprintf(out, "playing %s in the call: %t\n", s.videoID, played.Model)

	paused, err := c.PauseVideoFile(ctx, &dyvms.PauseVideoFileRequest{CallID: callID, CalledNumber: s.to})
	if err != nil {
		return fmt.Errorf("PauseVideoFile: %w", err)
	}
	fmt.Fprintf(out, "paused: %s\n", describe(paused.Data))

	progress, err := c.QueryVideoPlayProgress(ctx, &dyvms.QueryVideoPlayProgressRequest{CallID: callID, CalledNumber: s.to})
	if err != nil {
		return fmt.Errorf("QueryVideoPlayProgress: %w", err)
	}
	fmt.Fprintf(out, "progress: %s\n", describe(progress.Data))

	resumed, err := c.ResumeVideoFile(ctx, &dyvms.ResumeVideoFileRequest{CallID: callID, CalledNumber: s.to})
	if err != nil {
		return fmt.Errorf("ResumeVideoFile: %w", err)
	}
	fmt.Fprintf(out, "resumed: %s\n", describe(resumed.Data))
	return nil
}

// describe prints the free-form Data of the video controls as key=value
// pairs in key order, masking the called number.
func describe(data map[string]any) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprint(data[k])
		if strings.Contains(strings.ToLower(k), "number") {
			v = exampleenv.Mask(v)
		}
		pairs = append(pairs, k+"="+v)
	}
	return strings.Join(pairs, " ")
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
