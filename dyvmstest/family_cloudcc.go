package dyvmstest

var cloudCCHandlers = map[string]handler{}
