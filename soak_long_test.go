//go:build soak

package dyvms_test

import (
	"testing"
	"time"
)

// TestSoakLong is the full soak, outside CI: 21,000 logical calls, 7,000 in
// each mode (plain HTTP/1.1, HTTP/1.1 over TLS, HTTP/2 over TLS).
//
//	go test -tags soak -run TestSoakLong -v .
func TestSoakLong(t *testing.T) {
	for _, m := range soakModes {
		t.Run(m.name, func(t *testing.T) { runSoak(t, m, 7000, 5*time.Minute) })
	}
}
