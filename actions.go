package dyvms

// actionClass says what a failed call may have done, which decides whether
// it can be sent again.
type actionClass uint8

const (
	// readOnly Actions (Query*, List*, Get*, Describe*) change nothing; any
	// transient failure may be retried.
	readOnly actionClass = iota + 1
	// mutating Actions place calls or change state; a failure after the
	// request may have reached the server is ambiguous.
	mutating
)

// actionInfo is what the client knows of one Action.
type actionInfo struct {
	// successCode is the Code of a success: "OK" for most Actions, "200"
	// for the call-task, virtual-number and MQTT Actions, "" where no
	// source says (then "OK" and "200" are both accepted).
	successCode string
	class       actionClass
	// userQPS and apiQPS are the documented per-user and per-API limits in
	// calls per second; 0 where none is documented.
	userQPS, apiQPS int
	// placesCall is true for the Actions that place a call and take an
	// OutId; such a call always carries one.
	placesCall bool
}

//go:generate go run ./internal/cmd/dyvmsgen
