package portal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cognitolocal "github.com/reinvent-cli/reinvent/internal/fake/cognito/local"
	srpverifier "github.com/reinvent-cli/reinvent/internal/fake/cognito/srp"
)

// fakeCognito speaks the Cognito IdP JSON wire protocol (POST /,
// X-Amz-Target, application/x-amz-json-1.1) for InitiateAuth
// (USER_SRP_AUTH, REFRESH_TOKEN_AUTH) and RespondToAuthChallenge
// (PASSWORD_VERIFIER), checking the password claim with the SRP-6a verifier
// of internal/fake/cognito/srp, written independently of package srp.
type fakeCognito struct {
	t            *testing.T
	pool         string // the part of the pool id after "_"
	clientID     string
	clientSecret string
	now          time.Time

	mu         sync.Mutex
	srp        *srpverifier.Server
	challenges map[string]string // internal id -> a challenge after the password, e.g. NEW_PASSWORD_REQUIRED
	pending    map[string]*srpverifier.Pending
	refresh    map[string]string // refresh token -> internal id
	timestamps []string
	calls      []string // "InitiateAuth:USER_SRP_AUTH", ...
	seq        int
}

func newFakeCognito(t *testing.T, clientSecret string, now time.Time) (*fakeCognito, string) {
	f := &fakeCognito{
		t: t, pool: "Fake0Pool", clientID: "fakeclientid", clientSecret: clientSecret, now: now,
		challenges: map[string]string{},
		pending:    map[string]*srpverifier.Pending{}, refresh: map[string]string{},
	}
	// nil Rand: b, SECRET_BLOCK are drawn from crypto/rand.
	f.srp = srpverifier.New(f.pool, f.clientID, f.clientSecret, nil, f.now)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeCognito) addUser(alias, id, password, challenge string) {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	f.srp.Register(alias, id, password, salt)
	f.challenges[id] = challenge
}

type fakeErr struct{ code, msg string }

// asFakeErr turns an error of the SRP verifier into the Cognito error it stands for.
func asFakeErr(err error) *fakeErr {
	var e *srpverifier.Error
	if errors.As(err, &e) {
		return &fakeErr{e.Code, e.Message}
	}
	return &fakeErr{"InternalErrorException", err.Error()}
}

