package dyvms

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Receipts (回执消息) are how the service reports what happened to a call:
// VoiceReport once per call after hang-up, VoiceCallReport for each
// intermediate state, VoiceRecordReport for a recording and VoiceRTASRReport
// for real-time speech recognition. They arrive in one of two ways, chosen
// per message type in the console:
//
//   - HTTP batch push: the service POSTs a JSON array of reports to your URL
//     and waits 700 ms for HTTP 200. Use NewReceiptHandler, or ParseReceipts
//     and the per-type Parse functions in a handler of your own.
//   - MNS queue: each message body is the base64 of one JSON object. Use
//     ParseMNSReceipt.
//
// The wire carries no message-type field. Because the push URL (and the MNS
// queue) is configured per message type, the type is normally known from
// where the message arrived: tell ParseReceipts or NewReceiptHandler (one
// URL per type is the simplest set-up). When one URL receives several
// types, each element's type is inferred from the fields it carries (see
// DetectReceiptType), and an element that matches none keeps its raw JSON
// with Type ReceiptUnknown rather than failing the batch.
//
// Decoding is lenient, like the rest of the SDK (UnmarshalLenient): the
// service documents almost every field as a string but sends some as
// numbers (duration "10" next to b_duration 7), so numbers and strings are
// accepted either way and an empty string is the zero value. A body is
// decoded in one pass straight into the typed reports (no generic tree), and
// string values are kept byte for byte as received, invalid UTF-8 included.

// ErrMalformedReceipt matches every error the receipt parsers return for a
// body that is not a receipt batch: not JSON, not an array of objects, bad
// base64.
var ErrMalformedReceipt = errors.New("dyvms: malformed receipt")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformedReceipt}, args...)...)
}

// ReceiptType names a receipt message type as the console and the MNS queue
// names spell it.
type ReceiptType string

// The receipt message types of the Voice Messaging Service.
const (
	// ReceiptUnknown is the type of an element whose type was neither
	// configured nor recognisable from its fields.
	ReceiptUnknown ReceiptType = ""
	// ReceiptVoiceReport is the call record sent once per call after
	// hang-up (呼叫记录消息). SingleCallByTts, SingleCallByVoice, IvrCall,
	// SmartCall and the double-call Actions produce it.
	ReceiptVoiceReport ReceiptType = "VoiceReport"
	// ReceiptVoiceCallReport is an intermediate call state (呼叫中间状态消息):
	// calling, ringing, answered, ended, or a DTMF key (status 300000).
	ReceiptVoiceCallReport ReceiptType = "VoiceCallReport"
	// ReceiptVoiceRecordReport is a call recording (录音记录消息), sent for
	// SmartCall and calls with recording enabled.
	ReceiptVoiceRecordReport ReceiptType = "VoiceRecordReport"
	// ReceiptVoiceRTASRReport is one utterance of real-time speech
	// recognition (ASR实时消息).
	ReceiptVoiceRTASRReport ReceiptType = "VoiceRTASRReport"
)

// knownReceiptTypes lists the types in inference order.
var knownReceiptTypes = []ReceiptType{ReceiptVoiceRecordReport, ReceiptVoiceRTASRReport, ReceiptVoiceCallReport, ReceiptVoiceReport}

// Valid reports whether t is one of the four receipt types.
func (t ReceiptType) Valid() bool {
	for _, k := range knownReceiptTypes {
		if t == k {
			return true
		}
	}
	return false
}

// ReceiptTime is a time as a receipt carries it: "yyyy-MM-dd HH:mm:ss" in
// China Standard Time (UTC+8, no zone on the wire), or "" when the event did
// not happen (start_time of a call that was never answered). The raw text is
// kept; Time and Parse convert it.
type ReceiptTime string

// Parse returns the time in China Standard Time (UTC+8). It also accepts
// epoch milliseconds or seconds, which related products send. An empty
// ReceiptTime returns the zero time and no error.
func (t ReceiptTime) Parse() (time.Time, error) {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return time.Time{}, nil
	}
	if tm, ok := parseChinaDateTime(s); ok {
		return tm, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		switch len(s) {
		case 12, 13, 14: // epoch milliseconds, 1973 to 2286 and beyond
			return millisTime(n), nil
		case 9, 10, 11: // epoch seconds
			return time.Unix(n, 0).In(chinaTime), nil
		}
	}
	return time.Time{}, fmt.Errorf("dyvms: receipt time %q is not yyyy-MM-dd HH:mm:ss", s)
}

// Time returns the time, or the zero time when t is empty or unparsable.
func (t ReceiptTime) Time() time.Time {
	tm, _ := t.Parse()
	return tm
}

