package dyvms

import (
	"strconv"
	"strings"
)

// Phone numbers are checked before anything is sent. A phone number is
// 3 to 20 ASCII digits, optionally after one leading "+": a mainland China
// mobile (13900001234) or landline with its area code (057112345678), with
// or without the country code (8613900001234, 008613900001234,
// +8613900001234), a number outside the mainland with its country code, or
// a short service number (95555, or a 3-digit caller ID). Spaces, dashes, letters, line breaks and
// a second number are refused; the service checks the rest (whether the
// number exists, whether the Action calls it).
const (
	minPhoneDigits = 3
	maxPhoneDigits = 20
)

// checkPhone returns why s is not one phone number, or "".
func checkPhone(s string) string {
	if strings.ContainsAny(s, ",;") {
		return "holds more than one number; give exactly one"
	}
	digits := strings.TrimPrefix(s, "+")
	if len(digits) < minPhoneDigits || len(digits) > maxPhoneDigits {
		return "must be a phone number of " + strconv.Itoa(minPhoneDigits) + " to " + strconv.Itoa(maxPhoneDigits) +
			" digits (optionally after a +); it has " + strconv.Itoa(len(digits)) + " characters"
	}
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; c < '0' || c > '9' {
			return "must be a phone number: digits only (optionally after a +), with no spaces, dashes, letters or line breaks"
		}
	}
	return ""
}

// checkPhoneList returns why s is not a comma-separated list of at most
// max phone numbers (max 0: any number of them), or "".
func checkPhoneList(s string, max int) string {
	n := strings.Count(s, ",") + 1
	if max > 0 && n > max {
		return "holds " + strconv.Itoa(n) + " numbers; at most " + strconv.Itoa(max) + " allowed"
	}
	for i, start := 1, 0; start <= len(s); i++ {
		end := strings.IndexByte(s[start:], ',')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		item := s[start:end]
		if item == "" {
			return "number " + strconv.Itoa(i) + " of the list is empty"
		}
		if strings.ContainsRune(item, ';') {
			return "separate numbers with commas"
		}
		if reason := checkPhone(item); reason != "" {
			return "number " + strconv.Itoa(i) + " of the list " + reason
		}
		start = end + 1
	}
	return ""
}
