package dyvmstest

var clinkHandlers = map[string]handler{}