// IsZero reports whether t is empty (the event did not happen).
func (t ReceiptTime) IsZero() bool { return strings.TrimSpace(string(t)) == "" }

// CallStatus is a call status code (status_code, early_media_code): the
// carrier's final result in a VoiceReport, an intermediate state in a
// VoiceCallReport. The set is open; unknown codes are kept as received.
type CallStatus string

// Call status codes. Final results (VoiceReport) unless marked intermediate.
const (
	StatusAnswered         CallStatus = "200000" // single call: answered, user listened to the end
	StatusAnsweredHungUp   CallStatus = "200001" // single call: answered, user hung up before the end
	StatusBusy             CallStatus = "200002" // busy (double call: caller busy)
	StatusNoAnswer         CallStatus = "200003" // rang, not answered
	StatusInvalidNumber    CallStatus = "200004" // invalid or nonexistent number
	StatusRejected         CallStatus = "200005" // unreachable: rejected, carrier or handset anti-spam, number flagged
	StatusPlaybackFailed   CallStatus = "200006" // playback failed / bad audio format
	StatusOutOfArea        CallStatus = "200007" // unreachable / out of service area
	StatusDTMFTimeout      CallStatus = "200008" // key-press (DTMF) timeout
	StatusPoweredOff       CallStatus = "200010" // powered off
	StatusSuspended        CallStatus = "200011" // suspended / out of service (arrears)
	StatusCallLoss         CallStatus = "200012" // call loss / call restricted
	StatusCallEnded        CallStatus = "200100" // double call ended normally; intermediate: call ended
	StatusCalling          CallStatus = "200101" // double call: dialling caller; intermediate: calling started
	StatusCallerConnected  CallStatus = "200102" // double call: caller connected, dialling callee; intermediate: callee answered
	StatusInConversation   CallStatus = "200103" // double call: in conversation
	StatusCallerRestricted CallStatus = "200104" // caller number restricted
	StatusCalleeRestricted CallStatus = "200105" // callee number restricted
	StatusCalleeRejected   CallStatus = "200111" // double call: callee rejected
	StatusCalleeBusy       CallStatus = "200112" // double call: callee busy
	StatusCalleeNoAnswer   CallStatus = "200113" // double call: callee did not answer
	StatusCalleeInvalid    CallStatus = "200116" // callee number invalid
	StatusShowNumInvalid   CallStatus = "200117" // display number (caller ID) not compliant
	StatusTimeWindow       CallStatus = "200118" // supplier time-window restriction
	StatusFrequencyLimit   CallStatus = "200119" // supplier frequency limit (per caller or callee)
	StatusCalleeOutOfArea  CallStatus = "200120" // double call: callee out of area
	StatusConcurrencyLimit CallStatus = "200121" // account concurrency limit exceeded
	StatusRinging          CallStatus = "200201" // intermediate: callee ringing
	StatusOther            CallStatus = "200130" // other, undetectable (early media)
	StatusDTMF             CallStatus = "300000" // intermediate: DTMF key message (see dtmf)
	StatusNotEstablished   CallStatus = "9996"   // call not established or already ended
	StatusSystemError      CallStatus = "999999" // system error
	StatusCarrierError     CallStatus = "500"    // carrier error
	StatusNetworkBusy      CallStatus = "400"    // network element busy
	StatusNumberUnavail    CallStatus = "482"    // callee number unavailable
	StatusNumberReclaimed  CallStatus = "476"    // number forcibly reclaimed
)

var callStatusMeanings = map[CallStatus]string{
	StatusAnswered:         "answered; listened to the end",
	StatusAnsweredHungUp:   "answered; hung up before the end",
	StatusBusy:             "busy",
	StatusNoAnswer:         "rang, not answered",
	StatusInvalidNumber:    "invalid or nonexistent number",
	StatusRejected:         "callee unreachable or rejected",
	StatusPlaybackFailed:   "playback failed",
	StatusOutOfArea:        "unreachable or out of service area",
	StatusDTMFTimeout:      "key-press timeout",
	StatusPoweredOff:       "powered off",
	StatusSuspended:        "suspended",
	StatusCallLoss:         "call loss or call restricted",
	StatusCallEnded:        "call ended",
	StatusCalling:          "calling",
	StatusCallerConnected:  "answered (caller connected)",
	StatusInConversation:   "in conversation",
	StatusCallerRestricted: "caller number restricted",
	StatusCalleeRestricted: "callee number restricted",
	StatusCalleeRejected:   "callee rejected",
	StatusCalleeBusy:       "callee busy",
	StatusCalleeNoAnswer:   "callee did not answer",
	StatusCalleeInvalid:    "callee number invalid",
	StatusShowNumInvalid:   "display number not compliant",
	StatusTimeWindow:       "supplier time-window restriction",
	StatusFrequencyLimit:   "supplier frequency limit",
	StatusCalleeOutOfArea:  "callee out of area",
	StatusConcurrencyLimit: "account concurrency limit exceeded",
	StatusRinging:          "ringing",
	StatusOther:            "other",
	StatusDTMF:             "key pressed",
	StatusNotEstablished:   "call not established or already ended",
	StatusSystemError:      "system error",
	StatusCarrierError:     "carrier error",
	StatusNetworkBusy:      "network busy",
	StatusNumberUnavail:    "number unavailable",
	StatusNumberReclaimed:  "number reclaimed",
}

