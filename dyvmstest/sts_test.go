package dyvmstest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// stsPost sends a hand-made STS request, signed with the tests' own
// signer when secret is not empty, and decodes the JSON answer.
func stsPost(t *testing.T, s *STSServer, params map[string]string, secret string) (int, map[string]any) {
	t.Helper()
	all := map[string]string{"Version": STSVersion, "Format": "JSON", "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z")}
	for k, v := range params {
		all[k] = v
	}
	if secret != "" {
		all["SignatureMethod"], all["SignatureVersion"], all["SignatureNonce"] = "HMAC-SHA1", "1.0", uuid.NewString()
		all["Signature"] = testSign("POST", all, secret)
	}
	form := url.Values{}
	for k, v := range all {
		form.Set(k, v)
	}
	resp, err := http.Post(s.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	return resp.StatusCode, out
}

func TestSTSAssumeRoleChecks(t *testing.T) {
	clock := NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	s := NewSTSServer(WithSTSClock(clock.Now))
	defer s.Close()
	role := map[string]string{"Action": "AssumeRole", "AccessKeyId": s.AccessKeyID, "RoleArn": "acs:ram::1:role/r", "RoleSessionName": "sess", "DurationSeconds": "900"}

	status, out := stsPost(t, s, role, s.AccessKeySecret)
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	creds := out["Credentials"].(map[string]any)
	if creds["Expiration"] != "2026-06-01T08:15:00Z" || !strings.HasPrefix(creds["AccessKeyId"].(string), "STS.") || creds["SecurityToken"] == "" {
		t.Fatalf("credentials %v", creds)
	}
	if got := out["AssumedRoleUser"].(map[string]any)["Arn"]; got != "acs:ram::1:assumed-role/r/sess" {
		t.Errorf("Arn %v", got)
	}

	// Chaining: the issued key signs with its token, until it expires.
	chained := map[string]string{"Action": "AssumeRole", "AccessKeyId": creds["AccessKeyId"].(string), "SecurityToken": creds["SecurityToken"].(string),
		"RoleArn": "acs:ram::1:role/r2", "RoleSessionName": "hop"}
	if status, out := stsPost(t, s, chained, creds["AccessKeySecret"].(string)); status != 200 {
		t.Fatalf("chained: %d %v", status, out)
	}
	chained["SecurityToken"] = "CAISwrong"
	if _, out := stsPost(t, s, chained, creds["AccessKeySecret"].(string)); out["Code"] != "InvalidSecurityToken.MismatchWithAccessKey" {
		t.Errorf("wrong token: %v", out)
	}
	chained["SecurityToken"] = creds["SecurityToken"].(string)
	clock.Advance(15 * time.Minute)
	if _, out := stsPost(t, s, chained, creds["AccessKeySecret"].(string)); out["Code"] != "InvalidSecurityToken.Expired" {
		t.Errorf("expired: %v", out)
	}

	for _, c := range []struct {
		change map[string]string
		secret string
		code   string
	}{
		{nil, "wrong-secret", "SignatureDoesNotMatch"},
		{map[string]string{"AccessKeyId": "LTAIunknown"}, s.AccessKeySecret, "InvalidAccessKeyId.NotFound"},
		{map[string]string{"RoleArn": ""}, s.AccessKeySecret, "MissingRoleArn"},
		{map[string]string{"RoleArn": "role/r"}, s.AccessKeySecret, "InvalidParameter"},
		{map[string]string{"DurationSeconds": "899"}, s.AccessKeySecret, "InvalidParameter.DurationSeconds"},
		{map[string]string{"Policy": "{not json"}, s.AccessKeySecret, "InvalidParameter.PolicyGrammar"},
		{nil, "", "MissingAccessKeyId"}, // unsigned
	} {
		p := map[string]string{}
		for k, v := range role {
			p[k] = v
		}
		for k, v := range c.change {
			if v == "" {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		if c.secret == "" {
			delete(p, "AccessKeyId")
		}
		status, out := stsPost(t, s, p, c.secret)
		if out["Code"] != c.code || status < 400 || out["RequestId"] == "" {
			t.Errorf("%v: got %d %v, want %s", c.change, status, out, c.code)
		}
	}
}

func TestSTSAssumeRoleWithOIDC(t *testing.T) {
	s := NewSTSServer()
	defer s.Close()
	p := map[string]string{"Action": "AssumeRoleWithOIDC", "RoleArn": "acs:ram::1:role/r", "RoleSessionName": "pod",
		"OIDCProviderArn": "acs:ram::1:oidc-provider/ack", "OIDCToken": DefaultOIDCToken}
	if status, out := stsPost(t, s, p, ""); status != 200 || out["Credentials"] == nil {
		t.Fatalf("%d %v", status, out)
	}
	s.SetOIDCToken("rotated")
	if _, out := stsPost(t, s, p, ""); out["Code"] != "AuthenticationFail.OIDCToken.Invalid" {
		t.Errorf("old token: %v", out)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[0].Action != "AssumeRoleWithOIDC" || reqs[0].Params.Get("OIDCToken") != DefaultOIDCToken {
		t.Errorf("requests %+v", reqs)
	}
}
