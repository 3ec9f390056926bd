package dyvmstest

var videoHandlers = map[string]handler{
	"SingleCallByVideo": dial,
}
