// Package dyvmstest runs a fake Dyvmsapi (Alibaba Cloud Voice Messaging
// Service, API version 2017-05-25) on the loopback interface, so that code
// using the dyvms SDK, or any other Dyvmsapi client, can be tested offline
// and without an Alibaba Cloud account.
//
// The fake checks what the real gateway checks, with its own code: the POP
// HMAC-SHA1 signature or the ACS3-HMAC-SHA256 one (signature V3, in the
// Authorization header), the Timestamp (within 15 minutes), SignatureNonce
// replay, Version, the Action, the Action's required parameters and the
// AccessKeyId; it answers in JSON or XML as the request's Format asks, with
// the real error codes and HTTP statuses. It answers all 184 Actions of the
// API: each with its success code and a body shaped by the Action's
// response schema and sample (every field present, with a value of its
// type), after checking its required parameters and that a JSON-valued
// parameter holds JSON of the documented shape. It keeps state where a
// caller tests a flow: calls of every kind (voice, IVR, robot, seat and
// video calls, found by QueryCallDetailByCallId and the in-call video
// controls), call tasks, robot tasks, virtual-number relations, and the
// cloud call centre's agents (created, got, listed, logged in and out,
// deleted), outbound tasks (created, numbers imported, started, paused)
// and webcalls with their call records. Faults can be injected per
// Action, every accepted request is recorded, and after a call it can push
// receipts to a callback URL.
//
//	srv := dyvmstest.NewServer()
//	defer srv.Close()
//	client, _ := srv.Client()
//	resp, err := client.SingleCallByTts(ctx, &dyvms.SingleCallByTtsRequest{...})
//	if srv.Count("SingleCallByTts") != 1 { ... }
package dyvmstest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/internal/catalog"
	"github.com/google/uuid"
)

// Default credentials of a Server, used unless WithAccessKey is given.
const (
	DefaultAccessKeyID     = "LTAI5tDyvmsFakeKeyId"
	DefaultAccessKeySecret = "DyvmsFakeSecretForOfflineTestsOnly"
)

// HostID is the HostId the fake reports in error envelopes, as the real
// gateway does.
const HostID = "dyvmsapi.aliyuncs.com"

// MaxClockSkew is how far a request's Timestamp may be from the fake's clock.
const MaxClockSkew = 15 * time.Minute

// nonceTTL is how long a SignatureNonce is remembered.
const nonceTTL = 31 * time.Minute

// maxRequestBytes bounds a request body.
const maxRequestBytes = 10 << 20

// Server is a fake Dyvmsapi endpoint listening on loopback. Create it with
// NewServer and stop it with Close. All methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, to be given to a
	// client as its endpoint.
	URL string
	// AccessKeyID is the AccessKey ID the server accepts.
	AccessKeyID string
	// AccessKeySecret is the secret of AccessKeyID.
	AccessKeySecret string

	cfg    config
	hs     *http.Server
	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	push   *http.Client

	lifeMu sync.Mutex
	closed bool
	wg     sync.WaitGroup // handlers and receipt pushers

	mu          sync.Mutex
	nonces      map[string]time.Time
	noncePurged time.Time
	faults      []*Fault
	requests    []Request
	deliveries  []Delivery
	flow        map[string][]time.Time
	st          state
}

// NewServer starts a fake Dyvmsapi server on a free loopback port (or on
// the listener given with WithListener). It panics if it cannot listen, as
// httptest.NewServer does.
func NewServer(opts ...Option) *Server {
	cfg := config{
		keyID:       DefaultAccessKeyID,
		secret:      DefaultAccessKeySecret,
		now:         time.Now,
		receiptURLs: map[ReceiptType]string{},
		retry:       DefaultRetrySchedule,
		pushTimeout: DefaultPushTimeout,
		outcome:     defaultOutcome,
	}
	for _, o := range opts {
		o(&cfg)
	}
	ln := cfg.listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic("dyvmstest: cannot listen on loopback: " + err.Error())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		URL:             "http://" + ln.Addr().String(),
		AccessKeyID:     cfg.keyID,
		AccessKeySecret: cfg.secret,
		cfg:             cfg,
		ctx:             ctx,
		cancel:          cancel,
		push:            &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}},
		nonces:          map[string]time.Time{},
		flow:            map[string][]time.Time{},
		st:              newState(),
	}
	s.hs = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go s.hs.Serve(ln) //nolint:errcheck // returns http.ErrServerClosed on Close
	return s
}

// Close stops the server: it closes the listener and every connection,
// stops the receipt pushers and waits until every request handler and
// pusher goroutine has returned. It may be called more than once.
func (s *Server) Close() {
	s.lifeMu.Lock()
	if s.closed {
		s.lifeMu.Unlock()
		return
	}
	s.closed = true
	s.lifeMu.Unlock()
	s.cancel()
	s.hs.Close()
	s.wg.Wait()
	s.push.CloseIdleConnections()
}

// begin registers a goroutine that Close waits for; it reports false once
// the server is closing.
func (s *Server) begin() bool {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// Client returns a dyvms client pointed at the server and signing with its
// keys; opts are applied after those and may override them.
func (s *Server) Client(opts ...dyvms.Option) (*dyvms.Client, error) {
	all := append([]dyvms.Option{
		dyvms.WithEndpoint(s.URL),
		dyvms.WithAccessKey(s.AccessKeyID, s.AccessKeySecret),
	}, opts...)
	return dyvms.NewClient(all...)
}

// now is the fake's clock.
func (s *Server) now() time.Time { return s.cfg.now() }

// apiError is an answer other than success: a gateway error (an <Error>
// envelope) or a business error (an <ActionResponse> with a failing Code).
type apiError struct {
	status   int
	code     string
	message  string
	business bool
}

func gatewayErr(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg}
}

func businessErr(code, msg string) *apiError {
	return &apiError{status: http.StatusOK, code: code, message: msg, business: true}
}

func missing(name string) *apiError {
	return gatewayErr(http.StatusBadRequest, "Missing"+name, name+" is mandatory for this action.")
}

func invalidParam(name string) *apiError {
	return gatewayErr(http.StatusBadRequest, "InvalidParameter", "Specified parameter "+name+" is not valid.")
}

// commonRequired are the common parameters every request carries, in the
// order they are checked.
var commonRequired = []string{"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod",
	"SignatureVersion", "SignatureNonce", "Timestamp"}

// serveHTTP is the fake gateway: parse, authenticate, validate, fault,
// execute, record, answer.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.begin() {
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	defer s.wg.Done()

	rid := strings.ToUpper(uuid.NewString())
	w.Header().Set("x-acs-request-id", rid)
	ans := &answer{w: w, requestID: rid, format: defaultFormat(r)}

	params, raw, perr := readRequest(r)
	if f := params.Get("Format"); f != "" {
		switch strings.ToUpper(f) {
		case "JSON", "XML":
			ans.format = strings.ToUpper(f)
		default:
			ans.error(gatewayErr(http.StatusBadRequest, "InvalidParameter.Format", "Specified parameter Format is not valid."))
			return
		}
	}
	if perr != nil {
		ans.error(perr)
		return
	}
	action, aerr := s.authenticate(r, params, raw)
	if aerr != nil {
		ans.error(aerr)
		return
	}
	ans.action = action.Name

	fault := s.takeFault(action.Name)
	if fault != nil && fault.Kind == FaultLatency {
		t := time.NewTimer(fault.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
	if fault != nil && !fault.executes() {
		s.answerFault(ans, fault, nil)
		return
	}

	body, call, berr := s.execute(action, params)
	if berr != nil {
		ans.error(berr)
		return
	}
	if fault != nil && fault.Kind == FaultLatency {
		fault = nil // the delay is over; answer normally
	}
	s.record(action.Name, params, fault, signatureAlgorithm(r))
	if call != nil {
		s.scheduleReceipts(*call)
	}
	if fault != nil {
		s.answerFault(ans, fault, body)
		return
	}
	ans.success(body)
}

// defaultFormat is the answer's format when the request names none: XML
// for V2, JSON for V3 (the official V3 clients send no Format and read
// JSON).
func defaultFormat(r *http.Request) string {
	if isV3(r) {
		return "JSON"
	}
	return "XML"
}

// signatureAlgorithm names how r is signed, for Request.SignatureAlgorithm.
func signatureAlgorithm(r *http.Request) string {
	if isV3(r) {
		return algorithmV3
	}
	return "HMAC-SHA1"
}

// readParams merges the query string and, for a form body, the body
// parameters. Values keep their order: query first, then body.
func readParams(r *http.Request) (url.Values, *apiError) {
	params, _, err := readRequest(r)
	return params, err
}

// readRequest is readParams that also returns the raw body, whose hash a
// V3 signature covers.
func readRequest(r *http.Request) (url.Values, []byte, *apiError) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return url.Values{}, nil, gatewayErr(http.StatusBadRequest, "InvalidParameter", "The query string is not valid.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		return params, nil, gatewayErr(http.StatusBadRequest, "InvalidParameter", "The request body could not be read.")
	}
	if len(body) > maxRequestBytes {
		return params, nil, gatewayErr(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body is too large.")
	}
	ct := r.Header.Get("Content-Type")
	if len(body) > 0 && (ct == "" || strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return params, body, gatewayErr(http.StatusBadRequest, "InvalidParameter", "The form body is not valid.")
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	return params, body, nil
}

// authenticate runs the gateway's checks, in the gateway's order, and
// returns the Action. A request with an Authorization header is checked as
// signature V3 (ACS3-HMAC-SHA256), any other as the V2 query signature.
func (s *Server) authenticate(r *http.Request, params url.Values, body []byte) (*catalog.Action, *apiError) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, gatewayErr(http.StatusBadRequest, "UnsupportedHTTPMethod", "Specified http method "+r.Method+" is not supported.")
	}
	if r.URL.Path != "/" && r.URL.Path != "" {
		return nil, gatewayErr(http.StatusNotFound, "InvalidApi.NotFound", "Specified api is not found, please check your url and method.")
	}
	if isV3(r) {
		return s.authenticateV3(r, r.URL.Query(), params, body)
	}
	for _, name := range commonRequired {
		if params.Get(name) == "" {
			return nil, missing(name)
		}
	}
	action, aerr := checkActionAndVersion(params)
	if aerr != nil {
		return nil, aerr
	}
	if params.Get("SignatureMethod") != "HMAC-SHA1" {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not supported.")
	}
	if params.Get("SignatureVersion") != "1.0" {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidSignatureVersion", "Specified signature version is not supported.")
	}
	// Clients sign with the wall clock, so Timestamps and nonces are
	// checked against it, not against the simulated clock of WithClock.
	now := time.Now()
	if aerr := checkRequestTime(params.Get("Timestamp"), now); aerr != nil {
		return nil, aerr
	}
	keyID := params.Get("AccessKeyId")
	secret, tokenErr, aerr := s.secretFor(keyID, params.Get("SecurityToken"))
	if aerr != nil {
		return nil, aerr
	}
	sts := stringToSign(r.Method, params)
	if signString(sts, secret) != params.Get("Signature") {
		return nil, gatewayErr(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+sts)
	}
	if tokenErr != nil {
		return nil, tokenErr
	}
	if aerr := s.useNonce(keyID, params.Get("SignatureNonce"), now); aerr != nil {
		return nil, aerr
	}
	if aerr := checkActionParams(action, params); aerr != nil {
		return nil, aerr
	}
	return action, nil
}

// checkActionAndVersion checks the Version and looks the Action up.
func checkActionAndVersion(params url.Values) (*catalog.Action, *apiError) {
	if params.Get("Version") != dyvms.APIVersion {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
	}
	action := catalog.Lookup(params.Get("Action"))
	if action == nil {
		return nil, gatewayErr(http.StatusBadRequest, "UnsupportedOperation", "The specified action is not supported.")
	}
	return action, nil
}

// checkRequestTime checks a request time (the V2 Timestamp or the V3
// x-acs-date, both yyyy-MM-ddTHH:mm:ssZ) against now, within MaxClockSkew.
func checkRequestTime(ts string, now time.Time) *apiError {
	t, err := time.Parse("2006-01-02T15:04:05Z", ts)
	if err != nil {
		return gatewayErr(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
	}
	if d := now.Sub(t); d > MaxClockSkew || d < -MaxClockSkew {
		return gatewayErr(http.StatusBadRequest, "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired. The request time is "+ts+
				" and the server time is "+now.UTC().Format("2006-01-02T15:04:05Z")+".")
	}
	return nil
}

// useNonce remembers a nonce, or fails if it was seen within nonceTTL.
func (s *Server) useNonce(keyID, nonce string, now time.Time) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.noncePurged) > time.Minute {
		for k, t := range s.nonces {
			if now.Sub(t) > nonceTTL {
				delete(s.nonces, k)
			}
		}
		s.noncePurged = now
	}
	key := keyID + "\x00" + nonce
	if _, used := s.nonces[key]; used {
		return gatewayErr(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	s.nonces[key] = now
	return nil
}

// Request is one request the server accepted and carried out.
type Request struct {
	// Action is the API Action, for example "SingleCallByTts".
	Action string
	// Params holds every parameter sent, common and Action parameters alike,
	// except Signature and SecurityToken.
	Params url.Values
	// Time is when the request was carried out, on the server's clock.
	Time time.Time
	// Fault is the injected fault that shaped the answer (FaultCloseAfterRead,
	// FaultMalformed, ...), or FaultNone.
	Fault FaultKind
	// SignatureAlgorithm is how the request was signed: "HMAC-SHA1" (V2,
	// Signature in the query) or "ACS3-HMAC-SHA256" (V3, Authorization
	// header; Params then holds Action and Version from the x-acs-action
	// and x-acs-version headers, and nothing of the Authorization or
	// x-acs-security-token headers).
	SignatureAlgorithm string
}

// Param returns the first value of the parameter called name, or "".
func (r Request) Param(name string) string { return r.Params.Get(name) }

// redacted are the parameters never recorded.
var redacted = []string{"Signature", "SecurityToken", "AccessKeySecret"}

func (s *Server) record(action string, params url.Values, f *Fault, algorithm string) {
	p := make(url.Values, len(params))
	for k, vs := range params {
		p[k] = append([]string(nil), vs...)
	}
	for _, k := range redacted {
		delete(p, k)
	}
	r := Request{Action: action, Params: p, Time: s.now(), SignatureAlgorithm: algorithm}
	if f != nil {
		r.Fault = f.Kind
	}
	s.mu.Lock()
	s.requests = append(s.requests, r)
	s.mu.Unlock()
}

// Requests returns, in arrival order, every request the server accepted
// and carried out: requests that passed authentication and validation and
// were not turned away by an injected fault, flow control or a business
// error. A request whose connection was closed after it was read
// (FaultCloseAfterRead) was carried out and is included; a throttled one is
// not.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// Count returns how many accepted requests called action ("" counts all).
func (s *Server) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if action == "" || r.Action == action {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// Actions returns the names of all Actions the server answers, sorted.
func Actions() []string {
	var out []string
	for _, a := range catalog.Load().Actions {
		out = append(out, a.Name)
	}
	sort.Strings(out)
	return out
}

// String describes the server, for logs.
func (s *Server) String() string {
	return fmt.Sprintf("dyvmstest.Server(%s)", s.URL)
}
