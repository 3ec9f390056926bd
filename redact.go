package dyvms

import "strings"

// The redactor finds a secret in text in any of the encodings it may take
// on its way into an error, a log line or a response body: raw,
// percent-encoded once or twice with either hex case (and '+' for a
// space), JSON-escaped (\/ \\ \" and \uXXXX in either case) and
// HTML-escaped (&#NN; &#xHH; and the named entities of ASCII characters).
// Each character of the secret may take any of these forms independently,
// so a body that mixes them is redacted too.

// partialMin is the fewest leading bytes of a secret that count as a leak
// at the very end of a cut text (a snippet): a secret straddling the cut.
const partialMin = 4

// maxUnitLen is the longest form one character of a secret takes
// ("&#x0002b;"), which bounds how far a secret's encoded form reaches.
const maxUnitLen = 10

// redactAll replaces every encoded occurrence of each secret in s with
// "***". With tail, a text that ends inside a secret (at least partialMin
// of its bytes, or in the middle of an escape after them) has that tail
// replaced too.
func redactAll(s string, secrets []string, tail bool) string {
	if len(secrets) == 0 || s == "" {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		end := -1
		for _, sec := range secrets {
			if end = matchSecret(s, i, sec, tail); end > i {
				break
			}
		}
		if end <= i {
			i++
			continue
		}
		if last == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString("***")
		i, last = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchSecret returns the end of an encoded occurrence of sec starting at
// s[i], or -1. With tail, running out of text after partialMin bytes of
// sec matched (or inside an escape) also counts, and returns len(s).
func matchSecret(s string, i int, sec string, tail bool) int {
	k := i
	for j := 0; j < len(sec); j++ {
		if k >= len(s) {
			if tail && j >= partialMin {
				return len(s)
			}
			return -1
		}
		n := unitLen(s[k:], sec[j])
		if n == 0 {
			if tail && j >= partialMin && len(s)-k < maxUnitLen && strings.ContainsAny(s[k:k+1], `%\&`) {
				return len(s)
			}
			return -1
		}
		k += n
	}
	return k
}

// unitLen returns how many bytes at the start of t encode the byte c, or 0.
func unitLen(t string, c byte) int {
	switch t[0] {
	case '%':
		if len(t) >= 5 && t[1] == '2' && t[2] == '5' {
			if v, ok := hexByte(t[3], t[4]); ok && v == c {
				return 5
			}
		}
		if len(t) >= 3 {
			if v, ok := hexByte(t[1], t[2]); ok && v == c {
				return 3
			}
		}
	case '\\':
		if len(t) >= 6 && t[1] == 'u' {
			if hi, ok := hexByte(t[2], t[3]); ok && hi == 0 {
				if v, ok := hexByte(t[4], t[5]); ok && v == c {
					return 6
				}
			}
		}
		if len(t) >= 2 && t[1] == c && (c == '/' || c == '\\' || c == '"') {
			return 2
		}
	case '&':
		if n := entityLen(t, c); n > 0 {
			return n
		}
	case '+':
		if c == ' ' {
			return 1
		}
	}
	if t[0] == c {
		return 1
	}
	return 0
}

// entityLen returns the length of an HTML character reference at the start
// of t that stands for c, or 0.
func entityLen(t string, c byte) int {
	end := strings.IndexByte(t, ';')
	if end < 2 || end > maxUnitLen {
		return 0
	}
	ref := t[1:end]
	var v int
	switch {
	case ref[0] == '#' && len(ref) > 2 && (ref[1] == 'x' || ref[1] == 'X'):
		for _, d := range []byte(ref[2:]) {
			h, ok := hexDigit(d)
			if !ok {
				return 0
			}
			v = v*16 + int(h)
		}
	case ref[0] == '#' && len(ref) > 1:
		for _, d := range []byte(ref[1:]) {
			if d < '0' || d > '9' {
				return 0
			}
			v = v*10 + int(d-'0')
		}
	default:
		n, ok := namedEntities[ref]
		if !ok {
			return 0
		}
		v = int(n)
	}
	if v == int(c) {
		return end + 1
	}
	return 0
}

// namedEntities are the HTML named references of ASCII characters that
// appear in keys, tokens and signatures.
var namedEntities = map[string]byte{
	"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "plus": '+', "sol": '/',
	"equals": '=', "percnt": '%', "num": '#', "excl": '!', "period": '.', "lowbar": '_',
	"hyphen": '-', "dash": '-', "colon": ':', "semi": ';', "comma": ',', "quest": '?',
	"commat": '@', "dollar": '$', "ast": '*', "midast": '*', "lpar": '(', "rpar": ')',
	"lsqb": '[', "rsqb": ']', "lbrack": '[', "rbrack": ']', "lcub": '{', "rcub": '}',
	"lbrace": '{', "rbrace": '}', "verbar": '|', "vert": '|', "bsol": '\\', "Hat": '^',
	"grave": '`', "tilde": '~',
}

func hexByte(a, b byte) (byte, bool) {
	h, ok1 := hexDigit(a)
	l, ok2 := hexDigit(b)
	return h<<4 | l, ok1 && ok2
}

func hexDigit(d byte) (byte, bool) {
	switch {
	case d >= '0' && d <= '9':
		return d - '0', true
	case d >= 'a' && d <= 'f':
		return d - 'a' + 10, true
	case d >= 'A' && d <= 'F':
		return d - 'A' + 10, true
	}
	return 0, false
}