// Meaning returns a short English description of a documented code, or ""
// for an unknown one.
func (s CallStatus) Meaning() string { return callStatusMeanings[s.norm()] }

// Known reports whether s is a documented code.
func (s CallStatus) Known() bool { _, ok := callStatusMeanings[s.norm()]; return ok }

// norm trims white space (a lenient decoder may hand over " 200000").
func (s CallStatus) norm() CallStatus { return CallStatus(strings.TrimSpace(string(s))) }

// Answered reports whether a final status (VoiceReport) means the callee
// answered: 200000 and 200001 for single calls, 200100 for a double call that
// ended normally. For the intermediate states of a VoiceCallReport, where
// 200100 only means "ended", look for 200102 (callee answered) instead.
func (s CallStatus) Answered() bool {
	switch s.norm() {
	case StatusAnswered, StatusAnsweredHungUp, StatusCallEnded:
		return true
	}
	return false
}

// Busy reports whether the callee (or, in a double call, the caller) was busy:
// 200002 or 200112.
func (s CallStatus) Busy() bool {
	switch s.norm() {
	case StatusBusy, StatusCalleeBusy:
		return true
	}
	return false
}

// NoAnswer reports whether the phone rang but nobody answered: 200003 or
// 200113.
func (s CallStatus) NoAnswer() bool {
	switch s.norm() {
	case StatusNoAnswer, StatusCalleeNoAnswer:
		return true
	}
	return false
}

// InvalidNumber reports whether the number does not exist or cannot be
// called: 200004, 200116, 482 or 476.
func (s CallStatus) InvalidNumber() bool {
	switch s.norm() {
	case StatusInvalidNumber, StatusCalleeInvalid, StatusNumberUnavail, StatusNumberReclaimed:
		return true
	}
	return false
}

// Unreachable reports whether the callee could not be reached: rejected,
// out of area, powered off, suspended or call loss (200005, 200007, 200010,
// 200011, 200012, 200111, 200120).
func (s CallStatus) Unreachable() bool {
	switch s.norm() {
	case StatusRejected, StatusOutOfArea, StatusPoweredOff, StatusSuspended, StatusCallLoss, StatusCalleeRejected, StatusCalleeOutOfArea:
		return true
	}
	return false
}

// Restricted reports whether the platform or the supplier refused the call:
// number restrictions, non-compliant display number, time window, frequency
// or concurrency limits (200104, 200105, 200117-200119, 200121).
func (s CallStatus) Restricted() bool {
	switch s.norm() {
	case StatusCallerRestricted, StatusCalleeRestricted, StatusShowNumInvalid, StatusTimeWindow, StatusFrequencyLimit, StatusConcurrencyLimit:
		return true
	}
	return false
}

// SystemError reports whether the failure was on the platform or carrier
// side (999999, 500, 400, 200006): the number itself may be fine.
func (s CallStatus) SystemError() bool {
	switch s.norm() {
	case StatusSystemError, StatusCarrierError, StatusNetworkBusy, StatusPlaybackFailed:
		return true
	}
	return false
}

// IsDTMF reports whether s is the DTMF key message 300000 (the key is in
// the receipt's DTMF field).
func (s CallStatus) IsDTMF() bool { return s.norm() == StatusDTMF }

// SmartStatus is the smart result code (smart_status_code), a carrier
// independent classification of the call result. The set is open; the
// service documents the catch-all both as OTHER and OTHERS.
type SmartStatus string

// Smart status codes.
const (
	SmartAnswered           SmartStatus = "ANSWERED"
	SmartCancel             SmartStatus = "CANCEL" // caller hung up before the answer
	SmartCallRejected       SmartStatus = "CALL_REJECTED"
	SmartCallForwarding     SmartStatus = "CALL_FORWARDING"
	SmartIncomingCallBarred SmartStatus = "INCOMING_CALL_BARRED"
	SmartInvalidNumber      SmartStatus = "INVALID_NUMBER"
	SmartNoAnswer           SmartStatus = "NO_ANSWER"
	SmartNoUserResponding   SmartStatus = "NO_USER_RESPONDING" // out of area
	SmartNetworkBusy        SmartStatus = "NETWORK_BUSY"
	SmartOperatorBlock      SmartStatus = "OPERATOR_BLOCK"
	SmartPoweredOff         SmartStatus = "POWERED_OFF"
	SmartSuspend            SmartStatus = "SUSPEND"
	SmartUserBusy           SmartStatus = "USER_BUSY"
	SmartUnavailable        SmartStatus = "UNAVAILABLE"
	SmartOther              SmartStatus = "OTHER"
)

// Answered reports whether the smart status is ANSWERED.
func (s SmartStatus) Answered() bool {
	return strings.EqualFold(strings.TrimSpace(string(s)), string(SmartAnswered))
}

// Busy reports whether the smart status is USER_BUSY.
func (s SmartStatus) Busy() bool {
	return strings.EqualFold(strings.TrimSpace(string(s)), string(SmartUserBusy))
}

// HangupDirection says who hung up. Receipts (hangup_direction) carry
// Chinese words, or a leg name such as "aleg" for a double call; the robot
// Actions use the codes RobotHangupCalled and RobotHangupRobot.
type HangupDirection string

// Hang-up directions of receipts.
const (
	HangupByUser    HangupDirection = "用户" // the callee (user) hung up
	HangupByMachine HangupDirection = "机器" // the platform (machine) hung up
)

// VoiceType is the kind of call in a VoiceReport (voice_type).
type VoiceType string

// Documented voice types.
const (
	VoiceTypeVoice         VoiceType = "voice"          // ordinary voice call
	VoiceTypeASR           VoiceType = "asr"            // call with speech recognition
	VoiceTypeSmartTransfer VoiceType = "smart_transfer" // smart outbound call with transfer
)

// VoiceReport is the call record (呼叫记录消息), sent once per call after
// hang-up. Times are ReceiptTime ("" when the event did not happen);
// durations are seconds.
type VoiceReport struct {
	// CallID is the call's ID, the CallId the Action returned ("<digits>^<digits>").
	CallID string `json:"call_id"`
	// OutID echoes the OutId passed to the Action.
	OutID string `json:"out_id"`
	// StatusCode is the carrier's final result; see CallStatus.Answered and friends.
	StatusCode CallStatus `json:"status_code"`
	// SmartStatusCode is the smart result code.
	SmartStatusCode SmartStatus `json:"smart_status_code"`
	// StatusMsg is a human-readable result, for example "执行完成".
	StatusMsg string `json:"status_msg"`
	// Caller is the calling (display) number.
	Caller string `json:"caller"`
	// Callee is the called number.
	Callee string `json:"callee"`
	// OriginateTime is when the platform sent the call to the carrier.
	OriginateTime ReceiptTime `json:"originate_time"`
	// RingTime is when the callee's phone rang; "" if it never rang.
	RingTime ReceiptTime `json:"ring_time"`
	// StartTime is when the call was answered; "" if it was not.
	StartTime ReceiptTime `json:"start_time"`
	// EndTime is when the call ended.
	EndTime ReceiptTime `json:"end_time"`
	// Duration is the talk time in seconds; 0 if not answered.
	Duration int64 `json:"duration"`
	// EarlyMediaCode is the early-media (number status detection) result,
	// only when that paid feature is on.
	EarlyMediaCode CallStatus `json:"early_media_code"`
	// HangupDirection says who hung up.
	HangupDirection HangupDirection `json:"hangup_direction"`
	// TollType is deprecated; usually "UNKNOWN".
	TollType string `json:"toll_type"`
	// VoiceType is the kind of call: voice, asr or smart_transfer.
	VoiceType VoiceType `json:"voice_type"`
	// DTMF is the keys pressed, where sent.
	DTMF string `json:"dtmf"`
	// Extend is the extension code or extra information.
	Extend string `json:"extend"`
	// ParallelLegHangupCause is why a smart-outbound transfer failed.
	ParallelLegHangupCause string `json:"parallel_leg_hangup_cause"`
	// DialogID is the robot script ID (SaaS assistant only).
	DialogID string `json:"dialog_id"`

	// BOriginateTime is when the B leg was sent to the carrier.
	BOriginateTime ReceiptTime `json:"b_originate_time"`
	// BRingTime is when the B leg rang.
	BRingTime ReceiptTime `json:"b_ring_time"`
	// BStartTime is when the B leg was answered.
	BStartTime ReceiptTime `json:"b_start_time"`
	// BEndTime is when the B leg ended.
	BEndTime ReceiptTime `json:"b_end_time"`
	// BDuration is the B leg's talk time in seconds.
	BDuration int64 `json:"b_duration"`

	// AOriginateTime is when the A leg was sent to the carrier (double call).
	AOriginateTime ReceiptTime `json:"a_originate_time"`
	// ARingTime is when the A leg rang (double call).
	ARingTime ReceiptTime `json:"a_ring_time"`
	// AStartTime is when the A leg was answered (double call).
	AStartTime ReceiptTime `json:"a_start_time"`
	// AEndTime is when the A leg ended (double call).
	AEndTime ReceiptTime `json:"a_end_time"`
	// ADuration is the A leg's talk time in seconds (double call).
	ADuration int64 `json:"a_duration"`
	// CallerShowNum is the number shown to the caller (double call).
	CallerShowNum string `json:"caller_show_num"`
	// CalleeShowNum is the number shown to the callee (double call).
	CalleeShowNum string `json:"callee_show_num"`
}

// Answered reports whether the call was answered, by its final status code.
func (r *VoiceReport) Answered() bool { return r.StatusCode.Answered() }

// Busy reports whether the callee was busy.
func (r *VoiceReport) Busy() bool { return r.StatusCode.Busy() }

// TalkDuration returns Duration as a time.Duration.
func (r *VoiceReport) TalkDuration() time.Duration { return time.Duration(r.Duration) * time.Second }

// LogValue implements slog.LogValuer: the IDs and result, with the phone
// numbers masked to their last 4 digits.
func (r *VoiceReport) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", string(ReceiptVoiceReport)),
		slog.String("call_id", r.CallID),
		slog.String("out_id", r.OutID),
		slog.String("status_code", string(r.StatusCode)),
		slog.String("caller", maskPhone(r.Caller)),
		slog.String("callee", maskPhone(r.Callee)),
		slog.Int64("duration", r.Duration),
	)
}

// VoiceCallReport is an intermediate call state (呼叫中间状态消息); a call
// produces several. Outbound calls carry CallID and OutID; inbound calls
// carry Extend and BizID instead.
type VoiceCallReport struct {
	// CallID is the call's ID (outbound).
	CallID string `json:"call_id"`
	// OutID echoes the OutId passed to the Action (outbound).
	OutID string `json:"out_id"`
	// StatusCode is the state: 200101 calling, 200201 ringing, 200102
	// answered, 200100 ended, 300000 a DTMF key (see DTMF).
	StatusCode CallStatus `json:"status_code"`
	// SmartStatusCode is the smart result code.
	SmartStatusCode SmartStatus `json:"smart_status_code"`
	// StatusTime is when the state occurred.
	StatusTime ReceiptTime `json:"status_time"`
	// DTMF is the key pressed when StatusCode is 300000.
	DTMF string `json:"dtmf"`
	// Extend is the extension code or extra information (inbound).
	Extend string `json:"extend"`
	// BizID is the receipt (serial) ID (inbound).
	BizID string `json:"biz_id"`
}

// Answered reports whether this state is "callee answered" (200102).
func (r *VoiceCallReport) Answered() bool { return r.StatusCode.norm() == StatusCallerConnected }

// Busy reports whether the status code means busy.
func (r *VoiceCallReport) Busy() bool { return r.StatusCode.Busy() }

// VoiceRecordReport is a call recording (录音记录消息).
type VoiceRecordReport struct {
	// CallID is the call's ID.
	CallID string `json:"call_id"`
	// OutID echoes the OutId passed to the Action.
	OutID string `json:"out_id"`
	// StatusCode is the call's result.
	StatusCode CallStatus `json:"status_code"`
	// StartTime is when the call was answered.
	StartTime ReceiptTime `json:"start_time"`
	// EndTime is when the call ended.
	EndTime ReceiptTime `json:"end_time"`
	// Duration is the talk time in seconds.
	Duration int64 `json:"duration"`
	// RecordFile is the recording's URL. It is a signed, expiring URL:
	// download the file promptly.
	RecordFile string `json:"record_file"`
	// RecordBeginTime is when recording began (SmartCall only).
	RecordBeginTime ReceiptTime `json:"record_begin_time"`
}

// VoiceRTASRReport is one utterance of real-time speech recognition
// (ASR实时消息).
type VoiceRTASRReport struct {
	// CallID is the call's ID.
	CallID string `json:"call_id"`
	// OutID echoes the OutId passed to the Action.
	OutID string `json:"out_id"`
	// Role is who spoke.
	Role string `json:"role"`
	// Identity identifies the speaker.
	Identity string `json:"identity"`
	// Words is the recognised utterance.
	Words string `json:"words"`
	// BeginOffset is where the utterance begins, in milliseconds from the
	// start of the session.
	BeginOffset int64 `json:"begin_offset"`
	// EndOffset is where it ends, in milliseconds from the start of the
	// session.
	EndOffset int64 `json:"end_offset"`
	// BeginTime is when the utterance began.
	BeginTime ReceiptTime `json:"begin_time"`
}

// Receipt is one element of a receipt batch: its type, the raw JSON object
// as received and the typed report decoded from it. A batch pushed to one
// URL may mix types, so a Receipt is an envelope rather than a report:
// switch on Type, or on Report's dynamic type, or use the typed accessors.
//
//	for _, rc := range receipts {
//		switch r := rc.Report().(type) {
//		case *dyvms.VoiceReport:
//			if r.Answered() { ... }
//		case *dyvms.VoiceCallReport:
//			...
//		}
//	}
//
// The report is decoded from Raw the first time it is asked for (Report
// and the typed accessors) and kept: a function that only counts, forwards
// or stores the raw receipts, or reads CallID, OutID and StatusCode (which
// read their one field from Raw), never pays for the report structs, which
// are larger than a small receipt.
// Copies of a Receipt returned by this package share the decoded report,
// and it is safe to ask for it from several goroutines.
type Receipt struct {
	// Type is the message type: the one configured for the URL or queue,
	// else inferred from the fields; ReceiptUnknown if neither.
	Type ReceiptType
	// Raw is the JSON object exactly as received, for fields this SDK does
	// not know yet (decode it with UnmarshalLenient or DecodeAs).
	Raw json.RawMessage

	cell *reportCell // nil in a Receipt made outside this package
}

// Report returns the typed report: *VoiceReport, *VoiceCallReport,
// *VoiceRecordReport or *VoiceRTASRReport, or nil when Type is
// ReceiptUnknown. Receipts from ParseReceipts, ParseMNSReceipt and the
// handlers return the same report on every call; a Receipt you build
// yourself from Type and Raw returns a newly decoded one each time.
func (r Receipt) Report() any {
	if rep, ok := r.decoded(); ok {
		return rep
	}
	rep := decodeReport(r.Type, r.Raw)
	if r.cell == nil || r.cell.p.CompareAndSwap(nil, &reportBox{rep}) {
		return rep
	}
	return r.cell.p.Load().report // decoded meanwhile by another goroutine
}

// VoiceReport returns the report if Type is ReceiptVoiceReport.
func (r Receipt) VoiceReport() (*VoiceReport, bool) {
	v, ok := r.Report().(*VoiceReport)
	return v, ok
}

// VoiceCallReport returns the report if Type is ReceiptVoiceCallReport.
func (r Receipt) VoiceCallReport() (*VoiceCallReport, bool) {
	v, ok := r.Report().(*VoiceCallReport)
	return v, ok
}

// VoiceRecordReport returns the report if Type is ReceiptVoiceRecordReport.
func (r Receipt) VoiceRecordReport() (*VoiceRecordReport, bool) {
	v, ok := r.Report().(*VoiceRecordReport)
	return v, ok
}

// VoiceRTASRReport returns the report if Type is ReceiptVoiceRTASRReport.
func (r Receipt) VoiceRTASRReport() (*VoiceRTASRReport, bool) {
	v, ok := r.Report().(*VoiceRTASRReport)
	return v, ok
}

// DecodeAs decodes Raw into out (a pointer to a struct with json tags) with
// the SDK's lenient rules, whatever Type is.
func (r Receipt) DecodeAs(out any) error { return UnmarshalLenient(r.Raw, out) }

// CallID returns the report's call_id (or, for an inbound VoiceCallReport
// without one, its biz_id). Like OutID and StatusCode, it reads the one
// field from Raw when the report has not been decoded, without decoding
// it.
func (r Receipt) CallID() string {
	if rep, ok := r.decoded(); ok {
		id, _, _ := reportIDs(rep)
		return id
	}
	id := r.rawField("call_id")
	if id == "" && r.Type == ReceiptVoiceCallReport {
		id = r.rawField("biz_id")
	}
	return id
}

// rawField returns the string field of JSON name as the report would hold
// it, read from Raw.
func (r Receipt) rawField(name string) string {
	raw, ok := r.rawObject()
	if !ok {
		return ""
	}
	return rawField(r.Type, raw, name)
}

// OutID returns the report's out_id, the OutId given to the Action.
func (r Receipt) OutID() string {
	if rep, ok := r.decoded(); ok {
		_, out, _ := reportIDs(rep)
		return out
	}
	return r.rawField("out_id")
}

// StatusCode returns the report's status_code, or "" for types without one.
func (r Receipt) StatusCode() CallStatus {
	if rep, ok := r.decoded(); ok {
		_, _, status := reportIDs(rep)
		return status
	}
	return CallStatus(r.rawField("status_code"))
}

// decoded returns the report if it has been decoded already.
func (r Receipt) decoded() (any, bool) {
	if r.cell == nil {
		return nil, false
	}
	if box := r.cell.p.Load(); box != nil {
		return box.report, true
	}
	return nil, false
}

// reportIDs returns the call ID (or biz_id), out_id and status_code of a
// report.
func reportIDs(rep any) (callID, outID string, status CallStatus) {
	switch v := rep.(type) {
	case *VoiceReport:
		return v.CallID, v.OutID, v.StatusCode
	case *VoiceCallReport:
		if v.CallID == "" {
			return v.BizID, v.OutID, v.StatusCode
		}
		return v.CallID, v.OutID, v.StatusCode
	case *VoiceRecordReport:
		return v.CallID, v.OutID, v.StatusCode
	case *VoiceRTASRReport:
		return v.CallID, v.OutID, ""
	}
	return "", "", ""
}

// ReceiptKey identifies a receipt for de-duplication: the SHA-256 of the
// receipt's identity (see Receipt.DedupKey). It is 32 bytes however long the
// receipt's fields are, so remembering a key costs the same for every
// receipt. String gives it as hex, for a store of your own.
type ReceiptKey [sha256.Size]byte

// String returns the key as 64 hex digits.
func (k ReceiptKey) String() string { return hex.EncodeToString(k[:]) }

// DedupKey identifies the receipt for de-duplication: a re-push of the same
// message gives the same key, two different messages of one call do not.
// The identity is the type, the call ID and the status, plus what tells
// apart several messages of one call with the same status: status_time and
// dtmf for a VoiceCallReport, the offsets and role for a VoiceRTASRReport,
// the file for a VoiceRecordReport. A receipt with no call ID is identified
// by its raw JSON without white space. Each part is length-prefixed before
// hashing, so no two identities share a key; the parts are the bytes as
// received, so receipts differing only in invalid UTF-8 do not either.
// The key is read from Raw as received (the values the report's fields
// take), without decoding the report.
func (r Receipt) DedupKey() ReceiptKey {
	var stack [256]byte
	buf := appendKeyBytes(stack[:0], []byte(r.Type))
	if raw, ok := r.rawObject(); ok {
		if id, ok := appendIdentity(buf, r.Type, raw); ok {
			return sha256.Sum256(id)
		}
	}
	buf = append(buf, 'r')
	return sha256.Sum256(appendCompact(buf, r.Raw))
}

// appendKeyBytes appends b with its length in front.
func appendKeyBytes(buf, b []byte) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(b))), b...)
}

// appendCompact appends the JSON raw without the white space between
// tokens (json.Compact's output, for any input).
func appendCompact(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case '"':
			end := stringEnd(raw, i)
			dst = append(dst, raw[i:end]...)
			i = end
		case ' ', '\t', '\r', '\n':
			i++
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// LogValue implements slog.LogValuer: type, IDs and status, never a phone
// number.
func (r Receipt) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", string(r.Type)),
		slog.String("call_id", r.CallID()),
		slog.String("out_id", r.OutID()),
		slog.String("status_code", string(r.StatusCode())),
	)
}

// DetectReceiptType infers the type of one receipt object from the fields
// it carries (the wire has no type field), in this order: record_file or
// record_begin_time → VoiceRecordReport; words, role, identity or the
// offsets → VoiceRTASRReport; status_time → VoiceCallReport; any VoiceReport
// field (caller, callee, the times, duration, status_msg, ...) →
// VoiceReport; else ReceiptUnknown. With candidates, only those types are
// considered. obj is a JSON object; anything else is ReceiptUnknown.
func DetectReceiptType(obj []byte, candidates ...ReceiptType) ReceiptType {
	b := bytes.TrimSpace(obj)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return ReceiptUnknown
	}
	return detectObjectType(b, candidates)
}

