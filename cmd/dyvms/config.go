package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
)

// Environment variables the command reads besides the SDK's own. The
// aliyun CLI's names come first; the DYVMS_* ones override them.
const (
	// envEndpoint overrides the service endpoint.
	envEndpoint = "DYVMS_ENDPOINT"
	// envRegion overrides the RegionId.
	envRegion = "DYVMS_REGION"
)

// settings is where a command line sends and with what credentials, each
// with where it came from, as dyvms configure list shows them.
type settings struct {
	configPath    string
	configErr     string // why the configuration file could not be read
	profile       string // the profile in effect ("" when none)
	profileSource string
	profileMode   string
	profileFound  bool
	profileRole   string
	region        string
	regionSource  string
	endpoint      string
	endpointSrc   string
	// explicitProfile is --profile: credentials come from that profile only.
	explicitProfile bool
}

// profileEntry is what the command reads of an aliyun CLI profile: never
// a secret.
type profileEntry struct {
	Name        string `json:"name"`
	Mode        string `json:"mode"`
	RegionID    string `json:"region_id"`
	AccessKeyID string `json:"access_key_id"`
	RAMRoleName string `json:"ram_role_name"`
	RAMRoleArn  string `json:"ram_role_arn"`
}

// configFile is the part of ~/.aliyun/config.json the command reads.
type configFile struct {
	Current  string         `json:"current"`
	Profiles []profileEntry `json:"profiles"`
}

// maxConfigBytes bounds the configuration file read.
const maxConfigBytes = 1 << 20

// readConfigFile reads the aliyun CLI configuration file at path: a
// regular file only (never a FIFO or device that could block), at most
// maxConfigBytes. A missing file is (nil, nil).
func readConfigFile(path string) (*configFile, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxConfigBytes)
	}
	var cfg configFile
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s is not a valid aliyun CLI configuration file", path)
	}
	return &cfg, nil
}

// resolveSettings works out the profile, region and endpoint of a command
// line: the flags, then the DYVMS_* overrides, then the aliyun CLI's
// variables and profile, then the SDK's defaults.
func resolveSettings(profileFlag, regionFlag, endpointFlag string) (*settings, error) {
	s := &settings{explicitProfile: profileFlag != ""}
	var cfg *configFile
	if !strings.EqualFold(env(dyvms.EnvCLIProfileDisabled), "true") || s.explicitProfile {
		s.configPath = dyvms.DefaultProfilePath()
		if s.configPath != "" {
			var err error
			if cfg, err = readConfigFile(s.configPath); err != nil {
				if s.explicitProfile {
					return nil, &usageErr{fmt.Errorf("aliyun CLI configuration: %v", err)}
				}
				// As the SDK's chain does: an unusable file matters only
				// when no other source has credentials.
				s.configErr = err.Error()
			}
		}
	}
	prof := s.pickProfile(cfg, profileFlag)
	if s.explicitProfile && prof == nil {
		return nil, &usageErr{fmt.Errorf("--profile %s: no such profile in %s", profileFlag, orText(s.configPath, "the aliyun CLI configuration file"))}
	}
	profileRegion := ""
	if prof != nil {
		profileRegion = prof.RegionID
	}
	s.region, s.regionSource = firstSet(
		source{regionFlag, "--region"}, source{env(envRegion), "$" + envRegion},
		source{env(dyvms.EnvRegionID), "$" + dyvms.EnvRegionID}, source{profileRegion, "region_id of profile " + s.profile},
		source{dyvms.DefaultRegion, "default"})
	s.endpoint, s.endpointSrc = firstSet(
		source{endpointFlag, "--endpoint"}, source{env(envEndpoint), "$" + envEndpoint},
		source{dyvms.DefaultEndpoint, "default"})
	if err := checkEndpoint(s.endpoint, s.endpointSrc); err != nil {
		return nil, &usageErr{err}
	}
	return s, nil
}

// checkEndpoint refuses an endpoint the SDK would refuse, before anything
// is shown or sent, naming it without the password of a user:password@
// part.
func checkEndpoint(endpoint, from string) error {
	_, err := dyvms.NewClient(dyvms.WithEndpoint(endpoint), dyvms.WithAccessKey("check", "check"))
	if err == nil {
		return nil
	}
	shown := endpoint
	if u, perr := url.Parse(endpoint); perr == nil && u.User != nil {
		shown = u.Redacted()
	} else if perr != nil && strings.Contains(endpoint, "@") {
		shown = "(not shown: it may hold a password)"
	}
	return fmt.Errorf("invalid endpoint %q (from %s): want scheme://host[:port]", shown, from)
}

// pickProfile chooses the profile as the aliyun CLI does: --profile, then
// $ALIBABA_CLOUD_PROFILE, then the file's current profile, then "default".
func (s *settings) pickProfile(cfg *configFile, profileFlag string) *profileEntry {
	if cfg == nil && profileFlag == "" {
		return nil
	}
	s.profile, s.profileSource = firstSet(
		source{profileFlag, "--profile"}, source{env(dyvms.EnvProfile), "$" + dyvms.EnvProfile},
		source{currentOf(cfg), "current profile of " + s.configPath}, source{"default", "default"})
	if cfg == nil {
		return nil
	}
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == s.profile {
			s.profileFound, s.profileMode = true, orText(cfg.Profiles[i].Mode, "AK")
			s.profileRole = cfg.Profiles[i].RAMRoleArn
			return &cfg.Profiles[i]
		}
	}
	return nil
}

