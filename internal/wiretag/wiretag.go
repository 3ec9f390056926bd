// Package wiretag parses the `dyvms` struct tag of the SDK's request types,
// for the SDK's encoder and for the command line, so the grammar lives in
// one place:
//
//	`dyvms:"WireName[,required][,min=N][,max=N][,maxbytes=N][,enum=A|B|C][,json][,ms][,datetime][,phone][,phones[=N]]"`
//
// The first element is the exact wire name. required: the field must be set;
// min and max bound a number; maxbytes bounds a string's length in bytes;
// enum lists the values a string or number may take (as sent on the wire);
// phone: the string is one phone number; phones: a comma-separated list of
// phone numbers, at most N of them when N is given;
// json sends the value as a JSON document; ms sends a time.Time as Unix
// milliseconds; datetime sends it as "2006-01-02 15:04:05" in China Standard
// Time.
package wiretag

import (
	"fmt"
	"strconv"
	"strings"
)

// Tag is a parsed `dyvms` struct tag.
type Tag struct {
	// Wire is the parameter's exact wire name.
	Wire string
	// Required, JSON, Millis and DateTime are the options of the same names
	// (required, json, ms, datetime).
	Required, JSON, Millis, DateTime bool
	// Min and Max bound a number; nil when absent.
	Min, Max *float64
	// MaxBytes bounds a string's length in bytes; 0 when absent.
	MaxBytes int
	// Enum lists the allowed values as sent on the wire; nil when absent.
	Enum []string
	// Phone marks a string holding one phone number.
	Phone bool
	// Phones marks a string holding a comma-separated list of phone
	// numbers; MaxPhones is their most (0: no bound).
	Phones    bool
	MaxPhones int
}

// Parse parses a tag's value. An unknown option or a malformed bound is an
// error.
func Parse(tag string) (Tag, error) {
	parts := strings.Split(tag, ",")
	t := Tag{Wire: parts[0]}
	if t.Wire == "" {
		return t, fmt.Errorf("empty wire name in %q", tag)
	}
	for _, opt := range parts[1:] {
		name, val, _ := strings.Cut(opt, "=")
		switch name {
		case "required":
			t.Required = true
		case "json":
			t.JSON = true
		case "ms":
			t.Millis = true
		case "datetime":
			t.DateTime = true
		case "min", "max":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return t, fmt.Errorf("bad %s option %q", name, val)
			}
			if name == "min" {
				t.Min = &f
			} else {
				t.Max = &f
			}
		case "phone":
			t.Phone = true
		case "phones":
			t.Phones = true
			if val != "" {
				n, err := strconv.Atoi(val)
				if err != nil || n <= 0 {
					return t, fmt.Errorf("bad phones option %q", val)
				}
				t.MaxPhones = n
			}
		case "maxbytes":
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return t, fmt.Errorf("bad maxbytes option %q", val)
			}
			t.MaxBytes = n
		case "enum":
			if val == "" {
				return t, fmt.Errorf("empty enum option")
			}
			t.Enum = strings.Split(val, "|")
		default:
			return t, fmt.Errorf("unknown tag option %q", opt)
		}
	}
	return t, nil
}
