package dyvmstest

import (
	"net/url"
	"time"

	"github.com/dyvms/dyvms-go/internal/catalog"
)

// exchange is one authenticated request being carried out. Handlers run
// with Server.mu held and may read and change st.
type exchange struct {
	s      *Server
	st     *state
	action *catalog.Action
	p      url.Values
	now    time.Time
	// body is the success body, prefilled by the schema-driven answerer
	// (the Action's sample completed from its response schema); handlers
	// overwrite the fields their state decides.
	body map[string]any
	// call is the call placed, if the Action placed one.
	call *Call
}

// handler carries out one Action of a family against the fake's state; it
// returns a business error or nil.
type handler func(x *exchange) *apiError

// handlers is the table of Actions that keep state, keyed by Action name
// and built from one table per family. An Action not in it is answered by
// the schema-driven answerer alone (see generic).
var handlers = mergeHandlers(
	voiceHandlers, ivrHandlers, robotHandlers, callCenterHandlers, hotlineHandlers, rtcHandlers,
	virtualNumberHandlers, videoHandlers, cloudCCHandlers, clinkHandlers,
)

// mergeHandlers joins the family tables; an Action in two tables is a
// programming error.
func mergeHandlers(families ...map[string]handler) map[string]handler {
	all := map[string]handler{}
	for _, f := range families {
		for name, h := range f {
			if _, dup := all[name]; dup {
				panic("dyvmstest: two handlers for " + name)
			}
			all[name] = h
		}
	}
	return all
}

// handlerFor returns the Action's handler, or generic.
func handlerFor(action string) handler {
	if h, ok := handlers[action]; ok {
		return h
	}
	return generic
}

// generic answers an Action that keeps no state: the schema-driven body as
// it is.
func generic(*exchange) *apiError { return nil }

// execute carries out an authenticated request and returns the success
// body, the call placed (if any), or a business error.
func (s *Server) execute(a *catalog.Action, p url.Values) (map[string]any, *Call, *apiError) {
	x := &exchange{s: s, action: a, p: p, now: s.now(), body: template(a)}
	s.mu.Lock()
	defer s.mu.Unlock()
	x.st = &s.st
	if err := handlerFor(a.Name)(x); err != nil {
		return nil, nil, err
	}
	return x.body, x.call, nil
}