// currentOf returns cfg's current profile name, or "".
func currentOf(cfg *configFile) string {
	if cfg == nil {
		return ""
	}
	return cfg.Current
}

// source is one candidate value and where it comes from.
type source struct{ value, from string }

// firstSet returns the first non-empty candidate and its origin.
func firstSet(cands ...source) (string, string) {
	for _, c := range cands {
		if c.value != "" {
			return c.value, c.from
		}
	}
	return "", ""
}

// orText returns s, or def when s is empty.
func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clientOptions returns the options that point a client where s says,
// with the credentials it says.
func (s *settings) clientOptions(ctx context.Context) ([]dyvms.Option, error) {
	opts := []dyvms.Option{dyvms.WithUserAgent("dyvms-cli/" + dyvms.SDKVersion),
		dyvms.WithEndpoint(s.endpoint), dyvms.WithRegion(s.region)}
	if !s.explicitProfile {
		return append(opts, dyvms.WithDefaultCredentialsChain()), nil
	}
	p := dyvms.NewProfileCredentialsProvider(s.configPath, s.profile)
	if _, err := p.Retrieve(ctx); err != nil {
		return nil, &usageErr{fmt.Errorf("--profile %s: %s", s.profile, strings.TrimPrefix(err.Error(), "dyvms: "))}
	}
	return append(opts, dyvms.WithCredentialsProvider(p)), nil
}

// credentialsText says which credentials a call would use, following
// the SDK's default chain (environment, OIDC, profile, ECS RAM role,
// credentials URI), naming at most a masked AccessKey ID: never a secret.
func (s *settings) credentialsText() string {
	text, _ := s.credentialSource()
	return text
}

// credentialSource is credentialsText and whether those credentials are
// fetched over the network (from STS, the instance metadata or a
// credentials URI) rather than read from the environment or the file.
func (s *settings) credentialSource() (text string, fetched bool) {
	if s.explicitProfile {
		return s.profileText(), !staticProfileMode(s.profileMode)
	}
	if id := env(dyvms.EnvAccessKeyID); id != "" && env(dyvms.EnvAccessKeySecret) != "" {
		mode := "AK"
		if env(dyvms.EnvSecurityToken) != "" {
			mode = "StsToken"
		}
		return fmt.Sprintf("%s from the environment ($%s %s)", mode, dyvms.EnvAccessKeyID, maskKeyID(id)), false
	}
	if env(dyvms.EnvRoleARN) != "" && env(dyvms.EnvOIDCProviderARN) != "" && env(dyvms.EnvOIDCTokenFile) != "" {
		return fmt.Sprintf("OIDC role %s from the environment ($%s)", env(dyvms.EnvRoleARN), dyvms.EnvRoleARN), true
	}
	if s.profileFound {
		return s.profileText(), !staticProfileMode(s.profileMode)
	}
	if role := env(dyvms.EnvECSMetadata); role != "" && !strings.EqualFold(env(dyvms.EnvECSMetadataDisabled), "true") {
		return fmt.Sprintf("EcsRamRole %s from the instance metadata ($%s)", role, dyvms.EnvECSMetadata), true
	}
	if env(dyvms.EnvCredentialsURI) != "" {
		return fmt.Sprintf("from the credentials endpoint $%s", dyvms.EnvCredentialsURI), true
	}
	return "none found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or run aliyun configure", false
}

// staticProfileMode reports whether a profile of this mode holds its
// credentials itself (AK, StsToken) instead of having them issued.
func staticProfileMode(mode string) bool {
	return strings.EqualFold(mode, "AK") || strings.EqualFold(mode, "StsToken")
}

// dryRunOptions are the client options of a dry run: those of a call,
// except that credentials a call would fetch over the network are
// replaced by placeholders (an STS-style key and token), so that a dry
// run sends nothing anywhere. The signature they make is redacted anyway.
func (s *settings) dryRunOptions(ctx context.Context) ([]dyvms.Option, error) {
	if _, fetched := s.credentialSource(); fetched {
		return []dyvms.Option{dyvms.WithUserAgent("dyvms-cli/" + dyvms.SDKVersion),
			dyvms.WithEndpoint(s.endpoint), dyvms.WithRegion(s.region),
			dyvms.WithAccessKey(dryRunKeyID, "dry-run-placeholder"), dyvms.WithSecurityToken("dry-run-placeholder")}, nil
	}
	return s.clientOptions(ctx)
}

// dryRunKeyID is the AccessKey ID a dry run shows (masked) for credentials
// issued only when the call is sent.
const dryRunKeyID = "STS.issued-when-sent"

// profileText describes the profile's credential mode (and the role a
// RamRoleArn, ChainableRamRoleArn or OIDC profile assumes).
func (s *settings) profileText() string {
	text := fmt.Sprintf("%s from profile %s", s.profileMode, s.profile)
	if s.profileRole != "" {
		text += " (role " + s.profileRole + ")"
	}
	return text
}

// maskKeyID keeps the first 4 characters of an AccessKey ID.
func maskKeyID(id string) string {
	if len(id) <= 4 {
		return "****"
	}
	return id[:4] + "****"
}

// usageErr marks an error as the user's to fix: exit code 2.
type usageErr struct{ err error }

// Error implements error.
func (u *usageErr) Error() string { return u.err.Error() }

// Unwrap returns the underlying error.
func (u *usageErr) Unwrap() error { return u.err }

// isUsage reports whether err is a usageErr.
func isUsage(err error) bool {
	var u *usageErr
	return errors.As(err, &u)
}
