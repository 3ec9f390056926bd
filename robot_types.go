package dyvms

import (
	"fmt"
	"strconv"
	"strings"
)

// This file holds the hand-written code of the robot group that the generator does not express: the all-numbers marker, the task ID accessor, and the accessors that fold the misspelt konwledgeCount key into KnowledgeCount.
// The rest of the group is generated into robot.go from the catalogue and
// its overlay (see CONTRIBUTING.md).

// RobotTtsAllNumbers is the RobotTtsParam Number that applies the values to
// every called number (UploadRobotTaskCalledFile); values given for a
// specific number take precedence.
const RobotTtsAllNumbers = "all"

// TaskID returns the ID of the new task (Data) as a number, the form the
// other robocall-task Actions take.
func (r *CreateRobotTaskResponse) TaskID() (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.Data), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dyvms: CreateRobotTask: Data %q is not a task ID", r.Data)
	}
	return id, nil
}

// robotTaskCallWire is a RobotTaskCall with the misspelt key the API
// reference prints.
type robotTaskCallWire struct {
	RobotTaskCall
	// KonwledgeCount is folded into KnowledgeCount by call.
	KonwledgeCount int64 `json:"konwledgeCount"`
}

func (w robotTaskCallWire) call() RobotTaskCall {
	c := w.RobotTaskCall
	if c.KnowledgeCount == 0 {
		c.KnowledgeCount = w.KonwledgeCount
	}
	return c
}

func robotCalls(action, data string) ([]RobotTaskCall, error) {
	wire, err := decodeInner[[]robotTaskCallWire](action, "Data", data)
	if err != nil || wire == nil {
		return nil, err
	}
	out := make([]RobotTaskCall, len(wire))
	for i, w := range wire {
		out[i] = w.call()
	}
	return out, nil
}

// Calls decodes Data. A malformed Data returns an error here without
// having failed the call; an empty Data is no calls.
func (r *QueryRobotTaskCallListResponse) Calls() ([]RobotTaskCall, error) {
	return robotCalls("QueryRobotTaskCallList", r.Data)
}

// Calls decodes Data, rows shaped like those of QueryRobotTaskCallList. A
// malformed Data returns an error here without having failed the call; an
// empty Data is no calls.
func (r *ListRobotTaskCallsResponse) Calls() ([]RobotTaskCall, error) {
	return robotCalls("ListRobotTaskCalls", r.Data)
}

// Detail decodes Data. A malformed Data returns an error here without
// having failed the call.
func (r *QueryRobotTaskCallDetailResponse) Detail() (RobotTaskCallDetail, error) {
	w, err := decodeInner[struct {
		RobotTaskCallDetail
		KonwledgeCount int64 `json:"konwledgeCount"`
	}]("QueryRobotTaskCallDetail", "Data", r.Data)
	d := w.RobotTaskCallDetail
	if d.KnowledgeCount == 0 {
		d.KnowledgeCount = w.KonwledgeCount
	}
	return d, err
}

// robotCount parses a numeric-string paging field; 0 when absent or bad.
func robotCount(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
