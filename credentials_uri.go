package dyvms

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"
)

// EnvCredentialsURI is the URL of a local credentials endpoint (a sidecar
// or agent that hands out temporary credentials).
const EnvCredentialsURI = "ALIBABA_CLOUD_CREDENTIALS_URI"

// URICredentialsProvider gets temporary credentials from a credentials
// endpoint with a GET. The endpoint answers JSON:
//
//	{"Code": "Success", "AccessKeyId": "...", "AccessKeySecret": "...",
//	 "SecurityToken": "...", "Expiration": "2026-12-01T12:00:00Z"}
//
// It asks the endpoint on every Retrieve; NewURICredentialsProvider wraps
// it in a CachedCredentialsProvider, which is what a client wants.
type URICredentialsProvider struct {
	// URI is the endpoint (default ALIBABA_CLOUD_CREDENTIALS_URI). Plain
	// http is accepted only on loopback hosts, where such agents listen.
	URI string
	// HTTPClient sends the requests (default: the same client the ECS
	// metadata provider uses: 1 s to connect, 5 s in all, no proxy).
	HTTPClient *http.Client
}

// NewURICredentialsProvider returns a cached provider of the credentials
// endpoint at uri ("" means ALIBABA_CLOUD_CREDENTIALS_URI), refreshed
// before they expire. It checks the URI and sends nothing.
func NewURICredentialsProvider(uri string) (*CachedCredentialsProvider, error) {
	if uri == "" {
		uri = os.Getenv(EnvCredentialsURI)
	}
	p := &URICredentialsProvider{URI: uri}
	if _, err := p.parse(); err != nil {
		return nil, err
	}
	return NewCachedCredentialsProvider(p, 0), nil
}

// parse checks the URI: http(s), a host, plain http only on loopback.
func (p *URICredentialsProvider) parse() (*url.URL, error) {
	if p.URI == "" {
		return nil, errorf("credentials URI is empty (set %s)", EnvCredentialsURI)
	}
	u, err := url.Parse(p.URI)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errorf("credentials URI %s is not an http(s) URL", redactURL(p.URI))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, errorf("credentials URI %s is plain http on a non-loopback host; use https", redactURL(p.URI))
	}
	return u, nil
}

// redactURL drops the query, fragment and user info of a URL, which may
// carry a token.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// Retrieve implements CredentialsProvider.
func (p *URICredentialsProvider) Retrieve(ctx context.Context) (Credentials, error) {
	u, err := p.parse()
	if err != nil {
		return Credentials{}, err
	}
	where := redactURL(p.URI)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Credentials{}, errorf("credentials URI %s: %v", where, err)
	}
	hc := p.HTTPClient
	if hc == nil {
		hc = defaultMetadataClient
	}
	body, err := (&ECSRAMRoleCredentialsProvider{HTTPClient: hc}).do(req)
	if err != nil {
		red := newRedactor(u.RawQuery, u.User.String())
		return Credentials{}, fmt.Errorf("dyvms: credentials URI %s: %w", where, red.sanitizeTransportError(err))
	}
	var r ecsCredentialsResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, errorf("credentials URI %s: the answer is not JSON", where)
	}
	return r.credentials("credentials URI "+where, time.Now())
}

// String describes the provider without the URI's query, which may hold
// a token.
func (p URICredentialsProvider) String() string {
	return fmt.Sprintf("URICredentialsProvider{uri: %q}", redactURL(p.URI))
}

// GoString is String, so %#v reveals nothing either.
func (p URICredentialsProvider) GoString() string { return p.String() }

// Format prints String for every verb, so no verb reveals a field.
func (p URICredentialsProvider) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue implements slog.LogValuer.
func (p URICredentialsProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }
