package dyvmstest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// STS facts the fake checks.
const (
	// STSVersion is the STS API version the fake STS speaks.
	STSVersion = "2015-04-01"
	// DefaultOIDCToken is the OIDC token an STSServer accepts until
	// SetOIDCToken changes it.
	DefaultOIDCToken = "eyJhbGciOiJSUzI1NiJ9.fake-service-account-token.c2lnbmF0dXJl"
	// stsMinDuration and stsMaxDuration bound DurationSeconds.
	stsMinDuration = 900
	stsMaxDuration = 43200
)

// STSServer is a fake Alibaba Cloud STS (Security Token Service, API
// version 2015-04-01) on loopback, answering AssumeRole and
// AssumeRoleWithOIDC in JSON as the real service does. AssumeRole must be
// signed with the POP HMAC-SHA1 signature, which the fake recomputes with
// its own code, by the server's AccessKey or by temporary credentials it
// issued (with their SecurityToken, before they expire): role chaining.
// AssumeRoleWithOIDC is anonymous and must present the current OIDC token.
//
// A Server created with WithSTS accepts the temporary credentials this
// STSServer issues, and answers InvalidSecurityToken.Expired once they
// expire (or Expire is called). All methods are safe for concurrent use.
type STSServer struct {
	// URL is the server's base URL, http://127.0.0.1:port.
	URL string
	// AccessKeyID is the long-lived AccessKey ID allowed to call
	// AssumeRole.
	AccessKeyID string
	// AccessKeySecret is the secret of AccessKeyID.
	AccessKeySecret string

	now func() time.Time
	hs  *http.Server
	wg  sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	oidcToken string
	issued    map[string]*IssuedCredentials
	order     []string // AccessKeyIds of issued, oldest first
	requests  []STSRequest
	nonces    map[string]bool
	failures  []*apiError
}

// IssuedCredentials are temporary credentials an STSServer handed out.
type IssuedCredentials struct {
	// AccessKeyID, AccessKeySecret and SecurityToken are the credentials.
	AccessKeyID, AccessKeySecret, SecurityToken string
	// Expiration is when they stop working, on the STS clock.
	Expiration time.Time
	// RoleArn and RoleSessionName are the assumed role and session.
	RoleArn, RoleSessionName string
}

// STSRequest is one request the STSServer answered (successfully or not),
// with every parameter it carried, query and body merged.
type STSRequest struct {
	// Action is the STS Action.
	Action string
	// Params are the request's parameters.
	Params url.Values
	// Header is the request's HTTP header.
	Header http.Header
}

// STSOption configures an STSServer in NewSTSServer.
type STSOption func(*STSServer)

// WithSTSAccessKey sets the long-lived AccessKey allowed to call
// AssumeRole (default DefaultAccessKeyID and DefaultAccessKeySecret, so
// a Server's own keys work).
func WithSTSAccessKey(accessKeyID, accessKeySecret string) STSOption {
	return func(s *STSServer) { s.AccessKeyID, s.AccessKeySecret = accessKeyID, accessKeySecret }
}

// WithSTSClock sets the clock that dates issued credentials and decides
// when they expire (default time.Now); a *Clock's Now method fits.
// Request Timestamps are checked against the wall clock.
func WithSTSClock(now func() time.Time) STSOption {
	return func(s *STSServer) { s.now = now }
}

// NewSTSServer starts a fake STS on a free loopback port. It panics if it
// cannot listen, as httptest.NewServer does.
func NewSTSServer(opts ...STSOption) *STSServer {
	s := &STSServer{
		AccessKeyID: DefaultAccessKeyID, AccessKeySecret: DefaultAccessKeySecret,
		now: time.Now, oidcToken: DefaultOIDCToken,
		issued: map[string]*IssuedCredentials{}, nonces: map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("dyvmstest: cannot listen on loopback: " + err.Error())
	}
	s.URL = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go s.hs.Serve(ln) //nolint:errcheck // returns http.ErrServerClosed on Close
	return s
}

// Close stops the server and waits for its handlers. It may be called
// more than once.
func (s *STSServer) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.hs.Close()
	s.wg.Wait()
}

// SetOIDCToken makes token the only OIDC token AssumeRoleWithOIDC
// accepts, as when the service-account token rotates.
func (s *STSServer) SetOIDCToken(token string) {
	s.mu.Lock()
	s.oidcToken = token
	s.mu.Unlock()
}

// Expire makes the issued credentials of accessKeyID expire now, as if
// their time had run out early (a clock skew, a revoked session).
func (s *STSServer) Expire(accessKeyID string) {
	s.mu.Lock()
	if c := s.issued[accessKeyID]; c != nil {
		c.Expiration = s.now().Add(-time.Second)
	}
	s.mu.Unlock()
}

// FailNext makes the next request fail with HTTP status and code, before
// any check.
func (s *STSServer) FailNext(status int, code, message string) {
	s.mu.Lock()
	s.failures = append(s.failures, &apiError{status: status, code: code, message: message})
	s.mu.Unlock()
}

// Requests returns the requests answered so far, oldest first.
func (s *STSServer) Requests() []STSRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]STSRequest(nil), s.requests...)
}

// Issued returns the credentials issued so far, oldest first.
func (s *STSServer) Issued() []IssuedCredentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]IssuedCredentials, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.issued[id])
	}
	return out
}

// lookup returns the secret of accessKeyID if s issued it, and an error
// when token is not its SecurityToken or it has expired.
func (s *STSServer) lookup(accessKeyID, token string) (secret string, ok bool, aerr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.issued[accessKeyID]
	if c == nil {
		return "", false, nil
	}
	switch {
	case token == "":
		return c.AccessKeySecret, true, gatewayErr(http.StatusBadRequest, "MissingSecurityToken", "SecurityToken is mandatory for this action.")
	case token != c.SecurityToken:
		return c.AccessKeySecret, true, gatewayErr(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
	case !s.now().Before(c.Expiration):
		return c.AccessKeySecret, true, gatewayErr(http.StatusBadRequest, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
	}
	return c.AccessKeySecret, true, nil
}

// serveHTTP parses, records, checks and answers one request.
func (s *STSServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	rid := strings.ToUpper(uuid.NewString())
	params, perr := readParams(r)
	s.mu.Lock()
	s.requests = append(s.requests, STSRequest{Action: params.Get("Action"), Params: params, Header: r.Header.Clone()})
	var fail *apiError
	if len(s.failures) > 0 {
		fail, s.failures = s.failures[0], s.failures[1:]
	}
	s.mu.Unlock()
	if perr == nil {
		perr = fail
	}
	if perr != nil {
		writeSTSError(w, rid, perr)
		return
	}
	creds, aerr := s.answer(r, params)
	if aerr != nil {
		writeSTSError(w, rid, aerr)
		return
	}
	writeSTSJSON(w, http.StatusOK, map[string]any{
		"RequestId": rid,
		"AssumedRoleUser": map[string]string{
			"Arn":           strings.Replace(creds.RoleArn, ":role/", ":assumed-role/", 1) + "/" + creds.RoleSessionName,
			"AssumedRoleId": "3" + strconv.FormatInt(s.now().UnixNano()%1e15, 10) + ":" + creds.RoleSessionName,
		},
		"Credentials": map[string]string{
			"AccessKeyId":     creds.AccessKeyID,
			"AccessKeySecret": creds.AccessKeySecret,
			"SecurityToken":   creds.SecurityToken,
			"Expiration":      creds.Expiration.UTC().Format("2006-01-02T15:04:05Z"),
		},
	})
}

// answer checks the request as STS does and issues credentials.
func (s *STSServer) answer(r *http.Request, params url.Values) (*IssuedCredentials, *apiError) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, gatewayErr(http.StatusBadRequest, "UnsupportedHTTPMethod", "Specified http method "+r.Method+" is not supported.")
	}
	for _, name := range []string{"Action", "Version", "Timestamp"} {
		if params.Get(name) == "" {
			return nil, missing(name)
		}
	}
	if params.Get("Version") != STSVersion {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
	}
	if f := params.Get("Format"); f != "" && !strings.EqualFold(f, "JSON") {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidParameter.Format", "The fake STS answers JSON only.")
	}
	if aerr := checkTimestamp(params.Get("Timestamp")); aerr != nil {
		return nil, aerr
	}
	switch params.Get("Action") {
	case "AssumeRole":
		if aerr := s.authenticate(r, params); aerr != nil {
			return nil, aerr
		}
	case "AssumeRoleWithOIDC":
		if aerr := s.checkOIDC(params); aerr != nil {
			return nil, aerr
		}
	default:
		return nil, gatewayErr(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	}
	return s.issue(params)
}

// checkTimestamp checks a Timestamp against the wall clock.
func checkTimestamp(v string) *apiError {
	ts, err := time.Parse("2006-01-02T15:04:05Z", v)
	if err != nil {
		return gatewayErr(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
	}
	if d := time.Since(ts); d > MaxClockSkew || d < -MaxClockSkew {
		return gatewayErr(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}
	return nil
}

// authenticate checks AssumeRole's signature, by the long-lived key or by
// credentials s issued, and its nonce.
func (s *STSServer) authenticate(r *http.Request, params url.Values) *apiError {
	for _, name := range []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce"} {
		if params.Get(name) == "" {
			return missing(name)
		}
	}
	if params.Get("SignatureMethod") != "HMAC-SHA1" || params.Get("SignatureVersion") != "1.0" {
		return gatewayErr(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not supported.")
	}
	keyID := params.Get("AccessKeyId")
	secret := s.AccessKeySecret
	var tokenErr *apiError
	if keyID != s.AccessKeyID {
		var ok bool
		secret, ok, tokenErr = s.lookup(keyID, params.Get("SecurityToken"))
		if !ok {
			return gatewayErr(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
		}
	}
	sts := stringToSign(r.Method, params)
	if signString(sts, secret) != params.Get("Signature") {
		return gatewayErr(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+sts)
	}
	if tokenErr != nil {
		return tokenErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := keyID + "\x00" + params.Get("SignatureNonce")
	if s.nonces[key] {
		return gatewayErr(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	s.nonces[key] = true
	return nil
}

// checkOIDC checks AssumeRoleWithOIDC's provider ARN and token.
func (s *STSServer) checkOIDC(params url.Values) *apiError {
	for _, name := range []string{"OIDCProviderArn", "OIDCToken"} {
		if params.Get(name) == "" {
			return missing(name)
		}
	}
	if !strings.HasPrefix(params.Get("OIDCProviderArn"), "acs:ram::") || !strings.Contains(params.Get("OIDCProviderArn"), ":oidc-provider/") {
		return invalidParam("OIDCProviderArn")
	}
	s.mu.Lock()
	want := s.oidcToken
	s.mu.Unlock()
	if params.Get("OIDCToken") != want {
		return gatewayErr(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid or has expired.")
	}
	return nil
}

// issue checks the role parameters and issues credentials.
func (s *STSServer) issue(params url.Values) (*IssuedCredentials, *apiError) {
	for _, name := range []string{"RoleArn", "RoleSessionName"} {
		if params.Get(name) == "" {
			return nil, missing(name)
		}
	}
	arn := params.Get("RoleArn")
	if !strings.HasPrefix(arn, "acs:ram::") || !strings.Contains(arn, ":role/") {
		return nil, invalidParam("RoleArn")
	}
	if n := len(params.Get("RoleSessionName")); n < 2 || n > 64 {
		return nil, invalidParam("RoleSessionName")
	}
	dur := 3600
	if v := params.Get("DurationSeconds"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < stsMinDuration || d > stsMaxDuration {
			return nil, gatewayErr(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The DurationSeconds is out of range.")
		}
		dur = d
	}
	if p := params.Get("Policy"); p != "" && !json.Valid([]byte(p)) {
		return nil, gatewayErr(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.")
	}
	c := &IssuedCredentials{
		AccessKeyID: "STS.NT" + randomHex(10), AccessKeySecret: randomHex(16), SecurityToken: "CAIS" + randomHex(32),
		Expiration: s.now().Add(time.Duration(dur) * time.Second).Truncate(time.Second),
		RoleArn:    arn, RoleSessionName: params.Get("RoleSessionName"),
	}
	s.mu.Lock()
	s.issued[c.AccessKeyID] = c
	s.order = append(s.order, c.AccessKeyID)
	s.mu.Unlock()
	return c, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// writeSTSError answers STS's JSON error envelope.
func writeSTSError(w http.ResponseWriter, rid string, e *apiError) {
	writeSTSJSON(w, e.status, map[string]string{
		"RequestId": rid, "HostId": "sts.aliyuncs.com", "Code": e.code, "Message": e.message,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.code),
	})
}

func writeSTSJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WithSTS makes the Server accept, besides its own AccessKey, the
// temporary credentials sts issues: a request signed with one must carry
// its SecurityToken and is answered InvalidSecurityToken.Expired once it
// has expired on the STS clock.
func WithSTS(sts *STSServer) Option {
	return func(c *config) { c.sts = sts }
}

// secretFor returns the secret that must have signed a request by keyID,
// and the error to answer after a valid signature (a bad or expired
// SecurityToken).
func (s *Server) secretFor(keyID, token string) (string, *apiError, *apiError) {
	if keyID == s.AccessKeyID {
		return s.AccessKeySecret, nil, nil
	}
	if s.cfg.sts != nil {
		if secret, ok, tokenErr := s.cfg.sts.lookup(keyID, token); ok {
			return secret, tokenErr, nil
		}
	}
	return "", nil, gatewayErr(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}