func (f *fakeCognito) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	if r.Method != http.MethodPost || r.URL.Path != "/" ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(target, "AWSCognitoIdentityProviderService.") {
		f.t.Errorf("fake Cognito: unexpected request %s %s %q %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"), target)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if r.Header.Get("Authorization") != "" {
		f.t.Errorf("fake Cognito: signed request; these APIs are unsigned")
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("fake Cognito: body: %v", err)
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	out, ferr := f.handle(strings.TrimPrefix(target, "AWSCognitoIdentityProviderService."), in)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if ferr != nil {
		w.Header().Set("X-Amzn-ErrorType", ferr.code)
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": ferr.code, "message": ferr.msg})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

func strMap(v any) map[string]string {
	m := map[string]string{}
	if mm, ok := v.(map[string]any); ok {
		for k, x := range mm {
			s, _ := x.(string)
			m[k] = s
		}
	}
	return m
}

func (f *fakeCognito) tokens(id string) map[string]any {
	f.seq++
	claims, _ := json.Marshal(map[string]any{"username": id, "token_use": "access"})
	access := "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(claims) + fmt.Sprintf(".sig%d", f.seq)
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	rt := fmt.Sprintf("refresh-%d-%x", f.seq, nonce)
	f.refresh[rt] = id
	return map[string]any{"AuthenticationResult": map[string]any{
		"AccessToken": access, "IdToken": fmt.Sprintf("id-%d", f.seq), "RefreshToken": rt,
		"ExpiresIn": 3600, "TokenType": "Bearer",
	}, "ChallengeParameters": map[string]string{}}
}

func (f *fakeCognito) handle(op string, in map[string]any) (map[string]any, *fakeErr) {
	if in["ClientId"] != f.clientID {
		return nil, &fakeErr{"ResourceNotFoundException", "User pool client does not exist."}
	}
	switch op {
	case "InitiateAuth":
		flow, _ := in["AuthFlow"].(string)
		f.calls = append(f.calls, op+":"+flow)
		params := strMap(in["AuthParameters"])
		switch flow {
		case "USER_SRP_AUTH":
			challenge, p, err := f.srp.Initiate(params)
			if err != nil {
				return nil, asFakeErr(err)
			}
			f.seq++
			session := fmt.Sprintf("session-%d", f.seq)
			f.pending[session] = p
			return map[string]any{
				"ChallengeName":       "PASSWORD_VERIFIER",
				"Session":             session,
				"ChallengeParameters": challenge,
			}, nil
		case "REFRESH_TOKEN_AUTH":
			id, ok := f.refresh[params["REFRESH_TOKEN"]]
			if !ok {
				return nil, &fakeErr{"NotAuthorizedException", "Invalid Refresh Token"}
			}
			if f.clientSecret != "" && params["SECRET_HASH"] != f.srp.SecretHash(id) {
				return nil, &fakeErr{"NotAuthorizedException", "Unable to verify secret hash for client " + f.clientID}
			}
			out := f.tokens(id)
			delete(out["AuthenticationResult"].(map[string]any), "RefreshToken")
			return out, nil
		}
		return nil, &fakeErr{"InvalidParameterException", "unsupported flow " + flow}
	case "RespondToAuthChallenge":
		name, _ := in["ChallengeName"].(string)
		f.calls = append(f.calls, op+":"+name)
		session, _ := in["Session"].(string)
		p, ok := f.pending[session]
		if !ok || name != "PASSWORD_VERIFIER" {
			return nil, &fakeErr{"NotAuthorizedException", "Invalid session for the user."}
		}
		delete(f.pending, session)
		resp := strMap(in["ChallengeResponses"])
		f.timestamps = append(f.timestamps, resp["TIMESTAMP"])
		if err := f.srp.Verify(p, resp); err != nil {
			return nil, asFakeErr(err)
		}
		if c := f.challenges[p.UserID()]; c != "" {
			return map[string]any{"ChallengeName": c, "Session": "next-session",
				"ChallengeParameters": map[string]string{"USER_ID_FOR_SRP": p.UserID()}}, nil
		}
		return f.tokens(p.UserID()), nil
	}
	return nil, &fakeErr{"UnknownOperationException", op}
}

// at15 is a 15:04 UTC login: a 12-hour clock in TIMESTAMP would fail it.
var at15 = time.Date(2026, time.November, 22, 15, 4, 5, 0, time.UTC)

func fakeSignIn(t *testing.T, f *fakeCognito, endpoint, username, password string, asked *atomic.Int32, tf *TokenFile) *SignIn {
	return &SignIn{
		Region:       "us-east-1",
		PoolID:       "us-east-1_" + f.pool,
		ClientID:     f.clientID,
		ClientSecret: f.clientSecret,
		Endpoint:     endpoint,
		Flow:         FlowSRP,
		Username:     username,
		Password: func() (string, error) {
			asked.Add(1)
			return password, nil
		},
		Tokens: tf,
		Now:    func() time.Time { return at15 },
	}
}

func TestSRPSignIn(t *testing.T) {
	for _, secret := range []string{"", "s3cr3t-client"} {
		t.Run(fmt.Sprintf("secret=%v", secret != ""), func(t *testing.T) {
			f, url := newFakeCognito(t, secret, at15)
			f.addUser("alice@example.com", "7d1f6a3e-uuid-alice", "Correct-Horse-9", "")
			tf := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
			var asked atomic.Int32
			ctx := context.Background()

			tok, err := fakeSignIn(t, f, url, "alice@example.com", "Correct-Horse-9", &asked, tf).Token(ctx, false)
			if err != nil || tok == "" {
				t.Fatalf("Token = %q, %v", tok, err)
			}
			if want := []string{"Sun Nov 22 15:04:05 UTC 2026"}; fmt.Sprint(f.timestamps) != fmt.Sprint(want) {
				t.Errorf("TIMESTAMPs = %q, want %q", f.timestamps, want)
			}
			saved, err := tf.Load()
			if err != nil || saved == nil || saved.Username != "7d1f6a3e-uuid-alice" || saved.RefreshToken == "" {
				t.Fatalf("saved = %+v, %v; want the internal user id and a refresh token", saved, err)
			}

			// A new run with fresh: REFRESH_TOKEN_AUTH (SECRET_HASH of the
			// internal id), keeping the refresh token, no password asked.
			tok2, err := fakeSignIn(t, f, url, "alice@example.com", "unused", &asked, tf).Token(ctx, true)
			if err != nil || tok2 == "" || tok2 == tok || asked.Load() != 1 {
				t.Fatalf("refresh Token = %v (new %v), prompts %d; want a new token and no prompt", err, tok2 != tok, asked.Load())
			}
			after, _ := tf.Load()
			if after == nil || after.RefreshToken != saved.RefreshToken || after.AccessToken != tok2 {
				t.Errorf("after refresh: %+v", after)
			}
			want := "[InitiateAuth:USER_SRP_AUTH RespondToAuthChallenge:PASSWORD_VERIFIER InitiateAuth:REFRESH_TOKEN_AUTH]"
			if got := fmt.Sprint(f.calls); got != want {
				t.Errorf("calls = %s, want %s", got, want)
			}
		})
	}
}

func TestSRPSignInRevokedRefreshFallsBack(t *testing.T) {
	f, url := newFakeCognito(t, "", at15)
	f.addUser("bob", "bob-id", "pw-bob-1", "")
	tf := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
	if err := tf.Save(&Tokens{AccessToken: "old", RefreshToken: "revoked", Expiry: at15.Add(-time.Hour),
		Login: "bob", Username: "bob-id", ClientID: f.clientID}); err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int32
	tok, err := fakeSignIn(t, f, url, "bob", "pw-bob-1", &asked, tf).Token(context.Background(), false)
	if err != nil || tok == "" || tok == "old" || asked.Load() != 1 {
		t.Fatalf("Token = %q, %v, prompts %d", tok, err, asked.Load())
	}
	want := "[InitiateAuth:REFRESH_TOKEN_AUTH InitiateAuth:USER_SRP_AUTH RespondToAuthChallenge:PASSWORD_VERIFIER]"
	if got := fmt.Sprint(f.calls); got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

func TestSRPSignInErrors(t *testing.T) {
	for _, tc := range []struct {
		name, user, password, challenge, want string
	}{
		{"wrong password", "alice", "wrong-pw-77", "", "Cognito rejected the username or password"},
		{"unknown user", "nobody", "Correct-Horse-9", "", "Cognito rejected the username or password"},
		{"new password", "alice", "Correct-Horse-9", "NEW_PASSWORD_REQUIRED",
			"the portal asks for a new password: sign in once at the attendee portal in a browser, then try again"},
		{"sms mfa", "alice", "Correct-Horse-9", "SMS_MFA", "multi-factor authentication (SMS_MFA), which reinvent does not support"},
		{"totp mfa", "alice", "Correct-Horse-9", "SOFTWARE_TOKEN_MFA", "multi-factor authentication (SOFTWARE_TOKEN_MFA)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, url := newFakeCognito(t, "", at15)
			f.addUser("alice", "alice-id", "Correct-Horse-9", tc.challenge)
			tf := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
			var asked atomic.Int32
			_, err := fakeSignIn(t, f, url, tc.user, tc.password, &asked, tf).Token(context.Background(), false)
			if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Token error = %v, want ErrAuth with %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.password) {
				t.Errorf("error %q contains the password", err)
			}
			if saved, _ := tf.Load(); saved != nil {
				t.Errorf("tokens saved after a failed sign-in: %+v", saved)
			}
		})
	}
}

func TestSignInServerDownIsUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	f := &fakeCognito{pool: "Fake0Pool", clientID: "fakeclientid"}
	var asked atomic.Int32
	_, err = fakeSignIn(t, f, url, "alice", "pw", &asked, nil).Token(context.Background(), false)
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrAuth) {
		t.Fatalf("Token error = %v, want ErrUnavailable", err)
	}
}

