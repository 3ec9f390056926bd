package dyvms

import (
	"fmt"
	"io"
)

// The types that hold credentials implement fmt.Formatter, so that no
// print verb (%s %q %d %t %x %v %+v %#v, with any flags) shows the
// AccessKeySecret or the SecurityToken: every verb prints the redacted
// description String gives. Without it, fmt prints the struct's fields
// for verbs such as %d and %t, secret included.

// formatRedacted prints s, a description that holds no secret, for any
// verb: as a string for the string verbs (so width, precision and %q work)
// and as it is for the others.
func formatRedacted(f fmt.State, verb rune, s string) {
	switch verb {
	case 's', 'q', 'x', 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), s)
	default:
		_, _ = io.WriteString(f, s)
	}
}

// Format implements fmt.Formatter: every verb prints String.
func (c Credentials) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// Format implements fmt.Formatter: every verb prints String.
func (p StaticCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// Format implements fmt.Formatter: every verb prints String.
func (p EnvCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// Format implements fmt.Formatter: every verb prints String.
func (p *ProfileCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// Format implements fmt.Formatter: every verb prints String.
func (p ECSRAMRoleCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.String())
}

// Format implements fmt.Formatter: every verb prints String.
func (c *CachedCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String())
}

// Format implements fmt.Formatter: every verb prints String.
func (c ChainCredentialsProvider) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String())
}

// String describes the client: its endpoint, region and credentials
// provider, never a secret.
func (c *Client) String() string {
	if c == nil {
		return "dyvms.Client(nil)"
	}
	creds := "none"
	if c.creds != nil {
		creds = describeProvider(c.creds)
	}
	return "dyvms.Client{endpoint: " + c.endpoint + ", region: " + c.region + ", credentials: " + creds + "}"
}

// Format implements fmt.Formatter: every verb prints String.
func (c *Client) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }
