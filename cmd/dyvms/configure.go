package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/dyvms/dyvms-go/cmd/internal/cliflag"
)

// configureUsage is the command line of dyvms configure list.
const configureUsage = "dyvms configure list [--profile NAME] [--region ID] [--endpoint URL] [-o table|json]"

// configure runs the configure subcommands: list shows the profile,
// region, endpoint and credential mode a call would use, each with where
// it came from, and never a secret.
func (c *cli) configure(args []string) int {
	if len(args) == 0 || args[0] != "list" {
		return c.usageError(errors.New("usage: " + configureUsage))
	}
	var profile, region, endpoint, output string
	fs := c.configureFlags(&profile, &region, &endpoint, &output)
	if err := cliflag.Parse(fs, args[1:]); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return c.usageError(fmt.Errorf("configure list: unexpected argument %q", fs.Arg(0)))
	}
	if output != "table" && output != "json" {
		return c.usageError(fmt.Errorf("configure list: --output must be table or json, not %q", output))
	}
	set, err := resolveSettings(profile, region, endpoint)
	if err != nil {
		return c.usageError(err)
	}
	return c.printTree(&invocation{output: output}, set.listing())
}

// configureFlags returns the flags of configure list, bound to the
// variables given.
func (c *cli) configureFlags(profile, region, endpoint, output *string) *flag.FlagSet {
	fs := c.newFlagSet("dyvms configure list", configureUsage)
	fs.StringVar(profile, "profile", "", "the profile of ~/.aliyun/config.json to show")
	fs.StringVar(profile, "p", "", "short for --profile")
	fs.StringVar(region, "region", "", "RegionId, as --region of an Action call")
	fs.StringVar(endpoint, "endpoint", "", "service endpoint, as --endpoint of an Action call")
	fs.StringVar(output, "output", "table", "table or json")
	fs.StringVar(output, "o", "table", "short for --output")
	return fs
}

// listing is what configure list prints: each setting and its origin.
func (s *settings) listing() object {
	profile := "(none)"
	if s.profile != "" {
		profile = s.profile
		if !s.profileFound {
			profile += " (not in the file)"
		}
	}
	return object{
		{"Profile", profile}, {"ProfileFrom", orText(s.profileSource, "no configuration file")},
		{"Region", s.region}, {"RegionFrom", s.regionSource},
		{"Endpoint", s.endpoint}, {"EndpointFrom", s.endpointSrc},
		{"Credentials", s.credentialsText()},
		{"ConfigFile", s.configFileText()},
	}
}

// configFileText names the configuration file and whether it was read.
func (s *settings) configFileText() string {
	if s.configErr != "" {
		return s.configPath + " (unusable: " + s.configErr + ")"
	}
	return orText(s.configPath, "(not read)")
}
