//go:build !soak

package dyvms

// receiptSoakReceipts is the receipts soak's size in CI; `go test -tags
// soak` runs the long one.
const receiptSoakReceipts = 6_000
