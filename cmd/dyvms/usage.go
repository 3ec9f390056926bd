package main

import (
	"fmt"
	"io"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
)

// usageHead is the first part of dyvms --help.
const usageHead = `dyvms calls Alibaba Cloud Voice Messaging Service (Dyvmsapi 2017-05-25).

Usage:
  dyvms <Action> [--Param value ...] [flags]   call an Action
  dyvms <Action> --help                        the Action's parameters and an example
  dyvms help [Action]                          this text, or an Action's help
  dyvms configure list [--profile NAME]        the profile, region, endpoint and
                                               credential mode a call would use
  dyvms fake [--addr 127.0.0.1:8080] [--fault SPEC ...]
                                               run a fake Dyvmsapi server, with faults
  dyvms receipts listen [--addr 127.0.0.1:8080] [--path /receipts]
                                               print receipts pushed to you
  dyvms completion bash|zsh|fish               a shell completion script
  dyvms version                                the version

Flags of an Action call (long flags take two dashes, short ones one):
`

// usageConfig is the configuration part of dyvms --help.
const usageConfig = `
Action parameters are --Name value or --Name=value, with the name as the API
spells it (--CalledNumber) or in any case or kebab-case (--called-number).
Values are checked before anything is sent: types, ranges, required
parameters and the allowed values the API lists; where the SDK names values
(ProductVoiceTTS for 11010000138001) the name works too.

Configuration, as the aliyun CLI reads it (first found wins):
  credentials  with --profile, that profile of ~/.aliyun/config.json only;
               else ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
               (and ALIBABA_CLOUD_SECURITY_TOKEN); then OIDC (ALIBABA_CLOUD_ROLE_ARN,
               ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE);
               then the profile of ~/.aliyun/config.json (ALIBABA_CLOUD_PROFILE or
               the file's current profile; modes AK, StsToken, RamRoleArn,
               ChainableRamRoleArn, EcsRamRole, OIDC); then the ECS RAM role named
               by ALIBABA_CLOUD_ECS_METADATA; then ALIBABA_CLOUD_CREDENTIALS_URI
  region       --region, DYVMS_REGION, ALIBABA_CLOUD_REGION_ID, the profile's
               region_id, cn-hangzhou
  endpoint     --endpoint, DYVMS_ENDPOINT, https://dyvmsapi.aliyuncs.com

`

// usage prints the command's help and the Actions by group.
func (c *cli) usage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	writeFlagHelp(w)
	fmt.Fprint(w, usageConfig)
	fmt.Fprint(w, exitCodesText)
	fmt.Fprintf(w, "\nActions (%d):\n", len(catalog.Load().Actions))
	groups := catalog.Groups()
	for _, g := range groupNames() {
		fmt.Fprintf(w, "  %s:\n", g)
		for _, a := range groups[g] {
			summary := ""
			if act := catalog.Lookup(a); act != nil {
				summary = firstSentence(act.Summary)
			}
			fmt.Fprintf(w, "    %-32s %s\n", a, summary)
		}
	}
	fmt.Fprintf(w, "\ndyvms %s\n", dyvms.SDKVersion)
}

// writeFlagHelp lists the command's own flags from actionFlags.
func writeFlagHelp(w io.Writer) {
	tw := newTabWriter(w)
	for _, f := range actionFlags {
		names := "--" + f.name
		if f.short != "" {
			names = "-" + f.short + ", " + names
		}
		if f.arg != "" {
			names += " " + f.arg
		}
		fmt.Fprintf(tw, "  %s\t%s\n", names, f.help)
	}
	tw.Flush()
}

// firstSentence returns s up to its first sentence end, at most 70 bytes.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) > 70 {
		cut := strings.LastIndexByte(s[:67], ' ')
		if cut < 40 {
			cut = 67
		}
		s = s[:cut] + "..."
	}
	return s
}
