package dyvms

import "time"

// SetCachedCredentialsClock replaces the clock of a cached provider, so
// tests move it past a refresh window without sleeping.
func SetCachedCredentialsClock(c *CachedCredentialsProvider, now func() time.Time) {
	c.mu.Lock()
	c.now = now
	c.mu.Unlock()
}
