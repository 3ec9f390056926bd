// Command dyvms calls Alibaba Cloud Voice Messaging Service (Dyvmsapi
// 2017-05-25) from the command line, with the typed requests, validation
// and error handling of the dyvms SDK. Every Action of the catalogue is a
// subcommand, found from the SDK's typed methods, with no list kept here:
//
//	dyvms help                                   # Actions by group, flags, exit codes
//	dyvms SingleCallByTts --help                 # parameters, types, allowed values, an example
//	dyvms SingleCallByTts --called-number 13900001234 --TtsCode TTS_100000 \
//	    --TtsParam '{"code":"1234"}' --OutId order-42
//	dyvms SingleCallByTts ... --dry-run          # print the request (redacted); send nothing
//	dyvms ListCallTask --all -o table            # every page
//	dyvms ListCallTask -q 'Data[].TaskName'      # one part of the output
//	dyvms configure list                         # profile, region, endpoint, credential mode
//	dyvms fake --fault SingleCallByTts=throttle:2   # a fake server, with faults
//	dyvms receipts listen --addr 127.0.0.1:8080  # print pushed receipts
//	dyvms completion bash|zsh|fish               # shell completion
//
// Exit codes: 0 success; 1 the service refused the request or could not be
// reached, so it was not carried out; 2 the command was wrong (unknown
// Action or flag, bad or missing parameter, no credentials) and nothing was
// sent; 3 the outcome is unknown: the request may have been carried out (a
// call may have been placed), stderr names the OutId to reconcile by (a
// call given no --OutId is sent with one the SDK generates), and the
// command must not be re-run blindly.
package main

//go:generate go run ./internal/constgen

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
