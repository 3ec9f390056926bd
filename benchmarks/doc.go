// Package benchmarks measures dyvms-go side by side with the official
// Alibaba Cloud SDK (services/dyvmsapi) and with the floor (bare net/http
// and a minimal signer, package internal/bare), all three against the same
// loopback fake server (package internal/fake) that verifies every
// signature. run.sh runs it and writes README.md's table.
package benchmarks
