// Command dyvms calls Alibaba Cloud Voice Messaging Service (Dyvmsapi
// 2017-05-25) from the command line, with the typed requests, validation
// and error handling of the dyvms SDK:
//
//	dyvms help                                   # Actions by group
//	dyvms SingleCallByTts --help                 # parameters, types, an example
//	dyvms SingleCallByTts --CalledNumber 13900001234 --TtsCode TTS_100000 \
//	    --TtsParam '{"code":"1234"}'
//	dyvms ListCallTask --all --output table      # every page
//	dyvms CreateCallTask --TaskName t --BizType VMS_VOICE_TTS \
//	    --TemplateCode TTS_1 --callees-csv callees.csv
//	dyvms fake                                   # a fake server to try it on
//	dyvms receipts listen --addr 127.0.0.1:8080  # print pushed receipts
//
// Exit codes: 0 success; 1 the service or the network failed; 2 the command
// was wrong (unknown Action or flag, bad or missing parameter, no
// credentials) and nothing was sent.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