var typeMarkers = map[ReceiptType][]string{
	ReceiptVoiceRecordReport: {"record_file", "record_begin_time"},
	ReceiptVoiceRTASRReport:  {"words", "role", "identity", "begin_offset", "end_offset"},
	ReceiptVoiceCallReport:   {"status_time", "biz_id"},
	ReceiptVoiceReport: {"status_msg", "caller", "callee", "start_time", "end_time", "duration",
		"originate_time", "ring_time", "hangup_direction", "toll_type", "voice_type", "early_media_code",
		"b_duration", "b_start_time", "a_duration", "a_start_time", "smart_status_code", "status_code"},
}

func containsType(ts []ReceiptType, t ReceiptType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// newReport returns a new zero report of type t, or nil.
func newReport(t ReceiptType) any {
	switch t {
	case ReceiptVoiceReport:
		return &VoiceReport{}
	case ReceiptVoiceCallReport:
		return &VoiceCallReport{}
	case ReceiptVoiceRecordReport:
		return &VoiceRecordReport{}
	case ReceiptVoiceRTASRReport:
		return &VoiceRTASRReport{}
	}
	return nil
}

// ParseReceipts parses an HTTP push body (a JSON array of receipt objects;
// a single object is read as a batch of one) into Receipts.
//
// types says what the URL receives. With one type, every element is of that
// type: the usual set-up, as the console configures one URL per message
// type. With several, or none, each element's type is inferred from its
// fields (DetectReceiptType) among them; an element that matches none has
// Type ReceiptUnknown and is still returned, with its Raw JSON.
//
// The error matches ErrMalformedReceipt when the body is not JSON or an
// element is not an object. Field values never cause an error: they are
// decoded leniently.
func ParseReceipts(body []byte, types ...ReceiptType) ([]Receipt, error) {
	return parseReceipts(body, types, true)
}

// ParseVoiceReports parses an HTTP push body sent to a VoiceReport URL.
// Errors match ErrMalformedReceipt.
//
// It and the other ParseVoiceXxxReports functions are for a handler bound
// to one message type that wants the typed slice: each element is decoded
// straight into the report, with no Receipt around it (no Raw JSON, no
// type detection). ParseReceipts serves a URL that receives several types,
// and keeps each element's raw JSON.
func ParseVoiceReports(body []byte) ([]VoiceReport, error) { return parseTyped[VoiceReport](body) }

// ParseVoiceCallReports parses an HTTP push body sent to a VoiceCallReport
// URL. Errors match ErrMalformedReceipt.
func ParseVoiceCallReports(body []byte) ([]VoiceCallReport, error) {
	return parseTyped[VoiceCallReport](body)
}

// ParseVoiceRecordReports parses an HTTP push body sent to a
// VoiceRecordReport URL. Errors match ErrMalformedReceipt.
func ParseVoiceRecordReports(body []byte) ([]VoiceRecordReport, error) {
	return parseTyped[VoiceRecordReport](body)
}

// ParseVoiceRTASRReports parses an HTTP push body sent to a
// VoiceRTASRReport URL. Errors match ErrMalformedReceipt.
func ParseVoiceRTASRReports(body []byte) ([]VoiceRTASRReport, error) {
	return parseTyped[VoiceRTASRReport](body)
}

// ParseMNSReceipt parses the MessageBody of one MNS queue message: the
// base64 of one JSON receipt object. A body that is already JSON (some MNS
// clients decode base64 for you) is accepted as is. typ is the queue's
// message type (queues are per type, e.g. Alicom-Queue-<account>-VoiceReport);
// ReceiptUnknown infers it from the fields. Errors match
// ErrMalformedReceipt.
func ParseMNSReceipt(messageBody []byte, typ ReceiptType) (Receipt, error) {
	b := bytes.TrimSpace(messageBody)
	if len(b) > 0 && b[0] != '{' && b[0] != '[' {
		dec, err := decodeBase64(b)
		if err != nil {
			return Receipt{}, malformed("MNS message body is not base64: %v", err)
		}
		b = bytes.TrimSpace(dec)
	}
	var types []ReceiptType
	if typ != ReceiptUnknown {
		types = []ReceiptType{typ}
	}
	rs, err := ParseReceipts(b, types...)
	if err != nil {
		return Receipt{}, err
	}
	if len(rs) != 1 {
		return Receipt{}, malformed("MNS message body holds %d receipts, want 1", len(rs))
	}
	return rs[0], nil
}

// decodeBase64 accepts standard base64 with or without padding, and
// ignores line breaks.
func decodeBase64(b []byte) ([]byte, error) {
	s := strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, string(b))
	if out, err := base64.StdEncoding.DecodeString(s); err == nil {
		return out, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}
