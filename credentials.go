package dyvms

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Credentials are what a request is signed with. They print themselves
// redacted: String and LogValue never show the secret or the token.
type Credentials struct {
	// AccessKeyID is the AccessKey ID.
	AccessKeyID string
	// AccessKeySecret is the AccessKey secret. It never leaves the client: it
	// only keys the HMAC.
	AccessKeySecret string
	// SecurityToken is the STS token of temporary credentials, or "".
	SecurityToken string
	// Expiration is when temporary credentials stop working; zero for
	// long-lived AccessKeys.
	Expiration time.Time
}

// maskID keeps the first 4 characters of an AccessKey ID.
func maskID(id string) string {
	if len(id) <= 4 {
		return "****"
	}
	return id[:4] + "****"
}

// String implements fmt.Stringer without revealing the secret or token.
func (c Credentials) String() string {
	s := "Credentials{AccessKeyID: " + maskID(c.AccessKeyID) + ", AccessKeySecret: ***"
	if c.SecurityToken != "" {
		s += ", SecurityToken: ***"
	}
	if !c.Expiration.IsZero() {
		s += ", Expiration: " + c.Expiration.UTC().Format(time.RFC3339)
	}
	return s + "}"
}

// GoString implements fmt.GoStringer, so %#v is redacted too.
func (c Credentials) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c Credentials) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// LogValue implements slog.LogValuer without revealing the secret or token.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("access_key_id", maskID(c.AccessKeyID)), slog.String("access_key_secret", "***")}
	if c.SecurityToken != "" {
		attrs = append(attrs, slog.String("security_token", "***"))
	}
	return slog.GroupValue(attrs...)
}

// valid reports whether c can sign a request.
func (c Credentials) valid() bool { return c.AccessKeyID != "" && c.AccessKeySecret != "" }

// CredentialsProvider supplies credentials for each request. Retrieve is
// called before every attempt of a call (so a retry after the credentials
// expired signs with fresh ones) and must be safe for concurrent use; a
// provider that asks a remote service belongs in a
// CachedCredentialsProvider.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// CredentialsInvalidator is implemented by providers that keep
// credentials (CachedCredentialsProvider, and the chain and profile
// providers, which pass the call on). When the service refuses a
// request's SecurityToken (InvalidSecurityToken.Expired and the other
// InvalidSecurityToken codes), the client calls Invalidate with the
// credentials it signed with, retrieves again and retries the attempt
// once. Invalidate must be safe for concurrent use.
type CredentialsInvalidator interface {
	Invalidate(rejected Credentials)
}

// StaticCredentialsProvider always returns the same credentials.
type StaticCredentialsProvider struct {
	creds Credentials
}

// NewStaticCredentialsProvider returns a provider of a fixed AccessKey, with
// an optional STS securityToken.
func NewStaticCredentialsProvider(accessKeyID, accessKeySecret, securityToken string) *StaticCredentialsProvider {
	return &StaticCredentialsProvider{creds: Credentials{AccessKeyID: accessKeyID, AccessKeySecret: accessKeySecret, SecurityToken: securityToken}}
}

// Retrieve implements CredentialsProvider.
func (p *StaticCredentialsProvider) Retrieve(context.Context) (Credentials, error) {
	if !p.creds.valid() {
		return Credentials{}, ErrNoCredentials
	}
	return p.creds, nil
}

// String is redacted like Credentials.String.
func (p *StaticCredentialsProvider) String() string { return "Static" + p.creds.String() }

// Format implements fmt.Formatter: every verb prints String.
func (p StaticCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// GoString is String, so %#v reveals nothing either.
func (p *StaticCredentialsProvider) GoString() string { return p.String() }

// LogValue is redacted like Credentials.LogValue.
func (p *StaticCredentialsProvider) LogValue() slog.Value { return p.creds.LogValue() }

// Environment variables read by EnvCredentials (the names the official
// Alibaba Cloud SDKs use).
const (
	EnvAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken   = "ALIBABA_CLOUD_SECURITY_TOKEN"
)

// EnvCredentials reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN once. ok
// is false when the ID or the secret is unset.
//
// EnvCredentialsProvider reads the same variables on every call, for a
// Client; EnvCredentials is the one-shot read, without a context or an
// error, for a program that decides at start-up what to do (use the real
// service or a fake, say) by whether credentials are set.
func EnvCredentials() (creds Credentials, ok bool) {
	creds = Credentials{
		AccessKeyID:     os.Getenv(EnvAccessKeyID),
		AccessKeySecret: os.Getenv(EnvAccessKeySecret),
		SecurityToken:   os.Getenv(EnvSecurityToken),
	}
	return creds, creds.valid()
}