func TestSignInInMemoryCacheAndFlowCheck(t *testing.T) {
	f, url := newFakeCognito(t, "", at15)
	f.addUser("alice", "alice-id", "pw-1", "")
	var asked atomic.Int32
	s := fakeSignIn(t, f, url, "alice", "pw-1", &asked, nil)
	a, err := s.Token(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Token(context.Background(), false)
	if err != nil || a != b || asked.Load() != 1 {
		t.Fatalf("second Token = %v (same %v), prompts %d", err, a == b, asked.Load())
	}
	s2 := fakeSignIn(t, f, url, "alice", "pw-1", &asked, nil)
	s2.Flow = "kerberos"
	if _, err := s2.Token(context.Background(), false); err == nil || !strings.Contains(err.Error(), "auth-flow") {
		t.Fatalf("unknown flow: %v", err)
	}
}

// The password and refresh flows against cognito-local.

// localSignIn starts cognito-local with one confirmed user and returns a
// SignIn factory for it (each SignIn is a new "process" sharing the token
// file) and the counter of password prompts.
type localFixture struct {
	srv    *cognitolocal.Server
	pool   cognitolocal.Pool
	tokens *TokenFile
	asked  atomic.Int32
}

func newLocalFixture(t *testing.T) *localFixture {
	t.Helper()
	srv := cognitolocal.Start(t)
	pool := srv.NewPool(t, false)
	srv.CreateUser(t, pool, "alice@example.com", "Correct-Horse-9")
	return &localFixture{srv: srv, pool: pool, tokens: &TokenFile{Path: filepath.Join(t.TempDir(), "portal-tokens.json")}}
}

func (f *localFixture) signIn(username, password string) *SignIn {
	return &SignIn{
		Region:   cognitolocal.Region,
		PoolID:   f.pool.PoolID,
		ClientID: f.pool.ClientID,
		Endpoint: f.srv.Endpoint,
		Flow:     FlowPassword,
		Username: username,
		Password: func() (string, error) {
			f.asked.Add(1)
			return password, nil
		},
		Tokens: f.tokens,
	}
}

func TestCognitoLocalPasswordAndRefresh(t *testing.T) {
	f := newLocalFixture(t)
	ctx := context.Background()

	tok, err := f.signIn("alice@example.com", "Correct-Horse-9").Token(ctx, false)
	if err != nil {
		t.Fatalf("first Token: %v", err)
	}
	if tok == "" || f.asked.Load() != 1 {
		t.Fatalf("first Token = %q with %d password prompts, want a token and 1 prompt", tok, f.asked.Load())
	}
	fi, err := os.Stat(f.tokens.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, want 0600", fi.Mode().Perm())
	}
	saved, err := f.tokens.Load()
	if err != nil || saved == nil || saved.RefreshToken == "" || saved.AccessToken != tok {
		t.Fatalf("saved tokens = %+v, %v; want the access token and a refresh token", saved, err)
	}
	if saved.Username == "" || saved.Username == "alice@example.com" || saved.Login != "alice@example.com" {
		t.Errorf("saved login, internal username = %q, %q; want alice@example.com and Cognito's own name", saved.Login, saved.Username)
	}

	// A new run: the cached access token is still good.
	tok2, err := f.signIn("alice@example.com", "Correct-Horse-9").Token(ctx, false)
	if err != nil || tok2 != tok || f.asked.Load() != 1 {
		t.Fatalf("cached Token = %v (same %v), %d prompts; want the cached token and no prompt", err, tok2 == tok, f.asked.Load())
	}

	// fresh: REFRESH_TOKEN_AUTH with the cached refresh token, no password.
	tok3, err := f.signIn("alice@example.com", "Correct-Horse-9").Token(ctx, true)
	if err != nil || tok3 == "" || f.asked.Load() != 1 {
		t.Fatalf("fresh Token = %v, %d prompts; want a refreshed token and no prompt", err, f.asked.Load())
	}
	after, err := f.tokens.Load()
	if err != nil || after == nil || after.AccessToken != tok3 || after.RefreshToken != saved.RefreshToken {
		t.Fatalf("tokens after refresh = %+v, %v; want the new access token and the same refresh token", after, err)
	}
}

func TestCognitoLocalRevokedRefreshFallsBackToPassword(t *testing.T) {
	f := newLocalFixture(t)
	ctx := context.Background()
	if err := f.tokens.Save(&Tokens{AccessToken: "expired", RefreshToken: "garbage-refresh-token",
		Login: "alice@example.com", Username: "alice@example.com", ClientID: f.pool.ClientID}); err != nil {
		t.Fatal(err)
	}
	tok, err := f.signIn("alice@example.com", "Correct-Horse-9").Token(ctx, false)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok == "" || tok == "expired" || f.asked.Load() != 1 {
		t.Fatalf("Token = %q with %d prompts, want a new token after one prompt", tok, f.asked.Load())
	}
	saved, err := f.tokens.Load()
	if err != nil || saved == nil || saved.RefreshToken == "garbage-refresh-token" || saved.RefreshToken == "" {
		t.Fatalf("saved = %+v, %v; want a new refresh token", saved, err)
	}
}

func TestCognitoLocalRejections(t *testing.T) {
	f := newLocalFixture(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, user, password string }{
		{"wrong password", "alice@example.com", "wrong-password-123"},
		{"unknown user", "mallory@example.com", "Correct-Horse-9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.signIn(tc.user, tc.password).Token(ctx, false)
			if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "Cognito rejected the username or password") {
				t.Fatalf("Token = %v, want ErrAuth saying Cognito rejected the username or password", err)
			}
			if strings.Contains(err.Error(), tc.password) {
				t.Errorf("error %q contains the password", err)
			}
		})
	}
	if _, err := os.Stat(f.tokens.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file after failed sign-ins: %v, want none", err)
	}
}
