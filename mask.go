package dyvms

// Phone numbers are personal data: nothing the SDK prints (errors, log
// lines, LogValue) shows more than their last four digits. These helpers are
// the one place that rule is written.

// maskPhone masks all but the last 4 characters of a phone number:
// "13900001234" becomes "*******1234". Numbers of 4 characters or fewer are
// masked entirely.
func maskPhone(s string) string {
	if s == "" {
		return ""
	}
	n := len(s)
	if n <= 4 {
		return "****"
	}
	b := make([]byte, n)
	for i := 0; i < n-4; i++ {
		b[i] = '*'
	}
	copy(b[n-4:], s[n-4:])
	return string(b)
}

// maskDigitRuns masks every run of 7 or more ASCII digits in free text (an
// error message that may quote a phone number) with maskPhone. Shorter runs
// (status codes, counts) are kept.
func maskDigitRuns(s string) string {
	const minRun = 7
	out := []byte(nil)
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= minRun {
			if out == nil {
				out = []byte(s)
			}
			copy(out[start:end], maskPhone(s[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	if out == nil {
		return s
	}
	return string(out)
}
