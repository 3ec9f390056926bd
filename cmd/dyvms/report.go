package main

import (
	"errors"
	"fmt"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// Exit codes, documented in dyvms --help and the README.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the service answered an error, or the network failed: the request was not carried out
	exitUsage   = 2 // the command was wrong; nothing was sent
	exitUnknown = 3 // outcome unknown: the request may have been carried out
)

// exitCodesText is the exit code table of the help.
const exitCodesText = `Exit codes:
  0  success
  1  the service refused the request or could not be reached: it was not carried out
  2  the command was wrong (unknown Action or flag, bad or missing parameter, no
     credentials); nothing was sent
  3  outcome unknown: the request may have been carried out (a call may have been
     placed); stderr names the OutId to reconcile by (a call given no --OutId
     is sent with one the SDK generates). Do not re-run blindly.
`

// report prints err to stderr and returns its exit code: exitUnknown when
// the outcome is unknown (the SDK's ErrAmbiguous), exitUsage for a request
// the SDK rejected before sending it (a *dyvms.ValidationError) or missing
// credentials, exitFailure for anything else. No secret is ever printed
// (the SDK's errors are already redacted).
func (c *cli) report(err error) int {
	var amb *dyvms.AmbiguousError
	var verr *dyvms.ValidationError
	var serr *dyvms.Error
	switch {
	case errors.As(err, &amb):
		c.reportUnknown(amb)
		return exitUnknown
	case errors.As(err, &verr):
		fmt.Fprintf(c.stderr, "dyvms: %s (nothing was sent)\n", strings.TrimPrefix(verr.Error(), "dyvms: "))
		return exitUsage
	case errors.Is(err, dyvms.ErrNoCredentials):
		fmt.Fprintln(c.stderr, "dyvms: no credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with the aliyun CLI (--profile); nothing was sent")
		return exitUsage
	case errors.As(err, &serr):
		fmt.Fprintf(c.stderr, "dyvms: %s failed\n", serr.Action)
		c.writeServiceError(serr)
		return exitFailure
	default:
		fmt.Fprintln(c.stderr, "dyvms:", strings.TrimPrefix(err.Error(), "dyvms: "))
		return exitFailure
	}
}

// writeServiceError prints the fields of a service error as aligned
// lines. A body that is no Dyvmsapi answer (an HTML page from a proxy) is
// an unexpected response, shown with its redacted snippet.
func (c *cli) writeServiceError(serr *dyvms.Error) {
	w := newTabWriter(c.stderr)
	if errors.Is(serr, dyvms.ErrUnexpectedResponse) {
		fmt.Fprintf(w, "Error:\tunexpected response: the body is not a Dyvmsapi answer\n")
	} else {
		fmt.Fprintf(w, "Code:\t%s\n", serr.Code)
		if serr.Message != "" {
			fmt.Fprintf(w, "Message:\t%s\n", serr.Message)
		}
	}
	if serr.RequestID != "" {
		fmt.Fprintf(w, "RequestId:\t%s\n", serr.RequestID)
	}
	fmt.Fprintf(w, "HTTPStatus:\t%d\n", serr.HTTPStatus)
	if serr.Recommend != "" {
		fmt.Fprintf(w, "Recommend:\t%s\n", serr.Recommend)
	}
	if serr.Body != "" {
		fmt.Fprintf(w, "Body:\t%q\n", serr.Body)
	}
	w.Flush()
}

// reportUnknown explains an unknown outcome: what may have happened, the
// OutId to reconcile by, and not to re-run the command blindly.
func (c *cli) reportUnknown(amb *dyvms.AmbiguousError) {
	what := "the request may have been carried out"
	placesCall := false
	if act := catalog.Lookup(amb.Action); act != nil && act.Param("OutId") != nil {
		what, placesCall = "the call may have been placed", true
	}
	fmt.Fprintf(c.stderr, "dyvms: %s: OUTCOME UNKNOWN: %s.\n", amb.Action, what)
	w := newTabWriter(c.stderr)
	if amb.OutID != "" {
		fmt.Fprintf(w, "OutId:\t%s\t(reconcile by this OutId)\n", amb.OutID)
	} else {
		fmt.Fprintf(w, "OutId:\t(none was sent)\n")
	}
	fmt.Fprintf(w, "Attempts:\t%d\n", amb.Attempts)
	fmt.Fprintf(w, "Cause:\t%s\n", causeText(amb))
	w.Flush()
	var serr *dyvms.Error
	if errors.As(amb.Err, &serr) {
		c.writeServiceError(serr)
	}
	switch {
	case placesCall && amb.OutID != "":
		fmt.Fprintf(c.stderr, "Do not re-run this command blindly: it could ring the phone twice. Look for OutId %s in the call's receipts (VoiceReport, VoiceCallReport) first.\n", amb.OutID)
	case placesCall:
		fmt.Fprintln(c.stderr, "Do not re-run this command blindly: it could ring the phone twice. Check the call's receipts for the number first.")
	default:
		fmt.Fprintln(c.stderr, "Do not re-run this command blindly: check with a query Action whether it took effect first.")
	}
}

// causeText is the last attempt's failure in a few words.
func causeText(amb *dyvms.AmbiguousError) string {
	if amb.Err == nil {
		return "unknown"
	}
	var serr *dyvms.Error
	if errors.As(amb.Err, &serr) && errors.Is(serr, dyvms.ErrUnexpectedResponse) {
		return fmt.Sprintf("unexpected response (HTTP %d)", serr.HTTPStatus)
	}
	msg := strings.TrimPrefix(amb.Err.Error(), "dyvms: ")
	return strings.TrimPrefix(msg, amb.Action+": ")
}
