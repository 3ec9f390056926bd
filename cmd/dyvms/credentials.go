package main

import (
	"errors"

	dyvms "github.com/dyvms/dyvms-go"
)

// credentialOptions returns the client options that choose credentials.
// Without --profile the SDK's own default applies (NewClient reads the
// environment).
//
// TODO(reliability): use the SDK's default chain and its profile provider
// for --profile once the reliability branch lands on main.
func credentialOptions(profile string) ([]dyvms.Option, error) {
	if profile != "" {
		return nil, errors.New("--profile: this build reads credentials from the environment only (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET)")
	}
	return nil, nil
}
