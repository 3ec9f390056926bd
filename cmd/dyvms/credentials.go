package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
)

// credentialOptions returns the client options that choose credentials.
// Without --profile, the SDK's default chain (WithDefaultCredentialsChain):
// the environment
// (ALIBABA_CLOUD_ACCESS_KEY_ID, ...), then the aliyun CLI's configuration
// file ~/.aliyun/config.json with its ALIBABA_CLOUD_PROFILE or current
// profile, then the ECS RAM role named by ALIBABA_CLOUD_ECS_METADATA.
// With --profile, the named profile of that file and nothing else; it is
// read here, so a missing file or profile is a usage error found before
// anything is sent.
func credentialOptions(ctx context.Context, profile string) ([]dyvms.Option, error) {
	if profile == "" {
		return []dyvms.Option{dyvms.WithDefaultCredentialsChain()}, nil
	}
	p := dyvms.NewProfileCredentialsProvider("", profile)
	if _, err := p.Retrieve(ctx); err != nil {
		return nil, &usageErr{fmt.Errorf("--profile %s: %s", profile, strings.TrimPrefix(err.Error(), "dyvms: "))}
	}
	return []dyvms.Option{dyvms.WithCredentialsProvider(p)}, nil
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
