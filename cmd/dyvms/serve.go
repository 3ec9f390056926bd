package main

import "fmt"

// fake runs the fake Dyvmsapi server.
//
// TODO(fake): serve package dyvmstest once the fake branch lands on main.
func (c *cli) fake(args []string) int {
	fmt.Fprintln(c.stderr, "dyvms fake: not available in this build (package dyvmstest has not landed)")
	return exitFailure
}

// receipts runs the receipts subcommands.
//
// TODO(receipts): listen with dyvms.NewReceiptHandler once the receipts
// branch lands on main.
func (c *cli) receipts(args []string) int {
	fmt.Fprintln(c.stderr, "dyvms receipts: not available in this build (receipts have not landed)")
	return exitFailure
}
