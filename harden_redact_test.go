package dyvms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Secrets with the characters that change under encoding ('+', '/', '=').
const (
	encSecret = "sec+ret/Value=0123456789abc"
	encToken  = "STS.tok+en/abc=def0123456789"
)

var pctHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// encodings are the forms a secret takes on its way into a body: each is
// written independently of the redactor.
var encodings = map[string]func(string) string{
	"raw":          func(s string) string { return s },
	"percent":      SpecialURLEncode,
	"percentLower": func(s string) string { return pctHex.ReplaceAllStringFunc(SpecialURLEncode(s), strings.ToLower) },
	"double":       func(s string) string { return SpecialURLEncode(SpecialURLEncode(s)) },
	"doubleLower": func(s string) string {
		return strings.ReplaceAll(pctHex.ReplaceAllStringFunc(SpecialURLEncode(s), strings.ToLower), "%", "%25")
	},
	"jsonSlash": func(s string) string { return strings.NewReplacer("/", `\/`).Replace(s) },
	"jsonUnicode": func(s string) string {
		return strings.NewReplacer("+", `\u002b`, "/", `\u002F`, "=", `\u003d`).Replace(s)
	},
	"html": func(s string) string {
		return strings.NewReplacer("+", "&#43;", "/", "&#x2F;", "=", "&equals;").Replace(s)
	},
	"htmlHex": func(s string) string {
		return strings.NewReplacer("+", "&#x2b;", "/", "&sol;", "=", "&#61;").Replace(s)
	},
	"mixed": func(s string) string { return strings.NewReplacer("+", "%2b", "/", `\/`, "=", "&#61;").Replace(s) },
}

// prefixForms caches, per secret, every encoding of its first k bytes for
// k >= partialMin.
var prefixForms = map[string][]string{}

// requireNoSecretPrefix fails when text holds any encoding of the first k
// bytes of secret, for any k >= partialMin.
func requireNoSecretPrefix(t *testing.T, text, secret, what string) {
	t.Helper()
	forms, ok := prefixForms[secret]
	if !ok {
		for _, enc := range encodings {
			for k := partialMin; k <= len(secret); k++ {
				forms = append(forms, enc(secret[:k]))
			}
		}
		prefixForms[secret] = forms
	}
	for _, f := range forms {
		if strings.Contains(text, f) {
			t.Fatalf("%s: an encoded leading part of a secret survives (%q) in %q", what, f, text)
		}
	}
}

// TestSnippetRedactsBeforeCut: a secret in any encoding, placed at every
// offset around the snippet's cut, leaves no leading part of itself in
// *Error.Body or Error(); bodies shorter and longer than the examined window.
func TestSnippetRedactsBeforeCut(t *testing.T) {
	red := newRedactor(encSecret, encToken)
	for name, enc := range encodings {
		for _, sec := range []string{encSecret, encToken} {
			form := enc(sec)
			for p := snippetLen - len(form) - 2; p <= snippetLen+2; p++ {
				for _, tailLen := range []int{0, 40, 5000} {
					body := "<html>" + strings.Repeat("x", p-6) + form + strings.Repeat("y", tailLen)
					err := decodeResponse("SingleCallByTts", 502, http.Header{}, []byte(body), nil, red)
					var e *Error
					require.True(t, errors.As(err, &e))
					what := fmt.Sprintf("%s at %d (+%d)", name, p, tailLen)
					requireNoSecretPrefix(t, e.Body, sec, what)
					requireNoSecretPrefix(t, err.Error(), sec, what)
					require.LessOrEqual(t, len(e.Body), snippetLen+len("…"), what)
				}
			}
		}
	}
}

// TestRedactEveryEncoding: error fields taken from an envelope (Message,
// HostId, Recommend, ...) are redacted in every encoding, through a real
// call whose signature is one of the secrets.
func TestRedactEveryEncoding(t *testing.T) {
	for name, enc := range encodings {
		var sig string
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			sig = r.URL.Query().Get("Signature")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"RequestId":"r-1","Code":"SignatureDoesNotMatch","Message":"StringToSign %s key %s token %s","Recommend":"https://x/?t=%s"}`,
				jsonQuoteInner(enc(sig)), jsonQuoteInner(enc(encSecret)), jsonQuoteInner(enc(encToken)), jsonQuoteInner(enc(encToken)))
		})
		c := newTestClient(t, rec.srv.URL, WithAccessKey(testKeyID, encSecret), WithSecurityToken(encToken),
			withNonce(func() string { return "n-" + name }))
		_, err := c.GetCallInfo(context.Background(), &GetCallInfoRequest{RtcID: "2235"})
		require.Error(t, err)
		for _, sec := range []string{encSecret, encToken, sig} {
			requireNoSecretPrefix(t, err.Error(), sec, name)
			requireNoSecretPrefix(t, fmt.Sprintf("%+v", asError(err)), sec, name)
		}
		require.Contains(t, err.Error(), "***", name)
	}
}

// jsonQuoteInner escapes s for the inside of a JSON string without
// touching what the encodings wrote (only quotes and lone backslashes that
// are not already escapes).
func jsonQuoteInner(s string) string {
	return strings.NewReplacer(`"`, `\"`).Replace(s)
}
