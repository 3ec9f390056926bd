//go:build soak

package dyvms

// receiptSoakReceipts is the receipts soak's size with `-tags soak`.
const receiptSoakReceipts = 60_000
